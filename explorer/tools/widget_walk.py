"""Operate every widget a running Streamlit page shows, under AppTest, and record what
each action did: the walk behind tests/test_widget_walk.py.

`walk(at)` takes an `AppTest` that has run a page and discovers that page's widgets by
walking the element tree (main area and sidebar), so a new widget is covered without
new test code. It clicks every button, flips every toggle and checkbox both ways, picks
every option of every radio, selectbox, segmented control and pills, sets both ends of
every slider and number input (and comparable values of the rarer inputs), and reruns
after each. After every rerun it discovers again, keeping the set of (widget, value)
pairs already done, so a widget that appears only after another action is walked too.

What AppTest cannot drive is listed, not operated: file uploaders, custom components and
chart selections need a browser; download buttons have no server effect and are counted.

Only `streamlit.testing` is needed (no browser, no torch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import time
from functools import lru_cache
from pathlib import Path
from time import perf_counter
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

MAX_STEPS = 400  # a walk that needs more actions than this reports itself unfinished
SAMPLE_TEXT = "walk 한국어 ✓"  # what text inputs are set to (besides empty)
NEEDS_FILES = {"file_uploader", "camera_input", "audio_input"}


# ---------------------------------------------------------------- records
@dataclass
class Step:
    """One action and the rerun after it (the first step is the page opening)."""

    widget: str  # e.g. "slider 'Temperature' [sample.temp]"
    value: str  # what was set, e.g. "max = 2.5", "click", "on"
    seconds: float
    exceptions: list[str] = field(default_factory=list)  # st.exception elements, run errors
    errors: list[str] = field(default_factory=list)  # st.error texts on the page
    note: str = ""  # e.g. that the action switched pages

    def line(self) -> str:
        note = f" - {self.note}" if self.note else ""
        return f"{self.widget} := {self.value} ({self.seconds:.2f} s){note}"


@dataclass
class Walk:
    """Everything one walk did on one page."""

    page: str  # the page's script, relative to the app's folder
    steps: list[Step] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # widget -> why it was not operated
    downloads: set[str] = field(default_factory=set)  # download buttons seen
    skipped_keys: set[str] = field(default_factory=set)  # widgets left out on request, seen
    unfinished: bool = False  # MAX_STEPS reached with actions still pending

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def problems(self, expected_error: Callable[[str], bool] = lambda text: False) -> list[str]:
        """A readable line per exception and per unexpected `st.error`, naming the action."""
        lines = []
        for step in self.steps:
            what = f"{self.page}: after {step.widget} := {step.value}"
            lines += [f"{what}\n    EXCEPTION {text}" for text in step.exceptions]
            errors = [text for text in step.errors if not expected_error(text)]
            lines += [f"{what}\n    st.error {text!r}" for text in errors]
        if self.unfinished:
            lines.append(f"{self.page}: walk stopped after {MAX_STEPS} steps, actions pending")
        return lines

    def summary(self) -> str:
        """Steps with timings, and what was not operated: for a report or a failure."""
        lines = [f"{self.page}: {len(self.steps)} runs, {self.seconds:.1f} s"]
        lines += [f"  {s.line()}" for s in self.steps]
        lines += [f"  not operated: {w} ({why})" for w, why in sorted(self.skipped.items())]
        if self.downloads:
            lines.append(f"  download buttons (no server effect): {len(self.downloads)}")
        return "\n".join(lines)


# ---------------------------------------------------------------- discovery
def widgets(at: AppTest) -> Iterator[tuple[str, Any]]:
    """(area, element) for every element of the page a user can operate, main area then
    sidebar, in page order; nested containers (columns, expanders, tabs) included."""
    for area, root in (("main", at.main), ("sidebar", at.sidebar)):
        for node in root:
            if isinstance(node, Widget) or _browser_input(node):
                yield area, node


def _browser_input(node: Any) -> bool:
    """An element AppTest has no widget class for that still sends input: a custom
    component, a chart or dataframe with selections on."""
    proto = getattr(node, "proto", None)
    if hasattr(node, "children") or not getattr(proto, "id", ""):
        return False
    if "selection_mode" in proto.DESCRIPTOR.fields_by_name:
        return len(proto.selection_mode) > 0
    return True


def identity(node: Any) -> str:
    """What names a widget across reruns: its user key, else Streamlit's element id."""
    return node.key or node.proto.id


def describe(area: str, node: Any) -> str:
    label = getattr(node.proto, "label", "") or ""
    where = " (sidebar)" if area == "sidebar" else ""
    return f"{node.type} {label!r} [{node.key or '-'}]{where}"


def page_scripts(at: AppTest) -> list[str]:
    """The page files of the app's `st.navigation`, as registered by the last run, relative
    to the main script's folder (what `AppTest.switch_page` takes), in navigation order."""
    pages = getattr(at, "_registered_pages", None)
    if not pages:
        raise RuntimeError(
            "AppTest registered no st.navigation pages (run the app first; or this "
            "Streamlit version keeps them elsewhere)"
        )
    folder = Path(at._script_path).resolve().parent
    return [str(Path(info["script_path"]).resolve().relative_to(folder)) for info in pages.values()]


