"""Every notebook of the book, opened in JupyterLab as a student opens it, reads like its web page.

One JupyterLab, started from the project's environment (the one `make lab` starts), opens each
notebook in Debian's Chromium, runs all cells and reads the page: no MyST source left in the
rendered Markdown (glue, roles, directive fences, unresolved labels or citation keys), no error
output and no failed inline expression, every solution rendered and collapsed, every figure
shown where its code runs. A screenshot of each notebook lands in `_build/notebook-shots/`.
The Binder variant of this check is in test_binder.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from book_files import book_notebooks
from lab_session import read_in_jupyterlab, unresolved_markers

NOTEBOOKS = book_notebooks()


@pytest.fixture(scope="module")
def rendered():
    return read_in_jupyterlab(Path(sys.executable).parent, NOTEBOOKS)


def test_the_book_has_notebooks():
    assert len(NOTEBOOKS) >= 8


@pytest.mark.parametrize("notebook", [path.name for path in NOTEBOOKS])
def test_notebook_reads_in_jupyterlab_like_its_web_page(rendered, notebook):
    problems = rendered[notebook].problems(unresolved_markers())
    assert not problems, f"{notebook}:\n" + "\n".join(problems)
