"""Your own digit: draw or upload one, see it MNIST-style, where the encoder puts it among
the test digits, how the decoder redraws it, and how unusual the model finds it.

The 28 x 28 digit is kept in st.session_state["own_digit"] for the anomaly and denoising
pages.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from PIL import Image

from explorer import inference, kinds
from explorer.anomaly import scores
from explorer.checkpoint import CheckpointError
from explorer.figures.scores import TEST_COLOR, map_with_marker, score_histogram
from explorer.images import png_bytes
from explorer.placement import TSNEPlacer, percentile_rank, place_on_view
from explorer.preprocess import PreprocessError, load_image, mnist_style
from pages import checkpoints, figcache, frame, language, latentviews, pagestate, picker, testset
from pages.drawing_canvas import drawing_canvas
from pages.texts.your_digit import CATALOG

OWN_KEY = "own_digit"  # session key of the (28, 28) digit, read by the anomaly page
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp"]
SCORE_SEED = 0  # -ELBO samples z ~ q(z|x): one fixed seed, so the score is reproducible
CANVAS_PX = 300  # the drawing square on screen
MAP_HEIGHT = 500  # px: the map with its legend fits under the header on a 720-px screen
# explorer.preprocess.PreprocessError messages start with these; each gets its own text.
ERROR_KEYS = {
    "the file is empty": "err_empty",
    "not an image": "err_not_image",
    "could not read": "err_header",
    "could not decode": "err_corrupt",
    "image too large": "err_too_large",
    "the image has no pixels": "err_no_pixels",
    "no digit found": "err_blank",
}

t = language.translator(CATALOG)


def explain(error: str) -> str:
    """The user's-language message for a PreprocessError text."""
    for prefix, key in ERROR_KEYS.items():
        if error.startswith(prefix):
            return t(key, detail=error.partition(":")[2].strip() or error)
    return t("err_other", detail=error)


@st.cache_data(show_spinner=False, max_entries=8)
def digit_from_upload(data: bytes) -> tuple[Image.Image | None, np.ndarray | None, str | None]:
    """Uploaded bytes -> (picture for display, MNIST-style (28, 28) digit, error text).

    Never raises for a bad file: the error is one line for the user. Cached, so a large
    photo is decoded once, not on every rerun."""
    try:
        image = load_image(data)
    except PreprocessError as exc:
        return None, None, str(exc)
    try:
        return image, mnist_style(image), None
    except PreprocessError as exc:
        return image, None, str(exc)


