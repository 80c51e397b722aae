"""A classroom against one app: concurrent student sessions over Streamlit's own protocol.

    python -m explorer.loadtest --sessions 30 --seconds 60             # one app process
    python -m explorer.loadtest --sessions 30 --seconds 60 --backends 2  # two, behind nginx
    python -m explorer.loadtest --print-nginx-config 8501,8502         # the nginx site
    python -m explorer.loadtest --train-live     # while a live run trains (explorer.live)
    python -m explorer.loadtest --map-only       # every student keeps clicking the map

Each simulated student is what a browser tab is to the server: a websocket on
`/_stcore/stream` speaking Streamlit's protobuf messages (BackMsg / ForwardMsg), plus HTTP
GETs of the images and downloads under `/media/`. It opens the latent map of vae-2d and
clicks it once (the click grid's selection event the browser would send, a fragment rerun,
then the decoded image's GET); then for the whole run it wanders: now and then it opens
another page of the navigation (every page, equally likely), and otherwise it uses a
control of the page it is on, chosen at random among those the page sent: a button, a
toggle, a radio or select option, a slider or number input set to a random step, a
segmented control, a multiselect, a download (fetched), or on the map a click. It sends
each widget value as the browser does (`WidgetState`: option labels, slider numbers) and
waits for the run to finish, fetching the images it shows. What only a browser can drive
(file uploads, drawing and hover components) is left out. Each session connects from its
own loopback address (127.0.0.2, 127.0.0.3, ...), as students on their own laptops do, so
a proxy that is sticky by client address spreads them.

A real browser tab costs the *client* machine a WebGL canvas of 10,000 points; thirty of
them in one headless Chromium on this 2-core machine would measure Chromium, not the app.
The protocol client costs almost nothing, so the server gets the whole machine, and the
optional `--observer` adds one real Chromium tab clicking the same map meanwhile, to show
what a student sees under that load.

Measured: click -> decoded image bytes received (p50 / p95), widget -> run finished and
its images received (p50 / p95, and per page), page opens, errors (exceptions on a page,
protocol failures, failed GETs, timeouts: must be 0), server memory (RSS) per session and
CPU use, per backend. Each app process is first warmed by one session that opens every
page once (models, data and figures loaded), as a lecturer's run-through before class.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from explorer.tools.apphost import AppServer, free_port
from explorer.tools.report import percentile, table

MAP_QUERY = "model=vae-2d"
# The live-training page's controls that are the lecturer's (explorer.live): students
# watch a run; `--train-live` starts one, as the lecturer, before the class arrives.
LECTURER_ONLY = (
    "live.start",
    "live.pause",
    "live.stop",
    "live.save",
    "live.overwrite",
    "live.key_input",
)
GRID_TRACE = 10  # the latent map's click grid (explorer.figures.GRID_CURVE)
RUN_TIMEOUT = 60.0  # seconds a page run or a click may take before it counts as an error


@dataclass
class Stats:
    """What one session (or, merged, the whole class) measured."""

    clicks: list[float] = field(default_factory=list)  # seconds, click -> image received
    pages: list[float] = field(default_factory=list)  # seconds, page open -> run finished
    actions: list[tuple[str, str, float]] = field(default_factory=list)  # (page, widget, s)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: Stats) -> None:
        self.clicks += other.clicks
        self.pages += other.pages
        self.actions += other.actions
        self.errors += other.errors

    def by_page(self) -> dict[str, list[float]]:
        """Widget action seconds per page (url path; "" is the latent map)."""
        out: dict[str, list[float]] = {}
        for page, _, seconds in self.actions:
            out.setdefault(page, []).append(seconds)
        return out


class ProtocolError(RuntimeError):
    """The app answered something a browser would show as broken."""


class Session:
    """One browser tab's worth of Streamlit protocol: runs pages, clicks, fetches media."""

    def __init__(self, base_url: str, source_ip: str = "127.0.0.1"):
        self.base_url, self.source_ip = base_url.rstrip("/"), source_ip
        self.host = self.base_url.split("//", 1)[1]
        self.ws = None
        self.pages: dict[str, str] = {}  # url pathname -> page script hash
        self.page = ""  # url pathname of the page on screen ("" is the latent map)
        self.query = MAP_QUERY  # the address bar's query string, as the app last set it
        self.widgets: dict[str, tuple[str, object, str]] = {}  # id -> (kind, proto, fragment)
        self.chart_id = self.fragment_id = ""
        self.grid: list[tuple[float, float]] = []

    async def connect(self) -> None:
        import websockets

        self.ws = await websockets.connect(
            f"ws://{self.host}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.base_url,
            max_size=None,
            local_addr=(self.source_ip, 0),
            open_timeout=RUN_TIMEOUT,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, query: str, page: str = "", widget=None, fragment: str = "") -> list:
        """Ask for a script run (a page open, or a widget change) and collect the deltas of
        the run until it finishes; raise ProtocolError if the page shows an exception.
        `widget`: (id, string value) or a filled `WidgetState`. The page's widgets are
        remembered (a fragment's run updates only its own)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string, rerun.page_name, rerun.fragment_id = query, page, fragment
        rerun.page_script_hash = self.pages.get(page, "")
        if isinstance(widget, tuple):
            state = rerun.widget_states.widgets.add()
            state.id, state.string_value = widget
        elif widget is not None:
            rerun.widget_states.widgets.add().CopyFrom(widget)
        await self.ws.send(msg.SerializeToString())
        elements = []
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT))
            kind = fm.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fm.navigation.app_pages}
            elif kind == "new_session":
                here = fm.new_session.page_script_hash
                self.page = next((u for u, h in self.pages.items() if h == here), self.page)
                if not fragment:
                    self.widgets = {}
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                element = fm.delta.new_element
                if element.WhichOneof("type") == "exception":
                    raise ProtocolError(f"exception on the page: {element.exception.message}")
                elements.append((element, fm.delta.fragment_id))
                self._remember(element, fm.delta.fragment_id)
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError("the script did not compile")
                if fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return elements

    def _remember(self, element, fragment: str) -> None:
        """Note a widget the page sent (its latest proto), to operate it later."""
        kind = element.WhichOneof("type")
        if kind in WIDGETS:
            proto = getattr(element, kind)
            if proto.id and not proto.id.endswith(LECTURER_ONLY):
                self.widgets[proto.id] = (kind, proto, fragment)

    async def open_map(self) -> None:
        """Open the latent map; remember its chart's widget id, fragment and click grid."""
        self._read_map(await self.run(MAP_QUERY))
        if not self.grid:
            raise ProtocolError("the latent map page sent no map")

    def _read_map(self, elements: list) -> None:
        for element, fragment in elements:
            if element.WhichOneof("type") == "plotly_chart" and element.plotly_chart.id:
                spec = json.loads(element.plotly_chart.spec)["data"]
                if len(spec) > GRID_TRACE and spec[GRID_TRACE].get("name") == "click grid":
                    self.chart_id, self.fragment_id = element.plotly_chart.id, fragment
                    trace = spec[GRID_TRACE]
                    self.grid = list(zip(_numbers(trace["x"]), _numbers(trace["y"])))

    async def open_page(self, page: str) -> float:
        """Open a page of the navigation (url path; "" is the map) as a link in the app
        does; seconds until its run finished and its images are in."""
        t0 = time.perf_counter()
        self.grid = []
        elements = await self.run("" if page else MAP_QUERY, page=page)
        await self._fetch_images(elements)
        if page == "":
            self._read_map(elements)
        return time.perf_counter() - t0

    async def use_a_control(self, rng: random.Random) -> tuple[str, float] | None:
        """Operate one random widget of the page on screen (on the map, sometimes a click):
        (what was done, seconds until the run finished and its images are in), or None
        when the page has nothing a protocol client can operate."""
        if self.page == "" and self.grid and rng.random() < 0.5:
            return "map click", await self.click(rng)
        choices = [(i, k, p, f) for i, (k, p, f) in self.widgets.items() if not p.disabled]
        if not choices:
            return None
        wid, kind, proto, fragment = rng.choice(choices)
        t0 = time.perf_counter()
        if kind == "download_button":
            if proto.url:
                await http_get(self.base_url + proto.url, self.source_ip)
            return kind, time.perf_counter() - t0
        state = widget_value(kind, proto, rng)
        elements = await self.run(self.query, page=self.page, widget=state, fragment=fragment)
        await self._fetch_images(elements)
        if not fragment:  # a whole run: the map (if still on it) is in `elements`
            self.grid = []
        if self.page == "":
            self._read_map(elements)
        return kind, time.perf_counter() - t0

    async def _fetch_images(self, elements: list) -> None:
        """GET every image the run showed, as a browser does before the page looks done."""
        for element, _ in elements:
            if element.WhichOneof("type") == "imgs":
                for img in element.imgs.imgs:
                    if img.url.startswith("/media/"):
                        await http_get(self.base_url + img.url, self.source_ip)

    async def click(self, rng: random.Random) -> float:
        """Click a random point of the map's grid; seconds until the decoded image's bytes
        are in (what a browser needs before it can paint the new digit)."""
        i = rng.randrange(len(self.grid))
        x, y = self.grid[i]
        point = {"curve_number": GRID_TRACE, "point_number": i, "point_index": i, "x": x, "y": y}
        selection = {"points": [point], "point_indices": [i], "box": [], "lasso": []}
        t0 = time.perf_counter()
        elements = await self.run(
            self.query, widget=(self.chart_id, json.dumps({"selection": selection})),
            fragment=self.fragment_id,
        )  # fmt: skip
        urls = [
            img.url
            for element, _ in elements
            if element.WhichOneof("type") == "imgs"
            for img in element.imgs.imgs
        ]
        if not urls:
            raise ProtocolError("a click on the map decoded no image")
        await http_get(self.base_url + urls[0], self.source_ip)
        return time.perf_counter() - t0


