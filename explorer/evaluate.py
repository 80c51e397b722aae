"""Evaluate a checkpoint on the MNIST test split and store the metrics in it.

    python -m explorer.evaluate checkpoints/vae-32d.pt --json
    python -m explorer.evaluate vae-2d vae-32d ae-2d --stored --markdown   # README table
    python -m explorer.evaluate vae-32d --only-shipped  # (re)make vae-32d.tsne.npz, .facts.npz

Measures (nats per image unless stated): -ELBO with its reconstruction and KL parts; the
IWAE bound on -log p(x) with k importance samples; active latent units; k-NN digit
accuracy on latent means; for 2-D models, the share of a uniform 30x30 grid over the
encoded test data that the digit classifier labels with confidence > 0.9; for 2-D VAEs,
the exact -log p(x) by quadrature (`explorer.exact`) on the first `--exact-n` test digits,
with the IWAE bound on the same digits beside it (the full split takes too long on a CPU).

For a model with more than two latent dimensions it then computes the t-SNE map of the
encoded test set and ships it beside the checkpoint (`<name>.tsne.npz`, keyed by the
checkpoint's final content and the test data), so the app's t-SNE view computes nothing.
For every model it also ships what the app's first paint needs (`<name>.facts.npz`: the
model picker's summary and the encoded test digits), so a machine that has never run the
app draws the latent map without importing torch. Storing the metrics changes the
checkpoint's content, so both are made after them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from explorer import checkpoint, inference, kinds
from explorer.data import Digits, load_digits
from explorer.device import pick_device
from explorer.manifold import confident_fraction, data_range, grid_points
from explorer.metrics import (
    active_units,
    elbo_terms,
    encode_means,
    iwae_nll,
    knn_accuracy,
)
from explorer.model import Autoencoder
from explorer.projection import (
    TSNE_EXAGGERATION_ITER,
    TSNE_GRADIENT,
    TSNE_ITER,
    TSNE_PERPLEXITY,
    digits_key,
    shipped_tsne_path,
    store_shipped_facts,
    store_shipped_tsne,
    summary_of,
    tsne_2d,
)

log = logging.getLogger(__name__)

GRID_N = 30
CONFIDENCE = 0.9
EXACT_N = 1000  # test digits for the exact -log p(x) of 2-D VAEs (about 0.2-0.5 s each)


def grid_confidence(
    model: Autoencoder, test_means: torch.Tensor, classifier, n: int = GRID_N
) -> float:
    """Share of an n x n grid over the test latents' range decoded into a confident digit."""
    from explorer.classifier import predict_proba

    lo, hi = data_range(test_means.cpu())
    images = torch.from_numpy(inference.decode(model, grid_points(lo, hi, n))).unsqueeze(1)
    return confident_fraction(predict_proba(classifier, images), CONFIDENCE)


def convergence(history: dict[str, list], beta: float = 1.0, window: int = 5) -> float | None:
    """Drop of the test objective the model was trained on (recon + beta * KL) over the
    last `window` epochs, in nats: small means converged."""
    loss = [r + beta * k for r, k in zip(history["test_recon"], history["test_kl"])]
    return loss[-window - 1] - loss[-1] if len(loss) > window else None


