"""Latent map: the encoded test set, click anywhere to decode, and the decoded manifold.

The map needs only the encoded test set (cached on disk) and the labels, so it is drawn
first and the model (and torch) is loaded after it, when something is to be decoded.
"""

import numpy as np
import streamlit as st

from explorer.checkpoint_paths import resolve
from explorer.figures import DIGIT_CURVES, GRID_CURVE, Overlay, latent_map
from explorer.images import png_bytes, png_data_uri
from explorer.latent_views import LatentView, decoded_manifold
from explorer.manifold import decode_points
from explorer.texts.latent_map import CATALOG
from pages import shared

t = shared.translator(CATALOG)
VIEW_LABELS = t.options({m: f"view_{m}" for m in ("latent", "pca", "tsne")})
MANIFOLD_LABELS = t.options({m: f"manifold_{m}" for m in ("off", "overlay", "side")})

name, latents = shared.page_latents()
methods = shared.view_methods(latents.shape[1])
state = shared.PageState(
    "map",
    {
        "view": (methods[0], shared.one_of(*methods)),
        "manifold": ("off", shared.one_of(*MANIFOLD_LABELS)),
        "grid": (20, shared.int_in(8, 40)),
        "xy": (None, shared.parse_point),
        "digit": (None, shared.int_in(0, len(latents) - 1)),
        "live": (False, shared.flag),
    },
)
if state["view"] not in methods:  # the model changed under a remembered view
    state.set("view", methods[0])

st.title(t("title"))
st.markdown(t("intro"))
shared.data_notice()

c1, c2, c3, c4 = st.columns([1.1, 1.6, 1.2, 1.1])
c1.radio(t("view"), methods, format_func=VIEW_LABELS.get, key=state.key("view"), horizontal=True)
view = shared.latent_view(name, state["view"])
live = view.method == "latent" and state["live"]
c2.radio(
    t("manifold"),
    list(MANIFOLD_LABELS),
    format_func=MANIFOLD_LABELS.get,
    key=state.key("manifold"),
    horizontal=True,
    disabled=not view.invertible,
    help=t("manifold_help"),
)
c3.slider(t("grid"), 8, 40, key=state.key("grid"))
c4.toggle(t("live"), key=state.key("live"), disabled=view.method != "latent", help=t("live_help"))
if view.method in ("pca", "tsne"):
    st.caption(t(f"{view.method}_note"))

# A view switch moves the plane under the clicked point: forget the point (not the digit).
last_view = st.session_state.get("map.last_view")
if last_view != (name, view.method):
    st.session_state["map.last_view"] = (name, view.method)
    if last_view is not None:
        state.set("xy", None)

labels = shared.test_labels()
manifold_mode = state["manifold"] if view.invertible else "off"
if live and manifold_mode == "overlay":  # the live plane draws no overlay: show it beside
    manifold_mode = "side"


def model():
    """The model itself, loaded on first use (after the map is drawn)."""
    return shared.page_model()[1]


@st.cache_resource(show_spinner=False, max_entries=8)
def manifold_image(key: tuple, _model, _view: LatentView, n: int):
    return decoded_manifold(_model, _view, n)


@st.cache_resource(show_spinner=False, max_entries=8)
def map_figure(key: tuple, _view: LatentView, overlay_n: int, selected):
    overlay = None
    if overlay_n:
        mosaic, lo, hi = manifold_image(key, model(), _view, overlay_n)
        overlay = Overlay(png_data_uri(mosaic), lo[0], hi[0], lo[1], hi[1])
    return latent_map(
        _view.coords,
        labels,
        _view.click_grid(),
        _view.axis_titles,
        overlay,
        selected,
        legend_title=t("legend"),
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
        st.info(t("click_prompt"))
        return
    image = decode_points(model(), z[None])[0]
    coords = ", ".join(f"{v:.4f}" for v in z[:4]) + (", …" if len(z) > 4 else "")
    # PNG: "auto" would re-encode this grayscale PNG as a lossy JPEG and blur its pixels.
    st.image(png_bytes(image, scale=10), caption=t("decoded_at", z=coords), output_format="PNG")
    if len(z) > 2:
        st.caption(t("norm", norm=np.linalg.norm(z), dim=len(z)))
    if nearest is not None:
        st.caption(t("nearest", index=nearest, label=labels[nearest]))
    if digit is not None:
        st.markdown(t("real_digit", index=digit, label=labels[digit]))
        st.image(png_bytes(shared.test_digits().images[digit, 0].numpy(), scale=5))
        a, b = st.columns(2)
        if a.button(t("use_a"), help=t("use_a_help"), use_container_width=True):
            shared.PageState.set_on("interp", "a", digit)
        if b.button(t("use_b"), help=t("use_b_help"), use_container_width=True):
            shared.PageState.set_on("interp", "b", digit)
        st.page_link("pages/interpolation.py", label=t("open_interp"))


def plotly_map(view: LatentView, key: tuple, selected) -> None:
    """The Plotly map; a click (on a digit or on the faint grid under them) sets the point."""
    overlay_n = state["grid"] if manifold_mode == "overlay" else 0
    event = st.plotly_chart(
        map_figure(key, view, overlay_n, selected),
        key="map.chart",
        on_select="rerun",
        selection_mode="points",
        config={**shared.PLOT_CONFIG, "scrollZoom": True},
    )
    apply_click(event.selection.points if event else [])


def live_plane(view: LatentView) -> None:
    """The in-browser decoder: hovering decodes on every frame; a click pins the point."""
    from pages.hover_decoder import hover_decoder

    clicked = hover_decoder(
        model(),
        view.bounds(),
        view.coords,
        labels,
        key="map.hover",
        size_px=480,
        pinned=state["xy"],
    )
    if clicked is not None:
        state.set("xy", tuple(float(v) for v in clicked["z"]))
        state.set("digit", None)


@st.fragment
def map_and_panel() -> None:
    """Clicks rerun only this fragment: the map's figure is cached and unchanged, so the
    browser keeps zoom and legend state and only the decoded image is redrawn."""
    settings = (name, view.method, manifold_mode, state["grid"])
    anchor = st.session_state.get("map.anchor")
    if anchor is None or anchor[0] != settings:
        anchor = (settings, selection_of(view, state["xy"], state["digit"]))
        st.session_state["map.anchor"] = anchor
    key = (name, str(resolve(name)), view.method, shared.lang())
    widths = [2.2, 1.6, 1.1] if manifold_mode == "side" else [2.6, 1.1]
    cols = st.columns(widths)
    with cols[0]:
        if live:
            live_plane(view)
        else:
            plotly_map(view, key, anchor[1])
    if manifold_mode == "side":
        mosaic, _, _ = manifold_image(key, model(), view, state["grid"])
        scale = max(1, 640 // mosaic.shape[0])
        cols[1].image(png_bytes(mosaic, scale), caption=t("manifold_caption"))
    with cols[-1]:
        point_panel(view)
    state.publish({"xy": shared.fmt_point(state["xy"])} if state["xy"] is not None else None)


map_and_panel()
