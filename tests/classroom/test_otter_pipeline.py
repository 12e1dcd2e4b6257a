"""otter-grader assigns, checks and grades the Broockman assignment, with no Docker.

Each step runs the real tool: ``otter assign`` on the master notebook written from the book
notebook, ``grader.check`` in the student notebook as a student runs it, and ``otter run`` on a
blank and on a completed submission.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from classroom_helpers import ASSIGNMENT, OTTER, execute, otter_assign, output_text

from consentlib.classroom.convention import questions, read_checks
from consentlib.cli import main

SCAFFOLD = "# YOUR CODE HERE"


def _questions():
    return questions(nbformat.read(ASSIGNMENT, as_version=4), read_checks(ASSIGNMENT))


def _solutions() -> list[str]:
    """Each autograded exercise's solution code, from the book notebook."""
    return [question.solution_code for question in _questions()]


def _fill(student: Path, answers: list[str | None], target: Path) -> Path:
    """A copy of the student notebook with the scaffolds replaced (None keeps a scaffold)."""
    notebook = nbformat.read(student, as_version=4)
    scaffolds = [c for c in notebook.cells if c.source.startswith(SCAFFOLD)]
    assert len(scaffolds) == len(answers)
    for cell, answer in zip(scaffolds, answers, strict=True):
        if answer is not None:
            cell.source = answer
    nbformat.write(notebook, target)
    return target


@pytest.fixture(scope="module")
def assigned(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("otter")
    # As an instructor would: the command line writes the master notebook.
    assert main(["otter-master", str(ASSIGNMENT), str(work / "master"), "--name", "broockman"]) == 0
    master = work / "master" / "broockman.ipynb"
    code, log = otter_assign(master, work / "dist", "-v")
    assert code == 0, log
    student = work / "dist" / "student" / "broockman.ipynb"
    (autograder,) = (work / "dist" / "autograder").glob("*.zip")
    return {"work": work, "log": log, "student": student, "zip": autograder}


def _otter_run(assigned: dict, submission: Path) -> dict:
    out = submission.with_suffix("")
    out.mkdir()
    command = [OTTER, "run", "--no-logo", "-a", str(assigned["zip"]), "-o", str(out)]
    done = subprocess.run(
        [*command, str(submission)], cwd=submission.parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads((out / "results.json").read_text())


def _scores(results: dict) -> dict[str, tuple[float, float]]:
    return {t["name"]: (t["score"], t["max_score"]) for t in results["tests"] if "max_score" in t}


def test_otter_assign_writes_a_student_notebook_without_solutions(assigned):
    student = nbformat.read(assigned["student"], as_version=4)
    text = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    for solution in _solutions():
        for line in solution.splitlines():
            if "=" in line:  # every assignment of the solution code is gone
                assert line not in text
    assert text.count(SCAFFOLD) == 3
    assert [m for m in re.findall(r'grader\.check\("(\w+)"\)', text)] == ["q1", "q2", "q3"]
    hidden_hint = "Compute every effect from the full data"
    assert hidden_hint not in assigned["student"].read_text()  # hidden checks are not shipped


def test_the_reference_solutions_pass_every_check(assigned):
    # otter assign runs every check, hidden ones included, on the solution notebook.
    assert "All autograder tests passed" in assigned["log"]


def test_a_completed_notebook_scores_full_marks_with_otter_run(assigned):
    filled = _fill(assigned["student"], _solutions(), assigned["work"] / "filled.ipynb")
    scores = _scores(_otter_run(assigned, filled))
    assert scores == {"q1": (2.0, 2.0), "q2": (3.0, 3.0), "q3": (1.0, 1.0)}


def test_a_wrong_answer_gets_its_hint_and_blank_answers_fail(assigned, tmp_path):
    import consentlib as cl

    data = cl.broockman_data()
    rates = data.groupby("condition", observed=True)["responded"].mean()
    right = rates["out-of-district"] - rates["in-district"]
    wrong = (
        "out_of_district_effect = 0.5 * 0.5  # a ratio instead of a difference\n"
        "out_of_district_se = 0.01"
    )
    path = _fill(assigned["student"], [wrong, None, None], tmp_path / "broockman.ipynb")
    notebook = execute(nbformat.read(path, as_version=4), tmp_path, allow_errors=True)
    checks = {
        m.group(1): output_text(c)
        for c in notebook.cells
        if (m := re.match(r'grader\.check\("(\w+)"\)', c.source))
    }
    hints = [q.checks[0].hint for q in _questions()]
    assert hints[0] in checks["q1"]
    assert "not the one computed from your data" in checks["q1"]
    for shown in (f"{right:.4f}", f"{right:.3f}", repr(float(right))):
        assert shown not in checks["q1"]
    # The blank answers fail their checks, with their hints.
    for name, hint in (("q2", hints[1]), ("q3", hints[2])):
        assert "All test cases passed" not in checks[name]
        assert hint in checks[name]
    assert "no answer yet" in checks["q2"]
