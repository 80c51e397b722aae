"""The lecture's comparison pages (AE vs VAE, the β knob, training replay) under AppTest in
English and Korean, and the library behind them (explorer.compare, explorer.figures.lessons).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from explorer import checkpoint, load_model
from explorer.classifier import load_classifier
from explorer.compare import (
    UNSURE_TINT,
    labelled_grid,
    loss_terms_of,
    replay_coords,
    shaded_mosaic,
)
from explorer.data import load_digits
from explorer.evaluate import grid_confidence
from explorer.i18n import check_catalog
from explorer.metrics import encode_means
from pages.texts import ae_vs_vae, beta, training

from .conftest import ROOT, app_figures

LANGS = ["en", "ko"]
TITLES = {
    "pages/ae_vs_vae.py": ae_vs_vae.CATALOG["title"],
    "pages/beta.py": beta.CATALOG["title"],
    "pages/training.py": training.CATALOG["title"],
}


# ---------------------------------------------------------------- helpers


def _page(page: str, lang: str = "en", **params) -> AppTest:
    """The app opened straight on `page` (app.py runs as the navigation entry point)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _n_points(values) -> int:
    """Length of a Plotly array, plain list or typed array ({"bdata", "dtype"})."""
    if isinstance(values, dict):
        import base64

        return len(base64.b64decode(values["bdata"])) // np.dtype(values["dtype"]).itemsize
    return len(values)


@pytest.fixture(scope="module")
def digits():
    return load_digits("test")


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


@pytest.fixture(scope="module")
def two_d(digits):
    """ae-2d and vae-2d with their encoded test sets (N, 2)."""
    out = {}
    for name in ("ae-2d", "vae-2d"):
        model = load_model(name)
        out[name] = (model, encode_means(model, digits.images).numpy())
    return out


# ---------------------------------------------------------------- catalogs
@pytest.mark.parametrize("module", [ae_vs_vae, beta, training], ids=lambda m: m.__name__)
def test_catalogs_are_complete_in_both_languages(module):
    assert check_catalog(module.CATALOG) == []


# ---------------------------------------------------------------- explorer.compare
@pytest.mark.parametrize("name", ["ae-2d", "vae-2d"])
def test_labelled_grid_fraction_is_the_evaluation_measure(two_d, classifier, name):
    model, latents = two_d[name]
    grid = labelled_grid(model, latents, classifier, n=12)
    assert grid.points.shape == (144, 2) and grid.images.shape == (144, 28, 28)
    assert grid.probs.shape == (144, 10)
    assert grid.fraction == grid_confidence(model, torch.from_numpy(latents), classifier, n=12)
    assert grid.fraction == pytest.approx(grid.confident.mean())
    np.testing.assert_allclose(grid.lo, latents.min(0), rtol=1e-6)
    np.testing.assert_allclose(grid.hi, latents.max(0), rtol=1e-6)
    x0, x1, y0, y1 = grid.extent  # the mosaic reaches half a cell beyond the data range
    assert x0 < grid.lo[0] < grid.hi[0] < x1 and y0 < grid.lo[1] < grid.hi[1] < y1


def test_labelled_grid_over_a_given_box(two_d, classifier):
    model, latents = two_d["vae-2d"]
    grid = labelled_grid(model, latents, classifier, n=5, box=((-3, -3), (3, 3)))
    np.testing.assert_allclose(grid.points[0], [-3, 3])  # top-left first
    np.testing.assert_allclose(grid.points[-1], [3, -3])


def test_shaded_mosaic_tints_only_the_unsure_cells():
    images = np.zeros((4, 28, 28), np.float32)
    images[:, 10:18, 10:18] = 1.0  # a white stroke in every cell
    confident = np.array([True, False, True, False])
    rgb = shaded_mosaic(images, confident, n_cols=2)
    assert rgb.shape == (56, 56, 3)
    np.testing.assert_array_equal(rgb[0, 0], [0, 0, 0])  # confident cell: black background
    np.testing.assert_allclose(rgb[0, 28], UNSURE_TINT, rtol=1e-6)  # unsure: tinted
    np.testing.assert_array_equal(rgb[28 + 14, 28 + 14], [1, 1, 1])  # strokes stay white


def test_loss_terms_come_from_metrics_else_from_the_last_epoch():
    history = {"epoch": [1, 2], "test_recon": [150.0, 140.0], "test_kl": [5.0, 6.0]}
    info = {"config": {"kind": "vae", "beta": 4.0}, "history": history, "metrics": {}}
    terms = loss_terms_of(info)
    assert (terms.recon, terms.kl, terms.source, terms.epoch) == (140.0, 6.0, "history", 2)
    assert terms.objective == 140.0 + 4.0 * 6.0 and terms.neg_elbo == 146.0
    info["metrics"] = {"recon": 139.0, "kl": 6.5}
    terms = loss_terms_of(info)
    assert (terms.recon, terms.kl, terms.source) == (139.0, 6.5, "metrics")
    ae = loss_terms_of({"config": {"kind": "ae", "beta": 0.0}, "history": history})
    assert ae.beta == 0.0 and ae.objective == ae.recon


