"""A notebook's links show the text the website shows for the same reference or citation.

In a notebook a citation or cross-reference is a link whose text JupyterLab shows ("Chapter 6",
"[Ma, 2019]") and whose title is the role the website renders (book/_ext/portable_myst.py). When
chapters, sections or exercises are renumbered, the website follows and the notebook's text must
be updated: this check names every link whose text no longer matches the built page.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from book_files import book_notebooks

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ["CONSENTLIB_SITE_DIR"]) if os.environ.get("CONSENTLIB_SITE_DIR") else None
NOTEBOOKS = book_notebooks()

pytestmark = pytest.mark.skipif(SITE is None, reason="run by `make site-check` after a build")

LINK = re.compile(
    r'\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^()\s]*\s+"\{(numref|ref|cite:p|cite:t)\}`([^`"]+)`"\)'
)
REFERENCE = re.compile(
    r'<a class="reference internal" href="[^"]*#([^"]+)"[^>]*>'
    r'<span class="std std-(numref|ref)">(.*?)</span>',
    re.S,
)
CITATION = re.compile(r'<span class="bibtex-citation" id="[^"]*">(.*?)</span>', re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_links_show_what_the_website_shows(notebook):
    page = (SITE / "book" / f"{notebook.stem}.html").read_text()
    page = page[page.find("<main") :]
    shown: dict[str, set[str]] = {}
    for anchor, _kind, text in REFERENCE.findall(page):
        shown.setdefault(anchor, set()).add(_text(text))
    citations = [_text(text) for text in CITATION.findall(page)]
    markdown = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(notebook.read_text())["cells"]
        if cell["cell_type"] == "markdown"
    )
    wrong, cited = [], []
    for text, role, target in LINK.findall(markdown):
        text = " ".join(text.split())
        if role.startswith("cite"):
            cited.append(text)
            continue
        label = re.search(r"<([^>]+)>\s*$", target)
        label = label.group(1) if label else target
        if text not in shown.get(label, set()):
            wrong.append(f"[{text}] -> {label}: the website shows {shown.get(label)}")
    if cited != citations:
        wrong.append(f"citations {cited} but the website shows {citations}")
    assert not wrong, "\n".join(wrong)
