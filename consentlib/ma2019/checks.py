"""Check the internal consistency of published regression tables.

A printed regression table holds more information than its numbers one by one, because the
numbers must fit together. This module turns that into checks a reader can run with nothing but
the printed table (and, where the design is known, the cell counts):

* :func:`printed_interval` gives the values that print as a number, the basis of every check;
  :func:`ratio_interval` carries it through a division, and :func:`t_is_consistent` asks whether a
  printed t value can be the printed estimate over the printed standard error.
* For an OLS of an outcome on an arm indicator with group fixed effects, two identities hold in
  every dataset (stated on the book's API page): :func:`fixed_effect_sum_identity` and
  :func:`se_ratio_identity`. :class:`FixedEffectCells` holds the counts (and sums) per group and
  arm.
* :func:`feasible_base_cells` searches every base-group cell size for the ones with which several
  published tables that share the base group can satisfy both identities at once.
* :func:`consistent_df` finds the residual degrees of freedom that reconcile a printed t value
  with its printed p-value.

A printed number is passed as the printed string, because the number of printed digits is part
of the information; the identity checks also take exact numbers, such as the estimates of a fit.
Values exactly halfway between two printed numbers count as printing as either, since software
differs in how it rounds them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from scipy import stats

from consentlib._validation import (
    check_columns,
    check_dataframe,
    check_labels_present,
    check_numeric,
    check_positive_int,
    check_single_column,
)
from consentlib.results import result_html

from .published import PublishedTable, decimals

# A printed number: an optional "<" bound, an optional sign, digits with an optional decimal part.
_PRINTED = re.compile(r"(?P<bound><)?(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))")
# Relative slack for floating-point error when comparing with rounding boundaries.
_TOLERANCE = 1e-9
# The largest grid feasible_base_cells will build.
_MAX_GRID = 50_000_000


def printed_interval(printed: str) -> tuple[float, float]:
    """The interval of values that print as ``printed``.

    A number printed with ``d`` decimals stands for every value within half a unit of its last
    digit. A printed bound such as ``"<0.001"`` (a p-value) stands for every value from 0 up to
    the bound.

    Parameters
    ----------
    printed : str
        A number as printed, such as ``"0.19907"``, ``"41"``, ``"-0.35"`` or ``"<0.001"``. A
        typographic minus sign (U+2212) is read as ``"-"``.

    Returns
    -------
    tuple of float
        ``(low, high)``. A value exactly at either end prints as ``printed`` or as its neighbour,
        depending on the rounding rule.

    Examples
    --------
    >>> printed_interval("2.9403")
    (2.94025, 2.94035)
    >>> printed_interval("41"), printed_interval("<0.001")
    ((40.5, 41.5), (0.0, 0.001))
    """
    text = _check_printed(printed, "printed")
    if text.startswith("<"):
        return 0.0, float(text[1:])
    # In exact decimal arithmetic, so that each end is the float nearest the true boundary.
    half = Decimal(5).scaleb(-decimals(text) - 1)
    return float(Decimal(text) - half), float(Decimal(text) + half)


def matches_printed(value: float, printed: str) -> bool:
    """Whether ``value`` shows as ``printed`` when rounded to the printed digits.

    The value must lie in :func:`printed_interval` of ``printed`` (ends included, to 1e-12);
    a printed bound such as "<0.001" is matched by any value below it.

    Parameters
    ----------
    value : float
        A computed number.
    printed : str
        The number as printed.

    Returns
    -------
    bool

    Examples
    --------
    >>> matches_printed(2.94004, "2.9400"), matches_printed(0.00002, "<0.001")
    (True, True)
    >>> matches_printed(14.7685, "14.769"), matches_printed(0.0285, "0.0284")
    (True, False)
    """
    low, high = printed_interval(printed)
    if printed.startswith("<"):
        return value < high
    return low - 1e-12 <= value <= high + 1e-12


def ratio_interval(numerator: str | float, denominator: str | float) -> tuple[float, float]:
    """The smallest and largest ratio of two numbers known to their printed digits.

    Parameters
    ----------
    numerator : str or float
        The numerator, for example an estimate. A string is read as printed and stands for every
        value in its :func:`printed_interval`; a number is taken as exact.
    denominator : str or float
        The denominator, for example a standard error, in the same form. Every value it stands for
        must be positive.

    Returns
    -------
    tuple of float
        ``(low, high)``: the ratio of any values that print as the two inputs lies in between.

    Examples
    --------
    Table 2 of Ma (2019) prints an intercept of 2.9403 with a standard error of 0.19907:

    >>> low, high = ratio_interval("2.9403", "0.19907")
    >>> round(low, 4), round(high, 4)
    (14.7696, 14.7708)
    """
    num_low, num_high = _bounds(numerator, "numerator")
    den_low, den_high = _bounds(denominator, "denominator")
    if den_low <= 0:
        raise ValueError(
            f"denominator must be positive whatever its rounding; got {denominator!r}, which "
            f"stands for values from {den_low} to {den_high}"
        )
    low = num_low / den_high if num_low >= 0 else num_low / den_low
    high = num_high / den_low if num_high >= 0 else num_high / den_high
    return low, high


def t_is_consistent(estimate: str, std_error: str, statistic: str) -> bool:
    """Whether a printed t value can be the printed estimate over the printed standard error.

    Dividing the printed numbers is not a fair check, because rounding an estimate or a standard
    error in its last digit can move the ratio in an earlier digit. The check asks instead whether
    some values that print as ``estimate`` and ``std_error`` have a ratio that prints as
    ``statistic``.

    Parameters
    ----------
    estimate, std_error, statistic : str
        One row of a regression table, as printed.

    Returns
    -------
    bool
        True if the three printed numbers can belong together.

    Examples
    --------
    Table 2 of Ma (2019) prints 2.9403, 0.19907 and 14.769 for its intercept, and 0.7628,
    0.13271 and 5.748 for the treatment:

    >>> t_is_consistent("2.9403", "0.19907", "14.769")
    False
    >>> t_is_consistent("2.9400", "0.19907", "14.769")
    True
    >>> t_is_consistent("0.7628", "0.13271", "5.748")
    True
    """
    for name, value in (("estimate", estimate), ("std_error", std_error)):
        _check_printed(value, name)
    t_low, t_high = printed_interval(_check_printed(statistic, "statistic"))
    low, high = ratio_interval(estimate, std_error)
    return bool(low <= _up(t_high) and high >= _down(t_low))


# --------------------------------------------------------------------------------------------
# Two identities of a regression on an arm indicator with fixed effects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FixedEffectCells:
    """Units per group and arm (and optionally their outcome sums) of a two-arm comparison.

    The first group is the base of the fixed effects: the regression's intercept is that group's
    fitted outcome in the control arm. Build the cells from data with :func:`fixed_effect_cells`,
    or directly from counts to ask what a hypothetical design implies.

    Parameters
    ----------
    n_control, n_treated : sequence of int
        The units of each group in the control (reference) arm and in the treated arm.
    sum_control, sum_treated : sequence of float, optional
        The sums of the outcome in the same cells; both or neither.
    groups : sequence, optional
        The group labels, base first; by default ``0, 1, ...``.

    Examples
    --------
    >>> cells = FixedEffectCells(n_control=[4, 6], n_treated=[4, 2])
    >>> cells.n_base, cells.n_base_treated, cells.base_share, cells.within_variation
    (8, 4, 0.5, 3.5)
    """

    n_control: tuple[int, ...]
    n_treated: tuple[int, ...]
    sum_control: tuple[float, ...] | None = None
    sum_treated: tuple[float, ...] | None = None
    groups: tuple = ()

    def __post_init__(self) -> None:
        n_control = _check_counts(self.n_control, "n_control")
        n_treated = _check_counts(self.n_treated, "n_treated")
        if len(n_treated) != len(n_control):
            raise ValueError(
                f"n_treated must have one count per group like n_control ({len(n_control)}); "
                f"got {len(n_treated)}"
            )
        groups = tuple(range(len(n_control))) if not self.groups else tuple(self.groups)
        if len(groups) != len(n_control):
            raise ValueError(
                f"groups must have one label per group ({len(n_control)}); got {len(groups)}"
            )
        if n_control[0] + n_treated[0] == 0:
            raise ValueError(
                f"the base group {groups[0]!r} has no units in either arm; "
                f"expected at least one, since the intercept is that group's level"
            )
        if not any(c and t for c, t in zip(n_control, n_treated, strict=True)):
            raise ValueError(
                "no group has units in both arms, so the arm coefficient is not identified; "
                f"got n_control={list(n_control)} and n_treated={list(n_treated)}"
            )
        if (self.sum_control is None) != (self.sum_treated is None):
            raise ValueError("sum_control and sum_treated must be given together, or neither")
        sums = [None, None]
        if self.sum_control is not None:
            sums = [
                _check_sums(values, name, len(n_control))
                for values, name in (
                    (self.sum_control, "sum_control"),
                    (self.sum_treated, "sum_treated"),
                )
            ]
        object.__setattr__(self, "n_control", n_control)
        object.__setattr__(self, "n_treated", n_treated)
        object.__setattr__(self, "sum_control", sums[0])
        object.__setattr__(self, "sum_treated", sums[1])
        object.__setattr__(self, "groups", groups)

    @property
    def n_base(self) -> int:
        """The base group's units in the two arms, ``n_1``."""
        return self.n_control[0] + self.n_treated[0]

    @property
    def n_base_treated(self) -> int:
        """The base group's units in the treated arm, ``n_b1``."""
        return self.n_treated[0]

    @property
    def base_share(self) -> float:
        """The treated share of the base group, ``p_1 = n_b1 / n_1``."""
        return self.n_base_treated / self.n_base

    @property
    def within_variation(self) -> float:
        """The arm indicator's variation within groups, ``W = sum_g n_cg n_tg / (n_cg + n_tg)``.

        With classical standard errors the coefficient's variance is the residual variance over W.
        """
        n_c, n_t = np.array(self.n_control), np.array(self.n_treated)
        both = (n_c + n_t) > 0
        return float((n_c[both] * n_t[both] / (n_c[both] + n_t[both])).sum())

    @property
    def base_sum(self) -> float | None:
        """The sum of the base group's outcomes in the two arms, or None without sums."""
        if self.sum_control is None:
            return None
        return self.sum_control[0] + self.sum_treated[0]

    @property
    def base_mean(self) -> float | None:
        """The mean outcome of the base group's units in the two arms, or None without sums."""
        return None if self.base_sum is None else self.base_sum / self.n_base

    @property
    def table(self) -> pd.DataFrame:
        """The counts and, when known, the sums, in one row per group (base first)."""
        columns = {"n_control": self.n_control, "n_treated": self.n_treated}
        if self.sum_control is not None:
            columns |= {"sum_control": self.sum_control, "sum_treated": self.sum_treated}
        return pd.DataFrame(columns, index=pd.Index(self.groups, name="group"))

    def _repr_html_(self) -> str:
        caption = f"Fixed-effect cells: {len(self.groups)} groups, base group {self.groups[0]!r}"
        return result_html(caption, self.table)


