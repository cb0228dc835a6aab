"""Running the command line in-process from tests."""

from __future__ import annotations

from pathlib import Path

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


#: The smallest text that is a cable, for tests of the command line around it.
CABLE = "UNCLAS STATE 000123\n"


def work_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> Path:
    """``tmp_path`` holding ``files``, made the current directory, outside GitHub Actions (whose
    variable changes the default output format)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root holding ``a.txt`` (:data:`CABLE`), made the current directory."""
    (tmp_path / ".git").mkdir()
    return work_in(tmp_path, monkeypatch, {"a.txt": CABLE.encode("utf-8")})
