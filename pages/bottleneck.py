"""The bottleneck: the same test digits coded with two numbers by pixel PCA, a linear
autoencoder, the plain autoencoder and the VAE; their maps, errors and 5-NN accuracies,
and how many PCA components it takes to match the autoencoders.

Layout for a projector: the four maps on the left, the table, the components slider and
the error curve on the right, on the first 1280x720 screen; the measured claims and the
reconstructions below.
"""

import numpy as np
import streamlit as st

from explorer import bottleneck, kinds
from explorer.data import load_digit_arrays
from explorer.diskcache import load_entry, store_entry
from explorer.figures.lessons import bottleneck_curve, bottleneck_maps, image_rows
from explorer.projection import digits_key
from pages import checkpoints, figcache, frame, language, measured, pagestate, picker, testset
from pages.texts.bottleneck import CATALOG

LINEAR, AE, VAE = "linear-ae-2d", "ae-2d", "vae-2d"  # the committed models it compares
MAPS_HEIGHT = 500  # px: the four maps on a 720-px screen
CURVE_HEIGHT = 270
MAP_POINTS = 4000  # test digits drawn per map (all 10,000 are measured)

t = language.translator(CATALOG)
frame.header(t, models=None, fixed=("PCA", LINEAR, AE, VAE))
digits = testset.test_arrays()
images, labels = testset.test_images(), testset.test_labels()
source = digits.source


@st.cache_resource(show_spinner=False, max_entries=2)
def pca_of(source: str) -> bottleneck.PixelPCA:
    """Pixel PCA fitted on the training digits: kept on disk by the data it saw."""
    train = load_digit_arrays("train")
    key = digits_key(train.source, train.labels)
    stored = load_entry("pixel-pca", key)
    if stored is not None and {"mean", "components", "variance"} <= stored.keys():
        return bottleneck.PixelPCA.from_arrays(stored)
    pca = bottleneck.fit_pca(train.pixels.astype(np.float32) / np.float32(255.0))
    store_entry("pixel-pca", key, pca.to_arrays())
    return pca


@st.cache_resource(show_spinner=False, max_entries=2)
def pca_codings(source: str) -> tuple[bottleneck.Coding, np.ndarray]:
    pca = pca_of(source)
    return bottleneck.code_with_pca(pca, images, labels, k=2), pca.errors(images)


pca = pca_of(source)
pca_2, pca_errors = pca_codings(source)
label_of = {name: picker.kind_label(kinds.get(kind))
            for name, kind in ((LINEAR, "linear-ae"), (AE, "ae"), (VAE, "vae"))}  # fmt: skip
codings = {t("pca"): pca_2}
for name in (LINEAR, AE, VAE):
    error = checkpoints.load_error(name)
    if error:
        st.warning(t("missing", name=name, error=error), icon=":material/warning:")
        continue
    coded = measured.bottleneck_coding(name)
    # reconstructions of the first digit of each class only: all the page draws
    codings[name] = bottleneck.Coding(coded["codes"], coded["picked"], coded["error"], coded["knn"])

ae_name = next((n for n in (AE, VAE) if n in codings), None)
default_k = 2
if ae_name is not None:
    default_k = bottleneck.components_matching(pca_errors, codings[ae_name].error) or 2
state = pagestate.PageState("bneck", {"k": (default_k, pagestate.int_in(1, pca.n_components))})
k = state["k"]

maps_col, side = st.columns([2.05, 1], gap="medium")
with side:
    rows = [t("table_head")]
    for name, c in codings.items():
        shown = f"{label_of[name]} ({name})" if name in label_of else f"{name}, 2"
        rows.append(t("table_row", name=shown, error=c.error, knn=c.knn))
    with frame.result_box():  # the measured numbers, on the first screen
        st.markdown("\n".join(rows), help=t("table_help"))
    st.slider(t("components"), 1, pca.n_components, key=state.key("k"), help=t("components_help"))
    marks = {label_of[n]: codings[n].error for n in (LINEAR, AE, VAE) if n in codings}
    curve = figcache.cached_figure(
        (
            "bneck.curve",
            source,
            *(checkpoints.checkpoint_key(n) for n in codings if n in label_of),
            k,
        ),
        lambda: bottleneck_curve(
            pca_errors, marks, k, t("curve_x"), t("curve_y"), t("curve_pca"), CURVE_HEIGHT
        ),
    )
    st.plotly_chart(curve, theme=None, config=figcache.PLOT_CONFIG, key="bneck.curve")

with maps_col, frame.figure_box():
    titles = [
        t("panel", name=label_of.get(n, f"{n} (2)"), error=c.error, knn=c.knn)
        for n, c in codings.items()
    ]
    maps = figcache.cached_figure(
        ("bneck.maps", source, *(checkpoints.checkpoint_key(n) for n in codings if n in label_of)),
        lambda: bottleneck_maps(
            [c.codes[:MAP_POINTS] for c in codings.values()],
            labels[:MAP_POINTS],
            titles,
            MAPS_HEIGHT,
        ),  # fmt: skip
    )
    st.plotly_chart(maps, theme=None, config=figcache.PLOT_CONFIG, key="bneck.maps")

# ---------------------------------------------------------------- the measured claims
with st.container():
    if LINEAR in codings:
        linear = checkpoints.model(LINEAR)
        cos = bottleneck.subspace_cosines(linear.decoder_matrix(), pca.components[:2].T)
        lin = codings[LINEAR]
        same = cos.min() > 0.99 and abs(lin.error - pca_2.error) <= 0.01 * pca_2.error
        numbers = dict(lin=lin.error, pca=pca_2.error, lin_knn=lin.knn, pca_knn=pca_2.knn,
                       cos1=cos[0], cos2=cos[1])  # fmt: skip
        st.markdown(t("linear_claim" if same else "linear_differs", **numbers))
    if ae_name is not None:
        ae = codings[ae_name]
        match = bottleneck.components_matching(pca_errors, ae.error)
        if match is None:
            st.markdown(t("match_none", k=pca.n_components, name=label_of[ae_name], error=ae.error))
        else:
            st.markdown(
                t("match_claim", name=label_of[ae_name], k=match, error=ae.error,
                  pca_k=pca_errors[match - 1], pca_2=pca_2.error, knn=ae.knn, pca_knn=pca_2.knn)
            )  # fmt: skip

# ---------------------------------------------------------------- reconstructions
st.subheader(t("recon_head"))
picks = bottleneck.first_of_each_class(labels)  # models' reconstructions: of these only
row_images = [images[picks], pca_2.reconstructions[picks]]
row_names = [t("row_original"), t("row_pca")]
for name in (LINEAR, AE, VAE):
    if name in codings:
        row_images.append(codings[name].reconstructions)
        row_names.append(label_of[name])
row_images.append(pca.reconstruct(images[picks], k))
row_names.append(t("row_pca_k", k=k))
strip = figcache.cached_figure(
    ("bneck.recon", source, *(checkpoints.checkpoint_key(n) for n in codings if n in label_of), k),
    lambda: image_rows(np.clip(np.stack(row_images), 0.0, 1.0), row_names, scale=3, width_px=640),
)
st.plotly_chart(strip, theme=None, config=figcache.PLOT_CONFIG, key="bneck.recon")
st.caption(t("recon_caption"))
state.publish()
