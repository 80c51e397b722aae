"""A long computation in a background thread, with a progress reading a page can poll.

The app starts a t-SNE of a new checkpoint's test latents this way: the script run that
asks for it finishes at once (the rest of the page stays usable) and a small fragment
polls `fraction`, `message` and `seconds_left()` until the job is `done`. No Streamlit
here: the work runs with no script-run context and must not call `st.*`.

Background threads started here (`background`) are stopped before the interpreter exits:
torch aborts the process ("terminate called without an active exception") when it is
torn down under a thread that is still computing. At exit `stopping()` turns true, a
`Job`'s next progress report raises `Cancelled`, loops that check `stopping()` end, and
each thread is given `EXIT_WAIT_S` seconds to finish.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]  # progress(fraction in [0, 1], message)
EXIT_WAIT_S = 60.0  # per thread: a t-SNE stops at its next progress report, within seconds

_stopping = threading.Event()
_threads: set[threading.Thread] = set()
_threads_lock = threading.Lock()


class Cancelled(Exception):
    """Raised inside background work when the process is exiting."""


def stopping() -> bool:
    """True once the interpreter is exiting: background loops should return."""
    return _stopping.is_set()


def background(target: Callable[[], None], name: str) -> threading.Thread:
    """Start `target()` in a daemon thread that is stopped and joined at exit."""

    def run() -> None:
        try:
            target()
        finally:
            with _threads_lock:
                _threads.discard(threading.current_thread())

    thread = threading.Thread(target=run, name=name, daemon=True)
    with _threads_lock:
        _threads.add(thread)
    thread.start()
    return thread


@atexit.register
def _stop_background_work() -> None:
    _stopping.set()
    with _threads_lock:
        running = list(_threads)
    for thread in running:
        thread.join(EXIT_WAIT_S)


class Job:
    """`work(progress)` running in a daemon thread; `result` or `error` once `done`."""

    def __init__(self, work: Callable[[Progress], Any], name: str = "job", start: bool = True):
        """Starts its own thread; with start=False it waits for `run_here()` (a `Queue`'s
        worker runs it)."""
        self.name = name
        self.fraction, self.message = 0.0, ""
        self.result: Any = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self.asked = self.started  # when a page last asked for it (a Queue drops stale ones)
        self.running = start  # False while it waits in a Queue
        self.priority = 0  # in a Queue: lower runs first
        self.give_way: Callable[[], bool] | None = None  # in a Queue: stop at the next report
        self.hold: Callable[[], None] | None = None  # in a Queue: may pause at each report
        self._work = work
        self._first: tuple[float, float] | None = None  # (time, fraction) of the first step > 0
        self._done = threading.Event()
        if start:
            background(lambda: self._run(work), name)

    def run_here(self) -> None:
        """Run the work in the calling thread (a queue's worker)."""
        self.started = time.monotonic()
        self.running = True
        self._run(self._work)

    def _run(self, work: Callable[[Progress], Any]) -> None:
        try:
            self.result = work(self._progress)
        except Cancelled as exc:
            self.error = exc
        except BaseException as exc:  # reported to the page that polls the job
            log.exception("%s failed", self.name)
            self.error = exc
        finally:
            self._work = None  # drop what the closure holds (models, images)
            self._done.set()

    def _progress(self, fraction: float, message: str) -> None:
        if stopping():
            raise Cancelled(f"{self.name}: the process is exiting")
        if self.give_way is not None and self.give_way():
            raise Cancelled(f"{self.name}: gave way to work a page is waiting for")
        if self.hold is not None:
            self.hold()
        fraction = min(max(float(fraction), 0.0), 1.0)
        if self._first is None and fraction > 0:
            self._first = (time.monotonic(), fraction)
        self.fraction, self.message = fraction, message

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job is done (True) or `timeout` seconds pass (False)."""
        return self._done.wait(timeout)

    def seconds_left(self) -> float | None:
        """Remaining seconds at the pace since the first progress step past 0, or None
        before there is a pace to go by (the steps are assumed to cost alike)."""
        if self._first is None or self.done:
            return None
        t1, f1 = self._first
        if self.fraction <= f1:
            return None
        rate = (self.fraction - f1) / max(time.monotonic() - t1, 1e-9)
        return (1.0 - self.fraction) / rate


class Queue:
    """Jobs run one at a time in one background thread, the most recently asked-for first.

    For work a page asks for on a click (a new digit's bound, the next random draw): the
    script run returns at once and polls. Asking again for a known key returns the same job
    (running, waiting or done) and marks it wanted; a waiting job that no page has asked
    about for `forget_s` seconds is dropped unstarted (its page moved on), and only the
    last `keep` finished jobs are remembered. One thread, so a class clicking through
    digits queues work instead of running it all at once on two cores.

    Lower `priority` runs first (then the most recently asked-for). A running job gives
    way at its next progress report (it ends Cancelled; asked for again, it starts over)
    when a job of lower priority waits, or when nobody has asked about it for
    `yield_after_s` seconds while another job waits: a page that moved to another digit
    does not wait behind the old digit's work.

    `busy()`, if given, says that something more urgent than queued work is running (the
    app: a script run answering a click). Before a job starts and at each of its progress
    reports the worker then waits until it is not, but at most `hold_max_s` each time,
    so that a click's run has the cores to itself while the queue still moves on under
    a steady stream of clicks.
    """

    def __init__(
        self,
        name: str,
        forget_s: float = 20.0,
        keep: int = 64,
        yield_after_s: float = 2.5,
        busy: Callable[[], bool] | None = None,
        hold_max_s: float = 0.5,
    ):
        self.name, self.forget_s, self.keep = name, forget_s, keep
        self.yield_after_s = yield_after_s
        self.busy, self.hold_max_s = busy, hold_max_s
        self._jobs: dict[Any, Job] = {}  # insertion order: oldest first
        self._lock = threading.Condition()
        self._worker: threading.Thread | None = None

    def get(
        self, key: Any, work: Callable[[Progress], Any], name: str = "", priority: int = 0
    ) -> Job:
        """The job for `key`: the known one, or a new one running `work(progress)`."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or (job.done and isinstance(job.error, Cancelled)):
                job = Job(work, name=name or f"{self.name} {key!r}", start=False)
                job.priority = priority
                job.give_way = lambda job=job: self._should_give_way(job)
                job.hold = self._hold
                self._jobs[key] = job
                self._trim()
            job.priority = min(job.priority, priority)  # a prefetch a page now waits for
            job.asked = time.monotonic()
            if self._worker is None or not self._worker.is_alive():
                self._worker = background(self._serve, self.name)
            self._lock.notify()
            return job

    def peek(self, key: Any) -> Job | None:
        """The job for `key` if there is one, without starting anything."""
        with self._lock:
            return self._jobs.get(key)

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.done]
        for k in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[k]

    def _next(self) -> Job | None:
        """The most recently asked-for waiting job; drops the stale ones (lock held)."""
        now = time.monotonic()
        waiting = [j for j in self._jobs.values() if not j.done and j._work is not None]
        for j in waiting:
            if now - j.asked > self.forget_s:
                j.error = Cancelled(f"{j.name}: nobody asked for it for {self.forget_s:.0f} s")
                j._work = None
                j._done.set()
        live = [j for j in waiting if not j.done]
        return min(live, key=lambda j: (j.priority, -j.asked)) if live else None

    def _should_give_way(self, running: Job) -> bool:
        """Whether `running` should stop for a waiting job (see the class docstring)."""
        now = time.monotonic()
        with self._lock:
            waiting = [
                j
                for j in self._jobs.values()
                if j is not running and not j.done and j._work is not None
                and now - j.asked <= self.forget_s
            ]  # fmt: skip
        if any(j.priority < running.priority for j in waiting):
            return True
        return bool(waiting) and now - running.asked > self.yield_after_s

    def _hold(self) -> None:
        """Wait while `busy()`, at most `hold_max_s` seconds (in the worker thread)."""
        if self.busy is None:
            return
        deadline = time.monotonic() + self.hold_max_s
        while self.busy() and time.monotonic() < deadline and not stopping():
            time.sleep(0.01)

    def _serve(self) -> None:
        while not stopping():
            with self._lock:
                job = self._next()
                if job is None:
                    self._lock.wait(1.0)
                    continue
            self._hold()
            job.run_here()
