"""What the pages share: cached loaders, the bookmarkable page state, small UI pieces.

Pages stay thin: they read widgets, call `explorer`, and render through these helpers.

Importing this module does not import torch: the model list, the test labels and
(cached on disk) the test latents come without it, so the latent map, the app's first
page, goes to the browser while torch (1-2 s) is still to be imported.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import streamlit as st

from explorer import checkpoint_paths, kinds
from explorer.data import DigitArrays, load_digit_arrays
from explorer.diskcache import file_digest, load_entry, store_entry
from explorer.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Catalog, Translator
from explorer.jobs import Job
from explorer.latent_views import LatentView, ViewMethod, plane_view
from explorer.projection import (
    TSNE_EXAGGERATION_ITER,
    TSNE_ITER,
    Projection,
    cached_latents,
    cached_projection,
    digits_key,
    load_cached_projection,
    load_shipped_latents,
    load_shipped_summary,
    load_shipped_tsne,
    summary_of,
)
from explorer.texts.common import CATALOG as COMMON

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from explorer.data import Digits


def _leave_pages_directory_mode() -> None:
    """Make a bookmarked page URL work on a freshly started server.

    Streamlit treats a `pages/` folder next to the main script as the old multipage
    layout until the first `st.navigation` call; a first request for `/sampling` would
    then run that page alone, without app.py's sidebar and navigation. Leave that mode
    for good and rerun, so app.py always runs first and routes the URL itself.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_pages_directory_mode()

MODEL_KEY = "model"  # session key of the model picked in the sidebar (app.py)
LANG_KEY = "lang"  # session key (and URL parameter) of the interface language
_PICKER_KEY = "_model_picker"  # the sidebar widget's own key
_LANG_PICKER_KEY = "_lang_picker"
MAX_PARAM_CHARS = 200  # longer query values are ignored unparsed


# ---------------------------------------------------------------- language
def lang() -> str:
    """The interface language: the sidebar choice; on a fresh session the URL's `lang`."""
    current = st.session_state.get(LANG_KEY)
    if current not in LANGS:
        wanted = st.query_params.get(LANG_KEY)
        current = wanted if wanted in LANGS else DEFAULT_LANG
        st.session_state[LANG_KEY] = current
    return current


def translator(catalog: Catalog) -> Translator:
    """`t = shared.translator(CATALOG)`; `t("key", **values)` is the text in the current
    language."""
    return Translator(catalog, lang())


def language_picker() -> None:
    """Sidebar switch English / 한국어, kept in a plain session key like the model."""
    st.session_state[_LANG_PICKER_KEY] = lang()

    def keep() -> None:
        st.session_state[LANG_KEY] = st.session_state[_LANG_PICKER_KEY]

    st.segmented_control(
        "Language / 언어",
        LANGS,
        format_func=LANG_NAMES.get,
        key=_LANG_PICKER_KEY,
        on_change=keep,
        required=True,
        label_visibility="collapsed",
    )


# ---------------------------------------------------------------- cached resources
def _stamp(path: Path) -> tuple[int, int]:
    """Cache key part that changes when a checkpoint file is replaced."""
    st_ = path.stat()
    return st_.st_mtime_ns, st_.st_size


@st.cache_resource(show_spinner=False, max_entries=16)
def _load(path: str, stamp: tuple[int, int]):
    from explorer.checkpoint import load_model_and_info

    return load_model_and_info(path)


def _load_model(path: str, stamp: tuple[int, int]):
    return _load(path, stamp)[0]


def checkpoint_key(name: str) -> tuple[str, int, int]:
    """A checkpoint as a cache key: its path, modification time and size, so a cache entry
    is dropped when the file is replaced."""
    path = checkpoint_paths.resolve(name)
    return (str(path), *_stamp(path)) if path.exists() else (str(path), 0, 0)


def content_key(name: str) -> str:
    """A checkpoint and the test data as a disk-cache key: the file's content digest, the
    data source and its size (what every number measured on the test split depends on)."""
    path = checkpoint_paths.resolve(name)
    arrays = test_arrays()
    return f"{_digest(str(path), _stamp(path))}-{arrays.source}-test{len(arrays)}"


