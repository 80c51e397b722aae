"""Anomaly detection by reconstruction: train on clean digits, flag what the model redraws badly.

A model trained only on digits reconstructs digits well; an input unlike the training data
(noise, an inverted or rotated digit, a letter, a digit with a defect) is far from its
reconstruction, so that distance is an anomaly score. Three scores per image:

- "recon_error": squared distance sum_i (x_i - x̂_i)^2, x̂ = decode(mu) (no sampling);
- "bce": Bernoulli -log p(x | z = mu), the same reconstruction in nats;
- "neg_elbo" (VAE only): -ELBO = -log p(x|z) with z ~ q(z|x) (seeded samples, averaged)
  + KL(q(z|x) || p(z)) in closed form, an upper bound on -log p(x).

`ood_sets` builds out-of-distribution images from test digits, offline and seeded;
`anomaly_report` scores test digits and each OOD set and gives each score's ROC AUC.

    python -m explorer.anomaly vae-2d      # AUC table for a checkpoint
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from explorer import inference, kinds
from explorer.metrics import seeded
from explorer.model import Autoencoder, bernoulli_nll
from explorer.preprocess import mnist_style

SCORE_KINDS = ("recon_error", "bce", "neg_elbo")
OOD_KINDS = ("noise", "inverted", "rotated", "letters", "blank", "occluded")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTER_FONT_SIZE = 64  # rendered large, then mnist_style scales it to the 20 px box
OCCLUSION_SIDE = 9  # white square pasted over part of the digit (a "defect")


@contextlib.contextmanager
def _eval_mode(model: Autoencoder) -> Iterator[None]:
    """Run a block with the model in eval mode, restoring its train/eval mode afterwards."""
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


def scores(
    model: Autoencoder,
    images: np.ndarray,
    seed: int = 0,
    elbo_samples: int = 1,
    batch_size: int = 1000,
) -> dict[str, np.ndarray]:
    """Per-image anomaly scores of images (N, 28, 28) in [0, 1]: name -> (N,) float64.

    "recon_error" and "bce" are deterministic (decode the encoder mean); "neg_elbo" (VAEs
    only, absent for an AE) averages `elbo_samples` seeded z samples, so it is reproducible.
    Higher means more anomalous.
    """
    device = next(model.parameters()).device
    x_all = inference.images_tensor(images).to(device)
    parts: dict[str, list[torch.Tensor]] = {}
    with torch.no_grad(), _eval_mode(model), seeded(seed, device):
        for x in x_all.split(batch_size):
            for name, value in _batch_scores(model, x, elbo_samples).items():
                parts.setdefault(name, []).append(value.double().cpu())
    return {name: torch.cat(values).numpy() for name, values in parts.items()}


def _batch_scores(
    model: Autoencoder, x: torch.Tensor, elbo_samples: int
) -> dict[str, torch.Tensor]:
    """The scores of one batch x (B, 1, 28, 28) as (B,) tensors."""
    mu = model.encode(x)[0]
    logits = model.decode_logits(mu)
    out = {
        "recon_error": (torch.sigmoid(logits) - x).pow(2).flatten(1).sum(1),
        "bce": bernoulli_nll(logits, x),
    }
    if kinds.kind_of(model).has_elbo:  # loss_terms samples z ~ q(z|x); KL in closed form
        samples = [model.loss_terms(x).total() for _ in range(elbo_samples)]
        out["neg_elbo"] = torch.stack(samples).mean(0)
    return out


def ood_sets(digits: np.ndarray, n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Out-of-distribution images made offline from test digits (N, 1, 28, 28) in [0, 1].

    Each set is (n, 1, 28, 28) float32 in [0, 1] and depends only on (digits, n, seed):
    "noise" uniform pixels; "inverted" 1 - x; "rotated" x turned 90 degrees anticlockwise;
    "letters" A-Z in Pillow's built-in font, MNIST-style; "blank" all zeros; "occluded" x
    with a white square over part of the digit. Digits are drawn with replacement.
    """
    digits = np.asarray(digits, dtype=np.float32)
    if digits.ndim != 4 or digits.shape[1:] != (1, 28, 28) or len(digits) == 0:
        raise ValueError(f"expected digits of shape (N, 1, 28, 28), got {digits.shape}")
    rng = [np.random.default_rng((seed, i)) for i in range(len(OOD_KINDS))]
    picked = digits[rng[0].integers(0, len(digits), n)]
    sets = {
        "noise": rng[1].random((n, 1, 28, 28), dtype=np.float32),
        "inverted": 1.0 - picked,
        "rotated": np.ascontiguousarray(np.rot90(picked, k=1, axes=(2, 3))),
        "letters": letter_images(rng[2].integers(0, len(LETTERS), n)),
        "blank": np.zeros((n, 1, 28, 28), dtype=np.float32),
        "occluded": occlude(picked, rng[3]),
    }
    return {name: sets[name] for name in OOD_KINDS}


