"""What each page teaches, as numbers computed on the models it shows.

A page states its lesson as a checkable claim and shows the number behind it; the functions
here compute those numbers and whether the claim holds for a given model, so a page can
say so when it does not (e.g. the 4/9 overlap of a 2-D model). `tests/test_lessons.py`
computes every claim on the committed checkpoints and fails when a lesson does not hold.
Defaults that pages open on (a typical digit, a pair that morphs cleanly) are chosen here
by stated rules, not by hand. numpy in, numpy out; torch only inside.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from explorer import inference
from explorer.classifier import DigitClassifier
from explorer.interpolation import sample_prior
from explorer.model import Autoencoder
from explorer.posterior import sample_posterior

CONFIDENT = 0.9  # a decoded image is "a digit" when the classifier's top probability > 0.9
COVERED = 0.02  # a class is covered by a sampler when at least 2% of its samples are that class
PRIOR_BOX = 3.0  # the prior's +-3 sigma box, [-3, 3]^D: where N(0, I) puts 99.5% of 2-D samples


# ---------------------------------------------------------------- sampling from the prior
@dataclass(frozen=True)
class PriorSamples:
    """z ~ N(0, T^2 I) decoded and read by the digit classifier."""

    z: np.ndarray  # (N, D)
    images: np.ndarray  # (N, 28, 28)
    probs: np.ndarray  # (N, 10)

    @property
    def predicted(self) -> np.ndarray:
        return self.probs.argmax(axis=1)

    @property
    def class_share(self) -> np.ndarray:
        """(10,) share of the samples the classifier reads as each digit."""
        return np.bincount(self.predicted, minlength=10) / len(self.predicted)

    @property
    def confident_share(self) -> float:
        """Share of samples the classifier calls a digit with probability > CONFIDENT."""
        return float((self.probs.max(axis=1) > CONFIDENT).mean())

    @property
    def rarest(self) -> tuple[int, float]:
        """(digit, share) of the digit the samples show least often."""
        share = self.class_share
        return int(share.argmin()), float(share.min())

    @property
    def covered(self) -> int:
        """How many of the ten digits make up at least COVERED of the samples."""
        return int((self.class_share >= COVERED).sum())

    @property
    def missing(self) -> list[int]:
        """The digits below COVERED."""
        return self.coverage.missing

    @property
    def coverage(self) -> PriorCoverage:
        """The shares alone (what the sampling page keeps on disk)."""
        return PriorCoverage(self.class_share, self.confident_share, len(self.predicted))


def prior_samples(
    model: Autoencoder,
    classifier: DigitClassifier,
    n: int = 2000,
    seed: int = 0,
    temperature: float = 1.0,
) -> PriorSamples:
    """Decode n codes drawn from the prior N(0, T^2 I) and classify them."""
    z = sample_prior(n, model.config.latent_dim, temperature, seed)
    images = inference.decode(model, z)
    return PriorSamples(z, images, inference.classify(classifier, images))


COVERAGE_SAMPLES = 2000  # prior samples behind the sampling page's coverage sentence


@dataclass(frozen=True)
class PriorCoverage:
    """What one model draws from its prior: the class shares of n decoded samples."""

    share: np.ndarray  # (10,)
    confident: float  # share of samples read as some digit with probability > CONFIDENT
    n: int

    @property
    def missing(self) -> list[int]:
        """Digits below COVERED of the samples: the ones the prior rarely or never draws."""
        return [int(d) for d in np.flatnonzero(self.share < COVERED)]


# ---------------------------------------------------------------- where the codes are
@dataclass(frozen=True)
class CodeSpread:
    """Where a model's encoder puts the test digits, against the prior N(0, I)."""

    std: np.ndarray  # (D,) standard deviation of the codes per dimension
    lo: np.ndarray  # (D,) smallest code per dimension
    hi: np.ndarray  # (D,) largest
    in_prior_box: float  # share of codes inside [-PRIOR_BOX, PRIOR_BOX]^D


def code_spread(latents: np.ndarray) -> CodeSpread:
    """Spread of encoder means (N, D) compared with the prior N(0, I)."""
    z = np.asarray(latents, np.float64)
    inside = (np.abs(z) <= PRIOR_BOX).all(axis=1).mean()
    return CodeSpread(z.std(axis=0), z.min(axis=0), z.max(axis=0), float(inside))