def load_error(name: str) -> str | None:
    """Why checkpoint `name` cannot be used, or None if it loads."""
    from explorer.checkpoint import CheckpointError

    path = checkpoint_paths.resolve(name)
    try:
        _load(str(path), _stamp(path) if path.exists() else (0, 0))
    except CheckpointError as exc:
        return str(exc)
    return None


def model(name: str):
    """The checkpoint's model, or None after showing a one-line error on the page."""
    error = load_error(name)
    if error:
        st.error(translator(COMMON)("model_unusable", name=name, error=error))
        return None
    path = checkpoint_paths.resolve(name)
    return _load_model(str(path), _stamp(path))


def model_info(name: str) -> dict[str, Any]:
    """The checkpoint's config, history, metrics and snapshots (no weights)."""
    path = checkpoint_paths.resolve(name)
    return _load(str(path), _stamp(path))[1]


# Seconds after a run before torch is imported in the background. Meanwhile the browser
# fetches Plotly's 4.7 MB script (served by this process) and draws the latent map; an
# import of torch then (1-2 s of one core, holding the GIL) delays the map by 0.3-0.5 s.
WARM_UP_DELAY_S = 2.0


def warm_up_torch(delay: float = WARM_UP_DELAY_S, name: str | None = None) -> None:
    """Import torch in a background thread, once per process, `delay` seconds from now,
    and load model `name` into the cache the pages read, so that the first click on the
    latent map (or the manifold overlay) need not wait for either; then, for a 2-D model
    whose live hover decoder is not in the disk cache yet (a new machine: its map came
    from the facts shipped beside the checkpoint), export that decoder to the cache, so
    that switching live hover on needs no torch either."""
    if "torch" not in sys.modules:
        _warm_up(delay, name)


@st.cache_resource(show_spinner=False)
def _warm_up(delay: float, name: str | None = None) -> threading.Timer:
    timer = threading.Timer(delay, _warm, args=(name,))
    timer.daemon = True
    timer.start()
    return timer


def _warm(name: str | None) -> None:
    importlib.import_module("torch")
    if name is None:
        return
    path = checkpoint_paths.resolve(name)
    try:  # st.cache_resource works outside a script run: this is the cache pages read
        model = _load_model(str(path), _stamp(path))
        fill_hover_cache(checkpoint_digest(path), lambda: model)
    except Exception as exc:  # unusable: the page says so when asked
        log.info("Model %s not loaded ahead: %s", name, exc)
    freeze_heap()


_MODULES_AT_FREEZE = [0]  # len(sys.modules) when the heap was last frozen
_FREEZE_LOCK = threading.Lock()


def freeze_heap() -> None:
    """Move everything alive now out of the garbage collector's reach (`gc.freeze`) when
    modules were imported since the last time: after the warm-up (torch, the model) and
    after a page's first visit (its modules, Plotly's validators). A full collection then
    walks only newer objects: on vae-2d's reparameterization page one took 185 ms
    unfrozen and 15 ms frozen, a click's whole budget. Frozen objects are still freed by
    reference counting; only cycles among them stay."""
    with _FREEZE_LOCK:
        if len(sys.modules) != _MODULES_AT_FREEZE[0]:
            gc.freeze()
            _MODULES_AT_FREEZE[0] = len(sys.modules)


def fill_hover_cache(digest: str, load: Callable[[], Any]) -> None:
    """Put the live hover decoder of the checkpoint with content `digest` in the disk
    cache, unless it is there: `load()` gives its model (called only on a miss). A model
    that is not 2-D, or a decoder the browser cannot run, is left out (live hover says why)."""
    from explorer.webdecoder import cached_decoder, export_decoder

    def export():
        model = load()
        if model.config.latent_dim != 2:
            raise ValueError("no live hover decoder above 2-D")
        return export_decoder(model)

    with contextlib.suppress(ValueError):
        cached_decoder(digest, export)


@st.cache_resource(show_spinner=False)
def classifier():
    """The committed digit classifier (checkpoints/classifier.pt), loaded once per process."""
    from explorer.classifier import load_classifier

    return load_classifier()


