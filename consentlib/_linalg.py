"""The linear algebra the estimators share: design matrices, leverages, checks, batched OLS.

This module is shared inside the package (its names are public to the other modules, not to
readers). Vectorized OLS serves many assignments or simulated datasets at once.

Randomization inference and power simulation refit the same regression thousands of times, each
time with a different treatment indicator (and, in simulation, a different outcome). The other
regressors (intercept, fixed-effect dummies, covariates) stay the same, so by Frisch–Waugh–Lovell
the treatment coefficient is d'My / d'Md with M = I - QQ' and Q an orthonormal basis of those
regressors: a few matrix products for all the fits together. The tests prove every function
here equal to statsmodels on the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._validation import check_labels_present

#: Standard errors :func:`batched_ols` computes.
BATCHED_SE_TYPES = ("classical", "HC0", "HC1", "HC2")


def check_full_rank(matrix: np.ndarray, names: Sequence[str]) -> None:
    """Raise a ValueError naming the first column that is a combination of those before it.

    Columns are scaled to unit length first, so that covariates on very different scales are
    not mistaken for collinear ones.

    Examples
    --------
    >>> check_full_rank(np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]), ["(Intercept)", "x"])
    Traceback (most recent call last):
    ...
    ValueError: the regressors are collinear: column 'x' is a linear combination ...
    """
    norms = np.linalg.norm(matrix, axis=0)
    for j, name in enumerate(names):
        if norms[j] == 0:
            raise ValueError(f"the regressors are collinear: column {name!r} is all zeros; drop it")
    scaled = matrix / norms
    tolerance = max(scaled.shape) * np.finfo(float).eps * 10
    if np.linalg.matrix_rank(scaled, tol=tolerance * np.linalg.norm(scaled, 2)) == len(names):
        return
    for j in range(1, len(names) + 1):
        head = scaled[:, :j]
        if np.linalg.matrix_rank(head, tol=tolerance * np.linalg.norm(head, 2)) < j:
            raise ValueError(
                f"the regressors are collinear: column {names[j - 1]!r} is a linear combination "
                f"of the columns before it (a constant, a duplicate, or a fixed effect it "
                f"repeats); drop it"
            )


def fixed_effect_dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    """Indicators for every level but the first in sorted order (R's and statsmodels' base).

    Missing values get zeros in every indicator.

    Examples
    --------
    >>> fixed_effect_dummies(pd.Series(["b", "a", "c"]), "e").columns.tolist()
    ['e[b]', 'e[c]']
    """
    levels = sorted(values.dropna().unique(), key=str)
    return pd.DataFrame(
        {f"{prefix}[{level}]": (values == level).to_numpy(float) for level in levels[1:]},
        index=values.index,
    )


def regressor_matrix(
    data: pd.DataFrame, fixed_effects: Sequence[str] = (), covariates: Sequence[str] = ()
) -> tuple[np.ndarray, list[str]]:
    """The intercept, fixed-effect dummies and centred covariates, with their names.

    Missing values become zeros (rows with them are meant to get no weight in the fit).

    Examples
    --------
    >>> matrix, names = regressor_matrix(pd.DataFrame({"e": ["a", "b"], "x": [1.0, 3.0]}),
    ...                                  ["e"], ["x"])
    >>> names, matrix.tolist()
    (['(Intercept)', 'e[b]', 'x'], [[1.0, 0.0, -1.0], [1.0, 1.0, 1.0]])
    """
    parts = [pd.DataFrame({"(Intercept)": np.ones(len(data))}, index=data.index)]
    parts.extend(fixed_effect_dummies(data[column], column) for column in fixed_effects)
    for column in covariates:
        values = data[column].astype(float)
        parts.append((values - values.mean()).fillna(0.0).to_frame(column))
    frame = pd.concat(parts, axis=1)
    return frame.to_numpy(float), list(frame.columns)


def regressor_basis(
    data: pd.DataFrame, fixed_effects: Sequence[str] = (), covariates: Sequence[str] = ()
) -> np.ndarray:
    """An orthonormal basis of the intercept, fixed-effect dummies and covariates.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows are units, with no missing values in the columns named.
    fixed_effects, covariates : list of str
        Columns whose levels get dummies, and numeric columns.

    Returns
    -------
    numpy.ndarray
        Shape (n, k), orthonormal columns spanning the k regressors of
        :func:`regressor_matrix`. Collinear regressors are an error (:func:`check_full_rank`),
        never silently dropped.

    Examples
    --------
    >>> frame = pd.DataFrame({"e": ["a", "a", "b", "b", "c"]})
    >>> regressor_basis(frame, ["e"]).shape
    (5, 3)
    """
    matrix, names = regressor_matrix(data, fixed_effects, covariates)
    check_full_rank(matrix, names)
    q, _ = np.linalg.qr(matrix / np.linalg.norm(matrix, axis=0))
    return q


def leverages(matrix: np.ndarray) -> np.ndarray:
    """The diagonal of the hat matrix of a full-rank regressor matrix.

    Examples
    --------
    >>> leverages(np.ones((4, 1)))
    array([0.25, 0.25, 0.25, 0.25])
    """
    q, _ = np.linalg.qr(np.asarray(matrix, dtype=float))
    return np.einsum("ij,ij->i", q, q)


#: Leverages this close to 1 make HC2 and HC3 undefined.
LEVERAGE_ONE = 1 - 1e-8


def ols_coefficients(y: np.ndarray, treated: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Coefficient on a 0/1 indicator in OLS of ``y`` on it and ``basis``, for many indicators.

    Parameters
    ----------
    y : numpy.ndarray
        Outcomes, length n.
    treated : numpy.ndarray
        Indicators, shape (reps, n).
    basis : numpy.ndarray
        Orthonormal columns (n, k) spanning the other regressors.

    Returns
    -------
    numpy.ndarray
        One coefficient per row of ``treated``: d'My / d'Md with M = I - QQ', computed without
        forming M.

    Examples
    --------
    >>> y = np.array([1.0, 2.0, 4.0, 7.0])
    >>> q = np.ones((4, 1)) / 2.0
    >>> ols_coefficients(y, np.array([[0, 0, 1, 1]]), q)
    array([4.])
    """
    d = np.asarray(treated, dtype=float)
    y = np.asarray(y, dtype=float)
    # Residualize y once, after removing one of its values (exact, and it changes no
    # coefficient since the basis spans the intercept), so a large mean costs no digits.
    centred = y - np.median(y)
    y_resid = centred - basis @ (basis.T @ centred)
    dq = d @ basis
    denominator = d.sum(axis=1) - np.einsum("ij,ij->i", dq, dq)
    # An indicator in the span of the basis leaves a denominator of rounding error: 0/0.
    undefined = denominator <= 1e-9 * np.maximum(d.sum(axis=1), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(undefined, np.nan, (d @ y_resid) / denominator)


def batched_ols(
    outcomes: np.ndarray, treated: np.ndarray, basis: np.ndarray, se_type: str = "classical"
) -> tuple[np.ndarray, np.ndarray, int]:
    """Treatment coefficients and their standard errors for many datasets at once.

    Row r is the regression of ``outcomes[r]`` on ``treated[r]`` and the columns of ``basis``.

    Parameters
    ----------
    outcomes : numpy.ndarray
        Shape (reps, n).
    treated : numpy.ndarray
        0/1 indicators, shape (reps, n).
    basis : numpy.ndarray
        Orthonormal columns (n, k) spanning the other regressors (:func:`regressor_basis`).
    se_type : {"classical", "HC0", "HC1", "HC2"}
        The standard error; a row with a leverage of 1 gets a NaN HC2 standard error, since HC2
        is undefined there.

    Returns
    -------
    estimates, std_errors : numpy.ndarray
        One per row.
    df : int
        Residual degrees of freedom, n - k - 1.

    Examples
    --------
    >>> y = np.array([[1.0, 2.0, 4.0, 7.0]])
    >>> estimate, se, df = batched_ols(y, np.array([[0, 0, 1, 1]]), np.ones((4, 1)) / 2.0)
    >>> float(estimate[0]), round(float(se[0]), 4), df
    (4.0, 1.5811, 2)
    """
    if se_type not in BATCHED_SE_TYPES:
        raise ValueError(f"se_type must be one of {BATCHED_SE_TYPES}; got {se_type!r}")
    y = np.asarray(outcomes, dtype=float)
    y = y - np.median(y, axis=1, keepdims=True)
    d = np.asarray(treated, dtype=float)
    n, k = basis.shape
    d_resid = d - (d @ basis) @ basis.T
    y_resid = y - (y @ basis) @ basis.T
    sum_sq = np.einsum("ij,ij->i", d_resid, d_resid)
    estimates = np.einsum("ij,ij->i", d_resid, y_resid) / sum_sq
    residuals = y_resid - estimates[:, None] * d_resid
    df = n - k - 1
    if se_type == "classical":
        variance = np.einsum("ij,ij->i", residuals, residuals) / df / sum_sq
    else:
        weights = residuals**2
        if se_type == "HC1":
            weights = weights * n / df
        elif se_type == "HC2":
            leverage = np.einsum("ij,ij->i", basis, basis)[None, :] + d_resid**2 / sum_sq[:, None]
            undefined = (leverage >= LEVERAGE_ONE).any(axis=1)
            weights = weights / np.where(leverage >= LEVERAGE_ONE, np.nan, 1 - leverage)
            weights[undefined] = np.nan
        variance = np.einsum("ij,ij->i", d_resid**2, weights) / sum_sq**2
    return estimates, np.sqrt(variance), df


SE_TYPES: dict[str, str] = {
    "classical": "nonrobust",
    "HC0": "HC0",
    "HC1": "HC1",
    "HC2": "HC2",
    "HC3": "HC3",
    "stata": "HC1",
}

INTERCEPT = "(Intercept)"


def check_se_type(se_type: str) -> str:
    """Return ``se_type`` when :data:`SE_TYPES` knows it; raise a ValueError otherwise."""
    if se_type not in SE_TYPES:
        raise ValueError(f"se_type must be one of {list(SE_TYPES)}; got {se_type!r}")
    return se_type


def check_leverage(
    design: pd.DataFrame, kept: pd.DataFrame, describe: list[str], fixed: list[str], se_type: str
) -> None:
    """HC2 and HC3 divide by 1 - leverage: undefined when one observation fixes a coefficient.

    The message names a fixed-effect group of one when that is the cause, and otherwise the
    observation (its condition and groups, from the ``describe`` columns).
    """
    if se_type not in ("HC2", "HC3"):
        return
    for column in fixed:
        sizes = kept[column].value_counts()
        singletons = sizes[sizes == 1]
        if len(singletons):
            raise ValueError(
                f"fixed effect {column!r} has a group with one observation "
                f"({singletons.index[0]!r}); its leverage is 1, so se_type={se_type!r} is "
                f"undefined. Use se_type='HC1' or 'classical', or merge the group."
            )
    leverage = leverages(design.to_numpy())
    if leverage.max() >= LEVERAGE_ONE:
        row = kept.iloc[int(np.argmax(leverage))]
        where = ", ".join(f"{c}={row[c]!r}" for c in describe)
        raise ValueError(
            f"the observation with {where} has leverage 1: it alone determines a coefficient "
            f"(an arm, cell or group with one observation), so se_type={se_type!r} is "
            f"undefined. Use se_type='HC1' or 'classical', or merge the group."
        )


def arm_indicators(kept: pd.DataFrame, condition: str, reference: str) -> pd.DataFrame:
    """A 0/1 column for every condition but ``reference``, in sorted order."""
    check_labels_present(kept, condition, [reference], role="reference")
    labels = kept[condition]
    arms = [level for level in sorted(labels.unique(), key=str) if level != reference]
    if not arms:
        raise ValueError(
            f"column {condition!r} holds only the reference {reference!r}; "
            f"at least one other condition is needed"
        )
    return pd.DataFrame({a: (labels == a).to_numpy(float) for a in arms}, index=kept.index)
