"""No meaningless number: every estimator and test refuses inputs whose answer is undefined.

A constant outcome, an outcome fitted exactly, a statistic of 0/0 or an arm emptied by missing
values would otherwise give estimates and standard errors made of rounding error. The threshold
is the documented rule of ``consentlib._validation.rounding_tolerance``: a spread no larger than
100 * n * eps * max|value| is rounding error. Each case is tested just inside that threshold
(refused) and just outside it (accepted, and the number checked against a computation on
centred data, which has no cancellation).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import consentlib as cl

EPS = np.finfo(float).eps


def tolerance(values: np.ndarray) -> float:
    """The rule, written out independently of the library."""
    return 100 * len(values) * EPS * float(np.max(np.abs(values)))


def two_arms(n: int = 20, level: float = 5.0, spread: float = 1.0, effect: float = 0.0):
    """Outcomes ``level + spread * u`` with u alternating 0/1 within each arm, plus an effect."""
    arm = np.array(["control", "treatment"] * (n // 2))
    u = np.tile([0.0, 0.0, 1.0, 1.0], n // 4)
    y = level + spread * (u + effect * (arm == "treatment"))
    return pd.DataFrame({"y": y, "arm": arm})


def spread_for(factor: float, n: int = 20, level: float = 5.0) -> float:
    """The spread that puts the outcome's range at ``factor`` times the tolerance."""
    return factor * 100 * n * EPS * (level + 1e-9)


# -- ols ----------------------------------------------------------------------------------------


def test_ols_refuses_a_constant_outcome_the_issue_reported():
    frame = pd.DataFrame({"y": 3.7, "arm": ["control", "treatment", "placebo"] * 10})
    with pytest.raises(ValueError, match=r"outcome 'y' is constant"):
        cl.ols(frame, "y", "arm")


@pytest.mark.parametrize("se_type", ["classical", "HC2"])
def test_ols_constant_outcome_threshold_is_scaled_to_the_data(se_type):
    inside = two_arms(spread=spread_for(0.5))
    assert np.ptp(inside["y"]) < tolerance(inside["y"].to_numpy())
    with pytest.raises(ValueError, match=r"outcome 'y' is constant"):
        cl.ols(inside, "y", "arm", se_type=se_type)

    outside = two_arms(spread=spread_for(2.0), effect=0.5)
    assert np.ptp(outside["y"]) > tolerance(outside["y"].to_numpy())
    fit = cl.ols(outside, "y", "arm", se_type=se_type).table.loc["treatment"]
    # Reference: the same regression on the exactly centred, rescaled outcome.
    scale = spread_for(2.0)
    centred = outside.assign(y=(outside["y"] - 5.0) / scale)
    reference = cl.ols(centred, "y", "arm", se_type=se_type).table.loc["treatment"]
    assert fit["estimate"] / scale == pytest.approx(reference["estimate"], rel=1e-2)
    assert fit["std_error"] / scale == pytest.approx(reference["std_error"], rel=1e-2)


def test_ols_threshold_scales_with_the_level_of_the_outcome():
    # The same relative spread is refused or accepted whatever the outcome's magnitude.
    for level in (1e-6, 1.0, 1e9):
        inside = two_arms(level=level, spread=spread_for(0.5, level=level))
        with pytest.raises(ValueError, match="constant"):
            cl.ols(inside, "y", "arm")
        outside = two_arms(level=level, spread=spread_for(4.0, level=level), effect=1.0)
        assert np.isfinite(cl.ols(outside, "y", "arm").table.loc["treatment", "p_value"])


def test_ols_refuses_an_outcome_constant_within_the_arms():
    frame = two_arms(spread=0.0).assign(y=lambda f: np.where(f["arm"] == "treatment", 3.0, 1.0))
    with pytest.raises(ValueError, match=r"outcome 'y' has no residual variation"):
        cl.ols(frame, "y", "arm", se_type="classical")


