"""The decoded manifold: a regular grid over a 2-D latent plane, decoded into one image.

Grids run row-major from the top-left corner: row 0 is the largest y, column 0 the
smallest x, so the tiled image has the same orientation as a scatter plot of the plane.
No torch here (decoding is `explorer.inference.decode`): the grids and ranges serve the
app's latent map before torch is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from torch import Tensor


def data_range(z: Tensor | np.ndarray, margin: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Per-axis (min, max) of points z (N, 2), widened by `margin` times the span."""
    z = np.asarray(z, dtype=np.float64)
    lo, hi = z.min(axis=0), z.max(axis=0)
    pad = (hi - lo) * margin
    return lo - pad, hi + pad


def grid_points(lo, hi, n: int, cells: bool = False) -> np.ndarray:
    """n*n points (n*n, 2) over the box [lo, hi], top row first.

    By default the outermost points lie on the box's edges; with `cells`, the points are
    the centres of n x n equal cells tiling the box, so a mosaic of their decodings covers
    exactly [lo, hi].
    """
    lo, hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
    if cells:
        half = (hi - lo) / (2 * n)
        lo, hi = lo + half, hi - half
    xs = np.linspace(lo[0], hi[0], n)
    ys = np.linspace(hi[1], lo[1], n)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def tile(images: np.ndarray, n_cols: int, gap: int = 0) -> np.ndarray:
    """Images (N, 28, 28) -> one mosaic (rows*28 + gaps, n_cols*28 + gaps), row-major."""
    n, h, w = images.shape
    rows = -(-n // n_cols)
    out = np.zeros((rows * (h + gap) - gap, n_cols * (w + gap) - gap), dtype=images.dtype)
    for i, img in enumerate(images):
        r, c = divmod(i, n_cols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = img
    return out


def confident_fraction(probs: Tensor | np.ndarray, threshold: float = 0.9) -> float:
    """Share of images whose top class probability exceeds `threshold` (probs (N, 10))."""
    return float((np.asarray(probs).max(axis=1) > threshold).mean())
