"""VAE latent-space explorer: `streamlit run app.py`.

The entry point: page setup, the language and model pickers shared by every page, and
navigation. Every page lives in `pages/`; shared UI helpers in `pages/shared.py`.
Nothing here imports torch: the first page, the latent map, is drawn from cached latents
and torch is imported after it, in the background (`shared.warm_up_torch`).
"""

import os

# One torch thread per script run. torch reads this when it is first imported (after the
# map is drawn): the app's tensor work is small, sessions run side by side in threads, and
# on a lecturer's laptop the browser shares the cores. Measured on 2 cores with the other
# core busy: a 1-point decode took 0.17 ms with one thread, 5.7 ms (median) with two.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import streamlit as st  # noqa: E402

from explorer import checkpoint_paths
from explorer.texts.common import CATALOG
from pages import shared

st.set_page_config(
    page_title="VAE latent-space explorer", page_icon=":material/explore:", layout="wide"
)
t = shared.translator(CATALOG)


def page(path: str, key: str, icon: str, **kw) -> st.Page:
    return st.Page(f"pages/{path}", title=t(key), icon=f":material/{icon}:", **kw)


nav = st.navigation(
    {
        t("sec_explore"): [
            page("latent_map.py", "nav_map", "map", default=True),
            page("interpolation.py", "nav_interp", "timeline"),
            page("sampling.py", "nav_sampling", "casino"),
        ],
        t("sec_lecture"): [
            page("ae_vs_vae.py", "nav_ae_vs_vae", "compare"),
            page("beta.py", "nav_beta", "tune"),
            page("training.py", "nav_training", "replay"),
            page("reparam.py", "nav_reparam", "blur_on"),
            page("latent_dims.py", "nav_dims", "view_column"),
            page("iwae.py", "nav_iwae", "functions"),
        ],
        t("sec_yours"): [
            page("your_digit.py", "nav_own", "draw"),
            page("anomaly.py", "nav_anomaly", "troubleshoot"),
            page("denoise.py", "nav_denoise", "auto_fix_high"),
        ],
    }
)
with st.sidebar:
    shared.language_picker()
if not checkpoint_paths.list_models():
    st.error(t("no_checkpoints", folder=checkpoint_paths.checkpoint_dir()))
    st.stop()
with st.sidebar:
    shared.model_picker()
nav.run()
shared.warm_up_torch()
