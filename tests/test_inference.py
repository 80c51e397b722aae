"""explorer.inference, the one way pages run a model: numpy in, numpy out."""

import numpy as np
import pytest
import torch

from explorer import inference
from explorer.config import ModelConfig
from explorer.model import build_model


@pytest.fixture(scope="module")
def models():
    torch.manual_seed(0)
    vae = build_model(ModelConfig(kind="vae", latent_dim=3, hidden_dims=(32,)))
    ae = build_model(ModelConfig(kind="ae", latent_dim=3, hidden_dims=(32,)))
    return vae.train(), ae.train()  # in training mode: the seam must switch to eval


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)


def test_encode_decode_reconstruct_agree_with_the_model_in_eval_mode(models, images):
    vae, _ = models
    enc = inference.encode(vae, images)
    assert not vae.training
    with torch.no_grad():
        mu, logvar = vae.encode(torch.from_numpy(images[:, None]))
        expected = vae.decode(mu)[:, 0].numpy()
    np.testing.assert_allclose(enc.mu, mu.numpy(), atol=1e-6)
    np.testing.assert_allclose(enc.logvar, logvar.numpy(), atol=1e-6)
    assert enc.mu.dtype == np.float32 and enc.mu.shape == (5, 3)
    np.testing.assert_allclose(inference.decode(vae, enc.mu), expected, atol=1e-6)
    np.testing.assert_allclose(inference.reconstruct(vae, images), expected, atol=1e-6)
    # (N, 1, 28, 28) and one (28, 28) image are accepted as well
    np.testing.assert_allclose(inference.encode(vae, images[:, None]).mu, enc.mu, atol=1e-6)
    np.testing.assert_allclose(inference.encode(vae, images[0]).mu[0], enc.mu[0], atol=1e-6)


def test_reconstruct_nll_is_the_bernoulli_term_at_the_mean(models, images):
    vae, _ = models
    x_hat, nll = inference.reconstruct_nll(vae, images[0])
    np.testing.assert_allclose(x_hat, inference.reconstruct(vae, images[:1])[0], atol=1e-6)
    p = np.clip(x_hat.astype(np.float64), 1e-7, 1 - 1e-7)
    x = images[0].astype(np.float64)
    assert nll == pytest.approx(-(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(), rel=1e-4)


def test_an_autoencoder_has_codes_but_no_posterior(models, images):
    _, ae = models
    enc = inference.encode(ae, images)
    assert enc.logvar is None and enc.mu.shape == (5, 3)


def test_batches_and_empty_inputs(models, images, monkeypatch):
    vae, _ = models
    whole = inference.encode(vae, images).mu
    monkeypatch.setattr(inference, "BATCH", 2)  # 3 batches give the same numbers
    np.testing.assert_allclose(inference.encode(vae, images).mu, whole, atol=1e-6)
    assert inference.decode(vae, np.zeros((0, 3))).shape == (0, 28, 28)


def test_wrong_inputs_are_refused_clearly(models, images):
    vae, _ = models
    with pytest.raises(ValueError, match="28 x 28"):
        inference.encode(vae, np.zeros((2, 27, 27)))
    with pytest.raises(ValueError, match="takes no labels"):
        inference.decode(vae, np.zeros((2, 3)), labels=[1, 2])


def test_classify_gives_probabilities(images):
    from explorer.classifier import ClassifierConfig, DigitClassifier

    probs = inference.classify(DigitClassifier(ClassifierConfig()).train(), images)
    assert probs.shape == (5, 10)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
