"""Latent map: the encoded test set, click anywhere to decode, and the decoded manifold.

The map needs only the encoded test set (cached on disk) and the labels, so it is drawn
first and the model (and torch) is loaded after it, when something is to be decoded.
Layout for a projector: the map on the left, the decoded point at the top of the right
column and the controls under it, all on the first 1280x720 screen.
"""

import numpy as np
import streamlit as st

from explorer.checkpoint_paths import resolve
from explorer.figures import DIGIT_CURVES, GRID_CURVE, Overlay, latent_map, sent_as
from explorer.images import png_bytes, png_data_uri
from explorer.latent_views import LatentView, decoded_manifold
from pages import figcache, frame, language, latentviews, pagestate, picker, testset
from pages.texts.latent_map import CATALOG

MAP_HEIGHT = 540  # px: with the header, the whole map fits a 720-px screen
DIGIT_SCALE = 10  # the decoded point: 28 px -> 280 px
LIVE_PLANE = 460  # px: the live plane, with the decoded digit beside it from 1280 px wide

t = language.translator(CATALOG)
VIEW_LABELS = t.options({m: f"view_{m}" for m in ("latent", "pca", "tsne")})
MANIFOLD_LABELS = t.options({m: f"manifold_{m}" for m in ("off", "overlay", "side")})

frame.header(t)
name, latents = latentviews.page_latents()
methods = latentviews.view_methods(latents.shape[1])
state = pagestate.PageState(
    "map",
    {
        "view": (methods[0], pagestate.one_of(*methods)),
        "manifold": ("off", pagestate.one_of(*MANIFOLD_LABELS)),
        "grid": (15, pagestate.int_in(8, 40)),
        "xy": (None, pagestate.parse_point),
        "digit": (None, pagestate.int_in(0, len(latents) - 1)),
        "live": (False, pagestate.flag),
    },
)
if state["view"] not in methods:  # the model changed under a remembered view
    state.set("view", methods[0])
labels = testset.test_labels()


def model():
    """The model itself, loaded on first use (after the map is drawn)."""
    return picker.page_model()[1]


@st.cache_resource(show_spinner=False, max_entries=8)
def manifold_image(key: tuple, _model, _view: LatentView, n: int):
    return decoded_manifold(_model, _view, n)


