"""Checks of published regression tables, against independent computations.

The printed numbers come from ``reference_values`` (typed from the article's Tables 2-4). The
references are computed here by other routes: exact decimal arithmetic and brute-force loops for
the rounding and feasibility checks, statsmodels fits of small synthetic designs for the two
regression identities, and scipy's inverse t distribution for the degrees-of-freedom check.
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from itertools import product

import numpy as np
import pandas as pd
import pytest
import reference_values as ref
import statsmodels.formula.api as smf
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from consentlib.ma2019.checks import (
    FixedEffectCells,
    consistent_df,
    feasible_base_cells,
    fixed_effect_cells,
    fixed_effect_sum_identity,
    printed_interval,
    ratio_interval,
    se_ratio_identity,
    t_is_consistent,
)
from consentlib.ma2019.published import TABLES, PublishedRow, PublishedTable

# The six printed rows of Tables 2-4: (table, term) -> {"estimate": ..., ...} as strings.
PRINTED_ROWS = {
    (table, term): row
    for table in ("table2", "table3", "table4")
    for term, row in ref.PRINTED[table].items()
}


def _exact_interval(printed: str) -> tuple[Decimal, Decimal]:
    """The values that print as ``printed``, in exact decimal arithmetic."""
    places = len(printed.partition(".")[2])
    half = Decimal(5) / Decimal(10) ** (places + 1)
    return Decimal(printed) - half, Decimal(printed) + half


def _published_tables(table2_intercept: str | None = None) -> tuple[PublishedTable, ...]:
    """Tables 2-4 built from ``reference_values``, optionally with another Table 2 intercept."""
    tables = []
    for number, key in ((2, "table2"), (3, "table3"), (4, "table4")):
        reference, treated = ref.CONTRASTS[key]
        rows = ref.PRINTED[key]
        intercept = PublishedRow(**rows["intercept"])
        if number == 2 and table2_intercept is not None:
            intercept = replace(intercept, estimate=table2_intercept)
        effect = PublishedRow(**rows[treated])
        tables.append(PublishedTable(number, key, reference, treated, intercept, effect))
    return tuple(tables)


# --- printed_interval ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "low", "high"),
    [
        ("2.9403", 2.94025, 2.94035),  # Table 2's intercept
        ("14.70", 14.695, 14.705),  # Table 3's intercept t
        ("41", 40.5, 41.5),  # Table 1's mean age
        ("-0.35", -0.355, -0.345),
        ("\u22120.35", -0.355, -0.345),  # a typographic minus
    ],
)
def test_printed_interval_spans_half_a_unit_of_the_last_digit(printed, low, high):
    assert printed_interval(printed) == pytest.approx((low, high), abs=1e-12)


def test_a_printed_bound_runs_from_zero_to_the_bound():
    # Tables 2-4 print p-values below 0.001 as "<0.001".
    assert printed_interval("<0.001") == (0.0, 0.001)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(10**6), 10**6),
    st.integers(0, 5),
    st.floats(0.02, 0.98),
)
def test_every_value_inside_the_interval_prints_as_the_number(mantissa, places, position):
    """A value strictly inside the interval, formatted to the printed decimals, gives the print."""
    printed = f"{mantissa / 10**places:.{places}f}"
    low, high = printed_interval(printed)
    value = low + position * (high - low)
    shown = f"{value:.{places}f}"
    assert shown == printed or float(shown) == float(printed) == 0.0  # "-0.00" is "0.00"


@pytest.mark.parametrize("bad", [2.9403, "", "abc", "1e-3", "1.2.3", "<0", "<-0.1", "< 0.1x"])
def test_printed_interval_rejects_what_is_not_a_printed_number(bad):
    with pytest.raises(ValueError if isinstance(bad, str) else TypeError, match="printed"):
        printed_interval(bad)


# --- ratio_interval and t_is_consistent ------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [("2.9403", "0.19907"), ("0.4338", "0.1284"), ("-0.35", "0.12"), ("-0.004", "0.5"), ("3", 2.0)],
)
def test_ratio_interval_is_the_range_of_ratios_of_printed_compatible_values(numerator, denominator):
    # Reference: the ratios of a 201 x 201 grid of values covering both intervals, ends included.
    num = np.linspace(*printed_interval(numerator), 201)
    den = (
        np.linspace(*printed_interval(denominator), 201)
        if isinstance(denominator, str)
        else np.array([denominator])
    )
    ratios = num[:, None] / den[None, :]
    assert ratio_interval(numerator, denominator) == pytest.approx(
        (ratios.min(), ratios.max()), rel=1e-12
    )


@pytest.mark.parametrize("denominator", ["0.000", "0", "-0.5"])
def test_ratio_interval_rejects_a_denominator_that_can_be_zero_or_negative(denominator):
    with pytest.raises(ValueError, match="denominator must be positive"):
        ratio_interval("1.0", denominator)


@pytest.mark.parametrize(("table", "term"), list(PRINTED_ROWS))
def test_t_check_agrees_with_a_search_over_printed_compatible_values(table, term):
    # Reference: a 1001 x 1001 grid over the estimate's and the standard error's intervals; the
    # row is consistent if some grid ratio lies in the printed t's interval.
    row = PRINTED_ROWS[(table, term)]
    estimates = np.linspace(*printed_interval(row["estimate"]), 1001)
    std_errors = np.linspace(*printed_interval(row["std_error"]), 1001)
    t_low, t_high = printed_interval(row["statistic"])
    ratios = estimates[:, None] / std_errors[None, :]
    found = bool(((ratios >= t_low) & (ratios <= t_high)).any())
    assert t_is_consistent(row["estimate"], row["std_error"], row["statistic"]) is found


def test_only_table2_intercept_fails_the_t_check():
    # Ma (2019), Tables 2-4: 2.9403 / 0.19907 cannot print as 14.769; the other five rows can.
    failing = [
        key
        for key, row in PRINTED_ROWS.items()
        if not t_is_consistent(row["estimate"], row["std_error"], row["statistic"])
    ]
    assert failing == [("table2", "intercept")]


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-50, 50, allow_nan=False),
    st.floats(0.01, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 4),
)
def test_a_row_printed_from_real_numbers_always_passes_the_t_check(
    estimate, std_error, estimate_places, se_places, t_places
):
    """Rounding a real estimate, its standard error and their ratio never fails the check."""
    se_text = f"{std_error:.{se_places}f}"
    assume(printed_interval(se_text)[0] > 0)
    assert t_is_consistent(
        f"{estimate:.{estimate_places}f}", se_text, f"{estimate / std_error:.{t_places}f}"
    )


# --- the two identities, on statsmodels fits -------------------------------------------------


def _synthetic_design(seed: int) -> pd.DataFrame:
    """SYNTHETIC responses 1-5 from a few groups with unequal cells, plus a third arm and gaps."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(int(rng.integers(2, 7))):
        for arm in ("control", "treated", "other"):
            for _ in range(int(rng.integers(1, 9))):
                rows.append((f"g{g}", arm, int(rng.integers(1, 6))))
    frame = pd.DataFrame(rows, columns=["group", "arm", "y"]).astype({"y": "float"})
    frame.loc[rng.choice(len(frame), size=3, replace=False), "y"] = np.nan
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _statsmodels_fit(frame: pd.DataFrame):
    pair = frame[frame["arm"].isin(["control", "treated"])].dropna(subset=["y"])
    fit = smf.ols("y ~ C(arm, Treatment('control')) + C(group)", data=pair).fit()
    term = "C(arm, Treatment('control'))[T.treated]"
    base = pair[pair["group"] == sorted(pair["group"].unique())[0]]
    return fit, term, pair, base


