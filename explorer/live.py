"""Live training: one run at a time on this machine, trained by its own process and
recorded in a folder that every app process reads.

    live/                      ($EXPLORER_LIVE_DIR, default .live/ beside checkpoints/)
      lock                     held (flock) by the training process for as long as it lives
      start.lock               held briefly by whoever is starting a run
      status.json              the current run: settings, owner, state, step, speed, ...
      control.json             what its owner asked for: run, pause or stop
      run-<id>/
        frames/000042-000000731.npz
                               one recorded moment (its order, its step): codes of the
                               watched test digits, decoded prior samples and manifold,
                               their test loss and 5-NN
        losses.f32             every step's training loss (step, epoch, recon, KL)
        weights.pt             the latest weights written (pause, stop, end, every 10 s)
        log.txt                the training process's output

The app starts a run (`start`): it takes the lock, spawns `python -m explorer.live_train`
handing it the locked file (the lock then belongs to the training process and goes away
with it, however it ends) and returns; the process trains with its own thread budget and
at the lowest priority, writes frames and status atomically, and polls control.json between
steps. A browser tab that closes, or an app process that restarts, leaves it running;
Stop ends it. Any app process behind the same nginx reads the same folder, so every
student sees the same run. Only the browser session that started a run (its token), or
one that entered the lecturer's key, may pause or stop it.

No torch here: the page reads records without it. Writes are atomic (`explorer.atomic`):
a killed process leaves the old file or the new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from explorer import atomic, checkpoint_paths, kinds

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("vae", "ae")  # what a live run trains
HIDDEN = (256, 128)  # encoder widths of a live model (the decoder mirrors them)
BATCH = 128
WATCHED = 1000  # test digits whose codes every frame records
PRIOR_SAMPLES = 16  # decoded prior samples per frame (4 x 4)
MANIFOLD = 8  # the decoded manifold is MANIFOLD x MANIFOLD decodings
CLUSTER_KNN = 0.6  # 5-NN accuracy on the watched codes at which the clusters are visible
FRAME_EVERY_S = 0.5  # seconds between frames for the first FRAME_DENSE_S, then 1 s
FRAME_DENSE_S = 30.0
EARLY_STEPS = (1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 200)  # a frame at each, too
WEIGHTS_EVERY_S = 10.0
PAUSE_LIMIT_S = 3600.0  # a run paused this long stops (its weights stay, to be saved)
STATES_ACTIVE = ("starting", "training", "paused")
# what a run's state becomes once its process has done a command (a run that ends or
# dies meanwhile has answered too)
_ENDED = ("finished", "stopped", "diverged", "failed", "died")
ANSWERS = {"run": ("training", *_ENDED), "pause": ("paused", *_ENDED), "stop": _ENDED}
LOSS_FIELDS = 4  # losses.f32 rows: step, epoch, recon, kl

LIMITS = {
    "latent_dim": (1, 16),
    "beta": (0.0, 16.0),
    "train_size": (100, 60_000),
    "lr": (1e-5, 1.0),
    "epochs": (1, 50),
}


def live_dir() -> Path:
    env = os.environ.get("EXPLORER_LIVE_DIR")
    return Path(env) if env else ROOT / ".live"


# ---------------------------------------------------------------- settings
@dataclass(frozen=True)
class Settings:
    """What the lecturer picks before Start."""

    kind: str = "vae"
    latent_dim: int = 2
    beta: float = 1.0
    train_size: int = 60_000
    lr: float = 5e-3
    epochs: int = 10
    seed: int = 0

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def model_config(self):
        """The ModelConfig a run of these settings trains (and its checkpoint stores)."""
        from explorer.config import ModelConfig

        beta = self.beta if kinds.get(self.kind).uses_beta else 0.0
        return ModelConfig(self.kind, self.latent_dim, HIDDEN, beta)


@dataclass(frozen=True)
class Problem:
    """One setting that cannot be trained: `code` names it (the page translates it),
    `params` fill the message."""

    code: str
    params: dict[str, Any]

    def english(self) -> str:
        return PROBLEM_TEXT[self.code].format(**self.params)


PROBLEM_TEXT = {
    "kind": "a live run trains one of {known}, not {value!r}",
    "latent_dim": "latent size must be a whole number from {lo} to {hi}, not {value}",
    "beta": "beta must be a number from {lo} to {hi}, not {value}",
    "train_size": "training-set size must be a whole number from {lo:,} to {hi:,}, not {value}",
    "too_few": "only {available:,} training digits are available here, not {value:,}",
    "lr": "learning rate must be a number from {lo:g} to {hi:g}, not {value}",
    "epochs": "epochs must be a whole number from {lo} to {hi}, not {value}",
}


def problems(s: Settings, available: int | None = None) -> list[Problem]:
    """Why `s` cannot be trained (empty when it can). `available`: training digits on this
    machine (60,000 with MNIST, 4,000 with the offline sample)."""
    out = []
    if s.kind not in KINDS:
        out.append(Problem("kind", {"known": ", ".join(KINDS), "value": s.kind}))
    for name in ("latent_dim", "train_size", "epochs"):
        value, (lo, hi) = getattr(s, name), LIMITS[name]
        if not _whole(value) or not lo <= value <= hi:
            out.append(Problem(name, {"lo": lo, "hi": hi, "value": value}))
    for name in ("beta", "lr"):
        value, (lo, hi) = getattr(s, name), LIMITS[name]
        if not _number(value) or not lo <= value <= hi:
            out.append(Problem(name, {"lo": lo, "hi": hi, "value": value}))
    fits = not any(p.code == "train_size" for p in out)
    if available is not None and fits and s.train_size > available:
        out.append(Problem("too_few", {"available": available, "value": s.train_size}))
    return out


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def available_train_digits() -> int:
    """Training digits a run would get here: MNIST's 60,000 when its files are on disk (or
    downloadable), else the offline sample's. Reads no images."""
    from explorer import data

    raw = data.default_root() / "MNIST" / "raw"
    if all((raw / f).is_file() for f in data.RAW_FILES["train"]) or data.downloads_allowed():
        return 60_000
    return 10 * (500 - data.SAMPLE_TEST_PER_CLASS)


