"""The browser-side decoder: explorer/webdecoder.py (payload and numpy reference, no
browser), then pages/hover_decoder.py in headless Chromium (tests/apps/hover_app.py):
the digit under the mouse equals torch's decoding, moves never reach the server, a click
pins z on the server, and the weights cross the wire once."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from explorer import load_model
from explorer.apphost import RUNNING, screenshot, wait_idle
from explorer.i18n import check_catalog
from explorer.texts.hover_decoder import CATALOG
from explorer.webdecoder import decode_numpy, decoder_payload, payload_arrays
from pages.hover_decoder import (
    MAX_POINTS,
    _clicked,
    _model_key,
    cached_payload,
    hover_decoder,
    square_bounds,
)

from .conftest import served_chromium

APP = Path(__file__).resolve().parent / "apps" / "hover_app.py"
PINNED = re.compile(r"pinned z = \(([-0-9.e]+), ([-0-9.e]+)\)")


@pytest.fixture(scope="module")
def models():
    return {name: load_model(name) for name in ("vae-2d", "ae-2d")}


def _torch_decode(model, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        x = torch.as_tensor(np.asarray(z, dtype=np.float32).reshape(-1, 2))
        return model.decode(x).reshape(-1, 28, 28).numpy()


# ---------------------------------------------------------------- payload (no browser)
@pytest.mark.parametrize("name", ["vae-2d", "ae-2d"])
def test_decode_numpy_matches_torch(models, name):
    model = models[name]
    payload = decoder_payload(model)
    rng = np.random.default_rng(0)
    z = np.concatenate([rng.normal(0, 2, (200, 2)), rng.uniform(-8, 8, (56, 2))])
    z = z.astype(np.float32)
    ours = decode_numpy(payload, z)
    assert ours.shape == (256, 28, 28) and ours.dtype == np.float32
    assert np.abs(ours - _torch_decode(model, z)).max() <= 1e-5
    one = decode_numpy(payload, z[3])  # a single point -> one image
    assert one.shape == (28, 28) and np.array_equal(one, ours[3])


def test_payload_layout_and_size(models):
    model = models["vae-2d"]
    payload = decoder_payload(model)
    assert payload["latent_dim"] == 2 and payload["output_shape"] == [28, 28]
    linears = [m for m in model.decoder.modules() if isinstance(m, torch.nn.Linear)]
    assert payload["activations"] == ["relu"] * (len(linears) - 1) + ["sigmoid"]
    sizes = [(la["in_features"], la["out_features"]) for la in payload["layers"]]
    assert sizes == [(m.in_features, m.out_features) for m in linears]
    assert sizes[0][0] == 2 and sizes[-1][1] == 784
    n_params = sum(p.numel() for m in linears for p in m.parameters())
    raw = sum(len(base64.b64decode(la[k])) for la in payload["layers"] for k in ("weight", "bias"))
    assert raw == 4 * payload["n_params"] == 4 * n_params  # float32
    # weights travel transposed, (in, out): the first Linear's W^T
    w, b, act = payload_arrays(payload)[0]
    assert np.array_equal(w, model.decoder[0].weight.detach().numpy().T)
    assert np.array_equal(b, model.decoder[0].bias.detach().numpy()) and act == "relu"
    assert decoder_payload(model)["digest"] == payload["digest"]
    assert decoder_payload(models["ae-2d"])["digest"] != payload["digest"]


def test_payload_of_a_tiny_model_with_3d_latents(tiny_vae):
    payload = decoder_payload(tiny_vae)
    assert payload["latent_dim"] == 3
    z = np.random.default_rng(1).normal(size=(8, 3)).astype(np.float32)
    with torch.no_grad():
        ref = tiny_vae.decode(torch.from_numpy(z)).reshape(-1, 28, 28).numpy()
    assert np.abs(decode_numpy(payload, z) - ref).max() <= 1e-5


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
def test_payload_refuses_other_decoders(decoder):
    with pytest.raises(ValueError, match="decoder"):
        decoder_payload(_Fake(decoder))


def test_payload_refuses_a_latent_dim_mismatch():
    fake = _Fake(nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 784)), latent_dim=2)
    with pytest.raises(ValueError, match="latent_dim"):
        decoder_payload(fake)


def test_payload_is_built_once_per_checkpoint(models):
    model = models["vae-2d"]
    assert _model_key(model)[0] == "file"
    assert cached_payload(model) is cached_payload(model)
    assert cached_payload(load_model("vae-2d")) is cached_payload(model)  # same file


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
    payload = cached_payload(model)
    page, root, wire = _open(browser)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("iframe").count() == 0
    assert wire.received > 2_500_000  # the first run brought the weights (2.9 MB base64)
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
        assert np.abs(exact - decode_numpy(payload, z_js).ravel()).max() <= 1e-6, z
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