# ---------------------------------------------------------------- AE vs VAE
@dataclass(frozen=True)
class AeVsVae:
    """The AE-vs-VAE lesson: an AE gives no distribution to sample from.

    Sampling the prior N(0, I) - the one distribution a VAE was trained to match - and
    decoding gives the VAE's digits in about the data's mix, and the AE fewer clear digits
    and a lopsided mix: its codes were never tied to N(0, I) and spread over a range of
    their own, much of it outside the prior (for the old 512-256 ae-2d some digits were
    missing altogether; the retrained one draws every digit, some rarely).
    """

    ae: PriorSamples
    vae: PriorSamples
    ae_codes: CodeSpread
    vae_codes: CodeSpread

    @property
    def holds(self) -> bool:
        """The VAE's prior samples cover all ten digits; the AE's are less often clearly a
        digit (by CLEARER) and its rarest digit is rarer than the VAE's; the prior's box
        holds most of the VAE's codes but not of the AE's."""
        return (
            self.vae.covered == 10
            and self.ae.confident_share < self.vae.confident_share - CLEARER
            and self.ae.rarest[1] < self.vae.rarest[1]
            and self.vae_codes.in_prior_box > 0.9
            and self.ae_codes.in_prior_box < self.vae_codes.in_prior_box - 0.2
        )


CLEARER = 0.1  # the VAE's prior samples are clearly a digit this much more often than the AE's


def ae_vs_vae(
    ae: Autoencoder,
    vae: Autoencoder,
    ae_latents: np.ndarray,
    vae_latents: np.ndarray,
    classifier: DigitClassifier,
    n: int = 2000,
    seed: int = 0,
) -> AeVsVae:
    """Both models' prior samples and code spreads (the same z for both)."""
    return AeVsVae(
        prior_samples(ae, classifier, n, seed),
        prior_samples(vae, classifier, n, seed),
        code_spread(ae_latents),
        code_spread(vae_latents),
    )


