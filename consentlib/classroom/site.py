"""Build the student edition's website with Jupyter Book."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["build_student_site"]


def build_student_site(edition: str | Path, html_dir: str | Path) -> Path:
    """Build the website of a student edition written by ``write_student_edition``.

    The notebooks are executed (a scaffold's ``...`` may make a later cell fail; the student
    edition's configuration lets the build show the error and go on) and the HTML is moved to
    ``html_dir``.

    Parameters
    ----------
    edition : str or pathlib.Path
        The student edition's root (it holds ``_config.yml``, ``_toc.yml`` and ``book/``).
    html_dir : str or pathlib.Path
        Where the website goes (replaced if it exists).

    Returns
    -------
    pathlib.Path
        ``html_dir``.

    Raises
    ------
    RuntimeError
        If Jupyter Book fails.
    """
    edition, html_dir = Path(edition).resolve(), Path(html_dir).resolve()
    work = edition.parent / (edition.name + "-site-build")
    shutil.rmtree(work, ignore_errors=True)
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(edition),
        "--path-output",
        str(work),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"jupyter-book failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    shutil.rmtree(html_dir, ignore_errors=True)
    shutil.move(str(work / "_build" / "html"), str(html_dir))
    shutil.rmtree(work, ignore_errors=True)
    return html_dir
