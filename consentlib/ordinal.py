"""Ordered logit and probit models for a response on a five-point scale.

OLS treats the distance between "oppose" and "neither" as equal to the one between "support" and
"strongly support". An ordered model does not: it supposes a latent propensity, cut at estimated
thresholds into the observed categories, and estimates how each condition shifts the propensity.
:func:`ordered_model` fits one with statsmodels' ``OrderedModel``, with the same arguments and the
same tidy result as :func:`consentlib.estimation.ols`.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import pandas as pd
from statsmodels.miscmodels.ordinal_model import OrderedModel

from ._linalg import arm_indicators, check_full_rank, fixed_effect_dummies
from ._validation import (
    as_column_list,
    check_arms_kept,
    check_columns,
    check_consecutive_categories,
    check_dataframe,
    check_numeric,
)
from .results import EstimationResult, drop_missing, tidy_table

__all__ = ["ordered_model"]

LINKS = {"logit": "logit", "probit": "probit"}


def ordered_model(
    data: pd.DataFrame,
    outcome: str,
    condition: str,
    *,
    reference: str = "control",
    fixed_effects: str | Sequence[str] | None = None,
    covariates: str | Sequence[str] | None = None,
    link: str = "logit",
    alpha: float = 0.05,
) -> EstimationResult:
    """Fit an ordered logit or probit of an ordinal outcome on condition indicators.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    outcome : str
        An ordinal outcome coded as numbers (1 to 5, say); its distinct values are the
        categories, in numeric order.
    condition : str
        The column of condition labels.
    reference : str
        The condition the others are compared with.
    fixed_effects : str or list of str, optional
        Columns whose levels get their own shifts (dummies for all but the first level).
    covariates : str or list of str, optional
        Numeric columns to adjust for.
    link : {"logit", "probit"}
        The distribution of the latent error.
    alpha : float
        The intervals have confidence level 1 - alpha.

    Returns
    -------
    EstimationResult
        Rows for each non-reference condition and covariate (shifts of the latent propensity,
        in logits or probits), then the thresholds ``"1|2"``, ``"2|3"``, ... between adjacent
        categories. Standard errors come from the inverse Hessian; tests are z tests (``df`` is
        infinite).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "y": [1, 2, 2, 3, 3, 2, 3, 3, 4, 5] * 3,
    ...     "arm": (["control"] * 5 + ["treatment"] * 5) * 3,
    ... })
    >>> result = ordered_model(frame, "y", "arm")
    >>> bool(result.table.loc["treatment", "estimate"] > 0)
    True
    """
    data = check_dataframe(data)
    fixed = as_column_list(fixed_effects, "fixed_effects")
    covs = as_column_list(covariates, "covariates")
    if link not in LINKS:
        raise ValueError(f"link must be one of {list(LINKS)}; got {link!r}")
    check_columns(data, [outcome], "outcome")
    check_columns(data, [condition], "condition")
    check_columns(data, fixed, "fixed effect")
    check_columns(data, covs, "covariate")
    for column in [outcome, *covs]:
        check_numeric(data, column)
    kept, exclusions = drop_missing(data, [outcome, condition, *fixed, *covs])
    categories = np.sort(kept[outcome].astype(float).unique())
    if len(categories) < 2:
        raise ValueError(
            f"outcome {outcome!r} must take at least two values to order; got {categories}"
        )
    check_consecutive_categories(categories, outcome)
    check_arms_kept(data, kept, condition)
    parts = [arm_indicators(kept, condition, reference)]
    arms = list(parts[0].columns)
    if covs:
        parts.append(kept[covs].astype(float))
    parts.extend(fixed_effect_dummies(kept[column], column) for column in fixed)
    exog = pd.concat(parts, axis=1)
    endog = pd.Series(
        pd.Categorical(kept[outcome].astype(float), categories=categories, ordered=True),
        index=kept.index,
    )
    check_full_rank(
        np.column_stack([np.ones(len(exog)), exog.to_numpy()]), ["(thresholds)", *exog.columns]
    )
    fit = OrderedModel(endog, exog, distr=LINKS[link]).fit(method="bfgs", disp=False, maxiter=2000)
    if not fit.mle_retvals.get("converged", True):
        raise ValueError(
            f"the ordered {link} did not converge: an arm, covariate or fixed effect may predict "
            f"the response perfectly (for example a level where every answer is the same)"
        )
    names = [*arms, *covs]
    thresholds = _thresholds(fit.params.to_numpy()[exog.shape[1] :])
    estimates = np.concatenate([fit.params[names].to_numpy(), thresholds])
    std_errors = _standard_errors(fit, exog.shape[1], names)
    cut_names = [f"{_fmt(a)}|{_fmt(b)}" for a, b in pairwise(categories)]
    table = tidy_table([*names, *cut_names], estimates, std_errors, np.inf, alpha)
    method = f"Ordered {link} of {outcome!r} on {condition!r} (reference {reference!r})"
    if fixed:
        method += f", with {', '.join(fixed)} fixed effects"
    return EstimationResult(
        table=table,
        nobs=len(kept),
        method=method,
        se_type="inverse Hessian",
        alpha=alpha,
        exclusions=exclusions,
        vcov=fit.cov_params().loc[names, names],
    )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _thresholds(raw: np.ndarray) -> np.ndarray:
    """statsmodels keeps the first threshold and the logs of the increments; undo that."""
    return np.concatenate([[raw[0]], raw[0] + np.cumsum(np.exp(raw[1:]))])


def _standard_errors(fit, n_exog: int, names: list[str]) -> np.ndarray:
    """Standard errors of the slopes and of the thresholds, by the delta method for the latter."""
    cov = fit.cov_params().to_numpy()
    raw = fit.params.to_numpy()[n_exog:]
    # d threshold_j / d raw: 1 for the first entry, exp(raw_i) for increments i <= j.
    jacobian = np.zeros((len(raw), len(raw)))
    jacobian[:, 0] = 1.0
    for j in range(1, len(raw)):
        jacobian[j:, j] = np.exp(raw[j])
    threshold_cov = jacobian @ cov[n_exog:, n_exog:] @ jacobian.T
    slope_se = np.sqrt(np.diag(fit.cov_params().loc[names, names].to_numpy()))
    return np.concatenate([slope_se, np.sqrt(np.diag(threshold_cov))])
