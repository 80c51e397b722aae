import math

import pytest
import torch

from explorer.config import ModelConfig
from explorer.model import (
    VAE,
    Autoencoder,
    bernoulli_nll,
    build_model,
    kl_to_standard_normal,
    log_normal,
    log_standard_normal,
)


@pytest.mark.parametrize("kind", ["vae", "ae"])
@pytest.mark.parametrize("latent_dim", [1, 2, 32])
def test_shapes_and_ranges(kind, latent_dim, batch):
    model = build_model(ModelConfig(kind=kind, latent_dim=latent_dim, hidden_dims=(32, 16))).eval()
    mu, logvar = model.encode(batch)
    assert mu.shape == (len(batch), latent_dim)
    if kind == "vae":
        assert isinstance(model, VAE) and logvar.shape == mu.shape
    else:
        assert type(model) is Autoencoder and logvar is None
    images = model.decode(torch.randn(5, latent_dim) * 3)
    assert images.shape == (5, 1, 28, 28)
    assert images.min() >= 0 and images.max() <= 1
    assert model(batch).shape == batch.shape


def test_kl_closed_form_matches_monte_carlo():
    torch.manual_seed(0)
    mu = torch.tensor([[0.5, -1.0, 2.0]])
    logvar = torch.tensor([[-1.0, 0.3, 0.0]])
    z = mu + torch.exp(0.5 * logvar) * torch.randn(200_000, 3)
    mc = (log_normal(z, mu, logvar) - log_standard_normal(z)).mean()
    closed = kl_to_standard_normal(mu, logvar)[0]
    assert closed.item() == pytest.approx(mc.item(), abs=0.02)
    # and it is zero exactly when q equals the prior
    assert kl_to_standard_normal(torch.zeros(1, 4), torch.zeros(1, 4)).item() == 0.0


def test_log_normal_matches_torch_distributions():
    mu, logvar, z = torch.randn(4, 3), torch.randn(4, 3), torch.randn(4, 3)
    ref = torch.distributions.Normal(mu, torch.exp(0.5 * logvar)).log_prob(z).sum(-1)
    assert torch.allclose(log_normal(z, mu, logvar), ref, atol=1e-5)
    assert torch.allclose(log_standard_normal(z), log_normal(z, 0 * z, 0 * z), atol=1e-6)


def test_bernoulli_nll_is_bce_summed_over_pixels():
    x = torch.rand(2, 1, 28, 28)
    logits = torch.zeros(2, 1, 28, 28)  # p = 0.5 everywhere -> 784 * log 2 regardless of x
    assert torch.allclose(bernoulli_nll(logits, x), torch.full((2,), 784 * math.log(2)), atol=1e-3)


def test_beta_zero_is_reconstruction_only(tiny_vae, batch):
    terms = tiny_vae.loss_terms(batch)
    assert (terms.kl > 0).all()
    assert torch.equal(terms.total(beta=0.0), terms.recon)
    assert torch.allclose(terms.total(beta=4.0), terms.recon + 4 * terms.kl)


def test_beta_zero_gradients_ignore_the_kl(batch):
    """With beta = 0 the encoder's log-variance head gets gradient only through the
    reconstruction (via the sampled z), never from the KL term."""
    torch.manual_seed(0)
    model = build_model(ModelConfig(latent_dim=2, hidden_dims=(16,), beta=0.0))
    torch.manual_seed(1)
    model.loss_terms(batch).total(model.config.beta).mean().backward()
    g_beta0 = model.to_logvar.bias.grad.clone()
    model.zero_grad()
    torch.manual_seed(1)
    model.loss_terms(batch).recon.mean().backward()
    assert torch.allclose(g_beta0, model.to_logvar.bias.grad)


def test_autoencoder_has_no_kl_and_is_deterministic(tiny_ae, batch):
    a, b = tiny_ae.loss_terms(batch), tiny_ae.loss_terms(batch)
    assert torch.equal(a.kl, torch.zeros(len(batch)))
    assert torch.equal(a.recon, b.recon)
    assert not hasattr(tiny_ae, "to_logvar")


def test_vae_loss_samples_but_reconstruction_uses_the_mean(tiny_vae, batch):
    torch.manual_seed(0)
    first = tiny_vae.loss_terms(batch).recon
    second = tiny_vae.loss_terms(batch).recon
    assert not torch.equal(first, second)  # a fresh z ~ q(z|x) each call
    assert torch.equal(tiny_vae(batch), tiny_vae(batch))


def test_reparameterization_passes_gradients(tiny_vae):
    mu = torch.zeros(3, 3, requires_grad=True)
    logvar = torch.zeros(3, 3, requires_grad=True)
    tiny_vae.reparameterize(mu, logvar).sum().backward()
    assert mu.grad is not None and torch.equal(mu.grad, torch.ones(3, 3))
    assert logvar.grad is not None and logvar.grad.abs().sum() > 0


def test_config_validation_and_round_trip():
    with pytest.raises(ValueError):
        ModelConfig(kind="gan")
    with pytest.raises(ValueError):
        ModelConfig(latent_dim=0)
    with pytest.raises(ValueError, match="unknown"):
        ModelConfig.from_dict({"kind": "vae", "colour": "red"})
    cfg = ModelConfig(latent_dim=5, hidden_dims=[64, 32], beta=0.5)
    assert cfg.hidden_dims == (64, 32)
    assert ModelConfig.from_dict({**cfg.__dict__, "hidden_dims": [64, 32]}) == cfg
