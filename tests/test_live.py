"""Live training (explorer.live, explorer.live_train, pages/train_live.py): settings refused
before anything starts, a run recorded from its first steps, one run per machine, only its
owner controls it, a diverging run stops itself, a killed training process leaves the app
and the saved checkpoints intact, a save interrupted by a kill leaves no torn file, and a
saved run is an ordinary checkpoint the other pages open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest
import torch

from explorer import atomic, checkpoint, live, live_train
from explorer.compare import replay_coords

from .conftest import ROOT, app_figures

OWNER, OTHER = "owner-token", "someone-else"


def _record(directory: Path, settings: live.Settings, run_id: str = "t") -> None:
    """A run's status as `live.start` writes it, for `live_train.train_run` in-process."""
    (directory / f"run-{run_id}" / "frames").mkdir(parents=True)
    record = {"id": run_id, "settings": asdict(settings), "owner": live.owner_hash(OWNER),
              "state": "starting", "created": time.time()}  # fmt: skip
    live.write_json(directory / "status.json", record)


def _wait(predicate, seconds: float = 60.0, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


# ---------------------------------------------------------------- settings
@pytest.mark.parametrize(
    "change, code",
    [
        ({"kind": "cvae"}, "kind"),
        ({"latent_dim": 0}, "latent_dim"),
        ({"latent_dim": 2.5}, "latent_dim"),
        ({"beta": -1.0}, "beta"),
        ({"beta": float("nan")}, "beta"),
        ({"train_size": 10}, "train_size"),
        ({"train_size": 5000}, "too_few"),
        ({"lr": 0.0}, "lr"),
        ({"lr": float("inf")}, "lr"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 500}, "epochs"),
    ],
)
def test_impossible_settings_are_refused_before_anything_starts(tmp_path, change, code):
    bad = replace(live.Settings(train_size=1000), **change)
    assert [p.code for p in live.problems(bad, available=4000)] == [code]
    with pytest.raises(live.SettingsRefused) as refused:
        live.start(bad, OWNER, tmp_path, available=4000)
    assert refused.value.problems[0].code == code
    assert str(refused.value) == refused.value.problems[0].english()  # the CLI's message
    assert list(tmp_path.iterdir()) == []  # no status, no run folder, no process
    assert not live.alive(tmp_path)


def test_a_training_process_that_cannot_start_is_reported(tmp_path, monkeypatch):
    def no_process(*args, **kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(live.subprocess, "Popen", no_process)
    with pytest.raises(live.LiveError) as failed:
        live.start(live.Settings(train_size=1000), OWNER, tmp_path, available=4000)
    assert failed.value.code == "spawn" and "Too many open files" in str(failed.value)
    cur = live.status(tmp_path)
    assert cur.state == "failed" and not cur.process_alive  # the lock went with the attempt
    monkeypatch.undo()
    assert not live.alive(tmp_path)


def test_the_default_settings_train():
    assert live.problems(live.Settings(), available=60_000) == []


def test_adam_is_torch_adam_step_for_step():
    torch.manual_seed(0)
    a = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    b = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    b.load_state_dict(a.state_dict())
    mine, theirs = live_train.Adam(a.parameters(), lr=5e-3), torch.optim.Adam(b.parameters(), 5e-3)
    for _ in range(40):
        x = torch.randn(16, 6)
        for model, opt in ((a, mine), (b, theirs)):
            opt.zero_grad()
            model(x).pow(2).sum().backward()
            opt.step()
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------- a run, in process
@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, sample_train, sample_test):
    """A short run trained in this process on the offline sample: 1,000 digits, 2 epochs."""
    directory = tmp_path_factory.mktemp("live")
    _record(directory, live.Settings(train_size=1000, epochs=2))
    state = live_train.train_run(directory, "t", sample_train, sample_test)
    return directory, state


