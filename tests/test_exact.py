"""log p(x) by quadrature in 2-D (explorer.exact): checked against independent estimates
(a uniform fine grid over a big box, IWAE with 100,000 samples), the three-term identity
adding up, the IWAE bound rising to log p(x), q optimised per digit staying below it; the
evaluation column; and the page under AppTest in English and Korean."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest
import streamlit as st
import torch
from streamlit.testing.v1 import AppTest

from explorer import exact, list_models, load_model
from explorer.config import ModelConfig
from explorer.data import load_digits, load_sample
from explorer.evaluate import evaluate
from explorer.model import build_model
from pages.texts.exact import CATALOG

from .conftest import ROOT, app_figures

EN, KO = 0, 1
needs_vae2d = pytest.mark.skipif(
    "vae-2d" not in list_models(), reason="needs the committed checkpoint vae-2d"
)


@pytest.fixture(scope="module")
def sharp_vae():
    """A tiny untrained 2-D VAE whose decoder's last layer is scaled up, so that p(z|x) is
    narrow (std ~0.15) while the untrained encoder's q(z|x) is wide (std ~1): the gap is
    tens of nats."""
    torch.manual_seed(0)
    model = build_model(ModelConfig(kind="vae", latent_dim=2, hidden_dims=(32, 16))).eval()
    with torch.no_grad():
        model.decoder[-1].weight.mul_(8.0)
    return model


@pytest.fixture(scope="module")
def sample_digits():
    return load_sample("test").images[:3, 0].numpy()  # (3, 28, 28)


@pytest.fixture(scope="module")
def vae2d():
    return load_model("vae-2d")


@pytest.fixture(scope="module")
def test_digits():
    """The test split the app shows: full MNIST with MNIST_ROOT, else the offline sample."""
    return load_digits("test").images[:8, 0].numpy()


def uniform_log_px(model, images: np.ndarray, half_width: float, n: int) -> np.ndarray:
    """log p(x) of images (N, 28, 28) on ONE uniform n x n grid over [-w, w]^2: no mass
    finding, no zoom, shared by all images; computed in slices of rows."""
    xs = np.linspace(-half_width, half_width, n)
    h = xs[1] - xs[0]
    x = exact.flat_images(images)
    acc = np.full(len(images), -np.inf)
    for start in range(0, n, max(1, 20_000 // n)):
        gx, gy = np.meshgrid(xs, xs[start : start + max(1, 20_000 // n)])
        z = np.stack([gx.ravel(), gy.ravel()], axis=1)
        lj = exact.log_likelihood(exact.decoder_logits(model, z), x) + exact.log_prior(z)
        acc = np.logaddexp(acc, np.logaddexp.reduce(lj, axis=1))
    return acc + 2 * math.log(h)


def iwae_100k(model, x, post: exact.Posterior, seed: int = 0) -> float:
    """log (1/k) sum w for k = 100,000 samples from the encoder's q(z|x)."""
    log_w = exact.log_weights(model, x, post.mu, post.logvar, "q", 100_000, seed=seed)
    return float(np.logaddexp.reduce(log_w) - math.log(len(log_w)))


# ---------------------------------------------------------------- the tiny model
def test_quadrature_matches_a_uniform_grid(sharp_vae, sample_digits):
    reference = uniform_log_px(sharp_vae, sample_digits, half_width=6.0, n=601)  # h = 0.02
    for x, ref in zip(sample_digits, reference):
        post = exact.exact_posterior(sharp_vae, x)
        assert post.log_px == pytest.approx(ref, abs=0.05)
        assert post.grid_error < 0.05 and post.edge < -20
        mass = np.exp(post.log_posterior + post.grid.log_cell).sum()
        assert mass == pytest.approx(1.0, abs=1e-9)


def test_iwae_with_many_samples_lies_just_below(sharp_vae, sample_digits):
    for x in sample_digits:
        post = exact.exact_posterior(sharp_vae, x)
        bound = iwae_100k(sharp_vae, x, post)
        assert post.log_px - 0.05 < bound < post.log_px + 0.02


def test_the_decomposition_adds_up(sharp_vae, sample_digits):
    for x in sample_digits:
        post = exact.exact_posterior(sharp_vae, x)
        terms = exact.three_terms(sharp_vae, x, post)
        assert terms.gap > 10  # the untrained encoder's q is far too wide
        assert abs(terms.mismatch) < 0.01
        assert terms.elbo == pytest.approx(terms.recon - terms.kl_prior)
        assert terms.log_px == pytest.approx(
            terms.recon - terms.kl_prior + terms.kl_posterior, abs=0.01
        )


def test_optimising_q_climbs_but_stays_below_log_px(sharp_vae, sample_digits):
    x = sample_digits[0]
    post = exact.exact_posterior(sharp_vae, x)
    encoder = exact.three_terms(sharp_vae, x, post)
    report = exact.sampling_report(sharp_vae, x, post)
    for run in report.runs.values():
        assert run.elbo[-1] > encoder.elbo
        assert run.elbo.max() <= post.log_px + 0.01
    assert report.amortization_gap(encoder) > 10
    assert 0 <= report.best.gap < 0.5 * encoder.gap
    assert report.highest <= post.log_px + 0.01


