"""The vectorized OLS paths equal statsmodels and least squares on the same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from consentlib._linalg import batched_ols, ols_coefficients, regressor_basis


@pytest.fixture
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    n = 60
    return pd.DataFrame(
        {
            "enumerator": rng.choice(["a", "b", "c", "d"], size=n),
            "age": rng.normal(40, 6, n),
        }
    )


def test_ols_coefficients_match_least_squares():
    rng = np.random.default_rng(0)
    y = rng.normal(size=30)
    z = np.column_stack([np.ones(30), rng.normal(size=30), rng.integers(0, 2, 30)])
    d = rng.integers(0, 2, size=(5, 30))
    q, _ = np.linalg.qr(z)
    fast = ols_coefficients(y, d, q)
    slow = [np.linalg.lstsq(np.column_stack([row, z]), y, rcond=None)[0][0] for row in d]
    np.testing.assert_allclose(fast, slow, atol=1e-12)


def test_regressor_basis_spans_the_dummies_and_covariates(survey):
    basis = regressor_basis(survey, ["enumerator"], ["age"])
    dummies = pd.get_dummies(survey["enumerator"], drop_first=True, dtype=float)
    z = np.column_stack([np.ones(len(survey)), dummies, survey["age"]])
    assert basis.shape == (len(survey), 5)
    np.testing.assert_allclose(basis.T @ basis, np.eye(5), atol=1e-12)
    projected = basis @ (basis.T @ z)
    np.testing.assert_allclose(projected, z, atol=1e-9)


@pytest.mark.parametrize("se_type", ["classical", "HC0", "HC1", "HC2"])
def test_batched_ols_equals_statsmodels_fit_by_fit(survey, se_type):
    rng = np.random.default_rng(4)
    reps, n = 6, len(survey)
    treated = np.array([rng.permutation(np.repeat([0, 1], n // 2)) for _ in range(reps)])
    outcomes = rng.normal(3, 1, size=(reps, n)) + 0.5 * treated
    basis = regressor_basis(survey, ["enumerator"], ["age"])
    estimates, std_errors, df = batched_ols(outcomes, treated, basis, se_type)
    dummies = pd.get_dummies(survey["enumerator"], drop_first=True, dtype=float).to_numpy()
    cov_type = "nonrobust" if se_type == "classical" else se_type
    for r in range(reps):
        x = np.column_stack([treated[r], np.ones(n), dummies, survey["age"]])
        fit = sm.OLS(outcomes[r], x).fit(cov_type=cov_type)
        assert estimates[r] == pytest.approx(fit.params[0], abs=1e-10)
        assert std_errors[r] == pytest.approx(fit.bse[0], rel=1e-9)
        assert df == fit.df_resid


def test_batched_ols_rejects_unknown_standard_errors():
    with pytest.raises(ValueError, match="se_type must be one of"):
        batched_ols(np.ones((1, 4)), np.array([[0, 0, 1, 1]]), np.ones((4, 1)) / 2, "HC3")