def fixed_effect_cells(
    data: pd.DataFrame,
    outcome: str,
    condition: str,
    treated: str,
    control: str,
    *,
    fixed_effects: str,
) -> FixedEffectCells:
    """Count the units and sum the outcome in every group-by-arm cell of a two-arm comparison.

    Rows outside the two arms, and rows missing the outcome or the group, are left out, as the
    regression leaves them out. Groups are ordered as the regression's fixed-effect dummies: in
    sorted order, the first being the base.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per unit.
    outcome, condition : str
        The outcome column and the column of condition labels.
    treated, control : str
        The two conditions compared; ``control`` is the regression's reference arm.
    fixed_effects : str
        The column whose levels get their own intercepts (the groups).

    Returns
    -------
    FixedEffectCells
        The counts and sums, base group first.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "y": [3, 4, 2, 5, 4, 4, 1],
    ...     "arm": ["c", "t", "c", "t", "t", "c", "c"],
    ...     "site": ["b", "b", "a", "a", "a", "b", "b"],
    ... })
    >>> fixed_effect_cells(frame, "y", "arm", "t", "c", fixed_effects="site").table
           n_control  n_treated  sum_control  sum_treated
    group
    a              1          2          2.0          9.0
    b              3          1          8.0          4.0
    """
    data = check_dataframe(data)
    group = check_single_column(fixed_effects, "fixed_effects")
    if group is None:
        raise ValueError("fixed_effects must name the column of groups; got None")
    check_columns(data, [outcome], "outcome")
    check_columns(data, [condition], "condition")
    check_columns(data, [group], "fixed effect")
    check_numeric(data, outcome)
    check_labels_present(data, condition, [treated, control])
    if treated == control:
        raise ValueError(f"treated and control must be different conditions; both are {treated!r}")
    rows = data[data[condition].isin([treated, control])].dropna(subset=[outcome, group])
    if rows.empty:
        raise ValueError(f"no row of {treated!r} or {control!r} has both {outcome!r} and {group!r}")
    levels = sorted(rows[group].unique(), key=str)
    y = rows[outcome].to_numpy(dtype=float)
    arms = {}
    for arm in (control, treated):
        in_arm = (rows[condition] == arm).to_numpy()
        frame = pd.DataFrame({"group": rows[group].to_numpy()[in_arm], "y": y[in_arm]})
        cells = frame.groupby("group", sort=False)["y"].agg(["size", "sum"])
        arms[arm] = cells.reindex(levels, fill_value=0)
    return FixedEffectCells(
        n_control=arms[control]["size"].astype(int).tolist(),
        n_treated=arms[treated]["size"].astype(int).tolist(),
        sum_control=arms[control]["sum"].astype(float).tolist(),
        sum_treated=arms[treated]["sum"].astype(float).tolist(),
        groups=levels,
    )


