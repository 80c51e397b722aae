"""The "Your digits, anomalies" pages: your own digit, anomaly detection, denoising.

Library parts without Streamlit (explorer/corrupt.py, explorer/placement.py), the pages
under AppTest in English and Korean with real widget interactions (an uploaded PNG, a bad
upload, the threshold and noise sliders), and one drawing in headless Chromium.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import torch
from PIL import Image
from streamlit.testing.v1 import AppTest

from explorer import inference
from explorer.corrupt import (
    KINDS,
    LEVEL_RANGE,
    corrupt,
    denoise_sweep,
    gaussian_noise,
    levels,
    occlude_square,
    salt_and_pepper,
    squared_distance,
)
from explorer.data import load_sample
from explorer.figures.corrupt import sweep_figure
from explorer.figures.scores import map_with_marker, score_histogram
from explorer.latent_views import LatentView, plane_view
from explorer.placement import TSNEPlacer, percentile_rank, place_on_view
from explorer.projection import pca_2d
from pages.texts.anomaly import CATALOG as ANOMALY_TEXT
from pages.texts.denoise import CATALOG as DENOISE_TEXT
from pages.texts.your_digit import CATALOG as OWN_TEXT

from .conftest import ROOT, app_elements, served_chromium

PAGES = {
    "pages/your_digit.py": OWN_TEXT,
    "pages/anomaly.py": ANOMALY_TEXT,
    "pages/denoise.py": DENOISE_TEXT,
}
EN, KO = 0, 1
MARKER = OWN_TEXT["marker"][EN]  # the map's trace for the user's digit


# ---------------------------------------------------------------- explorer/corrupt.py
@pytest.fixture(scope="module")
def digit() -> np.ndarray:
    return load_sample("test").images[0, 0].numpy()


def test_gaussian_noise_is_seeded_clipped_and_scales_one_draw(digit):
    a = gaussian_noise(digit, 0.3, seed=1)
    assert a.shape == digit.shape and a.dtype == np.float32
    assert a.min() >= 0.0 and a.max() <= 1.0
    np.testing.assert_array_equal(a, gaussian_noise(digit, 0.3, seed=1))
    assert not np.array_equal(a, gaussian_noise(digit, 0.3, seed=2))
    np.testing.assert_array_equal(gaussian_noise(digit, 0.0, seed=1), digit)
    # One ε per seed: where nothing is clipped, twice the σ moves a pixel twice as far.
    grey = np.full((28, 28), 0.5, np.float32)
    small, large = gaussian_noise(grey, 0.01, 3) - 0.5, gaussian_noise(grey, 0.02, 3) - 0.5
    np.testing.assert_allclose(large, 2 * small, atol=1e-6)
    with pytest.raises(ValueError):
        gaussian_noise(digit, -0.1)


def test_salt_and_pepper_replaces_the_share_and_grows_nested():
    grey = np.full((50, 28, 28), 0.5, np.float32)
    few, more = salt_and_pepper(grey, 0.1, seed=0), salt_and_pepper(grey, 0.4, seed=0)
    assert set(np.unique(more)) == {0.0, 0.5, 1.0}
    assert abs((few != 0.5).mean() - 0.1) < 0.01 and abs((more != 0.5).mean() - 0.4) < 0.01
    assert abs((more == 1.0).mean() - (more == 0.0).mean()) < 0.01  # half salt, half pepper
    changed = few != 0.5
    np.testing.assert_array_equal(more[changed], few[changed])  # a larger amount keeps them
    with pytest.raises(ValueError):
        salt_and_pepper(grey, 1.5)


def test_occluding_square_has_the_side_and_stays_in_the_frame():
    black = np.zeros((20, 1, 28, 28), np.float32)
    out = occlude_square(black, 9, seed=4)
    assert out.shape == black.shape
    assert ((out == 1.0).sum(axis=(-2, -1)) == 81).all()
    np.testing.assert_array_equal(occlude_square(black, 0, seed=4), black)
    assert (occlude_square(black, 28, seed=4) == 1.0).all()
    # Growing squares share their centre: the smaller one lies inside the larger.
    small, large = occlude_square(black, 4, seed=4), occlude_square(black, 12, seed=4)
    assert (large[small == 1.0] == 1.0).all()
    with pytest.raises(ValueError):
        occlude_square(black, 29)


def test_corrupt_dispatches_and_levels_span_the_range(digit):
    for kind in KINDS:
        lv = levels(kind, 5)
        assert len(lv) == 5 and lv[0] == LEVEL_RANGE[kind][0] and lv[-1] == LEVEL_RANGE[kind][1]
        out = corrupt(digit, kind, float(lv[2]), seed=0)
        assert out.shape == (28, 28) and not np.array_equal(out, digit)
    with pytest.raises(ValueError):
        corrupt(digit, "blur", 1.0)
    with pytest.raises(ValueError):
        gaussian_noise(np.zeros((10, 10)), 0.1)


def test_denoise_sweep_measures_against_the_clean_digit(tiny_vae, digit):
    sweep = denoise_sweep(tiny_vae, digit, "gaussian", [0.0, 0.5, 1.0], seed=0)
    assert sweep.corrupted.shape == sweep.reconstructed.shape == (3, 28, 28)
    assert sweep.corrupted_error[0] == 0.0  # level 0 is the clean digit itself
    assert sweep.corrupted_error[1] < sweep.corrupted_error[2]
    np.testing.assert_allclose(
        sweep.reconstructed[0], inference.reconstruct(tiny_vae, digit)[0], atol=1e-6
    )
    np.testing.assert_allclose(
        sweep.reconstructed_error, squared_distance(sweep.reconstructed, digit[None])
    )
    fig = sweep_figure(sweep, "σ", "distance", "noisy", "reconstructed", current=0.5)
    assert [tr.name for tr in fig.data] == ["noisy", "reconstructed"]
    assert fig.layout.shapes and fig.layout.shapes[0].x0 == 0.5


def test_the_trained_vae_pulls_inputs_back_to_the_manifold():
    """The page's lesson, measured on 20 digits: with growing noise the reconstruction's
    distance to the clean digit levels off while the noisy input's keeps growing."""
    from explorer import load_model

    model = load_model("vae-2d")
    images = load_sample("test").images.numpy()[::50, 0]
    noisy, recon = np.mean(
        [
            np.stack([s.corrupted_error, s.reconstructed_error])
            for s in (denoise_sweep(model, x, "gaussian", [0.5, 1.0], seed=0) for x in images)
        ],
        axis=0,
    )
    assert (recon < noisy).all()
    assert recon[1] - recon[0] < 0.25 * (noisy[1] - noisy[0])


