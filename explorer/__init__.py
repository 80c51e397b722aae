"""VAE latent-space explorer: models, training, evaluation and latent-space tools for MNIST.

Importable without Streamlit. The stable entry point is `load_model`:

    >>> from explorer import load_model
    >>> vae = load_model("vae-2d")          # checkpoints/vae-2d.pt, in eval() mode
    >>> mu, logvar = vae.encode(x)          # x: (B, 1, 28, 28) in [0, 1]
    >>> images = vae.decode(mu)             # (B, 1, 28, 28) pixel means in [0, 1]

The names below are imported on first use (PEP 562), so that importing a torch-free
module such as `explorer.figures` does not pay for `import torch` (1-2 s): the app draws
its latent map before torch is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.checkpoint import CheckpointError, list_models, load_model
    from explorer.config import ModelConfig, TrainConfig

_HOME = {
    "CheckpointError": "explorer.checkpoint",
    "list_models": "explorer.checkpoint",
    "load_model": "explorer.checkpoint",
    "ModelConfig": "explorer.config",
    "TrainConfig": "explorer.config",
}
__all__ = ["CheckpointError", "ModelConfig", "TrainConfig", "list_models", "load_model"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value
