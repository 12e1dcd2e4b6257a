"""Every number the Broockman assignment's solution prints, against statsmodels.

The assignment notebook runs (the code of its solutions included, as on the website) in a
kernel; a last cell then reports the objects it displayed, and each number is recomputed here
independently.
"""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from classroom_helpers import ASSIGNMENT, ROOT, execute, output_text, with_solutions
from scipy import stats
from statsmodels.stats.weightstats import ttest_ind

from consentlib import broockman_data

REPORT = """
import json
print("REPORT" + json.dumps({
    "cells": data.groupby(["legislator", "condition"], observed=True)["responded"]
        .agg(["mean", "size"]).reset_index().astype({"legislator": str, "condition": str})
        .to_dict("records"),
    "effect": effect.table.reset_index().to_dict("records"),
    "by_race": by_race.table.reset_index().to_dict("records"),
    "heterogeneity": by_race.heterogeneity.to_dict(),
    "ri": {"observed": float(ri.observed), "p_value": float(ri.p_value), "reps": int(ri.reps)},
    "answers": {k: float(globals()[k]) for k in [
        "out_of_district_effect", "out_of_district_se", "effect_black", "effect_nonblack",
        "effect_gap", "ri_p_value"]},
}))
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    notebook = with_solutions(nbformat.read(ASSIGNMENT, as_version=4))
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))
    execute(notebook, ROOT / "book")
    text = output_text(notebook.cells[-1])
    return json.loads(text[text.index("REPORT") + len("REPORT") :])


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return broockman_data()


def test_the_shipped_data_are_broockmans_5593_legislators(data):
    assert data.shape == (5593, 16)
    assert set(data["treat_out"]) == {0, 1} and set(data["leg_black"]) == {0, 1}
    assert (data["condition"] == "out-of-district").sum() == data["treat_out"].sum()
    assert not data.isna().any().any()


def test_the_cell_means_and_sizes(report, data):
    fit = smf.ols("responded ~ C(leg_black):C(treat_out) - 1", data).fit()
    for row in report["cells"]:
        black = int(row["legislator"] == "Black")
        out = int(row["condition"] == "out-of-district")
        term = f"C(leg_black)[{black}]:C(treat_out)[{out}]"
        assert row["mean"] == pytest.approx(fit.params[term], rel=1e-12)
        assert row["size"] == ((data["leg_black"] == black) & (data["treat_out"] == out)).sum()


def test_the_out_of_district_effect(report, data):
    (row,) = report["effect"]
    out = data.loc[data["treat_out"] == 1, "responded"]
    inside = data.loc[data["treat_out"] == 0, "responded"]
    t, p, df = ttest_ind(out, inside, usevar="unequal")  # Welch, as difference_in_means
    hc2 = smf.ols("responded ~ treat_out", data).fit(cov_type="HC2")  # HC2 = Neyman here
    assert row["estimate"] == pytest.approx(hc2.params["treat_out"], rel=1e-10)
    assert row["std_error"] == pytest.approx(hc2.bse["treat_out"], rel=1e-8)
    assert row["statistic"] == pytest.approx(t, rel=1e-8)
    assert row["df"] == pytest.approx(df, rel=1e-8)
    assert row["p_value"] == pytest.approx(p, rel=1e-6)
    margin = stats.t.ppf(0.975, df) * hc2.bse["treat_out"]
    assert row["conf_low"] == pytest.approx(hc2.params["treat_out"] - margin, rel=1e-8)
    assert row["conf_high"] == pytest.approx(hc2.params["treat_out"] + margin, rel=1e-8)
    assert report["answers"]["out_of_district_effect"] == pytest.approx(row["estimate"])
    assert report["answers"]["out_of_district_se"] == pytest.approx(row["std_error"])


def test_the_effects_by_race_and_their_difference(report, data):
    frame = data.assign(
        black=data["leg_black"].astype(float), nonblack=1.0 - data["leg_black"].astype(float)
    )
    fit = smf.ols(
        "responded ~ black + nonblack + black:treat_out + nonblack:treat_out - 1", frame
    ).fit(cov_type="HC2", use_t=True)
    rows = {r["term"]: r for r in report["by_race"]}
    for term, level in (("black:treat_out", "Black"), ("nonblack:treat_out", "non-Black")):
        row = rows[f"legislator={level}"]
        low, high = fit.conf_int().loc[term]
        assert row["estimate"] == pytest.approx(fit.params[term], rel=1e-10)
        assert row["std_error"] == pytest.approx(fit.bse[term], rel=1e-8)
        assert row["statistic"] == pytest.approx(fit.tvalues[term], rel=1e-8)
        assert row["df"] == fit.df_resid
        assert row["p_value"] == pytest.approx(fit.pvalues[term], rel=1e-6)
        assert (row["conf_low"], row["conf_high"]) == pytest.approx((low, high), rel=1e-8)
    wald = fit.f_test("black:treat_out = nonblack:treat_out")
    assert report["heterogeneity"]["statistic"] == pytest.approx(float(wald.fvalue), rel=1e-8)
    assert report["heterogeneity"]["p_value"] == pytest.approx(float(wald.pvalue), rel=1e-6)
    gap = fit.params["black:treat_out"] - fit.params["nonblack:treat_out"]
    assert report["answers"]["effect_gap"] == pytest.approx(gap, rel=1e-10)
    interaction = smf.ols("responded ~ treat_out * leg_black", data).fit()
    assert gap == pytest.approx(interaction.params["treat_out:leg_black"], rel=1e-10)


def test_the_randomization_test(report, data):
    observed = smf.ols("responded ~ treat_out", data).fit().params["treat_out"]
    assert report["ri"]["observed"] == pytest.approx(observed, rel=1e-10)
    # An independent permutation test: shuffle the assignment and count differences in means at
    # least as extreme as the observed one.
    rng = np.random.default_rng(7)
    y, z = data["responded"].to_numpy(float), data["treat_out"].to_numpy()
    shuffled = np.array([rng.permutation(z) for _ in range(2000)])
    null = (shuffled @ y) / z.sum() - ((1 - shuffled) @ y) / (1 - z).sum()
    p_value = (1 + np.sum(np.abs(null) >= abs(observed))) / (len(null) + 1)
    assert report["ri"]["reps"] == 2000
    assert report["ri"]["p_value"] == pytest.approx(p_value, rel=1e-12) == 1 / 2001
    assert report["answers"]["ri_p_value"] == report["ri"]["p_value"]
