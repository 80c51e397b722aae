"""Where a new digit lands among the test digits: on the 2-D map and among anomaly scores.

On a 2-D latent plane and on the PCA plane a new code z has an exact place (the plane is
z itself, or the linear map (z - mean) @ components.T). t-SNE has no such map: it only
optimised positions for the points it was given. A point can still be added to a finished
embedding the way openTSNE's `TSNEEmbedding.transform` does it (Poličar, Stražar & Zupan
2019): its affinities to the reference points are computed in the original space
(perplexity 5 over its nearest neighbours), it starts at the median position of its 25
nearest reference neighbours, and 250 steps of gradient descent (openTSNE's: momentum,
gains, clipped gradient, its learning rate and exaggeration) move it under those
affinities while the reference map stays fixed. `TSNEPlacer` takes the same steps in numpy,
with exact nearest neighbours and the exact gradient over all reference points instead of
openTSNE's approximations (it lands within a fraction of the spacing between neighbouring
digits of openTSNE's answer). For one point that is 10,000 distances per step: placing a
digit takes about 0.1 s on one busy core, where openTSNE needed a nearest-neighbour index
over the test codes (26 s to build here) and 8 s per point.

`percentile_rank` and `score_histogram` place a new digit's anomaly score among the test
digits' scores ("more unusual than N % of test digits"). Figures are pure plotly, with
every visible string passed in already translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from explorer.figures import FONT, digit_traces
from explorer.latent_views import LatentView

# openTSNE's `transform` defaults, spelled out: a small perplexity (5) because a single new
# point only looks at its close neighbours; 25 neighbours for the median start; a low
# learning rate, mild exaggeration and a clipped gradient so the point cannot shoot off.
TRANSFORM_PERPLEXITY = 5.0
TRANSFORM_NEIGHBOURS = 15  # 3 x perplexity, as openTSNE
TRANSFORM_INIT_K = 25
TRANSFORM_ITER = 250
TRANSFORM_LR = 0.1
TRANSFORM_EXAGGERATION = 1.5
TRANSFORM_MOMENTUM = 0.8
TRANSFORM_MAX_GRAD_NORM = 0.25
MIN_GAIN = 0.01
MARKER_COLOR = "black"
SET_COLORS = ("#D62728", "#FF7F0E", "#9467BD", "#2CA02C", "#8C564B", "#E377C2", "#17BECF")
TEST_COLOR = "#1F77B4"


class TSNEPlacer:
    """Adds new latent codes to a finished t-SNE map without moving the map (see the module
    docstring); positions come out in the map's own coordinates."""

    def __init__(self, latents: np.ndarray, coords: np.ndarray):
        """`latents` (N, D) are the codes the map `coords` (N, 2) was computed from."""
        latents = np.asarray(latents, dtype=np.float64)
        coords = np.asarray(coords, dtype=np.float64)
        if latents.ndim != 2 or coords.shape != (len(latents), 2) or len(latents) < 10:
            raise ValueError(
                f"expected latents (N, D) and coords (N, 2) with N >= 10, got "
                f"{latents.shape} and {coords.shape}"
            )
        self.dim = latents.shape[1]
        self.latents, self.coords = latents, coords
        self.sq_norms = (latents**2).sum(axis=1)  # (N,) for the distances below
        # The map's x and y as flat float32 arrays: each descent step makes a few passes over
        # them (float32 halves the memory traffic; positions need no more precision).
        self.cx, self.cy = (np.ascontiguousarray(coords[:, i], dtype=np.float32) for i in (0, 1))

    def place(self, z: np.ndarray) -> np.ndarray:
        """Map positions (M, 2) float32 for new codes z (M, D); a single (D,) -> (2,)."""
        z = np.asarray(z, dtype=np.float64)
        single = z.ndim == 1
        z = np.atleast_2d(z)
        if z.shape[1] != self.dim:
            raise ValueError(f"expected codes of dimension {self.dim}, got {z.shape}")
        d2 = (z**2).sum(axis=1)[:, None] + self.sq_norms[None] - 2 * z @ self.latents.T
        d2 = np.maximum(d2, 0.0)  # (M, N) squared distances in the latent space
        k = min(TRANSFORM_NEIGHBOURS, len(self.latents) - 1)
        near = np.argsort(d2, axis=1)[:, : max(k, TRANSFORM_INIT_K)]  # (M, >= k) nearest
        p = perplexity_affinities(np.take_along_axis(d2, near[:, :k], axis=1), TRANSFORM_PERPLEXITY)
        start = np.median(self.coords[near[:, :TRANSFORM_INIT_K]], axis=1)  # (M, 2)
        xy = self._descend(start, near[:, :k], p)
        return (xy[0] if single else xy).astype(np.float32)

    def _descend(self, y: np.ndarray, near: np.ndarray, p: np.ndarray) -> np.ndarray:
        """openTSNE's gradient descent for points y (M, 2) against the fixed map: the KL
        gradient exaggeration * sum_j p_ij q_ij (y_i - y_j) - sum_j q_ij^2 (y_i - y_j) / Z,
        q_ij = 1 / (1 + |y_i - y_j|^2), Z the sum of every q_ij (Student-t, one dof)."""
        y = y.astype(np.float32)
        cx, cy = self.cx, self.cy
        p = p.astype(np.float32)
        update, gains = np.zeros_like(y), np.ones_like(y)
        for _ in range(TRANSFORM_ITER):
            dx, dy = y[:, :1] - cx, y[:, 1:] - cy  # (M, N)
            q = 1.0 / (1.0 + dx * dx + dy * dy)
            q2 = q * q
            repulsion = np.stack([(q2 * dx).sum(axis=1), (q2 * dy).sum(axis=1)], axis=1) / q.sum()
            pq = p * np.take_along_axis(q, near, axis=1)  # (M, k)
            attraction = np.stack(
                [
                    (pq * np.take_along_axis(dx, near, axis=1)).sum(axis=1),
                    (pq * np.take_along_axis(dy, near, axis=1)).sum(axis=1),
                ],
                axis=1,
            )
            grad = TRANSFORM_EXAGGERATION * attraction - repulsion
            norm = np.linalg.norm(grad, axis=1, keepdims=True)
            grad *= np.minimum(1.0, TRANSFORM_MAX_GRAD_NORM / (norm + 1e-6))
            flipped = np.sign(update) != np.sign(grad)
            gains = np.where(flipped, gains + 0.2, gains * 0.8 + MIN_GAIN)
            update = TRANSFORM_MOMENTUM * update - TRANSFORM_LR * gains * grad
            y += update
        return y


