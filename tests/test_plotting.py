"""The book's figure functions: what they draw, and what they refuse."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from consentlib.data import cases
from consentlib.plotting import PALETTE, cases_grid, event_timeline


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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
