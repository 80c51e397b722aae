"""The inference pages (reparameterization, high-dimensional latents, ELBO vs IWAE): their
library code (explorer.posterior, explorer.traversal, explorer.bounds) on the committed
checkpoints, and the pages themselves under AppTest in English and Korean."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from explorer import checkpoint, inference, list_models, load_model
from explorer.bounds import iwae_curve, neg_elbo
from explorer.data import load_digits
from explorer.i18n import LANGS, check_catalog
from explorer.metrics import ACTIVE_UNIT_THRESHOLD, elbo_terms
from explorer.posterior import (
    ellipse_points,
    error_map,
    gaussian_mass_2d,
    sample_posterior,
)
from explorer.traversal import dimension_stats, per_dim_kl, traversal_codes, value_label
from pages import picker
from pages.texts.iwae import CATALOG as IWAE_TEXT
from pages.texts.latent_dims import CATALOG as DIMS_TEXT
from pages.texts.reparam import CATALOG as REPARAM_TEXT

from .conftest import ROOT, app_elements, app_figures

needs_models = pytest.mark.skipif(
    not {"vae-2d", "vae-32d", "ae-2d"} <= set(list_models()),
    reason="needs the committed checkpoints vae-2d, vae-32d and ae-2d",
)
PAGES = {
    "pages/reparam.py": REPARAM_TEXT,
    "pages/latent_dims.py": DIMS_TEXT,
    "pages/iwae.py": IWAE_TEXT,
}


@pytest.fixture(scope="module")
def digits():
    return load_digits("test")


@pytest.fixture(scope="module")
def vae2d():
    return load_model("vae-2d")


@pytest.fixture(scope="module")
def vae32d():
    return load_model("vae-32d")


# ---------------------------------------------------------------- explorer.posterior
@pytest.mark.parametrize("n_sigma", [1.0, 2.0])
def test_ellipse_points_lie_on_the_n_sigma_contour(n_sigma):
    mu, sigma = np.array([0.3, -1.2]), np.array([0.05, 0.4])
    ring = ellipse_points(mu, sigma, n_sigma, n_points=73)
    assert ring.shape == (73, 2)
    np.testing.assert_allclose((((ring - mu) / sigma) ** 2).sum(axis=1), n_sigma**2, rtol=1e-12)
    np.testing.assert_allclose(ring[0], ring[-1])  # closed curve
    # axis-aligned: the extremes sit exactly n_sigma * sigma from mu along each axis
    np.testing.assert_allclose(ring.max(axis=0) - mu, n_sigma * sigma, rtol=1e-3)
    assert gaussian_mass_2d(1) == pytest.approx(0.3935, abs=1e-4)
    with pytest.raises(ValueError):
        ellipse_points(np.zeros(3), np.ones(3))


def test_sampled_z_have_the_posterior_mean_and_std_and_are_reproducible():
    mu = np.array([0.5, -1.0, 2.0], dtype=np.float32)
    logvar = np.log(np.array([0.04, 0.25, 1.0], dtype=np.float32))
    sigma = np.sqrt([0.04, 0.25, 1.0])
    n = 40_000
    draw = sample_posterior(mu, logvar, n, seed=7)
    assert draw.z.shape == (n, 3) and draw.eps.shape == (n, 3)
    np.testing.assert_allclose(draw.sigma, sigma, rtol=1e-6)
    assert np.all(np.abs(draw.z.mean(0) - mu) < 4 * sigma / math.sqrt(n))
    np.testing.assert_allclose(draw.z.std(0), sigma, rtol=0.02)
    # the same formula as VAE.reparameterize: z = mu + exp(logvar / 2) * eps
    torch_z = torch.tensor(mu) + torch.exp(0.5 * torch.tensor(logvar)) * torch.tensor(draw.eps)
    np.testing.assert_allclose(draw.z, torch_z.numpy(), rtol=1e-6, atol=1e-6)
    again = sample_posterior(mu, logvar, n, seed=7)
    np.testing.assert_array_equal(again.z, draw.z)
    assert not np.allclose(sample_posterior(mu, logvar, 8, seed=8).z, draw.z[:8])


def test_posterior_of_an_autoencoder_is_absent_and_error_map(tiny_ae, tiny_vae, batch):
    assert inference.encode(tiny_ae, batch).logvar is None  # a point, not a distribution
    mu, logvar = inference.encode(tiny_vae, batch)
    assert mu.shape == logvar.shape == (len(batch), 3)
    x = np.zeros((28, 28), np.float32)
    x_hat = np.full((28, 28), 0.25, np.float32)
    np.testing.assert_allclose(error_map(x, x_hat), 0.25)


# ---------------------------------------------------------------- explorer.traversal
def test_traversal_codes_change_one_dimension_per_row():
    mu = np.arange(5, dtype=np.float32)
    values = np.array([-1.0, 0.0, 1.0], np.float32)
    codes = traversal_codes(mu, [3, 0], values)
    assert codes.shape == (6, 5)
    np.testing.assert_array_equal(codes[:3, 3], values)
    np.testing.assert_array_equal(codes[3:, 0], values)
    changed = (codes != mu).sum(axis=1)
    assert changed.max() == 1  # never more than the one swept dimension
    assert [value_label(v) for v in (-2.25, 0.0, 1.5)] == ["-2.25", "0", "+1.5"]


@needs_models
def test_per_dim_kl_sums_to_the_models_mean_kl(vae32d, digits):
    images = digits.images[:500]
    stats = dimension_stats(vae32d, images.numpy())
    total = elbo_terms(vae32d, images)["kl"]  # closed-form KL, mean over images
    assert stats.kl.shape == (32,) and np.all(stats.kl > -1e-6)
    assert stats.kl.sum() == pytest.approx(total, rel=1e-3)
    with torch.no_grad():
        mu, logvar = vae32d.encode(images)
    np.testing.assert_allclose(
        per_dim_kl(mu.numpy(), logvar.numpy()), stats.kl, rtol=1e-4, atol=1e-6
    )


@needs_models
def test_vae32d_has_inactive_dimensions(vae32d, digits):
    stats = dimension_stats(vae32d, digits.images)
    # Found on the committed vae-32d: 11 of 32 dimensions active, the other 21 with
    # KL_j < 0.01 nats and Var_x(mu_j) ~ 1e-4 (posterior collapse).
    assert 0 < stats.n_active < 32, stats.n_active
    assert stats.threshold == ACTIVE_UNIT_THRESHOLD
    assert np.all(stats.kl[~stats.active] < 0.05)
    assert np.all(stats.kl[stats.active] > 0.5)
    assert list(stats.kl[stats.by_kl]) == sorted(stats.kl, reverse=True)


# ---------------------------------------------------------------- explorer.bounds
@needs_models
def test_iwae_curve_decreases_with_k_and_k1_is_the_elbo(vae2d, digits):
    x = digits.images[int(np.flatnonzero(digits.labels.numpy() == 2)[0])]
    ks = (1, 5, 50, 500)
    curve = iwae_curve(vae2d, x, ks=ks, seed=0)
    assert list(curve["k"]) == list(ks) and list(curve["repeats"]) == [20, 20, 20, 10]
    assert [len(e) for e in curve["estimates"]] == [20, 20, 20, 10]
    stderr = curve["std"] / np.sqrt(curve["repeats"])
    for i in range(len(ks) - 1):  # non-increasing on average, within the noise
        assert curve["mean"][i + 1] <= curve["mean"][i] + 3 * np.hypot(stderr[i], stderr[i + 1])
    assert curve["std"][-1] < curve["std"][0]
    again = iwae_curve(vae2d, x, ks=ks, seed=0)
    np.testing.assert_array_equal(again["mean"], curve["mean"])
    # -L_1 is an unbiased estimate of -ELBO = E_q[-log p(x|z)] + KL(q || p)
    one = iwae_curve(vae2d, x, ks=(1,), repeats=400, seed=1)
    elbo = neg_elbo(vae2d, x, n_samples=4000, seed=2)
    assert one["mean"][0] == pytest.approx(elbo["neg_elbo"], abs=4 * one["std"][0] / 20 + 0.2)
    assert elbo["kl"] > 0 and elbo["recon"] > 0
    # and every larger k gives a tighter (lower) -L_k than the ELBO, within the noise
    assert curve["mean"][-1] <= elbo["neg_elbo"] + 3 * stderr[-1]


def test_bounds_refuse_an_autoencoder(tiny_ae, batch):
    with pytest.raises(ValueError, match="autoencoder"):
        iwae_curve(tiny_ae, batch[0], ks=(1,), repeats=2)
    with pytest.raises(ValueError, match="autoencoder"):
        neg_elbo(tiny_ae, batch[0])


# ---------------------------------------------------------------- catalogs
@pytest.mark.parametrize("page", sorted(PAGES))
def test_catalogs_are_sound(page):
    assert check_catalog(PAGES[page]) == []


# ---------------------------------------------------------------- the pages (AppTest)


def _array(value) -> np.ndarray:
    """A Plotly data array from figure JSON: a list, or a typed array {"dtype", "bdata"}."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def _image_urls(at: AppTest) -> list[str]:
    return [img.url for e in app_elements(at, "image") for img in e.proto.imgs]