@torch.no_grad()
def evaluate(
    model: Autoencoder,
    train: Digits,
    test: Digits,
    k: int = 1000,
    knn_k: int = 5,
    classifier=None,
    seed: int = 0,
    exact_n: int = EXACT_N,
) -> dict[str, Any]:
    """All metrics for one model as plain numbers (None where a measure does not apply)."""
    dev = next(model.parameters()).device
    x_test = test.images.to(dev)
    t0 = time.perf_counter()
    kind = kinds.kind_of(model)
    # A conditional model reads the labels too (its -ELBO is then of log p(x | c)); the
    # IWAE bound, the exact p(x) and the decoded grid are measured for the others only.
    y_test, y_train = (test.labels, train.labels) if kind.conditional else (None, None)
    elbo = elbo_terms(model, x_test, seed=seed, labels=y_test)
    is_vae = kind.has_elbo  # -ELBO: VAEs only
    marginal = is_vae and not kind.conditional  # IWAE and exact log p(x)
    test_mu = encode_means(model, x_test, labels=y_test).cpu()
    train_mu = encode_means(model, train.images.to(dev), labels=y_train).cpu()
    metrics: dict[str, Any] = {
        "data": test.source,
        "n_test": len(test),
        "recon": elbo["recon"],
        "kl": elbo["kl"] if is_vae else None,
        "neg_elbo": elbo["neg_elbo"] if is_vae else None,
        "iwae_nll": iwae_nll(model, x_test, k=k, seed=seed) if marginal and k > 0 else None,
        "iwae_k": k if marginal and k > 0 else None,
        "active_units": active_units(test_mu),
        "latent_dim": model.config.latent_dim,
        "knn_accuracy": knn_accuracy(train_mu, train.labels, test_mu, test.labels, k=knn_k),
        "knn_k": knn_k,
        "grid_confident": None,
    }
    if classifier is not None and model.config.latent_dim == 2 and not kind.conditional:
        metrics["grid_confident"] = grid_confidence(model, test_mu, classifier.to(dev))
    if classifier is not None:
        metrics.update(own_class_metrics(model, test, classifier))
    if marginal and model.config.latent_dim == 2 and exact_n > 0:
        metrics.update(exact_metrics(model, x_test[:exact_n], k=k, seed=seed))
    metrics["seconds"] = time.perf_counter() - t0
    return metrics


def own_class_metrics(model: Autoencoder, test: Digits, classifier) -> dict[str, Any]:
    """How often the committed digit classifier reads the reconstruction of a test digit
    (the decoder at its mean code) as the digit's own class: overall and the worst class."""
    from explorer.lessons import own_class_rate

    rate = own_class_rate(
        model.cpu(), classifier.cpu(), test.images.numpy()[:, 0], test.labels.numpy()
    )  # a conditional model reconstructs given each digit's own label
    worst = int(np.argmin(rate.per_class))
    return {
        "own_class": rate.overall,
        "own_class_worst": float(rate.per_class[worst]),
        "own_class_worst_digit": worst,
        "own_class_per_digit": [float(v) for v in rate.per_class],
    }


def exact_metrics(model: Autoencoder, images: torch.Tensor, k: int, seed: int = 0) -> dict:
    """Mean exact -log p(x) of a 2-D VAE over `images` by quadrature, and the k-sample
    IWAE bound on the same images so the two compare (nats; the bound is above)."""
    from explorer.exact import exact_many

    t0 = time.perf_counter()
    exact = exact_many(model.cpu(), images.cpu())
    seconds = time.perf_counter() - t0
    return {
        "exact_nll": float(-exact["log_px"].mean()),
        "exact_n": len(images),
        "exact_gap": float(exact["gap"].mean()),  # mean KL(q(z|x) || p(z|x)), nats
        "exact_grid_error": float(exact["grid_error"].max()),  # two resolutions, nats
        "exact_seconds": seconds,
        "exact_iwae_nll": iwae_nll(model, images, k=k, seed=seed) if k > 0 else None,
    }


def evaluate_checkpoint(
    name_or_path: str,
    train: Digits,
    test: Digits,
    k: int = 1000,
    save: bool = True,
    device: str = "auto",
    exact_n: int = EXACT_N,
) -> dict[str, Any]:
    """Load, evaluate and (with `save`) write the metrics back into the checkpoint file."""
    path = checkpoint.resolve(name_or_path)
    model = checkpoint.load_model(path, device=pick_device(device))
    classifier = _optional_classifier()
    metrics = evaluate(model, train, test, k=k, classifier=classifier, exact_n=exact_n)
    ckpt = checkpoint.read(path)
    history = ckpt.get("history", {"test_recon": [], "test_kl": []})
    metrics["converged_last5"] = convergence(history, beta=model.config.beta)
    seconds = history.get("seconds") or []
    metrics["train_minutes"] = float(sum(seconds)) / 60 if seconds else None
    if save:
        ckpt["metrics"] = metrics
        checkpoint.save(path, ckpt)
    return metrics


