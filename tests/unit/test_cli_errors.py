"""The ``consentlib`` command answers bad arguments with its usage and exit status 2.

Run as a user runs it: the installed console script, in a subprocess. No error path may end in
a Python traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from consentlib import cli

COMMAND = Path(sys.executable).with_name("consentlib")


def run(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COMMAND), *arguments], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "arguments",
    [(), ("no-such-command",), ("replicate", "--no-such-option")],
)
def test_bad_arguments_give_usage_and_status_2(arguments):
    assert COMMAND.exists(), f"the console script is not installed at {COMMAND}"
    result = run(*arguments)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("usage: consentlib"), result.stderr
    assert "consentlib: error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_help_exits_0():
    result = run("--help")
    assert result.returncode == 0
    assert "replicate" in result.stdout


def test_refused_input_gives_a_message_and_status_2(monkeypatch, capsys):
    # A check that refuses its input (a ValueError) or a file that cannot be read (an OSError)
    # inside a command is reported like a bad argument.
    for error in (
        ValueError("column 'support' has 3 infinite value(s)"),
        FileNotFoundError(2, "No such file", "x.csv"),
    ):

        def refuse(*_, error=error, **__):
            raise error

        monkeypatch.setattr("consentlib.data.replication_data", refuse)
        with pytest.raises(SystemExit) as stopped:
            cli.main(["replicate"])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: consentlib")
        assert str(error) in err
