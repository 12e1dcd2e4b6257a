"""The formal models of consentlib.model, checked against independent computations.

Reference values come from closed forms derived in the test docstrings, from brute-force grid
searches written here without the library's code, from scipy.integrate.quad, and from exact
Monte Carlo rejection sampling.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from consentlib.model import (
    SCENARIOS,
    ConsentModel,
    bargaining_range,
    cancel_probability,
    cancel_threshold,
    compare_scenarios,
    county_payoff,
    escalation_onset,
    escalation_probability,
    mobilization_cost,
    noiseless_cancel_probability,
    observe_turnout,
    optimal_offer,
    optimal_offer_numeric,
    posterior_risk,
    simulate,
    superior_utility,
    sweep,
    turnout,
)

SETTINGS = settings(max_examples=25, deadline=None)
MODEL = ConsentModel()


def _brute_force_best_concession(win_prob, cost, cdf, size=20001):
    """The best concession on a fine grid, written out without consentlib: payoff
    F(x)(1 - x) + (1 - F(x))(p - c), largest value wins, ties to the smallest x."""
    grid = np.linspace(0.0, 1.0, size)
    accept = cdf(grid)
    payoff = accept * (1 - grid) + (1 - accept) * (win_prob - cost)
    return grid[int(np.argmax(payoff))]


def _posterior_by_quad(params, observed, believed):
    """E[g^2 | m; tau_hat] as a ratio of two integrals computed by scipy.integrate.quad."""

    def likelihood(g):
        cost = params.base_cost - params.tolerance_effect * believed
        n = stats.norm.cdf((params.alignment * g - cost) / params.cost_spread)
        return math.exp(-0.5 * ((observed - n) / params.observation_noise) ** 2)

    options = {"limit": 400, "points": np.linspace(0.1, 0.9, 9)}
    numerator = integrate.quad(lambda g: g * g * likelihood(g), 0, 1, **options)[0]
    denominator = integrate.quad(likelihood, 0, 1, **options)[0]
    return numerator / denominator


# --- Bargaining under a costly lottery ---------------------------------------------------------


@SETTINGS
@given(
    p=st.floats(0.05, 0.95),
    c_s=st.floats(0.0, 0.5),
    c_c=st.floats(0.0, 0.5),
    share=st.floats(0.0, 1.0),
)
def test_every_share_in_the_range_beats_conflict_for_both_sides(p, c_s, c_c, share):
    """Fearon (1995): a share s for the superior is preferred to conflict by the superior iff
    s >= p - c_S, and by the subordinate iff 1 - s >= 1 - p - c_C. The range is exactly the
    shares where both hold."""
    r = bargaining_range(p, c_s, c_c)
    both_prefer = share >= p - c_s - 1e-12 and (1 - share) >= (1 - p - c_c) - 1e-12
    inside = r.low - 1e-12 <= share <= r.high + 1e-12
    assert both_prefer == inside


def test_bargaining_range_widens_by_the_instability_cost():
    """The range's width is the sum of the two costs (Fearon 1995), so a higher instability cost
    for the superior widens it one for one, at the superior's end."""
    narrow = bargaining_range(0.7, 0.1, 0.05)
    wide = bargaining_range(0.7, 0.3, 0.05)
    assert wide.width == pytest.approx(narrow.width + 0.2)
    assert wide.high == pytest.approx(narrow.high)
    assert wide.concessions[1] == pytest.approx(narrow.concessions[1] + 0.2)


@pytest.mark.parametrize(
    ("p", "low", "high"),
    [(0.8, 0.0, 0.5), (0.6, 0.1, 0.9), (0.9, 0.0, 1.0), (0.5, 0.3, 0.4)],
)
def test_closed_form_offer_equals_brute_force_grid_search(p, low, high):
    """The closed form x* = clip((1 - p + c + low) / 2, low, high) for uniform F is the payoff
    maximizer found by a grid search of spacing 5e-5 written in this test."""
    costs = np.linspace(0.0, 1.0, 11)
    cdf = stats.uniform(loc=low, scale=high - low).cdf
    expected = [_brute_force_best_concession(p, c, cdf) for c in costs]
    offer = optimal_offer(p, costs, reservation_low=low, reservation_high=high)
    # Where the closed form is at the lower bound the payoff is flat below it, so any x <= low
    # is optimal and the grid search returns 0; compare payoffs there instead.
    flat = offer.concession <= low + 1e-12
    np.testing.assert_allclose(offer.concession[~flat], np.array(expected)[~flat], atol=1e-4)
    brute_payoff = [superior_utility(x, p, c, cdf) for x, c in zip(expected, costs, strict=True)]
    np.testing.assert_allclose(offer.expected_utility, np.ravel(brute_payoff), atol=1e-8)


