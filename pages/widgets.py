"""Small UI pieces the pages share: the digit picker, dice buttons, number formats,
the offline-data notice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from pages.language import translator
from pages.pagestate import PageState
from pages.testset import test_arrays, test_labels
from pages.texts.common import CATALOG as COMMON


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
