"""A one-component app for tests/test_hover_decoder.py: `streamlit run tests/apps/hover_app.py`.

The vae-2d (or ae-2d) decoder runs in the browser over the plane of its encoded test
digits; a click pins a point, and the app writes the z it received. `?repeat=10` shows every encoded
point 10 times (jittered), to time the dots layer at 10,000 points offline.
"""

import sys
from pathlib import Path

import numpy as np
import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explorer import load_model  # noqa: E402
from explorer.data import load_digits  # noqa: E402
from explorer.manifold import data_range  # noqa: E402
from explorer.metrics import encode_means  # noqa: E402
from pages.hover_decoder import hover_decoder  # noqa: E402

st.set_page_config(page_title="Hover decoder", layout="wide")


@st.cache_resource(show_spinner=False)
def setup(name: str):
    model = load_model(name)
    digits = load_digits("test")
    latents = encode_means(model, digits.images).numpy()
    return model, latents, digits.labels.numpy()


name = st.sidebar.radio("Model", ["vae-2d", "ae-2d"])  # like the app's model picker
model, latents, labels = setup(name)
repeat = min(max(int(st.query_params.get("repeat", "1")), 1), 20)
if repeat > 1:
    noise = np.random.default_rng(0).normal(0, 0.05, (repeat, *latents.shape))
    latents = (latents[None] + noise).reshape(-1, 2).astype(np.float32)
    labels = np.tile(labels, repeat)

st.session_state.runs = st.session_state.get("runs", 0) + 1
st.title("Hover decoder")
st.caption(f"script run {st.session_state.runs}")
clicked = hover_decoder(
    model,
    data_range(latents, margin=0.05),
    latents,
    labels,
    key="hover",
    pinned=st.session_state.get("pinned"),
)
if clicked is not None:
    st.session_state.pinned = tuple(clicked["z"])
pinned = st.session_state.get("pinned")
if pinned is None:
    st.write("nothing pinned")
else:
    st.write(f"pinned z = ({pinned[0]!r}, {pinned[1]!r})")