@pytest.mark.parametrize("seed", range(6))
def test_sum_identity_holds_in_a_statsmodels_fit(seed):
    # Reference: statsmodels' estimates, and the base group's responses summed directly.
    fit, term, _, base = _statsmodels_fit(_synthetic_design(seed))
    n1, nb1 = len(base), int((base["arm"] == "treated").sum())
    base_sum = base["y"].sum()
    assert abs(n1 * fit.params["Intercept"] + nb1 * fit.params[term] - base_sum) < 1e-10
    cells = fixed_effect_cells(_synthetic_design(seed), "y", "arm", "treated", "control",
                               fixed_effects="group")  # fmt: skip
    check = fixed_effect_sum_identity(cells, fit.params["Intercept"], fit.params[term])
    assert check.right == base_sum
    assert check.left == pytest.approx(base_sum, abs=1e-10)
    assert check.holds


@pytest.mark.parametrize("seed", range(6))
def test_se_ratio_identity_holds_in_a_statsmodels_fit(seed):
    # Reference: statsmodels' classical standard errors, and W / n1 + p1^2 from direct counts.
    fit, term, pair, base = _statsmodels_fit(_synthetic_design(seed))
    counts = pd.crosstab(pair["group"], pair["arm"])
    w = (counts["control"] * counts["treated"] / (counts["control"] + counts["treated"])).sum()
    n1, nb1 = len(base), int((base["arm"] == "treated").sum())
    design_value = w / n1 + (nb1 / n1) ** 2
    fitted_value = (fit.bse["Intercept"] / fit.bse[term]) ** 2
    assert abs(fitted_value - design_value) < 1e-10
    cells = fixed_effect_cells(_synthetic_design(seed), "y", "arm", "treated", "control",
                               fixed_effects="group")  # fmt: skip
    check = se_ratio_identity(cells, fit.bse["Intercept"], fit.bse[term])
    assert check.right == pytest.approx(design_value, rel=1e-12)
    assert check.left == pytest.approx(fitted_value, rel=1e-12)
    assert check.holds


