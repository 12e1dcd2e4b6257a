"""Binder's install: ``pip install -r binder/requirements.txt`` from the root gives a working book.

Binder does not install the ``pyproject.toml`` project beside a ``binder/`` folder, so the
requirements file must name the package itself. This test builds a fresh virtual environment,
installs from that file without any network access (every dependency is taken from the project's
own environment, which is put on the new environment's path), and executes a notebook there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
