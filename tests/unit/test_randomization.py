"""Tests of consentlib.randomization against randomizr's counts and independent computations."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from consentlib.randomization import (
    Design,
    RerandomizationResult,
    block_ra,
    complete_ra,
    rerandomize,
)

TWO = ("control", "treatment")
THREE = ("control", "treatment", "placebo")

# Reference values, with their provenance -----------------------------------------------------
# Numbers of possible assignments from randomizr's obtain_num_permutations: its documented
# examples declare_ra(N = 4) and declare_ra(block_var = c("A", "A", "B", "B", "C", "C", "C"))
# (two arms), and issue 3's three-arm case N = 10 with prob_each = 1/3 each
# (3 * 10! / (4! 3! 3!) = 12,600).
RANDOMIZR_N_PERMUTATIONS = {
    "complete, N = 4": (Design.complete, (4, TWO), {}, 6),
    "blocked, A A B B C C C": (Design.blocked, (list("AABBCCC"), TWO), {}, 24),
    "complete, N = 10, three arms": (
        Design.complete,
        (10, THREE),
        {"prob_each": [1 / 3] * 3},
        12_600,
    ),
}


# Helpers --------------------------------------------------------------------------------------


def assert_marginals_within_4_se(codes: np.ndarray, expected: np.ndarray) -> None:
    """Each unit's share of draws in each condition is within 4 Monte Carlo SEs of expected."""
    reps = codes.shape[0]
    for arm in range(expected.shape[1]):
        observed = (codes == arm).mean(axis=0)
        se = np.sqrt(expected[:, arm] * (1 - expected[:, arm]) / reps)
        gap = np.abs(observed - expected[:, arm])
        assert np.all(gap <= 4 * se + 1e-12), (arm, gap.max(), se.max())


def brute_force_assignments(block_ids, n_arms, allowed_counts) -> set[tuple[int, ...]]:
    """Every code vector in n_arms ** n whose counts in each block are among the allowed ones."""
    block_ids = np.asarray(block_ids)
    found = set()
    for row in itertools.product(range(n_arms), repeat=len(block_ids)):
        row_array = np.array(row)
        if all(
            tuple(np.bincount(row_array[block_ids == b], minlength=n_arms)) in allowed
            for b, allowed in allowed_counts.items()
        ):
            found.add(row)
    return found


def reachable_counts(n_b: int, prob: list[float]) -> set[tuple[int, ...]]:
    """Count vectors reachable under prob_each: floor(n_b p) plus one unit for a subset of the
    conditions with a positive fractional part, as many as the remainder."""
    expected = np.array(prob) * n_b
    floor = np.floor(expected + 1e-9).astype(int)
    positive = [a for a in range(len(prob)) if expected[a] - floor[a] > 1e-9]
    remainder = n_b - floor.sum()
    out = set()
    for subset in itertools.combinations(positive, remainder):
        counts = floor.copy()
        counts[list(subset)] += 1
        out.add(tuple(int(c) for c in counts))
    return out


def mahalanobis_multi_arm(x: np.ndarray, codes: np.ndarray, n_arms: int) -> float:
    """sum_a n_a (xbar_a - xbar)' S^-1 (xbar_a - xbar), S the sample covariance (issue 3)."""
    s_inv = np.linalg.inv(np.atleast_2d(np.cov(x, rowvar=False)))
    total = 0.0
    for arm in range(n_arms):
        members = x[codes == arm]
        if len(members):
            d = members.mean(axis=0) - x.mean(axis=0)
            total += len(members) * d @ s_inv @ d
    return total


# Counting and enumerating ---------------------------------------------------------------------


@pytest.mark.parametrize("case", list(RANDOMIZR_N_PERMUTATIONS), ids=str)
def test_n_assignments_matches_randomizr(case):
    constructor, args, kwargs, expected = RANDOMIZR_N_PERMUTATIONS[case]
    assert constructor(*args, **kwargs).n_assignments == expected


def test_n_assignments_is_an_exact_python_int_for_large_designs():
    # 60! / (20!)^3, the multinomial coefficient, computed with math.factorial
    n_assignments = Design.complete(60, THREE).n_assignments
    assert type(n_assignments) is int
    assert n_assignments == math.factorial(60) // math.factorial(20) ** 3