def test_numeric_offer_agrees_with_closed_form_for_uniform_reservation_values():
    """optimal_offer_numeric on a uniform F lands within one grid step of the closed form."""
    costs = np.linspace(0.0, 0.7, 15)
    closed = optimal_offer(0.8, costs, 0.0, 0.5)
    numeric = optimal_offer_numeric(0.8, costs, stats.uniform(0, 0.5).cdf, grid_size=4001)
    np.testing.assert_allclose(numeric.concession, closed.concession, atol=1 / 4000)
    np.testing.assert_allclose(numeric.expected_utility, closed.expected_utility, atol=1e-6)


def test_interior_offer_rises_by_half_the_increase_in_instability_cost():
    """Closed form: dx*/dc = f / (-U'') = (1/w) / (2/w) = 1/2 in the interior, for any width w."""
    offer = optimal_offer(0.7, [0.1, 0.3], reservation_low=0.1, reservation_high=0.9)
    assert offer.concession[1] - offer.concession[0] == pytest.approx(0.1)


@SETTINGS
@given(
    a=st.floats(0.5, 6.0),
    b=st.floats(0.5, 6.0),
    p=st.floats(0.3, 0.95),
    costs=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=6),
)
def test_offer_never_falls_as_instability_cost_rises(a, b, p, costs):
    """For any distribution of reservation values (here Beta(a, b)), the payoff has increasing
    differences in (concession, cost), since d2U/dx dc = f(x) >= 0, so the optimal concession
    and its acceptance probability never fall when the instability cost rises."""
    costs = np.sort(costs)
    offer = optimal_offer_numeric(p, costs, stats.beta(a, b).cdf, grid_size=501)
    assert np.all(np.diff(offer.concession) >= 0)
    assert np.all(np.diff(offer.acceptance) >= -1e-12)


def test_conflict_probability_is_one_minus_acceptance():
    offer = optimal_offer(0.8, [0.0, 0.3], 0.0, 0.5)
    np.testing.assert_allclose(offer.conflict, 1 - offer.acceptance)
    assert list(offer.table.columns) == [
        "instability_cost",
        "concession",
        "acceptance",
        "conflict",
        "expected_utility",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bargaining_range(1.5, 0.1, 0.1), "win_prob must be a number between 0 and 1"),
        (lambda: bargaining_range(0.5, -0.1, 0.1), "superior_cost must be a number at least 0"),
        (lambda: optimal_offer(0.5, [0.1, -1.0]), "instability_cost must be numbers at least 0"),
        (lambda: optimal_offer(0.5, 0.1, 0.6, 0.4), "reservation_low must be less than"),
        (lambda: optimal_offer_numeric(0.5, 0.1, lambda x: 1 - x), "cdf must be non-decreasing"),
        (lambda: optimal_offer_numeric(0.5, 0.1, lambda x: 2 * x), "cdf must return probab"),
        (lambda: optimal_offer_numeric(0.5, 0.1, np.sqrt, grid_size=1), "grid_size must be at"),
    ],
)
def test_bad_bargaining_inputs_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- The stylized consent-instability model ----------------------------------------------------


def test_turnout_follows_the_probit_formula():
    """n = Phi((a g - c0 + delta tau) / sigma), computed by hand for g = 0.6, tau = 1."""
    expected = stats.norm.cdf((0.6 - 0.8 + 0.5) / 0.25)
    assert turnout(MODEL, 0.6, 1.0) == pytest.approx(expected)
    assert mobilization_cost(MODEL, 1.0) == pytest.approx(0.3)


