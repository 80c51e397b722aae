"""Model comparisons for the lecture pages: AE vs VAE, the β knob, training replays.

Pure numpy/torch (no Streamlit, no plotting), so every number a page shows is testable:

- `labelled_grid`: the decoded manifold of a 2-D model over its encoded test data's range,
  every cell labelled by the committed digit classifier. Its `fraction` is exactly
  `explorer.evaluate.grid_confidence` for the same grid (the "digit-like" share).
- `shaded_mosaic`: that grid as one RGB image, cells the classifier is not sure of tinted red.
- `loss_terms_of`: a checkpoint's reconstruction and KL terms (stored metrics, else the
  last epoch of its training history).
- `replay_coords`: training snapshots as 2-D points with one fixed plane and axis range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from explorer import inference, kinds
from explorer.classifier import DigitClassifier, predict_proba
from explorer.evaluate import CONFIDENCE, GRID_N
from explorer.manifold import confident_fraction, data_range, grid_points
from explorer.model import Autoencoder
from explorer.projection import pca_2d

# Background of a cell the classifier is unsure of (RGB in [0, 1]): a dark red that keeps
# the white strokes readable and shows as "wrong" on a projector.
UNSURE_TINT = (0.62, 0.05, 0.05)


@dataclass
class LabelledGrid:
    """An n x n grid over a 2-D latent box, decoded and classified.

    Points run row-major from the top-left (row 0 = largest z2, column 0 = smallest z1),
    the outermost points lying on the box's edges, as `explorer.manifold.grid_points`.
    """

    n: int
    lo: np.ndarray  # (2,) lower corner of the box: the encoded test data's minimum
    hi: np.ndarray  # (2,) upper corner: its maximum
    points: np.ndarray  # (n*n, 2) latent codes of the cells
    images: np.ndarray  # (n*n, 28, 28) decoder means in [0, 1]
    probs: np.ndarray  # (n*n, 10) classifier probabilities
    threshold: float = CONFIDENCE

    @property
    def predicted(self) -> np.ndarray:
        """(n*n,) the classifier's digit for each cell."""
        return self.probs.argmax(axis=1)

    @property
    def confidence(self) -> np.ndarray:
        """(n*n,) the top class probability of each cell."""
        return self.probs.max(axis=1)

    @property
    def confident(self) -> np.ndarray:
        """(n*n,) bool: the cell decodes into a confidently recognised digit (p > threshold)."""
        return self.confidence > self.threshold

    @property
    def fraction(self) -> float:
        """Share of digit-like cells; the same measure as `evaluate.grid_confidence`."""
        return confident_fraction(self.probs, self.threshold)

    @property
    def step(self) -> np.ndarray:
        """(2,) distance between neighbouring grid points along z1 and z2."""
        return (self.hi - self.lo) / max(self.n - 1, 1)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1): the edges of the tiled mosaic in latent coordinates. Each image
        is centred on its point, so the mosaic reaches half a step beyond the box."""
        half = self.step / 2
        return (
            float(self.lo[0] - half[0]),
            float(self.hi[0] + half[0]),
            float(self.lo[1] - half[1]),
            float(self.hi[1] + half[1]),
        )


def labelled_grid(
    model: Autoencoder,
    latents: np.ndarray,
    classifier: DigitClassifier,
    n: int = GRID_N,
    threshold: float = CONFIDENCE,
    box: tuple[Sequence[float], Sequence[float]] | None = None,
) -> LabelledGrid:
    """Decode an n x n grid spanning the range of `latents` (N, 2), or the given
    `box` = (lo, hi), and classify every cell.

    The same steps as `evaluate.grid_confidence` (data_range -> grid_points ->
    inference.decode -> predict_proba), keeping the intermediate results for display.
    """
    latents = np.asarray(latents)
    if latents.ndim != 2 or latents.shape[1] != 2:
        raise ValueError(f"a labelled grid needs 2-D codes (N, 2), got {latents.shape}")
    if n < 2:
        raise ValueError(f"grid size must be at least 2, got {n}")
    if box is None:
        lo, hi = data_range(latents)
    else:
        lo, hi = (np.asarray(v, np.float64) for v in box)
    points = grid_points(lo, hi, n)
    images = inference.decode(model, points)
    device = next(classifier.parameters()).device
    probs = predict_proba(classifier, torch.from_numpy(images).unsqueeze(1).to(device))
    return LabelledGrid(n, lo, hi, points, images, probs.cpu().numpy(), threshold)


def shaded_mosaic(
    images: np.ndarray, confident: np.ndarray, n_cols: int, tint=UNSURE_TINT
) -> np.ndarray:
    """Images (N, 28, 28) in [0, 1] -> RGB mosaic (rows*28, n_cols*28, 3) in [0, 1].

    Confident cells stay grey; in the others the black background becomes `tint`:
    rgb = img * white + (1 - img) * tint, so strokes stay white and only the cell's
    background says "not confidently a digit".
    """
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape
    rows = -(-n // n_cols)
    back = np.where(np.asarray(confident)[:, None], 0.0, np.asarray(tint, np.float32)[None])
    cells = images[..., None] + (1.0 - images[..., None]) * back[:, None, None, :]
    out = np.zeros((rows * h, n_cols * w, 3), dtype=np.float32)
    for i, cell in enumerate(cells):
        r, c = divmod(i, n_cols)
        out[r * h : (r + 1) * h, c * w : (c + 1) * w] = cell
    return out


@dataclass(frozen=True)
class Terms:
    """A model's test reconstruction term -log p(x|z) and KL(q(z|x) || p(z)), nats/image."""

    recon: float
    kl: float
    beta: float
    source: str  # "metrics" (stored evaluation) or "history" (last training epoch)
    epoch: int | None = None  # the history epoch used, when source == "history"

    @property
    def neg_elbo(self) -> float:
        """-ELBO = recon + KL (the bound itself, whatever beta was used in training)."""
        return self.recon + self.kl

    @property
    def objective(self) -> float:
        """What training minimised: recon + beta * KL (Higgins et al. 2017)."""
        return self.recon + self.beta * self.kl


