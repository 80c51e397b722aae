"""Denoising / purification: corrupt a digit (Gaussian noise, salt and pepper, an occluding
square), reconstruct it, and measure both against the clean digit; then a sweep over
growing corruption shows the decoder pulling every input back onto the digit manifold."""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer import inference, kinds
from explorer.checkpoint import CheckpointError
from explorer.checkpoint_paths import resolve
from explorer.corrupt import (
    ACCURACY_SEED,
    KINDS,
    LEVEL_RANGE,
    AccuracyTable,
    accuracy_subset,
    corrupt,
    denoise_sweep,
    disagreements,
    level_grid,
    levels,
    purify,
    stored_accuracy_table,
)
from explorer.figures.corrupt import comparison_figure, sweep_figure
from explorer.figures.lessons import image_rows
from explorer.images import png_bytes
from explorer.manifold import tile
from explorer.projection import digits_key
from pages import (
    background,
    checkpoints,
    figcache,
    frame,
    language,
    measured,
    pagestate,
    picker,
    progress,
    testset,
    widgets,
)
from pages.texts.denoise import CATALOG

OWN_KEY = "own_digit"  # set by the "Your own digit" page: a (28, 28) array
N_LEVELS = 8
LEVEL_KEYS = {"gaussian": "sigma", "salt_pepper": "amount", "square": "side"}
STRIP_HEIGHT = 230  # px: two rows of 8 digits across the page
DEFAULT_SIGMA = 0.5  # the page opens on Gaussian noise strong enough to see it purified
DAE = "dae-2d"  # the denoising autoencoder the page compares the picked model with
EXAMPLE_POOL = 300  # digits searched for disagreements between the two models
EXAMPLES = 6  # shown per direction
EXAMPLES_PX = 540  # px: six digits at three times MNIST's size

t = language.translator(CATALOG)


def classifier_or_none():
    try:
        return checkpoints.classifier()
    except CheckpointError:
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _accuracy_table(key: tuple, _model, _clf) -> AccuracyTable:
    path, source = key[0], key[-1]
    subset = accuracy_subset(len(testset.test_labels()))
    images, labels = testset.test_images()[subset], testset.test_labels()[subset]
    data = digits_key(source, testset.test_labels())
    clf_digest = checkpoints.checkpoint_digest(resolve("classifier"))
    ident = f"{checkpoints.checkpoint_digest(path)}-{clf_digest}-{data}-n{len(subset)}"
    return stored_accuracy_table(_model, _clf, images, labels, ident)


def accuracy_table(model_name: str, model, clf) -> AccuracyTable:
    """Classifier accuracy on corrupted test digits and their reconstructions by model
    `model_name`, at every slider level, on a fixed subset: measured in the background
    once per model and kept on disk by the checkpoint's and the classifier's content."""
    return _accuracy_table(checkpoints.model_key(model_name), model, clf)


def classify(images: np.ndarray) -> list[tuple[int, float]] | None:
    """(digit, probability) per image (N, 28, 28), or None without a classifier."""
    clf = classifier_or_none()
    if clf is None:
        return None
    probs = inference.classify(clf, images)
    return [(int(p.argmax()), float(p.max())) for p in probs]


frame.header(t)
name, model = picker.page_model()
digits = testset.test_arrays()
state = pagestate.PageState(
    "denoise",
    {
        "digit": (None, pagestate.int_in(0, len(digits) - 1)),
        "own": (False, pagestate.flag),
        "kind": ("gaussian", pagestate.one_of(*KINDS)),
        "sigma": (DEFAULT_SIGMA, pagestate.float_in(*LEVEL_RANGE["gaussian"])),
        "amount": (0.1, pagestate.float_in(*LEVEL_RANGE["salt_pepper"])),
        "side": (8, pagestate.int_in(0, int(LEVEL_RANGE["square"][1]))),
        "seed": (0, pagestate.int_in(0, 2**31 - 1)),
    },
)
if state["digit"] is None:  # opens on a digit the model purifies (a stated rule)
    state.set("digit", measured.denoise_default(name, "gaussian", DEFAULT_SIGMA))
own = st.session_state.get(OWN_KEY)
if own is None and state["own"]:
    state.set("own", False)

controls, shown = st.columns([1, 3.1], gap="medium")
with controls:
    st.number_input(
        t("digit"), min_value=0, max_value=len(digits) - 1, step=1, key=state.key("digit"),
        disabled=state["own"],
    )  # fmt: skip
    widgets.random_button(
        t("random"), state, "digit", lambda: int(np.random.default_rng().integers(len(digits))),
        key="denoise.random", icon=":material/casino:", disabled=state["own"], width="stretch",
    )  # fmt: skip
    if own is not None:
        st.toggle(t("use_own"), key=state.key("own"), help=t("use_own_help"))
    st.radio(t("kind"), KINDS, key=state.key("kind"), format_func=lambda k: t(f"kind_{k}"))
    kind = state["kind"]
    if kind == "gaussian":
        st.slider(t("sigma"), 0.0, 1.0, step=0.05, key=state.key("sigma"), help=t("sigma_help"))
    elif kind == "salt_pepper":
        st.slider(t("amount"), 0.0, 0.6, step=0.02, key=state.key("amount"), help=t("amount_help"))
    else:
        st.slider(t("side"), 0, 20, step=1, key=state.key("side"), help=t("side_help"))
    widgets.random_button(
        t("new_noise"), state, "seed", widgets.random_seed,
        key="denoise.new_noise", icon=":material/casino:", width="stretch",
    )  # fmt: skip