@pytest.mark.parametrize("believed", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("observed", [-0.1, 0.02, 0.2, 0.5, 0.8, 0.97, 1.1])
def test_posterior_risk_equals_quadrature(observed, believed):
    """The grid posterior mean matches a ratio of two scipy.integrate.quad integrals."""
    grid = posterior_risk(MODEL, [observed], believed)[0]
    assert grid == pytest.approx(_posterior_by_quad(MODEL, observed, believed), abs=2e-4)


def test_posterior_risk_equals_rejection_sampling():
    """Exact rejection sampling: draw g ~ U(0, 1) and keep it with probability
    exp(-(m - n(g))^2 / (2 eta^2)) <= 1; the kept draws follow the posterior exactly, so their
    mean of g^2 estimates E[g^2 | m] with a known standard error."""
    rng = np.random.default_rng(20190101)
    observed, believed = 0.4, 0.0
    g = rng.uniform(size=400_000)
    n = turnout(MODEL, g, believed)
    keep = rng.uniform(size=g.size) < np.exp(-0.5 * ((observed - n) / MODEL.observation_noise) ** 2)
    draws = g[keep] ** 2
    se = draws.std() / math.sqrt(draws.size)
    assert abs(posterior_risk(MODEL, [observed], believed)[0] - draws.mean()) < 4 * se


def test_uninformative_turnout_leaves_the_prior_mean():
    """With overwhelming noise the posterior is the prior, and E[g^2] = 1/3 for g ~ U(0, 1)."""
    vague = ConsentModel(observation_noise=1e3)
    np.testing.assert_allclose(posterior_risk(vague, [0.0, 0.5, 1.0], 0.0), 1 / 3, atol=1e-6)


@SETTINGS
@given(
    observed=st.lists(st.floats(-0.3, 1.3), min_size=2, max_size=8),
    believed=st.floats(0.0, 1.0),
    noise=st.floats(0.02, 0.3),
)
def test_posterior_risk_never_falls_as_observed_turnout_rises(observed, believed, noise):
    """Expected turnout rises with grievance and Gaussian noise has a monotone likelihood ratio,
    so a bigger observed crowd never lowers the city's posterior risk."""
    model = dataclasses.replace(MODEL, observation_noise=noise)
    risk = posterior_risk(model, np.sort(observed), believed)
    assert np.all(np.diff(risk) >= -1e-9)


def test_same_crowd_means_less_to_a_city_that_knows_the_county_held_the_door_open():
    """Lohmann-style discounting: for a mid-sized crowd, believing the county tolerated protest
    lowers the city's posterior risk below the cancellation line B / K = 1/3."""
    naive, wary = posterior_risk(MODEL, [0.5, 0.5], 0.0)[0], posterior_risk(MODEL, [0.5], 1.0)[0]
    assert naive > 1 / 3 > wary


@pytest.mark.parametrize("believed", [0.0, 1.0])
def test_cancel_threshold_is_where_expected_cost_equals_benefit(believed):
    """At m*, K E[rho | m*] = B; just above it the city cancels, just below it does not."""
    m_star = cancel_threshold(MODEL, believed)
    risk = posterior_risk(MODEL, [m_star - 1e-3, m_star, m_star + 1e-3], believed)
    assert MODEL.career_cost * risk[1] == pytest.approx(MODEL.merger_benefit, abs=1e-8)
    assert MODEL.career_cost * risk[0] < MODEL.merger_benefit < MODEL.career_cost * risk[2]


def test_city_never_cancels_when_the_benefit_exceeds_the_largest_possible_cost():
    """E[g^2] <= 1, so with B >= K the rule K E[rho] > B never fires."""
    model = ConsentModel(merger_benefit=3.0)
    assert cancel_probability(model, 1.0, 0.0) == 0.0
    assert simulate(model, 1.0, 0.0, reps=500, seed=1).p_cancel == 0.0


@pytest.mark.parametrize(("name", "pair"), list(SCENARIOS.items()))
def test_exact_cancel_probability_agrees_with_simulation(name, pair):
    """Quadrature over the threshold rule and a 40,000-county simulation that computes every
    posterior agree within four Monte Carlo standard errors."""
    sim = simulate(MODEL, *pair, reps=40_000, seed=5)
    assert abs(sim.p_cancel - cancel_probability(MODEL, *pair)) < 4 * sim.std_error, name


def test_noiseless_closed_form_gives_one_minus_root_b_over_k():
    """Hand-computed: a city that reads turnout exactly cancels iff g > sqrt(B/K) = 1/sqrt(3),
    so P = 1 - 1/sqrt(3) without tolerance; unanticipated tolerance adds delta / a = 0.5."""
    assert noiseless_cancel_probability(MODEL, 0.0, 0.0) == pytest.approx(1 - 1 / math.sqrt(3))
    assert noiseless_cancel_probability(MODEL, 1.0, 0.0) == pytest.approx(1.5 - 1 / math.sqrt(3))
    assert noiseless_cancel_probability(MODEL, 1.0, 1.0) == pytest.approx(1 - 1 / math.sqrt(3))


@pytest.mark.parametrize(("name", "pair"), list(SCENARIOS.items()))
def test_exact_probability_tends_to_the_noiseless_formula(name, pair):
    """As the observation noise shrinks, the quadrature answer approaches the closed form."""
    sharp = ConsentModel(observation_noise=0.004)
    value = cancel_probability(sharp, *pair, grid_size=6001)
    assert value == pytest.approx(noiseless_cancel_probability(sharp, *pair), abs=0.005), name


@SETTINGS
@given(tau=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2))
def test_unanticipated_tolerance_never_lowers_the_chance_of_cancellation(tau):
    """With the city's belief held at no tolerance, more tolerance raises turnout for every
    grievance, so it cannot lower the probability of cancellation."""
    low, high = sorted(tau)
    assert cancel_probability(MODEL, high, 0.0) >= cancel_probability(MODEL, low, 0.0) - 1e-9


