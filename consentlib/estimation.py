"""Estimates of treatment effects, with standard errors that a methodologist would trust.

The functions follow R's estimatr: :func:`difference_in_means` (Welch, or blocked as
estimatr's ``difference_in_means(blocks=)``), :func:`ols` (statsmodels underneath, fixed effects
as dummies so that HC2 leverages are right), :func:`contrast` for linear combinations, and
:func:`balance_table` for covariate balance across arms. Every result has a tidy ``.table``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from ._linalg import (
    INTERCEPT,
    SE_TYPES,
    arm_indicators,
    check_full_rank,
    check_leverage,
    check_se_type,
    fixed_effect_dummies,
)
from ._validation import (
    as_column_list,
    check_arms_kept,
    check_columns,
    check_dataframe,
    check_degrees_of_freedom,
    check_labels_present,
    check_numeric,
    check_probability,
    check_residual_variation,
    check_single_column,
    check_standard_errors,
    check_varies,
)
from .results import EstimationResult, Exclusions, drop_missing, result_html, tidy_table

__all__ = [
    "BalanceResult",
    "balance_table",
    "contrast",
    "difference_in_means",
    "ols",
]


def ols(
    data: pd.DataFrame,
    outcome: str,
    condition: str | None,
    *,
    reference: str = "control",
    fixed_effects: str | Sequence[str] | None = None,
    covariates: str | Sequence[str] | None = None,
    interact_covariates: bool = False,
    se_type: str = "HC2",
    alpha: float = 0.05,
) -> EstimationResult:
    """Regress an outcome on condition indicators, with optional fixed effects and covariates.

    Each condition other than ``reference`` gets an indicator; fixed effects enter as dummies
    for every level but the first in sorted order, so the intercept is the fitted mean of the
    reference condition in that first level. Tests and intervals are t-based on N - rank degrees
    of freedom for every ``se_type``, as estimatr's ``lm_robust``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    outcome : str
        The outcome column (numeric).
    condition : str or None
        The column of condition labels. None fits the intercept, covariates and fixed effects
        alone (an ordinary regression such as ``mpg ~ hp``).
    reference : str
        The condition the others are compared with.
    fixed_effects : str or list of str, optional
        Columns whose levels get their own intercepts (for example the enumerator).
    covariates : str or list of str, optional
        Numeric columns to adjust for.
    interact_covariates : bool
        Lin's (2013) estimator, estimatr's ``lm_lin``: centre the covariates at their means and
        interact them with every non-reference condition, so each condition's coefficient
        estimates its average effect even when the covariates' slopes differ by condition.
        The interactions appear in the table as ``"<condition>:<covariate>"``.
    se_type : {"HC2", "classical", "HC0", "HC1", "HC3", "stata"}
        The standard error. "stata" is HC1, Stata's ``robust``.
    alpha : float
        The intervals have confidence level 1 - alpha.

    Returns
    -------
    EstimationResult
        ``table`` holds the intercept, one row per non-reference condition and one per
        covariate (fixed-effect dummies are estimated but not shown). Rows with a missing
        value in any column used are excluded and counted in ``excluded_note``.

    Examples
    --------
    >>> arms = ["control"] * 3 + ["treatment"] * 3
    >>> frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 6, 5], "arm": arms})
    >>> result = ols(frame, "y", "arm", se_type="classical")
    >>> result.table.loc["treatment", ["estimate", "std_error"]].round(4).tolist()
    [3.0, 0.8165]
    """
    data = check_dataframe(data)
    fixed = as_column_list(fixed_effects, "fixed_effects")
    covs = as_column_list(covariates, "covariates")
    check_se_type(se_type)
    check_probability(alpha, "alpha")
    conditions = [] if condition is None else [condition]
    check_columns(data, [outcome], "outcome")
    check_columns(data, conditions, "condition")
    check_columns(data, fixed, "fixed effect")
    check_columns(data, covs, "covariate")
    for column in [outcome, *covs]:
        check_numeric(data, column)
    kept, exclusions = drop_missing(data, [outcome, *conditions, *fixed, *covs])
    if kept.empty:
        raise ValueError(f"no rows left after excluding missing values: {exclusions.note}")
    check_varies(kept[outcome].to_numpy(float), outcome)
    if condition is not None:
        check_arms_kept(data, kept, condition)

    parts = [pd.DataFrame({INTERCEPT: 1.0}, index=kept.index)]
    arms: list = []
    if condition is not None:
        parts.append(arm_indicators(kept, condition, reference))
        arms = list(parts[1].columns)
        clashes = [a for a in arms if a in covs or a == INTERCEPT]
        if clashes:
            raise ValueError(
                f"condition {clashes[0]!r} has the same name as a covariate or the intercept; "
                f"rename the condition or the covariate"
            )
    interactions: list[str] = []
    if covs:
        x = kept[covs].astype(float)
        if interact_covariates:
            if condition is None:
                raise ValueError("interact_covariates needs a condition to interact with")
            x = x - x.mean()
            for arm in arms:
                for column in covs:
                    interactions.append(f"{arm}:{column}")
                    parts.append(pd.DataFrame({interactions[-1]: x[column] * parts[1][arm]}))
        parts.append(x)
    parts.extend(fixed_effect_dummies(kept[column], column) for column in fixed)
    design = pd.concat(parts, axis=1)
    check_full_rank(design.to_numpy(), list(design.columns))
    check_leverage(design, kept, [*conditions, *fixed], fixed, se_type)
    check_degrees_of_freedom(len(kept), design.shape[1])

    fit = sm.OLS(kept[outcome].astype(float), design).fit(cov_type=SE_TYPES[se_type])
    shown = [INTERCEPT, *arms, *covs, *interactions]
    vcov = fit.cov_params().loc[shown, shown]
    df_resid = float(len(kept) - np.linalg.matrix_rank(design.to_numpy()))
    y_used = kept[outcome].to_numpy(float)
    check_residual_variation(fit.resid.to_numpy(), y_used, outcome, "the regression")
    indicators = [INTERCEPT, *arms]
    check_standard_errors(
        indicators, np.sqrt(np.diag(vcov.loc[indicators, indicators])), y_used, outcome
    )
    table = tidy_table(shown, fit.params[shown].to_numpy(), np.sqrt(np.diag(vcov)), df_resid, alpha)
    method = f"OLS of {outcome!r}"
    if condition is not None:
        method += f" on {condition!r} (reference {reference!r})"
    if covs:
        how = "interacted with the conditions (Lin)" if interact_covariates else ""
        method += f", adjusting for {', '.join(covs)} {how}".rstrip()
    if fixed:
        method += f", with {', '.join(fixed)} fixed effects"
    return EstimationResult(
        table=table,
        nobs=len(kept),
        method=method,
        se_type=se_type,
        alpha=alpha,
        exclusions=exclusions,
        vcov=vcov,
    )


def difference_in_means(
    data: pd.DataFrame,
    outcome: str,
    condition: str,
    treated: str,
    control: str,
    *,
    blocks: str | None = None,
    alpha: float = 0.05,
) -> EstimationResult:
    """Difference in mean outcomes between two conditions, unblocked or blocked.

    Without ``blocks`` this is Welch's comparison: the standard error is
    sqrt(s_t^2/n_t + s_c^2/n_c) with Welch–Satterthwaite degrees of freedom. With ``blocks``
    it is the blocked estimator of estimatr: the within-block differences weighted by the
    block's share n_b/N of the two arms' units, with the variance
    sum_b (n_b/N)^2 (s_tb^2/n_tb + s_cb^2/n_cb) and N - 2B degrees of freedom. When every
    block is a pair with one unit in each condition (a matched-pairs design), the estimate is
    the mean of the J pair differences, its variance their sample variance over J, and the
    test has J - 1 degrees of freedom (the paired t test), as estimatr does for pairs.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit. Only rows in ``treated`` or ``control`` are used.
    outcome, condition : str
        The outcome column and the column of condition labels.
    treated, control : str
        The two conditions compared: the estimate is mean(treated) - mean(control).
    blocks : str, optional
        The column of blocks within which the assignment was randomized.
    alpha : float
        The interval has confidence level 1 - alpha.

    Returns
    -------
    EstimationResult
        One row, named ``treated``.

    References
    ----------
    Gerber and Green (2012), *Field Experiments*, ch. 3-4; estimatr's ``difference_in_means``.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1.0, 2, 3, 4, 6, 5], "arm": ["c"] * 3 + ["t"] * 3})
    >>> difference_in_means(frame, "y", "arm", "t", "c").table[["estimate", "df"]]
          estimate   df
    term
    t          3.0  4.0
    """
    data = check_dataframe(data)
    check_probability(alpha, "alpha")
    check_columns(data, [outcome], "outcome")
    check_columns(data, [condition], "condition")
    block = check_single_column(blocks, "blocks")
    block_cols = [] if block is None else [block]
    check_columns(data, block_cols, "blocks")
    check_numeric(data, outcome)
    check_labels_present(data, condition, [treated, control])
    in_arms = data[data[condition].isin([treated, control])]
    kept, exclusions = drop_missing(in_arms, [outcome, *block_cols])
    exclusions = Exclusions(len(data), exclusions.n_excluded, exclusions.by_column)
    y = kept[outcome].to_numpy(float)
    is_treated = (kept[condition] == treated).to_numpy()
    check_varies(y, outcome, where=f" in {treated!r} and {control!r}")
    if not block_cols and min(is_treated.sum(), (~is_treated).sum()) >= 2:
        arm_means = kept.groupby(condition)[outcome].transform("mean").to_numpy(float)
        check_residual_variation(
            y - arm_means,
            y,
            outcome,
            f"the means of {treated!r} and {control!r} (it does not vary within either arm)",
        )
    if block_cols:
        estimate, variance, df = _blocked_difference(y, is_treated, kept[block_cols[0]].to_numpy())
        method = f"Blocked difference in means of {outcome!r}, {treated!r} - {control!r}"
        method += f", blocks {block_cols[0]!r}"
    else:
        _check_arm_sizes(is_treated, treated, control, where="")
        estimate, variance, df = _welch_difference(y, is_treated)
        method = f"Difference in means of {outcome!r}, {treated!r} - {control!r} (Welch)"
    check_standard_errors([treated], np.sqrt([variance]), y, outcome)
    table = tidy_table([treated], np.array([estimate]), np.sqrt([variance]), df, alpha)
    return EstimationResult(
        table=table,
        nobs=len(kept),
        method=method,
        se_type="Neyman",
        alpha=alpha,
        exclusions=exclusions,
        vcov=pd.DataFrame([[variance]], index=[treated], columns=[treated]),
    )


def _check_arm_sizes(is_treated: np.ndarray, treated: str, control: str, where: str) -> None:
    n_t, n_c = int(is_treated.sum()), int((~is_treated).sum())
    if min(n_t, n_c) < 2:
        raise ValueError(
            f"each arm needs at least two units{where} to estimate its variance; "
            f"found {n_t} in {treated!r} and {n_c} in {control!r}"
        )


def _welch_difference(y: np.ndarray, is_treated: np.ndarray) -> tuple[float, float, float]:
    y_t, y_c = y[is_treated], y[~is_treated]
    v_t, v_c = y_t.var(ddof=1) / len(y_t), y_c.var(ddof=1) / len(y_c)
    variance = v_t + v_c
    if variance == 0:
        raise ValueError(
            "the outcome does not vary within either arm, so its standard error is zero and "
            "no test is possible"
        )
    df = variance**2 / (v_t**2 / (len(y_t) - 1) + v_c**2 / (len(y_c) - 1))
    return float(y_t.mean() - y_c.mean()), float(variance), float(df)


def _blocked_difference(
    y: np.ndarray, is_treated: np.ndarray, block: np.ndarray
) -> tuple[float, float, float]:
    levels = pd.unique(block)
    treated_per_block = np.array([is_treated[block == level].sum() for level in levels])
    sizes = np.array([(block == level).sum() for level in levels])
    if np.all(sizes == 2) and np.all(treated_per_block == 1):
        return _matched_pairs_difference(y, is_treated, block, levels)
    estimate = variance = 0.0
    for level in levels:
        inside = block == level
        y_b, d_b = y[inside], is_treated[inside]
        if min(d_b.sum(), (~d_b).sum()) < 2:
            raise ValueError(
                f"block {level!r} has {int(d_b.sum())} treated and {int((~d_b).sum())} control "
                f"units; the blocked estimator needs at least two of each in every block"
            )
        weight = inside.sum() / len(y)
        diff, var_b, _ = _welch_difference(y_b, d_b)
        estimate += weight * diff
        variance += weight**2 * var_b
    return estimate, variance, float(len(y) - 2 * len(levels))


def _matched_pairs_difference(
    y: np.ndarray, is_treated: np.ndarray, block: np.ndarray, pairs: np.ndarray
) -> tuple[float, float, float]:
    """Matched pairs: the mean of the pair differences, with the variance of that mean."""
    if len(pairs) < 2:
        raise ValueError("a matched-pairs design needs at least two pairs to estimate a variance")
    differences = np.array(
        [y[(block == p) & is_treated][0] - y[(block == p) & ~is_treated][0] for p in pairs]
    )
    j = len(differences)
    return float(differences.mean()), float(differences.var(ddof=1) / j), float(j - 1)


_NUMBER = re.compile(r"\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*")


def _parse_combination(expression: str | Mapping[str, float], terms: Sequence) -> pd.Series:
    """Turn "treatment - placebo", "2*treatment + placebo" or {"treatment": 1, ...} into weights.

    Terms are matched against the result's term names, longest first, so names that contain
    "-" or digits are read whole.
    """
    names = {str(term): term for term in terms}
    weights = pd.Series(0.0, index=list(terms))
    if isinstance(expression, Mapping):
        for key, weight in expression.items():
            if str(key) not in names:
                raise ValueError(
                    f"contrast names {key!r}, which is not a term of the result; "
                    f"the terms are {list(terms)}"
                )
            weights[names[str(key)]] += float(weight)
        return _nonzero(weights, expression)
    text = expression.strip()
    by_length = sorted(names, key=len, reverse=True)
    position, first = 0, True
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        sign = 1.0
        if text[position : position + 1] in ("+", "-"):
            sign = -1.0 if text[position] == "-" else 1.0
            position += 1
        elif not first:
            raise ValueError(f"expected + or - at {text[position:]!r} in contrast {expression!r}")
        factor = 1.0
        number = _NUMBER.match(text, position)
        if number and text[number.end() : number.end() + 1] == "*":
            factor, position = float(number.group(1)), number.end() + 1
        while position < len(text) and text[position].isspace():
            position += 1
        term = next((name for name in by_length if text.startswith(name, position)), None)
        if term is None:
            word = re.split(r"\s+[+-]\s+|\s*\*", text[position:])[0]
            raise ValueError(
                f"contrast {expression!r} names {word!r}, which is not a term of the result; "
                f"the terms are {list(terms)}"
            )
        position += len(term)
        after = re.compile(r"\s*\*\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)").match(
            text, position
        )
        if after:
            factor, position = factor * float(after.group(1)), after.end()
        weights[names[term]] += sign * factor
        first = False
    return _nonzero(weights, expression)


def _nonzero(weights: pd.Series, expression: object) -> pd.Series:
    if not weights.any():
        raise ValueError(f"contrast {expression!r} has no non-zero weight")
    return weights


def contrast(result: EstimationResult, expression: str | Mapping[str, float]) -> EstimationResult:
    """A linear combination of a result's estimates, such as ``"treatment - placebo"``.

    Parameters
    ----------
    result : EstimationResult
        A result with a covariance matrix, such as one from :func:`ols`.
    expression : str or mapping
        Terms of ``result.table`` joined by ``+`` and ``-``, each optionally multiplied by a
        number (``"2*treatment - placebo"``), or a mapping of terms to weights
        (``{"treatment": 1, "placebo": -1}``).

    Returns
    -------
    EstimationResult
        One row named by the expression: the combination c'b, its standard error
        sqrt(c'Vc), and a t test on the result's degrees of freedom.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "y": [1.0, 2, 3, 3, 4, 5, 6, 6, 7],
    ...     "arm": ["control"] * 3 + ["placebo"] * 3 + ["treatment"] * 3,
    ... })
    >>> fit = ols(frame, "y", "arm", se_type="classical")
    >>> float(contrast(fit, "treatment - placebo").table["estimate"].iloc[0])
    2.333...
    """
    if not isinstance(result, EstimationResult):
        raise TypeError(
            f"result must be an EstimationResult with a covariance matrix (vcov); got "
            f"{type(result).__name__}"
        )
    if result.vcov is None:
        raise ValueError("result must be an EstimationResult with a covariance matrix (vcov)")
    if not isinstance(expression, Mapping) and (
        not isinstance(expression, str) or not expression.strip()
    ):
        wrong_type = not isinstance(expression, (str, Mapping))
        raise (TypeError if wrong_type else ValueError)(
            f"expression must be a non-empty string or a mapping; got {expression!r}"
        )
    weights = _parse_combination(expression, result.vcov.index)
    estimates = result.table.loc[weights.index, "estimate"].to_numpy()
    c = weights.to_numpy()
    estimate = float(c @ estimates)
    variance = float(c @ result.vcov.to_numpy() @ c)
    if not variance > 0:
        raise ValueError(
            f"contrast {expression!r} has a variance of {variance:.3g}; no test is possible"
        )
    df = float(result.table["df"].iloc[0])
    name = (
        expression.strip()
        if isinstance(expression, str)
        else " + ".join(f"{w:g}*{t}" for t, w in weights.items() if w)
    )
    table = tidy_table([name], np.array([estimate]), np.sqrt([variance]), df, result.alpha)
    return EstimationResult(
        table=table,
        nobs=result.nobs,
        method=f"Contrast {name!r} of: {result.method}",
        se_type=result.se_type,
        alpha=result.alpha,
        exclusions=result.exclusions,
        vcov=pd.DataFrame([[variance]], index=[name], columns=[name]),
    )


# ----------------------------------------------------------------------------------------------
# Balance


class BalanceResult:
    """Covariate means by arm, their differences, and an omnibus test of balance.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by covariate: the mean in each arm, each arm's difference from the first arm
        (``diff_<arm>``), the standardized difference (difference over the pooled standard
        deviation, ``std_diff_<arm>``), and the p-value of a one-way F test of equal means.
    omnibus : pandas.Series
        A likelihood-ratio test that the covariates jointly predict the arm: a multinomial
        logit of the arm on all covariates against one on a constant (``statistic``, ``df``,
        ``p_value``).
    nobs : int
        Rows used.
    exclusions : Exclusions
        Rows excluded for missing values.
    """

    def __init__(
        self, table: pd.DataFrame, omnibus: pd.Series, nobs: int, exclusions: Exclusions
    ) -> None:
        self.table = table
        self.omnibus = omnibus
        self.nobs = nobs
        self.exclusions = exclusions

    @property
    def excluded_note(self) -> str:
        """How many rows were excluded, and why."""
        return self.exclusions.note

    def _omnibus_line(self) -> str:
        o = self.omnibus
        return (
            f"Omnibus likelihood-ratio test: chi2({int(o['df'])}) = {o['statistic']:.3f}, "
            f"p = {o['p_value']:.3f}. N = {self.nobs}. {self.excluded_note}"
        )

    def __repr__(self) -> str:
        return "\n".join(
            [
                "Balance table",
                self.table.to_string(float_format=lambda v: f"{v:.3f}"),
                self._omnibus_line(),
            ]
        )

    def _repr_html_(self) -> str:
        return result_html(f"Balance table\n{self._omnibus_line()}", self.table, digits=".3f")


def balance_table(data: pd.DataFrame, covariates: Sequence[str], condition: str) -> BalanceResult:
    """Compare covariate means across arms, one covariate at a time and jointly.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    covariates : list of str
        Numeric columns measured before assignment.
    condition : str
        The column of condition labels. Arms are shown in sorted order unless the column is
        categorical, in which case its category order is kept; differences are taken against
        the first arm.

    Returns
    -------
    BalanceResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"age": rng.normal(40, 8, 90), "arm": ["a", "b", "c"] * 30})
    >>> result = balance_table(frame, ["age"], "arm")
    >>> list(result.table.columns)[:3]
    ['mean_a', 'mean_b', 'mean_c']
    >>> round(float(result.omnibus["df"]))
    2
    """
    data = check_dataframe(data)
    covs = as_column_list(covariates, "covariates")
    if not covs:
        raise ValueError("covariates must name at least one column")
    check_columns(data, covs, "covariate")
    check_columns(data, [condition], "condition")
    for column in covs:
        check_numeric(data, column)
    kept, exclusions = drop_missing(data, [condition, *covs])
    labels = kept[condition]
    if isinstance(labels.dtype, pd.CategoricalDtype):
        arms = [a for a in labels.cat.categories if (labels == a).any()]
    else:
        arms = sorted(labels.unique(), key=str)
    if len(arms) < 2:
        raise ValueError(f"column {condition!r} must hold at least two arms; got {arms}")
    x = kept[covs].astype(float)
    constant = [column for column in covs if x[column].nunique() < 2]
    if constant:
        raise ValueError(
            f"covariate {constant[0]!r} takes a single value ({x[constant[0]].iloc[0]!r}); "
            f"it cannot be imbalanced, so drop it from the balance table"
        )
    check_arms_kept(data, kept, condition, minimum=2)
    for column in covs:
        check_varies(x[column].to_numpy(), column, role="covariate")
        within = x[column] - x[column].groupby(labels.to_numpy()).transform("mean")
        check_residual_variation(within, x[column].to_numpy(), column, "the arm means", "covariate")
    groups = {arm: x[(labels == arm).to_numpy()] for arm in arms}
    table = pd.DataFrame({f"mean_{arm}": g.mean() for arm, g in groups.items()})
    first = arms[0]
    for arm in arms[1:]:
        diff = groups[arm].mean() - groups[first].mean()
        pooled_sd = np.sqrt((groups[arm].var(ddof=1) + groups[first].var(ddof=1)) / 2)
        table[f"diff_{arm}"] = diff
        table[f"std_diff_{arm}"] = diff / pooled_sd
    table["f_p_value"] = [
        stats.f_oneway(*(g[column] for g in groups.values())).pvalue for column in covs
    ]
    table.index.name = "covariate"
    # The likelihood ratio does not change when a covariate is shifted or rescaled; standardizing
    # keeps a covariate with a small spread around a large mean from looking like the constant.
    standardized = (x - x.mean()) / x.std()
    return BalanceResult(table, _omnibus_balance(standardized, labels, arms), len(kept), exclusions)


def _omnibus_balance(x: pd.DataFrame, labels: pd.Series, arms: list) -> pd.Series:
    codes = pd.Categorical(labels, categories=arms).codes
    exog = sm.add_constant(x.to_numpy(), has_constant="add")
    with warnings.catch_warnings():
        # Non-convergence is reported below as an error, not as a warning beside a number.
        warnings.simplefilter("ignore", (ConvergenceWarning, PerfectSeparationWarning))
        if len(arms) == 2:
            model = sm.Logit(codes, exog).fit(disp=0)
        else:
            model = sm.MNLogit(codes, exog).fit(disp=0, method="newton", maxiter=200)
    if not model.mle_retvals.get("converged", True) or not np.isfinite(model.llr):
        raise ValueError(
            f"the omnibus balance test did not converge: covariates {list(x.columns)} separate "
            f"the arms (nearly) perfectly, so its likelihood ratio is undefined"
        )
    statistic = float(model.llr)
    df = float(model.df_model) if len(arms) == 2 else float(x.shape[1] * (len(arms) - 1))
    return pd.Series(
        {"statistic": statistic, "df": df, "p_value": float(stats.chi2.sf(statistic, df))}
    )
