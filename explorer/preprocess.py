"""Turn a drawing or an uploaded picture into an MNIST-style digit, the way MNIST was made.

LeCun et al. size-normalised each NIST digit to fit a 20x20 box (keeping its aspect ratio;
the anti-aliasing made the grey levels) and pasted it into a 28x28 frame so that the centre
of mass of the intensities sits at the frame's centre. `mnist_style` does the same to any
picture: grayscale, white ink on black (a dark-on-light picture is inverted), crop to the
ink, scale the larger side to 20 px, centre by mass. `load_image` turns uploaded bytes into
a PIL image, or raises `PreprocessError` with a one-line message meant for the user.

    >>> digit = mnist_style(load_image(uploaded_bytes))   # (28, 28) float32 in [0, 1]
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage  # a dependency of scikit-learn

FRAME = 28  # MNIST images are 28x28 ...
BOX = 20  # ... with the digit scaled so its larger side is 20 px
MAX_PIXELS = 40_000_000  # refuse larger uploads before decoding them (decompression bombs)
WORK_SIDE = 1024  # larger pictures are shrunk to this side first: same digit, less memory
MIN_CONTRAST = 0.1  # ink must stand out this much from the background, on a [0, 1] scale
INK_THRESHOLD = 0.1  # after stretching the ink to peak 1, fainter pixels count as noise
SPECK_FRACTION = 0.02  # blobs with less ink than this share of the largest blob are dust
BORDER_FRACTION = 0.05  # width of the frame whose median brightness is the background
LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as PIL's convert("L")
ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")
BLANK_MESSAGE = "no digit found: the image is blank"


class PreprocessError(ValueError):
    """An input that cannot become a digit; str(error) is one line to show the user."""


def load_image(data: bytes) -> Image.Image:
    """Decode uploaded bytes into a PIL image: first frame, EXIF rotation applied.

    The size is checked from the header before any pixel is decoded, so a decompression
    bomb costs nothing. Raises PreprocessError for empty, non-image, huge or corrupt files.
    """
    if not data:
        raise PreprocessError("the file is empty")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = _open_header(data)
    try:
        _check_size(image.size)
        image.seek(0)  # animated GIF/PNG/WebP: the first frame
        image.load()
        return ImageOps.exif_transpose(image)  # a detached copy, upright
    except PreprocessError:
        raise
    except Exception:
        raise PreprocessError(
            "could not decode the image: the file is truncated or corrupt"
        ) from None
    finally:
        image.close()


def _open_header(data: bytes) -> Image.Image:
    """Image.open reads only the header; its own bomb check fires above 2x MAX_IMAGE_PIXELS."""
    try:
        return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise PreprocessError(_too_large(None)) from None
    except UnidentifiedImageError:
        raise PreprocessError(
            "not an image: the file is not in a format such as PNG, JPEG, GIF or BMP"
        ) from None
    except Exception:
        raise PreprocessError("could not read the image: the file header is corrupt") from None


def _check_size(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise PreprocessError(_too_large(size))
    if width == 0 or height == 0:
        raise PreprocessError("the image has no pixels")


def _too_large(size: tuple[int, int] | None) -> str:
    limit = f"the {MAX_PIXELS / 1e6:.0f}-megapixel limit"
    if size is None:
        return f"image too large: above {limit}"
    return f"image too large: {size[0]} x {size[1]} pixels is above {limit}"


def mnist_style(image: Image.Image | np.ndarray) -> np.ndarray:
    """A picture of one digit -> (28, 28) float32 in [0, 1], white on black, as in MNIST.

    Accepts a PIL image in any mode (16-bit, palette, alpha, ...) or an array (H, W),
    (H, W, 1), (H, W, 3) or (H, W, 4): uint8/uint16 at their full range, floats in [0, 1].
    Transparent pixels count as background. Raises PreprocessError when there is no ink.
    """
    if isinstance(image, np.ndarray):
        image = _array_to_pil(image)
    gray, alpha = _gray_alpha(image)
    if alpha is not None:
        gray = _composite(gray, alpha)
    ink = _crop(_drop_specks(_white_ink(gray)))
    return _paste_centered(_fit(ink, BOX), FRAME)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Intensity-weighted mean (row, col) of an (H, W) image, in pixel indices.

    MNIST digits have theirs at (14, 14), within half a pixel.
    """
    image = np.asarray(image, dtype=np.float64)
    total = image.sum()
    if total <= 0:
        raise ValueError("the centre of mass of an all-zero image is undefined")
    rows = float(np.arange(image.shape[0]) @ image.sum(axis=1)) / total
    cols = float(np.arange(image.shape[1]) @ image.sum(axis=0)) / total
    return rows, cols


def _array_to_pil(array: np.ndarray) -> Image.Image:
    """(H, W[, 1|3|4]) array -> PIL image ("F" for non-uint8 grayscale, else L/RGB/RGBA)."""
    a = np.asarray(array)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[..., 0]
    if a.size == 0 or a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise PreprocessError(
            f"expected an image array of shape (H, W), (H, W, 3) or (H, W, 4), got {a.shape}"
        )
    if a.dtype == np.uint8:
        return Image.fromarray(a)
    unit = _unit_scale(a)
    if a.ndim == 2:
        return Image.fromarray(unit)
    return Image.fromarray((unit * 255.0 + 0.5).astype(np.uint8))


