"""Train a VAE or AE on MNIST and write `checkpoints/<name>.pt` after every epoch.

    python -m explorer.train --name vae-2d --latent-dim 2 --epochs 40

Runs are deterministic for a given `--seed` on a given device, and resumable: rerunning
the same command continues from the last finished epoch (bit-for-bit the same result as
an uninterrupted run, thanks to the optimizer/RNG sidecar). `--epochs` larger than what
a finished checkpoint has extends it. `--resume` says so explicitly (and fails when there
is nothing to resume); `--fresh` starts over.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from explorer import checkpoint, kinds
from explorer.config import ModelConfig, TrainConfig
from explorer.data import Digits, load_digits
from explorer.device import pick_device
from explorer.metrics import elbo_terms, encode_means
from explorer.model import Autoencoder, build_model

log = logging.getLogger(__name__)

HISTORY_KEYS = ("epoch", "train_recon", "train_kl", "test_recon", "test_kl", "lr", "seconds")


def lr_at(epoch: int, cfg: TrainConfig) -> float:
    """Cosine schedule from cfg.lr at epoch 0 to cfg.lr_final at the last epoch (stateless,
    so resuming needs no scheduler state)."""
    frac = epoch / max(cfg.epochs - 1, 1)
    return cfg.lr_final + 0.5 * (cfg.lr - cfg.lr_final) * (1 + math.cos(math.pi * frac))


def snapshot_epochs(cfg: TrainConfig) -> list[int]:
    """Epochs after which test latents are recorded: 0 (untrained), then roughly
    geometric steps to the end, where most of the visible organisation happens early."""
    if cfg.snapshots <= 2:
        return sorted({0, cfg.epochs}) if cfg.snapshots == 2 else [cfg.epochs]
    steps = {round(cfg.epochs ** (i / (cfg.snapshots - 2))) for i in range(cfg.snapshots - 1)}
    return sorted({0, *steps, cfg.epochs})


def _fresh_state(model_cfg: ModelConfig, train_cfg: TrainConfig, test: Digits) -> dict[str, Any]:
    g = torch.Generator().manual_seed(train_cfg.seed + 1)
    n = min(train_cfg.snapshot_points, len(test))
    idx = torch.randperm(len(test), generator=g)[:n].sort().values
    return {
        "format": checkpoint.FORMAT,
        "config": asdict(model_cfg) | {"hidden_dims": list(model_cfg.hidden_dims)},
        "train_config": asdict(train_cfg),
        "history": {k: [] for k in HISTORY_KEYS},
        "snapshots": {
            "epoch": [],
            "index": idx,  # positions in the test split the snapshot rows refer to
            "labels": test.labels[idx].to(torch.uint8),
            "latents": torch.empty(0, n, model_cfg.latent_dim, dtype=torch.float16),
        },
        "metrics": {},
    }


def _check_resumable(
    path: Path, ckpt: dict, model_cfg: ModelConfig, train_cfg: TrainConfig
) -> None:
    stored = checkpoint.model_config(path, ckpt)
    if stored != model_cfg:
        raise checkpoint.CheckpointError(
            f"{path}: exists with a different model config ({stored}); "
            "pass --fresh to overwrite it or pick another --name"
        )
    try:
        old = TrainConfig.from_dict(ckpt["train_config"])
    except (KeyError, TypeError, ValueError) as exc:
        raise checkpoint.CheckpointError(
            f"{path}: no usable train_config to resume from ({str(exc)[:100]}); "
            "pass --fresh to overwrite it"
        ) from None
    before = (old.seed, old.batch_size, old.exclude_digits)
    if before != (train_cfg.seed, train_cfg.batch_size, train_cfg.exclude_digits):
        raise checkpoint.CheckpointError(
            f"{path}: was trained with seed={old.seed}, batch_size={old.batch_size}, "
            f"exclude_digits={list(old.exclude_digits)}; resume with the same values "
            "or pass --fresh"
        )


def train(
    model_cfg: ModelConfig,
    train_cfg: TrainConfig,
    train_data: Digits,
    test_data: Digits,
    out_path: str | Path,
    resume: bool = True,
    device: str = "auto",
    progress: bool = True,
) -> dict[str, Any]:
    """Train (or continue training) and save after every epoch; returns the final payload."""
    out_path = Path(out_path)
    if leftovers := checkpoint.remove_interrupted_saves(out_path):
        log.info("Removed %s, left by an interrupted save", ", ".join(leftovers))
    dev = pick_device(device)
    torch.manual_seed(train_cfg.seed)
    model = build_model(model_cfg)
    opt = torch.optim.Adam(model.parameters(), lr=train_cfg.lr)
    order_gen = torch.Generator().manual_seed(train_cfg.seed)
    state = _fresh_state(model_cfg, train_cfg, test_data)
    start = 0

    if resume and out_path.exists():
        ckpt = checkpoint.read(out_path, expect_kind=kinds.names())
        _check_resumable(out_path, ckpt, model_cfg, train_cfg)
        model.load_state_dict(ckpt["model"])
        state.update({k: ckpt[k] for k in ("history", "snapshots")})
        state["train_config"] = asdict(train_cfg)
        start = len(ckpt["history"]["epoch"])
        model.to(dev)
        _restore_train_state(out_path, start, opt, order_gen, train_cfg.seed)
        log.info("Resuming %s from epoch %d", out_path, start)
    model.to(dev)
    state["data_source"] = train_data.source
    train_data = without_digits(train_data, train_cfg.exclude_digits)
    train_data = subset(train_data, train_cfg.train_size, train_cfg.seed)

    x_train, y_train = train_data.images.to(dev), train_data.labels.to(dev)
    x_test, y_test = test_data.images.to(dev), test_data.labels.to(dev)
    if not kinds.kind_of(model_cfg).conditional:  # labels go only where they are read
        y_train = y_test = None
    snap_idx = state["snapshots"]["index"].to(dev)
    snap_x, snap_y = x_test[snap_idx], None if y_test is None else y_test[snap_idx]
    if start == 0 and 0 in snapshot_epochs(train_cfg):
        _snapshot(model, snap_x, state, epoch=0, labels=snap_y)

    for epoch in range(start, train_cfg.epochs):
        t0 = time.perf_counter()
        lr = lr_at(epoch, train_cfg)
        for group in opt.param_groups:
            group["lr"] = lr
        tr_recon, tr_kl = _train_epoch(
            model, opt, x_train, y_train, train_cfg, order_gen, epoch, progress
        )
        test = elbo_terms(model, x_test, labels=y_test)
        te_recon, te_kl = test["recon"], test["kl"]
        row = (epoch + 1, tr_recon, tr_kl, te_recon, te_kl, lr, time.perf_counter() - t0)
        for key, value in zip(HISTORY_KEYS, row):
            state["history"][key].append(value)
        if epoch + 1 in snapshot_epochs(train_cfg):
            _snapshot(model, snap_x, state, epoch=epoch + 1, labels=snap_y)
        state["model"] = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        state["metrics"] = {}  # stale once weights change; explorer.evaluate fills them in
        checkpoint.save(out_path, state)
        _save_train_state(out_path, epoch + 1, opt, order_gen)
        log.info(
            "epoch %d/%d  test -ELBO %.2f (recon %.2f + KL %.2f)  %.1fs",
            epoch + 1,
            train_cfg.epochs,
            te_recon + te_kl,
            te_recon,
            te_kl,
            row[-1],
        )
    if "model" not in state:  # nothing left to train: return what is on disk
        state["model"] = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    return state


def without_digits(data: Digits, digits: tuple[int, ...]) -> Digits:
    """`data` without the images of the digit classes `digits` (all of it when empty)."""
    if not digits:
        return data
    keep = ~torch.isin(data.labels, torch.tensor(digits, dtype=data.labels.dtype))
    return replace(data, images=data.images[keep], labels=data.labels[keep])


def subset(data: Digits, size: int, seed: int) -> Digits:
    """A seeded random `size` of `data`'s digits, in their original order (all when `size`
    is 0 or not smaller)."""
    if not 0 < size < len(data):
        return data
    g = torch.Generator().manual_seed(seed + 2)
    keep = torch.randperm(len(data), generator=g)[:size].sort().values
    return replace(data, images=data.images[keep], labels=data.labels[keep])


def _train_epoch(
    model, opt, x_train, y_train, cfg: TrainConfig, order_gen, epoch: int, progress: bool
):
    """One pass over x_train in a seeded random order; returns mean (recon, KL) per image.
    `y_train`: the labels, for a conditional model (else None)."""
    model.train()
    order = torch.randperm(len(x_train), generator=order_gen).to(x_train.device)
    batches = order.split(cfg.batch_size)
    bar = tqdm(batches, desc=f"epoch {epoch + 1}/{cfg.epochs}", leave=False, disable=not progress)
    recon_sum = kl_sum = 0.0
    for idx in bar:
        terms = model.loss_terms(x_train[idx], None if y_train is None else y_train[idx])
        loss = terms.total(model.config.beta).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        recon_sum += terms.recon.detach().sum().item()
        kl_sum += terms.kl.detach().sum().item()
        bar.set_postfix(loss=f"{loss.item():.1f}", refresh=False)
    return recon_sum / len(x_train), kl_sum / len(x_train)


@torch.no_grad()
def _snapshot(
    model: Autoencoder, snap_x: torch.Tensor, state: dict, epoch: int, labels=None
) -> None:
    model.eval()
    z = encode_means(model, snap_x, labels=labels).cpu().to(torch.float16).unsqueeze(0)
    snaps = state["snapshots"]
    snaps["latents"] = torch.cat([snaps["latents"], z])
    snaps["epoch"] = [*snaps["epoch"], epoch]


def _save_train_state(path: Path, epoch: int, opt, order_gen: torch.Generator) -> None:
    checkpoint.save(
        checkpoint.train_state_path(path),
        {
            "format": checkpoint.FORMAT,
            "epoch": epoch,
            "optimizer": opt.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "order_rng": order_gen.get_state(),
        },
    )


def _restore_train_state(
    path: Path, epoch: int, opt, order_gen: torch.Generator, seed: int
) -> None:
    side = checkpoint.train_state_path(path)
    try:
        st = torch.load(side, map_location="cpu", weights_only=True)
        if st.get("epoch") != epoch:
            raise ValueError(f"sidecar is at epoch {st.get('epoch')}, checkpoint at {epoch}")
        opt.load_state_dict(st["optimizer"])
        torch.set_rng_state(st["torch_rng"])
        order_gen.set_state(st["order_rng"])
    except Exception as exc:  # missing or stale sidecar: continue, but not bit-exact
        log.warning(
            "No usable optimizer state next to %s (%s): continuing with fresh Adam moments "
            "and a reseeded batch order.",
            path,
            str(exc).splitlines()[0][:100],
        )
        torch.manual_seed(seed + epoch)
        order_gen.manual_seed(seed + epoch)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m explorer.train", description=__doc__.split("\n")[0])
    p.add_argument("--name", required=True, help="checkpoint name; writes checkpoints/<name>.pt")
    p.add_argument("--kind", choices=kinds.names(), default="vae")
    p.add_argument("--latent-dim", type=int, default=2)
    p.add_argument("--hidden", default="512,256", help="encoder widths, comma-separated")
    p.add_argument("--beta", type=float, default=1.0, help="KL weight (beta-VAE)")
    d = TrainConfig()
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--lr-final", type=float, default=d.lr_final)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--snapshots", type=int, default=d.snapshots)
    p.add_argument(
        "--train-size", type=int, default=0, help="train on a seeded subset of this many digits"
    )
    p.add_argument(
        "--exclude-digits",
        default="",
        help="digit classes to leave out of training, comma-separated (e.g. 7)",
    )
    p.add_argument("--data-root", default=None, help="MNIST folder (default: $MNIST_ROOT or cache)")
    p.add_argument("--no-download", action="store_true", help="never try to download MNIST")
    p.add_argument(
        "--out-dir", default=None, help="folder for the checkpoint (default: checkpoints/)"
    )
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, mps")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint")
    start.add_argument(
        "--resume",
        action="store_true",
        help="continue the existing checkpoint (the default when there is one); "
        "an error when there is none",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        model_cfg = ModelConfig(
            kind=args.kind,
            latent_dim=args.latent_dim,
            hidden_dims=tuple(int(h) for h in args.hidden.split(",") if h.strip()),
            beta=args.beta if kinds.get(args.kind).uses_beta else 0.0,
        )
        train_cfg = TrainConfig(
            epochs=args.epochs,
            batch_size=args.batch_size,
            lr=args.lr,
            lr_final=args.lr_final,
            seed=args.seed,
            snapshots=args.snapshots,
            exclude_digits=tuple(int(d) for d in args.exclude_digits.split(",") if d.strip()),
            train_size=args.train_size,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out_dir = Path(args.out_dir) if args.out_dir else checkpoint.checkpoint_dir()
    out_path = out_dir / f"{args.name}.pt"
    if args.resume and not out_path.exists():
        print(f"error: {out_path}: no checkpoint to resume from (drop --resume)", file=sys.stderr)
        return 2
    train_data = load_digits("train", root=args.data_root, download=not args.no_download)
    test_data = load_digits("test", root=args.data_root, download=not args.no_download)
    log.info("Data: %s; device: %s", train_data.description, pick_device(args.device))
    try:
        train(
            model_cfg,
            train_cfg,
            train_data,
            test_data,
            out_path,
            resume=not args.fresh,
            device=args.device,
        )
    except checkpoint.CheckpointError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    log.info("Wrote %s; next: python -m explorer.evaluate %s", out_path, args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
