"""Binder's install: ``pip install -r binder/requirements.txt`` from the root gives a working book.

Binder does not install the ``pyproject.toml`` project beside a ``binder/`` folder, so the
requirements file must name the package itself. This test builds a fresh virtual environment,
installs from that file without any network access (every dependency is taken from the project's
own environment, which is put on the new environment's path), and executes a notebook there. It
then opens notebooks in JupyterLab started from that environment, as a student who presses the
Binder button does, and reads them as the notebook test does (tests/notebooks).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from notebooks.lab_session import SHOTS, read_in_jupyterlab, unresolved_markers

ROOT = Path(__file__).resolve().parents[2]

#: Read in JupyterLab from the Binder environment: the first notebook a student opens and the
#: chapter with the most computed numbers, exercises and figures. The notebook test reads every
#: notebook from the project's environment, which has the same packages; two keep this test short.
BINDER_NOTEBOOKS = ["getting-started.ipynb", "07-results.ipynb"]


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory) -> Path:
    env_dir = tmp_path_factory.mktemp("binder") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Make the dependencies already installed for the project visible, but not consentlib itself:
    # a plain path in a .pth file does not run the editable-install hooks stored in that folder.
    (Path(site) / "project-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-build-isolation",
            "-r",
            "binder/requirements.txt",
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    return python


def test_binder_requirements_install_consentlib_itself(binder_env):
    where = subprocess.run(
        [binder_env, "-c", "import consentlib; print(consentlib.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout.strip()
    assert Path(where).resolve() != (ROOT / "consentlib" / "__init__.py").resolve()
    assert str(Path(binder_env).parents[1]) in where


def test_a_notebook_executes_in_the_binder_environment(binder_env):
    notebook = ROOT / "book" / "getting-started.ipynb"
    script = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, timeout=120, kernel_name='python3').execute()\n"
        "import consentlib\n"
        "print('ok', consentlib.__file__)\n"
    )
    result = subprocess.run(
        [binder_env, "-c", script, notebook],
        capture_output=True,
        text=True,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("ok")
    assert sys.executable not in result.stdout


def _requirements(text: str) -> set[str]:
    return {line.split("#")[0].strip() for line in text.splitlines()} - {""}


def test_binder_requirements_name_what_renders_the_notebooks():
    requirements = _requirements((ROOT / "binder" / "requirements.txt").read_text())
    assert ".[book]" in requirements
    assert any(line.startswith("jupyterlab-myst") for line in requirements)


def test_notebooks_read_well_in_jupyterlab_from_the_binder_environment(binder_env):
    # JupyterLab finds its extensions under the environments' share/jupyter. The packages come
    # from the project's environment (see binder_env), so do their JupyterLab extensions.
    shared = Path(sysconfig.get_paths()["data"]) / "share" / "jupyter"
    assert (shared / "labextensions" / "jupyterlab-myst").is_dir()
    rendered = read_in_jupyterlab(
        Path(binder_env).parent,
        [ROOT / "book" / name for name in BINDER_NOTEBOOKS],
        shots=SHOTS / "binder",
        extra_env={"JUPYTER_PATH": str(shared)},
    )
    problems = [
        f"{name}: {problem}"
        for name, seen in rendered.items()
        for problem in seen.problems(unresolved_markers())
    ]
    assert not problems, "\n".join(problems)