SMALL_DESIGNS = {
    "complete, two arms, odd n": (lambda: Design.complete(5, TWO), [0] * 5, {0: [0.5, 0.5]}),
    "complete, three arms, remainder 2": (
        lambda: Design.complete(5, THREE, prob_each=[0.3, 0.3, 0.4]),
        [0] * 5,
        {0: [0.3, 0.3, 0.4]},
    ),
    "complete, a zero fractional part": (
        lambda: Design.complete(6, THREE, prob_each=[0.5, 0.25, 0.25]),
        [0] * 6,
        {0: [0.5, 0.25, 0.25]},
    ),
    "blocked, equal probabilities": (
        lambda: Design.blocked([1, 1, 2, 2, 2], TWO),
        [0, 0, 1, 1, 1],
        {0: [0.5, 0.5], 1: [0.5, 0.5]},
    ),
    "blocked, three arms": (
        lambda: Design.blocked(["a", "b", "a", "b", "b", "a", "b"], THREE),
        [0, 1, 0, 1, 1, 0, 1],
        {0: [1 / 3] * 3, 1: [1 / 3] * 3},
    ),
}


@pytest.mark.parametrize("case", list(SMALL_DESIGNS), ids=str)
def test_enumerate_lists_exactly_the_brute_force_assignments(case):
    make, block_ids, probs = SMALL_DESIGNS[case]
    design = make()
    n_arms = len(design.conditions)
    allowed = {b: reachable_counts(block_ids.count(b), p) for b, p in probs.items()}
    expected = brute_force_assignments(block_ids, n_arms, allowed)
    rows = design.enumerate()
    assert len({tuple(r) for r in rows.tolist()}) == rows.shape[0]  # no row twice
    assert {tuple(r) for r in rows.tolist()} == expected
    assert design.n_assignments == len(expected)


def test_enumerate_returns_n_assignments_valid_distinct_rows_for_blocked_counts():
    blocks = ["x"] * 4 + ["y"] * 5
    design = Design.blocked(blocks, THREE, m_each={"x": [2, 1, 1], "y": [1, 2, 2]})
    rows = design.enumerate()
    # 4!/(2!1!1!) * 5!/(1!2!2!) = 12 * 30
    assert rows.shape == (12 * 30, 9)
    assert np.unique(rows, axis=0).shape[0] == rows.shape[0]
    assert all(np.bincount(r[:4], minlength=3).tolist() == [2, 1, 1] for r in rows)
    assert all(np.bincount(r[4:], minlength=3).tolist() == [1, 2, 2] for r in rows)


def test_enumerate_refuses_designs_larger_than_max_assignments():
    with pytest.raises(ValueError, match=r"12,600 possible assignments.*max_assignments=1,000"):
        Design.complete(10, THREE).enumerate(max_assignments=1_000)


def test_enumerate_probabilities_give_exact_marginal_probabilities():
    # 7 units, prob_each (.1, .2, .3, .4): floors (0, 1, 2, 2) and a remainder of two units,
    # where sequential draws proportional to the fractional parts would not be exact.
    prob = np.array([0.1, 0.2, 0.3, 0.4])
    design = Design.complete(7, ("a", "b", "c", "d"), prob_each=prob)
    rows, weights = design.enumerate(), design.enumerate_probabilities()
    assert weights.sum() == pytest.approx(1.0, abs=1e-12)
    for arm in range(4):
        marginal = weights @ (rows == arm)
        np.testing.assert_allclose(marginal, prob[arm], atol=1e-12)


def test_enumerate_probabilities_match_the_frequency_of_count_vectors_in_draws():
    design = Design.complete(7, ("a", "b", "c", "d"), prob_each=[0.1, 0.2, 0.3, 0.4])
    rows, weights = design.enumerate(), design.enumerate_probabilities()
    exact: dict[tuple, float] = {}
    for row, w in zip(rows, weights, strict=True):
        key = tuple(np.bincount(row, minlength=4))
        exact[key] = exact.get(key, 0.0) + w
    draws = design.draw_codes(100_000, seed=11)
    keys, freq = np.unique(
        np.stack([(draws == a).sum(1) for a in range(4)], 1), axis=0, return_counts=True
    )
    observed = {tuple(k): f / draws.shape[0] for k, f in zip(keys.tolist(), freq, strict=True)}
    assert set(observed) == set(exact)
    for key, p in exact.items():
        assert abs(observed[key] - p) <= 4 * math.sqrt(p * (1 - p) / draws.shape[0])


def test_equiprobable_is_true_for_fixed_counts_and_false_for_unequal_remainders():
    assert Design.complete(10, THREE).equiprobable  # each remainder arm has probability 1/3
    assert Design.blocked(list("AABBB"), TWO, m_each={"A": [1, 1], "B": [2, 1]}).equiprobable
    assert not Design.complete(7, ("a", "b", "c", "d"), prob_each=[0.1, 0.2, 0.3, 0.4]).equiprobable


# Marginal probabilities, by simulation ---------------------------------------------------------

