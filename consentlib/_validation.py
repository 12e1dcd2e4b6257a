"""Input checks at the front door of the public API.

Every public function validates its arguments here, once, and raises a :class:`TypeError`
for an argument of the wrong type or a :class:`ValueError` for a wrong value, naming the
argument or column, the value that was wrong and what was expected. Inner functions trust their
inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

DEFAULT_CONDITIONS: tuple[str, ...] = ("control", "treatment", "placebo")


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Return a NumPy Generator from an int, a Generator or None.

    >>> int(as_generator(1).integers(10)) == int(as_generator(1).integers(10))
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(
        f"seed must be an int, a numpy.random.Generator or None; got {seed!r} "
        f"of type {type(seed).__name__}"
    )


def as_column_list(value: str | Sequence[str] | None, name: str) -> list[str]:
    """Return a column name or a list of column names as a list (None gives an empty list).

    >>> as_column_list("enumerator", "fixed_effects"), as_column_list(None, "covariates")
    (['enumerator'], [])
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    values = list(value)
    if not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a column name or a list of column names; got {value!r}")
    return values


def check_conditions(conditions: Sequence[str]) -> tuple[str, ...]:
    """Return the conditions as a tuple, checking there are at least two and no repeats."""
    if isinstance(conditions, str):
        raise TypeError(
            f"conditions must be a sequence of labels such as ('control', 'treatment'); "
            f"got the single string {conditions!r}"
        )
    labels = tuple(conditions)
    if len(labels) < 2:
        raise ValueError(f"conditions must name at least two conditions; got {labels!r}")
    if len(set(labels)) != len(labels):
        raise ValueError(f"conditions must not repeat a label; got {labels!r}")
    return labels


def check_dataframe(data: object, name: str = "data") -> pd.DataFrame:
    """Check that ``data`` is a non-empty pandas DataFrame."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame; got {type(data).__name__}")
    if data.empty:
        raise ValueError(f"{name} has no rows")
    return data


def check_columns(data: pd.DataFrame, columns: Sequence[str], role: str = "column") -> None:
    """Check that every name in ``columns`` is a column of ``data``."""
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{role} {missing[0]!r} is not a column of data; the columns are {list(data.columns)}"
        )


def check_numeric(data: pd.DataFrame, column: str) -> None:
    """Check that a column holds finite numbers (missing values allowed).

    >>> check_numeric(pd.DataFrame({"y": [1.0, float("inf")]}), "y")
    Traceback (most recent call last):
    ...
    ValueError: column 'y' has 1 infinite value(s); expected finite numbers or missing values
    """
    if not pd.api.types.is_numeric_dtype(data[column]) or pd.api.types.is_bool_dtype(data[column]):
        raise ValueError(
            f"column {column!r} must be numeric; got dtype {data[column].dtype} "
            f"(first value {data[column].iloc[0]!r})"
        )
    values = data[column].to_numpy(dtype=float, na_value=np.nan)
    n_infinite = int(np.isinf(values).sum())
    if n_infinite:
        raise ValueError(
            f"column {column!r} has {n_infinite} infinite value(s); "
            f"expected finite numbers or missing values"
        )


def check_single_column(value: str | Sequence[str] | None, name: str) -> str | None:
    """Return the one column named by ``value`` (a name or a one-element list), or None.

    >>> check_single_column(["enumerator"], "blocks")
    'enumerator'
    """
    columns = as_column_list(value, name)
    if len(columns) > 1:
        raise ValueError(
            f"{name} must name one column; got {columns}. To block on several columns, "
            f"make one column of their combinations first"
        )
    return columns[0] if columns else None


def check_finite_number(value: object, name: str) -> float:
    """Check that ``value`` is a finite real number and return it as a float."""
    if isinstance(value, (str, bytes, bool)):
        raise TypeError(f"{name} must be a finite number; got {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a finite number; got {value!r}") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return number


def check_labels_present(
    data: pd.DataFrame, condition: str, labels: Sequence[str], role: str = "condition"
) -> None:
    """Check that each label in ``labels`` occurs in ``data[condition]``."""
    present = set(data[condition].dropna().unique())
    for label in labels:
        if label not in present:
            raise ValueError(
                f"{role} {label!r} does not occur in column {condition!r}; "
                f"its values are {sorted(map(str, present))}"
            )


def check_probability(value: float, name: str, *, open_interval: bool = True) -> float:
    """Check that ``value`` is a probability (strictly inside (0, 1) by default)."""
    if isinstance(value, (str, bytes, bool)):
        raise TypeError(f"{name} must be a number between 0 and 1; got {value!r}")
    try:
        p = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number between 0 and 1; got {value!r}") from None
    ok = 0 < p < 1 if open_interval else 0 <= p <= 1
    if not ok:
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise ValueError(f"{name} must be {bounds}; got {value!r}")
    return p


def check_positive_int(value: object, name: str) -> int:
    """Check that ``value`` is a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number of at least 1; got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")
    return int(value)