def test_a_run_is_recorded_from_its_first_steps(finished_run):
    directory, state = finished_run
    assert state == "finished"
    cur = live.status(directory)
    assert cur.state == "finished" and not cur.process_alive
    steps = [live.frame_step(p) for p in live.frame_paths(cur.run_dir)]
    total = 2 * -(-1000 // live.BATCH)  # 2 epochs of 8 batches
    assert steps[0] == 0 and steps[-1] == total == cur.get("step")
    assert {1, 2, 3, 5, 8, 12} <= set(steps)  # dense at the start, where structure appears
    frame = live.load_frame(live.frame_paths(cur.run_dir)[-1])
    assert frame["xy"].shape == (live.WATCHED, 2) and np.isfinite(frame["xy"]).all()
    assert frame["prior"].shape == (live.PRIOR_SAMPLES, 28, 28)
    assert frame["manifold"].shape == (live.MANIFOLD**2, 28, 28)
    losses = live.losses(cur.run_dir)
    assert losses[:, 0].tolist() == list(range(1, total + 1))  # every step's loss
    assert np.isfinite(losses).all() and (losses[:, 3] >= 0).all()
    watched = live.watched(cur.run_dir)
    assert len(watched["index"]) == live.WATCHED == len(watched["labels"])


def test_a_diverging_run_stops_itself_and_says_so(tmp_path, sample_train, sample_test):
    broken = replace(sample_train, images=sample_train.images.clone())
    broken.images[:, :, 3, 3] = float("nan")  # every image: the loss is NaN at once
    _record(tmp_path, live.Settings(train_size=1000, epochs=1))
    assert live_train.train_run(tmp_path, "t", broken, sample_test) == "diverged"
    cur = live.status(tmp_path)
    assert cur.state == "diverged" and "nan" in cur.get("message").lower()
    weights = torch.load(cur.run_dir / "weights.pt", weights_only=True)
    assert all(torch.isfinite(v).all() for v in weights["model"].values())  # never the NaNs


def test_a_saved_run_is_an_ordinary_checkpoint_with_its_history(finished_run, tmp_path):
    directory, _ = finished_run
    path = live.save_checkpoint("live-test", directory=directory, out_dir=tmp_path)
    model, info = checkpoint.load_model_and_info(path)
    assert model.config.kind == "vae" and model.config.latent_dim == 2
    assert info["train_config"]["train_size"] == 1000
    history, snaps = info["history"], info["snapshots"]
    assert history["step"][-1] == 16 and len(history["epoch"]) == len(history["test_recon"])
    assert snaps["epoch"][0] == 0 and snaps["latents"].shape[1:] == (live.WATCHED, 2)
    replay = replay_coords(snaps)  # what the training replay page plays
    assert replay.coords.shape[0] == len(snaps["epoch"]) and replay.epochs[0] == 0
    assert live.saved_as(live.status(directory)) == {"name": "live-test", "step": 16}
    # nothing overwritten without asking; names checked
    with pytest.raises(live.LiveError) as exists:
        live.save_checkpoint("live-test", directory=directory, out_dir=tmp_path)
    assert exists.value.code == "exists"
    live.save_checkpoint("live-test", overwrite=True, directory=directory, out_dir=tmp_path)
    for bad, code in [("../x", "bad_name"), ("Big", "bad_name"), ("", "bad_name"),
                      ("classifier", "reserved"), ("a" * 49, "bad_name")]:  # fmt: skip
        with pytest.raises(live.LiveError) as refused:
            live.save_checkpoint(bad, directory=directory, out_dir=tmp_path)
        assert refused.value.code == code
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live-test.pt"]


def test_saving_waits_for_a_pause(tmp_path):
    _record(tmp_path, live.Settings())
    record = live.read_json(tmp_path / "status.json")
    live.write_json(tmp_path / "status.json", dict(record, state="training"))
    with _held_lock(tmp_path), pytest.raises(live.LiveError) as refused:
        live.save_checkpoint("x", directory=tmp_path, out_dir=tmp_path / "out")
    assert refused.value.code == "training"


class _held_lock:
    """Hold the run lock as a training process would (so the run counts as alive)."""

    def __init__(self, directory: Path):
        self.path = directory / "lock"

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        os.close(self.fd)


# ---------------------------------------------------------------- the real process
@pytest.mark.slow  # a training process on the offline sample: about 10 s
def test_one_run_per_machine_owner_controls_and_a_kill_leaves_everything_intact(tmp_path):
    live_dir, out = tmp_path / "live", tmp_path / "ckpt"
    settings = live.Settings(train_size=1000, epochs=50)
    live.start(settings, OWNER, live_dir, available=4000)
    cur = _wait(lambda: (c := live.status(live_dir)).get("frames", 0) >= 3 and c, 90, "frames")
    assert cur.state == "training" and cur.process_alive

    with pytest.raises(live.LiveError) as busy:  # a second Start
        live.start(settings, OTHER, live_dir, available=4000)
    assert busy.value.code == "busy"
    with pytest.raises(live.LiveError) as not_owner:
        live.command("stop", OTHER, directory=live_dir)
    assert not_owner.value.code == "not_owner"

    live.command("pause", OTHER, key_ok=True, directory=live_dir)  # the lecturer's key
    _wait(lambda: live.status(live_dir).state == "paused", 30, "paused")
    step = live.status(live_dir).get("step")
    time.sleep(1.0)
    assert live.status(live_dir).get("step") == step  # paused means paused
    saved = live.save_checkpoint("live-before-kill", directory=live_dir, out_dir=out)
    before = saved.read_bytes()
    live.command("run", OWNER, directory=live_dir)
    _wait(lambda: live.status(live_dir).get("step") > step, 30, "training again")

    os.kill(int(live.status(live_dir).get("pid")), signal.SIGKILL)
    _wait(lambda: not live.alive(live_dir), 30, "the process to end")
    cur = live.status(live_dir)
    assert cur.state == "died" and not cur.active
    assert saved.read_bytes() == before  # the saved checkpoint is untouched
    checkpoint.load_model(saved)
    again = live.save_checkpoint("live-after-kill", directory=live_dir, out_dir=out)
    checkpoint.load_model(again)  # the last weights written before the kill
    assert sorted(p.name for p in out.iterdir()) == ["live-after-kill.pt", "live-before-kill.pt"]
    live.start(settings, OTHER, live_dir, available=4000)  # the machine is free again
    live.command("stop", OTHER, directory=live_dir)
    _wait(lambda: not live.alive(live_dir), 60, "the second run to stop")
    assert live.status(live_dir).state == "stopped"


def test_a_save_killed_midway_leaves_no_half_written_file(tmp_path):
    """A process killed while writing (a server restart, a kill -9) leaves the old file
    whole; its hidden temp file is not a checkpoint and is cleaned up."""
    target = tmp_path / "model.pt"
    checkpoint.save(target, {"format": checkpoint.FORMAT, "version": "old"})
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from explorer import atomic\n"
         "def slow(f):\n    f.write(b'x' * 100000); f.flush(); print('writing', flush=True)\n"
         "    time.sleep(60)\n"
         f"atomic.write({str(target)!r}, slow)"],
        cwd=ROOT, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert writer.stdout.readline().strip() == b"writing"
    writer.send_signal(signal.SIGKILL)
    writer.wait(30)
    assert torch.load(target, weights_only=True)["version"] == "old"
    assert len(atomic.leftovers(target)) == 1
    assert checkpoint.list_models(tmp_path) == ["model"]  # the temp file is no model
    assert checkpoint.remove_interrupted_saves(target) and not atomic.leftovers(target)


