"""Train live: a fresh VAE (or AE) learning MNIST on this machine while the class watches.

The run belongs to the server (`explorer.live`): its own process trains and records, every
app process reads the record, so every student's tab shows the same run. This page only
reads widgets, asks `explorer.live` to start, pause, stop or save, and draws the newest
recorded frame (or the one the step slider points at) every half second.

Layout for a projector: the controls in one row under the header, the status and the
step slider under them, then the latent map on the left and the loss curves, decoded
prior samples and decoded manifold on the right, all on the first 1280x720 screen; saving
below.
"""

from __future__ import annotations

import hmac

import numpy as np
import streamlit as st

from explorer import checkpoint_paths, live
from explorer.figures.live import live_map, loss_curves
from explorer.images import png_bytes
from explorer.manifold import tile
from pages import figcache, frame, language, pagestate
from pages.texts.train_live import CATALOG

MAP_HEIGHT = 430  # px: the map under the header, controls and status on a 720-px screen
CURVES_HEIGHT = 200
TILE_PX = 180  # px: the prior-sample and manifold mosaics, side by side under the curves
STATUS_BOX = "live-status"  # the run's state line (browser tests and the bench read it)
REFRESH_S = 0.5  # the view redraws this often while a run is active
TRAIN_SIZES = (1_000, 2_000, 5_000, 10_000, 20_000, 60_000)
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 2e-3, 5e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)

t = language.translator(CATALOG)
frame.header(t, models=None)
ss = st.session_state
token = ss.setdefault("live.token", live.new_token())


def lecturer_key() -> str:
    """The key in .streamlit/secrets.toml (`live_key`), or "" when none is set."""
    try:
        return str(st.secrets.get("live_key", "") or "")
    except Exception:  # no secrets file, or one that does not parse: no key
        return ""


KEY = lecturer_key()
key_ok = bool(KEY) and ss.get("live.lecturer") == KEY  # entered once, kept for the session
available = live.available_train_digits()
current = live.status()
active = current is not None and current.active
mine = active and (current.owned_by(token) or key_ok)


def chosen() -> live.Settings:
    return live.Settings(
        kind=ss.get("live.kind", "vae"),
        latent_dim=int(ss.get("live.dim", 2)),
        beta=float(ss.get("live.beta", 1.0)),
        train_size=int(ss.get("live.n", min(60_000, available))),
        lr=float(ss.get("live.lr", 5e-3)),
        epochs=int(ss.get("live.epochs", 10)),
    )


def summary(s: live.Settings) -> str:
    beta = f" · β {s.beta:g}" if s.kind == "vae" else ""
    kind = t(f"kind_{s.kind}")
    return t(
        "summary", kind=kind, dim=s.latent_dim, beta=beta, n=s.train_size, lr=s.lr, epochs=s.epochs
    )


def problem_text(p: live.Problem) -> str:
    return t(f"bad_{p.code}", **p.params)


def on_key() -> None:
    """The lecturer's key typed: kept in a plain session key (a widget's own state is
    dropped when the page is left), so it is entered once per session."""
    typed = ss.get("live.key_input", "")
    if KEY and hmac.compare_digest(typed, KEY):
        ss["live.lecturer"] = KEY
        ss["live.msg"] = None


def on_start() -> None:
    if KEY and not key_ok:
        ss["live.msg"] = ("warning", t("key_needed"))
        return
    try:
        live.start(chosen(), token, available=available)
    except live.SettingsRefused as exc:
        why = "; ".join(map(problem_text, exc.problems))
        ss["live.msg"] = ("warning", t("refused", why=why))
    except live.LiveError as exc:
        ss["live.msg"] = (
            ("info", t("busy")) if exc.code == "busy" else ("error", t("err_start", error=exc))
        )
    except OSError as exc:  # the run's folder cannot be written (disk full, permissions)
        ss["live.msg"] = ("error", t("err_start", error=str(exc)[:200]))
    else:
        ss["live.msg"] = None
        ss["live.follow"] = True


def on_command(cmd: str) -> None:
    try:
        live.command(cmd, token, key_ok=key_ok)
        ss["live.msg"] = None
    except live.LiveError as exc:
        ss["live.msg"] = ("info", t(exc.code))


