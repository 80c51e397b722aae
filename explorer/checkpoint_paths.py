"""Where checkpoint files are and which models they hold: file names only, no torch.

The app's first paint (the latent map from cached latents) needs the model list before
torch is imported; `explorer.checkpoint` (which loads and saves the files, with torch)
re-exports these.
"""

from __future__ import annotations

import os
from pathlib import Path

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "checkpoints"
TRAIN_STATE_SUFFIX = ".train-state.pt"


def checkpoint_dir() -> Path:
    """Where bare model names resolve: `$EXPLORER_CHECKPOINTS` or the repo's `checkpoints/`."""
    env = os.environ.get("EXPLORER_CHECKPOINTS")
    return Path(env) if env else CHECKPOINT_DIR


def resolve(name_or_path: str | Path) -> Path:
    """'vae-2d' -> checkpoints/vae-2d.pt; anything with a suffix or a slash is a path."""
    p = Path(name_or_path)
    if p.suffix == ".pt" or len(p.parts) > 1:
        return p
    return checkpoint_dir() / f"{p.name}.pt"


def list_models(directory: Path | None = None) -> list[str]:
    """Names of the autoencoder checkpoints in `directory` (sorted; no classifier, no sidecars).

    Only file names are looked at; a corrupt file is still listed so the UI can report it.
    """
    d = directory or checkpoint_dir()
    names = []
    for p in sorted(d.glob("*.pt")):
        if p.name.endswith(TRAIN_STATE_SUFFIX) or p.stem == "classifier":
            continue
        names.append(p.stem)
    return names