def test_ols_residual_threshold_inside_and_outside():
    base = np.where(np.array(["control", "treatment"] * 10) == "treatment", 3.0, 1.0)
    noise = np.tile([0.0, 0.0, 1.0, 1.0], 5)
    step = tolerance(base)
    inside = pd.DataFrame({"y": base + 0.5 * step * noise, "arm": ["control", "treatment"] * 10})
    with pytest.raises(ValueError, match="no residual variation"):
        cl.ols(inside, "y", "arm")
    outside = inside.assign(y=base + 4 * step * noise)
    se = cl.ols(outside, "y", "arm", se_type="classical").table.loc["treatment", "std_error"]
    # Independent: pooled variance of the two arms' residuals, exact on the centred noise.
    resid = 4 * step * (noise - 0.5)
    expected = np.sqrt(resid @ resid / 18 * (1 / 10 + 1 / 10))
    assert se == pytest.approx(expected, rel=1e-2)


def test_ols_refuses_a_zero_standard_error_from_two_constant_arms():
    # control and treatment constant, placebo varies: the HC2 SE of treatment is rounding error.
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "y": np.r_[np.full(10, 2.0), np.full(10, 2.5), rng.normal(size=10)],
            "arm": ["control"] * 10 + ["treatment"] * 10 + ["placebo"] * 10,
        }
    )
    with pytest.raises(ValueError, match=r"standard error of .* for outcome 'y'"):
        cl.ols(frame, "y", "arm", se_type="HC2")
    # The classical SE pools the residuals of all arms, so it is defined.
    assert cl.ols(frame, "y", "arm", se_type="classical").table["std_error"].gt(0).all()


def test_ols_refuses_an_arm_emptied_by_missing_values():
    frame = two_arms(spread=1.0, effect=1.0)
    extra = pd.DataFrame({"y": [np.nan, np.nan], "arm": ["placebo", "placebo"]})
    with pytest.raises(ValueError, match=r"condition 'placebo' of column 'arm' has 2 row"):
        cl.ols(pd.concat([frame, extra], ignore_index=True), "y", "arm")


def test_ols_refuses_no_residual_degrees_of_freedom():
    frame = pd.DataFrame({"y": [1.0, 2.0, 4.0], "arm": ["control", "treatment", "placebo"]})
    with pytest.raises(ValueError, match="no residual degrees of freedom"):
        cl.ols(frame, "y", "arm", se_type="classical")


# -- difference in means ------------------------------------------------------------------------


def test_difference_in_means_refuses_an_outcome_constant_in_the_two_arms():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "y": np.r_[np.full(20, 4.0), rng.normal(size=10)],
            "arm": ["control", "treatment"] * 10 + ["placebo"] * 10,
        }
    )
    with pytest.raises(ValueError, match=r"outcome 'y' is constant in 'treatment' and 'control'"):
        cl.difference_in_means(frame, "y", "arm", "treatment", "control")
    # The placebo arm varies, so its comparison with control is defined.
    fit = cl.difference_in_means(frame, "y", "arm", "placebo", "control")
    assert fit.table.loc["placebo", "std_error"] > 0


def test_difference_in_means_threshold_inside_and_outside():
    inside = two_arms(spread=spread_for(0.5))
    with pytest.raises(ValueError, match="constant"):
        cl.difference_in_means(inside, "y", "arm", "treatment", "control")
    outside = two_arms(spread=spread_for(2.0), effect=0.5)
    fit = cl.difference_in_means(outside, "y", "arm", "treatment", "control").table.iloc[0]
    assert fit["estimate"] == pytest.approx(0.5 * spread_for(2.0), rel=1e-2)


def test_difference_in_means_refuses_arms_fitted_exactly():
    frame = pd.DataFrame({"y": [1.0] * 5 + [2.0] * 5, "arm": ["c"] * 5 + ["t"] * 5})
    with pytest.raises(ValueError, match=r"outcome 'y' has no residual variation"):
        cl.difference_in_means(frame, "y", "arm", "t", "c")