def _unit_scale(a: np.ndarray) -> np.ndarray:
    """Any-dtype intensities -> float32 in [0, 1]: uint16 /65535, other ints and floats by
    their apparent range (max <= 1: as is; <= 255: 8-bit; else 16-bit)."""
    is_16_bit = np.asarray(a).dtype == np.uint16
    a = np.nan_to_num(np.asarray(a, dtype=np.float32))
    peak = float(a.max(initial=0.0))
    if is_16_bit or peak > 255.0:
        scale = 65535.0
    elif peak > 1.0:
        scale = 255.0
    else:
        scale = 1.0
    return np.clip(a / scale, 0.0, 1.0)


def _gray_alpha(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """PIL image -> (gray (H, W), alpha (H, W) or None), float32 in [0, 1], shrunk if huge."""
    mode = image.mode
    if mode in ("I", "F") or mode.startswith("I;16"):
        raw = np.asarray(image)
        scaled = _unit_scale(raw.astype(np.uint16) if mode.startswith("I;16") else raw)
        return np.asarray(_shrink(Image.fromarray(scaled))), None
    if mode in ALPHA_MODES or "transparency" in image.info:
        rgba = np.asarray(_shrink(image.convert("RGBA")), dtype=np.float32) / 255.0
        alpha = rgba[..., 3]
        return rgba[..., :3] @ LUMA, (None if alpha.min() >= 1.0 else alpha)
    return np.asarray(_shrink(image.convert("L")), dtype=np.float32) / 255.0, None


def _shrink(image: Image.Image) -> Image.Image:
    """Area-average a picture down to WORK_SIDE on its larger side (smaller ones untouched)."""
    scale = WORK_SIDE / max(image.size)
    if scale >= 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BOX)


def _composite(gray: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Flatten onto a background colour so that transparent pixels become background."""
    return gray * alpha + _background_under(gray, alpha) * (1.0 - alpha)


def _background_under(gray: np.ndarray, alpha: np.ndarray) -> float:
    """The brightness transparent pixels stand for.

    Mostly opaque (a photo with transparent margins): the picture's own background, the
    median of its opaque pixels. Mostly transparent (strokes on a clear canvas): black under
    light ink, white under dark ink, so the strokes stand out either way.
    """
    opaque = alpha >= 0.5
    if opaque.mean() >= 0.5:
        return float(np.median(gray[opaque]))
    weight = float(alpha.sum())
    if weight == 0.0:
        return 0.0
    ink = float((gray * alpha).sum()) / weight
    return 1.0 if ink < 0.5 else 0.0


def _white_ink(gray: np.ndarray) -> np.ndarray:
    """(H, W) gray -> ink in [0, 1] on a 0 background, peak 1, faint noise zeroed.

    The background is the median brightness of the border; when it is light the picture is
    dark-on-light and gets inverted.
    """
    background = _border_median(gray)
    if background > 0.5:
        gray, background = 1.0 - gray, 1.0 - background
    ink = np.clip(gray - background, 0.0, None)
    peak = float(ink.max())
    if peak < MIN_CONTRAST:
        raise PreprocessError(BLANK_MESSAGE)
    ink = ink / peak
    ink[ink < INK_THRESHOLD] = 0.0
    return ink


def _border_median(gray: np.ndarray) -> float:
    """Median brightness of a frame BORDER_FRACTION wide (at least 1 px) around the picture."""
    k = max(1, round(BORDER_FRACTION * min(gray.shape)))
    border = np.concatenate(
        [gray[:k].ravel(), gray[-k:].ravel(), gray[:, :k].ravel(), gray[:, -k:].ravel()]
    )
    return float(np.median(border))


def _drop_specks(ink: np.ndarray) -> np.ndarray:
    """Zero the connected blobs (8-neighbour) that hold under SPECK_FRACTION of the ink of
    the largest one: sensor noise and dust that would otherwise stretch the bounding box."""
    labels, n = ndimage.label(ink > 0, structure=np.ones((3, 3)))
    if n <= 1:
        return ink
    mass = ndimage.sum_labels(ink, labels, index=np.arange(1, n + 1))
    keep = np.concatenate([[False], mass >= SPECK_FRACTION * mass.max()])
    return np.where(keep[labels], ink, 0.0)


def _crop(ink: np.ndarray) -> np.ndarray:
    """Cut an (H, W) ink image to the bounding box of its non-zero pixels."""
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        raise PreprocessError(BLANK_MESSAGE)
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _fit(ink: np.ndarray, side: int) -> np.ndarray:
    """Scale so the larger side is `side` px, keeping the aspect ratio; peak back to 1.

    Shrinking area-averages (BOX: the grey edges of an anti-aliased bilevel digit, as in
    MNIST); enlarging uses LANCZOS for smooth strokes.
    """
    h, w = ink.shape
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resample = Image.Resampling.BOX if scale <= 1.0 else Image.Resampling.LANCZOS
    out = np.asarray(Image.fromarray(ink.astype(np.float32)).resize(size, resample))
    out = np.clip(out, 0.0, None)
    return (out / out.max()).astype(np.float32)


def _paste_centered(digit: np.ndarray, frame: int) -> np.ndarray:
    """Place an (h, w) digit in a (frame, frame) zero image with its centre of mass at
    (frame/2, frame/2), the shift rounded to whole pixels as in MNIST.

    The shift is clamped so the whole digit stays inside; that only moves very lopsided
    shapes off centre.
    """
    h, w = digit.shape
    cy, cx = center_of_mass(digit)
    top = int(np.clip(np.floor(frame / 2 - cy + 0.5), 0, frame - h))
    left = int(np.clip(np.floor(frame / 2 - cx + 0.5), 0, frame - w))
    out = np.zeros((frame, frame), dtype=np.float32)
    out[top : top + h, left : left + w] = digit
    return out
