"""Figures of the high-dimensional page: latent traversals and per-dimension KL."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.figures import FONT
from explorer.traversal import DimensionStats

ACTIVE_COLOR, INACTIVE_COLOR = "#1F77B4", "#B0B0B0"  # the bars of active and inactive dimensions


def traversal_figure(
    mosaic: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    inactive_rows: Sequence[bool],
    x_title: str,
    title: str = "",
    cell_px: int = 44,
    gap: int = 2,
    height: int | None = None,
) -> go.Figure:
    """The traversal mosaic as an image with labelled rows (dimension, KL) and columns
    (the value given to that dimension); inactive rows' labels are grey. The figure is
    `height` px tall with the cells as large as fit (equal axes keep them square), or
    `cell_px` px per row when `height` is None."""
    n_rows, n_cols = len(row_labels), len(col_labels)
    step = 28 + gap
    fig = go.Figure(go.Image(z=mosaic, hoverinfo="skip"))
    ticks = [
        f"<span style='color:{INACTIVE_COLOR}'>{label}</span>" if off else label
        for label, off in zip(row_labels, inactive_rows)
    ]
    fig.update_layout(
        height=height or n_rows * cell_px + 110,
        font=FONT,
        title={"text": title, "font": {"size": 18}},
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        xaxis={
            "title": x_title,
            "side": "top",
            "tickmode": "array",
            "tickvals": [c * step + 13.5 for c in range(n_cols)],
            "ticktext": list(col_labels),
            "showgrid": False,
            "constrain": "domain",
            "tickfont": {"size": 15},
        },
        yaxis={
            "tickmode": "array",
            "tickvals": [r * step + 13.5 for r in range(n_rows)],
            "ticktext": ticks,
            "showgrid": False,
            "scaleanchor": "x",
            "constrain": "domain",
            "tickfont": {"size": 15},
        },
    )
    return fig


def dimension_figure(
    stats: DimensionStats,
    order: Sequence[int],
    texts: dict[str, str],
    height: int = 560,
) -> go.Figure:
    """Two panels over the dimensions in `order`: KL_j (bars, nats) above the variance of
    the encoder mean (log axis) with the active-unit threshold as a horizontal line.
    Active dimensions are blue, inactive grey. `texts` keys: "kl_title", "var_title",
    "x_title", "kl_axis", "var_axis", "threshold", "active", "inactive"."""
    order = list(order)
    names = [f"z{j}" for j in order]
    colors = [ACTIVE_COLOR if stats.active[j] else INACTIVE_COLOR for j in order]
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(texts["kl_title"], texts["var_title"]),
    )
    status = [texts["active"] if stats.active[j] else texts["inactive"] for j in order]
    fig.add_trace(
        go.Bar(
            x=names,
            y=stats.kl[order],
            marker_color=colors,
            customdata=status,
            hovertemplate="%{x}: KL %{y:.3f} nats (%{customdata})<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    # Variance floor so a log axis can show an exactly-zero variance.
    variance = np.maximum(stats.variance[order], 1e-6)
    fig.add_trace(
        go.Scatter(
            x=names,
            y=variance,
            mode="markers",
            customdata=status,
            marker={"size": 12, "color": colors, "line": {"width": 1, "color": "black"}},
            hovertemplate="%{x}: %{y:.2g} (%{customdata})<extra></extra>",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    fig.add_hline(
        y=stats.threshold, line={"color": "#D62728", "width": 2, "dash": "dash"}, row=2, col=1
    )
    # Annotations on a log axis take log10 coordinates (shapes take data values).
    fig.add_annotation(
        x=1.0,
        xref="x2 domain",
        y=float(np.log10(stats.threshold)),
        yref="y2",
        text=texts["threshold"],
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"size": 15, "color": "#D62728"},
    )
    fig.update_yaxes(title_text=texts["kl_axis"], row=1, col=1)
    fig.update_yaxes(title_text=texts["var_axis"], type="log", exponentformat="power", row=2, col=1)
    fig.update_xaxes(title_text=texts["x_title"], row=2, col=1)
    fig.update_xaxes(tickangle=-90, tickfont={"size": 14})
    fig.update_yaxes(tickfont={"size": 15})
    fig.update_layout(height=height, font=FONT, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    fig.update_annotations(font_size=18, selector={"text": texts["kl_title"]})
    fig.update_annotations(font_size=18, selector={"text": texts["var_title"]})
    return fig
