"""The training process of a live run (`explorer.live`): started by `live.start` as

    python -m explorer.live_train LIVE_DIR RUN_ID LOCK_FD

It inherits the locked file LOCK_FD (the run's lock lives as long as this process), trains
with `$EXPLORER_LIVE_THREADS` threads at the lowest priority, and records the run for every
app process to read: a frame after the first steps and then every half second (codes of
the watched test digits, decoded prior samples and manifold, their loss and 5-NN), every
step's loss, the status, and the weights at each pause, at the end and every 10 s. It
polls control.json between steps: pause waits, stop ends the run. A loss that is not a
finite number stops the run ("diverged") without writing those weights.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from explorer import atomic, live

log = logging.getLogger("explorer.live_train")
AUTOGROUP_NICE = 19  # the training process's scheduling group (see lowest_priority)


class Recorder:
    """Writes one run's record; every file written atomically, the losses appended."""

    def __init__(self, directory: Path, run_id: str):
        self.directory = directory
        self.run_dir = directory / f"run-{run_id}"
        self.record = live.read_json(directory / "status.json") or {}
        if self.record.get("id") != run_id:
            raise SystemExit(f"{directory}: status.json is not run {run_id}")
        self.control_path = directory / "control.json"
        self._control_seen = -1
        self.command = "run"
        self.frames = 0
        for tmp in self.run_dir.rglob(".*.tmp"):  # left by an earlier process killed mid-write
            tmp.unlink(missing_ok=True)

    def status(self, **changes) -> None:
        self.record.update(changes, updated=time.time())
        live.write_json(self.directory / "status.json", self.record)

    def poll(self) -> str:
        """The owner's latest command ("run", "pause", "stop"); one stat() when unchanged."""
        try:
            mtime = os.stat(self.control_path).st_mtime_ns
        except OSError:
            return self.command
        if mtime != self._control_seen:
            self._control_seen = mtime
            control = live.read_json(self.control_path) or {}
            if control.get("id") == self.record["id"] and control.get("command") in (
                "run", "pause", "stop",
            ):  # fmt: skip
                self.command = control["command"]
        return self.command

    def arrays(self, name: str, **values: np.ndarray) -> None:
        buf = io.BytesIO()
        np.savez(buf, **values)
        atomic.write(self.run_dir / name, lambda f: f.write(buf.getvalue()))

    def frame(self, **values: np.ndarray) -> None:
        self.arrays(live.frame_name(self.frames, int(values["step"])), **values)
        self.frames += 1

    def losses(self, rows: list[tuple[float, float, float, float]]) -> None:
        if rows:
            data = np.asarray(rows, dtype=np.float32).tobytes()
            with open(self.run_dir / "losses.f32", "ab") as f:  # one write: whole rows
                f.write(data)

    def weights(self, model, step: int, epoch: float, seconds: float) -> None:
        import torch

        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        payload = {"model": state, "step": step, "epoch": epoch, "seconds": seconds}
        atomic.write(self.run_dir / "weights.pt", lambda f: torch.save(payload, f))


