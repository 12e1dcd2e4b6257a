"""Estimators checked against independent computations: estimatr's and Stata's published
numbers, statsmodels formulas, pyfixest, scipy and closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.formula.api as smf
from external_references import (
    MTCARS,
    MTCARS_HP_VARIANCE,
    MTCARS_HP_VARIANCE_CARB_FE_CLASSICAL,
    SLEEP_GROUP_1,
    SLEEP_GROUP_2,
    SLEEP_HC2,
)
from scipy import stats

from consentlib.estimation import (
    balance_table,
    contrast,
    difference_in_means,
    ols,
)
from consentlib.results import TABLE_COLUMNS


@pytest.fixture
def sleep() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "extra": SLEEP_GROUP_1 + SLEEP_GROUP_2,
            "group": ["one"] * 10 + ["two"] * 10,
        }
    )


def three_arm_survey(seed: int = 3, n: int = 240) -> pd.DataFrame:
    """A three-arm experiment with enumerators, a covariate and some missing outcomes."""
    rng = np.random.default_rng(seed)
    arm = rng.permutation(np.repeat(["control", "treatment", "placebo"], n // 3))
    enumerator = rng.choice(["e1", "e2", "e3", "e4", "e5"], size=n)
    age = rng.normal(41, 7, n)
    effect = np.select([arm == "treatment", arm == "placebo"], [0.7, 0.3], 0.0)
    shift = pd.Series(enumerator).map({"e1": 0, "e2": 0.3, "e3": -0.2, "e4": 0.5, "e5": 0.1})
    support = 3 + effect + shift.to_numpy() + 0.02 * (age - 41) + rng.normal(0, 1, n)
    frame = pd.DataFrame(
        {"support": support, "condition": arm, "enumerator": enumerator, "age": age}
    )
    frame.loc[rng.choice(n, 9, replace=False), "support"] = np.nan
    return frame


# --- ols ------------------------------------------------------------------------------------


def test_ols_hc2_matches_estimatr_on_sleep(sleep):
    # Reference: estimatr::lm_robust(extra ~ group, sleep), see external_references.SLEEP_HC2.
    result = ols(sleep, "extra", "group", reference="one", se_type="HC2")
    row = result.table.loc["two"]
    # Half a unit in the last printed digit of each reference value.
    printed_tolerance = {"estimate": 5e-3, "std_error": 5e-8, "statistic": 5e-7,
                         "p_value": 5e-9, "df": 0, "conf_low": 5e-8, "conf_high": 5e-7}  # fmt: skip
    for column, tolerance in printed_tolerance.items():
        assert row[column] == pytest.approx(SLEEP_HC2[column], abs=tolerance), column
    intercept = result.table.loc["(Intercept)"]
    assert intercept["estimate"] == pytest.approx(SLEEP_HC2["intercept"], abs=1e-10)
    assert intercept["std_error"] == pytest.approx(SLEEP_HC2["intercept_std_error"], abs=1e-7)


def test_ols_table_has_the_tidy_columns(sleep):
    result = ols(sleep, "extra", "group", reference="one")
    assert tuple(result.table.columns) == TABLE_COLUMNS
    assert result.table.index.name == "term"
    assert result.nobs == 20


@pytest.mark.parametrize("se_type", ["classical", "HC1", "HC2", "HC3", "stata"])
def test_ols_variances_match_stata_on_mtcars(se_type):
    # Reference: Stata `regress mpg hp`, vce(ols), vce(robust), vce(hc2), vce(hc3), to the printed
    # digits; "stata" is Stata's robust, which is HC1.
    result = ols(MTCARS, "mpg", None, covariates="hp", se_type=se_type)
    published = MTCARS_HP_VARIANCE["HC1" if se_type == "stata" else se_type]
    assert result.table.loc["hp", "std_error"] ** 2 == pytest.approx(published, rel=5e-4)


def test_ols_with_carb_fixed_effects_matches_stata_classical_variance():
    # Reference: Stata `regress mpg hp i.carb`, vce(ols).
    result = ols(MTCARS, "mpg", None, covariates="hp", fixed_effects="carb", se_type="classical")
    assert result.table.loc["hp", "std_error"] ** 2 == pytest.approx(
        MTCARS_HP_VARIANCE_CARB_FE_CLASSICAL, rel=5e-4
    )
    assert result.table.loc["hp", "df"] == 32 - 7


def test_ols_with_only_the_reference_condition_is_refused():
    with pytest.raises(ValueError, match="holds only the reference 'control'"):
        ols(MTCARS.assign(arm="control"), "mpg", "arm", covariates="hp")


def test_ols_refuses_hc2_when_a_fixed_effect_group_has_one_observation():
    # carb = 6 and carb = 8 are single cars: their leverage is 1.
    frame = MTCARS.assign(arm=np.where(np.arange(32) % 2 == 0, "a", "b"))
    for se_type in ("HC2", "HC3"):
        with pytest.raises(ValueError, match=r"fixed effect 'carb' has a group with one obs"):
            ols(frame, "mpg", "arm", reference="a", covariates="hp", fixed_effects="carb",
                se_type=se_type)  # fmt: skip


def test_ols_fixed_effects_match_statsmodels_and_pyfixest():
    frame = three_arm_survey()
    result = ols(
        frame, "support", "condition", fixed_effects="enumerator", covariates="age",
        se_type="classical",
    )  # fmt: skip
    formula = "support ~ C(condition, Treatment('control')) + age + C(enumerator)"
    check = smf.ols(formula, frame).fit()
    for arm in ("placebo", "treatment"):
        name = f"C(condition, Treatment('control'))[T.{arm}]"
        assert result.table.loc[arm, "estimate"] == pytest.approx(check.params[name], abs=1e-10)
        assert result.table.loc[arm, "std_error"] == pytest.approx(check.bse[name], abs=1e-10)
    assert result.table.loc["(Intercept)", "estimate"] == pytest.approx(
        check.params["Intercept"], abs=1e-10
    )
    fixest = pf.feols(
        "support ~ i(condition, ref='control') + age | enumerator",
        data=frame.dropna(),
        vcov="iid",
    )
    coefs = fixest.coef()
    for arm in ("placebo", "treatment"):
        name = next(k for k in coefs.index if arm in k)
        assert result.table.loc[arm, "estimate"] == pytest.approx(coefs[name], abs=1e-8)
    assert result.table.loc["age", "estimate"] == pytest.approx(coefs["age"], abs=1e-8)


def test_ols_hc2_with_fixed_effects_matches_statsmodels_dummies():
    frame = three_arm_survey()
    result = ols(frame, "support", "condition", fixed_effects="enumerator", se_type="HC2")
    check = smf.ols("support ~ C(condition, Treatment('control')) + C(enumerator)", frame).fit(
        cov_type="HC2"
    )
    name = "C(condition, Treatment('control'))[T.treatment]"
    assert result.table.loc["treatment", "std_error"] == pytest.approx(check.bse[name], rel=1e-10)
    # t-based inference on N - rank degrees of freedom, as estimatr (statsmodels uses normal).
    t = result.table.loc["treatment", "statistic"]
    df = check.df_resid
    assert result.table.loc["treatment", "p_value"] == pytest.approx(
        2 * stats.t.sf(abs(t), df), rel=1e-12
    )


def test_ols_reports_rows_excluded_for_missing_values():
    frame = three_arm_survey()
    result = ols(frame, "support", "condition")
    assert result.nobs == len(frame) - 9
    assert result.exclusions.n_excluded == 9
    assert "9 of 240 rows excluded" in result.excluded_note
    assert "'support' (9)" in result.excluded_note


def test_ols_errors_name_the_problem():
    frame = three_arm_survey()
    with pytest.raises(ValueError, match="outcome 'suport' is not a column"):
        ols(frame, "suport", "condition")
    with pytest.raises(ValueError, match="reference 'baseline' does not occur"):
        ols(frame, "support", "condition", reference="baseline")
    with pytest.raises(ValueError, match="se_type must be one of"):
        ols(frame, "support", "condition", se_type="HC9")
    with pytest.raises(ValueError, match="column 'enumerator' must be numeric"):
        ols(frame, "support", "condition", covariates="enumerator")
    collinear = frame.assign(age2=frame["age"] * 2)
    with pytest.raises(ValueError, match="'age2' is a linear combination"):
        ols(collinear, "support", "condition", covariates=["age", "age2"])


# --- difference in means ----------------------------------------------------------------------


def test_difference_in_means_is_welch(sleep):
    result = difference_in_means(sleep, "extra", "group", "two", "one")
    welch = stats.ttest_ind(SLEEP_GROUP_2, SLEEP_GROUP_1, equal_var=False)
    row = result.table.loc["two"]
    assert row["estimate"] == pytest.approx(1.58, abs=1e-12)
    assert row["statistic"] == pytest.approx(welch.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(welch.pvalue, rel=1e-10)
    assert row["df"] == pytest.approx(welch.df, rel=1e-10)


def test_blocked_difference_in_means_equals_lin_regression_with_hc2():
    # Lin (2013): the fully interacted regression on centred block dummies gives the blocked
    # estimate, and its HC2 standard error equals the blocked Neyman standard error.
    frame = three_arm_survey(seed=11).dropna()
    frame = frame[frame["condition"].isin(["control", "treatment"])].copy()
    result = difference_in_means(
        frame, "support", "condition", "treatment", "control", blocks="enumerator"
    )
    d = (frame["condition"] == "treatment").astype(float)
    blocks = pd.get_dummies(frame["enumerator"], drop_first=True, dtype=float)
    centred = blocks - blocks.mean()
    design = pd.concat([d.rename("d"), centred, centred.mul(d, axis=0).add_prefix("dx_")], axis=1)
    import statsmodels.api as sm

    lin = sm.OLS(frame["support"], sm.add_constant(design)).fit(cov_type="HC2")
    assert result.table.loc["treatment", "estimate"] == pytest.approx(lin.params["d"], abs=1e-10)
    assert result.table.loc["treatment", "std_error"] == pytest.approx(lin.bse["d"], rel=1e-10)
    n_blocks = frame["enumerator"].nunique()
    assert result.table.loc["treatment", "df"] == len(frame) - 2 * n_blocks


def test_blocked_difference_in_means_needs_two_units_per_arm_per_block():
    frame = pd.DataFrame(
        {"y": [1.0, 2, 3, 4, 5, 6], "arm": ["t", "c", "c", "t", "t", "c"],
         "block": ["a", "a", "a", "b", "b", "b"]}
    )  # fmt: skip
    with pytest.raises(ValueError, match="block 'a' has 1 treated and 2 control"):
        difference_in_means(frame, "y", "arm", "t", "c", blocks="block")


def test_difference_in_means_counts_excluded_rows_among_all_rows():
    frame = three_arm_survey()
    result = difference_in_means(frame, "support", "condition", "treatment", "control")
    in_arms = frame[frame["condition"].isin(["treatment", "control"])]
    missing = int(in_arms["support"].isna().sum())
    assert result.nobs == len(in_arms) - missing
    assert result.exclusions.n_excluded == missing


# --- contrast --------------------------------------------------------------------------------


def test_contrast_matches_statsmodels_t_test():
    frame = three_arm_survey()
    fit = ols(frame, "support", "condition", fixed_effects="enumerator", se_type="HC2")
    result = contrast(fit, "treatment - placebo")
    check = smf.ols("support ~ C(condition, Treatment('control')) + C(enumerator)", frame).fit(
        cov_type="HC2"
    )
    t_test = check.t_test(
        "C(condition, Treatment('control'))[T.treatment] - "
        "C(condition, Treatment('control'))[T.placebo] = 0"
    )
    row = result.table.iloc[0]
    assert row["estimate"] == pytest.approx(float(t_test.effect[0]), abs=1e-10)
    assert row["std_error"] == pytest.approx(float(t_test.sd[0, 0]), rel=1e-10)
    assert row["df"] == check.df_resid


def test_contrast_reads_weights_and_rejects_unknown_terms():
    frame = three_arm_survey()
    fit = ols(frame, "support", "condition", se_type="classical")
    doubled = contrast(fit, "2*treatment").table.iloc[0]
    single = fit.table.loc["treatment"]
    assert doubled["estimate"] == pytest.approx(2 * single["estimate"])
    assert doubled["std_error"] == pytest.approx(2 * single["std_error"])
    assert doubled["statistic"] == pytest.approx(single["statistic"])
    with pytest.raises(ValueError, match="names 'treatmnt', which is not a term"):
        contrast(fit, "treatmnt - placebo")
    with pytest.raises(ValueError, match="non-empty string or a mapping; got ' '"):
        contrast(fit, " ")
    with pytest.raises(TypeError, match="non-empty string or a mapping; got 3"):
        contrast(fit, 3)


# --- balance ---------------------------------------------------------------------------------


def test_balance_table_means_and_standardized_differences():
    frame = three_arm_survey()
    result = balance_table(frame, ["age"], "condition")
    means = frame.groupby("condition")["age"].mean()
    sds = frame.groupby("condition")["age"].std()
    row = result.table.loc["age"]
    assert row["mean_control"] == pytest.approx(means["control"])
    assert row["diff_treatment"] == pytest.approx(means["treatment"] - means["control"])
    pooled = np.sqrt((sds["treatment"] ** 2 + sds["control"] ** 2) / 2)
    assert row["std_diff_treatment"] == pytest.approx(
        (means["treatment"] - means["control"]) / pooled
    )
    f_test = stats.f_oneway(*(g["age"] for _, g in frame.groupby("condition")))
    assert row["f_p_value"] == pytest.approx(f_test.pvalue)


def test_balance_omnibus_matches_multinomial_logit_likelihood_ratio():
    frame = three_arm_survey()
    frame["older"] = (frame["age"] > 41).astype(float)
    result = balance_table(frame, ["age", "older"], "condition")
    codes = pd.Categorical(frame["condition"], ["control", "placebo", "treatment"]).codes
    full = smf.mnlogit("y ~ age + older", frame.assign(y=codes)).fit(disp=0)
    null = smf.mnlogit("y ~ 1", frame.assign(y=codes)).fit(disp=0)
    statistic = 2 * (full.llf - null.llf)
    assert result.omnibus["statistic"] == pytest.approx(statistic, rel=1e-6)
    assert result.omnibus["df"] == 4
    assert result.omnibus["p_value"] == pytest.approx(stats.chi2.sf(statistic, 4), rel=1e-6)


def test_balance_detects_an_imbalanced_covariate():
    frame = three_arm_survey()
    frame["skewed"] = frame["age"] + (frame["condition"] == "treatment") * 8.0
    result = balance_table(frame, ["skewed"], "condition")
    assert result.omnibus["p_value"] < 1e-6


def test_hc2_refuses_any_observation_with_leverage_one():
    # One treated unit determines the treatment coefficient alone: its leverage is 1.
    frame = pd.DataFrame({"y": np.arange(12.0), "arm": ["control"] * 11 + ["treatment"]})
    with pytest.raises(ValueError, match=r"arm='treatment' has leverage 1"):
        ols(frame, "y", "arm", se_type="HC2")
    assert np.isfinite(ols(frame, "y", "arm", se_type="classical").table["std_error"]).all()


def test_ols_refuses_an_arm_named_like_a_covariate_and_infinite_outcomes():
    frame = pd.DataFrame({"y": [1.0, 2, 3, 4], "arm": ["control", "x"] * 2, "x": [1.0, 0, 2, 1]})
    with pytest.raises(ValueError, match="condition 'x' has the same name as a covariate"):
        ols(frame, "y", "arm", covariates="x")
    with pytest.raises(ValueError, match="column 'y' has 1 infinite value"):
        ols(frame.assign(y=[1.0, np.inf, 3, 4]), "y", "arm")


def test_difference_in_means_blocks_on_one_column_only():
    frame = three_arm_survey()
    with pytest.raises(ValueError, match="blocks must name one column"):
        difference_in_means(frame, "support", "condition", "treatment", "control",
                            blocks=["enumerator", "condition"])  # fmt: skip


def test_contrast_reads_names_with_dashes_numbers_and_mappings():
    frame = pd.DataFrame({"y": [1.0, 2, 4, 5, 3, 4] * 2, "arm": ["control", "cash-transfer",
                          "placebo"] * 4})  # fmt: skip
    fit = ols(frame, "y", "arm", se_type="classical")
    by_text = contrast(fit, "cash-transfer - placebo").table.iloc[0]
    by_mapping = contrast(fit, {"cash-transfer": 1, "placebo": -1}).table.iloc[0]
    by_product = contrast(fit, "cash-transfer*2 - 2*placebo").table.iloc[0]
    expected = fit.table.loc["cash-transfer", "estimate"] - fit.table.loc["placebo", "estimate"]
    assert by_text["estimate"] == pytest.approx(expected)
    assert by_mapping["estimate"] == pytest.approx(expected)
    assert by_product["estimate"] == pytest.approx(2 * expected)
    assert by_product["std_error"] == pytest.approx(2 * by_text["std_error"])
    with pytest.raises(ValueError, match="expected \\+ or -"):
        contrast(fit, "cash-transfer placebo")


def test_balance_table_refuses_a_constant_covariate():
    frame = three_arm_survey().assign(same=1.0)
    with pytest.raises(ValueError, match="covariate 'same' takes a single value"):
        balance_table(frame, ["age", "same"], "condition")


def test_lin_estimator_matches_the_interacted_formula_with_centred_covariates():
    # Lin (2013) / estimatr::lm_lin: y ~ arm * (x - mean(x)).
    frame = three_arm_survey(seed=13).dropna()
    result = ols(frame, "support", "condition", covariates="age", interact_covariates=True,
                 fixed_effects="enumerator")  # fmt: skip
    centred = frame.assign(age_c=frame["age"] - frame["age"].mean())
    check = smf.ols(
        "support ~ C(condition, Treatment('control')) * age_c + C(enumerator)", centred
    ).fit(cov_type="HC2")
    for arm in ("placebo", "treatment"):
        name = f"C(condition, Treatment('control'))[T.{arm}]"
        assert result.table.loc[arm, "estimate"] == pytest.approx(check.params[name], abs=1e-10)
        assert result.table.loc[arm, "std_error"] == pytest.approx(check.bse[name], rel=1e-9)
        assert result.table.loc[f"{arm}:age", "estimate"] == pytest.approx(
            check.params[f"{name}:age_c"], abs=1e-10
        )


def test_difference_in_means_refuses_an_outcome_constant_within_both_arms():
    frame = pd.DataFrame({"y": [1.0, 1.0, 2.0, 2.0], "arm": ["c", "c", "t", "t"]})
    with pytest.raises(ValueError, match="does not vary within either arm"):
        difference_in_means(frame, "y", "arm", "t", "c")


def test_matched_pairs_reduce_to_the_paired_t_test():
    # Every block a pair with one treated and one control unit: scipy's ttest_rel.
    rng = np.random.default_rng(8)
    before, after = rng.normal(size=12), rng.normal(0.5, 1, size=12)
    frame = pd.DataFrame(
        {
            "y": np.concatenate([after, before]),
            "arm": ["t"] * 12 + ["c"] * 12,
            "pair": np.tile(np.arange(12), 2),
        }
    )
    result = difference_in_means(frame, "y", "arm", "t", "c", blocks="pair").table.iloc[0]
    paired = stats.ttest_rel(after, before)
    assert result["estimate"] == pytest.approx((after - before).mean())
    assert result["statistic"] == pytest.approx(paired.statistic, rel=1e-12)
    assert result["p_value"] == pytest.approx(paired.pvalue, rel=1e-10)
    assert result["df"] == 11
