"""Encoder uncertainty: q(z|x) as an ellipse on the latent map, and the reparameterization
trick z = mu + sigma * eps worked out in numbers, points and decoded images.

Layout for a projector: the whole map and the zoom on q(z|x) with its numbered samples on
the left, the digit and epsilon controls and the decoded samples on the right, all on the
first 1280x720 screen; the trick step by step and the reconstruction below.
"""

import numpy as np
import pandas as pd
import streamlit as st

from explorer import inference
from explorer.figures.posterior import posterior_base, posterior_figure, reconstruction_figure
from explorer.images import png_bytes
from explorer.manifold import tile
from explorer.posterior import (
    error_map,
    gaussian_mass_2d,
    largest_change,
    most_uncertain,
    sample_posterior,
    square_view,
    zoom_window,
)
from pages import (
    checkpoints,
    figcache,
    frame,
    language,
    latentviews,
    measured,
    pagestate,
    testset,
    widgets,
)
from pages.texts.reparam import CATALOG

MAP_HEIGHT = 500  # px: the two planes fit under the header on a 720-px screen


t = language.translator(CATALOG)
name, model = frame.fitting_model(t, frame.is_2d_vae, "no_2d_vae")
digits, images = testset.test_arrays(), testset.test_images()
labels = digits.labels
n_test = len(labels)


@st.cache_resource(show_spinner=False, max_entries=8)
def test_posteriors(key: tuple, _model) -> tuple[np.ndarray, np.ndarray]:
    """(mu, logvar) of every test digit under the model: (N, 2) each."""
    return tuple(inference.encode(_model, images))


test_mu, test_logvar = test_posteriors(checkpoints.model_key(name), model)
uncertain = most_uncertain(test_logvar)
first = measured.reparam_default(name)  # a typical digit whose samples read as its class

state = pagestate.PageState(
    "reparam",
    {
        "i": (first, pagestate.int_in(0, n_test - 1)),
        "seed": (0, pagestate.int_in(0, 2**31 - 1)),
        "n": (8, pagestate.int_in(4, 16)),
    },
)
if not 0 <= state["i"] < n_test:  # the data changed under a remembered index
    state.set("i", first)

maps, side = st.columns([2, 0.85], gap="medium")
with side:
    widgets.digit_picker(state, "i", st.columns([1.1, 0.75, 1.3], vertical_alignment="bottom"))
    b1, b2 = st.columns(2)
    widgets.random_button(
        t("uncertain"), state, "i", lambda: int(np.random.default_rng().choice(uncertain)),
        key="reparam.uncertain", where=b1, icon=":material/target:", width="stretch",
        help=t("uncertain_help", n=len(uncertain), model=name),
    )  # fmt: skip
    widgets.random_button(
        t("new_eps"), state, "seed", widgets.random_seed,
        key="reparam.new_eps", where=b2, icon=":material/casino:", width="stretch",
    )  # fmt: skip
    with st.expander(t("eps_settings"), icon=":material/tune:"):
        st.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
        st.slider(t("n_samples"), 4, 16, key=state.key("n"))
index = state["i"]
x = images[index]

# ---------------------------------------------------------------- q(z|x) on the map
mu, logvar = test_mu[index], test_logvar[index]
draw = sample_posterior(mu, logvar, state["n"], state["seed"])
sigma = draw.sigma
latents = latentviews.test_latents(name)
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
model_key = checkpoints.model_key(name)
# The 10,000 encoded digits are built once per model (two bases: with and without the
# legend); each digit's ellipses, mean and samples are laid over them.
bases = {
    shown: figcache.cached_figure(
        ("reparam.base", *model_key, shown),
        lambda shown=shown: posterior_base(latents, labels, names, MAP_HEIGHT, legend=shown),
    )
    for shown in (False, True)
}
full = posterior_figure(
    latents, labels, mu, sigma, square_view(latents), names, window=window,
    title=t("map_full"), height=MAP_HEIGHT, legend=False, base=bases[False],
)  # fmt: skip
zoom = posterior_figure(
    latents, labels, mu, sigma, window, names, samples=draw.z, title=t("map_zoom"),
    height=MAP_HEIGHT, base=bases[True],
)  # fmt: skip
with maps:
    with frame.figure_box():
        left, right = st.columns(2)
        left.plotly_chart(full, key="reparam.full", theme=None, config=figcache.PLOT_CONFIG)
        right.plotly_chart(zoom, key="reparam.zoom", theme=None, config=figcache.PLOT_CONFIG)
    st.caption(
        t(
            "posterior_caption",
            model=name,
            mu1=mu[0],
            mu2=mu[1],
            s1=sigma[0],
            s2=sigma[1],
            m1=gaussian_mass_2d(1),
            m2=gaussian_mass_2d(2),
        )
    )

decoded = inference.decode(model, draw.z)
with side, frame.result_box():
    st.markdown(t("decoded_header", n=len(decoded)))
    # Images small enough that every sample (4 to 16) fits beside the maps.
    st.image([png_bytes(img, 3) for img in decoded], width=76 if len(decoded) <= 8 else 52)
    read = inference.classify(checkpoints.classifier(), decoded).argmax(axis=1)
    own = int((read == labels[index]).sum())
    if own == len(read):
        st.success(t("reads_all", n=len(read), label=labels[index]), icon=":material/check:")
    else:
        others = ", ".join(str(d) for d in sorted(set(read.tolist()) - {int(labels[index])}))
        st.warning(
            t("reads_some", k=own, n=len(read), label=labels[index], others=others),
            icon=":material/call_split:",
        )

maps.caption(t("decoded_caption", n=len(decoded), change=largest_change(decoded)))

# ---------------------------------------------------------------- the trick
st.subheader(t("trick_header"))
st.markdown(t("trick_why"))


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
    rows = pd.DataFrame({t("col_sample"): [f"z{i + 1}" for i in range(len(draw.z))]})
    for column, values in numbers.items():
        rows[column] = [f"{v:.3f}" for v in values]
    st.table(rows.set_index(t("col_sample")))
    st.caption(t("table_caption", n=len(draw.z), seed=state["seed"]))
st.markdown(t("region_note"))
st.download_button(
    t("download_samples"),
    png_bytes(tile(decoded, n_cols=len(decoded), gap=2), 4),
    file_name=f"{name}-digit{index}-seed{state['seed']}.png",
    mime="image/png",
    icon=":material/download:",
)

# ---------------------------------------------------------------- reconstruction
st.subheader(t("recon_header"))
x_hat, nll = inference.reconstruct_nll(model, x)
error = error_map(x, x_hat)
panels = (t("original"), t("reconstruction"), t("error"))
blank = np.zeros((28, 28), np.float32)
recon_base = figcache.cached_figure(  # built once; each digit only swaps its three images
    ("reparam.recon",),
    lambda: reconstruction_figure(blank, blank, blank, panels, t("error_bar")),
)
fig = reconstruction_figure(x, x_hat, error, panels, t("error_bar"), base=recon_base)
st.plotly_chart(fig, key="reparam.recon", theme=None, config=figcache.PLOT_CONFIG)
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
state.publish()
