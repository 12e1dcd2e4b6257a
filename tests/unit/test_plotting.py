"""The core figures: response distributions by arm and coefficient plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from errorbars import intervals, points
from matplotlib.colors import to_hex

from consentlib.data import replication_data
from consentlib.inference import randomization_inference
from consentlib.plotting import (
    CONDITION_COLORS,
    PALETTE,
    coefficient_plot,
    null_distribution,
    response_distribution,
)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return replication_data()


@pytest.fixture
def two_sources() -> dict[str, pd.DataFrame]:
    first = pd.DataFrame(
        {"estimate": [0.8, 0.3], "conf_low": [0.5, 0.0], "conf_high": [1.1, 0.6]},
        index=["treatment", "placebo"],
    )
    second = pd.DataFrame(
        {"estimate": [0.7], "conf_low": [0.2], "conf_high": [1.2]}, index=["treatment"]
    )
    return {"first": first, "second": second}


def _heights(ax) -> dict[str, list[float]]:
    return {bars.get_label(): [float(b.get_height()) for b in bars] for bars in ax.containers}


# ----------------------------------------------------------------------------------------------
# response_distribution


def test_response_distribution_shares_match_a_crosstab(data):
    ax = response_distribution(data, "support", "condition", levels=[1, 2, 3, 4, 5])
    # Reference: pandas' own row-normalized crosstab of the answered respondents.
    expected = pd.crosstab(data["condition"], data["support"], normalize="index")
    for arm, heights in _heights(ax).items():
        np.testing.assert_allclose(heights, expected.loc[arm, [1, 2, 3, 4, 5]].to_numpy())


def test_response_distribution_keeps_category_order_and_arm_colours(data):
    ax = response_distribution(data, "support", "condition")
    assert [bars.get_label() for bars in ax.containers] == ["control", "treatment", "placebo"]
    for bars in ax.containers:
        assert to_hex(bars.patches[0].get_facecolor()) == CONDITION_COLORS[bars.get_label()]


def test_response_distribution_counts_only_answered_respondents(data):
    ax = response_distribution(data, "support", "condition")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    # Reference: the loader's docstring, 112 control, 113 treatment and 121 placebo answers.
    assert [t.split("\n")[1].split(",")[0] for t in texts] == ["n = 112", "n = 113", "n = 121"]


def test_response_distribution_draws_a_zero_bar_for_an_unused_level():
    frame = pd.DataFrame({"support": [2, 3], "condition": ["control", "treatment"]})
    ax = response_distribution(frame, "support", "condition", levels=[1, 2, 3])
    assert _heights(ax) == {"control": [0.0, 1.0, 0.0], "treatment": [0.0, 0.0, 1.0]}


def test_response_distribution_rejects_a_value_outside_the_levels():
    frame = pd.DataFrame({"support": [1, 7], "condition": ["control", "treatment"]})
    with pytest.raises(ValueError, match=r"'support' has the value 7"):
        response_distribution(frame, "support", "condition", levels=[1, 2, 3, 4, 5])


def test_response_distribution_rejects_labels_of_the_wrong_length(data):
    with pytest.raises(ValueError, match="one label per level"):
        response_distribution(
            data, "support", "condition", levels=[1, 2, 3, 4, 5], level_labels=["low", "high"]
        )


def test_response_distribution_rejects_a_text_outcome():
    frame = pd.DataFrame({"support": ["high", "low"], "condition": ["control", "treatment"]})
    with pytest.raises(ValueError, match="'support' must be numeric"):
        response_distribution(frame, "support", "condition")


# ----------------------------------------------------------------------------------------------
# coefficient_plot


def test_coefficient_plot_draws_one_labelled_container_per_source(two_sources):
    ax = coefficient_plot(two_sources)
    assert [c.get_label() for c in ax.containers] == ["first", "second"]


def test_coefficient_plot_draws_the_given_estimates_and_intervals(two_sources):
    ax = coefficient_plot(two_sources)
    x, _ = points(ax.containers[0])
    np.testing.assert_allclose(x, [0.8, 0.3])
    np.testing.assert_allclose(intervals(ax.containers[0]), [[0.5, 1.1], [0.0, 0.6]])


def test_coefficient_plot_skips_a_term_a_source_lacks(two_sources):
    ax = coefficient_plot(two_sources)
    _, y = points(ax.containers[1])
    assert len(y) == 1 and round(y[0]) == 0  # only "treatment", on the first row


def test_coefficient_plot_puts_terms_top_to_bottom_in_the_order_given(two_sources):
    ax = coefficient_plot(two_sources, terms=["placebo", "treatment"], labels={"placebo": "P"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["P", "treatment"]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # the first row is at the top


def test_coefficient_plot_rejects_an_unknown_term(two_sources):
    with pytest.raises(ValueError, match="'age' is not one"):
        coefficient_plot(two_sources, terms=["age"])


def test_coefficient_plot_rejects_a_table_without_intervals(two_sources):
    two_sources["second"] = two_sources["second"].drop(columns="conf_high")
    with pytest.raises(ValueError, match=r"estimates\['second'\] column 'conf_high'"):
        coefficient_plot(two_sources)


def test_coefficient_plot_rejects_an_empty_mapping():
    with pytest.raises(ValueError, match="non-empty mapping"):
        coefficient_plot({})


def test_the_book_style_file_cycles_through_the_palette_and_draws_no_top_spine():
    with plt.style.context("consentlib.book"):
        colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [to_hex(c) for c in colors] == list(PALETTE)
        assert plt.rcParams["axes.spines.top"] is False


def test_figures_leave_the_global_settings_alone():
    # null_distribution used to switch on the book's style for every later figure.
    frame = pd.DataFrame({"y": [15, 15, 20, 20, 10, 15, 30], "arm": list("tccccct")})
    before = dict(plt.rcParams)
    null_distribution(randomization_inference(frame, "y", "arm", "t", "c"))
    assert dict(plt.rcParams) == before


def test_coefficient_plot_names_estimates_of_the_wrong_type():
    with pytest.raises(TypeError, match=r"estimates must be a non-empty mapping.*got DataFrame"):
        coefficient_plot(pd.DataFrame({"estimate": [0.1]}))
