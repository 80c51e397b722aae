"""Interpolation: decode the straight (or spherical) path between two encoded digits.

Layout for a projector: the player (path and decoded frame) on the left, the two digits
and the path settings on the right; the end images and the frame strip below.
"""

import streamlit as st

from explorer import inference
from explorer.checkpoint import CheckpointError
from explorer.figures import interpolation_player
from explorer.images import gif_bytes, png_bytes
from explorer.interpolation import interpolate
from explorer.lessons import PathReading
from explorer.manifold import tile
from pages import (
    checkpoints,
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
from pages.texts.interpolation import CATALOG

PLAYER_HEIGHT = 470  # px: the player and its slider fit under the header on a 720-px screen
EXPORT_SCALE = 16  # downloads: 28 px -> 448 px per frame, slide size
STRIP_COLUMNS = 8  # the PNG download tiles the frames in rows of 8
OWN_CLASS_NOTE = 0.7  # name an end's class when the model reconstructs less of it as itself

t = language.translator(CATALOG)
frame.header(t)
name, model = picker.page_model()
digits, images = testset.test_arrays(), testset.test_images()
labels = digits.labels
latents = latentviews.test_latents(name)
n_test = len(labels)

default_a, default_b = measured.default_pair(name)
state = pagestate.PageState(
    "interp",
    {
        "a": (default_a, pagestate.int_in(0, n_test - 1)),
        "b": (default_b, pagestate.int_in(0, n_test - 1)),
        "path": ("linear", pagestate.one_of("linear", "spherical")),
        "frames": (24, pagestate.int_in(4, 64)),
        "ms": (80, pagestate.int_in(20, 400)),
        "t": (0.0, pagestate.float_in(0.0, 1.0)),
    },
)
for end, default in (("a", default_a), ("b", default_b)):  # the data changed under it
    if not 0 <= state[end] < n_test:
        state.set(end, default)


def reading_panel(frames, class_a: int, class_b: int) -> None:
    """What the digit classifier reads in the frames, and whether the morph is clean; for
    an end this model rarely reconstructs as its own class, say so."""
    try:
        clf = checkpoints.classifier()
    except CheckpointError:
        return
    probs = inference.classify(clf, frames)
    reading = PathReading(probs.argmax(axis=1), probs.max(axis=1))
    chain = " → ".join(map(str, reading.digits_passed))
    if reading.reads(class_a, class_b):
        st.success(t("reads_clean", chain=chain), icon=":material/check_circle:")
    else:
        st.info(t("reads", chain=chain, a=class_a, b=class_b), icon=":material/visibility:")
    rates = measured.own_class(name).per_class
    for digit in dict.fromkeys((class_a, class_b)):
        if rates[digit] < OWN_CLASS_NOTE:
            st.caption(t("own_class_note", digit=digit, rate=rates[digit]))


PATHS = t.options({"linear": "path_linear", "spherical": "path_spherical"})
player_col, side = st.columns([2.15, 1], gap="medium")
with side:
    for end in ("a", "b"):
        st.markdown(f"**{t('digit_' + end)}**")
        widgets.digit_picker(state, end, st.columns([1.25, 0.85, 1.1], vertical_alignment="bottom"))
    st.radio(
        t("path"),
        list(PATHS),
        format_func=PATHS.get,
        key=state.key("path"),
        horizontal=True,
        help=t("path_help"),
    )
    with st.expander(t("more_settings"), icon=":material/tune:"):
        st.slider(t("frames"), 4, 64, key=state.key("frames"))
        st.slider(t("speed"), 20, 400, step=10, key=state.key("ms"))
        st.slider(t("start_t"), 0.0, 1.0, step=0.05, key=state.key("t"), help=t("start_t_help"))
    reading_box = st.container()
    st.caption(t("tip"))

a, b, n_frames = state["a"], state["b"], state["frames"]
zs = interpolate(latents[a], latents[b], n_frames, state["path"])
frames = inference.decode(model, zs)  # (T, 28, 28)
start = round(state["t"] * (n_frames - 1))
if model.config.latent_dim == 2:
    path_xy, background, axes, note = zs, latents, ("z1", "z2"), None
else:
    pca = latentviews.latent_view(name, "pca")
    path_xy, background, axes = pca.from_latent(zs), pca.coords, ("PC 1", "PC 2")
    note = t("pca_note", dim=model.config.latent_dim)

fig = interpolation_player(
    frames,
    path_xy,
    background,
    labels,
    axes,
    frame_ms=state["ms"],
    start=start,
    height=PLAYER_HEIGHT,
    titles=(t("player_path"), t("player_decoded")),
    buttons=(t("play"), t("pause")),
)
with player_col, frame.figure_box(), frame.result_box():
    st.plotly_chart(fig, key="interp.player", theme=None, config=figcache.PLOT_CONFIG)
    if note:
        st.caption(note)

with reading_box:
    reading_panel(frames, int(labels[a]), int(labels[b]))

stem, ms = f"{name}-{a}-to-{b}-{state['path']}", state["ms"]
with side:
    d1, d2 = st.columns(2)
    d1.download_button(
        t("download_gif"),
        lambda: gif_bytes(frames, ms, scale=EXPORT_SCALE),
        file_name=f"{stem}.gif",
        mime="image/gif",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    d2.download_button(
        t("download_strip"),
        lambda: png_bytes(tile(frames, n_cols=min(STRIP_COLUMNS, n_frames), gap=1), EXPORT_SCALE),
        file_name=f"{stem}.png",
        mime="image/png",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )

ends = st.columns(4)
ends[0].image(png_bytes(images[a], 5), caption=t("real_a", index=a, label=labels[a]))
ends[1].image(png_bytes(frames[0], 5), caption=t("decoded_a"))
ends[2].image(png_bytes(frames[-1], 5), caption=t("decoded_b"))
ends[3].image(png_bytes(images[b], 5), caption=t("real_b", index=b, label=labels[b]))
st.image(png_bytes(tile(frames, n_cols=n_frames, gap=2), 2), caption=t("strip"))
state.publish()
