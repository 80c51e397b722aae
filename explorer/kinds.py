"""Model kinds: what each kind of model is and what it can do, registered in one place.

A checkpoint's config names its kind (`ModelConfig.kind`, a string). Everything else the
app needs to know about a kind is declared once here, in a `Kind`, and asked of it:

    kind = kind_of(model.config)          # or a checkpoint's config dict
    if kind.has_posterior: ...            # q(z|x) with a sigma: ellipses, IWAE, exact p(x)
    if kind.samples_from_prior: ...       # trained towards N(0, I): prior samples are digits

No torch here (the model picker asks before any model is loaded); the model class is
named as "module:Class" and imported when a model is built (`model_class`).

A new kind is one model class (an `explorer.model.Autoencoder` subclass) and one
`register(Kind(...))` call below.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    """One kind of model.

    name: stored in `ModelConfig.kind` and in checkpoints.
    model_class: "module:Class" of the torch module that implements it.
    loss_terms: the per-image terms its training minimises ("recon", "kl", ...).
    has_posterior: the encoder gives a distribution q(z|x) = N(mu, sigma^2), not a point.
    samples_from_prior: trained towards p(z) = N(0, I), so decoded prior samples mean
        something (a plain autoencoder's decoder has no prior to be sampled from).
    uses_beta: the KL weight beta applies (a beta-VAE).
    conditional: encoder and decoder also take the digit label (a condition c): the
        model's `encode(x, c)` and `decode(z, c)`; `explorer.inference` passes it.
    everywhere: offered by every page's model picker that takes its kind of model; False
        for a model made for one lesson (the pages that teach it name it themselves).
    label: what the model picker calls it, (English, Korean) as in `pages.texts`.
    """

    name: str
    model_class: str
    label: tuple[str, str]
    loss_terms: tuple[str, ...]
    has_posterior: bool
    samples_from_prior: bool
    uses_beta: bool
    conditional: bool = False
    everywhere: bool = True

    @property
    def has_elbo(self) -> bool:
        """It defines an evidence lower bound: a reconstruction and a KL term."""
        return {"recon", "kl"} <= set(self.loss_terms)

    def build_class(self) -> type:
        """The model class (imports torch)."""
        module, _, cls = self.model_class.partition(":")
        return getattr(importlib.import_module(module), cls)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add `kind` to the registry (a name may be registered once)."""
    if kind.name in _KINDS:
        raise ValueError(f"model kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def names() -> tuple[str, ...]:
    """Every registered kind's name, in registration order."""
    return tuple(_KINDS)


def get(name: str) -> Kind:
    """The kind called `name`; ValueError naming the known ones otherwise."""
    try:
        return _KINDS[name]
    except KeyError:
        raise ValueError(f"unknown model kind {name!r}; known: {', '.join(_KINDS)}") from None


def kind_of(config: Any) -> Kind:
    """The kind of a `ModelConfig`, a checkpoint's config dict or a model (its `config`)."""
    config = getattr(config, "config", config)
    name = config["kind"] if isinstance(config, Mapping) else config.kind
    return get(name)


VAE = register(
    Kind(
        name="vae",
        model_class="explorer.model:VAE",
        label=("VAE", "VAE"),
        loss_terms=("recon", "kl"),
        has_posterior=True,
        samples_from_prior=True,
        uses_beta=True,
    )
)
AE = register(
    Kind(
        name="ae",
        model_class="explorer.model:Autoencoder",
        label=("plain autoencoder", "일반 오토인코더"),
        loss_terms=("recon",),
        has_posterior=False,
        samples_from_prior=False,
        uses_beta=False,
    )
)
CVAE = register(
    Kind(
        name="cvae",
        model_class="explorer.model:ConditionalVAE",
        label=("conditional VAE", "조건부 VAE"),
        loss_terms=("recon", "kl"),
        has_posterior=True,
        samples_from_prior=True,
        uses_beta=True,
        conditional=True,
    )
)
DAE = register(
    Kind(
        name="dae",
        model_class="explorer.model:DenoisingAutoencoder",
        label=("denoising autoencoder", "잡음 제거 오토인코더"),
        loss_terms=("recon",),
        has_posterior=False,
        samples_from_prior=False,
        uses_beta=False,
        everywhere=False,
    )
)
LINEAR_AE = register(
    Kind(
        name="linear-ae",
        model_class="explorer.model:LinearAutoencoder",
        label=("linear autoencoder", "선형 오토인코더"),
        loss_terms=("squared_error",),
        has_posterior=False,
        samples_from_prior=False,
        uses_beta=False,
        everywhere=False,
    )
)
