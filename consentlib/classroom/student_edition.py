"""Write the student edition: the book with every solution removed and scaffolds to complete.

Every ``{solution}`` directive goes (:mod:`consentlib.classroom.convention`); where an autograded
exercise's solution stood, the student notebook gets a scaffold cell (``# YOUR CODE HERE`` and
``answer = ...``), so a Markdown cell that held the solution is split around it. The rest of the
text is unchanged, and outputs are cleared. The checks files stay out of the student edition
(they hold the hidden checks).
"""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from consentlib.classroom.convention import (
    SOLUTION_BLOCK,
    questions,
    read_checks,
    scaffold_source,
    solutions,
)

__all__ = [
    "SCAFFOLD_TAG",
    "StudentEdition",
    "strip_solution_markup",
    "student_notebook",
    "write_student_edition",
]

#: The tag of the scaffold cells the student edition adds.
SCAFFOLD_TAG: str = "scaffold"

#: The folder of ``book/`` that holds the checks files; never copied to students.
CHECKS_DIR: str = "checks"


def strip_solution_markup(text: str) -> str:
    """Remove every ``{solution}`` directive from a cell's or page's MyST text.

    Examples
    --------
    >>> text = "Question.\\n\\n```{solution} ex-1\\nThe answer.\\n```\\n\\nMore text.\\n"
    >>> strip_solution_markup(text)
    'Question.\\n\\n\\nMore text.\\n'
    """
    return SOLUTION_BLOCK.sub("", text)


def _pieces(cell: nbformat.NotebookNode, index: int, scaffolds: Mapping) -> list:
    """A Markdown cell without its solutions, split where an autograded solution stood."""
    out, position = [], 0
    for block in SOLUTION_BLOCK.finditer(cell.source):
        before = cell.source[position : block.start()]
        position = block.end()
        question = scaffolds.get((index, block.start()))
        if question is None:
            out.append(before)
            continue
        scaffold = nbformat.v4.new_code_cell(
            scaffold_source(question), metadata={"tags": [SCAFFOLD_TAG]}
        )
        out += [before, scaffold]
    out.append(cell.source[position:])
    # Join text around dropped solutions; each run of text becomes one cell, blank runs vanish.
    cells, text = [], ""
    for piece in out:
        if isinstance(piece, str):
            text += piece
            continue
        if text.strip():
            cells.append(_with_source(cell, text))
        text = ""
        cells.append(piece)
    if text.strip():
        cells.append(_with_source(cell, text))
    return cells


