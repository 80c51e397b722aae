"""VAE latent-space explorer: `streamlit run app.py`.

The entry point: page setup, the language and model pickers shared by every page, and
navigation. Every page lives in `pages/`; shared UI helpers in `pages/shared.py`.
"""

import streamlit as st

from explorer import checkpoint
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
if not checkpoint.list_models():
    st.error(t("no_checkpoints", folder=checkpoint.checkpoint_dir()))
    st.stop()
with st.sidebar:
    shared.model_picker()
nav.run()
