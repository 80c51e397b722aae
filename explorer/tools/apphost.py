"""Run the Streamlit app in a subprocess and read it from headless Chromium.

Shared by the browser tests (tests/test_browser.py) and the benchmark (explorer.bench):

    >>> from playwright.sync_api import sync_playwright
    >>> with AppServer(env={"EXPLORER_OFFLINE": "1"}) as app, sync_playwright() as pw:
    ...     browser = launch_chromium(pw)
    ...     page = browser.new_page()
    ...     page.goto(app.url + "/?model=vae-2d")
    ...     wait_idle(page)

For the latent map page: `wait_map_drawn`, `map_geometry` (plot area, axis ranges, click
grid and digit points), `empty_map_places` and `click_map` (click, wait for the new decoded
image, latency measured in the page); `measure_app_latency` times cold start and clicks
for `python -m explorer.bench`.

Only the standard library is imported at module level: Playwright, PIL and numpy are
imported inside the functions that need them, so `import explorer.tools.apphost` is cheap and
works where they are missing.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from playwright.sync_api import Browser, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]  # the repo root, where app.py lives
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
        self._log = tempfile.TemporaryFile(prefix="streamlit-", suffix=".log")  # noqa: SIM115
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


def screenshot(
    page: Page,
    name: str,
    directory: str | Path = ROOT / "test-artifacts" / "browser",
    full_page: bool = True,
):
    """PNG at `directory/name.png` (created) of the whole page, or with `full_page=False`
    of what the viewport shows (the first screen); returns its path."""
    path = Path(directory) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path


# ---------------------------------------------------------------- the latent map page
MAP_URL = "/?model=vae-2d"
GRID_TRACE = 10  # the map's click grid is its last trace (explorer.figures.GRID_CURVE)

# JS: the st.image of the decoded point on the latent map (its caption reads "... z = (...)"),
# as {img, caption}, or null before the first click.
_DECODED_JS = r"""
function decodedImage() {
  for (const box of document.querySelectorAll('[data-testid=stMain] [data-testid=stImage]')) {
    const cap = box.querySelector('[data-testid=stImageCaption]');
    const img = box.querySelector('img');
    if (img && cap && /z = \(/.test(cap.textContent)) return {img, caption: cap.textContent};
  }
  return null;
}
"""
# JS: true once the map's WebGL canvas holds coloured (digit) pixels, i.e. points are drawn.
_MAP_DRAWN_JS = r"""() => {
  const c = document.querySelector('.js-plotly-plot canvas.gl-canvas-context');
  if (!c || !c.width || !c.height) return false;
  const o = document.createElement('canvas');
  o.width = c.width; o.height = c.height;
  const g = o.getContext('2d');
  g.drawImage(c, 0, 0);
  const d = g.getImageData(0, 0, o.width, o.height).data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0 && Math.abs(d[i] - d[i + 2]) > 40) return true;  // a colour, not grey
  }
  return false;
}"""
# JS: arm a one-shot measurement of the next click: mousedown time and the time the decoded
# image with a src other than `old` has loaded (performance.now() milliseconds).
_ARM_CLICK_JS = (
    "(old) => {"
    + _DECODED_JS
    + r"""
  const st = window.__mapClick = {down: null, shown: null, src: null, caption: null};
  window.addEventListener('mousedown', () => { if (st.down === null) st.down = performance.now(); },
                          {capture: true, once: true});
  const check = () => {
    if (st.shown !== null) return;
    const d = decodedImage();
    if (d && d.img.getAttribute('src') !== old && d.img.complete && d.img.naturalWidth > 0) {
      st.shown = performance.now();
      st.src = d.img.getAttribute('src');
      st.caption = d.caption;
      document.removeEventListener('load', check, true);
      mo.disconnect();
    }
  };
  const mo = new MutationObserver(check);
  mo.observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['src']});
  document.addEventListener('load', check, true);  // <img> load events reach capture listeners
}"""
)


@dataclass(frozen=True)
class MapGeometry:
    """Where the latent map's plot area is in the viewport (CSS px) and what it shows."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    grid: tuple[tuple[float, float], ...]  # the click grid's points, data coordinates
    digits: tuple[tuple[float, float], ...]  # every encoded digit's point

    def to_data(self, px: float, py: float) -> tuple[float, float]:
        """Viewport pixel -> data coordinates under it."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return (
            x0 + (px - self.left) / self.width * (x1 - x0),
            y1 - (py - self.top) / self.height * (y1 - y0),
        )

    def to_pixel(self, x: float, y: float) -> tuple[float, float]:
        """Data coordinates -> viewport pixel."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return (
            self.left + (x - x0) / (x1 - x0) * self.width,
            self.top + (y1 - y) / (y1 - y0) * self.height,
        )

    @property
    def grid_step(self) -> tuple[float, float]:
        """Spacing of the click grid along x and y (data units)."""
        steps = []
        for axis in (0, 1):
            values = sorted({round(p[axis], 6) for p in self.grid})
            steps.append(min(b - a for a, b in zip(values, values[1:])))
        return steps[0], steps[1]


