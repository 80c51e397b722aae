"""Evaluation measures for a trained VAE/AE, each a small function over tensors.

- `elbo_terms`: mean reconstruction -log p(x|z) and KL(q(z|x) || p(z)) per image (nats).
- `iwae_nll`: importance-weighted bound on -log p(x) (Burda et al. 2015), tighter with k.
- `active_units`: latent dims whose encoder mean varies across the data (Cov_x E_q[z_u] > 0.01).
- `knn_accuracy`: how well latent means separate the digit classes.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

import numpy as np
import torch
from torch import Tensor

from explorer import kinds
from explorer.model import Autoencoder, bernoulli_nll, log_normal, log_standard_normal

ACTIVE_UNIT_THRESHOLD = 0.01  # Burda et al. 2015


@contextlib.contextmanager
def seeded(seed: int, device: torch.device) -> Iterator[None]:
    """Run a block with a fixed RNG seed, restoring the caller's RNG state afterwards."""
    with torch.random.fork_rng(devices=[] if device.type == "cpu" else None):
        torch.manual_seed(seed)
        yield


@torch.no_grad()
def encode_means(
    model: Autoencoder, images: Tensor, batch_size: int = 2000, labels: Tensor | None = None
) -> Tensor:
    """Encoder means (an AE's codes) for all images: (N, 1, 28, 28) -> (N, latent_dim).
    `labels` (N,): the condition of a conditional model (the others ignore it)."""
    parts = _with_labels(images, labels, batch_size)
    return torch.cat([model.encode(b, c)[0] for b, c in parts])


def _with_labels(images: Tensor, labels: Tensor | None, batch_size: int):
    """(images batch, labels batch or None) pairs."""
    if labels is None:
        return [(b, None) for b in images.split(batch_size)]
    labels = labels.to(images.device)
    return list(zip(images.split(batch_size), labels.split(batch_size)))


@torch.no_grad()
def elbo_terms(
    model: Autoencoder,
    images: Tensor,
    seed: int = 0,
    batch_size: int = 1000,
    labels: Tensor | None = None,
) -> dict[str, float]:
    """Mean per-image recon and KL (one z sample per image, seeded) and their sum, the -ELBO.

    For an AE the KL is 0 and the sum is just the reconstruction error. `labels`: the
    condition of a conditional model.
    """
    recon = kl = 0.0
    with seeded(seed, images.device):
        for batch, c in _with_labels(images, labels, batch_size):
            terms = model.loss_terms(batch, c)
            recon += terms.recon.sum().item()
            kl += terms.kl.sum().item()
    n = len(images)
    return {"recon": recon / n, "kl": kl / n, "neg_elbo": (recon + kl) / n}


@torch.no_grad()
def iwae_log_weights(model: Autoencoder, x: Tensor, k: int, chunk: int = 250) -> Tensor:
    """log w_i = log p(x|z_i) + log p(z_i) - log q(z_i|x) for z_i ~ q(z|x): (B, k)."""
    if not kinds.kind_of(model).has_posterior:
        raise ValueError("an autoencoder has no q(z|x): the IWAE bound needs a VAE")
    mu, logvar = model.encode(x)  # (B, D) each
    out = []
    for start in range(0, k, chunk):
        n = min(chunk, k - start)
        z = mu + torch.exp(0.5 * logvar) * torch.randn(n, *mu.shape, device=x.device)  # (n, B, D)
        logits = model.decode_logits(z.reshape(-1, mu.shape[1])).view(n, len(x), 1, 28, 28)
        log_px_z = -bernoulli_nll(logits, x)  # (n, B)
        out.append(log_px_z + log_standard_normal(z) - log_normal(z, mu, logvar))
    return torch.cat(out).T


@torch.no_grad()
def iwae_nll(
    model: Autoencoder, images: Tensor, k: int = 1000, seed: int = 0, batch_size: int = 50
) -> float:
    """Mean over images of -log (1/k sum_i w_i), the k-sample IWAE bound on -log p(x) (nats).

    k = 1 is the (negative) ELBO; the bound tightens (decreases) as k grows.
    """
    total = 0.0
    with seeded(seed, images.device):
        for batch in images.split(batch_size):
            lw = iwae_log_weights(model, batch, k)
            total -= (torch.logsumexp(lw, dim=1) - math.log(k)).sum().item()
    return total / len(images)


def latent_variances(means: Tensor) -> Tensor:
    """Per-dimension variance across the data of the encoder mean, Cov_x(E_q[z_u]): (D,)."""
    return means.double().var(dim=0, unbiased=True).float()


def active_units(means: Tensor, threshold: float = ACTIVE_UNIT_THRESHOLD) -> int:
    """Number of latent dimensions the encoder actually uses (variance of mu above threshold)."""
    return int((latent_variances(means) > threshold).sum())


def knn_accuracy(
    train_z: Tensor | np.ndarray,
    train_y: Tensor | np.ndarray,
    test_z: Tensor | np.ndarray,
    test_y: Tensor | np.ndarray,
    k: int = 5,
) -> float:
    """Accuracy of a k-nearest-neighbour digit classifier fit on train latents, scored on test."""
    from sklearn.neighbors import KNeighborsClassifier

    clf = KNeighborsClassifier(n_neighbors=k, n_jobs=-1)
    clf.fit(np.asarray(train_z), np.asarray(train_y))
    return float(clf.score(np.asarray(test_z), np.asarray(test_y)))