# Widget elements a protocol client can operate (file uploads and custom components need
# a browser; a chart's selection is the map click).
WIDGETS = (
    "button", "checkbox", "radio", "selectbox", "slider", "number_input", "button_group",
    "multiselect", "download_button",
)  # fmt: skip


def widget_value(kind: str, proto, rng: random.Random):
    """A random value for a widget, as the `WidgetState` the browser would send: a button's
    trigger, a flipped toggle, an option's label, a slider or number input at a random
    step of its range, one (or some) of a segmented control's or multiselect's options."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=proto.id)
    if kind == "button":
        state.trigger_value = True
    elif kind == "checkbox":
        state.bool_value = not proto.value
    elif kind in ("radio", "selectbox"):
        state.string_value = rng.choice(list(proto.options))
    elif kind == "slider" and proto.options:  # a select_slider: option labels
        state.string_array_value.data.extend([rng.choice(list(proto.options))] * len(proto.default))
    elif kind == "slider":
        steps = max(int(round((proto.max - proto.min) / proto.step)), 0)
        values = sorted(proto.min + proto.step * rng.randint(0, steps) for _ in proto.default)
        state.double_array_value.data.extend(values)
    elif kind == "number_input":
        lo = proto.min if proto.has_min else proto.value - 10 * proto.step
        hi = proto.max if proto.has_max else proto.value + 10 * proto.step
        value = lo + proto.step * rng.randint(0, max(int((hi - lo) / proto.step), 0))
        if proto.data_type == proto.INT:
            state.int_value = int(round(value))
        else:
            state.double_value = value
    elif kind == "button_group":
        options = [o.content for o in proto.options]
        multi = proto.click_mode == proto.MULTI_SELECT
        state.string_array_value.data.extend(
            rng.sample(options, rng.randint(0, len(options))) if multi else [rng.choice(options)]
        )
    elif kind == "multiselect":
        options = list(proto.options)
        state.string_array_value.data.extend(rng.sample(options, rng.randint(0, len(options))))
    else:
        raise ValueError(f"no value for a {kind}")
    return state


def _numbers(values) -> list[float]:
    """Plotly JSON coordinates: a list, or a typed array {"dtype": ..., "bdata": base64}."""
    if isinstance(values, dict):
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return [float(v) for v in values]


async def http_get(url: str, source_ip: str) -> bytes:
    """GET `url` (http://host:port/path) from `source_ip`; the body, or ProtocolError."""
    hostport, _, path = url.split("//", 1)[1].partition("/")
    host, _, port = hostport.partition(":")
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, int(port or 80), local_addr=(source_ip, 0)), RUN_TIMEOUT
    )
    try:
        request = f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), RUN_TIMEOUT)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1:2]
    if status != [b"200"]:
        raise ProtocolError(f"GET /{path}: {head.splitlines()[0].decode(errors='replace')}")
    return body