@dataclass(frozen=True)
class MapClick:
    """One click on the latent map: where, and what the page showed afterwards."""

    latency: float  # seconds from mousedown to the new decoded image loaded
    z: tuple[float, ...]  # the coordinates in the caption "decoded at z = (...)"
    caption: str
    src: str  # the decoded image's URL (/media/...)


def wait_map_drawn(page: Page, timeout: float = 60.0) -> None:
    """Wait until the latent map's digit points are drawn (coloured pixels in its canvas)."""
    page.wait_for_function(_MAP_DRAWN_JS, timeout=timeout * 1000, polling=50)


def map_geometry(page: Page) -> MapGeometry:
    """Scroll the latent map (the page's first Plotly chart) into view and read its plot
    area, axis ranges, click grid and digit points."""
    drag = page.locator(".js-plotly-plot .nsewdrag").first
    drag.scroll_into_view_if_needed()
    box = drag.bounding_box()
    if box is None:
        raise RuntimeError("the latent map's plot area is not displayed")
    info = page.evaluate(
        """() => {
          const gd = document.querySelector('.js-plotly-plot'), fl = gd._fullLayout;
          return {x: fl.xaxis.range, y: fl.yaxis.range,
                  traces: gd._fullData.map(t => [Array.from(t.x || []), Array.from(t.y || [])])};
        }"""
    )
    points = [tuple(zip(x, y)) for x, y in info["traces"]]
    return MapGeometry(
        left=box["x"],
        top=box["y"],
        width=box["width"],
        height=box["height"],
        x_range=(float(info["x"][0]), float(info["x"][1])),
        y_range=(float(info["y"][0]), float(info["y"][1])),
        grid=points[GRID_TRACE],
        digits=tuple(p for i, trace in enumerate(points) if i != GRID_TRACE for p in trace),
    )


