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

import numpy as np

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
