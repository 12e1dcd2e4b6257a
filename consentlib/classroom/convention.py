"""Read the exercise convention of the book's notebooks and their checks files.

The notebooks are written once, for JupyterLab and the website alike:

* an exercise is a ``{exercise}`` directive with a ``:label:``;
* its solution is ONE Markdown cell (or one block of a Markdown cell) holding a
  ``:::{solution} <label>`` directive (``::::`` when it holds another directive); the solution's
  code sits in ``{code-cell} python`` fences (three backticks) inside it, each optionally
  opened by a YAML header (``---`` ... ``---``) with the cell's metadata.

What an autograder needs lives beside the notebook, in ``book/checks/<notebook stem>.yml``, keyed
by exercise label (see :func:`read_checks`): the otter question's ``name`` (``"q7_2"``: chapter 7,
exercise 2), its ``points``, the ``answers`` (variable names the student defines) and the
``tests`` (see :class:`Check`). A notebook edit never touches a check, and an instructor edits
all of a chapter's checks in one file. An exercise without an entry there (a discussion
question) keeps its solution in the book and loses it in the student edition, with no scaffold
and no check.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

__all__ = [
    "SOLUTION_BLOCK",
    "Check",
    "Question",
    "Solution",
    "checks_path",
    "questions",
    "read_checks",
    "scaffold_source",
    "solution_code",
    "solutions",
]

_NAME = re.compile(r"^q\d+(_\d+)*$|^q[a-z0-9_]+$")
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
#: A ``{solution}`` directive: its fence, label and body (colon or backtick fence).
SOLUTION_BLOCK = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{solution\}[ \t]*(?P<label>\S*)[^\n]*\n"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.MULTILINE | re.DOTALL,
)
_CODE_CELL = re.compile(r"^```\{code-cell\} python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*\n", re.M | re.S)
_OLD_MARKERS = re.compile(r"\{solution-(start|end)\}")


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
        bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda) for a in n.args.args}
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
class Solution:
    """A ``{solution}`` directive of a notebook: where it is and the code of its fences.

    Attributes
    ----------
    label : str
        The exercise it solves.
    cell_index : int
        The Markdown cell that holds it.
    start, end : int
        Its span in that cell's source.
    code : tuple of str
        The body of each ``{code-cell} python`` fence, without its YAML header.
    """

    label: str
    cell_index: int
    start: int
    end: int
    code: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """An autograded exercise: its entry in the checks file and the solution it has."""

    name: str
    points: float
    answers: tuple[str, ...]
    checks: tuple[Check, ...]
    label: str
    solution: Solution

    @property
    def solution_code(self) -> str:
        """The solution's code, its fences joined in order."""
        return "\n\n".join(code.strip() for code in self.solution.code)


def solution_code(body: str) -> tuple[str, ...]:
    """The code of every ``{code-cell} python`` fence in a solution's body, headers removed.

    Examples
    --------
    >>> body = "Text.\\n```{code-cell} python\\n---\\ntags: [x]\\n---\\nx = 1\\n```\\nMore.\\n"
    >>> solution_code(body)
    ('x = 1\\n',)
    """
    return tuple(_FRONT_MATTER.sub("", code, count=1) for code in _CODE_CELL.findall(body))


def solutions(notebook: nbformat.NotebookNode) -> list[Solution]:
    """Every ``{solution}`` directive in the notebook's Markdown cells, in order.

    Raises
    ------
    ValueError
        If a cell still uses the retired ``solution-start``/``solution-end`` markers.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell(
    ...     ":::{solution} ex-1\\n:class: dropdown\\n\\n```{code-cell} python\\nm = 2\\n```\\n:::")]
    >>> [(s.label, s.code) for s in solutions(nb)]
    [('ex-1', ('m = 2\\n',))]
    """
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            continue
        if _OLD_MARKERS.search(cell.source):
            raise ValueError(
                f"cell {index}: solution-start/solution-end markers are retired; write the "
                "solution as one :::{solution} <label> cell with code-cell fences"
            )
        for block in SOLUTION_BLOCK.finditer(cell.source):
            found.append(
                Solution(
                    block.group("label"),
                    index,
                    block.start(),
                    block.end(),
                    solution_code(block.group("body")),
                )
            )
    return found


def checks_path(notebook_path: str | Path) -> Path:
    """Where a notebook's checks live: ``checks/<stem>.yml`` beside it.

    Examples
    --------
    >>> checks_path("book/07-results.ipynb").as_posix()
    'book/checks/07-results.yml'
    """
    path = Path(notebook_path)
    return path.parent / "checks" / f"{path.stem}.yml"


def read_checks(notebook_path: str | Path) -> dict:
    """The checks file of a notebook, parsed (``{}`` when it has none).

    The file maps exercise labels to the otter question::

        ex-results-1:
          name: q7_1          # otter's question name: q<chapter>_<n>
          points: 2
          answers: [by_se]    # what the scaffold asks the student to define
          tests:
            - hint: One line a student reads when the check fails; never the answer.
              code: |
                check_number(...)
            - hint: ...
              hidden: true    # graded, not shipped to students
              code: |
                ...
    """
    path = checks_path(notebook_path)
    if not path.is_file():
        return {}
    checks = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(checks, dict):
        raise ValueError(f"{path}: expected a mapping from exercise labels to questions")
    return checks


