"""Property tests of consentlib.randomization: invariants that hold for every design."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from consentlib.randomization import Design

THREE = ("control", "treatment", "placebo")

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def blocked_counts(draw, max_blocks=3, max_arms=4, max_size=6):
    """Block sizes and a fixed count vector per block."""
    n_arms = draw(st.integers(2, max_arms))
    n_blocks = draw(st.integers(1, max_blocks))
    counts = []
    for _ in range(n_blocks):
        row = draw(st.lists(st.integers(0, 3), min_size=n_arms, max_size=n_arms))
        if sum(row) == 0 or sum(row) > max_size:
            row = [1] * n_arms
        counts.append(row)
    return np.array(counts)


@st.composite
def probabilities(draw, n_arms):
    """A probability vector over ``n_arms`` conditions, some entries possibly zero."""
    weights = draw(st.lists(st.integers(0, 10), min_size=n_arms, max_size=n_arms))
    if sum(weights) == 0:
        weights[0] = 1
    return np.array(weights) / sum(weights)


def conditions_for(n_arms):
    return tuple(f"arm{a}" for a in range(n_arms))


@SETTINGS
@given(counts=blocked_counts(), seed=st.integers(0, 2**32 - 1))
def test_every_draw_keeps_each_blocks_counts(counts, seed):
    """Under fixed per-block counts, every draw gives each block exactly its counts."""
    blocks = np.repeat(np.arange(len(counts)), counts.sum(axis=1))
    n_arms = counts.shape[1]
    design = Design.blocked(blocks, conditions_for(n_arms), m_each=counts)
    draws = design.draw_codes(20, seed=seed)
    for b, row in enumerate(counts):
        observed = np.stack([(draws[:, blocks == b] == a).sum(axis=1) for a in range(n_arms)], 1)
        assert np.all(observed == row)


@SETTINGS
@given(data=st.data(), n=st.integers(1, 12), n_arms=st.integers(2, 4))
def test_prob_each_counts_are_floor_or_floor_plus_one(data, n, n_arms):
    """Under prob_each, each condition gets floor(n p) or floor(n p) + 1 units, never more, and
    a condition with an integer n p gets exactly n p."""
    prob = data.draw(probabilities(n_arms))
    design = Design.complete(n, conditions_for(n_arms), prob_each=prob)
    draws = design.draw_codes(50, seed=data.draw(st.integers(0, 2**32 - 1)))
    counts = np.stack([(draws == a).sum(axis=1) for a in range(n_arms)], axis=1)
    floor = np.floor(n * prob + 1e-9)
    extra = counts - floor
    assert np.all((extra == 0) | (extra == 1))
    integral = np.isclose(n * prob, floor)
    assert np.all(extra[:, integral] == 0)


@SETTINGS
@given(data=st.data(), n_arms=st.integers(2, 4), sizes=st.lists(st.integers(1, 5), max_size=2))
def test_enumerated_marginals_equal_prob_each_exactly(data, n_arms, sizes):
    """Weighting every possible assignment by its probability gives each unit exactly the
    probability prob_each asks for, remainders included (the exactness of Sampford's design)."""
    sizes = sizes or [4]
    prob = data.draw(probabilities(n_arms))
    blocks = np.repeat(np.arange(len(sizes)), sizes)
    design = Design.blocked(blocks, conditions_for(n_arms), prob_each=prob)
    rows, weights = design.enumerate(), design.enumerate_probabilities()
    assert abs(weights.sum() - 1) < 1e-12
    for a in range(n_arms):
        np.testing.assert_allclose(weights @ (rows == a), prob[a], atol=1e-12)
    np.testing.assert_allclose(design.probabilities.to_numpy(), np.tile(prob, (len(blocks), 1)))


@SETTINGS
@given(data=st.data(), n_arms=st.integers(2, 3), sizes=st.lists(st.integers(1, 4), max_size=3))
def test_enumerate_lists_n_assignments_distinct_rows(data, n_arms, sizes):
    """enumerate() has n_assignments rows, no row twice, and every row is a possible draw."""
    sizes = sizes or [3]
    blocks = np.repeat(np.arange(len(sizes)), sizes)
    prob = data.draw(probabilities(n_arms))
    design = Design.blocked(blocks, conditions_for(n_arms), prob_each=prob)
    rows = design.enumerate()
    assert rows.shape == (design.n_assignments, len(blocks))
    assert np.unique(rows, axis=0).shape[0] == rows.shape[0]
    possible = {r.tobytes() for r in rows}
    assert all(r.tobytes() in possible for r in design.draw_codes(30, seed=1))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 30), k=st.integers(1, 3))
def test_criterion_is_unchanged_by_affine_maps_of_the_covariates(seed, n, k):
    """M is a Mahalanobis distance: shifting, rescaling or mixing the covariates with an
    invertible matrix leaves it unchanged."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k))
    mix = rng.normal(size=(k, k)) + 3 * np.eye(k)
    design = Design.rerandomized(x, THREE, acceptance_prob=0.5)
    moved = Design.rerandomized(x @ mix + rng.normal(size=k) * 100, THREE, acceptance_prob=0.5)
    codes = design.base.draw_codes(10, seed=seed)
    np.testing.assert_allclose(moved.criterion(codes), design.criterion(codes), rtol=1e-7)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(9, 30))
def test_criterion_is_unchanged_by_relabelling_the_conditions(seed, n):
    """Swapping the labels of the conditions in an assignment leaves M unchanged."""
    rng = np.random.default_rng(seed)
    design = Design.rerandomized(rng.normal(size=(n, 2)), THREE, acceptance_prob=0.5)
    codes = design.base.draw_codes(10, seed=seed)
    relabelled = np.array([2, 0, 1], dtype=codes.dtype)[codes]
    np.testing.assert_allclose(design.criterion(relabelled), design.criterion(codes), rtol=1e-9)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(6, 40), k=st.integers(1, 3))
def test_two_arm_criterion_is_morgan_rubins(seed, n, k):
    """With two arms, M = n p (1 - p) (xbar_T - xbar_C)' S^-1 (xbar_T - xbar_C) (Morgan and
    Rubin 2012), whatever the split."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k))
    treated = int(rng.integers(1, n))
    design = Design.rerandomized(
        x, ("control", "treatment"), m_each=[n - treated, treated], acceptance_prob=0.5
    )
    row = design.base.draw_codes(1, seed=seed)[0]
    t = row == 1
    diff = x[t].mean(axis=0) - x[~t].mean(axis=0)
    s = np.atleast_2d(np.cov(x, rowvar=False))
    expected = n * t.mean() * (1 - t.mean()) * diff @ np.linalg.solve(s, diff)
    np.testing.assert_allclose(design.criterion(row), expected, rtol=1e-8, atol=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), reps=st.integers(1, 30))
def test_same_seed_same_draws_for_every_design(seed, reps):
    """A seed fixes the draws: the same seed gives the same assignments, for every design."""
    x = np.random.default_rng(0).normal(size=(12, 2))
    designs = [
        Design.complete(12, THREE),
        Design.blocked(np.repeat([0, 1, 2], 4), THREE, prob_each=[0.5, 0.25, 0.25]),
        Design.rerandomized(x, THREE, blocks=np.repeat([0, 1], 6), acceptance_prob=0.5),
    ]
    for design in designs:
        assert np.array_equal(
            design.draw_codes(reps, seed=seed), design.draw_codes(reps, seed=seed)
        )
