"""ELBO vs IWAE: the importance-weighted bound L_k for k = 1 ... 5000 on one test digit,
repeated to show its spread, converging towards log p(x) (Burda et al. 2015)."""

import time

import pandas as pd
import streamlit as st

from explorer import checkpoint
from explorer.bounds import DEFAULT_KS, iwae_curve, iwae_figure, neg_elbo
from explorer.images import png_bytes
from explorer.posterior import reconstruct
from explorer.texts.iwae import CATALOG
from pages import shared

BIG_K = 5000
t = shared.translator(CATALOG)


name, model = shared.page_model()
digits = shared.test_digits()
labels = digits.labels.numpy()
n_test = len(labels)


st.title(t("title"))
st.markdown(t("intro"))
bound_name = shared.model_for(name, lambda cfg: cfg["kind"] == "vae", "vae-2d")
if bound_name is None:
    st.warning(t("no_vae"))
    st.stop()
if bound_name != name:
    st.info(t("ae_fallback", model=name, fallback=bound_name), icon="ℹ️")
bound_model = shared.model(bound_name)
if bound_model is None:
    st.stop()
shared.data_notice()

state = shared.PageState(
    "iwae",
    {
        "i": (shared.first_of(2), shared.int_in(0, n_test - 1)),
        "seed": (0, shared.int_in(0, 2**31 - 1)),
        "big": (True, shared.flag),
    },
)
if not 0 <= state["i"] < n_test:  # the data changed under a remembered index
    state.set("i", shared.first_of(2))

c1, c2, c3, c4, c5, c6 = st.columns([1.1, 0.7, 1.0, 1.0, 1.0, 1.1])
shared.digit_picker(state, "i", (c1, c2, c3))
c4.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
shared.random_button(
    t("new_seed"), state, "seed", shared.random_seed,
    key="iwae.new_seed", where=c5, icon=":material/casino:", width="stretch",
)  # fmt: skip
c6.checkbox(t("big_k"), key=state.key("big"), help=t("big_k_help"))

index, seed = state["i"], state["seed"]
ks = tuple(k for k in DEFAULT_KS if k != BIG_K or state["big"])


@st.cache_resource(show_spinner=False, max_entries=64)
def bounds_for(key: tuple, _model, index: int, seed: int, ks: tuple[int, ...]):
    """The IWAE curve and the closed-form -ELBO of test digit `index` (cached: the largest
    k takes seconds on a CPU)."""
    start = time.perf_counter()
    x = digits.images[index]
    curve = iwae_curve(_model, x, ks=ks, seed=seed)
    elbo = neg_elbo(_model, x, n_samples=1000, seed=seed)
    return curve, elbo, time.perf_counter() - start


path = checkpoint.resolve(bound_name)
key = (bound_name, str(path), path.stat().st_mtime_ns, digits.source)
with st.spinner(t("computing")):
    curve, elbo, seconds = bounds_for(key, bound_model, index, seed, ks)

left, right = st.columns([1, 3.2])
with left:
    x = digits.images[index]
    st.image(
        png_bytes(x[0].numpy(), 6), caption=t("digit_caption", index=index, label=labels[index])
    )
    recon, _ = reconstruct(bound_model, x[0].numpy())
    st.image(png_bytes(recon, 6), caption=t("recon_caption", model=bound_name))
with right:
    texts = {k: t(k) for k in ("x_title", "y_title", "runs", "mean", "elbo")}
    texts["title"] = t("fig_title", index=index)
    fig = iwae_figure(curve, texts, elbo=elbo["neg_elbo"])
    st.plotly_chart(fig, key="iwae.curve", config=shared.PLOT_CONFIG)

best = float(curve["mean"][-1])
m1, m2, m3, _ = st.columns([1, 1, 1.2, 0.8])
m1.metric(t("metric_elbo"), shared.nats(elbo["neg_elbo"]), help=t("metric_elbo_help"))
m2.metric(t("metric_best", k=int(curve["k"][-1])), shared.nats(best))
m3.metric(t("metric_gap"), shared.nats(elbo["neg_elbo"] - best), help=t("metric_gap_help"))
st.markdown(t("explain"))

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
st.table(table.style.format(precision=2).hide(axis="index"))
st.caption(t("table_caption", model=bound_name, seed=seed, seconds=seconds))
state.publish()
