"""Page URLs on a freshly started server (imported by `pages.frame`)."""

from __future__ import annotations

import streamlit as st


def leave_pages_directory_mode() -> None:
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
