"""No control raises: every widget of every page, for every committed model and both
languages, operated by the widget walk (`explorer.tools.widget_walk`) under AppTest.

The pages come from app.py's own `st.navigation` and the widgets from the running page,
so a new page or widget is walked without editing this file. A page that opens exactly
the same whatever model is picked (the beta page always shows its three models) is walked
with the first model only: the other models are skipped, saying so. Every
walk's steps and timings land in test-artifacts/widget-walk.txt.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from explorer import checkpoint_paths, list_models
from explorer.tools import widget_walk
from pages import language, picker

from .conftest import ROOT

APP = str(ROOT / "app.py")
LANGS = ("en", "ko")
MODELS = list_models()
# The language and model pickers: the walk leaves them alone, the parameters below set them.
PICKERS = {language._LANG_PICKER_KEY, picker._PICKER_KEY}
TIMEOUT = 300  # seconds for one run: generous, a slow machine must not fail a walk
# st.error texts that are a page's answer to what the user did, not a bug (regexes).
EXPECTED_ERRORS: tuple[str, ...] = ()
ARTIFACT = ROOT / "test-artifacts" / "widget-walk.txt"


@contextmanager
def _env(**values: str):
    old = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _navigation_pages() -> list[str]:
    """The page files of app.py's `st.navigation`, from one run of the app (collection
    time: offline, with a throwaway disk cache)."""
    with tempfile.TemporaryDirectory() as cache, _env(EXPLORER_OFFLINE="1", EXPLORER_CACHE=cache):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        st.cache_resource.clear()
    return widget_walk.page_scripts(at)


PAGES = _navigation_pages()
_fingerprints: dict[tuple[str, str, str], str] = {}
_walks: list[tuple[str, str, str, widget_walk.Walk]] = []


@pytest.fixture(autouse=True, scope="module")
def _caches_and_report(tmp_path_factory):
    """The disk cache in the session's temp folder (as tests/test_app.py does), the
    checkpoints linked from a temp folder, models kept loaded across the walks, full
    exception details in the reports; at the end, every walk written to
    test-artifacts/widget-walk.txt."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPLORER_CACHE", str(tmp_path_factory.getbasetemp() / "projections"))
        # The committed checkpoints, linked into a temp folder: what a walk saves (the
        # Train live page's "Save as checkpoint") lands there, never in checkpoints/.
        linked = tmp_path_factory.mktemp("walk-checkpoints")
        for ckpt in checkpoint_paths.checkpoint_dir().iterdir():
            (linked / ckpt.name).symlink_to(ckpt.resolve())
        mp.setenv("EXPLORER_CHECKPOINTS", str(linked))
        st.cache_resource.clear()
        with patch_config_options({"client.showErrorDetails": "full"}):
            yield
        st.cache_resource.clear()
    if _walks:
        _write_report()


def _write_report() -> None:
    runs = sum(len(w.steps) for *_, w in _walks)
    seconds = sum(w.seconds for *_, w in _walks)
    lines = [f"{len(_walks)} walks, {runs} runs, {seconds:.0f} s"]
    for page, model, lang, walk in _walks:
        lines.append(f"\n## {page} · {model} · {lang}\n{walk.summary()}")
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _open(page: str, model: str, lang: str) -> tuple[AppTest, float]:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["model"] = model
    at.query_params["lang"] = lang
    at.switch_page(page)  # before the first run, as a bookmarked page URL opens
    start = time.perf_counter()
    at.run()
    return at, time.perf_counter() - start


def _fingerprint(page: str, model: str, lang: str) -> str:
    if (page, model, lang) not in _fingerprints:
        _fingerprints[page, model, lang] = widget_walk.fingerprint(_open(page, model, lang)[0])
    return _fingerprints[page, model, lang]


def _expected(text: str) -> bool:
    return any(re.search(pattern, text) for pattern in EXPECTED_ERRORS)


@pytest.mark.slow  # minutes: about 1,500 reruns (the quick loop is -m "not slow and not browser")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: Path(page).stem)
def test_no_widget_raises(page, model, lang):
    at, seconds = _open(page, model, lang)
    _fingerprints[page, model, lang] = widget_walk.fingerprint(at)
    for earlier in MODELS[: MODELS.index(model)]:
        if _fingerprint(page, earlier, lang) == _fingerprints[page, model, lang]:
            pytest.skip(f"{page} shows the same with {model} as with {earlier}: walked there")

    walk = widget_walk.walk(at, skip_keys=PICKERS, timeout=TIMEOUT, open_seconds=seconds)
    _walks.append((page, model, lang, walk))
    problems = walk.problems(_expected)
    report = "\n".join([f"{page} · {model} · {lang}", *problems, "", walk.summary()])
    assert not problems, report


def test_users_see_no_error_details_but_tests_see_the_exception():
    """The committed `client.showErrorDetails` hides the type, message, traceback and
    paths of an uncaught exception from the browser; AppTest still reports it."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    setting = config["client"]["showErrorDetails"]
    assert setting == "none"

    def crashing_page():
        raise ValueError("secret detail in /srv/app/pages/x.py")

    with patch_config_options({"client.showErrorDetails": setting}):
        at = AppTest.from_function(crashing_page).run()
    assert len(at.exception) == 1
    shown = at.exception[0].proto
    assert not shown.type and not list(shown.stack_trace)
    assert "secret" not in shown.message and "/srv" not in shown.message
