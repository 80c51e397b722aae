"""Corrupt digits on purpose, then let the model clean them: denoising by reconstruction.

Three seeded corruptions of images in [0, 1] (any leading shape, last two axes 28 x 28):

- "gaussian": x + σ·ε, ε ~ N(0, I), clipped back to [0, 1] (sensor noise);
- "salt_pepper": a share `amount` of the pixels set to 1 (salt) or 0 (pepper), half each;
- "square": a white square of side `side` px pasted over the digit (a defect, as the
  "occluded" anomaly set of explorer.anomaly, but of any size).

For one seed the random draws are fixed and only the level changes, so a sweep over
levels shows the same noise growing: ε is scaled by σ, the salted pixels at a smaller
amount stay salted at a larger one, the square grows around the same centre.

A VAE trained on clean digits has never seen any of this. Its decoder p(x|z) can only draw
digits, so the reconstruction of a corrupted x̃ lies on the learned data manifold: its
distance to the clean digit levels off while x̃ drifts ever further. But the encoder was
never trained on noisy inputs either, and strong noise moves q(z|x̃) to another digit's
region: the reconstruction is then a clean-looking *wrong* digit. (A denoising
autoencoder, trained on corrupted inputs, is the fix: Vincent et al. 2008.)
`denoise_sweep` measures the distances for one digit, `purification_accuracy` how often a
digit classifier still reads the right digit in x̃ and in x̂ over many digits.

A digit classifier over a thousand images takes about a second on one CPU core, so the
page does not measure the accuracy per slider move: an `AccuracyTable` measures it once
per model on a fixed subset of the test digits (`accuracy_subset`) at every level of the
sliders' grid (`level_grid`), in the background, the levels a user asks for first, and
keeps each finished kind on disk keyed by the checkpoint's content; a slider move is then
a lookup.

    >>> noisy = corrupt(digit, "gaussian", 0.4, seed=0)          # (28, 28) in [0, 1]
    >>> sweep = denoise_sweep(model, digit, "gaussian", levels=np.linspace(0, 1, 8))
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch

from explorer import inference
from explorer.classifier import DigitClassifier, predict_proba
from explorer.jobs import background, stopping
from explorer.model import Autoencoder

Kind = Literal["gaussian", "salt_pepper", "square"]
KINDS: tuple[str, ...] = ("gaussian", "salt_pepper", "square")
SIDE = 28  # MNIST frame
# The square's centre is drawn inside the central 20 x 20 box, where MNIST puts the ink,
# so that the square always covers part of the digit.
INK_BOX = (4, 24)
# Level ranges of each kind for sliders and sweeps: (lowest, highest).
LEVEL_RANGE: dict[str, tuple[float, float]] = {
    "gaussian": (0.0, 1.0),  # σ in intensity units (the full range is 1)
    "salt_pepper": (0.0, 0.6),  # share of pixels replaced
    "square": (0.0, 20.0),  # side in pixels
}
# The denoising page's slider steps; `level_grid` is every level a slider can take.
LEVEL_STEP: dict[str, float] = {"gaussian": 0.05, "salt_pepper": 0.02, "square": 1.0}
ACCURACY_DIGITS = 1_000  # test digits the page's purification accuracy is measured on
ACCURACY_SEED = 0  # their corruption draws: one fixed seed, whatever noise the page shows


def _rngs(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """Two independent generators per seed: one for pixel noise, one for positions."""
    return np.random.default_rng((seed, 0)), np.random.default_rng((seed, 1))


def _check(images: np.ndarray) -> np.ndarray:
    x = np.asarray(images, dtype=np.float32)
    if x.ndim < 2 or x.shape[-2:] != (SIDE, SIDE):
        raise ValueError(f"expected images (..., 28, 28), got shape {x.shape}")
    return x


def gaussian_noise(images: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    """clip(x + σ·ε, 0, 1) with ε ~ N(0, I) drawn from `seed`: same shape, float32."""
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma}")
    x = _check(images)
    eps = _rngs(seed)[0].standard_normal(x.shape, dtype=np.float32)
    return np.clip(x + np.float32(sigma) * eps, 0.0, 1.0)


def salt_and_pepper(images: np.ndarray, amount: float, seed: int = 0) -> np.ndarray:
    """Replace a share `amount` in [0, 1] of the pixels: half by 1 (salt), half by 0.

    One uniform draw u per pixel: u < amount/2 is salt, u > 1 - amount/2 is pepper, so a
    larger amount keeps every pixel a smaller one replaced.
    """
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be in [0, 1], got {amount}")
    x = _check(images).copy()
    u = _rngs(seed)[0].random(x.shape, dtype=np.float32)
    x[u < amount / 2] = 1.0
    x[u > 1.0 - amount / 2] = 0.0
    return x


def square_corners(n: int, side: int, seed: int = 0) -> np.ndarray:
    """Top-left (row, col) of a `side` px square per image, (n, 2) ints: the centres are
    drawn uniformly in INK_BOX from `seed`, then the square is kept inside the frame."""
    centres = _rngs(seed)[1].uniform(INK_BOX[0], INK_BOX[1], size=(n, 2))
    corners = np.floor(centres - side / 2 + 0.5).astype(int)
    return np.clip(corners, 0, SIDE - side)


def occlude_square(images: np.ndarray, side: int, seed: int = 0, fill: float = 1.0) -> np.ndarray:
    """Paste a `fill`-valued (white by default) square of `side` px, 0 <= side <= 28, over
    each image; the position is seeded per image (see `square_corners`)."""
    side = int(round(side))
    if not 0 <= side <= SIDE:
        raise ValueError(f"side must be in [0, {SIDE}], got {side}")
    x = _check(images).copy()
    flat = x.reshape(-1, SIDE, SIDE)
    for img, (top, left) in zip(flat, square_corners(len(flat), side, seed)):
        img[top : top + side, left : left + side] = fill
    return x


def corrupt(images: np.ndarray, kind: Kind, level: float, seed: int = 0) -> np.ndarray:
    """Apply corruption `kind` at `level` (σ, amount or side; see LEVEL_RANGE)."""
    if kind == "gaussian":
        return gaussian_noise(images, level, seed)
    if kind == "salt_pepper":
        return salt_and_pepper(images, level, seed)
    if kind == "square":
        return occlude_square(images, int(round(level)), seed)
    raise ValueError(f"unknown corruption {kind!r}; expected one of {KINDS}")


def levels(kind: Kind, n: int = 8) -> np.ndarray:
    """`n` evenly spaced levels over the kind's whole LEVEL_RANGE (whole pixels for squares)."""
    if kind not in LEVEL_RANGE:
        raise ValueError(f"unknown corruption {kind!r}; expected one of {KINDS}")
    lo, hi = LEVEL_RANGE[kind]
    out = np.linspace(lo, hi, n)
    return np.round(out) if kind == "square" else out


