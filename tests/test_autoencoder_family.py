"""The denoising autoencoder against the VAE, and the VAE trained without a digit class:
the models, and the claims the denoising and anomaly pages make about them, measured."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from explorer import anomaly, corrupt, kinds
from explorer.checkpoint import list_models, load_model, read
from explorer.classifier import load_classifier
from explorer.config import ModelConfig, TrainConfig
from explorer.data import Digits, load_digit_arrays
from explorer.model import DenoisingAutoencoder, build_model
from explorer.train import train, without_digits

from .conftest import MNIST_ROOT, ROOT, needs_mnist

needs_dae = pytest.mark.skipif(
    not {"dae-2d", "vae-2d"} <= set(list_models()), reason="needs dae-2d and vae-2d"
)
needs_held_out = pytest.mark.skipif(
    not {"vae-2d-no7", "vae-2d"} <= set(list_models()), reason="needs vae-2d-no7 and vae-2d"
)


# ---------------------------------------------------------------- the denoising autoencoder
def test_the_dae_corrupts_its_inputs_and_reconstructs_the_clean_digit():
    model = build_model(ModelConfig(kind="dae", latent_dim=2, hidden_dims=(64,), beta=0.0))
    assert isinstance(model, DenoisingAutoencoder)
    assert not kinds.get("dae").everywhere and not kinds.get("dae").has_posterior
    torch.manual_seed(0)
    x = torch.rand(64, 1, 28, 28).round()  # black and white
    noisy = model.corrupt(x)
    assert noisy.min() >= 0 and noisy.max() <= 1 and not torch.equal(noisy, x)
    assert ((noisy - x).abs() > 0.01).float().mean() > 0.1  # visibly damaged
    # the loss is measured against the clean x: a decoder that draws x exactly scores
    # (nearly) nothing, whatever the corruption did
    torch.manual_seed(1)
    terms = model.loss_terms(x)
    assert terms.recon.shape == (64,) and torch.all(terms.kl == 0)
    model.decode_logits = lambda z, c=None: (x * 2 - 1) * 40  # noqa: ARG005 (a perfect decoder)
    assert model.loss_terms(x).recon.max() < 1e-6


def test_training_without_a_class_leaves_it_out_and_the_checkpoint_says_so(tmp_path):
    labels = torch.arange(40) % 10
    data = Digits(torch.rand(40, 1, 28, 28), labels, "mnist", "train")
    kept = without_digits(data, (7,))
    assert len(kept) == 36 and 7 not in kept.labels.tolist()
    assert without_digits(data, ()) is data
    cfg = ModelConfig(kind="vae", latent_dim=2, hidden_dims=(16,))
    state = train(cfg, TrainConfig(epochs=1, snapshots=2, exclude_digits=(7,)), data, data,
                  tmp_path / "m.pt", progress=False)  # fmt: skip
    assert state["train_config"]["exclude_digits"] == (7,)
    assert list(read(tmp_path / "m.pt")["train_config"]["exclude_digits"]) == [7]
    with pytest.raises(ValueError):
        TrainConfig(exclude_digits=(10,))


# ---------------------------------------------------------------- the committed models
@needs_dae
@needs_mnist
def test_the_dae_purifies_noisy_digits_that_the_vae_turns_into_other_digits():
    """The denoising page's claim at its default level (Gaussian σ = 0.5) and at a salt and
    pepper level: the DAE's purified digits are read right far more often."""
    test = load_digit_arrays("test", root=MNIST_ROOT, download=False)
    subset = corrupt.accuracy_subset(len(test.labels))[:500]
    x, y = test.pixels[subset].astype(np.float32) / 255, test.labels[subset]
    clf, dae, vae = load_classifier(), load_model("dae-2d"), load_model("vae-2d")
    for kind, level in (("gaussian", 0.5), ("salt_pepper", 0.3)):
        read_dae = corrupt.purified_digits(dae, clf, x, kind, level)
        read_vae = corrupt.purified_digits(vae, clf, x, kind, level)
        split = corrupt.disagreements(read_vae, read_dae, y)
        assert split.right_b > split.right_a + 0.2, (kind, split.right_a, split.right_b)
        assert len(split.only_b) > 3 * len(split.only_a)
    clean_dae = corrupt.purified_digits(dae, clf, x, "gaussian", 0.0)
    assert np.mean(clean_dae == y) > 0.6  # it still reconstructs clean digits


@needs_held_out
@needs_mnist
def test_a_vae_that_never_saw_a_class_flags_it_better_than_one_that_did():
    test = load_digit_arrays("test", root=MNIST_ROOT, download=False)
    x, y = test.pixels.astype(np.float32) / 255, test.labels
    held = anomaly.held_out_report(load_model("vae-2d-no7"), x, y, (7,))
    full = anomaly.held_out_report(load_model("vae-2d"), x, y, (7,))
    assert len(held["scores"]["unseen"]["recon_error"]) == int((y == 7).sum())
    assert held["auc"]["recon_error"] > full["auc"]["recon_error"] + 0.05
    assert held["auc"]["recon_error"] > 0.6


def test_held_out_report_needs_both_groups():
    model = build_model(ModelConfig(kind="ae", latent_dim=2, hidden_dims=(16,), beta=0.0))
    x = np.random.default_rng(0).random((20, 28, 28)).astype(np.float32)
    with pytest.raises(ValueError):
        anomaly.held_out_report(model, x, np.zeros(20, int), (7,))
    rep = anomaly.held_out_report(model, x, np.arange(20) % 10, (7,))
    assert set(rep["auc"]) == {"recon_error", "bce"}


# ---------------------------------------------------------------- the pages
@needs_dae
def test_denoise_page_compares_the_model_with_the_dae(monkeypatch):
    monkeypatch.setenv("EXPLORER_INLINE_JOBS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.switch_page("pages/denoise.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(m.value for m in at.markdown)
    assert "denoising autoencoder (dae-2d)" in said and "randomness stops at the input" in said
    assert "purifies into the right digit" in said


@needs_held_out
def test_anomaly_page_scores_the_class_it_never_saw(monkeypatch):
    monkeypatch.setenv("EXPLORER_INLINE_JOBS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.switch_page("pages/anomaly.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [m.label for m in at.metric]
    assert "ROC AUC, vae-2d-no7" in labels and "ROC AUC, vae-2d" in labels
    said = " ".join(m.value for m in at.markdown)
    assert "Novelty that is real" in said
    assert at.session_state["model"] != "vae-2d-no7"
