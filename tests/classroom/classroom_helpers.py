"""What the classroom tests share: where things are, and how to run a notebook."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = ROOT / "book" / "assignment-broockman.ipynb"
FIXTURE = Path(__file__).with_name("fixtures") / "personal-exercise.ipynb"


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
