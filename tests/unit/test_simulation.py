"""Power simulation checked against closed forms and Monte Carlo expectations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from consentlib.randomization import Design
from consentlib.simulation import (
    analytic_power,
    latent_shift_for_effect,
    ordinal_cutpoints,
    response_scale_effect,
    simulate_power,
)

SHARES = [0.1, 0.25, 0.34, 0.2, 0.11]


def two_arm(n: int = 120) -> Design:
    return Design.complete(n, conditions=("control", "treatment"))


def test_cutpoints_give_the_control_shares():
    cutpoints = ordinal_cutpoints(SHARES)
    shares = np.diff(np.concatenate([[0.0], stats.norm.cdf(cutpoints), [1.0]]))
    np.testing.assert_allclose(shares, SHARES, atol=1e-12)


def test_population_effect_matches_the_category_sum():
    # E[Y | shift] = sum_k k * P(c_{k-1} < latent + shift <= c_k), computed category by category.
    result = simulate_power(two_arm(), "treatment", "control", shift=0.4,
                            control_probabilities=SHARES, reps=10, seed=0)  # fmt: skip
    edges = np.concatenate([[-np.inf], ordinal_cutpoints(SHARES), [np.inf]])
    k = np.arange(1, 6)

    def mean(shift):
        return np.sum(k * np.diff(stats.norm.cdf(edges - shift)))

    assert result.table["effect"].iloc[0] == pytest.approx(mean(0.4) - mean(0.0), abs=1e-12)


def test_size_is_alpha_when_there_is_no_effect():
    result = simulate_power(two_arm(), "treatment", "control", shift=0.0,
                            control_probabilities=SHARES, reps=4000, seed=2)  # fmt: skip
    row = result.table.iloc[0]
    assert abs(row["power"] - 0.05) < 4 * np.sqrt(0.05 * 0.95 / 4000)
    assert abs(row["bias"]) < 0.01


def test_normal_outcome_power_matches_the_noncentral_t():
    n = 80
    shift = 0.6
    result = simulate_power(two_arm(n), "treatment", "control", shift=shift, reps=4000, seed=5)
    row = result.table.iloc[0]
    expected = analytic_power(shift, np.sqrt(1 / 40 + 1 / 40), df=n - 2)
    assert abs(row["power"] - expected) < 4 * row["power_mc_se"] + 1e-3
    assert row["effect"] == shift


def test_confidence_intervals_cover_at_their_level():
    blocks = np.repeat(["a", "b", "c", "d"], 30)
    design = Design.blocked(blocks, conditions=("control", "treatment"))
    result = simulate_power(
        design, "treatment", "control", shift=0.5, control_probabilities=SHARES,
        fixed_effect_labels=blocks, block_shifts=np.repeat([0.0, 0.5, -0.3, 0.2], 30),
        se_type="HC2", reps=3000, seed=9,
    )  # fmt: skip
    coverage = result.table["coverage"].iloc[0]
    assert abs(coverage - 0.95) < 4 * np.sqrt(0.95 * 0.05 / 3000)


def test_analytic_power_has_the_textbook_values():
    # With a z test, an effect of (1.96 + 0.84) standard errors gives power 0.80.
    assert analytic_power(2.8, 1.0, df=1e6) == pytest.approx(0.80, abs=0.002)
    assert analytic_power(0.0, 1.0, df=1e6) == pytest.approx(0.05, abs=1e-6)


def test_same_seed_same_result_and_a_curve_has_a_row_per_shift():
    first = simulate_power(two_arm(), "treatment", "control", shift=[0.0, 0.3], reps=200, seed=4)
    second = simulate_power(two_arm(), "treatment", "control", shift=[0.0, 0.3], reps=200, seed=4)
    assert first.table.equals(second.table)
    assert list(first.table.index) == [0.0, 0.3]


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="exactly the conditions"):
        three = Design.complete(30, ("control", "treatment", "placebo"))
        simulate_power(three, "treatment", "control", shift=0.2)
    with pytest.raises(ValueError, match="must sum to 1"):
        simulate_power(two_arm(), "treatment", "control", shift=0.2,
                       control_probabilities=[0.5, 0.6])  # fmt: skip
    with pytest.raises(ValueError, match="se_type must be one of"):
        simulate_power(two_arm(), "treatment", "control", shift=0.2, se_type="HC3")
    with pytest.raises(ValueError, match="one label per unit"):
        simulate_power(two_arm(), "treatment", "control", shift=0.2, fixed_effect_labels=["a"] * 5)
    with pytest.raises(ValueError, match="leverage 1"):
        simulate_power(two_arm(40), "treatment", "control", shift=0.2, se_type="HC2",
                       fixed_effect_labels=["a"] * 39 + ["b"], reps=20)  # fmt: skip
    unequal = Design.blocked(np.repeat(["a", "b"], 20), conditions=("control", "treatment"),
                             prob_each={"a": [0.2, 0.8], "b": [0.8, 0.2]})  # fmt: skip
    with pytest.raises(ValueError, match="different probabilities of 'treatment'"):
        simulate_power(unequal, "treatment", "control", shift=0.2)


def test_latent_shift_for_effect_inverts_the_response_scale_effect():
    for effect in (-0.5, 0.0, 0.3223, 0.7628, 2.0):
        shift = latent_shift_for_effect(effect, SHARES)
        assert response_scale_effect(shift, SHARES) == pytest.approx(effect, abs=1e-9)
    with pytest.raises(ValueError, match="strictly between -4 and 4"):
        latent_shift_for_effect(4.0, SHARES)


def test_power_result_plots_its_curve():
    import matplotlib

    matplotlib.use("Agg")
    result = simulate_power(two_arm(), "treatment", "control", shift=[0.0, 0.5], reps=50, seed=1)
    ax = result.plot()
    assert [c.get_label() for c in ax.containers] == ["n = 120"]
    assert "50 simulated experiments of 120 units" in ax.get_title()


def test_default_standard_error_is_hc2_as_in_the_estimators():
    result = simulate_power(two_arm(), "treatment", "control", shift=0.3, reps=20, seed=1)
    explicit = simulate_power(
        two_arm(), "treatment", "control", shift=0.3, reps=20, seed=1, se_type="HC2"
    )
    assert result.se_type == "HC2"
    assert result.table.equals(explicit.table)


def test_a_design_of_the_wrong_type_raises_a_type_error():
    with pytest.raises(TypeError, match="design must be a consentlib Design; got list"):
        simulate_power(["control", "treatment"], "treatment", "control", shift=0.2)
