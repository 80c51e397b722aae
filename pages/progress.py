"""A progress bar that polls background work and reruns the page when it is done."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st


@st.fragment(run_every=1.0)
def progress_until(done: Callable[[], bool], reading: Callable[[], tuple[float, str]]) -> None:
    """A progress bar of background work, redrawn every second: `reading()` gives
    (fraction, text). Once `done()`, the whole page reruns (and draws the result)."""
    if done():
        st.rerun()
    fraction, text = reading()
    st.progress(min(max(fraction, 0.0), 1.0), text=text)
