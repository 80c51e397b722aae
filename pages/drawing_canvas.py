"""A "draw your own digit" canvas: a Streamlit custom component (components v2).

Not a page: pages import it (`from pages.drawing_canvas import drawing_canvas`). Its HTML,
CSS and JS sit in `pages/drawing_canvas/`, as the hover decoder's sit in `pages/hover_decoder/`.

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
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from pages import language
from pages.texts.drawing_canvas import CATALOG

COMPONENT_NAME = "vae_explorer_drawing_canvas"
ASSETS = Path(__file__).with_suffix("")  # pages/drawing_canvas/: the HTML, CSS and JS
STATE_KEY = "image"  # the component state holding the PNG data URL (or None)
PNG_PREFIX = "data:image/png;base64,"
MAX_PAYLOAD_CHARS = 8_000_000  # a 280 x 280 drawing is a few kB; refuse anything huge
MAX_SIDE = 4096  # refuse decoding images larger than this on a side


_mount = st.components.v2.component(
    COMPONENT_NAME,
    html=(ASSETS / "drawing_canvas.html").read_text(encoding="utf-8"),
    css=(ASSETS / "drawing_canvas.css").read_text(encoding="utf-8"),
    js=(ASSETS / "drawing_canvas.js").read_text(encoding="utf-8"),
)


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