# ---------------------------------------------------------------- errors
class LiveError(Exception):
    """A live-run request that cannot be done; `code` and `params` for the page's text."""

    def __init__(self, code: str, message: str, **params: Any):
        super().__init__(message)
        self.code, self.params = code, params


class SettingsRefused(LiveError):
    def __init__(self, found: list[Problem]):
        super().__init__("settings", "; ".join(p.english() for p in found))
        self.problems = found


# ---------------------------------------------------------------- status
def owner_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_hex(16)


def write_json(path: Path, value: dict) -> None:
    atomic.write(path, lambda f: f.write(json.dumps(value).encode()))


def read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def alive(directory: Path | None = None) -> bool:
    """A training process holds the lock (it is running or paused)."""
    lock = (directory or live_dir()) / "lock"
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Status:
    """The current run as the app sees it: status.json, and whether its process lives."""

    record: dict[str, Any]
    process_alive: bool
    directory: Path

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def run_dir(self) -> Path:
        return self.directory / f"run-{self.id}"

    @property
    def state(self) -> str:
        """starting, training, paused, finished, stopped, diverged, failed, or died (the
        record says active but no process holds the lock: it was killed)."""
        state = self.record.get("state", "failed")
        if state in STATES_ACTIVE and not self.process_alive:
            return "died"
        return state

    @property
    def active(self) -> bool:
        return self.state in STATES_ACTIVE

    @property
    def settings(self) -> Settings:
        return Settings.from_dict(self.record.get("settings", {}))

    def owned_by(self, token: str | None) -> bool:
        return bool(token) and self.record.get("owner") == owner_hash(token)

    def get(self, key: str, default: Any = None) -> Any:
        return self.record.get(key, default)


