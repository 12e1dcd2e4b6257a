"""Randomization inference: test a sharp null by redrawing assignments from the design.

Under a sharp null hypothesis every unit's outcome under any assignment is known, so the
distribution of the test statistic over the assignments the design could have produced is known
too. :func:`randomization_inference` computes it exactly when the assignments are few and by
Monte Carlo otherwise, redrawing from the design rather than shuffling a column (the book's API
page says how, and why that matters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._linalg import ols_coefficients, regressor_basis, regressor_matrix
from ._validation import (
    as_column_list,
    as_generator,
    check_columns,
    check_dataframe,
    check_defined_statistics,
    check_finite_number,
    check_labels_present,
    check_numeric,
    check_positive_int,
    check_probability,
    check_single_column,
    check_varies,
)
from .randomization import Design
from .results import Exclusions, drop_missing, result_html

__all__ = [
    "ConfidenceSet",
    "RandomizationInferenceResult",
    "randomization_confidence_set",
    "randomization_inference",
]

STATISTICS = ("ols", "difference_in_means")

#: Null statistics this close to the observed one count as ties (as at least as extreme).
TIE_TOLERANCE = 1e-10


@dataclass(frozen=True)
class RandomizationInferenceResult:
    """The observed statistic, its randomization distribution and the p-value.

    Attributes
    ----------
    term : str
        The condition whose effect (against the control condition) was tested.
    statistic : str
        "ols" or "difference_in_means".
    observed : float
        The statistic on the actual assignment.
    null_effect : float
        The constant effect under the sharp null hypothesis.
    null_distribution : numpy.ndarray
        The statistic under every enumerated assignment, or under each Monte Carlo draw.
    p_value : float
        Two-sided: the share of the null distribution at least as far from ``null_effect`` as
        the observed statistic. Monte Carlo p-values are (1 + count) / (1 + reps).
    exact : bool
        Whether every possible assignment was enumerated.
    n_assignments : int
        How many assignments the design could produce.
    exclusions : Exclusions
        Rows excluded for missing values.
    n_undefined : int
        Redrawn assignments (from a ``design``) under which the statistic is undefined, for
        example because an arm has no complete row; they are left out of the null distribution.
    nobs : int
        Units in the two arms with complete rows (with a ``design``, all complete rows).
    """

    term: str
    statistic: str
    observed: float
    null_effect: float
    null_distribution: np.ndarray
    p_value: float
    exact: bool
    n_assignments: int
    exclusions: Exclusions
    n_undefined: int = 0
    nobs: int = 0

    @property
    def reps(self) -> int:
        """The number of assignments in the null distribution."""
        return len(self.null_distribution)

    @property
    def table(self) -> pd.DataFrame:
        """A one-row tidy summary."""
        return pd.DataFrame(
            {
                "estimate": [self.observed],
                "null_effect": [self.null_effect],
                "p_value": [self.p_value],
                "reps": [self.reps],
                "exact": [self.exact],
            },
            index=pd.Index([self.term], name="term"),
        )

    def plot(self, ax=None, *, bins: int | str = "auto"):
        """Histogram of the null distribution with the observed statistic marked.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is made if omitted.
        bins : int, sequence or str
            Passed to matplotlib's ``hist``, or "values" for one bar per value the statistic
            takes: a statistic on a coarse outcome takes evenly spaced values, and bins that do
            not line up with them show alternating bar heights.

        Returns
        -------
        matplotlib.axes.Axes
        """
        from .plotting import null_distribution

        return null_distribution(self, bins=bins, ax=ax)

    def _repr_html_(self) -> str:
        return result_html(f"Randomization inference\n{self!r}", self.table)

    def __repr__(self) -> str:
        kind = "exact, all" if self.exact else "Monte Carlo,"
        return (
            f"Randomization inference for {self.term!r} ({self.statistic}): "
            f"observed {self.observed:.4f}, p = {self.p_value:.4g} "
            f"({kind} {self.reps:,} assignments; sharp null of effect {self.null_effect}). "
            f"{self.exclusions.note}"
        )


def _statistic_function(
    statistic: str,
    y0: np.ndarray,
    is_treated: np.ndarray,
    block_codes: np.ndarray | None,
    basis: np.ndarray,
):
    """Return f(treated_matrix) -> statistic for every row, for outcomes ``y0`` under the null.

    The blocked difference in means is linear in the assignment when the block counts are
    fixed: sum_b (n_b/N) (d_b'y_b / n_tb - (1 - d_b)'y_b / n_cb) = d'(a * y) - offset.
    """
    if statistic == "ols":
        return lambda d: ols_coefficients(y0, d, basis)
    y0 = y0 - np.median(y0)  # exact, and no coefficient changes; keeps the digits
    codes = np.zeros(len(y0), dtype=int) if block_codes is None else block_codes
    n = len(y0)
    a = np.empty(n)
    offset = 0.0
    for code in np.unique(codes):
        inside = codes == code
        n_b, n_t = inside.sum(), is_treated[inside].sum()
        a[inside] = (n_b / n) * (1 / n_t + 1 / (n_b - n_t))
        offset += (n_b / n) * y0[inside].sum() / (n_b - n_t)
    return lambda d: np.asarray(d, dtype=float) @ (a * y0) - offset


def _check_arms_present(kept: pd.DataFrame, is_treated: np.ndarray, block_col, treated, control):
    """Every block (or the whole sample) needs a unit of each arm, or the statistic is undefined."""
    groups = [("the data", np.ones(len(kept), bool))]
    if block_col is not None:
        values = kept[block_col].to_numpy()
        groups = [(f"block {b!r}", values == b) for b in pd.unique(values)]
    for where, inside in groups:
        n_t, n_c = int(is_treated[inside].sum()), int((~is_treated[inside]).sum())
        if min(n_t, n_c) == 0:
            raise ValueError(
                f"{where} has {n_t} unit(s) in {treated!r} and {n_c} in {control!r} with a "
                f"complete row; the statistic needs at least one of each"
            )


def _check_exact(exact: bool | str) -> bool | str:
    if isinstance(exact, (bool, np.bool_)):
        return bool(exact)
    if not isinstance(exact, str):
        raise TypeError(f"exact must be 'auto', True or False; got {exact!r}")
    if exact != "auto":
        raise ValueError(f"exact must be 'auto', True or False; got {exact!r}")
    return exact


@dataclass(frozen=True)
class _Pairwise:
    """The two arms' complete rows, and the two-arm design that keeps their counts."""

    data: pd.DataFrame
    kept: pd.DataFrame
    exclusions: Exclusions
    y: np.ndarray
    is_treated: np.ndarray
    block_codes: np.ndarray | None
    basis: np.ndarray
    design: Design
    statistic: str
    fixed: list[str]
    covariates: list[str]

    @classmethod
    def prepare(
        cls, data, outcome, condition, treated, control, blocks, fixed_effects, covariates,
        statistic,
    ) -> _Pairwise:  # fmt: skip
        """Validate the arguments shared by the pairwise tests, once, at the front door."""
        data = check_dataframe(data)
        check_columns(data, [outcome], "outcome")
        check_columns(data, [condition], "condition")
        check_numeric(data, outcome)
        block = check_single_column(blocks, "blocks")
        block_cols = [] if block is None else [block]
        fixed = as_column_list(fixed_effects, "fixed_effects")
        covs = as_column_list(covariates, "covariates")
        check_columns(data, block_cols, "blocks")
        check_columns(data, fixed, "fixed effect")
        check_columns(data, covs, "covariate")
        for column in covs:
            check_numeric(data, column)
        check_labels_present(data, condition, [treated, control])
        if treated == control:
            raise ValueError(
                f"treated and control must be different conditions; both are {treated!r}"
            )
        if statistic not in STATISTICS:
            raise ValueError(f"statistic must be one of {STATISTICS}; got {statistic!r}")
        if statistic == "difference_in_means" and (fixed or covs):
            raise ValueError(
                "statistic='difference_in_means' takes no fixed_effects or covariates; "
                "use statistic='ols' to adjust for them"
            )
        in_arms = data[data[condition].isin([treated, control])]
        kept, exclusions = drop_missing(in_arms, [outcome, *block_cols, *fixed, *covs])
        exclusions = Exclusions(len(data), exclusions.n_excluded, exclusions.by_column)
        is_treated = (kept[condition] == treated).to_numpy()
        _check_arms_present(kept, is_treated, block, treated, control)
        check_varies(
            kept[outcome].to_numpy(float), outcome, where=f" in {treated!r} and {control!r}"
        )
        block_codes = pd.factorize(kept[block], sort=True)[0] if block else None
        return cls(
            data=data,
            kept=kept,
            exclusions=exclusions,
            y=kept[outcome].to_numpy(float),
            is_treated=is_treated,
            block_codes=block_codes,
            basis=regressor_basis(kept, fixed, covs),
            design=_two_arm_design(is_treated, block_codes, control, treated),
            statistic=statistic,
            fixed=fixed,
            covariates=covs,
        )

    def statistic_function(self, outcomes: np.ndarray):
        """f(treated indicators, one row per assignment) -> the statistic on ``outcomes``."""
        return _statistic_function(
            self.statistic, outcomes, self.is_treated, self.block_codes, self.basis
        )

    def draws(self, exact, reps: int, rng: np.random.Generator) -> tuple[np.ndarray, bool]:
        """Every assignment (when few enough) or ``reps`` random ones, as treated indicators."""
        n_assignments = self.design.n_assignments
        use_exact = _use_exact(exact, n_assignments, reps)
        if use_exact:
            return self.design.enumerate(max_assignments=n_assignments) == 1, True
        return self.design.draw_codes(reps, seed=rng) == 1, False