def squared_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Σ_pixels (a - b)²: per image over the last two axes (the "recon_error" unit)."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    return (d**2).sum(axis=(-2, -1))


@dataclass(frozen=True)
class Sweep:
    """One clean digit corrupted at increasing levels and reconstructed by the model."""

    levels: np.ndarray  # (L,)
    corrupted: np.ndarray  # (L, 28, 28) x̃
    reconstructed: np.ndarray  # (L, 28, 28) x̂ = decoder mean at the encoder mean of x̃
    corrupted_error: np.ndarray  # (L,) ‖x̃ - x‖², how far the noise moved the digit
    reconstructed_error: np.ndarray  # (L,) ‖x̂ - x‖², how far the model's answer is


def denoise_sweep(
    model: Autoencoder, image: np.ndarray, kind: Kind, levels: Sequence[float], seed: int = 0
) -> Sweep:
    """Corrupt one clean digit (28, 28) at each level (same seed), reconstruct each, and
    measure both against the clean digit."""
    clean = _check(image)
    if clean.shape != (SIDE, SIDE):
        raise ValueError(f"expected one image (28, 28), got {clean.shape}")
    lv = np.asarray(levels, dtype=np.float64)
    noisy = np.stack([corrupt(clean, kind, float(v), seed) for v in lv])
    recon = inference.reconstruct(model, noisy)
    return Sweep(lv, noisy, recon, squared_distance(noisy, clean), squared_distance(recon, clean))


def purification_accuracy(
    model: Autoencoder,
    classifier: DigitClassifier,
    images: np.ndarray,
    labels: np.ndarray,
    kind: Kind,
    level: float,
    seed: int = 0,
) -> tuple[float, float]:
    """(accuracy on x̃, accuracy on x̂): the share of `images` (N, 28, 28) whose label a
    digit classifier still reads after the corruption, and after the model's
    reconstruction of the corrupted image. x̂ beating x̃ would be purification."""
    noisy = corrupt(_check(images), kind, level, seed)
    recon = inference.reconstruct(model, noisy)
    labels = np.asarray(labels).ravel()
    accuracy = []
    for x in (noisy, recon):
        probs = predict_proba(classifier, torch.from_numpy(x.reshape(-1, 1, SIDE, SIDE)))
        accuracy.append(float((probs.argmax(dim=1).numpy() == labels).mean()))
    return accuracy[0], accuracy[1]


