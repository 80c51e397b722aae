"""log p(x), exact in 2-D: the true posterior p(z|x) on a grid with the encoder's q(z|x)
over it, log p(x) split into the lecture's three terms (the gap KL(q || p(z|x)) exact),
the IWAE bound climbing to log p(x), Jensen on the same samples, and q optimised for one
digit (the amortization gap).

Layout for a projector: the posterior (left), the three terms and the claim with its
number (middle), the digit and its settings (right), all on the first 1280x720 screen;
importance sampling and the optimised q below. The exact numbers come first (a fraction
of a second per digit); the sampling part follows and then redraws the posterior with
the optimised q on it. Both are cached per (checkpoint, digit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from explorer import exact, inference
from explorer.diskcache import load_entry, store_entry
from explorer.figures.exact import iwae_figure, optimise_figure, posterior_figure, terms_figure
from explorer.images import png_bytes
from explorer.projection import digits_key
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
from pages.texts.exact import CATALOG

OWN_KEY = "own_digit"  # set by the "Your own digit" page: a (28, 28) array
POSTERIOR_HEIGHT = 470  # px: the posterior and its legend fit under the header at 720 px
TERMS_HEIGHT = 330
LOWER_HEIGHT = 360  # the IWAE and optimisation figures, below the first screen
DIGIT_SCALE = 3  # the digit and its decoding: 28 px -> 84 px


t = language.translator(CATALOG)
name, model = frame.fitting_model(t, frame.is_2d_vae, "no_vae")
digits, images = testset.test_arrays(), testset.test_images()
labels = digits.labels
model_key = checkpoints.model_key(name)


@st.cache_resource(show_spinner=False, max_entries=8)
def default_digit(key: tuple, _model) -> tuple[int, float, int, int]:
    """(index, median gap, digits kept, candidates) of `exact.typical_gap_digit` over the
    first test digits: computed once per checkpoint content and data, kept on disk."""
    first = images[: exact.RULE_CANDIDATES]
    data = digits_key(digits.source, labels)
    entry = f"{checkpoints.checkpoint_digest(key[0])}-{data}-n{len(first)}"
    stored = load_entry("exact-default", entry)
    if stored is not None and stored.get("rule", np.zeros(0)).shape == (4,):
        index, median, kept, n = stored["rule"].tolist()
        return int(index), float(median), int(kept), int(n)
    found = exact.exact_many(_model, first, exact.QUICK)
    index, median, kept = exact.typical_gap_digit(found["log_px"], found["gap"])
    store_entry("exact-default", entry, {"rule": np.array([index, median, kept, len(first)])})
    return index, median, kept, len(first)


with st.spinner(t("choosing")):
    first, median_gap, kept, candidates = default_digit(model_key, model)
state = pagestate.PageState(
    "exact",
    {
        "i": (first, pagestate.int_in(0, len(labels) - 1)),
        "own": (False, pagestate.flag),
        "proposal": ("q", pagestate.one_of(*exact.PROPOSALS)),
    },
)
if not 0 <= state["i"] < len(labels):  # the data changed under a remembered index
    state.set("i", first)
own = st.session_state.get(OWN_KEY)
if own is None and state["own"]:
    state.set("own", False)

fig_col, res_col, side = st.columns([1.3, 1.0, 0.72], gap="medium")
with side:
    c1, c2 = st.columns([1.2, 1], vertical_alignment="bottom")
    widgets.digit_picker(state, "i", [c1, c2, st.container()])
    if own is not None:
        st.toggle(t("use_own"), key=state.key("own"), help=t("use_own_help"))

index = state["i"]
if state["own"]:
    x = np.asarray(own, np.float32).reshape(28, 28)
    digit_id = "own-" + hashlib.sha1(x.tobytes()).hexdigest()[:16]
    what = t("own_digit")
else:
    x = images[index]
    digit_id = f"test-{index}"
    what = t("test_digit", index=index, label=labels[index])
key = (*model_key, digit_id)


def exact_work(x: np.ndarray, coarse) -> Callable:
    """Work for the background queue: the posterior on its grid and the three terms."""

    def work(progress):
        progress(0.1, t("step_posterior"))
        post = exact.exact_posterior(model, x, coarse)
        progress(0.7, t("step_terms"))
        return post, exact.three_terms(model, x, post)

    return work


def sampling_work(x: np.ndarray, post: exact.Posterior) -> Callable:
    """Work for the background queue: IWAE curves and the optimised q of one digit."""

    def work(progress):
        return exact.sampling_report(model, x, post, progress=progress)

    return work


def chart(key: tuple, build: Callable[[], go.Figure], where=st) -> None:
    """A figure built once per key (digit, which figure and its settings) and language:
    Plotly's construction takes tens of ms per figure, a widget move redraws four."""
    where.plotly_chart(figcache.cached_figure(key, build), theme=None, config=figcache.PLOT_CONFIG)


def posterior_names() -> dict[str, str]:
    keys = ("colorbar", "density", "z1", "z2", "sigma1", "sigma2", "mu", "mode", "best")
    return {k: t(k) for k in keys} | {"title": t("post_title", what=what)}


with fig_col, frame.figure_box():
    slot = st.empty()
