"""Bookmarkable page state: widget values seeded from the URL query string and
written back to it, and the parsers that check each value."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from pages.language import LANG_KEY, lang, translator
from pages.texts.common import CATALOG as COMMON

MODEL_KEY = "model"  # session key of the model picked in the sidebar (app.py)


MAX_PARAM_CHARS = 200  # longer query values are ignored unparsed


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
                    rejected.append(f"{name}={clip(raw)}")
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
        if st.session_state.get(MODEL_KEY):  # a page with fixed models may come first
            params[MODEL_KEY] = st.session_state[MODEL_KEY]
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


def clip(raw: str, n: int = 24) -> str:
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
