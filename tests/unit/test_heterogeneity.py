"""Subgroup effects checked against statsmodels' interacted formula and its Wald test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from consentlib.data import replication_data
from consentlib.estimation import contrast
from consentlib.heterogeneity import subgroup_effects


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return replication_data()


@pytest.mark.parametrize("se_type", ["classical", "HC2"])
def test_subgroup_effects_match_the_interacted_formula(data, se_type):
    result = subgroup_effects(
        data, "support", "condition", "treatment", "control",
        moderator="male", fixed_effects="enumerator", se_type=se_type,
    )  # fmt: skip
    sub = data[data["condition"].isin(["treatment", "control"])].dropna(subset=["support"])
    sub = sub.assign(d=(sub["condition"] == "treatment") * 1.0, support=sub["support"] * 1.0)
    cov_type = "nonrobust" if se_type == "classical" else se_type
    fit = smf.ols("support ~ 0 + C(male) + C(male):d + C(enumerator)", sub).fit(cov_type=cov_type)
    for level in (0, 1):
        name = f"C(male)[{level}]:d"
        row = result.table.loc[f"male={level}"]
        assert row["estimate"] == pytest.approx(fit.params[name], abs=1e-10)
        assert row["std_error"] == pytest.approx(fit.bse[name], rel=1e-9)
    wald = fit.wald_test("C(male)[1]:d - C(male)[0]:d = 0", use_f=True, scalar=True)
    assert result.heterogeneity["statistic"] == pytest.approx(float(wald.statistic), rel=1e-9)
    assert result.heterogeneity["df_denom"] == fit.df_resid


def test_contrast_between_subgroups_matches_the_wald_test(data):
    result = subgroup_effects(data, "support", "condition", "treatment", "control",
                              moderator="leadership", fixed_effects="enumerator")  # fmt: skip
    difference = contrast(result, "leadership=1 - leadership=0").table.iloc[0]
    assert difference["statistic"] ** 2 == pytest.approx(result.heterogeneity["statistic"])
    assert difference["p_value"] == pytest.approx(result.heterogeneity["p_value"])


def test_errors_name_the_problem(data):
    with pytest.raises(ValueError, match="moderator 'sex' is not a column"):
        subgroup_effects(data, "support", "condition", "treatment", "control", moderator="sex")
    one_level = data.assign(all_same=1)
    with pytest.raises(ValueError, match="at least two levels"):
        subgroup_effects(one_level, "support", "condition", "treatment", "control",
                         moderator="all_same")  # fmt: skip


def test_hc2_refuses_a_subgroup_with_one_treated_unit():
    frame = pd.DataFrame({
        "y": np.arange(16.0),
        "arm": ["c", "c", "c", "t"] + ["c", "t"] * 6,
        "male": [0] * 4 + [1] * 12,
    })  # fmt: skip
    with pytest.raises(ValueError, match="has leverage 1"):
        subgroup_effects(frame, "y", "arm", "t", "c", moderator="male", se_type="HC2")
