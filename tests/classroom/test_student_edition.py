"""The student edition keeps the book's text, drops every solution and adds scaffolds."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from classroom_helpers import ASSIGNMENT, CODE_FENCE, FIXTURE, ROOT, execute

from consentlib.classroom.convention import questions, read_checks
from consentlib.classroom.site import build_student_site
from consentlib.classroom.student_edition import SCAFFOLD_TAG, write_student_edition

BOOK_NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
DIRECTIVE = re.compile(r"\{solution(-start|-end)?\}")


def _solution_texts(notebook: nbformat.NotebookNode) -> list[str]:
    """Every solution's text in a book notebook, found independently of the library: the lines
    inside each ``{solution}`` fence, prose as paragraphs and code as whole fences."""
    texts = []
    for cell in notebook.cells:
        lines, fence = [], None
        for line in cell.source.splitlines():
            if fence is None and "{solution}" in line:
                fence = line.split("{")[0]
            elif fence is not None and line.strip() == fence:
                fence = None
            elif fence is not None:
                lines.append(line)
        body = "\n".join(lines) + "\n"
        texts += [code.strip() for code in CODE_FENCE.findall(body)]
        texts += [p.strip() for p in CODE_FENCE.sub("", body).split("\n\n")]
    return [t for t in texts if len(t) > 40 and "{solution" not in t and t != ":::"]


def _student_texts(notebook: nbformat.NotebookNode) -> tuple[set[str], str]:
    code = {c.source.strip() for c in notebook.cells if c.cell_type == "code"}
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type != "code")
    return code, prose


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return write_student_edition(ROOT, tmp_path_factory.mktemp("student") / "edition")


def test_every_book_notebook_has_a_student_version(edition):
    assert sorted(p.name for p in edition.notebooks) == [p.name for p in BOOK_NOTEBOOKS]


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_survives_in_the_notebook(edition, path):
    book = nbformat.read(path, as_version=4)
    student_path = edition.root / "book" / path.name
    assert not DIRECTIVE.search(student_path.read_text(encoding="utf-8"))
    code, prose = _student_texts(nbformat.read(student_path, as_version=4))
    for text in _solution_texts(book):
        assert text not in code and text not in prose, text


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=lambda p: p.stem)
def test_the_chapter_text_is_otherwise_identical(edition, path):
    book = nbformat.read(path, as_version=4)
    student = nbformat.read(edition.root / "book" / path.name, as_version=4)
    kept = [c for c in student.cells if SCAFFOLD_TAG not in c.metadata.get("tags", [])]
    assert _flat(kept) == _flat(book.cells)


def _text_lines(text: str) -> list[str]:
    """The lines of Markdown that carry text (no blank or fence-only lines) outside any
    solution."""
    kept, fence = [], None
    for line in text.splitlines():
        if fence is None and "{solution}" in line:
            fence = line.split("{")[0]
        elif fence is not None:
            fence = None if line.strip() == fence else fence
        elif line.strip() and line.strip(":` ") != "":
            kept.append(line)
    return kept


def _flat(cells: list) -> list[tuple]:
    """Code cells whole, Markdown as its text lines, so that a split Markdown cell compares."""
    found = []
    for cell in cells:
        if cell.cell_type == "code":
            found.append(("code", cell.source))
        else:
            found += [("markdown", line) for line in _text_lines(cell.source)]
    return found


def test_each_autograded_exercise_gets_a_scaffold(edition):
    book = nbformat.read(ASSIGNMENT, as_version=4)
    student = nbformat.read(edition.root / "book" / ASSIGNMENT.name, as_version=4)
    scaffolds = [c for c in student.cells if SCAFFOLD_TAG in c.metadata.get("tags", [])]
    assert [c.source.splitlines()[1:] for c in scaffolds] == [
        [f"{name} = ..." for name in q.answers] for q in questions(book, read_checks(ASSIGNMENT))
    ]


def test_the_checks_files_stay_out_of_the_student_edition(edition):
    # They hold the hidden checks.
    assert (ROOT / "book" / "checks" / f"{ASSIGNMENT.stem}.yml").is_file()
    assert not (edition.root / "book" / "checks").exists()
    assert not any(p.name == f"{ASSIGNMENT.stem}.yml" for p in edition.root.rglob("*"))
    with zipfile.ZipFile(edition.zip_path) as archive:
        assert not any("checks" in name.split("/") for name in archive.namelist())


def test_the_zip_holds_the_student_notebooks_and_no_solution(edition):
    with zipfile.ZipFile(edition.zip_path) as archive:
        names = set(archive.namelist())
        assert {p.name for p in edition.notebooks} <= names
        for name in names:
            assert not DIRECTIVE.search(archive.read(name).decode("utf-8", errors="ignore"))
        assert (
            archive.read(ASSIGNMENT.name) == (edition.root / "book" / ASSIGNMENT.name).read_bytes()
        )


def test_markdown_pages_lose_their_solutions(edition):
    for page in (edition.root / "book").glob("*.md"):
        assert not DIRECTIVE.search(page.read_text(encoding="utf-8")), page.name


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS, ids=lambda p: p.stem)
def test_up_to_its_first_scaffold_a_student_notebook_runs_a_prefix_of_the_book(edition, path):
    # Before its first scaffold, a student notebook runs exactly the code cells that open the
    # book notebook, in order, none of them after a removed solution: what `make notebooks` runs
    # without error. The fixture below is also executed (the assignment's student notebook runs
    # whole in test_otter_pipeline).
    book = nbformat.read(path, as_version=4)
    student = nbformat.read(edition.root / "book" / path.name, as_version=4)
    code = []
    for cell in student.cells:
        if SCAFFOLD_TAG in cell.metadata.get("tags", []):
            break
        if cell.cell_type == "code":
            code.append(cell.source)
    book_code = [c.source for c in book.cells if c.cell_type == "code"]
    assert code == book_code[: len(code)]


@pytest.mark.parametrize("path", [FIXTURE], ids=lambda p: p.stem)
def test_a_student_notebook_runs_up_to_its_first_scaffold(tmp_path, path):
    shutil.copytree(path.parent, tmp_path / "book", dirs_exist_ok=True)
    edition = write_student_edition(_mini_book(tmp_path, path), tmp_path / "edition")
    notebook = nbformat.read(edition.root / "book" / path.name, as_version=4)
    first = next(
        i for i, c in enumerate(notebook.cells) if SCAFFOLD_TAG in c.metadata.get("tags", [])
    )
    notebook.cells = notebook.cells[:first]
    execute(notebook, tmp_path)  # raises CellExecutionError on any error


def _mini_book(tmp_path: Path, notebook: Path) -> Path:
    """A one-page book around ``notebook``, as write_student_edition expects a repository."""
    source = tmp_path / "source"
    (source / "book").mkdir(parents=True)
    shutil.copy2(notebook, source / "book" / notebook.name)
    checks = notebook.parent / "checks" / f"{notebook.stem}.yml"
    (source / "book" / "checks").mkdir()
    shutil.copy2(checks, source / "book" / "checks" / checks.name)
    shutil.copy2(ROOT / "book" / "references.bib", source / "book" / "references.bib")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "book" / "_ext", source / "book" / "_ext", ignore=ignore)
    shutil.copy2(ROOT / "_config.yml", source / "_config.yml")
    (source / "_toc.yml").write_text(f"format: jb-book\nroot: book/{notebook.stem}\n")
    return source


def test_the_student_website_carries_no_solution(tmp_path):
    edition = write_student_edition(_mini_book(tmp_path, ASSIGNMENT), tmp_path / "edition")
    html_dir = build_student_site(edition.root, tmp_path / "student-html")
    page = (html_dir / "book" / f"{ASSIGNMENT.stem}.html").read_text(encoding="utf-8")
    assert "ex-broockman-1" in page and "YOUR CODE HERE" in page
    assert 'class="solution' not in page and "solution-start" not in page
    for text in _solution_texts(nbformat.read(ASSIGNMENT, as_version=4)):
        assert text not in page, text


def test_the_command_line_writes_the_student_edition(tmp_path, capsys):
    from consentlib.cli import main

    assert main(["student", str(tmp_path / "out"), "--source", str(ROOT)]) == 0
    assert (tmp_path / "out" / "consent-to-contend-student.zip").is_file()
    assert len(list((tmp_path / "out" / "book").glob("*.ipynb"))) == len(BOOK_NOTEBOOKS)
    assert "student notebooks" in capsys.readouterr().out
