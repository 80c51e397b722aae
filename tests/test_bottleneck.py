"""The bottleneck: pixel PCA, the linear autoencoder and the non-linear ones, measured."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from explorer import bottleneck, inference, kinds
from explorer.checkpoint import list_models, load_model
from explorer.config import ModelConfig
from explorer.data import load_digit_arrays
from explorer.model import LinearAutoencoder, build_model

from .conftest import MNIST_ROOT, ROOT, needs_mnist

needs_models = pytest.mark.skipif(
    not {"linear-ae-2d", "ae-2d", "vae-2d"} <= set(list_models()),
    reason="needs the committed checkpoints linear-ae-2d, ae-2d and vae-2d",
)


def _blobs(n: int = 600, seed: int = 0) -> np.ndarray:
    """Images (n, 28, 28) that vary mostly along two pixel patterns, about as much as
    MNIST's digits do (grey levels may leave [0, 1]: nothing here is a picture)."""
    rng = np.random.default_rng(seed)
    a, b = rng.random((2, 28 * 28))
    codes = rng.normal(size=(n, 2)) * [0.3, 0.15]
    x = 0.5 + codes @ np.stack([a - 0.5, b - 0.5]) + 0.01 * rng.normal(size=(n, 784))
    return x.reshape(n, 28, 28)


# ---------------------------------------------------------------- PCA
def test_pca_components_are_orthonormal_and_errors_match_reconstructions():
    x = _blobs()
    pca = bottleneck.fit_pca(x, n_components=6)
    gram = pca.components @ pca.components.T
    assert np.allclose(gram, np.eye(6), atol=1e-8)
    assert np.all(np.diff(pca.variance) <= 1e-12)  # largest first
    errors = pca.errors(x)
    assert np.all(np.diff(errors) <= 1e-9)  # more components, never worse
    for k in (1, 2, 5):
        direct = bottleneck.squared_error(x, pca.reconstruct(x, k)).mean()
        assert errors[k - 1] == pytest.approx(direct, rel=1e-9)
    assert errors[1] < 0.1 * errors[0] + 1.0  # two patterns: two components say nearly all


def test_pca_round_trips_through_its_arrays():
    pca = bottleneck.fit_pca(_blobs(), n_components=3)
    again = bottleneck.PixelPCA.from_arrays(pca.to_arrays())
    assert np.array_equal(again.components, pca.components)


def test_components_matching_and_subspace_cosines():
    errors = np.array([50.0, 40.0, 30.0, 20.0])
    assert bottleneck.components_matching(errors, 35.0) == 3
    assert bottleneck.components_matching(errors, 50.0) == 1
    assert bottleneck.components_matching(errors, 10.0) is None
    basis = np.eye(784)[:, :2]
    assert np.allclose(bottleneck.subspace_cosines(basis, basis @ [[2.0, 1.0], [0.0, 3.0]]), 1)
    assert np.allclose(bottleneck.subspace_cosines(basis, np.eye(784)[:, 2:4]), 0)


# ---------------------------------------------------------------- the linear autoencoder
def test_the_linear_autoencoder_is_one_linear_map_and_its_kind_is_registered():
    model = build_model(ModelConfig(kind="linear-ae", latent_dim=2, hidden_dims=(), beta=0.0))
    assert isinstance(model, LinearAutoencoder)
    assert not any(isinstance(m, torch.nn.ReLU) for m in model.modules())
    kind = kinds.get("linear-ae")
    assert not kind.everywhere and not kind.has_posterior and not kind.has_elbo
    z = np.array([[40.0, -40.0]], np.float32)  # far out: the linear output leaves [0, 1]
    raw = inference.decode(model, z, raw=True)
    shown = inference.decode(model, z)
    assert raw.min() < 0 or raw.max() > 1
    assert shown.min() >= 0 and shown.max() <= 1
    assert np.allclose(np.clip(raw, 1e-4, 1 - 1e-4), shown, atol=1e-5)
    with torch.no_grad():  # decoder_matrix is the decoder's map without its bias
        bias = model.decoder[-1].bias.numpy()
    assert np.allclose(model.decoder_matrix() @ z[0] + bias, raw.reshape(-1), atol=1e-4)


# ---------------------------------------------------------------- the committed models
@needs_models
@needs_mnist
def test_the_bottleneck_lessons_hold_on_the_committed_models():
    """What the page says: the linear AE lands on PCA (error and plane); the non-linear AE
    with two numbers matches PCA with many components and sorts the digits far better."""
    train = load_digit_arrays("train", root=MNIST_ROOT, download=False)
    test = load_digit_arrays("test", root=MNIST_ROOT, download=False)
    x, y = test.pixels.astype(np.float32) / 255, test.labels
    pca = bottleneck.fit_pca(train.pixels.astype(np.float32) / 255)
    pca_2, errors = bottleneck.code_with_pca(pca, x, y), pca.errors(x)
    linear = load_model("linear-ae-2d")
    lin = bottleneck.code_with_model(linear, x, y)
    assert lin.error == pytest.approx(pca_2.error, rel=0.01)
    assert abs(lin.knn - pca_2.knn) < 0.02
    assert bottleneck.subspace_cosines(linear.decoder_matrix(), pca.components[:2].T).min() > 0.99
    for name in ("ae-2d", "vae-2d"):
        coded = bottleneck.code_with_model(load_model(name), x, y)
        k = bottleneck.components_matching(errors, coded.error)
        assert k is not None and k >= 8, (name, k, coded.error)
        assert coded.knn > pca_2.knn + 0.3


@needs_models
def test_bottleneck_page_states_the_measured_claims(monkeypatch):
    monkeypatch.setenv("EXPLORER_INLINE_JOBS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.switch_page("pages/bottleneck.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(m.value for m in at.markdown)
    assert "lands where PCA does" in said and "as well as PCA with" in said
    # a page of fixed models opened first leaves no empty model in the link (which the
    # next run would reject with a notice)
    assert at.query_params.get("model") not in ([""], "")
    k = at.slider[0].value
    at.slider[0].set_value(1).run()
    assert not at.exception and at.slider[0].value == 1
    assert k >= 2


@needs_models
def test_lesson_models_stay_out_of_the_pickers(monkeypatch):
    monkeypatch.setenv("EXPLORER_INLINE_JOBS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["model"] = "linear-ae-2d"
    at.switch_page("pages/latent_map.py").run()
    assert not at.exception
    assert at.session_state["model"] != "linear-ae-2d"
    offered = at.selectbox[0].options
    assert "linear-ae-2d" not in offered and "vae-2d" in offered
