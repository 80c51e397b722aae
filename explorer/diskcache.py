"""A small disk cache of numpy arrays: one `.npz` file per entry, written atomically, with
the entry's identity stored inside, so a file renamed or copied from another entry is
never taken for this one.

    store_entry("recon-errors", key, {"errors": errors})
    load_entry("recon-errors", key)      # the arrays, or None (never stored, unreadable)

`key` names everything the arrays depend on - a checkpoint's content (`file_digest`), the
data - and the folder is `$EXPLORER_CACHE` or the user cache's `projections/`. The latent
projections (`explorer.projection`), the pages' measured facts and the exported decoders
all live here; no torch, no Streamlit.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import numpy as np

from explorer import atomic
from explorer.data import user_cache_dir

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20  # file_digest read size


def file_digest(path: str | Path, length: int = 16) -> str:
    """First `length` hex digits of the sha256 of a file's content, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            h.update(chunk)
    return h.hexdigest()[:length]


def cache_dir() -> Path:
    """Where projections are cached: `$EXPLORER_CACHE` or the user cache's `projections/`."""
    env = os.environ.get("EXPLORER_CACHE")
    return Path(env).expanduser() if env else user_cache_dir() / "projections"


def digest(parts: tuple[str, ...], data: np.ndarray | None = None) -> str:
    """Hex sha256 of string parts (NUL-separated) and an array's bytes."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\0")
    if data is not None:
        h.update(memoryview(np.ascontiguousarray(data)).cast("B"))
    return h.hexdigest()


def slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._")[:60] or "z"


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez to `path` atomically (`atomic.write`)."""
    atomic.write(path, lambda f: np.savez(f, **arrays))


def read_entry(path: Path, ident: str, what: str) -> dict[str, np.ndarray] | None:
    """The arrays of cache file `path` if it is the entry `ident` (its stored id), else
    None: missing, unreadable (logged), or made for something else (logged)."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        stored_id = str(arrays.pop("id")) if "id" in arrays else "none"
    except Exception as exc:  # zipfile.BadZipFile, ValueError, OSError, EOFError, ...
        log.warning("Ignoring unreadable %s cache %s (%s)", what, path, exc)
        return None
    if stored_id != ident:  # renamed or copied from another entry, or an older format
        log.warning("Ignoring %s cache %s: it was made for other latents", what, path)
        return None
    return arrays


def write_entry(path: Path, arrays: dict[str, np.ndarray], ident: str, what: str) -> None:
    """Store `arrays` as cache entry `ident`; a failed write only logs."""
    try:
        save_npz(path, {**arrays, "id": np.array(ident)})
    except OSError as exc:
        log.warning("Could not write %s cache %s (%s)", what, path, exc)


def _entry_path(kind: str, key: str, directory: str | Path | None) -> tuple[Path, str]:
    ident = digest((key, kind))
    folder = Path(directory) if directory is not None else cache_dir()
    return folder / f"{slug(key)}-{kind}-{ident[:16]}.npz", ident


def load_entry(
    kind: str, key: str, directory: str | Path | None = None
) -> dict[str, np.ndarray] | None:
    """The arrays `store_entry` stored under (`kind`, `key`), or None: never stored, or the
    file is unreadable or another entry's (logged). `key` must name everything the arrays
    depend on, e.g. a checkpoint's content (`file_digest`) and the data."""
    path, ident = _entry_path(kind, key, directory)
    return read_entry(path, ident, kind)


def store_entry(
    kind: str, key: str, arrays: dict[str, np.ndarray], directory: str | Path | None = None
) -> None:
    """Store `arrays` under (`kind`, `key`) in the cache folder, atomically; a failed
    write only logs."""
    path, ident = _entry_path(kind, key, directory)
    write_entry(path, arrays, ident, kind)
