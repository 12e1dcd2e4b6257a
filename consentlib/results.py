"""Small immutable result objects with a tidy ``.table`` and a readable notebook display.

Every estimator in :mod:`consentlib.estimation` returns an :class:`EstimationResult`; its
``table`` has the columns of estimatr's ``tidy()``: ``estimate, std_error, statistic, df,
p_value, conf_low, conf_high``, indexed by term.

Every public result object of the library follows one convention: ``.table`` is a tidy
:class:`pandas.DataFrame` (one row per term, covariate, unit or scenario, one column per
quantity) whose index has a name, and the object shows itself in a notebook through
``_repr_html_``, built by :func:`result_html` (a caption, then the table).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

TABLE_COLUMNS: tuple[str, ...] = (
    "estimate",
    "std_error",
    "statistic",
    "df",
    "p_value",
    "conf_low",
    "conf_high",
)


@dataclass(frozen=True)
class Exclusions:
    """Rows left out of an analysis, and why.

    Attributes
    ----------
    n_rows : int
        How many rows the data had.
    by_column : dict
        For each column with missing values among those used, how many rows it removed
        (a row missing in two columns is counted under each).
    n_excluded : int
        How many distinct rows were excluded.
    """

    n_rows: int
    n_excluded: int = 0
    by_column: dict[str, int] = field(default_factory=dict)

    @property
    def note(self) -> str:
        """A sentence saying how many rows were excluded and why."""
        if self.n_excluded == 0:
            return f"All {self.n_rows} rows used."
        reasons = ", ".join(f"{col!r} ({n})" for col, n in self.by_column.items())
        return f"{self.n_excluded} of {self.n_rows} rows excluded for missing values in {reasons}."


def drop_missing(data: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, Exclusions]:
    """Drop rows with a missing value in ``columns`` and record how many and why.

    Parameters
    ----------
    data : pandas.DataFrame
        The rows.
    columns : list of str
        The columns an analysis uses.

    Returns
    -------
    kept : pandas.DataFrame
        The rows with every column present.
    exclusions : Exclusions
        How many rows were dropped, and for which columns.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1.0, None, 3.0], "d": ["a", "b", None]})
    >>> kept, exclusions = drop_missing(frame, ["y", "d"])
    >>> len(kept), exclusions.note
    (1, "2 of 3 rows excluded for missing values in 'y' (1), 'd' (1).")
    """
    missing = data[columns].isna()
    by_column = {col: int(n) for col, n in missing.sum().items() if n > 0}
    rows = missing.any(axis=1).to_numpy()
    exclusions = Exclusions(n_rows=len(data), n_excluded=int(rows.sum()), by_column=by_column)
    return data.loc[~rows], exclusions


def tidy_table(
    terms: list[str],
    estimate: np.ndarray,
    std_error: np.ndarray,
    df: float,
    alpha: float,
) -> pd.DataFrame:
    """Build the tidy table from estimates and standard errors, with t-based tests.

    Parameters
    ----------
    terms : list of str
        The row names.
    estimate, std_error : numpy.ndarray
        One per term.
    df : float
        Degrees of freedom of the t tests and intervals (``numpy.inf`` for z tests).
    alpha : float
        The intervals have confidence level 1 - alpha.

    Returns
    -------
    pandas.DataFrame
        Indexed by term, with the columns of :data:`TABLE_COLUMNS`.

    Examples
    --------
    >>> tidy_table(["x"], np.array([2.0]), np.array([1.0]), df=10, alpha=0.05).round(3)
          estimate  std_error  statistic    df  p_value  conf_low  conf_high
    term
    x          2.0        1.0        2.0  10.0    0.073    -0.228      4.228
    """
    estimate = np.asarray(estimate, dtype=float)
    std_error = np.asarray(std_error, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = estimate / std_error
    p_value = 2 * stats.t.sf(np.abs(statistic), df)
    half_width = stats.t.ppf(1 - alpha / 2, df) * std_error
    table = pd.DataFrame(
        {
            "estimate": estimate,
            "std_error": std_error,
            "statistic": statistic,
            "df": float(df),
            "p_value": p_value,
            "conf_low": estimate - half_width,
            "conf_high": estimate + half_width,
        },
        index=pd.Index(terms, name="term"),
    )
    return table


def result_html(
    caption: str,
    table: pd.DataFrame | None = None,
    *,
    digits: str = ".4g",
    max_rows: int | None = 20,
) -> str:
    """The notebook display of a result: an escaped caption, then its table.

    Parameters
    ----------
    caption : str
        Plain text (escaped here); its first line is shown in bold.
    table : pandas.DataFrame, optional
        The result's ``.table``; omitted, only the caption is shown.
    digits : str
        The format of floating-point numbers.
    max_rows : int or None
        Longer tables show their first and last rows only (None shows every row).

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> frame = pd.DataFrame({"p": [0.12345]}, index=pd.Index(["a"], name="term"))
    >>> caption = "Title" + chr(10) + "A note & more"
    >>> print(result_html(caption, frame, max_rows=None).splitlines()[0])
    <p><b>Title</b><br>A note &amp; more</p><table class="dataframe">
    """
    head, _, rest = caption.partition("\n")
    text = f"<b>{html.escape(head)}</b>" + (f"<br>{html.escape(rest)}" if rest else "")
    if table is None:
        return f"<p>{text}</p>"
    shown = table.to_html(
        float_format=lambda v: format(v, digits), border=0, max_rows=max_rows, show_dimensions=False
    )
    return f"<p>{text}</p>" + shown


@dataclass(frozen=True)
class EstimationResult:
    """An estimate (or several) with standard errors, tests and confidence intervals.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by term, with columns ``estimate, std_error, statistic, df, p_value,
        conf_low, conf_high``.
    nobs : int
        The number of observations used.
    method : str
        What was estimated and how, in words.
    se_type : str
        The kind of standard error.
    alpha : float
        One minus the confidence level of the intervals.
    exclusions : Exclusions
        The rows excluded for missing values, with :attr:`Exclusions.note`.
    vcov : pandas.DataFrame or None
        The covariance matrix of the estimates in ``table`` (used by
        :func:`consentlib.estimation.contrast`).
    """

    table: pd.DataFrame
    nobs: int
    method: str
    se_type: str
    alpha: float
    exclusions: Exclusions
    vcov: pd.DataFrame | None = None

    @property
    def excluded_note(self) -> str:
        """How many rows were excluded, and why."""
        return self.exclusions.note

    def __getitem__(self, term: str) -> pd.Series:
        """The table's row for one term."""
        return self.table.loc[term]

    def __repr__(self) -> str:
        lines = [
            f"{self.method}",
            f"Standard errors: {self.se_type}; N = {self.nobs}. {self.excluded_note}",
            self.table.to_string(float_format=lambda v: f"{v:.4g}"),
        ]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = f"{self.method}\nStandard errors: {self.se_type}; N = {self.nobs}. "
        return result_html(caption + self.excluded_note, self.table, max_rows=None)