def test_model_is_left_untouched_by_the_optimisation(sharp_vae, sample_digits):
    before = {k: v.clone() for k, v in sharp_vae.state_dict().items()}
    post = exact.exact_posterior(sharp_vae, sample_digits[1])
    exact.optimise_q(sharp_vae, sample_digits[1], {"e": (post.mu, post.logvar)}, steps=5)
    assert all(torch.equal(before[k], v) for k, v in sharp_vae.state_dict().items())
    assert all(p.grad is None for p in sharp_vae.parameters())


def test_exact_many_matches_one_by_one(sharp_vae, sample_digits):
    many = exact.exact_many(sharp_vae, sample_digits)
    for i, x in enumerate(sample_digits):
        post = exact.exact_posterior(sharp_vae, x)
        assert many["log_px"][i] == pytest.approx(post.log_px, abs=1e-9)
        terms = exact.three_terms(sharp_vae, x, post)
        assert many["gap"][i] == pytest.approx(terms.gap, abs=1e-6)
    quick = exact.exact_many(sharp_vae, sample_digits, exact.QUICK)
    assert np.abs(quick["log_px"] - many["log_px"]).max() < 0.05


def test_evaluate_stores_the_exact_column_beside_iwae(sharp_vae):
    train, test = load_sample("train"), load_sample("test")
    few = type(test)(test.images[:20], test.labels[:20], test.source, "test")
    metrics = evaluate(sharp_vae, train, few, k=50, exact_n=10)
    assert metrics["exact_n"] == 10
    assert metrics["exact_grid_error"] < 0.05
    # IWAE bounds -log p(x) from above, on the same 10 digits.
    assert metrics["exact_iwae_nll"] >= metrics["exact_nll"] - 0.05
    assert metrics["exact_gap"] > 0


# ---------------------------------------------------------------- small pieces
def test_typical_gap_digit_rule():
    log_px = np.array([-300.0, -150, -140, -130, -120, -110, -100, -90, -80, -20])
    gap = np.array([50.0, 0.5, 3.0, 4.0, 9.0, 2.5, 1.0, 6.0, 0.1, 40.0])
    index, median, kept = exact.typical_gap_digit(log_px, gap)
    # The outliers #0 and #9 are left out; kept: #2, #3, #4, #5, #7 (gaps 3, 4, 9, 2.5, 6).
    assert kept == 5 and median == 4.0 and index == 3


def test_grids_nest_and_record_steps():
    grid = exact.Grid.over(np.array([0.0, -1.0]), np.array([1.0, 1.0]), (5, 9))
    assert grid.shape == (9, 5) and np.allclose(grid.spacing, [0.25, 0.25])
    assert exact.fine_shape(np.zeros(2), np.ones(2), np.array([0.01, 0.1]))[0] % 2 == 1
    assert list(exact.record_steps(200)) == [0, 1, 2, 5, 10, 20, 50, 100, 200]


# ---------------------------------------------------------------- the committed vae-2d
@needs_vae2d
def test_committed_model_decomposition_and_iwae(vae2d, test_digits):
    """On the first test digits: the identity adds up; where the encoder's q is close to
    p(z|x) (gap below 1 nat, so that q is a good proposal), IWAE with 100,000 samples lies
    just below the exact value."""
    checked = 0
    for x in test_digits:
        post = exact.exact_posterior(vae2d, x)
        assert post.grid_error < 0.05
        terms = exact.three_terms(vae2d, x, post)
        assert abs(terms.mismatch) < 0.01 and terms.gap > -0.01
        if terms.gap < 1.0 and checked < 2:
            bound = iwae_100k(vae2d, x, post)
            assert post.log_px - 0.05 < bound < post.log_px + 0.02
            checked += 1
    assert checked, "no test digit with a gap below 1 nat among the first eight"


@needs_vae2d
def test_committed_model_iwae_rises_and_q_optimises_below_log_px(vae2d, test_digits):
    x = test_digits[0]
    post = exact.exact_posterior(vae2d, x)
    encoder = exact.three_terms(vae2d, x, post)
    report = exact.sampling_report(vae2d, x, post)
    q, prior = report.curves["q"], report.curves["prior"]
    assert list(q.ks) == list(exact.IWAE_KS)
    assert q.mean[0] == pytest.approx(encoder.elbo, abs=0.3)  # L_1 is the ELBO, sampled
    assert np.all(np.diff(q.mean) > -0.05)  # rises with k (up to noise)
    # E[L_k] <= log p(x); a mean of a few estimates may sit above it by Monte Carlo noise
    # (on a digit with a narrow posterior, 0.023 nats was seen): the 0.05 nats.
    assert q.mean[-1] <= post.log_px + 0.05 and q.mean[-1] > q.mean[0]
    # One prior sample lands far from p(z|x); more climb. (At k = 10,000 a single estimate
    # from the prior is still a lottery: a sample or two near p(z|x) decide it.)
    assert post.log_px - prior.mean[0] > 20
    assert np.all(np.diff(prior.mean[:4]) > 0)
    for curve in (q, prior):  # Jensen on the same samples
        assert curve.log_mean_w > curve.mean_log_w
    for run in report.runs.values():
        assert run.elbo[-1] >= encoder.elbo - 0.01
        assert run.elbo.max() <= post.log_px + 0.01
    assert report.best.elbo >= encoder.elbo - 0.01


