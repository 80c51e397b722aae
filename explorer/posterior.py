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
