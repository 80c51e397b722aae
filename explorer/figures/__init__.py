"""Every Plotly figure of the app, in one package; this module holds what they share and
the two explore-page figures.

- here: the projector template (FONT, the ten DIGIT_COLORS), `digit_traces` (every
  per-digit scatter is drawn by it), sending cached figures as fixed dicts (`sent_as`,
  `composed`, `with_layout`, `with_unchecked`, `typed_array`), the latent map, the
  interpolation player, samples over the latents, codes by digit;
- `lessons`: AE vs VAE, the β knob, the training replay, the bottleneck, image rows;
- `posterior`, `traversal`, `bounds`, `scores`, `corrupt`, `exact`: the figures of the
  reparameterization, high-dimensional, IWAE, anomaly / your-digit, denoising and exact
  pages.

Pure functions of numpy arrays and already translated strings (no Streamlit), so they
are testable and cacheable. Projector-friendly: large fonts, ten well-separated digit
colours, crisp pixel images.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

# Plotly/D3 category10: distinct on a projector and for most colour-blind viewers.
DIGIT_COLORS = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)
FONT = {"size": 16}
TICK_FONT = {"size": 15}


def _projector_template() -> go.layout.Template:
    """Plotly's white template with type readable from the back of a room: 16-px text,
    15-px ticks (Streamlit's own chart theme draws 12-px grey ones; pages pass
    `theme=None`), dark grey ink and the digit colours as the default colourway."""
    template = go.layout.Template(pio.templates["plotly_white"])
    axis = {"tickfont": TICK_FONT, "title": {"font": {"size": 17}}, "automargin": True}
    template.layout.update(
        font={"size": FONT["size"], "color": "#222"},
        colorway=DIGIT_COLORS,
        legend={"font": {"size": 16}, "title": {"font": {"size": 16}}},
        hoverlabel={"font": {"size": 16}},
        xaxis=axis,
        yaxis=axis,
        coloraxis={"colorbar": {"tickfont": TICK_FONT}},
    )
    for trace in ("heatmap", "histogram2d", "contour"):
        for t in template.data[trace] or []:
            t.colorbar = {"tickfont": TICK_FONT}
    return template


pio.templates["explorer"] = _projector_template()
pio.templates.default = "explorer"  # every figure built in this process
DIGIT_CURVES = range(0, 10)  # curve numbers of digits 0..9 in `latent_map`
GRID_CURVE = 10  # curve number of the invisible-ish click grid, above the digits
MAX_SVG_POINTS = 2500  # background points drawn as SVG in the interpolation player


def digit_traces(
    coords: np.ndarray,
    labels: np.ndarray,
    size: float = 5,
    opacity: float = 0.7,
    showlegend: bool = True,
    hover: str | None = "digit",
    webgl: bool = True,
    indexed: bool = False,
    group: str | None = None,
    group_title: str | None = None,
    **trace: Any,
) -> list[go.Scattergl | go.Scatter]:
    """One marker trace per digit class of points `coords` (N, 2), in the digit colours,
    so the legend toggles a digit (grouped across subplots): every per-digit scatter of
    the app is drawn by this. `hover` prefixes the digit in the hover text ("" for the
    digit alone); None switches hovering off. `indexed`: each point carries its row in
    `coords` as customdata (a click names the test digit) and the hover shows it.
    `webgl=False` draws SVG, which stays under later SVG traces (WebGL is painted above
    all SVG). `group` puts the ten in one legend group (titled `group_title`) instead of
    one group per digit. Other keyword arguments go to every trace (e.g. `selected`)."""
    kind = go.Scattergl if webgl else go.Scatter
    traces = []
    for digit in range(10):
        idx = np.flatnonzero(labels == digit)
        if hover is None:
            hovering = {"hoverinfo": "skip"}
        else:
            text = f"{hover} {digit}".strip() + (" · #%{customdata}" if indexed else "")
            hovering = {"hovertemplate": text + "<extra></extra>"}
        traces.append(
            kind(
                x=coords[idx, 0],
                y=coords[idx, 1],
                mode="markers",
                name=str(digit),
                legendgroup=group or str(digit),
                legendgrouptitle={"text": group_title} if group_title and digit == 0 else None,
                showlegend=showlegend,
                marker={"size": size, "color": DIGIT_COLORS[digit], "opacity": opacity},
                **({"customdata": idx} if indexed else {}),
                **hovering,
                **trace,
            )
        )
    return traces


@dataclass(frozen=True)
class Overlay:
    """A decoded-manifold mosaic placed over the plane: its PNG data URI and the data
    coordinates of its outer edges."""

    uri: str
    x0: float
    x1: float
    y0: float
    y1: float


def latent_map(
    coords: np.ndarray,
    labels: np.ndarray,
    click_grid: np.ndarray,
    axis_titles: tuple[str, str] = ("z1", "z2"),
    overlay: Overlay | None = None,
    selected: tuple[int, int] | None = None,
    height: int = 540,
    legend_title: str = "digit",
) -> go.Figure:
    """Scatter of encoded digits (one trace per digit, so the legend toggles them) under
    a faint grid of clickable markers covering the plane, with equal axes.

    Plotly reports clicks only on markers; the grid makes a click anywhere land on a point
    whose coordinates are decoded. The selected point is drawn enlarged (Plotly's own
    selection styling), so clicking never changes the figure and the chart keeps its zoom.
    The grid is the last trace, so its selected point is painted above every digit (all
    traces are WebGL; Plotly paints WebGL above SVG). `selected` = (curve number, point
    index) preselects a point, e.g. from a bookmark. With an `overlay` (a decoded
    mosaic) the gridlines are hidden and the selected point turns yellow, to show on black.
    """
    fig = go.Figure()
    mark = "#ffd400" if overlay is not None else "#000000"
    selection = {
        "selected": {"marker": {"size": 18, "color": mark, "opacity": 1.0}},
        "unselected": {"marker": {"opacity": 0.7}},
    }
    fig.add_traces(digit_traces(coords, labels, hover="", indexed=True, **selection))
    fig.add_trace(
        go.Scattergl(
            x=click_grid[:, 0],
            y=click_grid[:, 1],
            mode="markers",
            name="click grid",
            marker={"size": 7, "color": "#888", "opacity": 0.04},
            hoverinfo="none",
            showlegend=False,
            selected={"marker": {"size": 20, "color": mark, "opacity": 1.0}},
            unselected={"marker": {"opacity": 0.04}},
        )
    )
    if selected is not None:
        curve, point = selected
        for i, trace in enumerate(fig.data):
            trace.selectedpoints = [point] if i == curve else []
    if overlay is not None:
        fig.add_layout_image(
            source=overlay.uri,
            xref="x",
            yref="y",
            x=overlay.x0,
            y=overlay.y1,
            sizex=overlay.x1 - overlay.x0,
            sizey=overlay.y1 - overlay.y0,
            sizing="stretch",
            layer="below",
        )
    lo, hi = click_grid.min(axis=0), click_grid.max(axis=0)
    grid = overlay is None
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={
            "title": legend_title,
            "itemsizing": "constant",
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
        },
        xaxis={
            "title": axis_titles[0],
            "range": [lo[0], hi[0]],
            "zeroline": False,
            "showgrid": grid,
            "constrain": "domain",
        },
        yaxis={
            "title": axis_titles[1],
            "range": [lo[1], hi[1]],
            "zeroline": False,
            "showgrid": grid,
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
        },
        hovermode="closest",
        clickmode="event+select",
        dragmode="zoom",
        uirevision="keep",
    )
    return fig


PIXEL_GRID = np.stack(np.meshgrid(np.arange(28), np.arange(28)), -1).reshape(-1, 2)  # (x, y)


def pixel_squares(image: np.ndarray, size: float, name: str = "image") -> go.Scatter:
    """A (28, 28) image in [0, 1] as 784 grey square markers, row 0 at the top (y axis
    reversed by the caller). Unlike an image trace, a scatter's marker colours animate
    without a full redraw, so the picture stays on screen while a player plays."""
    return go.Scatter(
        x=PIXEL_GRID[:, 0],
        y=PIXEL_GRID[:, 1],
        mode="markers",
        name=name,
        marker={
            "symbol": "square",
            "size": size,
            "color": np.asarray(image, np.float32).ravel(),
            "colorscale": [[0, "black"], [1, "white"]],
            "cmin": 0.0,
            "cmax": 1.0,
            "line": {"width": 0},
        },
        hoverinfo="skip",
    )


def interpolation_player(
    frames: np.ndarray,
    path_xy: np.ndarray,
    background_xy: np.ndarray | None = None,
    background_labels: np.ndarray | None = None,
    axis_titles: tuple[str, str] = ("z1", "z2"),
    frame_ms: int = 80,
    start: int = 0,
    height: int = 470,
    titles: tuple[str, str] = ("path in latent space", "decoded p(x|z(t))"),
    buttons: tuple[str, str] = ("▶ play", "❚❚ pause"),
) -> go.Figure:
    """Latent map with the path (left) and the decoded image (right), animated in the
    browser: a slider scrubs t while dragging and a play button loops, with no server
    round trip. One frame per point of the path (`frames` (T, 28, 28) in [0, 1]); frame k
    shows t = k / (T - 1), and the player opens at frame `start`.

    The decoded image is drawn as square markers (`pixel_squares`): frames then change
    only marker colours and positions, which Plotly animates without a full redraw. An
    image trace needs a full redraw per frame, which on a busy CPU outlasts the frame
    period, so the picture stayed blank while playing.
    """
    n = len(frames)
    start = min(max(start, 0), n - 1)
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.08,
        subplot_titles=titles,
    )
    if background_xy is not None:
        # SVG, not WebGL: WebGL traces are painted above all SVG ones and would hide the
        # path. An evenly thinned background keeps SVG fast.
        step = max(1, len(background_xy) // MAX_SVG_POINTS)
        thin_xy, thin_labels = background_xy[::step], background_labels[::step]
        for trace in digit_traces(thin_xy, thin_labels, 4, 0.25, hover=None, webgl=False):
            fig.add_trace(trace, row=1, col=1)
    fig.add_trace(
        go.Scatter(
            x=path_xy[:, 0],
            y=path_xy[:, 1],
            mode="lines+markers",
            name="path",
            line={"color": "black", "width": 3},
            marker={"size": 5, "color": "black"},
            hoverinfo="skip",
        ),
        row=1,
        col=1,
    )
    moving = len(fig.data)
    fig.add_trace(
        go.Scatter(
            x=path_xy[start : start + 1, 0],
            y=path_xy[start : start + 1, 1],
            mode="markers",
            name="z(t)",
            marker={"size": 18, "color": "red", "line": {"width": 2, "color": "white"}},
            hoverinfo="skip",
        ),
        row=1,
        col=1,
    )
    image = len(fig.data)
    # The plot area is about height - 160 px tall (title, slider, buttons), and the image
    # subplot is square and height-bound: one 28th of it per pixel, with a little overlap.
    cell = (height - 160) / 28 + 0.6
    fig.add_trace(pixel_squares(frames[start], cell), row=1, col=2)
    fig.update_xaxes(title_text=axis_titles[0], row=1, col=1)
    fig.update_yaxes(title_text=axis_titles[1], row=1, col=1)
    fig.update_xaxes(visible=False, range=[-0.5, 27.5], constrain="domain", row=1, col=2)
    fig.update_yaxes(
        visible=False, range=[27.5, -0.5], scaleanchor="x2", constrain="domain", row=1, col=2
    )
    frames_spec = [
        {
            "name": str(k),
            "traces": [moving, image],
            "data": [
                {"type": "scatter", "x": [float(path_xy[k, 0])], "y": [float(path_xy[k, 1])]},
                {"type": "scatter", "marker": {"color": typed_array(frames[k])}},
            ],
        }
        for k in range(n)
    ]
    still = {
        "mode": "immediate",
        "frame": {"duration": 0, "redraw": False},
        "transition": {"duration": 0},
    }
    layout = dict(
        height=height,
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        sliders=[
            {
                "active": start,
                "currentvalue": {"prefix": "t = ", "font": {"size": 20}},
                "pad": {"t": 50},
                "len": 0.74,  # leaves room on the left for the play/pause buttons
                "x": 0.26,
                "steps": [
                    {"label": f"{k / (n - 1):.2f}", "method": "animate", "args": [[str(k)], still]}
                    for k in range(n)
                ],
            }
        ],
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": -0.08,
                "xanchor": "left",
                "yanchor": "top",
                "pad": {"t": 50},
                "font": {"size": 16},
                "buttons": [
                    {
                        "label": buttons[0],
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": frame_ms, "redraw": False},
                                "transition": {"duration": 0},
                                "fromcurrent": True,
                                "mode": "immediate",
                            },
                        ],
                    },
                    {"label": buttons[1], "method": "animate", "args": [[None], still]},
                ],
            }
        ],
    )
    # The frames and the slider's steps (a few dicts per frame) go in unchecked: building
    # them as Plotly objects took most of a new path's run.
    return with_unchecked(fig, layout=layout, frames=frames_spec)


def typed_array(values: np.ndarray, keep_shape: bool = False) -> dict:
    """`values` as Plotly's typed-array form (float32, base64), flattened unless
    `keep_shape` (a heatmap's 2-D z): what Plotly itself sends for a checked array, and what
    its JSON encoder would otherwise write out number by number."""
    arr = np.ascontiguousarray(values, dtype="<f4")
    spec = {"dtype": "f4", "bdata": base64.b64encode(arr.tobytes()).decode("ascii")}
    if keep_shape and arr.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in arr.shape)
    return spec


def sent_as(fig: go.Figure, spec: dict | None = None) -> go.Figure:
    """`fig`, from now on sent as `spec` (default: its own `to_dict()`, computed once):
    what `to_dict()` and `to_plotly_json()` return, and so what `st.plotly_chart` sends.
    `st.plotly_chart` otherwise deep-copies every trace on every run that shows it (0.03-
    0.1 s for a 10,000-point map here). The figure must not be changed afterwards."""
    spec = fig.to_dict() if spec is None else spec
    object.__setattr__(fig, "to_dict", lambda: spec)  # BaseFigure guards its attributes
    object.__setattr__(fig, "to_plotly_json", lambda: spec)
    return fig


def composed(spec: dict) -> go.Figure:
    """A figure that is sent as `spec` ({"data": [...], "layout": {...}, "frames": [...]}),
    built from parts Plotly has already checked (another figure's dict, small traces'
    `to_plotly_json()`): nothing is checked or copied again. Only what it is sent as
    (`to_dict()`, `to_plotly_json()`, `st.plotly_chart`) holds the parts; it must not be
    changed afterwards."""
    return sent_as(go.Figure(), spec)


def with_layout(fig: go.Figure, layout: dict) -> go.Figure:
    """A new figure with `fig`'s traces and frames (shared, not copied) and a shallow copy
    of its layout with `layout`'s entries set: a cached figure shown with one setting
    changed, without rebuilding its thousands of points."""
    spec = fig.to_dict()
    return composed({**spec, "layout": {**spec["layout"], **layout}})


def with_unchecked(fig: go.Figure, layout: dict | None = None, frames: list | None = None):
    """`fig` as Plotly checked it, plus `layout` entries and animation `frames` given as
    plain dicts that are not turned into Plotly objects (which checks every property: tens
    of ms per hundred frames on a 2-core machine). They appear in what the figure is sent
    as (`to_dict()`, `to_plotly_json()`, what `st.plotly_chart` sends), not in `fig.layout`
    or `fig.frames`, so the figure must not be changed afterwards."""
    spec = fig.to_dict()
    spec["layout"].update(layout or {})
    if frames is not None:
        spec["frames"] = frames
    return sent_as(fig, spec)


def samples_over_latents(
    latents: np.ndarray,
    labels: np.ndarray,
    samples: np.ndarray,
    height: int = 560,
    title: str = "samples (×) over the encoded test digits",
    samples_name: str = "samples",
) -> go.Figure:
    """Prior samples (x) over the encoded test digits of a 2-D model: where the prior puts
    z against where the encoder puts real digits (the aggregate posterior)."""
    fig = go.Figure(digit_traces(latents, labels, size=4, opacity=0.35, hover=None))
    fig.add_trace(  # WebGL like the digits, and after them: painted on top
        go.Scattergl(
            x=samples[:, 0],
            y=samples[:, 1],
            mode="markers",
            name=samples_name,
            marker={"size": 9, "color": "black", "symbol": "x"},
        )
    )
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title=title,
        xaxis_title="z1",
        yaxis_title="z2",
    )
    return fig


def codes_by_digit(
    latents: np.ndarray, labels: np.ndarray, title: str = "", height: int = 480
) -> go.Figure:
    """Codes (N, 2) coloured by digit, on equal axes, legend under the plane: where an
    encoder puts each class (or, for a conditional model, that it does not sort them)."""
    fig = go.Figure(digit_traces(latents, labels, size=4, opacity=0.55, hover="digit"))
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": title, "font": {"size": 18}},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={
            "orientation": "h", "itemsizing": "constant", "x": 0.5, "xanchor": "center",
            "y": -0.2, "yanchor": "top",
        },
        xaxis={"title": "z1", "constrain": "domain"},
        yaxis={"title": "z2", "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
    )  # fmt: skip
    return fig