# ----------------------------------------------------------------------------------------------
# Degenerate inputs: numbers that would be computed from rounding error alone

#: Spreads within this many rounding errors of the data's magnitude count as no spread at all.
ROUNDING_FACTOR = 100


def rounding_tolerance(values: np.ndarray) -> float:
    """The spread below which values cannot be told apart from rounding error.

    A sum of n numbers of magnitude up to m carries a rounding error of up to about
    n * eps * m (eps the machine epsilon), so differences smaller than that are noise in every
    mean, residual and standard error computed from the values. The tolerance is
    ``ROUNDING_FACTOR`` (100) times that bound: it scales with the data, not a fixed epsilon.

    >>> bool(rounding_tolerance(np.array([1.0, 2.0])) == 100 * 2 * np.finfo(float).eps * 2.0)
    True
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 0.0
    return float(ROUNDING_FACTOR * values.size * np.finfo(float).eps * np.max(np.abs(values)))


def check_varies(values: np.ndarray, column: str, where: str = "", role: str = "outcome") -> None:
    """Refuse values that are constant up to rounding error (see :func:`rounding_tolerance`).

    >>> check_varies(np.array([0.3, 0.1 + 0.2]), "y")
    Traceback (most recent call last):
    ...
    ValueError: outcome 'y' is constant (every value is 0.3 up to rounding error): ...
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        raise ValueError(f"{role} {column!r} has no values{where}")
    spread = float(values.max() - values.min())
    if spread <= rounding_tolerance(values):
        raise ValueError(
            f"{role} {column!r} is constant{where} (every value is {values[0]:.6g} up to "
            f"rounding error): its effects, standard errors and tests are undefined"
        )


def check_residual_variation(
    residuals: np.ndarray,
    outcome_values: np.ndarray,
    column: str,
    model: str = "the model",
    role: str = "outcome",
) -> None:
    """Refuse a fit whose residuals are all rounding error: its standard errors would be noise.

    The residuals are compared with :func:`rounding_tolerance` of the outcome itself.

    >>> check_residual_variation(np.array([1e-17, -1e-17]), np.array([1.0, 2.0]), "y")
    Traceback (most recent call last):
    ...
    ValueError: outcome 'y' has no residual variation: it is fitted exactly by the model, ...
    """
    residuals = np.asarray(residuals, dtype=float)
    if np.ptp(residuals) <= rounding_tolerance(outcome_values):
        raise ValueError(
            f"{role} {column!r} has no residual variation: it is fitted exactly by {model}, "
            f"so the standard errors are zero (or rounding noise) and no test is possible"
        )


def check_standard_errors(
    terms: Sequence, std_errors: np.ndarray, outcome_values: np.ndarray, column: str
) -> None:
    """Refuse standard errors that are undefined or at the level of rounding error.

    For terms whose regressor is a 0/1 indicator or the intercept (so that the standard error
    is on the outcome's scale). A standard error no larger than ``ROUNDING_FACTOR * eps`` times
    the outcome's largest magnitude comes from rounding error alone (for example an arm and the
    reference whose outcomes are constant, under a robust standard error), and a t statistic
    built on it would be a ratio of two noises.

    >>> check_standard_errors(["treatment"], np.array([2e-16]), np.array([1.0, 5.0]), "y")
    Traceback (most recent call last):
    ...
    ValueError: the standard error of 'treatment' for outcome 'y' is 2e-16, ...
    """
    std_errors = np.asarray(std_errors, dtype=float)
    values = np.asarray(outcome_values, dtype=float)
    floor = ROUNDING_FACTOR * np.finfo(float).eps * np.max(np.abs(values), initial=0.0)
    for term, se in zip(terms, std_errors, strict=True):
        if not np.isfinite(se) or se <= floor:
            raise ValueError(
                f"the standard error of {term!r} for outcome {column!r} is {se:.3g}, at the "
                f"level of rounding error (at most {floor:.3g}) or undefined: the outcome does "
                f"not vary within the units that determine it, so no test is possible"
            )


def check_degrees_of_freedom(
    n_rows: int, n_coefficients: int, what: str = "the regression"
) -> None:
    """Refuse a fit with no residual degrees of freedom (as many coefficients as rows, or more).

    >>> check_degrees_of_freedom(3, 3)
    Traceback (most recent call last):
    ...
    ValueError: the regression has 3 complete rows for 3 coefficients: ...
    """
    if n_rows - n_coefficients < 1:
        raise ValueError(
            f"{what} has {n_rows} complete rows for {n_coefficients} coefficients: no residual "
            f"degrees of freedom are left, so its standard errors are undefined"
        )