def test_difference_in_means_refuses_pairs_with_identical_differences():
    frame = pd.DataFrame(
        {
            "y": [1.0, 3.0, 5.0, 7.0, 2.0, 4.0],
            "arm": ["c", "t"] * 3,
            "pair": [1, 1, 2, 2, 3, 3],
        }
    )
    with pytest.raises(ValueError, match=r"standard error of 't' for outcome 'y'"):
        cl.difference_in_means(frame, "y", "arm", "t", "c", blocks="pair")


def test_difference_in_means_refuses_an_arm_left_with_one_unit():
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, np.nan, 5.0], "arm": ["c", "c", "c", "t", "t"]})
    with pytest.raises(ValueError, match="at least two units"):
        cl.difference_in_means(frame, "y", "arm", "t", "c")


# -- randomization inference and confidence sets ------------------------------------------------


def test_randomization_inference_refuses_a_constant_outcome():
    frame = pd.DataFrame({"y": 1.0, "arm": ["c", "t"] * 5})
    with pytest.raises(ValueError, match=r"outcome 'y' is constant in 't' and 'c'"):
        cl.randomization_inference(frame, "y", "arm", "t", "c")
    with pytest.raises(ValueError, match=r"outcome 'y' is constant"):
        cl.randomization_confidence_set(frame, "y", "arm", "t", "c", grid=[-1.0, 0.0, 1.0])


def test_randomization_inference_refuses_a_statistic_of_zero_over_zero():
    # Fixed effect level "a" has exactly as many units as the treated arm: the assignment that
    # treats all of "a" makes the indicator a fixed effect, and the coefficient 0/0.
    frame = pd.DataFrame(
        {
            "y": [1.0, 2.0, 3.0, 5.0, 4.0, 6.0],
            "arm": ["t", "c", "t", "c", "c", "c"],
            "fe": ["a", "a", "b", "b", "b", "b"],
        }
    )
    with pytest.raises(ValueError, match=r"undefined \(0/0\) for 1 of 16 assignments"):
        cl.randomization_inference(frame, "y", "arm", "t", "c", fixed_effects="fe")
    # Without the fixed effect every assignment has a defined statistic.
    result = cl.randomization_inference(frame, "y", "arm", "t", "c")
    assert result.exact and result.reps == 15


def test_randomization_inference_refuses_a_collinear_actual_assignment():
    frame = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0], "arm": ["t", "t", "c", "c"]})
    frame["fe"] = frame["arm"]
    with pytest.raises(ValueError, match=r"0/0"):
        cl.randomization_inference(frame, "y", "arm", "t", "c", fixed_effects="fe")


def test_confidence_set_refuses_a_grid_that_is_not_increasing():
    frame = pd.DataFrame({"y": [1.0, 2.0, 4.0, 3.0, 6.0, 5.0], "arm": ["c", "t"] * 3})
    with pytest.raises(ValueError, match="strictly increasing"):
        cl.randomization_confidence_set(frame, "y", "arm", "t", "c", grid=[0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="two or more finite numbers"):
        cl.randomization_confidence_set(frame, "y", "arm", "t", "c", grid=[1.0])


def test_confidence_set_refuses_a_test_that_cannot_reject_inside_and_outside():
    # 4 units, 2 treated: 6 assignments. The actual one and its mirror image are as extreme as
    # the actual one for any hypothesized effect, so no p-value falls below 2/6: at alpha < 1/3
    # the set is the whole grid (unbounded) whatever the outcomes, a flat p-value function.
    frame = pd.DataFrame({"y": [1.0, 2.0, 4.0, 7.0], "arm": ["c", "c", "t", "t"]})
    grid = np.linspace(-30, 30, 61)
    with pytest.raises(ValueError, match=r"below 0.333, above alpha=0.33: the confidence set"):
        cl.randomization_confidence_set(frame, "y", "arm", "t", "c", grid=grid, alpha=0.33)
    bounded = cl.randomization_confidence_set(frame, "y", "arm", "t", "c", grid=grid, alpha=0.34)
    assert bounded.exact and bounded.reps == 6
    assert not bounded.reaches_grid_edge
    assert bounded.table["p_value"].min() == pytest.approx(1 / 3)
    # Monte Carlo: the smallest p-value far from the estimate is 1 / (reps + 1).
    larger = pd.DataFrame({"y": np.arange(20.0), "arm": ["c", "t"] * 10})
    with pytest.raises(ValueError, match="Raise reps"):
        cl.randomization_confidence_set(
            larger, "y", "arm", "t", "c", grid=grid, alpha=0.05, reps=18, exact=False, seed=1
        )
    accepted = cl.randomization_confidence_set(
        larger, "y", "arm", "t", "c", grid=grid, alpha=0.05, reps=19, exact=False, seed=1
    )
    assert accepted.table["p_value"].min() == pytest.approx(1 / 20)


# -- power, subgroups, ordered models, balance, contrasts ---------------------------------------


def test_simulate_power_refuses_simulations_without_variation():
    design = cl.Design.complete(10, ("control", "treatment"))
    with pytest.raises(ValueError, match=r"simulated experiments the outcome does not vary"):
        cl.simulate_power(
            design,
            "treatment",
            "control",
            shift=0.0,
            control_probabilities=[0.9999, 0.0001],
            reps=50,
            seed=1,
        )
    wide = cl.Design.complete(60, ("control", "treatment"))
    result = cl.simulate_power(
        wide, "treatment", "control", shift=0.0, control_probabilities=[0.5, 0.5], reps=50, seed=1
    )
    assert result.table["mean_std_error"].iloc[0] > 0


def _subgroup_frame() -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        {
            "y": rng.normal(size=24),
            "arm": ["c", "t"] * 12,
            "male": pd.Categorical([0, 0, 1, 1] * 6, categories=[0, 1, 2]),
        }
    )