def status(directory: Path | None = None) -> Status | None:
    """The current (or last) run, or None when no run was ever started here."""
    directory = directory or live_dir()
    record = read_json(directory / "status.json")
    if not record or "id" not in record:
        return None
    return Status(record, alive(directory), directory)


# ---------------------------------------------------------------- start and control
@contextlib.contextmanager
def _locked(path: Path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def start(
    settings: Settings,
    token: str,
    directory: Path | None = None,
    available: int | None = None,
    threads: int | None = None,
) -> Status:
    """Check `settings`, then start a training process for them, owned by `token`.

    Raises SettingsRefused (nothing started), LiveError("busy") when a run is already
    training here, or LiveError("spawn") when its process cannot start. The previous
    run's record is deleted (a saved checkpoint keeps it)."""
    found = problems(settings, available_train_digits() if available is None else available)
    if found:
        raise SettingsRefused(found)
    directory = directory or live_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory / "start.lock"):
        fd = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LiveError("busy", "a run is already training on this machine") from None
        try:
            run_id = time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)
            run_dir = directory / f"run-{run_id}"
            (run_dir / "frames").mkdir(parents=True)
            record = {
                "id": run_id,
                "settings": asdict(settings),
                "owner": owner_hash(token),
                "state": "starting",
                "created": time.time(),
                "step": 0,
                "frames": 0,
            }
            write_json(directory / "control.json", {"id": run_id, "command": "run"})
            write_json(directory / "status.json", record)
            env = dict(os.environ)
            n = threads or int(os.environ.get("EXPLORER_LIVE_THREADS", "1"))
            env.update({"OMP_NUM_THREADS": str(n), "MKL_NUM_THREADS": str(n)})
            env["EXPLORER_LIVE_THREADS"] = str(n)
            with open(run_dir / "log.txt", "wb") as log:
                subprocess.Popen(  # (OSError below: it could not be started)
                    [sys.executable, "-m", "explorer.live_train", str(directory), run_id, str(fd)],
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    pass_fds=(fd,),
                    start_new_session=True,  # a closed tab or a restarted app leaves it be
                )
        except OSError as exc:  # no disk space, no such interpreter, too many processes
            write_json(directory / "status.json", dict(record, state="failed", message=str(exc)))
            raise LiveError("spawn", f"the training process could not start: {exc}") from None
        finally:
            os.close(fd)  # the training process keeps the lock (its own copy of fd)
        for old in directory.glob("run-*"):
            if old != run_dir:
                shutil.rmtree(old, ignore_errors=True)
    return Status(record, True, directory)


def command(
    cmd: str,
    token: str | None,
    key_ok: bool = False,
    directory: Path | None = None,
    wait: float = 1.0,
) -> Status:
    """Ask the current run to "run" (resume), "pause" or "stop", and wait up to `wait`
    seconds for the training process to say it did (it reads the request between steps),
    so the page redrawn next shows the new state. Only its owner (or a session with the
    lecturer's key) may; LiveError("not_owner" / "no_run") otherwise."""
    if cmd not in ANSWERS:
        raise ValueError(f"unknown command {cmd!r}")
    current = status(directory)
    if current is None or not current.active:
        raise LiveError("no_run", "no run is training")
    if not (key_ok or current.owned_by(token)):
        raise LiveError("not_owner", "only whoever started this run may pause or stop it")
    write_json(current.directory / "control.json", {"id": current.id, "command": cmd})
    deadline = time.monotonic() + wait
    while True:
        now = status(current.directory) or current
        if now.id != current.id or now.state in ANSWERS[cmd] or time.monotonic() > deadline:
            return now
        time.sleep(0.02)


def end_run(directory: Path | None = None, wait: float = 10.0) -> None:
    """Stop whatever run trains in `directory`, whoever owns it (the lecturer's or a
    harness's end of class): ask it to stop, then kill its process if it has not ended
    after `wait` seconds."""
    import signal

    current = status(directory)
    if current is None or not current.active:
        return
    with contextlib.suppress(LiveError):
        command("stop", None, key_ok=True, directory=current.directory, wait=wait)
    if alive(current.directory) and current.get("pid"):
        with contextlib.suppress(OSError):
            os.kill(int(current.get("pid")), signal.SIGKILL)