def randomization_inference(
    data: pd.DataFrame,
    outcome: str,
    condition: str,
    treated: str,
    control: str,
    *,
    blocks: str | None = None,
    fixed_effects: str | Sequence[str] | None = None,
    covariates: str | Sequence[str] | None = None,
    statistic: str = "ols",
    reps: int = 10_000,
    exact: bool | str = "auto",
    null_effect: float = 0.0,
    design: Design | None = None,
    seed: int | np.random.Generator | None = None,
) -> RandomizationInferenceResult:
    """Test the sharp null of a constant effect of ``treated`` against ``control``.

    The two arms' units are re-randomized between them (within blocks when ``blocks`` is
    given), or, with ``design``, whole assignments are redrawn from that design. The p-value is
    two-sided: exact when every assignment is enumerated, ``(1 + count) / (1 + reps)`` by Monte
    Carlo. The book's API page gives the details.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    outcome, condition : str
        The outcome column and the column of condition labels.
    treated, control : str
        The two conditions compared.
    blocks : str, optional
        Column of the blocks within which the assignment was randomized.
    fixed_effects : str or list of str, optional
        Fixed effects in the OLS statistic (for example the enumerator).
    covariates : str or list of str, optional
        Numeric covariates in the OLS statistic.
    statistic : {"ols", "difference_in_means"}
        The OLS coefficient on the treated indicator (with the fixed effects and covariates),
        or the difference in means (blocked, with n_b/N weights, when ``blocks`` is given).
    reps : int
        Monte Carlo draws, and the largest number of assignments enumerated exactly.
    exact : {"auto", True, False}
        "auto" enumerates when the assignments number no more than ``reps``; True insists
        (an error if there are too many); False always draws.
    null_effect : float
        The constant effect under the sharp null.
    design : Design, optional
        The design the whole assignment came from, aligned with the rows of ``data``.
    seed : int or numpy.random.Generator, optional
        For the Monte Carlo draws.

    Returns
    -------
    RandomizationInferenceResult

    References
    ----------
    Gerber and Green (2012), *Field Experiments*, ch. 3; Young (2019); R's ri2.

    Examples
    --------
    Gerber and Green's Table 2.2 schedule with units 1 and 7 treated: all 21 assignments.

    >>> frame = pd.DataFrame({"y": [15, 15, 20, 20, 10, 15, 30],
    ...                       "arm": ["t", "c", "c", "c", "c", "c", "t"]})
    >>> result = randomization_inference(frame, "y", "arm", "t", "c")
    >>> result.observed, result.exact, result.reps, round(result.p_value * 21)
    (6.5, True, 21, 8)
    """
    null_effect = check_finite_number(null_effect, "null_effect")
    setup = _Pairwise.prepare(
        data, outcome, condition, treated, control, blocks, fixed_effects, covariates, statistic
    )
    reps = check_positive_int(reps, "reps")
    exact = _check_exact(exact)
    rng = as_generator(seed)
    if design is not None:
        return _randomization_inference_from_design(
            setup.data, outcome, condition, treated, control, setup.fixed, setup.covariates,
            statistic, reps, exact, null_effect, design, rng,
        )  # fmt: skip

    y0 = setup.y - null_effect * setup.is_treated
    compute = setup.statistic_function(y0)
    observed = float(compute(setup.is_treated[None, :])[0] + null_effect)
    draws, use_exact = setup.draws(exact, reps, rng)
    null = compute(draws) + null_effect
    check_defined_statistics(np.append(null, observed), f"the {statistic} statistic")
    return RandomizationInferenceResult(
        term=treated,
        statistic=statistic,
        observed=observed,
        null_effect=null_effect,
        null_distribution=null,
        p_value=_p_value(null, observed, null_effect, use_exact),
        exact=use_exact,
        n_assignments=setup.design.n_assignments,
        exclusions=setup.exclusions,
        nobs=len(setup.kept),
    )


