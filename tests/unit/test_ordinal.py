"""Ordered models checked against binary logit and probit, and against statsmodels' own fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel

from consentlib.data import replication_data
from consentlib.ordinal import ordered_model


def binary_survey(seed: int = 1, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = rng.permutation(np.repeat(["control", "treatment"], n // 2))
    age = rng.normal(0, 1, n)
    latent = 0.8 * (arm == "treatment") + 0.5 * age + rng.logistic(size=n)
    return pd.DataFrame({"y": (latent > 0.3).astype(int) + 1, "arm": arm, "age": age})


@pytest.mark.parametrize(("link", "model"), [("logit", sm.Logit), ("probit", sm.Probit)])
def test_two_categories_reduce_to_binary_regression(link, model):
    # With two categories the ordered model is the binary model with threshold = -intercept.
    frame = binary_survey()
    result = ordered_model(frame, "y", "arm", covariates="age", link=link)
    exog = sm.add_constant(
        pd.DataFrame({"treatment": (frame["arm"] == "treatment") * 1.0, "age": frame["age"]})
    )
    binary = model((frame["y"] == 2).astype(float), exog).fit(disp=0)
    for term in ("treatment", "age"):
        assert result.table.loc[term, "estimate"] == pytest.approx(binary.params[term], abs=1e-4)
        assert result.table.loc[term, "std_error"] == pytest.approx(binary.bse[term], rel=1e-3)
    assert result.table.loc["1|2", "estimate"] == pytest.approx(-binary.params["const"], abs=1e-4)
    assert result.table.loc["1|2", "std_error"] == pytest.approx(binary.bse["const"], rel=1e-3)


def test_five_categories_with_fixed_effects_match_statsmodels():
    result = ordered_model(replication_data(), "support", "condition", fixed_effects="enumerator")
    data = replication_data().dropna(subset=["support"])
    dummies = pd.get_dummies(data["enumerator"], drop_first=True, dtype=float)
    exog = pd.concat(
        [
            (data["condition"] == "placebo").astype(float).rename("placebo"),
            (data["condition"] == "treatment").astype(float).rename("treatment"),
            dummies,
        ],
        axis=1,
    )
    fit = OrderedModel(data["support"].astype(int), exog, distr="logit").fit(
        method="bfgs", disp=False, maxiter=2000
    )
    thresholds = fit.model.transform_threshold_params(fit.params)[1:-1]
    assert result.table.loc["treatment", "estimate"] == pytest.approx(
        fit.params["treatment"], abs=1e-5
    )
    np.testing.assert_allclose(
        result.table.loc[["1|2", "2|3", "3|4", "4|5"], "estimate"], thresholds, atol=1e-5
    )
    assert result.nobs == 346
    assert "22 of 368 rows excluded" in result.excluded_note


def test_errors_name_the_problem():
    frame = binary_survey()
    with pytest.raises(ValueError, match="link must be one of"):
        ordered_model(frame, "y", "arm", link="cloglog")
    with pytest.raises(ValueError, match="at least two values"):
        ordered_model(frame.assign(y=1), "y", "arm")
    with pytest.raises(ValueError, match="holds only the reference 'control'"):
        ordered_model(frame.assign(arm="control"), "y", "arm")
    with pytest.raises(ValueError, match="column 'flat' is a linear combination"):
        ordered_model(frame.assign(flat=2.0), "y", "arm", covariates="flat")
