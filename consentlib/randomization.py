"""Design-based random assignment: complete, blocked and rerandomized designs.

The module follows R's randomizr (Coppock 2023) in its arguments and semantics, and adds
Morgan and Rubin's (2012) rerandomization. Everything rests on one immutable object,
:class:`Design`, which knows its own randomization: it draws one or many assignments at once
(a reps x n array of integer codes, without a Python loop over draws), counts and lists every
possible assignment, and gives each unit's probability of each condition. Randomization
inference draws its null assignments from the same object, so the null respects the actual
design: fixed counts, blocks and the acceptance rule.

:func:`complete_ra`, :func:`block_ra` and :func:`rerandomize` are thin wrappers: each builds a
:class:`Design` and draws once.

How a design is drawn (Sampford's method for the remainders of ``prob_each``) is explained on
the book's API page.

Examples
--------
>>> design = Design.blocked(["a", "a", "b", "b", "b"], ("control", "treatment"))
>>> design.n_assignments, design.draw_codes(1000, seed=1).shape
(12, (1000, 5))

References
----------
- Coppock, A. (2023). randomizr: Easy-to-Use Tools for Common Forms of Random Assignment and
  Sampling. R package, https://declaredesign.org/r/randomizr/.
- Morgan, K. L., and Rubin, D. B. (2012). Rerandomization to improve covariate balance in
  experiments. The Annals of Statistics 40(2): 1263-1282.
- Sampford, M. R. (1967). On sampling without replacement with unequal probabilities of
  selection. Biometrika 54(3/4): 499-513.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse, stats

from consentlib._validation import (
    as_column_list,
    as_generator,
    check_columns,
    check_conditions,
    check_dataframe,
    check_numeric,
    check_positive_int,
    check_probability,
)
from consentlib.results import result_html

__all__ = [
    "TWO_ARMS",
    "Design",
    "RerandomizationResult",
    "block_ra",
    "complete_ra",
    "rerandomize",
    "variance_reduction",
]

SeedLike = int | np.random.Generator | None

#: The conditions when none are given: two arms, as in randomizr.
TWO_ARMS: tuple[str, ...] = ("control", "treatment")

# Tolerance for the floating-point arithmetic of expected counts n_b * p.
_TOL = 1e-9
# Largest number of array elements one vectorized chunk of draws may hold.
_CHUNK_ELEMENTS = 4_000_000
# Accepted draws behind the simulated probabilities of an asymmetric rerandomized design.
_PROBABILITY_DRAWS = 10_000
_PROBABILITY_SEED = 0


# --------------------------------------------------------------------------------------------
# The plan: which count vectors each block can receive, with what probability
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Plan:
    """The randomization of a complete or blocked design, in arrays ready for vectorized draws.

    Block b can receive one of ``n_options[b]`` count vectors ``counts[b, k]`` (one count per
    condition) with probability ``weights[b, k]``; options beyond ``n_options[b]`` are padding
    with weight 0.
    """

    index: np.ndarray  # (n,) block of each unit, 0..B-1 in sorted label order
    labels: np.ndarray  # (B,) sorted block labels
    sizes: np.ndarray  # (B,) units per block
    counts: np.ndarray  # (B, K, A) count vectors
    weights: np.ndarray  # (B, K) probability of each count vector
    n_options: np.ndarray  # (B,)
    description: str  # how the counts were specified, for the repr

    @property
    def n(self) -> int:
        return int(self.index.shape[0])

    @property
    def n_blocks(self) -> int:
        return int(self.sizes.shape[0])

    @property
    def n_arms(self) -> int:
        return int(self.counts.shape[2])

    @cached_property
    def fixed(self) -> bool:
        """Whether every block's counts are fixed (one option per block)."""
        return bool(np.all(self.n_options == 1))

    @cached_property
    def sorted_block(self) -> np.ndarray:
        """Block of each position once units are sorted by block."""
        return np.repeat(np.arange(self.n_blocks), self.sizes)

    @cached_property
    def rank(self) -> np.ndarray:
        """Rank of each sorted position within its block."""
        starts = np.concatenate([[0], np.cumsum(self.sizes)[:-1]])
        return np.arange(self.n) - np.repeat(starts, self.sizes)

    @cached_property
    def cumulative(self) -> np.ndarray:
        """Cumulative counts over conditions, (B, K, A)."""
        return np.cumsum(self.counts, axis=2)

    @cached_property
    def cdf(self) -> np.ndarray:
        """Cumulative option probabilities, exactly 1 from each block's last option on."""
        cdf = np.cumsum(self.weights, axis=1)
        for b, k in enumerate(self.n_options):
            cdf[b, k - 1 :] = 1.0
        return cdf

    @cached_property
    def template(self) -> np.ndarray:
        """Codes dealt to the sorted positions when every block's counts are fixed."""
        cumulative = self.cumulative[:, 0, :][self.sorted_block]
        return (cumulative <= self.rank[:, None]).sum(axis=1).astype(_code_dtype(self.n_arms))

    @cached_property
    def indicator(self) -> sparse.csr_array:
        """Sparse unit-by-block indicator matrix, (n, B)."""
        ones = np.ones(self.n)
        return sparse.csr_array((ones, (np.arange(self.n), self.index)), (self.n, self.n_blocks))

    @cached_property
    def expected_counts(self) -> np.ndarray:
        """Expected count of each condition in each block, (B, A)."""
        return np.einsum("bk,bka->ba", self.weights, self.counts)

    @cached_property
    def symmetric(self) -> bool:
        """Whether every block gives every condition the same expected count."""
        e = self.expected_counts
        return bool(np.allclose(e, e[:, :1], rtol=0, atol=_TOL))

    @cached_property
    def option_sizes(self) -> list[list[int]]:
        """Number of distinct arrangements of each block's options (multinomial coefficients)."""
        return [
            [_multinomial(self.counts[b, k]) for k in range(self.n_options[b])]
            for b in range(self.n_blocks)
        ]

    @cached_property
    def n_assignments(self) -> int:
        return math.prod(sum(sizes) for sizes in self.option_sizes)

    @cached_property
    def equiprobable(self) -> bool:
        """Whether all possible assignments have the same probability."""
        for b in range(self.n_blocks):
            k = self.n_options[b]
            per = self.weights[b, :k] / np.array(self.option_sizes[b], dtype=float)
            if not np.allclose(per, per[0], rtol=1e-9, atol=0):
                return False
        return True


def _code_dtype(n_arms: int) -> type:
    return np.int8 if n_arms <= 127 else np.int16


def _multinomial(counts: np.ndarray) -> int:
    """Exact multinomial coefficient (sum counts)! / prod(counts!)."""
    total, out = 0, 1
    for c in counts:
        total += int(c)
        out *= math.comb(total, int(c))
    return out