@st.cache_resource(show_spinner=False)
def test_arrays() -> DigitArrays:
    """The test split as numpy arrays, read without torch."""
    return load_digit_arrays("test")


@st.cache_resource(show_spinner=False)
def test_images() -> np.ndarray:
    """The test images as numpy, float32 (N, 28, 28) in [0, 1] (no torch): what pages
    hand to `explorer.inference`. Shared by every session: never write to it."""
    return test_arrays().pixels.astype(np.float32) / np.float32(255.0)


@st.cache_resource(show_spinner=False)
def test_digits() -> Digits:
    """The test split as tensors (library code that trains or measures in torch): images
    (N, 1, 28, 28) in [0, 1], labels (N,); the same memory as `test_images()`."""
    import torch

    arrays = test_arrays()
    x = torch.from_numpy(test_images()).unsqueeze(1)
    y = torch.from_numpy(arrays.labels)
    return Digits(x, y, source=arrays.source, split=arrays.split, reason=arrays.reason)


def test_labels() -> np.ndarray:
    """Digit class of every test image: (N,) int64."""
    return test_arrays().labels


@st.cache_resource(show_spinner=False, max_entries=16)
def _digest(path: str, stamp: tuple[int, int]) -> str:
    """Content digest of a checkpoint file, the key of its disk caches."""
    return file_digest(path)


@st.cache_resource(show_spinner=False, max_entries=16)
def _test_latents(path: str, stamp: tuple[int, int], source: str) -> np.ndarray:
    def encode() -> np.ndarray:
        from explorer import inference

        model = _load_model(path, stamp)
        if model.config.latent_dim == 2:  # the live hover decoder, while the model is loaded
            fill_hover_cache(_digest(path, stamp), lambda: model)
        given = inference.condition_of(model, test_labels())
        return inference.encode(model, test_images(), given).mu

    arrays = test_arrays()
    n, digest = len(arrays), _digest(path, stamp)
    shipped = load_shipped_latents(path, digits_key(source, arrays.labels), n, digest)
    if shipped is not None:  # committed checkpoints: beside the file, no torch
        return shipped
    return cached_latents(f"{digest}-{source}-test{n}", encode, n=n)[0]


def checkpoint_digest(path: str | Path) -> str:
    """Content digest of a checkpoint file, the key of its disk caches: hashed once per
    version of the file and process."""
    return _digest(str(path), _stamp(Path(path)))


def test_latents(name: str) -> np.ndarray:
    """Encoder means of every test digit under model `name`: (N, latent_dim) float32.

    Kept on disk by checkpoint content (like projections), so after the first start they
    come without loading the model. Raises CheckpointError when they must be computed and
    the checkpoint is unusable.
    """
    path = checkpoint_paths.resolve(name)
    return _test_latents(str(path), _stamp(path), test_arrays().source)


@st.cache_resource(show_spinner=False)
def _views() -> dict[tuple, LatentView]:
    """Process-wide store of computed views (not st.cache_*: building one may draw a
    progress indicator, which a cache would replay on every hit)."""
    return {}


@st.cache_resource(show_spinner=False)
def _tsne_jobs() -> tuple[dict[tuple, Job], threading.Lock]:
    """t-SNE maps being computed in the background, one per checkpoint content and data,
    shared by every session of the process."""
    return {}, threading.Lock()


def latent_view(name: str, method: ViewMethod) -> LatentView:
    """The model's encoded test set on a plane: its latent plane, PCA or t-SNE map.

    A t-SNE map comes from the file shipped beside the checkpoint (`explorer.evaluate`
    writes it) or from the disk cache. Otherwise it is computed once per checkpoint
    content in a background thread; meanwhile the page shows its progress and gets the
    PCA view, so everything else on it keeps working.
    """
    path = checkpoint_paths.resolve(name)
    source = test_arrays().source
    key = (str(path), _stamp(path), source, method)
    store = _views()
    if key not in store:
        latents = test_latents(name)
        if method == "latent":
            store[key] = plane_view(latents)
        elif method == "pca":
            proj, _ = cached_projection(latents, "pca", _projection_key(path, source))
            store[key] = LatentView("pca", proj.coords, latents, proj)
        else:
            proj = _tsne_or_progress(key, path, latents)
            if proj is None:  # being computed: the PCA plane meanwhile
                return latent_view(name, "pca")
            store[key] = LatentView("tsne", proj.coords, latents, proj)
    return store[key]


