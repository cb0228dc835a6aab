"""Running the command line in-process from tests."""

from __future__ import annotations

import pytest

from cablelint.app.cli import main


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``main(argv)``: the exit status, stdout and stderr; a traceback fails the test."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def run_check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``cablelint check --no-cache ARGV``, as :func:`run_main`."""
    return run_main(capsys, "check", "--no-cache", *argv)
