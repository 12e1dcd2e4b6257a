"""Read the book's notebooks, written in MyST that JupyterLab renders, as the website needs them.

The notebooks must read well in JupyterLab with jupyterlab-myst, which resolves neither
citations nor references to other notebooks, and on the website, where Sphinx numbers chapters,
sections, figures and exercises and builds the bibliography. So a notebook writes each
citation or cross-reference as a Markdown link whose text is what the website shows and whose
title is the Sphinx role, for example::

    [Chapter 6](06-design.ipynb "{numref}`Chapter %s <ch-design>`")
    [(Ma, 2019)](bibliography.md "{cite:p}`ma2019consent`")

JupyterLab shows the link; this extension hands Sphinx the role, so the website keeps its
automatic numbers, citation links and bibliography exactly.

A figure is drawn by its code cell (so JupyterLab shows it where the notebook runs) and captioned
by the Markdown cell right after it, whose metadata ``figure`` names the variable holding the
figure, the figure's label and its alt text::

    {"figure": {"value": "fig_results_contrasts", "name": "fig-results-contrasts", "alt": "..."}}

A solution that runs code is one ``{solution}`` directive, collapsed, whose code is written in
``{code-cell} python`` fences (cell metadata, such as a figure's caption, in the fence's YAML
header, as in a MyST Markdown notebook)::

    :::{solution} ex-results-1
    :class: dropdown

    ```{code-cell} python
    fit = cl.ols(data, "support", "condition")
    ```

    The estimate is the same; only the standard error changes.
    :::

jupyterlab-myst shows the code inside the collapsed solution; the website turns the directive
into sphinx-exercise's ``solution-start`` and ``solution-end`` around real code cells, which run
with the chapter and show their output.

The website turns a caption cell into myst-nb's ``eval:figure`` directive: a numbered figure, with
the cell's text as its caption, in the place of the code cell's output (tagged ``remove-output``).
"""

from __future__ import annotations

import json
import re

import yaml

#: A Markdown link whose title is exactly one Sphinx role.
ROLE_LINK = re.compile(
    r'\[(?:[^\[\]]|\[[^\[\]]*\])*\]\([^()\s]*\s+"(\{[a-z:-]+\}`[^`"]+`)"\)'
)


def roles_from_links(markdown: str) -> str:
    """Replace every link titled with a role by that role.

    Examples
    --------
    >>> roles_from_links('As [Ma (2019)](bibliography.md "{cite:t}`ma2019consent`") shows.')
    'As {cite:t}`ma2019consent` shows.'
    """
    return ROLE_LINK.sub(lambda match: match.group(1), markdown)


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def figure_directive(caption: str, figure: dict) -> str:
    """The ``eval:figure`` directive that shows ``figure["value"]`` with this caption.

    Examples
    --------
    >>> print(figure_directive("Shares.", {"value": "fig_x", "name": "fig-x", "alt": "Bars."}))
    :::{eval:figure} fig_x
    :name: fig-x
    :alt: Bars.
    <BLANKLINE>
    Shares.
    :::
    """
    missing = {"value", "name", "alt"} - set(figure)
    if missing:
        raise ValueError(f"figure metadata {figure!r} lacks {sorted(missing)}")
    return (
        f":::{{eval:figure}} {figure['value']}\n:name: {figure['name']}\n:alt: {figure['alt']}\n\n"
        f"{caption.strip()}\n:::"
    )


SOLUTION = re.compile(
    r"^(?P<fence>:{3,})\{solution\} (?P<label>\S+)\n(?P<options>(?::[\w-]+:[^\n]*\n)*)"
    r"(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)
CODE_CELL = re.compile(
    r"^```\{code-cell\} python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S
)


def _markdown(text: str, id_: str) -> dict:
    return {"cell_type": "markdown", "id": id_, "metadata": {}, "source": text}


def _code(text: str, id_: str) -> dict:
    """A code cell from the body of a ``{code-cell}`` fence, with its YAML header as metadata."""
    metadata = {}
    header = re.match(r"---\n(.*?)^---\n", text, re.M | re.S)
    if header:
        metadata = yaml.safe_load(header.group(1)) or {}
        text = text[header.end() :]
    return {
        "cell_type": "code",
        "id": id_,
        "metadata": metadata,
        "source": text,
        "outputs": [],
        "execution_count": None,
    }


def split_solutions(text: str, id_: str) -> list[dict]:
    r"""Cells for a Markdown cell: a solution with code becomes a gated solution around code cells.

    Examples
    --------
    >>> text = ":::{solution} ex-1\n:class: dropdown\n\nSee:\n```{code-cell} python\nx = 1\n```\nDone.\n:::"
    >>> for cell in split_solutions(text, "c"):
    ...     print(cell["cell_type"], repr(cell["source"]))
    markdown ':::{solution-start} ex-1\n:class: dropdown\n:::\n\nSee:'
    code 'x = 1'
    markdown 'Done.\n\n:::{solution-end}\n:::'
    """
    cells, markdown, count = [], [], 0

    def flush(part: str) -> None:
        markdown.append(part)

    def emit_markdown() -> None:
        nonlocal count
        joined = "\n\n".join(
            part.strip("\n") for part in markdown if part.strip()
        )
        markdown.clear()
        if joined:
            cells.append(_markdown(joined, f"{id_}-{count}"))
            count += 1

    position = 0
    for solution in SOLUTION.finditer(text):
        if not CODE_CELL.search(solution.group("body")):
            continue
        flush(text[position : solution.start()])
        flush(
            f":::{{solution-start}} {solution.group('label')}\n{solution.group('options')}:::"
        )
        body, inner = solution.group("body"), 0
        for code in CODE_CELL.finditer(body):
            flush(body[inner : code.start()])
            emit_markdown()
            cells.append(_code(code.group(1).rstrip("\n"), f"{id_}-{count}"))
            count += 1
            inner = code.end()
        flush(body[inner:])
        flush(":::{solution-end}\n:::")
        position = solution.end()
    if position == 0:
        return [_markdown(text, id_)]
    flush(text[position:])
    emit_markdown()
    return cells


def website_notebook(notebook: dict) -> dict:
    """The notebook as the website reads it: roles, gated solutions, ``eval:figure`` captions."""
    cells = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            cells.append(cell)
            continue
        text = roles_from_links(_source(cell))
        figure = cell.get("metadata", {}).get("figure")
        if figure is not None:
            cells.append({**cell, "source": figure_directive(text, figure)})
            continue
        parts = split_solutions(text, cell.get("id", "cell"))
        parts[0] = (
            {**cell, "source": parts[0]["source"]}
            if len(parts) == 1
            else parts[0]
        )
        cells.extend(parts)
    return {**notebook, "cells": cells}


def _on_source_read(app, docname: str, source: list[str]) -> None:
    path = app.env.doc2path(docname)
    if str(path).endswith(".ipynb"):
        source[0] = json.dumps(website_notebook(json.loads(source[0])))


def setup(app):
    app.connect("source-read", _on_source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