@st.cache_resource(show_spinner=False, max_entries=8)
def map_figure(key: tuple, _view: LatentView, overlay_n: int, selected):
    overlay = None
    if overlay_n:
        mosaic, lo, hi = manifold_image(key, model(), _view, overlay_n)
        overlay = Overlay(png_data_uri(mosaic), lo[0], hi[0], lo[1], hi[1])
    return sent_as(  # cached: sent as the dict computed once
        latent_map(
            _view.coords,
            labels,
            _view.click_grid(),
            _view.axis_titles,
            overlay,
            selected,
            height=MAP_HEIGHT,
            legend_title=t("legend"),
        )
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


def controls(view_methods: list[str], view: LatentView) -> None:
    """View, decoded manifold, its size and live decoding: compact, under the result."""
    if len(view_methods) > 1:
        st.radio(
            t("view"), view_methods, format_func=VIEW_LABELS.get, key=state.key("view"),
            horizontal=True,
        )  # fmt: skip
    st.radio(
        t("manifold"),
        list(MANIFOLD_LABELS),
        format_func=MANIFOLD_LABELS.get,
        key=state.key("manifold"),
        horizontal=True,
        disabled=not view.invertible,
        help=t("manifold_help"),
    )
    if state["manifold"] != "off" and view.invertible:
        st.slider(t("grid"), 8, 40, key=state.key("grid"))
    if view.method == "latent":
        st.toggle(t("live"), key=state.key("live"), help=t("live_help"))
    else:
        st.caption(t(f"{view.method}_note"))
    facts = picker.summary_facts(name) or {}
    knn = (facts.get("metrics") or {}).get("knn_accuracy")
    if knn is not None:  # the map's lesson, measured: codes cluster by digit
        st.caption(t("claim_knn", knn=knn))


def point_panel(view: LatentView, live: bool) -> None:
    """The decoded point (large), where it is, and for a real digit its image and the
    buttons that send it to the interpolation page."""
    xy, digit = state["xy"], state["digit"]
    if digit is not None:
        z, nearest = view.latents[digit], None
    elif xy is not None:
        z, nearest = view.resolve(xy)
    else:
        st.info(t("live_prompt" if live else "click_prompt"), icon=":material/touch_app:")
        return
    from explorer import inference  # torch: after the map is drawn, with the model

    image = inference.decode(model(), z[None])[0]
    coords = ", ".join(f"{v:.2f}" for v in z[:4]) + (", …" if len(z) > 4 else "")
    # PNG: "auto" would re-encode this grayscale PNG as a lossy JPEG and blur its pixels.
    st.image(
        png_bytes(image, scale=DIGIT_SCALE), caption=t("decoded_at", z=coords), output_format="PNG"
    )
    notes = []
    if len(z) > 2:
        notes.append(t("norm", norm=np.linalg.norm(z), dim=len(z)))
    if nearest is not None:
        notes.append(t("nearest", index=nearest, label=labels[nearest]))
    if notes:
        st.caption("  \n".join(notes))
    if digit is not None:
        real, text = st.columns([1, 2.2], vertical_alignment="center")
        real.image(png_bytes(testset.test_images()[digit], scale=3))
        text.markdown(t("real_digit", index=digit, label=labels[digit]))
        a, b = st.columns(2)
        a.button(t("use_a"), help=t("use_a_help"), width="stretch", on_click=send, args=("a",))
        b.button(t("use_b"), help=t("use_b_help"), width="stretch", on_click=send, args=("b",))
        st.page_link("pages/interpolation.py", label=t("open_interp"), icon=":material/timeline:")


def send(end: str) -> None:
    """Make the selected test digit the interpolation's digit A or B, and say so."""
    digit = state["digit"]
    pagestate.PageState.set_on("interp", end, digit)
    pagestate.PageState.set_on("interp", f"{end}.class", int(labels[digit]))
    st.toast(t(f"sent_{end}", index=digit, label=int(labels[digit])), icon=":material/check:")


def plotly_map(view: LatentView, key: tuple, selected, overlay_n: int) -> None:
    """The Plotly map; a click (on a digit or on the faint grid over them) sets the point."""
    event = st.plotly_chart(
        map_figure(key, view, overlay_n, selected),
        key="map.chart",
        on_select="rerun",
        selection_mode="points",
        theme=None,
        config={**figcache.PLOT_CONFIG, "scrollZoom": True},
    )
    apply_click(event.selection.points if event else [])


def live_plane(view: LatentView) -> None:
    """The in-browser decoder: hovering decodes on every frame; a click pins the point.
    Its weights come from the disk cache when they are there: no model, no torch."""
    from pages.hover_decoder import checkpoint_decoder, hover_decoder

    clicked = hover_decoder(
        checkpoint_decoder(resolve(name), load=model),
        view.bounds(),
        view.coords,
        labels,
        key="map.hover",
        size_px=LIVE_PLANE,
        pinned=state["xy"],
    )
    if clicked is not None:
        state.set("xy", tuple(float(v) for v in clicked["z"]))
        state.set("digit", None)


def clamp_bookmark(view: LatentView) -> None:
    """A point from the URL outside the plotted range is moved onto its edge, with a note."""
    xy = state["xy"]
    if xy is None or state["digit"] is not None or not view.invertible:
        return
    inside = view.clamp(xy)
    if not np.allclose(inside, xy):
        state.set("xy", inside)
        st.toast(t("clamped", given=pagestate.fmt_point(xy), used=pagestate.fmt_point(inside)))


@st.fragment
def page_body() -> None:
    """The whole page below the header. A click on the map reruns only this fragment, and
    the map's figure is cached and unchanged, so the browser keeps zoom and legend state
    and only the decoded image is redrawn."""
    view = latentviews.latent_view(name, state["view"])
    live = view.method == "latent" and state["live"]
    mode = state["manifold"] if view.invertible else "off"
    if live and mode == "overlay":  # the live plane draws no overlay: show it beside
        mode = "side"
    # A view switch moves the plane under the clicked point: forget the point (not the digit).
    last_view = st.session_state.get("map.last_view")
    if last_view != (name, view.method):
        st.session_state["map.last_view"] = (name, view.method)
        if last_view is not None:
            state.set("xy", None)
    clamp_bookmark(view)

    settings = (name, view.method, mode, state["grid"])
    anchor = st.session_state.get("map.anchor")
    if anchor is None or anchor[0] != settings:
        anchor = (settings, selection_of(view, state["xy"], state["digit"]))
        st.session_state["map.anchor"] = anchor
    key = (name, str(resolve(name)), view.method, language.lang())
    widths = [1.15, 1.05, 0.8] if mode == "side" else [2.1, 1.0] if live else [1.45, 1.0]
    cols = st.columns(widths, gap="medium")
    with cols[-1]:
        result, settings_box = frame.result_box(), st.container()
    with settings_box:
        controls(methods, view)
    with cols[0], frame.figure_box():
        if live:
            live_plane(view)
        else:
            plotly_map(view, key, anchor[1], state["grid"] if mode == "overlay" else 0)
    if mode == "side":
        mosaic, _, _ = manifold_image(key, model(), view, state["grid"])
        scale = max(1, 460 // mosaic.shape[0])
        cols[1].image(png_bytes(mosaic, scale), caption=t("manifold_caption"))
    with result:
        point_panel(view, live)
    state.publish({"xy": pagestate.fmt_point(state["xy"])} if state["xy"] is not None else None)


page_body()
