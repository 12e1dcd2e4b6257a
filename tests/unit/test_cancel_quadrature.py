"""The formal model's exact cancellation probability, checked against adaptive quadrature.

``consentlib.model.cancel_probability`` integrates over the grievance with a fixed composite
Gauss-Legendre rule so that a grid of parameter values (the static explorer of Chapter 5, the
sweeps) costs little. The reference here is ``scipy.integrate.quad`` on the same integrand, with
a tight tolerance, at parameters from gentle to very sharp (small observation noise).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy import integrate, stats

from consentlib import model


def _by_adaptive_quadrature(params: model.ConsentModel, tau: float, tau_hat: float) -> float:
    threshold = model.cancel_threshold(params, tau_hat)
    if math.isinf(threshold):
        return 0.0

    def integrand(g: float) -> float:
        n = float(model.turnout(params, [g], tau)[0])
        return float(stats.norm.sf((threshold - n) / params.observation_noise))

    value, _ = integrate.quad(integrand, 0.0, 1.0, limit=400, epsabs=1e-11, points=[0.5])
    return value


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"tolerance_effect": 0.8, "career_cost": 6.0},
        {"observation_noise": 0.2, "career_cost": 1.5},
        {"observation_noise": 0.01, "tolerance_effect": 0.1},
        {"observation_noise": 0.002, "cost_spread": 0.05, "tolerance_effect": 0.6},
        {"merger_benefit": 3.0},  # B >= K: the city never cancels
    ],
)
def test_cancel_probability_equals_adaptive_quadrature(changes):
    params = replace(model.ConsentModel(), **changes)
    for tau, tau_hat in model.SCENARIOS.values():
        expected = _by_adaptive_quadrature(params, tau, tau_hat)
        assert model.cancel_probability(params, tau, tau_hat) == pytest.approx(expected, abs=2e-6)


def test_cancel_probability_matches_a_large_simulation():
    # An independent route: simulate counties, the city's inference and its decision.
    params = model.ConsentModel()
    for tau, tau_hat in model.SCENARIOS.values():
        sim = model.simulate(params, tau, tau_hat, 20_000, seed=11)
        exact = model.cancel_probability(params, tau, tau_hat)
        se = math.sqrt(exact * (1 - exact) / 20_000)
        assert abs(sim.p_cancel - exact) < 4 * se


def test_quadrature_nodes_integrate_polynomials_exactly():
    nodes, weights = model._GRIEVANCE_NODES, model._GRIEVANCE_WEIGHTS
    assert nodes.min() > 0 and nodes.max() < 1
    for degree in range(8):
        assert weights @ nodes**degree == pytest.approx(1 / (degree + 1), abs=1e-13)
    assert np.all(np.diff(nodes) > 0)