MARGINAL_CASES = {
    "complete, default three arms, n = 10": (
        lambda: Design.complete(10, THREE),
        np.full((10, 3), 1 / 3),
    ),
    "complete, m_each": (
        lambda: Design.complete(8, TWO, m_each=[3, 5]),
        np.tile([3 / 8, 5 / 8], (8, 1)),
    ),
    "complete, two arms, odd n": (lambda: Design.complete(5, TWO), np.full((5, 2), 0.5)),
    "complete, prob_each with a remainder of two": (
        lambda: Design.complete(7, ("a", "b", "c", "d"), prob_each=[0.1, 0.2, 0.3, 0.4]),
        np.tile([0.1, 0.2, 0.3, 0.4], (7, 1)),
    ),
    "blocked, default, odd blocks": (
        lambda: Design.blocked(list("AAABBBBBC"), TWO),
        np.full((9, 2), 0.5),
    ),
    "blocked, prob_each with remainders": (
        lambda: Design.blocked([0] * 5 + [1] * 7, THREE, prob_each=[0.2, 0.3, 0.5]),
        np.tile([0.2, 0.3, 0.5], (12, 1)),
    ),
    "blocked, per-block counts": (
        lambda: Design.blocked(list("AABBB"), TWO, m_each=[[2, 0], [1, 2]]),
        np.array([[1, 0], [1, 0], [1 / 3, 2 / 3], [1 / 3, 2 / 3], [1 / 3, 2 / 3]]),
    ),
}


@pytest.mark.parametrize("case", list(MARGINAL_CASES), ids=str)
def test_drawn_marginal_probabilities_match_the_design(case):
    make, expected = MARGINAL_CASES[case]
    design = make()
    assert_marginals_within_4_se(design.draw_codes(100_000, seed=2024), expected)


@pytest.mark.parametrize("case", list(MARGINAL_CASES), ids=str)
def test_probabilities_property_is_exact(case):
    make, expected = MARGINAL_CASES[case]
    probabilities = make().probabilities
    assert probabilities.attrs["method"] == "exact"
    np.testing.assert_allclose(probabilities.to_numpy(), expected, atol=1e-12)


def test_complete_ra_marginal_probabilities_by_simulation():
    rng = np.random.default_rng(1)
    draws = np.array(
        [complete_ra(7, THREE, prob_each=[0.2, 0.3, 0.5], seed=rng) for _ in range(4_000)]
    )
    codes = np.stack([draws == c for c in THREE]).argmax(axis=0)
    assert_marginals_within_4_se(codes, np.tile([0.2, 0.3, 0.5], (7, 1)))


def test_block_ra_marginal_probabilities_by_simulation():
    rng = np.random.default_rng(2)
    blocks = ["a", "a", "a", "b", "b"]
    draws = np.array([block_ra(blocks, TWO, seed=rng) for _ in range(4_000)])
    assert_marginals_within_4_se((draws == "treatment").astype(int), np.full((5, 2), 0.5))


def test_rerandomize_marginal_probabilities_stay_equal_across_arms():
    # Equal arms: the acceptance rule is symmetric in the arms, so each unit stays 1/3 likely.
    x = np.random.default_rng(3).normal(size=(12, 2))
    rng = np.random.default_rng(4)
    draws = np.array(
        [rerandomize(x, THREE, acceptance_prob=0.3, seed=rng).assignment for _ in range(3_000)]
    )
    codes = np.stack([draws == c for c in THREE]).argmax(axis=0)
    assert_marginals_within_4_se(codes, np.full((12, 3), 1 / 3))
    probabilities = Design.rerandomized(x, THREE, acceptance_prob=0.3).probabilities
    assert probabilities.attrs["method"] == "exact (by symmetry)"
    np.testing.assert_allclose(probabilities.to_numpy(), 1 / 3)


def test_rerandomized_probabilities_of_unequal_arms_are_simulated_and_right():
    x = np.random.default_rng(5).normal(size=(10, 1))
    x[0] = 4.0  # an outlier, whose probabilities rerandomization moves
    design = Design.rerandomized(x, TWO, m_each=[3, 7], acceptance_prob=0.2)
    probabilities = design.probabilities
    assert probabilities.attrs["method"].startswith("simulation")
    # independent: exact probabilities from the enumerated accepted assignments
    rows, weights = design.enumerate(), design.enumerate_probabilities()
    exact = weights @ (rows == 1)
    assert abs(exact[0] - 0.7) > 0.05  # the outlier's probability has moved
    se = np.sqrt(exact * (1 - exact) / 10_000)
    assert np.all(np.abs(probabilities["treatment"].to_numpy() - exact) <= 4 * se)


# Counts are kept ------------------------------------------------------------------------------


def test_complete_ra_m_each_fixes_counts():
    z = complete_ra(9, THREE, m_each=[2, 3, 4], seed=8)
    assert [int((z == c).sum()) for c in THREE] == [2, 3, 4]