def _projection_key(path: Path, source: str) -> str:
    """Disk-cache key of a checkpoint's projections: its content digest and the data."""
    return f"{_digest(str(path), _stamp(path))}-{source}"


def _tsne_or_progress(key: tuple, path: Path, latents: np.ndarray) -> Projection | None:
    """The t-SNE map, shipped or cached on disk or just computed in the background; else
    None, after starting its background job (once) and showing the job's progress."""
    arrays = test_arrays()
    data = digits_key(arrays.source, arrays.labels)
    digest = _digest(str(path), _stamp(path))
    cache_key = _projection_key(path, arrays.source)
    proj = load_shipped_tsne(path, data, len(latents), checkpoint_digest=digest)
    if proj is None:
        proj = load_cached_projection(latents, "tsne", cache_key)
    if proj is not None:
        return proj
    jobs, lock = _tsne_jobs()
    with lock:
        if key not in jobs:
            jobs[key] = Job(
                lambda progress: cached_projection(
                    latents, "tsne", cache_key, progress=progress, n_jobs=TSNE_APP_JOBS
                )[0],
                name=f"t-SNE of {path.name}",
            )
        job = jobs[key]
    t = translator(COMMON)
    if job.done and job.error is None:
        with lock:
            jobs.pop(key, None)
        return job.result
    if job.done:  # failed: said once per run, not retried until the process restarts
        st.warning(t("tsne_failed", error=f"{type(job.error).__name__}: {job.error}"))
        return None
    st.info(t("tsne_wait", n=len(latents)), icon=":material/hourglass_top:")
    progress_until(lambda: job.done, lambda: (job.fraction, _tsne_step(job)))
    return None


# Threads for a t-SNE computed by the app: one, so that the other core keeps serving
# every session while it runs (the first view of a new checkpoint only).
TSNE_APP_JOBS = 1


def _tsne_step(job: Job) -> str:
    """Where a t-SNE job is, in the page's language."""
    t = translator(COMMON)
    if job.fraction <= 0.0:
        return t("tsne_step_neighbours")
    total = TSNE_EXAGGERATION_ITER + TSNE_ITER
    text = t("tsne_step_layout", i=round(job.fraction * total), total=total)
    left = job.seconds_left()
    return text + t("tsne_left", s=max(left, 1.0)) if left is not None else text


@st.fragment(run_every=1.0)
def progress_until(done: Callable[[], bool], reading: Callable[[], tuple[float, str]]) -> None:
    """A progress bar of background work, redrawn every second: `reading()` gives
    (fraction, text). Once `done()`, the whole page reruns (and draws the result)."""
    if done():
        st.rerun()
    fraction, text = reading()
    st.progress(min(max(fraction, 0.0), 1.0), text=text)


@st.cache_resource(show_spinner=False, max_entries=512)  # e.g. 4 per digit of 64 on exact
def _figure(key: tuple, _build: Callable[[], Any]) -> Any:
    from explorer.figures import sent_as  # a cached figure is never changed: its dict once

    return sent_as(_build())


def cached_figure(key: tuple, build: Callable[[], Any]) -> Any:
    """`build()` (a Plotly figure) once per key and language: Plotly spends tens to hundreds
    of ms validating a figure, and a rerun that changes something else need not pay it.
    The key must name everything the figure shows (checkpoints, digit, settings)."""
    return _figure((*key, lang()), build)


def page_model():
    """(name, model) of the sidebar's model; stops the page after a clear error when that
    checkpoint is unusable (the sidebar still offers the others)."""
    name = current_model_name()
    loaded = model(name)
    if loaded is None:
        st.stop()
    return name, loaded


def page_latents() -> tuple[str, np.ndarray]:
    """(name, test latents) of the sidebar's model, for a page that draws them before it
    needs the model: when they are cached on disk, neither the model nor torch is loaded.
    Stops the page after a clear error when they must be computed and the checkpoint is
    unusable."""
    name = current_model_name()
    try:
        return name, test_latents(name)
    except Exception:
        page_model()  # an unusable checkpoint: says why and stops the page
        raise


