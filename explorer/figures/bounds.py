"""The IWAE bound against k for one digit."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from explorer.figures import FONT


# ---------------------------------------------------------------- figure
def iwae_figure(
    curve: Mapping[str, np.ndarray | list[np.ndarray]],
    texts: Mapping[str, str],
    elbo: float | None = None,
    height: int = 500,
    exact: float | None = None,
) -> go.Figure:
    """-L_k against k on a log axis: every repetition as a faint dot, the mean with error
    bars of +-1 standard deviation, the closed-form -ELBO as a dotted line and, when given,
    the exact -log p(x) (2-D quadrature) as a dashed one that the bounds approach.
    `texts` keys: "title", "x_title", "y_title", "runs", "mean", "elbo" (and "exact")."""
    ks, mean, std = curve["k"], curve["mean"], curve["std"]
    fig = go.Figure()
    rng = np.random.default_rng(0)  # fixed horizontal jitter so the dots do not overlap
    xs = np.concatenate(
        [k * np.exp(rng.uniform(-0.12, 0.12, len(e))) for k, e in zip(ks, curve["estimates"])]
    )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=np.concatenate(curve["estimates"]),
            mode="markers",
            name=texts["runs"],
            marker={"size": 7, "color": "#7F7F7F", "opacity": 0.45},
            hovertemplate="−L_k = %{y:.2f}<extra></extra>",
        )
    )
    if elbo is not None:
        fig.add_hline(
            y=elbo,
            line={"color": "#2CA02C", "width": 2, "dash": "dot"},
            annotation_text=texts["elbo"],
            annotation_position="top right",
            annotation_font={"size": 15, "color": "#2CA02C"},
        )
    if exact is not None:
        fig.add_hline(
            y=exact,
            line={"color": "#D62728", "width": 2, "dash": "dash"},
            annotation_text=texts["exact"],
            annotation_position="bottom right",
            annotation_font={"size": 15, "color": "#D62728"},
        )
    fig.add_trace(
        go.Scatter(
            x=ks,
            y=mean,
            mode="lines+markers",
            name=texts["mean"],
            error_y={"type": "data", "array": std, "thickness": 2.5, "width": 8},
            line={"color": "#1F77B4", "width": 3},
            marker={"size": 12},
            hovertemplate="k = %{x}: −L_k = %{y:.2f} nats<extra></extra>",
        )
    )
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": texts["title"], "font": {"size": 18}},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1.0, "xanchor": "right"},
        xaxis={
            "title": texts["x_title"],
            "type": "log",
            "tickvals": list(ks),
            "ticktext": [str(k) for k in ks],
            "tickfont": {"size": 15},
        },
        yaxis={"title": texts["y_title"], "tickfont": {"size": 15}},
    )
    return fig
