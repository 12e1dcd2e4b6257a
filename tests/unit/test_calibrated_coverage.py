"""Seeded simulations on the calibrated design: the library's inference has its nominal level.

The design is the book's: the two arms' respondents of the synthetic replication data with a
response, randomized within enumerators with the observed counts. Under the sharp null of no
effect each respondent's outcome is the observed one whatever the assignment, so redrawing the
assignment from the design gives datasets on which the null is true. On them:

* randomization p-values are uniform (Kolmogorov-Smirnov, and the rejection rate at 5 percent
  within Monte Carlo error);
* the 95 percent intervals of ``ols`` (HC2, enumerator fixed effects) contain the true effect,
  zero, at the nominal rate within Monte Carlo error (4,000 fits by the vectorized OLS of
  ``consentlib._linalg``, checked equal to ``ols`` on the first draws).

Tolerances are Monte Carlo errors computed from the number of simulated experiments; the seed
is fixed, so the test checks the same draws each time.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import consentlib as cl
from consentlib._linalg import batched_ols, regressor_basis

ARMS = ("control", "treatment")
SEED = 20190601


@pytest.fixture(scope="module")
def under_the_null():
    data = cl.replication_data()
    two = data[data["condition"].isin(ARMS) & data["support"].notna()].reset_index(drop=True)
    two["condition"] = two["condition"].astype(str)
    design = cl.Design.from_assignment(two["condition"], ARMS, blocks=two["enumerator"])
    return two, design


def redrawn(two, design, reps: int, seed: int):
    """``reps`` datasets with the assignment redrawn from the design, outcomes unchanged."""
    for labels in design.draw(reps, seed=seed):
        yield two.assign(condition=labels)


def within(rate: float, nominal: float, reps: int, sigmas: float = 3.0) -> bool:
    return abs(rate - nominal) <= sigmas * np.sqrt(nominal * (1 - nominal) / reps)


def test_the_design_keeps_the_counts_within_enumerators(under_the_null):
    two, design = under_the_null
    counts = two.groupby("enumerator")["condition"].value_counts().sort_index()
    for frame in redrawn(two, design, 3, SEED):
        again = frame.groupby("enumerator")["condition"].value_counts().sort_index()
        assert again.equals(counts)


def test_randomization_p_values_are_uniform_under_the_sharp_null(under_the_null):
    two, design = under_the_null
    reps, inner = 400, 199
    p_values = np.array(
        [
            cl.randomization_inference(
                frame, "support", "condition", "treatment", "control",
                blocks="enumerator", fixed_effects="enumerator", reps=inner, seed=SEED + r,
            ).p_value
            for r, frame in enumerate(redrawn(two, design, reps, SEED))
        ]
    )  # fmt: skip
    assert np.all((p_values >= 1 / (inner + 1)) & (p_values <= 1))
    # Monte Carlo p-values live on the grid k / (inner + 1); against a uniform the grid adds at
    # most 1 / (inner + 1) to the Kolmogorov-Smirnov distance.
    ks = stats.kstest(p_values, "uniform")
    critical = stats.kstwo.ppf(0.999, reps) + 1 / (inner + 1)
    assert ks.statistic < critical, (ks.statistic, critical)
    assert within(float(np.mean(p_values <= 0.05)), 0.05, reps)
    assert within(float(np.mean(p_values <= 0.5)), 0.5, reps)


def test_ols_intervals_cover_at_the_nominal_rate(under_the_null):
    two, design = under_the_null
    reps = 4000
    # All the fits at once with the vectorized OLS that power simulation uses, after checking
    # that it gives ols's numbers on the first draws.
    treated = (design.draw(reps, seed=SEED + 1) == "treatment").astype(float)
    basis = regressor_basis(two, ["enumerator"])
    y = np.broadcast_to(two["support"].to_numpy(float), treated.shape)
    estimates, std_errors, df = batched_ols(y, treated, basis, "HC2")
    for r in range(3):
        frame = two.assign(condition=np.where(treated[r] == 1, "treatment", "control"))
        row = cl.ols(frame, "support", "condition", fixed_effects="enumerator").table
        assert row.loc["treatment", "estimate"] == pytest.approx(estimates[r], rel=1e-9)
        assert row.loc["treatment", "std_error"] == pytest.approx(std_errors[r], rel=1e-9)
        assert row.loc["treatment", "df"] == df
    half_width = stats.t.ppf(0.975, df) * std_errors
    coverage = float(np.mean(np.abs(estimates) <= half_width))
    assert within(coverage, 0.95, reps), coverage
