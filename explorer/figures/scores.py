"""Anomaly scores as overlaid histograms, and a new digit's place on a latent map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from explorer.figures import FONT, digit_traces

MARKER_COLOR = "black"  # a new digit's marker on the map

SET_COLORS = ("#D62728", "#FF7F0E", "#9467BD", "#2CA02C", "#8C564B", "#E377C2", "#17BECF")


TEST_COLOR = "#1F77B4"


# ---------------------------------------------------------------- figures
def map_with_marker(
    coords: np.ndarray,
    labels: np.ndarray,
    marker_xy: np.ndarray | None,
    marker_name: str,
    axis_titles: tuple[str, str],
    legend_title: str = "digit",
    hover: str = "digit",
    height: int = 560,
) -> go.Figure:
    """Encoded test digits (N, 2), one trace per digit, and one large star at `marker_xy`
    (2,), or none when it is None. The star is WebGL like the digits and drawn after them,
    so it sits on top (Plotly paints every WebGL trace above every SVG one). Equal axes
    that include the star even when it lands far from the data."""
    fig = go.Figure(digit_traces(coords, labels, size=5, opacity=0.55, hover=hover))
    pts = coords
    if marker_xy is not None:
        x, y = (float(v) for v in np.ravel(marker_xy)[:2])
        fig.add_trace(
            go.Scattergl(
                x=[x], y=[y], mode="markers", name=marker_name,
                marker={"symbol": "star", "size": 34, "color": "#FFD700",
                        "line": {"color": MARKER_COLOR, "width": 2.5}},
                hovertemplate=f"{marker_name}: (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
            )
        )  # fmt: skip
        pts = np.vstack([coords, [[x, y]]])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = (hi - lo) * 0.05 + 1e-6
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"title": legend_title, "itemsizing": "constant", "orientation": "h",
                "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"title": axis_titles[0], "range": [lo[0] - pad[0], hi[0] + pad[0]],
               "zeroline": False, "constrain": "domain"},
        yaxis={"title": axis_titles[1], "range": [lo[1] - pad[1], hi[1] + pad[1]],
               "zeroline": False, "scaleanchor": "x", "constrain": "domain"},
        hovermode="closest",
    )  # fmt: skip
    return fig


def log_bins(values: Sequence[np.ndarray], n_bins: int = 60) -> np.ndarray:
    """`n_bins + 1` log-spaced edges covering every positive value in `values`.

    Anomaly scores span decades (a blank image scores ~1, a digit ~30, noise ~300), so a
    log axis shows every set's shape at once.
    """
    flat = np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for v in values])
    flat = flat[np.isfinite(flat) & (flat > 0)]
    if len(flat) == 0:
        return np.logspace(-1, 1, n_bins + 1)
    lo, hi = np.log10(flat.min()), np.log10(flat.max())
    if hi - lo < 1e-6:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.02
    return np.logspace(lo - pad, hi + pad, n_bins + 1)


def _step(edges: np.ndarray, heights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A histogram's outline: x at each edge twice, y at each bin's height twice."""
    x = np.repeat(edges, 2)
    y = np.concatenate([[0.0], np.repeat(heights, 2), [0.0]])
    return x, y


def score_histogram(
    sets: Mapping[str, np.ndarray],
    x_title: str,
    y_title: str,
    lines: Sequence[tuple[float, str, str]] = (),
    colors: Mapping[str, str] | None = None,
    n_bins: int = 60,
    height: int = 420,
    spike: float = 0.35,
) -> go.Figure:
    """Overlaid, normalised histograms of anomaly scores on a log x-axis.

    `sets` maps each (translated) legend name to its scores; each set's bars sum to 1 (the
    share of that set per bin), so sets of different sizes compare. A set with more than
    `spike` of its mass in one bin (e.g. 500 identical blank images) would flatten every
    other set, so the y-axis is fitted to the others and the spike is labelled with its
    share instead. `lines` are vertical markers (x, label, colour), e.g. a threshold or
    one new digit's score; their labels alternate right and left of the line.
    """
    names = list(sets)
    edges = log_bins([sets[n] for n in names], n_bins)
    fig = go.Figure()
    tops, spikes = [], []
    for i, name in enumerate(names):
        values = np.ravel(np.asarray(sets[name], dtype=np.float64))
        counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
        share = counts / max(len(values), 1)
        x, y = _step(edges, share)
        color = (colors or {}).get(name, SET_COLORS[i % len(SET_COLORS)])
        fig.add_trace(
            go.Scatter(
                x=x, y=y, mode="lines", name=name, fill="tozeroy", opacity=0.6,
                line={"color": color, "width": 2}, hoverinfo="skip",
            )
        )  # fmt: skip
        peak = int(share.argmax())
        if share[peak] > spike:
            spikes.append((np.sqrt(edges[peak] * edges[peak + 1]), share[peak], name, color))
        else:
            tops.append(share.max())
    top = 1.15 * max(tops) if tops else 1.05
    for x, share, name, color in spikes:
        if share > top:
            fig.add_annotation(
                x=np.log10(x), y=top, yref="y", text=f"↑ {name}: {share:.0%}", showarrow=False,
                yanchor="top", xanchor="left", font={"size": 14, "color": color},
            )  # fmt: skip
    for k, (x, label, color) in enumerate(lines):
        x = max(float(x), edges[0])
        fig.add_vline(x=x, line={"color": color, "width": 3, "dash": "dash"})
        fig.add_annotation(
            x=np.log10(x), y=1.0, yref="paper", text=label, showarrow=False, yanchor="bottom",
            xanchor="left" if k % 2 == 0 else "right", font={"size": 15, "color": color},
        )  # fmt: skip
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": x_title, "type": "log", "dtick": "D2"},
        yaxis={"title": y_title, "range": [0, top], "tickformat": ".0%"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.28, "x": 0},
        hovermode="closest",
    )
    return fig
