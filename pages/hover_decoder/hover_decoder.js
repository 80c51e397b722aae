// Hover decoder: run the VAE decoder p(x|z) in the page on every animation frame.
//
// One component, mounted twice by pages/hover_decoder.py:
//   * role "store": data = raw bytes (a Uint8Array), the container of explorer/webdecoder.py
//     `pack`: the decoder's weights and the encoded points. Its data never changes for a
//     model, so Streamlit sends it once (its message cache turns later copies into a
//     reference). The weights are unpacked into `stores` below and nothing is drawn.
//   * role "view": data = {store, bounds, pinned, size, texts ([key, text] pairs), colors}:
//     small, changes when the server pins a point. It draws the plane and the decoded digit.
// Both instances import this same module (Streamlit caches the module URL by content),
// so the module-level maps are shared between them.
//
// Streamlit calls the default export again whenever an instance's `data` changes,
// without calling the previous cleanup: every instance keeps its state in `views`,
// keyed by its parent element, and only updates it on later calls.

const stores = new Map(); // store id -> {decoder, points, labels, n}
const waiting = new Map(); // store id -> Set of callbacks run when it arrives
const views = new WeakMap(); // parentElement -> view state
const MAX_STORES = 4; // decoders kept in memory (5.8 MB each for vae-2d)
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAGIC = "VAEXMLP2";
const FORMAT = "vae-explorer/mlp-decoder/2";

// ------------------------------------------------------------------ the container
// Layout (explorer/webdecoder.py): MAGIC (8 bytes), uint32 LE header length H, H bytes of
// JSON header, then per layer W^T float32 (in x out) and b float32 (out), then points
// float32 (n x 2) and labels uint8 (n). Every float32 array starts 4-byte aligned.
function readHeader(bytes) {
  const text = new TextDecoder();
  if (bytes.length < 12 || text.decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error("not a hover decoder container");
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, 12).getUint32(8, true);
  const header = JSON.parse(text.decode(bytes.subarray(12, 12 + n)));
  if (header.format !== FORMAT) throw new Error(`unknown decoder format ${header.format}`);
  return { header, offset: 12 + n };
}

// The arrays of a container. Streamlit hands over a view into its message buffer at any
// byte offset, so the bytes are copied once (a few ms) to give the float32 arrays the
// 4-byte alignment that typed arrays need.
function unpack(bytes) {
  const { header, offset } = readHeader(bytes);
  const buffer = bytes.slice().buffer;
  let at = offset;
  const take = (Type, count) => {
    const size = count * Type.BYTES_PER_ELEMENT;
    if (at + size > buffer.byteLength) throw new Error("truncated decoder container");
    let a;
    if (Type === Uint8Array || LITTLE_ENDIAN) {
      a = new Type(buffer, at, count);
    } else {
      const view = new DataView(buffer, at, size);
      a = new Float32Array(count);
      for (let i = 0; i < count; i++) a[i] = view.getFloat32(4 * i, true);
    }
    at += size;
    return a;
  };
  const layers = header.layers.map(([nIn, nOut], k) => ({
    nIn,
    nOut,
    w: take(Float32Array, nIn * nOut),
    b: take(Float32Array, nOut),
    act: header.activations[k],
  }));
  const n = Number(header.n_points) || 0;
  const points = take(Float32Array, 2 * n);
  const labels = take(Uint8Array, n);
  if (at !== buffer.byteLength) throw new Error("decoder container has trailing bytes");
  return { header, layers, points, labels, n };
}

