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
import torch

from explorer import inference, kinds
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
