"""A "draw your own digit" canvas: a Streamlit custom component (components v2).

Not a page: pages import it (`from pages.drawing_canvas import drawing_canvas`).

    img = drawing_canvas("my_digit")  # (280, 280) float32 in [0, 1], or None
    if img is not None:
        st.image(img)

How it works (st.components.v2, Streamlit >= 1.5x): `st.components.v2.component(name,
html=, css=, js=)` registers the component once, at import, and returns a mount function.
The frontend puts the HTML/CSS straight into the page (in a shadow root, no iframe), imports
the JS as an ES module and calls its default export with `{parentElement, data, key, name,
setStateValue, setTriggerValue}`. The export may return a cleanup function. Here the JS
draws white ink on a black <canvas> with pointer events (mouse, touch and pen) and, when
a stroke ends, calls `setStateValue("image", canvas.toDataURL())`. That reruns the script,
and the mount call returns the state as `result.image` (kept across reruns). "Clear" sets
it to null. Python decodes the PNG data URL with PIL (`decode_drawing`), and any bad
payload comes back as None.

The current image goes back to the browser in `data`, so a remounted component (for example
after the layout around it changed) can draw it again. While the canvas stays mounted, the
JS ignores it, because the canvas already shows it.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from explorer.texts.drawing_canvas import CATALOG
from pages import language

COMPONENT_NAME = "vae_explorer_drawing_canvas"
STATE_KEY = "image"  # the component state holding the PNG data URL (or None)
PNG_PREFIX = "data:image/png;base64,"
MAX_PAYLOAD_CHARS = 8_000_000  # a 280 x 280 drawing is a few kB; refuse anything huge
MAX_SIDE = 4096  # refuse decoding images larger than this on a side

_HTML = """
<div class="dc-root">
  <canvas class="dc-canvas" aria-label="Drawing area: draw a digit"></canvas>
  <div class="dc-bar">
    <button type="button" class="dc-clear">Clear</button>
    <span class="dc-hint">Draw a digit with the mouse or a finger</span>
  </div>
</div>
"""

_CSS = """
.dc-root {
  display: flex;
  flex-direction: column;
  align-items: flex-start;
  gap: 0.6rem;
  font-family: var(--st-font, sans-serif);
  color: var(--st-text-color, inherit);
}
.dc-canvas {
  display: block;
  max-width: 100%;
  aspect-ratio: 1 / 1;
  background: #000;
  border: 3px solid var(--st-border-color, #888);
  border-radius: var(--st-base-radius, 0.5rem);
  box-sizing: border-box;
  touch-action: none;  /* a finger draws instead of scrolling the page */
  cursor: crosshair;
  user-select: none;
  -webkit-user-select: none;
}
.dc-bar {
  display: flex;
  align-items: center;
  gap: 1rem;
  flex-wrap: wrap;
}
.dc-clear {
  font: inherit;
  font-size: 1.15rem;
  font-weight: 600;
  min-height: 2.75rem;
  padding: 0.45rem 1.6rem;
  color: var(--st-text-color, inherit);
  background: var(--st-secondary-background-color, #eee);
  border: 2px solid var(--st-border-color, #888);
  border-radius: var(--st-button-radius, var(--st-base-radius, 0.5rem));
  cursor: pointer;
}
.dc-clear:hover, .dc-clear:focus-visible {
  border-color: var(--st-primary-color, #f63);
  color: var(--st-primary-color, #f63);
}
.dc-hint {
  opacity: 0.7;
  font-size: 0.95rem;
}
"""

_JS = """
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
"""

_mount = st.components.v2.component(COMPONENT_NAME, html=_HTML, css=_CSS, js=_JS)


def decode_drawing(payload: Any, size: int = 280) -> np.ndarray | None:
    """A "data:image/png;base64,..." string -> (size, size) float32 grayscale in [0, 1]
    (ink = 1), or None when the payload is missing, malformed, or has no ink at all.

    Never raises: whatever the browser sent, the page shows no exception. Transparent
    pixels count as black background; an image of another size is resized to `size`.
    """
    if not isinstance(payload, str) or not payload.startswith(PNG_PREFIX):
        return None
    if len(payload) > MAX_PAYLOAD_CHARS:
        return None
    try:
        raw = base64.b64decode(payload[len(PNG_PREFIX) :], validate=True)
        with Image.open(io.BytesIO(raw)) as im:
            if im.format != "PNG":
                return None
            width, height = im.size
            if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                return None
            im.load()
            if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
                rgba = im.convert("RGBA")
                black = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
                gray = Image.alpha_composite(black, rgba).convert("L")
            else:
                gray = im.convert("L")
        if gray.size != (size, size):
            gray = gray.resize((size, size), Image.Resampling.BILINEAR)
        img = np.asarray(gray, dtype=np.float32) / 255.0
    except Exception:  # binascii.Error, OSError, ...: PIL can raise a lot on hostile bytes
        return None
    if not np.isfinite(img).all() or img.max() <= 0.0:
        return None
    return img


def drawing_canvas(
    key: str, size: int = 280, stroke_width: int = 18, height: int | None = None
) -> np.ndarray | None:
    """Show a black drawing canvas with white round strokes and a "Clear" button.

    Returns what is drawn as a (size, size) float32 grayscale array in [0, 1] (white ink
    = 1 on black = 0), or None while nothing is drawn and after "Clear". The drawing is
    sent to Python when a stroke ends and is kept across reruns (component state under
    `key`).

    Parameters
    ----------
    key : str
        Unique widget key; the drawing survives reruns under it.
    size : int
        Side of the canvas in canvas pixels, which is also the side of the returned array.
    stroke_width : int
        Pen width in canvas pixels (18 on 280 gives MNIST-like strokes after a 10x
        downscale to 28 x 28).
    height : int or None
        Side of the drawing square on screen, in CSS pixels (default: `size`). Use a
        larger value for a projector; it shrinks to fit a narrower column.
    """
    t = language.translator(CATALOG)
    size = max(8, int(size))
    display = max(8, int(height)) if height is not None else size
    try:  # the drawing Python already has, for a remounted canvas to show again
        previous = st.session_state.get(key)
        saved = previous.get(STATE_KEY) if isinstance(previous, dict) else None
    except Exception:
        saved = None
    result = _mount(
        key=key,
        data={
            "size": size,
            "stroke_width": max(1, int(stroke_width)),
            "display": display,
            "image": saved if isinstance(saved, str) else None,
            "labels": {k: t(k) for k in CATALOG},
        },
        default={STATE_KEY: None},
        on_image_change=lambda: None,
    )
    return decode_drawing(result.get(STATE_KEY), size)
