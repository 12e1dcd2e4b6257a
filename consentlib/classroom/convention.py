"""Read the exercise convention of the book's notebooks.

A computational exercise is written in book format, so the website still renders it with
sphinx-exercise, and carries what an autograder needs in cell metadata:

* the cell that states the exercise (a Markdown cell holding the ``exercise`` directive) has
  ``metadata.otter``: ``name`` (``"q7_2"``: chapter 7, exercise 2), ``points``, ``answers`` (the
  variable names the student must define) and ``tests`` (the checks, see :class:`Check`);
* every cell of the solution (the ``solution-start`` and ``solution-end`` markers, the solution
  code and the solution prose) has the tag ``solution``.

Exercises without ``metadata.otter`` (discussion questions) keep their solutions in the book and
lose them in the student edition, with no scaffold and no autograder check.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass

import nbformat

__all__ = ["SOLUTION_TAG", "Check", "Question", "is_solution", "questions", "scaffold_source"]

#: The tag that marks a solution cell.
SOLUTION_TAG: str = "solution"

_NAME = re.compile(r"^q\d+(_\d+)*$|^q[a-z0-9_]+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")


@dataclass(frozen=True)
class Check:
    """One check of a question: Python that raises ``AssertionError`` when the answer is wrong.

    Attributes
    ----------
    code : str
        The check's body. It may use the answer variables, any other variable of the student's
        notebook (such as the data) and the helpers of :mod:`consentlib.classroom.grading`, and it
        computes the right answer from the data it is given, never from a typed-in number.
    hint : str
        What a student who fails the check reads; it must not reveal the answer.
    hidden : bool
        Hidden checks grade but are not shipped to students.
    points : float or None
        The check's share of the question's points (None: split evenly).
    """

    code: str
    hint: str
    hidden: bool = False
    points: float | None = None

    @property
    def names(self) -> list[str]:
        """The notebook variables the check reads (free names that are not builtins)."""
        tree = ast.parse(self.code)
        bound = {
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        bound |= {
            a.asname or a.name.split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in n.names
        }
        used: list[str] = []
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id not in bound
                and not hasattr(builtins, node.id)
                and node.id not in used
            ):
                used.append(node.id)
        return sorted(used)


@dataclass(frozen=True)
class Question:
    """An autograded exercise, as its exercise cell's ``metadata.otter`` describes it."""

    name: str
    points: float
    answers: tuple[str, ...]
    checks: tuple[Check, ...]
    cell_index: int


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell belongs to a solution (has the tag ``solution``)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def _question(meta: dict, index: int) -> Question:
    where = f"cell {index}"
    name = meta.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{where}: metadata.otter.name is {name!r}; expected a name like 'q7_2'")
    answers = meta.get("answers")
    if not answers or not all(isinstance(a, str) and _IDENTIFIER.match(a) for a in answers):
        raise ValueError(
            f"{where} ({name}): metadata.otter.answers is {answers!r}; expected a non-empty list "
            "of variable names"
        )
    tests = meta.get("tests")
    if not tests or not isinstance(tests, list):
        raise ValueError(f"{where} ({name}): metadata.otter.tests is {tests!r}; expected checks")
    checks = []
    for test in tests:
        if not isinstance(test, dict) or not {"code", "hint"} <= set(test):
            raise ValueError(
                f"{where} ({name}): a check is {test!r}; expected a dict with 'code' and 'hint'"
            )
        check = Check(
            test["code"], test["hint"], bool(test.get("hidden", False)), test.get("points")
        )
        try:
            ast.parse(check.code)
        except SyntaxError as error:
            raise ValueError(f"{where} ({name}): a check is not valid Python: {error}") from error
        if any(c in check.hint for c in '"\\\n') or not check.hint.strip():
            raise ValueError(
                f"{where} ({name}): the hint {check.hint!r} must be one line without double "
                "quotes or backslashes (otter writes it into a Python string)"
            )
        checks.append(check)
    if not any(not c.hidden for c in checks):
        raise ValueError(f"{where} ({name}): every check is hidden; give students one public check")
    points = meta.get("points", 1)
    if not isinstance(points, int | float) or points <= 0:
        raise ValueError(f"{where} ({name}): metadata.otter.points is {points!r}; expected > 0")
    return Question(name, float(points), tuple(answers), tuple(checks), index)


def questions(notebook: nbformat.NotebookNode) -> list[Question]:
    """The autograded exercises of a notebook, in order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A book notebook.

    Returns
    -------
    list of Question
        One per cell with ``metadata.otter``.

    Raises
    ------
    ValueError
        If a question's metadata are incomplete, two questions share a name, or a question has no
        solution cell right after it.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [
    ...     nbformat.v4.new_markdown_cell(
    ...         "Compute the mean.",
    ...         metadata={"otter": {"name": "q1", "answers": ["m"], "tests": [
    ...             {"code": "assert m == data.mean()", "hint": "Average the column."}]}},
    ...     ),
    ...     nbformat.v4.new_code_cell("m = data.mean()", metadata={"tags": ["solution"]}),
    ... ]
    >>> [(q.name, q.answers, q.checks[0].names) for q in questions(nb)]
    [('q1', ('m',), ['data', 'm'])]
    """
    found: list[Question] = []
    cells = notebook.cells
    for index, cell in enumerate(cells):
        meta = cell.get("metadata", {}).get("otter")
        if meta is None:
            continue
        question = _question(meta, index)
        if any(q.name == question.name for q in found):
            raise ValueError(f"cell {index}: question name {question.name!r} is used twice")
        following = cells[index + 1 : index + 2]
        if not following or not is_solution(following[0]):
            raise ValueError(
                f"cell {index} ({question.name}): the next cell must be a solution cell "
                f"(tag {SOLUTION_TAG!r})"
            )
        found.append(question)
    return found


def scaffold_source(question: Question) -> str:
    """The code cell a student completes: one ``name = ...`` line per answer.

    Examples
    --------
    >>> q = Question("q1", 1.0, ("effect", "p_value"), (), 0)
    >>> print(scaffold_source(q))
    # YOUR CODE HERE
    effect = ...
    p_value = ...
    """
    return "\n".join(["# YOUR CODE HERE", *(f"{name} = ..." for name in question.answers)])
