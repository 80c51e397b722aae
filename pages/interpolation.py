"""Interpolation: decode the straight (or spherical) path between two encoded digits."""

import streamlit as st

from explorer.figures import interpolation_player
from explorer.images import gif_bytes, png_bytes, png_data_uri
from explorer.interpolation import interpolate
from explorer.manifold import decode_points, tile
from explorer.texts.interpolation import CATALOG
from pages import shared

t = shared.translator(CATALOG)

name, model = shared.page_model()
digits = shared.test_digits()
labels = digits.labels.numpy()
latents = shared.test_latents(name)
n_test = len(labels)


state = shared.PageState(
    "interp",
    {
        "a": (shared.first_of(6), shared.int_in(0, n_test - 1)),
        "b": (shared.first_of(4), shared.int_in(0, n_test - 1)),
        "path": ("linear", shared.one_of("linear", "spherical")),
        "frames": (24, shared.int_in(4, 64)),
        "ms": (80, shared.int_in(20, 400)),
        "t": (0.0, shared.float_in(0.0, 1.0)),
    },
)
for end in ("a", "b"):  # the data changed under a remembered index (e.g. offline sample)
    if not 0 <= state[end] < n_test:
        state.set(end, shared.first_of(6 if end == "a" else 4))

st.title(t("title"))
st.markdown(t("intro"))
shared.data_notice()

ca, cb = st.columns(2)
for col, end, default in ((ca, "a", 6), (cb, "b", 4)):
    with col:
        st.markdown(f"**{t('digit_' + end)}**")
        shared.digit_picker(state, end, st.columns([1.2, 0.8, 1.0]), default_class=default)
st.caption(t("tip"))

PATHS = t.options({"linear": "path_linear", "spherical": "path_spherical"})
c1, c2, c3, c4 = st.columns(4)
c1.radio(
    t("path"),
    list(PATHS),
    format_func=PATHS.get,
    key=state.key("path"),
    horizontal=True,
    help=t("path_help"),
)
c2.slider(t("frames"), 4, 64, key=state.key("frames"))
c3.slider(t("speed"), 20, 400, step=10, key=state.key("ms"))
c4.slider(t("start_t"), 0.0, 1.0, step=0.05, key=state.key("t"), help=t("start_t_help"))

a, b, n_frames = state["a"], state["b"], state["frames"]
zs = interpolate(latents[a], latents[b], n_frames, state["path"])
frames = decode_points(model, zs)  # (T, 28, 28)
start = round(state["t"] * (n_frames - 1))
if model.config.latent_dim == 2:
    path_xy, background, axes = zs, latents, ("z1", "z2")
else:
    pca = shared.latent_view(name, "pca")
    path_xy, background, axes = pca.from_latent(zs), pca.coords, ("PC 1", "PC 2")
    st.caption(t("pca_note", dim=model.config.latent_dim))

fig = interpolation_player(
    [png_data_uri(f, scale=4) for f in frames],
    path_xy,
    background,
    labels,
    axes,
    frame_ms=state["ms"],
    start=start,
    titles=(t("player_path"), t("player_decoded")),
    buttons=(t("play"), t("pause")),
)
st.plotly_chart(fig, key="interp.player", config=shared.PLOT_CONFIG)

ends = st.columns(4)
ends[0].image(
    png_bytes(digits.images[a, 0].numpy(), 5), caption=t("real_a", index=a, label=labels[a])
)
ends[1].image(png_bytes(frames[0], 5), caption=t("decoded_a"))
ends[2].image(png_bytes(frames[-1], 5), caption=t("decoded_b"))
ends[3].image(
    png_bytes(digits.images[b, 0].numpy(), 5), caption=t("real_b", index=b, label=labels[b])
)

strip = tile(frames, n_cols=n_frames, gap=2)
st.image(png_bytes(strip, 2), caption=t("strip"))
d1, d2, _ = st.columns([1, 1, 3])
stem = f"{name}-{a}-to-{b}-{state['path']}"
d1.download_button(
    t("download_gif"),
    gif_bytes(frames, state["ms"]),
    file_name=f"{stem}.gif",
    mime="image/gif",
    use_container_width=True,
)
d2.download_button(
    t("download_strip"),
    png_bytes(strip, 3),
    file_name=f"{stem}.png",
    mime="image/png",
    use_container_width=True,
)
state.publish()
