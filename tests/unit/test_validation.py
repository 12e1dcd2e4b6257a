"""Bad input at the front door: a wrong type raises TypeError, a wrong value ValueError.

Each case calls a public function the way a user would, and checks both the exception's class
and that its message names the argument and the value that was wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import consentlib as cl
from consentlib import _validation as v
from consentlib import model
from consentlib.ma2019 import checks

FRAME = pd.DataFrame(
    {"y": [1.0, 2.0, 3.0, 4.0, 2.0, 5.0], "arm": ["control", "treatment"] * 3, "x": range(6)}
)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: v.check_dataframe([1, 2]), r"data must be a pandas DataFrame; got list"),
        (lambda: v.as_generator("1"), r"seed must be an int.*got '1' of type str"),
        (lambda: v.as_generator(True), r"seed must be an int.*of type bool"),
        (lambda: v.as_column_list(["x", 3], "covariates"), r"covariates must be .*\['x', 3\]"),
        (lambda: v.check_conditions("control"), r"single string 'control'"),
        (lambda: v.check_finite_number("1", "null_effect"), r"null_effect .*got '1'"),
        (lambda: v.check_finite_number(None, "null_effect"), r"null_effect .*got None"),
        (lambda: v.check_probability("0.05", "alpha"), r"alpha must be .*got '0.05'"),
        (lambda: v.check_positive_int(2.0, "reps"), r"reps must be a whole number.*got 2.0"),
        (lambda: cl.ols({"y": [1]}, "y", "arm"), r"data must be a pandas DataFrame; got dict"),
        (lambda: cl.complete_ra(6, seed="seven"), r"seed must be an int.*'seven'"),
        (lambda: cl.complete_ra(6, m_each=["a", "b"]), r"m_each must hold one count"),
        (lambda: cl.block_ra(blocks=None), r"blocks must give one block label per unit"),
        (lambda: cl.contrast(FRAME, "treatment"), r"result must be an EstimationResult.*DataFrame"),
        (
            lambda: cl.randomization_inference(FRAME, "y", "arm", "treatment", "control", exact=1),
            r"exact must be 'auto', True or False; got 1",
        ),
        (lambda: model.ConsentModel(cost_spread="wide"), r"cost_spread must be a number"),
        (
            lambda: model.turnout(model.ConsentModel(), ["low"], 0.5),
            r"grievance must be numbers.*\['low'\]",
        ),
        (lambda: checks.printed_interval(0.5), r"must be a number as printed.*of type float"),
    ],
)
def test_a_wrong_type_raises_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: v.check_dataframe(FRAME.iloc[:0]), r"data has no rows"),
        (lambda: v.check_conditions(["a"]), r"at least two conditions; got \('a',\)"),
        (lambda: v.check_finite_number(float("nan"), "null_effect"), r"got nan"),
        (lambda: v.check_probability(1.5, "alpha"), r"strictly between 0 and 1; got 1.5"),
        (lambda: v.check_positive_int(0, "reps"), r"at least 1; got 0"),
        (lambda: cl.complete_ra(6, seed=1, m_each=[1, 1]), r"m_each"),
        (lambda: model.ConsentModel(cost_spread=-1.0), r"cost_spread must be a number .*-1.0"),
        (lambda: checks.printed_interval("about 3"), r"must be a number as printed.*'about 3'"),
    ],
)
def test_a_wrong_value_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_wrong_type_is_not_also_a_value_error():
    """The two kinds of mistake stay apart, so that code catching one never hides the other."""
    with pytest.raises(TypeError) as caught:
        v.check_dataframe(np.zeros((2, 2)))
    assert not isinstance(caught.value, ValueError)
