"""explorer.jobs: a computation in a background thread, polled for progress."""

from __future__ import annotations

import threading
import time

import pytest

from explorer.jobs import Job


def test_job_runs_in_the_background_and_reports_progress():
    go, seen = threading.Event(), []

    def work(progress):
        progress(0.0, "neighbours")
        seen.append("started")
        go.wait(30)
        for i in range(1, 5):
            progress(i / 4, f"step {i}")
        return "map"

    job = Job(work, name="test job")
    assert not job.done and job.result is None  # the caller goes on while it runs
    assert job.seconds_left() is None  # no pace yet
    go.set()
    assert job.wait(30) and job.done
    assert job.result == "map" and job.error is None
    assert job.fraction == 1.0 and job.message == "step 4" and seen == ["started"]


def test_job_estimates_the_time_left_from_its_pace():
    half, finish = threading.Event(), threading.Event()

    def work(progress):
        progress(0.25, "a")
        progress(0.5, "b")
        half.set()
        finish.wait(30)
        return None

    job = Job(work)
    assert half.wait(30)
    left = job.seconds_left()
    assert left is not None and left > 0
    finish.set()
    job.wait(30)
    assert job.seconds_left() is None


def test_job_keeps_its_error():
    def work(progress):
        raise RuntimeError("no openTSNE")

    job = Job(work)
    assert job.wait(30)
    assert isinstance(job.error, RuntimeError) and job.result is None


@pytest.mark.parametrize("fraction", [-1.0, 2.0])
def test_job_clamps_progress(fraction):
    job = Job(lambda progress: progress(fraction, "x"))
    job.wait(30)
    assert 0.0 <= job.fraction <= 1.0


def test_background_work_is_stopped_before_the_interpreter_exits():
    """A process that exits while a purification table measures and a job is mid-way ends
    cleanly: torch aborts ("terminate called without an active exception") when it is torn
    down under a thread that is still computing."""
    import subprocess
    import sys
    import textwrap

    from .conftest import ROOT

    script = textwrap.dedent(
        """
        import time
        import torch
        from explorer.classifier import load_classifier
        from explorer.config import ModelConfig
        from explorer.corrupt import AccuracyTable
        from explorer.jobs import Job
        from explorer.model import build_model

        model = build_model(ModelConfig(latent_dim=2, hidden_dims=(32,))).eval()
        images = torch.rand(300, 28, 28).numpy()
        table = AccuracyTable(model, load_classifier(), images, [0] * 300)
        table.want("gaussian", 0.5)
        table.start()

        def work(progress):
            x = torch.rand(300, 300)
            for i in range(100_000):
                x = torch.tanh(x @ x)
                progress(i / 100_000, "step")

        job = Job(work, name="busy")
        time.sleep(1.0)
        print("exiting", flush=True)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "exiting" in done.stdout and "terminate called" not in done.stderr


# ---------------------------------------------------------------- Queue
def test_queue_runs_one_job_at_a_time_newest_first_and_dedupes():
    from explorer.jobs import Queue

    gate, order, running = threading.Event(), [], []

    def work(name):
        def run(progress):
            running.append(name)
            assert len(running) == 1  # one at a time
            if name == "first":
                gate.wait(30)
            order.append(name)
            running.remove(name)
            return name.upper()

        return run

    queue = Queue("test queue")
    first = queue.get("a", work("first"))
    deadline = time.monotonic() + 30
    while not running and time.monotonic() < deadline:  # the worker took "first"
        time.sleep(0.01)
    older = queue.get("b", work("older"))
    newer = queue.get("c", work("newer"))
    assert queue.get("b", work("older again")) is older  # known key: the same job
    gate.set()
    for job in (first, older, newer):
        assert job.wait(30) and job.error is None
    # "older" was asked for again after "newer", so it is the most recently wanted
    assert order == ["first", "newer", "older"] or order == ["first", "older", "newer"]
    assert older.result == "OLDER" and queue.peek("c") is newer


def test_queue_drops_work_nobody_waits_for_and_restarts_it_when_asked_again():
    from explorer.jobs import Cancelled, Queue

    gate, started = threading.Event(), threading.Event()
    queue = Queue("test queue", forget_s=0.2)
    blocker = queue.get("block", lambda progress: started.set() or gate.wait(30))
    assert started.wait(30)
    stale = queue.get("stale", lambda progress: "done")
    time.sleep(0.5)  # nobody asks about "stale" meanwhile
    gate.set()
    assert blocker.wait(30) and stale.wait(30)
    assert isinstance(stale.error, Cancelled) and stale.result is None
    again = queue.get("stale", lambda progress: "done")  # asked again: computed now
    assert again is not stale and again.wait(30) and again.result == "done"


def test_queue_runs_lower_priority_first_and_a_running_job_gives_way():
    """Work a page waits for runs before follow-up work, and a running follow-up job stops
    at its next progress report when such work arrives; asked again, it starts over."""
    from explorer.jobs import Cancelled, Queue

    started, release, order = threading.Event(), threading.Event(), []

    def slow(progress):
        started.set()
        release.wait(30)
        progress(0.5, "")  # here it gives way
        order.append("slow")
        return "slow"

    queue = Queue("test queue")
    follow_up = queue.get("sampling", slow, priority=1)
    assert started.wait(30)
    urgent = queue.get("posterior", lambda progress: order.append("urgent") or "urgent")
    release.set()
    assert follow_up.wait(30) and isinstance(follow_up.error, Cancelled)
    assert urgent.wait(30) and urgent.result == "urgent"
    again = queue.get("sampling", lambda progress: order.append("again") or "again", priority=1)
    assert again is not follow_up and again.wait(30) and again.result == "again"
    assert order == ["urgent", "again"]


def test_queue_waits_while_busy_but_never_longer_than_hold_max():
    """Queued work waits for a script run in progress (`busy`) before it starts and at
    each progress report, at most `hold_max_s` each time."""
    from explorer.jobs import Queue

    busy, steps = threading.Event(), []

    def work(progress):
        steps.append(("start", busy.is_set()))
        progress(0.5, "half")
        steps.append(("half", busy.is_set()))
        return "done"

    queue = Queue("held", busy=busy.is_set, hold_max_s=30.0)
    busy.set()  # a run is answering a click
    job = queue.get("a", work)
    assert not job.wait(0.3) and not steps  # not started while the run goes on
    busy.clear()
    assert job.wait(30) and job.result == "done"
    assert steps == [("start", False), ("half", False)]

    stuck = Queue("always busy", busy=lambda: True, hold_max_s=0.05)
    assert stuck.get("b", work).wait(30)  # a steady stream of runs delays it, no more
