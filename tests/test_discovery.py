"""File discovery: include/exclude globs, hidden directories, .gitignore, symlinks, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cablelint.app.discovery import Selector, _join, _prefix, _sort_key, discover
from cablelint.engine.config import Config

HAS_GIT = shutil.which("git") is not None


def selector(root: Path, include=("*.txt", "*.cable"), exclude=()) -> Selector:
    settings = {"include": tuple(include), "exclude": tuple(exclude)}
    config = Config(specs={}, rules={}, settings=settings, root=root)
    return Selector(config.is_included, config.is_excluded)


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("UNCLAS STATE 000001\n", encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    touch(
        tmp_path,
        "a.txt",
        "b.cable",
        "notes.md",
        "sub/c.txt",
        "sub/deeper/d.TXT",
        "sub/deeper/e.txt",
        ".hidden/f.txt",
        "sub/.git/g.txt",
        "archive/h.txt",
    )
    return tmp_path


def test_walk_default_selection(tree: Path) -> None:
    found = discover(["."], selector(tree), use_git=False)
    assert found.files == [
        "a.txt",
        "archive/h.txt",
        "b.cable",
        "sub/c.txt",
        "sub/deeper/d.TXT",  # the extension matches in any case (issue 18 item 9)
        "sub/deeper/e.txt",
    ]
    assert found.errors == []
    assert not found.stdin


def test_exclude_prunes_directories(tree: Path) -> None:
    found = discover(["."], selector(tree, exclude=("archive", "sub/deeper")), use_git=False)
    assert found.files == ["a.txt", "b.cable", "sub/c.txt"]


def test_explicit_files_are_always_checked(tree: Path) -> None:
    found = discover(["notes.md", "sub/deeper/d.TXT", ".hidden/f.txt"], selector(tree))
    assert found.files == [".hidden/f.txt", "notes.md", "sub/deeper/d.TXT"]


def test_explicit_hidden_directory_is_searched(tree: Path) -> None:
    assert discover([".hidden"], selector(tree), use_git=False).files == [".hidden/f.txt"]


def test_duplicates_removed_and_sorted(tree: Path) -> None:
    found = discover(["sub", "a.txt", "./a.txt", "sub/c.txt"], selector(tree), use_git=False)
    assert found.files == ["a.txt", "sub/c.txt", "sub/deeper/d.TXT", "sub/deeper/e.txt"]


@pytest.mark.parametrize(
    "path", ["a/b", "/a/b", "a", "/", "//a/b", "../x/y", "a/./b", ".", "..", "a b/ç.txt", "///a"]
)
def test_sort_key_is_path_parts(path: str) -> None:
    normal = os.path.normpath(path)
    assert _sort_key(normal) == Path(normal).parts


def test_stdin_and_missing_paths(tree: Path) -> None:
    found = discover(["-", "missing.txt", "a.txt"], selector(tree))
    assert found.stdin
    assert found.files == ["a.txt"]
    assert [str(e) for e in found.errors] == ["missing.txt: No such file or directory"]


def test_broken_symlink(tree: Path) -> None:
    os.symlink(tree / "nowhere.txt", tree / "dangling.txt")
    found = discover(["dangling.txt"], selector(tree))
    assert [str(e) for e in found.errors] == ["dangling.txt: broken symbolic link"]


def test_symlink_loop_does_not_hang(tree: Path) -> None:
    os.symlink(tree / "sub", tree / "sub" / "deeper" / "loop")
    found = discover(["."], selector(tree), use_git=False)
    # Each real directory is entered once.
    assert found.files == [
        "a.txt",
        "archive/h.txt",
        "b.cable",
        "sub/c.txt",
        "sub/deeper/d.TXT",
        "sub/deeper/e.txt",
    ]


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root reads all")
def test_unreadable_directory(tree: Path) -> None:
    locked = tree / "sub" / "deeper"
    locked.chmod(0)
    try:
        found = discover(["."], selector(tree), use_git=False)
    finally:
        locked.chmod(0o755)
    assert "a.txt" in found.files
    assert [e.path for e in found.errors] == ["sub/deeper"]


def test_unreadable_directory_simulated(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path):
        if str(path).endswith("deeper"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover(["."], selector(tree), use_git=False)
    assert found.files == ["a.txt", "archive/h.txt", "b.cable", "sub/c.txt"]
    assert [str(e) for e in found.errors] == [
        "sub/deeper: cannot read directory: Permission denied"
    ]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.mark.skipif(not HAS_GIT, reason="git not installed")
def test_gitignore_respected_in_a_work_tree(tree: Path) -> None:
    git(tree, "init", "-q")
    (tree / ".gitignore").write_text("archive/\n*.cable\n", encoding="utf-8")
    touch(tree, "untracked.txt")
    found = discover(["."], selector(tree))
    assert found.files == [
        "a.txt",
        "sub/c.txt",
        "sub/deeper/d.TXT",
        "sub/deeper/e.txt",
        "untracked.txt",
    ]
    # A subdirectory argument: paths stay relative to the current directory.
    assert discover(["sub"], selector(tree)).files == [
        "sub/c.txt",
        "sub/deeper/d.TXT",
        "sub/deeper/e.txt",
    ]
    # Explicit files are checked even when git ignores them.
    assert discover(["archive/h.txt"], selector(tree)).files == ["archive/h.txt"]


@pytest.mark.skipif(not HAS_GIT, reason="git not installed")
def test_git_deleted_files_are_skipped(tree: Path) -> None:
    git(tree, "init", "-q")
    git(tree, "add", "a.txt")
    (tree / "a.txt").unlink()
    assert "a.txt" not in discover(["."], selector(tree)).files


def test_no_git_process_outside_a_work_tree(tree: Path, monkeypatch) -> None:
    if any((parent / ".git").exists() for parent in tree.resolve().parents):
        pytest.skip("the temporary directory is inside a git work tree")
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)

    def no_git(*args, **kwargs):
        raise AssertionError("git was started")

    monkeypatch.setattr(subprocess, "run", no_git)
    assert discover(["archive"], selector(tree)).files == ["archive/h.txt"]


@pytest.mark.parametrize(
    "directory", [".", "./", "a", "a/", "./a/b/", "a/../b", "/", "//", "/x/y/", "..", "a/./b"]
)
def test_a_walked_name_is_its_directory_prefix_and_the_name(directory: str) -> None:
    """The walk appends each name to its directory's prefix: the normalised join of the two."""
    for name in ["f.txt", ".x", "x y.txt"]:
        assert _prefix(directory) + name == _join(directory, name)
