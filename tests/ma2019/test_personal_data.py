"""Personal datasets: reproducible, different for each student, built in well under 5 s."""

from __future__ import annotations

import time

import pandas as pd
import pytest
import statsmodels.formula.api as smf

from consentlib.data import replication_data, student_data
from consentlib.ma2019.personal import personal_targets

STUDENTS = ["ab1234", "cd5678", 20261234, "zz-0001"]


def _coefficient(data: pd.DataFrame, arm: str) -> float:
    """The Table 2 (or 3) coefficient with enumerator fixed effects, by statsmodels."""
    data = data[data["condition"].isin(["control", arm])].dropna(subset=["support"])
    data = data.assign(
        arm=(data["condition"] == arm).astype(float), support=data["support"].astype(float)
    )
    return float(smf.ols("support ~ arm + C(enumerator)", data).fit().params["arm"])


@pytest.mark.parametrize("student_id", STUDENTS)
def test_the_same_id_gives_the_same_data(student_id):
    assert student_data(student_id).equals(student_data(student_id))


@pytest.mark.parametrize("student_id", STUDENTS)
def test_a_personal_dataset_is_built_in_under_five_seconds(student_id):
    start = time.perf_counter()
    student_data(f"timing-{student_id}")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("student_id", STUDENTS)
def test_a_personal_dataset_has_the_replication_data_layout(student_id):
    mine, shipped = student_data(student_id), replication_data()
    assert list(mine.columns) == list(shipped.columns)
    assert mine.dtypes.equals(shipped.dtypes)
    assert len(mine) == len(shipped)
    assert mine["support"].dropna().between(1, 5).all()
    assert sorted(mine["enumerator"].unique()) == sorted(shipped["enumerator"].unique())


def test_different_ids_differ_in_arm_sizes_effects_levels_and_noise():
    targets = [personal_targets(s) for s in STUDENTS]
    for field in ("counts", "arm_means", "enumerator_levels", "response_sd"):
        values = {getattr(t, field).round(6).tobytes() for t in targets}
        assert len(values) == len(STUDENTS), field
    data = [student_data(s) for s in STUDENTS]
    sizes = {
        tuple(d.dropna(subset=["support"])["condition"].value_counts().sort_index()) for d in data
    }
    assert len(sizes) == len(STUDENTS)
    for arm in ("treatment", "placebo"):
        effects = [round(_coefficient(d, arm), 6) for d in data]
        assert len(set(effects)) == len(STUDENTS), arm


@pytest.mark.parametrize("student_id", STUDENTS)
def test_the_data_carry_the_targets_drawn_from_the_id(student_id):
    targets, data = personal_targets(student_id), student_data(student_id)
    answered = data.dropna(subset=["support"])
    counts = answered.groupby("condition", observed=True).size()
    assert counts.tolist() == targets.counts.sum(axis=0).tolist()
    assert data["support"].isna().sum() == targets.missing.sum()
    means = answered.groupby("condition", observed=True)["support"].mean()
    # Cell sums round to integers and enumerator levels average zero (unweighted), so the arm
    # means land near their targets.
    assert means.to_numpy(float) == pytest.approx(targets.arm_means, abs=0.15)


@pytest.mark.parametrize("bad", ["", "   "])
def test_an_empty_id_is_refused(bad):
    with pytest.raises(ValueError, match="student_id is empty"):
        student_data(bad)


@pytest.mark.parametrize("bad", [None, 1.5, True])
def test_an_id_of_the_wrong_type_is_refused(bad):
    with pytest.raises(TypeError, match="student_id must be a str or an int"):
        student_data(bad)