def test_identities_fail_when_an_estimate_is_moved():
    fit, term, _, _ = _statsmodels_fit(_synthetic_design(0))
    cells = fixed_effect_cells(_synthetic_design(0), "y", "arm", "treated", "control",
                               fixed_effects="group")  # fmt: skip
    moved = fit.params["Intercept"] + 1e-4
    assert not fixed_effect_sum_identity(cells, moved, fit.params[term]).holds
    assert not se_ratio_identity(cells, fit.bse["Intercept"] * 1.001, fit.bse[term]).holds


def test_cells_count_and_sum_as_a_crosstab_with_the_base_group_first():
    # Reference: pandas crosstabs of the two arms' answered rows.
    frame = _synthetic_design(3)
    cells = fixed_effect_cells(frame, "y", "arm", "treated", "control", fixed_effects="group")
    pair = frame[frame["arm"].isin(["control", "treated"])].dropna(subset=["y"])
    counts = pd.crosstab(pair["group"], pair["arm"])
    sums = pd.crosstab(pair["group"], pair["arm"], values=pair["y"], aggfunc="sum").fillna(0)
    assert cells.groups == tuple(sorted(pair["group"].unique()))
    assert cells.n_control == tuple(counts["control"])
    assert cells.n_treated == tuple(counts["treated"])
    assert cells.sum_control == tuple(sums["control"])
    assert cells.sum_treated == tuple(sums["treated"])
    assert cells.base_mean == pytest.approx(pair[pair["group"] == "g0"]["y"].mean())


# --- the identities on printed numbers ---------------------------------------------------------


