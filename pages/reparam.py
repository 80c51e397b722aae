"""Encoder uncertainty: q(z|x) as an ellipse on the latent map, and the reparameterization
trick z = mu + sigma * eps worked out in numbers, points and decoded images."""

import numpy as np
import pandas as pd
import streamlit as st

from explorer import checkpoint
from explorer.images import png_bytes
from explorer.manifold import decode_points, tile
from explorer.posterior import (
    encode_posterior,
    error_map,
    gaussian_mass_2d,
    largest_change,
    most_uncertain,
    posterior_figure,
    reconstruct,
    reconstruction_figure,
    sample_posterior,
    square_view,
    zoom_window,
)
from explorer.texts.reparam import CATALOG
from pages import shared

t = shared.translator(CATALOG)

name, model = shared.page_model()
digits = shared.test_digits()
labels = digits.labels.numpy()
n_test = len(labels)


def is_2d_vae(cfg: dict) -> bool:
    return cfg["kind"] == "vae" and cfg["latent_dim"] == 2


@st.cache_resource(show_spinner=False, max_entries=8)
def test_posteriors(key: tuple, _model) -> tuple[np.ndarray, np.ndarray]:
    """(mu, logvar) of every test digit under the posterior model: (N, 2) each."""
    return encode_posterior(_model, digits.images)


post_name = shared.model_for(name, is_2d_vae, "vae-2d")
post_model = shared.model(post_name) if post_name is not None else None
if post_model is not None:
    path = checkpoint.resolve(post_name)
    test_mu, test_logvar = test_posteriors(
        (post_name, str(path), path.stat().st_mtime_ns, digits.source), post_model
    )
    uncertain = most_uncertain(test_logvar)
else:
    uncertain = np.array([shared.first_of(2)])

state = shared.PageState(
    "reparam",
    {
        "i": (int(uncertain[0]), shared.int_in(0, n_test - 1)),
        "seed": (0, shared.int_in(0, 2**31 - 1)),
        "n": (8, shared.int_in(4, 16)),
    },
)
if not 0 <= state["i"] < n_test:  # the data changed under a remembered index
    state.set("i", int(uncertain[0]))

st.title(t("title"))
st.markdown(t("intro"))
shared.data_notice()

p1, p2, p3, p4, _ = st.columns([1.2, 0.8, 1.1, 1.3, 0.7])
shared.digit_picker(state, "i", (p1, p2, p3))
shared.random_button(
    t("uncertain"), state, "i", lambda: int(np.random.default_rng().choice(uncertain)),
    key="reparam.uncertain", where=p4, icon=":material/target:", width="stretch",
    disabled=post_model is None, help=t("uncertain_help", n=len(uncertain), model=post_name),
)  # fmt: skip
index = state["i"]
x = digits.images[index, 0].numpy()

# ---------------------------------------------------------------- 1. reconstruction
st.subheader(t("recon_header"))
x_hat, nll = reconstruct(model, x)
error = error_map(x, x_hat)
fig = reconstruction_figure(
    x, x_hat, error, (t("original"), t("reconstruction"), t("error")), t("error_bar")
)
st.plotly_chart(fig, key="reparam.recon", config=shared.PLOT_CONFIG)
st.caption(
    t(
        "recon_caption",
        index=index,
        label=labels[index],
        model=name,
        mae=float(error.mean()),
        nll=nll,
    )
)


# ---------------------------------------------------------------- 2. the posterior
st.subheader(t("posterior_header"))
if post_name is not None and post_name != name:
    if model.config.kind == "ae":
        st.info(t("ae_no_posterior", model=name, fallback=post_name), icon="ℹ️")
    else:
        st.info(t("not_2d", model=name, dim=model.config.latent_dim, fallback=post_name), icon="ℹ️")
if post_model is None:
    st.warning(t("no_2d_vae"))
    state.publish()
    st.stop()