found = background.result(
    (*key, "posterior"), exact_work(x, measured.coarse_pass(name)), t("integrating"), slot
)
with side:
    a, b = st.columns(2)
    a.image(png_bytes(x, DIGIT_SCALE), caption=t("digit_caption", what=what))
    recon, _ = inference.reconstruct_nll(model, x)
    b.image(png_bytes(recon, DIGIT_SCALE), caption=t("recon_caption", model=name))
if found is None:  # drawn once the integral is done (the progress bar reruns the page)
    state.publish()
    st.stop()
post, terms = found
ready = background.ready((*key, "sampling"))
best_q = ready.best_q if ready is not None else None
chart(
    (*key, "posterior", best_q is not None),
    lambda: posterior_figure(post, posterior_names(), best=best_q, height=POSTERIOR_HEIGHT),
    slot,
)

with res_col, frame.result_box():
    names = {k: t(f"t_{k}") for k in ("recon", "kl", "elbo", "gap", "log_px")}
    names |= {"title": t("terms_title"), "x_title": t("t_y")}
    chart((*key, "terms"), lambda: terms_figure(terms, names, height=TERMS_HEIGHT))
    st.markdown(
        t(
            "claim",
            gap=terms.gap,
            log_px=terms.log_px,
            kl=terms.kl_posterior,
            diff=abs(terms.mismatch),
        )
    )

with side:
    if not state["own"] and index == first:
        st.caption(t("default_note", index=first, n=candidates, kept=kept, median=median_gap))
    h = post.grid.spacing
    st.caption(
        t(
            "grid_note",
            nx=len(post.grid.xs),
            ny=len(post.grid.ys),
            hx=h[0],
            hy=h[1],
            diff=post.grid_error,
            edge=-post.edge,
            decodes=post.n_decodes,
            seconds=post.seconds,
        )
    )

st.divider()
iwae_col, opt_col = st.columns(2, gap="large")
PROPOSALS = t.options({"q": "proposal_q", "prior": "proposal_prior"})
with iwae_col:
    st.subheader(t("iwae_header"), anchor=False)
    st.radio(
        t("proposal"),
        list(PROPOSALS),
        format_func=PROPOSALS.get,
        key=state.key("proposal"),
        horizontal=True,
        help=t("proposal_help"),
    )
with opt_col:
    st.subheader(t("opt_header"), anchor=False)

report = background.result(
    (*key, "sampling"), sampling_work(x, post), t("sampling"), iwae_col, priority=1
)  # after any digit's posterior: the first screen comes first
if report is None:  # the lower half follows once the sampling is done
    state.publish()
    st.stop()
if best_q is None:  # the posterior was drawn before q was optimised: now with it
    chart(
        (*key, "posterior", True),
        lambda: posterior_figure(post, posterior_names(), report.best_q, POSTERIOR_HEIGHT),
        slot,
    )

proposal = state["proposal"]
curve = report.curves[proposal]
with iwae_col:
    names = {
        "title": t("iwae_title", n=curve.n_samples, proposal=PROPOSALS[proposal]),
        "x_title": t("iwae_x"),
        "y_title": t("iwae_y"),
        "mean": t("iwae_mean"),
        "exact": t("exact"),
        "elbo": t("elbo_line"),
    }
    chart(
        (*key, "iwae", proposal),
        lambda: iwae_figure(curve, post.log_px, terms.elbo, names, height=LOWER_HEIGHT),
    )
    off = {p: c.mean - post.log_px for p, c in report.curves.items()}  # L_k - log p(x)
    ten = list(exact.IWAE_KS).index(10)
    st.markdown(
        t(
            "iwae_note",
            q10=off["q"][ten],
            p10=off["prior"][ten],
            k_big=exact.IWAE_KS[-1],
            q_big=off["q"][-1],
            p_big=off["prior"][-1],
        )
    )
    st.markdown(
        t(
            "jensen",
            n=curve.n_samples,
            proposal=PROPOSALS[proposal],
            mean_log=curve.mean_log_w,
            elbo=terms.elbo,
            log_mean=curve.log_mean_w,
            log_px=post.log_px,
            diff=curve.log_mean_w - curve.mean_log_w,
        )
    )

with opt_col:
    names = {
        "title": t("opt_title", steps=exact.OPT_STEPS),
        "x_title": t("opt_x"),
        "y_title": t("opt_y"),
        "exact": t("exact"),
        "encoder": t("run_encoder"),
        "mode": t("run_mode"),
    }
    chart(
        (*key, "optimise"), lambda: optimise_figure(report.runs, post.log_px, names, LOWER_HEIGHT)
    )
    st.markdown(
        t(
            "opt_note",
            enc=terms.elbo,
            best=report.best.elbo,
            amort=report.amortization_gap(terms),
            approx=report.best.gap,
            log_px=post.log_px,
            highest=report.highest,
        )
    )
    ends = {n: float(r.elbo[-1]) for n, r in report.runs.items()}
    if ends["mode"] - ends["encoder"] > 0.5:  # the runs found different optima
        st.markdown(t("opt_local", enc_end=ends["encoder"], diff=ends["mode"] - ends["encoder"]))
    st.caption(
        t(
            "opt_caption",
            lr=exact.OPT_LR,
            samples=exact.OPT_SAMPLES,
            seed=0,
            seconds=report.seconds,
        )
    )
state.publish()