def _two_arm_design(
    is_treated: np.ndarray, block_codes: np.ndarray | None, control: str, treated: str
) -> Design:
    """The design that re-randomizes the two arms' units with the observed counts."""
    labels = np.where(is_treated, treated, control)
    return Design.from_assignment(labels, (control, treated), blocks=block_codes)


def _use_exact(exact: bool | str, n_assignments: int, reps: int) -> bool:
    if exact is True and n_assignments > reps:
        raise ValueError(
            f"exact=True asks for all {n_assignments:,} assignments, more than reps={reps:,}; "
            f"raise reps or use exact='auto'"
        )
    return exact is True or (exact == "auto" and n_assignments <= reps)


def _p_value(
    null: np.ndarray,
    observed: float,
    null_effect: float,
    exact: bool,
    weights: np.ndarray | None = None,
) -> float:
    """Two-sided p-value; exact ones weight the assignments by their probabilities if given."""
    extreme = np.abs(null - null_effect) >= np.abs(observed - null_effect) - TIE_TOLERANCE
    if exact:
        return float(extreme.mean() if weights is None else weights @ extreme)
    return float((1 + extreme.sum()) / (1 + len(null)))


def _randomization_inference_from_design(
    data, outcome, condition, treated, control, fixed, covs, statistic,
    reps, exact, null_effect, design, rng,
) -> RandomizationInferenceResult:  # fmt: skip
    """Redraw the whole assignment from ``design``; weight each draw's two arms' units."""
    if null_effect != 0:
        raise ValueError(
            "with a design, the null is that no condition has any effect; null_effect must be 0"
        )
    if design.n != len(data):
        raise ValueError(
            f"design has {design.n} units but data has {len(data)} rows; they must align"
        )
    missing = [label for label in (treated, control) if label not in design.conditions]
    if missing:
        raise ValueError(
            f"condition {missing[0]!r} is not among the design's conditions {design.conditions}"
        )
    actual = _actual_codes(data[condition], design)
    used = [outcome, *fixed, *covs]
    complete = ~data[used].isna().any(axis=1).to_numpy()
    _, exclusions = drop_missing(data, used)
    y = data[outcome].to_numpy(float, na_value=np.nan)
    y = np.where(complete, y - np.median(y[complete]), 0.0)
    t_code = design.conditions.index(treated)
    c_code = design.conditions.index(control)
    regressors, _ = regressor_matrix(data, fixed, covs)
    if statistic == "ols":

        def compute(codes: np.ndarray) -> np.ndarray:
            return _weighted_ols_coefficients(y, codes, t_code, c_code, complete, regressors)

    else:

        def compute(codes: np.ndarray) -> np.ndarray:
            d = (codes == t_code) & complete
            c = (codes == c_code) & complete
            with np.errstate(divide="ignore", invalid="ignore"):
                return (d @ y) / d.sum(axis=1) - (c @ y) / c.sum(axis=1)

    observed = float(compute(actual[None, :])[0])
    if not np.isfinite(observed):
        raise ValueError(
            f"the statistic is undefined for the actual assignment: {treated!r} and {control!r} "
            f"need complete rows, and the treated indicator must not be collinear with the "
            f"fixed effects and covariates"
        )
    n_assignments = design.n_assignments
    use_exact = _use_exact(exact, n_assignments, reps)
    weights = None
    if use_exact:
        codes = design.enumerate(max_assignments=n_assignments)
        if not design.equiprobable:
            weights = design.enumerate_probabilities(max_assignments=n_assignments)
    else:
        codes = design.draw_codes(reps, seed=rng)
    null = compute(codes)
    defined = np.isfinite(null)
    if weights is not None:
        weights = weights[defined] / weights[defined].sum()
    null = null[defined]
    return RandomizationInferenceResult(
        term=treated,
        statistic=statistic,
        observed=observed,
        null_effect=0.0,
        null_distribution=null,
        p_value=_p_value(null, observed, 0.0, use_exact, weights),
        exact=use_exact,
        n_assignments=len(codes) if use_exact else n_assignments,
        exclusions=exclusions,
        n_undefined=int((~defined).sum()),
        nobs=int(complete.sum()),
    )


