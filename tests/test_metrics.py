import numpy as np
import pytest
import torch

from explorer.metrics import (
    active_units,
    elbo_terms,
    encode_means,
    iwae_nll,
    knn_accuracy,
    latent_variances,
)


def test_elbo_terms_are_seeded_and_leave_the_rng_alone(tiny_vae, batch):
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    a = elbo_terms(tiny_vae, batch, seed=1)
    assert torch.equal(before, torch.random.get_rng_state())
    assert elbo_terms(tiny_vae, batch, seed=1) == a
    assert a["neg_elbo"] == pytest.approx(a["recon"] + a["kl"])


def test_iwae_bound_is_above_elbo_and_tightens_with_k(tiny_vae, sample_test):
    x = sample_test.images[:64]
    # Averaging the single-sample bound over many seeds estimates the -ELBO itself.
    neg_elbo = np.mean([elbo_terms(tiny_vae, x, seed=s)["neg_elbo"] for s in range(20)])
    k1 = np.mean([iwae_nll(tiny_vae, x, k=1, seed=s) for s in range(20)])
    assert k1 == pytest.approx(neg_elbo, rel=2e-3)  # k = 1 is the ELBO
    bounds = [iwae_nll(tiny_vae, x, k=k, seed=0) for k in (1, 10, 100, 1000)]
    assert all(a > b for a, b in zip(bounds, bounds[1:])), bounds
    assert bounds[-1] < neg_elbo  # -log p(x) <= IWAE_k <= -ELBO


def test_iwae_needs_a_vae(tiny_ae, batch):
    with pytest.raises(ValueError, match="VAE"):
        iwae_nll(tiny_ae, batch, k=5)


def test_iwae_chunking_does_not_change_the_result(tiny_vae, batch):
    from explorer.metrics import iwae_log_weights

    torch.manual_seed(0)
    a = iwae_log_weights(tiny_vae, batch, k=40, chunk=40)
    torch.manual_seed(0)
    b = iwae_log_weights(tiny_vae, batch, k=40, chunk=7)
    assert a.shape == (len(batch), 40)
    # Different chunking draws the noise in a different order, so compare statistics: the
    # mean log-weights of the two agree within four standard errors of their difference.
    n = a.numel()
    se = ((a.var() + b.var()) / n).sqrt().item()
    assert abs(a.mean().item() - b.mean().item()) < 4 * se, (a.mean(), b.mean(), se)


def test_active_units_counts_dimensions_that_vary():
    g = torch.Generator().manual_seed(0)
    means = torch.randn(5000, 4, generator=g) * torch.tensor([1.0, 0.5, 0.05, 0.001])
    assert active_units(means) == 2  # variances 1, 0.25 > 0.01; 0.0025, 1e-6 are not
    assert latent_variances(means).shape == (4,)


def test_knn_accuracy_on_separable_and_random_codes():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 600)
    z = np.eye(10)[y] * 5 + rng.normal(0, 0.1, (600, 10))
    assert knn_accuracy(z[:500], y[:500], z[500:], y[500:]) == 1.0
    noise = rng.normal(size=(600, 2))
    assert knn_accuracy(noise[:500], y[:500], noise[500:], y[500:]) < 0.3


def test_encode_means_batches_consistently(tiny_vae, sample_test):
    x = sample_test.images[:50]
    assert torch.allclose(encode_means(tiny_vae, x, batch_size=7), tiny_vae.encode(x)[0], atol=1e-6)
