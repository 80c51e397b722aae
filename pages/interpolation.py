"""Interpolation: decode the straight (or spherical) path between two encoded digits."""

import numpy as np
import streamlit as st

from explorer.figures import interpolation_player
from explorer.images import gif_bytes, png_bytes, png_data_uri
from explorer.interpolation import interpolate
from explorer.manifold import decode_points, tile
from pages import shared

name = shared.current_model_name()
model = shared.model(name)
if model is None:
    st.stop()
digits = shared.test_digits()
labels = digits.labels.numpy()
latents = shared.test_latents(name)
n_test = len(labels)


def first_of(digit: int) -> int:
    hits = np.flatnonzero(labels == digit)
    return int(hits[0]) if len(hits) else 0


state = shared.PageState(
    "interp",
    {
        "a": (first_of(6), shared.int_in(0, n_test - 1)),
        "b": (first_of(4), shared.int_in(0, n_test - 1)),
        "path": ("linear", shared.one_of("linear", "spherical")),
        "frames": (24, shared.int_in(4, 64)),
        "ms": (80, shared.int_in(20, 400)),
        "t": (0.0, shared.float_in(0.0, 1.0)),
    },
)
for end in ("a", "b"):  # the data changed under a remembered index (e.g. offline sample)
    if not 0 <= state[end] < n_test:
        state.set(end, first_of(6 if end == "a" else 4))

st.title("Interpolation")
st.markdown(
    "Encode two digits, walk the straight line **z(t) = (1 − t)·z_A + t·z_B** between their "
    "codes and decode every point. Drag the slider under the picture: the frames are all "
    "in your browser, so it morphs while you drag. In a VAE the KL term leaves no empty gaps "
    "between the classes, so every step still looks like a digit."
)
shared.data_notice()


def pick_random(end: str, digit: int) -> None:
    choices = np.flatnonzero(labels == digit)
    state.set(end, int(np.random.default_rng().choice(choices)))


ca, cb = st.columns(2)
for col, end, title in ((ca, "a", "Digit A (t = 0)"), (cb, "b", "Digit B (t = 1)")):
    with col:
        st.markdown(f"**{title}**")
        i1, i2, i3 = st.columns([1.2, 0.8, 1.0])
        i1.number_input("test index", 0, n_test - 1, step=1, key=state.key(end))
        want = i2.selectbox("digit", range(10), index=6 if end == "a" else 4, key=f"want_{end}")
        i3.button(f"🎲 a random {want}", key=f"rand_{end}", on_click=pick_random,
                  args=(end, want), use_container_width=True)
st.caption("Tip: click a digit on the **Latent map** page and press *Use as A* / *Use as B*.")

c1, c2, c3, c4 = st.columns(4)
c1.radio(
    "Path", ["linear", "spherical"], key=state.key("path"), horizontal=True,
    help="Spherical (slerp) follows the arc between the codes: in many dimensions, prior "
    "samples lie near a sphere of radius √D, and the straight line's middle cuts inside it.",
)
c2.slider("Frames", 4, 64, key=state.key("frames"))
c3.slider("Speed (ms per frame)", 20, 400, step=10, key=state.key("ms"))
c4.slider("Start at t", 0.0, 1.0, step=0.05, key=state.key("t"),
          help="Where the player opens, and what a bookmark of this page shows.")

a, b, n_frames = state["a"], state["b"], state["frames"]
zs = interpolate(latents[a], latents[b], n_frames, state["path"])
frames = decode_points(model, zs)  # (T, 28, 28)
start = round(state["t"] * (n_frames - 1))
if model.config.latent_dim == 2:
    path_xy, background, axes = zs, latents, ("z1", "z2")
else:
    pca = shared.latent_view(name, "pca")
    path_xy, background, axes = pca.from_latent(zs), pca.coords, ("PC 1", "PC 2")
    st.caption(f"{model.config.latent_dim}-D codes: the map shows the path on the PCA plane.")

fig = interpolation_player(
    [png_data_uri(f, scale=4) for f in frames], path_xy, background, labels, axes,
    frame_ms=state["ms"], start=start,
)
st.plotly_chart(fig, key="interp.player", config={"displaylogo": False})

ends = st.columns(4)
ends[0].image(png_bytes(digits.images[a, 0].numpy(), 5), caption=f"real A: #{a} ({labels[a]})")
ends[1].image(png_bytes(frames[0], 5), caption="decoded z_A (t = 0)")
ends[2].image(png_bytes(frames[-1], 5), caption="decoded z_B (t = 1)")
ends[3].image(png_bytes(digits.images[b, 0].numpy(), 5), caption=f"real B: #{b} ({labels[b]})")

strip = tile(frames, n_cols=n_frames, gap=2)
st.image(png_bytes(strip, 2), caption="all frames, t = 0 → 1")
d1, d2, _ = st.columns([1, 1, 3])
stem = f"{name}-{a}-to-{b}-{state['path']}"
d1.download_button("Download GIF", gif_bytes(frames, state["ms"]), file_name=f"{stem}.gif",
                   mime="image/gif", use_container_width=True)
d2.download_button("Download frame strip (PNG)", png_bytes(strip, 3), file_name=f"{stem}.png",
                   mime="image/png", use_container_width=True)
state.publish()
