"""High-dimensional latents: latent traversals per dimension, per-dimension KL and the
active units of a VAE with many latent dimensions (posterior collapse).

Layout for a projector: the traversal grid on the left, the digit, its decoding and the
active-unit count in the middle, the controls on the right, all on the first 1280x720
screen; the per-dimension KL chart and the lesson on posterior collapse below.
"""

import numpy as np
import streamlit as st

from explorer import inference
from explorer.figures.traversal import dimension_figure, traversal_figure
from explorer.images import png_bytes
from explorer.manifold import tile
from explorer.traversal import (
    dimension_stats,
    traversal_images,
    traversal_mosaic,
    traversal_values,
    value_label,
)
from pages import checkpoints, figcache, frame, language, latentviews, pagestate, testset, widgets
from pages.texts.latent_dims import CATALOG

TRAVERSAL_HEIGHT = 520  # px: the whole grid fits under the header on a 720-px screen
DIGIT_SCALE = 4  # the digit and its decoding beside the grid: 28 px -> 112 px


t = language.translator(CATALOG)
name, model = frame.fitting_model(t, frame.wide_vae, "no_model")
digits, x_test = testset.test_arrays(), testset.test_images()
labels = digits.labels
n_test = len(labels)
D = model.config.latent_dim


def odd_steps(raw: str) -> int:
    """Values per dimension from the URL: odd (so 0 is one of them), 3 to 15."""
    value = pagestate.int_in(3, 15)(raw)
    if value % 2 == 0:
        raise ValueError(f"{value} is even")
    return value


state = pagestate.PageState(
    "dims",
    {
        "i": (widgets.first_of(3), pagestate.int_in(0, n_test - 1)),
        "steps": (9, odd_steps),
        "span": (3.0, pagestate.float_in(0.5, 5.0)),
        "rows": (min(D, 14), pagestate.int_in(1, 4096)),
        "order": ("kl", pagestate.one_of("kl", "index")),
        "mode": ("images", pagestate.one_of("images", "change")),
    },
)
if not 0 <= state["i"] < n_test:  # the data changed under a remembered index
    state.set("i", widgets.first_of(3))
if state["rows"] > D:  # the model changed under a remembered row count
    state.set("rows", D)


@st.cache_resource(show_spinner=False, max_entries=8)
def stats_of(key: tuple, _model):
    """Per-dimension KL and encoder-mean variance over the test set (cached per model)."""
    return dimension_stats(_model, x_test)


stats = stats_of(checkpoints.model_key(name), model)

# ---------------------------------------------------------------- (a) traversal
grid_col, middle, side = st.columns([1.25, 1.0, 1.1], gap="medium")
with side:
    widgets.digit_picker(state, "i", st.columns([1.1, 0.75, 1.3], vertical_alignment="bottom"))
    st.slider(t("rows"), 1, D, key=state.key("rows"))
    st.slider(t("steps"), 3, 15, step=2, key=state.key("steps"))
    with st.expander(t("more_settings"), icon=":material/tune:"):
        st.slider(t("span"), 0.5, 5.0, step=0.5, key=state.key("span"))
        orders = {"kl": t("order_kl"), "index": t("order_index")}
        st.radio(
            t("order"), list(orders), format_func=orders.get, key=state.key("order"),
            horizontal=True,
        )  # fmt: skip
        modes = {"images": t("mode_images"), "change": t("mode_change")}
        st.radio(
            t("mode"), list(modes), format_func=modes.get, key=state.key("mode"),
            horizontal=True, help=t("mode_help"),
        )  # fmt: skip

index = state["i"]
mu = latentviews.test_latents(name)[index]
shown = stats.by_kl[: state["rows"]]
if state["order"] == "index":
    shown = np.sort(shown)
values = traversal_values(state["span"], state["steps"])
images = traversal_images(model, mu, shown, values, state["mode"])
inactive = [not stats.active[j] for j in shown]
fig = traversal_figure(
    traversal_mosaic(images, len(values), inactive),
    [t("row_label", j=int(j), kl=float(stats.kl[j])) for j in shown],
    [value_label(v) for v in values],
    inactive,
    t("traversal_x"),
    height=TRAVERSAL_HEIGHT,
)
with grid_col, frame.figure_box():
    st.plotly_chart(fig, key="dims.traversal", theme=None, config=figcache.PLOT_CONFIG)
with middle, frame.result_box():
    real, decoded = st.columns(2)
    real.image(
        png_bytes(x_test[index], DIGIT_SCALE),
        caption=t("original", index=index, label=labels[index]),
        width=28 * DIGIT_SCALE,
    )
    decoded.image(
        png_bytes(inference.decode(model, mu[None])[0], DIGIT_SCALE),
        caption=t("reconstruction"),
        width=28 * DIGIT_SCALE,
    )
    st.metric(t("metric_active"), f"{stats.n_active} / {D}", help=t("metric_active_help"))
    st.caption(t("traversal_caption", span=state["span"]))
side.download_button(
    t("download_grid"),
    png_bytes(tile(images, n_cols=len(values), gap=2), 3),
    file_name=f"{name}-traversal-{index}.png",
    mime="image/png",
    icon=":material/download:",
    width="stretch",
)

# ---------------------------------------------------------------- (b) KL per dimension
st.subheader(t("stats_header"))
chart, lesson = st.columns([2.2, 1], gap="medium")
order = stats.by_kl if state["order"] == "kl" else np.arange(D)
texts = {
    key: t(key)
    for key in (
        "kl_title", "var_title", "x_title", "kl_axis", "var_axis", "threshold", "active",
        "inactive",
    )
}  # fmt: skip
stats_fig = figcache.cached_figure(
    (checkpoints.model_key(name), "stats", state["order"]),
    lambda: dimension_figure(stats, order, texts),
)  # the model's statistics: the same for every digit
chart.plotly_chart(stats_fig, key="dims.stats", theme=None, config=figcache.PLOT_CONFIG)
chart.caption(t("stats_caption", model=name, n=n_test))
with lesson:
    st.metric(t("metric_kl"), widgets.nats(float(stats.kl.sum())), help=t("metric_kl_help"))
    st.metric(t("metric_inactive_kl"), widgets.nats(float(stats.kl[~stats.active].sum())))
    st.markdown(t("collapse"))
state.publish()