@pytest.mark.parametrize("table", ["table2", "table3", "table4"])
def test_printed_sum_identity_agrees_with_exact_decimal_arithmetic(table):
    # Reference: the printed intervals in exact decimals; a whole number must lie within.
    _, treated = ref.CONTRASTS[table]
    rows = ref.PRINTED[table]
    a_low, a_high = _exact_interval(rows["intercept"]["estimate"])
    b_low, b_high = _exact_interval(rows[treated]["estimate"])
    for n_control, n_treated in product(range(1, 31), repeat=2):
        n1 = n_control + n_treated
        low, high = n1 * a_low + n_treated * b_low, n1 * a_high + n_treated * b_high
        expected = math.floor(high) >= math.ceil(low)
        cells = FixedEffectCells(n_control=[n_control], n_treated=[n_treated])
        check = fixed_effect_sum_identity(
            cells, rows["intercept"]["estimate"], rows[treated]["estimate"]
        )
        assert check.holds is expected, (n_control, n_treated)


def test_table2_printed_intercept_misses_a_whole_number_with_14_and_14():
    # Ma (2019), Table 2: 28 * 2.9403 + 14 * 0.7628 = 93.0076, and rounding moves it at most
    # 42 * 0.00005 = 0.0021; with 2.9400 the sum is 92.9992, within reach of 93.
    cells = FixedEffectCells(n_control=[14, 20], n_treated=[14, 20])
    printed = fixed_effect_sum_identity(cells, "2.9403", "0.7628")
    assert printed.left == pytest.approx(93.0076, abs=1e-9)
    assert printed.high - printed.left == pytest.approx(0.0021, abs=1e-9)
    assert not printed.holds
    assert fixed_effect_sum_identity(cells, "2.9400", "0.7628").holds


def test_printed_se_ratio_identity_agrees_with_exact_fractions():
    # Reference: the squared-ratio interval of "0.21" / "0.15" in exact decimals, against
    # W / n1 + p1^2 in exact fractions, for every design of two groups with small cells.
    se_low, se_high = _exact_interval("0.21")
    sc_low, sc_high = _exact_interval("0.15")
    low, high = Fraction(se_low / sc_high) ** 2, Fraction(se_high / sc_low) ** 2
    outcomes = set()
    for c1, t1, c2, t2 in product(range(1, 5), range(1, 5), range(1, 16), range(1, 16)):
        n1 = c1 + t1
        w = Fraction(c1 * t1, n1) + Fraction(c2 * t2, c2 + t2)
        expected = low <= w / n1 + Fraction(t1, n1) ** 2 <= high
        cells = FixedEffectCells(n_control=[c1, c2], n_treated=[t1, t2])
        assert se_ratio_identity(cells, "0.21", "0.15").holds is expected, (c1, t1, c2, t2)
        outcomes.add(expected)
    assert outcomes == {True, False}


# --- feasible_base_cells ---------------------------------------------------------------------


def _brute_force_feasible(tables, max_size, max_respondents):
    """Every combination of the arms' sizes passing both checks, by loops and decimals."""
    arms = list(dict.fromkeys(arm for t in tables for arm in (t.reference, t.treated)))
    feasible = []
    for sizes in product(range(1, max_size + 1), repeat=len(arms)):
        size = dict(zip(arms, sizes, strict=True))
        ok = True
        for table in tables:
            n_ref, n_tr = size[table.reference], size[table.treated]
            n1 = n_ref + n_tr
            a_low, a_high = _exact_interval(table.intercept.estimate)
            b_low, b_high = _exact_interval(table.effect.estimate)
            if math.floor(n1 * a_high + n_tr * b_high) < math.ceil(n1 * a_low + n_tr * b_low):
                ok = False
                break
            if max_respondents is not None:
                si_low, si_high = _exact_interval(table.intercept.std_error)
                sc_low, sc_high = _exact_interval(table.effect.std_error)
                share = Decimal(n_tr) / Decimal(n1)
                smallest_w = n1 * ((si_low / sc_high) ** 2 - share**2)
                largest_w = n1 * ((si_high / sc_low) ** 2 - share**2)
                if smallest_w > Decimal(max_respondents) / 4 or largest_w <= 0:
                    ok = False
                    break
        if ok:
            feasible.append(sizes)
    return feasible


