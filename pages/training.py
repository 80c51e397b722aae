"""Training replay: the picked model's stored snapshots of test latents, animated in the
browser, beside its per-epoch reconstruction and KL curves.

Layout for a projector: the replay across the whole width (the map at full height, the
player's buttons and epoch slider above the curves), the speed and the notes below it.
"""

import streamlit as st

from explorer import kinds
from explorer.compare import Replay, replay_coords
from explorer.figures import with_layout
from explorer.figures.lessons import replay_controls, training_replay
from pages import checkpoints, figcache, frame, language, measured, pagestate, picker
from pages.texts.training import CATALOG

TITLE_KEYS = ("map", "recon", "kl", "epoch", "train", "test", "play", "pause", "digit", "unit")
REPLAY_HEIGHT = 525  # px: the replay with its controls fits under the header on 720 px

t = language.translator(CATALOG)
frame.header(t)
state = pagestate.PageState("replay", {"ms": (900, pagestate.int_in(200, 3000))})
name, model = picker.page_model()
info = checkpoints.model_info(name)
snapshots = info.get("snapshots")
if not snapshots or len(snapshots.get("epoch", [])) == 0:
    st.info(t("no_snapshots", name=name))
    st.stop()


@st.cache_resource(show_spinner=False, max_entries=8)
def replay_of(key: tuple, _snapshots) -> Replay:
    """2-D coordinates of every snapshot (PCA fitted once, on the final one, for D > 2)."""
    return replay_coords(_snapshots)


replay = replay_of(checkpoints.checkpoint_key(name), snapshots)
is_ae = not kinds.kind_of(model).has_posterior
titles = {key: t(key) for key in TITLE_KEYS}
titles["x"], titles["y"] = ("PC 1", "PC 2") if replay.projected else ("z1", "z2")
# Built once per model and language; the speed slider only swaps the player's controls.
replay_fig = figcache.cached_figure(
    ("replay", *checkpoints.checkpoint_key(name)),
    lambda: training_replay(replay, info["history"], titles, height=REPLAY_HEIGHT),
)
fig = with_layout(replay_fig, replay_controls(replay.epochs, titles, state["ms"]))
with frame.figure_box(), frame.result_box():
    st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="replay.chart")


knn = measured.snapshot_knn(name, snapshots)  # 5-NN of each snapshot's codes, kept on disk
speed, notes = st.columns([1, 3], gap="medium")
speed.slider(t("speed"), 200, 3000, step=100, key=state.key("ms"), help=t("speed_help"))
with notes:
    shown = t("shown", count=replay.coords.shape[1], name=name, snapshots=len(replay.epochs))
    st.caption(f"{shown} {t('ae_note' if is_ae else 'vae_note')}")
    st.markdown(
        t("knn_rise", first=knn[0], e0=replay.epochs[0], last=knn[-1], e1=replay.epochs[-1])
    )
    if replay.projected:
        st.caption(t("pca_note", name=name, dim=model.config.latent_dim))
    st.caption(t("curves_note", epochs=", ".join(map(str, replay.epochs))))
state.publish()