def digit_from_drawing(drawing: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    try:
        return mnist_style(drawing), None
    except PreprocessError as exc:
        return None, str(exc)


def thumbnail(image: Image.Image, side: int = 320) -> Image.Image | None:
    """A small RGB(A) copy for display, or None if PIL cannot show this mode."""
    try:
        thumb = image.copy()
        thumb.thumbnail((side, side))
        has_alpha = thumb.mode in ("RGBA", "LA", "PA") or "transparency" in thumb.info
        return thumb.convert("RGBA" if has_alpha else "RGB")
    except Exception:  # exotic modes (16-bit, CMYK variants): only the preview is skipped
        return None


@st.cache_data(show_spinner=False, max_entries=16)
def test_scores(path: str, stamp: int, source: str, _model) -> dict[str, np.ndarray]:
    """Anomaly scores of every test digit under the model (cached per checkpoint file)."""
    return scores(_model, testset.test_images(), seed=SCORE_SEED)


@st.cache_resource(show_spinner=False, max_entries=4)
def tsne_placer(key: tuple, _latents: np.ndarray, _coords: np.ndarray) -> TSNEPlacer:
    return TSNEPlacer(_latents, _coords)


frame.header(t)
name, model = picker.page_model()
score_kinds = ["recon_error", "neg_elbo"] if kinds.kind_of(model).has_elbo else ["recon_error"]
methods = latentviews.view_methods(model.config.latent_dim)
state = pagestate.PageState(
    "own",
    {
        "source": ("draw", pagestate.one_of("draw", "upload")),
        "view": (methods[0], pagestate.one_of(*methods)),
        "score": ("recon_error", pagestate.one_of("recon_error", "neg_elbo")),
    },
)
if state["view"] not in methods:  # the model changed under a remembered view
    state.set("view", methods[0])
if state["score"] not in score_kinds:
    state.set("score", score_kinds[0])


def forget() -> None:
    st.session_state.pop(OWN_KEY, None)


# ---------------------------------------------------------------- input and preprocessing
c_in, c_result, c_map = st.columns([1.0, 0.95, 1.45], gap="medium")
with c_in:
    st.radio(
        t("source"), ["draw", "upload"], key=state.key("source"), horizontal=True,
        format_func=lambda s: t(f"source_{s}"), label_visibility="collapsed",
    )  # fmt: skip
    raw, digit, error = None, None, None
    if state["source"] == "draw":
        drawing = drawing_canvas("own.canvas", size=280, stroke_width=18, height=CANVAS_PX)
        if drawing is not None:
            digit, error = digit_from_drawing(drawing)
    else:
        upload = st.file_uploader(
            t("upload"), type=UPLOAD_TYPES, key="own.upload", help=t("upload_help")
        )
        if upload is not None:
            image, digit, error = digit_from_upload(upload.getvalue())
            raw = thumbnail(image) if image is not None else None
        if raw is not None:
            st.image(raw, caption=t("raw"), width=160)

if error is not None:
    # A blank picture is the user's to fix (a warning); an unreadable file is an error.
    with c_result:
        (st.warning if error.startswith("no digit found") else st.error)(explain(error))
if digit is not None:
    st.session_state[OWN_KEY] = digit
else:
    digit = st.session_state.get(OWN_KEY)
    if digit is not None and error is None:
        c_in.caption(t("last_digit"))
        c_in.button(t("forget"), on_click=forget, icon=":material/delete:")

# ---------------------------------------------------------------- where it lands
path, stamp, _ = checkpoints.checkpoint_key(name)
source = testset.test_arrays().source
z = inference.encode(model, digit).mu[0] if digit is not None else None
with c_map:
    if len(methods) > 1:
        st.radio(
            t("view"), methods, key=state.key("view"), horizontal=True,
            format_func=lambda m: t(f"view_{m}"),
        )  # fmt: skip
    view = latentviews.latent_view(name, state["view"])
    xy = None
    if z is not None:
        placer = None
        if view.method == "tsne":
            with st.spinner(t("placing")):
                key = (path, stamp, source)
                placer = tsne_placer(key, view.latents, view.coords)
        xy = place_on_view(view, z, placer)
    labels = testset.test_labels()
    fig = map_with_marker(
        view.coords, labels, xy, t("marker"), view.axis_titles, legend_title=t("digit"),
        hover=t("digit"), height=MAP_HEIGHT,
    )  # fmt: skip
    with frame.figure_box():
        st.plotly_chart(fig, theme=None, config=figcache.PLOT_CONFIG, key="own.map")
    st.caption(t(f"map_{view.method}"))

# ---------------------------------------------------------------- what the model makes of it
with c_result, frame.result_box():
    if digit is None:
        if error is None:
            st.info(t("start_hint"), icon=":material/draw:")
        state.publish()
        st.stop()
    recon, _ = inference.reconstruct_nll(model, digit)
    a, b = st.columns(2)
    a.image(png_bytes(digit, scale=5), caption=t("mnist"))
    b.image(png_bytes(recon, scale=5), caption=t("recon_caption"))
    try:
        clf = checkpoints.classifier()
    except CheckpointError as exc:
        st.caption(t("no_classifier", error=exc))
    else:
        probs = inference.classify(clf, np.stack([digit, recon]))
        guess = probs.argmax(axis=1)
        st.markdown(
            t("classifier_says", a=guess[0], pa=probs[0, guess[0]], b=guess[1],
              pb=probs[1, guess[1]])
        )  # fmt: skip
    own_scores = {
        k: float(v[0]) for k, v in scores(model, digit[None, None], seed=SCORE_SEED).items()
    }
    reference = test_scores(path, stamp, source, model)
    if len(score_kinds) > 1:
        st.radio(
            t("score"), score_kinds, key=state.key("score"), horizontal=True,
            format_func=lambda k: t(f"score_{k}"),
        )  # fmt: skip
    kind = state["score"]
    value = own_scores[kind]
    pct = percentile_rank(value, reference[kind])
    st.metric(t(f"score_{kind}"), f"{value:.1f}", help=t("percentile", pct=pct))
    st.markdown(f"**{t('percentile', pct=pct)}**")

# ---------------------------------------------------------------- below the first screen
st.subheader(t("unusual_head"))
c_hist, c_link = st.columns([2, 1])
hist = score_histogram(
    {t("test_digits"): reference[kind]},
    t("hist_x", score=t(f"score_{kind}")),
    t("hist_y"),
    lines=[(value, t("marker"), "black")],
    colors={t("test_digits"): TEST_COLOR},
    height=340,
)
c_hist.plotly_chart(hist, theme=None, config=figcache.PLOT_CONFIG, key="own.hist")
c_link.caption(t("preprocess_note"))
c_link.page_link("pages/anomaly.py", label=t("to_anomaly"), icon=":material/troubleshoot:")
state.publish()
