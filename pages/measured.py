"""The numbers behind the pages' lessons (explorer.lessons), measured once per checkpoint
and kept on disk by its content (like the encoded test set), so a page's first visit in a
new process reads them instead of classifying 10,000 reconstructions again.

Each function takes a checkpoint name; the key is `checkpoints.content_key` (the checkpoint's
content digest and the test data), so a replaced checkpoint is measured again.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from explorer import lessons
from explorer.diskcache import load_entry, store_entry
from pages import checkpoints, latentviews, testset


def _images() -> np.ndarray:
    return testset.test_images()


def _on_disk(kind: str, key: str, compute: Callable[[], dict[str, np.ndarray]]) -> dict:
    stored = load_entry(kind, key)
    if stored is None:
        stored = compute()
        store_entry(kind, key, stored)
    return stored


@st.cache_resource(show_spinner=False, max_entries=16)
def _errors(key: str, name: str) -> np.ndarray:
    def compute():
        return {"errors": lessons.recon_errors(checkpoints.model(name), _images())}

    return _on_disk("recon-errors", key, compute)["errors"]


def recon_errors(name: str) -> np.ndarray:
    """||x - x_hat||^2 of every test digit under model `name`: (N,)."""
    return _errors(checkpoints.content_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=16)
def _own_class(key: str, name: str) -> lessons.OwnClass:
    def compute():
        rate = lessons.own_class_rate(
            checkpoints.model(name), checkpoints.classifier(), _images(), testset.test_labels()
        )
        return {"overall": np.array(rate.overall), "per_class": rate.per_class}

    stored = _on_disk("own-class", key, compute)
    return lessons.OwnClass(float(stored["overall"]), np.asarray(stored["per_class"]))


def own_class(name: str) -> lessons.OwnClass:
    """How often model `name` reconstructs a test digit as its own class."""
    return _own_class(checkpoints.content_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=16)
def _pair(key: str, name: str, a: int, b: int) -> tuple[int, int]:
    def compute():
        i, j, _ = lessons.default_pair(
            checkpoints.model(name),
            checkpoints.classifier(),
            latentviews.test_latents(name),
            testset.test_labels(),
            recon_errors(name),
            a,
            b,
        )
        return {"pair": np.array([i, j])}

    i, j = _on_disk(f"pair-{a}-{b}", key, compute)["pair"]
    return int(i), int(j)


def default_pair(name: str, a: int = 6, b: int = 4) -> tuple[int, int]:
    """The interpolation's default test digits (a typical a and b whose path reads a -> b
    cleanly, when there is one): `explorer.lessons.default_pair`."""
    return _pair(checkpoints.content_key(name), name, a, b)


@st.cache_resource(show_spinner=False, max_entries=16)
def _denoise_default(key: str, name: str, kind: str, level: float, seed: int) -> int:
    def compute():
        i = lessons.default_denoise_digit(
            checkpoints.model(name), checkpoints.classifier(), _images(), testset.test_labels(),
            recon_errors(name), kind, level, seed,
        )  # fmt: skip
        return {"digit": np.array(i)}

    return int(_on_disk(f"denoise-{kind}-{level:g}-{seed}", key, compute)["digit"])


def denoise_default(name: str, kind: str, level: float, seed: int = 0) -> int:
    """The denoising page's default test digit: `explorer.lessons.default_denoise_digit`."""
    return _denoise_default(checkpoints.content_key(name), name, kind, level, seed)


@st.cache_resource(show_spinner=False, max_entries=16)
def _coverage(key: str, name: str, n: int) -> lessons.PriorCoverage:
    def compute():
        c = lessons.prior_samples(checkpoints.model(name), checkpoints.classifier(), n).coverage
        return {"share": c.share, "confident": np.array(c.confident)}

    stored = _on_disk(f"prior-coverage-{n}", key, compute)
    return lessons.PriorCoverage(np.asarray(stored["share"]), float(stored["confident"]), n)


def prior_coverage(name: str, n: int = lessons.COVERAGE_SAMPLES) -> lessons.PriorCoverage:
    """Which digits model `name` draws from n prior samples at T = 1 (seed 0)."""
    return _coverage(checkpoints.content_key(name), name, n)


@st.cache_resource(show_spinner=False, max_entries=16)
def _reparam_default(key: str, name: str) -> int:
    def compute():
        i = lessons.default_reparam_digit(
            checkpoints.model(name), checkpoints.classifier(), _images(), testset.test_labels(),
            recon_errors(name),
        )  # fmt: skip
        return {"digit": np.array(i)}

    return int(_on_disk(f"reparam-default-{lessons.REPARAM_SAMPLES}", key, compute)["digit"])


