"""AE vs VAE: a plain autoencoder's latent space has holes; a VAE's is continuous.

Always ae-2d and vae-2d (not the sidebar model): each one's decoded grid over its own
encoded test range, every cell labelled by the digit classifier, and its latent map.
"""

import os

import streamlit as st

from explorer.checkpoint import CheckpointError
from explorer.compare import LabelledGrid, labelled_grid, shaded_mosaic
from explorer.evaluate import CONFIDENCE
from explorer.teaching_figures import labelled_manifold, latent_scatter, rgb_data_uri
from explorer.texts.ae_vs_vae import CATALOG
from pages import shared

MODELS = {"ae": "ae-2d", "vae": "vae-2d"}  # fixed: the lecture's pair, whatever the sidebar
FIG_HEIGHT = 450

t = shared.translator(CATALOG)


state = shared.PageState(
    "aevae", {"cells": (12, shared.int_in(10, 30)), "dots": (False, shared.flag)}
)

st.title(t("title"))
st.markdown(t("intro"))
shared.data_notice()

models = {kind: shared.model(name) for kind, name in MODELS.items()}
if any(m is None for m in models.values()):
    st.stop()
for kind, m in models.items():
    if m.config.latent_dim != 2:
        st.warning(t("not_2d", name=MODELS[kind]))
        st.stop()


try:
    clf = shared.classifier()
except CheckpointError as exc:
    st.warning(t("no_classifier", error=exc))
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=24)
def grid_of(key: tuple, _model, _latents, _clf, n: int) -> tuple[LabelledGrid, str]:
    """The labelled grid and its shaded mosaic as a data URI (cached per model and n)."""
    grid = labelled_grid(_model, _latents, _clf, n)
    mosaic = shaded_mosaic(grid.images, grid.confident, n)
    return grid, rgb_data_uri(mosaic, scale=max(1, 840 // mosaic.shape[0]))


c1, c2 = st.columns([2, 1])
c1.slider(t("grid"), 10, 30, key=state.key("cells"), help=t("grid_help"))
c2.toggle(t("dots"), key=state.key("dots"), help=t("dots_help"))
n = state["cells"]

labels = shared.test_digits().labels.numpy()
source = shared.test_digits().source
latents = {kind: shared.test_latents(name) for kind, name in MODELS.items()}
grids = {
    kind: grid_of(
        (MODELS[kind], os.stat(m.checkpoint_path).st_mtime_ns, source, n), m, latents[kind], clf, n
    )
    for kind, m in models.items()
}

cols = st.columns(2)
for col, kind in zip(cols, MODELS):
    grid = grids[kind][0]
    delta = None
    if kind == "vae":
        delta = t("delta", points=100 * (grid.fraction - grids["ae"][0].fraction))
    col.metric(
        t("metric", name=MODELS[kind]),
        f"{grid.fraction:.0%}",
        delta=delta,
        help=t("metric_help", n=n, threshold=CONFIDENCE),
    )
    (x0, y0), (x1, y1) = grid.lo, grid.hi
    col.caption(t("range", x0=x0, x1=x1, y0=y0, y1=y1))

tab_grid, tab_map = st.tabs([t("tab_grid"), t("tab_map")])
with tab_grid:
    cols = st.columns(2)
    for col, kind in zip(cols, MODELS):
        grid, uri = grids[kind]
        dots = (latents[kind], labels) if state["dots"] else None
        fig = labelled_manifold(grid, uri, t(kind), t("hover"), dots=dots, height=FIG_HEIGHT)
        col.plotly_chart(fig, config=shared.PLOT_CONFIG, key=f"aevae.grid.{kind}")
    st.caption(t("legend_note", threshold=CONFIDENCE))
with tab_map:
    cols = st.columns(2)
    for col, kind in zip(cols, MODELS):
        x0, x1, y0, y1 = grids[kind][0].extent
        fig = latent_scatter(
            latents[kind], labels, (x0, x1), (y0, y1), t(kind),
            legend_title=t("digit"), height=FIG_HEIGHT,
        )  # fmt: skip
        col.plotly_chart(fig, config=shared.PLOT_CONFIG, key=f"aevae.map.{kind}")
    st.caption(t("scale_note"))
state.publish()
