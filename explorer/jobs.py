"""A long computation in a background thread, with a progress reading a page can poll.

The app starts a t-SNE of a new checkpoint's test latents this way: the script run that
asks for it finishes at once (the rest of the page stays usable) and a small fragment
polls `fraction`, `message` and `seconds_left()` until the job is `done`. No Streamlit
here: the work runs with no script-run context and must not call `st.*`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]  # progress(fraction in [0, 1], message)


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
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[Progress], Any]) -> None:
        try:
            self.result = work(self._progress)
        except BaseException as exc:  # reported to the page that polls the job
            log.exception("%s failed", self.name)
            self.error = exc
        finally:
            self._done.set()

    def _progress(self, fraction: float, message: str) -> None:
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
