"""log p(x), the true posterior p(z|x) and the ELBO's three terms, exact for a 2-D VAE.

With a 2-D latent, p(x) = ∫ p(x|z) p(z) dz is a 2-D integral, and a sum over a grid of z
computes it: log p(x) = logsumexp_ij [log p(x|z_ij) + log p(z_ij)] + log(h1 h2). Then
the lecture's identity can be checked term by term instead of being taken on trust:

    log p(x) = E_q[log p(x|z)] - KL(q(z|x) || p(z)) + KL(q(z|x) || p(z|x))
               \\------------ ELBO -------------/   the gap, >= 0

(p(z) = N(0, I), Bernoulli p(x|z) on grey levels, q(z|x) the encoder's diagonal Gaussian).

How the grid is placed. The true posterior of a trained 2-D VAE is narrow (its standard
deviation is 0.01-0.4 on MNIST, often a few hundredths) and can have several modes away
from the encoder's mean, so one uniform grid would need millions of points. Instead:
a coarse pass over [-6, 6]^2 (shared by every digit) finds where log p(x, z) comes within
`MASS_WINDOW` nats of its maximum, a medium pass over that box finds it again more
precisely, and the fine grid covers that box together with q(z|x)'s +-6 sigma box, with a
spacing of half q's sigma per axis. The midpoint rule converges very fast on such smooth
peaks (for a Gaussian the relative error is about 2 exp(-2 pi^2 sigma^2 / h^2)); every
other point of the fine grid is a second grid with twice the spacing, and the difference
of the two answers (`grid_error`) is reported. When it exceeds `GRID_TOLERANCE` the
spacing is halved once more.

Expectations under a Gaussian q (the reconstruction term, the ELBO of an optimised q) use
the midpoint rule on q's own grid over its +-6 sigma box; the direct value of the gap,
KL(q || p(z|x)) = sum q log(q / p(z|x)) h1 h2, uses a second set of points in that box
(the cell centres). The two ways to the gap agree (`Terms.mismatch`) to about 0.01 nats.
(Gauss-Hermite rules converge slower here: log p(x|z) has kinks, the decoder being ReLU.)

The cost is decoding: each grid point is decoded once, in batches, and log p(x|z) =
sum_pixels [x l - softplus(l)] is computed from the logits l (one matrix product for many
digits sharing a grid). Numbers in and out are numpy; no Streamlit here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from explorer.metrics import seeded
from explorer.model import Autoencoder, kl_to_standard_normal

LOG_2PI = math.log(2 * math.pi)
COARSE_HALF_WIDTH = 6.0  # the coarse pass covers [-6, 6]^2: the prior density there is < e^-18
COARSE_N = 49  # points per axis of the coarse pass: spacing 0.25
MEDIUM_N = 33  # points per axis of the medium pass over the box the coarse pass found
# Nats below the pass's maximum of log p(x, z) that still count as "where the mass is". On
# the coarse grid a narrow peak can fall between points: over 200 MNIST test digits and
# vae-2d (512-256) the coarse grid showed every point of the fine posterior with
# p(z|x) > 1e-6 within 23 nats of its maximum, so 40 leaves room.
MASS_WINDOW = 40.0
FINE_WINDOW = 25.0  # the same on the medium pass, whose points are close enough to the peak
STEPS_PER_SIGMA = 2.0  # fine spacing per axis: the medium pass's posterior std / 2
MIN_N, MAX_N = 33, 257  # points per axis of the fine grid (odd: every other point nests)
GRID_TOLERANCE = 0.01  # nats between the two resolutions above which the spacing is halved
MAX_REFINEMENTS = 2
Q_SIGMAS = 6.0  # q's own grid covers its +-6 sigma box (q's mass outside it: 2e-9)
Q_N = 41  # points per axis of q's grid: spacing 0.3 sigma
BATCH = 4096  # decoder batch


# ---------------------------------------------------------------- decoding
def flat_images(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    """Images (28, 28), (1, 28, 28), (N, 28, 28) or (N, 1, 28, 28) in [0, 1] -> (N, 784)
    float64."""
    t = torch.as_tensor(np.asarray(x, dtype=np.float32))
    return t.reshape(-1, 784).double()


@torch.no_grad()
def decoder_logits(model: Autoencoder, z: np.ndarray) -> torch.Tensor:
    """Bernoulli logits at latent points z (G, 2): (G, 784) float32, decoded in batches."""
    zt = torch.as_tensor(np.asarray(z, dtype=np.float32))
    out = [model.decode_logits(b).reshape(len(b), -1) for b in zt.split(BATCH)]
    return torch.cat(out) if out else torch.zeros(0, 784)


def log_likelihood(logits: torch.Tensor, x: torch.Tensor) -> np.ndarray:
    """log p(x|z) of N images at G decoded points: sum_pixels [x l - softplus(l)] (the
    negative binary cross-entropy), logits (G, 784), x (N, 784) -> (N, G) float64 nats."""
    lg = logits.double()
    return (x.double() @ lg.T - F.softplus(lg).sum(1)).numpy()


def log_prior(z: np.ndarray) -> np.ndarray:
    """log N(z; 0, I) for points (..., 2)."""
    return -0.5 * (np.asarray(z) ** 2).sum(-1) - LOG_2PI


def log_q(z: np.ndarray, mu: np.ndarray, logvar: np.ndarray) -> np.ndarray:
    """log N(z; mu, diag(exp(logvar))) for points (..., 2)."""
    var = np.exp(logvar)
    return -0.5 * (((np.asarray(z) - mu) ** 2 / var) + logvar + math.log(2 * math.pi)).sum(-1)


# ---------------------------------------------------------------- grids
@dataclass
class Grid:
    """A rectangular grid of latent points: rows are z2 (ys), columns z1 (xs)."""

    xs: np.ndarray  # (nx,) increasing
    ys: np.ndarray  # (ny,) increasing

    @classmethod
    def over(cls, lo: np.ndarray, hi: np.ndarray, n: tuple[int, int]) -> Grid:
        return cls(np.linspace(lo[0], hi[0], n[0]), np.linspace(lo[1], hi[1], n[1]))

    @property
    def points(self) -> np.ndarray:
        """(ny * nx, 2), row-major: reshape values to (ny, nx) for a heatmap."""
        gx, gy = np.meshgrid(self.xs, self.ys)
        return np.stack([gx.ravel(), gy.ravel()], axis=1)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys), len(self.xs)

    @property
    def spacing(self) -> np.ndarray:
        """(h1, h2): the distance between neighbouring points on each axis."""
        return np.array([self.xs[1] - self.xs[0], self.ys[1] - self.ys[0]])

    @property
    def log_cell(self) -> float:
        """log of a cell's area h1 h2, the quadrature weight of every point."""
        return float(np.log(self.spacing).sum())