def _sampford(pi: np.ndarray, size: int) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Every subset of ``size`` items with its probability under Sampford's design.

    Sampford's design gives subset s the probability proportional to
    ``sum(1 - pi[s]) * prod(pi[s] / (1 - pi[s]))``; its inclusion probabilities are exactly
    ``pi`` when 0 < pi < 1 and ``sum(pi) == size`` (Sampford 1967).
    """
    odds = pi / (1.0 - pi)
    subsets = list(itertools.combinations(range(len(pi)), size))
    weights = np.array([(1.0 - pi[list(s)]).sum() * np.prod(odds[list(s)]) for s in subsets])
    return subsets, weights / weights.sum()


def _options_from_probs(n_b: int, prob: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """The count vectors a block of ``n_b`` units can receive under ``prob_each``."""
    expected = n_b * prob
    floor = np.floor(expected + _TOL).astype(np.int64)
    frac = np.clip(expected - floor, 0.0, None)
    frac[frac < _TOL] = 0.0
    remainder = n_b - int(floor.sum())
    if remainder == 0:
        return [(floor, 1.0)]
    arms = np.flatnonzero(frac > 0)
    pi = frac[arms] * (remainder / frac[arms].sum())
    subsets, weights = _sampford(pi, remainder)
    options = []
    for subset, weight in zip(subsets, weights, strict=True):
        counts = floor.copy()
        counts[arms[list(subset)]] += 1
        options.append((counts, float(weight)))
    return options


def _make_plan(
    index: np.ndarray,
    labels: np.ndarray,
    options: list[list[tuple[np.ndarray, float]]],
    description: str,
) -> _Plan:
    n_blocks = len(options)
    n_arms = len(options[0][0][0])
    width = max(len(o) for o in options)
    counts = np.zeros((n_blocks, width, n_arms), dtype=np.int64)
    weights = np.zeros((n_blocks, width))
    for b, block_options in enumerate(options):
        for k, (c, w) in enumerate(block_options):
            counts[b, k] = c
            weights[b, k] = w
        counts[b, len(block_options) :] = block_options[0][0]
    sizes = np.bincount(index, minlength=n_blocks).astype(np.int64)
    arrays = [index, labels, sizes, counts, weights]
    for array in arrays:
        array.setflags(write=False)
    n_options = np.array([len(o) for o in options])
    n_options.setflags(write=False)
    return _Plan(index, labels, sizes, counts, weights, n_options, description)


def _draw_base(plan: _Plan, reps: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``reps`` assignments of a complete or blocked plan as codes, (reps, n).

    Each chunk of draws gives every unit a random key offset by its block, sorts the keys
    (which orders units by block, at random within block) and deals each block's conditions
    to the sorted positions: the first ``m_0`` positions of a block get condition 0, the next
    ``m_1`` condition 1, and so on. When counts vary (``prob_each`` with a remainder) each draw
    first picks each block's count vector.
    """
    n, n_arms = plan.n, plan.n_arms
    out = np.empty((reps, n), dtype=_code_dtype(n_arms))
    per_draw = n if plan.fixed else n * n_arms
    chunk = max(1, _CHUNK_ELEMENTS // per_draw)
    blocks = np.arange(plan.n_blocks)
    for start in range(0, reps, chunk):
        stop = min(reps, start + chunk)
        keys = rng.random((stop - start, n))
        keys += plan.index
        order = np.argsort(keys, axis=1)
        if plan.fixed:
            dealt = np.broadcast_to(plan.template, order.shape)
        else:
            u = rng.random((stop - start, plan.n_blocks))
            option = (u[:, :, None] >= plan.cdf[None, :, :]).sum(axis=2)
            cumulative = plan.cumulative[blocks, option]  # (m, B, A)
            dealt = (cumulative[:, plan.sorted_block, :] <= plan.rank[None, :, None]).sum(axis=2)
        np.put_along_axis(out[start:stop], order, dealt, axis=1)
    return out


def _arrangements(counts: np.ndarray) -> np.ndarray:
    """Every distinct arrangement of a multiset of codes with these counts, (count, n_b)."""
    n_b = int(counts.sum())
    rows = np.full((1, n_b), -1, dtype=np.int16)
    placed = 0
    for arm, c in enumerate(counts[:-1]):
        c = int(c)
        if c == 0:
            continue
        n_free = n_b - placed
        combos = np.array(list(itertools.combinations(range(n_free), c)), dtype=np.intp)
        free = np.argsort(rows != -1, axis=1, kind="stable")[:, :n_free]
        n_rows, n_combos = rows.shape[0], combos.shape[0]
        rows = np.repeat(rows, n_combos, axis=0)
        chosen = np.take_along_axis(
            np.repeat(free, n_combos, axis=0), np.tile(combos, (n_rows, 1)), axis=1
        )
        np.put_along_axis(rows, chosen, arm, axis=1)
        placed += c
    rows[rows == -1] = len(counts) - 1
    return rows


def _enumerate_plan(plan: _Plan) -> tuple[np.ndarray, np.ndarray]:
    """Every possible assignment of the plan once, with its probability."""
    total = plan.n_assignments
    codes = np.empty((total, plan.n), dtype=_code_dtype(plan.n_arms))
    probs = np.ones(total)
    stride = total
    for b in range(plan.n_blocks):
        units = np.flatnonzero(plan.index == b)
        block_rows, block_probs = [], []
        for k in range(plan.n_options[b]):
            rows = _arrangements(plan.counts[b, k])
            block_rows.append(rows)
            block_probs.append(np.full(rows.shape[0], plan.weights[b, k] / rows.shape[0]))
        rows, row_probs = np.concatenate(block_rows), np.concatenate(block_probs)
        stride //= rows.shape[0]
        pick = (np.arange(total) // stride) % rows.shape[0]
        codes[:, units] = rows[pick]
        probs *= row_probs[pick]
    return codes, probs


# --------------------------------------------------------------------------------------------
# Balance: the Mahalanobis criterion of rerandomization
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Balance:
    """Covariates prepared for the balance criterion, and the acceptance rule."""

    names: tuple[str, ...]
    whitened: np.ndarray  # (n, k): centred (within block) and whitened covariates
    block_cov: np.ndarray  # (B, k, k): covariance of the whitened covariates in each block
    acceptance_prob: float
    df: int
    threshold: float
    max_draws: int


def _covariance_pinv(configs: np.ndarray, sizes: np.ndarray, block_cov: np.ndarray) -> np.ndarray:
    """Pseudo-inverse of the randomization covariance of the arm sums, one per count config.

    ``configs`` is (U, B, A) counts. Within block b, complete randomization with counts nu_b
    gives the arm sums of centred covariates the covariance (diag(nu_b) - nu_b nu_b' / n_b)
    kron S_b, with S_b the block's covariance; blocks are independent, so the covariances add.
    """
    n_configs, n_blocks, n_arms = configs.shape
    k = block_cov.shape[1]
    nu = configs.astype(float)
    q = -nu[:, :, :, None] * nu[:, :, None, :] / sizes[None, :, None, None]
    arms = np.arange(n_arms)
    q[:, :, arms, arms] += nu
    v = q.reshape(n_configs, n_blocks, n_arms * n_arms).transpose(0, 2, 1) @ block_cov.reshape(
        n_blocks, k * k
    )
    v = v.reshape(n_configs, n_arms, n_arms, k, k).transpose(0, 1, 3, 2, 4)
    v = v.reshape(n_configs, n_arms * k, n_arms * k)
    return np.linalg.pinv(v, rtol=1e-10, hermitian=True)


def _criterion(plan: _Plan, balance: _Balance, codes: np.ndarray) -> np.ndarray:
    """The balance criterion of each row of ``codes``, (m,)."""
    m = codes.shape[0]
    n_arms, k = plan.n_arms, balance.whitened.shape[1]
    sums = np.empty((m, n_arms, k))
    for arm in range(n_arms):
        sums[:, arm, :] = (codes == arm).astype(float) @ balance.whitened
    d = sums.reshape(m, n_arms * k)
    if plan.fixed:
        vinv = _covariance_pinv(plan.counts[None, :, 0, :], plan.sizes, balance.block_cov)[0]
        return np.einsum("ri,ij,rj->r", d, vinv, d)
    cells = plan.n_blocks * n_arms
    flat = codes + n_arms * plan.index + cells * np.arange(m)[:, None]
    counts = np.bincount(flat.ravel(), minlength=m * cells).reshape(m, cells)
    configs, inverse = np.unique(counts, axis=0, return_inverse=True)
    vinv = _covariance_pinv(
        configs.reshape(-1, plan.n_blocks, n_arms), plan.sizes, balance.block_cov
    )
    return np.einsum("ri,rij,rj->r", d, vinv[inverse.ravel()], d)


def _check_covariates(covariates: object) -> pd.DataFrame:
    """Return the covariates as a numeric DataFrame without missing values."""
    if isinstance(covariates, pd.Series):
        covariates = covariates.to_frame()
    if isinstance(covariates, pd.DataFrame):
        frame = covariates
        if frame.shape[1] == 0:
            raise ValueError("covariates has no columns; rerandomization needs at least one")
        for column in frame.columns:
            if not pd.api.types.is_bool_dtype(frame[column]):
                check_numeric(frame, column)
        frame = pd.DataFrame(
            {str(c): frame[c].to_numpy(dtype=float, na_value=np.nan) for c in frame.columns}
        )
    else:
        try:
            array = np.asarray(covariates, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"covariates must be a DataFrame or a numeric 2-D array; got "
                f"{type(covariates).__name__}"
            ) from None
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2 or array.shape[1] == 0:
            raise ValueError(
                f"covariates must be a DataFrame or a 2-D array (units x covariates); got an "
                f"array of shape {array.shape}"
            )
        frame = pd.DataFrame(array, columns=[f"x{j}" for j in range(array.shape[1])])
    if frame.shape[0] < 2:
        raise ValueError(f"covariates must have at least two rows (units); got {frame.shape[0]}")
    for column in frame.columns:
        values = frame[column].to_numpy()
        n_missing = int(np.isnan(values).sum())
        if n_missing:
            raise ValueError(
                f"covariate {column!r} has {n_missing} missing value(s) (first at row "
                f"{int(np.flatnonzero(np.isnan(values))[0])}); rerandomization needs every "
                f"unit's covariates, so drop or impute them first"
            )
        if not np.all(np.isfinite(values)):
            raise ValueError(f"covariate {column!r} has infinite values")
    return frame


def _prepare_balance(
    frame: pd.DataFrame,
    plan: _Plan,
    acceptance_prob: float,
    max_draws: int,
) -> _Balance:
    """Centre (within block), check for collinearity, whiten, and set the threshold."""
    names = tuple(frame.columns)
    x = frame.to_numpy(dtype=float)
    n, k = x.shape
    sizes = plan.sizes
    where = " within blocks" if plan.n_blocks > 1 else ""
    means = (plan.indicator.T @ x) / sizes[:, None]
    centred = x - means[plan.index]
    sd = centred.std(axis=0)
    flat = sd <= 1e-10 * np.maximum(np.abs(x).max(axis=0), 1e-300)
    if flat.any():
        raise ValueError(
            f"covariate {names[int(np.flatnonzero(flat)[0])]!r} does not vary{where}, so the "
            f"covariance matrix of the covariates is singular; drop it"
        )
    if k > n - plan.n_blocks:
        raise ValueError(
            f"there are {k} covariates but only {n - plan.n_blocks} degrees of freedom{where}, "
            f"so the covariance matrix of the covariates is singular; use fewer covariates"
        )
    z = centred / sd
    eigenvalues, eigenvectors = np.linalg.eigh(z.T @ z / n)
    small = eigenvalues < 1e-10
    if small.any():
        involved = np.abs(eigenvectors[:, small]).max(axis=1) > 1e-6
        collinear = [name for name, flag in zip(names, involved, strict=True) if flag]
        raise ValueError(
            f"the covariates {collinear} are collinear{where} (a linear combination of them is "
            f"constant), so their covariance matrix is singular; drop one of them"
        )
    chol = np.linalg.cholesky(z.T @ z / (n - 1))
    whitened = np.linalg.solve(chol, z.T).T
    outer = (whitened[:, :, None] * whitened[:, None, :]).reshape(n, k * k)
    ddof = np.maximum(sizes - 1, 1)[:, None]
    block_cov = ((plan.indicator.T @ outer) / ddof).reshape(plan.n_blocks, k, k)
    expected = _covariance_pinv(plan.expected_counts[None], sizes, block_cov)[0]
    df = int(np.linalg.matrix_rank(expected, rtol=1e-10, hermitian=True))
    threshold = float(stats.chi2.ppf(acceptance_prob, df))
    for array in (whitened, block_cov):
        array.setflags(write=False)
    return _Balance(names, whitened, block_cov, acceptance_prob, df, threshold, int(max_draws))


# --------------------------------------------------------------------------------------------
# Input checks specific to this module
# --------------------------------------------------------------------------------------------


def _check_counts(values: object, n_arms: int, name: str) -> np.ndarray:
    """Return ``values`` as one whole, non-negative count per condition."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold one count per condition; got {values!r}") from None
    if array.ndim != 1 or array.shape[0] != n_arms:
        raise ValueError(
            f"{name} must hold one count per condition ({n_arms} conditions); got {values!r}"
        )
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array != np.round(array)):
        raise ValueError(f"{name} must hold whole numbers of at least 0; got {values!r}")
    return array.astype(np.int64)


def _check_probs(values: object, n_arms: int, name: str) -> np.ndarray:
    """Return ``values`` as one probability per condition, summing to 1."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must hold one probability per condition; got {values!r}") from None
    if array.ndim != 1 or array.shape[0] != n_arms:
        raise ValueError(
            f"{name} must hold one probability per condition ({n_arms} conditions); got {values!r}"
        )
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array > 1):
        raise ValueError(f"{name} must hold probabilities between 0 and 1; got {values!r}")
    if abs(array.sum() - 1.0) > 1e-8:
        raise ValueError(f"{name} must sum to 1; got {values!r}, which sums to {array.sum():.10g}")
    return array


