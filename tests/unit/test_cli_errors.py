"""The ``consentlib`` command answers bad arguments with its usage and exit status 2.

The installed console script is run in a subprocess, as a user runs it; the other cases call
the same entry point in process. No error path may end in a Python traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from consentlib import cli

COMMAND = Path(sys.executable).with_name("consentlib")


def test_the_installed_command_answers_a_bad_argument_with_usage_and_status_2():
    assert COMMAND.exists(), f"the console script is not installed at {COMMAND}"
    result = subprocess.run(
        [str(COMMAND), "no-such-command"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("usage: consentlib"), result.stderr
    assert "consentlib: error: argument command: invalid choice: 'no-such-command'" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("arguments", [[], ["replicate", "--no-such-option"], ["replicate", "x"]])
def test_every_bad_argument_gives_usage_and_status_2(arguments, capsys):
    # The same entry point as the console script, in process (starting Python for each case
    # would import the library each time).
    with pytest.raises(SystemExit) as stopped:
        cli.main(arguments)
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("usage: consentlib")
    assert "consentlib: error:" in captured.err
    assert captured.out == ""


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--help"])
    assert stopped.value.code == 0
    assert "replicate" in capsys.readouterr().out


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
