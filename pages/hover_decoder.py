"""Hover decoder: move the mouse over a 2-D latent plane and watch p(x|z) decode at
display rate, in the browser, with no round trip to the server.

Not a page: pages import it (`from pages.hover_decoder import hover_decoder`).

    view = shared.latent_view(name, "latent")
    clicked = hover_decoder(model, view.bounds(), view.coords, labels, key="map.hover",
                            pinned=state["xy"])
    if clicked is not None:
        state.set("xy", tuple(clicked["z"]))

How it works. The decoder MLP (2 -> 256 -> 512 -> 784, 2.1 MB of float32) is shipped to the
page as base64 (explorer.webdecoder.decoder_payload) and runs in JavaScript: every
pointermove asks for an animation frame, and each frame decodes the latest z once (about
half a millisecond) and paints the 28 x 28 result. Only a click talks to Python.

A Streamlit custom component (`st.components.v2.component`, JS/CSS in
pages/hover_decoder/) mounted twice, inside one gap-less container:
  * a "store" instance whose data is the weights and the encoded points. Its data is the same
    on every rerun for a model, so Streamlit's message cache sends it to the browser once
    and later reruns send only a reference to it (messages over 10 kB are cached by hash);
  * a "view" instance with the small, changing data: bounds, the pinned point, texts.
    A click calls `setTriggerValue("pin", {"z": [z1, z2]})`, which reruns the script
    once; `hover_decoder` returns that dict in that run and None otherwise.
On the Python side the payload is built once per checkpoint file (path, mtime, size).
"""

from __future__ import annotations

import base64
import hashlib
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from explorer.figures import DIGIT_COLORS
from explorer.texts.hover_decoder import CATALOG
from explorer.webdecoder import decoder_payload
from pages import shared

COMPONENT_NAME = "vae_explorer_hover_decoder"
ASSETS = Path(__file__).with_suffix("")  # pages/hover_decoder/: the JS and CSS
MAX_POINTS = 20_000  # more encoded points than this are thinned (evenly) for the page
_CACHE_SIZE = 8

_mount = st.components.v2.component(
    COMPONENT_NAME,
    css=(ASSETS / "hover_decoder.css").read_text(encoding="utf-8"),
    js=(ASSETS / "hover_decoder.js").read_text(encoding="utf-8"),
)

# ---------------------------------------------------------------- payload caches
_payloads: OrderedDict[tuple, dict] = OrderedDict()  # model key -> decoder_payload
_stores: OrderedDict[tuple, dict] = OrderedDict()  # (model key, points digest) -> store data


def _remember(cache: OrderedDict, key: tuple, value: dict) -> dict:
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return value


def _model_key(model) -> tuple:
    """Identity of a model's weights: its checkpoint file (path, mtime, size), or, for a
    model built in memory, the object itself (the entry is dropped when it is freed)."""
    path = getattr(model, "checkpoint_path", None)
    if path is not None and Path(path).is_file():
        stat = Path(path).stat()
        return ("file", str(path), stat.st_mtime_ns, stat.st_size)
    key = ("object", id(model))
    if key not in _payloads:
        weakref.finalize(model, _payloads.pop, key, None)
    return key


def cached_payload(model) -> dict:
    """`decoder_payload(model)`, built once per checkpoint file (20 ms, 2.9 MB of text)."""
    key = _model_key(model)
    if key in _payloads:
        _payloads.move_to_end(key)
        return _payloads[key]
    return _remember(_payloads, key, decoder_payload(model))


def _store_data(model, points: np.ndarray, labels: np.ndarray) -> dict:
    """The static data of the store instance: weights, points, labels (cached)."""
    digest = hashlib.sha1(points.tobytes())
    digest.update(labels.tobytes())
    key = (_model_key(model), digest.hexdigest())
    if key in _stores:
        _stores.move_to_end(key)
        return _stores[key]
    payload = cached_payload(model)
    data = {
        "role": "store",
        "id": f"{payload['digest'][:16]}-{digest.hexdigest()[:12]}",
        "decoder": payload,
        "n_points": len(points),
        "points": base64.b64encode(points.astype("<f4").tobytes()).decode("ascii"),
        "labels": base64.b64encode(labels.tobytes()).decode("ascii"),
    }
    return _remember(_stores, key, data)