def check_arms_kept(
    data: pd.DataFrame, kept: pd.DataFrame, condition: str, minimum: int = 1
) -> None:
    """Refuse an arm left with fewer than ``minimum`` rows once missing values are dropped.

    >>> frame = pd.DataFrame({"arm": ["a", "a", "b"], "y": [1.0, 2.0, None]})
    >>> check_arms_kept(frame, frame.dropna(), "arm")
    Traceback (most recent call last):
    ...
    ValueError: condition 'b' of column 'arm' has 1 row(s) but 0 left ...
    """
    before = data[condition].value_counts()
    before = before[before > 0]
    after = kept[condition].value_counts()
    for label, count in before.items():
        left = int(after.get(label, 0))
        if left < minimum:
            raise ValueError(
                f"condition {label!r} of column {condition!r} has {int(count)} row(s) but {left} "
                f"left after excluding missing values; at least {minimum} needed"
            )


def check_defined_statistics(values: np.ndarray, what: str) -> None:
    """Refuse a statistic that is 0/0 (NaN) or infinite for some assignments.

    >>> check_defined_statistics(np.array([1.0, np.nan]), "the OLS coefficient")
    Traceback (most recent call last):
    ...
    ValueError: the OLS coefficient is undefined (0/0) for 1 of 2 assignments: ...
    """
    values = np.asarray(values, dtype=float)
    undefined = int((~np.isfinite(values)).sum())
    if undefined:
        raise ValueError(
            f"{what} is undefined (0/0) for {undefined} of {values.size} assignments: the "
            f"treated indicator is then constant within every level of the fixed effects (or a "
            f"combination of the covariates), so the effect is not identified"
        )


def check_simulated_variation(outcomes: np.ndarray, std_errors: np.ndarray) -> None:
    """Refuse a simulation in which some experiments' outcome does not vary, or whose SE is zero.

    ``outcomes`` has one simulated experiment per row.

    >>> check_simulated_variation(np.array([[1.0, 1.0, 1.0]]), np.array([0.0]))
    Traceback (most recent call last):
    ...
    ValueError: in 1 of 1 simulated experiments the outcome does not vary ...
    """
    outcomes = np.asarray(outcomes, dtype=float)
    n = outcomes.shape[1]
    eps = np.finfo(float).eps
    magnitude = np.max(np.abs(outcomes), axis=1)
    constant = np.ptp(outcomes, axis=1) <= ROUNDING_FACTOR * n * eps * magnitude
    flat = ~(np.asarray(std_errors, dtype=float) > ROUNDING_FACTOR * eps * magnitude)
    bad = int((constant | flat).sum())
    if bad:
        raise ValueError(
            f"in {bad} of {len(outcomes)} simulated experiments the outcome does not vary "
            f"within the arms (up to rounding error), so the standard error is zero and the "
            f"test undefined; use more units, or response categories with larger shares"
        )


def check_subgroups_kept(
    data: pd.DataFrame, kept: pd.DataFrame, moderator: str, arms: str = "the arms compared"
) -> None:
    """Refuse a subgroup with no units once missing values are dropped.

    The subgroups are the moderator's values among ``data`` (the two arms' rows), and, for a
    categorical moderator, every category it declares.

    >>> frame = pd.DataFrame({"m": pd.Categorical(["a", "a"], categories=["a", "b"])})
    >>> check_subgroups_kept(frame, frame, "m")
    Traceback (most recent call last):
    ...
    ValueError: subgroup 'm=b' is empty: ...
    """
    values = data[moderator]
    if isinstance(values.dtype, pd.CategoricalDtype):
        levels = list(values.cat.categories)
    else:
        levels = list(values.dropna().unique())
    present = set(kept[moderator].unique())
    for level in levels:
        if level not in present:
            raise ValueError(
                f"subgroup '{moderator}={level}' is empty: no unit of {arms} with a complete row "
                f"has {moderator!r} equal to {level!r}, so its effect is undefined. Drop the "
                f"level (for a categorical column, .cat.remove_unused_categories())"
            )


def check_consecutive_categories(categories: np.ndarray, column: str) -> None:
    """Refuse a whole-number ordinal outcome that skips a category between its lowest and highest.

    No unit answers the skipped category, so the two thresholds around it are not identified:
    the likelihood is flat along how far apart they are.

    >>> check_consecutive_categories(np.array([1.0, 2.0, 4.0]), "y")
    Traceback (most recent call last):
    ...
    ValueError: outcome 'y' never takes the value 3 between its categories [1, 2, 4]: ...
    """
    values = np.asarray(categories, dtype=float)
    if not np.all(values == np.round(values)):
        return
    unused = sorted(set(range(int(values.min()), int(values.max()) + 1)) - set(values.astype(int)))
    if unused:
        shown = [int(v) for v in values]
        raise ValueError(
            f"outcome {column!r} never takes the value {unused[0]} between its categories "
            f"{shown}: the thresholds around an unused category are not identified. Recode the "
            f"outcome to consecutive categories (merging the unused one with a neighbour)"
        )
