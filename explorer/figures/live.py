"""Figures of the live-training page: the watched digits' codes at one recorded moment,
and the loss curves of every step so far."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.figures import FONT, digit_traces

CURVE_POINTS = 600  # the curves are averaged into at most this many points


def map_extent(xy: np.ndarray) -> float:
    """Half the side of the square the map shows: the codes' 99.5th |coordinate|, with a
    margin, rounded up to a whole number (at least 3, the prior's +-3 sigma), so the axes
    hold still between frames while the codes move."""
    finite = xy[np.isfinite(xy).all(1)]
    spread = float(np.percentile(np.abs(finite), 99.5)) if len(finite) else 0.0
    return float(max(3, math.ceil(spread * 1.1)))


def live_map(
    xy: np.ndarray,
    labels: np.ndarray,
    titles: dict[str, str],
    height: int = 440,
    extent: float | None = None,
    note: str = "",
) -> go.Figure:
    """Codes (N, 2) of the watched digits coloured by digit on equal, fixed axes; `note`
    written across the middle (the empty plane before a run). SVG, not WebGL: 1,000
    points redrawn twice a second need no WebGL context (which headless or GPU-less
    browsers emulate on the CPU the training also wants)."""
    r = extent or map_extent(xy)
    fig = go.Figure(digit_traces(xy, labels, size=6, opacity=0.75, hover="digit", webgl=False))
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": titles["map"], "font": {"size": 18}, "x": 0.01, "y": 0.98},
        margin={"l": 10, "r": 10, "t": 36, "b": 10},
        legend={"itemsizing": "constant", "tracegroupgap": 2, "title": {"text": titles["digit"]}},
        xaxis={"title": titles["x"], "range": [-r, r], "constrain": "domain"},
        yaxis={"title": titles["y"], "range": [-r, r], "scaleanchor": "x", "scaleratio": 1},
        uirevision="live-map",  # a legend toggle survives the next frame
    )
    if note:
        fig.add_annotation(text=note, x=0, y=0, showarrow=False, font={"size": 20, "color": "#555"})
    return fig


def _binned(steps: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Means of consecutive bins, at most n of them (every value when fewer)."""
    if len(steps) <= n:
        return steps, values
    edges = np.linspace(0, len(steps), n + 1).astype(int)
    x = np.array([steps[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])
    y = np.array([values[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])
    return x, y


def loss_curves(
    losses: np.ndarray,
    titles: dict[str, str],
    at_step: int | None = None,
    height: int = 250,
    show_kl: bool = True,
) -> go.Figure:
    """Reconstruction and KL (nats per image) against the step, one panel each (the AE has
    no KL: one panel), averaged into at most CURVE_POINTS points; a line at `at_step`."""
    rows = 2 if show_kl else 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.12)
    steps = losses[:, 0]
    for row, (col, name, colour) in enumerate(
        [(2, titles["recon"], "#1F77B4"), (3, titles["kl"], "#D62728")][:rows], start=1
    ):
        x, y = _binned(steps, losses[:, col], CURVE_POINTS)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name=name,
                line={"color": colour, "width": 2.5},
                hovertemplate=f"{titles['step']} %{{x:.0f}}: %{{y:.1f}}<extra>{name}</extra>",
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(title_text=name, title_font={"size": 14}, row=row, col=1)
    if at_step is not None:
        fig.add_vline(x=at_step, line={"color": "#555", "dash": "dot", "width": 2})
    fig.update_xaxes(title_text=titles["step"], row=rows, col=1)
    fig.update_layout(
        height=height,
        font=FONT,
        showlegend=False,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        uirevision="live-curves",
    )
    return fig
