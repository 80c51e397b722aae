"""Work done ahead of the first click: torch and the page's model loaded in the
background, and the heap frozen out of the garbage collector's walks."""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading

import streamlit as st

from explorer import checkpoint_paths
from pages.checkpoints import checkpoint_digest, file_stamp, fill_hover_cache, load_cached_model

log = logging.getLogger(__name__)


# Seconds after a run before torch is imported in the background. Meanwhile the browser
# fetches Plotly's 4.7 MB script (served by this process) and draws the latent map; an
# import of torch then (1-2 s of one core, holding the GIL) delays the map by 0.3-0.5 s.
WARM_UP_DELAY_S = 2.0


def warm_up_torch(delay: float = WARM_UP_DELAY_S, name: str | None = None) -> None:
    """Import torch in a background thread, once per process, `delay` seconds from now,
    and load model `name` into the cache the pages read, so that the first click on the
    latent map (or the manifold overlay) need not wait for either; then, for a 2-D model
    whose live hover decoder is not in the disk cache yet (a new machine: its map came
    from the facts shipped beside the checkpoint), export that decoder to the cache, so
    that switching live hover on needs no torch either."""
    if "torch" not in sys.modules:
        _warm_up(delay, name)


@st.cache_resource(show_spinner=False)
def _warm_up(delay: float, name: str | None = None) -> threading.Timer:
    timer = threading.Timer(delay, _warm, args=(name,))
    timer.daemon = True
    timer.start()
    return timer


def _warm(name: str | None) -> None:
    importlib.import_module("torch")
    if name is None:
        return
    path = checkpoint_paths.resolve(name)
    try:  # st.cache_resource works outside a script run: this is the cache pages read
        model = load_cached_model(str(path), file_stamp(path))
        fill_hover_cache(checkpoint_digest(path), lambda: model)
    except Exception as exc:  # unusable: the page says so when asked
        log.info("Model %s not loaded ahead: %s", name, exc)
    freeze_heap()


_MODULES_AT_FREEZE = [0]  # len(sys.modules) when the heap was last frozen


_FREEZE_LOCK = threading.Lock()


def freeze_heap() -> None:
    """Move everything alive now out of the garbage collector's reach (`gc.freeze`) when
    modules were imported since the last time: after the warm-up (torch, the model) and
    after a page's first visit (its modules, Plotly's validators). A full collection then
    walks only newer objects: on vae-2d's reparameterization page one took 185 ms
    unfrozen and 15 ms frozen, a click's whole budget. Frozen objects are still freed by
    reference counting; only cycles among them stay."""
    with _FREEZE_LOCK:
        if len(sys.modules) != _MODULES_AT_FREEZE[0]:
            gc.freeze()
            _MODULES_AT_FREEZE[0] = len(sys.modules)