# ---------------------------------------------------------------- reading a run
def frame_paths(run_dir: Path) -> list[Path]:
    """The run's recorded frames, oldest first (temp files of a write in progress left out)."""
    try:
        names = os.listdir(run_dir / "frames")
    except OSError:
        return []
    return [run_dir / "frames" / n for n in sorted(names) if n.endswith(".npz")]


def frame_name(seq: int, step: int) -> str:
    """A frame's file, named by its order and its step (a reader lists steps without
    opening a file)."""
    return f"frames/{seq:06d}-{step:09d}.npz"


def frame_step(path: Path) -> int:
    return int(path.stem.rpartition("-")[2])


_FRAMES: dict[Path, dict[str, np.ndarray]] = {}
_FRAMES_LOCK = threading.Lock()  # sessions run in threads
_FRAMES_KEPT = 256


def load_frame(path: Path) -> dict[str, np.ndarray] | None:
    """One frame's arrays, or None if it cannot be read (yet). Frames never change once
    written, so each app process reads a frame once (the last 256 are kept)."""
    if (hit := _FRAMES.get(path)) is not None:
        return hit
    try:
        with np.load(path) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, KeyError, EOFError):
        return None  # not cached: it may appear in a moment
    with _FRAMES_LOCK:
        if len(_FRAMES) >= _FRAMES_KEPT:
            _FRAMES.pop(next(iter(_FRAMES)), None)
        _FRAMES[path] = arrays
    return arrays


def watched(run_dir: Path) -> dict[str, np.ndarray] | None:
    """The watched test digits: "index" (rows of the test split), "labels"; None before the
    training process wrote them."""
    return load_frame(run_dir / "watched.npz")


def loss_rows(run_dir: Path) -> int:
    """How many steps' losses the run has recorded (one stat, no read)."""
    try:
        return (run_dir / "losses.f32").stat().st_size // (4 * LOSS_FIELDS)
    except OSError:
        return 0