def test_replay_keeps_one_plane_and_one_range():
    info = checkpoint.load_model_and_info(checkpoint.resolve("vae-32d"))[1]
    snaps = info["snapshots"]
    replay = replay_coords(snaps)
    s, n, d = snaps["latents"].shape
    assert d > 2 and replay.projected and replay.coords.shape == (s, n, 2)
    assert replay.epochs == [int(e) for e in snaps["epoch"]]
    flat = replay.coords.reshape(-1, 2)
    assert (flat >= replay.lo).all() and (flat <= replay.hi).all()
    flat_2d = replay_coords({**snaps, "latents": snaps["latents"][..., :2]})
    assert not flat_2d.projected
    np.testing.assert_allclose(flat_2d.coords, snaps["latents"][..., :2].float().numpy())


# ---------------------------------------------------------------- the pages
@pytest.mark.parametrize("lang", LANGS)
def test_ae_vs_vae_views_and_the_measured_claim(lang):
    at = _page("pages/ae_vs_vae.py", lang)
    _ok(at)
    assert at.title[0].value == TITLES["pages/ae_vs_vae.py"][LANGS.index(lang)]
    ae_samples, vae_samples, bars = app_figures(at)  # two sample mosaics, then coverage
    for fig in (ae_samples, vae_samples):
        assert _n_points(fig["data"][-1]["text"]) == 64  # one badge per shown sample
        assert fig["layout"]["images"][0]["source"].startswith("data:image/png;base64,")
    assert [b["name"] for b in bars["data"][:2]] == ["ae-2d", "vae-2d"]
    assert all(_n_points(b["y"]) == 10 for b in bars["data"][:2])
    claim = (at.success or at.warning)[0].value
    assert "10" in claim and "%" in claim  # the measured numbers are on the page

    at.selectbox(key="aevae.view").set_value("prior_box").run()
    _ok(at)
    grids = app_figures(at)[:2]
    for fig in grids:  # both decoders over the same box, [-3, 3]^2 plus half a cell
        assert _n_points(fig["data"][-1]["text"]) == 12 * 12
        x0, x1 = fig["layout"]["xaxis"]["range"]
        assert -3.4 < x0 < -3 and 3 < x1 < 3.4
    at.selectbox(key="aevae.view").set_value("marginals").run()
    _ok(at)
    assert len(app_figures(at)) == 2  # the marginals and the coverage bars
    before = at.query_params.get("seed")
    at.button(key="aevae.draw").click().run()
    _ok(at)
    assert at.query_params["seed"] != before


@pytest.mark.parametrize("lang", LANGS)
def test_beta_page_shows_all_three_models(lang):
    at = _page("pages/beta.py", lang)
    _ok(at)
    assert at.title[0].value == TITLES["pages/beta.py"][LANGS.index(lang)]
    table = at.table[0].value
    assert list(table.iloc[:, 0]) == ["vae-2d-beta0.5", "vae-2d-beta1", "vae-2d-beta4"]
    assert list(table["β"]) == [0.5, 1.0, 4.0]
    assert table.iloc[:, 2:].notna().all().all()
    maps, bars, recon = app_figures(at)
    assert [a["text"] for a in maps["layout"]["annotations"]] == ["β = 0.5", "β = 1", "β = 4"]
    assert len(bars["data"]) == 2 and all(_n_points(b["y"]) == 3 for b in bars["data"])
    assert at.success, "the measured trade-off claim"
    first = recon["data"][0]["source"]

    at.button(key="beta.other").click().run()
    _ok(at)
    assert at.query_params["pick"] in ("random", ["random"])
    assert app_figures(at)[2]["data"][0]["source"] != first


@pytest.mark.parametrize("lang", LANGS)
def test_training_replay_has_one_frame_per_snapshot(lang):
    at = _page("pages/training.py", lang, model="vae-2d")
    _ok(at)
    assert at.title[0].value == TITLES["pages/training.py"][LANGS.index(lang)]
    epochs = [int(e) for e in checkpoint.read(checkpoint.resolve("vae-2d"))["snapshots"]["epoch"]]
    fig = app_figures(at)[0]
    assert [f["name"] for f in fig["frames"]] == [str(e) for e in epochs]
    assert [s["label"] for s in fig["layout"]["sliders"][0]["steps"]] == [str(e) for e in epochs]
    ranges = fig["layout"]["xaxis"]["range"], fig["layout"]["yaxis"]["range"]

    at.slider(key="replay.ms").set_value(1500).run()
    _ok(at)
    fig = app_figures(at)[0]
    play = fig["layout"]["updatemenus"][0]["buttons"][0]["args"][1]
    assert play["frame"]["duration"] == 1500
    assert (fig["layout"]["xaxis"]["range"], fig["layout"]["yaxis"]["range"]) == ranges

    at.session_state["model"] = "vae-32d"  # the sidebar model: a 32-D model is projected
    at.run()
    _ok(at)
    fig = app_figures(at)[0]
    assert fig["layout"]["xaxis"]["title"]["text"] == "PC 1"
    assert "PCA" in " ".join(c.value for c in at.caption)