def letter_images(indices: np.ndarray) -> np.ndarray:
    """Capital letters LETTERS[i] for each index, MNIST-style: (len(indices), 1, 28, 28)."""
    font = ImageFont.load_default(size=LETTER_FONT_SIZE)
    templates = np.stack([_render_letter(ch, font) for ch in LETTERS])
    return templates[np.asarray(indices, dtype=int)][:, None]


def _render_letter(letter: str, font: ImageFont.ImageFont | ImageFont.FreeTypeFont) -> np.ndarray:
    """One letter drawn white on black, then size-normalised and centred: (28, 28)."""
    canvas = Image.new("L", (2 * LETTER_FONT_SIZE, 2 * LETTER_FONT_SIZE), 0)
    ImageDraw.Draw(canvas).text((LETTER_FONT_SIZE // 4,) * 2, letter, fill=255, font=font)
    return mnist_style(canvas)


def occlude(digits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Copies of digits (n, 1, 28, 28) with a white OCCLUSION_SIDE square inside the central
    20x20 box (where MNIST's ink is) at a random place per image."""
    out = digits.copy()
    low, high = 4, 24 - OCCLUSION_SIDE  # top-left corners keeping the square in the box
    corners = rng.integers(low, high + 1, size=(len(out), 2))
    for img, (top, left) in zip(out, corners):
        img[:, top : top + OCCLUSION_SIDE, left : left + OCCLUSION_SIDE] = 1.0
    return out


def roc_auc(in_scores: np.ndarray, out_scores: np.ndarray) -> float:
    """Area under the ROC curve for telling OOD (label 1) from in-distribution (label 0)
    by score: 1.0 perfect, 0.5 chance, below 0.5 the OOD set scores *lower*."""
    in_scores, out_scores = np.ravel(in_scores), np.ravel(out_scores)
    if len(in_scores) == 0 or len(out_scores) == 0:
        raise ValueError("roc_auc needs at least one in-distribution and one OOD score")
    # The Mann-Whitney U of the OOD scores over n_in * n_out, ties counted half: the same
    # number as sklearn's roc_auc_score, without importing sklearn.metrics (seconds of a
    # page's first visit) for one sum of ranks.
    values, inverse, counts = np.unique(
        np.r_[in_scores, out_scores].astype(np.float64), return_inverse=True, return_counts=True
    )
    mean_rank = np.cumsum(counts) - (counts - 1) / 2.0  # 1-based rank of each distinct value
    n_in, n_out = len(in_scores), len(out_scores)
    u = mean_rank[inverse[n_in:]].sum() - n_out * (n_out + 1) / 2.0
    return float(u / (n_in * n_out))


def precision_recall_at(
    threshold: float, in_scores: np.ndarray, out_scores: np.ndarray
) -> tuple[float, float]:
    """(precision, recall) of flagging score > threshold as an anomaly, OOD as positives.

    Precision is the share of flagged images that are OOD; when nothing is flagged it is
    1.0 (no false alarms). Recall is the share of OOD images flagged.
    """
    out_scores = np.ravel(out_scores)
    if len(out_scores) == 0:
        raise ValueError("recall needs at least one OOD score")
    true_pos = int((out_scores > threshold).sum())
    false_pos = int((np.ravel(in_scores) > threshold).sum())
    flagged = true_pos + false_pos
    precision = true_pos / flagged if flagged else 1.0
    return precision, true_pos / len(out_scores)


def anomaly_report(
    model: Autoencoder, test_images: np.ndarray, n_ood: int = 500, seed: int = 0
) -> dict[str, dict]:
    """Scores of the test digits and of each OOD set, and each score's ROC AUC per set.

    Returns plain types (picklable, for st.cache_data):
    {"scores": {"test" | ood set: {score kind: (N,) array}},
     "auc": {ood set: {score kind: float}}}. Score kinds are those `scores` gives the model.
    """
    test_images = np.asarray(test_images, dtype=np.float32)
    all_scores = {"test": scores(model, test_images, seed=seed)}
    for name, images in ood_sets(test_images, n_ood, seed=seed).items():
        all_scores[name] = scores(model, images, seed=seed)
    auc = {
        name: {kind: roc_auc(all_scores["test"][kind], s[kind]) for kind in s}
        for name, s in all_scores.items()
        if name != "test"
    }
    return {"scores": all_scores, "auc": auc}


def held_out_report(
    model: Autoencoder,
    test_images: np.ndarray,
    test_labels: np.ndarray,
    unseen: tuple[int, ...],
    seed: int = 0,
) -> dict[str, dict]:
    """Real novelty: the test digits of the classes in `unseen` against the others, scored
    by `model` (trained without `unseen`, or, as a control, with every class).

    Returns {"scores": {"seen" | "unseen": {score kind: (N,) array}},
    "auc": {score kind: ROC AUC of unseen against seen}}."""
    every = scores(model, np.asarray(test_images, dtype=np.float32), seed=seed)
    return held_out_split(every, test_labels, unseen)


def held_out_split(
    every: dict[str, np.ndarray], test_labels: np.ndarray, unseen: tuple[int, ...]
) -> dict[str, dict]:
    """`held_out_report` from the test digits' scores already computed (`scores`, e.g. the
    "test" scores of an `anomaly_report` by the same model and seed)."""
    labels = np.asarray(test_labels).ravel()
    is_unseen = np.isin(labels, np.asarray(unseen, dtype=labels.dtype))
    if not is_unseen.any() or is_unseen.all():
        raise ValueError(f"digits {list(unseen)} must be some, not all, of the test digits")
    split = {
        "seen": {k: v[~is_unseen] for k, v in every.items()},
        "unseen": {k: v[is_unseen] for k, v in every.items()},
    }
    auc = {k: roc_auc(split["seen"][k], split["unseen"][k]) for k in every}
    return {"scores": split, "auc": auc}


def auc_table(report: dict[str, dict]) -> str:
    """The report's AUCs as a Markdown table: one row per OOD set, one column per score."""
    kinds = [k for k in SCORE_KINDS if k in report["scores"]["test"]]
    lines = ["| OOD set | " + " | ".join(kinds) + " |", "|---|" + "---:|" * len(kinds)]
    for name, aucs in report["auc"].items():
        lines.append(f"| {name} | " + " | ".join(f"{aucs[k]:.3f}" for k in kinds) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Print the AUC table of each named checkpoint on the test digits."""
    from explorer import load_model
    from explorer.data import load_digits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="checkpoint names or paths, e.g. vae-2d")
    parser.add_argument("--n-test", type=int, default=2000, help="test digits to score")
    parser.add_argument("--n-ood", type=int, default=500, help="images per OOD set")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    digits = load_digits("test")
    print(f"data: {digits.description}")
    test_images = digits.images[: args.n_test].numpy()
    for name in args.models:
        report = anomaly_report(load_model(name), test_images, args.n_ood, args.seed)
        print(f"\n{name}: ROC AUC, {len(test_images)} test digits vs {args.n_ood} per set\n")
        print(auc_table(report))


if __name__ == "__main__":
    main()