@pytest.mark.parametrize("table2_intercept", [None, "2.9400"])
@pytest.mark.parametrize("max_respondents", [None, 368, 120])
def test_feasible_cells_equal_a_brute_force_search(table2_intercept, max_respondents):
    # Reference: triple loops over sizes 1-18 in exact decimal arithmetic.
    tables = _published_tables(table2_intercept)
    expected = _brute_force_feasible(tables, 18, max_respondents)
    found = feasible_base_cells(tables, max_size=18, max_respondents=max_respondents)
    assert list(found.columns) == ["control", "treatment", "placebo"]
    assert [tuple(row) for row in found.itertuples(index=False)] == expected


def test_a_small_se_ratio_rules_out_a_mostly_treated_base_group():
    # An invented table whose intercept SE is half the coefficient's: W > 0 needs p1 < 0.58.
    # Reference: the same brute-force loops.
    table = PublishedTable(
        1,
        "invented",
        "control",
        "treatment",
        PublishedRow("2.50", "0.05", "50.0", "<0.001"),
        PublishedRow("0.50", "0.10", "5.0", "<0.001"),
    )
    found = feasible_base_cells([table], max_size=25, max_respondents=400)
    expected = _brute_force_feasible([table], 25, 400)
    assert [tuple(row) for row in found.itertuples(index=False)] == expected
    largest_ratio = 0.055 / 0.095  # W > 0 needs p1 below the largest attainable SE ratio
    assert all(t / (c + t) < largest_ratio for c, t in expected)
    assert any(t / (c + t) >= largest_ratio for c, t in _brute_force_feasible([table], 25, None))


def test_printed_tables_admit_no_base_cells_and_2_9400_admits_only_14_14_16():
    # Reference: the brute-force search above run over sizes 1-130 (a few seconds, done when
    # this test was written) found none as printed and only (14, 14, 16) with 2.9400; the
    # calibration of the synthetic data found the same in sizes 2-59.
    printed = feasible_base_cells(_published_tables(), max_size=130, max_respondents=368)
    corrected = feasible_base_cells(_published_tables("2.9400"), max_size=130, max_respondents=368)
    assert printed.empty
    assert [tuple(row) for row in corrected.itertuples(index=False)] == [(14, 14, 16)]


def test_feasible_cells_start_at_min_size():
    found = feasible_base_cells(_published_tables("2.9400"), max_size=20, min_size=14,
                                max_respondents=368)  # fmt: skip
    assert found.to_numpy().min() >= 14
    assert (found == [14, 14, 16]).all(axis=1).any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tables": (), "max_size": 10}, "at least one"),
        ({"tables": ("Table 2",), "max_size": 10}, "PublishedTable"),
        ({"tables": TABLES, "max_size": 0}, "max_size"),
        ({"tables": TABLES, "max_size": 10, "min_size": 11}, "min_size"),
        ({"tables": TABLES, "max_size": 10, "max_respondents": -3}, "max_respondents"),
        ({"tables": TABLES, "max_size": 10**6}, "lower max_size"),
    ],
)
def test_feasible_cells_reject_bad_arguments(kwargs, message):
    wrong_type = message == "PublishedTable"
    with pytest.raises(TypeError if wrong_type else ValueError, match=message):
        feasible_base_cells(**kwargs)


# --- consistent_df ---------------------------------------------------------------------------


def _df_by_inversion(statistic: str, p_value: str, candidates) -> list[int]:
    """Degrees of freedom whose t interval for the printed p meets the printed t interval."""
    t_low, t_high = printed_interval(statistic)
    p_low, p_high = printed_interval(p_value)
    found = []
    for df in candidates:
        # p falls as |t| rises: p in [p_low, p_high] means |t| in [isf(p_high/2), isf(p_low/2)].
        smallest_t = stats.t.isf(p_high / 2, df)
        largest_t = stats.t.isf(p_low / 2, df) if p_low > 0 else math.inf
        if smallest_t <= t_high and largest_t >= t_low:
            found.append(df)
    return found


