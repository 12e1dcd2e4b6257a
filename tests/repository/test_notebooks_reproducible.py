"""Every notebook of the book gives the same results each time it runs, and runs quickly.

Each notebook is executed twice at the same time (two kernels, so both cores are busy: the
timing is taken on a loaded machine). The two runs must agree on every output a reader sees:
printed text, tables (plain and HTML), LaTeX and the bytes of every figure. Only what is not a
result may differ: standard error (progress bars, which print their speed), widget model
identifiers, object addresses and the random ids pandas' Styler gives its HTML tables.
Each notebook's total and slowest cell are recorded in
``benchmarks/results/notebook-timings.json``, and the slowest cell of either run must take less
than ``SLOWEST_CELL_SECONDS``, far inside the execution timeout.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from book_files import book_notebooks
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = book_notebooks()
SLOWEST_CELL_SECONDS = 20.0
TIMEOUT_SECONDS = 600
TIMINGS = ROOT / "benchmarks" / "results" / "notebook-timings.json"

#: Outputs that are no result: a widget's view carries a fresh model id on each run.
IGNORED_MIMETYPES = {"application/vnd.jupyter.widget-view+json"}
#: Object addresses such as <Figure at 0x7f...> differ between processes, and pandas' Styler
#: names its table's HTML ids with a random five-character id (T_1a2b3_row0_col0).
ADDRESS = re.compile(r" at 0x[0-9a-f]+")
STYLER_ID = re.compile(r"\bT_[0-9a-f]{5}(?=[_\"\s])")


def normalize(text: str) -> str:
    """Text without the identifiers that differ between runs though the results do not."""
    return STYLER_ID.sub("T_", ADDRESS.sub(" at 0x", text))


pytestmark = pytest.mark.reproducibility


async def _execute(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_SECONDS,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=True,
    )
    await client.async_execute()
    return notebook


def _run_twice(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    async def both():
        return await asyncio.gather(_execute(path), _execute(path))

    first, second = asyncio.run(both())
    return first, second


def visible_outputs(cell: nbformat.NotebookNode) -> list:
    """What a reader sees of a cell: text and data outputs, in order, without stderr."""
    shown = []
    for output in cell.get("outputs", []):
        kind = output["output_type"]
        if kind == "stream":
            if output["name"] == "stdout":
                shown.append(("stdout", normalize(output["text"])))
        elif kind in ("execute_result", "display_data"):
            data = {
                mimetype: normalize(value) if isinstance(value, str) else value
                for mimetype, value in output["data"].items()
                if mimetype not in IGNORED_MIMETYPES
            }
            shown.append((kind, json.dumps(data, sort_keys=True)))
        elif kind == "error":
            shown.append(("error", output["ename"], output["evalue"]))
    return shown


def cell_seconds(cell: nbformat.NotebookNode) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    parse = datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def record(name: str, seconds: list[float]) -> None:
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings[name] = {
        "total": round(sum(seconds), 2),
        "slowest_cell": round(max(seconds), 2),
        "slowest_code_cell_number": 1 + seconds.index(max(seconds)),
    }
    TIMINGS.write_text(json.dumps(timings, indent=1, sort_keys=True) + "\n")


def test_the_book_has_notebooks():
    assert len(NOTEBOOKS) >= 5, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_twice_to_identical_results_and_fast_cells(path):
    first, second = _run_twice(path)
    code = [(a, b) for a, b in zip(first.cells, second.cells, strict=True) if a.cell_type == "code"]
    for number, (a, b) in enumerate(code, start=1):
        shown_a, shown_b = visible_outputs(a), visible_outputs(b)
        assert shown_a == shown_b, (
            f"{path.name}, code cell {number} gives different outputs on two runs:\n"
            f"{a.source[:300]}"
        )
    seconds = [max(cell_seconds(a), cell_seconds(b)) for a, b in code]
    record(path.stem, seconds)
    slowest = max(range(len(code)), key=seconds.__getitem__)
    assert seconds[slowest] < SLOWEST_CELL_SECONDS, (
        f"{path.name}, code cell {slowest + 1} took {seconds[slowest]:.1f} s "
        f"(limit {SLOWEST_CELL_SECONDS} s):\n{code[slowest][0].source[:300]}"
    )