@dataclass
class SharedCoarse:
    """The coarse pass's decoded grid, the same for every digit of one model."""

    grid: Grid
    logits: torch.Tensor  # (G, 784)


def coarse_pass(model: Autoencoder) -> SharedCoarse:
    """Decode the coarse grid over [-6, 6]^2 once per model (2,401 points)."""
    half = COARSE_HALF_WIDTH
    grid = Grid.over(np.array([-half, -half]), np.array([half, half]), (COARSE_N, COARSE_N))
    return SharedCoarse(grid, decoder_logits(model.eval(), grid.points))


def mass_box(grid: Grid, log_joint: np.ndarray, window: float = MASS_WINDOW):
    """(lo, hi) of the points where log p(x, z) (ny, nx) is within `window` nats of its
    maximum, widened by one grid spacing on each side (the peak may lie between points)."""
    rows, cols = np.nonzero(log_joint >= log_joint.max() - window)
    h = grid.spacing
    lo = np.array([grid.xs[cols.min()], grid.ys[rows.min()]]) - h
    hi = np.array([grid.xs[cols.max()], grid.ys[rows.max()]]) + h
    return lo, hi


def q_box(mu: np.ndarray, logvar: np.ndarray, n_sigma: float = Q_SIGMAS):
    """(lo, hi) of q(z|x)'s +-n_sigma box."""
    sigma = np.exp(0.5 * np.asarray(logvar, np.float64))
    return mu - n_sigma * sigma, mu + n_sigma * sigma