def current_page(at: AppTest) -> str | None:
    """The script of the page the last run showed (absolute), None if unknown."""
    info = getattr(at, "_registered_pages", {}).get(getattr(at, "_finished_page_script_hash", ""))
    return str(Path(info["script_path"]).resolve()) if info else None


def fingerprint(at: AppTest) -> str:
    """A digest of everything the page's main area shows (every element's proto, in order).
    Two runs with equal fingerprints showed the same page; used to tell pages that ignore
    the sidebar's model from those that do not."""
    digest = hashlib.sha256()
    for node in at.main:
        proto = getattr(node, "proto", None)
        digest.update(node.type.encode())
        if node.type in ("dataframe", "table"):  # their Arrow bytes hold a random Styler id
            digest.update(node.value.to_csv().encode())
        elif proto is not None and hasattr(proto, "SerializeToString"):
            digest.update(proto.SerializeToString(deterministic=True))
    return digest.hexdigest()


# ---------------------------------------------------------------- actions
@dataclass(frozen=True)
class Action:
    token: str  # what is set, as a report shows it
    apply: Callable[[Any], None]  # puts the value on the widget for the next run


def _set(value: Any) -> Callable[[Any], None]:
    return lambda node: node.set_value(value)


def _send(fill: Callable[[WidgetState], None]) -> Callable[[Any], None]:
    """Send the widget's state as the browser does (option labels, raw slider numbers)
    rather than through AppTest's value -> label round trip, which needs the raw option
    values (only the labels are on the page) and the exact `format_func` semantics."""

    def apply(node: Any) -> None:
        node._assert_can_interact()
        state = WidgetState(id=node.id)
        fill(state)
        node.__class__ = _sending_class(type(node))
        node._walk_state = state

    return apply


@lru_cache
def _sending_class(cls: type) -> type:
    return type(f"Sent{cls.__name__}", (cls,), {"_widget_state": property(_sent_state)})


def _sent_state(node: Any) -> WidgetState:
    return node._walk_state


def _strings(*values: str) -> Callable[[Any], None]:
    return _send(lambda ws: ws.string_array_value.data.extend(values))


def _string(value: str) -> Callable[[Any], None]:
    return _send(lambda ws: setattr(ws, "string_value", value))


def _doubles(*values: float) -> Callable[[Any], None]:
    return _send(lambda ws: ws.double_array_value.data.extend(values))


def _ends(lo: Any, hi: Any, is_range: bool, make: Callable[..., Callable]) -> list[Action]:
    """Both ends of a slider-like widget; a range one also collapsed at each end."""
    lo_, hi_ = (_num(v) if isinstance(v, float) else v for v in (lo, hi))
    if not is_range:
        return [Action(f"min = {lo_}", make(lo)), Action(f"max = {hi_}", make(hi))]
    return [
        Action(f"full range {lo_} .. {hi_}", make(lo, hi)),
        Action(f"collapsed at min {lo_}", make(lo, lo)),
        Action(f"collapsed at max {hi_}", make(hi, hi)),
    ]


def _choices(options: list[str], multi: bool, max_selections: int = 0) -> list[Action]:
    actions = [Action(repr(o), _strings(o)) for o in options]
    if multi:
        every = options[:max_selections] if max_selections else options
        actions += [Action("none", _strings()), Action(f"all {len(every)}", _strings(*every))]
    return actions


def actions(node: Any) -> list[Action] | str:
    """What the walk does with a widget, or why it does not operate it."""
    kind, p = node.type, node.proto
    if kind == "button":
        return [Action("click", lambda n: n.click())]
    if kind in ("checkbox", "toggle"):
        now = bool(node.value)
        return [Action("on" if v else "off", _set(v)) for v in (not now, now)]
    if kind in ("radio", "selectbox"):
        return [Action(repr(o), _string(o)) for o in node.options]
    if kind == "button_group":
        return _choices(node.options, multi=not node._is_single_select)
    if kind == "multiselect":
        return _choices(node.options, multi=True, max_selections=p.max_selections)
    if kind == "select_slider":
        return _ends(node.options[0], node.options[-1], len(p.default) == 2, _strings)
    if kind == "slider":
        return _ends(p.min, p.max, len(p.default) == 2, _doubles)
    if kind == "number_input":
        return _number_ends(node)
    if kind in ("text_input", "text_area", "chat_input"):
        return [Action(repr(SAMPLE_TEXT), _set(SAMPLE_TEXT)), Action("''", _set(""))]
    if kind == "date_input":
        set_range = lambda lo, hi=None: _set((lo, hi) if hi is not None else lo)  # noqa: E731
        return _ends(node.min, node.max, p.is_range, set_range)
    if kind == "time_input":
        return [Action(f"{t:%H:%M}", _set(t)) for t in (time(0, 0), time(23, 59))]
    if kind == "color_picker":
        return [Action(c, _set(c)) for c in ("#000000", "#ffffff")]
    if kind == "download_button":
        return "download button: no server effect"
    if kind in NEEDS_FILES:
        return f"{kind}: needs a file, AppTest cannot drive it here"
    if not isinstance(node, Widget):
        return f"{kind}: driven by the browser (Playwright tests), not AppTest"
    return f"{kind}: the walk has no actions for this widget type yet"


