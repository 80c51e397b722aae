"""Plotly figures of the exact page: the true posterior with q(z|x) over it, log p(x) in
three terms, the IWAE bound against k, and the ELBO of q optimised for one digit.

Pure functions of `explorer.exact` results (no Streamlit). `names` dicts carry every
visible text, so the page passes them in its language.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from explorer.exact import ImportanceCurve, Optimised, Posterior, Terms
from explorer.figures import FONT
from explorer.figures.posterior import ELLIPSE_COLORS
from explorer.posterior import ellipse_points

DECADES = 4  # the heatmap shows p(z|x) down to 10^-4 of its peak; lower is white
MAX_CELLS = 161  # heatmap cells per axis at most (the fine grid is thinned to this)
BEST_COLOR = "#2CA02C"  # the optimised q
EXACT_COLOR = "#D62728"  # the exact log p(x)
RUN_COLORS = {"encoder": "#1F77B4", "mode": "#9467BD"}
# White for the lowest decade, then light to dark: the black q ellipses stay readable.
POSTERIOR_SCALE = [[0.0, "#FFFFFF"], [0.25, "#FDE0C5"], [0.6, "#F59E62"], [1.0, "#9C2D00"]]


def view_box(post: Posterior, ellipses: list[tuple[np.ndarray, np.ndarray]], margin=0.08):
    """A square (x0, x1, y0, y1) holding the posterior's mass (its top `DECADES` decades)
    and every (mu, sigma) 2-sigma box in `ellipses`, widened by `margin` of its side."""
    lp = post.log_posterior
    rows, cols = np.nonzero(lp >= lp.max() - DECADES * np.log(10))
    pts = [np.stack([post.grid.xs[cols], post.grid.ys[rows]], axis=1)]
    for mu, sigma in ellipses:
        pts.append(np.stack([mu - 2 * sigma, mu + 2 * sigma]))
    pts = np.concatenate(pts)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2 * (1 + 2 * margin)
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)


def posterior_figure(
    post: Posterior,
    names: Mapping[str, str],
    best: tuple[np.ndarray, np.ndarray] | None = None,
    height: int = 470,
) -> go.Figure:
    """log10 p(z|x) on the fine grid as a heatmap, with the encoder's q(z|x) 1- and
    2-sigma ellipses, its mean, the posterior's mode and optionally the optimised q
    (mu, logvar) as a third ellipse. Equal axes: the ellipses are drawn to scale.
    `names` keys: "title", "colorbar", "z1", "z2", "sigma1", "sigma2", "mu", "mode",
    "best", "density"."""
    sigma = np.exp(0.5 * post.logvar)
    shown = [(post.mu, sigma)]
    if best is not None:
        shown.append((best[0], np.exp(0.5 * best[1])))
    x0, x1, y0, y1 = view_box(post, shown)
    sx = max(1, -(-len(post.grid.xs) // MAX_CELLS))
    sy = max(1, -(-len(post.grid.ys) // MAX_CELLS))
    log10 = post.log_posterior[::sy, ::sx] / np.log(10)
    top = float(log10.max())
    log10 = np.maximum(log10, top - DECADES)  # white below: smooth edges, no holes
    fig = go.Figure(
        go.Heatmap(
            x=post.grid.xs[::sx],
            y=post.grid.ys[::sy],
            z=log10,
            zmin=top - DECADES,
            zmax=top,
            colorscale=POSTERIOR_SCALE,
            zsmooth="best",
            colorbar={  # under the legend, at the right of the plane
                "title": {"text": names["colorbar"], "side": "right"},
                "thickness": 14,
                "len": 0.5,
                "y": 0.0,
                "yanchor": "bottom",
                "x": 1.02,
                "xanchor": "left",
            },
            hovertemplate=f"z = (%{{x:.3f}}, %{{y:.3f}})<br>{names['density']}<extra></extra>",
            name="p(z|x)",
        )
    )
    for n_sigma, color, dash, key in (
        (2, ELLIPSE_COLORS[1], "dash", "sigma2"),
        (1, ELLIPSE_COLORS[0], "solid", "sigma1"),
    ):
        ring = ellipse_points(post.mu, sigma, n_sigma)
        fig.add_trace(_line(ring, names[key], color, dash))
    if best is not None:
        ring = ellipse_points(best[0], np.exp(0.5 * best[1]), 1)
        fig.add_trace(_line(ring, names["best"], BEST_COLOR, "solid"))
    mode = post.mode
    fig.add_trace(_marker(post.mu, names["mu"], "black", "cross"))
    fig.add_trace(_marker(mode, names["mode"], EXACT_COLOR, "x"))
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": names["title"], "font": {"size": 17}},
        margin={"l": 10, "r": 10, "t": 45, "b": 10},
        legend={"x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top", "font": {"size": 14}},
        xaxis={"title": names["z1"], "range": [x0, x1], "constrain": "domain", "zeroline": False},
        yaxis={
            "title": names["z2"],
            "range": [y0, y1],
            "scaleanchor": "x",
            "scaleratio": 1,
            "constrain": "domain",
            "zeroline": False,
        },
        plot_bgcolor="white",
        uirevision="keep",
    )
    return fig


def _line(ring: np.ndarray, name: str, color: str, dash: str) -> go.Scatter:
    return go.Scatter(
        x=ring[:, 0],
        y=ring[:, 1],
        mode="lines",
        name=name,
        line={"color": color, "width": 3, "dash": dash},
        hoverinfo="skip",
    )


def _marker(z: np.ndarray, name: str, color: str, symbol: str) -> go.Scatter:
    return go.Scatter(
        x=[z[0]],
        y=[z[1]],
        mode="markers",
        name=name,
        marker={"size": 14, "color": color, "symbol": symbol, "line": {"width": 1.5}},
        hovertemplate=f"{name}: (%{{x:.3f}}, %{{y:.3f}})<extra></extra>",
    )


def terms_figure(terms: Terms, names: Mapping[str, str], height: int = 330) -> go.Figure:
    """log p(x) built up as a horizontal waterfall, read top to bottom: E_q[log p(x|z)],
    minus KL(q || p(z)), gives the ELBO; plus KL(q || p(z|x)) gives log p(x). The axis is
    zoomed on the small terms (the reconstruction bar runs in from 0, off the right).
    `names` keys: "title", "recon", "kl", "elbo", "gap", "log_px", "x_title"."""
    values = [terms.recon, -terms.kl_prior, terms.elbo, terms.gap, terms.log_px]
    texts = [
        _nats(terms.recon),
        _nats(-terms.kl_prior, sign=True),
        "= " + _nats(terms.elbo),
        _nats(terms.gap, sign=True),
        "= " + _nats(terms.log_px),
    ]
    fig = go.Figure(
        go.Waterfall(
            orientation="h",
            y=[names[k] for k in ("recon", "kl", "elbo", "gap", "log_px")],
            x=values,
            measure=["absolute", "relative", "total", "relative", "total"],
            text=texts,
            textposition="outside",
            textfont={"size": 16},
            cliponaxis=False,
            connector={"line": {"color": "#888", "dash": "dot"}},
            decreasing={"marker": {"color": "#1F77B4"}},
            increasing={"marker": {"color": EXACT_COLOR}},
            totals={"marker": {"color": "#555555"}},
            hovertemplate="%{y}: %{text} nats<extra></extra>",
        )
    )
    low = min(terms.elbo, terms.recon, terms.log_px)
    high = max(terms.recon, terms.log_px)
    pad = max(0.35 * (high - low), 1.0)
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": names["title"], "font": {"size": 17}},
        margin={"l": 10, "r": 10, "t": 45, "b": 10},
        showlegend=False,
        # room on the left for the "= ..." labels of the totals, beside the axis labels
        xaxis={"title": names["x_title"], "range": [low - 2.4 * pad, high + pad]},
        yaxis={"autorange": "reversed", "tickfont": {"size": 16}},
    )
    return fig


def _nats(value: float, sign: bool = False) -> str:
    """A number of nats as shown on a figure: two decimals, a real minus sign."""
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    return text.replace("-", "−")


def iwae_figure(
    curve: ImportanceCurve,
    log_px: float,
    elbo: float,
    names: Mapping[str, str],
    height: int = 380,
) -> go.Figure:
    """L_k against k (log axis) for one proposal: mean +- 1 std over the disjoint groups
    of samples, the exact log p(x) as a red line and the encoder's ELBO as a dotted one.
    `names` keys: "title", "x_title", "y_title", "mean", "exact", "elbo"."""
    fig = go.Figure()
    for y, color, dash, key, side in (
        (log_px, EXACT_COLOR, "solid", "exact", "top"),
        (elbo, "#555", "dot", "elbo", "bottom"),
    ):
        fig.add_hline(
            y=y,
            line={"color": color, "width": 2.5, "dash": dash},
            annotation_text=f"{names[key]}: {_nats(y)}",
            annotation_position=f"{side} left",
            annotation_font={"size": 15, "color": color},
        )
    fig.add_trace(
        go.Scatter(
            x=curve.ks,
            y=curve.mean,
            mode="lines+markers",
            name=names["mean"],
            error_y={"type": "data", "array": curve.std, "thickness": 2, "width": 7},
            line={"color": "#1F77B4", "width": 3},
            marker={"size": 11},
            customdata=curve.groups,
            hovertemplate="k = %{x}: L_k = %{y:.2f} nats (%{customdata} estimates)<extra></extra>",
        )
    )
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": names["title"], "font": {"size": 17}},
        margin={"l": 10, "r": 10, "t": 45, "b": 10},
        showlegend=False,
        xaxis={
            "title": names["x_title"],
            "type": "log",
            "tickvals": list(curve.ks),
            "ticktext": [f"{k:,}" for k in curve.ks],
        },
        yaxis={"title": names["y_title"]},
    )
    return fig


def optimise_figure(
    runs: Mapping[str, Optimised],
    log_px: float,
    names: Mapping[str, str],
    height: int = 380,
) -> go.Figure:
    """The ELBO of q at recorded Adam steps for each start (x: step + 1 on a log axis,
    labelled with the step), under the exact log p(x). `names` keys: "title", "x_title",
    "y_title", "exact", and one per run name ("encoder", "mode")."""
    fig = go.Figure()
    fig.add_hline(
        y=log_px,
        line={"color": EXACT_COLOR, "width": 2.5},
        annotation_text=f"{names['exact']}: {_nats(log_px)}",
        annotation_position="bottom right",
        annotation_font={"size": 15, "color": EXACT_COLOR},
    )
    steps = None
    for name, run in runs.items():
        steps = run.steps
        fig.add_trace(
            go.Scatter(
                x=run.steps + 1,
                y=run.elbo,
                mode="lines+markers",
                name=names[name],
                line={"color": RUN_COLORS.get(name, "#555"), "width": 3},
                marker={"size": 8},
                customdata=run.steps,
                hovertemplate="step %{customdata}: ELBO = %{y:.2f} nats<extra></extra>",
            )
        )
    fig.update_layout(
        height=height,
        font=FONT,
        title={"text": names["title"], "font": {"size": 17}},
        margin={"l": 10, "r": 10, "t": 45, "b": 10},
        legend={"orientation": "h", "y": -0.25, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        xaxis={
            "title": names["x_title"],
            "type": "log",
            "tickvals": list(steps + 1) if steps is not None else None,
            "ticktext": [str(s) for s in steps] if steps is not None else None,
        },
        yaxis={"title": names["y_title"]},
    )
    return fig
