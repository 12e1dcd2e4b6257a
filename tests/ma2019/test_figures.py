"""The book's figure functions: what they draw, and what they refuse."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from errorbars import intervals, points
from matplotlib.colors import to_hex
from scipy import stats

from consentlib.data import cases, replication_data
from consentlib.estimation import contrast, ols
from consentlib.ma2019.figures import cases_grid, contrast_comparison, event_timeline
from consentlib.ma2019.replication import replicate_tables
from consentlib.plotting import PALETTE


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "when": ["months before", "protest day", "hours later"],
            "event": ["Closed-door meetings", "A crowd gathers", "The plan is withdrawn"],
            "phase": ["bargaining", "protest", "protest"],
        }
    )


@pytest.fixture
def grid_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place": ["A", "B", "C"],
            "year": [2001, 2002, 2003],
            "issue_area": ["redistricting", "redistricting", "railway"],
            "violence": pd.array([True, False, None], dtype="boolean"),
            "demand_met": pd.array([None, None, True], dtype="boolean"),
            "scale": ["x", "y", "z"],
        }
    )


def _gid_counts(ax) -> dict[str, int]:
    return {c.get_gid(): len(c.get_offsets()) for c in ax.collections}


def test_event_timeline_draws_one_dot_per_event(events):
    ax = event_timeline(events)
    assert len(ax.collections[0].get_offsets()) == len(events)


def test_event_timeline_prints_every_time_and_event(events):
    ax = event_timeline(events)
    texts = {t.get_text() for t in ax.texts}
    assert set(events["when"]) <= texts
    assert set(events["event"]) <= texts


def test_event_timeline_puts_the_first_event_on_top(events):
    ax = event_timeline(events)
    bottom, top = ax.get_ylim()
    assert top < bottom  # the y axis runs downwards, so row 0 is at the top


def test_event_timeline_gives_each_phase_the_next_palette_colour(events):
    ax = event_timeline(events)
    colours = [to_hex(c) for c in ax.collections[0].get_facecolors()]
    assert colours == [PALETTE[0], PALETTE[1], PALETTE[1]]


def test_event_timeline_names_a_missing_column(events):
    with pytest.raises(ValueError, match="'phase'"):
        event_timeline(events.drop(columns="phase"))


def test_event_timeline_rejects_a_wrap_below_one(events):
    with pytest.raises(ValueError, match="wrap"):
        event_timeline(events, wrap=0)


def test_event_timeline_refuses_more_phases_than_colours():
    many = pd.DataFrame({"when": list("abcdefghi"), "event": list("abcdefghi")})
    many["phase"] = many["event"]
    with pytest.raises(ValueError, match="9 distinct values"):
        event_timeline(many)


def test_cases_grid_draws_every_cell_once(grid_data):
    ax = cases_grid(grid_data, ["violence", "demand_met"])
    assert sum(_gid_counts(ax).values()) == 3 * 2


def test_cases_grid_keeps_missing_values_apart_from_no(grid_data):
    ax = cases_grid(grid_data, ["violence", "demand_met"])
    assert _gid_counts(ax) == {"yes": 2, "no": 1, "not recorded": 3}


def test_cases_grid_labels_rows_by_place_and_year(grid_data):
    ax = cases_grid(grid_data, ["violence"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A (2001)", "B (2002)", "C (2003)"]


def test_cases_grid_uses_custom_column_headings(grid_data):
    ax = cases_grid(grid_data, ["violence"], labels={"violence": "Violent"})
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Violent"]


def test_cases_grid_draws_the_packaged_cases_with_their_missing_values():
    data = cases()
    attributes = ["business_role", "violence", "demand_met", "formal_sanctions"]
    ax = cases_grid(data)
    assert _gid_counts(ax)["not recorded"] == int(data[attributes].isna().sum().sum())


def test_cases_grid_rejects_a_column_that_is_not_yes_or_no(grid_data):
    with pytest.raises(ValueError, match="'scale' must be a boolean column"):
        cases_grid(grid_data, ["violence", "scale"])


def test_cases_grid_rejects_a_single_string_for_attributes(grid_data):
    with pytest.raises(ValueError, match="single string 'violence'"):
        cases_grid(grid_data, "violence")


def test_cases_grid_names_a_missing_attribute(grid_data):
    with pytest.raises(ValueError, match="attribute 'sanctions'"):
        cases_grid(grid_data, ["sanctions"])


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return replication_data()


@pytest.fixture(scope="module")
def fits(data) -> dict:
    return replicate_tables(data).fits


# ----------------------------------------------------------------------------------------------
# contrast_comparison


def test_contrast_comparison_draws_the_printed_estimates(fits):
    ax = contrast_comparison(fits)
    x, _ = points(ax.containers[0])
    # Reference: Ma (2019), Tables 2, 3 and 4, the printed coefficients.
    np.testing.assert_allclose(x, [0.7628, 0.3223, 0.4338])


def test_contrast_comparison_builds_published_intervals_from_printed_errors(fits):
    ax = contrast_comparison(fits)
    half_widths = np.diff(intervals(ax.containers[0]), axis=1).ravel() / 2
    # Reference: Ma (2019), Tables 2-4, the printed standard errors; the t quantile is scipy's,
    # on the residual degrees of freedom of each reproduced fit.
    df = [fits[n].table["df"].iloc[0] for n in (2, 3, 4)]
    expected = stats.t.ppf(0.975, df) * np.array([0.13271, 0.1461, 0.1284])
    np.testing.assert_allclose(half_widths, expected)


def test_contrast_comparison_draws_the_reproduced_estimates(fits):
    ax = contrast_comparison(fits)
    x, _ = points(ax.containers[1])
    terms = {2: "treatment", 3: "placebo", 4: "treatment"}
    expected = [fits[n].table.loc[term, "estimate"] for n, term in terms.items()]
    np.testing.assert_allclose(x, expected)


def test_contrast_comparison_adds_extra_sources_on_the_matching_rows(data, fits):
    single = ols(data, "support", "condition", fixed_effects="enumerator", se_type="classical")
    pooled = contrast(single, "treatment - placebo").table
    ax = contrast_comparison(fits, extra={"three arms": pooled})
    assert [c.get_label() for c in ax.containers] == ["published", "reproduced", "three arms"]
    x, y = points(ax.containers[2])
    np.testing.assert_allclose(x, pooled["estimate"])
    assert round(y[0]) == 2  # the treatment-placebo row, Table 4's


def test_contrast_comparison_rejects_fits_without_a_table(fits):
    with pytest.raises(ValueError, match="table number 3"):
        contrast_comparison({2: fits[2], 4: fits[4]})