def model_for(name: str, accept: Callable[[dict], bool], preferred: str) -> str | None:
    """`name` if its config passes `accept`, else `preferred`, else the first usable
    checkpoint that does; None when there is none. For pages that need, say, a 2-D VAE."""
    names = checkpoint_paths.list_models()
    for candidate in [name, preferred, *names]:
        usable = candidate in names and load_error(candidate) is None
        if usable and accept(model_info(candidate)["config"]):
            return candidate
    return None


def view_methods(latent_dim: int) -> list[str]:
    return ["latent"] if latent_dim == 2 else ["pca", "tsne"]


# ---------------------------------------------------------------- bookmarkable state
class PageState:
    """Values a page lets the user set, seeded from the URL query string, kept across
    page switches in session state, and written back to the URL on every run so a
    lecturer can bookmark a demo and reopen it exactly.

    Widgets use `state.key(name)` as their key; read values with `state[name]`.
    """

    def __init__(self, page: str, spec: dict[str, tuple[Any, Callable[[str], Any]]]):
        self.page, self.spec = page, spec
        store = st.session_state.setdefault(f"_state_{page}", {})
        rejected = []
        for name, (default, parse) in spec.items():
            if name not in store:
                raw = st.query_params.get(name)
                store[name], ok = _parse(raw, parse, default)
                if not ok:
                    rejected.append(f"{name}={_clip(raw)}")
            if self.key(name) not in st.session_state:
                st.session_state[self.key(name)] = store[name]
        self.store = store
        if rejected:
            url_notice(rejected)

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def __getitem__(self, name: str) -> Any:
        value = st.session_state.get(self.key(name), self.store[name])
        self.store[name] = value
        return value

    def set(self, name: str, value: Any) -> None:
        """Change a value from code (e.g. a button), before its widget is drawn."""
        self.store[name] = value
        st.session_state[self.key(name)] = value

    @staticmethod
    def set_on(page: str, name: str, value: Any) -> None:
        """Set a value of another page's state (e.g. the map page choosing digit A)."""
        st.session_state.setdefault(f"_state_{page}", {})[name] = value
        st.session_state[f"{page}.{name}"] = value

    def publish(self, extra: dict[str, str] | None = None) -> None:
        """Write the current values (and the model) to the URL query string."""
        params = {name: _fmt(self[name]) for name in self.spec if self[name] is not None}
        params[MODEL_KEY] = st.session_state.get(MODEL_KEY, "")
        params[LANG_KEY] = lang()
        params.update(extra or {})
        if dict(st.query_params) != params:
            st.query_params.from_dict(params)


def _parse(raw: str | None, parse: Callable[[str], Any], default: Any) -> tuple[Any, bool]:
    """(value, usable): the parsed query value, or the default and False if it is unusable."""
    if raw is None:
        return default, True
    if len(raw) > MAX_PARAM_CHARS:
        return default, False
    try:
        return parse(raw), True
    except (TypeError, ValueError, OverflowError):
        return default, False


def _clip(raw: str, n: int = 24) -> str:
    return raw if len(raw) <= n else raw[:n] + "…"


def url_notice(rejected: list[str]) -> None:
    """A short toast naming the link's values that were not usable (defaults used)."""
    st.toast(translator(COMMON)("url_fallback", params=", ".join(rejected)), icon=":material/link:")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """Parser for an integer query parameter in [lo, hi]; anything else falls back."""

    def parse(raw: str) -> int:
        value = int(raw)
        if not lo <= value <= hi:
            raise ValueError(f"{value} outside [{lo}, {hi}]")
        return value

    return parse


def float_in(lo: float, hi: float) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = float(raw)
        if not lo <= value <= hi:
            raise ValueError(f"{value} outside [{lo}, {hi}]")
        return value

    return parse


def one_of(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"{raw!r} not one of {choices}")
        return raw

    return parse


def flag(raw: str) -> bool:
    """'1' / '0' (as `_fmt` writes booleans) -> True / False."""
    if raw not in ("0", "1"):
        raise ValueError(f"not a flag: {raw!r}")
    return raw == "1"


