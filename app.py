"""VAE latent-space explorer: `streamlit run app.py`.

The entry point: page setup, the model picker shared by every page, and navigation.
"""

import streamlit as st

from explorer import checkpoint
from pages import shared

st.set_page_config(page_title="VAE latent-space explorer", page_icon=":material/explore:", layout="wide")

nav = st.navigation(
    [
        st.Page("pages/latent_map.py", title="Latent map", icon=":material/map:", default=True),
        st.Page("pages/interpolation.py", title="Interpolation", icon=":material/timeline:"),
        st.Page("pages/sampling.py", title="Sampling from the prior", icon=":material/casino:"),
    ]
)
if not checkpoint.list_models():
    st.error(
        f"No model checkpoints found in `{checkpoint.checkpoint_dir()}`. Train one with "
        "`python -m explorer.train --name vae-2d --latent-dim 2`."
    )
    st.stop()
with st.sidebar:
    shared.model_picker()
nav.run()