def test_subgroup_effects_refuse_an_empty_subgroup():
    frame = _subgroup_frame()
    with pytest.raises(ValueError, match=r"subgroup 'male=2' is empty"):
        cl.subgroup_effects(frame, "y", "arm", "t", "c", moderator="male")
    frame["male"] = frame["male"].cat.remove_unused_categories()
    assert len(cl.subgroup_effects(frame, "y", "arm", "t", "c", moderator="male").table) == 2


def test_subgroup_effects_refuse_a_subgroup_emptied_by_missing_values():
    frame = _subgroup_frame().assign(male=lambda f: f["male"].astype(int))
    extra = pd.DataFrame({"y": [np.nan, np.nan], "arm": ["c", "t"], "male": [5, 5]})
    with pytest.raises(ValueError, match=r"subgroup 'male=5' is empty"):
        cl.subgroup_effects(
            pd.concat([frame, extra], ignore_index=True), "y", "arm", "t", "c", moderator="male"
        )


def test_subgroup_effects_refuse_a_zero_standard_error():
    # Subgroup 1 has one unit in each arm: under HC1 its effect's SE is exactly zero.
    frame = pd.DataFrame(
        {
            "y": [1.0, 2.5, 2.0, 4.0, 3.0, 3.5, 5.0, 9.0],
            "arm": ["c", "t"] * 4,
            "group": [0, 0, 0, 0, 0, 0, 1, 1],
        }
    )
    with pytest.raises(ValueError, match=r"standard error of 'group=1' for outcome 'y'"):
        cl.subgroup_effects(frame, "y", "arm", "t", "c", moderator="group", se_type="HC1")


def test_subgroup_effects_refuse_a_constant_outcome():
    frame = _subgroup_frame().assign(y=1.5)
    frame["male"] = frame["male"].cat.remove_unused_categories()
    with pytest.raises(ValueError, match=r"outcome 'y' is constant"):
        cl.subgroup_effects(frame, "y", "arm", "t", "c", moderator="male")


def test_ordered_model_refuses_an_unused_category():
    frame = pd.DataFrame(
        {"y": [1, 2, 2, 4, 4, 2, 4, 4, 5, 5] * 3, "arm": (["control"] * 5 + ["treatment"] * 5) * 3}
    )
    with pytest.raises(ValueError, match=r"outcome 'y' never takes the value 3"):
        cl.ordered_model(frame, "y", "arm")
    recoded = frame.assign(y=frame["y"].replace({4: 3, 5: 4}))
    assert "3|4" in cl.ordered_model(recoded, "y", "arm").table.index