@dataclass(frozen=True, repr=False)
class IdentityCheck:
    """Both sides of an identity that a fitted regression obeys, and whether they can agree.

    Attributes
    ----------
    identity : str
        The identity, in symbols.
    left : float
        The left-hand side at the estimates given (for printed estimates, at the printed values).
    low, high : float
        The smallest and largest left-hand side that values printing as the given estimates can
        give; both equal ``left`` for exact estimates.
    right : float or None
        The right-hand side, or None when the cells hold no outcome sums.
    holds : bool
        Whether the sides can agree: ``right`` lies between ``low`` and ``high`` (up to
        floating-point error). Without ``right``, whether a whole number does, which is what the
        sum identity demands of an outcome with whole-number values (a rating, a count).
    """

    identity: str
    left: float
    low: float
    high: float
    right: float | None
    holds: bool

    def __repr__(self) -> str:
        def shown(x: float | None) -> str:
            return "unknown" if x is None else f"{x:.8g}"

        left = shown(self.left)
        if self.low != self.high:
            left += f" (from {shown(self.low)} to {shown(self.high)})"
        return (
            f"IdentityCheck({self.identity}: left {left}, right {shown(self.right)}, "
            f"holds={self.holds})"
        )


def fixed_effect_sum_identity(
    cells: FixedEffectCells, intercept: str | float, coefficient: str | float
) -> IdentityCheck:
    """Check ``n_1 * intercept + n_b1 * coefficient`` against the base group's outcome sum.

    In an OLS of an outcome on an arm indicator with group fixed effects, the residuals sum to
    zero within every group. Within the base group the fitted values are the intercept (control
    arm) and the intercept plus the coefficient (treated arm), so
    ``n_1 * intercept + n_b1 * coefficient`` equals the sum of the base group's outcomes.

    Parameters
    ----------
    cells : FixedEffectCells
        The design; its outcome sums, when present, give the right-hand side.
    intercept, coefficient : str or float
        The estimates: numbers from a fit (exact), or strings as printed (every value that
        prints so).

    Returns
    -------
    IdentityCheck
        ``right`` is the base group's outcome sum, or None when ``cells`` has no sums; then
        ``holds`` says whether a whole number is within reach.

    Examples
    --------
    With 14 control and 14 treated units in the base group, Table 2 of Ma (2019) as printed
    (2.9403 and 0.7628) cannot give a whole number; an intercept of 2.9400 can:

    >>> cells = FixedEffectCells(n_control=[14, 15], n_treated=[14, 16])
    >>> fixed_effect_sum_identity(cells, "2.9403", "0.7628")  # doctest: +NORMALIZE_WHITESPACE
    IdentityCheck(n_1 * intercept + n_b1 * coefficient = base sum:
                  left 93.0076 (from 93.0055 to 93.0097), right unknown, holds=False)
    >>> fixed_effect_sum_identity(cells, "2.9400", "0.7628").holds
    True
    """
    cells = _check_cells(cells)
    a_low, a_high = _bounds(intercept, "intercept")
    b_low, b_high = _bounds(coefficient, "coefficient")
    n1, nb1 = cells.n_base, cells.n_base_treated
    left = n1 * _point(intercept) + nb1 * _point(coefficient)
    low, high = n1 * a_low + nb1 * b_low, n1 * a_high + nb1 * b_high
    right = cells.base_sum
    if right is None:
        holds = bool(_whole_number_within(low, high))
    else:
        holds = bool(_down(low) <= right <= _up(high))
    return IdentityCheck(
        "n_1 * intercept + n_b1 * coefficient = base sum", left, low, high, right, holds
    )


