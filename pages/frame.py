"""The frame every page shares, laid out for a 1280x720 projector.

One header row (title, "about this page", model picker, language), then a one-line lede:
about 110 px under Streamlit's top navigation, so a page's main figure and its result fit
on the first screen. The longer explanation sits behind the "about" popover. No sidebar:
the whole width goes to the figures.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from explorer import checkpoint_paths, kinds
from explorer.i18n import Translator
from pages import checkpoints, language, picker, routing, widgets
from pages.texts.common import CATALOG as COMMON

routing.leave_pages_directory_mode()  # before any page draws: app.py routes every URL

# Streamlit's wide layout pads the main column by 5rem on each side; on a 1280-px
# projector that is 12% of the width. Korean text breaks between words, not inside them.
_CSS = """
<style>
.block-container { padding-left: 2rem; padding-right: 2rem; }
h1 { padding-top: 0 !important; padding-bottom: 0 !important; }
[data-testid="stMainBlockContainer"] p { margin-bottom: 0.25rem; }
</style>
"""
_CSS_KO = """
<style>
[data-testid="stAppViewContainer"] * { word-break: keep-all !important; }
[data-testid="stAppViewContainer"] { overflow-wrap: break-word; }
</style>
"""

# Keys of the containers holding a page's main figure and the result it produces; the
# browser tests check that both are on the first 1280x720 screen.
FIGURE = "lesson-figure"
RESULT = "lesson-result"


def figure_box() -> st.delta_generator.DeltaGenerator:
    """The container for the page's main figure (`with frame.figure_box(): ...`)."""
    return st.container(key=FIGURE)


def result_box() -> st.delta_generator.DeltaGenerator:
    """The container for the result the main figure produces (decoded digit, score...)."""
    return st.container(key=RESULT)


def style() -> None:
    """The projector CSS (and Korean line breaking), once per script run."""
    st.html(_CSS + (_CSS_KO if language.lang() == "ko" else ""))


def unconditional(cfg: dict) -> bool:
    """A model that needs no digit label to encode or decode: every page takes one. A
    conditional one goes only where a page says so (it also needs the label)."""
    return not kinds.kind_of(cfg).conditional


def conditional(cfg: dict) -> bool:
    """A model that encodes and decodes given the digit label c."""
    return kinds.kind_of(cfg).conditional


def header(
    t: Translator,
    *,
    models: Callable[[dict], bool] | None = unconditional,
    fixed: tuple[str, ...] = (),
) -> None:
    """Title, the page's "about" popover, the model picker (or the fixed models the page
    always shows) and the language switch in one row; the one-line lede under it.

    `models` says which checkpoints make sense on this page (given a config dict); None
    when the page ignores the picker and always shows `fixed` (or no model at all).
    """
    style()
    common = language.translator(COMMON)
    title, about, pick, lang = st.columns([5.2, 0.9, 2.0, 1.45], vertical_alignment="center")
    title.title(t("title"), anchor=False)
    with about.popover(common("about"), icon=":material/info:", width="stretch"):
        st.markdown(t("intro"))
    with pick:
        if models is not None:
            picker.model_picker(accept=models)
        elif fixed:
            st.markdown(common("fixed_models", names=", ".join(fixed)))
    with lang:
        language.language_picker()
    lede, summary = st.columns([5.2 + 0.9, 2.0 + 1.45], vertical_alignment="top")
    lede.markdown(t("lede"))
    with summary:
        if models is not None:
            picker.model_summary(picker.current_model_name())
        widgets.data_notice()


def no_checkpoints_stop() -> None:
    """A clear message (and the app stops) when the checkpoint folder holds no model."""
    if not checkpoint_paths.list_models():
        style()
        st.error(
            language.translator(COMMON)("no_checkpoints", folder=checkpoint_paths.checkpoint_dir())
        )
        st.stop()


def fitting_model(t: Callable[..., str], accept: Callable[[dict], bool], none_key: str):
    """`header` with a model picker that offers only the checkpoints whose config `accept`s,
    then (name, model) of the picked one. When no checkpoint fits (the picker then offers
    them all), the page says `t(none_key)` and stops."""
    header(t, models=accept)
    name, model = picker.page_model()
    if not accept(checkpoints.model_info(name)["config"]):
        st.warning(t(none_key))
        st.stop()
    return name, model


def is_vae(cfg: dict) -> bool:
    """A VAE: it has q(z|x) to sample from, divide by and split into per-dimension KL."""
    return kinds.kind_of(cfg).has_posterior and unconditional(cfg)


def is_2d_vae(cfg: dict) -> bool:
    """A VAE whose q(z|x) lives on a plane: ellipses, quadrature over the latent plane."""
    return is_vae(cfg) and cfg["latent_dim"] == 2


def wide_vae(cfg: dict) -> bool:
    """A VAE with more than two latent dimensions (one to traverse dimension by dimension)."""
    return is_vae(cfg) and cfg["latent_dim"] > 2
