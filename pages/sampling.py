"""Sampling: draw z from the prior N(0, I), scaled by a temperature, and decode."""

import numpy as np
import streamlit as st

from explorer.figures import samples_over_latents
from explorer.images import png_bytes
from explorer.interpolation import sample_prior
from explorer.manifold import decode_points, tile
from explorer.texts.sampling import CATALOG
from pages import shared

t = shared.translator(CATALOG)

name, model = shared.page_model()
state = shared.PageState(
    "sample",
    {
        "seed": (0, shared.int_in(0, 2**31 - 1)),
        "temp": (1.0, shared.float_in(0.0, 2.5)),
        "samples": (10, shared.int_in(4, 16)),
    },
)

st.title(t("title"))
st.markdown(t("intro"))
if model.config.kind == "ae":
    st.warning(t("ae_warning"))

c1, c2, c3, c4 = st.columns([1, 1.4, 1.2, 0.8])
c1.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
c2.slider(t("temperature"), 0.0, 2.5, step=0.05, key=state.key("temp"), help=t("temperature_help"))
c3.slider(t("grid"), 4, 16, key=state.key("samples"))
shared.random_button(
    t("new_draw"), state, "seed", shared.random_seed,
    key="sample.new_draw", where=c4, icon=":material/casino:", width="stretch",
)  # fmt: skip

n = state["samples"]
z = sample_prior(n * n, model.config.latent_dim, state["temp"], state["seed"])
mosaic = tile(decode_points(model, z), n_cols=n, gap=2)
scale = max(1, 700 // mosaic.shape[0])
left, right = st.columns([1.3, 1])
left.image(png_bytes(mosaic, scale), caption=t("caption", count=n * n, seed=state["seed"]))
left.download_button(
    t("download"), png_bytes(mosaic, scale), file_name=f"{name}-samples.png", mime="image/png"
)
if model.config.latent_dim == 2:
    fig = samples_over_latents(
        shared.test_latents(name),
        shared.test_digits().labels.numpy(),
        z,
        title=t("over_title"),
        samples_name=t("samples"),
    )
    right.plotly_chart(fig, config=shared.PLOT_CONFIG)
else:
    norms = np.linalg.norm(z, axis=1)
    dim = model.config.latent_dim
    right.metric(
        t("mean_norm"),
        f"{norms.mean():.2f}",
        help=t("mean_norm_help", dim=dim, expected=state["temp"] * np.sqrt(dim)),
    )
state.publish()