def test_complete_ra_prob_each_gives_floor_counts_plus_distinct_remainder_arms():
    draws = Design.complete(7, ("a", "b", "c", "d"), prob_each=[0.1, 0.2, 0.3, 0.4]).draw_codes(
        2_000, seed=9
    )
    counts = np.stack([(draws == a).sum(axis=1) for a in range(4)], axis=1)
    extra = counts - np.array([0, 1, 2, 2])  # floor(7 p)
    assert set(np.unique(extra).tolist()) == {0, 1}
    assert np.all(extra.sum(axis=1) == 2)


def test_block_ra_keeps_per_block_counts_from_a_mapping():
    blocks = np.array(["b", "a", "b", "a", "b", "c", "c"])
    m_each = {"a": [0, 1, 1], "b": [1, 1, 1], "c": [2, 0, 0]}
    draws = Design.blocked(blocks, THREE, m_each=m_each).draw_codes(500, seed=10)
    for label, counts in m_each.items():
        in_block = draws[:, blocks == label]
        for arm, count in enumerate(counts):
            assert np.all((in_block == arm).sum(axis=1) == count)


def test_block_ra_reads_a_2d_array_in_sorted_block_order():
    blocks = [3, 3, 1, 1, 1, 2]  # sorted order 1, 2, 3
    design = Design.blocked(blocks, TWO, m_each=[[0, 3], [1, 0], [2, 0]])
    assert design.block_labels.tolist() == [1, 2, 3]
    z = block_ra(blocks, TWO, m_each=[[0, 3], [1, 0], [2, 0]], seed=1)
    assert z.tolist() == ["control", "control", "treatment", "treatment", "treatment", "control"]


def test_block_ra_reads_per_block_counts_from_a_dataframe():
    counts = pd.DataFrame({"treatment": [1, 2], "control": [1, 0]}, index=["u", "v"])
    z = block_ra(["u", "u", "v", "v"], TWO, m_each=counts, seed=2)
    assert z[2:].tolist() == ["treatment", "treatment"]
    assert sorted(z[:2].tolist()) == ["control", "treatment"]


def test_block_ra_applies_a_single_m_each_to_every_block():
    blocks = np.repeat(["p", "q", "r"], 3)
    draws = Design.blocked(blocks, THREE, m_each=[1, 1, 1]).draw_codes(300, seed=3)
    for label in "pqr":
        assert np.all(np.sort(draws[:, blocks == label], axis=1) == [0, 1, 2])


def test_block_ra_prob_each_keeps_each_block_within_floor_and_ceiling():
    blocks = np.repeat([0, 1], [5, 8])
    draws = Design.blocked(blocks, TWO, prob_each=[0.3, 0.7]).draw_codes(1_000, seed=4)
    treated_0 = (draws[:, :5] == 1).sum(axis=1)  # 5 * .7 = 3.5
    treated_1 = (draws[:, 5:] == 1).sum(axis=1)  # 8 * .7 = 5.6
    assert set(treated_0.tolist()) == {3, 4}
    assert set(treated_1.tolist()) == {5, 6}


# Seeds ----------------------------------------------------------------------------------------


def test_same_seed_gives_same_draws():
    x = np.random.default_rng(0).normal(size=(20, 2))
    assert np.array_equal(complete_ra(20, THREE, seed=5), complete_ra(20, THREE, seed=5))
    assert np.array_equal(
        block_ra([1, 2] * 10, THREE, seed=5), block_ra([1, 2] * 10, THREE, seed=5)
    )
    assert np.array_equal(
        rerandomize(x, THREE, seed=5).assignment, rerandomize(x, THREE, seed=5).assignment
    )
    design = Design.complete(20, THREE, prob_each=[0.25, 0.25, 0.5])
    assert np.array_equal(design.draw_codes(50, seed=5), design.draw_codes(50, seed=5))


def test_different_seeds_give_different_draws():
    design = Design.complete(30, THREE)
    assert not np.array_equal(design.draw_codes(5, seed=1), design.draw_codes(5, seed=2))


def test_generator_is_accepted_and_advanced():
    rng = np.random.default_rng(6)
    first, second = complete_ra(30, THREE, seed=rng), complete_ra(30, THREE, seed=rng)
    assert not np.array_equal(first, second)
    replay = np.random.default_rng(6)
    assert np.array_equal(complete_ra(30, THREE, seed=replay), first)


def test_functions_are_one_draw_of_their_design():
    x = np.random.default_rng(0).normal(size=(15, 2))
    blocks = [0, 1, 2] * 5
    for seed in range(5):
        assert np.array_equal(
            complete_ra(15, THREE, seed=seed), Design.complete(15, THREE).draw(1, seed=seed)[0]
        )
        assert np.array_equal(
            block_ra(blocks, THREE, seed=seed), Design.blocked(blocks, THREE).draw(1, seed=seed)[0]
        )
        design = Design.rerandomized(x, THREE, blocks=blocks)
        assert np.array_equal(
            rerandomize(x, THREE, blocks=blocks, seed=seed).assignment, design.draw(1, seed=seed)[0]
        )


