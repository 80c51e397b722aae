"""Sampling: draw z from the prior N(0, I), scaled by a temperature, and decode."""

import numpy as np
import streamlit as st

from explorer.figures import samples_over_latents
from explorer.images import png_bytes
from explorer.interpolation import sample_prior
from explorer.manifold import decode_points, tile
from pages import shared

name = shared.current_model_name()
model = shared.model(name)
if model is None:
    st.stop()
state = shared.PageState(
    "sample",
    {
        "seed": (0, shared.int_in(0, 2**31 - 1)),
        "temp": (1.0, shared.float_in(0.0, 2.5)),
        "samples": (10, shared.int_in(4, 16)),
    },
)

st.title("Sampling from the prior")
st.markdown(
    "A VAE is a generative model: draw **z ~ p(z) = N(0, I)** and let the **decoder p(x|z)** "
    "draw a digit. This works because the **KL term** of the ELBO pulled every q(z|x) "
    "towards N(0, I) during training, so the prior's mass sits where the decoder has learned "
    "to draw digits."
)
if model.config.kind == "ae":
    st.warning(
        "This is a plain autoencoder: nothing tied its codes to N(0, I), so prior samples land "
        "where the decoder was never trained - compare with a VAE."
    )

c1, c2, c3, c4 = st.columns([1, 1.4, 1.2, 0.8])
c1.number_input("Seed", min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
c2.slider(
    "Temperature (× prior std)", 0.0, 2.5, step=0.05, key=state.key("temp"),
    help="z = T·ε with ε ~ N(0, I). T < 1 stays near the centre (typical, clean digits); "
    "T > 1 reaches the tails, where the decoder rarely saw codes.",
)
c3.slider("Grid (n × n samples)", 4, 16, key=state.key("samples"))
if c4.button("🎲 New draw", use_container_width=True):
    state.set("seed", int(np.random.default_rng().integers(0, 2**31 - 1)))
    st.rerun()

n = state["samples"]
z = sample_prior(n * n, model.config.latent_dim, state["temp"], state["seed"])
mosaic = tile(decode_points(model, z), n_cols=n, gap=2)
scale = max(1, 700 // mosaic.shape[0])
left, right = st.columns([1.3, 1])
left.image(png_bytes(mosaic, scale), caption=f"{n * n} samples, seed {state['seed']}")
left.download_button(
    "Download PNG", png_bytes(mosaic, scale), file_name=f"{name}-samples.png", mime="image/png"
)
if model.config.latent_dim == 2:
    fig = samples_over_latents(shared.test_latents(name), shared.test_digits().labels.numpy(), z)
    right.plotly_chart(fig, config={"displaylogo": False})
else:
    norms = np.linalg.norm(z, axis=1)
    right.metric("mean ‖z‖ of the samples", f"{norms.mean():.2f}",
                 help=f"In {model.config.latent_dim}-D, N(0, T²I) samples have ‖z‖ ≈ "
                 f"T·√D = {state['temp'] * np.sqrt(model.config.latent_dim):.2f}.")
state.publish()
