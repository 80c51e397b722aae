"""Pick the compute device: a CUDA or Apple MPS GPU when present, else the CPU."""

from __future__ import annotations

import torch


def pick_device(requested: str = "auto") -> torch.device:
    """'auto' -> cuda, then mps, then cpu; any other string is passed to torch.device."""
    if requested != "auto":
        return torch.device(requested)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
