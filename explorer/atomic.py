"""Atomic file writes: a temp file in the target's folder, fsync, then a rename over it.

A crash at any point leaves either the old file or the new one, never a torn one. A
process killed mid-write cannot delete its temp file; `leftovers` finds such files
(`.<name>.XXXXXXXX.tmp`, hidden and never taken for the file itself).
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write(path: str | Path, dump: Callable[[BinaryIO], object]) -> None:
    """`dump(f)` into a temp file next to `path`, then rename it to `path`. The file is
    readable by everyone (0644), as checkpoints and caches are meant to be shared."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            dump(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def leftovers(path: str | Path) -> list[Path]:
    """Temp files that killed `write(path, ...)` calls left behind, sorted."""
    path = Path(path)
    return sorted(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