# ---------------------------------------------------------------- inputs
def square_bounds(bounds) -> tuple[list[float], list[float]]:
    """(lo, hi), scalars or per-axis pairs -> the smallest square box around them, so one
    unit of z1 and of z2 take the same length on screen (distances in z stay honest)."""
    lo, hi = (np.broadcast_to(np.asarray(b, dtype=np.float64), (2,)) for b in bounds)
    if not (np.isfinite(lo).all() and np.isfinite(hi).all() and (hi > lo).all()):
        raise ValueError(f"bounds must be finite with hi > lo, got {bounds!r}")
    centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2
    return (centre - half).tolist(), (centre + half).tolist()


def _points_and_labels(points, labels) -> tuple[np.ndarray, np.ndarray, bool]:
    """Float32 (N, 2) points, uint8 labels, and whether the labels are digits to colour."""
    if points is None:
        return np.zeros((0, 2), np.float32), np.zeros(0, np.uint8), False
    pts = np.asarray(points, dtype=np.float32)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"points must be (N, 2), got {pts.shape}")
    has_labels = labels is not None
    lab = np.asarray(labels).astype(np.int64).ravel() if has_labels else np.zeros(len(pts), int)
    if len(lab) != len(pts):
        raise ValueError(f"{len(pts)} points but {len(lab)} labels")
    keep = np.isfinite(pts).all(axis=1)
    if len(pts) > MAX_POINTS:  # thin evenly, keeping the order (a sample of every class)
        keep &= np.isin(np.arange(len(pts)), np.linspace(0, len(pts) - 1, MAX_POINTS, dtype=int))
    pts, lab = pts[keep], lab[keep]
    return np.ascontiguousarray(pts), np.clip(lab, 0, 255).astype(np.uint8), has_labels


def _clicked(value: Any) -> dict | None:
    """The JS click payload {"z": [z1, z2]} -> the same with plain finite floats, else None."""
    z = value.get("z") if isinstance(value, dict) else None
    if not isinstance(z, (list, tuple)) or len(z) != 2:
        return None
    try:
        z1, z2 = float(z[0]), float(z[1])
    except (TypeError, ValueError):
        return None
    if not (np.isfinite(z1) and np.isfinite(z2)):
        return None
    return {"z": [z1, z2]}


# ---------------------------------------------------------------- the component
def hover_decoder(
    model,
    bounds: tuple,
    points: np.ndarray | None,
    labels: np.ndarray | None,
    key: str,
    size_px: int = 440,
    digit_px: int = 280,
    pinned: tuple[float, float] | None = None,
) -> dict | None:
    """Show the latent plane with the encoded points and, beside it, the digit the decoder
    draws under the pointer, decoded in the browser on every animation frame.

    Parameters
    ----------
    model : Autoencoder
        A model with a 2-D latent space and a plain Linear/ReLU decoder.
    bounds : (lo, hi)
        The part of the plane to show; scalars or per-axis pairs (e.g. `view.bounds()`).
        Widened to a square so both axes share one scale.
    points, labels : (N, 2) array and (N,) digit labels, or None
        The encoded test digits, drawn as small dots coloured by `DIGIT_COLORS`.
    key : str
        Unique component key (two mounts are made: `key` and `key + "-weights"`).
    size_px, digit_px : int
        Sides of the plane and of the enlarged 28 x 28 digit, in CSS pixels.
    pinned : (z1, z2) or None
        The pinned point to mark (e.g. from the page state or the URL).

    Returns
    -------
    {"z": [z1, z2]} in the run that follows a click on the plane (the point pinned), else
    None. Moving the pointer never reruns the script.
    """
    if int(getattr(model.config, "latent_dim", 0)) != 2:
        raise ValueError("the hover decoder needs a model with a 2-D latent space")
    lo, hi = square_bounds(bounds)
    pts, lab, has_labels = _points_and_labels(points, labels)
    store = _store_data(model, pts, lab)
    t = shared.translator(CATALOG)
    pin = None
    if pinned is not None:
        pin = [float(v) for v in np.asarray(pinned, dtype=np.float64).ravel()[:2]]
        if len(pin) != 2 or not np.isfinite(pin).all():
            pin = None
    view = {
        "role": "view",
        "store": store["id"],
        "bounds": [lo, hi],
        "pinned": pin,
        "size": int(size_px),
        "digit_size": int(digit_px),
        "colors": list(DIGIT_COLORS) if has_labels else ["#7F7F7F"],
        "legend": has_labels,
        "texts": {k: t(k) for k in CATALOG},
    }
    with st.container(gap=None):
        _mount(key=f"{key}-weights", data=store)
        result = _mount(key=key, data=view, on_pin_change=lambda: None)
    return _clicked(result.get("pin"))
