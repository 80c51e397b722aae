"""Plotly figures built once per key and language, and the charts' shared config."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from pages.language import lang


@st.cache_resource(show_spinner=False, max_entries=512)  # e.g. 4 per digit of 64 on exact
def _figure(key: tuple, _build: Callable[[], Any]) -> Any:
    from explorer.figures import sent_as  # a cached figure is never changed: its dict once

    return sent_as(_build())


def cached_figure(key: tuple, build: Callable[[], Any]) -> Any:
    """`build()` (a Plotly figure) once per key and language: Plotly spends tens to hundreds
    of ms validating a figure, and a rerun that changes something else need not pay it.
    The key must name everything the figure shows (checkpoints, digit, settings)."""
    return _figure((*key, lang()), build)


# Plotly charts: no logo; the camera button saves a 2x PNG for slides.
PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
