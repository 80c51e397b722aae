"""mnist_style / load_image: drawings and uploads become centred 28x28 MNIST-style digits."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from explorer.preprocess import (
    MAX_PIXELS,
    PreprocessError,
    center_of_mass,
    load_image,
    mnist_style,
)

ONE_PER_CLASS = [i * 100 + 7 for i in range(10)]  # the sample's test split is sorted by class


@pytest.fixture(scope="module")
def digits(sample_test) -> np.ndarray:
    """Ten test digits, one per class, (10, 28, 28) float32 in [0, 1]."""
    return sample_test.images[ONE_PER_CLASS, 0].numpy()


@pytest.fixture(scope="module")
def digit(digits) -> np.ndarray:
    return digits[3]


def resized(img: np.ndarray, side: int) -> np.ndarray:
    pil = Image.fromarray(img.astype(np.float32)).resize((side, side), Image.Resampling.BICUBIC)
    return np.clip(np.asarray(pil), 0.0, 1.0)


def placed(img: np.ndarray, shape: tuple[int, int], top: int, left: int) -> np.ndarray:
    canvas = np.zeros(shape, dtype=np.float32)
    canvas[top : top + img.shape[0], left : left + img.shape[1]] = img
    return canvas


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Best correlation over shifts of up to 1 px (rounding the centre of mass is +-0.5 px)."""
    return max(
        float(np.corrcoef(np.roll(a, (dy, dx), axis=(0, 1)).ravel(), b.ravel())[0, 1])
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )


def bbox_side(img: np.ndarray) -> int:
    rows, cols = np.flatnonzero(img.any(axis=1)), np.flatnonzero(img.any(axis=0))
    return int(max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1)


def png(img: Image.Image, **kwargs) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", **kwargs)
    return buf.getvalue()


def assert_mnist_like(out: np.ndarray) -> None:
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() == pytest.approx(1.0)
    cy, cx = center_of_mass(out)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1
    assert abs(bbox_side(out) - 20) <= 1


@pytest.mark.parametrize(
    ("side", "canvas", "corner", "min_similarity"),
    [(84, (150, 200), (3, 110), 0.85), (18, (60, 60), (40, 1), 0.75)],
    ids=["enlarged-3x-top-right", "shrunk-bottom-left"],
)
def test_rescaled_digit_in_a_corner_comes_back_centred(
    digits, side, canvas, corner, min_similarity
):
    for d in digits:
        out = mnist_style(placed(resized(d, side), canvas, *corner))
        assert_mnist_like(out)
        assert similarity(out, mnist_style(d)) > min_similarity
        assert similarity(out, d) > min_similarity


def test_mnist_digits_are_nearly_unchanged(digits):
    for d in digits:
        out = mnist_style(d)
        assert_mnist_like(out)
        assert similarity(out, d) > 0.97


def test_dark_on_light_is_inverted(digit):
    light_on_dark = placed(resized(digit, 84), (120, 100), 20, 5)
    expected = mnist_style(light_on_dark)
    np.testing.assert_allclose(mnist_style(1.0 - light_on_dark), expected, atol=1e-5)
    uint8_paper = ((1.0 - light_on_dark) * 255 + 0.5).astype(np.uint8)
    np.testing.assert_allclose(mnist_style(Image.fromarray(uint8_paper)), expected, atol=0.02)


def test_gray_paper_photo_is_handled(digit):
    rng = np.random.default_rng(0)
    photo = 0.8 - 0.6 * placed(resized(digit, 84), (120, 120), 10, 30)  # gray ink, gray paper
    photo += rng.normal(0, 0.02, photo.shape)  # sensor noise, below the ink threshold
    out = mnist_style(np.clip(photo, 0, 1))
    assert_mnist_like(out)
    assert similarity(out, mnist_style(digit)) > 0.9


def test_rgba_strokes_on_transparent_canvas(digit):
    ink = (resized(digit, 140) * 255 + 0.5).astype(np.uint8)
    expected = mnist_style(ink)
    for stroke in ((0, 0, 0), (255, 255, 255), (255, 0, 0)):  # black, white and red pens
        canvas = np.zeros((*ink.shape, 4), dtype=np.uint8)
        canvas[..., :3] = stroke
        canvas[..., 3] = ink  # the stroke is where the canvas is opaque
        np.testing.assert_allclose(mnist_style(canvas), expected, atol=0.02, err_msg=str(stroke))


def test_canvas_with_opaque_black_background(digit):
    ink = (resized(digit, 140) * 255 + 0.5).astype(np.uint8)
    canvas = np.stack([ink, ink, ink, np.full_like(ink, 255)], axis=-1)
    np.testing.assert_allclose(mnist_style(canvas), mnist_style(ink), atol=0.02)


@pytest.mark.badinput
def test_rgba_png_with_transparent_margins(digit):
    """A dark-on-white picture whose corners are transparent: the margins are background."""
    paper = ((1.0 - resized(digit, 84)) * 255 + 0.5).astype(np.uint8)
    rgba = np.stack([paper, paper, paper, np.full_like(paper, 255)], axis=-1)
    rgba[:6, :6, 3] = rgba[-6:, -6:, 3] = 0
    rgba[:6, :6, :3] = rgba[-6:, -6:, :3] = 0  # black but transparent: must not become ink
    image = load_image(png(Image.fromarray(rgba)))
    assert image.mode == "RGBA"
    assert similarity(mnist_style(image), mnist_style(digit)) > 0.95


