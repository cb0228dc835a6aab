"""The command line's handling of configuration: selections, trust, settings (issues 17, 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cli import run_check

CABLE = "UNCLAS STATE 000123\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(CABLE, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "flag", "value"),
    [
        (["--select", ""], "--select", "''"),
        (["--select", "CBL1", "--select", ","], "--select", "','"),
        (["--extend-select", " "], "--extend-select", "' '"),
        (["--ignore", ""], "--ignore", "''"),
    ],
)
def test_an_empty_selection_is_a_usage_error(
    capsys, project: Path, argv: list[str], flag: str, value: str
) -> None:
    status, out, err = run_check(capsys, *argv, "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: argument {flag}: expected rule codes, prefixes or names, got {value} "
        "(see 'cablelint --help')\n"
    )
