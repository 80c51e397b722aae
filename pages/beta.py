"""The β knob: three 2-D β-VAEs (β = 0.5, 1, 4) side by side: latent maps, reconstructions
and the reconstruction / KL terms of each loss."""

import numpy as np
import pandas as pd
import streamlit as st

from explorer.compare import loss_terms_of, reconstructions
from explorer.teaching_figures import beta_maps, image_rows, terms_bars
from explorer.texts.beta import CATALOG
from pages import shared

MODELS = ("vae-2d-beta0.5", "vae-2d", "vae-2d-beta4")  # fixed, whatever the sidebar says

t = shared.translator(CATALOG)
state = shared.PageState(
    "beta", {"seed": (0, shared.int_in(0, 2**31 - 1)), "count": (8, shared.int_in(4, 12))}
)

st.title(t("title"))
st.markdown(t("intro"))
shared.data_notice()

models = {name: shared.model(name) for name in MODELS}
if any(m is None for m in models.values()):
    st.stop()
for name, m in models.items():
    if m.config.latent_dim != 2:
        st.warning(t("not_2d", name=name))
        st.stop()
infos = {name: shared.model_info(name) for name in MODELS}
terms = {name: loss_terms_of(infos[name]) for name in MODELS}
titles = [t("model_title", beta=terms[name].beta) for name in MODELS]

digits = shared.test_digits()
labels = digits.labels.numpy()

st.subheader(t("maps_head"))
fig = beta_maps(
    [shared.test_latents(name) for name in MODELS], labels, titles,
    legend_title=t("digit"), prior_label=t("prior"),
)  # fmt: skip
st.plotly_chart(fig, config=shared.PLOT_CONFIG, key="beta.maps")
st.caption(t("maps_note"))

left, right = st.columns([1.15, 1])
with left:
    st.subheader(t("recon_head"))
    c1, c2, c3 = st.columns([1, 1, 1.2], vertical_alignment="bottom")
    c1.slider(t("count"), 4, 12, key=state.key("count"))
    c2.number_input(t("seed"), min_value=0, max_value=2**31 - 1, step=1, key=state.key("seed"))
    shared.random_button(
        t("other"), state, "seed", shared.random_seed,
        key="beta.other", where=c3, icon=":material/casino:", width="stretch",
    )  # fmt: skip
    rng = np.random.default_rng(state["seed"])
    picked = np.sort(rng.choice(len(labels), size=state["count"], replace=False))
    images = digits.images[picked]
    rows = np.stack([images[:, 0].numpy()] + [reconstructions(models[n], images) for n in MODELS])
    st.plotly_chart(
        image_rows(rows, [t("original"), *titles], width_px=400),
        config=shared.PLOT_CONFIG,
        key="beta.recon",
    )
    st.caption(t("recon_note"))

with right:
    st.subheader(t("terms_head"))
    fig = terms_bars(
        titles, [terms[n].recon for n in MODELS], [terms[n].kl for n in MODELS],
        titles=(t("bar_recon"), t("bar_kl")), unit=t("unit"),
    )  # fmt: skip
    st.plotly_chart(fig, config=shared.PLOT_CONFIG, key="beta.terms")

table = pd.DataFrame(
    {
        t("col_model"): list(MODELS),
        "β": [terms[n].beta for n in MODELS],
        t("col_recon"): [terms[n].recon for n in MODELS],
        t("col_kl"): [terms[n].kl for n in MODELS],
        t("col_elbo"): [terms[n].neg_elbo for n in MODELS],
        t("col_objective"): [terms[n].objective for n in MODELS],
    }
)
st.dataframe(
    table.style.format(precision=2, subset=table.columns[2:]).format("{:g}", subset=["β"]),
    hide_index=True,
    width="stretch",
)
by_source = {src: [n for n in MODELS if terms[n].source == src] for src in ("metrics", "history")}
notes = []
if by_source["metrics"]:
    notes.append(t("from_metrics", names=", ".join(by_source["metrics"])))
if by_source["history"]:
    epochs = ", ".join(sorted({str(terms[n].epoch) for n in by_source["history"]}))
    notes.append(t("from_history", names=", ".join(by_source["history"]), epochs=epochs))
st.caption("  \n".join(notes))
state.publish()