class Adam:
    """Adam (Kingma & Ba 2015), the update `torch.optim.Adam` makes with its defaults
    (betas 0.9, 0.999; eps 1e-8; no weight decay). Written out because constructing a
    `torch.optim` optimizer imports torch._dynamo: 1.4-2 s of the first frame's budget
    here. tests/test_live.py checks it against torch.optim.Adam step for step."""

    def __init__(self, params, lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        import torch

        self.params = [p for p in params if p.requires_grad]
        self.lr, (self.b1, self.b2), self.eps, self.t = lr, betas, eps, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        import torch

        self.t += 1
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        with torch.no_grad():
            for p, m, v in zip(self.params, self.m, self.v):
                if p.grad is None:
                    continue
                m.lerp_(p.grad, 1 - self.b1)
                v.mul_(self.b2).addcmul_(p.grad, p.grad, value=1 - self.b2)
                denom = (v.sqrt() / math.sqrt(c2)).add_(self.eps)
                p.addcdiv_(m, denom, value=-self.lr / c1)


def train_run(directory: Path, run_id: str, train_data=None, test_data=None) -> str:
    """Train the run `run_id` recorded in `directory`; returns its final state. The data
    default to `explorer.data.load_digits` (MNIST, or the offline sample)."""
    import torch

    from explorer.data import Digits, load_digit_arrays, load_digits
    from explorer.device import pick_device
    from explorer.model import build_model
    from explorer.train import subset

    rec = Recorder(directory, run_id)
    s = live.Settings.from_dict(rec.record["settings"])
    created = float(rec.record.get("created", time.time()))
    if train_data is None:  # the training images stay bytes: a batch becomes floats
        arrays = load_digit_arrays("train")
        pixels, labels = (
            torch.from_numpy(arrays.pixels).unsqueeze(1),
            torch.from_numpy(arrays.labels),
        )
        train_data = Digits(pixels, labels, arrays.source, "train", arrays.reason)
        test_data = load_digits("test")
    log.info("data: %s", train_data.description)
    found = live.problems(s, len(train_data))
    if found:  # checked before Start too; the data here may differ
        rec.status(state="failed", message="; ".join(p.english() for p in found))
        return "failed"
    train_data = subset(train_data, s.train_size, s.seed)
    device = pick_device(os.environ.get("EXPLORER_LIVE_DEVICE", "auto"))
    torch.manual_seed(s.seed)
    cfg = s.model_config()
    model = build_model(cfg).to(device)
    opt = Adam(model.parameters(), lr=s.lr)
    g = torch.Generator().manual_seed(s.seed + 1)
    watched = torch.randperm(len(test_data), generator=g)[: live.WATCHED].sort().values
    x_watch = test_data.images[watched].to(device)
    y_watch = test_data.labels[watched].numpy()
    eps = torch.randn(live.PRIOR_SAMPLES, s.latent_dim, generator=g).to(device)
    rec.arrays("watched.npz", index=watched.numpy(), labels=y_watch.astype(np.uint8))
    x_train = train_data.images.to(device)
    batches_per_epoch = math.ceil(len(x_train) / live.BATCH)
    order_gen = torch.Generator().manual_seed(s.seed)
    rec.status(
        state="training", pid=os.getpid(), device=str(device), n_train=len(x_train),
        data=train_data.description, data_source=train_data.source, started=time.time(),
        batches_per_epoch=batches_per_epoch,
    )  # fmt: skip

    step, trained_s, pending = 0, 0.0, []
    axes = None  # PCA axes of the last frame (codes of more than two dimensions)
    t_run = time.perf_counter()
    last_frame = last_weights = -1e9
    early = set(live.EARLY_STEPS)

    def record_frame() -> None:
        nonlocal axes, last_frame
        frame, axes = _frame(model, x_watch, y_watch, eps, axes)
        frame.update(step=step, epoch=step / batches_per_epoch, seconds=trained_s)
        rec.losses(pending)
        pending.clear()
        rec.frame(**frame)
        last_frame = time.perf_counter()
        knn = float(frame["knn"])
        changes = {"step": step, "epoch": step / batches_per_epoch, "frames": rec.frames,
                   "knn": knn, "trained_s": trained_s,
                   "steps_per_s": step / trained_s if trained_s > 0 else 0.0}  # fmt: skip
        if rec.record.get("first_frame_at") is None:
            changes["first_frame_at"] = time.time() - created
        if knn >= live.CLUSTER_KNN and rec.record.get("clusters_at") is None:
            changes["clusters_at"] = time.time() - created
            changes["clusters_step"] = step
        rec.status(**changes)

    def save_weights() -> None:
        nonlocal last_weights
        rec.weights(model, step, step / batches_per_epoch, trained_s)
        last_weights = time.perf_counter()

    record_frame()
    save_weights()
    log.info("first frame %.1f s after Start", time.time() - created)
    total = s.epochs * batches_per_epoch
    while step < total:
        order = torch.randperm(len(x_train), generator=order_gen).to(device)
        for idx in order.split(live.BATCH):
            command = rec.poll()
            if command == "pause":
                rec.losses(pending)
                pending.clear()
                save_weights()
                rec.status(state="paused", step=step)
                paused_at = time.monotonic()
                while (command := rec.poll()) == "pause":
                    if time.monotonic() - paused_at > live.PAUSE_LIMIT_S:
                        command = "stop"  # a forgotten pause: the process ends, weights kept
                        break
                    time.sleep(0.1)
                if command == "run":
                    rec.status(state="training")
            if command == "stop":
                rec.losses(pending)
                save_weights()
                rec.status(state="stopped", step=step)
                return "stopped"
            t0 = time.perf_counter()
            model.train()
            x = x_train[idx]
            terms = model.loss_terms(x.float().div_(255.0) if x.dtype == torch.uint8 else x)
            loss = terms.total(cfg.beta).mean()
            if not torch.isfinite(loss):
                rec.losses(pending)
                rec.status(state="diverged", step=step,
                           message=f"loss {loss.item()} at step {step + 1}")  # fmt: skip
                return "diverged"
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            trained_s += time.perf_counter() - t0
            pending.append(
                (step, step / batches_per_epoch, terms.recon.mean().item(), terms.kl.mean().item())
            )
            now = time.perf_counter()
            every = live.FRAME_EVERY_S if now - t_run < live.FRAME_DENSE_S else 1.0
            if step in early or now - last_frame >= every or step == total:
                record_frame()
            if now - last_weights >= live.WEIGHTS_EVERY_S:
                save_weights()
            if step == total:
                break
    save_weights()
    rec.status(state="finished", step=step)
    return "finished"


def _frame(model, x_watch, y_watch, eps, axes):
    """One recorded moment of the model: codes of the watched digits (and their 2-D view:
    the codes themselves, or their first two principal axes, signs kept from the frame
    before so the picture does not flip), their test loss and 5-NN accuracy, decoded prior
    samples and a decoded manifold over the view's plane."""
    import torch

    from explorer.manifold import grid_points

    model.eval()
    with torch.no_grad():
        mu = model.encode(x_watch)[0]
        terms = model.loss_terms(x_watch)
        z = mu.cpu().numpy().astype(np.float32)
        if z.shape[1] == 2:
            xy, center, basis = z, np.zeros(2, np.float32), np.eye(2, dtype=np.float32)
        else:
            center = z.mean(0)
            _, _, vt = np.linalg.svd(z - center, full_matrices=False)
            basis = vt[:2].T
            if axes is not None:
                basis = basis * np.sign(np.sum(basis * axes, axis=0) + 1e-12)
            xy = (z - center) @ basis
        lo, hi = np.percentile(xy, 2, axis=0), np.percentile(xy, 98, axis=0)
        grid = grid_points(lo, hi, live.MANIFOLD) @ basis.T + center
        decode = lambda v: model.decode(torch.as_tensor(v, dtype=torch.float32, device=eps.device))  # noqa: E731
        prior = decode(eps.cpu().numpy())
        manifold = decode(grid)
    return {
        "z": z.astype(np.float16),
        "xy": xy.astype(np.float32),
        "test_recon": float(terms.recon.mean()),
        "test_kl": float(terms.kl.mean()),
        "knn": _knn(xy if z.shape[1] == 2 else z, y_watch),
        "prior": _u8(prior),
        "manifold": _u8(manifold),
        "box": np.array([lo[0], hi[0], lo[1], hi[1]], np.float32),
        "projected": np.array(z.shape[1] > 2),
    }, basis


def _u8(images) -> np.ndarray:
    return (images.squeeze(1).clamp(0, 1) * 255).round().byte().cpu().numpy()


def _knn(z: np.ndarray, y: np.ndarray, k: int = 5) -> float:
    """Leave-one-out k-nearest-neighbour accuracy of the codes (each digit named by the
    vote of its k nearest others; ties go to the smaller digit): the measure of
    `explorer.condition.knn_class_accuracy`, computed with torch on these 1,000 codes
    because importing scikit-learn costs the first frame over a second."""
    import torch

    if not np.isfinite(z).all():
        return 0.0
    zt = torch.from_numpy(np.asarray(z, np.float32))
    dist = torch.cdist(zt, zt)
    dist.fill_diagonal_(float("inf"))
    nearest = dist.topk(k, largest=False).indices.numpy()
    votes = np.zeros((len(y), 10), np.int64)
    np.add.at(votes, (np.arange(len(y))[:, None], y[nearest]), 1)
    return float((votes.argmax(1) == y).mean())


def lowest_priority() -> None:
    """Nice 19, so the app's pages answer first whenever they want the CPU. On Linux with
    autogroup scheduling (a process in its own session, as this one is, gets its own
    group, and the groups share the CPU equally whatever their processes' nice values)
    the group's nice is set too: measured with 30 students clicking, nice 10 alone left
    the app one of the two cores."""
    with contextlib.suppress(OSError):
        os.nice(19 - os.nice(0))
    with contextlib.suppress(OSError):
        Path("/proc/self/autogroup").write_text(str(AUTOGROUP_NICE))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m explorer.live_train LIVE_DIR RUN_ID LOCK_FD", file=sys.stderr)
        return 2
    directory, run_id, lock_fd = Path(args[0]), args[1], int(args[2])
    del lock_fd  # held open, never touched: the run's lock lasts as long as this process
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    lowest_priority()
    import torch

    torch.set_num_threads(int(os.environ.get("EXPLORER_LIVE_THREADS", "1")))
    try:
        state = train_run(directory, run_id)
    except Exception as exc:  # recorded for every watcher; the traceback goes to log.txt
        log.exception("live run %s failed", run_id)
        with contextlib.suppress(Exception):
            Recorder(directory, run_id).status(
                state="failed", message=f"{type(exc).__name__}: {str(exc)[:200]}"
            )
        return 1
    log.info("live run %s %s", run_id, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
