"""Where the book's files are, for the tests that read them: its notebooks and its pages."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


def book_notebooks() -> list[Path]:
    """Every notebook of the book, in file order."""
    return sorted(BOOK.glob("*.ipynb"))


def toc_pages() -> list[str]:
    """Every page of the table of contents (``_toc.yml``), in reading order, without suffix."""

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    yield node[key]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    return list(walk(yaml.safe_load((ROOT / "_toc.yml").read_text())))