clean = np.asarray(own, np.float32) if state["own"] else testset.test_images()[state["digit"]]
level = float(state[LEVEL_KEYS[kind]])
seed = state["seed"]
now = denoise_sweep(model, clean, kind, [0.0, level], seed)  # [clean baseline, chosen level]
noisy, recon = now.corrupted[1], now.reconstructed[1]

# ---------------------------------------------------------------- one corrupted digit
with shown:
    cols = st.columns([1, 1, 1, 0.95])
    labels = classify(np.stack([clean, noisy, recon]))
    for col, img, key, i in zip(
        cols, (clean, noisy, recon), ("original", "corrupted", "reconstruction"), range(3)
    ):
        caption = t(key)
        if labels is not None:
            caption += " · " + t("classified", digit=labels[i][0], p=labels[i][1])
        with col:
            box = frame.figure_box() if i == 1 else frame.result_box() if i == 2 else col
            box.image(png_bytes(img, scale=8), caption=caption, width="stretch")
    with cols[3]:
        st.metric(t("d_corrupted"), f"{now.corrupted_error[1]:.1f}", help=t("d_corrupted_help"))
        delta = now.reconstructed_error[1] - now.corrupted_error[1]
        st.metric(
            t("d_recon"), f"{now.reconstructed_error[1]:.1f}", delta=round(delta, 1),
            delta_color="inverse", help=t("d_recon_help"),
        )  # fmt: skip
        st.metric(t("d_clean"), f"{now.reconstructed_error[0]:.1f}", help=t("d_clean_help"))

    clf = classifier_or_none()
    if clf is not None:
        table = accuracy_table(name, model, clf)
        table.want(kind, 0.0)
        table.want(kind, level)  # first
        table.start()
        if table.get(kind, level) and table.get(kind, 0.0):
            acc_noisy, acc_recon = table.get(kind, level)
            acc_clean = table.get(kind, 0.0)[1]
            st.markdown(t("accuracy", n=table.n, noisy=acc_noisy, recon=acc_recon, clean=acc_clean))
            if acc_recon < acc_noisy:
                st.caption(t("accuracy_lesson"))
        else:
            progress.progress_until(
                lambda: bool(table.get(kind, level) and table.get(kind, 0.0)),
                lambda: (table.measured(kind), t("accuracy_wait", n=table.n)),
            )


# ---------------------------------------------------------------- VAE against DAE
def compare_with_dae(clf) -> None:
    """This page's model against the denoising autoencoder on the same corrupted digits:
    the accuracy of the purified digit against the level (one chart) and digits one of
    them purifies into the wrong digit and the other does not."""
    st.subheader(t("dae_head"))
    if checkpoints.load_error(DAE):
        st.info(t("dae_missing", name=DAE, error=checkpoints.load_error(DAE)))
        return
    dae = checkpoints.model(DAE)
    names = {name: model_label(name), DAE: model_label(DAE)}
    tables = {n: accuracy_table(n, m, clf) for n, m in ((name, model), (DAE, dae))}
    for table in tables.values():
        table.want(kind, level)
        table.start()
    grid = level_grid(kind)
    measured_all = all(tb.measured(kind) >= 1.0 for tb in tables.values())

    def column(table, j):
        return np.array([(table.get(kind, v) or (np.nan, np.nan))[j] for v in grid])

    chart, words = st.columns([1.5, 1], gap="medium")
    with chart:
        noisy = column(tables[name], 0)
        purified = {names[n]: column(tb, 1) for n, tb in tables.items()}
        shown = (noisy.tobytes(), *(a.tobytes() for a in purified.values()))
        fig = figcache.cached_figure(  # rebuilt only when a level is measured or moved
            ("denoise.compare", name, kind, level, shown),
            lambda: comparison_figure(
                grid, noisy, purified, t(f"level_{kind}"), t("dae_accuracy_axis"),
                t("row_corrupted"), current=level,
            ),
        )  # fmt: skip
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="denoise.compare")
        if not measured_all:
            progress.progress_until(
                lambda: all(tb.measured(kind) >= 1.0 for tb in tables.values()),
                lambda: (min(tb.measured(kind) for tb in tables.values()),
                         t("accuracy_wait", n=tables[DAE].n)),
            )  # fmt: skip
    with words:
        st.markdown(t("dae_why"))
        now = {n: tb.get(kind, level) for n, tb in tables.items()}
        if all(now.values()):
            vae_acc, dae_acc = now[name][1], now[DAE][1]
            verdict = "dae_better" if dae_acc > vae_acc else "dae_not_better"
            st.markdown(t(verdict, dae=names[DAE], vae=names[name], dae_acc=dae_acc,
                          vae_acc=vae_acc, noisy=now[name][0], n=tables[DAE].n))  # fmt: skip
    pair = (*checkpoints.model_key(name), *checkpoints.model_key(DAE))
    examples = background.result(  # 600 reconstructions and readings: off the click
        ("denoise.examples", *pair, kind, level),
        lambda progress: purification_examples(pair, kind, level, model, dae, clf),
        t("dae_examples_wait", n=EXAMPLE_POOL),
        priority=1,
    )
    if examples is not None:
        show_examples(examples, names[name], names[DAE])