def se_ratio_identity(
    cells: FixedEffectCells, intercept_se: str | float, coefficient_se: str | float
) -> IdentityCheck:
    """Check ``(SE_intercept / SE_coefficient) ** 2`` against ``W / n_1 + p_1 ** 2``.

    With classical standard errors both are multiples of the residual standard deviation:
    ``Var(coefficient) = sigma^2 / W`` and ``Var(intercept) = sigma^2 (1 / n_1 + p_1^2 / W)``.
    Their squared ratio therefore depends on the cell counts alone.

    Parameters
    ----------
    cells : FixedEffectCells
        The design (counts of every group are needed, not only the base's).
    intercept_se, coefficient_se : str or float
        The classical standard errors: numbers from a fit, or strings as printed.

    Returns
    -------
    IdentityCheck
        The squared ratio (``left``, with its range ``low`` to ``high``) against
        ``W / n_1 + p_1 ** 2`` (``right``).

    Examples
    --------
    Two groups with 4 + 4 and 6 + 2 units have ``W = 2 + 1.5``, ``n_1 = 8`` and ``p_1 = 0.5``, so
    the squared ratio must be ``3.5 / 8 + 0.25 = 0.6875``:

    >>> cells = FixedEffectCells(n_control=[4, 6], n_treated=[4, 2])
    >>> se_ratio_identity(cells, "0.415", "0.500").holds
    True
    >>> check = se_ratio_identity(cells, "0.450", "0.500")
    >>> round(check.left, 4), check.right, check.holds
    (0.81, 0.6875, False)
    """
    cells = _check_cells(cells)
    for value, name in ((intercept_se, "intercept_se"), (coefficient_se, "coefficient_se")):
        if _bounds(value, name)[0] <= 0:
            raise ValueError(f"{name} must be a positive standard error; got {value!r}")
    low, high = (r**2 for r in ratio_interval(intercept_se, coefficient_se))
    left = (_point(intercept_se) / _point(coefficient_se)) ** 2
    right = cells.within_variation / cells.n_base + cells.base_share**2
    holds = bool(_down(low) <= right <= _up(high))
    return IdentityCheck(
        "(SE_intercept / SE_coefficient)^2 = W / n_1 + p_1^2", left, low, high, right, holds
    )


