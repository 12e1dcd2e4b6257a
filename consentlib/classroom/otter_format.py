"""Turn a book notebook into an otter-grader master notebook (otter's v1 assign format).

``otter assign`` reads a master notebook in which raw cells delimit each question
(``# BEGIN QUESTION`` ... ``# END QUESTION``), its solution (``# BEGIN SOLUTION``) and its tests
(``# BEGIN TESTS``), and writes a student notebook and an autograder. :func:`otter_master` builds
that notebook from the exercise convention of :mod:`consentlib.classroom.convention` and the
notebook's checks file: the chapter text as the student edition has it, and, where each
autograded exercise's solution stood, the question block with the code of the solution's
``{code-cell}`` fences as a real solution cell (the scaffold as otter's prompt) and one
exception-based test per check, whose failure message is the check's hint. Checks whose code
reads a variable receive it from the student's notebook; the helpers of
:mod:`consentlib.classroom.grading`, ``cl``, ``np`` and ``pd`` are imported inside each test.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import nbformat
import yaml

from consentlib.classroom import grading
from consentlib.classroom.convention import (
    Check,
    Question,
    questions,
    read_checks,
    scaffold_source,
)
from consentlib.classroom.student_edition import SCAFFOLD_TAG, student_notebook

__all__ = ["otter_master", "write_otter_master"]

_IMPORTS = {
    "cl": "import consentlib as cl",
    "np": "import numpy as np",
    "pd": "import pandas as pd",
    **{name: f"from consentlib.classroom.grading import {name}" for name in grading.__all__},
}


def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def _test_cell(question: Question, number: int, check: Check) -> nbformat.NotebookNode:
    config = {"hidden": check.hidden, "failure_message": check.hint}
    if check.points is not None:
        config["points"] = check.points
    params = [name for name in check.names if name not in _IMPORTS]
    imports = [line for name, line in _IMPORTS.items() if name in check.names]
    body = textwrap.indent("\n".join([*imports, check.code]), "    ")
    name = f"test_{question.name}_{number}"
    source = (
        '""" # BEGIN TEST CONFIG\n'
        + yaml.safe_dump(config, sort_keys=True)
        + '""" # END TEST CONFIG\n'
        + f"def {name}({', '.join(params)}):\n{body}\n\n"
        + f"{name}({', '.join(params)})"
    )
    return nbformat.v4.new_code_cell(source)


def _solution_code(question: Question) -> str:
    """The question's solution code (its fences, joined), with otter's markers and prompt."""
    return (
        "# BEGIN SOLUTION NO PROMPT\n"
        + question.solution_code
        + '\n# END SOLUTION\n""" # BEGIN PROMPT\n'
        + scaffold_source(question)
        + '\n""" # END PROMPT'
    )


def otter_master(
    notebook: nbformat.NotebookNode, name: str, checks: Mapping | None = None
) -> nbformat.NotebookNode:
    """The otter-assign master notebook of one book notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A book notebook with at least one autograded exercise.
    name : str
        The assignment's name (otter's ``name``; also the student notebook's file name).
    checks : mapping, optional
        The notebook's checks file (:func:`~consentlib.classroom.convention.read_checks`).

    Returns
    -------
    nbformat.NotebookNode
        The master notebook: an ``# ASSIGNMENT CONFIG`` cell, the chapter text without
        solutions, and one question block per autograded exercise.

    Raises
    ------
    ValueError
        If the notebook has no autograded exercise.
    """
    found = questions(notebook, checks)
    if not found:
        raise ValueError("the notebook has no autograded exercise (its checks file is empty)")
    config = {
        "name": name,
        "init_cell": True,
        "check_all_cell": False,
        "export_cell": False,
        "run_tests": True,
        "generate": True,
        "tests": {"files": False, "ok_format": False},
    }
    cells = [_raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False).strip())]
    pending = iter(found)
    for cell in student_notebook(notebook, checks).cells:
        if SCAFFOLD_TAG not in cell.metadata.get("tags", []):
            cells.append(cell)
            continue
        question = next(pending)
        prompt = cells.pop()
        header = {"name": question.name, "points": question.points}
        cells += [
            _raw("# BEGIN QUESTION\n" + yaml.safe_dump(header, sort_keys=False).strip()),
            prompt,
            _raw("# BEGIN SOLUTION"),
            nbformat.v4.new_code_cell(_solution_code(question)),
            _raw("# END SOLUTION"),
            _raw("# BEGIN TESTS"),
            *(_test_cell(question, i, c) for i, c in enumerate(question.checks, start=1)),
            _raw("# END TESTS"),
            _raw("# END QUESTION"),
        ]
    master = nbformat.v4.new_notebook(metadata=notebook.metadata)
    master.cells = cells
    return master


def write_otter_master(path: str | Path, outdir: str | Path, name: str | None = None) -> Path:
    """Write the otter master notebook of the book notebook at ``path`` into ``outdir``.

    Parameters
    ----------
    path : str or pathlib.Path
        The book notebook; its checks are read from ``checks/<stem>.yml`` beside it.
    outdir : str or pathlib.Path
        The directory to write to (created if needed).
    name : str, optional
        The assignment's name; by default the notebook's file stem.

    Returns
    -------
    pathlib.Path
        The master notebook's path, ``outdir/<name>.ipynb``; run ``otter assign`` on it.
    """
    path, outdir = Path(path), Path(outdir)
    name = name or path.stem
    master = otter_master(nbformat.read(path, as_version=4), name, read_checks(path))
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{name}.ipynb"
    nbformat.write(master, target)
    return target