def ship_tsne(
    name_or_path: str, test: Digits, random_state: int = 0, n_jobs: int = -1
) -> Path | None:
    """Compute the t-SNE map of the checkpoint's encoded `test` digits and write it beside
    the checkpoint (`<name>.tsne.npz`), keyed by the file's current content and the data.
    A 2-D model needs no map: a leftover one is removed and None returned."""
    path = checkpoint.resolve(name_or_path)
    model = checkpoint.load_model(path)
    shipped = shipped_tsne_path(path)
    if model.config.latent_dim <= 2:
        if shipped.exists():
            shipped.unlink()
            log.warning(
                "Removed %s: a %d-D model needs no t-SNE map", shipped, model.config.latent_dim
            )
        return None
    labels = inference.condition_of(model, test.labels.numpy())
    z = inference.encode(model, test.images.numpy(), labels).mu
    t0 = time.perf_counter()
    proj = tsne_2d(z, random_state=random_state, n_jobs=n_jobs)
    settings = (
        f"openTSNE {_version('openTSNE')}, {TSNE_GRADIENT} gradient, perplexity "
        f"{TSNE_PERPLEXITY:g}, {TSNE_EXAGGERATION_ITER}+{TSNE_ITER} iterations, "
        f"{len(z):,} x {z.shape[1]} latents of {test.description}, "
        f"{time.perf_counter() - t0:.1f} s"
    )
    key = digits_key(test.source, test.labels.numpy())
    return store_shipped_tsne(path, proj, key, random_state=random_state, settings=settings)


def ship_facts(name_or_path: str, test: Digits) -> Path:
    """Write beside the checkpoint what the app's first paint needs of it
    (`<name>.facts.npz`: the model picker's summary and the encoded `test` digits), keyed
    by the file's current content and the data, so a new machine draws the map without
    torch."""
    path = checkpoint.resolve(name_or_path)
    model = checkpoint.load_model(path)
    labels = inference.condition_of(model, test.labels.numpy())
    z = inference.encode(model, test.images.numpy(), labels).mu
    key = digits_key(test.source, test.labels.numpy())
    return store_shipped_facts(path, summary_of(checkpoint.read(path)), z, key)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def _optional_classifier():
    from explorer.classifier import load_classifier

    try:
        return load_classifier()
    except checkpoint.CheckpointError as exc:
        log.warning("Grid confidence skipped: %s", exc)
        return None


COLUMNS = [  # (metric key, header, format)
    ("neg_elbo", "-ELBO", "{:.2f}"),
    ("recon", "recon", "{:.2f}"),
    ("kl", "KL", "{:.2f}"),
    ("iwae_nll", "IWAE -log p(x)", "{:.2f}"),
    ("exact_nll", "exact -log p(x), subset", "{:.2f}"),
    ("exact_iwae_nll", "IWAE, same subset", "{:.2f}"),
    ("active_units", "active units", "{}"),
    ("knn_accuracy", "5-NN acc.", "{:.2%}"),
    ("own_class", "read as own class", "{:.1%}"),
    ("own_class_worst", "worst class", "{:.1%}"),
    ("grid_confident", "confident 30x30 grid", "{:.1%}"),
    ("converged_last5", "last-5-epoch gain", "{:.2f}"),
    ("train_minutes", "training, min", "{:.0f}"),
]


def markdown_table(rows: dict[str, dict[str, Any]]) -> str:
    """Metrics of several models as a GitHub markdown table (n/a where a measure does not apply)."""
    lines = ["| model | " + " | ".join(h for _, h, _ in COLUMNS) + " |"]
    lines.append("|---" * (len(COLUMNS) + 1) + "|")
    for name, m in rows.items():
        cells = [fmt.format(m[key]) if m.get(key) is not None else "n/a" for key, _, fmt in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells).replace("%", "\\%") + " |")
    return "\n".join(lines)