def test_purification_accuracy(tiny_vae):
    from explorer.classifier import load_classifier
    from explorer.corrupt import purification_accuracy

    sample = load_sample("test")
    x, y = sample.images.numpy()[::20, 0], sample.labels.numpy()[::20]
    clf = load_classifier()
    clean, _ = purification_accuracy(tiny_vae, clf, x, y, "gaussian", 0.0)
    heavy, recon = purification_accuracy(tiny_vae, clf, x, y, "salt_pepper", 0.6)
    assert clean > 0.9 and heavy < clean
    # The reconstruction's accuracy again, one digit at a time through the model's own
    # forward pass (encoder mean -> decoder), against the batched helper's number.
    from explorer.corrupt import corrupt

    noisy = corrupt(x, "salt_pepper", 0.6, 0)
    right = 0
    with torch.no_grad():
        for image, label in zip(noisy, y):
            mu, _ = tiny_vae.encode(torch.from_numpy(image.astype(np.float32)).view(1, 1, 28, 28))
            guess = clf(tiny_vae.decode(mu)).argmax().item()
            right += guess == label
    assert recon == pytest.approx(right / len(y), abs=1e-9)


# ---------------------------------------------------------------- explorer/placement.py
@pytest.fixture(scope="module")
def clusters():
    """Four separated clusters in 5-D and a 'map' of them far from the origin."""
    rng = np.random.default_rng(0)
    centres = np.array([[8, 0, 0, 0, 0], [0, 8, 0, 0, 0], [0, 0, 8, 0, 0], [0, 0, 0, 8, 0]])
    labels = np.repeat(np.arange(4), 60)
    z = (centres[labels] + rng.normal(0, 0.5, (240, 5))).astype(np.float32)
    spots = np.array([[0, 0], [40, 0], [0, 40], [40, 40]]) + np.array([500.0, -300.0])
    coords = (spots[labels] + rng.normal(0, 2, (240, 2))).astype(np.float32)
    return z, coords, labels, spots