def _actual_codes(labels: pd.Series, design: Design) -> np.ndarray:
    """The actual assignment as the design's codes, checked to be one the design could give."""
    code_of = {label: code for code, label in enumerate(design.conditions)}
    unknown = labels[~labels.isin(list(design.conditions))]
    if len(unknown):
        raise ValueError(
            f"{len(unknown)} row(s) have a condition the design does not have "
            f"(first {unknown.iloc[0]!r}); the design's conditions are {design.conditions}"
        )
    actual = np.array([code_of[label] for label in labels])
    blocks = np.zeros(design.n, int) if design.blocks is None else np.asarray(design.blocks)
    expected = design.probabilities.groupby(blocks).sum()
    counts = pd.crosstab(blocks, actual).reindex(
        index=expected.index, columns=range(len(design.conditions)), fill_value=0
    )
    gap = np.abs(counts.to_numpy() - expected.to_numpy())
    if (gap >= 1 - 1e-9).any():
        block, arm = np.argwhere(gap >= 1 - 1e-9)[0]
        where = "" if design.blocks is None else f" in block {expected.index[block]!r}"
        raise ValueError(
            f"the actual assignment puts {counts.iloc[block, arm]} unit(s) in "
            f"{design.conditions[arm]!r}{where}, but the design gives about "
            f"{expected.iloc[block, arm]:.2f}: it cannot have produced this assignment"
        )
    if design.threshold is not None:
        criterion = float(np.asarray(design.criterion(actual[None, :])).ravel()[0])
        if criterion > design.threshold + 1e-9:
            raise ValueError(
                f"the actual assignment's balance criterion {criterion:.4g} exceeds the design's "
                f"threshold {design.threshold:.4g}: the rerandomized design would have rejected it"
            )
    return actual


