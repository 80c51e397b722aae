"""A 2-D view of a model's latent space and the way back from a point on it to a code z.

- "latent": a 2-D model's plane itself; a point is a code.
- "pca": the plane of the first two principal components of the encoded test set; linear,
  so a point maps back to the code mean + xy @ components (the plane through the data).
- "tsne": openTSNE's map; no inverse, so a click is resolved to the nearest encoded digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from explorer.manifold import data_range, grid_points, tile
from explorer.projection import Projection, nearest_index

ViewMethod = Literal["latent", "pca", "tsne"]
VIEW_LABELS = {"latent": "latent plane", "pca": "PCA plane", "tsne": "t-SNE map"}


@dataclass
class LatentView:
    """Encoded test digits placed on a plane, plus the mapping back to latent codes."""

    method: ViewMethod
    coords: np.ndarray  # (N, 2) position of each encoded test digit on the plane
    latents: np.ndarray  # (N, D) the encoder means those positions come from
    projection: Projection | None = None  # None for "latent"

    @property
    def invertible(self) -> bool:
        return self.method != "tsne"

    @property
    def axis_titles(self) -> tuple[str, str]:
        return {"latent": ("z1", "z2"), "pca": ("PC 1", "PC 2"), "tsne": ("t-SNE 1", "t-SNE 2")}[
            self.method
        ]

    def to_latent(self, xy: np.ndarray) -> np.ndarray:
        """Plane points (M, 2) -> codes (M, D). Raises ValueError for t-SNE."""
        xy = np.atleast_2d(np.asarray(xy, dtype=np.float32))
        if self.method == "latent":
            return xy
        if self.projection is None or not self.invertible:
            raise ValueError("a t-SNE map has no inverse; use resolve() for the nearest digit")
        return self.projection.inverse(xy).astype(np.float32)

    def from_latent(self, z: np.ndarray) -> np.ndarray:
        """Codes (M, D) -> plane points (M, 2), for drawing paths; linear views only."""
        z = np.atleast_2d(np.asarray(z, dtype=np.float32))
        if self.method == "latent":
            return z
        if self.method == "pca" and self.projection is not None:
            return ((z - self.projection.mean) @ self.projection.components.T).astype(np.float32)
        raise ValueError("t-SNE cannot place new codes on its map")

    def resolve(self, xy) -> tuple[np.ndarray, int | None]:
        """The code a click at xy decodes: exactly that point where the view is invertible,
        otherwise the encoder mean of the nearest encoded digit (returned as its index)."""
        if self.invertible:
            return self.to_latent(xy)[0], None
        i = nearest_index(self.coords, np.asarray(xy, dtype=np.float32))
        return self.latents[i], i

    def bounds(self, margin: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
        """The plane's displayed range: a square (equal span on both axes, so that with
        equal axes a decoded mosaic's cells are square) around the data's range plus a
        small margin."""
        lo, hi = data_range(self.coords, margin=margin)
        centre, half = (lo + hi) / 2, (hi - lo).max() / 2
        return centre - half, centre + half

    def clamp(self, xy) -> tuple[float, float]:
        """`xy` moved to the nearest point of the displayed range."""
        lo, hi = self.bounds()
        return tuple(float(v) for v in np.clip(np.asarray(xy, dtype=np.float64), lo, hi))

    def click_grid(self, n: int = 60) -> np.ndarray:
        """n x n clickable points spanning the displayed range: (n*n, 2)."""
        lo, hi = self.bounds()
        return grid_points(lo, hi, n).astype(np.float32)


def plane_view(latents: np.ndarray) -> LatentView:
    """The identity view of a 2-D latent space."""
    if latents.shape[1] != 2:
        raise ValueError(f"the latent plane needs 2-D codes, got {latents.shape[1]}-D")
    return LatentView("latent", latents.astype(np.float32), latents)


def decoded_manifold(model, view: LatentView, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kingma & Welling's Fig. 4 for this view: decode an n x n grid of cells tiling the
    displayed range. Returns the mosaic (n*28, n*28) and the box (lo, hi) it covers."""
    lo, hi = view.bounds()
    z = view.to_latent(grid_points(lo, hi, n, cells=True))
    from explorer import inference  # torch: only when a manifold is drawn

    return tile(inference.decode(model, z), n_cols=n), lo, hi
