"""Shared fixtures: tiny models and tiny data, so unit tests run in seconds and never download."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from explorer.config import ModelConfig
from explorer.data import load_sample
from explorer.model import build_model

ROOT = Path(__file__).resolve().parent.parent
MNIST_ROOT = os.environ.get("MNIST_ROOT")

needs_mnist = pytest.mark.skipif(
    not (MNIST_ROOT and (Path(MNIST_ROOT) / "MNIST" / "raw").is_dir()),
    reason="set MNIST_ROOT to a folder holding MNIST/raw to run full-MNIST tests",
)


@pytest.fixture(scope="session")
def sample_train():
    return load_sample("train")


@pytest.fixture(scope="session")
def sample_test():
    return load_sample("test")


@pytest.fixture
def tiny_vae():
    torch.manual_seed(0)
    return build_model(ModelConfig(kind="vae", latent_dim=3, hidden_dims=(32, 16))).eval()


@pytest.fixture
def tiny_ae():
    torch.manual_seed(0)
    return build_model(ModelConfig(kind="ae", latent_dim=3, hidden_dims=(32, 16))).eval()


@pytest.fixture
def batch(sample_test):
    return sample_test.images[:16]


@pytest.fixture(autouse=True, scope="session")
def _never_download():
    """Tests never touch the network: data loads fall back instead of downloading."""
    old = os.environ.get("EXPLORER_OFFLINE")
    os.environ["EXPLORER_OFFLINE"] = "1"
    yield
    if old is None:
        os.environ.pop("EXPLORER_OFFLINE", None)
    else:
        os.environ["EXPLORER_OFFLINE"] = old