def parse_point(raw: str) -> tuple[float, float]:
    """'1.25,-0.5' -> (1.25, -0.5): two finite numbers, a point on a plane."""
    point = tuple(float(v) for v in raw.split(","))
    if len(point) != 2 or not np.isfinite(point).all() or max(map(abs, point)) > 1e6:
        raise ValueError(f"not a finite 2-D point: {raw!r}")
    return point


def fmt_point(z) -> str:
    return ",".join(f"{v:.4f}" for v in np.asarray(z, dtype=float).ravel())


# ---------------------------------------------------------------- small UI pieces
# Plotly charts: no logo; the camera button saves a 2x PNG for slides.
PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def digit_picker(state: PageState, name: str, cols) -> None:
    """Choose a test digit in three columns: its index, its class, and "a random <class>".

    The index is `state[name]`. The class box always shows the chosen digit's class;
    choosing another class picks that class's first test digit, and the button a random
    one of the class shown.
    """
    t = translator(COMMON)
    labels = test_labels()
    key, class_key = state.key(name), f"{state.key(name)}.class"
    st.session_state[class_key] = int(labels[state[name]])  # before the box: it follows
    cols[0].number_input(t("test_index"), 0, len(labels) - 1, step=1, key=key)
    cols[1].selectbox(
        t("digit_class"), range(10), key=class_key, on_change=_pick_class, args=(state, name)
    )
    cols[2].button(
        t("random_digit", digit=st.session_state[class_key]),
        key=f"{key}.random",
        icon=":material/casino:",
        on_click=_pick_random,
        args=(state, name),
        width="stretch",
    )


def first_of(digit: int) -> int:
    """Index of the first test digit of class `digit` (0 if there is none)."""
    hits = np.flatnonzero(test_labels() == digit)
    return int(hits[0]) if len(hits) else 0


def nats(value: float) -> str:
    return f"{value:.2f} nats"


def _pick_class(state: PageState, name: str) -> None:
    state.set(name, first_of(st.session_state[f"{state.key(name)}.class"]))


def _pick_random(state: PageState, name: str) -> None:
    digit = int(test_labels()[state[name]])
    choices = np.flatnonzero(test_labels() == digit)
    if len(choices):
        state.set(name, int(np.random.default_rng().choice(choices)))


def random_seed() -> int:
    """A fresh seed for a "new draw" button, in the seeds' URL range [0, 2**31 - 1)."""
    return int(np.random.default_rng().integers(0, 2**31 - 1))


def random_button(
    label: str,
    state: PageState,
    name: str,
    draw: Callable[[], Any],
    *,
    key: str,
    where: Any = st,
    **button: Any,
) -> None:
    """A "randomize" button ("New draw", "Another digit"): a click sets `state[name]`, the
    value of another widget of the page, to `draw()`.

    It does so in the button's `on_click` callback, which Streamlit runs before the page's
    widgets are drawn; writing a widget's state after the widget exists raises
    StreamlitWidgetAlreadyInstantiatedError. `where`: the container (e.g. a column) to put
    the button in; `button`: more `st.button` arguments (icon, help, disabled, width).
    """
    where.button(label, key=key, on_click=lambda: state.set(name, draw()), **button)


def data_notice() -> None:
    """One short line telling the audience when the digits shown are not full MNIST (the
    details in its tooltip). `frame.header` shows it on every page."""
    digits = test_arrays()
    if digits.source != "mnist":
        t = translator(COMMON)
        st.caption(
            t("offline_short", n=len(digits)),
            help=t("offline_notice", description=digits.description),
        )


def current_model_name() -> str | None:
    """The model picked in the sidebar; on a fresh session, the URL's `model`, else vae-2d,
    else the first checkpoint (None when there is none)."""
    names = checkpoint_paths.list_models()
    name = st.session_state.get(MODEL_KEY)
    if name not in names:
        wanted = st.query_params.get(MODEL_KEY)
        if wanted is not None and wanted not in names:
            url_notice([f"{MODEL_KEY}={_clip(wanted)}"])
        name = wanted if wanted in names else "vae-2d" if "vae-2d" in names else None
        name = name or (names[0] if names else None)
        st.session_state[MODEL_KEY] = name
    return name


