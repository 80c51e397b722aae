"""Figures of the reparameterization page: q(z|x) as ellipses over the encoded digits,
its samples and their decodings, reconstructions with their error maps."""

from __future__ import annotations

import numpy as np
import plotly.colors as px_colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.figures import FONT, composed, digit_traces, typed_array
from explorer.posterior import ellipse_points

ELLIPSE_COLORS = ("#000000", "#555555")  # 1 sigma solid black, 2 sigma dashed grey
SAMPLE_COLOR = "#D62728"
# Plotly's Inferno with its first stop "#000004" made pure black: Streamlit's chart theme
# treats the colours #000001..#000009 as placeholders and repaints them (pink).
_INFERNO = ["#000000", *px_colors.sequential.Inferno[1:]]
ERROR_COLORSCALE = [[i / (len(_INFERNO) - 1), c] for i, c in enumerate(_INFERNO)]


def reconstruction_figure(
    x: np.ndarray,
    x_hat: np.ndarray,
    error: np.ndarray,
    titles: tuple[str, str, str],
    colorbar_title: str,
    height: int = 330,
    base: go.Figure | None = None,
) -> go.Figure:
    """Original, reconstruction and their per-pixel error side by side, each pixel square.

    The two digits are grey (0 black, 1 white); the error uses a separate colour scale
    with a colour bar from 0 to 1 (the full intensity range), so figures compare.
    `base`: a figure this function made before with the same titles and height (cached by
    the caller); only its three images are then replaced, nothing else is built."""
    if base is not None:
        spec = base.to_dict()
        data = [
            {**trace, "z": typed_array(img, keep_shape=True)}
            for trace, img in zip(spec["data"], (x, x_hat, error))
        ]
        return composed({**spec, "data": data})
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.04)
    for col, img in ((1, x), (2, x_hat)):
        fig.add_trace(
            go.Heatmap(
                z=img,
                zmin=0,
                zmax=1,
                colorscale="gray",
                showscale=False,
                hovertemplate="(%{y}, %{x}): %{z:.2f}<extra></extra>",
            ),
            row=1,
            col=col,
        )
    fig.add_trace(
        go.Heatmap(
            z=error,
            zmin=0,
            zmax=1,
            colorscale=ERROR_COLORSCALE,
            colorbar={"title": {"text": colorbar_title}, "thickness": 18, "len": 0.9},
            hovertemplate="(%{y}, %{x}): %{z:.2f}<extra></extra>",
        ),
        row=1,
        col=3,
    )
    for i in (1, 2, 3):
        suffix = "" if i == 1 else str(i)
        fig.update_layout(
            {
                f"xaxis{suffix}": {"visible": False, "constrain": "domain"},
                f"yaxis{suffix}": {
                    "visible": False,
                    "autorange": "reversed",
                    "scaleanchor": f"x{suffix}",
                    "constrain": "domain",
                },
            }
        )
    fig.update_layout(height=height, font=FONT, margin={"l": 10, "r": 10, "t": 50, "b": 10})
    fig.update_annotations(font={"size": 18})
    return fig


def posterior_base(
    latents: np.ndarray,
    labels: np.ndarray,
    names: dict[str, str],
    height: int = 520,
    legend: bool = True,
) -> go.Figure:
    """The part of `posterior_figure` that is the same for every digit of a model: the
    encoded test digits coloured by class, on equal axes, and the layout. Cache it."""  # fmt: skip
    fig = go.Figure(
        digit_traces(
            latents, labels, size=6, opacity=0.45, showlegend=False, hover=names["digit"],
            indexed=True,
        )
    )  # fmt: skip
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": "", "font": {"size": 18}},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        showlegend=legend,
        legend={"orientation": "h", "y": -0.14, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        xaxis={
            "title": names["z1"], "zeroline": False, "constrain": "domain",
            "tickfont": {"size": 15},
        },
        yaxis={
            "title": names["z2"], "zeroline": False, "scaleanchor": "x", "scaleratio": 1,
            "constrain": "domain", "tickfont": {"size": 15},
        },
        hovermode="closest",
        uirevision="keep",
    )  # fmt: skip
    return fig


