"""What the classroom tests share: where things are, and how to run a notebook."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = ROOT / "book" / "assignment-broockman.ipynb"
FIXTURE = Path(__file__).with_name("fixtures") / "personal-exercise.ipynb"
# Written here, independently of consentlib.classroom, as the website's extension reads them.
CODE_FENCE = re.compile(r"^```\{code-cell\} python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*\n", re.M | re.S)
OTTER = str(Path(sys.executable).with_name("otter"))
#: otter assign runs a notebook in well under a minute. Its notebook executor waits without a
#: time limit, and on a rare lost kernel message it waits for ever: stop it and try once more.
ASSIGN_SECONDS = 240


def otter_assign(master: Path, dist: Path, *options: str) -> tuple[int, str]:
    """Run ``otter assign`` on a master notebook; its exit status and everything it printed."""
    log = ""
    for _attempt in range(2):
        try:
            done = subprocess.run(
                [OTTER, "assign", *options, str(master), str(dist)],
                capture_output=True,
                text=True,
                cwd=master.parent.parent,
                check=False,
                timeout=ASSIGN_SECONDS,
            )
        except subprocess.TimeoutExpired:
            log += f"otter assign stopped after {ASSIGN_SECONDS} s without an answer\n"
            continue
        return done.returncode, log + done.stdout + done.stderr
    return 1, log


def with_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as the website runs it: each solution's code fences become code cells
    right after the Markdown cell that holds the solution."""
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if cell.cell_type == "markdown":
            for fence in CODE_FENCE.findall(cell.source):
                cells.append(nbformat.v4.new_code_cell(FRONT_MATTER.sub("", fence)))
    result = nbformat.v4.new_notebook(metadata=notebook.metadata)
    result.cells = cells
    return result


def execute(notebook: nbformat.NotebookNode, cwd: Path, allow_errors: bool = False):
    """Execute a notebook in ``cwd`` and return it with its outputs."""
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return notebook


def output_text(cell: nbformat.NotebookNode) -> str:
    """Everything a cell printed or displayed, as text."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(output.get("data", {}).get("text/plain", ""))
        parts.append(output.get("data", {}).get("text/html", ""))
        parts.append(output.get("evalue", ""))
        parts.append("\n".join(output.get("traceback", [])))
    return "\n".join(p if isinstance(p, str) else "".join(p) for p in parts)
