"""The result cache answers for the files it names, so cablelint uses none it cannot trust: not
one git tracks (a committed cache hid every finding) nor a symbolic link, and it marks as a
cache only a directory it created (``cache-dir: .`` had git stop listing the project's files)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .cli import run_main

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "robustness" / "good.txt").read_bytes()

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="no git")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "cable.txt").write_bytes(GOOD)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, "check", "-j", "1", "--select", "CBL306", *argv)


def forge(cache: Path) -> int:
    """Rewrite every entry of ``cache`` to say: no findings. Returns how many."""
    entries = sorted(cache.glob("*/??/*.json"))  # <group>/<slot[:2]>/<slot>.json
    for entry in entries:
        record = json.loads(entry.read_bytes())
        entry.write_text(json.dumps({**record, "diagnostics": []}), encoding="utf-8")
    return len(entries)


@needs_git
def test_a_committed_cache_is_not_used(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(work, "init", "-q")
    first = check(capsys, "cable.txt")
    assert first[0] == 1
    assert forge(work / ".cablelint_cache") == 1
    git(work, "add", "-f", ".cablelint_cache", "cable.txt")
    git(work, "commit", "-q", "-m", "a cache that hides the findings")
    status, out, err = check(capsys, "cable.txt")
    assert (status, out) == first[:2]
    cache = work / ".cablelint_cache"
    assert (
        f"cablelint: warning: cache directory {cache} holds files tracked by git; not used" in err
    )
    assert len(out.splitlines()) == 1  # the tags written as links: one finding


@needs_git
def test_an_untracked_cache_in_a_work_tree_is_used(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(work, "init", "-q")
    check(capsys, "cable.txt")
    assert forge(work / ".cablelint_cache") == 1  # the forgery is the proof it was read
    status, out, err = check(capsys, "cable.txt")
    assert (status, out) == (0, "")
    assert "warning" not in err


def test_a_symlinked_cache_is_not_used(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = work.parent / f"{work.name}-planted"
    elsewhere.mkdir()
    (work / ".cablelint_cache").symlink_to(elsewhere)
    status, out, err = check(capsys, "cable.txt")
    assert status == 1
    assert len(out.splitlines()) == 1  # the tags written as links: one finding
    cache = work / ".cablelint_cache"
    assert f"cablelint: warning: cache directory {cache} is a symbolic link; not used\n" in err
    assert list(elsewhere.iterdir()) == []


@needs_git
def test_cache_dir_dot_writes_no_markers_into_the_project(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(work, "init", "-q")
    (work / ".cablelint.yaml").write_text("cache-dir: .\n", encoding="utf-8")
    check(capsys, "cable.txt")
    assert not (work / ".gitignore").exists()
    assert not (work / "CACHEDIR.TAG").exists()
    (work / "new.txt").write_bytes(GOOD)
    assert "new.txt" in git(work, "status", "--porcelain", "--untracked-files=all")


def test_markers_only_in_a_directory_cablelint_created(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "existing").mkdir()
    check(capsys, "--cache-dir", "existing", "cable.txt")
    assert not (work / "existing" / ".gitignore").exists()
    assert not (work / "existing" / "CACHEDIR.TAG").exists()
    check(capsys, "--cache-dir", "made/here", "cable.txt")
    assert (work / "made" / "here" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    assert (work / "made" / "here" / "CACHEDIR.TAG").exists()
    assert not (work / "made" / ".gitignore").exists()