# ---------------------------------------------------------------- the page
@pytest.fixture
def page(tmp_path, monkeypatch):
    """The Train live page under AppTest, its runs in a temp folder."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EXPLORER_LIVE_DIR", str(tmp_path / "live"))
    (tmp_path / "live").mkdir()

    def open_page(secrets: dict | None = None, lang: str = "en"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["lang"] = lang
        for k, v in (secrets or {}).items():
            at.secrets[k] = v
        at.switch_page("pages/train_live.py")
        return at.run()

    open_page.directory = tmp_path / "live"
    return open_page


def _texts(at) -> str:
    parts = [e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.error,
                               *at.success]]  # fmt: skip
    return "\n".join(map(str, parts))


def test_page_before_any_run(page):
    at = page()
    assert not at.exception
    assert "No run yet" in _texts(at)
    assert not at.button(key="live.start").disabled
    assert at.button(key="live.pause").disabled and at.button(key="live.stop").disabled


def test_page_refuses_settings_that_cannot_train(page, monkeypatch):
    monkeypatch.setattr(live, "available_train_digits", lambda: 50)  # fewer than a run needs
    at = page()
    at.button(key="live.start").click().run()
    assert not at.exception
    assert "Nothing was started" in _texts(at) and "100 to 60,000" in _texts(at)
    assert live.status(page.directory) is None and not live.alive(page.directory)


def test_a_watcher_cannot_start_pause_or_stop_the_lecturers_run(page):
    directory = page.directory
    _record(directory, live.Settings(), run_id="w")
    record = live.read_json(directory / "status.json")
    live.write_json(directory / "status.json", dict(record, state="training", step=5))
    with _held_lock(directory):  # a training process holds the lock
        at = page()
        assert not at.exception
        assert at.button(key="live.start").disabled
        assert at.button(key="live.pause").disabled and at.button(key="live.stop").disabled
        assert "watching" in _texts(at)


def test_the_page_shows_a_recorded_run_and_saves_it(page, finished_run, tmp_path, monkeypatch):
    import shutil

    source, _ = finished_run
    shutil.copytree(source, page.directory, dirs_exist_ok=True)
    out = tmp_path / "ckpt"
    out.mkdir()
    for committed in (ROOT / "checkpoints").glob("vae-2d.pt"):
        (out / committed.name).symlink_to(committed)
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(out))
    at = page()
    assert not at.exception
    assert "Finished" in _texts(at) and "step **16**" in _texts(at)
    figures = app_figures(at)
    digits = [tr for tr in figures[0]["data"] if tr.get("name") in list("0123456789")]
    assert sum(len(tr["x"]["bdata"]) if isinstance(tr["x"], dict) else len(tr["x"])
               for tr in digits) > 0  # fmt: skip
    at.text_input(key="live.name").set_value("Not A Name").run()
    assert "cannot name a checkpoint" in _texts(at) and at.button(key="live.save").disabled
    at.text_input(key="live.name").set_value("vae-2d").run()
    assert "exists" in _texts(at) and at.button(key="live.save").disabled
    at.checkbox(key="live.overwrite").check().run()
    assert not at.button(key="live.save").disabled  # replacing is a choice, made explicitly
    at.checkbox(key="live.overwrite").uncheck().run()
    assert (out / "vae-2d.pt").is_symlink()  # not overwritten
    at.text_input(key="live.name").set_value("live-from-page").run()
    at.button(key="live.save").click().run()
    assert not at.exception and "Saved as **live-from-page**" in _texts(at)
    model, info = checkpoint.load_model_and_info(out / "live-from-page.pt")
    assert info["snapshots"]["latents"].shape[0] >= 2


def test_a_saved_run_opens_on_the_latent_map(finished_run, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    directory, _ = finished_run
    out = tmp_path / "ckpt"
    live.save_checkpoint("live-saved", overwrite=True, directory=directory, out_dir=out)
    monkeypatch.setenv("EXPLORER_CHECKPOINTS", str(out))
    for script in ("pages/latent_map.py", "pages/training.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["model"] = "live-saved"
        at.switch_page(script)
        at.run()
        assert not at.exception, (script, [e.value for e in at.exception])
        assert app_figures(at), script


def test_the_lecturer_key_keeps_start_for_the_lecturer(page):
    at = page(secrets={"live_key": "chalk"})
    at.button(key="live.start").click().run()
    assert "enter the lecturer key" in _texts(at)
    assert live.status(page.directory) is None  # nothing started
    at.text_input(key="live.key_input").set_value("wrong").run()
    assert "not the lecturer key" in _texts(at)
    at.text_input(key="live.key_input").set_value("chalk").run()
    assert not at.text_input  # accepted: the field is gone for this session
    at.switch_page("pages/sampling.py").run()
    at.switch_page("pages/train_live.py").run()  # and stays accepted after leaving the page
    at.button(key="live.start").click().run()
    assert not at.exception and "enter the lecturer key" not in _texts(at)
    cur = _wait(lambda: live.status(page.directory), 10, "the run")
    assert cur.owned_by(at.session_state["live.token"])
    live.command("stop", None, key_ok=True, directory=page.directory, wait=30)


def test_a_killed_training_process_is_reported_not_raised(page):
    directory = page.directory
    _record(directory, live.Settings(), run_id="k")
    record = live.read_json(directory / "status.json")
    live.write_json(directory / "status.json", dict(record, state="training", step=42))
    at = page(lang="ko")  # no process holds the lock: it was killed
    assert not at.exception
    assert "스텝 42까지" in _texts(at)
    assert not at.button(key="live.start").disabled  # the machine is free


# ---------------------------------------------------------------- in a real browser
@pytest.mark.browser
def test_in_a_browser_start_shows_clusters_and_a_second_browser_sees_the_same_steps():
    """Chromium presses Start on the Train live page: the steps appear and the state line
    says the clusters formed; a second browser (another session, Korean, served by a
    second app process) opened meanwhile shows the same step as the first once it pauses.
    Timings: `python -m explorer.bench --only live` (no timing is asserted here, only that
    it happens within a minute)."""
    from explorer.tools import apphost

    from .conftest import require_browser

    require_browser()
    seen = apphost.measure_live_run(
        watch=60.0, shots=ROOT / "test-artifacts" / "browser", longest=True
    )
    assert seen["exceptions"] == 0
    assert seen["first_step"] is not None, "no recorded step appeared"
    assert seen["clusters"] is not None, "the clusters never formed within a minute"
    assert seen["maps"] >= 1, "the latent map was not drawn"
    assert seen["step_owner"] is not None and seen["step_owner"] > 0
    assert seen["step_watcher"] == seen["step_owner"], "the two browsers show different runs"