# --------------------------------------------------------------------------------------------
# Searching the base group's cell sizes
# --------------------------------------------------------------------------------------------


def feasible_base_cells(
    tables: Sequence[PublishedTable],
    *,
    max_size: int,
    max_respondents: int | None = None,
    min_size: int = 1,
) -> pd.DataFrame:
    """The base group's cell sizes with which the printed tables can all satisfy both identities.

    Every combination of sizes from ``min_size`` to ``max_size``, one per arm, is tested against
    both identities for every table (the two tests are stated on the book's API page).

    Parameters
    ----------
    tables : sequence of consentlib.ma2019.published.PublishedTable
        The printed tables; each compares ``reference`` (its intercept's arm) with ``treated``.
    max_size : int
        The largest cell size tried in each arm.
    max_respondents : int, optional
        An upper bound on the units in any one regression. Without it, test 2 is skipped.
    min_size : int, default 1
        The smallest cell size tried in each arm.

    Returns
    -------
    pandas.DataFrame
        One column per arm, in the order the tables first name them, and one row per feasible
        combination of the base group's cell sizes, in increasing order; no rows if none is.

    Examples
    --------
    Tables 2 to 4 of Ma (2019) share the base enumerator's control, treatment and placebo cells.
    As printed, no sizes fit them all; with Table 2's intercept read as 2.9400, one set does:

    >>> from dataclasses import replace
    >>> from consentlib.ma2019.published import TABLES
    >>> len(feasible_base_cells(TABLES, max_size=130, max_respondents=368))
    0
    >>> table2 = replace(TABLES[0], intercept=replace(TABLES[0].intercept, estimate="2.9400"))
    >>> feasible_base_cells((table2, *TABLES[1:]), max_size=130, max_respondents=368)
       control  treatment  placebo
    0       14         14       16
    """
    tables = _check_tables(tables)
    max_size = check_positive_int(max_size, "max_size")
    min_size = check_positive_int(min_size, "min_size")
    if min_size > max_size:
        raise ValueError(f"min_size must be at most max_size ({max_size}); got {min_size}")
    if max_respondents is not None:
        max_respondents = check_positive_int(max_respondents, "max_respondents")
    arms = list(dict.fromkeys(arm for t in tables for arm in (t.reference, t.treated)))
    sizes = np.arange(min_size, max_size + 1)
    if len(sizes) ** len(arms) > _MAX_GRID:
        raise ValueError(
            f"the search would try {len(sizes)}^{len(arms)} combinations of sizes, more than "
            f"{_MAX_GRID}; lower max_size or raise min_size"
        )
    possible = np.ones((len(sizes),) * len(arms), dtype=bool)
    n_ref, n_treated = sizes[:, None], sizes[None, :]  # a pair's sizes: rows x columns
    for table in tables:
        ok = _sum_can_hold(n_ref, n_treated, table)
        if max_respondents is not None:
            ok &= _se_ratio_can_hold(n_ref, n_treated, table, max_respondents)
        i, j = arms.index(table.reference), arms.index(table.treated)
        shape = [1] * len(arms)
        shape[i] = shape[j] = len(sizes)
        possible &= (ok if i < j else ok.T).reshape(shape)
    feasible = np.argwhere(possible) + min_size
    return pd.DataFrame(feasible, columns=arms, dtype=int)