@pytest.mark.parametrize(
    ("statistic", "p_value"),
    [("2.206", "0.0284"), ("3.377", "<0.001"), ("5.748", "<0.001"), ("1.96", "0.05")],
)
def test_consistent_df_agrees_with_inverting_the_p_value(statistic, p_value):
    # Table 3's placebo row (2.206, 0.0284) and Table 4's treatment row (3.377, <0.001) of
    # Ma (2019); scipy's inverse survival function is the reference.
    candidates = range(1, 1500)
    expected = _df_by_inversion(statistic, p_value, candidates)
    assert consistent_df(statistic, p_value, candidates).tolist() == expected


def test_the_sign_of_t_does_not_matter():
    assert (
        consistent_df("-2.206", "0.0284", range(1, 500)).tolist()
        == consistent_df("2.206", "0.0284", range(1, 500)).tolist()
    )


@settings(max_examples=100, deadline=None)
@given(st.floats(0.5, 4.0), st.integers(3, 400), st.integers(2, 3), st.integers(3, 4))
def test_the_true_df_is_always_among_the_consistent_ones(t, df, t_places, p_places):
    """A t value and its p-value, both rounded for print, are consistent with the true df."""
    p = 2 * stats.t.sf(t, df)
    assume(p > 10**-p_places)
    found = consistent_df(f"{t:.{t_places}f}", f"{p:.{p_places}f}", [df])
    assert found.tolist() == [df]


@pytest.mark.parametrize(
    ("statistic", "p_value", "df_range", "message"),
    [
        ("<2", "0.05", range(1, 10), "statistic"),
        ("2.0", "1.5", range(1, 10), "p_value"),
        ("2.0", 0.05, range(1, 10), "p_value"),
        ("2.0", "0.05", [], "df_range"),
        ("2.0", "0.05", [10, -1], "df_range"),
        ("2.0", "0.05", "30", "df_range"),
    ],
)
def test_consistent_df_rejects_bad_arguments(statistic, p_value, df_range, message):
    wrong_type = not isinstance(p_value, str)
    with pytest.raises(TypeError if wrong_type else ValueError, match=message):
        consistent_df(statistic, p_value, df_range)


# --- input checks of the cells ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_control": [3, 4], "n_treated": [3]}, "one count per group"),
        ({"n_control": [3, -1], "n_treated": [3, 2]}, "at least 0"),
        ({"n_control": [3, 2.5], "n_treated": [3, 2]}, "whole numbers"),
        ({"n_control": [0, 4], "n_treated": [0, 2]}, "base group"),
        ({"n_control": [3, 0], "n_treated": [0, 4]}, "both arms"),
        ({"n_control": [3], "n_treated": [3], "sum_control": [9.0]}, "together"),
        ({"n_control": [3], "n_treated": [3], "groups": ["a", "b"]}, "one label per group"),
    ],
)
def test_cells_reject_impossible_counts(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FixedEffectCells(**kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("y", "arm", "treated", "control"), {"fixed_effects": "school"}, "school"),
        (("y", "arm", "treated", "absent"), {"fixed_effects": "group"}, "absent"),
        (("y", "arm", "treated", "treated"), {"fixed_effects": "group"}, "different"),
        (("arm", "arm", "treated", "control"), {"fixed_effects": "group"}, "numeric"),
    ],
)
def test_fixed_effect_cells_name_the_bad_argument(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fixed_effect_cells(_synthetic_design(0), *args, **kwargs)


def test_identities_reject_something_other_than_cells():
    with pytest.raises(TypeError, match="FixedEffectCells"):
        fixed_effect_sum_identity({"n_control": [3]}, 1.0, 0.5)
    with pytest.raises(ValueError, match="intercept_se"):
        se_ratio_identity(FixedEffectCells(n_control=[3], n_treated=[3]), "0.000", "0.1")
