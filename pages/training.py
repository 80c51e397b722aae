"""Training replay: the sidebar model's stored snapshots of test latents, animated in the
browser, beside its per-epoch reconstruction and KL curves."""

import os

import streamlit as st

from explorer.compare import Replay, replay_coords
from explorer.teaching_figures import training_replay
from explorer.texts.training import CATALOG
from pages import shared

TITLE_KEYS = ("map", "recon", "kl", "epoch", "train", "test", "play", "pause", "digit", "unit")

t = shared.translator(CATALOG)
state = shared.PageState("replay", {"ms": (900, shared.int_in(200, 3000))})

st.title(t("title"))
name, model = shared.page_model()
info = shared.model_info(name)
snapshots = info.get("snapshots")
if not snapshots or len(snapshots.get("epoch", [])) == 0:
    st.info(t("no_snapshots", name=name))
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=8)
def replay_of(key: tuple, _snapshots) -> Replay:
    """2-D coordinates of every snapshot (PCA fitted once, on the final one, for D > 2)."""
    return replay_coords(_snapshots)


path = str(model.checkpoint_path)
replay = replay_of((name, path, os.stat(path).st_mtime_ns), snapshots)
n_points = replay.coords.shape[1]
is_ae = model.config.kind == "ae"
intro = t("intro", count=n_points, name=name, snapshots=len(replay.epochs))
left, right = st.columns([3, 1], vertical_alignment="center")
left.markdown(f"{intro} {t('ae_note' if is_ae else 'vae_note')}")
right.slider(t("speed"), 200, 3000, step=100, key=state.key("ms"), help=t("speed_help"))
if replay.projected:
    st.caption(t("pca_note", name=name, dim=model.config.latent_dim))
titles = {key: t(key) for key in TITLE_KEYS}
titles["x"], titles["y"] = ("PC 1", "PC 2") if replay.projected else ("z1", "z2")
fig = training_replay(replay, info["history"], titles, frame_ms=state["ms"])
st.plotly_chart(fig, config=shared.PLOT_CONFIG, key="replay.chart")
st.caption(t("curves_note", epochs=", ".join(map(str, replay.epochs))))
state.publish()