// The decoder MLP: layers of {nIn, nOut, w: Float32Array (nIn x nOut, row-major, i.e.
// torch's weight transposed), b: Float32Array (nOut), act: "relu" | "sigmoid"}.
// decode(z) returns the output Float32Array (reused between calls).
//
// Precision (explorer/webdecoder.py decode_numpy does exactly the same):
//   acc_j = b_j; for i = 0 .. nIn-1: acc_j += w[i][j] * x_i   (float64 JS numbers)
//   y_j = float32(acc_j), then ReLU, or sigmoid computed in float64 and rounded to float32.
// Inputs that ReLU zeroed are skipped: adding 0 * w leaves acc unchanged, and about half
// the hidden units are zero, so this halves the work.
function makeDecoder(header, layers) {
  const outputs = layers.map((l) => new Float32Array(l.nOut));
  const acc = new Float64Array(Math.max(...layers.map((l) => l.nOut)));
  const input = new Float32Array(header.latent_dim);

  function decode(z) {
    for (let i = 0; i < input.length; i++) input[i] = z[i]; // rounds to float32, as torch
    let x = input;
    for (let k = 0; k < layers.length; k++) {
      const { nIn, nOut, w, b, act } = layers[k];
      const y = outputs[k];
      for (let j = 0; j < nOut; j++) acc[j] = b[j];
      for (let i = 0; i < nIn; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const row = i * nOut;
        for (let j = 0; j < nOut; j++) acc[j] += w[row + j] * xi;
      }
      if (act === "relu") {
        for (let j = 0; j < nOut; j++) y[j] = acc[j] > 0 ? acc[j] : 0; // store rounds
      } else {
        for (let j = 0; j < nOut; j++) y[j] = 1 / (1 + Math.exp(-Math.fround(acc[j])));
      }
      x = y;
    }
    return x;
  }
  return {
    decode,
    latentDim: header.latent_dim,
    shape: header.output_shape,
    digest: header.digest,
    nParams: header.n_params,
  };
}

function keepStore(bytes) {
  const id = String(readHeader(bytes).header.id);
  if (stores.has(id)) {
    const entry = stores.get(id); // refresh its place in the LRU order
    stores.delete(id);
    stores.set(id, entry);
    return;
  }
  const t0 = performance.now();
  const { header, layers, points, labels, n } = unpack(bytes);
  const decoder = makeDecoder(header, layers);
  const unpackMs = performance.now() - t0;
  stores.set(id, { decoder, points, labels, n, bytes: bytes.length, unpackMs });
  while (stores.size > MAX_STORES) stores.delete(stores.keys().next().value);
  const callbacks = waiting.get(id);
  waiting.delete(id);
  callbacks?.forEach((cb) => cb());
}

function whenStored(id, cb) {
  if (stores.has(id)) return cb();
  if (!waiting.has(id)) waiting.set(id, new Set());
  waiting.get(id).add(cb);
}

// ------------------------------------------------------------------ the view
const MARGIN = { left: 46, bottom: 40, top: 12, right: 12 }; // CSS px; left+right = top+bottom

function fmt(v) {
  return (Math.abs(v) < 0.005 ? 0 : v).toFixed(2).replace("-", "\u2212");
}

function niceStep(span) {
  const raw = span / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].find((m) => m * mag >= raw) * mag;
}

function fill(template, values) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
}

function cssVar(el, name, fallback) {
  const v = getComputedStyle(el).getPropertyValue(name).trim();
  return v || fallback;
}

function buildDom(parent) {
  const root = document.createElement("div");
  root.className = "hd-root";
  root.innerHTML = `
    <div class="hd-plane">
      <div class="hd-stack">
        <canvas class="hd-dots"></canvas>
        <canvas class="hd-overlay" tabindex="0"></canvas>
      </div>
      <div class="hd-legend"></div>
    </div>
    <div class="hd-side">
      <canvas class="hd-digit" width="28" height="28" role="img"></canvas>
      <div class="hd-z"></div>
      <div class="hd-pin"></div>
      <div class="hd-hint"></div>
      <div class="hd-stats"></div>
    </div>`;
  parent.appendChild(root);
  const q = (s) => root.querySelector(s);
  return {
    root,
    stack: q(".hd-stack"),
    dots: q(".hd-dots"),
    overlay: q(".hd-overlay"),
    legend: q(".hd-legend"),
    digit: q(".hd-digit"),
    zText: q(".hd-z"),
    pinText: q(".hd-pin"),
    hint: q(".hd-hint"),
    stats: q(".hd-stats"),
  };
}

