"""What discovery skips is said (issue 18 items 9 and 10): a git-ignored directory named on the
command line, upper-case extensions, and --force-exclude with --stdin-filename."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from .cli import run_check, run_main

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
DAMAGED = (FIXTURES / "damaged.txt").read_bytes()
#: damaged.txt's two tags written as Markdown links (CBL306, one finding) on line 14.
SELECT = ("--select", "CBL306")


def _tags(name: str) -> list[str]:
    return [f"{name}:14:7"]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def _findings(out: str) -> list[str]:
    return [line.split(": CBL")[0] for line in out.splitlines()]


def test_git_ignored_directory_named_is_said(work: Path, capsys) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    subprocess.run([git, "init", "-q", str(work)], check=True)
    (work / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    (work / "scratch").mkdir()
    (work / "scratch" / "a.txt").write_bytes(DAMAGED)
    status, out, err = run_check(capsys, *SELECT, "scratch")
    assert (status, out) == (0, "")
    assert err.splitlines() == [
        "cablelint: note: scratch: ignored by git, not searched (--no-git searches it)",
        "cablelint: warning: no cable files found",
    ]
    status, out, _ = run_check(capsys, *SELECT, "--no-git", "scratch")
    assert status == 1
    assert _findings(out) == _tags("scratch/a.txt")
    # Files in ignored directories below a directory named are skipped as gitignore says.
    status, out, err = run_check(capsys, *SELECT, ".")
    assert (status, out, err) == (0, "", "cablelint: warning: no cable files found\n")


def test_upper_case_extensions_are_included(work: Path, capsys) -> None:
    for name in ("A.TXT", "b.Txt", "c.CABLE", "d.txt.bak", "E.MD"):
        (work / name).write_bytes(DAMAGED)
    status, out, _ = run_check(capsys, *SELECT, ".")
    assert status == 1
    assert _findings(out) == [*_tags("A.TXT"), *_tags("b.Txt"), *_tags("c.CABLE")]


def test_include_glob_with_an_upper_case_extension(work: Path, capsys) -> None:
    (work / ".cablelint.yaml").write_text("include: ['cables/*.TXT']\n", encoding="utf-8")
    (work / "cables").mkdir()
    (work / "cables" / "a.txt").write_bytes(DAMAGED)
    (work / "b.txt").write_bytes(DAMAGED)
    status, out, _ = run_check(capsys, *SELECT, ".")
    assert status == 1
    assert _findings(out) == _tags("cables/a.txt")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.fixture
def excluding(work: Path) -> Path:
    (work / ".cablelint.yaml").write_text("exclude: ['vendor']\n", encoding="utf-8")
    return work


def test_force_exclude_applies_to_stdin_filename(excluding: Path, capsys, monkeypatch) -> None:
    _stdin(monkeypatch, DAMAGED)
    assert run_check(
        capsys, *SELECT, "--force-exclude", "--stdin-filename", "vendor/a.txt", "-"
    ) == (0, "", "")


def test_without_force_exclude_stdin_is_linted(excluding: Path, capsys, monkeypatch) -> None:
    _stdin(monkeypatch, DAMAGED)
    status, out, _ = run_check(capsys, *SELECT, "--stdin-filename", "vendor/a.txt", "-")
    assert status == 1
    assert _findings(out) == _tags("vendor/a.txt")


def test_force_exclude_stdin_not_excluded_is_linted(excluding: Path, capsys, monkeypatch) -> None:
    _stdin(monkeypatch, DAMAGED)
    status, out, _ = run_check(capsys, *SELECT, "--force-exclude", "--stdin-filename", "a.txt")
    assert status == 1
    assert _findings(out) == _tags("a.txt")


def test_force_exclude_stdin_fix_passes_the_text_through(
    excluding: Path, capsys, monkeypatch
) -> None:
    """An editor pipes the buffer in and replaces it with stdout: it must come back as it was."""
    _stdin(monkeypatch, DAMAGED)
    status, out, err = run_main(
        capsys, "check", "--fix", "--force-exclude", "--stdin-filename", "vendor/a.txt", "-"
    )
    assert (status, out, err) == (0, DAMAGED.decode("utf-8"), "")
