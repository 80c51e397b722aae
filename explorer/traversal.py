"""What each latent dimension of a high-dimensional VAE does: traversals and per-dimension KL.

- Latent traversal: keep z = mu(x) and sweep ONE dimension j over a range of values,
  decode, repeat for each dimension: a grid, rows = dimensions, columns = values.
- Per-dimension KL over a dataset, the KL term of the ELBO split by dimension (the
  diagonal Gaussian's KL is a sum over dimensions):
      KL_j = 0.5 * mean_x(mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)   [nats]
  Summed over j it is the model's mean KL(q(z|x) || p(z)).
- Active units (Burda et al. 2015): dimension j is active when Cov_x(E_q[z_j]), the
  variance of the encoder mean across the data, exceeds 0.01. A dimension with KL_j ~ 0
  has collapsed to the prior: the encoder outputs N(0, 1) whatever x is, so it carries no
  information and the decoder learns to ignore it (posterior collapse).

Numbers in and out are numpy; the figure builders at the bottom are pure Plotly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from explorer import inference, kinds
from explorer.figures import FONT
from explorer.metrics import ACTIVE_UNIT_THRESHOLD, latent_variances
from explorer.model import Autoencoder

TraversalMode = Literal["images", "change"]


# ---------------------------------------------------------------- numbers
def traversal_values(span: float, steps: int) -> np.ndarray:
    """`steps` evenly spaced values from -span to +span: (steps,) float32."""
    if steps < 2:
        raise ValueError(f"need at least 2 steps, got {steps}")
    return np.linspace(-span, span, steps, dtype=np.float32)


def value_label(v: float) -> str:
    """A traversal value as a short column label: -2.25, -1.5, 0, +1.5, +3."""
    v = round(float(v), 2)
    return "0" if v == 0 else f"{v:+g}"


def traversal_codes(mu: np.ndarray, dims: Sequence[int], values: np.ndarray) -> np.ndarray:
    """Codes for a traversal grid: row r sets dimension dims[r] of mu to each of `values`
    and keeps the others. mu (D,), R dims, C values -> (R * C, D) float32, row-major."""
    mu = np.asarray(mu, dtype=np.float32)
    values = np.asarray(values, dtype=np.float32)
    codes = np.repeat(mu[None, :], len(dims) * len(values), axis=0)
    for r, j in enumerate(dims):
        codes[r * len(values) : (r + 1) * len(values), j] = values
    return codes


def traversal_images(
    model: Autoencoder,
    mu: np.ndarray,
    dims: Sequence[int],
    values: np.ndarray,
    mode: TraversalMode = "images",
) -> np.ndarray:
    """Decoded traversal grid (R * C, 28, 28) in [0, 1], row-major.

    mode "images": the decoded digits. mode "change": |decode(z) - decode(mu)|, how much
    each step changes the reconstruction; rows of ignored dimensions come out black.
    """
    images = inference.decode(model, traversal_codes(mu, dims, values))
    if mode == "change":
        base = inference.decode(model, np.asarray(mu, np.float32)[None])[0]
        images = np.abs(images - base)
    elif mode != "images":
        raise ValueError(f"unknown traversal mode {mode!r}; use 'images' or 'change'")
    return images


def per_dim_kl(mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    """Mean over rows of each dimension's KL(N(mu_j, sigma_j^2) || N(0, 1)):
    0.5 * mean(mu^2 + exp(logvar) - logvar - 1). (N, D) each -> (D,) nats, float64."""
    mu, logvar = np.asarray(mu, np.float64), np.asarray(logvar, np.float64)
    return 0.5 * (mu**2 + np.exp(logvar) - logvar - 1.0).mean(axis=0)


@dataclass
class DimensionStats:
    """Per-dimension statistics of a VAE's encoder over a dataset, each (D,)."""

    kl: np.ndarray  # mean KL_j in nats
    variance: np.ndarray  # Cov_x(E_q[z_j]), variance of the encoder mean across the data
    threshold: float = ACTIVE_UNIT_THRESHOLD

    @property
    def active(self) -> np.ndarray:
        """(D,) bool: dimensions whose encoder mean varies more than the threshold."""
        return self.variance > self.threshold

    @property
    def n_active(self) -> int:
        return int(self.active.sum())

    @property
    def by_kl(self) -> np.ndarray:
        """Dimension indices, highest KL first (ties keep index order)."""
        return np.argsort(-self.kl, kind="stable")


def dimension_stats(model: Autoencoder, images: np.ndarray) -> DimensionStats:
    """Per-dimension KL and encoder-mean variance over images (N, 28, 28) or (N, 1, 28,
    28). Raises ValueError for a plain autoencoder (no q(z|x), no KL)."""
    if not kinds.kind_of(model).has_posterior:
        raise ValueError("a plain autoencoder has no q(z|x): per-dimension KL needs a VAE")
    mu, logvar = inference.encode(model, images)
    m, lv = mu.astype(np.float64), logvar.astype(np.float64)
    kl = 0.5 * (m**2 + np.exp(lv) - lv - 1).mean(axis=0)
    return DimensionStats(kl=kl, variance=latent_variances(torch.from_numpy(mu)).double().numpy())


# ---------------------------------------------------------------- figures
INACTIVE_DIM = 0.3  # brightness of a traversal row whose dimension is inactive
ACTIVE_COLOR, INACTIVE_COLOR = "#1F77B4", "#B0B0B0"


def traversal_mosaic(
    images: np.ndarray, n_cols: int, inactive_rows: Sequence[bool], gap: int = 2
) -> np.ndarray:
    """Images (R * C, 28, 28) -> an RGB mosaic (H, W, 3) uint8 with a grey gap between
    cells; rows of inactive dimensions are dimmed to `INACTIVE_DIM` brightness."""
    n, h, w = images.shape
    rows = n // n_cols
    out = np.full((rows * (h + gap) - gap, n_cols * (w + gap) - gap, 3), 90, dtype=np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, n_cols)
        level = INACTIVE_DIM if inactive_rows[r] else 1.0
        cell = (np.clip(img, 0, 1) * 255 * level + 0.5).astype(np.uint8)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = cell[..., None]
    return out


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
