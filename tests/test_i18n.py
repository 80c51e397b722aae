"""English/Korean text: every catalog complete and consistent; the switch works and sticks."""

from __future__ import annotations

import re

import pytest

from explorer.i18n import LANGS, Translator, check_catalog, placeholders
from pages.texts import all_catalogs

from .conftest import ROOT

CATALOGS = all_catalogs()
HANGUL = re.compile("[\uac00-\ud7a3]")


def test_translator_formats_and_rejects_unknown_languages():
    cat = {"hi": ("z = {z:.1f}", "z 값은 {z:.1f}")}
    assert Translator(cat, "en")("hi", z=1.25) == "z = 1.2"
    assert Translator(cat, "ko")("hi", z=1.25) == "z 값은 1.2"
    assert Translator(cat, "ko").options({"a": "hi"}) == {"a": "z 값은 {z:.1f}"}
    with pytest.raises(ValueError):
        Translator(cat, "fr")


def test_check_catalog_finds_missing_and_mismatched_texts():
    bad = {"a": ("one", ""), "b": ("{x}", "{y}"), "c": ("only english",)}
    problems = check_catalog(bad)
    assert len(problems) == 3 and problems[1].startswith("b:")
    assert placeholders("{a} and {b:.2f}") == {"a", "b"}


@pytest.mark.parametrize("name", sorted(CATALOGS))
def test_every_catalog_is_complete_and_korean_is_korean(name):
    catalog = CATALOGS[name]
    assert catalog and check_catalog(catalog) == []
    ko = LANGS.index("ko")
    # Every entry with words has Hangul in its Korean text (symbols and names may stay).
    words = [(k, re.sub(r"\{[^}]*\}", "", texts[0])) for k, texts in catalog.items()]
    untranslated = [
        k
        for k, english in words
        if re.search("[A-Za-z]{4,}", english)
        and catalog[k][ko] == catalog[k][0]
        and not HANGUL.search(catalog[k][ko])
    ]
    assert not untranslated, untranslated


def test_every_page_uses_a_catalog():
    pages = [p for p in (ROOT / "pages").glob("*.py") if p.stem not in {"shared", "__init__"}]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "st.title(" in text or "st.markdown(" in text:
            assert "language.translator(" in text, f"{page.name} shows text without a catalog"
