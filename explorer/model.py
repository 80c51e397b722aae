"""Fully-connected autoencoders for 28x28 images in [0, 1]: the VAE, the plain, conditional,
denoising and linear ones (each kind registered in `explorer.kinds`).

Both share one shape: encoder 784 -> hidden_dims -> latent, decoder latent -> reversed
hidden_dims -> 784 logits. The VAE's encoder outputs the mean and log-variance of
q(z|x) = N(mu, diag(sigma^2)); the AE's encoder outputs the code itself (returned as `mu`,
with `logvar=None`). The decoder is a Bernoulli p(x|z) whose means are sigmoid(logits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from explorer import kinds
from explorer.config import ModelConfig

IMAGE_SHAPE = (1, 28, 28)
N_PIXELS = 28 * 28


def kl_to_standard_normal(mu: Tensor, logvar: Tensor) -> Tensor:
    """KL(N(mu, sigma^2) || N(0, I)) per row, closed form:
    0.5 * sum(mu^2 + sigma^2 - log sigma^2 - 1). (B, D) -> (B,) nats."""
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1.0).sum(dim=1)


def bernoulli_nll(logits: Tensor, x: Tensor) -> Tensor:
    """-log p(x|z) for a Bernoulli decoder on intensities in [0, 1] (binary cross-entropy),
    summed over pixels. logits (..., 1, 28, 28), x broadcastable to it -> (...,) nats."""
    x = x.expand_as(logits)
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(-3).sum(-1)


def log_normal(z: Tensor, mu: Tensor, logvar: Tensor) -> Tensor:
    """log N(z; mu, diag(exp(logvar))) summed over the last dim."""
    return -0.5 * (((z - mu) ** 2) / logvar.exp() + logvar + math.log(2 * math.pi)).sum(-1)


def log_standard_normal(z: Tensor) -> Tensor:
    """log N(z; 0, I) summed over the last dim."""
    return -0.5 * (z.pow(2) + math.log(2 * math.pi)).sum(-1)


@dataclass
class LossTerms:
    """Per-image loss parts, each (B,) in nats: reconstruction -log p(x|z) and KL(q||p)."""

    recon: Tensor
    kl: Tensor

    def total(self, beta: float = 1.0) -> Tensor:
        """Negative (beta-)ELBO per image: recon + beta * KL."""
        return self.recon + beta * self.kl


def _mlp(dims: list[int]) -> nn.Sequential:
    """Linear layers with ReLU between them (none after the last)."""
    layers: list[nn.Module] = []
    for i, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.Linear(d_in, d_out))
        if i < len(dims) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class Autoencoder(nn.Module):
    """Deterministic autoencoder: z = f(x), loss = reconstruction only (no KL, no prior)."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        h = list(config.hidden_dims)
        self.encoder = nn.Sequential(nn.Flatten(), _mlp([N_PIXELS, *h]), nn.ReLU())
        self.to_mu = nn.Linear(h[-1], config.latent_dim)
        self.decoder = _mlp([config.latent_dim, *reversed(h), N_PIXELS])

    def encode(self, x: Tensor, c: Tensor | None = None) -> tuple[Tensor, Tensor | None]:
        """(B, 1, 28, 28) in [0, 1] -> (code (B, latent_dim), None). `c`, the digit labels
        (B,), is what a conditional model also reads; the others ignore it."""
        return self.to_mu(self.encoder(x)), None

    def decode_logits(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        """(B, latent_dim) -> Bernoulli logits (B, 1, 28, 28)."""
        return self.decoder(z).view(-1, *IMAGE_SHAPE)

    def decode(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        """(B, latent_dim) -> pixel means (B, 1, 28, 28) in [0, 1]."""
        return torch.sigmoid(self.decode_logits(z, c))

    def decode_raw(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        """The decoder's own answer in pixel units before any clipping for display: the
        pixel means `decode` gives, except for a decoder whose output may leave [0, 1]."""
        return self.decode(z, c)

    def loss_terms(self, x: Tensor, c: Tensor | None = None) -> LossTerms:
        """Per-image reconstruction and KL on a batch x (B, 1, 28, 28) (labels `c` (B,)
        for a conditional model). An AE uses its code as is; the KL is zero."""
        z = self.encode(x, c)[0]
        kl = torch.zeros(len(x), device=x.device)
        return LossTerms(recon=bernoulli_nll(self.decode_logits(z, c), x), kl=kl)

    def forward(self, x: Tensor, c: Tensor | None = None) -> Tensor:
        """Reconstruction of x: decode the encoder's mean (no sampling)."""
        return self.decode(self.encode(x, c)[0], c)


class VAE(Autoencoder):
    """Variational autoencoder: q(z|x) = N(mu, diag(sigma^2)), p(z) = N(0, I), Bernoulli p(x|z).

    Training minimises recon + beta * KL, the negative ELBO when beta = 1.
    """

    def __init__(self, config: ModelConfig):
        super().__init__(config)
        self.to_logvar = nn.Linear(config.hidden_dims[-1], config.latent_dim)

    def encode(self, x: Tensor, c: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """(B, 1, 28, 28) in [0, 1] -> (mu, logvar), each (B, latent_dim)."""
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def loss_terms(self, x: Tensor, c: Tensor | None = None) -> LossTerms:
        """Per-image -log p(x|z) for one z ~ q(z|x) (sampled in eval mode too: the ELBO
        is an expectation over q) and the closed-form KL(q(z|x) || p(z))."""
        mu, logvar = self.encode(x, c)
        z, kl = self.reparameterize(mu, logvar), kl_to_standard_normal(mu, logvar)
        return LossTerms(recon=bernoulli_nll(self.decode_logits(z, c), x), kl=kl)

    def reparameterize(self, mu: Tensor, logvar: Tensor) -> Tensor:
        """z = mu + sigma * eps with eps ~ N(0, I): a sample whose gradient flows to mu, sigma."""
        return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)


class ConditionalVAE(VAE):
    """A VAE told the digit: q(z|x, c) and p(x|z, c) both read the label c as a one-hot
    vector beside their input (Sohn et al. 2015). The class then need not be coded in z,
    which keeps what the label does not say: slant, stroke width, size. A generator with
    two inputs, a condition and randomness z ~ N(0, I)."""

    N_CLASSES = 10

    def __init__(self, config: ModelConfig):
        super().__init__(config)
        h = list(config.hidden_dims)
        self.encoder = nn.Sequential(_mlp([N_PIXELS + self.N_CLASSES, *h]), nn.ReLU())
        self.decoder = _mlp([config.latent_dim + self.N_CLASSES, *reversed(h), N_PIXELS])

    def _one_hot(self, c: Tensor | None, n: int) -> Tensor:
        if c is None:
            raise ValueError("a conditional VAE needs the digit labels c")
        c = torch.as_tensor(c, device=self.to_mu.weight.device).long().reshape(-1)
        if len(c) != n:
            raise ValueError(f"{len(c)} labels for {n} inputs")
        return F.one_hot(c, self.N_CLASSES).to(self.to_mu.weight.dtype)

    def encode(self, x: Tensor, c: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """(x (B, 1, 28, 28), labels c (B,)) -> (mu, logvar) of q(z|x, c)."""
        h = self.encoder(torch.cat([x.flatten(1), self._one_hot(c, len(x))], dim=1))
        return self.to_mu(h), self.to_logvar(h)

    def decode_logits(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        """(z (B, latent_dim), labels c (B,)) -> Bernoulli logits of p(x|z, c)."""
        zc = torch.cat([z, self._one_hot(c, len(z))], dim=1)
        return self.decoder(zc).view(-1, *IMAGE_SHAPE)


class DenoisingAutoencoder(Autoencoder):
    """An autoencoder trained to undo damage (Vincent et al. 2008): each training image is
    corrupted afresh - a random share of its pixels blanked (masking), then Gaussian noise
    added - and the loss is the reconstruction of the *clean* image. Its randomness stays
    at the input: the code z = f(x~) itself is a point, as in the plain autoencoder.

    Each image draws its own damage: a masked share up to `MASK_SHARE_MAX` and a noise
    sigma up to `NOISE_STD_MAX`, so one model has seen every level from none to heavy."""

    MASK_SHARE_MAX = 0.5
    NOISE_STD_MAX = 0.6

    def corrupt(self, x: Tensor) -> Tensor:
        """x (B, 1, 28, 28) in [0, 1] -> a corrupted copy in [0, 1] (torch's RNG)."""
        shape = (len(x),) + (1,) * (x.dim() - 1)
        share = torch.rand(shape, device=x.device) * self.MASK_SHARE_MAX
        sigma = torch.rand(shape, device=x.device) * self.NOISE_STD_MAX
        kept = x * (torch.rand_like(x) >= share)
        return (kept + sigma * torch.randn_like(x)).clamp(0.0, 1.0)

    def loss_terms(self, x: Tensor, c: Tensor | None = None) -> LossTerms:
        """The denoising objective, in training and in evaluation alike: -log p(x | f(x~))
        for a fresh corruption x~ of each image; the KL is zero."""
        z = self.encode(self.corrupt(x), c)[0]
        kl = torch.zeros(len(x), device=x.device)
        return LossTerms(recon=bernoulli_nll(self.decode_logits(z, c), x), kl=kl)


class LinearAutoencoder(Autoencoder):
    """No non-linearity anywhere: z = W x + b and x^ = V z + a, trained on the squared
    error. Its best codes span the same subspace as the first `latent_dim` principal
    components of the pixels (Baldi & Hornik 1989): a linear autoencoder *is* PCA, up to
    an invertible linear map of the plane.

    `hidden_dims` are stacked linear layers (still one linear map). The decoder's output
    is the image itself, not Bernoulli logits; `decode` clips it to [0, 1] for display,
    and `decode_logits` returns the logits of that clipped image, so the app's Bernoulli
    scores stay defined. `loss_terms` puts the squared error, summed over pixels, in
    `recon`."""

    CLIP = 1e-4  # decode_logits: images clipped to [CLIP, 1 - CLIP] before the logit

    def __init__(self, config: ModelConfig):
        nn.Module.__init__(self)
        self.config = config
        h = list(config.hidden_dims)
        self.encoder = nn.Sequential(nn.Flatten(), *_linears([N_PIXELS, *h]))
        self.to_mu = nn.Linear(h[-1] if h else N_PIXELS, config.latent_dim)
        self.decoder = nn.Sequential(*_linears([config.latent_dim, *reversed(h), N_PIXELS]))

    def decode_linear(self, z: Tensor) -> Tensor:
        """(B, latent_dim) -> the unclipped reconstruction (B, 1, 28, 28)."""
        return self.decoder(z).view(-1, *IMAGE_SHAPE)

    def decode_raw(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        return self.decode_linear(z)

    @torch.no_grad()
    def decoder_matrix(self):
        """The decoder's linear map as a numpy matrix (784, latent_dim): its columns span
        the plane of images it can draw (shifted by the output bias)."""
        m = torch.eye(self.config.latent_dim, device=self.to_mu.weight.device)
        for layer in self.decoder:
            m = m @ layer.weight.T
        return m.T.cpu().double().numpy()

    def decode_logits(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        return torch.logit(self.decode_linear(z).clamp(self.CLIP, 1.0 - self.CLIP))

    def loss_terms(self, x: Tensor, c: Tensor | None = None) -> LossTerms:
        """Squared error of the linear reconstruction, summed over pixels; the KL is zero."""
        err = (self.decode_linear(self.encode(x)[0]) - x).pow(2).flatten(1).sum(1)
        return LossTerms(recon=err, kl=torch.zeros(len(x), device=x.device))


def _linears(dims: list[int]) -> list[nn.Module]:
    """Linear layers dims[0] -> dims[1] -> ... with nothing between them."""
    return [nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])]


def build_model(config: ModelConfig) -> Autoencoder:
    """A fresh, randomly initialised model of the configured kind (`explorer.kinds`)."""
    return kinds.kind_of(config).build_class()(config)