def test_tsne_placer_adds_codes_next_to_their_neighbours(clusters):
    z, coords, labels, spots = clusters
    placer = TSNEPlacer(z, coords)
    picks = np.array([0, 70, 130, 200])
    xy = placer.place(z[picks] + 0.05)
    assert xy.shape == (4, 2) and xy.dtype == np.float32
    # Each lands in its own cluster, in the map's own (off-centre) coordinates.
    dist = np.linalg.norm(xy[:, None, :] - spots[None], axis=2)
    np.testing.assert_array_equal(dist.argmin(axis=1), labels[picks])
    assert (dist.min(axis=1) < 10).all()
    assert placer.place(z[0]).shape == (2,)
    # The reference map does not move: placing again gives the same answer.
    np.testing.assert_allclose(placer.place(z[picks] + 0.05), xy, atol=1e-3)
    with pytest.raises(ValueError):
        placer.place(np.zeros(3))
    with pytest.raises(ValueError):
        TSNEPlacer(z[:5], coords[:5])


def test_tsne_placer_lands_where_opentsne_transform_does():
    """The numpy placer follows openTSNE's `transform` (same affinities, start, steps),
    with the exact gradient: on a real t-SNE map the two agree to a fraction of the
    spacing between neighbouring points."""
    from openTSNE import TSNE

    rng = np.random.default_rng(3)
    centres = rng.normal(0, 6, (6, 8))
    labels = np.repeat(np.arange(6), 100)
    z = centres[labels] + rng.normal(0, 1, (600, 8))
    embedding = TSNE(perplexity=30, random_state=0, n_jobs=1).fit(z)
    new = centres[[0, 2, 5]] + rng.normal(0, 1, (3, 8))
    theirs = np.asarray(embedding.transform(new))  # in the centred frame openTSNE moved to
    coords = np.asarray(embedding)  # (transform centred the map in place: same frame)
    ours = TSNEPlacer(z, coords).place(new)
    spacing = np.median(np.sort(np.linalg.norm(coords[:, None] - coords[None], axis=2), 1)[:, 1])
    assert (np.linalg.norm(ours - theirs, axis=1) < spacing).all()


def test_place_on_view_is_exact_on_linear_views(clusters):
    z, coords, labels, _ = clusters
    plane = plane_view(z[:, :2].copy())
    np.testing.assert_allclose(place_on_view(plane, z[3, :2]), z[3, :2])
    proj = pca_2d(z)
    view = LatentView("pca", proj.coords, z, proj)
    np.testing.assert_allclose(place_on_view(view, z[5]), proj.coords[5], atol=1e-4)
    assert place_on_view(view, z[:4]).shape == (4, 2)
    tsne = LatentView("tsne", coords, z)
    with pytest.raises(ValueError):
        place_on_view(tsne, z[0])
    placed = place_on_view(tsne, z[0], TSNEPlacer(z, coords))
    assert placed.shape == (2,)


def test_encoding_one_digit_gives_the_encoder_mean(tiny_vae, digit):
    import torch

    z = inference.encode(tiny_vae, digit).mu[0]
    with torch.no_grad():
        mu, _ = tiny_vae.encode(torch.from_numpy(digit).view(1, 1, 28, 28))
    assert z.shape == (3,)
    np.testing.assert_allclose(z, mu[0].numpy(), atol=1e-6)