mu, logvar = test_mu[index], test_logvar[index]
draw = sample_posterior(mu, logvar, state["n"], state["seed"])
sigma = draw.sigma
latents = shared.test_latents(post_name)
names = {
    "digit": t("legend_digit"),
    "sigma1": t("legend_sigma1"),
    "sigma2": t("legend_sigma2"),
    "mu": t("legend_mu"),
    "samples": t("legend_samples"),
    "z1": "z₁",
    "z2": "z₂",
}
window = zoom_window(mu, sigma)
left, right = st.columns(2)
full = posterior_figure(
    latents,
    labels,
    mu,
    sigma,
    square_view(latents),
    names,
    window=window,
    title=t("map_full"),
    height=500,
)
left.plotly_chart(full, key="reparam.full", config=shared.PLOT_CONFIG)
zoom = posterior_figure(
    latents, labels, mu, sigma, window, names, samples=draw.z, title=t("map_zoom"), height=500
)
right.plotly_chart(zoom, key="reparam.zoom", config=shared.PLOT_CONFIG)
st.caption(
    t(
        "posterior_caption",
        model=post_name,
        mu1=mu[0],
        mu2=mu[1],
        s1=sigma[0],
        s2=sigma[1],
        m1=gaussian_mass_2d(1),
        m2=gaussian_mass_2d(2),
    )
)

# ---------------------------------------------------------------- 3. the trick
st.subheader(t("trick_header"))
st.markdown(t("trick_why"))

c1, c2, c3, _ = st.columns([1.1, 1.0, 1.4, 1.5])
c1.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
shared.random_button(
    t("new_eps"), state, "seed", shared.random_seed,
    key="reparam.new_eps", where=c2, icon=":material/casino:", width="stretch",
)  # fmt: skip
c3.slider(t("n_samples"), 4, 16, key=state.key("n"))


def vec(v) -> str:
    """A column vector in LaTeX."""
    return r"\begin{pmatrix}" + r"\\".join(f"{float(a):.3f}" for a in v) + r"\end{pmatrix}"


# The three steps in LaTeX; @NAME@ marks where the numbers go.
STEP_EPS = r"\varepsilon^{(i)} \sim \mathcal{N}(0, I), \quad \varepsilon^{(1)} = @EPS@"
STEP_SIGMA = (
    r"\begin{aligned} \sigma &= \exp\!\left(\tfrac{1}{2}\log\sigma^2\right)"
    r" = \exp\!\left(\tfrac{1}{2} @LOGVAR@ \right) \\ &= @SIGMA@ \end{aligned}"
)
STEP_Z = (
    r"\begin{aligned} z^{(1)} &= \mu + \sigma \odot \varepsilon^{(1)}"
    r" \\ &= @MU@ + @SIGMA@ \odot @EPS@ \\ &= @Z@ \end{aligned}"
)


def fill(template: str, **vectors) -> str:
    for key, v in vectors.items():
        template = template.replace(f"@{key.upper()}@", vec(v))
    return template


steps, table = st.columns([1.15, 1])
with steps:
    st.markdown(t("step1"))
    st.latex(fill(STEP_EPS, eps=draw.eps[0]))
    st.markdown(t("step2"))
    st.latex(fill(STEP_SIGMA, logvar=logvar, sigma=sigma))
    st.markdown(t("step3"))
    st.latex(fill(STEP_Z, mu=mu, sigma=sigma, eps=draw.eps[0], z=draw.z[0]))
with table:
    numbers = {
        "ε₁": draw.eps[:, 0],
        "ε₂": draw.eps[:, 1],
        "z₁ = μ₁ + σ₁ε₁": draw.z[:, 0],
        "z₂ = μ₂ + σ₂ε₂": draw.z[:, 1],
    }
    # st.table, not st.dataframe: body-size text, readable on a projector.
    frame = pd.DataFrame({t("col_sample"): [f"z{i + 1}" for i in range(len(draw.z))]})
    for column, values in numbers.items():
        frame[column] = [f"{v:.3f}" for v in values]
    st.table(frame.set_index(t("col_sample")))
    st.caption(t("table_caption", n=len(draw.z), seed=state["seed"]))

st.markdown(t("decoded_header"))
decoded = decode_points(post_model, draw.z)
st.image([png_bytes(img, 3) for img in decoded], caption=[f"z{i + 1}" for i in range(len(decoded))])
st.caption(t("decoded_caption", n=len(decoded), change=largest_change(decoded)))
st.markdown(t("region_note"))
st.download_button(
    t("download_samples"),
    png_bytes(tile(decoded, n_cols=len(decoded), gap=2), 4),
    file_name=f"{post_name}-digit{index}-seed{state['seed']}.png",
    mime="image/png",
)
state.publish()
