"""The figures of the chapter beyond the paper: a p-value function and power curves."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.colors import to_hex

from consentlib.plotting import CONDITION_COLORS, p_value_function, power_curves
from consentlib.randomization import Design
from consentlib.simulation import simulate_power


@pytest.fixture(scope="module")
def power_result():
    design = Design.complete(40, conditions=("control", "treatment"))
    return simulate_power(design, "treatment", "control", shift=[0.0, 0.4, 0.8], reps=60, seed=5)


def _artist(ax, gid: str):
    (artist,) = [a for a in [*ax.lines, *ax.patches] if a.get_gid() == gid]
    return artist


def test_confidence_set_spans_the_grid_values_whose_p_value_exceeds_alpha():
    # By hand: p > 0.05 at 0.1, 0.2 and 0.3 (not 0.0, 0.4 or 0.5, which has p = alpha exactly).
    grid = [0.5, 0.0, 0.1, 0.2, 0.3, 0.4]
    p = [0.05, 0.01, 0.2, 1.0, 0.3, 0.02]
    span = _artist(p_value_function(grid, p), "confidence-set")
    xs = span.get_x(), span.get_x() + span.get_width()
    assert np.allclose(xs, [0.1, 0.3])


def test_p_values_are_drawn_in_order_of_the_hypothesized_effect():
    curve = _artist(p_value_function([0.2, 0.0, 0.1], [0.9, 0.01, 0.3]), "p-values")
    assert curve.get_xdata().tolist() == [0.0, 0.1, 0.2]
    assert curve.get_ydata().tolist() == [0.01, 0.3, 0.9]


def test_no_confidence_set_is_shaded_when_every_value_is_rejected():
    ax = p_value_function([0.0, 1.0], [0.01, 0.02])
    assert not [a for a in ax.patches if a.get_gid() == "confidence-set"]


def test_reference_interval_is_drawn_at_alpha_between_its_ends():
    ax = p_value_function([0.0, 1.0], [0.5, 0.5], alpha=0.1, interval=(0.2, 0.7))
    bar = _artist(ax, "reference-interval")
    assert bar.get_xdata().tolist() == [0.2, 0.7]
    assert bar.get_ydata().tolist() == [0.1, 0.1]


def test_p_value_function_rejects_a_p_value_above_one():
    with pytest.raises(ValueError, match=r"p_values must lie between 0 and 1; got 1\.5"):
        p_value_function([0.0, 1.0], [0.5, 1.5])


def test_p_value_function_rejects_p_values_of_another_length():
    with pytest.raises(ValueError, match=r"one value per null effect \(3\)"):
        p_value_function([0.0, 0.5, 1.0], [0.5, 0.5])


def test_power_curves_draw_each_result_power_against_its_effect(power_result):
    ax = power_curves({"small study": power_result})
    (container,) = ax.containers
    line = container.lines[0]
    assert container.get_label() == "small study"
    assert np.allclose(line.get_xdata(), power_result.table["effect"])
    assert np.allclose(line.get_ydata(), power_result.table["power"])


def test_power_curves_use_the_colours_given(power_result):
    color = CONDITION_COLORS["placebo"]
    ax = power_curves({"a": power_result, "b": power_result}, colors={"b": color})
    first, second = (c.lines[0].get_color() for c in ax.containers)
    assert to_hex(second) == color
    assert to_hex(first) != color


def test_power_curves_mark_each_effect_with_a_vertical_line(power_result):
    ax = power_curves({"a": power_result}, marks={"Table 3": 0.3223})
    assert np.asarray(_artist(ax, "mark:Table 3").get_xdata()).tolist() == [0.3223, 0.3223]


def test_power_curves_reject_an_object_without_a_power_table():
    with pytest.raises(TypeError, match=r"results\['a'\].table"):
        power_curves({"a": object()})