# Shapes and types -----------------------------------------------------------------------------


def test_draw_codes_is_a_small_int_array_of_reps_by_n():
    codes = Design.blocked([1, 1, 2, 2, 2], THREE).draw_codes(7, seed=1)
    assert codes.shape == (7, 5)
    assert codes.dtype == np.int8


def test_draw_returns_labels():
    labels = Design.complete(6, ("low", "high")).draw(3, seed=1)
    assert labels.shape == (3, 6)
    assert set(np.unique(labels).tolist()) == {"low", "high"}


def test_design_is_frozen_and_its_blocks_read_only():
    design = Design.blocked(["a", "b", "a"], TWO)
    with pytest.raises(dataclasses.FrozenInstanceError):
        design.conditions = ("x", "y")
    with pytest.raises(ValueError, match="read-only"):
        design.blocks[0] = "z"


def test_design_repr_states_kind_size_and_count():
    text = repr(Design.blocked(list("AABBCCC"), TWO))
    assert text.startswith("Design(blocked:")
    assert "n=7" in text and "3 blocks" in text and "24 possible assignments" in text
    x = np.random.default_rng(0).normal(size=(10, 2))
    text = repr(Design.rerandomized(pd.DataFrame(x, columns=["age", "income"]), THREE))
    assert "rerandomized" in text and "['age', 'income']" in text and "4 df" in text


