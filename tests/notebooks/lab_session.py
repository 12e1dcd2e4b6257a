"""Open the book's notebooks in a real JupyterLab, as a student does, and read what it renders.

A JupyterLab server is started from a given Python environment on localhost (a free port, a
token, no browser), Debian's Chromium opens each notebook through Playwright, runs all its cells,
waits until the kernel is idle, and collects what a reader sees: the text of every rendered
Markdown cell, error outputs, whether solutions are collapsed, and the figures. The same code
checks the project's environment and the one ``binder/requirements.txt`` installs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: MyST source that must never reach a reader of a rendered Markdown cell.
RAW_MYST = re.compile(r"\{glue|\{numref\}|\{cite|\{term\}|:::\{|\{eval\}|\{ref\}|\{doc\}|\{eq\}|%s")

#: Settings that keep a fresh JupyterLab quiet and offline: no news, no update checks.
QUIET_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    # Render every cell, not only those in view, so that the whole notebook can be read and shot.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab server."""

    url: str
    token: str
    root: Path

    def tree_url(self, notebook: Path) -> str:
        relative = notebook.resolve().relative_to(self.root.resolve()).as_posix()
        return f"{self.url}/lab/tree/{relative}?token={self.token}&reset"


@dataclass
class Rendered:
    """What a reader sees in one notebook after Run All."""

    notebook: str
    markdown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expression_errors: list[str] = field(default_factory=list)
    solutions_expected: int = 0
    solutions: int = 0
    open_solutions: int = 0
    figures_expected: int = 0
    figures_shown: int = 0
    unexecuted: int = 0

    def problems(self, forbidden: tuple[str, ...] = ()) -> list[str]:
        """Every way the notebook falls short of the website; empty when it reads well.

        ``forbidden`` holds further words that must not reach a reader: the book's labels and
        citation keys, which appear only where a reference or a citation was left unresolved.
        """
        found = []
        for index, text in enumerate(self.markdown):
            for match in RAW_MYST.finditer(text):
                start = max(match.start() - 40, 0)
                found.append(
                    f"raw MyST in Markdown cell {index}: {text[start : match.end() + 40]!r}"
                )
            words = set(re.findall(r"[\w%-]+", text))
            found += [
                f"unresolved {word!r} in Markdown cell {index}: {text[:80]!r}..."
                for word in sorted(words.intersection(forbidden))
            ]
        found += [f"error output: {error[:300]}" for error in self.errors]
        found += [f"inline expression failed: {error[:300]}" for error in self.expression_errors]
        if self.solutions != self.solutions_expected:
            found.append(f"{self.solutions} of {self.solutions_expected} solutions rendered")
        if self.open_solutions:
            found.append(f"{self.open_solutions} of {self.solutions} solutions shown open")
        if self.figures_shown < self.figures_expected:
            found.append(f"{self.figures_shown} of {self.figures_expected} figures shown")
        if self.unexecuted:
            found.append(f"{self.unexecuted} code cells not executed")
        return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def jupyterlab(
    bin_dir: Path, root: Path, timeout: float = 90, extra_env: dict | None = None
) -> Iterator[Lab]:
    """Start JupyterLab with ``bin_dir/python``, serving ``root`` on localhost, and stop it."""
    port, token = free_port(), os.urandom(12).hex()
    with tempfile.TemporaryDirectory(prefix="lab-") as home:
        settings = Path(home) / "settings"
        for plugin, values in QUIET_SETTINGS.items():
            package, name = plugin.split(":")
            target = settings / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "JUPYTER_CONFIG_DIR": str(Path(home) / "config"),
            "JUPYTER_RUNTIME_DIR": str(Path(home) / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(Path(home) / "workspaces"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            **(extra_env or {}),
        }
        log = open(Path(home) / "lab.log", "w+")  # closed below
        server = subprocess.Popen(
            [
                str(bin_dir / "python"),
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=",
                "--LabApp.extension_manager=readonly",
                "--allow-root",
            ],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                    break
                except OSError as error:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(
                            f"JupyterLab did not start:\n{log.read()[-3000:]}"
                        ) from error
                    time.sleep(0.5)
            yield Lab(url=url, token=token, root=root)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


# Run in the page: run all cells through JupyterLab's own command, as the Run menu does.
RUN_ALL = """async () => {
  const app = window.jupyterapp;
  await app.commands.execute('notebook:run-all-cells');
}"""

# Run in the page: true once the kernel is idle and no cell is queued or running.
SETTLED = """() => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.sessionContext.session) return false;
  const kernel = panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && prompts.every(p => !p.textContent.includes('*'));
}"""

# Run in the page: what a reader sees. A figure is the output of the code cell just before a
# Markdown cell whose metadata has "figure" (its caption); a solution is a <details> element that
# jupyterlab-myst draws for a {solution} directive.
READ = r"""() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const result = {markdown: [], errors: [], expressionErrors: [], solutionsExpected: 0,
                  solutions: 0, openSolutions: 0, figuresExpected: 0, figuresShown: 0,
                  unexecuted: 0};
  let previous = null;
  notebook.widgets.forEach((cell) => {
    const node = cell.node;
    const model = cell.model;
    if (model.type === 'markdown') {
      const source = model.sharedModel.source;
      result.solutionsExpected += (source.match(/^:{3,}\{solution\}/gm) || []).length;
      result.markdown.push(node.innerText);
      for (const summary of node.querySelectorAll('details > summary')) {
        if (/^\s*Solution to/.test(summary.innerText)) {
          result.solutions += 1;
          if (summary.parentElement.open) result.openSolutions += 1;
        }
      }
      for (const expression of model.getMetadata('user_expressions') || []) {
        const status = expression.result && expression.result.status;
        if (status !== 'ok') {
          result.expressionErrors.push([expression.expression,
            JSON.stringify(expression.result || null).slice(0, 200), source]);
        }
      }
      if (model.getMetadata('figure')) {
        result.figuresExpected += 1;
        if (previous && previous.node.querySelector(
              '.jp-OutputArea-output img, .jp-OutputArea-output svg')) {
          result.figuresShown += 1;
        }
      }
    } else if (model.type === 'code') {
      if (model.executionCount === null && model.sharedModel.source.trim()) result.unexecuted += 1;
      for (const output of model.outputs.toJSON()) {
        if (output.output_type === 'error') result.errors.push(output.ename + ': ' + output.evalue);
        if (output.output_type === 'stream' && output.name === 'stderr') {
          result.errors.push('stderr: ' + [].concat(output.text).join(''));
        }
      }
    }
    previous = cell;
  });
  return result;
}"""


SOLUTION_CODE = re.compile(r"^```\{code-cell\} python[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def names_a_solution_computes(markdown: str) -> set[str]:
    r"""Names assigned by the code of the solutions in a Markdown cell.

    JupyterLab shows a solution's code without running it, so the numbers its prose takes from
    that code appear once the reader runs it; on the website the code runs with the chapter.

    Examples
    --------
    >>> sorted(names_a_solution_computes("```{code-cell} python\nlow, high = 1, 2\nx = 3\n```"))
    ['high', 'low', 'x']
    """
    names: set[str] = set()
    for code in SOLUTION_CODE.findall(markdown):
        for target in re.findall(r"^([\w, ]+?)\s*=[^=]", code, re.M):
            names.update(name.strip() for name in target.split(",") if name.strip())
    return names


#: The tallest screenshot taken in one piece; a longer notebook is saved in parts.
SHOT_HEIGHT = 12_000

SCROLL_TO = (
    "(top) => { const panel = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');"
    " panel.scrollTop = top; return panel.scrollHeight; }"
)


def shoot(page, screenshot: Path) -> None:
    """Save the whole open notebook: ``name.png``, or ``name-1.png``, ``name-2.png``... if long."""
    height = page.evaluate(SCROLL_TO, 0)
    tall = min(height + 200, SHOT_HEIGHT)
    page.set_viewport_size({"width": page.viewport_size["width"], "height": tall})
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    for old in screenshot.parent.glob(f"{screenshot.stem}*.png"):
        old.unlink()
    parts = range(0, height, tall - 200)
    for number, top in enumerate(parts, start=1):
        page.evaluate(SCROLL_TO, top)
        page.wait_for_timeout(300)
        part = screenshot.with_stem(f"{screenshot.stem}-{number}")
        page.screenshot(path=str(screenshot if len(parts) == 1 else part))


def render(page, lab: Lab, notebook: Path, screenshot: Path, timeout_ms: int = 120_000) -> Rendered:
    """Open ``notebook`` in JupyterLab, run all cells, and return what a reader sees."""
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(lab.tree_url(notebook))
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.isReady",
        timeout=timeout_ms,
    )
    page.wait_for_function(SETTLED.replace("prompts.length > 0 && ", ""), timeout=timeout_ms)
    page.evaluate(RUN_ALL)
    page.wait_for_function(SETTLED, timeout=timeout_ms, polling=500)
    # Let jupyterlab-myst re-render the Markdown cells whose inline expressions now have values.
    page.wait_for_timeout(1500)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    shoot(page, screenshot)
    seen = page.evaluate(READ)
    failed = [
        f"{name}: {result}"
        for name, result, source in seen["expressionErrors"]
        if name not in names_a_solution_computes(source)
    ]
    return Rendered(
        notebook=notebook.name,
        markdown=seen["markdown"],
        errors=seen["errors"],
        expression_errors=failed,
        solutions_expected=seen["solutionsExpected"],
        solutions=seen["solutions"],
        open_solutions=seen["openSolutions"],
        figures_expected=seen["figuresExpected"],
        figures_shown=seen["figuresShown"],
        unexecuted=seen["unexecuted"],
    )


ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
SHOTS = ROOT / "_build" / "notebook-shots"


def unresolved_markers() -> tuple[str, ...]:
    """Labels and citation keys of the book: seen in rendered text, a reference was not resolved."""
    text = "\n".join(path.read_text() for path in [*BOOK.glob("*.ipynb"), *BOOK.glob("*.md")])
    labels = re.findall(r"\(([a-z]+-[\w-]+)\)=|:(?:label|name): ([a-z]+-[\w-]+)", text)
    keys = re.findall(r"^@\w+\{([^,\s]+),", (BOOK / "references.bib").read_text(), re.M)
    return tuple({label for pair in labels for label in pair if label} | set(keys))


def copy_of_the_book(destination: Path) -> Path:
    """A copy of ``book/`` to open, so that JupyterLab's autosave never touches the sources."""
    target = destination / "book"
    shutil.copytree(BOOK, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
    return target


def read_in_jupyterlab(
    bin_dir: Path, notebooks: list[Path], shots: Path = SHOTS, extra_env: dict | None = None
) -> dict[str, Rendered]:
    """Open each notebook in one JupyterLab from ``bin_dir``, run it, and return what it shows.

    Screenshots go to ``shots/<notebook>.png``.
    """
    from browser import block_outside_requests, chromium

    results = {}
    with tempfile.TemporaryDirectory(prefix="book-") as scratch:
        book = copy_of_the_book(Path(scratch))
        with jupyterlab(bin_dir, book, extra_env=extra_env) as lab, chromium() as browser:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            blocked: list[str] = []
            block_outside_requests(context, blocked)
            page = context.new_page()
            for notebook in notebooks:
                results[notebook.name] = render(
                    page, lab, book / notebook.name, shots / f"{notebook.stem}.png"
                )
            context.close()
    return results