def _weighted_ols_coefficients(
    y: np.ndarray,
    codes: np.ndarray,
    t_code: int,
    c_code: int,
    complete: np.ndarray,
    regressors: np.ndarray,
) -> np.ndarray:
    """OLS coefficient on the treated indicator among each draw's two arms' units, batched.

    Each draw keeps a different set of units W, so each needs its own fit: with Z the other
    regressors, the coefficient is (d'Wy - d'WZ (Z'WZ)^+ Z'Wy) / (d'Wd - d'WZ (Z'WZ)^+ Z'Wd),
    computed for all draws at once. A draw whose denominator vanishes (an arm without complete
    units, or the indicator collinear with a fixed effect in that draw) gets NaN.
    """
    w = ((codes == t_code) | (codes == c_code)) & complete
    d = ((codes == t_code) & w).astype(float)
    wf = w.astype(float)
    z = regressors
    ztz_pinv = np.linalg.pinv(np.einsum("rn,ni,nj->rij", wf, z, z, optimize=True), hermitian=True)
    dz = d @ z
    zy = wf @ (z * y[:, None])
    dwd = d.sum(axis=1)
    denominator = dwd - np.einsum("ri,rij,rj->r", dz, ztz_pinv, dz)
    numerator = d @ y - np.einsum("ri,rij,rj->r", dz, ztz_pinv, zy)
    undefined = denominator <= 1e-9 * np.maximum(dwd, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(undefined, np.nan, numerator / denominator)


@dataclass(frozen=True)
class ConfidenceSet:
    """The effects a randomization test does not reject: a confidence set by test inversion.

    Attributes
    ----------
    term : str
        The condition whose effect (against control) was tested.
    estimate : float
        The statistic on the actual assignment.
    table : pandas.DataFrame
        Indexed by ``null_effect``, the p-value of the sharp null of each constant effect.
    alpha : float
        The level of each test; the set has confidence 1 - alpha.
    conf_low, conf_high : float
        The smallest and largest effects on the grid that are not rejected (NaN if none).
    exact : bool
        Whether every assignment was enumerated.
    reps : int
        How many assignments each p-value is computed from.
    exclusions : Exclusions
        Rows excluded for missing values.
    """

    term: str
    estimate: float
    table: pd.DataFrame
    alpha: float
    conf_low: float
    conf_high: float
    exact: bool
    reps: int
    exclusions: Exclusions

    @property
    def reaches_grid_edge(self) -> bool:
        """Whether a grid end is not rejected, so the set may extend beyond the grid."""
        accepted = self.table["p_value"].to_numpy() > self.alpha
        return bool(accepted[0] or accepted[-1])

    def plot(self, ax=None, **kwargs):
        """The p-value of each hypothesized effect (:func:`consentlib.plotting.p_value_function`).

        Returns
        -------
        matplotlib.axes.Axes
        """
        from .plotting import p_value_function

        return p_value_function(
            self.table.index.to_numpy(),
            self.table["p_value"].to_numpy(),
            alpha=self.alpha,
            estimate=self.estimate,
            ax=ax,
            **kwargs,
        )

    def _repr_html_(self) -> str:
        return result_html(f"Randomization confidence set\n{self!r}", self.table)

    def __repr__(self) -> str:
        edge = " It reaches the grid's edge: widen the grid." if self.reaches_grid_edge else ""
        return (
            f"{1 - self.alpha:.0%} randomization confidence set for {self.term!r}: "
            f"[{self.conf_low:.4g}, {self.conf_high:.4g}] on a grid of {len(self.table)} "
            f"effects (estimate {self.estimate:.4g}; {self.reps:,} assignments each).{edge}"
        )


def randomization_confidence_set(
    data: pd.DataFrame,
    outcome: str,
    condition: str,
    treated: str,
    control: str,
    *,
    grid: Sequence[float],
    alpha: float = 0.05,
    blocks: str | None = None,
    fixed_effects: str | Sequence[str] | None = None,
    covariates: str | Sequence[str] | None = None,
    statistic: str = "ols",
    reps: int = 10_000,
    exact: bool | str = "auto",
    seed: int | np.random.Generator | None = None,
) -> ConfidenceSet:
    """Invert randomization tests of constant effects into a confidence set.

    Each value tau on ``grid`` is tested as in :func:`randomization_inference` with
    ``null_effect=tau``; the set is the values whose p-value exceeds ``alpha``. Every test uses
    the same assignments, and the whole grid is computed at once: both statistics are linear in
    the outcome, so under the hypothesis tau the statistic of a redrawn assignment D* is
    T(Y, D*) - tau * T(D, D*) + tau, where D is the actual assignment.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit; ``outcome``, ``condition``, ``treated``, ``control``, ``blocks``,
        ``fixed_effects``, ``covariates``, ``statistic``, ``reps``, ``exact`` and ``seed`` are
        as in :func:`randomization_inference`.
    grid : sequence of float
        The hypothesized constant effects, in increasing order.
    alpha : float
        The level of each test.

    Returns
    -------
    ConfidenceSet

    References
    ----------
    Gerber and Green (2012), *Field Experiments*, section 3.5.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [15, 15, 20, 20, 10, 15, 30],
    ...                       "arm": ["t", "c", "c", "c", "c", "c", "t"]})
    >>> result = randomization_confidence_set(frame, "y", "arm", "t", "c",
    ...                                       grid=np.arange(-10, 21, 1.0), alpha=0.2)
    >>> result.estimate, result.exact
    (6.5, True)
    """
    check_probability(alpha, "alpha")
    values = np.asarray(grid, dtype=float)
    if values.ndim != 1 or len(values) < 2 or not np.all(np.isfinite(values)):
        raise ValueError(f"grid must be two or more finite numbers; got {grid!r}")
    if np.any(np.diff(values) <= 0):
        raise ValueError("grid must be in strictly increasing order")
    setup = _Pairwise.prepare(
        data, outcome, condition, treated, control, blocks, fixed_effects, covariates, statistic
    )
    reps = check_positive_int(reps, "reps")
    draws, use_exact = setup.draws(_check_exact(exact), reps, as_generator(seed))
    on_outcome = setup.statistic_function(setup.y)
    on_assignment = setup.statistic_function(setup.is_treated.astype(float))
    observed = float(on_outcome(setup.is_treated[None, :])[0])
    a, b = on_outcome(draws), on_assignment(draws)
    check_defined_statistics(np.append(b, observed), f"the {statistic} statistic")
    # Far from the estimate the test compares |b| with 1 (the actual assignment's own value):
    # if even an infinite effect keeps a p-value above alpha, the set is unbounded whatever
    # the data, and its ends on the grid would be the grid's.
    p_far = _p_value(b, 1.0, 0.0, use_exact)
    if p_far > alpha:
        raise ValueError(
            f"with {len(a):,} {'assignments' if use_exact else 'draws'} no effect, however far "
            f"from the estimate, gets a p-value below {p_far:.3g}, above alpha={alpha}: the "
            f"confidence set would be unbounded whatever the data. "
            f"{'Use more units' if use_exact else 'Raise reps'} or a larger alpha"
        )
    # Under effect tau: T* - tau = a - tau * b, and T - tau = observed - tau.
    p_values = np.array([_p_value(a - tau * b, observed - tau, 0.0, use_exact) for tau in values])
    accepted = values[p_values > alpha]
    return ConfidenceSet(
        term=treated,
        estimate=observed,
        table=pd.DataFrame({"p_value": p_values}, index=pd.Index(values, name="null_effect")),
        alpha=alpha,
        conf_low=float(accepted.min()) if len(accepted) else np.nan,
        conf_high=float(accepted.max()) if len(accepted) else np.nan,
        exact=use_exact,
        reps=len(a),
        exclusions=setup.exclusions,
    )
