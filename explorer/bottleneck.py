"""The bottleneck: the same digits coded with two numbers, by PCA and by autoencoders.

An undercomplete autoencoder squeezes 784 pixels through a code of a few numbers; with
no non-linearity it can do no better than principal component analysis of the pixels,
and it lands on PCA's subspace (Baldi & Hornik 1989). This module codes the test digits
three ways with the same number of numbers - pixel PCA (closed form), a linear
autoencoder, non-linear autoencoders - and measures each on the same two questions:

- how well the code *reconstructs* the digit: the squared error sum((x - x^)^2) over the
  784 pixels, per image, in grey levels of [0, 1];
- how well the code *sorts* the digits: a 5-nearest-neighbour vote among the other codes
  (leave-one-out), `explorer.condition.knn_class_accuracy`.

`PixelPCA` is fitted in closed form (the eigenvectors of the pixel covariance) and its
error for any number of components comes from one projection: with orthonormal
components, the error of k components is ||x - mean||^2 minus the first k squared
coefficients.

    >>> pca = fit_pca(train_images)            # (N, 28, 28) in [0, 1]
    >>> pca_coding = code_with_pca(pca, test_images, test_labels)
    >>> ae_coding = code_with_model(model, test_images, test_labels)
    >>> pca.errors(test_images)[k - 1]          # mean squared error with k components
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.condition import knn_class_accuracy

N_PIXELS = 28 * 28
MAX_COMPONENTS = 64  # components kept by `fit_pca` (the page's slider goes this far)


@dataclass(frozen=True)
class PixelPCA:
    """Principal components of the pixels: `mean` (784,), orthonormal `components`
    (K, 784) in order of the variance they explain, `variance` (K,) along each."""

    mean: np.ndarray
    components: np.ndarray
    variance: np.ndarray

    @property
    def n_components(self) -> int:
        return len(self.components)

    def encode(self, images: np.ndarray, k: int = 2) -> np.ndarray:
        """(N, 28, 28) -> the first k coefficients (N, k)."""
        return (_flat(images) - self.mean) @ self.components[:k].T

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """(N, k) -> images (N, 28, 28), not clipped (an error is measured on these)."""
        k = codes.shape[1]
        return (codes @ self.components[:k] + self.mean).reshape(-1, 28, 28)

    def reconstruct(self, images: np.ndarray, k: int = 2) -> np.ndarray:
        return self.decode(self.encode(images, k))

    def errors(self, images: np.ndarray) -> np.ndarray:
        """Mean squared error per image for 1..K components: (K,), entry k-1 for k."""
        centred = _flat(images) - self.mean
        coefficients = centred @ self.components.T  # (N, K)
        total = (centred**2).sum(axis=1).mean()
        return total - np.cumsum((coefficients**2).mean(axis=0))

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"mean": self.mean, "components": self.components, "variance": self.variance}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> PixelPCA:
        return cls(arrays["mean"], arrays["components"], arrays["variance"])


def fit_pca(images: np.ndarray, n_components: int = MAX_COMPONENTS) -> PixelPCA:
    """PCA of the pixels of `images` (N, 28, 28) in [0, 1], in closed form: the top
    eigenvectors of the 784 x 784 covariance (float64)."""
    x = _flat(images)
    mean = x.mean(axis=0)
    centred = x - mean
    cov = centred.T @ centred / max(len(x) - 1, 1)
    variance, vectors = np.linalg.eigh(cov)  # ascending
    order = np.argsort(variance)[::-1][:n_components]
    components = vectors[:, order].T
    # a fixed sign per component (eigh's is arbitrary): its largest weight positive
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    return PixelPCA(mean, components * signs[:, None], variance[order])


def squared_error(images: np.ndarray, reconstructions: np.ndarray) -> np.ndarray:
    """sum over the 784 pixels of (x - x^)^2, per image: (N,)."""
    return ((_flat(images) - _flat(reconstructions)) ** 2).sum(axis=1)


@dataclass(frozen=True)
class Coding:
    """The test digits coded with a few numbers by one method."""

    codes: np.ndarray  # (N, d)
    reconstructions: np.ndarray  # (N, 28, 28), as the method gives them (PCA unclipped)
    error: float  # mean squared error per image
    knn: float  # leave-one-out 5-NN digit accuracy of the codes


def coding(codes: np.ndarray, reconstructions: np.ndarray, images, labels) -> Coding:
    """A `Coding` measured against the original `images` and their `labels`."""
    error = float(squared_error(images, reconstructions).mean())
    return Coding(np.asarray(codes), reconstructions, error, knn_class_accuracy(codes, labels))


def code_with_pca(pca: PixelPCA, images: np.ndarray, labels: np.ndarray, k: int = 2) -> Coding:
    codes = pca.encode(images, k)
    return coding(codes, pca.decode(codes), images, labels)


def code_with_model(model, images: np.ndarray, labels: np.ndarray) -> Coding:
    """An autoencoder's coding: its encoder's means and the decoder's answer there (a
    linear autoencoder's unclipped output, as PCA's)."""
    from explorer import inference

    codes = inference.encode(model, images).mu
    return coding(codes, inference.decode(model, codes, raw=True), images, labels)


def components_matching(errors: np.ndarray, error: float) -> int | None:
    """The fewest PCA components whose error (`PixelPCA.errors`) is at most `error`, or
    None when even all of them do worse."""
    hits = np.flatnonzero(np.asarray(errors) <= error)
    return int(hits[0]) + 1 if len(hits) else None


def subspace_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosines of the principal angles between the column spaces of a and b (784, k):
    all 1 when they span the same subspace, 0 for a direction at right angles."""
    qa, _ = np.linalg.qr(np.asarray(a, np.float64))
    qb, _ = np.linalg.qr(np.asarray(b, np.float64))
    return np.clip(np.linalg.svd(qa.T @ qb, compute_uv=False), 0.0, 1.0)


def first_of_each_class(labels: np.ndarray) -> np.ndarray:
    """Index of the first test digit of each class present, in class order."""
    labels = np.asarray(labels)
    return np.array([int(np.flatnonzero(labels == d)[0]) for d in np.unique(labels)])


def _flat(images: np.ndarray) -> np.ndarray:
    return np.asarray(images, dtype=np.float64).reshape(len(images), N_PIXELS)
