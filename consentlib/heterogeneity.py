"""Treatment effects within subgroups, and a test of whether they differ.

:func:`subgroup_effects` fits one regression in which every level of a moderator (sex, rank,
leadership) has its own intercept and its own treatment effect, with shared fixed effects, and
tests the hypothesis that the effects are equal. Looking at many moderators invites false
discoveries; the book's Chapter 8 discusses how to read such tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from ._linalg import (
    SE_TYPES,
    check_full_rank,
    check_leverage,
    check_se_type,
    fixed_effect_dummies,
)
from ._validation import (
    as_column_list,
    check_columns,
    check_dataframe,
    check_degrees_of_freedom,
    check_labels_present,
    check_numeric,
    check_residual_variation,
    check_standard_errors,
    check_subgroups_kept,
    check_varies,
)
from .results import EstimationResult, Exclusions, drop_missing, tidy_table

__all__ = ["SubgroupResult", "subgroup_effects"]


@dataclass(frozen=True, repr=False)
class SubgroupResult(EstimationResult):
    """Effects by subgroup (rows named ``moderator=level``) and a test of equal effects.

    Attributes
    ----------
    heterogeneity : pandas.Series
        Wald test that every subgroup's effect is the same: ``statistic`` (F), ``df_num``,
        ``df_denom`` and ``p_value``.
    """

    heterogeneity: pd.Series | None = None

    def __repr__(self) -> str:
        h = self.heterogeneity
        return (
            super().__repr__() + f"\nEqual effects: F({int(h['df_num'])}, {int(h['df_denom'])}) = "
            f"{h['statistic']:.3f}, p = {h['p_value']:.4f}"
        )


def subgroup_effects(
    data: pd.DataFrame,
    outcome: str,
    condition: str,
    treated: str,
    control: str,
    *,
    moderator: str,
    fixed_effects: str | Sequence[str] | None = None,
    se_type: str = "HC2",
    alpha: float = 0.05,
) -> SubgroupResult:
    """The effect of ``treated`` against ``control`` within each level of ``moderator``.

    The regression, on the two arms' units, is
    y = sum_g 1[g] * (a_g + b_g * D) + fixed effects + error, so b_g is the effect in subgroup g,
    estimated with the fixed effects shared across subgroups.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    outcome, condition : str
        The outcome column and the column of condition labels.
    treated, control : str
        The two conditions compared.
    moderator : str
        A column measured before treatment whose levels define the subgroups.
    fixed_effects : str or list of str, optional
        Columns whose levels get their own intercepts.
    se_type : {"HC2", "classical", "HC0", "HC1", "HC3", "stata"}
        The standard error, as in :func:`consentlib.estimation.ols`.
    alpha : float
        The intervals have confidence level 1 - alpha.

    Returns
    -------
    SubgroupResult
        One row per subgroup, its covariance matrix (so :func:`consentlib.estimation.contrast`
        can compare two subgroups) and the test of equal effects.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "y": [1.0, 2, 3, 4] * 2 + [2.0, 3, 5, 7] * 2,
    ...     "arm": ["c", "c", "t", "t"] * 4,
    ...     "male": [0] * 8 + [1] * 8,
    ... })
    >>> result = subgroup_effects(frame, "y", "arm", "t", "c", moderator="male")
    >>> result.table["estimate"].round(2).tolist()
    [2.0, 3.5]
    """
    data = check_dataframe(data)
    fixed = as_column_list(fixed_effects, "fixed_effects")
    check_se_type(se_type)
    check_columns(data, [outcome], "outcome")
    check_columns(data, [condition], "condition")
    check_columns(data, [moderator], "moderator")
    check_columns(data, fixed, "fixed effect")
    check_numeric(data, outcome)
    check_labels_present(data, condition, [treated, control])
    in_arms = data[data[condition].isin([treated, control])]
    kept, exclusions = drop_missing(in_arms, [outcome, moderator, *fixed])
    exclusions = Exclusions(len(data), exclusions.n_excluded, exclusions.by_column)
    check_varies(kept[outcome].to_numpy(float), outcome, where=f" in {treated!r} and {control!r}")
    check_subgroups_kept(in_arms, kept, moderator, f"{treated!r} and {control!r}")
    levels = sorted(kept[moderator].unique(), key=str)
    if len(levels) < 2:
        raise ValueError(f"moderator {moderator!r} must have at least two levels; got {levels}")
    d = (kept[condition] == treated).to_numpy(float)
    group = kept[moderator].to_numpy()
    terms = [f"{moderator}={level}" for level in levels]
    columns = {}
    for level, term in zip(levels, terms, strict=True):
        inside = (group == level).astype(float)
        if d[inside == 1].min() == d[inside == 1].max():
            raise ValueError(
                f"subgroup {term!r} has units in only one of {treated!r} and {control!r}"
            )
        columns[f"effect[{term}]"] = inside * d
        columns[f"level[{term}]"] = inside
    design = pd.concat(
        [
            pd.DataFrame(columns, index=kept.index),
            *(fixed_effect_dummies(kept[c], c) for c in fixed),
        ],
        axis=1,
    )
    check_full_rank(design.to_numpy(), list(design.columns))
    check_leverage(design, kept, [condition, moderator, *fixed], fixed, se_type)
    check_degrees_of_freedom(len(kept), design.shape[1])
    fit = sm.OLS(kept[outcome].astype(float), design).fit(cov_type=SE_TYPES[se_type])
    effect_names = [f"effect[{term}]" for term in terms]
    vcov = fit.cov_params().loc[effect_names, effect_names]
    y_used = kept[outcome].to_numpy(float)
    check_residual_variation(fit.resid.to_numpy(), y_used, outcome, "the subgroup regression")
    check_standard_errors(terms, np.sqrt(np.diag(vcov)), y_used, outcome)
    df = float(len(kept) - np.linalg.matrix_rank(design.to_numpy()))
    table = tidy_table(
        terms, fit.params[effect_names].to_numpy(), np.sqrt(np.diag(vcov)), df, alpha
    )
    vcov.index = vcov.columns = terms
    return SubgroupResult(
        table=table,
        nobs=len(kept),
        method=f"Effect of {treated!r} vs {control!r} on {outcome!r} by {moderator!r}",
        se_type=se_type,
        alpha=alpha,
        exclusions=exclusions,
        vcov=vcov,
        heterogeneity=_equal_effects_test(table["estimate"].to_numpy(), vcov.to_numpy(), df),
    )


def _equal_effects_test(estimates: np.ndarray, vcov: np.ndarray, df: float) -> pd.Series:
    """Wald F test that all effects are equal: R b = 0 with R taking successive differences."""
    q = len(estimates) - 1
    restriction = np.zeros((q, len(estimates)))
    restriction[np.arange(q), np.arange(q)] = -1.0
    restriction[np.arange(q), np.arange(1, q + 1)] = 1.0
    difference = restriction @ estimates
    statistic = float(difference @ np.linalg.solve(restriction @ vcov @ restriction.T, difference))
    statistic /= q
    return pd.Series(
        {
            "statistic": statistic,
            "df_num": float(q),
            "df_denom": df,
            "p_value": float(stats.f.sf(statistic, q, df)),
        }
    )
