"""Tables 1-4 recomputed from the shipped data, and the `consentlib replicate` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import statsmodels.formula.api as smf
from reference_values import ATTAINABLE, PRINTED

from consentlib import cli
from consentlib.data import replication_data
from consentlib.ma2019.published import TABLE1, TABLES
from consentlib.ma2019.replication import replicate_tables


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return replication_data()


@pytest.fixture(scope="module")
def tables(data):
    return replicate_tables(data)


def test_published_module_agrees_with_the_independent_transcription():
    # consentlib.ma2019.published and tests/reference_values.py were typed separately.
    for _, column, printed in TABLE1:
        assert PRINTED["table1"][column] == printed
    for spec in TABLES:
        typed = PRINTED[f"table{spec.number}"]
        for key, row in (("intercept", spec.intercept), (spec.treated, spec.effect)):
            for field in ("estimate", "std_error", "statistic", "p_value"):
                assert typed[key][field] == getattr(row, field), (spec.number, key, field)
        if spec.intercept.attainable:
            expected = tuple(float(v) for v in spec.intercept.attainable)
            assert ATTAINABLE[(f"table{spec.number}", "intercept")] == expected


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: f"table{t.number}")
def test_tables_2_to_4_equal_statsmodels_on_the_two_arms(tables, data, spec):
    pair = data[data["condition"].isin([spec.reference, spec.treated])].dropna(subset=["support"])
    pair = pair.assign(
        support=pair["support"].astype(float), condition=pair["condition"].astype(str)
    )
    fit = smf.ols(
        f"support ~ C(condition, Treatment('{spec.reference}')) + C(enumerator)", pair
    ).fit()
    name = f"C(condition, Treatment('{spec.reference}'))[T.{spec.treated}]"
    table = tables.as_printed(spec.number)
    effect_row = spec.treated.capitalize()
    assert table.loc[effect_row, "Estimate"] == pytest.approx(fit.params[name], abs=1e-12)
    assert table.loc[effect_row, "Std. Error"] == pytest.approx(fit.bse[name], abs=1e-12)
    intercept_row = f"Intercept ({spec.reference})"
    assert table.loc[intercept_row, "Estimate"] == pytest.approx(fit.params["Intercept"])
    assert table.loc[intercept_row, "t value"] == pytest.approx(fit.tvalues["Intercept"])


def test_table1_is_the_mean_over_all_368_respondents(tables, data):
    assert len(data) == 368
    for label, column, _ in TABLE1:
        assert tables.table1.loc[label, "Mean"] == pytest.approx(data[column].mean())


def test_every_published_number_is_reproduced(tables):
    comparison = tables.comparison()
    assert len(comparison) == 9 + 3 * 2 * 4
    missed = comparison[~comparison["matches"]]
    assert missed.empty, missed.to_string()
    assert comparison["alternative_target"].sum() == 2


def test_replicate_command_exits_zero_and_prints_the_synthetic_warning(capsys):
    status = cli.main(["replicate"])
    out = capsys.readouterr().out
    assert status == 0
    assert "SYNTHETIC" in out
    assert "33 of 33 numbers reproduced" in out
    assert "MISS" not in out


def test_replicate_command_fails_when_a_number_misses(monkeypatch, capsys, data):
    shifted = data.assign(support=data["support"].where(data["condition"] != "treatment", 5))
    monkeypatch.setattr("consentlib.data.replication_data", lambda: shifted)
    status = cli.main(["replicate"])
    out = capsys.readouterr().out
    assert status == 1
    assert "MISS" in out


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "consentlib"
    assert script.exists(), "the consentlib entry point is not installed beside this Python"
    result = subprocess.run([script, "replicate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "33 of 33 numbers reproduced" in result.stdout


def test_replicated_tables_share_the_table_convention_and_refuse_an_unknown_table():
    tables = replicate_tables(replication_data())
    assert tables.table.equals(tables.comparison())
    assert list(tables.as_printed(3).columns) == ["Estimate", "Std. Error", "t value", "Pr(>|t|)"]
    with pytest.raises(ValueError, match=r"number must be one of \[2, 3, 4\]; got 5"):
        tables.as_printed(5)
