"""The numbers behind the pages' lessons (explorer.lessons), computed once per checkpoint
and process and shared by every session: a page calls these and shows the result.

Each function takes a checkpoint name; the cache key is the checkpoint's content stamp
(`shared.checkpoint_key`), so a replaced checkpoint is measured again.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import lessons
from pages import shared


def _images() -> np.ndarray:
    return shared.test_digits().images.numpy()[:, 0]


@st.cache_resource(show_spinner=False, max_entries=16)
def _errors(key: tuple, name: str) -> np.ndarray:
    return lessons.recon_errors(shared.model(name), _images())


def recon_errors(name: str) -> np.ndarray:
    """||x - x_hat||^2 of every test digit under model `name`: (N,)."""
    return _errors(shared.checkpoint_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=16)
def _own_class(key: tuple, name: str) -> lessons.OwnClass:
    return lessons.own_class_rate(
        shared.model(name), shared.classifier(), _images(), shared.test_labels()
    )


def own_class(name: str) -> lessons.OwnClass:
    """How often model `name` reconstructs a test digit as its own class."""
    return _own_class(shared.checkpoint_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=16)
def _pair(key: tuple, name: str, a: int, b: int) -> tuple[int, int]:
    i, j, _ = lessons.default_pair(
        shared.model(name),
        shared.classifier(),
        shared.test_latents(name),
        shared.test_labels(),
        recon_errors(name),
        a,
        b,
    )
    return i, j


def default_pair(name: str, a: int = 6, b: int = 4) -> tuple[int, int]:
    """The interpolation's default test digits (a typical a and b whose path reads a -> b
    cleanly, when there is one): `explorer.lessons.default_pair`."""
    return _pair(shared.checkpoint_key(name), name, a, b)
