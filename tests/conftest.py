"""Shared fixtures: tiny models and tiny data, so unit tests run in seconds and never download."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
import torch

from explorer.config import ModelConfig
from explorer.data import load_sample
from explorer.model import build_model

ROOT = Path(__file__).resolve().parent.parent
MNIST_ROOT = os.environ.get("MNIST_ROOT")

needs_mnist = pytest.mark.skipif(
    not (MNIST_ROOT and (Path(MNIST_ROOT) / "MNIST" / "raw").is_dir()),
    reason="set MNIST_ROOT to a folder holding MNIST/raw to run full-MNIST tests",
)


@pytest.fixture(scope="session")
def sample_train():
    return load_sample("train")


@pytest.fixture(scope="session")
def sample_test():
    return load_sample("test")


@pytest.fixture
def tiny_vae():
    torch.manual_seed(0)
    return build_model(ModelConfig(kind="vae", latent_dim=3, hidden_dims=(32, 16))).eval()


@pytest.fixture
def tiny_ae():
    torch.manual_seed(0)
    return build_model(ModelConfig(kind="ae", latent_dim=3, hidden_dims=(32, 16))).eval()


@pytest.fixture
def batch(sample_test):
    return sample_test.images[:16]


@contextlib.contextmanager
def _env(name: str, value: str):
    """`os.environ[name] = value` for the block, restored (or removed) afterwards."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@pytest.fixture(autouse=True, scope="session")
def _inline_page_work():
    """Pages compute their slow parts inside the script run (pages/background.py), so
    AppTest sees each page finished in one run, with every exception. Tests of the
    background path itself unset it."""
    with _env("EXPLORER_INLINE_JOBS", "1"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _never_download():
    """Tests never touch the network: data loads fall back instead of downloading."""
    with _env("EXPLORER_OFFLINE", "1"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _live_runs_elsewhere(tmp_path_factory):
    """Live-training runs (pages/train_live.py) in a temp folder, never the repo's .live/;
    at the end, any training process a test left running is stopped."""
    from explorer import live

    directory = tmp_path_factory.mktemp("live-runs")
    with _env("EXPLORER_LIVE_DIR", str(directory)):
        yield
    live.end_run(directory)


@pytest.fixture(autouse=True, scope="session")
def _full_error_details():
    """Users see no traceback (`client.showErrorDetails = "none"` in .streamlit/config.toml);
    AppTest failures in tests show the exception's type and message."""
    from streamlit.testing.v1.util import patch_config_options

    with patch_config_options({"client.showErrorDetails": "full"}):
        yield


class _Touch:
    """Unpickling this calls `Path.touch(marker)`: a harmless stand-in for an exploit."""

    def __init__(self, marker: Path):
        self.marker = Path(marker)

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def malicious_checkpoint(path: Path, marker: Path, how: str = "torch.save") -> Path:
    """Write a checkpoint at `path` whose unpickling would create the file `marker`.

    how="torch.save": a real PyTorch zip file whose data.pkl holds the exploit;
    how="pickle": a plain pickle file, as older `torch.save` or `pickle.dump` wrote them.
    """
    import pickle

    from explorer.checkpoint import FORMAT

    payload = {
        "format": FORMAT,
        "model": {"encoder.0.weight": _Touch(marker)},
        "config": {"kind": "vae", "latent_dim": 2, "hidden_dims": [8], "beta": 1.0},
    }
    if how == "torch.save":
        torch.save(payload, path)
    elif how == "pickle":
        path.write_bytes(pickle.dumps(payload, protocol=2))
    else:
        raise ValueError(f"unknown how={how!r}")
    return path


def require_browser() -> None:
    """Skip a browser test without Chromium or Playwright; in CI (CI=true), fail instead."""
    from explorer.tools.apphost import CHROMIUM

    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} not found (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"playwright is not installed: {exc}"
    _skip_or_fail(problem)


def require_program(path: str, package: str) -> None:
    """Skip a test that needs `path` (a Debian `package`) when it is missing; fail in CI."""
    _skip_or_fail(None if Path(path).exists() else f"{path} not found (apt-get install {package})")


def _skip_or_fail(problem: str | None) -> None:
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but this test cannot run: {problem}", pytrace=False)
        pytest.skip(problem)


def served_chromium(script: str = "app.py", env: dict[str, str] | None = None):
    """Generator for a module fixture: `script` served by Streamlit, and headless Chromium
    with the server's URL as `browser.app_url`."""
    require_browser()
    from playwright.sync_api import sync_playwright

    from explorer.tools.apphost import AppServer, launch_chromium

    with (
        AppServer(script=script, env={"EXPLORER_OFFLINE": "1", **(env or {})}) as app,
        sync_playwright() as pw,
    ):
        chromium = launch_chromium(pw)
        chromium.app_url = app.url  # type: ignore[attr-defined]
        yield chromium
        chromium.close()


# ---------------------------------------------------------------- AppTest helpers
def _walk(node):
    children = getattr(node, "children", None)
    for child in children.values() if isinstance(children, dict) else []:
        yield child
        yield from _walk(child)


def app_elements(at, kind: str) -> list:
    """Every element of type `kind` ("image", "plotly_chart", ...) in an AppTest's main
    area, nested containers included (AppTest's own accessors miss some types)."""
    return [e for e in _walk(at.main) if getattr(e, "type", None) == kind]


def app_figures(at) -> list[dict]:
    """The Plotly figures on the page, as dicts."""
    import json

    return [json.loads(e.proto.spec) for e in app_elements(at, "plotly_chart")]
