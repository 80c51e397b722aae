"""The encoder's posterior q(z|x) of one digit, and the reparameterization trick, in numbers.

A VAE's encoder maps x to a diagonal Gaussian q(z|x) = N(mu, diag(sigma^2)), sigma =
exp(logvar / 2). Its k-sigma contour is the axis-aligned ellipse
sum_j ((z_j - mu_j) / sigma_j)^2 = k^2; in 2-D it holds 1 - exp(-k^2 / 2) of the mass
(39.3 % at 1 sigma, 86.5 % at 2 sigma). A sample is drawn as in `VAE.reparameterize`,
z = mu + sigma * eps with eps ~ N(0, I), but from a seeded numpy generator so a page can
reproduce it from a seed in its URL.

Numbers in and out are numpy; the figure builders at the bottom are pure Plotly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.colors as px_colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.figures import DIGIT_COLORS, FONT, composed, typed_array


# ---------------------------------------------------------------- numbers
def sigma_of(logvar: np.ndarray) -> np.ndarray:
    """Standard deviation from the encoder's log-variance: sigma = exp(logvar / 2)."""
    return np.exp(0.5 * np.asarray(logvar, dtype=np.float64)).astype(np.float32)


def ellipse_points(
    mu: np.ndarray, sigma: np.ndarray, n_sigma: float = 1.0, n_points: int = 121
) -> np.ndarray:
    """The n_sigma contour of N(mu, diag(sigma^2)) in 2-D: (n_points, 2), closed (the
    last point repeats the first). Axis-aligned because the covariance is diagonal;
    every point satisfies sum(((z - mu) / sigma)^2) = n_sigma^2."""
    mu, sigma = np.asarray(mu, np.float64), np.asarray(sigma, np.float64)
    if mu.shape != (2,) or sigma.shape != (2,):
        raise ValueError(f"need a 2-D mean and std, got shapes {mu.shape} and {sigma.shape}")
    angle = np.linspace(0.0, 2.0 * np.pi, n_points)
    unit = np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return mu + n_sigma * sigma * unit


def gaussian_mass_2d(n_sigma: float) -> float:
    """Probability mass of a 2-D Gaussian inside its n_sigma ellipse: 1 - exp(-n^2 / 2)
    (the squared Mahalanobis radius is chi-squared with 2 degrees of freedom)."""
    return float(1.0 - np.exp(-0.5 * n_sigma**2))


@dataclass
class ReparamDraw:
    """The reparameterization trick, each step kept: eps (n, D) ~ N(0, I), sigma (D,) =
    exp(logvar / 2), and the samples z = mu + sigma * eps (n, D)."""

    eps: np.ndarray
    sigma: np.ndarray
    z: np.ndarray


def sample_posterior(mu: np.ndarray, logvar: np.ndarray, n: int, seed: int) -> ReparamDraw:
    """n samples of q(z|x) by z = mu + sigma * eps, the same formula as
    `VAE.reparameterize`, with eps from `numpy.random.default_rng(seed)`: the same seed
    gives the same samples. mu, logvar (D,) -> z (n, D) float32."""
    mu = np.asarray(mu, dtype=np.float32)
    sigma = sigma_of(logvar)
    eps = np.random.default_rng(seed).standard_normal((n, mu.shape[-1])).astype(np.float32)
    return ReparamDraw(eps=eps, sigma=sigma, z=mu + sigma * eps)


def most_uncertain(logvar: np.ndarray, n: int = 20) -> np.ndarray:
    """Indices of the n rows whose posterior is widest (largest prod_j sigma_j, the
    volume of the 1-sigma ellipsoid up to a constant), widest first. logvar (N, D)."""
    return np.argsort(-np.asarray(logvar, np.float64).sum(axis=1), kind="stable")[:n]


def largest_change(images: np.ndarray) -> float:
    """Largest difference of any pixel between any two of the images (N, 28, 28)."""
    return float(np.ptp(np.asarray(images), axis=0).max())


def error_map(x: np.ndarray, x_hat: np.ndarray) -> np.ndarray:
    """Per-pixel absolute reconstruction error |x - x_hat|: (28, 28) in [0, 1]."""
    return np.abs(np.asarray(x, np.float32) - np.asarray(x_hat, np.float32))


# ---------------------------------------------------------------- figures
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
    fig = go.Figure()
    for digit in range(10):
        idx = np.flatnonzero(labels == digit)
        fig.add_trace(
            go.Scattergl(
                x=latents[idx, 0],
                y=latents[idx, 1],
                mode="markers",
                customdata=idx,
                name=str(digit),
                showlegend=False,
                marker={"size": 6, "color": DIGIT_COLORS[digit], "opacity": 0.45},
                hovertemplate=f"{names['digit']} {digit} · #%{{customdata}}<extra></extra>",
            )
        )
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


def zoom_window(mu: np.ndarray, sigma: np.ndarray, reach: float = 3.2) -> tuple[float, ...]:
    """A square window (x0, x1, y0, y1) centred on mu that holds the 2-sigma ellipse with
    room around it: half-width `reach` times the larger sigma."""
    half = float(reach * np.max(sigma))
    return (mu[0] - half, mu[0] + half, mu[1] - half, mu[1] + half)


def square_view(points: np.ndarray, margin: float = 0.05) -> tuple[float, ...]:
    """A square (x0, x1, y0, y1) holding all points (N, 2), widened by `margin` of its side."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2 * (1 + 2 * margin)
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)
