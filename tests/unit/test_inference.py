"""Randomization inference checked by brute-force enumeration and by refitting statsmodels."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from external_references import (
    GERBER_GREEN_ESTIMATE,
    GERBER_GREEN_P_EXACT,
    GERBER_GREEN_TREATED,
    GERBER_GREEN_Y,
)
from test_estimation import three_arm_survey

from consentlib.estimation import difference_in_means
from consentlib.inference import randomization_confidence_set, randomization_inference
from consentlib.randomization import Design


@pytest.fixture
def gerber_green() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "y": GERBER_GREEN_Y,
            "arm": ["t" if d else "c" for d in GERBER_GREEN_TREATED],
        }
    )


# Ties are judged with this tolerance, as the docstring of randomization_inference promises.
TIE_TOLERANCE = 1e-10


def brute_force_p(y, treated, statistic, null_effect=0.0, blocks=None) -> tuple[float, int]:
    """Enumerate every assignment with the observed counts (within blocks) by itertools."""
    y = np.asarray(y, float)
    treated = np.asarray(treated, bool)
    blocks = np.zeros(len(y), int) if blocks is None else np.asarray(blocks)
    y0 = y - null_effect * treated
    per_block = []
    for b in np.unique(blocks):
        units = np.flatnonzero(blocks == b)
        per_block.append(list(itertools.combinations(units, int(treated[units].sum()))))
    observed = statistic(y, treated)
    count = total = 0
    for choice in itertools.product(*per_block):
        d = np.zeros(len(y), bool)
        for units in choice:
            d[list(units)] = True
        value = statistic(y0 + null_effect * d, d)
        count += abs(value - null_effect) >= abs(observed - null_effect) - TIE_TOLERANCE
        total += 1
    return count / total, total


def mean_difference(y, d):
    return y[d].mean() - y[~d].mean()


def test_gerber_green_exact_p_value(gerber_green):
    # Reference: Gerber & Green (2012), Table 2.2 schedule: estimate 6.5, exact p = 8/21.
    result = randomization_inference(gerber_green, "y", "arm", "t", "c")
    assert result.observed == pytest.approx(GERBER_GREEN_ESTIMATE)
    assert result.exact
    assert result.n_assignments == 21
    assert result.p_value == pytest.approx(GERBER_GREEN_P_EXACT, abs=1e-12)


@pytest.mark.parametrize("null_effect", [-3.0, 2.0, 6.5, 10.0])
def test_sharp_null_with_an_effect_matches_brute_force(gerber_green, null_effect):
    result = randomization_inference(gerber_green, "y", "arm", "t", "c", null_effect=null_effect)
    expected, total = brute_force_p(
        GERBER_GREEN_Y, GERBER_GREEN_TREATED, mean_difference, null_effect
    )
    assert result.reps == total
    assert result.p_value == pytest.approx(expected, abs=1e-12)


def test_blocked_exact_enumeration_matches_brute_force():
    rng = np.random.default_rng(5)
    blocks = np.repeat([0, 1, 2], [4, 5, 4])
    treated = np.concatenate([rng.permutation([1] * 2 + [0] * size) for size in (2, 3, 2)]).astype(
        bool
    )
    y = rng.normal(size=13) + 0.8 * treated + blocks
    frame = pd.DataFrame({"y": y, "arm": np.where(treated, "t", "c"), "b": blocks})

    def blocked_dim(yy, d):
        frame_d = pd.DataFrame({"y": yy, "arm": np.where(d, "t", "c"), "b": blocks})
        result = difference_in_means(frame_d, "y", "arm", "t", "c", blocks="b")
        return result.table["estimate"].iloc[0]

    result = randomization_inference(
        frame, "y", "arm", "t", "c", blocks="b", statistic="difference_in_means", reps=10_000
    )
    expected, total = brute_force_p(y, treated, blocked_dim, blocks=blocks)
    assert result.exact and result.reps == total == 6 * 10 * 6
    assert result.observed == pytest.approx(blocked_dim(y, treated))
    assert result.p_value == pytest.approx(expected, abs=1e-12)


def test_ols_statistic_equals_statsmodels_refit_on_every_draw():
    frame = three_arm_survey(seed=8)
    result = randomization_inference(
        frame, "support", "condition", "treatment", "control",
        fixed_effects="enumerator", covariates="age", reps=40, seed=1,
    )  # fmt: skip
    pair = frame[frame["condition"].isin(["treatment", "control"])].dropna()
    n_treated = int((pair["condition"] == "treatment").sum())
    draws = Design.complete(
        len(pair), conditions=("control", "treatment"), m_each=[len(pair) - n_treated, n_treated]
    ).draw(40, seed=np.random.default_rng(1))
    refits = [
        smf.ols("support ~ d + age + C(enumerator)", pair.assign(d=(draw == "treatment") * 1.0))
        .fit()
        .params["d"]
        for draw in draws
    ]
    np.testing.assert_allclose(result.null_distribution, refits, rtol=0, atol=1e-10)
    observed = smf.ols(
        "support ~ d + age + C(enumerator)", pair.assign(d=(pair["condition"] == "treatment") * 1.0)
    ).fit()
    assert result.observed == pytest.approx(observed.params["d"], abs=1e-10)


def test_monte_carlo_p_value_counts_the_observed_draw():
    frame = three_arm_survey(seed=2)
    result = randomization_inference(
        frame, "support", "condition", "placebo", "control", reps=500, seed=4
    )
    assert not result.exact and result.reps == 500
    extreme = np.sum(np.abs(result.null_distribution) >= abs(result.observed) - TIE_TOLERANCE)
    assert result.p_value == pytest.approx((1 + extreme) / 501)


def test_same_seed_same_null_distribution():
    frame = three_arm_survey(seed=2)
    args = (frame, "support", "condition", "treatment", "control")
    first = randomization_inference(*args, reps=300, seed=7, blocks="enumerator")
    second = randomization_inference(*args, reps=300, seed=7, blocks="enumerator")
    third = randomization_inference(*args, reps=300, seed=8, blocks="enumerator")
    np.testing.assert_array_equal(first.null_distribution, second.null_distribution)
    assert not np.array_equal(first.null_distribution, third.null_distribution)


def test_under_the_null_p_values_are_uniform():
    """A valid test rejects a true null at its level: p-values on null data are uniform."""
    rng = np.random.default_rng(12)
    p_values = []
    for _ in range(200):
        frame = pd.DataFrame(
            {"y": rng.normal(size=40), "arm": rng.permutation(["t"] * 20 + ["c"] * 20)}
        )
        p_values.append(
            randomization_inference(frame, "y", "arm", "t", "c", reps=199, seed=rng).p_value
        )
    p_values = np.array(p_values)
    assert 0.02 <= np.mean(p_values <= 0.10) <= 0.18


def test_design_based_inference_matches_brute_force_over_full_redraws():
    # Three arms, n = 7: every assignment of the design; the statistic is the difference in
    # means between the units each assignment puts in treatment and in control.
    y = np.array([3.0, 1, 4, 1, 5, 9, 2])
    design = Design.complete(7, conditions=("control", "treatment", "placebo"), m_each=[3, 2, 2])
    actual = np.array(["control", "treatment", "placebo", "control", "treatment", "control",
                       "placebo"])  # fmt: skip
    frame = pd.DataFrame({"y": y, "arm": actual})
    result = randomization_inference(
        frame, "y", "arm", "treatment", "control", statistic="difference_in_means", design=design
    )
    values = []
    for codes in design.enumerate():
        labels = np.asarray(design.conditions)[codes]
        values.append(y[labels == "treatment"].mean() - y[labels == "control"].mean())
    values = np.array(values)
    observed = y[actual == "treatment"].mean() - y[actual == "control"].mean()
    assert result.exact and result.reps == 210
    assert result.observed == pytest.approx(observed)
    assert result.p_value == pytest.approx(np.mean(np.abs(values) >= abs(observed) - 1e-10))


def test_design_based_ols_matches_statsmodels_on_each_draw():
    frame = three_arm_survey(seed=4, n=60).dropna().reset_index(drop=True)
    arms = ("control", "treatment", "placebo")
    counts = frame["condition"].value_counts()
    design = Design.complete(len(frame), conditions=arms, m_each=[counts[a] for a in arms])
    result = randomization_inference(
        frame, "support", "condition", "treatment", "control",
        fixed_effects="enumerator", design=design, reps=15, seed=2,
    )  # fmt: skip
    draws = design.draw(15, seed=np.random.default_rng(2))
    for value, draw in zip(result.null_distribution, draws, strict=True):
        sub = frame.assign(condition=draw)
        sub = sub[sub["condition"].isin(["treatment", "control"])]
        fit = smf.ols(
            "support ~ d + C(enumerator)", sub.assign(d=(sub["condition"] == "treatment") * 1.0)
        ).fit()
        assert value == pytest.approx(fit.params["d"], abs=1e-8)


def test_errors_name_the_problem(gerber_green):
    with pytest.raises(ValueError, match="statistic must be one of"):
        randomization_inference(gerber_green, "y", "arm", "t", "c", statistic="median")
    with pytest.raises(ValueError, match="exact=True asks for all 21"):
        randomization_inference(gerber_green, "y", "arm", "t", "c", exact=True, reps=10)
    with pytest.raises(ValueError, match="condition 'x' does not occur"):
        randomization_inference(gerber_green, "y", "arm", "x", "c")
    with pytest.raises(TypeError, match="seed must be"):
        randomization_inference(gerber_green, "y", "arm", "t", "c", seed="one")


def test_exact_design_inference_weights_unequally_likely_assignments():
    # n = 3 with p = (0.6, 0.4): one unit each, and the remainder goes to control with
    # probability 0.8 / (0.8 + 0.2) = 0.8 (the fractional parts of 1.8 and 1.2). So each of the
    # three arrangements with two control units has probability 0.8 / 3, each with two treated
    # units 0.2 / 3, and the exact p-value must weight them so.
    design = Design.complete(3, conditions=("control", "treatment"), prob_each=[0.6, 0.4])
    y = np.array([1.0, 4.0, 2.0])
    frame = pd.DataFrame({"y": y, "arm": ["control", "treatment", "control"]})
    result = randomization_inference(
        frame, "y", "arm", "treatment", "control", statistic="difference_in_means",
        design=design,
    )  # fmt: skip
    p_value = 0.0
    for treated in itertools.product([0, 1], repeat=3):
        d = np.array(treated, bool)
        if d.sum() in (1, 2):
            weight = 0.8 / 3 if d.sum() == 1 else 0.2 / 3
            value = y[d].mean() - y[~d].mean()
            p_value += weight * (abs(value) >= abs(result.observed) - TIE_TOLERANCE)
    assert not design.equiprobable
    assert result.exact and result.reps == 6
    assert result.p_value == pytest.approx(p_value, abs=1e-12)


@pytest.mark.parametrize("statistic", ["ols", "difference_in_means"])
def test_p_values_do_not_depend_on_the_outcomes_location(statistic):
    # Adding a constant to every outcome changes no effect; digits must not be lost either.
    frame = three_arm_survey(seed=5, n=150)
    frame["support"] = (frame["support"] > 3).astype(float)
    kwargs = {"fixed_effects": "enumerator"} if statistic == "ols" else {"blocks": "enumerator"}
    results = [
        randomization_inference(
            frame.assign(support=frame["support"] + shift), "support", "condition",
            "treatment", "control", statistic=statistic, reps=2000, seed=3, **kwargs,
        )
        for shift in (0.0, 1e6, 1e9)
    ]  # fmt: skip
    assert results[1].p_value == results[0].p_value == results[2].p_value
    np.testing.assert_allclose(results[2].null_distribution, results[0].null_distribution,
                               atol=1e-6)  # fmt: skip


def test_undefined_statistics_are_errors_not_p_values_of_zero():
    frame = pd.DataFrame(
        {"y": [1.0, 2, 3, 4, 5, 6], "arm": ["t", "t", "t", "c", "c", "c"],
         "block": ["a", "a", "a", "b", "b", "b"]}
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"block 'a' has 3 unit.* in 't' and 0 in 'c'"):
        randomization_inference(frame, "y", "arm", "t", "c", blocks="block",
                                statistic="difference_in_means")  # fmt: skip
    no_treated_outcome = frame.assign(y=[np.nan, np.nan, np.nan, 4, 5, 6])
    with pytest.raises(ValueError, match=r"0 unit.* in 't'"):
        randomization_inference(no_treated_outcome, "y", "arm", "t", "c")
    with pytest.raises(ValueError, match="null_effect must be a finite number"):
        randomization_inference(frame, "y", "arm", "t", "c", null_effect=np.nan)
    with pytest.raises(ValueError, match="treated and control must be different"):
        randomization_inference(frame, "y", "arm", "t", "t")
    with pytest.raises(ValueError, match="blocks must name one column"):
        randomization_inference(frame, "y", "arm", "t", "c", blocks=["block", "arm"])


def test_exact_accepts_numpy_booleans(gerber_green):
    result = randomization_inference(gerber_green, "y", "arm", "t", "c", exact=np.True_)
    assert result.exact


def test_design_path_refuses_an_assignment_the_design_cannot_produce():
    frame = pd.DataFrame({"y": np.arange(8.0), "arm": ["t"] * 6 + ["c"] * 2})
    design = Design.complete(8, conditions=("c", "t"), m_each=[4, 4])
    with pytest.raises(ValueError, match=r"puts 2 unit.* in 'c', but the design gives about 4"):
        randomization_inference(frame, "y", "arm", "t", "c", design=design)
    mislabelled = frame.assign(arm=["T"] * 3 + ["t"] + ["c"] * 4)
    with pytest.raises(ValueError, match=r"condition the design does not have \(first 'T'"):
        randomization_inference(mislabelled, "y", "arm", "t", "c", design=design)


def test_design_path_refuses_an_assignment_rerandomization_would_reject():
    x = pd.DataFrame({"age": np.arange(10.0)})
    design = Design.rerandomized(x, ("c", "t"), acceptance_prob=0.2)
    worst = ["c"] * 5 + ["t"] * 5  # the youngest five against the oldest five
    frame = pd.DataFrame({"y": np.arange(10.0), "arm": worst})
    with pytest.raises(ValueError, match="would have rejected it"):
        randomization_inference(frame, "y", "arm", "t", "c", design=design)


def test_design_path_leaves_out_draws_where_the_statistic_is_undefined():
    # Four placebo units have no outcome; draws that put only them in an arm are undefined.
    y = np.array([1.0, 5.0, 2.0, 7.0, np.nan, np.nan, np.nan, np.nan])
    arms = ["control", "control", "treatment", "treatment"] + ["placebo"] * 4
    frame = pd.DataFrame({"y": y, "arm": arms})
    design = Design.complete(8, conditions=("control", "treatment", "placebo"), m_each=[2, 2, 4])
    result = randomization_inference(
        frame, "y", "arm", "treatment", "control", statistic="difference_in_means", design=design
    )
    values = []
    for codes in design.enumerate():
        t, c = (codes == 1) & ~np.isnan(y), (codes == 0) & ~np.isnan(y)
        if t.any() and c.any():
            values.append(y[t].mean() - y[c].mean())
    values = np.array(values)
    assert result.n_undefined == 420 - len(values) > 0
    assert result.p_value == pytest.approx(
        np.mean(np.abs(values) >= abs(result.observed) - TIE_TOLERANCE), abs=1e-12
    )
    ols_result = randomization_inference(frame, "y", "arm", "treatment", "control", design=design)
    assert ols_result.n_undefined == result.n_undefined
    np.testing.assert_allclose(np.sort(ols_result.null_distribution), np.sort(values), atol=1e-9)


def test_confidence_set_inverts_one_test_per_grid_value(gerber_green):
    # Exact case: every p-value equals the brute-force p-value of that sharp null.
    grid = np.arange(-12.0, 24.0, 1.5)
    result = randomization_confidence_set(gerber_green, "y", "arm", "t", "c", grid=grid,
                                          alpha=0.2)  # fmt: skip
    for tau, p_value in result.table["p_value"].items():
        expected, _ = brute_force_p(GERBER_GREEN_Y, GERBER_GREEN_TREATED, mean_difference, tau)
        assert p_value == pytest.approx(expected, abs=1e-12), tau
    accepted = grid[result.table["p_value"].to_numpy() > 0.2]
    assert (result.conf_low, result.conf_high) == (accepted.min(), accepted.max())


def test_confidence_set_matches_separate_monte_carlo_tests_with_fixed_effects():
    frame = three_arm_survey(seed=6)
    grid = np.linspace(-0.5, 1.5, 9)
    options = dict(blocks="enumerator", fixed_effects="enumerator", reps=400, seed=11)
    result = randomization_confidence_set(
        frame, "support", "condition", "treatment", "control", grid=grid, **options
    )
    for tau in grid:
        single = randomization_inference(
            frame, "support", "condition", "treatment", "control", null_effect=tau, **options
        )
        assert result.table.loc[tau, "p_value"] == pytest.approx(single.p_value, abs=1e-12)
    assert not result.reaches_grid_edge


def test_confidence_set_grid_must_increase(gerber_green):
    with pytest.raises(ValueError, match="strictly increasing"):
        randomization_confidence_set(gerber_green, "y", "arm", "t", "c", grid=[1.0, 0.0])


def test_result_counts_the_units_it_used():
    frame = three_arm_survey(seed=2)
    result = randomization_inference(frame, "support", "condition", "placebo", "control", reps=50)
    in_arms = frame[frame["condition"].isin(["placebo", "control"])]
    assert result.nobs == in_arms["support"].notna().sum()
    assert result.exclusions.n_excluded == in_arms["support"].isna().sum()


def test_plot_can_give_each_value_of_the_statistic_its_own_bar(gerber_green):
    import matplotlib

    matplotlib.use("Agg")
    result = randomization_inference(gerber_green, "y", "arm", "t", "c")
    ax = result.plot(bins="values")
    heights = [patch.get_height() for patch in ax.patches]
    distinct, counts = np.unique(np.round(result.null_distribution, 9), return_counts=True)
    assert len(heights) == len(distinct)
    assert sorted(heights) == sorted(counts)


def test_results_display_in_a_notebook(gerber_green):
    result = randomization_inference(gerber_green, "y", "arm", "t", "c")
    shown = result._repr_html_()
    assert "p = 0.381" in shown and "<table" in shown
    interval = randomization_confidence_set(gerber_green, "y", "arm", "t", "c",
                                            grid=[0.0, 5.0, 10.0])  # fmt: skip
    assert "confidence set" in interval._repr_html_()