def _sum_can_hold(n_ref: np.ndarray, n_treated: np.ndarray, table: PublishedTable) -> np.ndarray:
    a_low, a_high = printed_interval(table.intercept.estimate)
    b_low, b_high = printed_interval(table.effect.estimate)
    n1 = n_ref + n_treated
    return _whole_number_within(n1 * a_low + n_treated * b_low, n1 * a_high + n_treated * b_high)


def _se_ratio_can_hold(
    n_ref: np.ndarray, n_treated: np.ndarray, table: PublishedTable, max_respondents: int
) -> np.ndarray:
    r_low, r_high = ratio_interval(table.intercept.std_error, table.effect.std_error)
    n1 = n_ref + n_treated
    share = n_treated / n1
    smallest_w = n1 * (r_low**2 - share**2)
    largest_w = n1 * (r_high**2 - share**2)
    return (smallest_w <= _up(max_respondents / 4)) & (largest_w > 0)


# --------------------------------------------------------------------------------------------
# Degrees of freedom
# --------------------------------------------------------------------------------------------


def consistent_df(statistic: str, p_value: str, df_range: Iterable[float]) -> np.ndarray:
    """The residual degrees of freedom for which a printed t value gives the printed p-value.

    A two-sided p-value from a t distribution depends on the degrees of freedom. For each
    candidate, the check asks whether some t that prints as ``statistic`` has a p-value that
    prints as ``p_value``: the p-values of the t values in the printed interval run from
    ``2 * sf(|t_high|)`` to ``2 * sf(|t_low|)``, and that range must meet the printed one.

    Parameters
    ----------
    statistic : str
        The t value as printed (its sign does not matter).
    p_value : str
        The two-sided p-value as printed; ``"<0.001"`` is read as anything below 0.001.
    df_range : iterable of float
        The degrees of freedom to try, each positive (usually whole numbers).

    Returns
    -------
    numpy.ndarray
        The consistent degrees of freedom among ``df_range``, in its order.

    Examples
    --------
    Table 3 of Ma (2019) prints t = 2.206 with p = 0.0284:

    >>> df = consistent_df("2.206", "0.0284", range(1, 2000))
    >>> int(df.min()), int(df.max())
    (207, 244)
    """
    if _check_printed(statistic, "statistic").startswith("<"):
        raise ValueError(f"statistic must be a printed number, not a bound; got {statistic!r}")
    t_low, t_high = printed_interval(statistic)
    p_low, p_high = printed_interval(_check_printed(p_value, "p_value"))
    if not 0 <= p_low < 1:
        raise ValueError(f"p_value must print a probability below 1; got {p_value!r}")
    # |t| runs over [abs_low, abs_high] when t runs over [t_low, t_high].
    abs_low = 0.0 if t_low <= 0 <= t_high else min(abs(t_low), abs(t_high))
    abs_high = max(abs(t_low), abs(t_high))
    candidates = _check_df(df_range)
    smallest_p = 2 * stats.t.sf(abs_high, candidates)
    largest_p = 2 * stats.t.sf(abs_low, candidates)
    return candidates[(smallest_p <= _up(p_high)) & (largest_p >= _down(p_low))]