def fine_shape(lo: np.ndarray, hi: np.ndarray, step: np.ndarray) -> tuple[int, int]:
    """Odd points per axis for spacing at most `step` over [lo, hi], within [MIN_N, MAX_N]."""
    n = np.ceil((hi - lo) / step).astype(int) + 1
    n = np.clip(n + (n % 2 == 0), MIN_N, MAX_N)
    return int(n[0]), int(n[1])


def _logsumexp(a: np.ndarray) -> float:
    m = float(a.max())
    return m + math.log(float(np.exp(a - m).sum()))


# ---------------------------------------------------------------- one digit
@dataclass
class Posterior:
    """The true posterior of one digit on its fine grid, and log p(x) from it."""

    grid: Grid
    log_joint: np.ndarray  # (ny, nx) log p(x|z) + log p(z), nats
    log_px: float  # log p(x) on the fine grid (midpoint rule), nats
    log_px_half: float  # the same on every other point: twice the spacing
    mu: np.ndarray  # (2,) encoder mean of q(z|x)
    logvar: np.ndarray  # (2,) encoder log-variance
    n_decodes: int  # decoder calls for this digit (the shared coarse pass not counted)
    seconds: float = 0.0
    refinements: int = 0  # times the spacing was halved because the two resolutions differed

    @property
    def grid_error(self) -> float:
        """|log p(x) on the fine grid - on every other point|, nats: the grid's accuracy."""
        return abs(self.log_px - self.log_px_half)

    @property
    def edge(self) -> float:
        """Max of log p(x, z) on the grid's border minus its overall max (nats): very
        negative when the box holds all the mass."""
        lj = self.log_joint
        border = max(lj[0].max(), lj[-1].max(), lj[:, 0].max(), lj[:, -1].max())
        return float(border - lj.max())

    @property
    def log_posterior(self) -> np.ndarray:
        """log p(z|x) = log p(x, z) - log p(x) on the grid: (ny, nx), a density in z."""
        return self.log_joint - self.log_px

    @property
    def mode(self) -> np.ndarray:
        """The grid point where p(z|x) is largest: (2,)."""
        r, c = np.unravel_index(np.argmax(self.log_joint), self.log_joint.shape)
        return np.array([self.grid.xs[c], self.grid.ys[r]])

    def moments(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean (2,) and per-axis standard deviation (2,) of p(z|x) on the grid."""
        w = np.exp(self.log_posterior + self.grid.log_cell)
        gx, gy = np.meshgrid(self.grid.xs, self.grid.ys)
        mean = np.array([(w * gx).sum(), (w * gy).sum()])
        var = np.array([(w * gx**2).sum(), (w * gy**2).sum()]) - mean**2
        return mean, np.sqrt(np.maximum(var, 0.0))


def _quadrature(grid: Grid, lj: np.ndarray) -> tuple[float, float]:
    """log p(x) on the grid and on every other point of it (twice the spacing)."""
    return (
        _logsumexp(lj) + grid.log_cell,
        _logsumexp(lj[::2, ::2]) + grid.log_cell + 2 * math.log(2.0),
    )


def _log_joint(model: Autoencoder, grid: Grid, x: torch.Tensor) -> np.ndarray:
    """log p(x|z) + log p(z) of one image x (1, 784) at the grid's points: (ny, nx)."""
    pts = grid.points
    ll = log_likelihood(decoder_logits(model, pts), x)[0]
    return (ll + log_prior(pts)).reshape(grid.shape)


@torch.no_grad()
def exact_posterior(
    model: Autoencoder, x: np.ndarray | torch.Tensor, coarse: SharedCoarse | None = None
) -> Posterior:
    """The true posterior p(z|x) and log p(x) of one image x (28, 28) by quadrature.

    `coarse`: the model's `coarse_pass`, to share between digits (computed if None)."""
    start = time.perf_counter()
    model.eval()
    xt = flat_images(x)
    mu_t, logvar_t = model.encode(xt.float().view(1, 1, 28, 28))
    if logvar_t is None or mu_t.shape[1] != 2:
        raise ValueError("exact quadrature needs a VAE with a 2-D latent space")
    mu, logvar = mu_t[0].double().numpy(), logvar_t[0].double().numpy()
    coarse = coarse or coarse_pass(model)
    lj0 = log_likelihood(coarse.logits, xt)[0] + log_prior(coarse.grid.points)
    return _refine(model, xt, mu, logvar, coarse.grid, lj0.reshape(coarse.grid.shape), start)


def _refine(
    model: Autoencoder,
    xt: torch.Tensor,
    mu: np.ndarray,
    logvar: np.ndarray,
    coarse_grid: Grid,
    coarse_lj: np.ndarray,
    start: float,
    settings: Settings | None = None,
) -> Posterior:
    """Medium pass over the coarse mass box, then the fine grid (see the module doc)."""
    settings = settings or DEFAULT
    lo, hi = mass_box(coarse_grid, coarse_lj, MASS_WINDOW)
    medium = Grid.over(lo, hi, (MEDIUM_N, MEDIUM_N))
    lj = _log_joint(model, medium, xt)
    lo, hi = mass_box(medium, lj, FINE_WINDOW)
    # The peak's width: q's sigma, or the posterior's spread when narrower (q too wide);
    # a spread below the medium spacing is not resolved, so it is floored there.
    width = np.minimum(np.exp(0.5 * logvar), np.maximum(_spread(medium, lj), medium.spacing / 2))
    step = width / settings.steps_per_sigma
    decodes, refinements = lj.size, 0
    while True:
        grid = Grid.over(lo, hi, fine_shape(lo, hi, step))
        lj = _log_joint(model, grid, xt)
        decodes += lj.size
        log_px, log_px_half = _quadrature(grid, lj)
        resolved = abs(log_px - log_px_half) <= GRID_TOLERANCE
        if resolved or refinements >= settings.max_refinements or max(grid.shape) >= MAX_N:
            break
        step, refinements = step / 2, refinements + 1
    seconds = time.perf_counter() - start
    return Posterior(grid, lj, log_px, log_px_half, mu, logvar, decodes, seconds, refinements)


def _spread(grid: Grid, log_joint: np.ndarray) -> np.ndarray:
    """Per-axis standard deviation (2,) of the density proportional to exp(log_joint)."""
    w = np.exp(log_joint - log_joint.max())
    w /= w.sum()
    gx, gy = np.meshgrid(grid.xs, grid.ys)
    out = []
    for g in (gx, gy):
        m = (w * g).sum()
        out.append(math.sqrt(max((w * (g - m) ** 2).sum(), 0.0)))
    return np.array(out)


# ---------------------------------------------------------------- the three terms
def q_grid(mu, logvar, n: int = Q_N, cells: bool = False) -> Grid:
    """n x n points over q's +-6 sigma box: on its edges, or with `cells` at the centres
    of n x n equal cells (a second rule whose points are all different)."""
    lo, hi = q_box(np.asarray(mu, np.float64), np.asarray(logvar, np.float64))
    if cells:
        half = (hi - lo) / (2 * n)
        lo, hi = lo + half, hi - half
    return Grid.over(lo, hi, (n, n))


def _q_weights(grid: Grid, mu, logvar) -> tuple[np.ndarray, np.ndarray]:
    """log q at the grid's points (G,) and the midpoint weights q h1 h2 normalised to 1."""
    lq = log_q(grid.points, np.asarray(mu, np.float64), np.asarray(logvar, np.float64))
    w = np.exp(lq + grid.log_cell)
    return lq, w / w.sum()


@torch.no_grad()
def expected_log_likelihood(
    model: Autoencoder, x: np.ndarray | torch.Tensor, mu, logvar, n: int = Q_N
) -> float:
    """E_q[log p(x|z)], q = N(mu, diag(exp(logvar))): the midpoint rule on q's n x n grid
    (spacing 12 sigma / (n - 1) per axis; about 0.005 nats from the limit at n = 41)."""
    grid = q_grid(mu, logvar, n)
    _, w = _q_weights(grid, mu, logvar)
    return float(log_likelihood(decoder_logits(model, grid.points), flat_images(x))[0] @ w)


def kl_prior(mu, logvar) -> float:
    """KL(N(mu, diag(exp(logvar))) || N(0, I)), closed form, nats."""
    m = torch.as_tensor(np.asarray(mu, np.float64)).view(1, -1)
    lv = torch.as_tensor(np.asarray(logvar, np.float64)).view(1, -1)
    return float(kl_to_standard_normal(m, lv)[0])


@torch.no_grad()
def kl_to_posterior(
    model: Autoencoder, x: np.ndarray | torch.Tensor, log_px: float, mu, logvar
) -> float:
    """KL(q || p(z|x)) = sum q log(q / p(z|x)) h1 h2 by direct quadrature, with
    log p(z|x) = log p(x, z) - log p(x). On the cell centres of q's box: points none of
    which `expected_log_likelihood` uses, so that gap = KL(q || p(z|x)) is a check of two
    quadratures, not the same sum twice."""
    grid = q_grid(mu, logvar, Q_N - 1, cells=True)
    pts = grid.points
    log_joint = log_likelihood(decoder_logits(model, pts), flat_images(x))[0] + log_prior(pts)
    lq, w = _q_weights(grid, mu, logvar)
    return float(w @ (lq - (log_joint - log_px)))


@dataclass
class Terms:
    """log p(x) split into the lecture's three terms for one q, in nats."""

    log_px: float  # exact, by quadrature over the posterior's grid
    recon: float  # E_q[log p(x|z)], midpoint rule on q's grid
    kl_prior: float  # KL(q || p(z)), closed form
    kl_posterior: float  # KL(q || p(z|x)), direct quadrature on q's cell centres

    @property
    def elbo(self) -> float:
        return self.recon - self.kl_prior

    @property
    def gap(self) -> float:
        """log p(x) - ELBO: by the identity, KL(q || p(z|x))."""
        return self.log_px - self.elbo

    @property
    def mismatch(self) -> float:
        """gap - direct KL(q || p(z|x)): zero when the identity adds up."""
        return self.gap - self.kl_posterior


def three_terms(model: Autoencoder, x, post: Posterior, mu=None, logvar=None) -> Terms:
    """The decomposition for q = N(mu, diag(exp(logvar))), by default the encoder's."""
    mu = post.mu if mu is None else np.asarray(mu, np.float64)
    logvar = post.logvar if logvar is None else np.asarray(logvar, np.float64)
    return Terms(
        post.log_px,
        expected_log_likelihood(model, x, mu, logvar),
        kl_prior(mu, logvar),
        kl_to_posterior(model, x, post.log_px, mu, logvar),
    )


# ---------------------------------------------------------------- importance sampling
PROPOSALS = ("q", "prior")
IWAE_KS = (1, 10, 100, 1000, 10000)
IWAE_SAMPLES = 10_000  # per proposal: every k's estimates come from disjoint groups of them


@dataclass
class ImportanceCurve:
    """The IWAE bound L_k = E[log (1/k) sum_i w_i] against k for one proposal."""

    proposal: str  # "q": z ~ q(z|x), w = p(x|z) p(z) / q(z|x); "prior": z ~ p(z), w = p(x|z)
    ks: np.ndarray  # (K,)
    mean: np.ndarray  # (K,) mean of the estimates of L_k, nats
    std: np.ndarray  # (K,) their spread (ddof 1; 0 where there is one estimate)
    groups: np.ndarray  # (K,) estimates per k: the samples split into groups of k
    mean_log_w: float  # Jensen, on all the samples: the mean of log w ...
    log_mean_w: float  # ... is below the log of the mean of w (= the bound at k = all)
    n_samples: int


@torch.no_grad()
def log_weights(
    model: Autoencoder, x, mu, logvar, proposal: str, n: int, seed: int = 0
) -> np.ndarray:
    """log w of n samples from the proposal ("q" or "prior"), seeded: (n,) float64."""
    eps = np.random.default_rng(seed).standard_normal((n, 2))
    if proposal == "prior":
        z = eps
    elif proposal == "q":
        z = np.asarray(mu) + np.exp(0.5 * np.asarray(logvar)) * eps
    else:
        raise ValueError(f"proposal must be one of {PROPOSALS}, not {proposal!r}")
    log_w = log_likelihood(decoder_logits(model, z), flat_images(x))[0]
    if proposal == "q":
        log_w = log_w + log_prior(z) - log_q(z, np.asarray(mu), np.asarray(logvar))
    return log_w


def importance_curve(
    log_w: np.ndarray, proposal: str, ks: Sequence[int] = IWAE_KS
) -> ImportanceCurve:
    """L_k for each k from the same samples: split into len // k disjoint groups of k,
    one estimate log (1/k) sum w per group."""
    n = len(log_w)
    ks = [k for k in ks if k <= n]
    means, stds, groups = [], [], []
    for k in ks:
        g = log_w[: n // k * k].reshape(-1, k)
        est = np.logaddexp.reduce(g, axis=1) - math.log(k)
        means.append(est.mean())
        stds.append(est.std(ddof=1) if len(est) > 1 else 0.0)
        groups.append(len(est))
    return ImportanceCurve(
        proposal,
        np.array(ks),
        np.array(means),
        np.array(stds),
        np.array(groups),
        float(log_w.mean()),
        float(np.logaddexp.reduce(log_w) - math.log(n)),
        n,
    )


# ---------------------------------------------------------------- optimising q for one digit
OPT_STEPS = 200
OPT_SAMPLES = 8  # z samples per step (reparameterised)
OPT_LR = 0.03  # Adam's peak learning rate: warmed up, then cosine-decayed to 1 % of it
OPT_WARMUP = 20  # steps
OPT_RECORD_N = 17  # q-grid points per axis for the ELBO along the way


@dataclass
class Optimised:
    """Adam on (mu, log sigma^2) of q for one digit alone, maximising its ELBO."""

    start: str  # "encoder" or "mode"
    steps: np.ndarray  # (R,) steps at which the ELBO was recorded
    elbo: np.ndarray  # (R,) ELBO of q then (quadrature on q's grid), nats
    mu: np.ndarray  # (2,) final
    logvar: np.ndarray  # (2,) final


def record_steps(steps: int) -> np.ndarray:
    """Steps 0, 1, 2, 5, 10, 20, 50, ... up to `steps`: the early climb is the fast part."""
    marks = [m * 10**e for e in range(6) for m in (1, 2, 5) if m * 10**e < steps]
    return np.array([0, *marks, steps])


class _Adam:
    """Adam (Kingma & Ba 2015, default betas) on a few tensors, written out: creating a
    torch.optim.Adam the first time in a process costs about 2 s of imports here."""

    def __init__(self, params: list[torch.Tensor], betas=(0.9, 0.999), eps: float = 1e-8):
        self.params, self.betas, self.eps, self.t = params, betas, eps, 0
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]

    @torch.no_grad()
    def step(self, grads: Sequence[torch.Tensor], lr: float) -> None:
        b1, b2 = self.betas
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            m_hat, v_hat = m / (1 - b1**self.t), v / (1 - b2**self.t)
            p.sub_(lr * m_hat / (v_hat.sqrt() + self.eps))


def learning_rate_factor(step: int, steps: int, warmup: int = OPT_WARMUP) -> float:
    """Linear warm-up from 1/warmup, then a cosine decay to 1 %: Adam's first steps have
    the full learning rate whatever the gradient, which would throw a q that starts at
    the posterior's mode off it (its sigma is a few hundredths)."""
    if step < warmup:
        return (step + 1) / warmup
    done = (step - warmup) / max(1, steps - warmup)
    return 0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * done))


