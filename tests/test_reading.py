"""Only regular files are read, never more than the size limit, and walks stay in their tree:
a link to /dev/zero, a FIFO, endless standard input and a link to / end at once."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

import pytest

from cablelint.app.commands import DEFAULT_MAX_FILE_SIZE

from .cli import run_main, work_in

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "robustness" / "good.txt").read_bytes()


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return work_in(tmp_path, monkeypatch, {"good.txt": GOOD})


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, "check", "--no-cache", "--no-git", "--select", "CBL0", *argv)


needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")


@needs_dev_zero
def test_link_to_a_device_in_a_walk_is_a_note(work: Path, capsys) -> None:
    (work / "zero.txt").symlink_to("/dev/zero")
    status, out, err = check(capsys, "--max-file-size", "1k", ".")
    assert status == 0
    assert out == ""
    assert "cablelint: note: zero.txt: not a regular file; skipped\n" in err


@needs_dev_zero
def test_link_to_a_device_named_explicitly_is_an_error(work: Path, capsys) -> None:
    (work / "zero.txt").symlink_to("/dev/zero")
    status, _, err = check(capsys, "zero.txt", "good.txt")
    assert status == 2
    assert "cablelint: error: zero.txt: not a regular file\n" in err
    status, _, err = run_main(capsys, "parse", "--no-git", "zero.txt")
    assert status == 2
    assert err == "cablelint: error: zero.txt: not a regular file\n"


@needs_fifo
def test_fifo_named_explicitly_is_an_error_not_a_hang(work: Path, capsys) -> None:
    os.mkfifo(work / "pipe.txt")
    status, _, err = check(capsys, "pipe.txt")
    assert status == 2
    assert err.splitlines()[0] == "cablelint: error: pipe.txt: not a regular file"


@needs_fifo
def test_fifo_in_a_walk_is_a_note(work: Path, capsys) -> None:
    os.mkfifo(work / "pipe.txt")
    status, _, err = check(capsys, ".")
    assert status == 0
    assert "cablelint: note: pipe.txt: not a regular file; skipped\n" in err


@needs_fifo
def test_a_fifo_that_replaced_a_file_is_not_waited_for(work: Path, capsys) -> None:
    """Found as a file, a FIFO when read: the reader does not wait for a writer."""
    from cablelint.app.reading import NotRegularFile, read_file

    os.mkfifo(work / "pipe.txt")
    with pytest.raises(NotRegularFile, match="not a regular file"):
        read_file(str(work / "pipe.txt"), 100)


class Endless(io.RawIOBase):
    """Standard input that never ends (``yes`` piped in)."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"A" * len(buffer)
        return len(buffer)


def endless_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))


def test_endless_stdin_stops_at_the_limit_in_parse(work: Path, capsys, monkeypatch) -> None:
    endless_stdin(monkeypatch)
    status, out, err = run_main(capsys, "parse", "--max-file-size", "64k", "-")
    assert status == 2
    assert out == ""
    assert err == "cablelint: error: -: over the 65,536-byte limit (--max-file-size)\n"


def test_endless_stdin_stops_at_the_limit_in_check(work: Path, capsys, monkeypatch) -> None:
    endless_stdin(monkeypatch)
    status, out, _ = check(capsys, "-")
    assert status == 1
    assert out == (
        f"-:1:1: CBL005 [error] the input is over the {DEFAULT_MAX_FILE_SIZE:,}-byte limit"
        " (--max-file-size); not checked\n"
    )


def test_default_limit_fits_real_cables_with_a_wide_margin(work: Path, capsys) -> None:
    assert DEFAULT_MAX_FILE_SIZE == 1 << 20  # the largest real cable is under 70 KB
    (work / "big.txt").write_bytes(GOOD * (DEFAULT_MAX_FILE_SIZE // len(GOOD) + 1))
    status, out, _ = check(capsys, "big.txt")
    assert status == 1
    assert out.startswith("big.txt:1:1: CBL005 [error] file is ")
    assert "over the 1,048,576-byte limit" in out


def test_walk_does_not_follow_a_directory_link(work: Path, capsys) -> None:
    outside = work.parent / f"{work.name}-outside"
    outside.mkdir()
    (outside / "elsewhere.txt").write_bytes(b"\x00" * 100)  # CBL003 if it were checked
    (work / "sub").mkdir()
    (work / "sub" / "root").symlink_to("/")
    (work / "sub" / "out").symlink_to(outside)
    status, out, err = check(capsys, ".")
    assert (status, out) == (0, "")
    assert "elsewhere" not in err
    status, out, _ = check(capsys, "sub/out")  # a link named on the command line is followed
    assert status == 1
    assert out.startswith("sub/out/elsewhere.txt:1:1: CBL003")


def test_read_file_gives_the_whole_file_and_its_size(tmp_path: Path) -> None:
    from cablelint.app.reading import read_file

    path = tmp_path / "c.txt"
    path.write_bytes(GOOD)
    got = read_file(str(path), DEFAULT_MAX_FILE_SIZE)
    assert (got.data, got.size, got.too_large) == (GOOD, len(GOOD), False)


def test_read_file_reads_nothing_of_a_file_over_the_limit(tmp_path: Path) -> None:
    from cablelint.app.reading import read_file

    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    got = read_file(str(path), 100)
    assert (got.data, got.size, got.too_large) == (b"", 101, True)


@pytest.mark.parametrize("most", [1, 70_000, 150_000, 150_001, 400_000])
def test_a_file_longer_than_it_claimed_is_read_on_up_to_the_limit(most: int) -> None:
    """A file that grew after its size was taken (a pipe here, which also gives short reads)
    is read on, in several reads, up to ``most`` bytes or its end."""
    import threading

    from cablelint.app.reading import _read_at_most

    payload = bytes(range(256)) * 586  # 150 016 bytes
    read_end, write_end = os.pipe()

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), os.fdopen(write_end, "wb") as out:
            for i in range(0, len(payload), 10_000):  # the reader may stop before the end
                out.write(payload[i : i + 10_000])
                out.flush()

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        got = _read_at_most(read_end, most, 0)
    finally:
        os.close(read_end)
        writer.join()
    assert got == payload[:most]