# --------------------------------------------------------------------------------------------
# Input checks and small helpers
# --------------------------------------------------------------------------------------------


def _check_printed(printed: object, name: str) -> str:
    """Return a printed number's text, normalized, or raise an error naming ``name``."""
    if not isinstance(printed, str):
        raise TypeError(
            f"{name} must be a number as printed, a string such as '0.1461' or '<0.001' (the "
            f"printed digits matter); got {printed!r} of type {type(printed).__name__}"
        )
    text = printed.strip().replace("\u2212", "-")
    match = _PRINTED.fullmatch(text)
    if match is None:
        raise ValueError(
            f"{name} must be a number as printed, such as '0.1461', '41', '-0.35' or '<0.001'; "
            f"got {printed!r}"
        )
    if match["bound"] and float(match["number"]) <= 0:
        raise ValueError(f"{name} must be a positive bound such as '<0.001'; got {printed!r}")
    return text


def _bounds(value: str | float, name: str) -> tuple[float, float]:
    """A printed string's interval, or an exact number as a zero-width interval."""
    if isinstance(value, str):
        return printed_interval(_check_printed(value, name))
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(
            f"{name} must be a number or a printed string such as '0.7628'; got {value!r}"
        )
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return float(value), float(value)


def _point(value: str | float) -> float:
    """The value itself: a printed string at its printed digits, a number as it is."""
    return (
        float(value.strip().replace("\u2212", "-").lstrip("<"))
        if isinstance(value, str)
        else float(value)
    )