# ---------------------------------------------------------------- controls row
settings_col, start_col, pause_col, stop_col, note_col = st.columns(
    [3.2, 0.8, 1.0, 0.8, 2.6], vertical_alignment="center"
)
shown = current.settings if active else chosen()
settings_box = settings_col.container(key="live-settings")  # (the browser tests open it)
with settings_box.popover(t("settings", summary=summary(shown)), width="stretch"):
    if KEY and not key_ok:
        st.text_input(
            t("key"), type="password", key="live.key_input", help=t("key_help"), on_change=on_key
        )
        if ss.get("live.key_input"):
            st.warning(t("key_wrong"))
    kind_labels = {k: t(f"kind_{k}") for k in live.KINDS}
    st.radio(
        t("kind"),
        live.KINDS,
        format_func=kind_labels.get,
        key="live.kind",
        horizontal=True,
        disabled=active,
    )
    lo, hi = live.LIMITS["latent_dim"]
    st.number_input(
        t("dim"), lo, hi, value=2, step=1, key="live.dim", help=t("dim_help"), disabled=active
    )
    st.slider(
        t("beta"),
        0.0,
        8.0,
        value=1.0,
        step=0.25,
        key="live.beta",
        help=t("beta_help"),
        disabled=active or ss.get("live.kind", "vae") != "vae",
    )
    sizes = sorted({n for n in TRAIN_SIZES if n <= available} | {available})
    if ss.get("live.n") not in sizes:
        ss["live.n"] = sizes[-1]
    st.select_slider(
        t("train_size"), sizes, key="live.n", format_func="{:,}".format, disabled=active
    )
    st.select_slider(
        t("lr"),
        LEARNING_RATES,
        value=5e-3,
        key="live.lr",
        format_func="{:g}".format,
        help=t("lr_help"),
        disabled=active,
    )
    st.slider(t("epochs"), *live.LIMITS["epochs"], value=10, key="live.epochs", disabled=active)
start_col.button(
    t("start"),
    type="primary",
    icon=":material/play_arrow:",
    on_click=on_start,
    disabled=active,
    help=t("start_busy") if active else None,
    width="stretch",
    key="live.start",
)
paused = active and current.state == "paused"
pause_col.button(
    t("resume") if paused else t("pause"),
    icon=":material/play_arrow:" if paused else ":material/pause:",
    on_click=on_command,
    args=("run" if paused else "pause",),
    disabled=not mine,
    help=None if mine or not active else t("not_owner"),
    width="stretch",
    key="live.pause",
)
stop_col.button(
    t("stop"),
    icon=":material/stop:",
    on_click=on_command,
    args=("stop",),
    disabled=not mine,
    help=None if mine or not active else t("not_owner"),
    width="stretch",
    key="live.stop",
)
with note_col:
    if msg := ss.get("live.msg"):
        getattr(st, msg[0])(msg[1])
    elif active:
        st.caption(t("yours") if current.owned_by(token) else t("watching"))

# ---------------------------------------------------------------- the live view
seen_state = current.state if current else None


def state_line(cur: live.Status) -> str:
    state = cur.state
    if state == "diverged" or state == "failed":
        return t(f"state_{state}", message=cur.get("message", ""))
    if state == "died":
        return t("state_died", step=int(cur.get("step", 0)))
    return t(f"state_{state}")


def freeze(n_frames: int) -> None:
    """Following turned off: the slider keeps the frames recorded until now."""
    ss["live.scrub_n"] = n_frames


def empty_plane(text: str) -> None:
    """Before the first frame: the plane the codes will land on, and what to do."""
    titles = {"map": "", "digit": t("digit"), "x": "z1", "y": "z2"}
    map_col, side = st.columns([1.3, 1.0], gap="medium")
    with map_col, frame.figure_box():
        fig = figcache.cached_figure(
            ("live-empty",),
            lambda: live_map(
                np.zeros((0, 2)), np.zeros(0), titles, MAP_HEIGHT, note=t("press_start")
            ),
        )
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="live.map")
    with side, frame.result_box():
        st.info(text)


def view() -> None:
    cur = live.status()
    if cur is None:
        empty_plane(t("state_none"))
        return
    if cur.state != seen_state:  # started, paused, ended elsewhere: redraw the controls
        st.rerun()
    frames = live.frame_paths(cur.run_dir)
    watched = live.watched(cur.run_dir)
    status_col, slider_col, follow_col = st.columns([2.6, 2.8, 1.0], vertical_alignment="center")
    with status_col, st.container(key=STATUS_BOX):
        text = state_line(cur)
        if frames and cur.get("knn") is not None:
            facts = t(
                "facts",
                step=int(cur.get("step", 0)),
                epoch=float(cur.get("epoch", 0)),
                speed=float(cur.get("steps_per_s", 0)),
                knn=float(cur.get("knn", 0)),
            )
            text = f"**{text}** · {facts}"
        if cur.get("clusters_at") is not None:
            text += " · " + t(
                "clusters_at", seconds=cur.get("clusters_at"), step=int(cur.get("clusters_step", 0))
            )
        st.markdown(text, help=t("clusters_help", share=live.CLUSTER_KNN))
    if not frames or watched is None:  # starting, or a run that ended before its first frame
        empty_plane(t("state_starting") if cur.active else t("state_none"))
        return
    steps = [live.frame_step(p) for p in frames]
    ss.setdefault("live.follow", True)  # (Start sets it too: no `value=` beside the key)
    follow = follow_col.toggle(
        t("follow"),
        key="live.follow",
        on_change=freeze,
        args=(len(steps),),
        help=t("follow_help"),
    )
    # Following: the newest frame. Scrubbing: a slider over the frames there were when
    # following stopped, so its options hold still.
    if not follow:
        steps = steps[: ss.get("live.scrub_n", len(steps))]
    if follow or ss.get("live.frame") not in steps:
        ss["live.frame"] = steps[-1]
    if follow:  # no slider: one whose options grow under it lags behind and sends values
        slider_col.caption(t("frames_kept", n=len(steps)))
    elif len(steps) > 1:
        slider_col.select_slider(
            t("frame"), steps, key="live.frame", format_func="{:,}".format, help=t("frame_help")
        )
    at = steps.index(ss["live.frame"])
    data = live.load_frame(frames[at])
    if data is None:
        return
    draw_frame(cur, frames[at], data, watched["labels"])


