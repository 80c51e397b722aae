"""VAE latent-space explorer: models, training, evaluation and latent-space tools for MNIST.

Importable without Streamlit. The stable entry point is `load_model`:

    >>> from explorer import load_model
    >>> vae = load_model("vae-2d")          # checkpoints/vae-2d.pt, in eval() mode
    >>> mu, logvar = vae.encode(x)          # x: (B, 1, 28, 28) in [0, 1]
    >>> images = vae.decode(mu)             # (B, 1, 28, 28) pixel means in [0, 1]
"""

from explorer.checkpoint import CheckpointError, list_models, load_model
from explorer.config import ModelConfig, TrainConfig

__all__ = ["CheckpointError", "ModelConfig", "TrainConfig", "list_models", "load_model"]
