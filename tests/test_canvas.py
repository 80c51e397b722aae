"""The drawing canvas (pages/drawing_canvas.py): payload decoding without a browser, then
drawing, rerunning and clearing in headless Chromium (tests/apps/canvas_app.py)."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

from explorer.preprocess import PreprocessError, mnist_style
from explorer.tools.apphost import screenshot, wait_idle
from pages.drawing_canvas import decode_drawing

from .conftest import served_chromium

SIZE = 280
DISPLAY = 336  # the test app shows the 280-pixel canvas 336 CSS pixels wide
INK = re.compile(r"ink pixels: (\d+)")
RUN = re.compile(r"^script run \d+$")
EXTENT = re.compile(r"ink rows: (\d+)-(\d+), ink columns: (\d+)-(\d+)")


def _data_url(im: Image.Image, fmt: str = "PNG") -> str:
    buf = io.BytesIO()
    im.save(buf, format=fmt)
    return f"data:image/{fmt.lower()};base64," + base64.b64encode(buf.getvalue()).decode()


def _bar(mode: str = "L", size: int = SIZE) -> Image.Image:
    """A white horizontal bar across the middle rows, on black (or on transparent)."""
    a = np.zeros((size, size), dtype=np.uint8)
    a[size // 2 - 5 : size // 2 + 5, size // 5 : 4 * size // 5] = 255
    if mode == "L":
        return Image.fromarray(a)
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., :3] = 255  # white everywhere, visible only where alpha says so
    rgba[..., 3] = a
    return Image.fromarray(rgba)


# ---------------------------------------------------------------- decoding (no browser)
def test_decode_png_data_url():
    img = decode_drawing(_data_url(_bar()), SIZE)
    assert img is not None
    assert img.shape == (SIZE, SIZE) and img.dtype == np.float32
    assert img.min() >= 0.0 and img.max() <= 1.0
    rows = np.flatnonzero((img > 0.5).any(axis=1))
    assert rows.min() >= SIZE // 2 - 5 and rows.max() < SIZE // 2 + 5
    assert img[0, 0] == 0.0 and img[SIZE // 2, SIZE // 2] == 1.0


def test_decode_transparent_background_is_black():
    img = decode_drawing(_data_url(_bar("RGBA")), SIZE)
    assert img is not None
    assert img[0, 0] == 0.0 and img[SIZE // 2, SIZE // 2] == 1.0


def test_decode_resizes_to_requested_size():
    img = decode_drawing(_data_url(_bar(size=140)), SIZE)
    assert img is not None and img.shape == (SIZE, SIZE)
    assert img[SIZE // 2, SIZE // 2] > 0.9


@pytest.mark.badinput
@pytest.mark.parametrize(
    "payload",
    [
        None,
        123,
        b"data:image/png;base64,AAAA",
        "",
        "hello",
        "data:image/png;base64,",
        "data:image/png;base64,!!!not base64!!!",
        "data:image/png;base64," + base64.b64encode(b"not a png at all").decode(),
        "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode(),
        _data_url(_bar(), "JPEG").replace("image/jpeg", "image/png"),  # JPEG bytes
        _data_url(Image.new("L", (SIZE, SIZE))),  # an empty (all black) canvas
        "data:image/png;base64," + "A" * 9_000_000,  # too long
    ],
    ids=[
        "none",
        "int",
        "bytes",
        "empty",
        "text",
        "no-data",
        "bad-base64",
        "not-png",
        "truncated-png",
        "jpeg",
        "blank",
        "huge",
    ],
)
def test_decode_bad_payload_is_none(payload):
    assert decode_drawing(payload, SIZE) is None


@pytest.mark.badinput
def test_all_white_canvas_and_a_single_tap_through_preprocessing():
    """The drawing path end to end: canvas PNG -> decode_drawing -> mnist_style."""
    white = decode_drawing(_data_url(Image.new("L", (SIZE, SIZE), 255)), SIZE)
    with pytest.raises(PreprocessError, match="no digit found"):
        mnist_style(white)
    tap = Image.new("L", (SIZE, SIZE))
    ImageDraw.Draw(tap).ellipse((181, 91, 199, 109), fill=255)  # one 18-px tap
    digit = mnist_style(decode_drawing(_data_url(tap), SIZE))
    assert digit.shape == (28, 28) and np.isfinite(digit).all() and digit.max() == 1.0


# ---------------------------------------------------------------- in the browser
@pytest.fixture(scope="module")
def browser():
    yield from served_chromium("tests/apps/canvas_app.py")


def _open(browser, **context_args):
    page = browser.new_context(viewport={"width": 1000, "height": 1000}, **context_args).new_page()
    page.goto(browser.app_url)
    wait_idle(page)
    canvas = page.locator("canvas.dc-canvas")  # CSS locators pierce the open shadow root
    canvas.wait_for()
    page.get_by_text("nothing drawn").wait_for()
    return page, canvas


def _to_canvas(box: dict, fx: float, fy: float) -> tuple[float, float]:
    """A point at fractions (fx, fy) of the canvas's on-screen box, in page pixels."""
    return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy


