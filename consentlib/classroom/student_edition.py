"""Write the student edition: the book with every solution removed and scaffolds to complete.

A solution is found two ways, so that nothing slips through while the notebooks move to the
exercise convention: cells tagged ``solution`` (:mod:`consentlib.classroom.convention`), and the
sphinx-exercise markup itself (``{solution}`` blocks, and everything from a ``{solution-start}``
to its ``{solution-end}``, across cells). After each autograded exercise the student notebook
gets a scaffold cell (``# YOUR CODE HERE`` and ``answer = ...``); the rest of the text is
unchanged. Outputs are cleared and the autograder's metadata (which holds the hidden checks) are
dropped.
"""

from __future__ import annotations

import copy
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from consentlib.classroom.convention import is_solution, questions, scaffold_source

__all__ = [
    "SCAFFOLD_TAG",
    "StudentEdition",
    "strip_solution_markup",
    "student_notebook",
    "write_student_edition",
]

#: The tag of the scaffold cells the student edition adds.
SCAFFOLD_TAG: str = "scaffold"

_BLOCK = r"^(?P<fence>:{{3,}}|`{{3,}})\{{{name}\}}[^\n]*\n(?:.*?\n)??(?P=fence)[ \t]*(?:\n|\Z)"
_SOLUTION_BLOCK = re.compile(_BLOCK.format(name="solution"), re.MULTILINE | re.DOTALL)
_START = re.compile(_BLOCK.format(name="solution-start"), re.MULTILINE | re.DOTALL)
_END = re.compile(_BLOCK.format(name="solution-end"), re.MULTILINE | re.DOTALL)


def strip_solution_markup(text: str, inside: bool = False) -> tuple[str, bool]:
    """Remove solutions from one cell's or page's MyST text.

    Parameters
    ----------
    text : str
        The Markdown.
    inside : bool, default False
        Whether the text starts inside a gated solution (after a ``solution-start``).

    Returns
    -------
    tuple of (str, bool)
        The text without solutions, and whether it ends inside a gated solution.

    Examples
    --------
    >>> text = "Question.\\n\\n```{solution} ex-1\\nThe answer.\\n```\\n\\nMore text.\\n"
    >>> strip_solution_markup(text)
    ('Question.\\n\\n\\nMore text.\\n', False)
    >>> strip_solution_markup(":::{exercise}\\nQ\\n:::\\n\\n:::{solution-start} ex-1\\n:::\\n")
    (':::{exercise}\\nQ\\n:::\\n\\n', True)
    """
    out = []
    while True:
        if inside:
            end = _END.search(text)
            if end is None:
                return "".join(out), True
            text, inside = text[end.end() :], False
            continue
        text = _SOLUTION_BLOCK.sub("", text)
        start = _START.search(text)
        if start is None:
            out.append(text)
            return "".join(out), False
        out.append(text[: start.start()])
        text, inside = text[start.end() :], True


def student_notebook(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of one book notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A book notebook, in the exercise convention.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: no solution cell or solution markup, a scaffold cell (tag ``scaffold``)
        after every autograded exercise, no outputs and no ``metadata.otter``.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [
    ...     nbformat.v4.new_markdown_cell(
    ...         ":::{exercise}\\n:label: ex-1\\nCompute the mean.\\n:::",
    ...         metadata={"otter": {"name": "q1", "answers": ["m"], "tests": [
    ...             {"code": "assert m == 2", "hint": "Average."}]}},
    ...     ),
    ...     nbformat.v4.new_markdown_cell(
    ...         ":::{solution-start} ex-1\\n:::", metadata={"tags": ["solution"]}
    ...     ),
    ...     nbformat.v4.new_code_cell("m = 2", metadata={"tags": ["solution"]}),
    ...     nbformat.v4.new_markdown_cell(
    ...         "Two.\\n\\n:::{solution-end}\\n:::", metadata={"tags": ["solution"]}
    ...     ),
    ... ]
    >>> [(c.cell_type, c.source) for c in student_notebook(nb).cells][1:]
    [('code', '# YOUR CODE HERE\\nm = ...')]
    """
    by_cell = {q.cell_index: q for q in questions(notebook)}
    result = copy.deepcopy(notebook)
    cells = []
    inside = False
    for index, cell in enumerate(result.cells):
        if is_solution(cell):
            _, inside = strip_solution_markup(cell.source, inside)
            continue
        if inside and cell.cell_type != "markdown":
            continue
        if cell.cell_type in ("markdown", "raw"):
            cell.source, inside = strip_solution_markup(cell.source, inside)
            if not cell.source.strip():
                continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("otter", None)
        cells.append(cell)
        if index in by_cell:
            cells.append(
                nbformat.v4.new_code_cell(
                    scaffold_source(by_cell[index]), metadata={"tags": [SCAFFOLD_TAG]}
                )
            )
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
            if not path.name.startswith((".", "_")):
                shutil.copytree(path, target / path.name)
        elif path.suffix == ".ipynb":
            notebook = student_notebook(nbformat.read(path, as_version=4))
            nbformat.write(notebook, target / path.name)
            notebooks.append(target / path.name)
        elif path.suffix == ".md":
            text, inside = strip_solution_markup(path.read_text(encoding="utf-8"))
            if inside:
                raise ValueError(f"{path.name}: a solution-start has no solution-end")
            (target / path.name).write_text(text, encoding="utf-8")
        else:
            shutil.copy2(path, target / path.name)
    (outdir / "_config.yml").write_text(
        _student_config((source / "_config.yml").read_text(encoding="utf-8")), encoding="utf-8"
    )
    shutil.copy2(source / "_toc.yml", outdir / "_toc.yml")
    zip_path = outdir / "consent-to-contend-student.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(target.rglob("*")):
            if path.is_file() and (path.suffix == ".ipynb" or "figures" in path.parts):
                archive.write(path, path.relative_to(target))
    return StudentEdition(outdir, tuple(notebooks), zip_path)