def optimise_q(
    model: Autoencoder,
    x,
    starts: dict[str, tuple[np.ndarray, np.ndarray]],
    steps: int = OPT_STEPS,
    samples: int = OPT_SAMPLES,
    lr: float = OPT_LR,
    seed: int = 0,
) -> dict[str, Optimised]:
    """Maximise the ELBO of one image over q's (mu, logvar) with Adam and reparameterised
    Monte Carlo gradients (`samples` z per step, torch RNG seeded), the model fixed: what
    an encoder would output if it could spend `steps` on this digit alone.

    `starts`: {name: (mu0, logvar0)}, e.g. the encoder's guess and the posterior's mode;
    they run side by side (Adam's update is per coordinate, so each run is independent)."""
    model.eval()
    names = list(starts)
    xb = flat_images(x).float()
    mu = torch.tensor(np.array([starts[n][0] for n in names], np.float32), requires_grad=True)
    logvar = torch.tensor(np.array([starts[n][1] for n in names], np.float32), requires_grad=True)
    adam = _Adam([mu, logvar])
    marks = record_steps(steps)
    path = []  # (mu (R, 2), logvar (R, 2)) at each recorded step
    with seeded(seed, torch.device("cpu")):
        for step in range(steps + 1):
            if step in marks:
                path.append((mu.detach().double().numpy(), logvar.detach().double().numpy()))
            if step == steps:
                break
            z = mu + torch.exp(0.5 * logvar) * torch.randn(samples, *mu.shape)  # (S, R, 2)
            logits = model.decode_logits(z.reshape(-1, 2)).reshape(samples, len(names), -1)
            recon = (xb * logits - F.softplus(logits)).sum(-1).mean(0)  # (R,)
            loss = (kl_to_standard_normal(mu, logvar) - recon).sum()
            grads = torch.autograd.grad(loss, [mu, logvar])  # no gradient into the model
            adam.step(grads, lr * learning_rate_factor(step, steps))
    out = {}
    for r, name in enumerate(names):
        run = [(m[r], lv[r]) for m, lv in path]
        out[name] = Optimised(name, marks, _elbos(model, x, run), run[-1][0], run[-1][1])
    return out


