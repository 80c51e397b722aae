"""Condition and randomness: a conditional VAE's dice grid (rows: the digit c, columns:
one z each, shared by the rows), its latent map that does not sort the digits, and one
test digit decoded under every label.

Layout for a projector: the grid on the left, the map in the middle, the controls and the
measured claims on the right, all on the first 1280x720 screen; the restyled digit below.
"""

import numpy as np
import streamlit as st

from explorer import condition
from explorer.checkpoint import CheckpointError
from explorer.condition import N_CLASSES
from explorer.figures import codes_by_digit
from explorer.figures.lessons import image_rows
from explorer.images import png_bytes
from explorer.manifold import tile
from pages import (
    checkpoints,
    figcache,
    frame,
    language,
    latentviews,
    pagestate,
    picker,
    testset,
    widgets,
)
from pages.texts.condition import CATALOG

GRID_WIDTH = 350  # px: the dice grid's picture, its 10 rows on a 720-px screen
MAP_HEIGHT = 500  # px
REFERENCE = "vae-2d"  # the unconditional model whose map the lesson compares with

t = language.translator(CATALOG)
name, model = frame.fitting_model(t, frame.conditional, "no_cvae")
state = pagestate.PageState(
    "cond",
    {
        "seed": (0, pagestate.int_in(0, 2**31 - 1)),
        "cols": (8, pagestate.int_in(4, 12)),
        "i": (0, pagestate.int_in(0, len(testset.test_labels()) - 1)),
    },
)
labels = testset.test_labels()
try:
    clf = checkpoints.classifier()
except CheckpointError as exc:  # a missing or corrupt classifier.pt: say so, no traceback
    st.error(t("no_classifier", error=exc), icon=":material/error:")
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=32)
def grid_of(key: tuple, _model, _clf, cols: int, seed: int) -> condition.DiceGrid:
    return condition.dice_grid(_model, _clf, columns=cols, seed=seed)


@st.cache_resource(show_spinner=False, max_entries=8)
def knn_of(key: tuple, _latents: np.ndarray) -> float:
    """Leave-one-out 5-NN class accuracy of the test codes (once per model and data)."""
    return condition.knn_class_accuracy(_latents, labels)


model_key = checkpoints.model_key(name)
grid = grid_of(model_key, model, clf, state["cols"], state["seed"])

left, middle, side = st.columns([1.0, 1.05, 0.75], gap="medium")
with side:
    st.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
    widgets.random_button(
        t("new_draw"), state, "seed", widgets.random_seed,
        key="cond.new_draw", icon=":material/casino:", width="stretch",
    )  # fmt: skip
    st.slider(t("columns"), 4, 12, key=state.key("cols"))
    numbers = dict(
        share=grid.read_as_row, n=grid.read.size, col=grid.slant.by_column, row=grid.slant.by_row
    )
    with frame.result_box():
        if grid.holds:
            claims = f"{t('read_claim', **numbers)}  \n{t('slant_claim', **numbers)}"
            st.success(claims, icon=":material/check:")
        else:
            st.warning(t("claim_fails", **numbers), icon=":material/warning:")
    st.caption(t("slant_help"))

rows = [t("row", c=c) for c in range(N_CLASSES)]
fig = figcache.cached_figure(
    ("cond.grid", *model_key, state["cols"], state["seed"]),
    lambda: image_rows(grid.images, rows, scale=3, width_px=GRID_WIDTH),
)
with left:
    with frame.figure_box():
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="cond.grid")
    st.caption(t("grid_caption", cols=state["cols"], seed=state["seed"]))

latents = latentviews.test_latents(name)
with middle:
    if latents.shape[1] == 2:
        map_fig = figcache.cached_figure(
            ("cond.map", *model_key),
            lambda: codes_by_digit(latents, labels, t("map_title"), height=MAP_HEIGHT),
        )
        st.plotly_chart(map_fig, theme=None, config=figcache.PLOT_CONFIG, key="cond.map")
    cvae_acc = knn_of(model_key, latents)
    reference = picker.model_for(REFERENCE, frame.is_vae, REFERENCE)
    if reference is not None:
        ref_acc = knn_of(
            checkpoints.model_key(reference),
            latentviews.test_latents(reference),
        )
        st.info(t("map_claim", cvae=cvae_acc, vae=reference, vae_acc=ref_acc))

# ---------------------------------------------------------------- one digit, every class
st.subheader(t("restyle_head"))
st.markdown(t("restyle_lede"))
widgets.digit_picker(state, "i", st.columns([1, 0.8, 1.2, 3], vertical_alignment="bottom")[:3])
index = state["i"]
image = testset.test_images()[index]
moved = condition.restyle(model, clf, image, int(labels[index]))
strip = np.concatenate([image[None], moved.images])
st.image(
    png_bytes(tile(strip, n_cols=len(strip), gap=2), 3),
    caption=f"{t('original')} · c = 0..9",
    output_format="PNG",
)
st.markdown(t("restyle_claim", share=moved.read_as_asked))
st.download_button(
    t("download"),
    png_bytes(tile(grid.images.reshape(-1, 28, 28), n_cols=state["cols"], gap=2), 4),
    file_name=f"{name}-dice-seed{state['seed']}.png",
    mime="image/png",
    icon=":material/download:",
)
state.publish()
