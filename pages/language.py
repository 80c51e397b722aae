"""The interface language: the session's choice (or the URL's), the picker, translators."""

from __future__ import annotations

import streamlit as st

from explorer.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Catalog, Translator

LANG_KEY = "lang"  # session key (and URL parameter) of the interface language


_LANG_PICKER_KEY = "_lang_picker"


def lang() -> str:
    """The interface language: the sidebar choice; on a fresh session the URL's `lang`."""
    current = st.session_state.get(LANG_KEY)
    if current not in LANGS:
        wanted = st.query_params.get(LANG_KEY)
        current = wanted if wanted in LANGS else DEFAULT_LANG
        st.session_state[LANG_KEY] = current
    return current


def translator(catalog: Catalog) -> Translator:
    """`t = language.translator(CATALOG)`; `t("key", **values)` is the text in the current
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
