"""The browser-side decoder: explorer/webdecoder.py (container and numpy reference, no
browser), the live toggle of the latent map without torch, then pages/hover_decoder.py in
headless Chromium (tests/apps/hover_app.py): the digit under the mouse equals torch's
decoding, moves never reach the server, a click pins z on the server, and the weights cross
the wire once, as raw bytes."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from explorer import load_model
from explorer.i18n import check_catalog
from explorer.tools.apphost import RUNNING, screenshot, wait_idle
from explorer.webdecoder import (
    MAGIC,
    cached_decoder,
    decode_numpy,
    export_decoder,
    pack,
    unpack,
)
from pages.hover_decoder import (
    MAX_POINTS,
    _clicked,
    _store_data,
    hover_decoder,
    model_decoder,
    square_bounds,
)
from pages.texts.hover_decoder import CATALOG

from .conftest import ROOT, served_chromium

APP = Path(__file__).resolve().parent / "apps" / "hover_app.py"
PINNED = re.compile(r"pinned z = \(([-0-9.e]+), ([-0-9.e]+)\)")


@pytest.fixture(scope="module")
def models():
    return {name: load_model(name) for name in ("vae-2d", "ae-2d")}


def _torch_decode(model, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        x = torch.as_tensor(np.asarray(z, dtype=np.float32).reshape(-1, 2))
        return model.decode(x).reshape(-1, 28, 28).numpy()


def _fail():
    raise AssertionError("built although it was cached")


# ---------------------------------------------------------------- container (no browser)
@pytest.mark.parametrize("name", ["vae-2d", "ae-2d"])
def test_decode_numpy_matches_torch(models, name):
    model = models[name]
    blob = pack(export_decoder(model))  # the bytes the browser gets
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.normal(0, 2, (200, 2)), rng.uniform(-8, 8, (56, 2))])
    z = z.astype(np.float32)
    ours = decode_numpy(blob, z)
    assert ours.shape == (256, 28, 28) and ours.dtype == np.float32
    error = np.abs(ours - _torch_decode(model, z)).max()
    assert error <= 1e-5 < 1 / 255, error
    one = decode_numpy(unpack(blob).decoder, z[3])  # a single point -> one image
    assert one.shape == (28, 28) and np.array_equal(one, ours[3])


def test_container_layout_round_trip_and_size(models):
    model = models["vae-2d"]
    decoder = export_decoder(model)
    rng = np.random.default_rng(2)
    points = rng.normal(size=(1001, 2)).astype(np.float32)
    labels = rng.integers(0, 10, 1001)
    blob = pack(decoder, points, labels)
    (n_head,) = struct.unpack("<I", blob[8:12])
    assert blob[:8] == MAGIC and n_head % 4 == 0  # the float32 arrays are 4-byte aligned
    linears = [m for m in model.decoder.modules() if isinstance(m, torch.nn.Linear)]
    n_params = sum(p.numel() for m in linears for p in m.parameters())
    assert len(blob) == 12 + n_head + 4 * n_params + 9 * len(points)  # raw float32, no text
    got = unpack(blob)
    head = got.header
    assert head["latent_dim"] == 2 and head["output_shape"] == [28, 28]
    assert head["activations"] == ["relu"] * (len(linears) - 1) + ["sigmoid"]
    assert head["layers"] == [[m.in_features, m.out_features] for m in linears]
    assert head["n_params"] == n_params and head["n_points"] == len(points)
    assert np.array_equal(got.points, points) and np.array_equal(got.labels, labels)
    for (w, b, _), m in zip(got.decoder.layers, linears):  # weights travel as W^T (in, out)
        assert np.array_equal(w, m.weight.detach().numpy().T)
        assert np.array_equal(b, m.bias.detach().numpy())
    assert got.decoder.digest == decoder.digest == export_decoder(model).digest
    assert export_decoder(models["ae-2d"]).digest != decoder.digest
    assert head["id"] != unpack(pack(decoder, points[:-1], labels[:-1])).header["id"]
    print(f"\nvae-2d container: {len(pack(decoder)):,} bytes + 9 per point")


def test_container_refuses_what_it_is_not(models):
    blob = pack(export_decoder(models["ae-2d"]), np.zeros((3, 2)), [1, 2, 3])
    (n_head,) = struct.unpack("<I", blob[8:12])
    other_format = blob[:12] + blob[12 : 12 + n_head].replace(b"decoder/2", b"decoder/9")
    other_format += blob[12 + n_head :]
    for bad in (b"", b"VAEXMLP1" + blob[8:], blob[:-1], blob + b"\0", other_format):
        with pytest.raises(ValueError):
            unpack(bad)


def test_export_of_a_tiny_model_with_3d_latents(tiny_vae):
    blob = pack(export_decoder(tiny_vae))
    assert unpack(blob).header["latent_dim"] == 3
    z = np.random.default_rng(1).normal(size=(8, 3)).astype(np.float32)
    with torch.no_grad():
        ref = tiny_vae.decode(torch.from_numpy(z)).reshape(-1, 28, 28).numpy()
    assert np.abs(decode_numpy(blob, z) - ref).max() <= 1e-5


class _Fake(nn.Module):
    def __init__(self, decoder: nn.Module, latent_dim: int = 2):
        super().__init__()
        self.decoder = decoder
        self.config = type("C", (), {"latent_dim": latent_dim})()


@pytest.mark.parametrize(
    "decoder",
    [
        nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 784)),
        nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 784)),
        nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 784), nn.ReLU()),
        nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(9, 784)),
        nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 100)),
        nn.Sequential(nn.Linear(2, 784, bias=False)),
        nn.Sequential(),
        nn.Linear(2, 784),
    ],
    ids=["tanh", "dropout", "relu-at-end", "sizes", "not-784", "no-bias", "empty", "bare"],
)
def test_export_refuses_other_decoders(decoder):
    with pytest.raises(ValueError, match="decoder"):
        export_decoder(_Fake(decoder))


def test_export_refuses_a_latent_dim_mismatch():
    fake = _Fake(nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 784)), latent_dim=2)
    with pytest.raises(ValueError, match="latent_dim"):
        export_decoder(fake)


def test_decoder_is_built_once_per_checkpoint(models):
    model = models["vae-2d"]
    assert model_decoder(model) is model_decoder(model)
    assert model_decoder(load_model("vae-2d")) is model_decoder(model)  # same file
    points, labels = np.zeros((4, 2), np.float32), np.arange(4, dtype=np.uint8)
    assert _store_data(model_decoder(model), points, labels) is _store_data(
        model_decoder(model), points, labels
    )


def test_decoder_disk_cache_miss_then_hit(models, tmp_path):
    decoder = export_decoder(models["ae-2d"])
    first, hit = cached_decoder("ckpt-abc", lambda: decoder, directory=tmp_path)
    assert not hit and first is decoder
    again, hit = cached_decoder("ckpt-abc", _fail, directory=tmp_path)
    assert hit and again.digest == decoder.digest
    for (w, b, _), (w2, b2, _) in zip(again.layers, decoder.layers):
        assert np.array_equal(w, w2) and np.array_equal(b, b2)
    assert not cached_decoder("ckpt-other", lambda: decoder, directory=tmp_path)[1]
    (path,) = tmp_path.glob("ckpt-abc-*.npz")
    path.write_bytes(b"not a zip file")  # damaged: rebuilt and repaired
    assert not cached_decoder("ckpt-abc", lambda: decoder, directory=tmp_path)[1]
    assert cached_decoder("ckpt-abc", _fail, directory=tmp_path)[1]


_TOGGLE = """
    import sys, time
    from pages import warmup
    if sys.argv[1] == "cached":  # torch is imported on purpose 2 s after a run: not here
        warmup.warm_up_torch = lambda *args, **kwargs: None
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("app.py", default_timeout=300)
    at.query_params["model"] = "vae-2d"
    at.run()
    at.switch_page("pages/latent_map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    if sys.argv[1] == "cached":  # the latents came from the disk cache too
        assert "torch" not in sys.modules, "the map imported torch"
    t0 = time.perf_counter()
    at.toggle(key="map.live").set_value(True).run()
    ms = (time.perf_counter() - t0) * 1000
    assert not at.exception, [e.value for e in at.exception]
    if sys.argv[1] == "cached":
        assert "torch" not in sys.modules, "turning live hover on imported torch"
    print(f"live toggle ({sys.argv[1]}): {ms:.0f} ms")
"""


def test_live_toggle_needs_no_torch_when_the_decoder_is_cached(tmp_path):
    """A first process builds the decoder (torch) and fills the disk cache; in a second,
    fresh process the map and its live toggle leave torch unimported."""
    shutil.copy(ROOT / "checkpoints" / "vae-2d.pt", tmp_path / "vae-2d.pt")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "EXPLORER_CHECKPOINTS": str(tmp_path),
        "EXPLORER_CACHE": str(tmp_path / "cache"),
    }
    script = textwrap.dedent(_TOGGLE)
    for mode in ("fill", "cached"):
        result = subprocess.run(
            [sys.executable, "-c", script, mode], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-3000:]
        print(result.stdout.strip())
    assert list((tmp_path / "cache").glob("*-webdecoder-*.npz"))


def test_square_bounds_and_click_parsing():
    lo, hi = square_bounds((np.array([-1.0, -4.0]), np.array([3.0, 2.0])))
    assert lo == [-2.0, -4.0] and hi == [4.0, 2.0]
    assert square_bounds((-4, 4)) == ([-4.0, -4.0], [4.0, 4.0])
    with pytest.raises(ValueError):
        square_bounds((1.0, 1.0))
    assert _clicked({"z": [1, -2.5]}) == {"z": [1.0, -2.5]}
    for bad in (None, 3, {"z": [1]}, {"z": ["a", 1]}, {"z": [float("nan"), 0]}, {"x": 1}):
        assert _clicked(bad) is None


def test_texts_exist_in_english_and_korean():
    assert check_catalog(CATALOG) == []


def test_hover_decoder_needs_a_2d_model():
    with pytest.raises(ValueError, match="2-D"):
        hover_decoder(load_model("vae-32d"), (-4, 4), None, None, key="hover")


def test_app_runs_headless():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["nothing pinned"]
    at.radio[0].set_value("ae-2d").run()
    assert not at.exception and at.caption[0].value == "script run 2"


# ---------------------------------------------------------------- in the browser
class _Wire:
    """Websocket traffic of one page: frames the page sent, bytes it received."""

    def __init__(self, page):
        self.sent, self.received = 0, 0
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        ws.on("framesent", lambda payload: self._count(sent=1))
        ws.on("framereceived", lambda payload: self._count(received=len(payload)))

    def _count(self, sent: int = 0, received: int = 0) -> None:
        self.sent += sent
        self.received += received


@pytest.fixture(scope="module")
def browser():
    yield from served_chromium("tests/apps/hover_app.py")


def _open(browser, query: str = ""):
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    wire = _Wire(page)
    page.goto(browser.app_url + query)
    wait_idle(page)
    root = page.locator(".hd-root")  # CSS locators pierce the component's shadow root
    root.wait_for()
    page.wait_for_function(
        "el => el.dataset.ready === '1' && Number(el.dataset.frames) >= 1",
        arg=root.element_handle(),
        timeout=30_000,
    )
    return page, root, wire


_READ = """el => {
    const c = el.querySelector('canvas.hd-digit');
    const rgba = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    return {
        z: el.hoverDecoder.z(),
        pixels: el.hoverDecoder.pixels(),
        red: Array.from(rgba.filter((_, i) => i % 4 === 0)),
        frames: Number(el.dataset.frames),
        shown: [c.width, c.height, c.getBoundingClientRect().width],
    };
}"""


def _move_and_read(page, root, z: tuple[float, float]) -> dict:
    """Move the mouse onto latent point z and read the frame decoded there."""
    target = root.evaluate("(el, z) => el.hoverDecoder.clientPoint(z[0], z[1])", list(z))
    before = int(root.get_attribute("data-frames"))
    page.mouse.move(target["x"], target["y"], steps=4)
    page.wait_for_function(
        """([el, n, z]) => {
            const s = el.hoverDecoder.z();
            return Number(el.dataset.frames) > n && s
                && Math.abs(s[0] - z[0]) < 0.05 && Math.abs(s[1] - z[1]) < 0.05;
        }""",
        arg=[root.element_handle(), before, list(z)],
        timeout=10_000,
    )
    return root.evaluate(_READ)


TARGETS = [(0.0, 0.0), (1.0, -1.0), (-1.5, 1.2), (2.0, 2.0), (-2.0, -2.0), (0.3, 1.7), (1.8, -0.4)]


@pytest.mark.browser
def test_hover_decodes_in_the_browser_like_torch(browser, models):
    model = models["vae-2d"]
    decoder = model_decoder(model)
    page, root, wire = _open(browser)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("iframe").count() == 0
    # the first run brought the weights, 5.8 MB as raw bytes (base64 would be 7.8 MB)
    assert 5_800_000 < wire.received < 7_000_000, wire.received
    sent_before = wire.sent
    for z in TARGETS:
        got = _move_and_read(page, root, z)
        z_js = np.asarray(got["z"], dtype=np.float32)
        assert np.abs(z_js - np.asarray(z)).max() < 0.05, (z, got["z"])  # within ~2 px
        ref = _torch_decode(model, z_js)[0].ravel()
        shown = np.asarray(got["red"], dtype=np.float64) / 255.0  # what the canvas shows
        assert np.abs(shown - ref).max() <= 1 / 255, z
        exact = np.asarray(got["pixels"], dtype=np.float32)  # the decoder's float output
        assert np.abs(exact - ref).max() <= 1e-5, z
        assert np.abs(exact - decode_numpy(decoder, z_js).ravel()).max() <= 1e-6, z
        assert got["shown"][:2] == [28, 28] and got["shown"][2] >= 200  # 28 px, shown large
        assert page.locator(RUNNING).count() == 0  # no rerun while moving
    assert wire.sent == sent_before, "mouse moves must not talk to the server"
    assert page.get_by_text("script run 1", exact=True).is_visible()

    stats = root.evaluate("el => el.hoverDecoder.stats()")
    loop_ms = root.evaluate("el => el.hoverDecoder.benchmark(300)")
    print(
        f"\nbrowser decode per frame: median {stats['median']:.2f} ms, max {stats['max']:.2f} ms "
        f"over {stats['frames']} frames ({stats['moves']} pointer moves); "
        f"tight loop {loop_ms:.3f} ms/decode; weights unpacked in {stats['unpackMs']:.1f} ms; "
        f"dots drawn in {stats['dotsMs']:.1f} ms"
    )
    screenshot(page, "hover_decoder")

    # A click pins the point: one rerun, and the server gets the z the browser decoded.
    received = wire.received
    target = root.evaluate("el => el.hoverDecoder.clientPoint(-1.0, 0.5)")
    page.mouse.click(target["x"], target["y"])
    page.get_by_text(PINNED).wait_for(timeout=30_000)
    wait_idle(page)
    z_js = root.evaluate("el => el.hoverDecoder.z()")
    match = PINNED.search(page.get_by_text(PINNED).inner_text())
    assert (
        abs(float(match.group(1)) - z_js[0]) < 1e-6 and abs(float(match.group(2)) - z_js[1]) < 1e-6
    )
    assert abs(z_js[0] + 1.0) < 0.05 and abs(z_js[1] - 0.5) < 0.05
    assert page.get_by_text("script run 2", exact=True).is_visible()
    shown = ", ".join(f"{v:.2f}".replace("-", "\u2212") for v in z_js)
    assert f"z = ({shown})" in root.locator(".hd-pin").inner_text()
    # the rerun did not resend the weights: Streamlit's message cache sent a reference
    assert wire.received - received < 300_000, wire.received - received

    # Off the plane, the pinned point's digit comes back.
    page.mouse.move(5, 5)
    page.wait_for_function(
        "([el, z]) => { const s = el.hoverDecoder.z(); return s[0] === z[0] && s[1] === z[1]; }",
        arg=[root.element_handle(), z_js],
        timeout=10_000,
    )
    assert page.locator("[data-testid=stException]").count() == 0
    page.context.close()


_BURST = """async (el, points) => {
    const canvas = el.querySelector('canvas.hd-overlay');
    const before = {frames: Number(el.dataset.frames), moves: el.hoverDecoder.stats().moves};
    for (const p of points) {  // all within one frame: no await between them
        canvas.dispatchEvent(new PointerEvent('pointermove', {
            clientX: p.x, clientY: p.y, bubbles: true, pointerType: 'mouse'}));
    }
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return {
        frames: Number(el.dataset.frames) - before.frames,
        moves: el.hoverDecoder.stats().moves - before.moves,
        z: el.hoverDecoder.z(),
    };
}"""


@pytest.mark.browser
def test_one_decode_per_animation_frame(browser):
    page, root, wire = _open(browser)
    sent = wire.sent
    zs = [(-2 + 0.1 * i, 1.5 - 0.1 * i) for i in range(30)]
    points = [root.evaluate("(el, z) => el.hoverDecoder.clientPoint(...z)", list(z)) for z in zs]
    got = root.evaluate(_BURST, points)
    assert got["moves"] == 30 and got["frames"] == 1, got  # 30 moves, one decode
    assert np.abs(np.asarray(got["z"]) - np.asarray(zs[-1])).max() < 0.05  # the latest one
    assert wire.sent == sent and page.locator(RUNNING).count() == 0
    page.context.close()


@pytest.mark.browser
def test_keyboard_moves_and_pins(browser):
    page, root, _ = _open(browser)
    start = root.evaluate("el => el.hoverDecoder.z()")  # z = 0, the prior's mean
    page.locator("canvas.hd-overlay").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowUp")
    page.wait_for_function(
        "([el, x]) => el.hoverDecoder.z()[0] > x", arg=[root.element_handle(), start[0]]
    )
    moved = root.evaluate("el => el.hoverDecoder.z()")
    assert moved[0] > start[0] and moved[1] > start[1]
    page.keyboard.press("Enter")
    page.get_by_text(PINNED).wait_for(timeout=30_000)
    match = PINNED.search(page.get_by_text(PINNED).inner_text())
    assert abs(float(match.group(1)) - moved[0]) < 1e-6
    assert abs(float(match.group(2)) - moved[1]) < 1e-6
    page.context.close()


@pytest.mark.browser
def test_switching_models_swaps_the_decoder(browser, models):
    page, root, _ = _open(browser)
    before = np.asarray(_move_and_read(page, root, (1.0, 1.0))["pixels"])  # vae-2d
    page.get_by_text("ae-2d", exact=True).click()
    page.get_by_text("script run 2", exact=True).wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_function("el => el.dataset.ready === '1'", arg=root.element_handle())
    page.mouse.move(5, 5)
    for z in [(1.0, 1.0), (-0.5, 0.25)]:
        got = _move_and_read(page, root, z)
        z_js = np.asarray(got["z"], dtype=np.float32)
        exact = np.asarray(got["pixels"], dtype=np.float32)
        assert np.abs(exact - _torch_decode(models["ae-2d"], z_js)[0].ravel()).max() <= 1e-5
        if z == (1.0, 1.0):
            assert np.abs(exact - before).max() > 0.2  # another decoder draws another digit
    page.context.close()


@pytest.mark.browser
def test_ten_thousand_points(browser):
    """Ten copies of the encoded test set (10,000 or 100,000 points, thinned to the cap)
    are drawn and the plane still decodes on hover."""
    from explorer.data import load_digits

    page, root, _ = _open(browser, "/?repeat=10")
    expected = min(10 * len(load_digits("test")), MAX_POINTS)
    assert int(root.get_attribute("data-points")) == expected
    print(f"\n{expected:,} points drawn in {float(root.get_attribute('data-dots-ms')):.1f} ms")
    got = _move_and_read(page, root, (0.5, -0.5))
    assert got["frames"] >= 2
    page.context.close()
