"""Measure what the app and the README claim, and print a table.

    python -m explorer.bench                      # every section but train (~20 minutes)
    python -m explorer.bench --only decode,tsne   # library-only, no browser
    python -m explorer.bench --only train         # time vae-2d training (several minutes)

Sections:
- decode:  decoder time for one point and for a 30x30 manifold grid (CPU).
- work:    what the pages compute in the background after a click (the IWAE page's large k,
           the exact page's posterior and sampling report, the AE-vs-VAE page's next draw):
           seconds until the whole result is drawn; the click answers before.
- tsne:    t-SNE of the 10,000 test latents of vae-32d: openTSNE with FFT and with
           Barnes-Hut gradients and scikit-learn side by side (same perplexity and
           iterations, each map's 5-NN accuracy), the app's own one-thread run, the cached
           reload, and the map shipped beside the checkpoint.
- pages:   per page (vae-2d, English): open time on its first visit in a fresh process and
           warm, and the p95 over every widget the widget walk operates (AppTest, server
           path, one user); pages32 the same with vae-32d.
- browser: cold start (server start -> latent map drawn in headless Chromium, with the
           checkpoints and projection cache present) and click -> decoded image visible,
           p50/p95 over 30 clicks.
- hover:   live decoding on the latent map in headless Chromium: decode time per frame.
- load:    30 students over Streamlit's protocol for a minute against one app process, and
           one real Chromium tab clicking meanwhile (explorer.loadtest).
- nginx:   the same class against two app processes behind nginx, sticky by client.
- epoch:   two epochs of vae-2d training on full MNIST: seconds per epoch.
- train:   vae-2d on full MNIST with the committed settings: seconds per epoch and the
           wall time until the test -ELBO is within 2 nats of the committed model's.
- live:    the Train live page's run (explorer.live), three seeds: Start -> first frame and
           -> visible clusters, steps per second; then in Chromium, Start pressed -> the
           first step and the clusters on screen, and a second browser's step.
- liveload: the class of 30 against one app process while a live run trains.
Timings are wall-clock on whatever machine runs this; nothing here asserts a target.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from explorer import checkpoint, inference
from explorer.data import load_digits
from explorer.manifold import grid_points
from explorer.tools.report import Row, ms, percentile, table


def _timeit(fn: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bench_decode(models: tuple[str, ...] = ("vae-2d", "vae-32d")) -> list[Row]:
    rows: list[Row] = []
    for name in models:
        model = checkpoint.load_model(name)
        d = model.config.latent_dim
        one = np.zeros((1, d), np.float32)
        grid = np.zeros((900, d), np.float32)
        grid[:, :2] = grid_points([-3, -3], [3, 3], 30)
        t1 = _timeit(lambda m=model, z=one: inference.decode(m, z), repeat=300)
        t900 = _timeit(lambda m=model, z=grid: inference.decode(m, z), repeat=30)
        rows.append((f"decode 1 point ({name})", ms(statistics.median(t1)), "median of 300"))
        rows.append((f"decode 30x30 grid ({name})", ms(statistics.median(t900)), "median of 30"))
    rows.append(("torch threads", str(torch.get_num_threads()), "CPU"))
    return rows


def bench_tsne(with_sklearn: bool = True) -> list[Row]:
    """t-SNE of vae-32d's test latents by each setting, side by side in one run (same
    perplexity, 250 + 500 iterations, every core), each with the 5-NN digit accuracy of its
    map (a faster setting must not draw a worse map); then what the app pays: the map
    shipped beside the checkpoint, a disk-cache reload, and the app's own one-thread run."""
    from explorer.metrics import encode_means
    from explorer.projection import (
        TSNE_EXAGGERATION_ITER,
        TSNE_ITER,
        TSNE_PERPLEXITY,
        cached_projection,
        digits_key,
        load_shipped_tsne,
        tsne_2d,
    )

    test = load_digits("test")
    model = checkpoint.load_model("vae-32d")
    z = encode_means(model, test.images).numpy()
    labels = test.labels.numpy()
    iters = TSNE_EXAGGERATION_ITER + TSNE_ITER
    rows: list[Row] = [("t-SNE input", f"{z.shape[0]:,} x {z.shape[1]}", test.description)]
    settings: list[tuple[str, Callable[[], np.ndarray], str]] = [
        ("openTSNE, FFT gradient", lambda: tsne_2d(z, gradient="fft").coords, "all cores"),
        ("openTSNE, Barnes-Hut", lambda: tsne_2d(z, gradient="bh").coords, "all cores"),
    ]
    if with_sklearn:
        from sklearn.manifold import TSNE

        def sklearn() -> np.ndarray:
            tsne = TSNE(
                perplexity=TSNE_PERPLEXITY, init="pca", max_iter=iters, random_state=0, n_jobs=-1
            )
            return tsne.fit_transform(z)

        settings.append(("scikit-learn, Barnes-Hut", sklearn, "all cores"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-tsne-"))

    def app_run() -> np.ndarray:  # the app's background run, which also fills a disk cache
        return cached_projection(z, "tsne", "bench", directory=tmp, n_jobs=1)[0].coords

    settings.append(("openTSNE, Barnes-Hut, 1 thread", app_run, "what the app runs"))
    times = {}
    for name, run, note in settings:
        t0 = time.perf_counter()
        coords = run()
        times[name] = time.perf_counter() - t0
        acc = _knn_2d(coords, labels)
        rows.append((f"t-SNE, {name}", f"{times[name]:.1f} s", f"{note}; map 5-NN {acc:.1%}"))
    fastest = min(list(times)[:-1], key=times.get)  # of the all-core settings
    rows.append(("t-SNE, fastest setting", fastest, f"perplexity {TSNE_PERPLEXITY:g}, {iters} it."))
    t0 = time.perf_counter()
    _, hit = cached_projection(z, "tsne", "bench", directory=tmp)
    rows.append(("t-SNE cached reload", ms(time.perf_counter() - t0), f"cache hit: {hit}"))
    shutil.rmtree(tmp, ignore_errors=True)
    t0 = time.perf_counter()
    shipped = load_shipped_tsne(
        checkpoint.resolve("vae-32d"), digits_key(test.source, labels), len(z)
    )
    note = "found" if shipped is not None else "missing or stale: run explorer.evaluate"
    rows.append(("t-SNE shipped with vae-32d, load", ms(time.perf_counter() - t0), note))
    return rows


def _knn_2d(coords: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Leave-one-out k-NN digit accuracy on a 2-D map: how well it keeps the classes apart."""
    from sklearn.neighbors import NearestNeighbors

    idx = NearestNeighbors(n_neighbors=k + 1).fit(coords).kneighbors(coords)[1][:, 1:]
    votes = labels[idx]  # (N, k)
    pred = np.array([np.bincount(v, minlength=10).argmax() for v in votes])
    return float((pred == labels).mean())


# The probe run in a fresh interpreter per page: a bookmarked page opened on a new server
# process (its first visit), opened again after another page (warm), then every widget
# operated by the widget walk, the app-wide language and model pickers left alone.
_PAGE_PROBE = """
import json, sys, threading, time
from streamlit.testing.v1 import AppTest
from explorer.tools import widget_walk
from pages import language, picker, warmup

app, page, model, lang = sys.argv[1:5]

def opened(at):
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start

at = AppTest.from_file(app, default_timeout=900)
at.query_params["model"], at.query_params["lang"] = model, lang
at.switch_page(page)
first = opened(at)
other = next(p for p in widget_walk.page_scripts(at) if p != page)
at.switch_page(other).run()
at.switch_page(page)
warm = opened(at)
for thread in threading.enumerate():  # the app's warm-up (torch, the model), done on a
    if isinstance(thread, threading.Timer):  # server while the class reads the page
        thread.join(300)
walk = widget_walk.walk(
    at, skip_keys={language._LANG_PICKER_KEY, picker._PICKER_KEY}, timeout=900, open_seconds=warm
)
steps = [(s.widget, s.value, s.seconds) for s in walk.steps[1:]]
print(json.dumps({"first": first, "warm": warm, "steps": steps, "problems": walk.problems()}))
"""


def bench_pages(model: str = "vae-2d", lang: str = "en") -> list[Row]:
    """Per page of the navigation, on the server path (AppTest, one user, no browser): the
    page's open time on its first visit in a fresh process (as a bookmark opens it) and
    warm, and the p95 over its widgets, each operated by `explorer.tools.widget_walk` once
    the app's background warm-up (torch and the page's model, `warmup.warm_up_torch`) is
    done, as it is on a server by the time a lecturer first touches a control."""
    import json
    import subprocess

    from streamlit.testing.v1 import AppTest

    from explorer.tools.widget_walk import page_scripts

    root = Path(__file__).resolve().parents[2]  # the repo root, where app.py lives
    app = str(root / "app.py")
    at = AppTest.from_file(app, default_timeout=900)
    at.query_params["model"] = model
    rows: list[Row] = []
    for page in page_scripts(at.run()):
        name = Path(page).stem
        done = subprocess.run(
            [sys.executable, "-c", _PAGE_PROBE, app, page, model, lang],
            cwd=root, capture_output=True, text=True, timeout=3600,
        )  # fmt: skip
        if done.returncode != 0:
            rows.append((f"page {name}", "failed", done.stderr.strip().splitlines()[-1][:80]))
            continue
        probe = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            (
                f"page {name}: open, first visit / warm",
                f"{probe['first']:.2f} s / {probe['warm']:.2f} s",
                f"{model}, {lang}",
            )
        )
        seconds = [s for *_, s in probe["steps"]]
        if seconds:
            widget, value, slowest = max(probe["steps"], key=lambda step: step[2])
            note = f"{len(seconds)} actions; slowest {slowest:.2f} s: {widget} := {value}"
            if probe["problems"]:
                note += f"; {len(probe['problems'])} problems"
            rows.append((f"page {name}: widget p95", ms(percentile(seconds, 95)), note))
    return rows


def bench_train(epochs: int | None = None) -> list[Row]:
    from explorer.config import ModelConfig, TrainConfig
    from explorer.train import train

    _, info = checkpoint.load_model_and_info("vae-2d")
    cfg = ModelConfig.from_dict(info["config"])
    tc = TrainConfig.from_dict(info["train_config"])
    if epochs is not None:
        tc = TrainConfig(**{**tc.__dict__, "epochs": epochs})
    final = info["history"]["test_recon"][-1] + info["history"]["test_kl"][-1]
    train_d, test_d = load_digits("train"), load_digits("test")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        state = train(cfg, tc, train_d, test_d, Path(tmp) / "vae-2d.pt", progress=False)
        total = time.perf_counter() - t0
    h = state["history"]
    loss = np.add(h["test_recon"], h["test_kl"])
    elapsed = np.cumsum(h["seconds"])
    hit = np.flatnonzero(loss <= final + 2.0)
    reach = f"{elapsed[hit[0]]:.0f} s (epoch {hit[0] + 1})" if len(hit) else "not reached"
    return [
        (
            "train vae-2d: seconds per epoch",
            f"{np.median(h['seconds']):.1f} s",
            "median, incl. test eval",
        ),
        ("train vae-2d: total", f"{total:.0f} s", f"{tc.epochs} epochs"),
        ("train vae-2d: within 2 nats of final", reach, f"final -ELBO {final:.2f} (committed)"),
    ]


def bench_browser(clicks: int = 30) -> list[Row]:
    from explorer.tools.apphost import measure_app_latency

    cold, latencies = measure_app_latency(clicks=clicks)
    with tempfile.TemporaryDirectory() as empty:  # a machine that has never run the app
        first, _ = measure_app_latency(
            clicks=1, env={"EXPLORER_OFFLINE": "1", "EXPLORER_CACHE": empty}
        )
    return [
        ("cold start to latent map drawn", f"{cold:.2f} s", "server launch -> map in Chromium"),
        (
            "the same, empty disk cache",
            f"{first:.2f} s",
            "first start on a machine: the facts shipped beside the checkpoint, no torch",
        ),
        ("click -> decoded image, p50", ms(percentile(latencies, 50)), f"{len(latencies)} clicks"),
        ("click -> decoded image, p95", ms(percentile(latencies, 95)), f"{len(latencies)} clicks"),
    ]


def bench_hover() -> list[Row]:
    from explorer.tools.apphost import measure_hover_decode

    h = measure_hover_decode()
    return [
        (
            "hover decode per frame (browser), median / max",
            f"{h['median']:.2f} ms / {h['max']:.2f} ms",
            f"{h['frames']} frames for {h['moves']} pointer moves",
        ),
        ("hover decode, tight loop", f"{h['loop']:.3f} ms", "per decode, 300 in a row"),
        (
            "hover: weights unpacked / 10,000 dots drawn",
            f"{h['unpack']:.0f} / {h['dots']:.0f} ms",
            "once",
        ),
    ]


def bench_load(backends: int = 1) -> list[Row]:
    from explorer.tools.loadtest import run_load

    report = run_load(sessions=30, seconds=60, backends=backends, observer=backends == 1)
    for error in report.stats.errors[:10]:
        print("load test error:", error, file=sys.stderr)
    return report.rows()


def bench_work(digits: int = 5) -> list[Row]:
    """What the pages' background queue computes after a click (pages/background.py), on
    vae-2d and the first test digits: the median seconds until the whole result is drawn
    (the click itself answers with the quick part)."""
    from explorer import exact
    from explorer.bounds import iwae_curve
    from explorer.classifier import load_classifier
    from explorer.lessons import ae_vs_vae
    from explorer.metrics import encode_means

    model = checkpoint.load_model("vae-2d")
    ae = checkpoint.load_model("ae-2d")
    test = load_digits("test")
    coarse = exact.coarse_pass(model)
    big, posterior, report = [], [], []
    for i in range(digits):
        x = test.images[i]
        start = time.perf_counter()
        iwae_curve(model, x, ks=(500, 5000), first=3)
        exact.exact_posterior(model, x[0].numpy(), coarse)
        big.append(time.perf_counter() - start)
        start = time.perf_counter()
        post = exact.exact_posterior(model, x[0].numpy(), coarse)
        exact.three_terms(model, x[0].numpy(), post)
        posterior.append(time.perf_counter() - start)
        start = time.perf_counter()
        exact.sampling_report(model, x[0].numpy(), post)
        report.append(time.perf_counter() - start)
    clf = load_classifier()
    codes = {m: encode_means(m, test.images).numpy() for m in (ae, model)}
    draws = _timeit(lambda: ae_vs_vae(ae, model, codes[ae], codes[model], clf, 1000, seed=1), 5, 1)
    med = statistics.median
    note = f"vae-2d, median of {digits} test digits, after the click's quick part"
    return [
        ("IWAE page: k = 500 and 5000 and exact -log p(x)", f"{med(big):.2f} s", note),
        ("exact page: posterior and the three terms", f"{med(posterior):.2f} s", note),
        ("exact page: sampling report (IWAE, optimised q)", f"{med(report):.2f} s", note),
        ("AE vs VAE: one new draw (2 x 1,000 samples)", f"{med(draws):.2f} s", "median of 5"),
    ]


def bench_live(runs: int = 3) -> list[Row]:
    """Live training (explorer.live) with the Train live page's default settings, as the
    page starts it (its own process, one thread, lowered priority), for seeds 0..runs-1:
    seconds from Start to the first frame and to visible clusters, and steps per second;
    then the same in Chromium: Start pressed -> first step and clusters on screen."""
    from explorer import live
    from explorer.tools.apphost import measure_live_run

    first, clusters, speed = [], [], []
    for seed in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            live.start(live.Settings(seed=seed), "bench", directory)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                cur = live.status(directory)
                if not cur.active or cur.get("clusters_at") is not None:
                    break
                time.sleep(0.2)
            time.sleep(3)  # a few more seconds of steps for the speed
            live.end_run(directory)
            cur = live.status(directory)
            first.append(cur.get("first_frame_at"))
            clusters.append(cur.get("clusters_at"))
            speed.append(cur.get("steps_per_s"))
    seen = [c for c in clusters if c is not None]
    note = f"seeds 0-{runs - 1}: " + ", ".join("-" if c is None else f"{c:.1f}" for c in clusters)
    s = live.Settings()
    what = f"{s.kind}, {s.latent_dim}-D, {s.train_size:,} digits, lr {s.lr:g}, batch {live.BATCH}"
    rows = [
        ("live: Start -> first frame", f"{statistics.median(first):.1f} s", f"median; {what}"),
        (
            "live: Start -> clusters (5-NN >= 60%)",
            f"{max(seen):.1f} s" if len(seen) == runs else "not always",
            f"slowest; {note}",
        ),
        ("live: training steps per second", f"{statistics.median(speed):.0f}",
         f"median; {live.BATCH} digits a step, 1 thread"),
    ]  # fmt: skip
    browser = measure_live_run()
    fmt = lambda v: "not seen" if v is None else f"{v:.1f} s"  # noqa: E731
    rows += [
        ("live in Chromium: Start -> first step shown", fmt(browser["first_step"]), "seed 0"),
        ("live in Chromium: Start -> clusters shown", fmt(browser["clusters"]), "seed 0"),
        (
            "live in Chromium: a second browser's step",
            f"{browser['step_watcher']:,} / {browser['step_owner']:,}"
            if browser["step_owner"] is not None and browser["step_watcher"] is not None
            else "not read",
            "watcher / owner, after a pause",
        ),
    ]
    return rows


def bench_live_load() -> list[Row]:
    """The class of 30 (explorer.loadtest, one process) while a live run trains."""
    from explorer.tools.loadtest import run_load

    report = run_load(sessions=30, seconds=60, train_live=True)
    for error in report.stats.errors[:10]:
        print("load test error:", error, file=sys.stderr)
    return [(f"{name} (live run training)", value, note) for name, value, note in report.rows()]


SECTIONS: dict[str, Callable[[], list[Row]]] = {
    "decode": bench_decode,
    "work": bench_work,
    "tsne": bench_tsne,
    "pages": bench_pages,
    "pages32": lambda: bench_pages("vae-32d"),
    "browser": bench_browser,
    "hover": bench_hover,
    "load": bench_load,
    "nginx": lambda: bench_load(backends=2),
    "epoch": lambda: bench_train(epochs=2)[:1],
    "train": bench_train,
    "live": bench_live,
    "liveload": bench_live_load,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m explorer.bench", description=__doc__.split("\n")[0])
    p.add_argument(
        "--only",
        default="decode,work,tsne,pages,pages32,browser,hover,load,nginx,epoch,live,liveload",
        help=f"comma-separated: {', '.join(SECTIONS)}",
    )
    args = p.parse_args(argv)
    rows: list[Row] = []
    for name in args.only.split(","):
        if name not in SECTIONS:
            p.error(f"unknown section {name!r}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows += SECTIONS[name]()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
