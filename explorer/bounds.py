"""The ELBO and the importance-weighted bound (IWAE, Burda et al. 2015) for one digit.

With z_1..z_k drawn from q(z|x) and importance weights w_i = p(x|z_i) p(z_i) / q(z_i|x),

    L_k = E[ log (1/k) sum_i w_i ]  <=  log p(x),

k = 1 is the ELBO; L_k grows with k and tends to log p(x) as k -> infinity (Burda et al.
2015, Thm. 1). The gap log p(x) - ELBO is KL(q(z|x) || p(z|x)), how far the encoder's
Gaussian is from the true posterior. Each estimate of L_k is random (it is one draw of
the k samples); repeating it shows the spread, which shrinks as k grows.

Numbers in and out are numpy; the figure builder at the bottom is pure Plotly.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence

import numpy as np
import torch

from explorer import kinds
from explorer.metrics import iwae_log_weights, seeded
from explorer.model import Autoencoder, bernoulli_nll, kl_to_standard_normal

DEFAULT_KS = (1, 5, 50, 500, 5000)
SEED_STRIDE = 7919  # a prime: each k draws from its own seed (seed + i * stride)


def default_repeats(k: int) -> int:
    """Independent estimates per k: many where each is cheap and noisy, few for large k
    (20 up to k = 50, 10 at k = 500, 5 beyond); the total cost stays ~31k decodes."""
    return 20 if k <= 50 else 10 if k <= 500 else 5


def _as_batch(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    """One image (28, 28), (1, 28, 28) or (1, 1, 28, 28) -> (1, 1, 28, 28) float32."""
    return torch.as_tensor(np.asarray(x), dtype=torch.float32).reshape(1, 1, 28, 28)


@torch.no_grad()
def iwae_curve(
    model: Autoencoder,
    x: np.ndarray | torch.Tensor,
    ks: Sequence[int] = DEFAULT_KS,
    repeats: int | Mapping[int, int] | None = None,
    seed: int = 0,
    chunk: int = 1000,
    first: int = 0,
) -> dict[str, np.ndarray | list[np.ndarray]]:
    """Repeated estimates of -L_k (nats, an upper bound on -log p(x)) for one image x.

    `repeats` is one count for every k, {k: count}, or None for `default_repeats`. The
    repetitions of one k run as a batch of copies of x (each copy draws its own k samples
    in `iwae_log_weights`), under torch's RNG seeded with seed + i * SEED_STRIDE for the
    i-th k, restored afterwards: the same arguments give the same numbers. `first` shifts
    that count, so a curve computed in two parts (ks[:j] and then ks[j:] with first=j, see
    `join_curves`) draws exactly the numbers of the whole.

    Returns {"k": (K,), "repeats": (K,), "estimates": K arrays of -L_k per repetition,
    "mean": (K,), "std": (K,) (spread across repetitions, ddof 1; 0 for one repetition),
    "seconds": (K,) wall time per k}.
    """
    model.eval()
    xb = _as_batch(x)
    device = next(model.parameters()).device
    out: dict[str, list] = {"k": [], "repeats": [], "estimates": [], "seconds": []}
    for i, k in enumerate(ks):
        if isinstance(repeats, Mapping):
            r = int(repeats[k])
        else:
            r = default_repeats(k) if repeats is None else int(repeats)
        start = time.perf_counter()
        with seeded(seed + (first + i) * SEED_STRIDE, device):
            log_w = iwae_log_weights(model, xb.expand(r, -1, -1, -1).to(device), k, chunk=chunk)
        bound = torch.logsumexp(log_w.double(), dim=1) - math.log(k)  # (r,) estimates of L_k
        out["seconds"].append(time.perf_counter() - start)
        out["k"].append(k)
        out["repeats"].append(r)
        out["estimates"].append((-bound).cpu().numpy())
    est = out["estimates"]
    return {
        "k": np.asarray(out["k"]),
        "repeats": np.asarray(out["repeats"]),
        "estimates": est,
        "mean": np.array([e.mean() for e in est]),
        "std": np.array([e.std(ddof=1) if len(e) > 1 else 0.0 for e in est]),
        "seconds": np.asarray(out["seconds"]),
    }


def join_curves(*parts: dict) -> dict:
    """Curves of consecutive parts of one k list (`iwae_curve(..., first=...)`) as one."""
    joined: dict = {"estimates": [e for p in parts for e in p["estimates"]]}
    for name in ("k", "repeats", "mean", "std", "seconds"):
        joined[name] = np.concatenate([np.asarray(p[name]) for p in parts])
    return joined


@torch.no_grad()
def neg_elbo(
    model: Autoencoder, x: np.ndarray | torch.Tensor, n_samples: int = 1000, seed: int = 0
) -> dict[str, float]:
    """-ELBO of one image with little noise: the reconstruction term E_q[-log p(x|z)]
    averaged over n_samples draws of z, plus the closed-form KL(q(z|x) || p(z)), in nats.
    Returns {"recon", "kl", "neg_elbo"}; -L_1 estimates the same quantity, noisily."""
    model.eval()
    xb = _as_batch(x)
    if not kinds.kind_of(model).has_posterior:
        raise ValueError("an autoencoder has no q(z|x): the ELBO needs a VAE")
    mu, logvar = model.encode(xb)
    with seeded(seed, xb.device):
        z = mu + torch.exp(0.5 * logvar) * torch.randn(n_samples, mu.shape[1])
    recon = bernoulli_nll(model.decode_logits(z), xb).double().mean().item()
    kl = kl_to_standard_normal(mu, logvar).item()
    return {"recon": recon, "kl": kl, "neg_elbo": recon + kl}