def model_picker(accept: Callable[[dict], bool] = lambda config: True) -> None:
    """The model choice in the page header, kept in a plain session key (widget state does
    not survive a page switch on its own). Offers the checkpoints whose config `accept`s
    (all of them if none does); when the current model is not among them, the page's
    first acceptable one takes its place. A model made for one lesson (its kind is not
    `everywhere`, or it was trained without some digits) is offered by no picker."""
    names = checkpoint_paths.list_models()
    offered = [n for n in names if _accepts(n, accept)] or names
    if current_model_name() not in offered:
        st.session_state[MODEL_KEY] = "vae-2d" if "vae-2d" in offered else offered[0]
    st.session_state[_PICKER_KEY] = st.session_state[MODEL_KEY]

    def keep() -> None:
        st.session_state[MODEL_KEY] = st.session_state[_PICKER_KEY]

    t = translator(COMMON)
    st.selectbox(
        t("model"),
        offered,
        key=_PICKER_KEY,
        on_change=keep,
        label_visibility="collapsed",
        help=t("model_help", folder=checkpoint_paths.checkpoint_dir()),
    )


def _accepts(name: str, accept: Callable[[dict], bool]) -> bool:
    """Whether the picker offers `name` on this page. An unreadable checkpoint is offered
    everywhere: picking it shows why it cannot be used (`model`), instead of the file
    silently missing from the list."""
    facts = summary_facts(name)
    if facts is None:
        return True
    if facts.get("held_out") or not kinds.kind_of(facts["config"]).everywhere:
        return False  # made for one lesson: the pages that teach it name it themselves
    return accept(facts["config"])


@st.cache_resource(show_spinner=False, max_entries=16)
def _summary_facts(path: str, stamp: tuple[int, int]) -> dict[str, Any]:
    key = _digest(path, stamp)
    shipped = load_shipped_summary(path, key)
    if shipped is not None:  # committed checkpoints: beside the file, no torch
        return shipped
    stored = load_entry("summary", key) or {}
    try:
        facts = json.loads(str(stored["facts"]))
    except (KeyError, ValueError):  # not stored yet, or unusable: (re)written below
        facts = None
    if isinstance(facts, dict) and {"config", "metrics"} <= facts.keys():
        return facts
    facts = summary_of(_load(path, stamp)[1])  # CheckpointError when it is unusable
    store_entry("summary", key, {"facts": np.array(json.dumps(facts))})
    return facts


def summary_facts(name: str) -> dict[str, Any] | None:
    """{"config", "metrics"} of checkpoint `name` for the sidebar summary, or None when it is
    unusable. Kept on disk by checkpoint content, so after the first start they come
    without loading the checkpoint (or torch)."""
    path = checkpoint_paths.resolve(name)
    if not path.is_file():
        return None
    try:
        return _summary_facts(str(path), _stamp(path))
    except Exception as exc:
        from explorer.checkpoint import CheckpointError

        if isinstance(exc, CheckpointError):
            return None
        raise


def model_summary(name: str) -> None:
    """A few lines under the model picker: what the model is and how good it is."""
    facts = summary_facts(name)
    if facts is None:
        st.error(load_error(name))
        return
    t = translator(COMMON)
    cfg, metrics = facts["config"], facts["metrics"]
    kind = kinds.kind_of(cfg)
    beta = f", β = {cfg['beta']:g}" if kind.uses_beta and cfg["beta"] != 1 else ""
    label = kind.label[LANGS.index(lang())]
    parts = [t("summary_head", kind=label, dim=cfg["latent_dim"], beta=beta)]
    if metrics.get("neg_elbo") is not None:
        parts.append(t("summary_elbo", value=metrics["neg_elbo"]))
    elif metrics.get("recon") is not None:
        parts.append(t("summary_recon", value=metrics["recon"]))
    if metrics.get("knn_accuracy") is not None:
        parts.append(t("summary_knn", value=metrics["knn_accuracy"]))
    st.caption(" · ".join(parts), help=t("summary_help"))
