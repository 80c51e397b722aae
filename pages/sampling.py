"""Sampling: draw z from the prior N(0, I), scaled by a temperature, and decode.

Layout for a projector: the decoded grid on the left, where the samples fall among the
encoded test digits (2-D models; the samples' mean norm otherwise) in the middle, the
controls in a narrow right column, all on the first 1280x720 screen.
"""

import numpy as np
import streamlit as st

from explorer import inference, kinds
from explorer.figures import samples_over_latents
from explorer.images import png_bytes
from explorer.interpolation import sample_prior
from explorer.manifold import tile
from pages import (
    figcache,
    frame,
    language,
    latentviews,
    measured,
    pagestate,
    picker,
    testset,
    widgets,
)
from pages.texts.sampling import CATALOG

MAP_HEIGHT = 500  # px: the samples-over-latents plane beside the grid, under the header
MOSAIC_PX = 700  # the grid's PNG is scaled up to about this many pixels a side

t = language.translator(CATALOG)
frame.header(t)
name, model = picker.page_model()
state = pagestate.PageState(
    "sample",
    {
        "seed": (0, pagestate.int_in(0, 2**31 - 1)),
        "temp": (1.0, pagestate.float_in(0.0, 2.5)),
        "samples": (10, pagestate.int_in(4, 16)),
    },
)

mosaic_col, middle, side = st.columns([1.05, 1.0, 0.62], gap="medium")
with side:
    coverage = measured.prior_coverage(name)
    if coverage.missing:
        top = int(coverage.share.argmax())
        said = t(
            "cover_missing", n=coverage.n, missing=", ".join(map(str, coverage.missing)),
            top=top, top_share=coverage.share[top],
        )  # fmt: skip
    else:
        said = t("cover_all", n=coverage.n, low=coverage.share.min())
    if not kinds.kind_of(model).samples_from_prior:
        st.warning(f"{t('ae_warning')} {said}", icon=":material/warning:")
    else:
        st.caption(said)
    st.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
    widgets.random_button(
        t("new_draw"), state, "seed", widgets.random_seed,
        key="sample.new_draw", icon=":material/casino:", width="stretch",
    )  # fmt: skip
    st.slider(
        t("temperature"), 0.0, 2.5, step=0.05, key=state.key("temp"), help=t("temperature_help")
    )
    st.slider(t("grid"), 4, 16, key=state.key("samples"))

n = state["samples"]
z = sample_prior(n * n, model.config.latent_dim, state["temp"], state["seed"])
mosaic = tile(inference.decode(model, z), n_cols=n, gap=2)
grid_png = png_bytes(mosaic, max(1, MOSAIC_PX // mosaic.shape[0]))
with mosaic_col, frame.figure_box(), frame.result_box():
    # PNG: "auto" would re-encode this grayscale PNG as a lossy JPEG and blur its pixels.
    st.image(grid_png, caption=t("caption", count=n * n, seed=state["seed"]), output_format="PNG")
side.download_button(
    t("download"),
    grid_png,
    file_name=f"{name}-samples.png",
    mime="image/png",
    icon=":material/download:",
    width="stretch",
)
with middle:
    if model.config.latent_dim == 2:
        fig = samples_over_latents(
            latentviews.test_latents(name),
            testset.test_labels(),
            z,
            height=MAP_HEIGHT,
            title=t("over_title"),
            samples_name=t("samples"),
        )
        # Equal axes: distances in the latent plane mean something (figures.py builds the
        # rest; only this page uses the figure).
        fig.update_xaxes(constrain="domain")
        fig.update_yaxes(scaleanchor="x", scaleratio=1, constrain="domain")
        fig.update_layout(
            legend={
                "orientation": "h", "itemsizing": "constant", "x": 0.5, "xanchor": "center",
                "y": -0.16, "yanchor": "top",
            }
        )  # fmt: skip
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG)
    else:
        norms = np.linalg.norm(z, axis=1)
        dim = model.config.latent_dim
        st.metric(t("mean_norm"), f"{norms.mean():.2f}")
        st.caption(t("mean_norm_help", dim=dim, expected=state["temp"] * np.sqrt(dim)))
state.publish()
