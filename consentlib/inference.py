"""Randomization inference: test a sharp null by redrawing assignments from the design.

Under a sharp null hypothesis every unit's outcome under any assignment is known, so the
distribution of the test statistic over the assignments the design could have produced is known
too. :func:`randomization_inference` computes that distribution exactly when the assignments are
few and by Monte Carlo otherwise, redrawing from the design (fixed counts, blocks, a
rerandomization rule) rather than shuffling a column.

All the statistics are computed for every draw at once with NumPy: the regression coefficient of
an indicator on an outcome, after partialling out fixed effects and covariates, is a ratio of two
inner products (Frisch–Waugh–Lovell), so a whole matrix of assignments needs two matrix products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._validation import (
    as_column_list,
    as_generator,
    check_columns,
    check_dataframe,
    check_finite_number,
    check_labels_present,
    check_numeric,
    check_positive_int,
    check_single_column,
)
from .fast import ols_coefficients, regressor_basis
from .randomization import Design
from .results import Exclusions, drop_missing

__all__ = ["RandomizationInferenceResult", "randomization_inference"]

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

    def plot(self, ax=None):
        """Histogram of the null distribution with the observed statistic marked.

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt

        from .plotting import CONDITION_COLORS, use_book_style

        use_book_style()
        if ax is None:
            _, ax = plt.subplots()
        ax.hist(self.null_distribution, bins=40, color="#bbbbbb", edgecolor="white")
        color = CONDITION_COLORS.get(self.term, "#0072b2")
        ax.axvline(self.observed, color=color, linewidth=2, label="observed")
        mirror = 2 * self.null_effect - self.observed
        ax.axvline(mirror, color=color, linewidth=1, linestyle="--", label="as extreme")
        kind = "exact" if self.exact else f"{self.reps:,} draws"
        ax.set_xlabel(f"{self.statistic} statistic under the sharp null ({kind})")
        ax.set_ylabel("assignments")
        ax.set_title(f"{self.term}: observed {self.observed:.3f}, p = {self.p_value:.4f}")
        ax.legend()
        return ax

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

    The units in the two arms are re-randomized between them, keeping the number in each arm
    fixed, within blocks when ``blocks`` is given: the pairwise test that R's ri2 runs for a
    multi-arm design, holding the other arms' units where they are. Outcomes under the null are
    Y0 = Y - null_effect * D for every unit, and each redrawn assignment D* gets the statistic
    computed on Y0 + null_effect * D*.

    With ``design``, assignments are instead redrawn from that design for all units (so a
    rerandomization rule is respected), and the statistic is computed on the units each draw
    puts in the two arms; the null is then that no condition has any effect (``null_effect``
    must be 0). Enumerated assignments that are not equally likely (``prob_each`` designs with
    a remainder) are weighted by their probabilities.

    This is what distinguishes randomization inference from a permutation of the treatment
    column, which is what pyfixest's ``ritest`` does: a permutation ignores blocks and the
    rerandomization rule, so its null distribution is not the design's, and its p-values differ
    whenever the design restricted the assignment.

    The p-value is two-sided. When the design allows no more than ``reps`` assignments (and
    ``exact`` is "auto" or True), all of them are enumerated and p is the share with
    ``abs(T* - null_effect) >= abs(T - null_effect)``. Otherwise ``reps`` assignments are drawn
    and ``p = (1 + count) / (1 + reps)``, where ``count`` is the number of draws at least as
    extreme; this is a valid p-value for a Monte Carlo test. Ties are judged with a tolerance of
    1e-10.

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
        raise ValueError(f"treated and control must be different conditions; both are {treated!r}")
    null_effect = check_finite_number(null_effect, "null_effect")
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {STATISTICS}; got {statistic!r}")
    if statistic == "difference_in_means" and (fixed or covs):
        raise ValueError(
            "statistic='difference_in_means' takes no fixed_effects or covariates; "
            "use statistic='ols' to adjust for them"
        )
    reps = check_positive_int(reps, "reps")
    if isinstance(exact, (bool, np.bool_)):
        exact = bool(exact)
    elif exact != "auto":
        raise ValueError(f"exact must be 'auto', True or False; got {exact!r}")
    rng = as_generator(seed)

    if design is not None:
        return _randomization_inference_from_design(
            data, outcome, condition, treated, control, fixed, covs, statistic,
            reps, exact, null_effect, design, rng,
        )  # fmt: skip

    in_arms = data[data[condition].isin([treated, control])]
    kept, exclusions = drop_missing(in_arms, [outcome, *block_cols, *fixed, *covs])
    exclusions = Exclusions(len(data), exclusions.n_excluded, exclusions.by_column)
    y = kept[outcome].to_numpy(float)
    is_treated = (kept[condition] == treated).to_numpy()
    _check_arms_present(kept, is_treated, block, treated, control)
    block_codes = pd.factorize(kept[block], sort=True)[0] if block else None
    two_arm = _two_arm_design(is_treated, block_codes, control, treated)
    basis = regressor_basis(kept, fixed, covs)
    y0 = y - null_effect * is_treated
    compute = _statistic_function(statistic, y0, is_treated, block_codes, basis)

    observed = float(compute(is_treated[None, :])[0] + null_effect)
    n_assignments = two_arm.n_assignments
    use_exact = _use_exact(exact, n_assignments, reps)
    if use_exact:
        draws = two_arm.enumerate(max_assignments=n_assignments) == 1
    else:
        draws = two_arm.draw_codes(reps, seed=rng) == 1
    null = compute(draws) + null_effect
    p_value = _p_value(null, observed, null_effect, use_exact)
    return RandomizationInferenceResult(
        term=treated,
        statistic=statistic,
        observed=observed,
        null_effect=float(null_effect),
        null_distribution=null,
        p_value=p_value,
        exact=use_exact,
        n_assignments=n_assignments,
        exclusions=exclusions,
    )


def _two_arm_design(
    is_treated: np.ndarray, block_codes: np.ndarray | None, control: str, treated: str
) -> Design:
    """The design that re-randomizes the two arms' units with the observed counts."""
    if block_codes is None:
        n_t = int(is_treated.sum())
        return Design.complete(
            len(is_treated), conditions=(control, treated), m_each=[len(is_treated) - n_t, n_t]
        )
    counts = np.array(
        [
            [int((~is_treated[block_codes == b]).sum()), int(is_treated[block_codes == b].sum())]
            for b in range(block_codes.max() + 1)
        ]
    )
    return Design.blocked(block_codes, conditions=(control, treated), m_each=counts)


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
    regressors = _design_regressors(data, fixed, covs)
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


def _design_regressors(data: pd.DataFrame, fixed: list[str], covs: list[str]) -> np.ndarray:
    """Intercept, fixed-effect dummies (missing levels as zeros) and centred covariates."""
    columns = [np.ones(len(data))]
    for column in fixed:
        values = data[column].to_numpy()
        for level in sorted(pd.unique(data[column].dropna()), key=str)[1:]:
            columns.append((values == level).astype(float))
    for column in covs:
        values = data[column].to_numpy(float, na_value=np.nan)
        columns.append(np.nan_to_num(values - np.nanmean(values)))
    return np.column_stack(columns)


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
