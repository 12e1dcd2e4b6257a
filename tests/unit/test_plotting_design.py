"""The Design chapter's figure: the balance criterion's distribution split at the threshold."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats

from consentlib.plotting import criterion_histogram


@pytest.fixture
def criteria() -> np.ndarray:
    return np.random.default_rng(3).chisquare(6, size=3000)


def _bars(ax, gid: str) -> list:
    return [p for p in ax.patches if p.get_gid() == gid]


def _line(ax, gid: str):
    (line,) = [line for line in ax.lines if line.get_gid() == gid]
    return line


def test_accepted_bars_lie_at_or_below_the_threshold(criteria):
    threshold = 2.2
    ax = criterion_histogram(criteria, threshold)
    right_edges = [p.get_x() + p.get_width() for p in _bars(ax, "accepted")]
    assert right_edges and max(right_edges) <= threshold + 1e-9


def test_rejected_bars_lie_above_the_threshold(criteria):
    threshold = 2.2
    ax = criterion_histogram(criteria, threshold)
    left_edges = [p.get_x() for p in _bars(ax, "rejected")]
    assert left_edges and min(left_edges) >= threshold - 1e-9


def test_bars_form_a_density(criteria):
    # A density histogram has total area 1 (numpy.histogram with density=True).
    ax = criterion_histogram(criteria, 2.2)
    area = sum(p.get_width() * p.get_height() for p in ax.patches)
    assert area == pytest.approx(1.0)


def test_accepted_area_is_the_share_of_draws_at_or_below_the_threshold(criteria):
    # The bins are aligned on the threshold, so the accepted bars hold exactly the accepted draws.
    threshold = 2.2
    ax = criterion_histogram(criteria, threshold)
    area = sum(p.get_width() * p.get_height() for p in _bars(ax, "accepted"))
    assert area == pytest.approx(np.mean(criteria <= threshold))


def test_legend_reports_the_share_accepted():
    # Two of the four criteria are at most 2.5.
    ax = criterion_histogram([1.0, 2.0, 3.0, 4.0], 2.5)
    assert ax.get_legend().get_texts()[0].get_text() == "accepted (M ≤ threshold): 50.0% of draws"


def test_threshold_line_is_drawn_at_the_threshold(criteria):
    ax = criterion_histogram(criteria, 2.2)
    assert set(_line(ax, "threshold").get_xdata()) == {2.2}


def test_chi_square_density_is_drawn_only_when_df_is_given(criteria):
    without = criterion_histogram(criteria, 2.2)
    assert not [line for line in without.lines if line.get_gid() == "chi-square"]
    curve = _line(criterion_histogram(criteria, 2.2, df=6), "chi-square")
    x, y = curve.get_xdata(), curve.get_ydata()
    # scipy's chi-square density with the stated degrees of freedom
    np.testing.assert_allclose(y, stats.chi2.pdf(x, 6))


def test_observed_assignment_is_marked_where_given(criteria):
    ax = criterion_histogram(criteria, 2.2, observed=7.5)
    assert set(_line(ax, "observed").get_xdata()) == {7.5}
    assert ax.get_xlim()[1] > 7.5


def test_draws_on_given_axes(criteria):
    _, ax = plt.subplots()
    assert criterion_histogram(criteria, 2.2, ax=ax) is ax


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"criteria": []}, "criteria must be a non-empty 1-D array"),
        ({"criteria": [[1.0, 2.0]]}, "criteria must be a non-empty 1-D array"),
        ({"criteria": [1.0, np.nan]}, "criteria must be finite"),
        ({"threshold": 0.0}, "threshold must be a positive number"),
        ({"threshold": np.inf}, "threshold must be a positive number"),
        ({"df": 0}, "df"),
        ({"observed": np.nan}, "observed must be a finite number"),
        ({"bins": 0}, "bins"),
    ],
)
def test_rejects_bad_arguments_naming_them(kwargs, message):
    arguments = {"criteria": [1.0, 2.0, 3.0], "threshold": 2.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        criterion_histogram(**arguments)


def test_leaves_headroom_above_the_tallest_bar_for_the_legend(criteria):
    ax = criterion_histogram(criteria, 2.2, df=6)
    tallest = max(p.get_height() for p in ax.patches)
    assert ax.get_ylim()[1] >= 1.5 * tallest


def test_one_degree_of_freedom_keeps_finite_axis_limits(criteria):
    # The chi-square(1) density is infinite at 0; the axes must still be drawable.
    ax = criterion_histogram(criteria, 2.2, df=1)
    assert np.all(np.isfinite(ax.get_ylim()))
