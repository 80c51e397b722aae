"""Run the Streamlit app in a subprocess and read it from headless Chromium.

Shared by the browser tests (tests/test_browser.py) and the benchmark (explorer.bench):

    >>> from playwright.sync_api import sync_playwright
    >>> with AppServer(env={"EXPLORER_OFFLINE": "1"}) as app, sync_playwright() as pw:
    ...     browser = launch_chromium(pw)
    ...     page = browser.new_page()
    ...     page.goto(app.url + "/?model=vae-2d")
    ...     wait_idle(page)

Only the standard library is imported at module level: Playwright, PIL and numpy are
imported inside the functions that need them, so `import explorer.apphost` is cheap and
works where they are missing.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from playwright.sync_api import Browser, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent  # the repo root, where app.py lives
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Streamlit's "Running..." indicator in the top-right toolbar, present only during a run.
RUNNING = "[data-testid=stStatusWidget]"
EXCEPTION = "[data-testid=stException]"


def free_port() -> int:
    """A TCP port that is free on localhost right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """`streamlit run app.py` on a free port, as a context manager.

    Entering starts the server in its own process group, with this process's environment
    plus `env`, and returns once `/_stcore/health` answers "ok". Its output goes to a temp
    log file (`output()`), never a pipe that could fill up and block it. Exiting stops the
    whole process group: SIGTERM, then SIGKILL after `stop_grace` seconds.
    `started_at` / `ready_at` are `time.perf_counter()` readings just before launch and
    when the health check first passed.
    """

    def __init__(
        self,
        env: dict[str, str] | None = None,
        port: int | None = None,
        timeout: float = 120.0,
        script: str = "app.py",
        cwd: str | Path = ROOT,
        extra_args: tuple[str, ...] = (),
        stop_grace: float = 5.0,
    ):
        self.env, self.port, self.timeout = dict(env or {}), port or free_port(), timeout
        self.script, self.cwd, self.extra_args = script, Path(cwd), tuple(extra_args)
        self.stop_grace = stop_grace
        self.proc: subprocess.Popen | None = None
        self.started_at: float | None = None
        self.ready_at: float | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]  # fmt: skip

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        """Launch the server and wait until it is healthy; RuntimeError with its output if
        it exits first or is not healthy within `timeout` seconds."""
        self._log = tempfile.TemporaryFile(prefix="streamlit-", suffix=".log")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: stop() reaches any children too
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        self.ready_at = time.perf_counter()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.proc.returncode} before it was healthy; "
                    f"its output:\n{self.output()}"
                )
            if self.healthy():
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"streamlit on port {self.port} not healthy after {self.timeout:.0f} s; "
                    f"its output:\n{self.output()}"
                )
            time.sleep(0.2)

    def healthy(self) -> bool:
        """True when GET /_stcore/health answers "ok"."""
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                return r.status == 200 and r.read().strip() == b"ok"
        except (OSError, urllib.error.URLError):
            return False

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr interleaved)."""
        if self._log is None or self._log.closed:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server's process group (idempotent)."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            _signal_group(proc.pid, signal.SIGTERM)
            try:
                proc.wait(self.stop_grace)
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                proc.wait(self.stop_grace)
        if self._log is not None:
            self.last_output = self.output()
            self._log.close()


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


# ---------------------------------------------------------------- the browser side
def launch_chromium(playwright: Playwright, **kwargs) -> Browser:
    """Headless system Chromium (`CHROMIUM`); Playwright's own browsers are not needed."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS), **kwargs
    )


def wait_idle(page: Page, timeout: float = 60.0, settle: float = 0.3) -> None:
    """Wait until the app has finished its run: the page is connected, no "running"
    indicator is shown, and that stays so for `settle` seconds (a rerun can start
    right after a click, a moment after the indicator was last absent)."""
    page.wait_for_selector("[data-testid=stApp]", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while True:
        page.wait_for_function(
            f"() => !document.querySelector({RUNNING!r})",
            timeout=max(deadline - time.monotonic(), 0.1) * 1000,
        )
        page.wait_for_timeout(settle * 1000)
        if page.locator(RUNNING).count() == 0:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app was still running after {timeout:.0f} s")


def image_bytes(page: Page, img: Locator) -> bytes:
    """The bytes behind an `<img>` (Streamlit serves st.image under /media/...), fetched
    through the page's own cookies; data: URIs are decoded in place."""
    src = img.get_attribute("src")
    if src is None:
        raise ValueError("the <img> has no src")
    return data_uri_bytes(src) if src.startswith("data:") else url_bytes(page, src)


def url_bytes(page: Page, src: str) -> bytes:
    """GET a URL relative to the page (through the page's context) and return the body."""
    from urllib.parse import urljoin

    response = page.request.get(urljoin(page.url, src))
    if not response.ok:
        raise RuntimeError(f"GET {src}: HTTP {response.status}")
    return response.body()


def data_uri_bytes(uri: str) -> bytes:
    """'data:image/png;base64,...' -> the decoded bytes."""
    import base64

    header, _, payload = uri.partition(",")
    if not header.endswith(";base64"):
        raise ValueError(f"not a base64 data URI: {header[:40]!r}")
    return base64.b64decode(payload)


def png_array(data: bytes) -> np.ndarray:
    """PNG (or any PIL-readable) bytes -> grayscale float32 array (H, W) in [0, 1]."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("L"), dtype=np.float32) / 255.0


def downsample(img: np.ndarray, scale: int) -> np.ndarray:
    """Undo a nearest-neighbour upscale by `scale`: (H*s, W*s) -> (H, W), the centre pixel
    of each block."""
    return img[scale // 2 :: scale, scale // 2 :: scale]


def screenshot(page: Page, name: str, directory: str | Path = ROOT / "test-artifacts" / "browser"):
    """Full-page PNG at `directory/name.png` (created); returns its path."""
    path = Path(directory) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