def _question(label: str, meta: object, solution: Solution) -> Question:
    where = f"checks of {label}"
    if not isinstance(meta, Mapping):
        raise ValueError(f"{where}: expected a mapping with name, points, answers and tests")
    name = meta.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{where}: name is {name!r}; expected a name like 'q7_2'")
    answers = meta.get("answers")
    if not answers or not all(isinstance(a, str) and _IDENTIFIER.match(a) for a in answers):
        raise ValueError(
            f"{where} ({name}): answers is {answers!r}; expected a non-empty list of variable names"
        )
    tests = meta.get("tests")
    if not tests or not isinstance(tests, list):
        raise ValueError(f"{where} ({name}): tests is {tests!r}; expected a list of checks")
    checks = []
    for test in tests:
        if not isinstance(test, Mapping) or not {"code", "hint"} <= set(test):
            raise ValueError(
                f"{where} ({name}): a check is {test!r}; expected a mapping with 'code' and 'hint'"
            )
        check = Check(
            str(test["code"]),
            str(test["hint"]),
            bool(test.get("hidden", False)),
            test.get("points"),
        )
        try:
            ast.parse(check.code)
        except SyntaxError as error:
            raise ValueError(f"{where} ({name}): a check is not valid Python: {error}") from error
        assigned = {
            n.id
            for n in ast.walk(ast.parse(check.code))
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        if assigned & set(answers):
            raise ValueError(
                f"{where} ({name}): a check assigns the answer {sorted(assigned & set(answers))}; "
                "otter passes answers in as arguments, so give the check's variable another name"
            )
        if any(c in check.hint for c in '"\\\n') or not check.hint.strip():
            raise ValueError(
                f"{where} ({name}): the hint {check.hint!r} must be one line without double "
                "quotes or backslashes (otter writes it into a Python string)"
            )
        checks.append(check)
    if all(c.hidden for c in checks):
        raise ValueError(f"{where} ({name}): every check is hidden; give students one public check")
    points = meta.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
        raise ValueError(f"{where} ({name}): points is {points!r}; expected a number > 0")
    if not solution.code:
        raise ValueError(f"{where} ({name}): the solution has no code-cell fence to grade against")
    return Question(name, float(points), tuple(answers), tuple(checks), label, solution)


def questions(notebook: nbformat.NotebookNode, checks: Mapping | None = None) -> list[Question]:
    """The autograded exercises of a notebook, in the order of their solutions.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A book notebook.
    checks : mapping, optional
        Its checks file, as :func:`read_checks` returns it (by default none: no question).

    Returns
    -------
    list of Question
        One per exercise label in ``checks``.

    Raises
    ------
    ValueError
        If a label in ``checks`` has no solution (or two) in the notebook, an entry is
        incomplete, or two questions share a name.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [
    ...     nbformat.v4.new_markdown_cell(":::{exercise}\\n:label: ex-1\\nCompute the mean.\\n:::"),
    ...     nbformat.v4.new_markdown_cell(
    ...         ":::{solution} ex-1\\n:class: dropdown\\n```{code-cell} python\\nm = data.mean()\\n"
    ...         "```\\n:::"
    ...     ),
    ... ]
    >>> checks = {"ex-1": {"name": "q1", "answers": ["m"], "tests": [
    ...     {"code": "check_number(m, data.mean())", "hint": "Average the column."}]}}
    >>> [(q.name, q.answers, q.checks[0].names, q.solution_code) for q in questions(nb, checks)]
    [('q1', ('m',), ['check_number', 'data', 'm'], 'm = data.mean()')]
    """
    if not checks:
        return []
    by_label: dict[str, list[Solution]] = {}
    for solution in solutions(notebook):
        by_label.setdefault(solution.label, []).append(solution)
    found: list[Question] = []
    for label, meta in checks.items():
        candidates = by_label.get(label, [])
        if len(candidates) != 1:
            raise ValueError(
                f"checks of {label}: the notebook has {len(candidates)} solutions labelled "
                f"{label!r}; expected exactly one :::{{solution}} {label}"
            )
        question = _question(label, meta, candidates[0])
        if any(q.name == question.name for q in found):
            raise ValueError(f"checks of {label}: question name {question.name!r} is used twice")
        found.append(question)
    return sorted(found, key=lambda q: (q.solution.cell_index, q.solution.start))


def scaffold_source(question: Question) -> str:
    """The code cell a student completes: one ``name = ...`` line per answer.

    Examples
    --------
    >>> q = Question("q1", 1.0, ("effect", "p_value"), (), "ex-1", Solution("ex-1", 0, 0, 0, ()))
    >>> print(scaffold_source(q))
    # YOUR CODE HERE
    effect = ...
    p_value = ...
    """
    return "\n".join(["# YOUR CODE HERE", *(f"{name} = ..." for name in question.answers)])