def test_percentile_rank():
    ref = np.arange(100.0)
    assert percentile_rank(-1.0, ref) == 0.0
    assert percentile_rank(50.0, ref) == 50.0
    assert percentile_rank(1e9, ref) == 100.0
    with pytest.raises(ValueError):
        percentile_rank(1.0, np.array([]))


def test_figures_name_the_marker_and_the_lines(clusters):
    z, coords, labels, _ = clusters
    fig = map_with_marker(coords, labels % 10, np.array([2000.0, 0.0]), "mine", ("a", "b"))
    assert fig.data[-1].name == "mine" and fig.data[-1].marker.symbol == "star"
    assert fig.layout.xaxis.range[1] > 2000  # the view stretches to show a far marker
    test_scores = np.geomspace(10, 40, 200)
    hist = score_histogram(
        {"test": test_scores, "blank": np.full(50, 2.0)}, "score", "share",
        lines=[(15.0, "threshold", "black")],
    )  # fmt: skip
    assert [tr.name for tr in hist.data] == ["test", "blank"]
    assert hist.layout.xaxis.type == "log"
    notes = [a.text for a in hist.layout.annotations]
    assert "threshold" in notes and "↑ blank: 100%" in notes
    # Each set is normalised to its size; the axis fits the test digits, not the spike.
    test_share = np.array(hist.data[0].y)
    assert test_share.sum() == pytest.approx(2.0)  # every bin's height appears twice
    assert hist.layout.yaxis.range[1] == pytest.approx(1.15 * test_share.max())


# ---------------------------------------------------------------- the pages under AppTest
@pytest.fixture(scope="module", autouse=True)
def _private_projection_cache(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPLORER_CACHE", str(tmp_path_factory.mktemp("projections")))
        yield


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in app_elements(at, "plotly_chart")]


def _captions(at: AppTest) -> list[str]:
    return [img.proto.imgs[0].caption for img in app_elements(at, "image") if img.proto.imgs]