async def student(
    base_url: str,
    source_ip: str,
    seconds: float,
    seed: int,
    think: tuple[float, float],
    map_only: bool = False,
) -> Stats:
    """One student for `seconds`: open the map and click it, then wander over the pages,
    using their controls (every sixth action, on average, opens another page); with
    `map_only`, keep clicking the map (the lecturer's "now everyone click the map")."""
    rng, stats = random.Random(seed), Stats()
    session = Session(base_url, source_ip)
    deadline = time.perf_counter() + seconds
    try:
        await session.connect()
        t0 = time.perf_counter()
        await session.open_map()
        stats.pages.append(time.perf_counter() - t0)
        await asyncio.sleep(rng.uniform(*think))
        stats.clicks.append(await session.click(rng))
        while time.perf_counter() < deadline:
            await asyncio.sleep(rng.uniform(*think))
            page = session.page
            try:
                if map_only:
                    stats.clicks.append(await session.click(rng))
                    continue
                if rng.random() < 1 / 6:
                    stats.pages.append(await session.open_page(rng.choice(list(session.pages))))
                    continue
                done = await session.use_a_control(rng)
                if done is None:  # nothing to operate here: go elsewhere
                    stats.pages.append(await session.open_page(rng.choice(list(session.pages))))
                elif done[0] == "map click":
                    stats.clicks.append(done[1])
                else:
                    stats.actions.append((page, *done))
            except (ProtocolError, asyncio.TimeoutError) as exc:
                stats.errors.append(f"{source_ip} on /{page}: {type(exc).__name__}: {exc}")
    except Exception as exc:  # a failed connection or a dropped socket ends this student
        stats.errors.append(f"{source_ip}: {type(exc).__name__}: {exc}")
    finally:
        with contextlib.suppress(Exception):
            await session.close()
    return stats