def test_rerandomization_result_is_frozen_and_readable():
    result = rerandomize(np.random.default_rng(0).normal(size=(12, 1)), TWO, seed=1)
    assert isinstance(result, RerandomizationResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.reps = 0
    assert "threshold" in repr(result) and "control: 6" in repr(result)


def test_probabilities_frame_is_a_fresh_copy():
    design = Design.complete(4, TWO)
    frame = design.probabilities
    frame.iloc[0, 0] = 9.0
    assert design.probabilities.iloc[0, 0] == 0.5


# Rerandomization ------------------------------------------------------------------------------


def test_threshold_is_the_chi_square_quantile_with_k_times_arms_minus_one_df():
    x = np.random.default_rng(0).normal(size=(30, 4))
    design = Design.rerandomized(x, THREE, acceptance_prob=0.05)
    # scipy's chi-square quantile with k (A - 1) = 4 * 2 degrees of freedom
    assert design.criterion_df == 8
    assert design.threshold == pytest.approx(stats.chi2.ppf(0.05, 8), rel=1e-12)


def test_rerandomize_accepts_only_assignments_within_the_threshold():
    x = np.random.default_rng(1).normal(size=(40, 3))
    design = Design.rerandomized(x, THREE, acceptance_prob=0.1)
    codes = design.draw_codes(2_000, seed=1)
    criteria = np.array([mahalanobis_multi_arm(x, row, 3) for row in codes[:200]])
    assert np.all(criteria <= design.threshold + 1e-9)
    assert np.all(design.criterion(codes) <= design.threshold)
    result = rerandomize(x, THREE, acceptance_prob=0.1, seed=2)
    codes = np.stack([result.assignment == c for c in THREE]).argmax(axis=0)
    assert result.criterion == pytest.approx(mahalanobis_multi_arm(x, codes, 3), rel=1e-9)
    assert result.criterion <= result.threshold


def test_two_arm_criterion_equals_morgan_rubin_formula():
    # Morgan & Rubin (2012): M = n p (1 - p) (xbar_T - xbar_C)' cov(X)^-1 (xbar_T - xbar_C)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(25, 3)) @ np.array([[1.0, 0.5, 0], [0, 2.0, 0.3], [0, 0, 0.1]])
    design = Design.rerandomized(x, TWO, m_each=[15, 10], acceptance_prob=0.5)
    codes = design.base.draw_codes(50, seed=8)
    for row in codes:
        treated = row == 1
        diff = x[treated].mean(axis=0) - x[~treated].mean(axis=0)
        p = treated.mean()
        expected = len(x) * p * (1 - p) * diff @ np.linalg.solve(np.cov(x, rowvar=False), diff)
        assert design.criterion(row) == pytest.approx(expected, rel=1e-9)


def test_three_arm_criterion_equals_the_sum_over_arms_formula():
    x = np.random.default_rng(9).normal(size=(31, 2))
    design = Design.rerandomized(x, THREE, acceptance_prob=0.5)
    codes = design.base.draw_codes(30, seed=10)  # 31 units: the counts vary by draw
    expected = [mahalanobis_multi_arm(x, row, 3) for row in codes]
    np.testing.assert_allclose(design.criterion(codes), expected, rtol=1e-9)


def test_blocked_criterion_with_equal_shares_uses_the_block_weighted_covariance():
    # Equal shares in every block: M = sum_a n_a xbar_a' S~^-1 xbar_a, covariates centred within
    # block, S~ = sum_b n_b S_b / n with S_b the block's sample covariance.
    rng = np.random.default_rng(11)
    blocks = np.repeat([0, 1, 2, 3], [6, 9, 3, 12])
    x = rng.normal(size=(30, 2)) + blocks[:, None] * np.array([1.0, -2.0])
    design = Design.rerandomized(x, THREE, blocks=blocks, acceptance_prob=0.5)
    centred = x - pd.DataFrame(x).groupby(blocks).transform("mean").to_numpy()
    s_tilde = sum((blocks == b).sum() * np.cov(x[blocks == b], rowvar=False) for b in range(4)) / 30
    for row in design.base.draw_codes(20, seed=12):
        expected = sum(
            (row == a).sum()
            * centred[row == a].mean(0)
            @ np.linalg.solve(s_tilde, centred[row == a].mean(0))
            for a in range(3)
        )
        assert design.criterion(row) == pytest.approx(expected, rel=1e-9)


def test_acceptance_rate_is_near_acceptance_prob_for_large_n():
    # The criterion is asymptotically chi-square, so about acceptance_prob of base draws pass.
    x = np.random.default_rng(12).normal(size=(600, 3))
    design = Design.rerandomized(x, THREE, acceptance_prob=0.2)
    base = design.base.draw_codes(20_000, seed=13)
    rate = np.mean(design.criterion(base) <= design.threshold)
    assert abs(rate - 0.2) <= 4 * math.sqrt(0.2 * 0.8 / 20_000) + 0.005  # + finite-n slack


def test_acceptance_rate_is_near_acceptance_prob_with_pairs():
    # Many blocks of two: the blocked covariance keeps the rate right.
    x = np.random.default_rng(14).normal(size=(400, 2))
    design = Design.rerandomized(x, TWO, blocks=np.repeat(np.arange(200), 2), acceptance_prob=0.2)
    base = design.base.draw_codes(20_000, seed=15)
    rate = np.mean(design.criterion(base) <= design.threshold)
    assert abs(rate - 0.2) <= 4 * math.sqrt(0.2 * 0.8 / 20_000) + 0.005


def test_n_draws_averages_one_over_the_acceptance_rate():
    # reps is geometric with success probability the acceptance rate.
    x = np.random.default_rng(16).normal(size=(60, 2))
    design = Design.rerandomized(x, TWO, acceptance_prob=0.1)
    rate = np.mean(design.criterion(design.base.draw_codes(40_000, seed=17)) <= design.threshold)
    rng = np.random.default_rng(18)
    draws = np.array([rerandomize(x, TWO, acceptance_prob=0.1, seed=rng).reps for _ in range(400)])
    se = math.sqrt((1 - rate) / rate**2 / 400)
    assert abs(draws.mean() - 1 / rate) <= 4 * se
    assert draws.min() >= 1


def test_enumerate_of_a_rerandomized_design_keeps_only_accepted_assignments():
    x = np.arange(8.0)[:, None] ** 1.5
    design = Design.rerandomized(x, TWO, acceptance_prob=0.3)
    rows = design.enumerate()
    base = design.base.enumerate()
    expected = {
        tuple(r)
        for r in base.tolist()
        if mahalanobis_multi_arm(x, np.array(r), 2) <= design.threshold
    }
    assert {tuple(r) for r in rows.tolist()} == expected
    assert 0 < len(rows) < design.n_assignments == 70  # C(8, 4)


def test_rerandomized_blocked_design_keeps_block_counts():
    blocks = np.repeat(["e1", "e2", "e3"], [10, 12, 14])
    x = np.random.default_rng(19).normal(size=(36, 2))
    design = Design.rerandomized(x, TWO, blocks=blocks, acceptance_prob=0.1)
    draws = design.draw_codes(200, seed=20)
    for label, size in zip(["e1", "e2", "e3"], [10, 12, 14], strict=True):
        assert np.all((draws[:, blocks == label] == 1).sum(axis=1) == size // 2)


# Errors name what was wrong -------------------------------------------------------------------

ERROR_CASES = {
    "n zero": (lambda: complete_ra(0, THREE), r"n must be a whole number of at least 1; got 0"),
    "n not whole": (lambda: complete_ra(2.5, THREE), r"n must be a whole number.*2\.5"),
    "n a bool": (lambda: Design.complete(True, THREE), r"n must be a whole number.*True"),
    "m_each sum": (
        lambda: complete_ra(10, THREE, m_each=[3, 3, 3]),
        r"m_each must sum to the number of units \(10\).*\[3, 3, 3\].*sums to 9",
    ),
    "m_each length": (
        lambda: complete_ra(10, THREE, m_each=[5, 5]),
        r"m_each must hold one count per condition \(3 conditions\)",
    ),
    "m_each negative": (
        lambda: complete_ra(3, TWO, m_each=[-1, 4]),
        r"whole numbers of at least 0",
    ),
    "m_each not whole": (lambda: complete_ra(3, TWO, m_each=[1.5, 1.5]), r"whole numbers"),
    "prob_each sum": (
        lambda: complete_ra(10, THREE, prob_each=[0.5, 0.3, 0.1]),
        r"prob_each must sum to 1.*sums to 0\.9",
    ),
    "prob_each length": (
        lambda: complete_ra(10, THREE, prob_each=[0.5, 0.5]),
        r"prob_each must hold one probability per condition \(3 conditions\)",
    ),
    "prob_each negative": (
        lambda: complete_ra(4, TWO, prob_each=[-0.5, 1.5]),
        r"prob_each must hold probabilities between 0 and 1",
    ),
    "both m_each and prob_each": (
        lambda: complete_ra(4, TWO, m_each=[2, 2], prob_each=[0.5, 0.5]),
        r"m_each or prob_each, not both",
    ),
    "conditions a string": (lambda: complete_ra(4, "treatment"), r"single string 'treatment'"),
    "blocks with missing labels": (
        lambda: block_ra(["a", None, "b", np.nan], THREE),
        r"blocks has 2 missing label\(s\) \(first at position 1\)",
    ),
    "blocks a string": (
        lambda: block_ra("abc", THREE),
        r"blocks must give one block label per unit",
    ),
    "m_each per block missing a block": (
        lambda: block_ra(["a", "b"], TWO, m_each={"a": [1, 0]}),
        r"m_each gives no row for block 'b'",
    ),
    "m_each per block with an unknown block": (
        lambda: block_ra(["a"], TWO, m_each={"a": [1, 0], "z": [0, 1]}),
        r"m_each names block 'z'",
    ),
    "m_each 2-D with wrong rows": (
        lambda: block_ra(["a", "b"], TWO, m_each=[[1, 0]] * 3),
        r"one row per block \(2 blocks.*\['a', 'b'\]\); got 3 rows",
    ),
    "m_each single vector against a block size": (
        lambda: block_ra(["a", "a", "b"], TWO, m_each=[1, 1]),
        r"m_each for block 'b' must sum to the number of units \(1\)",
    ),
    "prob_each per block that does not sum to 1": (
        lambda: block_ra(["a", "b"], TWO, prob_each={"a": [0.5, 0.5], "b": [0.2, 0.2]}),
        r"prob_each for block 'b' must sum to 1",
    ),
}


#: The cases above whose argument has the wrong type (the others have a wrong value).
WRONG_TYPES = {"n not whole", "n a bool", "conditions a string", "blocks a string"}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=str)
def test_bad_assignment_arguments_raise_named_errors(case):
    call, message = ERROR_CASES[case]
    with pytest.raises(TypeError if case in WRONG_TYPES else ValueError, match=message):
        call()


def test_boolean_covariates_count_as_zero_one():
    rng = np.random.default_rng(21)
    frame = pd.DataFrame({"male": rng.random(20) < 0.5, "age": rng.normal(40, 8, 20)})
    as_bool = Design.rerandomized(frame, TWO)
    as_float = Design.rerandomized(frame.astype(float), TWO)
    codes = as_bool.base.draw_codes(10, seed=22)
    np.testing.assert_allclose(as_bool.criterion(codes), as_float.criterion(codes), rtol=1e-12)


def test_missing_covariate_values_are_named_with_their_count():
    x = pd.DataFrame({"age": [30.0, 41, 25, 60], "income": [1.0, np.nan, np.nan, 2.0]})
    with pytest.raises(ValueError, match=r"covariate 'income' has 2 missing value\(s\)"):
        rerandomize(x, TWO)


def test_collinear_covariates_are_named():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.normal(size=(20, 3)), columns=["age", "income", "tenure"])
    x["total"] = x["income"] + 2 * x["tenure"]
    with pytest.raises(ValueError, match=r"\['income', 'tenure', 'total'\] are collinear"):
        Design.rerandomized(x, THREE)


