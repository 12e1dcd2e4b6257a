"""Standing checks on the repository's shape: they guard every later change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
PAGE_SUFFIXES = (".md", ".ipynb")


def _toc_files(node) -> list[str]:
    """Every ``file:`` entry (and the root) of a jb-book table of contents, depth first."""
    found = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if key in node:
                found.append(node[key])
        for value in node.values():
            found.extend(_toc_files(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_toc_files(item))
    return found


def _toc_entries() -> list[str]:
    return _toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text()))


def _book_pages() -> list[Path]:
    return sorted(
        p
        for p in BOOK.rglob("*")
        if p.suffix in PAGE_SUFFIXES and ".ipynb_checkpoints" not in p.parts
    )


def _notebooks() -> list[Path]:
    return [p for p in _book_pages() if p.suffix == ".ipynb"]


@pytest.mark.parametrize("notebook", _notebooks(), ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    dirty = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, f"{notebook.name}: cells {dirty} carry outputs or execution counts"


def test_every_toc_entry_exists():
    missing = [
        entry
        for entry in _toc_entries()
        if not any((ROOT / f"{entry}{suffix}").exists() for suffix in PAGE_SUFFIXES)
    ]
    assert not missing, f"_toc.yml names pages that do not exist: {missing}"


def test_every_book_page_is_in_the_toc():
    listed = set(_toc_entries())
    orphans = [
        str(p.relative_to(ROOT))
        for p in _book_pages()
        if str(p.relative_to(ROOT).with_suffix("")) not in listed
    ]
    assert not orphans, f"pages under book/ missing from _toc.yml: {orphans}"


def test_no_page_exists_twice_with_two_suffixes():
    stems = [p.with_suffix("") for p in _book_pages()]
    assert len(stems) == len(set(stems)), "a page exists both as .md and .ipynb"


def test_package_imports_and_has_a_version():
    import consentlib

    assert isinstance(consentlib.__version__, str)
    assert consentlib.__version__.count(".") >= 2


def test_notebooks_import_consentlib_without_path_tricks():
    offenders = [nb.name for nb in _notebooks() if "sys.path" in nb.read_text()]
    assert not offenders, f"notebooks that edit sys.path: {offenders}"


def test_jupyter_book_is_pinned_to_the_1x_series():
    text = (ROOT / "pyproject.toml").read_text()
    assert "jupyter-book>=1.0.4,<2" in text


def test_config_raises_on_notebook_errors():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["raise_on_error"] is True
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["only_build_toc_files"] is True
    assert config["bibtex_bibfiles"] == ["book/references.bib"]


def test_readme_starts_with_the_two_commands():
    """A newcomer's first lines: `make book` and `make test`, before anything else."""
    lines = [line for line in (ROOT / "README.md").read_text().splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    assert lines[1] == "```bash"
    assert lines[2].startswith("make book") and lines[3].startswith("make test")
