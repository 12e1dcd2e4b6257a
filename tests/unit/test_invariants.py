"""Invariants every estimator must satisfy, checked on random data with hypothesis.

Row order, the names of the conditions, the outcome's origin and scale, and the way fixed
effects are partialled out must not change what the library reports beyond what the algebra
says. Examples are small; the profile in ``tests/conftest.py`` derandomizes them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import consentlib as cl

ARMS = ("control", "placebo", "treatment")
COLUMNS = ["estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high"]


@st.composite
def experiments(draw, min_per_arm: int = 3, max_per_arm: int = 6):
    """Three arms, a numeric outcome, an enumerator (fixed effect) and a covariate."""
    sizes = [draw(st.integers(min_per_arm, max_per_arm)) for _ in ARMS]
    n = sum(sizes)
    values = st.integers(-50, 50).map(lambda v: v / 4)
    y = draw(st.lists(values, min_size=n, max_size=n))
    x = draw(st.lists(values, min_size=n, max_size=n))
    enumerator = draw(st.lists(st.sampled_from("ab"), min_size=n, max_size=n))
    arm = [a for a, size in zip(ARMS, sizes, strict=True) for _ in range(size)]
    return pd.DataFrame({"y": y, "x": x, "arm": arm, "enumerator": enumerator})


def fit_or_reject(function, *args, **kwargs):
    """The result, or a rejected example when the library refuses the input (degenerate)."""
    try:
        return function(*args, **kwargs)
    except ValueError:
        assume(False)


def close(a, b, scale: float = 1.0) -> bool:
    return np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-7, atol=1e-9 * scale)


FAST = settings(max_examples=25)


@settings(max_examples=12)
@given(experiments(), st.randoms(use_true_random=False))
def test_row_order_changes_no_estimate(frame, random):
    order = list(range(len(frame)))
    random.shuffle(order)
    shuffled = frame.iloc[order]
    kwargs = {"fixed_effects": "enumerator", "covariates": "x", "se_type": "HC1"}
    fit = fit_or_reject(cl.ols, frame, "y", "arm", **kwargs).table
    assert close(fit[COLUMNS], cl.ols(shuffled, "y", "arm", **kwargs).table[COLUMNS])
    dim = cl.difference_in_means(frame, "y", "arm", "treatment", "control").table
    again = cl.difference_in_means(shuffled, "y", "arm", "treatment", "control").table
    assert close(dim[COLUMNS], again[COLUMNS])
    ri = cl.randomization_inference(frame, "y", "arm", "treatment", "control", reps=500)
    ri2 = cl.randomization_inference(shuffled, "y", "arm", "treatment", "control", reps=500)
    assert ri.exact and ri2.exact
    assert ri.observed == pytest.approx(ri2.observed)
    assert ri.p_value == pytest.approx(ri2.p_value)
    balance = fit_or_reject(cl.balance_table, frame, ["x"], "arm").table
    assert close(balance, cl.balance_table(shuffled, ["x"], "arm").table)


@FAST
@given(experiments(), st.permutations(["alpha", "beta", "gamma"]))
def test_relabeling_conditions_permutes_results(frame, names):
    rename = dict(zip(ARMS, names, strict=True))
    relabeled = frame.assign(arm=frame["arm"].map(rename))
    fit = fit_or_reject(cl.ols, frame, "y", "arm", reference="control").table
    again = cl.ols(relabeled, "y", "arm", reference=rename["control"]).table
    for arm in ("placebo", "treatment"):
        assert close(fit.loc[arm, COLUMNS], again.loc[rename[arm], COLUMNS])
    assert close(fit.loc["(Intercept)", COLUMNS], again.loc["(Intercept)", COLUMNS])
    # Swapping treated and control negates the difference and keeps its standard error.
    forward = cl.difference_in_means(frame, "y", "arm", "treatment", "control").table.iloc[0]
    backward = cl.difference_in_means(frame, "y", "arm", "control", "treatment").table.iloc[0]
    assert forward["estimate"] == pytest.approx(-backward["estimate"])
    assert forward["std_error"] == pytest.approx(backward["std_error"])
    assert forward["p_value"] == pytest.approx(backward["p_value"])


@FAST
@given(experiments(), st.integers(-1000, 1000).map(lambda v: v / 8))
def test_adding_a_constant_moves_only_the_intercept(frame, shift):
    kwargs = {"fixed_effects": "enumerator", "covariates": "x", "se_type": "HC2"}
    fit = fit_or_reject(cl.ols, frame, "y", "arm", **kwargs).table
    moved = cl.ols(frame.assign(y=frame["y"] + shift), "y", "arm", **kwargs).table
    others = ["placebo", "treatment", "x"]
    scale = 1 + abs(shift)
    assert close(fit.loc[others, COLUMNS], moved.loc[others, COLUMNS], scale)
    assert moved.loc["(Intercept)", "estimate"] == pytest.approx(
        fit.loc["(Intercept)", "estimate"] + shift, abs=1e-9 * scale
    )
    assert moved.loc["(Intercept)", "std_error"] == pytest.approx(
        fit.loc["(Intercept)", "std_error"], abs=1e-9 * scale
    )


@FAST
@given(experiments())
def test_fixed_effects_equal_ols_on_within_demeaned_data(frame):
    fit = fit_or_reject(cl.ols, frame, "y", "arm", fixed_effects="enumerator").table
    # Frisch-Waugh-Lovell: demean the outcome and the arm indicators within enumerators.
    demeaned = pd.DataFrame(
        {
            "y": frame["y"],
            "placebo": (frame["arm"] == "placebo").astype(float),
            "treatment": (frame["arm"] == "treatment").astype(float),
        }
    )
    demeaned = demeaned - demeaned.groupby(frame["enumerator"]).transform("mean")
    within = fit_or_reject(
        cl.ols, demeaned.add_prefix("w_"), "w_y", None, covariates=["w_placebo", "w_treatment"]
    ).table
    for arm in ("placebo", "treatment"):
        assert within.loc[f"w_{arm}", "estimate"] == pytest.approx(
            fit.loc[arm, "estimate"], rel=1e-7, abs=1e-9
        )


@FAST
@given(experiments(), st.sampled_from([-3.0, -0.5, 0.001, 2.0, 1000.0]))
def test_scaling_the_outcome_scales_estimates_and_standard_errors(frame, factor):
    fit = fit_or_reject(cl.ols, frame, "y", "arm", fixed_effects="enumerator").table
    scaled = cl.ols(frame.assign(y=frame["y"] * factor), "y", "arm", fixed_effects="enumerator")
    scaled = scaled.table
    assert close(scaled["estimate"], fit["estimate"] * factor, abs(factor))
    assert close(scaled["std_error"], fit["std_error"] * abs(factor), abs(factor))
    assert close(scaled["p_value"], fit["p_value"])
    dim = cl.difference_in_means(frame, "y", "arm", "treatment", "control").table.iloc[0]
    dim_scaled = cl.difference_in_means(
        frame.assign(y=frame["y"] * factor), "y", "arm", "treatment", "control"
    ).table.iloc[0]
    assert dim_scaled["estimate"] == pytest.approx(dim["estimate"] * factor, abs=1e-9)
    assert dim_scaled["std_error"] == pytest.approx(dim["std_error"] * abs(factor))


@settings(max_examples=30)
@given(experiments(2, 5), st.integers(1, 60), st.integers(0, 2**16))
def test_monte_carlo_p_values_lie_between_one_over_reps_plus_one_and_one(frame, reps, seed):
    result = fit_or_reject(
        cl.randomization_inference,
        frame, "y", "arm", "treatment", "control", reps=reps, exact=False, seed=seed,
    )  # fmt: skip
    assert 1 / (reps + 1) <= result.p_value <= 1
    # The p-value is (1 + count) / (1 + reps) for a whole count.
    count = result.p_value * (reps + 1) - 1
    assert count == pytest.approx(round(count), abs=1e-9)


@settings(max_examples=30)
@given(experiments(2, 5), st.booleans())
def test_exact_p_values_are_multiples_of_one_over_the_assignments(frame, blocked):
    kwargs = {"blocks": "enumerator"} if blocked else {}
    result = fit_or_reject(
        cl.randomization_inference, frame, "y", "arm", "treatment", "control", reps=10**6, **kwargs
    )
    assert result.exact
    n_assignments = result.n_assignments
    in_arms = frame[frame["arm"].isin(["treatment", "control"])]
    groups = in_arms.groupby(in_arms["enumerator"] if blocked else np.zeros(len(in_arms)))
    expected = math.prod(math.comb(len(g), int((g["arm"] == "treatment").sum())) for _, g in groups)
    assert n_assignments == expected == result.reps
    assert 1 / n_assignments <= result.p_value <= 1
    multiple = result.p_value * n_assignments
    assert multiple == pytest.approx(round(multiple), abs=1e-6)


@settings(max_examples=30)
@given(
    st.lists(st.sampled_from(["u", "v", "w"]), min_size=4, max_size=9),
    st.sampled_from([list, tuple, np.array, pd.Series]),
    st.integers(0, 2**16),
)
def test_designs_that_draw_the_same_assignments_compare_equal(blocks, container, seed):
    conditions = ("control", "treatment")
    first = cl.Design.blocked(blocks, conditions)
    second = cl.Design.blocked(container(blocks), list(conditions))
    assert first == second
    assert hash(first) == hash(second)
    assert np.array_equal(first.draw_codes(5, seed=seed), second.draw_codes(5, seed=seed))
    n = len(blocks)
    m = [n // 2, n - n // 2]
    complete = cl.Design.complete(n, conditions, m_each=m)
    assert complete == cl.Design.complete(n, list(conditions), m_each=np.array(m, dtype=np.int32))
    assert complete == cl.Design.from_assignment(
        ["control"] * m[0] + ["treatment"] * m[1], conditions
    )
    # Different counts draw different assignments and compare unequal.
    other = cl.Design.complete(n, conditions, m_each=[m[0] - 1, m[1] + 1])
    assert complete != other
    assert complete != cl.Design.complete(n, ("treatment", "control"), m_each=m)
