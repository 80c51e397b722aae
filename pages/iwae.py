"""ELBO vs IWAE: the importance-weighted bound L_k for k = 1 ... 5000 on one test digit,
repeated to show its spread, converging towards log p(x) (Burda et al. 2015).

Layout for a projector: the bound against k and the three numbers it gives (-ELBO, the best
bound, how much k tightened it) on the left, the digit, the settings and (2-D models) the
exact -log p(x) on the right, all on the first 1280x720 screen; the explanation and the
table of every k below.
"""

import pandas as pd
import streamlit as st

from explorer import exact, inference
from explorer.bounds import DEFAULT_KS, iwae_curve, join_curves, neg_elbo
from explorer.figures.bounds import iwae_figure
from explorer.images import png_bytes
from pages import (
    background,
    checkpoints,
    figcache,
    frame,
    language,
    measured,
    pagestate,
    testset,
    widgets,
)
from pages.texts.iwae import CATALOG

BIG_K = 5000
QUICK_K = 50  # k up to this answer within the click; larger k follow from the queue
CURVE_HEIGHT = 400  # px: the curve and the numbers under it fit a 720-px screen
DIGIT_SCALE = 4  # the digit and its decoding beside the curve: 28 px -> 112 px


t = language.translator(CATALOG)
name, model = frame.fitting_model(t, frame.is_vae, "no_vae")
digits, images = testset.test_arrays(), testset.test_images()
labels = digits.labels
n_test = len(labels)

with st.spinner(t("choosing")):
    first, _ = measured.iwae_default(name)  # a typical digit where the bound falls
state = pagestate.PageState(
    "iwae",
    {
        "i": (first, pagestate.int_in(0, n_test - 1)),
        "seed": (0, pagestate.int_in(0, 2**31 - 1)),
        "big": (True, pagestate.flag),
    },
)
if not 0 <= state["i"] < n_test:  # the data changed under a remembered index
    state.set("i", first)

left, side = st.columns([2.15, 1], gap="medium")
with side:
    widgets.digit_picker(state, "i", st.columns([1.1, 0.75, 1.3], vertical_alignment="bottom"))
    s1, s2 = st.columns([1.2, 1], vertical_alignment="bottom")
    s1.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
    widgets.random_button(
        t("new_seed"), state, "seed", widgets.random_seed,
        key="iwae.new_seed", where=s2, icon=":material/casino:", width="stretch",
    )  # fmt: skip
    st.checkbox(t("big_k"), key=state.key("big"), help=t("big_k_help"))

index, seed = state["i"], state["seed"]
ks = tuple(k for k in DEFAULT_KS if k != BIG_K or state["big"])
quick_ks = tuple(k for k in ks if k <= QUICK_K)  # drawn in the click's own run
slow_ks = ks[len(quick_ks) :]  # k = 500 and 5000: the background queue (seconds)


@st.cache_resource(show_spinner=False, max_entries=64)
def quick_bounds(key: tuple, _model, index: int, seed: int, ks: tuple[int, ...]):
    """The IWAE curve for the small k and the closed-form -ELBO of test digit `index`."""
    x = images[index]
    return iwae_curve(_model, x, ks=ks, seed=seed), neg_elbo(_model, x, 1000, seed=seed)


def slow_part(index: int, seed: int, first: int, slow: tuple[int, ...], coarse):
    """Work for the background queue: the large-k curve (seeded as if computed with the
    small k, `first` of them) and, given a 2-D model's coarse pass, -log p(x) by
    quadrature over the latent plane."""

    def work(progress):
        x = images[index]
        parts = []  # one k at a time: the queue may pause between them for a click's run
        for j, k in enumerate(slow):
            progress(0.05 + 0.8 * j / len(slow), t("step_big", ks=f"{k:,}"))
            parts.append(iwae_curve(model, x, ks=(k,), seed=seed, first=first + j))
        curve = join_curves(*parts) if parts else None
        truth = None
        if coarse is not None:
            progress(0.9, t("step_exact"))
            post = exact.exact_posterior(model, x, coarse)
            truth = -post.log_px
        return curve, truth

    return work


key = checkpoints.model_key(name)
two_d = model.config.latent_dim == 2
with side:
    x = images[index]
    real, decoded = st.columns(2)
    real.image(
        png_bytes(x, DIGIT_SCALE),
        caption=t("digit_caption", index=index, label=labels[index]),
    )
    recon, _ = inference.reconstruct_nll(model, x)
    decoded.image(png_bytes(recon, DIGIT_SCALE), caption=t("recon_caption", model=name))
curve, elbo = quick_bounds(key, model, index, seed, quick_ks)
rest = None
if slow_ks or two_d:
    coarse = measured.coarse_pass(name) if two_d else None
    rest = background.result(
        (*key, "iwae", index, seed, slow_ks, two_d),
        slow_part(index, seed, len(quick_ks), slow_ks, coarse),
        t("computing_big"),
        where=side,
    )
truth = None
if rest is not None:
    big, truth = rest
    if big is not None:
        curve = join_curves(curve, big)
seconds = float(sum(curve["seconds"]))
texts = {k: t(k) for k in ("x_title", "y_title", "runs", "mean", "elbo", "exact")}
texts["title"] = t("fig_title", index=index)
fig = figcache.cached_figure(
    ("iwae.curve", *key, index, seed, quick_ks, slow_ks, rest is not None),
    lambda: iwae_figure(curve, texts, elbo=elbo["neg_elbo"], height=CURVE_HEIGHT, exact=truth),
)
best = float(curve["mean"][-1])
with left, frame.figure_box():
    st.plotly_chart(fig, key="iwae.curve", theme=None, config=figcache.PLOT_CONFIG)
with left, frame.result_box():
    m1, m2, m3 = st.columns([1, 1, 1.2])
    m1.metric(t("metric_elbo"), widgets.nats(elbo["neg_elbo"]), help=t("metric_elbo_help"))
    m2.metric(t("metric_best", k=int(curve["k"][-1])), widgets.nats(best))
    m3.metric(
        t("metric_gain", k=int(curve["k"][-1])), widgets.nats(elbo["neg_elbo"] - best),
        help=t("metric_gain_help"),
    )  # fmt: skip

if truth is not None:
    side.info(
        t("exact_note", exact=truth, gap=elbo["neg_elbo"] - truth, left=best - truth),
        icon=":material/calculate:",
    )

explain, numbers = st.columns([1, 1.3], gap="medium")
explain.markdown(t("explain"))
table = pd.DataFrame(
    {
        t("col_k"): curve["k"],
        t("col_repeats"): curve["repeats"],
        t("col_mean"): curve["mean"],
        t("col_std"): curve["std"],
        t("col_gain"): curve["mean"][0] - curve["mean"],
        t("col_seconds"): curve["seconds"],
    }
)
numbers.table(table.style.format(precision=2).hide(axis="index"))
numbers.caption(t("table_caption", model=name, seed=seed, seconds=seconds))
state.publish()
