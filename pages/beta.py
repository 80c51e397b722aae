"""The β knob: three 2-D β-VAEs (β = 0.5, 1, 4) side by side: latent maps, the
reconstruction / KL terms of each loss (the lesson, measured), and reconstructions of
typical digits."""

import numpy as np
import pandas as pd
import streamlit as st

from explorer import inference
from explorer.compare import loss_terms_of
from explorer.figures.lessons import beta_maps, image_rows, terms_bars
from explorer.lessons import beta_tradeoff, typical_digits
from pages import checkpoints, figcache, frame, language, latentviews, measured, pagestate, testset
from pages.texts.beta import CATALOG

MODELS = ("vae-2d-beta0.5", "vae-2d-beta1", "vae-2d-beta4")  # one recipe, only beta differs
MAPS_HEIGHT = 440
PICKS = ("typical", "random")

t = language.translator(CATALOG)
frame.header(t, models=None, fixed=MODELS)
state = pagestate.PageState(
    "beta",
    {"pick": ("typical", pagestate.one_of(*PICKS)), "seed": (0, pagestate.int_in(0, 2**31 - 1))},
)

models = {name: checkpoints.model(name) for name in MODELS}
if any(m is None for m in models.values()):
    st.stop()
for name, m in models.items():
    if m.config.latent_dim != 2:
        st.warning(t("not_2d", name=name))
        st.stop()
terms = {name: loss_terms_of(checkpoints.model_info(name)) for name in MODELS}
lesson = beta_tradeoff(list(terms.values()))
titles = [t("model_title", beta=terms[name].beta) for name in MODELS]
images, labels = testset.test_images(), testset.test_labels()


def new_draw() -> None:
    state.set("seed", int(np.random.default_rng().integers(0, 2**31 - 1)))
    state.set("pick", "random")


keys = tuple(checkpoints.checkpoint_key(name) for name in MODELS)
maps_col, side = st.columns([2.1, 1], gap="medium")
with maps_col, frame.figure_box():
    fig = figcache.cached_figure(
        (*keys, "maps"),
        lambda: beta_maps(
            [latentviews.test_latents(name) for name in MODELS], labels, titles,
            legend_title=t("digit"), prior_label=t("prior"), height=MAPS_HEIGHT,
        ),
    )  # fmt: skip
    st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="beta.maps")
    st.caption(t("maps_note"))
with side, frame.result_box():
    fig = figcache.cached_figure(
        (*keys, "terms"),
        lambda: terms_bars(
            titles, [terms[n].recon for n in MODELS], [terms[n].kl for n in MODELS],
            titles=(t("bar_recon"), t("bar_kl")), unit=t("unit"), height=300,
        ),
    )  # fmt: skip
    st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="beta.terms")
    numbers = dict(
        b0=lesson.betas[0], b1=lesson.betas[-1], kl0=lesson.kl[0], kl1=lesson.kl[-1],
        r0=lesson.recon[0], r1=lesson.recon[-1],
    )  # fmt: skip
    if lesson.holds:
        st.success(t("claim", **numbers), icon=":material/check_circle:")
    else:
        st.warning(t("claim_fails", **numbers), icon=":material/warning:")


# ---------------------------------------------------------------- reconstructions
@st.fragment
def reconstructions_part() -> None:
    """Typical or random digits and their three reconstructions. A fragment: another draw
    reruns only this part, not the three maps above."""
    st.subheader(t("recon_head"))
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.radio(
        t("pick"), PICKS, key=state.key("pick"), format_func=lambda p: t(f"pick_{p}"),
        horizontal=True,
    )  # fmt: skip
    c2.button(t("other"), icon=":material/casino:", on_click=new_draw, key="beta.other")
    if state["pick"] == "typical":
        # Typical digits: per class, the median reconstruction error under beta = 1.
        picked = typical_digits(measured.recon_errors("vae-2d-beta1"), labels)
    else:
        rng = np.random.default_rng(state["seed"])
        picked = np.sort(rng.choice(len(labels), size=10, replace=False))
    chosen = images[picked]
    rows = np.stack([chosen] + [inference.reconstruct(models[n], chosen) for n in MODELS])
    st.plotly_chart(
        image_rows(rows, [t("original"), *titles], width_px=900),
        theme=None,
        config=figcache.PLOT_CONFIG,
        key="beta.recon",
    )
    st.caption(t(f"recon_note_{state['pick']}"))
    state.publish()


reconstructions_part()
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
st.table(table.style.format(precision=2, subset=table.columns[2:]).format("{:g}", subset=["β"]))
by_source = {src: [n for n in MODELS if terms[n].source == src] for src in ("metrics", "history")}
notes = []
if by_source["metrics"]:
    notes.append(t("from_metrics", names=", ".join(by_source["metrics"])))
if by_source["history"]:
    epochs = ", ".join(sorted({str(terms[n].epoch) for n in by_source["history"]}))
    notes.append(t("from_history", names=", ".join(by_source["history"]), epochs=epochs))
st.caption("  \n".join(notes))
state.publish()
