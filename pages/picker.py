"""The model picker in each page's header, the model it stands on, and its summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from explorer import checkpoint_paths, kinds
from explorer.diskcache import load_entry, store_entry
from explorer.i18n import LANGS
from explorer.projection import (
    load_shipped_summary,
    summary_of,
)
from pages.checkpoints import digest_of, file_stamp, load_checkpoint, load_error, model, model_info
from pages.language import lang, translator
from pages.pagestate import MODEL_KEY, clip, url_notice
from pages.texts.common import CATALOG as COMMON

_PICKER_KEY = "_model_picker"  # the sidebar widget's own key


def page_model():
    """(name, model) of the sidebar's model; stops the page after a clear error when that
    checkpoint is unusable (the sidebar still offers the others)."""
    name = current_model_name()
    loaded = model(name)
    if loaded is None:
        st.stop()
    return name, loaded


def model_for(name: str, accept: Callable[[dict], bool], preferred: str) -> str | None:
    """`name` if its config passes `accept`, else `preferred`, else the first usable
    checkpoint that does; None when there is none. For pages that need, say, a 2-D VAE."""
    names = checkpoint_paths.list_models()
    for candidate in [name, preferred, *names]:
        usable = candidate in names and load_error(candidate) is None
        if usable and accept(model_info(candidate)["config"]):
            return candidate
    return None


def current_model_name() -> str | None:
    """The model picked in the sidebar; on a fresh session, the URL's `model`, else vae-2d,
    else the first checkpoint (None when there is none)."""
    names = checkpoint_paths.list_models()
    name = st.session_state.get(MODEL_KEY)
    if name not in names:
        wanted = st.query_params.get(MODEL_KEY)
        if wanted is not None and wanted not in names:
            url_notice([f"{MODEL_KEY}={clip(wanted)}"])
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
    key = digest_of(path, stamp)
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
    facts = summary_of(load_checkpoint(path, stamp)[1])  # CheckpointError when it is unusable
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
        return _summary_facts(str(path), file_stamp(path))
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
    label = kind_label(kind)
    parts = [t("summary_head", kind=label, dim=cfg["latent_dim"], beta=beta)]
    if metrics.get("neg_elbo") is not None:
        parts.append(t("summary_elbo", value=metrics["neg_elbo"]))
    elif metrics.get("recon") is not None:
        parts.append(t("summary_recon", value=metrics["recon"]))
    if metrics.get("knn_accuracy") is not None:
        parts.append(t("summary_knn", value=metrics["knn_accuracy"]))
    st.caption(" · ".join(parts), help=t("summary_help"))


def kind_label(kind: kinds.Kind) -> str:
    """What the model picker calls a kind of model, in the page's language."""
    return kind.label[LANGS.index(lang())]