@SETTINGS
@given(costs=st.lists(st.floats(1.2, 8.0), min_size=2, max_size=2))
def test_cancel_probability_never_falls_as_career_cost_rises(costs):
    """A higher career cost K lowers the bar B / K that the posterior risk must clear, and the
    posterior risk rises with observed turnout, so cancellation becomes no less likely."""
    low, high = sorted(costs)
    for pair in SCENARIOS.values():
        p_low = cancel_probability(ConsentModel(career_cost=low), *pair)
        p_high = cancel_probability(ConsentModel(career_cost=high), *pair)
        assert p_high >= p_low - 1e-7


def test_sweep_over_tolerance_effect_leaves_no_tolerance_unchanged():
    """Without tolerance, delta never enters turnout or the city's reading, so P(cancel) is
    constant in delta; the unanticipated scenario rises with delta."""
    table = sweep(MODEL, "tolerance_effect", [0.0, 0.25, 0.5, 0.75])
    none = table[table.scenario == "no tolerance"].p_cancel.to_numpy()
    surprise = table[table.scenario == "tolerance, unanticipated"].p_cancel.to_numpy()
    np.testing.assert_allclose(none, none[0], atol=1e-9)
    assert np.all(np.diff(surprise) > 0)


def test_escalation_probability_equals_the_share_of_simulated_crowds_over_the_line():
    """The closed form 1 - (c(tau) + sigma Phi^-1(nbar)) / a against a direct count."""
    g = np.random.default_rng(3).uniform(size=200_000)
    for tau in (0.3, 0.6, 1.0):
        share = (turnout(MODEL, g, tau) > MODEL.escalation_turnout).mean()
        assert float(escalation_probability(MODEL, tau)) == pytest.approx(share, abs=0.005)


def test_escalation_onset_is_where_escalation_first_becomes_possible():
    """Below tau0 no grievance produces a crowd over the line; just above it some do."""
    tau0 = escalation_onset(MODEL)
    assert float(escalation_probability(MODEL, tau0 - 1e-6)) == 0.0
    assert float(escalation_probability(MODEL, tau0 + 1e-3)) > 0.0


def test_against_a_face_value_city_more_tolerance_pays_only_if_blame_is_below_one():
    """Past the onset both P(cancel) and P(escalate) rise at rate delta / a, so the county's
    payoff from more tolerance rises when D < 1 and falls when D > 1 (before saturation)."""
    tau = [0.4, 0.7]
    cheap = county_payoff(dataclasses.replace(MODEL, blame_cost=0.5), tau, discount=0.0)
    dear = county_payoff(dataclasses.replace(MODEL, blame_cost=2.0), tau, discount=0.0)
    assert cheap.payoff.iloc[1] > cheap.payoff.iloc[0]
    assert dear.payoff.iloc[1] < dear.payoff.iloc[0]