def _from_data(data: pd.DataFrame | None, value: object, name: str) -> object:
    """With ``data``, read the column(s) that ``value`` names; without it, ``value`` itself."""
    if data is None:
        return value
    data = check_dataframe(data)
    columns = as_column_list(value, name)
    check_columns(data, columns, f"{name} column")
    return data[columns[0]] if isinstance(value, str) else data[columns]


def _check_blocks(blocks: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the block labels as given, each unit's block index and the sorted labels."""
    if blocks is None or isinstance(blocks, str):
        raise TypeError(f"blocks must give one block label per unit; got {blocks!r}")
    values = np.asarray(blocks.to_numpy() if isinstance(blocks, pd.Series) else blocks)
    if values.ndim != 1 or values.shape[0] == 0:
        raise ValueError(
            f"blocks must be a non-empty 1-D sequence of labels; got shape {values.shape}"
        )
    missing = pd.isna(values)
    if missing.any():
        raise ValueError(
            f"blocks has {int(missing.sum())} missing label(s) (first at position "
            f"{int(np.flatnonzero(missing)[0])}); every unit needs a block"
        )
    try:
        index, labels = pd.factorize(values, sort=True)
    except TypeError:
        raise ValueError(
            "blocks mixes labels of types that cannot be sorted (e.g. numbers and strings); "
            "use labels of one type"
        ) from None
    values = values.copy()
    values.setflags(write=False)
    return values, index.astype(np.intp), np.asarray(labels)


def _per_block(spec: object, labels: np.ndarray, conditions: tuple, name: str) -> list | None:
    """Rows of a per-block specification in sorted block order, or None for a single vector."""
    if isinstance(spec, pd.DataFrame):
        if set(spec.columns) == set(conditions):
            spec = spec[list(conditions)]
        spec = {label: row.to_numpy() for label, row in spec.iterrows()}
    if isinstance(spec, Mapping):
        missing = [label for label in labels.tolist() if label not in spec]
        if missing:
            raise ValueError(f"{name} gives no row for block {missing[0]!r}")
        known = set(labels.tolist())
        extra = [key for key in spec if key not in known]
        if extra:
            raise ValueError(
                f"{name} names block {extra[0]!r}, which is not among the blocks {labels.tolist()}"
            )
        return [spec[label] for label in labels.tolist()]
    if np.ndim(spec) == 2:
        rows = list(np.asarray(spec))
        if len(rows) != len(labels):
            raise ValueError(
                f"{name} must have one row per block ({len(labels)} blocks, in the sorted "
                f"order {labels.tolist()}); got {len(rows)} rows"
            )
        return rows
    return None


def _block_options(
    labels: np.ndarray,
    sizes: np.ndarray,
    conditions: tuple,
    m_each: object,
    prob_each: object,
) -> tuple[list[list[tuple[np.ndarray, float]]], str]:
    """The count options of each block, and a short description of the specification."""
    n_arms = len(conditions)
    if m_each is not None and prob_each is not None:
        raise ValueError("give m_each or prob_each, not both")
    if m_each is not None:
        rows = _per_block(m_each, labels, conditions, "m_each")
        if rows is None:
            vector = _check_counts(m_each, n_arms, "m_each")
            rows, description = [vector] * len(labels), f"m_each={vector.tolist()}"
        else:
            description = "m_each per block"
        options = []
        for label, size, row in zip(labels.tolist(), sizes, rows, strict=True):
            where = f" for block {label!r}" if len(labels) > 1 else ""
            counts = _check_counts(row, n_arms, f"m_each{where}")
            if counts.sum() != size:
                raise ValueError(
                    f"m_each{where} must sum to the number of units ({size}); got "
                    f"{counts.tolist()}, which sums to {counts.sum()}"
                )
            options.append([(counts, 1.0)])
        return options, description
    if prob_each is None:
        rows = [np.full(n_arms, 1.0 / n_arms)] * len(labels)
        description = "equal probabilities"
    else:
        rows = _per_block(prob_each, labels, conditions, "prob_each")
        if rows is None:
            vector = _check_probs(prob_each, n_arms, "prob_each")
            rows = [vector] * len(labels)
            description = "prob_each=[" + ", ".join(f"{p:.3g}" for p in vector) + "]"
        else:
            description = "prob_each per block"
    options = []
    for label, size, row in zip(labels.tolist(), sizes, rows, strict=True):
        where = f" for block {label!r}" if len(labels) > 1 else ""
        options.append(
            _options_from_probs(int(size), _check_probs(row, n_arms, f"prob_each{where}"))
        )
    return options, description


def _labels_array(conditions: tuple) -> np.ndarray:
    if all(isinstance(c, str) for c in conditions):
        return np.asarray(conditions)
    out = np.empty(len(conditions), dtype=object)
    out[:] = conditions
    return out


# --------------------------------------------------------------------------------------------
# The public objects
# --------------------------------------------------------------------------------------------


def variance_reduction(acceptance_prob: float, df: int) -> float:
    """Share of each covariate difference's variance that rerandomization keeps (v_a).

    With a balance criterion approximately chi-square on ``df`` degrees of freedom, accepted
    when below its ``acceptance_prob`` quantile a, every covariate's difference in means keeps
    v_a = P(chi2_{df+2} <= a) / P(chi2_df <= a) of the variance it has under the base design.

    Parameters
    ----------
    acceptance_prob : float
        The share of assignments accepted.
    df : int
        The criterion's degrees of freedom, k(A - 1) for k covariates and A arms.

    Returns
    -------
    float

    References
    ----------
    Morgan and Rubin (2012), Theorem 3.1.

    Examples
    --------
    >>> round(variance_reduction(0.1, 2), 3)
    0.052
    >>> variance_reduction(1 - 1e-12, 2) > 0.99
    True
    """
    acceptance_prob = check_probability(acceptance_prob, "acceptance_prob")
    df = check_positive_int(df, "df")
    threshold = stats.chi2.ppf(acceptance_prob, df)
    return float(stats.chi2.cdf(threshold, df + 2) / acceptance_prob)


@dataclass(frozen=True, eq=False, repr=False)
class Design:
    """A random-assignment design that knows its own randomization.

    Build one with :meth:`Design.complete`, :meth:`Design.blocked` or
    :meth:`Design.rerandomized`, not by calling the class. A design draws assignments
    (:meth:`draw_codes`, :meth:`draw`), counts and lists every possible assignment
    (:attr:`n_assignments`, :meth:`enumerate`) and gives each unit's probability of each
    condition (:attr:`probabilities`). Randomization inference draws its null assignments from
    the design that produced the data, so that the null keeps its counts, blocks and
    acceptance rule.

    Attributes
    ----------
    conditions : tuple
        The condition labels; assignment codes index this tuple.
    blocks : numpy.ndarray or None
        Each unit's block label, or None for a design without blocks.

    Examples
    --------
    >>> design = Design.complete(4, ("control", "treatment"))
    >>> design.n_assignments
    6
    >>> design.draw_codes(3, seed=1).shape
    (3, 4)

    References
    ----------
    Coppock, A. (2023). randomizr. Morgan, K. L., and Rubin, D. B. (2012). The Annals of
    Statistics 40(2): 1263-1282.
    """

    conditions: tuple
    blocks: np.ndarray | None
    # A _Plan and an optional _Balance; typed Any so that the private classes stay out of the
    # generated documentation.
    _plan: Any
    _balance: Any = None

    # -- equality: two designs are equal when they draw the same assignments -----------------

    def _key(self) -> tuple:
        plan, balance = self._plan, self._balance
        arrays = (plan.index, plan.sizes, plan.counts, plan.weights, plan.n_options)
        key = (
            tuple(str(c) for c in self.conditions),
            tuple(str(label) for label in plan.labels) if self.blocks is not None else None,
            tuple((a.shape, np.asarray(a, float).tobytes()) for a in arrays),
        )
        if balance is None:
            return (*key, None)
        b = balance
        return (*key, b.names, b.whitened.tobytes(), b.block_cov.tobytes(), b.threshold, b.df)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Design):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        return hash((tuple(str(c) for c in self.conditions), self.n))

    # -- constructors -----------------------------------------------------------------------

    @classmethod
    def complete(
        cls,
        n: int,
        conditions: Sequence[str] = TWO_ARMS,
        *,
        m_each: ArrayLike | None = None,
        prob_each: ArrayLike | None = None,
    ) -> Design:
        """Complete random assignment of ``n`` units, as randomizr's ``complete_ra``.

        Parameters
        ----------
        n : int
            Number of units.
        conditions : sequence of str
            Condition labels, at least two; by default ``("control", "treatment")``.
        m_each : sequence of int, optional
            Exact number of units for each condition; must sum to ``n``.
        prob_each : sequence of float, optional
            Probability of each condition, summing to 1. Each condition gets floor(n p) units
            and the remainder goes to distinct conditions drawn so that every unit's
            probability is exactly p (see the module notes). With neither ``m_each`` nor
            ``prob_each`` the conditions are equally likely.

        Returns
        -------
        Design

        Examples
        --------
        >>> Design.complete(10).n_assignments  # 10!/(5! 5!)
        252
        >>> Design.complete(5, ("control", "treatment"), m_each=[3, 2]).probabilities.iloc[0]
        control      0.6
        treatment    0.4
        Name: 0, dtype: float64
        """
        n = check_positive_int(n, "n")
        conditions = check_conditions(conditions)
        labels = np.array([0])
        index = np.zeros(n, dtype=np.intp)
        options, description = _block_options(labels, np.array([n]), conditions, m_each, prob_each)
        return cls(conditions, None, _make_plan(index, labels, options, description))

    @classmethod
    def blocked(
        cls,
        blocks: ArrayLike | str,
        conditions: Sequence[str] = TWO_ARMS,
        *,
        m_each: ArrayLike | Mapping | pd.DataFrame | None = None,
        prob_each: ArrayLike | Mapping | pd.DataFrame | None = None,
        data: pd.DataFrame | None = None,
    ) -> Design:
        """Complete random assignment within each block, as randomizr's ``block_ra``.

        Parameters
        ----------
        blocks : array-like or str
            Each unit's block label (for example the enumerator who interviewed it), or, with
            ``data``, the name of the column that holds them.
        conditions : sequence of str
            Condition labels, at least two; by default ``("control", "treatment")``.
        m_each : array-like, mapping or DataFrame, optional
            Counts per condition. A single vector applies to every block (each block must then
            have ``sum(m_each)`` units); per-block counts are a mapping ``{block: counts}``, a
            DataFrame indexed by block, or a 2-D array with one row per block in sorted block
            order (the order of :attr:`block_labels`), like randomizr's ``block_m_each``.
        prob_each : array-like, mapping or DataFrame, optional
            Probabilities per condition, applied within each block as in
            :meth:`Design.complete`; a single vector or per-block rows like ``m_each``. With
            neither, the conditions are equally likely within every block.
        data : pandas.DataFrame, optional
            The units, one row each, when ``blocks`` is a column name.

        Returns
        -------
        Design

        Examples
        --------
        >>> Design.blocked("class", data=pd.DataFrame({"class": list("AABB")})).n_assignments
        4
        >>> blocks = ["A", "A", "B", "B", "C", "C", "C"]
        >>> Design.blocked(blocks, ("control", "treatment")).n_assignments  # 2 x 2 x 6
        24
        >>> design = Design.blocked(blocks, ("control", "treatment"),
        ...                         m_each={"A": [1, 1], "B": [0, 2], "C": [2, 1]})
        >>> design.draw(1, seed=3)[0].tolist()[2:4]
        ['treatment', 'treatment']
        """
        conditions = check_conditions(conditions)
        values, index, labels = _check_blocks(_from_data(data, blocks, "blocks"))
        sizes = np.bincount(index, minlength=len(labels))
        options, description = _block_options(labels, sizes, conditions, m_each, prob_each)
        return cls(conditions, values, _make_plan(index, labels, options, description))

    @classmethod
    def from_assignment(
        cls,
        assignment: ArrayLike,
        conditions: Sequence[str] | None = None,
        *,
        blocks: ArrayLike | None = None,
    ) -> Design:
        """The complete (or, with ``blocks``, blocked) design that keeps an assignment's counts.

        This is the design randomization inference redraws from when only the realized
        assignment is known: the same number of units in each condition, overall or within
        each block.

        Parameters
        ----------
        assignment : array-like
            Each unit's condition label.
        conditions : sequence of str, optional
            The conditions, in the order the codes use; by default the sorted labels present.
        blocks : array-like, optional
            Each unit's block label.

        Returns
        -------
        Design

        Examples
        --------
        >>> design = Design.from_assignment(["t", "c", "c", "c", "t"], ("c", "t"))
        >>> design.n_assignments  # 5 choose 2
        10
        >>> blocked = Design.from_assignment(["t", "c", "c", "t"], ("c", "t"),
        ...                                  blocks=["a", "a", "b", "b"])
        >>> blocked.n_assignments
        4
        """
        labels = np.asarray(assignment, dtype=object)
        if labels.ndim != 1 or len(labels) == 0:
            raise ValueError(
                f"assignment must be a non-empty 1-D sequence of labels; got {labels!r}"
            )
        if conditions is None:
            conditions = tuple(sorted(pd.unique(labels), key=str))
        conditions = check_conditions(conditions)
        unknown = sorted({str(v) for v in labels} - {str(c) for c in conditions})
        if unknown:
            raise ValueError(
                f"assignment has label(s) {unknown} that are not among conditions {conditions}"
            )
        counts = [int((labels == c).sum()) for c in conditions]
        if blocks is None:
            return cls.complete(len(labels), conditions, m_each=counts)
        block_values = np.asarray(blocks, dtype=object)
        if block_values.shape != labels.shape:
            raise ValueError(
                f"blocks must have one label per unit ({len(labels)}); got {block_values.shape}"
            )
        per_block = {
            block: [int(((block_values == block) & (labels == c)).sum()) for c in conditions]
            for block in pd.unique(block_values)
        }
        return cls.blocked(block_values, conditions, m_each=per_block)

    @classmethod
    def rerandomized(
        cls,
        covariates: pd.DataFrame | ArrayLike | str | Sequence[str],
        conditions: Sequence[str] = TWO_ARMS,
        *,
        blocks: ArrayLike | str | None = None,
        m_each: ArrayLike | Mapping | pd.DataFrame | None = None,
        prob_each: ArrayLike | Mapping | pd.DataFrame | None = None,
        acceptance_prob: float = 0.1,
        max_draws: int = 100_000,
        data: pd.DataFrame | None = None,
    ) -> Design:
        """Rerandomization (Morgan and Rubin 2012): accept only well-balanced assignments.

        The base design is complete (or blocked, when ``blocks`` is given) random assignment
        with ``m_each`` / ``prob_each``. A draw is accepted when its balance criterion M is at
        most the threshold ``a``, the ``acceptance_prob`` quantile of the chi-square
        distribution with k(A - 1) degrees of freedom (k covariates, A conditions that can
        receive units), so that about a share ``acceptance_prob`` of draws are accepted.

        The criterion. For A conditions with n_a units and covariate means xbar_a,

            M = sum_a n_a (xbar_a - xbar)' S^-1 (xbar_a - xbar),

        with S the sample covariance matrix of the covariates. For two conditions this is
        Morgan and Rubin's M = n p (1 - p) (xbar_T - xbar_C)' S^-1 (xbar_T - xbar_C), with
        p = n_T / n. M is the Mahalanobis distance of the vector of arm sums from its
        expectation, measured with its exact randomization covariance given the counts, so it is
        asymptotically chi-square with k(A - 1) degrees of freedom. With blocks, covariates are
        centred within block and the same Mahalanobis distance is taken with the exact
        covariance of blocked assignment, sum_b (diag(n_b) - n_b n_b' / n_b) kron S_b, where
        S_b is block b's covariance and the vector n_b holds its counts. When every block gives
        the conditions the same shares, this is the formula above with S replaced by
        sum_b n_b S_b / n; with large blocks that is the sample covariance of the
        within-block-centred covariates. The exact form keeps the acceptance rate near
        ``acceptance_prob`` also with many small blocks, such as pairs. M is unchanged by
        rescaling or linearly recombining the covariates. In small samples M takes few values
        and the acceptance rate may differ from ``acceptance_prob``.

        Parameters
        ----------
        covariates : DataFrame, array-like, or column name(s)
            One row per unit (a 2-D array, or 1-D for one covariate), numeric, no missing
            values; with ``data``, the names of its columns that hold them.
        conditions : sequence of str
            Condition labels, at least two; by default ``("control", "treatment")``.
        blocks : array-like or str, optional
            Each unit's block label (or with ``data`` its column); the base design is then
            blocked.
        m_each, prob_each : optional
            Counts or probabilities of the base design, as in :meth:`Design.complete` and
            :meth:`Design.blocked`.
        acceptance_prob : float
            Target share of base draws accepted, strictly between 0 and 1.
        max_draws : int
            Most base draws per accepted assignment before drawing gives up with an error.
        data : pandas.DataFrame, optional
            The units, one row each, when ``covariates`` and ``blocks`` are column names.

        Returns
        -------
        Design

        Examples
        --------
        >>> import numpy as np
        >>> x = np.random.default_rng(0).normal(size=(40, 2))
        >>> design = Design.rerandomized(x, ("control", "treatment"), acceptance_prob=0.1)
        >>> round(design.threshold, 4)  # chi-square(2) quantile at 0.1
        0.2107
        >>> bool(np.all(design.criterion(design.draw_codes(50, seed=1)) <= design.threshold))
        True

        References
        ----------
        Morgan, K. L., and Rubin, D. B. (2012). Rerandomization to improve covariate balance in
        experiments. The Annals of Statistics 40(2): 1263-1282.
        """
        frame = _check_covariates(_from_data(data, covariates, "covariates"))
        if blocks is not None:
            blocks = _from_data(data, blocks, "blocks")
        acceptance_prob = check_probability(acceptance_prob, "acceptance_prob")
        max_draws = check_positive_int(max_draws, "max_draws")
        if blocks is None:
            base = cls.complete(frame.shape[0], conditions, m_each=m_each, prob_each=prob_each)
        else:
            base = cls.blocked(blocks, conditions, m_each=m_each, prob_each=prob_each)
            if base.n != frame.shape[0]:
                raise ValueError(
                    f"blocks has {base.n} labels but covariates has {frame.shape[0]} rows; "
                    f"give one block label per unit"
                )
        balance = _prepare_balance(frame, base._plan, acceptance_prob, max_draws)
        return cls(base.conditions, base.blocks, base._plan, balance)

    # -- what the design is -----------------------------------------------------------------

    @property
    def n(self) -> int:
        """Number of units."""
        return self._plan.n

    @property
    def kind(self) -> str:
        """``"complete"``, ``"blocked"`` or ``"rerandomized"``."""
        if self._balance is not None:
            return "rerandomized"
        return "complete" if self.blocks is None else "blocked"

    @property
    def block_labels(self) -> np.ndarray | None:
        """The distinct block labels in sorted order (the row order of per-block counts)."""
        return None if self.blocks is None else self._plan.labels

    @property
    def base(self) -> Design:
        """The design without the acceptance rule (the design itself if it has none)."""
        if self._balance is None:
            return self
        return Design(self.conditions, self.blocks, self._plan)

    @property
    def covariate_names(self) -> tuple[str, ...] | None:
        """Names of the balance covariates of a rerandomized design, else None."""
        return None if self._balance is None else self._balance.names

    @property
    def acceptance_prob(self) -> float | None:
        """Target acceptance probability of a rerandomized design, else None."""
        return None if self._balance is None else self._balance.acceptance_prob

    @property
    def threshold(self) -> float | None:
        """Largest accepted balance criterion of a rerandomized design, else None."""
        return None if self._balance is None else self._balance.threshold

    @property
    def criterion_df(self) -> int | None:
        """Degrees of freedom of the criterion's chi-square approximation, k(A - 1)."""
        return None if self._balance is None else self._balance.df

    @property
    def variance_reduction(self) -> float | None:
        """Morgan and Rubin's v_a for a rerandomized design, else None.

        See :func:`variance_reduction`.

        Examples
        --------
        >>> x = pd.DataFrame({"age": np.arange(40.0), "male": np.arange(40) % 2})
        >>> design = Design.rerandomized(x, ("control", "treatment"), acceptance_prob=0.1)
        >>> round(design.variance_reduction, 3)
        0.052
        """
        if self._balance is None:
            return None
        return variance_reduction(self._balance.acceptance_prob, self._balance.df)

    @property
    def n_assignments(self) -> int:
        """Number of distinct possible assignments, an exact Python int.

        The product over blocks of the number of distinct arrangements of each block's
        conditions, summed over the count vectors a block can receive (more than one under
        ``prob_each`` with a remainder). This is randomizr's ``obtain_num_permutations``
        whenever the remainder of a block is at most one unit and every condition has a
        positive fractional part; otherwise randomizr counts ordered remainder tuples, repeats
        included, and so counts more than the distinct reachable assignments counted here.
        For a rerandomized design this is the count of the base design: the accepted ones are
        the rows of :meth:`enumerate`.
        """
        return self._plan.n_assignments

    @property
    def equiprobable(self) -> bool:
        """Whether every possible assignment (every row of :meth:`enumerate`) is equally likely.

        True for fixed counts and equal probabilities; False when ``prob_each`` leaves a
        remainder whose count vectors have unequal probabilities per arrangement. Exact
        randomization inference must weight the rows by :meth:`enumerate_probabilities` then.
        """
        return self._plan.equiprobable

    @property
    def probabilities(self) -> pd.DataFrame:
        """Each unit's probability of each condition, an n x conditions DataFrame.

        Exact for complete and blocked designs: a unit's probability of a condition is the
        expected count of that condition in its block over the block's size. For a
        rerandomized design whose every block gives all conditions the same expected count, the
        base design's probabilities are exact as well: the design and the criterion are then
        unchanged by relabelling the conditions, so each unit is equally likely to be in each
        (the symmetry argument Morgan and Rubin 2012 make for equal-sized groups). Otherwise,
        for example with unequal arms, rerandomization can move the probabilities of units with
        unusual covariates, and they are estimated from 10,000 accepted draws with seed 0 (Monte
        Carlo standard error at most 0.005). ``attrs["method"]`` says which; the frame is a
        fresh copy on each access.

        Examples
        --------
        >>> Design.blocked(["a", "a", "b", "b", "b"], ("control", "treatment")).probabilities
           control  treatment
        0      0.5        0.5
        1      0.5        0.5
        2      0.5        0.5
        3      0.5        0.5
        4      0.5        0.5
        """
        return self._probabilities.copy()

    @cached_property
    def _probabilities(self) -> pd.DataFrame:
        plan = self._plan
        if self._balance is None or plan.symmetric:
            probs = (plan.expected_counts / plan.sizes[:, None])[plan.index]
            method = "exact" if self._balance is None else "exact (by symmetry)"
        else:
            codes = self.draw_codes(_PROBABILITY_DRAWS, seed=_PROBABILITY_SEED)
            probs = np.stack([(codes == a).mean(axis=0) for a in range(plan.n_arms)], axis=1)
            method = f"simulation ({_PROBABILITY_DRAWS} accepted draws, seed {_PROBABILITY_SEED})"
        frame = pd.DataFrame(probs, columns=list(self.conditions))
        frame.attrs["method"] = method
        return frame

    # -- drawing ----------------------------------------------------------------------------

    def draw_codes(self, reps: int = 1, *, seed: SeedLike = None) -> np.ndarray:
        """Draw ``reps`` assignments at once as integer codes indexing :attr:`conditions`.

        Vectorized: random keys sorted within blocks deal each block's conditions to its
        units, for all draws at once. A rerandomized design draws base assignments in
        batches, computes the criterion for the whole batch and keeps the accepted ones, in
        order, until it has ``reps``.

        Parameters
        ----------
        reps : int
            Number of assignments.
        seed : int, numpy.random.Generator or None
            Seed or generator; the same seed gives the same draws.

        Returns
        -------
        numpy.ndarray
            Shape (reps, n), dtype int8 (int16 beyond 127 conditions).

        Examples
        --------
        >>> codes = Design.complete(6, ("control", "treatment")).draw_codes(1000, seed=2)
        >>> codes.shape, codes.dtype.name, sorted(set(codes.sum(axis=1).tolist()))
        ((1000, 6), 'int8', [3])
        """
        reps = check_positive_int(reps, "reps")
        rng = as_generator(seed)
        if self._balance is None:
            return _draw_base(self._plan, reps, rng)
        return self._draw_accepted(reps, rng)[0]

    def draw(self, reps: int = 1, *, seed: SeedLike = None) -> np.ndarray:
        """Draw ``reps`` assignments at once as condition labels, shape (reps, n).

        Parameters
        ----------
        reps : int
            Number of assignments.
        seed : int, numpy.random.Generator or None
            Seed or generator.

        Returns
        -------
        numpy.ndarray
            Labels from :attr:`conditions`, shape (reps, n).

        Examples
        --------
        >>> Design.complete(4, ("control", "treatment")).draw(2, seed=5).shape
        (2, 4)
        """
        return _labels_array(self.conditions)[self.draw_codes(reps, seed=seed)]

    def _draw_accepted(
        self, reps: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Accepted codes, their criteria and the base draws used up to the last accepted one."""
        balance, plan = self._balance, self._plan
        budget = balance.max_draws * reps
        batch_cap = max(64, _CHUNK_ELEMENTS // (plan.n * plan.n_arms))
        kept_codes, kept_criteria = [], []
        got = drawn = 0
        smallest = np.inf
        while True:
            need = reps - got
            batch = min(
                budget - drawn, batch_cap, max(64, math.ceil(1.2 * need / balance.acceptance_prob))
            )
            codes = _draw_base(plan, batch, rng)
            criteria = _criterion(plan, balance, codes)
            smallest = min(smallest, float(criteria.min()))
            accepted = np.flatnonzero(criteria <= balance.threshold)[:need]
            kept_codes.append(codes[accepted])
            kept_criteria.append(criteria[accepted])
            got += accepted.size
            if got == reps:
                used = drawn + int(accepted[-1]) + 1
                return np.concatenate(kept_codes), np.concatenate(kept_criteria), used
            drawn += batch
            if drawn >= budget or (got == 0 and drawn >= balance.max_draws):
                raise ValueError(
                    f"rerandomization gave up after {drawn:,} draws (max_draws="
                    f"{balance.max_draws:,} per accepted assignment) with {got} of {reps} "
                    f"accepted; the smallest criterion was {smallest:.4g} against the threshold "
                    f"{balance.threshold:.4g}. Raise max_draws or acceptance_prob, or balance "
                    f"on fewer covariates"
                )

    # -- enumeration and balance ------------------------------------------------------------

    def _enumerate_with_probabilities(self, max_assignments: int) -> tuple[np.ndarray, np.ndarray]:
        max_assignments = check_positive_int(max_assignments, "max_assignments")
        total = self.n_assignments
        if total > max_assignments:
            raise ValueError(
                f"this design has {total:,} possible assignments, more than max_assignments="
                f"{max_assignments:,}; draw a sample of them with draw_codes() instead, or "
                f"raise max_assignments"
            )
        codes, probs = _enumerate_plan(self._plan)
        if self._balance is not None:
            keep = _criterion(self._plan, self._balance, codes) <= self._balance.threshold
            if not keep.any():
                raise ValueError(
                    f"none of the {total:,} possible assignments has a criterion within the "
                    f"threshold {self._balance.threshold:.4g}; raise acceptance_prob"
                )
            codes, probs = codes[keep], probs[keep] / probs[keep].sum()
        codes.setflags(write=False)
        return codes, probs

    def enumerate(self, max_assignments: int = 100_000) -> np.ndarray:
        """Every possible assignment exactly once, as codes, shape (n_assignments, n).

        The rows are the product over blocks of the distinct arrangements of each block's
        conditions. A rerandomized design keeps only the rows whose criterion is within the
        threshold, so it returns at most :attr:`n_assignments` rows. If the rows are not
        equally likely (see :attr:`equiprobable`), weight them by
        :meth:`enumerate_probabilities`.

        Parameters
        ----------
        max_assignments : int
            Refuse, with a ValueError, designs with more possible assignments than this.

        Returns
        -------
        numpy.ndarray
            Codes indexing :attr:`conditions`.

        Examples
        --------
        >>> Design.complete(4, ("control", "treatment")).enumerate()
        array([[0, 0, 1, 1],
               [0, 1, 0, 1],
               [0, 1, 1, 0],
               [1, 0, 0, 1],
               [1, 0, 1, 0],
               [1, 1, 0, 0]], dtype=int8)
        """
        return self._enumerate_with_probabilities(max_assignments)[0]

    def enumerate_probabilities(self, max_assignments: int = 100_000) -> np.ndarray:
        """The probability of each row of :meth:`enumerate`, in the same order (sums to 1).

        Parameters
        ----------
        max_assignments : int
            As in :meth:`enumerate`.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> p = Design.complete(3, ("control", "treatment")).enumerate_probabilities()
        >>> p.round(4).tolist()  # 1 or 2 treated, each with probability 1/2
        [0.1667, 0.1667, 0.1667, 0.1667, 0.1667, 0.1667]
        """
        return self._enumerate_with_probabilities(max_assignments)[1]

    def criterion(self, codes: ArrayLike) -> np.ndarray | float:
        """The balance criterion M of assignments of a rerandomized design.

        Parameters
        ----------
        codes : array-like of int
            One assignment (length n) or many (reps x n), as codes indexing
            :attr:`conditions`.

        Returns
        -------
        float or numpy.ndarray
            M for each assignment; see :meth:`Design.rerandomized` for its definition.

        Examples
        --------
        >>> import numpy as np
        >>> x = np.array([[1.0], [2.0], [3.0], [4.0]])
        >>> design = Design.rerandomized(x, ("control", "treatment"), acceptance_prob=0.5)
        >>> float(design.criterion([0, 1, 1, 0]))  # arms balanced: both means are 2.5
        0.0
        """
        if self._balance is None:
            raise ValueError(
                f"this {self.kind} design has no covariates; the criterion belongs to "
                f"designs built with Design.rerandomized"
            )
        array = np.asarray(codes)
        single = array.ndim == 1
        array = np.atleast_2d(array)
        if array.shape[1] != self.n or not np.issubdtype(array.dtype, np.integer):
            raise ValueError(
                f"codes must be integer codes of shape (n,) or (reps, n) with n={self.n}; got "
                f"shape {np.shape(codes)} and dtype {array.dtype}"
            )
        if array.min() < 0 or array.max() >= len(self.conditions):
            raise ValueError(f"codes must lie between 0 and {len(self.conditions) - 1}")
        values = _criterion(self._plan, self._balance, array)
        return float(values[0]) if single else values

    def __repr__(self) -> str:
        plan = self._plan
        total = plan.n_assignments
        count = f"{total:,}" if total < 10**15 else f"about {float(total):.3g}"
        within = f", {plan.n_blocks} blocks" if self.blocks is not None else ""
        base = (
            f"n={plan.n}{within}, conditions={self.conditions}, {plan.description}, "
            f"{count} possible assignments"
        )
        if self._balance is None:
            return f"Design({self.kind}: {base})"
        b = self._balance
        return (
            f"Design(rerandomized: {base}; balance on {list(b.names)}, acceptance_prob="
            f"{b.acceptance_prob:g}, accept M <= {b.threshold:.4g} (chi-square, {b.df} df))"
        )


@dataclass(frozen=True, eq=False, repr=False)
class RerandomizationResult:
    """An accepted rerandomized assignment.

    Attributes
    ----------
    assignment : numpy.ndarray
        The accepted assignment, one condition label per unit.
    criterion : float
        Its balance criterion M.
    threshold : float
        The largest accepted M.
    reps : int
        How many base assignments were drawn, the accepted one included.
    design : Design
        The rerandomized design, from which randomization inference draws.
    """

    assignment: np.ndarray
    criterion: float
    threshold: float
    reps: int
    design: Design

    @property
    def table(self) -> pd.DataFrame:
        """One row per unit (in the order of the design's units), with its ``condition``."""
        return pd.DataFrame(
            {"condition": self.assignment}, index=pd.RangeIndex(len(self.assignment), name="unit")
        )

    def _repr_html_(self) -> str:
        return result_html(f"Rerandomized assignment\n{self!r}", self.table)

    def __repr__(self) -> str:
        counts = pd.Series(self.assignment).value_counts().reindex(self.design.conditions)
        shares = ", ".join(f"{c}: {int(v)}" for c, v in counts.fillna(0).items())
        return (
            f"RerandomizationResult(criterion={self.criterion:.4g} <= threshold="
            f"{self.threshold:.4g}, accepted on draw {self.reps:,}; {shares})"
        )


# --------------------------------------------------------------------------------------------
# The randomizr-style functions
# --------------------------------------------------------------------------------------------


def complete_ra(
    n: int,
    conditions: Sequence[str] = TWO_ARMS,
    *,
    m_each: ArrayLike | None = None,
    prob_each: ArrayLike | None = None,
    seed: SeedLike = None,
) -> np.ndarray:
    """Complete random assignment: fixed numbers of units in each condition.

    Parameters
    ----------
    n : int
        Number of units.
    conditions : sequence of str
        Condition labels; by default ``("control", "treatment")``, as in randomizr.
    m_each : sequence of int, optional
        Exact number of units per condition, summing to ``n``.
    prob_each : sequence of float, optional
        Probability of each condition, summing to 1: each condition gets floor(n p) units
        and the remainder goes to distinct conditions at random, so that every unit's
        probability is exactly p. With neither argument, the conditions are equally likely.
    seed : int, numpy.random.Generator or None
        Seed or generator.
    data : pandas.DataFrame, optional
        The units, one row each, when ``blocks`` is a column name.

    Returns
    -------
    numpy.ndarray
        One condition label per unit.

    Examples
    --------
    >>> z = complete_ra(10, seed=42)
    >>> sorted((str(c), int((z == c).sum())) for c in set(z))
    [('control', 5), ('treatment', 5)]
    >>> complete_ra(4, ("control", "treatment"), m_each=[1, 3], seed=1).tolist().count("treatment")
    3

    References
    ----------
    Coppock, A. (2023). randomizr: ``complete_ra``.
    """
    return Design.complete(n, conditions, m_each=m_each, prob_each=prob_each).draw(1, seed=seed)[0]


def block_ra(
    blocks: ArrayLike,
    conditions: Sequence[str] = TWO_ARMS,
    *,
    m_each: ArrayLike | Mapping | pd.DataFrame | None = None,
    prob_each: ArrayLike | Mapping | pd.DataFrame | None = None,
    seed: SeedLike = None,
    data: pd.DataFrame | None = None,
) -> np.ndarray:
    """Block random assignment: complete random assignment within each block.

    Parameters
    ----------
    blocks : array-like or str
        Each unit's block label, for example the enumerator who interviewed the respondent;
        with ``data``, the name of the column that holds them.
    conditions : sequence of str
        Condition labels; by default ``("control", "treatment")``, as in randomizr.
    m_each : array-like, mapping or DataFrame, optional
        Counts per condition: one vector for every block, or per-block rows
        (``{block: counts}``, a DataFrame indexed by block, or a 2-D array in sorted block
        order), as randomizr's ``block_m_each``.
    prob_each : array-like, mapping or DataFrame, optional
        Probabilities per condition applied within each block, as in :func:`complete_ra`;
        one vector or per-block rows.
    seed : int, numpy.random.Generator or None
        Seed or generator.

    Returns
    -------
    numpy.ndarray
        One condition label per unit.

    Examples
    --------
    >>> blocks = ["A"] * 4 + ["B"] * 6
    >>> z = block_ra(blocks, ("control", "treatment"), seed=7)
    >>> [int((z[:4] == "treatment").sum()), int((z[4:] == "treatment").sum())]
    [2, 3]

    References
    ----------
    Coppock, A. (2023). randomizr: ``block_ra``.
    """
    design = Design.blocked(blocks, conditions, m_each=m_each, prob_each=prob_each, data=data)
    return design.draw(1, seed=seed)[0]


def rerandomize(
    covariates: pd.DataFrame | ArrayLike | str | Sequence[str],
    conditions: Sequence[str] = TWO_ARMS,
    *,
    blocks: ArrayLike | str | None = None,
    m_each: ArrayLike | Mapping | pd.DataFrame | None = None,
    prob_each: ArrayLike | Mapping | pd.DataFrame | None = None,
    acceptance_prob: float = 0.1,
    seed: SeedLike = None,
    max_draws: int = 100_000,
    data: pd.DataFrame | None = None,
) -> RerandomizationResult:
    """Rerandomization (Morgan and Rubin 2012): draw until the covariates are balanced.

    Draws complete (or, with ``blocks``, blocked) assignments until one has a Mahalanobis
    balance criterion M within the threshold implied by ``acceptance_prob``: the chi-square
    quantile with k(A - 1) degrees of freedom. For A conditions,
    M = sum_a n_a (xbar_a - xbar)' S^-1 (xbar_a - xbar), which for two conditions is Morgan and
    Rubin's n p (1 - p) (xbar_T - xbar_C)' S^-1 (xbar_T - xbar_C); see
    :meth:`Design.rerandomized` for the details and the blocked form.

    Parameters
    ----------
    covariates : DataFrame, array-like, or column name(s)
        One row per unit (a 2-D array, or 1-D for one covariate), numeric, no missing values;
        with ``data``, the names of its columns that hold them.
    conditions : sequence of str
        Condition labels; by default ``("control", "treatment")``, as in randomizr.
    blocks : array-like or str, optional
        Each unit's block label, or with ``data`` the name of its column.
    m_each, prob_each : optional
        Counts or probabilities of the base design, as in :func:`complete_ra` and
        :func:`block_ra`.
    acceptance_prob : float
        Target share of draws accepted.
    seed : int, numpy.random.Generator or None
        Seed or generator.
    max_draws : int
        Most draws before giving up with a ValueError.
    data : pandas.DataFrame, optional
        The units, one row each, when ``covariates`` and ``blocks`` are column names.

    Returns
    -------
    RerandomizationResult
        The assignment, its criterion, the threshold, the number of draws and the design.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(30, 3))
    >>> result = rerandomize(x, acceptance_prob=0.05, seed=1)
    >>> result.criterion <= result.threshold, result.design.criterion_df
    (True, 3)

    References
    ----------
    Morgan, K. L., and Rubin, D. B. (2012). Rerandomization to improve covariate balance in
    experiments. The Annals of Statistics 40(2): 1263-1282.
    """
    design = Design.rerandomized(
        covariates,
        conditions,
        blocks=blocks,
        m_each=m_each,
        prob_each=prob_each,
        acceptance_prob=acceptance_prob,
        max_draws=max_draws,
        data=data,
    )
    codes, criteria, reps = design._draw_accepted(1, as_generator(seed))
    return RerandomizationResult(
        assignment=_labels_array(design.conditions)[codes[0]],
        criterion=float(criteria[0]),
        threshold=float(design.threshold),
        reps=reps,
        design=design,
    )
