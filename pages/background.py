"""Work of a second or more, computed off the script run so that a click answers at once.

A page asks `result(key, work, text)`: the finished result when there is one, else None
after queueing `work` (once per key, process-wide) and drawing a progress bar that polls
it and reruns the page when it is done. `prefetch(key, work)` queues work a page will
probably ask for next (the next random draw), without drawing anything.

Everything runs in one background thread per process (`explorer.jobs.Queue`): what a page
waits for first (then its follow-up work, then prefetches), the newest request first within
each, so a student clicking through digits queues work instead of piling it on two cores;
work nobody waits for any more is dropped before it starts or gives way while it runs.

With `EXPLORER_INLINE_JOBS=1` (the test suite sets it) the work runs inside the script
run instead, so AppTest sees the finished page in one run and every exception.

Not a page: pages import it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from typing import Any

import streamlit as st

from explorer.jobs import Cancelled, Job, Progress, Queue
from pages import language, progress
from pages.texts.common import CATALOG as COMMON

INLINE_ENV = "EXPLORER_INLINE_JOBS"


def inline() -> bool:
    """True when work runs inside the script run (tests)."""
    return os.environ.get(INLINE_ENV, "") not in ("", "0")


@st.cache_resource(show_spinner=False)
def _runs() -> list:
    """[number of script runs in progress in this process, its lock]."""
    return [0, threading.Lock()]


@contextlib.contextmanager
def answering() -> Iterator[None]:
    """Marks a script run in progress (app.py wraps each run in it): queued work waits
    for it to finish, up to half a second at a time (`Queue.busy`), so that a click's
    run does not share the two cores with the work it queued."""
    runs = _runs()
    with runs[1]:
        runs[0] += 1
    try:
        yield
    finally:
        with runs[1]:
            runs[0] -= 1


@st.cache_resource(show_spinner=False)
def _queue() -> Queue:
    runs = _runs()
    return Queue("page work", busy=lambda: runs[0] > 0)


@st.cache_resource(show_spinner=False, max_entries=256)
def _inline_result(key: Hashable, _work: Callable[[Progress], Any]) -> Any:
    return _work(lambda fraction, message: None)


def ready(key: Hashable) -> Any | None:
    """The finished result for `key`, or None; starts nothing."""
    if inline():
        return None
    job = _queue().peek(key)
    return job.result if job is not None and job.done and job.error is None else None


PREFETCH = 9  # queue priority of work no page waits for yet: after everything else


def prefetch(key: Hashable, work: Callable[[Progress], Any]) -> None:
    """Queue `work` for `key` unless it is known: the page will probably ask for it next.
    It runs when nothing a page waits for is queued, and gives way to such work."""
    if not inline():
        _queue().get(key, work, priority=PREFETCH)


def result(
    key: Hashable,
    work: Callable[[Progress], Any],
    text: str,
    where: Any = None,
    priority: int = 0,
) -> Any | None:
    """The result of `work(progress)` for `key`, or None while it is computed in the
    background; meanwhile a progress bar (labelled `text`, with the work's own messages)
    is drawn in `where` (default: here) and the page reruns when the work is done. A
    failure is shown as a warning (once per run) and gives None. Lower `priority` runs
    first: a page's first result before its follow-up work."""
    if inline():
        return _inline_result(key, work)
    queue = _queue()
    job = queue.get(key, work, priority=min(priority, PREFETCH - 1))
    if job.done and isinstance(job.error, Cancelled):  # dropped or gave way: again
        job = queue.get(key, work, priority=min(priority, PREFETCH - 1))
    if job.done and job.error is None:
        return job.result
    where = where if where is not None else st.container()
    with where:
        if job.done:
            t = language.translator(COMMON)
            st.warning(t("work_failed", error=f"{type(job.error).__name__}: {job.error}"))
            return None
        progress.progress_until(lambda: job.done, lambda: _reading(job, text))
    return None


def _reading(job: Job, text: str) -> tuple[float, str]:
    """(fraction, label) of a job a page is waiting for; marks it still wanted."""
    job.asked = time.monotonic()
    t = language.translator(COMMON)
    if not job.running:
        return 0.0, f"{text} {t('work_queued')}"
    label = f"{text} {job.message}".strip()
    left = job.seconds_left()
    return job.fraction, label + (t("tsne_left", s=max(left, 1.0)) if left is not None else "")