def _number_ends(node: Any) -> list[Action] | str:
    ends = [(name, v) for name, v in (("min", node.min), ("max", node.max)) if v is not None]
    if not ends:
        return "number_input without min or max: no ends to set"
    return [Action(f"{name} = {_num(v)}", _set(v)) for name, v in ends]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ---------------------------------------------------------------- the walk
def walk(
    at: AppTest,
    *,
    skip_keys: Iterable[str] = (),
    timeout: float | None = None,
    max_steps: int = MAX_STEPS,
    open_seconds: float = 0.0,
) -> Walk:
    """Operate every widget of the page `at` last ran (see the module docstring), rerun
    after each action and record it. `skip_keys`: widget keys to leave alone (e.g. the
    sidebar pickers a test iterates itself). The page is left in whatever state the last
    action set. `open_seconds`: how long the run that opened the page took, for the record.

    Order: the values of sliders, number inputs, buttons and text first; then one value of
    a switch (radio, selectbox, toggle, ...), preferring switches not yet touched, then the
    switch touched last; and again. So what a switch value reveals (the sigma slider of
    "Gaussian noise") is walked before the next value hides it.
    """
    page = current_page(at)
    folder = Path(at._script_path).resolve().parent
    name = str(Path(page).relative_to(folder)) if page else "?"
    result = Walk(name)
    result.steps.append(_observe(at, "page", "open", open_seconds))
    done: set[tuple[str, str]] = set()
    last_touched: dict[str, int] = {}  # widget identity -> number of its latest step
    skip = set(skip_keys)
    while (pending := _next(at, done, last_touched, skip, result)) is not None:
        if len(result.steps) > max_steps:
            result.unfinished = True
            break
        node, description, action = pending
        done.add((identity(node), action.token))
        last_touched[identity(node)] = len(result.steps)
        action.apply(node)
        step = _run(at, description, action.token, timeout)
        result.steps.append(step)
        if step.exceptions:  # the page stopped at the exception: rerun to see the rest
            result.steps.append(_run(at, "page", "rerun", timeout))
        if page and current_page(at) != page:  # a button that switches pages: come back
            step.note = f"left the page for {current_page(at)}; switched back"
            at.switch_page(name).run(timeout=timeout)
    return result


SWITCHES = {"radio", "selectbox", "checkbox", "toggle", "button_group", "multiselect"}


def _next(
    at: AppTest, done: set, last_touched: dict[str, int], skip: set[str], result: Walk
) -> tuple | None:
    """The next (widget, description, action) of the page not done yet (the order is in
    `walk`'s docstring). Records on the way what is skipped, so that a widget shown only
    now is listed even when other actions are pending."""
    pending = []  # (rank, page order, node, description, action)
    for order, (area, node) in enumerate(widgets(at)):
        description = describe(area, node)
        if node.key in skip:
            result.skipped_keys.add(node.key)
            continue
        todo = actions(node)
        if isinstance(todo, str):
            if node.type == "download_button":
                result.downloads.add(identity(node))
            else:
                result.skipped[description] = todo
            continue
        ident = identity(node)
        if getattr(node.proto, "disabled", False):
            if ident not in last_touched:
                result.skipped.setdefault(description, "disabled whenever the walk saw it")
            continue  # operated once it is enabled
        result.skipped.pop(description, None)
        todo = [a for a in todo if (ident, a.token) not in done]
        if todo:
            if node.type not in SWITCHES:
                rank = (0, 0)
            elif ident not in last_touched:
                rank = (1, 0)
            else:
                rank = (2, -last_touched[ident])
            pending.append((rank, order, node, description, todo[0]))
    if not pending:
        return None
    return min(pending, key=lambda p: p[:2])[2:]


def _run(at: AppTest, widget: str, value: str, timeout: float | None) -> Step:
    """Rerun the page with what was set, and record it."""
    start, crash = perf_counter(), None
    try:
        at.run(timeout=timeout)
    except Exception as exc:  # a timeout or an AppTest error: the step failed
        crash = f"{type(exc).__name__}: {exc}"
    return _observe(at, widget, value, perf_counter() - start, crash)


def _observe(at: AppTest, widget: str, value: str, seconds: float, crash: str | None = None):
    """The step's record: exceptions on the page (with the innermost frames), st.error texts."""
    exceptions = [_exception_text(e) for e in at.exception]
    if crash:
        exceptions.append(crash)
    return Step(widget, value, seconds, exceptions, [e.value for e in at.error])


def _exception_text(element: Any) -> str:
    """Type, message and the innermost frames outside installed packages (the app's own)."""
    proto = element.proto
    own = [" ".join(f.split()) for f in proto.stack_trace if "site-packages" not in f]
    return f"{proto.type}: {proto.message}" + "".join(f"\n      {f}" for f in own[-3:])
