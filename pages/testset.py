"""The test digits every page shows, as numpy (read without torch) or tensors."""

from __future__ import annotations

import numpy as np
import streamlit as st

from explorer.data import DigitArrays, Digits, load_digit_arrays


@st.cache_resource(show_spinner=False)
def test_arrays() -> DigitArrays:
    """The test split as numpy arrays, read without torch."""
    return load_digit_arrays("test")


@st.cache_resource(show_spinner=False)
def test_images() -> np.ndarray:
    """The test images as numpy, float32 (N, 28, 28) in [0, 1] (no torch): what pages
    hand to `explorer.inference`. Shared by every session: never write to it."""
    return test_arrays().pixels.astype(np.float32) / np.float32(255.0)


@st.cache_resource(show_spinner=False)
def test_digits() -> Digits:
    """The test split as tensors (library code that trains or measures in torch): images
    (N, 1, 28, 28) in [0, 1], labels (N,); the same memory as `test_images()`."""
    import torch

    arrays = test_arrays()
    x = torch.from_numpy(test_images()).unsqueeze(1)
    y = torch.from_numpy(arrays.labels)
    return Digits(x, y, source=arrays.source, split=arrays.split, reason=arrays.reason)


def test_labels() -> np.ndarray:
    """Digit class of every test image: (N,) int64."""
    return test_arrays().labels