def _open(page: str, model: str, lang: str = "en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["model"] = model
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@needs_models
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders_in_each_language(page, lang):
    at = _open(page, "vae-2d" if page != "pages/latent_dims.py" else "vae-32d", lang)
    title = PAGES[page]["title"][LANGS.index(lang)]
    assert at.title[0].value == title
    assert app_figures(at)
    assert at.query_params["lang"] in (lang, [lang])


@needs_models
def test_reparam_new_eps_changes_the_samples():
    at = _open("pages/reparam.py", "vae-2d")
    table = at.table[0].value
    assert len(table) == 8
    zoom = app_figures(at)[1]  # the whole map, the zoom on q(z|x), the reconstruction
    samples = [tr for tr in zoom["data"] if tr.get("mode") == "markers+text"]
    assert len(samples) == 1
    images = _image_urls(at)
    at.number_input(key="reparam.seed").set_value(5).run()
    _ok(at)
    assert at.query_params["seed"] in ("5", ["5"])
    assert not at.table[0].value.equals(table)
    assert _image_urls(at) != images
    at.button(key="reparam.new_eps").click().run()
    _ok(at)
    assert at.number_input(key="reparam.seed").value != 5
    at.slider(key="reparam.n").set_value(12).run()
    _ok(at)
    assert len(at.table[0].value) == 12
    # The equal-scale axes that keep the ellipse to scale.
    assert zoom["layout"]["yaxis"]["scaleanchor"] == "x"


@needs_models
def test_latent_dims_digit_and_rows_change_the_traversal():
    at = _open("pages/latent_dims.py", "vae-32d")
    traversal = app_figures(at)[0]
    ticks = traversal["layout"]["yaxis"]["ticktext"]
    assert len(ticks) == 14 and any("color" in t for t in ticks)  # inactive rows greyed
    # Active units by hand (Burda et al.: Var_x of the encoder mean above 0.01), not by the
    # page's own dimension_stats.
    with torch.no_grad():
        mu, _ = load_model("vae-32d").encode(load_digits("test").images)
    expected = int((mu.double().var(dim=0, unbiased=False) > 0.01).sum())
    assert at.metric[0].value == f"{expected} / 32"
    at.number_input(key="dims.i").set_value(5).run()
    _ok(at)
    assert app_figures(at)[0]["data"][0] != traversal["data"][0]
    at.slider(key="dims.rows").set_value(5).run()
    _ok(at)
    assert len(app_figures(at)[0]["layout"]["yaxis"]["ticktext"]) == 5


@needs_models
def test_iwae_curve_has_one_point_per_k():
    at = _open("pages/iwae.py", "vae-2d")
    mean = app_figures(at)[0]["data"][-1]
    assert list(_array(mean["x"])) == [1, 5, 50, 500, 5000] and len(at.table[0].value) == 5
    at.checkbox(key="iwae.big").uncheck().run()
    _ok(at)
    assert len(_array(app_figures(at)[0]["data"][-1]["x"])) == 4 and len(at.table[0].value) == 4
    assert at.query_params["big"] in ("0", ["0"])


# What each page needs of a checkpoint's config: its model picker offers only those.
NEEDS = {
    "pages/reparam.py": lambda cfg: cfg["kind"] == "vae" and cfg["latent_dim"] == 2,
    "pages/latent_dims.py": lambda cfg: cfg["kind"] == "vae" and cfg["latent_dim"] > 2,
    "pages/iwae.py": lambda cfg: cfg["kind"] == "vae",
}


@needs_models
@pytest.mark.parametrize("page", sorted(PAGES))
def test_autoencoder_in_the_link_gives_way_to_a_model_the_page_can_use(page):
    at = _open(page, "ae-2d", "ko" if page == "pages/iwae.py" else "en")
    box = at.selectbox(key=picker._PICKER_KEY)
    offered = {name: checkpoint.read(checkpoint.resolve(name))["config"] for name in box.options}
    assert "ae-2d" not in offered and all(NEEDS[page](cfg) for cfg in offered.values())
    assert box.value in offered and at.session_state["model"] == box.value
    assert app_figures(at)


@needs_models
def test_iwae_large_k_follow_from_the_background_queue(monkeypatch):
    """Without inline work (as a real server runs), a new digit answers with k <= 50 and a
    progress bar; k = 500 and 5000 and the exact -log p(x) arrive once the queue is done,
    with the same numbers the inline run computes."""
    from pages import background

    at = _open("pages/iwae.py", "vae-2d")  # inline (the suite's default)
    inline_mean = _array(app_figures(at)[0]["data"][-1]["y"])
    monkeypatch.delenv(background.INLINE_ENV)
    at.number_input(key="iwae.seed").set_value(3).run()  # a seed nobody computed yet
    _ok(at)
    assert list(_array(app_figures(at)[0]["data"][-1]["x"])) == [1, 5, 50]
    assert not at.info  # the exact note waits for the queue too
    jobs = list(background._queue()._jobs.values())
    assert jobs and all(job.wait(300) for job in jobs)
    at.run()
    _ok(at)
    assert list(_array(app_figures(at)[0]["data"][-1]["x"])) == [1, 5, 50, 500, 5000]
    assert at.info  # -log p(x) by quadrature
    monkeypatch.setenv(background.INLINE_ENV, "1")
    at.number_input(key="iwae.seed").set_value(0).run()
    assert np.allclose(_array(app_figures(at)[0]["data"][-1]["y"]), inline_mean)