async def classroom(
    base_url: str,
    sessions: int,
    seconds: float,
    think: tuple[float, float],
    stagger: float,
    map_only: bool = False,
) -> Stats:
    """`sessions` students at once, arriving `stagger` seconds apart."""

    async def arrive(i: int) -> Stats:
        await asyncio.sleep(i * stagger)
        return await student(base_url, source_address(i), seconds, i, think, map_only)

    total = Stats()
    for stats in await asyncio.gather(*(arrive(i) for i in range(sessions))):
        total.merge(stats)
    return total


def source_address(i: int) -> str:
    """Loopback address of student i: 127.0.0.2, 127.0.0.3, ..., 127.0.0.254, 127.0.1.1, ...
    (127.0.0.1 is left to the app's own browser tabs)."""
    k = i + 1
    return f"127.0.{k // 254}.{k % 254 + 1}"


# ---------------------------------------------------------------- server measurements
def process_rss(pid: int) -> int:
    """Resident memory of a process in bytes (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Backend:
    """One app process under test and its readings."""

    server: AppServer
    rss_idle: int = 0  # after one warm-up session (models and data loaded)
    rss_peak: int = 0  # highest reading while the class worked
    cpu_start: float = 0.0
    cpu_used: float = 0.0


async def _sample_memory(backends: list[Backend], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for b in backends:
            b.rss_peak = max(b.rss_peak, process_rss(b.server.proc.pid))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def _measured_class(
    url: str,
    backends: list[Backend],
    sessions: int,
    seconds: float,
    think,
    stagger,
    before=None,
    map_only: bool = False,
) -> tuple[Stats, float]:
    for b in backends:  # warm each process: every page opened once, the map clicked
        warm = Session(b.server.url)
        await warm.connect()
        await warm.open_map()
        await warm.click(random.Random(0))
        for page in warm.pages:
            await warm.open_page(page)
        await warm.close()
        b.rss_idle = b.rss_peak = process_rss(b.server.proc.pid)
        b.cpu_start = process_cpu_seconds(b.server.proc.pid)
    if before is not None:
        await asyncio.to_thread(before)
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_memory(backends, stop))
    t0 = time.perf_counter()
    stats = await classroom(url, sessions, seconds, think, stagger, map_only)
    wall = time.perf_counter() - t0
    stop.set()
    await sampler
    for b in backends:
        b.cpu_used = process_cpu_seconds(b.server.proc.pid) - b.cpu_start
    return stats, wall


# ---------------------------------------------------------------- nginx in front
def nginx_site(listen: str, backend_ports: list[int]) -> str:
    """The nginx `http`-level configuration that spreads clients over several app processes
    on this machine, sticky by client address (every request of a student reaches the same
    process: its websocket, its /media images and its uploads live there), with websocket
    upgrades passed on. Drop it into /etc/nginx/conf.d/ as it is."""
    servers = "\n".join(f"    server 127.0.0.1:{p};" for p in backend_ports)
    return f"""\
