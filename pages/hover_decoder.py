"""Hover decoder: move the mouse over a 2-D latent plane and watch p(x|z) decode at
display rate, in the browser, with no round trip to the server.

Not a page: pages import it (`from pages.hover_decoder import hover_decoder`).

    view = latentviews.latent_view(name, "latent")
    decoder = checkpoint_decoder(resolve(name), load=model)  # no torch on a disk-cache hit
    clicked = hover_decoder(decoder, view.bounds(), view.coords, labels, key="map.hover",
                            pinned=state["xy"])
    if clicked is not None:
        state.set("xy", tuple(clicked["z"]))

How it works. The decoder MLP (vae-2d: 2 -> 256 -> 512 -> 1024 -> 784, 5.8 MB of float32)
and the encoded points go to the page as one binary container (explorer.webdecoder.pack,
raw bytes, no JSON) and the decoder runs in JavaScript: every pointermove asks for an
animation frame, and each frame decodes the latest z once (under a millisecond) and paints
the 28 x 28 result. Only a click talks to Python.

A Streamlit custom component (`st.components.v2.component`, JS/CSS in
pages/hover_decoder/) mounted twice, inside one gap-less container:
  * a "store" instance whose data is the container's bytes (the JS receives a Uint8Array).
    They are the same on every rerun for a model, so Streamlit's message cache sends them
    to the browser once and later reruns send only a reference (messages over 10 kB are
    cached by hash);
  * a "view" instance with the small, changing data: bounds, the pinned point, texts.
    A click calls `setTriggerValue("pin", {"z": [z1, z2]})`, which reruns the script
    once; `hover_decoder` returns that dict in that run and None otherwise.
On the Python side the decoder is exported from torch once per checkpoint content and kept
in the disk cache (`explorer.webdecoder.cached_decoder`), so a later process turns live
hover on without importing torch or loading the model; in memory, decoders and containers
are kept per checkpoint file (path, mtime, size) and points.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from explorer.figures import DIGIT_COLORS
from explorer.webdecoder import WebDecoder, cached_decoder, export_decoder, pack, unpack
from pages import checkpoints, language
from pages.texts.hover_decoder import CATALOG

COMPONENT_NAME = "vae_explorer_hover_decoder"
ASSETS = Path(__file__).with_suffix("")  # pages/hover_decoder/: the JS and CSS
MAX_POINTS = 20_000  # more encoded points than this are thinned (evenly) for the page
_CACHE_SIZE = 8

_mount = st.components.v2.component(
    COMPONENT_NAME,
    css=(ASSETS / "hover_decoder.css").read_text(encoding="utf-8"),
    js=(ASSETS / "hover_decoder.js").read_text(encoding="utf-8"),
)

# ---------------------------------------------------------------- decoder caches
_decoders: OrderedDict[tuple, WebDecoder] = OrderedDict()  # checkpoint or model -> decoder
_stores: OrderedDict[tuple, tuple[str, bytes]] = OrderedDict()  # -> (container id, bytes)


def _remember(cache: OrderedDict, key: tuple, value):
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return value


def _recall(cache: OrderedDict, key: tuple):
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    return None


def checkpoint_decoder(path: str | Path, load: Callable[[], Any]) -> WebDecoder:
    """The decoder of checkpoint `path` for the browser: from memory, else from the disk
    cache by the file's content (20 ms to hash it, no torch), else exported from `load()`,
    the model of that checkpoint, and stored on disk."""
    key = ("file", *checkpoints.file_key(path))
    decoder = _recall(_decoders, key)
    if decoder is None:
        decoder, _ = cached_decoder(
            checkpoints.checkpoint_digest(path), lambda: export_decoder(load())
        )  # the digest the pages' other disk caches use, hashed once per file version
        _remember(_decoders, key, decoder)
    return decoder


def model_decoder(model) -> WebDecoder:
    """The decoder of a model already loaded, exported once per checkpoint file (path,
    mtime, size) or, for a model built in memory, per model object (the entry is dropped
    when the model is freed). Memory only: the model may no longer match its file, so
    only `checkpoint_decoder`, which loads the file it hashed, writes the disk cache."""
    path = getattr(model, "checkpoint_path", None)
    if path is not None and Path(path).is_file():
        key = ("file", *checkpoints.file_key(path))
    else:
        key = ("object", id(model))
    decoder = _recall(_decoders, key)
    if decoder is None:
        decoder = _remember(_decoders, key, export_decoder(model))
        if key[0] == "object":
            weakref.finalize(model, _decoders.pop, key, None)
    return decoder


def _store_data(decoder: WebDecoder, points: np.ndarray, labels: np.ndarray) -> tuple[str, bytes]:
    """(id, bytes) of the store instance's container: weights, points, labels (cached)."""
    digest = hashlib.sha1(points.tobytes())
    digest.update(labels.tobytes())
    key = (decoder.digest, digest.hexdigest())
    store = _recall(_stores, key)
    if store is None:
        blob = pack(decoder, points, labels)
        store = _remember(_stores, key, (unpack(blob).header["id"], blob))
    return store


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
    decoder,
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
    decoder : WebDecoder or Autoencoder
        The decoder to run (e.g. from `checkpoint_decoder`), or a model whose decoder is
        exported (`model_decoder`). It must take 2-D z and be a plain Linear/ReLU MLP.
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
    if not isinstance(decoder, WebDecoder):
        config = getattr(decoder, "config", None)
        if int(getattr(config, "latent_dim", 2)) != 2:  # refused before exporting it
            raise ValueError("the hover decoder needs a model with a 2-D latent space")
        decoder = model_decoder(decoder)
    if decoder.latent_dim != 2:
        raise ValueError("the hover decoder needs a model with a 2-D latent space")
    lo, hi = square_bounds(bounds)
    pts, lab, has_labels = _points_and_labels(points, labels)
    store_id, blob = _store_data(decoder, pts, lab)
    t = language.translator(CATALOG)
    pin = None
    if pinned is not None:
        pin = [float(v) for v in np.asarray(pinned, dtype=np.float64).ravel()[:2]]
        if len(pin) != 2 or not np.isfinite(pin).all():
            pin = None
    # Tuples, not lists or dicts: Streamlit checks every other top-level value of a dict
    # for a dataframe, which imports pandas (0.6 s) the first time. The JS sees arrays.
    view = {
        "role": "view",
        "store": store_id,
        "bounds": (tuple(lo), tuple(hi)),
        "pinned": None if pin is None else tuple(pin),
        "size": int(size_px),
        "digit_size": int(digit_px),
        "colors": tuple(DIGIT_COLORS) if has_labels else ("#7F7F7F",),
        "legend": has_labels,
        "texts": tuple((k, t(k)) for k in CATALOG),  # (key, text) pairs
    }
    with st.container(gap=None):
        _mount(key=f"{key}-weights", data=blob)  # raw bytes: a Uint8Array in the JS
        result = _mount(key=key, data=view, on_pin_change=lambda: None)
    return _clicked(result.get("pin"))