def test_a_covariate_constant_within_blocks_is_named():
    x = pd.DataFrame({"age": np.arange(8.0), "township": [1.0] * 4 + [2.0] * 4})
    with pytest.raises(ValueError, match=r"covariate 'township' does not vary within blocks"):
        Design.rerandomized(x, TWO, blocks=[0] * 4 + [1] * 4)


def test_more_covariates_than_degrees_of_freedom_is_an_error():
    x = np.random.default_rng(0).normal(size=(4, 4))
    with pytest.raises(ValueError, match=r"4 covariates but only 3 degrees of freedom"):
        Design.rerandomized(x, TWO)


def test_blocks_and_covariates_of_different_lengths_are_an_error():
    with pytest.raises(ValueError, match=r"blocks has 3 labels but covariates has 4 rows"):
        Design.rerandomized(np.arange(4.0), TWO, blocks=[0, 0, 1])


def test_exhausted_max_draws_is_an_error():
    # Four units, two arms, a tiny acceptance probability: no split balances well enough.
    x = np.array([[0.0], [1.0], [2.0], [10.0]])
    with pytest.raises(ValueError, match=r"gave up after 100 draws.*max_draws=100"):
        rerandomize(x, TWO, acceptance_prob=1e-6, max_draws=100, seed=1)


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, "a"])
def test_acceptance_prob_outside_zero_one_is_an_error(bad):
    with pytest.raises(TypeError if isinstance(bad, str) else ValueError, match=r"acceptance_prob"):
        Design.rerandomized(np.arange(6.0), TWO, acceptance_prob=bad)


