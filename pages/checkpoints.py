"""Checkpoints as the pages use them: loaded once per file version, cache keys,
one-line errors, the digit classifier, the live hover decoder's disk cache.

Importing this module does not import torch."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from explorer import checkpoint_paths
from explorer.diskcache import file_digest
from pages.language import translator
from pages.testset import test_arrays
from pages.texts.common import CATALOG as COMMON


def file_stamp(path: Path) -> tuple[int, int]:
    """Cache key part that changes when a checkpoint file is replaced."""
    st_ = path.stat()
    return st_.st_mtime_ns, st_.st_size


@st.cache_resource(show_spinner=False, max_entries=16)
def load_checkpoint(path: str, stamp: tuple[int, int]):
    from explorer.checkpoint import load_model_and_info

    return load_model_and_info(path)


def load_cached_model(path: str, stamp: tuple[int, int]):
    return load_checkpoint(path, stamp)[0]


def checkpoint_key(name: str) -> tuple[str, int, int]:
    """A checkpoint as a cache key: its path, modification time and size, so a cache entry
    is dropped when the file is replaced."""
    return file_key(checkpoint_paths.resolve(name))


def file_key(path: str | Path) -> tuple[str, int, int]:
    """`checkpoint_key` of a checkpoint file given by its path ((path, 0, 0) if missing)."""
    path = Path(path)
    return (str(path), *file_stamp(path)) if path.exists() else (str(path), 0, 0)


def model_key(name: str) -> tuple[str, int, int, str]:
    """A checkpoint and the test data as an in-memory cache key: `checkpoint_key` and the
    data source (what a page's numbers on the test digits depend on)."""
    return (*checkpoint_key(name), test_arrays().source)


def content_key(name: str) -> str:
    """A checkpoint and the test data as a disk-cache key: the file's content digest, the
    data source and its size (what every number measured on the test split depends on)."""
    path = checkpoint_paths.resolve(name)
    arrays = test_arrays()
    return f"{digest_of(str(path), file_stamp(path))}-{arrays.source}-test{len(arrays)}"


def load_error(name: str) -> str | None:
    """Why checkpoint `name` cannot be used, or None if it loads."""
    from explorer.checkpoint import CheckpointError

    path = checkpoint_paths.resolve(name)
    try:
        load_checkpoint(str(path), file_stamp(path) if path.exists() else (0, 0))
    except CheckpointError as exc:
        return str(exc)
    return None


def model(name: str):
    """The checkpoint's model, or None after showing a one-line error on the page."""
    error = load_error(name)
    if error:
        st.error(translator(COMMON)("model_unusable", name=name, error=error))
        return None
    path = checkpoint_paths.resolve(name)
    return load_cached_model(str(path), file_stamp(path))


def model_info(name: str) -> dict[str, Any]:
    """The checkpoint's config, history, metrics and snapshots (no weights)."""
    path = checkpoint_paths.resolve(name)
    return load_checkpoint(str(path), file_stamp(path))[1]


def fill_hover_cache(digest: str, load: Callable[[], Any]) -> None:
    """Put the live hover decoder of the checkpoint with content `digest` in the disk
    cache, unless it is there: `load()` gives its model (called only on a miss). A model
    that is not 2-D, or a decoder the browser cannot run, is left out (live hover says why)."""
    from explorer.webdecoder import cached_decoder, export_decoder

    def export():
        model = load()
        if model.config.latent_dim != 2:
            raise ValueError("no live hover decoder above 2-D")
        return export_decoder(model)

    with contextlib.suppress(ValueError):
        cached_decoder(digest, export)


@st.cache_resource(show_spinner=False)
def classifier():
    """The committed digit classifier (checkpoints/classifier.pt), loaded once per process."""
    from explorer.classifier import load_classifier

    return load_classifier()


@st.cache_resource(show_spinner=False, max_entries=16)
def digest_of(path: str, stamp: tuple[int, int]) -> str:
    """Content digest of a checkpoint file, the key of its disk caches."""
    return file_digest(path)


def checkpoint_digest(path: str | Path) -> str:
    """Content digest of a checkpoint file, the key of its disk caches: hashed once per
    version of the file and process."""
    return digest_of(str(path), file_stamp(Path(path)))
