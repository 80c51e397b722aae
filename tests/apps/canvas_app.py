"""A one-canvas app for tests/test_canvas.py: `streamlit run tests/apps/canvas_app.py`."""

import sys
from pathlib import Path

import numpy as np
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pages.drawing_canvas import drawing_canvas  # noqa: E402

st.title("Drawing canvas")
st.button("Rerun")  # an unrelated widget: its click reruns the script
st.session_state.runs = st.session_state.get("runs", 0) + 1
st.caption(f"script run {st.session_state.runs}")
img = drawing_canvas("digit", size=280, stroke_width=18, height=336)
if img is None:
    st.write("nothing drawn")
else:
    ink = img > 0.5
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    st.write(f"ink pixels: {int(ink.sum())}")
    if ink.any():
        st.write(f"ink rows: {rows.min()}-{rows.max()}, ink columns: {cols.min()}-{cols.max()}")
    st.image(img, caption="what Python received", width=140)
