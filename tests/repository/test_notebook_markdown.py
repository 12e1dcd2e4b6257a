"""The notebooks follow the convention that renders both in JupyterLab and on the website.

JupyterLab (with jupyterlab-myst) resolves neither `{glue}`, citations nor references to other
notebooks; the website needs Sphinx's roles. So the notebooks write inline expressions, links
titled with roles, captions after their figures and one-cell solutions, and
book/_ext/portable_myst.py gives Sphinx what it needs (README, "Contributing").
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import pytest
from book_files import book_notebooks

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = book_notebooks()

_spec = importlib.util.spec_from_file_location(
    "portable_myst", ROOT / "book" / "_ext" / "portable_myst.py"
)
portable_myst = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(portable_myst)

RAW_ROLE = re.compile(r"\{(glue[:\w]*|numref|ref|cite:?\w*)\}`")
EVAL = re.compile(r"\{eval\}`([^`]+)`")


def _cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text())["cells"]
    for cell in cells:
        cell["text"] = "".join(cell["source"])
    return cells


def _assigned(code: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def test_roles_from_links_hands_sphinx_the_role_and_keeps_other_links():
    text = (
        'See [Chapter 6](06-design.ipynb "{numref}`Chapter %s <ch-design>`"), '
        '[[Ma, 2019]](bibliography.md "{cite:p}`ma2019consent`") and [a page](https://x.org).'
    )
    assert portable_myst.roles_from_links(text) == (
        "See {numref}`Chapter %s <ch-design>`, {cite:p}`ma2019consent` and [a page](https://x.org)."
    )


def test_a_solution_with_code_becomes_a_gated_solution_around_code_cells():
    text = (
        ":::{exercise}\n:label: ex-1\n\nDo it.\n:::\n\n"
        "::::{solution} ex-1\n:class: dropdown\n\nFirst:\n\n"
        "```{code-cell} python\n---\ntags: [remove-input]\n---\nx = 1\n```\n\n"
        ":::{note}\nInside.\n:::\n::::"
    )
    cells = portable_myst.split_solutions(text, "c")
    assert [cell["cell_type"] for cell in cells] == ["markdown", "code", "markdown"]
    assert cells[0]["source"].endswith(":::{solution-start} ex-1\n:class: dropdown\n:::\n\nFirst:")
    assert cells[0]["source"].startswith(":::{exercise}")
    assert cells[1]["source"] == "x = 1"
    assert cells[1]["metadata"] == {"tags": ["remove-input"]}
    assert cells[2]["source"] == ":::{note}\nInside.\n:::\n\n:::{solution-end}\n:::"
    assert len({cell["id"] for cell in cells}) == 3


def test_a_solution_without_code_stays_one_cell():
    text = ":::{solution} ex-1\n:class: dropdown\n\nJust words.\n:::"
    assert portable_myst.split_solutions(text, "c") == [portable_myst._markdown(text, "c")]


def test_a_caption_without_its_figure_metadata_is_refused():
    with pytest.raises(ValueError, match="alt"):
        portable_myst.figure_directive("Caption.", {"value": "fig_x", "name": "fig-x"})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_markdown_has_no_website_only_syntax(path):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "markdown":
            continue
        left = portable_myst.roles_from_links(cell["text"])
        bare = RAW_ROLE.findall(portable_myst.ROLE_LINK.sub("", cell["text"]))
        assert not bare, f"cell {index}: write {bare} as a link titled with the role"
        assert "solution-start" not in left and "solution-end" not in left, f"cell {index}"
        assert "{glue" not in left, f"cell {index}"
    code = "\n".join(cell["text"] for cell in _cells(path) if cell["cell_type"] == "code")
    assert "glue(" not in code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_every_inline_expression_and_figure_is_defined_above_it(path):
    defined: set[str] = set()
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code":
            defined |= _assigned(cell["text"])
            continue
        in_solution = set()
        for code in portable_myst.CODE_CELL.findall(cell["text"]):
            in_solution |= _assigned(re.sub(r"\A---\n.*?^---\n", "", code, flags=re.M | re.S))
        for name in EVAL.findall(cell["text"]):
            assert name in defined | in_solution, f"cell {index}: {name} is not defined above"
        figure = cell.get("metadata", {}).get("figure")
        if figure is not None:
            assert figure["value"] in defined, f"cell {index}: {figure['value']}"
            assert {"name", "alt"} <= set(figure)
