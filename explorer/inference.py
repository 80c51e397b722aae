"""The one way pages run a model: numpy in, numpy out.

Every function here puts the model in eval mode, runs under `torch.no_grad()`, works in
batches, and takes and returns numpy arrays (images (N, 28, 28) or (N, 1, 28, 28) in
[0, 1]; codes (N, D)), so a page never touches a tensor. A model whose kind takes a
condition (`explorer.kinds`, `Kind.conditional`) gets `labels` (N,) with its inputs; for
other kinds `labels` must be None.

    from explorer import inference
    mu = inference.encode(model, images).mu
    x_hat = inference.reconstruct(model, images)
    probs = inference.classify(classifier, x_hat)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import torch

from explorer import kinds

if TYPE_CHECKING:
    from torch import nn

    from explorer.model import Autoencoder

BATCH = 2000  # images or codes per forward pass


class Encoding(NamedTuple):
    """q(z|x) of each image: its mean (an AE's code) and log-variance (None for a kind
    without a posterior), each (N, D) float32."""

    mu: np.ndarray
    logvar: np.ndarray | None


def condition_of(model: Autoencoder, labels):
    """`labels` if the model's kind reads the digit as a condition, else None: what to hand
    to `encode`, `decode` and `reconstruct` alongside a model of any kind."""
    return labels if kinds.kind_of(model).conditional else None


def images_tensor(images: np.ndarray) -> torch.Tensor:
    """(N, 28, 28), (N, 1, 28, 28) or one (28, 28) image -> float32 (N, 1, 28, 28)."""
    x = np.asarray(images, dtype=np.float32)
    if x.shape[-2:] != (28, 28):
        raise ValueError(f"expected 28 x 28 images, got shape {x.shape}")
    return torch.from_numpy(np.ascontiguousarray(x.reshape(-1, 1, 28, 28)))


def _device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


def _conditions(model: Autoencoder, labels, n: int) -> list:
    """Per-batch extra arguments: [labels] for a conditional kind, [] otherwise."""
    conditional = kinds.kind_of(model).conditional
    if conditional and labels is None:
        raise ValueError(f"a {model.config.kind} model needs the digit labels")
    if not conditional:
        if labels is not None:
            raise ValueError(f"a {model.config.kind} model takes no labels")
        return []
    y = torch.as_tensor(np.asarray(labels, dtype=np.int64)).reshape(-1)
    if len(y) != n:
        raise ValueError(f"{len(y)} labels for {n} inputs")
    return [y.to(_device(model))]


def _batches(model: Autoencoder, x: torch.Tensor, labels):
    """(batch on the model's device, its extra arguments) in BATCH-sized pieces."""
    extra = _conditions(model, labels, len(x))
    dev = _device(model)
    for start in range(0, len(x), BATCH):
        yield x[start : start + BATCH].to(dev), [e[start : start + BATCH] for e in extra]


@torch.no_grad()
def encode(model: Autoencoder, images: np.ndarray, labels=None) -> Encoding:
    """q(z|x) of every image: `Encoding(mu, logvar)`."""
    model.eval()
    x = images_tensor(images)
    mus, logvars = [], []
    for batch, extra in _batches(model, x, labels):
        mu, logvar = model.encode(batch, *extra)
        mus.append(mu.float().cpu())
        logvars.append(None if logvar is None else logvar.float().cpu())
    d = model.config.latent_dim
    mu = torch.cat(mus).numpy() if mus else np.zeros((0, d), np.float32)
    if not kinds.kind_of(model).has_posterior:
        return Encoding(mu, None)
    logvar = torch.cat(logvars).numpy() if logvars else np.zeros((0, d), np.float32)
    return Encoding(mu, logvar)


@torch.no_grad()
def decode(model: Autoencoder, z: np.ndarray, labels=None, raw: bool = False) -> np.ndarray:
    """Decoder means at codes z (N, D): float32 images (N, 28, 28) in [0, 1]. `raw`: the
    decoder's output as it is (`Autoencoder.decode_raw`; a linear decoder's may leave
    [0, 1]), for measuring an error rather than showing a picture."""
    model.eval()
    zt = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(-1, model.config.latent_dim)
    run = model.decode_raw if raw else model.decode
    out = [run(b, *extra).squeeze(1).cpu() for b, extra in _batches(model, zt, labels)]
    return torch.cat(out).numpy() if out else np.zeros((0, 28, 28), np.float32)


@torch.no_grad()
def reconstruct(model: Autoencoder, images: np.ndarray, labels=None) -> np.ndarray:
    """x -> decoder mean at the encoder mean (no sampling: each model's sharpest
    reconstruction), images (N, 28, 28) float32."""
    return decode(model, encode(model, images, labels).mu, labels)


@torch.no_grad()
def reconstruct_nll(model: Autoencoder, image: np.ndarray, label=None) -> tuple[np.ndarray, float]:
    """One image (28, 28): (x_hat (28, 28), -log p(x|z = mu) in nats), the ELBO's
    reconstruction term at the mean code."""
    from explorer.model import bernoulli_nll

    model.eval()
    x = images_tensor(image)[:1].to(_device(model))
    extra = _conditions(model, None if label is None else [label], 1)
    logits = model.decode_logits(model.encode(x, *extra)[0], *extra)
    return torch.sigmoid(logits)[0, 0].cpu().numpy(), float(bernoulli_nll(logits, x)[0])


@torch.no_grad()
def classify(classifier: nn.Module, images: np.ndarray) -> np.ndarray:
    """The digit classifier's class probabilities (N, 10) for images (N, 28, 28)."""
    from explorer.classifier import predict_proba

    classifier.eval()
    x = images_tensor(images).to(_device(classifier))
    return predict_proba(classifier, x).cpu().numpy()