def _with_source(cell: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A copy of ``cell`` with another source and a fresh id (a split cell has several parts)."""
    fresh = nbformat.v4.new_markdown_cell(source.strip("\n"), metadata=copy.deepcopy(cell.metadata))
    fresh.cell_type = cell.cell_type
    return fresh


def student_notebook(
    notebook: nbformat.NotebookNode, checks: Mapping | None = None
) -> nbformat.NotebookNode:
    """The student version of one book notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A book notebook, in the exercise convention.
    checks : mapping, optional
        Its checks file (:func:`~consentlib.classroom.convention.read_checks`): the exercises
        that get a scaffold.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: no solution, a scaffold cell (tag ``scaffold``) where each autograded
        exercise's solution stood, no outputs.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_markdown_cell(
    ...     ":::{exercise}\\n:label: ex-1\\nCompute the mean.\\n:::\\n\\n"
    ...     ":::{solution} ex-1\\n:class: dropdown\\n```{code-cell} python\\nm = 2\\n```\\n"
    ...     "Two.\\n:::\\n\\nMore text."
    ... )]
    >>> checks = {"ex-1": {"name": "q1", "answers": ["m"], "tests": [
    ...     {"code": "assert m == 2", "hint": "Average."}]}}
    >>> [(c.cell_type, c.source) for c in student_notebook(nb, checks).cells]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('markdown', ':::{exercise}\\n:label: ex-1\\nCompute the mean.\\n:::'),
     ('code', '# YOUR CODE HERE\\nm = ...'),
     ('markdown', 'More text.')]
    """
    scaffolds = {(q.solution.cell_index, q.solution.start): q for q in questions(notebook, checks)}
    solutions(notebook)  # refuses the retired solution-start/solution-end markers
    result = copy.deepcopy(notebook)
    cells = []
    for index, cell in enumerate(result.cells):
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cells.append(cell)
        elif SOLUTION_BLOCK.search(cell.source):
            cells += _pieces(cell, index, scaffolds)
        else:
            cells.append(cell)
    result.cells = cells
    return result


@dataclass(frozen=True)
class StudentEdition:
    """What :func:`write_student_edition` wrote.

    Attributes
    ----------
    root : pathlib.Path
        A buildable Jupyter Book: ``_config.yml``, ``_toc.yml`` and ``book/``.
    notebooks : tuple of pathlib.Path
        The student notebooks.
    zip_path : pathlib.Path
        The archive for a learning-management system: the notebooks and their figures.
    """

    root: Path
    notebooks: tuple[Path, ...]
    zip_path: Path


_STUDENT_CONFIG_NOTE = (
    "# The student edition: solutions removed. Scaffold cells hold `...`, so cells that use a\n"
    "# student's answer may fail until it is written; the build shows the error and goes on.\n"
)


def _student_config(text: str) -> str:
    text = re.sub(r"(?m)^(\s*)allow_errors:.*$", r"\1allow_errors: true", text)
    text = re.sub(r"(?m)^(\s*)raise_on_error:.*$", r"\1raise_on_error: false", text)
    text = re.sub(r'(?m)^title:\s*"?(.*?)"?\s*$', r'title: "\1 (student edition)"', text)
    return _STUDENT_CONFIG_NOTE + text


def write_student_edition(
    source: str | Path, outdir: str | Path, *, pages: list[str] | None = None
) -> StudentEdition:
    """Write the student edition of the book found at ``source``.

    Parameters
    ----------
    source : str or pathlib.Path
        The repository root: it holds ``_config.yml``, ``_toc.yml`` and ``book/``.
    outdir : str or pathlib.Path
        Where to write (emptied first). It receives ``_config.yml`` (errors allowed, so that a
        scaffold's ``...`` does not stop the build), ``_toc.yml``, ``book/`` and the zip
        ``consent-to-contend-student.zip``.
    pages : list of str, optional
        Only these pages of ``book/`` (file names); by default all of them.

    Returns
    -------
    StudentEdition
        The paths written.
    """
    source, outdir = Path(source), Path(outdir)
    book = source / "book"
    if not (book.is_dir() and (source / "_toc.yml").is_file()):
        raise ValueError(
            f"source {str(source)!r} has no book/ and _toc.yml; expected the repo root"
        )
    if outdir.exists():
        shutil.rmtree(outdir)
    target = outdir / "book"
    target.mkdir(parents=True)
    notebooks = []
    for path in sorted(book.iterdir()):
        if pages is not None and path.suffix in (".ipynb", ".md") and path.name not in pages:
            continue
        if path.is_dir():
            # The book's Sphinx extensions (_ext) come along; the checks (hidden ones) do not.
            if not path.name.startswith(".") and path.name not in (CHECKS_DIR, "_build"):
                ignore = shutil.ignore_patterns("__pycache__")
                shutil.copytree(path, target / path.name, ignore=ignore)
        elif path.suffix == ".ipynb":
            notebook = student_notebook(nbformat.read(path, as_version=4), read_checks(path))
            nbformat.write(notebook, target / path.name)
            notebooks.append(target / path.name)
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            (target / path.name).write_text(strip_solution_markup(text), encoding="utf-8")
        else:
            shutil.copy2(path, target / path.name)
    (outdir / "_config.yml").write_text(
        _student_config((source / "_config.yml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    shutil.copy2(source / "_toc.yml", outdir / "_toc.yml")
    if (source / "_static").is_dir():  # the site's own styles
        shutil.copytree(source / "_static", outdir / "_static")
    zip_path = outdir / "consent-to-contend-student.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(target.rglob("*")):
            if path.is_file() and (path.suffix == ".ipynb" or "figures" in path.parts):
                archive.write(path, path.relative_to(target))
    return StudentEdition(outdir, tuple(notebooks), zip_path)