def reparam_default(name: str) -> int:
    """The reparameterization page's default test digit: `lessons.default_reparam_digit`."""
    return _reparam_default(checkpoints.content_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=16)
def _iwae_default(key: str, name: str) -> tuple[int, float]:
    def compute():
        i, gain = lessons.default_iwae_digit(
            checkpoints.model(name), checkpoints.classifier(), _images(), testset.test_labels(),
            recon_errors(name),
        )  # fmt: skip
        return {"digit": np.array(i), "gain": np.array(gain)}

    stored = _on_disk(
        f"iwae-default-{lessons.IWAE_RULE_K}-{lessons.IWAE_RULE_QUANTILE}", key, compute
    )
    return int(stored["digit"]), float(stored["gain"])


def iwae_default(name: str) -> tuple[int, float]:
    """The IWAE page's default test digit and how much k = 500 tightens its bound (nats):
    `lessons.default_iwae_digit`."""
    return _iwae_default(checkpoints.content_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _coarse(key: str, name: str):
    from explorer import exact

    return exact.coarse_pass(checkpoints.model(name))


def coarse_pass(name: str):
    """A 2-D VAE's coarse pass over [-6, 6]^2 (`explorer.exact.coarse_pass`), computed once
    per checkpoint content and shared by every digit and page that integrates over z."""
    return _coarse(checkpoints.content_key(name), name)


@st.cache_resource(show_spinner=False, max_entries=16)
def _anomaly(key: str, name: str, n_ood: int, seed: int) -> dict:
    from explorer.anomaly import anomaly_report

    def compute():
        report = anomaly_report(
            checkpoints.model(name), testset.test_images()[:, None], n_ood, seed
        )
        flat = {
            f"scores/{s}/{k}": v for s, kinds in report["scores"].items() for k, v in kinds.items()
        }
        flat |= {
            f"auc/{s}/{k}": np.array(v)
            for s, kinds in report["auc"].items()
            for k, v in kinds.items()
        }
        return flat

    stored = _on_disk("anomaly", f"{key}-n{n_ood}-s{seed}", compute)
    report: dict[str, dict] = {"scores": {}, "auc": {}}
    for path, value in stored.items():
        part, where, kind = path.split("/")
        report[part].setdefault(where, {})[kind] = value if part == "scores" else float(value)
    return report


def anomaly_report(name: str, n_ood: int, seed: int) -> dict:
    """`explorer.anomaly.anomaly_report` of model `name` on the test digits: the scores of
    the test digits and of each OOD set, and their ROC AUCs."""
    return _anomaly(checkpoints.content_key(name), name, n_ood, seed)


@st.cache_resource(show_spinner=False, max_entries=16)
def _snapshot_knn(key: str, _snapshots: dict) -> np.ndarray:
    def compute():
        knn = lessons.snapshot_knn(_snapshots["latents"], _snapshots["labels"])
        return {"knn": knn}

    return _on_disk("snapshot-knn", key, compute)["knn"]


def snapshot_knn(name: str, snapshots: dict) -> np.ndarray:
    """5-NN accuracy of each training snapshot's codes of model `name` (leave-one-out within
    the snapshot), kept on disk per checkpoint content: (S,)."""
    return _snapshot_knn(checkpoints.content_key(name), snapshots)


@st.cache_resource(show_spinner=False, max_entries=8)
def _bottleneck_coding(key: str, name: str) -> dict:
    from explorer import bottleneck

    def compute():
        labels = testset.test_labels()
        c = bottleneck.code_with_model(checkpoints.model(name), _images(), labels)
        picks = bottleneck.first_of_each_class(labels)
        return {
            "codes": c.codes.astype(np.float32),
            "error": np.array(c.error),
            "knn": np.array(c.knn),
            "picked": c.reconstructions[picks].astype(np.float32),
        }

    stored = _on_disk("bottleneck-coding", key, compute)
    return {k: stored[k] if k in ("codes", "picked") else float(stored[k]) for k in stored}


def bottleneck_coding(name: str) -> dict:
    """Model `name` coding every test digit with its latent means: {"codes" (N, D), "error"
    (mean squared error per digit), "knn" (leave-one-out 5-NN accuracy), "picked" (the
    reconstructions of the first digit of each class)}; kept on disk per checkpoint."""
    return _bottleneck_coding(checkpoints.content_key(name), name)