def text_report(name: str, m: dict[str, Any]) -> str:
    out = [f"{name}  ({m['data']}, {m['n_test']:,} test images, latent_dim={m['latent_dim']})"]
    for key, header, fmt in COLUMNS:
        out.append(f"  {header:<22} {fmt.format(m[key]) if m.get(key) is not None else 'n/a'}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m explorer.evaluate", description=__doc__.split("\n")[0]
    )
    p.add_argument("checkpoints", nargs="+", help="names (vae-2d) or paths to .pt files")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--markdown", action="store_true", help="print one markdown table")
    p.add_argument("--stored", action="store_true", help="print the metrics stored in the file")
    p.add_argument("--k", type=int, default=1000, help="importance samples for IWAE (0: skip)")
    p.add_argument(
        "--exact-n",
        type=int,
        default=EXACT_N,
        help="2-D VAEs: first test digits for the exact -log p(x) by quadrature (0: skip)",
    )
    p.add_argument("--no-save", action="store_true", help="do not write metrics into the file")
    p.add_argument("--data-root", default=None)
    p.add_argument("--no-download", action="store_true")
    p.add_argument("--device", default="auto")
    tsne = p.add_mutually_exclusive_group()
    tsne.add_argument(
        "--no-tsne", action="store_true", help="do not write the t-SNE map beside the checkpoint"
    )
    tsne.add_argument(
        "--only-shipped",
        "--only-tsne",
        dest="only_shipped",
        action="store_true",
        help="only (re)write what ships beside the checkpoint (the t-SNE map of a model above "
        "2-D, the app's facts); metrics stay as they are",
    )
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.only_shipped:
            return _only_shipped(args)
        results = _collect(args)
    except checkpoint.CheckpointError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(results if len(results) > 1 else next(iter(results.values())), indent=2))
    elif args.markdown:
        print(markdown_table(results))
    else:
        print("\n\n".join(text_report(n, m) for n, m in results.items()))
    return 0


def _collect(args) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    if args.stored:
        for name in args.checkpoints:
            path = checkpoint.resolve(name)
            metrics = checkpoint.read(path).get("metrics") or {}
            if not metrics:
                raise checkpoint.CheckpointError(f"{path}: no stored metrics; run without --stored")
            results[path.stem] = metrics
        return results
    train = load_digits("train", root=args.data_root, download=not args.no_download)
    test = load_digits("test", root=args.data_root, download=not args.no_download)
    if test.source != "mnist":
        log.warning("Evaluating on %s: numbers are not comparable with MNIST's.", test.description)
    for name in args.checkpoints:
        path = checkpoint.resolve(name)
        results[path.stem] = evaluate_checkpoint(
            str(path),
            train,
            test,
            k=args.k,
            save=not args.no_save,
            device=args.device,
            exact_n=args.exact_n,
        )
        if args.no_tsne:
            continue
        if test.source == "mnist":  # after the metrics: they change the checkpoint's digest
            ship_tsne(str(path), test)
            ship_facts(str(path), test)
        elif results[path.stem]["latent_dim"] > 2:
            log.warning("No t-SNE map shipped for %s: only full MNIST's is.", test.description)
    return results


def _only_shipped(args) -> int:
    """--only-shipped: the t-SNE map and the facts of each checkpoint, written beside it;
    one line per checkpoint."""
    test = load_digits("test", root=args.data_root, download=not args.no_download)
    if test.source != "mnist":
        log.warning("Shipping what %s gives; the app looks for full MNIST's.", test.description)
    for name in args.checkpoints:
        t0 = time.perf_counter()
        written = ship_tsne(name, test)
        what = f"wrote {written}" if written else "2-D model, no t-SNE map needed"
        what += f"; wrote {ship_facts(name, test)}"
        print(f"{checkpoint.resolve(name).stem}: {what} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