def _image_url(at: AppTest, caption_start: str) -> str:
    for img in app_elements(at, "image"):
        if img.proto.imgs and img.proto.imgs[0].caption.startswith(caption_start):
            return img.proto.imgs[0].url
    raise AssertionError(f"no image captioned {caption_start!r}: {_captions(at)}")


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _open(page: str, model: str = "vae-2d", lang: str = "en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["model"] = model
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    return at


def _png(image: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def digit_png() -> bytes:
    """A test digit as a photo would give it: 10x larger, dark ink on light paper."""
    img = load_sample("test").images[5, 0].numpy()
    big = Image.fromarray((255 - img * 255).astype(np.uint8)).resize((280, 280))
    return _png(np.asarray(big))


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_in_english_and_korean(page):
    text = PAGES[page]
    at = _open(page)
    _ok(at)
    assert at.title[0].value == text["title"][EN]
    at.session_state["lang"] = "ko"
    at.run()
    _ok(at)
    assert at.title[0].value == text["title"][KO]
    at = _open(page, lang="ko")  # a fresh session opened from a Korean link
    _ok(at)
    assert at.title[0].value == text["title"][KO]


@pytest.mark.badinput
def test_upload_a_digit_then_a_bad_file(digit_png):
    at = _open("pages/your_digit.py")
    assert any(OWN_TEXT["start_hint"][EN] in i.value for i in at.info)
    at.radio(key="own.source").set_value("upload").run()
    at.file_uploader(key="own.upload").set_value(("digit.png", digit_png, "image/png")).run()
    _ok(at)
    own = at.session_state["own_digit"]
    assert own.shape == (28, 28) and own.max() == pytest.approx(1.0)
    map_fig = _figures(at)[0]
    star = [tr for tr in map_fig["data"] if tr.get("name") == MARKER]
    assert len(star) == 1 and star[0]["marker"]["symbol"] == "star"
    assert any(c.startswith(OWN_TEXT["recon_caption"][EN]) for c in _captions(at))
    assert any("more unusual than" in m.value for m in at.markdown)
    hist = _figures(at)[1]
    assert any(a["text"] == MARKER for a in hist["layout"]["annotations"])

    at.file_uploader(key="own.upload").set_value(("digit.png", b"hello, not a PNG", "image/png"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [OWN_TEXT["err_not_image"][EN]]

    blank = _png(np.full((100, 100), 255, np.uint8))
    at.file_uploader(key="own.upload").set_value(("blank.png", blank, "image/png")).run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [OWN_TEXT["err_blank"][EN]]


def test_own_digit_from_session_state_on_the_pages():
    """A digit drawn earlier (kept in session state) is shown on all three pages."""
    digit = load_sample("test").images[7, 0].numpy()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["model"] = "vae-2d"
    at.session_state["own_digit"] = digit
    at.switch_page("pages/your_digit.py")
    at.run()
    _ok(at)
    assert any(OWN_TEXT["last_digit"][EN] in c.value for c in at.caption)
    assert any(tr.get("name") == MARKER for tr in _figures(at)[0]["data"])

    at.switch_page("pages/anomaly.py")
    at.run()
    _ok(at)
    annotations = [a["text"] for a in _figures(at)[0]["layout"]["annotations"]]
    assert ANOMALY_TEXT["own_line"][EN] in annotations
    assert any(m.value.startswith("**Your digit** scores") for m in at.markdown)

    at.switch_page("pages/denoise.py")
    at.run()
    at.toggle(key="denoise.own").set_value(True).run()
    _ok(at)
    assert at.number_input(key="denoise.digit").disabled


def test_threshold_slider_changes_precision_and_recall():
    at = _open("pages/anomaly.py", q="95")
    _ok(at)

    def metrics() -> dict[str, str]:
        return {m.label: m.value for m in at.metric}

    strict = metrics()
    at.slider(key="anomaly.q").set_value(70.0).run()
    _ok(at)
    loose = metrics()
    assert float(loose["threshold"]) < float(strict["threshold"])
    assert loose["recall"] != strict["recall"] and loose["precision"] != strict["precision"]
    assert float(loose["false alarms"].rstrip("%")) == pytest.approx(30.0, abs=1.0)
    assert at.query_params["q"] in ("70", ["70"])
    # The AUC table shows the blank set below chance, and the page says why.
    assert any("Nalisnick" in w.value for w in at.warning)
    at.multiselect(key="anomaly.sets").set_value([]).run()
    _ok(at)
    assert any(ANOMALY_TEXT["pick_a_set"][EN] in i.value for i in at.info)


def test_autoencoder_has_no_elbo_score():
    at = _open("pages/anomaly.py", model="ae-2d", score="neg_elbo")
    _ok(at)
    assert at.radio(key="anomaly.score").options == [
        ANOMALY_TEXT[f"score_{k}"][EN] for k in ("recon_error", "bce")
    ]
    assert at.radio(key="anomaly.score").value == "recon_error"


def test_noise_slider_changes_the_corrupted_image():
    at = _open("pages/denoise.py")
    _ok(at)
    original = _image_url(at, DENOISE_TEXT["original"][EN])
    noisy = _image_url(at, DENOISE_TEXT["corrupted"][EN])
    at.slider(key="denoise.sigma").set_value(0.8).run()
    _ok(at)
    assert _image_url(at, DENOISE_TEXT["original"][EN]) == original
    assert _image_url(at, DENOISE_TEXT["corrupted"][EN]) != noisy
    assert at.query_params["sigma"] in ("0.8", ["0.8"])
    at.radio(key="denoise.kind").set_value("square").run()
    _ok(at)
    assert at.slider(key="denoise.side").value == 8


# ---------------------------------------------------------------- in headless Chromium
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    env = {"EXPLORER_CACHE": str(tmp_path_factory.mktemp("proj"))}
    yield from served_chromium(env=env)


def _draw_seven(page) -> None:
    """One stroke shaped like a 7 across the drawing canvas (in its shadow root)."""
    canvas = page.locator("canvas.dc-canvas")
    canvas.wait_for()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    at = lambda fx, fy: (box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)  # noqa: E731
    path = [(0.25, 0.22), (0.75, 0.22), (0.45, 0.82)]
    page.mouse.move(*at(*path[0]))
    page.mouse.down()
    for (x0, y0), (x1, y1) in zip(path, path[1:]):
        for i in range(1, 11):
            page.mouse.move(*at(x0 + (x1 - x0) * i / 10, y0 + (y1 - y0) * i / 10))
    page.mouse.up()


@pytest.mark.browser
def _navigate(page, path: str, lang_index: int) -> None:
    """Go to another page of the same session through the top navigation: open the menu
    section (its pages are in a dropdown) and click the page's link."""
    from pages.texts.common import CATALOG as COMMON_TEXT

    link = page.locator(f'a[href$="/{path}"]:visible')
    if link.count() == 0:
        page.get_by_text(COMMON_TEXT["sec_yours"][lang_index], exact=True).first.click()
    link.first.click()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_draw_a_digit_and_see_it_on_the_map(browser, lang):
    """Draw with the mouse: the star for the drawn digit appears on the map, with its
    reconstruction; then the anomaly and denoising pages of the same session. A 1280x720
    screenshot of each page goes to test-artifacts/browser/."""
    from explorer.tools.apphost import screenshot, wait_idle

    i = EN if lang == "en" else KO
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(f"{browser.app_url}/your_digit?model=vae-2d&lang={lang}")
        page.get_by_role("heading", name=OWN_TEXT["title"][i]).first.wait_for(timeout=120_000)
        wait_idle(page, timeout=120)
        # The header's model picker is there: the page runs inside app.py's navigation.
        page.locator("[data-testid=stMain] [data-testid=stSelectbox]").first.wait_for(
            timeout=30_000
        )
        _draw_seven(page)
        wait_idle(page, timeout=120)
        legend = page.locator(".js-plotly-plot .legendtext", has_text=OWN_TEXT["marker"][i])
        legend.first.wait_for(timeout=60_000)
        recon = page.locator("[data-testid=stImage]").filter(has_text=OWN_TEXT["recon_caption"][i])
        recon.locator("img").first.wait_for(timeout=60_000)
        assert recon.locator("img").first.evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator("[data-testid=stException]").count() == 0
        legend.first.scroll_into_view_if_needed()
        screenshot(page, f"your_digit-{lang}-results")
        page.get_by_role("heading", name=OWN_TEXT["title"][i]).first.scroll_into_view_if_needed()
        screenshot(page, f"your_digit-{lang}")

        for path, catalog, last in (
            ("anomaly", ANOMALY_TEXT, "anomaly.examples.test"),
            ("denoise", DENOISE_TEXT, "denoise.curve"),
        ):
            _navigate(page, path, i)
            page.get_by_role("heading", name=catalog["title"][i]).first.wait_for(timeout=60_000)
            # The last chart of the page is drawn once the whole run is through.
            page.locator(f".st-key-{last.replace('.', '-')} .js-plotly-plot").wait_for(
                timeout=120_000
            )
            wait_idle(page, timeout=120)
            assert page.locator("[data-testid=stException]").count() == 0
            screenshot(page, f"{path}-{lang}")
        # The drawn digit travelled with the session to the anomaly page's histogram.
        _navigate(page, "anomaly", i)
        wait_idle(page, timeout=120)
        own_line = ANOMALY_TEXT["own_line"][i]
        page.locator(".js-plotly-plot .annotation-text", has_text=own_line).first.wait_for(
            timeout=60_000
        )
    finally:
        context.close()