def _up(x):
    """``x`` moved up by the floating-point slack."""
    return x + _TOLERANCE * np.maximum(1.0, np.abs(x))


def _down(x):
    """``x`` moved down by the floating-point slack."""
    return x - _TOLERANCE * np.maximum(1.0, np.abs(x))


def _whole_number_within(low, high):
    """Whether a whole number lies between ``low`` and ``high`` (arrays allowed)."""
    return np.floor(_up(high)) >= np.ceil(_down(low))


def _check_counts(values: object, name: str) -> tuple[int, ...]:
    counts = np.asarray(values)
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(
            f"{name} must be a non-empty sequence of counts, one per group; got {values!r}"
        )
    if not (np.issubdtype(counts.dtype, np.integer) or np.issubdtype(counts.dtype, np.floating)):
        raise ValueError(f"{name} must hold whole numbers; got {values!r}")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError(f"{name} must hold whole numbers of at least 0; got {values!r}")
    return tuple(int(c) for c in counts)


def _check_sums(values: object, name: str, n_groups: int) -> tuple[float, ...]:
    sums = np.asarray(values, dtype=float) if np.ndim(values) == 1 else None
    if sums is None or len(sums) != n_groups:
        raise ValueError(f"{name} must have one sum per group ({n_groups}); got {values!r}")
    if not np.all(np.isfinite(sums)):
        raise ValueError(f"{name} must hold finite numbers; got {values!r}")
    return tuple(float(s) for s in sums)


def _check_cells(cells: object) -> FixedEffectCells:
    if not isinstance(cells, FixedEffectCells):
        raise TypeError(
            f"cells must be a FixedEffectCells (from fixed_effect_cells or built from counts); "
            f"got {type(cells).__name__}"
        )
    return cells


def _check_tables(tables: object) -> tuple[PublishedTable, ...]:
    if isinstance(tables, PublishedTable):
        tables = (tables,)
    if isinstance(tables, (str, bytes)) or not isinstance(tables, Iterable):
        raise TypeError(f"tables must be a sequence of PublishedTable; got {tables!r}")
    tables = tuple(tables)
    if not tables:
        raise ValueError("tables must hold at least one PublishedTable; got none")
    for table in tables:
        if not isinstance(table, PublishedTable):
            raise TypeError(
                f"tables must hold consentlib.ma2019.published.PublishedTable objects; "
                f"got {type(table).__name__}"
            )
        if table.reference == table.treated:
            raise ValueError(
                f"Table {table.number} compares {table.reference!r} with itself; expected two arms"
            )
        fields = {
            "intercept estimate": table.intercept.estimate,
            "intercept std_error": table.intercept.std_error,
            "effect estimate": table.effect.estimate,
            "effect std_error": table.effect.std_error,
        }
        for name, value in fields.items():
            _check_printed(value, f"Table {table.number}'s {name}")
        ratio_interval(table.intercept.std_error, table.effect.std_error)
    return tables


def _check_df(df_range: object) -> np.ndarray:
    if isinstance(df_range, (str, bytes)) or not isinstance(df_range, Iterable):
        raise ValueError(f"df_range must be an iterable of positive numbers; got {df_range!r}")
    candidates = np.asarray(list(df_range))
    if candidates.size == 0 or candidates.ndim != 1:
        raise ValueError(f"df_range must hold at least one positive number; got {df_range!r}")
    if not np.issubdtype(candidates.dtype, np.number) or candidates.dtype == bool:
        raise ValueError(f"df_range must hold positive numbers; got {df_range!r}")
    if not np.all(np.isfinite(candidates)) or np.any(candidates <= 0):
        raise ValueError(f"df_range must hold positive finite numbers; got {df_range!r}")
    return candidates
