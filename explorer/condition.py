"""Condition and randomness: what a conditional VAE's two inputs each decide, measured.

A generator takes a condition c (here the digit label) and randomness z ~ N(0, I). In the
"dice" grid every row is one condition c = 0..9 and every column one draw of z shared by
all rows: the condition should decide which digit is drawn, z how it is drawn (its slant,
its stroke). Both are measured on the decoded images themselves:

- the committed digit classifier reads each image as its row's digit (`read_as_row`);
- the slant and the ink of each image are split, as in a two-way analysis of variance,
  into a part that follows the column (z) and a part that follows the row (c)
  (`StyleSplit`): for a model that keeps style in z, the column explains most of the
  slant, far more than the row.

No Streamlit here; the model is run through `explorer.inference`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer import inference
from explorer.interpolation import sample_prior

N_CLASSES = 10


# ---------------------------------------------------------------- style of an image
def _moments(images: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per image (N, 28, 28): ink mass, and the ink-weighted variance of the rows, the
    covariance of rows and columns, and the mean column."""
    x = np.asarray(images, dtype=np.float64).reshape(-1, 28, 28)
    rows, cols = np.mgrid[0:28, 0:28].astype(np.float64)
    mass = x.sum(axis=(1, 2)) + 1e-9
    r = (x * rows).sum(axis=(1, 2)) / mass
    c = (x * cols).sum(axis=(1, 2)) / mass
    dr, dc = rows[None] - r[:, None, None], cols[None] - c[:, None, None]
    var_r = (x * dr**2).sum(axis=(1, 2)) / mass
    cov_rc = (x * dr * dc).sum(axis=(1, 2)) / mass
    return mass, var_r, cov_rc, c


def slant(images: np.ndarray) -> np.ndarray:
    """How far each image (N, 28, 28) leans: the ink's horizontal shift per row upwards,
    -cov(row, column) / var(row) (0 upright, > 0 leaning right), as used to deskew MNIST."""
    _, var_r, cov_rc, _ = _moments(images)
    return -cov_rc / np.maximum(var_r, 1e-9)


def ink(images: np.ndarray) -> np.ndarray:
    """Total ink of each image (N, 28, 28): the sum of its intensities (a bold stroke has
    more)."""
    return _moments(images)[0]


# ---------------------------------------------------------------- rows and columns
@dataclass(frozen=True)
class StyleSplit:
    """How much of a measure's spread over a rows x columns grid follows the columns and
    how much the rows: sums of squares of a two-way layout, as shares of the total."""

    by_column: float  # share of the variance explained by the column means (z)
    by_row: float  # share explained by the row means (c)

    @property
    def residual(self) -> float:
        return max(0.0, 1.0 - self.by_column - self.by_row)


def style_split(values: np.ndarray) -> StyleSplit:
    """`values` (rows, columns): the shares of their total sum of squares that the column
    means and the row means explain (a two-way ANOVA without interaction)."""
    v = np.asarray(values, dtype=np.float64)
    grand = v.mean()
    total = ((v - grand) ** 2).sum()
    if total <= 0:
        return StyleSplit(0.0, 0.0)
    by_col = v.shape[0] * ((v.mean(axis=0) - grand) ** 2).sum() / total
    by_row = v.shape[1] * ((v.mean(axis=1) - grand) ** 2).sum() / total
    return StyleSplit(float(by_col), float(by_row))


# ---------------------------------------------------------------- the dice grid
@dataclass(frozen=True)
class DiceGrid:
    """Rows c = 0..9, columns one shared z each: the decoded images and what they show."""

    z: np.ndarray  # (columns, D): one draw of the randomness per column
    images: np.ndarray  # (10, columns, 28, 28)
    read: np.ndarray  # (10, columns): the digit the classifier reads in each image
    slant: StyleSplit
    ink: StyleSplit

    @property
    def read_as_row(self) -> float:
        """Share of images the classifier reads as their row's digit (the condition)."""
        return float((self.read == np.arange(N_CLASSES)[:, None]).mean())

    @property
    def holds(self) -> bool:
        """The lesson: the condition decides the digit (at least 90% read as their row)
        and z its style (the column explains more of the slant than the row does, and at
        least half of it)."""
        return (
            self.read_as_row >= 0.9
            and self.slant.by_column > self.slant.by_row
            and self.slant.by_column >= 0.5
        )


def dice_grid(
    model, classifier, columns: int = 8, seed: int = 0, temperature: float = 1.0
) -> DiceGrid:
    """Decode `columns` draws of z ~ N(0, T^2 I) under every condition c = 0..9."""
    z = sample_prior(columns, model.config.latent_dim, temperature, seed)
    zs = np.tile(z, (N_CLASSES, 1))  # row-major: row c holds every column's z
    cs = np.repeat(np.arange(N_CLASSES), columns)
    flat = inference.decode(model, zs, cs)
    read = inference.classify(classifier, flat).argmax(axis=1).reshape(N_CLASSES, columns)
    images = flat.reshape(N_CLASSES, columns, 28, 28)
    return DiceGrid(
        z=z,
        images=images,
        read=read,
        slant=style_split(slant(flat).reshape(N_CLASSES, columns)),
        ink=style_split(ink(flat).reshape(N_CLASSES, columns)),
    )


# ---------------------------------------------------------------- one digit, every class
@dataclass(frozen=True)
class Restyled:
    """A digit encoded with its own label and decoded under every label."""

    z: np.ndarray  # (D,): its code under its own label
    images: np.ndarray  # (10, 28, 28): decoded with c = 0..9
    read: np.ndarray  # (10,): the digit the classifier reads in each

    @property
    def read_as_asked(self) -> float:
        """Share of the ten images read as the label they were decoded with."""
        return float((self.read == np.arange(N_CLASSES)).mean())


def restyle(model, classifier, image: np.ndarray, label: int) -> Restyled:
    """Encode `image` (28, 28) given its `label`, then decode that z with every label."""
    z = inference.encode(model, image, [int(label)]).mu[0]
    images = inference.decode(model, np.tile(z, (N_CLASSES, 1)), np.arange(N_CLASSES))
    read = inference.classify(classifier, images).argmax(axis=1)
    return Restyled(z=z, images=images, read=read)


def knn_class_accuracy(latents: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """How well the digit can be told from the code alone: the share of points whose k
    nearest other points (leave-one-out) vote for their own class. Chance is about 10%."""
    from sklearn.neighbors import NearestNeighbors

    z = np.asarray(latents, dtype=np.float64)
    y = np.asarray(labels)
    _, idx = NearestNeighbors(n_neighbors=k + 1).fit(z).kneighbors(z)
    votes = y[idx[:, 1:]]  # drop each point itself
    counts = np.stack([(votes == d).sum(axis=1) for d in range(N_CLASSES)], axis=1)
    return float((counts.argmax(axis=1) == y).mean())