def losses(run_dir: Path) -> np.ndarray:
    """Every recorded step's (step, epoch, recon, kl), (N, 4) float32."""
    try:
        raw = np.fromfile(run_dir / "losses.f32", dtype=np.float32)
    except (OSError, ValueError):
        return np.zeros((0, LOSS_FIELDS), np.float32)
    return raw[: len(raw) // LOSS_FIELDS * LOSS_FIELDS].reshape(-1, LOSS_FIELDS)


# ---------------------------------------------------------------- keeping a run
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")
RESERVED = {"classifier"}
SNAPSHOTS_KEPT = 24  # frames a saved checkpoint keeps for the training replay


def name_problem(name: str) -> str | None:
    """Why `name` cannot name a checkpoint ("bad_name", "reserved"), or None."""
    if not NAME_RE.fullmatch(name or ""):
        return "bad_name"
    if name in RESERVED:
        return "reserved"
    return None


def save_checkpoint(
    name: str,
    overwrite: bool = False,
    directory: Path | None = None,
    out_dir: Path | None = None,
) -> Path:
    """The current run's latest written weights as an ordinary checkpoint `<name>.pt`, with
    its recorded frames as history and snapshots (the training replay plays them).

    LiveError codes: bad_name, reserved, exists (and overwrite is False), no_run,
    training (pause first), no_weights, not_finite."""
    import torch

    from explorer import checkpoint
    from explorer.config import TrainConfig

    if problem := name_problem(name):
        raise LiveError(problem, f"{name!r} cannot name a checkpoint", name=name)
    out_dir = out_dir or checkpoint_paths.checkpoint_dir()
    path = out_dir / f"{name}.pt"
    if path.exists() and not overwrite:
        raise LiveError("exists", f"{path} exists", name=name)
    current = status(directory)
    if current is None:
        raise LiveError("no_run", "no run to save")
    if current.state in ("starting", "training"):
        raise LiveError("training", "pause the run before saving it")
    try:
        weights = torch.load(current.run_dir / "weights.pt", map_location="cpu", weights_only=True)
    except Exception:
        raise LiveError("no_weights", "this run wrote no weights yet") from None
    state = weights["model"]
    if not all(torch.isfinite(v).all() for v in state.values()):
        raise LiveError("not_finite", "the weights are not finite numbers")
    s, step = current.settings, int(weights["step"])
    frames = [f for f in map(load_frame, frame_paths(current.run_dir)) if f is not None]
    frames = [f for f in frames if int(f["step"]) <= step]
    cfg = s.model_config()
    train_cfg = TrainConfig(
        epochs=max(1, math.ceil(float(weights["epoch"]))),
        batch_size=BATCH,
        lr=s.lr,
        lr_final=s.lr,
        seed=s.seed,
        snapshots=min(SNAPSHOTS_KEPT, len(frames)),
        snapshot_points=WATCHED,
        train_size=s.train_size,
    )
    payload = {
        "format": checkpoint.FORMAT,
        "model": state,
        "config": asdict(cfg) | {"hidden_dims": list(cfg.hidden_dims)},
        "train_config": asdict(train_cfg),
        "history": _history(frames, losses(current.run_dir), s.lr),
        "snapshots": _snapshots(frames, watched(current.run_dir)),
        "metrics": {},
        "data_source": current.get("data_source", "mnist"),
        "live": {"run": current.id, "steps": step, "seconds": float(weights["seconds"])},
    }
    checkpoint.save(path, payload)
    write_json(current.run_dir / "saved.json", {"name": name, "step": step})
    return path


def saved_as(current: Status) -> dict | None:
    """{"name", "step"} of the checkpoint this run was last saved as, or None."""
    return read_json(current.run_dir / "saved.json")


def _history(frames: list[dict], steps: np.ndarray, lr: float) -> dict[str, list]:
    """Per recorded frame (after the untrained one): the epoch reached (fractional), the
    training loss of the steps since the frame before, the watched test digits' loss."""
    keys = ("epoch", "train_recon", "train_kl", "test_recon", "test_kl", "lr", "seconds", "step")
    out: dict[str, list] = {k: [] for k in keys}
    last = 0
    for f in frames:
        step = int(f["step"])
        if step == 0:
            continue
        rows = steps[(steps[:, 0] > last) & (steps[:, 0] <= step)]
        last = step
        if not len(rows):
            continue
        for key, value in (
            ("epoch", round(float(f["epoch"]), 4)),
            ("train_recon", float(rows[:, 2].mean())),
            ("train_kl", float(rows[:, 3].mean())),
            ("test_recon", float(f["test_recon"])),
            ("test_kl", float(f["test_kl"])),
            ("lr", lr),
            ("seconds", float(f["seconds"])),
            ("step", step),
        ):
            out[key].append(value)
    return out


def _snapshots(frames: list[dict], watched: dict) -> dict:
    """Up to SNAPSHOTS_KEPT frames' codes, spread evenly in log(step) so the early minutes
    stay dense, always with the first and the last."""
    import torch

    index = torch.as_tensor(watched["index"]).long()
    labels = torch.as_tensor(watched["labels"]).to(torch.uint8)
    if not frames:
        empty = torch.empty(0, len(index), 1, dtype=torch.float16)
        return {"epoch": [], "index": index, "labels": labels, "latents": empty}
    steps = np.array([int(f["step"]) for f in frames])
    want = np.geomspace(1, max(steps[-1], 1) + 1, SNAPSHOTS_KEPT) - 1
    picked = sorted({0, len(frames) - 1, *(int(np.abs(steps - w).argmin()) for w in want)})
    return {
        "epoch": [round(float(frames[i]["epoch"]), 3) for i in picked],
        "step": [int(steps[i]) for i in picked],
        "index": index,
        "labels": labels,
        "latents": torch.stack([torch.as_tensor(frames[i]["z"]).to(torch.float16) for i in picked]),
    }
