"""Checks on the built website, as a reader meets it.

They run after the strict build in ``make test`` (``make site-check`` sets CONSENTLIB_SITE_DIR to
the freshly built ``_build/html``) and are skipped in a plain ``pytest tests`` run, where no
fresh site exists.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from book_files import toc_pages

ROOT = Path(__file__).resolve().parents[2]
SITE = (
    Path(os.environ.get("CONSENTLIB_SITE_DIR", ""))
    if os.environ.get("CONSENTLIB_SITE_DIR")
    else None
)

pytestmark = pytest.mark.skipif(SITE is None, reason="run by `make site-check` after a build")


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _html(page: str) -> str:
    return (SITE / f"{page}.html").read_text()


def _uses_synthetic_data(page: str) -> bool:
    notebook = ROOT / f"{page}.ipynb"
    if not notebook.exists():
        return False
    cells = json.loads(notebook.read_text())["cells"]
    return any(
        "replication_data" in "".join(c["source"]) for c in cells if c["cell_type"] == "code"
    )


@pytest.mark.parametrize("page", toc_pages())
def test_every_page_of_the_toc_is_built(page):
    assert (SITE / f"{page}.html").exists()


@pytest.mark.parametrize("page", [p for p in toc_pages() if _uses_synthetic_data(p)])
def test_pages_using_the_survey_data_say_it_is_synthetic_near_the_top(page):
    text = _html(page)
    main = text[text.find("<main") :]
    first_admonition = re.search(
        r'<div class="[^"]*\badmonition\b[^"]*"[^>]*>(.*?)</div>', main, re.S
    )
    assert first_admonition, f"{page}: no admonition"
    assert "synthetic" in first_admonition.group(1).lower()


@pytest.mark.parametrize("page", toc_pages())
def test_every_figure_has_alt_text(page):
    parser = _Images()
    parser.feed(_html(page))
    content_images = [img for img in parser.images if "logo" not in (img.get("class") or "")]
    missing = [img.get("src") for img in content_images if not (img.get("alt") or "").strip()]
    assert not missing, f"{page}: images without alt text: {missing}"


@pytest.mark.parametrize("page", toc_pages())
def test_no_error_output_or_unresolved_glue_reaches_the_reader(page):
    text = _html(page)
    # The API page may show a docstring example of an error; chapters must not.
    if not page.endswith("/api"):
        assert "Traceback (most recent call last)" not in text
    assert "{glue" not in text


@pytest.mark.parametrize("page", toc_pages())
def test_solutions_are_hidden_by_default(page):
    text = _html(page)
    for block in re.findall(r'<div class="solution[^"]*"', text):
        assert "dropdown" in block, f"{page}: a solution is not collapsed: {block}"