def _stroke(page, box: dict, start: tuple[float, float], end: tuple[float, float], steps=12):
    page.mouse.move(*_to_canvas(box, *start))
    page.mouse.down()
    for i in range(1, steps + 1):
        t = i / steps
        fx, fy = start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t
        page.mouse.move(*_to_canvas(box, fx, fy))
    page.mouse.up()


def _report(page, previous: str | None = None) -> tuple[int, tuple[int, int, int, int]]:
    """Wait for the app to show an ink report (other than `previous`) and parse it."""
    page.wait_for_function(
        """prev => {
            const els = [...document.querySelectorAll('[data-testid=stMarkdown]')];
            const t = els.map(e => e.innerText).find(s => s.includes('ink rows'));
            return t !== undefined && t !== prev;
        }""",
        arg=previous,
        timeout=30_000,
    )
    wait_idle(page)
    text = "\n".join(page.locator("[data-testid=stMarkdown]").all_inner_texts())
    ink, extent = INK.search(text), EXTENT.search(text)
    assert ink and extent, text
    return int(ink.group(1)), tuple(int(g) for g in extent.groups())


def _run_number(page) -> int:
    return int(page.get_by_text(RUN).inner_text().split()[-1])


def _rerun(page) -> None:
    """Click the app's unrelated "Rerun" button and wait until the script ran again."""
    before = _run_number(page)
    page.get_by_role("button", name="Rerun").click()
    page.get_by_text(f"script run {before + 1}", exact=True).wait_for(timeout=30_000)
    wait_idle(page)


def _extent_text(page) -> str:
    return page.locator("[data-testid=stMarkdown]", has_text="ink rows").inner_text()


@pytest.mark.browser
def test_canvas_renders_inline_not_in_iframe(browser):
    page, canvas = _open(browser)
    assert page.locator("iframe").count() == 0
    assert page.locator("[data-testid=stBidiComponentIsolated]").count() == 1
    box = canvas.bounding_box()
    assert box and abs(box["width"] - DISPLAY) < 2 and abs(box["height"] - DISPLAY) < 2
    assert page.get_by_role("button", name="Clear").is_visible()
    assert page.locator("[data-testid=stException]").count() == 0
    page.context.close()


@pytest.mark.browser
def test_draw_rerun_and_clear(browser):
    page, canvas = _open(browser)
    box = canvas.bounding_box()

    # A horizontal stroke across the middle, from 20% to 80% of the width.
    _stroke(page, box, (0.2, 0.5), (0.8, 0.5))
    ink, (r0, r1, c0, c1) = _report(page)
    assert ink > 500
    half = 18 / 2 + 2  # half the stroke width, plus anti-aliasing
    assert SIZE / 2 - half <= r0 and r1 <= SIZE / 2 + half, (r0, r1)  # the middle rows
    assert abs(c0 - 0.2 * SIZE) <= half and abs(c1 - 0.8 * SIZE) <= half, (c0, c1)
    assert page.locator("[data-testid=stImage] img").count() == 1

    # An unrelated rerun keeps the drawing (component state).
    _rerun(page)
    assert _report(page, previous="")[0] == ink

    # A second, vertical stroke adds to the first: Python gets the whole drawing.
    before = _extent_text(page)
    _stroke(page, box, (0.5, 0.15), (0.5, 0.85))
    ink2, (r0, r1, c0, c1) = _report(page, previous=before)
    assert ink2 > ink
    assert abs(r0 - 0.15 * SIZE) <= half and abs(r1 - 0.85 * SIZE) <= half, (r0, r1)
    assert abs(c0 - 0.2 * SIZE) <= half and abs(c1 - 0.8 * SIZE) <= half, (c0, c1)
    screenshot(page, "canvas")

    # Clear empties the canvas and Python's value, and the value stays empty on a rerun.
    page.get_by_role("button", name="Clear").click()
    page.get_by_text("nothing drawn").wait_for(timeout=30_000)
    wait_idle(page)
    assert page.get_by_text(INK).count() == 0
    assert page.locator("[data-testid=stImage]").count() == 0
    _rerun(page)
    assert page.get_by_text("nothing drawn").is_visible()
    blank = canvas.evaluate(
        """c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data
                .some((v, i) => i % 4 === 0 && v > 0)"""
    )
    assert blank is False  # no red channel above 0 anywhere: the canvas is black again
    assert page.locator("[data-testid=stException]").count() == 0
    page.context.close()


@pytest.mark.browser
def test_touch_tap_draws_a_dot(browser):
    page, canvas = _open(browser, has_touch=True)
    box = canvas.bounding_box()
    page.touchscreen.tap(*_to_canvas(box, 0.25, 0.75))
    ink, (r0, r1, c0, c1) = _report(page)
    assert ink > 50
    half = 18 / 2 + 2
    assert abs((r0 + r1) / 2 - 0.75 * SIZE) <= half and abs((c0 + c1) / 2 - 0.25 * SIZE) <= half
    page.context.close()
