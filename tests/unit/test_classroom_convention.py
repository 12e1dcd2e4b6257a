"""The exercise convention: what a checks entry must hold, and what otter receives."""

from __future__ import annotations

import nbformat
import pytest

from consentlib.classroom.convention import questions, read_checks, scaffold_source
from consentlib.classroom.grading import check_number
from consentlib.classroom.otter_format import otter_master
from consentlib.classroom.student_edition import strip_solution_markup

CHECK = {"code": "check_number(m, data.mean())", "hint": "Average the column."}
SOLUTION = (
    ":::{solution} ex-1\n:class: dropdown\n\n```{code-cell} python\nm = data.mean()\n```\n:::"
)


def _notebook(solution: str | None = SOLUTION) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(":::{exercise}\n:label: ex-1\nQ\n:::")]
    if solution is not None:
        nb.cells.append(nbformat.v4.new_markdown_cell(solution))
    return nb


def test_a_complete_question_is_read():
    checks = {"ex-1": {"name": "q7_2", "answers": ["m"], "tests": [CHECK]}}
    (question,) = questions(_notebook(), checks)
    assert (question.name, question.points, question.answers) == ("q7_2", 1.0, ("m",))
    assert question.checks[0].names == ["check_number", "data", "m"]
    assert question.solution_code == "m = data.mean()"
    assert scaffold_source(question) == "# YOUR CODE HERE\nm = ..."


def test_fences_lose_their_yaml_header_and_join_in_order():
    solution = (
        "::::{solution} ex-1\n:class: dropdown\n\n```{code-cell} python\n---\nmystnb:\n"
        "  figure:\n    caption: A.\n---\nx = 1\n```\n\n:::{note}\nN.\n:::\n\n"
        "```{code-cell} python\nm = x\n```\n::::"
    )
    checks = {"ex-1": {"name": "q1", "answers": ["m"], "tests": [CHECK]}}
    (question,) = questions(_notebook(solution), checks)
    assert question.solution_code == "x = 1\n\nm = x"


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"answers": ["m"], "tests": [CHECK]}, "expected a name like 'q7_2'"),
        ({"name": "q1", "answers": [], "tests": [CHECK]}, "expected a non-empty list"),
        ({"name": "q1", "answers": ["m"], "tests": []}, "expected a list of checks"),
        ({"name": "q1", "answers": ["m"], "tests": [{"code": "x"}]}, "with 'code' and 'hint'"),
        ({"name": "q1", "answers": ["m"], "tests": [{**CHECK, "code": "1 +"}]}, "not valid"),
        ({"name": "q1", "answers": ["m"], "tests": [{**CHECK, "hint": 'a "b"'}]}, "one line"),
        ({"name": "q1", "answers": ["m"], "tests": [{**CHECK, "hidden": True}]}, "public check"),
        ({"name": "q1", "answers": ["m"], "tests": [CHECK], "points": 0}, "a number > 0"),
        (
            {"name": "q1", "answers": ["m"], "tests": [{**CHECK, "code": "m = 1"}]},
            "assigns the answer",
        ),
    ],
)
def test_an_incomplete_entry_is_refused_with_the_reason(meta, message):
    with pytest.raises(ValueError, match=message):
        questions(_notebook(), {"ex-1": meta})


def test_a_checked_exercise_needs_one_solution_with_code():
    entry = {"name": "q1", "answers": ["m"], "tests": [CHECK]}
    with pytest.raises(ValueError, match="has 0 solutions labelled 'ex-1'"):
        questions(_notebook(None), {"ex-1": entry})
    with pytest.raises(ValueError, match="no code-cell fence"):
        questions(_notebook(":::{solution} ex-1\nIn words.\n:::"), {"ex-1": entry})


def test_the_retired_split_solutions_are_refused():
    with pytest.raises(ValueError, match="retired"):
        questions(_notebook(":::{solution-start} ex-1\n:::"), {"ex-1": {}})


def test_the_checks_file_sits_beside_the_notebook(tmp_path):
    notebook = tmp_path / "07-results.ipynb"
    assert read_checks(notebook) == {}
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "07-results.yml").write_text(
        "ex-1:\n  name: q7_1\n  answers: [m]\n  tests:\n  - hint: H.\n    code: |\n      m\n"
    )
    assert read_checks(notebook)["ex-1"]["tests"][0] == {"hint": "H.", "code": "m\n"}


def test_the_otter_master_has_the_v1_blocks_in_order():
    meta = {
        "name": "q1",
        "answers": ["m"],
        "points": 2,
        "tests": [CHECK, {**CHECK, "hidden": True}],
    }
    master = otter_master(_notebook(), "demo", {"ex-1": meta})
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
    (solution,) = [c.source for c in master.cells if "BEGIN SOLUTION NO PROMPT" in c.source]
    assert "m = data.mean()\n# END SOLUTION" in solution and "m = ..." in solution
    tests = [c.source for c in master.cells if "BEGIN TEST CONFIG" in c.source]
    assert "hidden: false" in tests[0] and "hidden: true" in tests[1]
    assert "failure_message: Average the column." in tests[0]
    assert "def test_q1_1(data, m):" in tests[0]  # the helper is imported, not passed in
    assert "from consentlib.classroom.grading import check_number" in tests[0]


def test_a_notebook_without_questions_has_no_otter_master():
    nb = nbformat.v4.new_notebook()
    with pytest.raises(ValueError, match="no autograded exercise"):
        otter_master(nb, "demo")


def test_a_nested_solution_block_is_removed_whole():
    text = "A\n````{solution} ex-1\n```python\nx = 1\n```\n````\nB\n"
    assert strip_solution_markup(text) == "A\nB\n"


@pytest.mark.parametrize("value", [..., None, "0.25", [0.25], True])
def test_check_number_refuses_a_missing_or_non_numeric_answer(value):
    with pytest.raises(AssertionError):
        check_number(value, 0.25)