def test_ordered_model_refuses_an_arm_emptied_by_missing_values():
    frame = pd.DataFrame(
        {
            "y": [1.0, 2, 2, 3, 3, 2, 3, 3, 4, 5, np.nan, np.nan],
            "arm": ["control"] * 5 + ["treatment"] * 5 + ["placebo"] * 2,
        }
    )
    with pytest.raises(ValueError, match=r"condition 'placebo' of column 'arm'"):
        cl.ordered_model(frame, "y", "arm")


def test_balance_table_refuses_constant_covariates_inside_and_outside():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"age": rng.normal(40, 8, 20), "arm": ["a", "b"] * 10})
    with pytest.raises(ValueError, match=r"covariate 'flat' takes a single value"):
        cl.balance_table(frame.assign(flat=2.0), ["age", "flat"], "arm")
    wiggle = np.tile([0.0, 0.0, 1.0, 1.0], 5)  # varies within both arms
    step = 100 * 20 * EPS * 2.0
    with pytest.raises(ValueError, match=r"covariate 'flat' is constant"):
        cl.balance_table(frame.assign(flat=2.0 + 0.5 * step * wiggle), ["flat"], "arm")
    ok = cl.balance_table(frame.assign(flat=2.0 + 4 * step * wiggle), ["flat"], "arm")
    assert np.isfinite(ok.table.loc["flat", "std_diff_b"])
    assert np.isfinite(ok.omnibus["p_value"])
    # The omnibus test standardizes: its statistic is that of the rescaled covariate.
    rescaled = cl.balance_table(frame.assign(flat=wiggle), ["flat"], "arm")
    assert ok.omnibus["statistic"] == pytest.approx(rescaled.omnibus["statistic"], rel=1e-6)


def test_balance_table_refuses_covariates_that_separate_the_arms():
    frame = pd.DataFrame(
        {"x": np.r_[np.arange(10.0), np.arange(10.0) + 20], "arm": ["a"] * 10 + ["b"] * 10}
    )
    with pytest.raises(
        ValueError, match=r"omnibus balance test did not converge: covariates \['x'\]"
    ):
        cl.balance_table(frame, ["x"], "arm")


def test_balance_table_refuses_a_covariate_constant_within_arms():
    frame = pd.DataFrame({"x": [1.0, 2.0] * 10, "arm": ["a", "b"] * 10})
    with pytest.raises(ValueError, match=r"covariate 'x' has no residual variation"):
        cl.balance_table(frame, ["x"], "arm")


def test_balance_table_refuses_an_arm_left_with_one_unit():
    frame = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0, 4.0, 5.0, np.nan], "arm": ["a", "a", "a", "b", "b", "b"]}
    )
    frame.loc[4, "x"] = np.nan
    with pytest.raises(ValueError, match=r"condition 'b' of column 'arm' has 3 row\(s\) but 1"):
        cl.balance_table(frame, ["x"], "arm")


def test_contrast_refuses_a_zero_variance():
    fit = cl.ols(two_arms(spread=1.0, effect=1.0), "y", "arm")
    degenerate = dataclasses.replace(fit, vcov=fit.vcov * 0.0)
    with pytest.raises(ValueError, match="variance of 0"):
        cl.contrast(degenerate, "treatment")


def test_blocked_tests_refuse_a_block_left_without_an_arm_by_missing_values():
    frame = pd.DataFrame(
        {
            "y": [1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0, 9.0, 8.0, 5.0],
            "arm": ["c", "t", "c", "t", "t", "c", "c", "t", "t", "c"],
            "block": ["a"] * 4 + ["b"] * 2 + ["c"] * 4,
        }
    )
    with pytest.raises(ValueError, match=r"block 'b' has 0 unit\(s\) in 't' and 1 in 'c'"):
        cl.randomization_inference(frame, "y", "arm", "t", "c", blocks="block")
    with pytest.raises(ValueError, match=r"block 'b' has 0 treated and 1 control"):
        cl.difference_in_means(frame, "y", "arm", "t", "c", blocks="block")