def test_county_payoff_is_cancellation_minus_expected_blame():
    table = county_payoff(MODEL, [0.0, 0.5, 1.0], discount=0.0)
    expected = table.p_cancel - MODEL.blame_cost * table.p_escalate
    np.testing.assert_allclose(table.payoff, expected)
    assert table.p_cancel.iloc[2] == pytest.approx(cancel_probability(MODEL, 1.0, 0.0))


def test_anticipated_tolerance_with_blame_is_worse_than_none():
    """With the default blame cost, full tolerance that the city fully discounts pays less than
    no tolerance: the small gain in P(cancel) is outweighed by the expected blame."""
    table = county_payoff(MODEL, [0.0, 1.0], discount=1.0)
    assert table.payoff.iloc[1] < table.payoff.iloc[0]


def test_same_seed_gives_the_same_counties_and_different_seeds_differ():
    first = simulate(MODEL, 1.0, 1.0, reps=300, seed=11)
    again = simulate(MODEL, 1.0, 1.0, reps=300, seed=np.random.default_rng(11))
    other = simulate(MODEL, 1.0, 1.0, reps=300, seed=12)
    np.testing.assert_array_equal(first.observed, again.observed)
    assert not np.array_equal(first.grievance, other.grievance)
    np.testing.assert_array_equal(
        observe_turnout(MODEL, [0.5, 0.5], seed=4), observe_turnout(MODEL, [0.5, 0.5], seed=4)
    )


def test_scenarios_share_their_counties():
    """Common random numbers: every scenario sees the same grievances, so a county cancelled
    without tolerance is also cancelled under unanticipated tolerance."""
    comparison = compare_scenarios(MODEL, reps=3000, seed=8)
    sims = comparison.simulations
    np.testing.assert_array_equal(
        sims["no tolerance"].grievance, sims["tolerance, anticipated"].grievance
    )
    assert np.all(sims["tolerance, unanticipated"].cancel[sims["no tolerance"].cancel])
    assert list(comparison.table.scenario) == list(SCENARIOS)


def test_results_cannot_be_changed_after_the_fact():
    sim = simulate(MODEL, 0.0, 0.0, reps=10, seed=1)
    with pytest.raises(ValueError):
        sim.grievance[0] = 0.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        MODEL.career_cost = 10.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ConsentModel(cost_spread=0), "cost_spread must be a number greater than 0; got 0"),
        (lambda: ConsentModel(tolerance_effect=-1), "tolerance_effect must be a number at least 0"),
        (lambda: ConsentModel(escalation_turnout=1.0), "escalation_turnout must be a number str"),
        (lambda: simulate(MODEL, 1.5, 0.0), "tolerance must be a number between 0 and 1; got 1.5"),
        (lambda: simulate(MODEL, 0.0, -0.1), "believed_tolerance must be a number between 0 and"),
        (lambda: simulate(MODEL, 0.0, 0.0, reps=0), "reps must be a whole number"),
        (lambda: turnout(MODEL, 1.2, 0.0), "grievance must be numbers between 0 and 1; got 1.2"),
        (lambda: sweep(MODEL, "K", [1.0]), "parameter must be one of"),
        (lambda: sweep(MODEL, "career_cost", []), "values must hold at least one value"),
        (lambda: county_payoff(MODEL, [0.5], discount=2.0), "discount must be a number between"),
        (lambda: compare_scenarios(MODEL, scenarios={"x": (0.5,)}), "scenario 'x' must be a pair"),
    ],
)
def test_bad_model_inputs_raise_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ConsentModel(career_cost="high"), "career_cost must be a number greater than 0"),
        (lambda: simulate(MODEL, 0.0, 0.0, seed="x"), "seed must be an int"),
    ],
)
def test_model_inputs_of_the_wrong_type_raise_type_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_wrong_types_raise_type_errors_naming_the_argument():
    with pytest.raises(TypeError, match="cdf must be a callable distribution function; got 'u"):
        optimal_offer_numeric(0.5, 0.1, "uniform")
    with pytest.raises(TypeError, match="params must be a ConsentModel; got dict"):
        simulate({"c0": 0.8}, 0.0, 0.0)