def loss_terms_of(info: dict[str, Any]) -> Terms:
    """A checkpoint's reconstruction and KL terms, from its stored evaluation metrics, or, if
    none were stored, from the last epoch of its training history (test_recon, test_kl)."""
    cfg = info.get("config") or {}
    uses_beta = kinds.get(cfg.get("kind", "vae")).uses_beta
    beta = float(cfg.get("beta", 1.0)) if uses_beta else 0.0
    metrics = info.get("metrics") or {}
    if metrics.get("recon") is not None:
        return Terms(float(metrics["recon"]), float(metrics.get("kl") or 0.0), beta, "metrics")
    history = info.get("history") or {}
    if not history.get("test_recon"):
        raise ValueError("the checkpoint has neither metrics nor a training history")
    epochs = history.get("epoch") or list(range(1, len(history["test_recon"]) + 1))
    kl = (history.get("test_kl") or [0.0])[-1]
    return Terms(float(history["test_recon"][-1]), float(kl), beta, "history", int(epochs[-1]))


@dataclass
class Replay:
    """Training snapshots on one plane: `coords[s]` places the subset at `epochs[s]`."""

    epochs: list[int | float]  # whole epochs; a live run's snapshots fall between them
    coords: np.ndarray  # (S, N, 2) float32
    labels: np.ndarray  # (N,) digit of each point
    lo: np.ndarray  # (2,) fixed axis range over all snapshots (with margin)
    hi: np.ndarray
    projected: bool  # True when D > 2 and PCA was used


def _epoch(e: float) -> int | float:
    """A whole epoch as an int; a fraction of one (the live page saves moments within an
    epoch, steps apart) to three significant digits, so neighbouring moments stay apart."""
    e = float(e)
    return int(e) if e.is_integer() else float(f"{e:.3g}")


def replay_coords(snapshots: dict[str, Any], margin: float = 0.05) -> Replay:
    """Snapshot latents (S, N, D) -> 2-D coordinates with one plane and one axis range.

    For D > 2 a PCA is fitted once, on the final snapshot, and every snapshot is projected
    onto that same plane ((z - mean) @ components.T), so motion between frames is motion
    of the codes, not of the axes. The range is the union of all snapshots' ranges.
    """
    latents = np.asarray(_numpy(snapshots["latents"]), dtype=np.float32)
    if latents.ndim != 3 or latents.shape[0] == 0:
        raise ValueError(f"expected snapshot latents (S, N, D), got {latents.shape}")
    projected = latents.shape[2] > 2
    if projected:
        proj = pca_2d(latents[-1])
        coords = (latents - proj.mean) @ proj.components.T
    else:
        coords = latents
    coords = coords.astype(np.float32)
    lo, hi = data_range(coords.reshape(-1, 2), margin=margin)
    return Replay(
        [_epoch(e) for e in snapshots["epoch"]],
        coords,
        np.asarray(_numpy(snapshots["labels"])).astype(np.int64),
        lo,
        hi,
        projected,
    )


def _numpy(x) -> np.ndarray:
    """A tensor or array-like as a numpy array (snapshots store torch tensors)."""
    return x.cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
