"""The denoising page's purification accuracy: measured once per model over the sliders'
whole grid on a fixed subset, in the background, kept on disk; a slider move looks it up."""

from __future__ import annotations

import time

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import corrupt
from explorer.classifier import load_classifier
from explorer.corrupt import (
    KINDS,
    LEVEL_RANGE,
    LEVEL_STEP,
    AccuracyTable,
    accuracy_subset,
    level_grid,
    purification_accuracy,
    stored_accuracy_table,
)
from explorer.data import load_sample
from pages.texts.denoise import CATALOG as DENOISE_TEXT

from .conftest import ROOT


@pytest.fixture(scope="module")
def few():
    """20 test digits of the offline sample, spread over its classes: (20, 28, 28), (20,)."""
    sample = load_sample("test")
    idx = accuracy_subset(len(sample), 20)
    return sample.images.numpy()[idx, 0], sample.labels.numpy()[idx]


@pytest.fixture(scope="module")
def clf():
    return load_classifier()


@pytest.fixture(autouse=True)
def _fresh_tables():
    """Each test gets its own tables (the registry is per process, and the page keeps the
    tables it was handed in Streamlit's resource cache)."""
    corrupt._TABLES.clear()
    st.cache_resource.clear()
    yield
    for table in corrupt._TABLES.values():
        table.stop()
    corrupt._TABLES.clear()


def _fail(*args, **kwargs):
    raise AssertionError("measured although it was stored")


def test_level_grid_is_every_slider_position():
    for kind in KINDS:
        grid = level_grid(kind)
        lo, hi = LEVEL_RANGE[kind]
        assert grid[0] == lo and grid[-1] == hi
        np.testing.assert_allclose(np.diff(grid), LEVEL_STEP[kind])
    assert len(level_grid("gaussian")) == 21 and 0.15 in level_grid("gaussian")
    assert len(level_grid("salt_pepper")) == 31 and len(level_grid("square")) == 21


def test_accuracy_subset_spreads_over_the_test_set():
    np.testing.assert_array_equal(accuracy_subset(10_000)[:3], [0, 10, 20])
    assert len(accuracy_subset(10_000)) == 1000 and accuracy_subset(10_000)[-1] == 9990
    np.testing.assert_array_equal(accuracy_subset(800), np.arange(800))


def test_table_equals_a_direct_computation_on_the_same_digits(tiny_vae, clf, few):
    images, labels = few
    done = []
    table = AccuracyTable(tiny_vae, clf, images, labels, on_kind_done=lambda *a: done.append(a))
    assert table.n == 20 and table.get("square", 8) is None
    table.want("salt_pepper", 0.33)  # off the grid (a value from a link): measured too
    table.fill(limit=1)
    table.stop()
    table.want("square", 8)
    table.fill()  # what start() runs in its thread
    for kind, level in (("square", 8), ("square", 0), ("square", 20), ("salt_pepper", 0.33)):
        direct = purification_accuracy(tiny_vae, clf, images, labels, kind, level, seed=0)
        assert table.get(kind, level) == direct
    assert table.measured("square") == 1.0 and table.get("gaussian", 0.5) is None
    assert table.get("salt_pepper", 0.3) is None  # stopped: only the wanted level
    # Each finished kind is handed over once, whole.
    (kind, lv, noisy, recon), *rest = done
    assert kind == "square" and not [r for r in rest if r[0] == "square"]
    np.testing.assert_array_equal(lv, level_grid("square"))
    assert noisy.shape == recon.shape == lv.shape


def test_wanted_levels_come_first(tiny_vae, clf, few, monkeypatch):
    order = []
    monkeypatch.setattr(corrupt, "purification_accuracy", lambda *a: order.append(a[4:6]) or (1, 1))
    table = AccuracyTable(tiny_vae, clf, *few)
    table.want("gaussian", 0.0)
    table.want("gaussian", 0.7)
    table.fill()
    assert order[:2] == [("gaussian", 0.7), ("gaussian", 0.0)]
    assert len(order) == 21  # then the rest of the kind's grid, each level once
    assert {k for k, _ in order} == {"gaussian"}  # other kinds only when asked for
    # The slider's float steps find the grid's levels: 0.1 + 0.05 is 0.15000000000000002.
    assert table.get("gaussian", 0.1 + 0.05) == table.get("gaussian", 0.15) == (1, 1)


def test_start_measures_in_the_background(tiny_vae, clf, few):
    table = AccuracyTable(tiny_vae, clf, *few)
    table.want("square", 4)
    table.start()
    table.start()  # one thread at a time
    for _ in range(600):
        if table.get("square", 4) is not None:
            break
        time.sleep(0.05)
    assert table.get("square", 4) is not None
    table.stop()


def test_stored_table_is_reused_from_disk(tiny_vae, clf, few, tmp_path, monkeypatch):
    table = stored_accuracy_table(tiny_vae, clf, *few, key="ckpt-a", directory=str(tmp_path))
    assert stored_accuracy_table(tiny_vae, clf, *few, "ckpt-a", directory=str(tmp_path)) is table
    table.want("square", 3)
    table.fill()
    assert list(tmp_path.glob("*denoise-accuracy*.npz"))

    corrupt._TABLES.clear()  # a new process: only the disk is left
    monkeypatch.setattr(corrupt, "purification_accuracy", _fail)
    again = stored_accuracy_table(tiny_vae, clf, *few, key="ckpt-a", directory=str(tmp_path))
    assert again is not table
    assert again.get("square", 3) == table.get("square", 3)
    assert again.measured("square") == 1.0
    other = stored_accuracy_table(tiny_vae, clf, *few, key="ckpt-b", directory=str(tmp_path))
    assert other.get("square", 3) is None  # another checkpoint's numbers are not used


def test_denoise_page_looks_the_accuracy_up(monkeypatch, tmp_path):
    """The page asks the table for its level and says on how many digits it was measured;
    a slider move to a measured level needs no new measurement."""
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path))
    calls = []

    def fake(model, clf, images, labels, kind, level, seed=0):
        if model.config.kind == "vae":  # the page's model (dae-2d's table fills beside it)
            calls.append((kind, round(level, 6), len(images)))
        return 0.5, 0.25

    monkeypatch.setattr(corrupt, "purification_accuracy", fake)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["model"] = "vae-2d"
    at.switch_page("pages/denoise.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (table,) = [tb for tb in corrupt._TABLES.values() if tb.model.config.kind == "vae"]
    for _ in range(600):
        if table.measured("gaussian") == 1.0:
            break
        time.sleep(0.05)
    at.run()
    text = " ".join(m.value for m in at.markdown)
    assert "On 1,000 test digits" in text and "**50%**" in text and "**25%**" in text
    assert ("gaussian", 0.3, 1000) in calls and ("gaussian", 0.0, 1000) in calls
    measured = len(calls)
    assert measured == 21
    at.slider(key="denoise.sigma").set_value(0.75).run()
    assert not at.exception
    assert len(calls) == measured  # a lookup
    text = " ".join(m.value for m in at.markdown)
    assert DENOISE_TEXT["accuracy"][0].split("{")[0] in text and "**50%**" in text