@pytest.mark.badinput
def test_16_bit_png(digit):
    deep = (resized(digit, 56) * 65535 + 0.5).astype(np.uint16)
    image = load_image(png(Image.fromarray(deep)))
    assert image.mode in ("I;16", "I")
    eight_bit = (resized(digit, 56) * 255 + 0.5).astype(np.uint8)
    np.testing.assert_allclose(mnist_style(image), mnist_style(eight_bit), atol=0.02)


@pytest.mark.badinput
def test_animated_gif_uses_its_first_frame(digits):
    first, second = (Image.fromarray((d * 255).astype(np.uint8)) for d in digits[:2])
    buf = io.BytesIO()
    first.save(buf, format="GIF", save_all=True, append_images=[second], duration=100, loop=0)
    image = load_image(buf.getvalue())
    np.testing.assert_allclose(mnist_style(image), mnist_style(first), atol=0.02)


def test_exif_orientation_is_applied(digit):
    upright = Image.fromarray((digit * 255).astype(np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a sideways camera stores it
    image = load_image(png(stored, exif=exif))
    np.testing.assert_array_equal(np.asarray(image), np.asarray(upright))


@pytest.mark.badinput
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 definitely not a picture" * 10, "not an image"),
        (png(Image.new("L", (64, 64), 200))[:60], "truncated or corrupt"),
    ],
    ids=["empty", "not-an-image", "truncated"],
)
def test_bad_uploads_raise_one_line_errors(data, message):
    with pytest.raises(PreprocessError, match=message) as info:
        load_image(data)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, ValueError)


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height 1-bit pixels, with no real pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"x") + chunk(b"IEND", b"")


@pytest.mark.badinput
@pytest.mark.parametrize(
    "side", [8_000, 10_000, 100_000], ids=["64-megapixels", "100-megapixels", "10-gigapixels"]
)
def test_huge_images_are_refused_before_decoding(side):
    data = png_header(side, side)
    assert side * side > MAX_PIXELS and len(data) < 100
    # The pixel data is garbage, so only a refusal from the header says "too large".
    with pytest.raises(PreprocessError, match="image too large"):
        load_image(data)


@pytest.mark.badinput
@pytest.mark.parametrize("side", [6_400, 10_000])
def test_real_png_above_the_limit_is_refused(side):
    data = png(Image.new("1", (side, side)))  # 41 or 100 megapixels in a few kB
    with pytest.raises(PreprocessError, match=f"{side} x {side} pixels is above the 40-megapixel"):
        load_image(data)


@pytest.mark.badinput
@pytest.mark.parametrize(
    "image",
    [
        np.zeros((28, 28), np.float32),
        np.ones((50, 40), np.float32),
        np.full((30, 30), 0.6, np.float32),
        np.zeros((64, 64, 4), np.uint8),  # a cleared, fully transparent canvas
        Image.new("RGB", (80, 60), (255, 255, 255)),
        Image.new("I;16", (20, 20), 40000),
    ],
    ids=["black", "white", "gray", "transparent", "white-rgb", "16-bit"],
)
def test_blank_images_raise(image):
    with pytest.raises(PreprocessError, match="no digit found"):
        mnist_style(image)


def test_faint_noise_is_ignored(digit):
    rng = np.random.default_rng(1)
    noisy = placed(resized(digit, 56), (100, 100), 40, 40) + rng.uniform(0, 0.05, (100, 100))
    out = mnist_style(np.clip(noisy, 0, 1))
    assert_mnist_like(out)
    assert similarity(out, mnist_style(digit)) > 0.9


def _pixel(shape: tuple[int, int]) -> np.ndarray:
    dot = np.zeros(shape, np.float32)
    dot[shape[0] // 2, shape[1] // 3] = 1.0
    return dot


def _tap(side: int = 280, diameter: int = 18) -> np.ndarray:
    """What the drawing canvas hands over after one tap: a round 18-px dot, (280, 280)."""
    yy, xx = np.mgrid[:side, :side]
    return (np.hypot(yy - 100, xx - 190) <= diameter / 2).astype(np.float32)


@pytest.mark.badinput
@pytest.mark.parametrize(
    "dot",
    [_pixel((3, 3)), _pixel((5, 5)), _pixel((200, 300)), _tap()],
    ids=["pixel-3x3", "pixel-5x5", "pixel-200x300", "canvas-tap"],
)
def test_single_dot_gives_a_valid_digit(dot):
    out = mnist_style(dot)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert np.isfinite(out).all() and out.min() >= 0.0 and out.max() <= 1.0
    cy, cx = center_of_mass(out)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1


def test_thin_line_keeps_its_aspect_ratio():
    line = np.zeros((400, 300), np.float32)
    line[50:350, 148:152] = 1.0  # a "1": 300 tall, 4 wide
    out = mnist_style(line)
    rows, cols = np.flatnonzero(out.any(axis=1)), np.flatnonzero(out.any(axis=0))
    assert rows[-1] - rows[0] + 1 == 20 and cols[-1] - cols[0] + 1 <= 2


def test_bad_array_shapes_raise():
    for bad in (np.zeros((2, 3, 5)), np.zeros((0, 4)), np.zeros(10)):
        with pytest.raises(PreprocessError, match="expected an image array"):
            mnist_style(bad)
