"""High-dimensional latents: latent traversals per dimension, per-dimension KL and the
active units of a VAE with many latent dimensions (posterior collapse)."""

import numpy as np
import streamlit as st

from explorer import checkpoint
from explorer.images import png_bytes
from explorer.manifold import decode_points, tile
from explorer.texts.latent_dims import CATALOG
from explorer.traversal import (
    dimension_figure,
    dimension_stats,
    traversal_figure,
    traversal_images,
    traversal_mosaic,
    traversal_values,
    value_label,
)
from pages import shared

FALLBACK = "vae-32d"
t = shared.translator(CATALOG)


name, model = shared.page_model()
digits = shared.test_digits()
labels = digits.labels.numpy()
n_test = len(labels)


def wide_vae(cfg: dict) -> bool:
    return cfg["kind"] == "vae" and cfg["latent_dim"] > 2


st.title(t("title"))
dims_name = shared.model_for(name, wide_vae, FALLBACK)
if dims_name is None:
    st.warning(t("no_model"))
    st.stop()
dims_model = shared.model(dims_name)
if dims_model is None:
    st.stop()
D = dims_model.config.latent_dim
st.markdown(t("intro", dim=D))
if dims_name != name:
    key = "using_fallback_ae" if model.config.kind == "ae" else "using_fallback"
    st.info(t(key, model=name, dim=model.config.latent_dim, fallback=dims_name), icon="ℹ️")
shared.data_notice()


def odd_steps(raw: str) -> int:
    """Values per dimension from the URL: odd (so 0 is one of them), 3 to 15."""
    value = shared.int_in(3, 15)(raw)
    if value % 2 == 0:
        raise ValueError(f"{value} is even")
    return value


state = shared.PageState(
    "dims",
    {
        "i": (shared.first_of(3), shared.int_in(0, n_test - 1)),
        "steps": (9, odd_steps),
        "span": (3.0, shared.float_in(0.5, 5.0)),
        "rows": (min(D, 14), shared.int_in(1, 4096)),
        "order": ("kl", shared.one_of("kl", "index")),
        "mode": ("images", shared.one_of("images", "change")),
    },
)
if not 0 <= state["i"] < n_test:  # the data changed under a remembered index
    state.set("i", shared.first_of(3))
if state["rows"] > D:  # the model changed under a remembered row count
    state.set("rows", D)


@st.cache_resource(show_spinner=False, max_entries=8)
def stats_of(key: tuple, _model):
    """Per-dimension KL and encoder-mean variance over the test set (cached per model)."""
    return dimension_stats(_model, digits.images)


path = checkpoint.resolve(dims_name)
stats = stats_of((dims_name, str(path), path.stat().st_mtime_ns, digits.source), dims_model)

# ---------------------------------------------------------------- (a) traversal
st.subheader(t("traversal_header"))


c1, c2, c3, c4, c5 = st.columns([1.1, 0.7, 1.0, 1.3, 1.1])
shared.digit_picker(state, "i", (c1, c2, c3))
c4.slider(t("rows"), 1, D, key=state.key("rows"))
c5.slider(t("steps"), 3, 15, step=2, key=state.key("steps"))
d1, d2, d3, _ = st.columns([1.1, 1.0, 1.6, 1.3])
d1.slider(t("span"), 0.5, 5.0, step=0.5, key=state.key("span"))
orders = {"kl": t("order_kl"), "index": t("order_index")}
d2.radio(t("order"), list(orders), format_func=orders.get, key=state.key("order"), horizontal=True)
modes = {"images": t("mode_images"), "change": t("mode_change")}
d3.radio(
    t("mode"),
    list(modes),
    format_func=modes.get,
    key=state.key("mode"),
    horizontal=True,
    help=t("mode_help"),
)

index = state["i"]
mu = shared.test_latents(dims_name)[index]
shown = stats.by_kl[: state["rows"]]
if state["order"] == "index":
    shown = np.sort(shown)
values = traversal_values(state["span"], state["steps"])
images = traversal_images(dims_model, mu, shown, values, state["mode"])
inactive = [not stats.active[j] for j in shown]
fig = traversal_figure(
    traversal_mosaic(images, len(values), inactive),
    [t("row_label", j=int(j), kl=float(stats.kl[j])) for j in shown],
    [value_label(v) for v in values],
    inactive,
    t("traversal_x"),
)
grid_col, side = st.columns([2.3, 1])
grid_col.plotly_chart(fig, key="dims.traversal", config=shared.PLOT_CONFIG)
with side:
    st.image(
        png_bytes(digits.images[index, 0].numpy(), 5),
        caption=t("original", index=index, label=labels[index]),
    )
    st.image(png_bytes(decode_points(dims_model, mu[None])[0], 5), caption=t("reconstruction"))
    st.caption(t("traversal_caption", span=state["span"]))
    st.download_button(
        t("download_grid"),
        png_bytes(tile(images, n_cols=len(values), gap=2), 3),
        file_name=f"{dims_name}-traversal-{index}.png",
        mime="image/png",
    )

# ---------------------------------------------------------------- (b) KL per dimension
st.subheader(t("stats_header"))
m1, m2, m3, _ = st.columns([1, 1, 1, 1.5])
m1.metric(t("metric_active"), f"{stats.n_active} / {D}", help=t("metric_active_help"))
m2.metric(t("metric_kl"), shared.nats(float(stats.kl.sum())), help=t("metric_kl_help"))
m3.metric(t("metric_inactive_kl"), shared.nats(float(stats.kl[~stats.active].sum())))
order = stats.by_kl if state["order"] == "kl" else np.arange(D)
texts = {
    key: t(key)
    for key in (
        "kl_title",
        "var_title",
        "x_title",
        "kl_axis",
        "var_axis",
        "threshold",
        "active",
        "inactive",
    )
}
st.plotly_chart(dimension_figure(stats, order, texts), key="dims.stats", config=shared.PLOT_CONFIG)
st.caption(t("stats_caption", model=dims_name, n=n_test))
st.markdown(t("collapse"))
state.publish()