def model_label(model_name: str) -> str:
    """ "VAE (vae-2d)": the kind's name in the page's language and the checkpoint's."""
    kind_name = kinds.kind_of(checkpoints.model_info(model_name)["config"])
    return f"{picker.kind_label(kind_name)} ({model_name})"


@st.cache_resource(show_spinner=False, max_entries=32)
def purification_examples(key: tuple, kind: str, level: float, _a, _b, _clf) -> dict:
    """Corrupted digits of the first EXAMPLE_POOL of the accuracy subset, what each model
    purifies them into, and where they disagree (once per models, kind and level)."""
    subset = accuracy_subset(len(testset.test_labels()))[:EXAMPLE_POOL]
    images, labels = testset.test_images()[subset], testset.test_labels()[subset]
    noisy = corrupt(images, kind, level, ACCURACY_SEED)
    (recon_a, read_a), (recon_b, read_b) = purify(_a, _clf, noisy), purify(_b, _clf, noisy)
    recon, read = {"a": recon_a, "b": recon_b}, {"a": read_a, "b": read_b}
    return {"noisy": noisy, "recon": recon, "read": read, "labels": labels,
            "split": disagreements(read["a"], read["b"], labels)}  # fmt: skip


def show_examples(ex: dict, a_name: str, b_name: str) -> None:
    """Up to EXAMPLES digits where only one model purifies right: corrupted, a, b."""
    split = ex["split"]
    for col, which, idx, right, wrong in zip(
        st.columns(2, gap="medium"),
        ("dae_only_b", "dae_only_a"),
        (split.only_b, split.only_a),
        (b_name, a_name),
        (a_name, b_name),
    ):
        col.markdown(t(which, right=right, wrong=wrong, n=len(idx), pool=len(ex["labels"])))
        if not len(idx):
            continue
        idx = idx[:EXAMPLES]
        rows = np.stack([ex["noisy"][idx], ex["recon"]["a"][idx], ex["recon"]["b"][idx]])
        names = [t("row_corrupted"), a_name, b_name]
        reads = " · ".join(
            f"{ex['labels'][i]}: {ex['read']['a'][i]} / {ex['read']['b'][i]}" for i in idx
        )
        col.image(
            png_bytes(tile(rows.reshape(-1, 28, 28), n_cols=len(idx), gap=2), 3),
            caption=t("dae_rows", rows=" / ".join(names), reads=reads),
            width=EXAMPLES_PX * len(idx) // EXAMPLES,
        )


clf_for_compare = classifier_or_none()
if clf_for_compare is not None:
    compare_with_dae(clf_for_compare)

# ---------------------------------------------------------------- the sweep
st.subheader(t("strip_head"))
sweep = denoise_sweep(model, clean, kind, levels(kind, N_LEVELS), seed)
rows = np.stack([sweep.corrupted, sweep.reconstructed])
fig = image_rows(rows, [t("row_corrupted"), t("row_recon")], scale=4)
fig.update_layout(height=STRIP_HEIGHT)
st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="denoise.strip")
c_text, c_curve = st.columns([1, 1.4])
with c_text:
    fmt = "{:.0f}" if kind == "square" else "{:.2g}"
    shown = ", ".join(fmt.format(v) for v in sweep.levels)
    st.caption(t("strip_caption", levels=f"{t(f'level_{kind}')} = {shown}"))
    mosaic = tile(np.concatenate([sweep.corrupted, sweep.reconstructed]), n_cols=N_LEVELS, gap=2)
    st.download_button(
        t("download"), png_bytes(mosaic, scale=6), file_name=f"{name}-denoise-{kind}.png",
        mime="image/png",
    )  # fmt: skip
with c_curve:
    curve = sweep_figure(
        sweep, t(f"level_{kind}"), t("distance"), t("d_corrupted"), t("d_recon"),
        current=level, height=320,
    )  # fmt: skip
    st.plotly_chart(curve, theme=None, config=figcache.PLOT_CONFIG, key="denoise.curve")

state.publish()