# ---------------------------------------------------------------- typical digits
def recon_errors(model: Autoencoder, images: np.ndarray, batch: int = 2000) -> np.ndarray:
    """Squared error ||x - x_hat||^2 of each image (N, 28, 28) against its reconstruction
    (decoder mean at the encoder mean): (N,)."""
    x = np.asarray(images, dtype=np.float32).reshape(-1, 28, 28)
    out = [
        ((inference.reconstruct(model, b) - b) ** 2).sum(axis=(1, 2))
        for b in np.array_split(x, max(1, -(-len(x) // batch)))
    ]
    return np.concatenate(out)


def typical_digits(errors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """One test digit per class present: the one whose reconstruction error is the median
    of its class (not the best, not an outlier). (C,) indices, in class order."""
    chosen = []
    for digit in np.unique(labels):
        idx = np.flatnonzero(labels == digit)
        order = idx[np.argsort(errors[idx], kind="stable")]
        chosen.append(int(order[len(order) // 2]))
    return np.array(chosen, dtype=np.int64)


def typical_band(
    errors: np.ndarray, labels: np.ndarray, band: tuple[float, float] = (0.4, 0.6)
) -> np.ndarray:
    """Indices (ascending) of the digits whose reconstruction error lies between the `band`
    quantiles of their own class: typical digits, neither the cleanest nor outliers."""
    keep = np.zeros(len(labels), dtype=bool)
    for digit in np.unique(labels):
        idx = labels == digit
        lo, hi = np.quantile(errors[idx], band)
        keep |= idx & (errors >= lo) & (errors <= hi)
    return np.flatnonzero(keep)


# ---------------------------------------------------------------- the beta knob
@dataclass(frozen=True)
class BetaTradeoff:
    """The beta lesson: a larger beta buys a smaller KL term with a larger reconstruction
    term (Higgins et al. 2017). Terms in nats per test image, models in rising beta."""

    betas: tuple[float, ...]
    recon: tuple[float, ...]
    kl: tuple[float, ...]

    @property
    def holds(self) -> bool:
        """KL falls and reconstruction rises at every step up in beta."""
        steps = zip(self.recon, self.recon[1:], self.kl, self.kl[1:])
        return all(r1 > r0 and k1 < k0 for r0, r1, k0, k1 in steps)


def beta_tradeoff(terms: list) -> BetaTradeoff:
    """From `explorer.compare.Terms` of several models (any order)."""
    terms = sorted(terms, key=lambda x: x.beta)
    return BetaTradeoff(
        tuple(x.beta for x in terms), tuple(x.recon for x in terms), tuple(x.kl for x in terms)
    )


# ---------------------------------------------------------------- interpolation
@dataclass(frozen=True)
class PathReading:
    """The digit classifier's reading of every frame of an interpolation path."""

    predicted: np.ndarray  # (T,) the digit each frame is read as
    confidence: np.ndarray  # (T,) its probability

    @property
    def clean(self) -> bool:
        """Read as the start digit, then as the end digit, switching once: a^i b^j."""
        p = self.predicted
        switches = int((p[1:] != p[:-1]).sum())
        return p[0] != p[-1] and switches == 1

    def reads(self, a: int, b: int) -> bool:
        """Clean, from digit a to digit b."""
        return self.clean and self.predicted[0] == a and self.predicted[-1] == b

    @property
    def digits_passed(self) -> list[int]:
        """The digits the frames are read as, in order, each run once (e.g. [6, 2, 3, 9])."""
        runs = [int(self.predicted[0])]
        for d in self.predicted[1:]:
            if d != runs[-1]:
                runs.append(int(d))
        return runs


def read_path(
    model: Autoencoder, classifier: DigitClassifier, za: np.ndarray, zb: np.ndarray, n: int
) -> PathReading:
    """Decode the straight line between codes za and zb at n points and classify them."""
    from explorer.interpolation import interpolate

    probs = inference.classify(
        classifier, inference.decode(model, interpolate(za, zb, n, "linear"))
    )
    return PathReading(probs.argmax(axis=1), probs.max(axis=1))


def default_pair(
    model: Autoencoder,
    classifier: DigitClassifier,
    latents: np.ndarray,
    labels: np.ndarray,
    errors: np.ndarray,
    a: int = 6,
    b: int = 4,
    candidates: int = 8,
    n: int = 24,
) -> tuple[int, int, PathReading]:
    """The pair the interpolation page opens on, by a stated rule: among the `candidates`
    most typical test digits of classes a and b (reconstruction error closest to their
    class median), the pair whose path the classifier reads as a, then b (switching once)
    with the highest mean confidence; if no pair reads cleanly, the most confident one."""
    picks = []
    for digit in (a, b):
        idx = np.flatnonzero(labels == digit)
        gap = np.abs(errors[idx] - np.median(errors[idx]))
        picks.append(idx[np.argsort(gap, kind="stable")[:candidates]])
    best = None
    for i in picks[0]:
        for j in picks[1]:
            reading = read_path(model, classifier, latents[i], latents[j], n)
            score = (reading.reads(a, b), float(reading.confidence.mean()))
            if best is None or score > best[0]:
                best = (score, int(i), int(j), reading)
    return best[1], best[2], best[3]


@dataclass(frozen=True)
class OwnClass:
    """How often a model's reconstruction of a test digit is read as the digit's own class:
    overall and per class (2-D models blur 4/9 and 3/5/8 more than 32-D ones)."""

    overall: float
    per_class: np.ndarray  # (10,)


def own_class_rate(
    model: Autoencoder, classifier: DigitClassifier, images: np.ndarray, labels: np.ndarray
) -> OwnClass:
    """Share of test digits (N, 28, 28) whose decoded encoder mean the classifier reads as
    their label (a conditional model is given that label too)."""
    recon = inference.reconstruct(model, images, inference.condition_of(model, labels))
    right = inference.classify(classifier, recon).argmax(axis=1) == labels
    per = np.array(
        [right[labels == d].mean() if (labels == d).any() else np.nan for d in range(10)]
    )
    return OwnClass(float(right.mean()), per)


# ---------------------------------------------------------------- denoising
def purifies(
    model: Autoencoder,
    classifier: DigitClassifier,
    image: np.ndarray,
    label: int,
    kind: str,
    level: float,
    seed: int = 0,
) -> bool:
    """The model purifies this digit: the corrupted digit's reconstruction is read as its
    own class and lies closer to the clean digit than the corrupted one does."""
    from explorer.corrupt import denoise_sweep

    sweep = denoise_sweep(model, image, kind, [level], seed)
    read = inference.classify(classifier, sweep.reconstructed).argmax(axis=1)[0]
    return bool(read == label and sweep.reconstructed_error[0] < sweep.corrupted_error[0])


def default_denoise_digit(
    model: Autoencoder,
    classifier: DigitClassifier,
    images: np.ndarray,
    labels: np.ndarray,
    errors: np.ndarray,
    kind: str,
    level: float,
    seed: int = 0,
) -> int:
    """The digit the denoising page opens on, by a stated rule: the typical digit (median
    reconstruction error of its class) of the first class, 0 to 9, that the model
    purifies at the default corruption; the typical 0 if none is."""
    typical = typical_digits(errors, labels)
    for i in typical:
        if purifies(model, classifier, images[i], int(labels[i]), kind, level, seed):
            return int(i)
    return int(typical[0])


# ---------------------------------------------------------------- reparameterization
REPARAM_SAMPLES = 8  # the reparameterization page's default number of samples of q(z|x)


def default_reparam_digit(
    model: Autoencoder,
    classifier: DigitClassifier,
    images: np.ndarray,
    labels: np.ndarray,
    errors: np.ndarray,
    n: int = REPARAM_SAMPLES,
    seed: int = 0,
    band: tuple[float, float] = (0.4, 0.6),
) -> int:
    """The reparameterization page's default test digit, by rule: a typical digit (its
    reconstruction error between the `band` quantiles of its class, so not an outlier)
    whose n samples of q(z|x) with this seed all decode to its own class, and among those
    the one with the widest q(z|x) (the samples differ visibly). Falls back to the typical
    digit with the most samples read as its class when none reads cleanly."""
    labels = np.asarray(labels)
    cand = typical_band(np.asarray(errors), labels, band)
    mu, logvar = inference.encode(model, images[cand])
    z = np.concatenate([sample_posterior(m, lv, n, seed).z for m, lv in zip(mu, logvar)])
    read = (
        inference.classify(classifier, inference.decode(model, z))
        .argmax(axis=1)
        .reshape(len(cand), n)
    )
    right = (read == labels[cand][:, None]).sum(axis=1)
    width = logvar.sum(axis=1)  # log of the 1-sigma ellipse's area, up to a constant
    best = np.lexsort((-width, -right))[0]  # most samples right, then the widest
    return int(cand[best])


# ---------------------------------------------------------------- ELBO vs IWAE
IWAE_RULE_K = 500  # samples per digit behind the IWAE page's default-digit rule
IWAE_RULE_CANDIDATES = 1000  # the first test digits the rule looks at


@torch.no_grad()
def iwae_gain(model: Autoencoder, images: np.ndarray, k: int = IWAE_RULE_K, seed: int = 0):
    """How much k importance samples tighten the bound, per image: L_k - ELBO (nats, >= 0
    up to Monte Carlo noise), both from the same k samples of q(z|x) (the ELBO as the
    mean log-weight). images (N, 28, 28) -> (N,)."""
    from explorer.metrics import iwae_log_weights, seeded

    x = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32)[:, None])
    with seeded(seed, torch.device("cpu")):
        log_w = iwae_log_weights(model, x, k).double()
    return (torch.logsumexp(log_w, dim=1) - np.log(k) - log_w.mean(dim=1)).numpy()


IWAE_RULE_QUANTILE = 0.95  # of the candidates' gains: clearly visible, not the extreme


def default_iwae_digit(
    model: Autoencoder,
    classifier: DigitClassifier,
    images: np.ndarray,
    labels: np.ndarray,
    errors: np.ndarray,
    candidates: int = IWAE_RULE_CANDIDATES,
    band: tuple[float, float] = (0.4, 0.6),
) -> tuple[int, float]:
    """The IWAE page's default test digit, by rule: among the first `candidates` test
    digits, the typical ones (reconstruction error between the `band` quantiles of their
    class) that the model reconstructs as their own class; of those, the one whose gain
    from k = IWAE_RULE_K samples is at the IWAE_RULE_QUANTILE quantile - the curve falls
    visibly, on a digit that is not a pathological case. Returns (index, its gain, nats)."""
    labels = np.asarray(labels)[:candidates]
    cand = typical_band(np.asarray(errors)[:candidates], labels, band)
    recon = inference.reconstruct(model, images[cand])
    cand = cand[inference.classify(classifier, recon).argmax(axis=1) == labels[cand]]
    gain = iwae_gain(model, images[cand])
    target = np.quantile(gain, IWAE_RULE_QUANTILE)
    best = int(np.argmin(np.abs(gain - target)))
    return int(cand[best]), float(gain[best])


# ---------------------------------------------------------------- training replay
def snapshot_knn(latents: np.ndarray, labels: np.ndarray, k: int = 5) -> np.ndarray:
    """How well each training snapshot's codes separate the digits: leave-one-out k-NN
    accuracy within the snapshot (each code voted on by its k nearest other codes).
    latents (S, N, D), labels (N,) -> (S,)."""
    from sklearn.neighbors import NearestNeighbors

    labels = np.asarray(labels)
    out = []
    for z in np.asarray(latents, dtype=np.float64):
        _, idx = NearestNeighbors(n_neighbors=k + 1).fit(z).kneighbors(z)
        votes = labels[idx[:, 1:]]  # drop each point itself
        guess = np.array([np.bincount(v, minlength=10).argmax() for v in votes])
        out.append(float((guess == labels).mean()))
    return np.array(out)
