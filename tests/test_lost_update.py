"""A write by another program while ``--fix`` replaces a file is never lost (#17).

The other program's write is injected at the exact moment that matters: after the fix's last
check of the file and before (or as) the new file takes its place. With a swap of names (Linux)
and with the plain rename used elsewhere, the other program's version ends up as the file and
the run says so (exit 2). An exclusive lock keeps two cablelint processes from interleaving.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from cablelint.engine import exchange, writer
from cablelint.engine.writer import NotWritten, replace_checked

from .cli import run_main, work_in
from .test_fix_trust import FIXED, GOOD

CHANGED = "changed while the fix was being written; the other program's version is kept, not fixed"


def append(path: Path, line: bytes = b"APPENDED MEANWHILE\n") -> None:
    with open(path, "ab") as fh:
        fh.write(line)


def replace_by_rename(path: Path, data: bytes) -> None:
    """What an editor does when it saves: a new file renamed over the old one."""
    new = path.with_name("editor.swp")
    new.write_bytes(data)
    os.replace(new, path)


@pytest.fixture(params=["swap", "rename"])
def swapping(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each test with the swap of names and with the rename fallback."""
    if request.param == "swap":
        if exchange._renameat2() is None:
            pytest.skip("no renameat2 here")
    else:
        monkeypatch.setattr(writer, "exchange", lambda a, b: False)
    return request.param


def inject(monkeypatch: pytest.MonkeyPatch, action) -> list[str]:
    """Run ``action()`` right before the new file takes the old one's place."""
    done: list[str] = []
    real = writer.exchange

    def hooked(a: str, b: str) -> bool:
        action()
        done.append(b)
        return real(a, b)

    monkeypatch.setattr(writer, "exchange", hooked)
    return done


def test_an_append_just_before_the_swap_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swapping: str
) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    done = inject(monkeypatch, lambda: append(path))
    with pytest.raises(OSError) as info:
        replace_checked(path, b"old\n", b"new\n")
    assert done == [str(path)]
    assert str(info.value) == f"{path}: {CHANGED}"
    assert path.read_bytes() == b"old\nAPPENDED MEANWHILE\n"
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert os.listdir(tmp_path) == ["cable.txt"]


def test_a_same_size_overwrite_just_before_the_swap_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swapping: str
) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")

    def overwrite() -> None:
        with open(path, "r+b") as fh:
            fh.write(b"OLD\n")

    inject(monkeypatch, overwrite)
    with pytest.raises(OSError, match="changed while the fix was being written"):
        replace_checked(path, b"old\n", b"new\n")
    assert path.read_bytes() == b"OLD\n"
    assert os.listdir(tmp_path) == ["cable.txt"]


def test_a_file_saved_by_rename_just_before_the_swap_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a swap of names can see this one: the plain rename would drop the editor's file."""
    if exchange._renameat2() is None:
        pytest.skip("no renameat2 here")
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    inject(monkeypatch, lambda: replace_by_rename(path, b"saved by an editor\n"))
    with pytest.raises(OSError, match="changed while the fix was being written"):
        replace_checked(path, b"old\n", b"new\n")
    assert path.read_bytes() == b"saved by an editor\n"
    assert os.listdir(tmp_path) == ["cable.txt"]


def test_without_a_concurrent_write_the_fix_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swapping: str
) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    path.chmod(0o604)
    assert replace_checked(path, b"old\n", b"new\n") is True
    assert path.read_bytes() == b"new\n"
    assert oct(path.stat().st_mode & 0o777) == "0o604"
    assert os.listdir(tmp_path) == ["cable.txt"]


def test_a_file_locked_by_another_process_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    monkeypatch.setattr(writer, "LOCK_WAIT", 0.05)
    with open(path, "rb") as other:  # another cablelint in the middle of its own fix
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        with pytest.raises(NotWritten) as info:
            replace_checked(path, b"old\n", b"new\n")
    assert str(info.value) == "locked by another process for 0.05 s; not fixed"
    assert path.read_bytes() == b"old\n"
    assert replace_checked(path, b"old\n", b"new\n") is True  # the lock is gone with the file


def test_a_fix_that_waited_for_the_lock_looks_at_the_file_now_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While this run waits, the other cablelint replaces the file with the same fix: this run
    then locks and reads the new file, finds the fix there, and writes nothing."""
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    real = exchange._try_lock
    calls = []

    def other_run_finishes_first(fd: int, deadline: float) -> bool:
        if not calls:
            replace_by_rename(path, b"new\n")
        calls.append(fd)
        return real(fd, deadline)

    monkeypatch.setattr(exchange, "_try_lock", other_run_finishes_first)
    assert replace_checked(path, b"old\n", b"new\n") is False
    assert len(calls) == 2  # the first file locked was no longer the one in place
    assert path.read_bytes() == b"new\n"
    assert os.listdir(tmp_path) == ["cable.txt"]


# --- through the command line ------------------------------------------------------------------


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return work_in(tmp_path, monkeypatch, {"cable.txt": GOOD})


def test_check_fix_reports_an_append_during_the_swap_and_keeps_it(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, swapping: str
) -> None:
    path = work / "cable.txt"
    inject(monkeypatch, lambda: append(path))
    status, _, err = run_main(capsys, "check", "--no-cache", "--no-git", "--fix", "cable.txt")
    assert status == 2
    assert f"cablelint: error: cable.txt: {CHANGED}\n" in err
    assert path.read_bytes() == GOOD + b"APPENDED MEANWHILE\n"
    assert os.listdir(work) == ["cable.txt"]


def test_check_fix_without_interference_still_fixes(
    work: Path, capsys: pytest.CaptureFixture[str], swapping: str
) -> None:
    status, _, err = run_main(capsys, "check", "--no-cache", "--no-git", "--fix", "cable.txt")
    assert (work / "cable.txt").read_bytes() == FIXED
    assert "error" not in err
    assert status == 1


def test_check_fix_leaves_a_file_another_cablelint_holds(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "LOCK_WAIT", 0.05)
    with open(work / "cable.txt", "rb") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        status, _, err = run_main(capsys, "check", "--no-cache", "--no-git", "--fix", "cable.txt")
    assert "cablelint: warning: cable.txt: locked by another process for 0.05 s; not fixed\n" in err
    assert status == 1
    assert (work / "cable.txt").read_bytes() == GOOD
