// Per-canvas stroke state lives here, not in the closure: Streamlit calls the default
// export again whenever `data` changes (after every stroke, since the image is passed
// back), and a stroke in progress must survive that.
const strokes = new WeakMap();

export default function ({ parentElement, data, setStateValue }) {
  const canvas = parentElement.querySelector(".dc-canvas");
  const clearButton = parentElement.querySelector(".dc-clear");
  if (!canvas || !clearButton) return;
  const size = Math.max(8, Math.round(Number(data?.size) || 280));
  const display = Math.max(8, Math.round(Number(data?.display) || size));
  const lineWidth = Math.max(1, Number(data?.stroke_width) || 18);
  const hint = parentElement.querySelector(".dc-hint");
  if (data?.labels?.clear) clearButton.textContent = data.labels.clear;
  if (hint && data?.labels?.hint) hint.textContent = data.labels.hint;
  const ctx = canvas.getContext("2d");

  const blank = () => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalCompositeOperation = "source-over";
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
  };

  // A new canvas (first mount or a remount) gets sized, blanked, and shows the drawing
  // Python already has. A canvas that is already set up keeps what it shows.
  if (!strokes.has(canvas) || canvas.width !== size || canvas.height !== size) {
    canvas.width = size;
    canvas.height = size;
    blank();
    strokes.set(canvas, { active: false, pointerId: null, x: 0, y: 0, inked: false });
    const saved = data?.image;
    if (typeof saved === "string" && saved.startsWith("data:image/png;base64,")) {
      const img = new Image();
      img.onload = () => {
        ctx.drawImage(img, 0, 0, size, size);
        strokes.get(canvas).inked = true;
      };
      img.src = saved;
    }
  }
  canvas.style.width = display + "px";
  const stroke = strokes.get(canvas);

  const point = (event) => {
    const rect = canvas.getBoundingClientRect();
    const border = canvas.clientLeft || 0;  // the CSS border is inside the rect
    const inner = rect.width - 2 * border;
    const scale = inner > 0 ? canvas.width / inner : 1;
    return [
      (event.clientX - rect.left - border) * scale,
      (event.clientY - rect.top - border) * scale,
    ];
  };
  const pen = () => {
    ctx.strokeStyle = "#fff";
    ctx.fillStyle = "#fff";
    ctx.lineWidth = lineWidth;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  };
  const lineTo = (x, y) => {
    pen();
    ctx.beginPath();
    ctx.moveTo(stroke.x, stroke.y);
    ctx.lineTo(x, y);
    ctx.stroke();
    stroke.x = x;
    stroke.y = y;
  };

  const down = (event) => {
    if (event.button !== undefined && event.button > 0) return;  // main button only
    event.preventDefault();
    stroke.active = true;
    stroke.pointerId = event.pointerId;
    try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* not capturable */ }
    [stroke.x, stroke.y] = point(event);
    pen();
    ctx.beginPath();
    ctx.arc(stroke.x, stroke.y, lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();  // a tap leaves a dot
    stroke.inked = true;
  };
  const move = (event) => {
    if (!stroke.active || event.pointerId !== stroke.pointerId) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) lineTo(...point(e));
  };
  const up = (event) => {
    if (!stroke.active || event.pointerId !== stroke.pointerId) return;
    event.preventDefault();
    if (event.type === "pointerup") lineTo(...point(event));
    stroke.active = false;
    stroke.pointerId = null;
    try { canvas.releasePointerCapture(event.pointerId); } catch (e) { /* released */ }
    setStateValue("image", canvas.toDataURL("image/png"));  // once per stroke
  };
  const clear = (event) => {
    event.preventDefault();
    stroke.active = false;
    stroke.pointerId = null;
    stroke.inked = false;
    blank();
    setStateValue("image", null);
  };

  // Property handlers, not addEventListener: a later call of this function replaces
  // them instead of stacking a second set.
  canvas.onpointerdown = down;
  canvas.onpointermove = move;
  canvas.onpointerup = up;
  canvas.onpointercancel = up;
  canvas.oncontextmenu = (event) => event.preventDefault();
  clearButton.onclick = clear;

  return () => {
    canvas.onpointerdown = null;
    canvas.onpointermove = null;
    canvas.onpointerup = null;
    canvas.onpointercancel = null;
    canvas.oncontextmenu = null;
    clearButton.onclick = null;
  };
}
