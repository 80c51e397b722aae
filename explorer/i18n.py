"""English and Korean text for the app: one catalog per page, one translator per run.

A catalog maps a message key to its text in every language, in `LANGS` order:

    CATALOG = {"title": ("Latent map", "잠재 공간 지도"),
               "decoded_at": ("decoded at z = ({z})", "z = ({z}) 에서 디코딩한 결과")}

`Translator(CATALOG, "ko")("decoded_at", z="1.0, 2.0")` formats the Korean text. Catalogs
live in `pages/texts/<page>.py` as plain data, so a test can check every one of them
(both languages present, the same `{placeholders}` in each) without running Streamlit.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

LANGS: tuple[str, ...] = ("en", "ko")
LANG_NAMES = {"en": "English", "ko": "한국어"}
DEFAULT_LANG = "en"

Catalog = Mapping[str, tuple[str, ...]]


class Translator:
    """Look up and format a catalog's text in one language: `t("key", name=value)`."""

    def __init__(self, catalog: Catalog, lang: str = DEFAULT_LANG):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
        self.catalog, self.lang, self._i = catalog, lang, LANGS.index(lang)

    def __call__(self, key: str, **fmt: object) -> str:
        text = self.catalog[key][self._i]
        return text.format(**fmt) if fmt else text

    def options(self, keys: Mapping[str, str]) -> dict[str, str]:
        """{value: translated label} for a radio or selectbox `format_func`, from
        {value: message key}."""
        return {value: self(key) for value, key in keys.items()}


def placeholders(text: str) -> set[str]:
    """The `{names}` a text formats in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check_catalog(catalog: Catalog) -> list[str]:
    """Problems of a catalog, one line each: a missing or empty language, or texts whose
    placeholders differ between languages. Empty when the catalog is sound."""
    problems = []
    for key, texts in catalog.items():
        if len(texts) != len(LANGS) or not all(isinstance(t, str) and t.strip() for t in texts):
            problems.append(f"{key}: needs a non-empty text for each of {LANGS}")
            continue
        names = [placeholders(t) for t in texts]
        if any(n != names[0] for n in names):
            problems.append(f"{key}: placeholders differ between languages: {names}")
    return problems
