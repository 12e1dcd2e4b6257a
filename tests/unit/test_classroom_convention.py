"""The exercise convention: what a question's metadata must hold, and what otter receives."""

from __future__ import annotations

import nbformat
import pytest

from consentlib.classroom.convention import questions, scaffold_source
from consentlib.classroom.grading import check_number
from consentlib.classroom.otter_format import otter_master
from consentlib.classroom.student_edition import strip_solution_markup

CHECK = {"code": "check_number(m, data.mean())", "hint": "Average the column."}


def _notebook(meta: dict, solution: bool = True) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(":::{exercise}\n:label: ex-1\nQ\n:::")]
    nb.cells[0].metadata["otter"] = meta
    if solution:
        nb.cells.append(
            nbformat.v4.new_code_cell("m = data.mean()", metadata={"tags": ["solution"]})
        )
    return nb


def test_a_complete_question_is_read():
    (question,) = questions(_notebook({"name": "q7_2", "answers": ["m"], "tests": [CHECK]}))
    assert (question.name, question.points, question.answers) == ("q7_2", 1.0, ("m",))
    assert question.checks[0].names == ["check_number", "data", "m"]
    assert scaffold_source(question) == "# YOUR CODE HERE\nm = ..."


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"answers": ["m"], "tests": [CHECK]}, "expected a name like 'q7_2'"),
        ({"name": "q1", "answers": [], "tests": [CHECK]}, "expected a non-empty list"),
        ({"name": "q1", "answers": ["m"], "tests": []}, "expected checks"),
        ({"name": "q1", "answers": ["m"], "tests": [{"code": "x"}]}, "with 'code' and 'hint'"),
        ({"name": "q1", "answers": ["m"], "tests": [{**CHECK, "code": "1 +"}]}, "not valid"),
        ({"name": "q1", "answers": ["m"], "tests": [{**CHECK, "hint": 'a "b"'}]}, "one line"),
        ({"name": "q1", "answers": ["m"], "tests": [{**CHECK, "hidden": True}]}, "public check"),
        ({"name": "q1", "answers": ["m"], "tests": [CHECK], "points": 0}, "expected > 0"),
    ],
)
def test_incomplete_metadata_is_refused_with_the_reason(meta, message):
    with pytest.raises(ValueError, match=message):
        questions(_notebook(meta))


def test_a_question_needs_its_solution_right_after_it():
    with pytest.raises(ValueError, match="next cell must be a solution cell"):
        questions(_notebook({"name": "q1", "answers": ["m"], "tests": [CHECK]}, solution=False))


def test_the_otter_master_has_the_v1_blocks_in_order():
    meta = {
        "name": "q1",
        "answers": ["m"],
        "points": 2,
        "tests": [CHECK, {**CHECK, "hidden": True}],
    }
    master = otter_master(_notebook(meta), "demo")
    raw = [c.source.splitlines()[0] for c in master.cells if c.cell_type == "raw"]
    assert raw == [
        "# ASSIGNMENT CONFIG",
        "# BEGIN QUESTION",
        "# BEGIN SOLUTION",
        "# END SOLUTION",
        "# BEGIN TESTS",
        "# END TESTS",
        "# END QUESTION",
    ]
    tests = [c.source for c in master.cells if "BEGIN TEST CONFIG" in c.source]
    assert "hidden: false" in tests[0] and "hidden: true" in tests[1]
    assert "failure_message: Average the column." in tests[0]
    assert "def test_q1_1(data, m):" in tests[0]  # the helper is imported, not passed in
    assert "from consentlib.classroom.grading import check_number" in tests[0]


def test_a_notebook_without_questions_has_no_otter_master():
    nb = nbformat.v4.new_notebook()
    with pytest.raises(ValueError, match="no autograded exercise"):
        otter_master(nb, "demo")


def test_gated_solutions_are_cut_across_cells():
    first, inside = strip_solution_markup("Text.\n\n:::{solution-start} ex-1\n:::\nAnswer")
    assert (first, inside) == ("Text.\n\n", True)
    second, inside = strip_solution_markup("More answer\n:::{solution-end}\n:::\nAfter.", inside)
    assert (second, inside) == ("After.", False)


def test_a_nested_solution_block_is_removed_whole():
    text = "A\n````{solution} ex-1\n```python\nx = 1\n```\n````\nB\n"
    assert strip_solution_markup(text) == ("A\nB\n", False)


@pytest.mark.parametrize("value", [..., None, "0.25", [0.25], True])
def test_check_number_refuses_a_missing_or_non_numeric_answer(value):
    with pytest.raises(AssertionError):
        check_number(value, 0.25)