def draw_frame(cur: live.Status, path, data: dict, labels: np.ndarray) -> None:
    step = int(data["step"])
    projected = bool(data["projected"])
    titles = {
        "map": t("map", step=step),
        "digit": t("digit"),
        "x": "PC 1" if projected else "z1",
        "y": "PC 2" if projected else "z2",
        "recon": t("recon"),
        "kl": t("kl"),
        "step": t("step"),
    }
    is_vae = cur.settings.kind == "vae"
    map_col, side = st.columns([1.3, 1.0], gap="medium")
    with map_col, frame.figure_box():
        fig = figcache.cached_figure(
            ("live-map", str(path)),
            lambda: live_map(data["xy"], labels, titles, height=MAP_HEIGHT),
        )
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="live.map")
    with side:
        rows = live.loss_rows(cur.run_dir)  # the file is read only for a new figure
        scrubbing = not ss.get("live.follow", True)
        if rows:

            def curves_figure():
                losses = live.losses(cur.run_dir)[:rows]
                losses = losses[losses[:, 0] <= step] if scrubbing else losses
                return loss_curves(
                    losses, titles, at_step=step, height=CURVES_HEIGHT, show_kl=is_vae
                )

            curves = figcache.cached_figure(
                ("live-curves", cur.id, rows, step, is_vae, scrubbing), curves_figure
            )
            st.plotly_chart(curves, theme=None, config=figcache.PLOT_CONFIG, key="live.curves")
        with frame.result_box():  # (the columns inside it, so the box holds the images)
            prior_col, grid_col = st.columns(2, gap="small")
            prior_col.image(
                mosaic(data["prior"], 4),
                t("prior") if is_vae else t("prior_ae"),
                output_format="PNG",
                width=TILE_PX,
            )
            grid_col.image(
                mosaic(data["manifold"], live.MANIFOLD),
                t("manifold"),
                output_format="PNG",
                width=TILE_PX,
            )


def mosaic(images: np.ndarray, n_cols: int) -> bytes:
    grid = tile(images.astype(np.float32) / 255.0, n_cols=n_cols, gap=2)
    return png_bytes(grid, max(1, TILE_PX // grid.shape[1]))


st.fragment(view, run_every=REFRESH_S if active else None)()

# ---------------------------------------------------------------- keeping the model
if current is not None and live.frame_paths(current.run_dir):
    st.subheader(t("save_head"), anchor=False)
    s = current.settings
    default = f"live-{s.kind}-{s.latent_dim}d"
    name_col, over_col, save_col, msg_col = st.columns(
        [1.6, 1.2, 1.0, 2.6], vertical_alignment="bottom"
    )
    name = name_col.text_input(
        t("save_name"), value=default, key="live.name", help=t("save_name_help"), max_chars=48
    ).strip()
    problem = live.name_problem(name)
    exists = problem is None and (checkpoint_paths.checkpoint_dir() / f"{name}.pt").exists()
    overwrite = exists and over_col.checkbox(t("overwrite", name=name), key="live.overwrite")
    can_save = current.state not in ("starting", "training")
    # a name that cannot be used, or one taken and not to be replaced, is said as it is
    # typed, and the button waits for a usable one
    blocked = problem is not None or (exists and not overwrite)
    pressed = save_col.button(
        t("save"),
        icon=":material/save:",
        disabled=not can_save or blocked,
        help=None if can_save else t("save_when"),
        key="live.save",
    )
    with msg_col:
        if problem is not None:
            st.warning(t(f"err_{problem}", name=name))
        elif exists and not overwrite:
            st.warning(t("err_exists", name=name))
        elif pressed:
            try:
                path = live.save_checkpoint(name, overwrite=overwrite)
            except live.LiveError as exc:  # e.g. the run started again meanwhile
                st.warning(t(f"err_{exc.code}", name=name))
            except OSError as exc:
                st.error(t("err_io", error=str(exc)[:200]))
            else:
                ss[pagestate.MODEL_KEY] = path.stem  # the model every page now shows
                done = live.saved_as(current) or {"step": 0}
                st.success(t("saved", name=path.stem, step=int(done["step"])))
                st.page_link(
                    "pages/latent_map.py",
                    label=t("open_saved", name=path.stem),
                    icon=":material/map:",
                )
        elif not can_save:
            st.caption(t("save_when"))
