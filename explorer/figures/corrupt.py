"""Figures of the denoising page: distance against corruption, accuracy of two models."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.corrupt import Sweep
from explorer.figures import FONT


def comparison_figure(
    levels: np.ndarray,
    noisy: np.ndarray,
    purified: dict[str, np.ndarray],
    x_title: str,
    y_title: str,
    noisy_name: str,
    current: float | None = None,
    height: int = 340,
) -> go.Figure:
    """Classifier accuracy against the corruption level: on the corrupted digits x̃ (grey,
    dashed) and on each model's purified digits x̂ (a line per model, NaN where a level is
    not measured yet); a vertical line at the slider's level."""
    fig = go.Figure(
        go.Scatter(
            x=levels, y=noisy, mode="lines+markers", name=noisy_name,
            line={"color": "#888", "dash": "dash", "width": 2}, marker={"size": 6},
        )
    )  # fmt: skip
    colours = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
    for i, (name, acc) in enumerate(purified.items()):
        fig.add_trace(
            go.Scatter(
                x=levels, y=acc, mode="lines+markers", name=name,
                line={"color": colours[i % len(colours)], "width": 4}, marker={"size": 8},
            )
        )  # fmt: skip
    if current is not None:
        fig.add_vline(x=current, line={"color": "black", "width": 1, "dash": "dot"})
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"title": x_title},
        yaxis={"title": y_title, "range": [0, 1.02], "tickformat": ".0%"},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    )
    return fig


def sweep_figure(
    sweep: Sweep,
    x_title: str,
    y_title: str,
    corrupted_name: str,
    reconstructed_name: str,
    current: float | None = None,
    height: int = 360,
) -> go.Figure:
    """Distance to the clean digit against the corruption level: the corrupted input and
    its reconstruction. Where the reconstruction's line is lower, the model denoised."""
    fig = go.Figure()
    for name, y, color, dash in (
        (corrupted_name, sweep.corrupted_error, "#7F7F7F", "dot"),
        (reconstructed_name, sweep.reconstructed_error, "#D62728", "solid"),
    ):
        fig.add_trace(
            go.Scatter(
                x=sweep.levels, y=y, mode="lines+markers", name=name,
                line={"color": color, "width": 3, "dash": dash}, marker={"size": 9},
                hovertemplate="%{x:.3g}: %{y:.1f}<extra>" + name + "</extra>",
            )
        )  # fmt: skip
    if current is not None:
        fig.add_vline(x=current, line={"color": "black", "width": 2, "dash": "dash"})
    fig.update_layout(
        height=height,
        font=FONT,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis_title=x_title,
        yaxis_title=y_title,
        yaxis_rangemode="tozero",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        hovermode="x unified",
    )
    return fig
