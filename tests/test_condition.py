"""The conditional VAE and the condition page: condition and randomness, measured."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from explorer import condition, inference, kinds
from explorer.checkpoint import list_models, load_model
from explorer.classifier import load_classifier
from explorer.config import ModelConfig
from explorer.data import load_digit_arrays
from explorer.model import ConditionalVAE, build_model

from .conftest import MNIST_ROOT, ROOT, needs_mnist

needs_cvae = pytest.mark.skipif(
    "cvae-2d" not in list_models(), reason="needs the committed checkpoint cvae-2d"
)


# ---------------------------------------------------------------- the model
def test_a_conditional_vae_reads_the_label_in_encoder_and_decoder():
    torch.manual_seed(0)
    model = build_model(ModelConfig(kind="cvae", latent_dim=2, hidden_dims=(16,))).eval()
    assert isinstance(model, ConditionalVAE) and kinds.kind_of(model).conditional
    x = torch.rand(4, 1, 28, 28)
    c = torch.tensor([0, 1, 2, 3])
    mu, logvar = model.encode(x, c)
    assert mu.shape == logvar.shape == (4, 2)
    assert not torch.allclose(model.encode(x, c + 1)[0], mu)  # the label changes q(z|x, c)
    z = torch.zeros(4, 2)
    assert not torch.allclose(model.decode(z, c), model.decode(z, c + 1))
    terms = model.loss_terms(x, c)
    assert terms.recon.shape == terms.kl.shape == (4,)
    with pytest.raises(ValueError, match="labels"):
        model.encode(x)
    with pytest.raises(ValueError, match="needs the digit labels"):
        inference.decode(model, np.zeros((2, 2)))
    images = inference.decode(model, np.zeros((3, 2)), labels=[4, 5, 6])
    assert images.shape == (3, 28, 28)


# ---------------------------------------------------------------- the measures
def _stroke(shear: float, width: int = 2) -> np.ndarray:
    """A vertical bar sheared by `shear` columns per row upwards."""
    img = np.zeros((28, 28), np.float32)
    for r in range(4, 24):
        c = int(round(14 + shear * (14 - r)))
        img[r, max(c - width // 2, 0) : c + (width + 1) // 2] = 1.0
    return img


def test_slant_and_ink_measure_lean_and_stroke():
    upright, right, left = _stroke(0.0), _stroke(0.4), _stroke(-0.4)
    s = condition.slant(np.stack([upright, right, left]))
    assert abs(s[0]) < 0.02 and s[1] == pytest.approx(0.4, abs=0.05) and s[2] < -0.3
    assert condition.ink(_stroke(0, 4)[None])[0] > condition.ink(_stroke(0, 2)[None])[0]


def test_style_split_tells_columns_from_rows():
    cols = np.tile(np.arange(6.0), (10, 1))  # varies along the columns only
    split = condition.style_split(cols)
    assert split.by_column == pytest.approx(1.0) and split.by_row == pytest.approx(0.0)
    rows = cols.T.copy()
    assert condition.style_split(rows[:, :10]).by_row == pytest.approx(1.0)
    assert condition.style_split(np.ones((3, 3))) == condition.StyleSplit(0.0, 0.0)


def test_knn_class_accuracy_is_high_for_clusters_and_chance_for_noise():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 50)
    clustered = rng.normal(size=(500, 2)) * 0.1 + labels[:, None]
    assert condition.knn_class_accuracy(clustered, labels) > 0.95
    assert condition.knn_class_accuracy(rng.normal(size=(500, 2)), labels) < 0.3


# ---------------------------------------------------------------- the committed model
@needs_cvae
def test_the_dice_grid_lesson_holds_for_cvae_2d():
    """What the page says: the row's digit is read, the column decides the slant."""
    model, clf = load_model("cvae-2d"), load_classifier()
    grids = [condition.dice_grid(model, clf, columns=8, seed=s) for s in range(5)]
    assert all(g.holds for g in grids), [(g.read_as_row, g.slant) for g in grids]
    assert min(g.read_as_row for g in grids) >= 0.9
    assert min(g.slant.by_column for g in grids) > 2 * max(g.slant.by_row for g in grids)


@needs_cvae
@needs_mnist
def test_cvae_codes_do_not_sort_the_digits_and_restyle_keeps_the_class_asked():
    model, clf = load_model("cvae-2d"), load_classifier()
    test = load_digit_arrays("test", root=MNIST_ROOT, download=False)
    x = test.pixels.astype(np.float32) / 255
    z_cvae = inference.encode(model, x, test.labels).mu
    z_vae = inference.encode(load_model("vae-2d"), x).mu
    assert condition.knn_class_accuracy(z_cvae, test.labels) < 0.3  # near chance (10%)
    assert condition.knn_class_accuracy(z_vae, test.labels) > 0.8  # the VAE's clusters
    shares = [
        condition.restyle(model, clf, x[i], int(test.labels[i])).read_as_asked for i in range(20)
    ]
    assert np.mean(shares) >= 0.9


@needs_cvae
def test_condition_page_shows_the_measured_lesson_and_other_pages_skip_the_cvae(monkeypatch):
    monkeypatch.setenv("EXPLORER_INLINE_JOBS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["model"] = "cvae-2d"
    at.switch_page("pages/condition.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(s.value for s in at.success)
    assert "classifier reads" in said and "column explains" in said
    at.button(key="cond.new_draw").click().run()
    assert not at.exception
    at.switch_page("pages/latent_map.py").run()  # the map page takes no conditional model
    assert not at.exception
    assert at.session_state["model"] != "cvae-2d"


@needs_cvae
def test_condition_page_without_a_usable_classifier_says_so(tmp_path, monkeypatch):
    import shutil

    import streamlit as st

    for name in ("cvae-2d.pt", "cvae-2d.facts.npz"):
        shutil.copy(ROOT / "checkpoints" / name, tmp_path / name)
    (tmp_path / "classifier.pt").write_bytes(b"not a checkpoint")
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("EXPLORER_INLINE_JOBS", "1")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.query_params["model"] = "cvae-2d"
        at.switch_page("pages/condition.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("classifier" in e.value for e in at.error), [e.value for e in at.error]
    finally:
        st.cache_resource.clear()
