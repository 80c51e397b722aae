"""The registry of model kinds: what a kind can do is declared once and asked of it."""

import pytest

from explorer import kinds
from explorer.config import ModelConfig


def test_registered_kinds_declare_what_they_can_do():
    vae, ae = kinds.get("vae"), kinds.get("ae")
    assert kinds.names()[:2] == ("vae", "ae")
    assert vae.has_posterior and vae.samples_from_prior and vae.uses_beta and vae.has_elbo
    assert not (ae.has_posterior or ae.samples_from_prior or ae.uses_beta or ae.has_elbo)
    assert ae.loss_terms == ("recon",) and vae.loss_terms == ("recon", "kl")


def test_kind_of_reads_configs_dicts_and_models():
    import torch  # noqa: F401  (the models below)

    from explorer.model import VAE, Autoencoder, build_model

    cfg = ModelConfig(kind="ae", latent_dim=2, hidden_dims=(8,))
    assert kinds.kind_of(cfg) is kinds.AE
    assert kinds.kind_of({"kind": "vae"}) is kinds.VAE
    model = build_model(cfg)
    assert type(model) is Autoencoder and kinds.kind_of(model) is kinds.AE
    assert type(build_model(ModelConfig(kind="vae", hidden_dims=(8,)))) is VAE


def test_unknown_kinds_are_refused_with_the_known_ones_named():
    with pytest.raises(ValueError, match="known: vae, ae, cvae"):
        ModelConfig(kind="gan")
    with pytest.raises(ValueError, match="registered twice"):
        kinds.register(kinds.VAE)


def test_a_new_kind_is_one_class_and_one_registration(monkeypatch):
    """A kind registered from outside the library builds, trains a step and is described
    by the registry alone: nothing else needs to know its name."""
    import torch

    from explorer.model import build_model

    registry = dict(kinds._KINDS)
    monkeypatch.setattr(kinds, "_KINDS", registry)
    kinds.register(
        kinds.Kind(
            name="tiny-vae",
            model_class="explorer.model:VAE",
            label=("tiny VAE", "작은 VAE"),
            loss_terms=("recon", "kl"),
            has_posterior=True,
            samples_from_prior=True,
            uses_beta=True,
        )
    )
    model = build_model(ModelConfig(kind="tiny-vae", hidden_dims=(8,)))
    terms = model.loss_terms(torch.rand(3, 1, 28, 28))
    assert terms.recon.shape == (3,) and (terms.kl > 0).all()
    assert kinds.kind_of(model).has_elbo