def purified_digits(
    model: Autoencoder,
    classifier: DigitClassifier,
    images: np.ndarray,
    kind: Kind,
    level: float,
    seed: int = 0,
) -> np.ndarray:
    """The digit the classifier reads in the model's reconstruction of each corrupted
    image: (N,) int. The same seed gives every model the same corrupted images."""
    return purify(model, classifier, corrupt(_check(images), kind, level, seed))[1]


def purify(
    model: Autoencoder, classifier: DigitClassifier, noisy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(the model's reconstructions (N, 28, 28) of the corrupted images, the digit the
    classifier reads in each (N,) int)."""
    recon = inference.reconstruct(model, noisy)
    return recon, inference.classify(classifier, recon).argmax(axis=1)


@dataclass(frozen=True)
class Disagreements:
    """Digits that two models purify differently (indices into the images compared)."""

    only_a: np.ndarray  # a reads the right digit, b a wrong one
    only_b: np.ndarray  # b right, a wrong
    right_a: float  # share a purifies right
    right_b: float


def disagreements(read_a: np.ndarray, read_b: np.ndarray, labels: np.ndarray) -> Disagreements:
    """Where two models' purified digits (`purified_digits`) part ways with the label."""
    labels = np.asarray(labels).ravel()
    ok_a, ok_b = read_a == labels, read_b == labels
    return Disagreements(
        np.flatnonzero(ok_a & ~ok_b), np.flatnonzero(ok_b & ~ok_a),
        float(ok_a.mean()), float(ok_b.mean()),
    )  # fmt: skip


def level_grid(kind: Kind) -> np.ndarray:
    """Every level of the kind's slider: LEVEL_RANGE in LEVEL_STEP steps, (L,) float64."""
    if kind not in LEVEL_RANGE:
        raise ValueError(f"unknown corruption {kind!r}; expected one of {KINDS}")
    (lo, hi), step = LEVEL_RANGE[kind], LEVEL_STEP[kind]
    return np.round(lo + step * np.arange(round((hi - lo) / step) + 1), 10)


def accuracy_subset(n_total: int, n: int = ACCURACY_DIGITS) -> np.ndarray:
    """Indices of `n` test digits spread evenly over all `n_total` (every tenth of MNIST's
    10,000: its two halves come from different writers), or all of them if fewer."""
    if n_total <= n:
        return np.arange(n_total)
    return np.arange(n) * n_total // n


class AccuracyTable:
    """`purification_accuracy` of one model over fixed digits at every slider level.

    `want(kind, level)` puts a level at the front of the queue (any level, also one off the
    grid) and the rest of that kind's grid at its back; `start()` measures the queue in a
    background thread, level by level; `get` looks a level up, None until it is measured.
    `known` seeds finished kinds (e.g. from disk) as {kind: (levels, noisy, recon)};
    `on_kind_done(kind, levels, noisy, recon)` is called once a kind's whole grid is
    measured (to store it).
    """

    def __init__(
        self,
        model: Autoencoder,
        classifier: DigitClassifier,
        images: np.ndarray,
        labels: np.ndarray,
        seed: int = ACCURACY_SEED,
        known: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None,
        on_kind_done: Callable[[str, np.ndarray, np.ndarray, np.ndarray], None] | None = None,
    ):
        self.model, self.classifier, self.seed = model, classifier, seed
        self.images, self.labels = _check(images), np.asarray(labels).ravel()
        self.on_kind_done = on_kind_done
        self._values: dict[tuple[str, float], tuple[float, float]] = {}
        for kind, (lv, noisy, recon) in (known or {}).items():
            for v, a, b in zip(lv, noisy, recon):
                self._values[(kind, _level(v))] = (float(a), float(b))
        self._queue: list[tuple[str, float]] = []
        self._queued_kinds: set[str] = set()  # kinds whose whole grid is in the queue
        self._stored = set(known or {})  # kinds handed to on_kind_done (or loaded)
        self._lock = threading.Lock()
        self._running = False  # a measuring thread is on the queue

    @property
    def n(self) -> int:
        """How many digits each accuracy is measured on."""
        return len(self.labels)

    def get(self, kind: str, level: float) -> tuple[float, float] | None:
        """(accuracy on x̃, accuracy on x̂) at this level, or None while not measured."""
        return self._values.get((kind, _level(level)))

    def want(self, kind: str, level: float) -> None:
        """Measure this level next (after any wanted later), then the rest of the kind's
        grid (a slider move is likely to come); measured levels are left alone."""
        key = (kind, _level(level))
        with self._lock:
            if kind not in self._queued_kinds:
                self._queued_kinds.add(kind)
                self._queue += [(kind, _level(v)) for v in level_grid(kind)]
            self._queue = [k for k in self._queue if k != key and k not in self._values]
            if key not in self._values:
                self._queue.insert(0, key)

    def measured(self, kind: str) -> float:
        """Share of the kind's grid measured so far."""
        grid = level_grid(kind)
        return sum(self.get(kind, v) is not None for v in grid) / len(grid)

    def stop(self) -> None:
        """Drop every queued level (the thread at work finishes its current one)."""
        with self._lock:
            self._queue.clear()
            self._queued_kinds.clear()

    def start(self) -> None:
        """Measure the queue in a background thread, unless one is already at it."""
        with self._lock:
            if self._running or not self._queue:
                return
            self._running = True
        background(self.fill, name="purification accuracy")

    def fill(self, limit: int | None = None) -> None:
        """Measure the queued levels, wanted ones first, until the queue is empty (or
        `limit` levels are measured)."""
        while limit is None or limit > 0:
            limit = None if limit is None else limit - 1
            with self._lock:
                if not self._queue or stopping():  # done, or the process is exiting
                    self._running = False
                    return
                kind, level = self._queue.pop(0)
            if (kind, level) not in self._values:
                self._values[(kind, level)] = purification_accuracy(
                    self.model, self.classifier, self.images, self.labels, kind, level, self.seed
                )
                self._kind_done(kind)

    def _kind_done(self, kind: str) -> None:
        """Hand a kind's grid to `on_kind_done` once, when its last level is measured."""
        grid = level_grid(kind)
        if kind in self._stored or any(self.get(kind, v) is None for v in grid):
            return
        self._stored.add(kind)
        if self.on_kind_done is not None:
            values = np.array([self.get(kind, v) for v in grid])  # (L, 2)
            self.on_kind_done(kind, grid, values[:, 0], values[:, 1])


def stored_accuracy_table(
    model: Autoencoder,
    classifier: DigitClassifier,
    images: np.ndarray,
    labels: np.ndarray,
    key: str,
    seed: int = ACCURACY_SEED,
    directory: str | None = None,
) -> AccuracyTable:
    """The process's AccuracyTable for `key`: it starts from the kinds already measured
    under `key` in the disk cache and stores each kind it finishes there. `key` must name
    everything the numbers depend on: the checkpoint's and the classifier's content and
    the digits."""
    ident = (key, seed, directory)
    with _TABLES_LOCK:
        if ident not in _TABLES:
            _TABLES[ident] = _stored_table(model, classifier, images, labels, key, seed, directory)
        return _TABLES[ident]


# One table per key in a process, whoever asks (every session; caches cleared in tests).
_TABLES: dict[tuple, AccuracyTable] = {}
_TABLES_LOCK = threading.Lock()


def _stored_table(model, classifier, images, labels, key, seed, directory) -> AccuracyTable:
    from explorer.diskcache import load_entry, store_entry

    known = {}
    for kind in KINDS:
        arrays = load_entry("denoise-accuracy", f"{key}-s{seed}-{kind}", directory) or {}
        lv, noisy, recon = (arrays.get(k) for k in ("levels", "noisy", "recon"))
        grid = level_grid(kind)
        shapes = {getattr(a, "shape", None) for a in (lv, noisy, recon)}
        if shapes == {grid.shape} and np.allclose(lv, grid):  # else: measured again
            known[kind] = (lv, noisy, recon)

    def store(kind: str, lv: np.ndarray, noisy: np.ndarray, recon: np.ndarray) -> None:
        arrays = {"levels": lv, "noisy": noisy, "recon": recon}
        store_entry("denoise-accuracy", f"{key}-s{seed}-{kind}", arrays, directory)

    return AccuracyTable(model, classifier, images, labels, seed, known, store)


def _level(value: float) -> float:
    """A level as a dictionary key: slider values like 0.15000000000000002 -> 0.15."""
    return round(float(value), 6)
