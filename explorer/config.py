"""Configuration dataclasses: what a model is and how it was trained.

Both hold plain types only, so `asdict(cfg)` goes into a checkpoint that loads with
`torch.load(..., weights_only=True)` and `ModelConfig(**d)` rebuilds it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from explorer import kinds


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of a fully-connected (variational) autoencoder for 28x28 images."""

    kind: str = "vae"  # a registered kind (explorer.kinds): "vae", "ae", ...
    latent_dim: int = 2  # size of z
    hidden_dims: tuple[int, ...] = (512, 256)  # encoder widths; the decoder mirrors them
    beta: float = 1.0  # weight on the KL term (beta-VAE); ignored for an AE

    def __post_init__(self) -> None:
        kinds.get(self.kind)  # ValueError naming the known kinds
        if self.latent_dim < 1:
            raise ValueError(f"latent_dim must be >= 1, got {self.latent_dim}")
        if self.beta < 0:
            raise ValueError(f"beta must be >= 0, got {self.beta}")
        # Checkpoints store tuples as lists; normalise so configs compare equal.
        object.__setattr__(self, "hidden_dims", tuple(int(h) for h in self.hidden_dims))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ModelConfig:
        """Rebuild from `asdict` output, rejecting unknown keys with a clear message."""
        return _from_dict(cls, d)


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings for `explorer.train`."""

    epochs: int = 30  # total epochs (a resumed run continues up to this number)
    batch_size: int = 128
    lr: float = 1e-3  # Adam learning rate
    lr_final: float = 1e-4  # cosine-annealed down to this by the last epoch
    seed: int = 0  # seeds batch order, init and the reparameterisation noise
    snapshots: int = 8  # number of latent snapshots of the test set kept in the checkpoint
    snapshot_points: int = 2000  # test digits per snapshot (fixed subset, float16)
    # digit classes left out of the training set (a model that has never seen a 7 is a
    # real novelty detector for 7s); the test set keeps every class
    exclude_digits: tuple[int, ...] = ()
    # training digits used: 0 for all of them, else a seeded random subset of this many
    # (after exclude_digits); the live-training page trains on smaller sets
    train_size: int = 0

    def __post_init__(self) -> None:
        if self.train_size < 0:
            raise ValueError(f"train_size must be >= 0, got {self.train_size}")
        digits = tuple(sorted({int(d) for d in self.exclude_digits}))
        if any(not 0 <= d <= 9 for d in digits) or len(digits) > 9:
            raise ValueError(f"exclude_digits must name at most nine of 0-9, got {digits}")
        object.__setattr__(self, "exclude_digits", digits)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        return _from_dict(cls, d)


class UnknownFieldsError(ValueError):
    """A stored config names fields this version does not have (`.unknown`, sorted)."""

    def __init__(self, cls: type, unknown: list[str]):
        super().__init__(f"unknown {cls.__name__} fields: {unknown}")
        self.unknown = unknown


def _from_dict(cls: type, d: dict[str, Any]):
    known = {f.name for f in fields(cls)}
    unknown = sorted(map(str, set(d) - known))
    if unknown:
        raise UnknownFieldsError(cls, unknown)
    return cls(**d)
