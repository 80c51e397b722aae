"""AE vs VAE: an autoencoder gives no distribution to sample from; a VAE does.

Always ae-2d and vae-2d (not the picker's model). The default view samples the prior
N(0, I) - what a generative model is for - and decodes it with both: the classifier's
reading of the samples shows the VAE's clear digits in the data's mix and the AE's fewer
clear digits in a lopsided mix (its rarest digit far below 10%). The
other views: both decoders over the prior's box [-3, 3]^2, each over its own code range
(the old "holes" picture, honest about its scale), and the codes' marginals against N(0, 1).
"""

import numpy as np
import streamlit as st

from explorer.checkpoint import CheckpointError
from explorer.compare import labelled_grid, shaded_mosaic
from explorer.evaluate import CONFIDENCE
from explorer.figures.lessons import (
    code_marginals,
    coverage_bars,
    labelled_manifold,
    labelled_samples,
    rgb_data_uri,
)
from explorer.lessons import COVERED, PRIOR_BOX, ae_vs_vae
from pages import (
    background,
    checkpoints,
    figcache,
    frame,
    language,
    latentviews,
    pagestate,
    testset,
)
from pages.texts.ae_vs_vae import CATALOG

MODELS = {"ae": "ae-2d", "vae": "vae-2d"}  # fixed: the lecture's pair, whatever the picker
N_SAMPLES = 1000  # prior samples per model behind the coverage numbers
SHOWN = 64  # of them, shown as an 8 x 8 mosaic per model
GRID_N = 12  # cells per side of the decoded grids
PANEL_HEIGHT = 430
VIEWS = ("samples", "prior_box", "own_range", "marginals")

t = language.translator(CATALOG)
frame.header(t, models=None, fixed=tuple(MODELS.values()))
state = pagestate.PageState(
    "aevae",
    {"view": ("samples", pagestate.one_of(*VIEWS)), "seed": (0, pagestate.int_in(0, 2**31 - 1))},
)

models = {kind: checkpoints.model(name) for kind, name in MODELS.items()}
if any(m is None for m in models.values()):
    st.stop()
for kind, m in models.items():
    if m.config.latent_dim != 2:
        st.warning(t("not_2d", name=MODELS[kind]))
        st.stop()
try:
    clf = checkpoints.classifier()
except CheckpointError as exc:
    st.warning(t("no_classifier", error=exc))
    st.stop()
latents = {kind: latentviews.test_latents(name) for kind, name in MODELS.items()}
labels = testset.test_labels()


def draw(seed: int):
    """Work for the background queue: both models' prior samples (the same z) and code
    spreads."""

    def work(progress):
        return ae_vs_vae(
            models["ae"], models["vae"], latents["ae"], latents["vae"], clf, N_SAMPLES, seed
        )

    return work


@st.cache_resource(show_spinner=False, max_entries=8)
def lesson(key: tuple, seed: int):
    """The opening draw (seed 0), computed in the page's own run and cached."""
    return draw(seed)(None)


@st.cache_resource(show_spinner=False, max_entries=8)
def grid_figure(key: tuple, kind: str, box: str, lang: str):
    """One model's decoded, classifier-labelled grid over the prior's box or its own range."""
    cube = ((-PRIOR_BOX, -PRIOR_BOX), (PRIOR_BOX, PRIOR_BOX)) if box == "prior_box" else None
    grid = labelled_grid(models[kind], latents[kind], clf, GRID_N, CONFIDENCE, box=cube)
    mosaic = shaded_mosaic(grid.images, grid.confident, GRID_N)
    uri = rgb_data_uri(mosaic, scale=max(1, 420 // mosaic.shape[0]))
    title = t("grid_title", name=MODELS[kind], share=grid.fraction)
    return labelled_manifold(grid, uri, title, t("hover"), height=PANEL_HEIGHT)


def next_seed(seed: int) -> int:
    """The draw after `seed`: fixed in advance, so it can be computed before it is asked."""
    return int(np.random.default_rng([seed, 1]).integers(0, 2**31 - 1))


def new_draw() -> None:
    state.set("seed", next_seed(state["seed"]))


key = tuple(checkpoints.checkpoint_key(name) for name in MODELS.values())
seed = state["seed"]
main, side = st.columns([2, 1.05], gap="medium")
with side:
    st.selectbox(t("view"), VIEWS, key=state.key("view"), format_func=lambda v: t(f"view_{v}"))
view = state["view"]
if seed == 0:
    result = lesson(key, seed)
else:
    result = background.result(("aevae", key, seed), draw(seed), t("drawing"), side)
    if result is None:  # drawn when the queue is done (the progress bar reruns the page)
        state.publish()
        st.stop()
background.prefetch(("aevae", key, next_seed(seed)), draw(next_seed(seed)))
ae, vae = result.ae, result.vae
with main, frame.figure_box():
    left, middle = st.columns(2)
    if view == "samples":
        for col, kind, s in ((left, "ae", ae), (middle, "vae", vae)):
            fig = figcache.cached_figure(
                (key, seed, kind, "samples"),
                lambda s=s, kind=kind: labelled_samples(
                    s.images[:SHOWN], s.probs[:SHOWN], s.z[:SHOWN], 8,
                    t("samples_title", name=MODELS[kind]), CONFIDENCE, t("hover"),
                    height=PANEL_HEIGHT,
                ),
            )  # fmt: skip
            col.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key=f"aevae.s.{kind}")
    elif view in ("prior_box", "own_range"):
        for col, kind in ((left, "ae"), (middle, "vae")):
            fig = grid_figure(key, kind, view, language.lang())
            col.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key=f"aevae.g.{kind}")
    else:
        with left:
            fig = figcache.cached_figure(
                (key, "marginals"),
                lambda: code_marginals(
                    [latents["ae"], latents["vae"]], list(MODELS.values()), t("prior_pdf"),
                    t("beyond"), height=PANEL_HEIGHT + 40,
                ),
            )  # fmt: skip
            st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="aevae.marginals")

with side, frame.result_box():
    bars = figcache.cached_figure(
        (key, seed, "bars"),
        lambda: coverage_bars(
            [ae.class_share, vae.class_share], list(MODELS.values()), t("bars_x"),
            t("bars_y"), COVERED, t("floor", share=COVERED), height=230,
        ),
    )  # fmt: skip
    st.plotly_chart(bars, theme=None, config=figcache.PLOT_CONFIG, key="aevae.bars")
    (ae_rare, ae_rare_share), (vae_rare, vae_rare_share) = ae.rarest, vae.rarest
    claim = t(
        "claim", ae_rare=ae_rare, ae_rare_share=ae_rare_share, vae_rare=vae_rare,
        vae_rare_share=vae_rare_share,
        ae_box=result.ae_codes.in_prior_box, vae_box=result.vae_codes.in_prior_box,
        ae_conf=ae.confident_share, vae_conf=vae.confident_share,
    )  # fmt: skip
    (st.success if result.holds else st.warning)(
        claim if result.holds else t("claim_fails") + " " + claim,
        icon=":material/check_circle:" if result.holds else ":material/warning:",
    )
    st.button(t("new_draw"), icon=":material/casino:", on_click=new_draw, key="aevae.draw")
if view != "samples":
    with middle if view == "marginals" else side:
        st.caption(t(f"note_{view}"))
state.publish()
