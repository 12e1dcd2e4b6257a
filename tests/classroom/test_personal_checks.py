"""Checks on a personal dataset compute the answer from the student's own data.

The fixture notebook asks for Table 2's treatment effect on ``student_data(STUDENT_ID)``. Its
checks, written by ``otter assign`` into the autograder, are run here with otter's own test
runner on several students' notebooks: each student's right answer passes, and a classmate's
answer, copied in, fails with the hint.
"""

from __future__ import annotations

import zipfile

import pytest
import statsmodels.formula.api as smf
from classroom_helpers import FIXTURE, otter_assign

from consentlib import student_data
from consentlib.classroom.convention import questions, read_checks
from consentlib.classroom.otter_format import write_otter_master

STUDENTS = ["ab1234", "cd5678", "20261234"]


def _table2_effect(student_id: str) -> float:
    """Table 2's coefficient on the student's data, with statsmodels (independent of consentlib)."""
    data = student_data(student_id)
    data = data[data["condition"] != "placebo"].dropna(subset=["support"])
    data = data.assign(
        treated=(data["condition"] == "treatment").astype(float),
        support=data["support"].astype(float),
    )
    return float(smf.ols("support ~ treated + C(enumerator)", data).fit().params["treated"])


@pytest.fixture(scope="module")
def test_file(tmp_path_factory):
    """The autograder's test file of q1, written by otter assign (hidden checks included)."""
    from otter.test_files import ExceptionTestFile

    work = tmp_path_factory.mktemp("personal")
    master = write_otter_master(FIXTURE, work / "master", "personal")
    code, log = otter_assign(master, work / "dist", "--no-run-tests")
    assert code == 0, log
    (autograder,) = (work / "dist" / "autograder").glob("*.zip")
    with zipfile.ZipFile(autograder) as archive:
        source = archive.read("tests/q1.py").decode("utf-8")
    return lambda: ExceptionTestFile.from_string(source, path="q1.py")


def _env(student_id: str, answer: float) -> dict:
    return {"STUDENT_ID": student_id, "data": student_data(student_id), "treatment_effect": answer}


def test_students_get_different_answers():
    answers = [_table2_effect(s) for s in STUDENTS]
    assert len({round(a, 6) for a in answers}) == len(STUDENTS)


@pytest.mark.parametrize("student_id", STUDENTS)
def test_a_students_own_answer_passes_every_check(test_file, student_id):
    checks = test_file()
    checks.run(_env(student_id, _table2_effect(student_id)))
    assert checks.passed_all, checks.summary()
    assert checks.score == checks.possible == 2


@pytest.mark.parametrize("student_id", STUDENTS)
def test_a_copied_answer_fails_with_the_hint(test_file, student_id):
    classmate = STUDENTS[(STUDENTS.index(student_id) + 1) % len(STUDENTS)]
    checks = test_file()
    checks.run(_env(student_id, _table2_effect(classmate)))
    assert not checks.passed_all_public and checks.score == 0
    public_hint = questions_hint()
    assert public_hint in checks.summary(public_only=True)


def questions_hint() -> str:
    import nbformat

    return questions(nbformat.read(FIXTURE, as_version=4), read_checks(FIXTURE))[0].checks[0].hint
