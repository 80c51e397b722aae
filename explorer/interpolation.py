"""Paths between two latent codes: straight lines and great circles.

Linear: z(t) = (1 - t) z_a + t z_b. Spherical (slerp) follows the arc between the two
codes, keeping the norm in between close to theirs: in high dimensions samples from
N(0, I) live near a sphere of radius sqrt(D), while the midpoint of a straight line is
shorter and lands where the decoder has seen few codes.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

PathKind = Literal["linear", "spherical"]


def lerp(za: np.ndarray, zb: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Straight line: (T,) times -> (T, D) points (1 - t) za + t zb."""
    ts = np.asarray(ts, dtype=np.float64)[:, None]
    return ((1 - ts) * za + ts * zb).astype(np.float32)


def slerp(za: np.ndarray, zb: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Spherical interpolation (Shoemake 1985) between za and zb, with the norm itself
    interpolated linearly; falls back to lerp when the two are (anti-)parallel."""
    za64, zb64 = np.asarray(za, np.float64), np.asarray(zb, np.float64)
    na, nb = np.linalg.norm(za64), np.linalg.norm(zb64)
    if na < 1e-8 or nb < 1e-8:
        return lerp(za, zb, ts)
    ua, ub = za64 / na, zb64 / nb
    omega = np.arccos(np.clip(ua @ ub, -1.0, 1.0))
    if omega < 1e-6 or np.pi - omega < 1e-6:
        return lerp(za, zb, ts)
    ts = np.asarray(ts, dtype=np.float64)[:, None]
    direction = (np.sin((1 - ts) * omega) * ua + np.sin(ts * omega) * ub) / np.sin(omega)
    return (direction * ((1 - ts) * na + ts * nb)).astype(np.float32)


def interpolate(
    za: np.ndarray, zb: np.ndarray, n_frames: int, kind: PathKind = "linear"
) -> np.ndarray:
    """n_frames evenly spaced points from za (t=0) to zb (t=1) inclusive: (n_frames, D)."""
    if n_frames < 2:
        raise ValueError(f"need at least 2 frames, got {n_frames}")
    ts = np.linspace(0.0, 1.0, n_frames)
    if kind == "linear":
        return lerp(za, zb, ts)
    if kind == "spherical":
        return slerp(za, zb, ts)
    raise ValueError(f"unknown interpolation {kind!r}; use 'linear' or 'spherical'")


def sample_prior(n: int, latent_dim: int, temperature: float = 1.0, seed: int = 0) -> np.ndarray:
    """n codes from the prior N(0, (temperature)^2 I): (n, latent_dim) float32."""
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    rng = np.random.default_rng(seed)
    return (temperature * rng.standard_normal((n, latent_dim))).astype(np.float32)