def test_bad_seed_and_reps_are_errors():
    design = Design.complete(4, TWO)
    with pytest.raises(TypeError, match=r"seed must be an int"):
        design.draw_codes(2, seed="abc")
    with pytest.raises(ValueError, match=r"reps must be a whole number of at least 1; got 0"):
        design.draw_codes(0)


def test_criterion_of_a_design_without_covariates_is_an_error():
    with pytest.raises(ValueError, match=r"complete design has no covariates"):
        Design.complete(4, TWO).criterion([0, 1, 0, 1])


def test_variance_reduction_matches_the_simulated_variance_ratio():
    # Morgan & Rubin (2012), Theorem 3.1: rerandomization shrinks the variance of each
    # covariate's difference in means by v_a; check by simulating both designs.
    rng = np.random.default_rng(31)
    x = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    rerandomized = Design.rerandomized(x, ("control", "treatment"), acceptance_prob=0.2)
    complete = rerandomized.base

    def difference_variance(design):
        treated = design.draw_codes(4000, seed=rng) == 1
        means_t = (treated @ x.to_numpy()) / treated.sum(axis=1, keepdims=True)
        means_c = (~treated @ x.to_numpy()) / (~treated).sum(axis=1, keepdims=True)
        return (means_t - means_c).var(axis=0)

    ratio = difference_variance(rerandomized) / difference_variance(complete)
    np.testing.assert_allclose(ratio, rerandomized.variance_reduction, rtol=0.15)
    assert complete.variance_reduction is None


def test_from_assignment_keeps_the_observed_counts():
    labels = np.array(["t", "c", "c", "p", "t", "c", "p", "c"])
    blocks = np.array(["a", "a", "a", "a", "b", "b", "b", "b"])
    complete = Design.from_assignment(labels, ("c", "t", "p"))
    assert complete.n_assignments == math.factorial(8) // (
        math.factorial(4) * math.factorial(2) * math.factorial(2)
    )
    blocked = Design.from_assignment(labels, ("c", "t", "p"), blocks=blocks)
    # Block a: 2 c, 1 t, 1 p -> 4!/(2!) = 12 arrangements; block b the same.
    assert blocked.n_assignments == 12 * 12
    for row in blocked.draw(50, seed=1):
        for block in ("a", "b"):
            inside = row[blocks == block]
            assert sorted(inside) == sorted(labels[blocks == block])
    with pytest.raises(ValueError, match=r"label\(s\) \['x'\] that are not among"):
        Design.from_assignment(["x", "c"], ("c", "t"))


def test_randomization_functions_default_to_two_arms_as_randomizr_does():
    # randomizr's complete_ra(N = 6) and block_ra(blocks) assign "0"/"1"; here control/treatment.
    assert sorted(set(complete_ra(6, seed=1))) == ["control", "treatment"]
    assert sorted(set(block_ra(["a"] * 4 + ["b"] * 4, seed=1))) == ["control", "treatment"]
    x = np.random.default_rng(3).normal(size=(12, 2))
    assert rerandomize(x, seed=1).design.conditions == ("control", "treatment")
    assert Design.complete(6).conditions == Design.blocked(["a", "b"] * 3).conditions == TWO


def test_blocks_and_covariates_can_be_column_names_of_data():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {
            "class": np.repeat(["a", "b"], 10),
            "age": rng.normal(40, 8, 20),
            "male": rng.integers(0, 2, 20),
        }
    )
    by_name = block_ra("class", seed=3, data=frame)
    assert np.array_equal(by_name, block_ra(frame["class"], seed=3))
    named = rerandomize(["age", "male"], blocks="class", seed=5, data=frame)
    direct = rerandomize(frame[["age", "male"]], blocks=frame["class"], seed=5)
    assert np.array_equal(named.assignment, direct.assignment)
    assert named.design.covariate_names == ("age", "male")
    with pytest.raises(ValueError, match="blocks column"):
        Design.blocked("room", data=frame)
