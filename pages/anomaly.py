"""Anomaly detection by reconstruction: the test digits' anomaly scores against images the
model never saw (OOD sets), a threshold with its precision and recall, ROC AUC per set,
examples with their reconstructions, and the user's own digit on the same axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer import inference, kinds
from explorer.anomaly import OOD_KINDS, SCORE_KINDS, held_out_split, ood_sets, precision_recall_at
from explorer.anomaly import held_out_report as held_out_scores
from explorer.anomaly import scores as score_images
from explorer.figures.lessons import image_rows
from explorer.figures.scores import TEST_COLOR, score_histogram
from explorer.placement import percentile_rank
from pages import checkpoints, figcache, frame, language, measured, pagestate, picker, testset
from pages.texts.anomaly import CATALOG

OWN_KEY = "own_digit"  # set by the "Your own digit" page: a (28, 28) array
N_OOD = 500  # images per OOD set
SEED = 0
N_EXAMPLES = 10
N_BINS = 45  # histogram bins over the log score range: 500 images per set stay readable
EXAMPLES_HEIGHT = 220  # px: two rows of 28-px images at about 3x on a 1280-px screen
DEFAULT_SETS = ("rotated", "letters", "blank")
HIST_HEIGHT = 500  # px: fits under the header on a 720-px screen
HELD_HEIGHT = 340  # px
HELD_OUT = "vae-2d-no7"  # a VAE trained without one digit class: real novelty
FULL = "vae-2d"  # the same recipe's family trained on every class: the control

t = language.translator(CATALOG)


def parse_sets(raw: str) -> list[str]:
    """'letters,blank' -> ['letters', 'blank'] (known OOD sets, no repeats); '' -> []."""
    sets = [s for s in raw.split(",") if s]
    if any(s not in OOD_KINDS for s in sets) or len(set(sets)) != len(sets):
        raise ValueError(f"not a list of OOD sets: {raw!r}")
    return sets


@st.cache_data(show_spinner=False, max_entries=8)
def examples(path: str, stamp: int, source: str, n: int, seed: int, k: int, _model) -> dict:
    """{set: (inputs (k, 28, 28), reconstructions (k, 28, 28))}, test digits included."""
    test = testset.test_images()[:, None]  # (N, 1, 28, 28), as ood_sets takes them
    spread = np.linspace(0, len(test) - 1, k).astype(int)  # the sample is sorted by class
    sets = {"test": test[spread], **{s: x[:k] for s, x in ood_sets(test, n, seed).items()}}
    return {s: (x.reshape(-1, 28, 28), inference.reconstruct(_model, x)) for s, x in sets.items()}


frame.header(t)
name, model = picker.page_model()
scores = [k for k in SCORE_KINDS if k != "neg_elbo" or kinds.kind_of(model).has_elbo]
state = pagestate.PageState(
    "anomaly",
    {
        "score": ("recon_error", pagestate.one_of(*SCORE_KINDS)),
        "sets": (list(DEFAULT_SETS), parse_sets),
        "q": (95.0, pagestate.float_in(50.0, 100.0)),
    },
)
if state["score"] not in scores:  # -ELBO remembered from a VAE, now an AE
    state.set("score", "recon_error")

path, stamp, _ = checkpoints.checkpoint_key(name)
source = testset.test_arrays().source
with st.spinner(t("computing")):
    rep = measured.anomaly_report(name, N_OOD, SEED)  # kept on disk per checkpoint

c_hist, c_side = st.columns([2.1, 1], gap="medium")
with c_side:
    st.radio(
        t("score"), scores, key=state.key("score"), format_func=lambda k: t(f"score_{k}"),
        help=t("score_help"), horizontal=True,
    )  # fmt: skip
    st.multiselect(
        t("sets"), list(OOD_KINDS), key=state.key("sets"), format_func=lambda s: t(f"set_{s}"),
        help=t("sets_help"),
    )  # fmt: skip
    st.slider(
        t("threshold"), 50.0, 100.0, step=0.5, format="%.1f", key=state.key("q"),
        help=t("threshold_help"),
    )  # fmt: skip

kind, chosen, q = state["score"], state["sets"], state["q"]
test_scores = rep["scores"]["test"][kind]
threshold = float(np.percentile(test_scores, q))

own = st.session_state.get(OWN_KEY)
own_value = None
if own is not None:
    own_value = float(score_images(model, np.asarray(own, np.float32)[None], seed=SEED)[kind][0])

# ---------------------------------------------------------------- histogram and threshold
with c_hist:
    sets = {t("test_digits"): test_scores} | {t(f"set_{s}"): rep["scores"][s][kind] for s in chosen}
    lines = [(threshold, t("threshold_line"), "#333333")]
    if own_value is not None:
        lines.append((own_value, t("own_line"), "#B8860B"))
    fig = score_histogram(
        sets, t("hist_x", score=t(f"score_{kind}")), t("hist_y"), lines=lines,
        colors={t("test_digits"): TEST_COLOR}, n_bins=N_BINS, height=HIST_HEIGHT,
    )  # fmt: skip
    with frame.figure_box():
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="anomaly.hist")
    if own_value is not None:
        verdict = t("flagged") if own_value > threshold else t("not_flagged")
        pct = percentile_rank(own_value, test_scores)
        st.markdown(t("own_result", value=own_value, pct=pct, verdict=verdict))
    else:
        st.page_link("pages/your_digit.py", label=t("own_missing"), icon=":material/draw:")

with c_side, frame.result_box():
    m1, m2 = st.columns(2)
    m1.metric(t("m_threshold"), f"{threshold:.1f}", help=t("m_threshold_help"))
    if not chosen:
        m2.info(t("pick_a_set"))
    else:
        ood = np.concatenate([rep["scores"][s][kind] for s in chosen])
        precision, recall = precision_recall_at(threshold, test_scores, ood)
        false_alarms = float(np.mean(test_scores > threshold))
        flagged = float(np.mean(np.concatenate([test_scores, ood]) > threshold))
        help_p = t("m_precision_help", n_test=len(test_scores), n_ood=len(ood))
        m2.metric(t("m_precision"), f"{precision:.1%}", help=help_p)
        m3, m4 = st.columns(2)
        m3.metric(t("m_recall"), f"{recall:.1%}", help=t("m_recall_help"))
        m4.metric(t("m_false_alarms"), f"{false_alarms:.1%}", help=t("m_false_alarms_help"))
        st.caption(t("m_flagged_line", share=flagged))

# ---------------------------------------------------------------- AUC table and the lesson
c_auc, c_lesson = st.columns([1.4, 1])
with c_auc:
    st.subheader(t("auc_head"))
    table = pd.DataFrame(
        {t(f"score_{k}"): [rep["auc"][s][k] for s in OOD_KINDS] for k in scores},
        index=pd.Index([t(f"set_{s}") for s in OOD_KINDS], name=t("auc_set")),
    )
    styled = table.style.format("{:.3f}").map(
        lambda v: "color: #D62728; font-weight: bold" if v < 0.5 else ""
    )
    st.table(styled)
    st.caption(t("auc_caption"))
with c_lesson:
    # The measured teaching point: blank images score lower than real digits (AUC < 0.5)
    # under likelihood-type scores; say so with this model's own numbers.
    blank = rep["auc"]["blank"]
    if blank[kind] < 0.5:
        st.warning(t("blank_lesson", auc=blank[kind], score=t(f"score_{kind}")))
    elif blank["bce"] < 0.5:
        st.warning(
            t("blank_lesson_bce", auc=blank[kind], bce=blank["bce"], score=t(f"score_{kind}"))
        )


# ---------------------------------------------------------------- a class never seen
@st.cache_resource(show_spinner=False, max_entries=4)
def held_out_report(key: tuple, unseen: tuple[int, ...], _model) -> dict:
    """Scores of the test digits by one model, the `unseen` classes apart (per checkpoint)."""
    return held_out_scores(_model, testset.test_images(), testset.test_labels(), unseen, SEED)


def held_out_view() -> None:
    """The model trained without a digit class scores that class against the others,
    beside the same split scored by the full model (which saw every class)."""
    st.subheader(t("held_head"))
    error = checkpoints.load_error(HELD_OUT)
    if error:
        st.info(t("held_missing", name=HELD_OUT, error=error))
        return
    unseen = tuple(checkpoints.model_info(HELD_OUT)["train_config"].get("exclude_digits") or ())
    if not unseen:
        st.info(t("held_missing", name=HELD_OUT, error=t("held_not_held_out")))
        return
    held_model = checkpoints.model(HELD_OUT)
    held = held_out_report(checkpoints.model_key(HELD_OUT), unseen, held_model)
    control_name = FULL if checkpoints.load_error(FULL) is None else None
    control = None
    if control_name == name:  # the picked model: its test scores are in the report already
        control = held_out_split(rep["scores"]["test"], testset.test_labels(), unseen)
    elif control_name is not None:
        control = held_out_report(
            checkpoints.model_key(control_name),
            unseen,
            checkpoints.model(control_name),
        )
    score = kind if kind in held["auc"] else "recon_error"
    digits_txt = ", ".join(map(str, unseen))
    c_fig, c_words = st.columns([2.1, 1], gap="medium")
    with c_fig:
        seen_name, unseen_name = t("held_seen"), t("held_unseen", digits=digits_txt)
        split = held["scores"]
        fig = score_histogram(
            {seen_name: split["seen"][score], unseen_name: split["unseen"][score]},
            t("hist_x", score=t(f"score_{score}")), t("hist_y"),
            colors={seen_name: TEST_COLOR}, n_bins=N_BINS, height=HELD_HEIGHT,
        )  # fmt: skip
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="anomaly.held")
    with c_words:
        st.metric(
            t("held_auc", name=HELD_OUT), f"{held['auc'][score]:.3f}",
            help=t("held_auc_help", digits=digits_txt),
        )  # fmt: skip
        if control is not None:
            st.metric(t("held_auc", name=control_name), f"{control['auc'][score]:.3f}")
            better = held["auc"][score] > control["auc"][score]
            st.markdown(
                t("held_claim" if better else "held_claim_fails", digits=digits_txt,
                  held=HELD_OUT, full=control_name, auc=held["auc"][score],
                  auc_full=control["auc"][score], score=t(f"score_{score}"))
            )  # fmt: skip
        st.caption(t("held_synthetic"))


held_out_view()

# ---------------------------------------------------------------- examples
st.subheader(t("examples_head"))
ex = examples(path, stamp, source, N_OOD, SEED, N_EXAMPLES, model)
tabs = st.tabs([t("test_digits")] + [t(f"set_{s}") for s in OOD_KINDS])


def example_figure(s: str):
    inputs, recons = ex[s]
    fig = image_rows(np.stack([inputs, recons]), [t("row_input"), t("row_recon")], scale=4)
    return fig.update_layout(height=EXAMPLES_HEIGHT)


for tab, s in zip(tabs, ["test", *OOD_KINDS]):
    fig = figcache.cached_figure(
        ("anomaly.examples", path, stamp, source, N_OOD, SEED, N_EXAMPLES, s),
        lambda s=s: example_figure(s),
    )
    tab.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key=f"anomaly.examples.{s}")
st.caption(t("examples_caption"))

state.publish({"sets": ",".join(state["sets"])})
