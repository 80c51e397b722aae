"""Per-page text catalogs (English, Korean) for the app; see `explorer.i18n`.

Each module holds one `CATALOG` dict and nothing else, so tests can check them all.
"""

from __future__ import annotations

import importlib
import pkgutil

from explorer.i18n import Catalog


def all_catalogs() -> dict[str, Catalog]:
    """{module name: CATALOG} for every module in this package."""
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}").CATALOG
        for info in pkgutil.iter_modules(__path__)
    }
