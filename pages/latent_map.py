"""Latent map: the encoded test set, click anywhere to decode, and the decoded manifold."""

import numpy as np
import streamlit as st

from explorer.figures import DIGIT_CURVES, GRID_CURVE, Overlay, latent_map
from explorer.images import png_bytes, png_data_uri
from explorer.latent_views import VIEW_LABELS, LatentView, decoded_manifold
from explorer.manifold import decode_points
from pages import shared

MANIFOLD_LABELS = {"off": "off", "overlay": "overlay on the map", "side": "side by side"}

name = shared.current_model_name()
model = shared.model(name)
if model is None:
    st.stop()
methods = shared.view_methods(model.config.latent_dim)
state = shared.PageState(
    "map",
    {
        "view": (methods[0], shared.one_of(*methods)),
        "manifold": ("off", shared.one_of(*MANIFOLD_LABELS)),
        "grid": (20, shared.int_in(8, 40)),
        "xy": (None, shared.parse_point),
        "digit": (None, shared.int_in(0, len(shared.test_digits()) - 1)),
    },
)
if state["view"] not in methods:  # the model changed under a remembered view
    state.set("view", methods[0])

st.title("Latent map")
st.markdown(
    "Every dot is a test digit pushed through the **encoder q(z|x)**: the mean of its "
    "Gaussian. **Click anywhere** and the **decoder p(x|z)** draws what lives at that point. "
    "Training maximises the ELBO = reconstruction − KL; the KL term packs the codes around "
    "the prior N(0, I), so the space between clusters still decodes into digit-like shapes."
)
shared.data_notice()

c1, c2, c3 = st.columns([1.2, 1.6, 1.2])
c1.radio("View", methods, format_func=VIEW_LABELS.get, key=state.key("view"), horizontal=True)
view = shared.latent_view(name, state["view"])
c2.radio(
    "Decoded manifold",
    list(MANIFOLD_LABELS),
    format_func=MANIFOLD_LABELS.get,
    key=state.key("manifold"),
    horizontal=True,
    disabled=not view.invertible,
    help="A grid of decoded digits over the plane (Kingma & Welling 2014, Fig. 4). "
    "Not for t-SNE, which has no way back from the map to z.",
)
c3.slider("Manifold size (n × n digits)", 8, 40, key=state.key("grid"))
if view.method == "pca":
    st.caption(
        "PCA plane of the encoder means: a click decodes the exact code on this plane "
        "(mean + x·PC1 + y·PC2), which passes through the middle of the data."
    )
elif view.method == "tsne":
    st.caption(
        "t-SNE places similar codes near each other but has no inverse: a click decodes "
        "the code of the nearest encoded test digit."
    )

# A view switch moves the plane under the clicked point: forget the point (not the digit).
last_view = st.session_state.get("map.last_view")
if last_view != (name, view.method):
    st.session_state["map.last_view"] = (name, view.method)
    if last_view is not None:
        state.set("xy", None)

labels = shared.test_digits().labels.numpy()
manifold_mode = state["manifold"] if view.invertible else "off"


@st.cache_resource(show_spinner=False, max_entries=8)
def manifold_image(key: tuple, _model, _view: LatentView, n: int):
    return decoded_manifold(_model, _view, n)


@st.cache_resource(show_spinner=False, max_entries=8)
def map_figure(key: tuple, _view: LatentView, overlay_n: int, selected):
    overlay = None
    if overlay_n:
        mosaic, lo, hi = manifold_image(key, model, _view, overlay_n)
        overlay = Overlay(png_data_uri(mosaic), lo[0], hi[0], lo[1], hi[1])
    return latent_map(
        _view.coords, labels, _view.click_grid(), _view.axis_titles, overlay, selected
    )


def selection_of(view: LatentView, xy, digit) -> tuple[int, int] | None:
    """(curve, point) in the map figure that shows the current point as selected."""
    if digit is not None:
        d = int(labels[digit])
        return DIGIT_CURVES[d], int(np.searchsorted(np.flatnonzero(labels == d), digit))
    if xy is not None:
        return GRID_CURVE, int(np.argmin(((view.click_grid() - np.asarray(xy)) ** 2).sum(1)))
    return None


def apply_click(points: list[dict]) -> None:
    if not points:
        return
    p = points[0]
    if p.get("curve_number") == GRID_CURVE:
        state.set("xy", (float(p["x"]), float(p["y"])))
        state.set("digit", None)
    elif p.get("curve_number") in DIGIT_CURVES and p.get("customdata") is not None:
        state.set("digit", int(np.ravel(p["customdata"])[0]))
        state.set("xy", (float(p["x"]), float(p["y"])))


def point_panel(view: LatentView) -> None:
    xy, digit = state["xy"], state["digit"]
    if digit is not None:
        z, nearest = view.latents[digit], None
    elif xy is not None:
        z, nearest = view.resolve(xy)
    else:
        st.info("Click anywhere on the map to decode that point.")
        return
    image = decode_points(model, z[None])[0]
    coords = ", ".join(f"{v:.4f}" for v in z[:4]) + (", …" if len(z) > 4 else "")
    # PNG: "auto" would re-encode this grayscale PNG as a lossy JPEG and blur its pixels.
    st.image(png_bytes(image, scale=10), caption=f"decoded at z = ({coords})", output_format="PNG")
    if len(z) > 2:
        st.caption(f"‖z‖ = {np.linalg.norm(z):.2f} in {len(z)}-D")
    if nearest is not None:
        st.caption(f"nearest encoded digit: test #{nearest} (a {labels[nearest]})")
    if digit is not None:
        st.markdown(f"**Test digit #{digit}** (label {labels[digit]}): the real image")
        st.image(png_bytes(shared.test_digits().images[digit, 0].numpy(), scale=5))
        a, b = st.columns(2)
        if a.button("Use as A", help="start of the interpolation", use_container_width=True):
            shared.PageState.set_on("interp", "a", digit)
        if b.button("Use as B", help="end of the interpolation", use_container_width=True):
            shared.PageState.set_on("interp", "b", digit)
        st.page_link("pages/interpolation.py", label="Open the interpolation →")


@st.fragment
def map_and_panel() -> None:
    """Clicks rerun only this fragment: the map's figure is cached and unchanged, so the
    browser keeps zoom and legend state and only the decoded image is redrawn."""
    settings = (name, view.method, manifold_mode, state["grid"])
    anchor = st.session_state.get("map.anchor")
    if anchor is None or anchor[0] != settings:
        anchor = (settings, selection_of(view, state["xy"], state["digit"]))
        st.session_state["map.anchor"] = anchor
    key = (name, str(model.checkpoint_path), view.method)
    overlay_n = state["grid"] if manifold_mode == "overlay" else 0
    fig = map_figure(key, view, overlay_n, anchor[1])
    widths = [2.2, 1.6, 1.1] if manifold_mode == "side" else [2.6, 1.1]
    cols = st.columns(widths)
    with cols[0]:
        event = st.plotly_chart(
            fig,
            key="map.chart",
            on_select="rerun",
            selection_mode="points",
            config={"displaylogo": False, "scrollZoom": True},
        )
    apply_click(event.selection.points if event else [])
    if manifold_mode == "side":
        mosaic, _, _ = manifold_image(key, model, view, state["grid"])
        scale = max(1, 640 // mosaic.shape[0])
        cols[1].image(png_bytes(mosaic, scale), caption="decoded manifold over the same range")
    with cols[-1]:
        point_panel(view)
    state.publish({"xy": shared.fmt_point(state["xy"])} if state["xy"] is not None else None)


map_and_panel()