def empty_map_places(
    page: Page, geometry: MapGeometry, n: int, min_px: float = 30.0, offset_px: float = 1.5
) -> list[tuple[float, float]]:
    """`n` viewport pixels on the latent map, each `offset_px` beside a different click-grid
    point that is at least `min_px` from every digit dot and not covered by anything (the
    mode bar, the legend), spread out by farthest-point sampling from the corner farthest
    from the data. A click there selects that grid point. Fewer when fewer qualify."""
    import numpy as np

    grid_px = np.array([geometry.to_pixel(x, y) for x, y in geometry.grid]).reshape(-1, 2)
    digits_px = np.array([geometry.to_pixel(x, y) for x, y in geometry.digits]).reshape(-1, 2)
    inside = (
        (grid_px[:, 0] > geometry.left + 4)
        & (grid_px[:, 0] < geometry.left + geometry.width - 4)
        & (grid_px[:, 1] > geometry.top + 4)
        & (grid_px[:, 1] < geometry.top + geometry.height - 4)
    )
    gap = np.full(len(grid_px), np.inf)  # pixels from each grid point to the nearest digit
    for chunk in np.array_split(np.arange(len(grid_px)), max(1, len(grid_px) // 256)):
        if len(digits_px):
            d = np.linalg.norm(grid_px[chunk, None, :] - digits_px[None, :, :], axis=2)
            gap[chunk] = d.min(axis=1)
    candidates = grid_px[inside & (gap >= min_px)] + offset_px
    hits = page.evaluate(
        """(pts) => pts.map(([x, y]) => {
             const e = document.elementFromPoint(x, y);
             return !!(e && e.classList.contains('nsewdrag'));
           })""",
        candidates.tolist(),
    )
    candidates = candidates[np.asarray(hits, dtype=bool)]
    if not len(candidates):
        return []
    centre = digits_px.mean(axis=0) if len(digits_px) else candidates.mean(axis=0)
    chosen = [int(np.argmax(np.linalg.norm(candidates - centre, axis=1)))]
    dist = np.linalg.norm(candidates - candidates[chosen[0]], axis=1)
    while len(chosen) < min(n, len(candidates)):
        nxt = int(np.argmax(dist))
        chosen.append(nxt)
        dist = np.minimum(dist, np.linalg.norm(candidates - candidates[nxt], axis=1))
    return [(float(x), float(y)) for x, y in candidates[chosen]]


def decoded_src(page: Page) -> str | None:
    """The src of the latent map's decoded image, None before the first click."""
    return page.evaluate("() => {" + _DECODED_JS + "const d = decodedImage(); "
                         "return d ? d.img.getAttribute('src') : null; }")  # fmt: skip


def parse_z(caption: str) -> tuple[float, ...]:
    """'decoded at z = (1.0000, -0.5000)' -> (1.0, -0.5)."""
    import re

    m = re.search(r"z = \(([^)]*)\)", caption)
    if m is None:
        raise ValueError(f"no 'z = (...)' in {caption!r}")
    return tuple(float(v) for v in m.group(1).replace("…", "").split(",") if v.strip())


def click_map(page: Page, px: float, py: float, timeout: float = 60.0) -> MapClick:
    """Click the latent map at viewport pixel (px, py) and wait until a new decoded image
    (another src than before) has loaded; the latency is measured in the page, from the
    mousedown event to the image's load.

    Plotly takes two mousedowns within its double-click delay (300 ms), even at different
    places, for a double click, which resets the axes: so this first waits until the
    previous click is longer ago than that."""
    page.wait_for_function(
        """() => {
          const last = window.__mapClick, gd = document.querySelector('.js-plotly-plot');
          const delay = (gd && gd._context && gd._context.doubleClickDelay) || 300;
          return !last || last.down === null || performance.now() - last.down > delay + 200;
        }""",
        timeout=timeout * 1000,
        polling=50,
    )
    page.evaluate(_ARM_CLICK_JS, decoded_src(page))
    page.mouse.click(px, py)
    page.wait_for_function(
        "() => window.__mapClick && window.__mapClick.shown !== null",
        timeout=timeout * 1000,
        polling=20,
    )
    r = page.evaluate("() => window.__mapClick")
    latency = (r["shown"] - r["down"]) / 1000.0
    return MapClick(latency, parse_z(r["caption"]), r["caption"], r["src"])


def measure_app_latency(clicks: int = 30, env: dict | None = None) -> tuple[float, list[float]]:
    """Cold start and click latency of the latent map, in real headless Chromium.

    cold: seconds from launching the server process (`AppServer.started_at`) until the
    latent map of vae-2d is drawn in the browser (its digit points are on the canvas); run
    with the checkpoints and projection cache as they are. latencies: for each of `clicks`
    clicks at distinct empty places of the map, seconds from the mousedown to the new
    decoded image loaded. `env` is added to the server's environment; by default
    EXPLORER_OFFLINE=1, so the measurement never waits for a download.
    """
    from playwright.sync_api import sync_playwright

    env = {"EXPLORER_OFFLINE": "1"} if env is None else env
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto("about:blank")  # the browser is up before the clock starts
            with AppServer(env=env) as app:
                page.goto(app.url + MAP_URL)
                wait_map_drawn(page, timeout=120.0)
                cold = time.perf_counter() - app.started_at
                wait_idle(page, timeout=120.0)
                places = empty_map_places(page, map_geometry(page), clicks)
                if len(places) < clicks:
                    raise RuntimeError(f"only {len(places)} empty places on the map for {clicks}")
                latencies = [click_map(page, x, y, timeout=120.0).latency for x, y in places]
        finally:
            browser.close()
    return cold, latencies


LIVE_STATUS = ".st-key-live-status"  # the Train live page's state line (pages/train_live.py)
LIVE_STEP = re.compile(r"(?:step|스텝) ([\d,]+)")


def live_status(page: Page) -> str:
    """The Train live page's state line as shown ("" before a run)."""
    box = page.locator(LIVE_STATUS)
    return box.first.inner_text() if box.count() else ""


def live_step(page: Page) -> int | None:
    """The step the Train live page's state line shows, if any."""
    found = LIVE_STEP.search(live_status(page))
    return int(found.group(1).replace(",", "")) if found else None


def measure_live_run(
    env: dict | None = None,
    watch: float = 40.0,
    shots: Path | None = None,
    longest: bool = False,
) -> dict[str, float | None]:
    """Open the Train live page in Chromium, press Start, and time (from the click) the
    first recorded step on screen and the state line saying the clusters formed (5-NN of
    the watched codes >= live.CLUSTER_KNN). Then a second browser opens the page from a
    second app process (as behind the README's nginx: the two share only the run's
    folder), the first pauses the run, and both steps shown are read (`shots`: both tabs'
    screenshots go there). The run is stopped at the end. `longest`: the Epochs slider
    is moved to its end first (on the offline sample the default run ends in seconds)."""
    from playwright.sync_api import sync_playwright

    live_dir = tempfile.mkdtemp(prefix="bench-live-")
    out: dict[str, float | None] = {"first_step": None, "clusters": None}
    env = {"EXPLORER_LIVE_DIR": live_dir, **(env or {})}
    with AppServer(env=env) as app, AppServer(env=env) as app2, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(f"{app.url}/train_live?lang=en")
        wait_idle(page, timeout=180)
        if longest:
            page.locator(".st-key-live-settings button").first.click()
            page.locator(".st-key-live-epochs input[type=range]").press("End")
            wait_idle(page)
            page.keyboard.press("Escape")
        page.locator(".st-key-live-start button").click()
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < watch:
            text = live_status(page)
            if out["first_step"] is None and live_step(page) is not None:
                out["first_step"] = time.perf_counter() - t0
            if "clusters at" in text:
                out["clusters"] = time.perf_counter() - t0
                break
            page.wait_for_timeout(100)
        other = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        other.goto(f"{app2.url}/train_live?lang=ko")
        wait_idle(other, timeout=120)
        pause = page.locator(".st-key-live-pause button")
        if pause.is_enabled():  # (a run may have ended already)
            pause.click()
        # both tabs redraw twice a second; on a busy machine a tab may lag a few redraws
        deadline = time.perf_counter() + 20
        while True:
            page.wait_for_timeout(500)
            out["step_owner"], out["step_watcher"] = live_step(page), live_step(other)
            same = out["step_owner"] == out["step_watcher"] and "Paused" in live_status(page)
            if same or time.perf_counter() > deadline:
                break
        out["exceptions"] = page.locator(EXCEPTION).count() + other.locator(EXCEPTION).count()
        out["maps"] = page.locator(".st-key-lesson-figure .js-plotly-plot").count()
        if shots is not None:
            screenshot(page, "train_live-owner-en-1280x720", directory=shots, full_page=False)
            screenshot(other, "train_live-watcher-ko-1280x720", directory=shots, full_page=False)
        stop = page.locator(".st-key-live-stop button")
        if stop.is_enabled():
            stop.click()
            page.wait_for_timeout(1500)
        browser.close()
    return out


def measure_hover_decode(moves: int = 200, env: dict | None = None) -> dict[str, float]:
    """The latent map's live decoding in real headless Chromium: `moves` pointer moves
    over the plane of vae-2d, each decoded in the page on the next animation frame.

    Returns the page's own timings (milliseconds): `median` / `max` decode time of the last
    frames, `loop` (a tight loop of 300 decodes, per decode), `unpack` (weights unpacked
    once) and `dots` (10,000 points drawn), plus `frames` decoded for the moves.
    """
    import random

    from playwright.sync_api import sync_playwright

    env = {"EXPLORER_OFFLINE": "1"} if env is None else env
    with AppServer(env=env) as app, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(app.url + MAP_URL + "&live=1")
            root = page.locator(".hd-root")  # CSS locators pierce the component's shadow root
            root.wait_for(timeout=120_000)
            page.wait_for_function(
                "el => el.dataset.ready === '1'", arg=root.element_handle(), timeout=120_000
            )
            box = root.locator("canvas.hd-overlay").bounding_box()
            rng = random.Random(0)
            for _ in range(moves):
                x = box["x"] + rng.uniform(0.05, 0.95) * box["width"]
                y = box["y"] + rng.uniform(0.05, 0.95) * box["height"]
                page.mouse.move(x, y)
            page.wait_for_timeout(200)  # the last move's frame
            stats = root.evaluate("el => el.hoverDecoder.stats()")
            loop = root.evaluate("el => el.hoverDecoder.benchmark(300)")
        finally:
            browser.close()
    return {
        "median": stats["median"],
        "max": stats["max"],
        "frames": stats["frames"],
        "moves": stats["moves"],
        "loop": loop,
        "unpack": stats["unpackMs"],
        "dots": stats["dotsMs"],
    }
