"""A model's encoded test digits and their 2-D views (latent plane, PCA, t-SNE with
its background job and progress), kept on disk by checkpoint content."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import streamlit as st

from explorer import checkpoint_paths
from explorer.jobs import Job
from explorer.latent_views import LatentView, ViewMethod, plane_view
from explorer.projection import (
    TSNE_EXAGGERATION_ITER,
    TSNE_ITER,
    Projection,
    cached_latents,
    cached_projection,
    digits_key,
    load_cached_projection,
    load_shipped_latents,
    load_shipped_tsne,
)
from pages.checkpoints import digest_of, file_stamp, fill_hover_cache, load_cached_model
from pages.language import translator
from pages.picker import current_model_name, page_model
from pages.progress import progress_until
from pages.testset import test_arrays, test_images, test_labels
from pages.texts.common import CATALOG as COMMON


@st.cache_resource(show_spinner=False, max_entries=16)
def _test_latents(path: str, stamp: tuple[int, int], source: str) -> np.ndarray:
    def encode() -> np.ndarray:
        from explorer import inference

        model = load_cached_model(path, stamp)
        if model.config.latent_dim == 2:  # the live hover decoder, while the model is loaded
            fill_hover_cache(digest_of(path, stamp), lambda: model)
        given = inference.condition_of(model, test_labels())
        return inference.encode(model, test_images(), given).mu

    arrays = test_arrays()
    n, digest = len(arrays), digest_of(path, stamp)
    shipped = load_shipped_latents(path, digits_key(source, arrays.labels), n, digest)
    if shipped is not None:  # committed checkpoints: beside the file, no torch
        return shipped
    return cached_latents(f"{digest}-{source}-test{n}", encode, n=n)[0]


def test_latents(name: str) -> np.ndarray:
    """Encoder means of every test digit under model `name`: (N, latent_dim) float32.

    Kept on disk by checkpoint content (like projections), so after the first start they
    come without loading the model. Raises CheckpointError when they must be computed and
    the checkpoint is unusable.
    """
    path = checkpoint_paths.resolve(name)
    return _test_latents(str(path), file_stamp(path), test_arrays().source)


@st.cache_resource(show_spinner=False)
def _views() -> dict[tuple, LatentView]:
    """Process-wide store of computed views (not st.cache_*: building one may draw a
    progress indicator, which a cache would replay on every hit)."""
    return {}


@st.cache_resource(show_spinner=False)
def _tsne_jobs() -> tuple[dict[tuple, Job], threading.Lock]:
    """t-SNE maps being computed in the background, one per checkpoint content and data,
    shared by every session of the process."""
    return {}, threading.Lock()


def latent_view(name: str, method: ViewMethod) -> LatentView:
    """The model's encoded test set on a plane: its latent plane, PCA or t-SNE map.

    A t-SNE map comes from the file shipped beside the checkpoint (`explorer.evaluate`
    writes it) or from the disk cache. Otherwise it is computed once per checkpoint
    content in a background thread; meanwhile the page shows its progress and gets the
    PCA view, so everything else on it keeps working.
    """
    path = checkpoint_paths.resolve(name)
    source = test_arrays().source
    key = (str(path), file_stamp(path), source, method)
    store = _views()
    if key not in store:
        latents = test_latents(name)
        if method == "latent":
            store[key] = plane_view(latents)
        elif method == "pca":
            proj, _ = cached_projection(latents, "pca", _projection_key(path, source))
            store[key] = LatentView("pca", proj.coords, latents, proj)
        else:
            proj = _tsne_or_progress(key, path, latents)
            if proj is None:  # being computed: the PCA plane meanwhile
                return latent_view(name, "pca")
            store[key] = LatentView("tsne", proj.coords, latents, proj)
    return store[key]


def _projection_key(path: Path, source: str) -> str:
    """Disk-cache key of a checkpoint's projections: its content digest and the data."""
    return f"{digest_of(str(path), file_stamp(path))}-{source}"


def _tsne_or_progress(key: tuple, path: Path, latents: np.ndarray) -> Projection | None:
    """The t-SNE map, shipped or cached on disk or just computed in the background; else
    None, after starting its background job (once) and showing the job's progress."""
    arrays = test_arrays()
    data = digits_key(arrays.source, arrays.labels)
    digest = digest_of(str(path), file_stamp(path))
    cache_key = _projection_key(path, arrays.source)
    proj = load_shipped_tsne(path, data, len(latents), checkpoint_digest=digest)
    if proj is None:
        proj = load_cached_projection(latents, "tsne", cache_key)
    if proj is not None:
        return proj
    jobs, lock = _tsne_jobs()
    with lock:
        if key not in jobs:
            jobs[key] = Job(
                lambda progress: cached_projection(
                    latents, "tsne", cache_key, progress=progress, n_jobs=TSNE_APP_JOBS
                )[0],
                name=f"t-SNE of {path.name}",
            )
        job = jobs[key]
    t = translator(COMMON)
    if job.done and job.error is None:
        with lock:
            jobs.pop(key, None)
        return job.result
    if job.done:  # failed: said once per run, not retried until the process restarts
        st.warning(t("tsne_failed", error=f"{type(job.error).__name__}: {job.error}"))
        return None
    st.info(t("tsne_wait", n=len(latents)), icon=":material/hourglass_top:")
    progress_until(lambda: job.done, lambda: (job.fraction, _tsne_step(job)))
    return None


# Threads for a t-SNE computed by the app: one, so that the other core keeps serving
# every session while it runs (the first view of a new checkpoint only).
TSNE_APP_JOBS = 1


def _tsne_step(job: Job) -> str:
    """Where a t-SNE job is, in the page's language."""
    t = translator(COMMON)
    if job.fraction <= 0.0:
        return t("tsne_step_neighbours")
    total = TSNE_EXAGGERATION_ITER + TSNE_ITER
    text = t("tsne_step_layout", i=round(job.fraction * total), total=total)
    left = job.seconds_left()
    return text + t("tsne_left", s=max(left, 1.0)) if left is not None else text


def page_latents() -> tuple[str, np.ndarray]:
    """(name, test latents) of the sidebar's model, for a page that draws them before it
    needs the model: when they are cached on disk, neither the model nor torch is loaded.
    Stops the page after a clear error when they must be computed and the checkpoint is
    unusable."""
    name = current_model_name()
    try:
        return name, test_latents(name)
    except Exception:
        page_model()  # an unusable checkpoint: says why and stops the page
        raise


def view_methods(latent_dim: int) -> list[str]:
    return ["latent"] if latent_dim == 2 else ["pca", "tsne"]
