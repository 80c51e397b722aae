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

    def __init__(self, work: Callable[[Progress], Any], name: str = "job"):
        self.name = name
        self.fraction, self.message = 0.0, ""
        self.result: Any = None
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self._first: tuple[float, float] | None = None  # (time, fraction) of the first step > 0
        self._done = threading.Event()
        self._thread = background(lambda: self._run(work), name)

    def _run(self, work: Callable[[Progress], Any]) -> None:
        try:
            self.result = work(self._progress)
        except Cancelled as exc:
            self.error = exc
        except BaseException as exc:  # reported to the page that polls the job
            log.exception("%s failed", self.name)
            self.error = exc
        finally:
            self._done.set()

    def _progress(self, fraction: float, message: str) -> None:
        if stopping():
            raise Cancelled(f"{self.name}: the process is exiting")
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