map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
upstream vae_explorer {{
    hash $remote_addr consistent;  # sticky: one student, one app process
{servers}
}}
server {{
    listen {listen};
    client_max_body_size 200m;  # uploads: the app's own limit applies first
    location / {{
        proxy_pass http://vae_explorer;
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;  # Streamlit checks Origin against Host
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 1h;  # a websocket idles while a student thinks
        proxy_buffering off;
    }}
}}
"""


def nginx_config(listen_port: int, backend_ports: list[int], prefix: Path) -> str:
    """A whole nginx.conf for an unprivileged nginx on loopback with every file under
    `prefix`: `nginx_site`, plus an access log of which backend served which client."""
    site = "\n".join(
        "    " + line if line else line
        for line in nginx_site(f"127.0.0.1:{listen_port}", backend_ports).splitlines()
    )
    return f"""\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format sticky '$remote_addr $upstream_addr $status $request_uri';
    access_log {prefix}/access.log sticky;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
"""


class Nginx:
    """nginx (Debian's package, /usr/sbin/nginx) in the foreground on a free port."""

    BINARY = "/usr/sbin/nginx"

    def __init__(self, backend_ports: list[int]):
        self.port, self.backend_ports = free_port(), backend_ports
        self.prefix = Path(tempfile.mkdtemp(prefix="explorer-nginx-"))
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Nginx:
        conf = self.prefix / "nginx.conf"
        conf.write_text(nginx_config(self.port, self.backend_ports, self.prefix))
        self.proc = subprocess.Popen(
            [self.BINARY, "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while not _port_open(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"nginx did not start: {err.strip()}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def routes(self) -> dict[str, set[str]]:
        """client address -> the backends nginx sent its requests to (from the access log)."""
        routes: dict[str, set[str]] = {}
        log = self.prefix / "access.log"
        for line in log.read_text().splitlines() if log.exists() else []:
            client, upstream, *_ = line.split()
            if upstream != "-":
                routes.setdefault(client, set()).add(upstream)
        return routes


def _port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# ---------------------------------------------------------------- the whole test
@dataclass
class LoadReport:
    sessions: int
    seconds: float
    wall: float
    stats: Stats
    backends: list[Backend]
    routes: dict[str, set[str]] | None = None  # with nginx: client -> backends
    observer: list[float] | None = None  # real-Chromium click latencies, seconds
    training: dict | None = None  # with train_live: the run's steps/s during the class
    map_only: bool = False  # the students only clicked the map

    def rows(self) -> list[tuple[str, str, str]]:

        label = f"{self.sessions} sessions x {self.seconds:.0f} s"
        label += ", map clicks only" if self.map_only else ""
        label += f", {len(self.backends)} processes behind nginx" if self.routes else ""
        c, p = self.stats.clicks, self.stats.pages
        a = [seconds for _, _, seconds in self.stats.actions]
        rows = [
            (f"load: {label}, clicks", f"{len(c)}", f"{len(c) / self.wall:.1f} clicks/s"),
            ("load: click -> image, p50", _ms(percentile(c, 50)), "protocol sessions"),
            ("load: click -> image, p95", _ms(percentile(c, 95)), "protocol sessions"),
            ("load: page opens (every page), p95", _ms(percentile(p, 95)), f"{len(p)} opens"),
        ]
        if a:
            rows += [
                ("load: other controls -> run done, p50", _ms(percentile(a, 50)), f"{len(a)} uses"),
                ("load: other controls -> run done, p95", _ms(percentile(a, 95)), f"{len(a)} uses"),
            ]
            for page, seconds in sorted(self.stats.by_page().items()):
                rows.append(
                    (
                        f"load: controls on /{page or 'latent_map'}, p95",
                        _ms(percentile(seconds, 95)),
                        f"{len(seconds)} uses",
                    )
                )
        rows.append(("load: errors", str(len(self.stats.errors)), "must be 0"))
        for i, b in enumerate(self.backends):
            per = (b.rss_peak - b.rss_idle) / max(self.sessions / len(self.backends), 1)
            rows.append(
                (
                    f"load: server {i + 1} memory",
                    f"{b.rss_idle / 2**20:.0f} -> {b.rss_peak / 2**20:.0f} MB",
                    f"~{per / 2**20:.1f} MB per session",
                )
            )
            rows.append(
                (
                    f"load: server {i + 1} CPU",
                    f"{100 * b.cpu_used / self.wall:.0f}%",
                    "of one core, averaged over the run",
                )
            )
        if self.observer:
            obs = self.observer
            rows.append(
                (
                    "load: real Chromium tab, click p50 / p95",
                    f"{_ms(percentile(obs, 50))} / {_ms(percentile(obs, 95))}",
                    f"{len(obs)} clicks while the class works",
                )
            )
        if self.training is not None:
            tr = self.training
            rows.append(
                (
                    "load: live training during the class",
                    f"{tr['steps_per_s']:.0f} steps/s",
                    f"{tr['steps']:,} steps in {tr['seconds']:.0f} s, state {tr['state']}",
                )
            )
        if self.routes is not None:
            used = {u for ups in self.routes.values() for u in ups}
            sticky = all(len(u) == 1 for u in self.routes.values())
            rows.append(
                (
                    "load: nginx routing",
                    f"{len(self.routes)} clients on {len(used)} backends",
                    "sticky" if sticky else "NOT sticky",
                )
            )
        return rows


def _observer(url: str, seconds: float, out: list[float], errors: list[str]) -> None:
    """One real Chromium tab clicking empty places of the map until `seconds` pass."""
    from playwright.sync_api import sync_playwright

    from explorer.tools.apphost import (
        MAP_URL,
        click_map,
        empty_map_places,
        launch_chromium,
        map_geometry,
        wait_idle,
        wait_map_drawn,
    )

    deadline = time.perf_counter() + seconds
    try:
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url + MAP_URL)
            wait_map_drawn(page, timeout=120)
            wait_idle(page, timeout=120)
            places = empty_map_places(page, map_geometry(page), 40)
            i = 0
            while time.perf_counter() < deadline and places:
                out.append(click_map(page, *places[i % len(places)], timeout=60).latency)
                i += 1
            browser.close()
    except Exception as exc:
        errors.append(f"observer: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


def run_load(
    sessions: int = 30,
    seconds: float = 60.0,
    backends: int = 1,
    think: tuple[float, float] = (0.5, 2.0),
    stagger: float = 0.2,
    observer: bool = False,
    env: dict[str, str] | None = None,
    train_live: bool = False,
    map_only: bool = False,
) -> LoadReport:
    """Start `backends` app processes (behind nginx when more than one), let `sessions`
    students work for `seconds`, and report what the servers went through. With
    `train_live`, a live run (explorer.live, default settings) trains meanwhile: started
    after the warm-up, as the lecturer would, stopped at the end."""
    import threading

    run = LiveRun(Path(tempfile.mkdtemp(prefix="loadtest-live-")))
    env = {"EXPLORER_OFFLINE": "1", "EXPLORER_LIVE_DIR": str(run.directory), **(env or {})}
    with contextlib.ExitStack() as stack:
        stack.callback(run.end)
        servers = [stack.enter_context(AppServer(env=env)) for _ in range(backends)]
        proxy = stack.enter_context(Nginx([s.port for s in servers])) if backends > 1 else None
        url = proxy.url if proxy else servers[0].url
        measured = [Backend(s) for s in servers]
        seen: list[float] = []
        obs_errors: list[str] = []
        thread = None
        if observer:
            args = (url, seconds + sessions * stagger, seen, obs_errors)
            thread = threading.Thread(target=_observer, args=args, daemon=True)
        if thread:
            thread.start()
        before = run.start if train_live else None
        stats, wall = asyncio.run(
            _measured_class(url, measured, sessions, seconds, think, stagger, before, map_only)
        )
        training = run.progress() if train_live else None
        if thread:
            thread.join(timeout=300)
        stats.errors += obs_errors
        routes = proxy.routes() if proxy else None
    return LoadReport(
        sessions, seconds, wall, stats, measured, routes, seen or None, training, map_only
    )


class LiveRun:
    """A live run (explorer.live) training in `directory` during the class, started with
    the Train live page's default settings as the lecturer would; `end` stops it."""

    OWNER = "loadtest-lecturer"  # the run's owner token

    def __init__(self, directory: Path):
        self.directory = directory
        self.mark: tuple[int, float] | None = None  # (step, time) when the class began

    def start(self) -> None:
        """Start the run and wait for its first frame."""
        from explorer import live

        live.start(live.Settings(epochs=live.LIMITS["epochs"][1]), self.OWNER, self.directory)
        deadline = time.monotonic() + 120
        while (cur := live.status(self.directory)) is not None and not cur.get("frames"):
            if not cur.active or time.monotonic() > deadline:
                raise RuntimeError(f"the live run did not start: {cur.state} {cur.get('message')}")
            time.sleep(0.2)
        self.mark = (int(cur.get("step", 0)), time.monotonic())

    def progress(self) -> dict:
        """Steps per second since `start` returned (from the status the run writes)."""
        from explorer import live

        cur = live.status(self.directory)
        step0, t0 = self.mark or (0, time.monotonic())
        steps = int(cur.get("step", 0)) - step0 if cur else 0
        seconds = time.monotonic() - t0
        return {"steps": steps, "seconds": seconds, "steps_per_s": steps / max(seconds, 1e-9),
                "state": cur.state if cur else "none"}  # fmt: skip

    def end(self) -> None:
        """Stop whatever run trains in the folder (its process has its own session, out of
        the app servers' reach), then delete the folder."""
        import shutil

        from explorer import live

        live.end_run(self.directory)
        shutil.rmtree(self.directory, ignore_errors=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m explorer.loadtest", description=__doc__.split("\n")[0]
    )
    p.add_argument("--sessions", type=int, default=30)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--backends", type=int, default=1, help="app processes; >1 puts nginx in front")
    p.add_argument("--observer", action="store_true", help="add one real Chromium tab")
    p.add_argument(
        "--map-only",
        action="store_true",
        help="every student keeps clicking the latent map (no wandering over the pages)",
    )
    p.add_argument(
        "--train-live",
        action="store_true",
        help="a live run (the Train live page's defaults) trains during the class",
    )
    p.add_argument(
        "--print-nginx-config",
        metavar="PORTS",
        help="print the nginx site for app processes on these ports (e.g. 8501,8502) and exit",
    )
    args = p.parse_args(argv)
    if args.print_nginx_config:
        print(
            nginx_site("80 default_server", [int(p) for p in args.print_nginx_config.split(",")]),
            end="",
        )
        return 0
    if args.backends > 1 and not Path(Nginx.BINARY).exists():
        print(f"error: {Nginx.BINARY} not found (apt-get install nginx)", file=sys.stderr)
        return 2
    try:
        report = run_load(
            args.sessions, args.seconds, args.backends, observer=args.observer,
            train_live=args.train_live, map_only=args.map_only,
        )  # fmt: skip
    except (ProtocolError, RuntimeError, OSError) as exc:  # the app did not come up usable
        print(f"error: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    print(table(report.rows()))
    for error in report.stats.errors[:20]:
        print("error:", error, file=sys.stderr)
    return 1 if report.stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