def perplexity_affinities(d2: np.ndarray, perplexity: float, tol: float = 1e-5) -> np.ndarray:
    """Conditional affinities p_j|i (M, k), each row summing to 1, of Gaussians over the
    squared distances `d2` (M, k) to a point's neighbours, each with the bandwidth whose
    entropy is log(perplexity) (found by bisection on the precision beta)."""
    d2 = np.asarray(d2, dtype=np.float64)
    d2 = d2 - d2.min(axis=1, keepdims=True)  # shift for stability: rows are renormalised
    target = np.log(min(perplexity, d2.shape[1]))
    lo, hi = np.zeros(len(d2)), np.full(len(d2), np.inf)
    beta = np.ones(len(d2))
    for _ in range(100):
        w = np.exp(-d2 * beta[:, None])
        p = w / w.sum(axis=1, keepdims=True)
        entropy = -(p * np.log(np.maximum(p, 1e-300))).sum(axis=1)
        if np.all(np.abs(entropy - target) < tol):
            break
        wide = entropy > target  # too flat: sharpen (larger beta)
        lo = np.where(wide, beta, lo)
        hi = np.where(wide, hi, beta)
        beta = np.where(np.isinf(hi), beta * 2.0, (lo + hi) / 2.0)
    return p


def place_on_view(view: LatentView, z: np.ndarray, placer: TSNEPlacer | None = None) -> np.ndarray:
    """Where codes z (M, D) (or one (D,)) land on `view`: exact on the latent and PCA planes,
    openTSNE's transform on a t-SNE map (which needs the view's `placer`)."""
    z = np.asarray(z, dtype=np.float32)
    if view.method == "tsne":
        if placer is None:
            raise ValueError("placing a code on a t-SNE map needs a TSNEPlacer")
        return placer.place(z)
    xy = view.from_latent(z)
    return xy[0] if z.ndim == 1 else xy


def percentile_rank(score: float, reference: np.ndarray) -> float:
    """Share (in %) of `reference` scores strictly below `score`: 97.0 means the new input
    scores higher, i.e. is more unusual, than 97 % of the reference (test) digits."""
    reference = np.ravel(np.asarray(reference, dtype=np.float64))
    if len(reference) == 0:
        raise ValueError("percentile_rank needs at least one reference score")
    return float(100.0 * np.mean(reference < float(score)))


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
