"""Turn decoded pixel arrays into PNG/GIF bytes and data URIs for the app and for slides."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, ImageDraw


def to_uint8(img: np.ndarray) -> np.ndarray:
    """Float image in [0, 1] (H, W) -> uint8 (H, W)."""
    return (np.clip(np.asarray(img, dtype=np.float32), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def to_pil(img: np.ndarray, scale: int = 1) -> Image.Image:
    """Grayscale PIL image, enlarged `scale` times with nearest-neighbour (crisp pixels)."""
    pil = Image.fromarray(to_uint8(img), mode="L")
    if scale != 1:
        pil = pil.resize((pil.width * scale, pil.height * scale), Image.Resampling.NEAREST)
    return pil


def png_bytes(img: np.ndarray, scale: int = 1) -> bytes:
    buf = io.BytesIO()
    to_pil(img, scale).save(buf, format="PNG")
    return buf.getvalue()


def png_data_uri(img: np.ndarray, scale: int = 1) -> str:
    """'data:image/png;base64,...' for embedding in a Plotly figure or HTML."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(img, scale)).decode("ascii")


def gif_bytes(
    frames: np.ndarray, frame_ms: int = 80, scale: int = 4, progress_bar: bool = True
) -> bytes:
    """Animated GIF of frames (T, H, W) in [0, 1], looping forever.

    With `progress_bar`, a thin bar along the bottom shows t = i / (T - 1); it also keeps
    every frame distinct, so GIF encoders never merge two equal frames into one.
    """
    images = [
        _with_bar(to_pil(f, scale), i, len(frames)) if progress_bar else to_pil(f, scale)
        for i, f in enumerate(frames)
    ]
    buf = io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=frame_ms,
        loop=0,
        optimize=False,
        disposal=1,
    )
    return buf.getvalue()


def _with_bar(img: Image.Image, i: int, n: int) -> Image.Image:
    out = img.copy()
    width = round((out.width - 1) * i / max(n - 1, 1))
    ImageDraw.Draw(out).rectangle([0, out.height - 3, width, out.height - 1], fill=160)
    return out