@torch.no_grad()
def _elbos(model: Autoencoder, x, path: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """ELBO of each (mu, logvar) in `path`, all their q-grids decoded in one batch."""
    grids = [q_grid(m, lv, OPT_RECORD_N) for m, lv in path]
    ll = log_likelihood(
        decoder_logits(model, np.concatenate([g.points for g in grids])), flat_images(x)
    )[0]
    ll = ll.reshape(len(path), -1)
    out = [
        ll[i] @ _q_weights(g, m, lv)[1] - kl_prior(m, lv)
        for i, (g, (m, lv)) in enumerate(zip(grids, path))
    ]
    return np.array(out)


# ---------------------------------------------------------------- one digit, every lesson
@dataclass
class SamplingReport:
    """What sampling and optimisation show about one digit, next to its exact numbers."""

    curves: dict[str, ImportanceCurve]  # by proposal, "q" and "prior"
    runs: dict[str, Optimised]  # q optimised from the encoder's guess and from the mode
    best: Terms  # the three terms for the better optimised q
    best_q: tuple[np.ndarray, np.ndarray]  # its (mu, logvar)
    seconds: float

    def amortization_gap(self, encoder: Terms) -> float:
        """ELBO of the best q for this digit minus the encoder's: the price of one encoder
        for all digits (nats)."""
        return self.best.elbo - encoder.elbo

    @property
    def highest(self) -> float:
        """The highest ELBO any recorded step reached: never above log p(x)."""
        return float(max(r.elbo.max() for r in self.runs.values()))


def sampling_report(
    model: Autoencoder,
    x,
    post: Posterior,
    n: int = IWAE_SAMPLES,
    seed: int = 0,
    progress: Callable[[float, str], None] | None = None,
) -> SamplingReport:
    """IWAE curves for both proposals and q optimised for this digit (see above).
    `progress(fraction, "")` is called between the parts (a background job may stop there)."""
    start = time.perf_counter()
    curves = {}
    for i, p in enumerate(PROPOSALS):
        if progress is not None:
            progress(0.05 + 0.3 * i, "")
        curves[p] = importance_curve(log_weights(model, x, post.mu, post.logvar, p, n, seed), p)
    if progress is not None:
        progress(0.65, "")
    runs = optimise_q(
        model, x, {"encoder": (post.mu, post.logvar), "mode": (post.mode, post.logvar)}, seed=seed
    )
    best = max(runs.values(), key=lambda r: r.elbo[-1])
    terms = three_terms(model, x, post, best.mu, best.logvar)
    return SamplingReport(curves, runs, terms, (best.mu, best.logvar), time.perf_counter() - start)


# ---------------------------------------------------------------- many digits
@dataclass
class Settings:
    """How finely to integrate: `DEFAULT` for reported numbers, `QUICK` to rank digits."""

    steps_per_sigma: float = STEPS_PER_SIGMA
    q_n: int = Q_N
    max_refinements: int = MAX_REFINEMENTS


DEFAULT = Settings()
QUICK = Settings(steps_per_sigma=1.0, q_n=17, max_refinements=0)  # ~0.05 nats, half the cost


@torch.no_grad()
def exact_many(
    model: Autoencoder,
    images: np.ndarray | torch.Tensor,
    settings: Settings = DEFAULT,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """log p(x) by quadrature for many images (N, 1, 28, 28), sharing the coarse pass.

    Returns arrays (N,): "log_px", "grid_error" (two resolutions), "elbo" (the encoder's
    q; reconstruction term by quadrature, closed-form KL), "gap" (log p(x) - ELBO, i.e.
    KL(q || p(z|x))), "decodes", "seconds"."""
    model.eval()
    x_all = flat_images(images)
    coarse = coarse_pass(model)
    mus, logvars = [], []
    for b in x_all.split(1000):
        mu, logvar = model.encode(b.float().view(-1, 1, 28, 28))
        mus.append(mu.double().numpy())
        logvars.append(logvar.double().numpy())
    mus, logvars = np.concatenate(mus), np.concatenate(logvars)
    out = {k: np.zeros(len(x_all)) for k in ("log_px", "grid_error", "elbo", "decodes", "seconds")}
    prior = log_prior(coarse.grid.points)
    for s in range(0, len(x_all), 256):
        block = x_all[s : s + 256]
        coarse_lj = log_likelihood(coarse.logits, block) + prior  # (B, G)
        for j in range(len(block)):
            i, start = s + j, time.perf_counter()
            post = _refine(
                model, block[j : j + 1], mus[i], logvars[i], coarse.grid,
                coarse_lj[j].reshape(coarse.grid.shape), start, settings,
            )  # fmt: skip
            recon = expected_log_likelihood(model, block[j], mus[i], logvars[i], settings.q_n)
            out["log_px"][i], out["grid_error"][i] = post.log_px, post.grid_error
            out["elbo"][i] = recon - kl_prior(mus[i], logvars[i])
            out["decodes"][i] = post.n_decodes + settings.q_n**2
            out["seconds"][i] = time.perf_counter() - start
            if progress:
                progress(i + 1, len(x_all))
    out["gap"] = out["log_px"] - out["elbo"]
    return out


# The page's default digit: among candidate digits (the first 100 of the test split), the
# typical ones (log p(x) between the candidates' 10th and 90th percentiles) on which the
# encoder's ELBO is visibly below log p(x) (gap > 2 nats), the one whose gap is nearest
# their median gap: neither an outlier digit nor the worst case of the encoder.
RULE_CANDIDATES = 100
RULE_MIN_GAP = 2.0


def typical_gap_digit(log_px: np.ndarray, gap: np.ndarray, min_gap: float = RULE_MIN_GAP):
    """(index, median gap of the kept digits, how many were kept) by the rule above; with
    no digit kept, the candidate whose gap is nearest the median gap of all of them."""
    lo, hi = np.quantile(log_px, [0.1, 0.9])
    kept = np.flatnonzero((log_px >= lo) & (log_px <= hi) & (gap > min_gap))
    if not len(kept):
        kept = np.arange(len(gap))
    median = float(np.median(gap[kept]))
    return int(kept[np.argmin(np.abs(gap[kept] - median))]), median, len(kept)
