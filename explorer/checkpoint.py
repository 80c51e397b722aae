"""Checkpoint files: one `.pt` per model, plain types only, written atomically.

Layout (every value a tensor, number, string, list or dict, so that
`torch.load(path, weights_only=True)` reads it without unpickling code):

    {"format": FORMAT, "model": state_dict, "config": asdict(ModelConfig),
     "train_config": asdict(TrainConfig), "history": {...per-epoch lists...},
     "snapshots": {...}, "metrics": {...}, "data_source": "mnist"}

Optimizer and RNG state for exact resumption live in a sidecar
`<name>.train-state.pt` next to the checkpoint (not committed: it triples the size).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from explorer import atomic, kinds
from explorer.checkpoint_paths import (  # noqa: F401  (re-exported: the torch-free part)
    CHECKPOINT_DIR,
    TRAIN_STATE_SUFFIX,
    checkpoint_dir,
    list_models,
    resolve,
)
from explorer.config import ModelConfig, UnknownFieldsError

FORMAT = "vae-explorer/1"


class CheckpointError(Exception):
    """A checkpoint that is missing, unreadable or not ours; the message is one line."""


def train_state_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".pt") + TRAIN_STATE_SUFFIX)


def save(path: str | Path, payload: dict[str, Any]) -> None:
    """Write `payload` to `path` atomically (`atomic.write`): a crash at any point leaves
    either the old file or the new one, never a torn one."""
    atomic.write(path, lambda f: torch.save(payload, f))


def remove_interrupted_saves(path: str | Path) -> list[str]:
    """Delete the temp files that killed `save` calls left for `path` and its sidecar;
    returns their names. Only for the one process that writes `path` (`explorer.train` at
    its start): another writer's save in progress would go too."""
    path = Path(path)
    removed = []
    for tmp in [*atomic.leftovers(path), *atomic.leftovers(train_state_path(path))]:
        tmp.unlink(missing_ok=True)
        removed.append(tmp.name)
    return removed


def read(path: str | Path, expect_kind: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Load a checkpoint dict safely (weights_only) or raise CheckpointError in one line."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no such checkpoint file")
    if not path.is_file():
        raise CheckpointError(f"{path}: not a file")
    if path.stat().st_size == 0:
        raise CheckpointError(f"{path}: file is empty")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise CheckpointError(f"{path}: {_unreadable(exc)}") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise CheckpointError(
            f"{path}: not a VAE-explorer checkpoint (expected format {FORMAT!r}, "
            f"found {_describe(ckpt)})"
        )
    for key in ("model", "config"):
        if key not in ckpt:
            raise CheckpointError(f"{path}: checkpoint has no {key!r} entry")
    kind = ckpt["config"].get("kind") if isinstance(ckpt["config"], dict) else None
    if expect_kind is not None and kind not in expect_kind:
        raise CheckpointError(f"{path}: holds a {kind!r} model, expected one of {expect_kind}")
    return ckpt


def _unreadable(exc: Exception) -> str:
    """Why torch.load(weights_only=True) failed, in one line without terminal escapes."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip()
    found = re.search(r"Unsupported global: GLOBAL (\S+)", text)
    if found:  # the pickle names a function or class: loading it could run code
        return (
            f"refused to load: it holds pickled Python objects ({found.group(1)}) that could "
            "run code, where a checkpoint has only tensors and plain values"
        )
    if "WeightsUnpickler error:" in text:  # torch's advice is long; its finding comes last
        text = text.partition("WeightsUnpickler error:")[2].strip()
    reason = text.splitlines()[0][:100] if text else ""
    return "not a readable checkpoint (truncated, corrupt or not a PyTorch file" + (
        f": {reason})" if reason else ")"
    )


def _describe(obj: Any) -> str:
    if isinstance(obj, dict):
        fmt = obj.get("format")
        return f"format {fmt!r}" if fmt else f"a dict with keys {sorted(map(str, obj))[:5]}"
    return f"a {type(obj).__name__}"


def rebuild(path: Path, ckpt: dict[str, Any], build: Callable[[], nn.Module]) -> nn.Module:
    """`build()` then a strict `load_state_dict`; mismatches become CheckpointError."""
    try:
        model = build()
        model.load_state_dict(ckpt["model"], strict=True)
    except (TypeError, ValueError, RuntimeError, KeyError) as exc:
        raise CheckpointError(
            f"{path}: weights do not match the stored config ({_first_detail(exc)})"
        ) from None
    return model.eval()


def _first_detail(exc: Exception, limit: int = 160) -> str:
    """The first informative line of an error: load_state_dict's first line is only the
    heading "Error(s) in loading state_dict for VAE:", the problem is on the next one."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):
        lines = lines[1:]
    return lines[0][:limit] if lines else type(exc).__name__


def model_config(path: Path, ckpt: dict[str, Any]) -> ModelConfig:
    """The checkpoint's ModelConfig; unknown fields or invalid values raise CheckpointError."""
    try:
        return ModelConfig.from_dict(ckpt["config"])
    except UnknownFieldsError as exc:
        raise CheckpointError(
            f"{path}: config has unknown fields {exc.unknown} (written by another version?)"
        ) from None
    except (TypeError, ValueError) as exc:
        raise CheckpointError(f"{path}: invalid model config ({_first_detail(exc)})") from None


def load_model(name_or_path: str | Path, device: str | torch.device = "cpu") -> nn.Module:
    """Rebuild a trained VAE or AE from its checkpoint, in eval() mode.

    `model.config` is its ModelConfig; `model.checkpoint_path` the file it came from.
    """
    return load_model_and_info(name_or_path, device)[0]


def load_model_and_info(
    name_or_path: str | Path, device: str | torch.device = "cpu"
) -> tuple[nn.Module, dict[str, Any]]:
    """`load_model` plus the rest of the checkpoint (history, snapshots, metrics, ...),
    read from the file once."""
    from explorer.model import build_model

    path = resolve(name_or_path)
    ckpt = read(path, expect_kind=kinds.names())
    cfg = model_config(path, ckpt)
    model = rebuild(path, ckpt, lambda: build_model(cfg))
    model.checkpoint_path = path
    info = {k: v for k, v in ckpt.items() if k != "model"}
    return model.to(device), info