@needs_vae2d
@pytest.mark.slow
def test_committed_model_matches_a_uniform_grid(vae2d, test_digits):
    """One uniform grid over [-5, 5]^2 with spacing 0.01 (a million decodes): minutes."""
    reference = uniform_log_px(vae2d, test_digits[:3], half_width=5.0, n=1001)
    for x, ref in zip(test_digits[:3], reference):
        assert exact.exact_posterior(vae2d, x).log_px == pytest.approx(ref, abs=0.05)


# ---------------------------------------------------------------- the page
@pytest.fixture
def _fresh_caches(monkeypatch, tmp_path_factory):
    # The default digit's rule is kept on disk: once per test session, never the user's.
    monkeypatch.setenv("EXPLORER_CACHE", str(tmp_path_factory.getbasetemp() / "projections"))
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _open(lang: str = "en", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params["model"] = "vae-2d"
    at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/exact.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _array(value) -> np.ndarray:
    """A Plotly data array from figure JSON: a list, or a typed array {"dtype", "bdata"}."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def _by_title(at: AppTest, words: str) -> dict:
    for fig in app_figures(at):
        if words in str(fig["layout"].get("title", {}).get("text", "")):
            return fig
    raise AssertionError(f"no figure titled with {words!r}")


@needs_vae2d
@pytest.mark.usefixtures("_fresh_caches")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_page_shows_the_posterior_and_the_three_terms(lang):
    i = 0 if lang == "en" else 1
    at = _open(lang)
    assert at.title[0].value == CATALOG["title"][i]
    post_fig = _by_title(at, "p(z|x)")
    kinds = [trace["type"] for trace in post_fig["data"]]
    assert kinds[0] == "heatmap" and kinds.count("scatter") >= 4  # 1σ, 2σ, optimised, marks
    terms_fig = _by_title(at, CATALOG["terms_title"][i])
    bars = terms_fig["data"][0]
    log_px = float(bars["text"][-1].removeprefix("= ").replace("−", "-"))
    elbo = float(bars["text"][2].removeprefix("= ").replace("−", "-"))
    opening = CATALOG["claim"][i].split("{")[0]
    claim = next(m.value for m in at.markdown if m.value.startswith(opening))
    assert f"{log_px - elbo:.2f} nats" in claim  # the claim's gap is the bars' difference
    iwae_fig = _by_title(at, "L_k")
    assert any(
        s.get("y0") == pytest.approx(log_px, abs=0.006) for s in iwae_fig["layout"]["shapes"]
    )
    assert at.query_params["i"]  # the default digit went to the URL


@needs_vae2d
@pytest.mark.usefixtures("_fresh_caches")
def test_page_proposal_switch_digit_change_and_own_digit():
    at = _open(i="0")
    first_q = _array(_by_title(at, "L_k")["data"][0]["y"])[0]
    at.radio(key="exact.proposal").set_value("prior").run()
    assert not at.exception
    prior_fig = _by_title(at, "L_k")
    assert "p(z), the prior" in prior_fig["layout"]["title"]["text"]
    assert _array(prior_fig["data"][0]["y"])[0] < first_q - 10  # L_1 from the prior
    claim0 = next(m.value for m in at.markdown if m.value.startswith("For this digit"))
    at.number_input(key="exact.i").set_value(1).run()
    assert not at.exception
    assert at.query_params["i"] in (["1"], "1")
    claim1 = next(m.value for m in at.markdown if m.value.startswith("For this digit"))
    assert claim1 != claim0

    at.session_state["own_digit"] = load_sample("test").images[7, 0].numpy()
    at.run()
    at.toggle(key="exact.own").set_value(True).run()
    assert not at.exception and not at.error
    assert "your digit" in _by_title(at, "p(z|x)")["layout"]["title"]["text"]


@needs_vae2d
@pytest.mark.usefixtures("_fresh_caches")
def test_page_answers_a_new_digit_at_once_and_draws_it_when_the_queue_is_done(monkeypatch):
    """As a real server runs it (no inline work): a new digit's run shows the digit and a
    progress bar but no posterior; once the background queue is done, the posterior and
    the three terms are there, then the sampling part below."""
    from pages import background

    at = _open(i="0")
    monkeypatch.delenv(background.INLINE_ENV)
    at.number_input(key="exact.i").set_value(2).run()
    assert not at.exception
    titles = [str(f["layout"].get("title", {}).get("text", "")) for f in app_figures(at)]
    assert not any("p(z|x)" in t for t in titles)  # not yet: the queue computes it
    for _ in range(2):  # the posterior, then the sampling report
        jobs = list(background._queue()._jobs.values())
        assert all(job.wait(300) for job in jobs)
        at.run()
        assert not at.exception
    _by_title(at, "p(z|x)")
    _by_title(at, CATALOG["terms_title"][0])
    _by_title(at, "L_k")
