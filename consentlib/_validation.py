"""Input checks at the front door of the public API.

Every public function validates its arguments here, once, and raises a :class:`ValueError`
that names the argument or column, the value that was wrong and what was expected. Inner
functions trust their inputs.
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
    raise ValueError(
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
        raise ValueError(f"{name} must be a column name or a list of column names; got {value!r}")
    return values


def check_conditions(conditions: Sequence[str]) -> tuple[str, ...]:
    """Return the conditions as a tuple, checking there are at least two and no repeats."""
    if isinstance(conditions, str):
        raise ValueError(
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
        raise ValueError(f"{name} must be a pandas DataFrame; got {type(data).__name__}")
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
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number; got {value!r}") from None
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
    try:
        p = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between 0 and 1; got {value!r}") from None
    ok = 0 < p < 1 if open_interval else 0 <= p <= 1
    if not ok:
        bounds = "strictly between 0 and 1" if open_interval else "between 0 and 1"
        raise ValueError(f"{name} must be {bounds}; got {value!r}")
    return p


def check_positive_int(value: object, name: str) -> int:
    """Check that ``value`` is a whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")
    return int(value)