def _overlay_traces(
    mu: np.ndarray, sigma: np.ndarray, names: dict[str, str], samples: np.ndarray | None
) -> list[go.Scattergl]:
    """q(z|x)'s 2- and 1-sigma ellipses, its mean and the numbered samples. WebGL like the
    digits and after them: Plotly paints all WebGL traces above all SVG ones, so SVG
    ellipses and samples would hide under the dots."""
    traces = []
    for n_sigma, color, dash, key in (
        (2, ELLIPSE_COLORS[1], "dash", "sigma2"),
        (1, ELLIPSE_COLORS[0], "solid", "sigma1"),
    ):
        ring = ellipse_points(mu, sigma, n_sigma)
        traces.append(
            go.Scattergl(
                x=ring[:, 0], y=ring[:, 1], mode="lines", name=names[key],
                line={"color": color, "width": 3, "dash": dash}, hoverinfo="skip",
            )
        )  # fmt: skip
    traces.append(
        go.Scattergl(
            x=[mu[0]], y=[mu[1]], mode="markers", name=names["mu"],
            marker={"size": 14, "color": "black", "symbol": "cross",
                    "line": {"width": 1, "color": "white"}},
            hovertemplate="μ = (%{x:.3f}, %{y:.3f})<extra></extra>",
        )
    )  # fmt: skip
    if samples is not None and len(samples):
        numbers = [str(i + 1) for i in range(len(samples))]
        traces.append(
            go.Scattergl(
                x=samples[:, 0], y=samples[:, 1], mode="markers+text", name=names["samples"],
                text=numbers, textposition="top right",
                textfont={"size": 15, "color": SAMPLE_COLOR},
                marker={"size": 11, "color": SAMPLE_COLOR,
                        "line": {"width": 1.5, "color": "white"}},
                hovertemplate="z%{text} = (%{x:.3f}, %{y:.3f})<extra></extra>",
            )
        )  # fmt: skip
    return traces


def posterior_figure(
    latents: np.ndarray,
    labels: np.ndarray,
    mu: np.ndarray,
    sigma: np.ndarray,
    view: tuple[float, float, float, float],
    names: dict[str, str],
    samples: np.ndarray | None = None,
    window: tuple[float, float, float, float] | None = None,
    title: str = "",
    height: int = 520,
    legend: bool = True,
    base: go.Figure | None = None,
) -> go.Figure:
    """Encoded test digits (coloured by class) with q(z|x)'s 1- and 2-sigma ellipses, its
    mean, optional numbered samples z (n, 2), and optionally a box marking a zoom window.

    `view` and `window` are (x0, x1, y0, y1). Axes have equal scale (scaleanchor), so the
    ellipse is drawn to scale. `names` holds the legend texts: keys "digit", "sigma1",
    "sigma2", "mu", "samples", and the axis titles "z1", "z2". `legend=False` leaves the
    legend (under the plane) out, e.g. when a second figure beside it shows the same one.
    `base`: `posterior_base` of the same points, names, height and legend, cached by the
    caller; the figure then shares its 10,000 points instead of building them again.
    """
    if base is None:
        base = posterior_base(latents, labels, names, height, legend)
    spec = base.to_dict()
    layout = dict(spec["layout"])
    x0, x1, y0, y1 = view
    layout["title"] = {**layout.get("title", {}), "text": title}
    layout["xaxis"] = {**layout["xaxis"], "range": [x0, x1]}
    layout["yaxis"] = {**layout["yaxis"], "range": [y0, y1]}
    if window is not None:
        wx0, wx1, wy0, wy1 = window
        layout["shapes"] = [
            {
                "type": "rect", "x0": wx0, "x1": wx1, "y0": wy0, "y1": wy1,
                "line": {"color": "black", "width": 2}, "fillcolor": "rgba(0,0,0,0.08)",
            }
        ]  # fmt: skip
    overlay = [trace.to_plotly_json() for trace in _overlay_traces(mu, sigma, names, samples)]
    return composed({"data": [*spec["data"], *overlay], "layout": layout})