function createView(parent, setTriggerValue) {
  const dom = buildDom(parent);
  const digitCtx = dom.digit.getContext("2d");
  const image = digitCtx.createImageData(28, 28);
  const v = {
    dom,
    data: null,
    store: null, // the stores entry in use
    lo: [-4, -4],
    span: 8, // the shown square [lo, lo + span]^2 in z
    pinned: null, // [z1, z2] or null
    hoverZ: null, // the point under the pointer (null when the pointer is off the plane)
    shownZ: null, // the z whose decoding is on screen
    pixels: new Float32Array(784),
    pending: null, // z waiting for the next animation frame
    raf: 0,
    cssSize: 0,
    stats: { frames: 0, moves: 0, last: 0, median: 0, max: 0, dotsMs: 0, recent: [] },
    setTriggerValue,
  };

  // --- geometry: CSS pixels inside the overlay canvas <-> latent z
  const area = () => v.cssSize - MARGIN.left - MARGIN.right;
  const toCss = (z) => [
    MARGIN.left + ((z[0] - v.lo[0]) / v.span) * area(),
    MARGIN.top + ((v.lo[1] + v.span - z[1]) / v.span) * area(),
  ];
  const fromEvent = (e) => {
    const rect = dom.overlay.getBoundingClientRect();
    const sx = v.cssSize / rect.width || 1; // CSS transforms/zoom, if any
    const x = (e.clientX - rect.left) * sx - MARGIN.left;
    const y = (e.clientY - rect.top) * sx - MARGIN.top;
    const a = area();
    const fx = Math.min(Math.max(x / a, 0), 1);
    const fy = Math.min(Math.max(y / a, 0), 1);
    // float32, the precision the decoder and torch use for z
    return [Math.fround(v.lo[0] + fx * v.span), Math.fround(v.lo[1] + v.span - fy * v.span)];
  };

  // --- drawing
  function resize() {
    const css = Math.round(dom.stack.clientWidth);
    if (!css) return;
    const dpr = window.devicePixelRatio || 1;
    v.cssSize = css;
    for (const c of [dom.dots, dom.overlay]) {
      c.width = Math.round(css * dpr);
      c.height = Math.round(css * dpr);
    }
    drawDots();
    drawOverlay();
  }

  function drawDots() {
    const c = dom.dots;
    const ctx = c.getContext("2d");
    const dpr = c.width / (v.cssSize || 1);
    const t0 = performance.now();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const a = area();
    if (a <= 0) return;
    const text = cssVar(dom.root, "--st-text-color", "#31333f");
    const font = cssVar(dom.root, "--st-font", "sans-serif");
    // plot area and grid
    ctx.fillStyle = cssVar(dom.root, "--st-background-color", "#fff");
    ctx.fillRect(MARGIN.left, MARGIN.top, a, a);
    const step = niceStep(v.span);
    ctx.strokeStyle = text;
    ctx.fillStyle = text;
    ctx.font = `15px ${font}`;
    ctx.lineWidth = 1;
    for (let axis = 0; axis < 2; axis++) {
      const first = Math.ceil(v.lo[axis] / step) * step;
      for (let t = first; t <= v.lo[axis] + v.span + 1e-9; t += step) {
        const f = (t - v.lo[axis]) / v.span;
        const p = axis === 0 ? MARGIN.left + f * a : MARGIN.top + (1 - f) * a;
        ctx.globalAlpha = Math.abs(t) < 1e-9 ? 0.35 : 0.12; // the axes through z = 0
        ctx.beginPath();
        if (axis === 0) {
          ctx.moveTo(p, MARGIN.top);
          ctx.lineTo(p, MARGIN.top + a);
        } else {
          ctx.moveTo(MARGIN.left, p);
          ctx.lineTo(MARGIN.left + a, p);
        }
        ctx.stroke();
        ctx.globalAlpha = 0.85;
        const label = fmt(t).replace(/\.00$/, "").replace(/(\.\d)0$/, "$1");
        if (axis === 0) {
          ctx.textAlign = "center";
          ctx.textBaseline = "top";
          ctx.fillText(label, p, MARGIN.top + a + 5);
        } else {
          ctx.textAlign = "right";
          ctx.textBaseline = "middle";
          ctx.fillText(label, MARGIN.left - 6, p);
        }
      }
    }
    ctx.globalAlpha = 1;
    ctx.font = `italic 16px ${font}`;
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    ctx.fillText(v.data?.texts?.axis_x ?? "z1", MARGIN.left + a, v.cssSize - 2);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(v.data?.texts?.axis_y ?? "z2", 2, MARGIN.top - 10 > 0 ? MARGIN.top - 10 : 0);
    // the encoded digits: one small square each, coloured by label (10,000 in ~2 ms)
    const s = v.store;
    if (s && s.n) {
      const colors = v.data?.colors ?? [];
      const r = (s.n < 3000 ? 2.2 : 1.5) * Math.min(Math.max(v.cssSize / 440, 0.75), 1.5);
      ctx.save();
      ctx.beginPath();
      ctx.rect(MARGIN.left, MARGIN.top, a, a);
      ctx.clip();
      ctx.globalAlpha = 0.6;
      let current = -1;
      const kx = a / v.span;
      for (let i = 0; i < s.n; i++) {
        const label = s.labels[i];
        if (label !== current) {
          current = label;
          ctx.fillStyle = colors[label % colors.length] ?? "#888";
        }
        const x = MARGIN.left + (s.points[2 * i] - v.lo[0]) * kx;
        const y = MARGIN.top + (v.lo[1] + v.span - s.points[2 * i + 1]) * kx;
        ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
      ctx.restore();
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = cssVar(dom.root, "--st-border-color", "#ccc");
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, a - 1, a - 1);
    v.stats.dotsMs = performance.now() - t0;
    dom.root.dataset.dotsMs = v.stats.dotsMs.toFixed(2);
  }

  function drawOverlay() {
    const c = dom.overlay;
    const ctx = c.getContext("2d");
    const dpr = c.width / (v.cssSize || 1);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const a = area();
    if (a <= 0) return;
    const text = cssVar(dom.root, "--st-text-color", "#31333f");
    if (v.hoverZ) {
      const [x, y] = toCss(v.hoverZ);
      ctx.strokeStyle = text;
      ctx.globalAlpha = 0.45;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, MARGIN.top);
      ctx.lineTo(x, MARGIN.top + a);
      ctx.moveTo(MARGIN.left, y);
      ctx.lineTo(MARGIN.left + a, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, 7, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (v.pinned) {
      const [x, y] = toCss(v.pinned);
      ctx.lineWidth = 3;
      ctx.strokeStyle = "#fff";
      ctx.beginPath();
      ctx.arc(x, y, 9, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = "#000";
      ctx.fillStyle = cssVar(dom.root, "--st-primary-color", "#ff4b4b");
      ctx.beginPath();
      ctx.arc(x, y, 7, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.lineWidth = 1;
  }

  // Decode z and show it: the only work done per animation frame.
  function render(z) {
    const s = v.store;
    if (!s) return;
    const t0 = performance.now();
    const out = s.decoder.decode(z);
    const ms = performance.now() - t0;
    v.pixels.set(out);
    const px = image.data;
    for (let i = 0; i < 784; i++) {
      const p = out[i];
      const g = p <= 0 ? 0 : p >= 1 ? 255 : Math.floor(p * 255 + 0.5); // as explorer.images
      px[4 * i] = g;
      px[4 * i + 1] = g;
      px[4 * i + 2] = g;
      px[4 * i + 3] = 255;
    }
    digitCtx.putImageData(image, 0, 0);
    v.shownZ = [z[0], z[1]];
    const st = v.stats;
    st.frames += 1;
    st.last = ms;
    st.max = Math.max(st.max, ms);
    st.recent.push(ms);
    if (st.recent.length > 60) st.recent.shift();
    // The median of the last 60 frames: steady, and blind to the first, unoptimised calls.
    // (Browsers round performance.now() to 0.1 ms or so, hence not single frames.)
    st.median = [...st.recent].sort((a, b) => a - b)[(st.recent.length - 1) >> 1];
    dom.zText.textContent = `z = (${fmt(z[0])}, ${fmt(z[1])})`;
    dom.stats.textContent = ""; // "loading the decoder..." until the first frame; timings stay in the data set
    const ds = dom.root.dataset;
    ds.z = `${z[0]},${z[1]}`;
    ds.frames = String(st.frames);
    ds.decodeMs = ms.toFixed(3);
    ds.decodeMedianMs = st.median.toFixed(3);
    drawOverlay();
  }

  function frame() {
    v.raf = 0;
    if (v.pending) render(v.pending);
    v.pending = null;
  }

  function request(z) {
    v.pending = z;
    if (!v.raf) v.raf = requestAnimationFrame(frame); // one decode per frame at most
  }

  function showPinText() {
    const texts = v.data?.texts ?? {};
    dom.pinText.textContent = v.pinned
      ? fill(texts.pinned ?? "pinned: z = ({z})", { z: `${fmt(v.pinned[0])}, ${fmt(v.pinned[1])}` })
      : (texts.not_pinned ?? "click to pin a point");
  }

  function pin(z) {
    v.pinned = [z[0], z[1]];
    showPinText();
    request(z);
    v.setTriggerValue("pin", { z: [z[0], z[1]] });
  }

  // --- input: pointer (mouse, pen, touch drag), click/tap to pin, arrow keys + Enter
  const o = dom.overlay;
  const ready = () => v.store && area() > 0;
  const onMove = (e) => {
    if (!ready()) return;
    v.stats.moves += 1;
    v.hoverZ = fromEvent(e);
    request(v.hoverZ);
  };
  const onLeave = () => {
    v.hoverZ = null;
    if (v.pinned) request(v.pinned);
    else drawOverlay();
  };
  const onClick = (e) => {
    if (!ready()) return;
    const z = fromEvent(e);
    v.hoverZ = e.pointerType === "touch" ? null : z;
    pin(z);
  };
  const onKey = (e) => {
    if (!ready()) return;
    const step = v.span / 100;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const base = v.hoverZ ?? v.shownZ ?? v.pinned ?? [v.lo[0] + v.span / 2, v.lo[1] + v.span / 2];
    if (e.key in moves) {
      const [dx, dy] = moves[e.key];
      const clamp = (t, k) => Math.min(Math.max(t, v.lo[k]), v.lo[k] + v.span);
      v.hoverZ = [Math.fround(clamp(base[0] + dx, 0)), Math.fround(clamp(base[1] + dy, 1))];
      request(v.hoverZ);
      e.preventDefault();
    } else if (e.key === "Enter" || e.key === " ") {
      pin(base);
      e.preventDefault();
    }
  };
  o.addEventListener("pointermove", onMove);
  o.addEventListener("pointerdown", onMove);
  o.addEventListener("pointerleave", onLeave);
  o.addEventListener("click", onClick);
  o.addEventListener("keydown", onKey);
  const observer = new ResizeObserver(() => resize());
  observer.observe(dom.stack);

  // For tests and benchmarks: what the page shows, read without touching the canvases.
  dom.root.hoverDecoder = {
    z: () => (v.shownZ ? [...v.shownZ] : null),
    pixels: () => Array.from(v.pixels),
    stats: () => ({ ...v.stats, recent: [...v.stats.recent], unpackMs: v.store?.unpackMs ?? null }),
    clientPoint: (z1, z2) => {
      const rect = o.getBoundingClientRect();
      const [x, y] = toCss([z1, z2]);
      const k = rect.width / (v.cssSize || 1);
      return { x: rect.left + x * k, y: rect.top + y * k };
    },
    // Decode `n` times without drawing: the pure decode cost, in ms per decode.
    benchmark: (n = 200) => {
      if (!v.store) return null;
      const z = [0, 0];
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        z[0] = v.lo[0] + ((i * 0.618) % 1) * v.span;
        z[1] = v.lo[1] + ((i * 0.382) % 1) * v.span;
        v.store.decoder.decode(z);
      }
      return (performance.now() - t0) / n;
    },
  };

  v.update = (received) => {
    const prev = v.data;
    const data = { ...received, texts: Object.fromEntries(received.texts ?? []) }; // pairs
    v.data = data;
    const texts = data.texts ?? {};
    dom.hint.textContent = texts.hint ?? "";
    dom.overlay.setAttribute("aria-label", texts.aria_plane ?? "latent plane");
    dom.digit.setAttribute("aria-label", texts.aria_digit ?? "decoded digit");
    const size = Math.max(160, Number(data.size) || 420);
    dom.stack.style.width = `${size}px`;
    dom.digit.style.width = `${Math.round(Math.max(140, Number(data.digit_size) || 280))}px`;
    const colors = data.colors ?? [];
    dom.legend.replaceChildren(
      ...(data.legend ? colors : []).map((c, d) => {
        const span = document.createElement("span");
        span.className = "hd-key";
        span.style.setProperty("--hd-color", c);
        span.textContent = String(d);
        return span;
      }),
    );
    const b = data.bounds; // [[lo1, lo2], [hi1, hi2]], already square
    v.lo = [Number(b[0][0]), Number(b[0][1])];
    v.span = Math.max(Number(b[1][0]) - v.lo[0], 1e-6);
    const serverPin = Array.isArray(data.pinned) ? [Math.fround(data.pinned[0]), Math.fround(data.pinned[1])] : null;
    const pinChanged =
      !prev || String(serverPin) !== String(prev.pinned ? prev.pinned.map(Math.fround) : null);
    if (pinChanged) v.pinned = serverPin;
    showPinText();
    const start = () => {
      if (v.data !== data) return; // a newer update took over
      const fresh = v.store !== stores.get(data.store);
      v.store = stores.get(data.store);
      dom.root.dataset.ready = "1";
      dom.root.dataset.points = String(v.store.n);
      if (!v.cssSize || fresh || !prev || String(prev.bounds) !== String(data.bounds)) resize();
      else drawOverlay();
      if (!v.hoverZ && (fresh || pinChanged || !v.shownZ)) {
        const inside = (k) => v.lo[k] <= 0 && 0 <= v.lo[k] + v.span;
        const origin = inside(0) && inside(1) ? [0, 0] : [v.lo[0] + v.span / 2, v.lo[1] + v.span / 2];
        request(v.pinned ?? origin); // the prior's mean z = 0 to start with
      }
    };
    if (!stores.has(data.store)) {
      dom.root.dataset.ready = "0";
      dom.stats.textContent = texts.loading ?? "loading the decoder...";
    }
    whenStored(data.store, start);
  };

  v.cleanup = () => {
    observer.disconnect();
    if (v.raf) cancelAnimationFrame(v.raf);
    o.removeEventListener("pointermove", onMove);
    o.removeEventListener("pointerdown", onMove);
    o.removeEventListener("pointerleave", onLeave);
    o.removeEventListener("click", onClick);
    o.removeEventListener("keydown", onKey);
    views.delete(parent);
  };
  return v;
}

export default function ({ parentElement, data, setTriggerValue }) {
  if (ArrayBuffer.isView(data)) {
    // the store instance: raw bytes, a Uint8Array (any typed view is read as its bytes)
    keepStore(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return;
  }
  if (!data || typeof data !== "object") return;
  let v = views.get(parentElement);
  if (!v) {
    v = createView(parentElement, setTriggerValue);
    views.set(parentElement, v);
  }
  v.setTriggerValue = setTriggerValue;
  v.update(data);
  return v.cleanup;
}
