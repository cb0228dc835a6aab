"""Hostile input through the command line: no traceback, exit status 0, 1 or 2, one line per
problem on stderr, and the other files are still checked.

Big and binary inputs are generated in ``tmp_path``; only the small good cable is a fixture.
"""

from __future__ import annotations

import os
import pathlib
import random
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cablelint.app.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "robustness"
GOOD = (FIXTURES / "good.txt").read_bytes()
#: Findings of good.txt that must still be reported next to any hostile file.
GOOD_FINDINGS = ("good.txt:14:7: CBL306", "good.txt:16:1: CBL308")
SUMMARY_PREFIXES = (
    "Found ",
    "[*] ",
    "[~] ",
    "All checks passed!",
    "No fixes available",
    "Would fix ",
    "For a rule's details: ",
)
#: The summary line of files found in a directory that are not cables, and its --verbose list.
SKIPPED = re.compile(
    r"\d+ text files? skipped: not (?:a cable|cables)(?: \(list: --verbose\))?|  not a cable: .+"
)
#: Hostile files that are text without a line of a cable: skipped when found in a directory.
NOT_CABLES = {"random-high.txt"}
BIG = 5_000_000


def _random_bytes(n: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


#: name -> contents of a hostile file (each also checked next to good.txt).
HOSTILE: dict[str, Callable[[], bytes]] = {
    "random.txt": lambda: _random_bytes(4096),
    "random-high.txt": lambda: bytes(b | 0x80 for b in _random_bytes(4096, 3)),
    "png.txt": lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64) + _random_bytes(512),
    "pdf.txt": lambda: (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nstream\n\x00\x01\x02\nendobj\n"
    ),
    "nul-heavy.txt": lambda: b"\x00" * 2048,
    "nul-inside.txt": lambda: GOOD.replace(b"SIPDIS", b"SIP\x00DIS").replace(b"(C)", b"(\x00C)"),
    "lone-cr.txt": lambda: GOOD.replace(b"\n", b"\r"),
    "crlf.txt": lambda: GOOD.replace(b"\n", b"\r\n"),
    "mixed-endings.txt": lambda: GOOD.replace(b"\n", b"\r\n", 5).replace(b"\n\n", b"\r\r", 2),
    "cp1252.txt": lambda: GOOD.replace("¶".encode(), b"\xb6") + b"caf\xe9 \x93quoted\x94\n",
    "undecodable.txt": lambda: GOOD + b"bad \x81\x8d\x90 bytes\n",
    "mojibake.txt": lambda: GOOD.decode().replace("¶", "Â¶").encode() + "â€œxâ€\x9d\n".encode(),
    "bom.txt": lambda: b"\xef\xbb\xbf" + GOOD,
    "empty.txt": lambda: b"",
    "whitespace.txt": lambda: b"  \n\t\n \r\n\x0c\n",
    "controls.txt": lambda: GOOD + bytes(range(1, 32)) + b"\x7f\n",
    "surrogates.txt": lambda: GOOD + b"\xed\xa0\x80 lone surrogate\n",
    "long-line.txt": lambda: GOOD + b"word " * 20_000 + b"\n",
    "many-lines.txt": lambda: b"\n" * 50_000 + GOOD,
    "name with spaces.txt": lambda: GOOD,
    "nön-äscii ¶.txt": lambda: GOOD,
}

#: 5 MB single lines shaped after the patterns that used to backtrack (see the report).
BIG_LINES: dict[str, Callable[[], bytes]] = {
    "letters": lambda: b"A" * BIG,
    "dashes": lambda: b"-" * BIG + b"x",
    "spaced-letters": lambda: b"A " * (BIG // 2),
    "banner-like": lambda: b"C O N F I D E N T I A L " + b"A " * (BIG // 2) + b"+ 12",
    "trailing-spaces": lambda: GOOD + b" " * BIG + b"x\n",
    "lower-case-tail": lambda: GOOD + "¶3. (C) ".encode() + b"a" * BIG + b"\n",
    "word-before-sipdis": lambda: GOOD + "¶3. (C) ".encode() + b"a" * BIG + b"-b SIPDIS\n",
    # A finding per comma: 300 kB is enough to show a per-comma search of the whole line.
    "redacted-commas": lambda: GOOD + '¶3. (C) "'.encode() + b"XXXX , " * 40_000 + b"\n",
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``main(argv)`` in-process; asserts the invariants every run must keep."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert_sane(status, out, err)
    return status, out, err


def assert_sane(status: int, out: str, err: str) -> None:
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in out and "Traceback" not in err
    assert "internal error" not in err
    assert ": CBL000 " not in out and '"code": "CBL000"' not in out  # no rule crashed
    for line in err.splitlines():
        assert line.startswith(("cablelint: ", *SUMMARY_PREFIXES)) or SKIPPED.fullmatch(line), line


def assert_good_reported(out: str) -> None:
    for finding in GOOD_FINDINGS:
        assert finding in out, out


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.txt").write_bytes(GOOD)
    return tmp_path


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("mode", [[], ["--fix"], ["--diff"], ["--output-format", "json"]])
def test_hostile_file_next_to_a_good_one(
    workdir: Path, capsys: pytest.CaptureFixture[str], name: str, mode: list[str]
) -> None:
    (workdir / name).write_bytes(HOSTILE[name]())
    status, out, _ = run(["check", "--no-git", "--select", "ALL", *mode, name, "good.txt"], capsys)
    if mode == ["--fix"]:
        assert (workdir / "good.txt").read_bytes() != GOOD  # the good file was fixed
        return
    assert status in (1, 2)
    if mode == ["--output-format", "json"]:
        assert '"filename": "good.txt"' in out or "good.txt" in out
    elif mode == []:
        assert_good_reported(out)
        assert name in out  # the hostile file has a finding (CBL003, CBL004, ...) of its own


def test_every_hostile_file_in_one_directory(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, make in HOSTILE.items():
        (workdir / name).write_bytes(make())
    status, out, err = run(["check", "--no-git", "--select", "ALL", "-v", "."], capsys)
    assert status == 1
    assert_good_reported(out)
    for name in HOSTILE.keys() - NOT_CABLES:
        assert f"{name}:" in out  # every file got at least one finding, none was lost
    for name in NOT_CABLES:
        assert f"{name}:" not in out
        assert f"  not a cable: {name}" in err.splitlines()  # skipped, and said so


@pytest.mark.parametrize("fmt", ["json", "json-lines", "sarif", "junit", "gitlab", "github"])
def test_machine_formats_stay_parseable(
    workdir: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    import json
    import xml.etree.ElementTree as ET

    for name in ("nul-inside.txt", "controls.txt", "cp1252.txt", "mojibake.txt", "png.txt"):
        (workdir / name).write_bytes(HOSTILE[name]())
    _, out, _ = run(["check", "--no-git", "--show-source", "--output-format", fmt, "."], capsys)
    if fmt == "junit":
        ET.fromstring(out)
    elif fmt == "json-lines":
        assert [json.loads(line) for line in out.splitlines()]
    elif fmt != "github":
        json.loads(out)
    assert "\x00" not in out


@pytest.mark.parametrize("name", sorted(BIG_LINES))
def test_five_megabyte_single_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (workdir / "big.txt").write_bytes(BIG_LINES[name]())
    argv = ["check", "--no-git", "--select", "ALL", "--max-file-size", "6M", "big.txt", "good.txt"]
    status, out, _ = run(argv, capsys)
    assert status == 1
    assert "big.txt:" in out
    assert_good_reported(out)


def test_unreadable_file(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod 000 does not stop root: simulate the permission error at the read."""
    (workdir / "locked.txt").write_bytes(GOOD)
    read_bytes = pathlib.Path.read_bytes
    real_open = open

    def refuse(path: object) -> None:
        if os.path.basename(os.fspath(path)) == "locked.txt":
            raise PermissionError(13, "Permission denied", os.fspath(path))

    def guarded_read_bytes(self: Path) -> bytes:
        refuse(self)
        return read_bytes(self)

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, str | bytes | os.PathLike):
            refuse(file)
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def guarded_os_open(path, *args, **kwargs):
        refuse(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "read_bytes", guarded_read_bytes)
    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    for mode in ([], ["--fix"]):
        status, out, err = run(["check", "--no-git", *mode, "locked.txt", "good.txt"], capsys)
        assert status == 2
        assert "cablelint: error: locked.txt: Permission denied" in err.splitlines()
        if not mode:
            assert_good_reported(out)
    monkeypatch.undo()
    assert (workdir / "locked.txt").read_bytes() == GOOD


def test_paths_that_are_not_files(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "loop").mkdir()
    (workdir / "loop" / "self").symlink_to(workdir / "loop")
    (workdir / "loop" / "a.txt").write_bytes(GOOD)
    (workdir / "dangling.txt").symlink_to(workdir / "nowhere.txt")
    (workdir / "nocables").mkdir()
    (workdir / "nocables" / "notes.md").write_text("not a cable\n")
    argv = ["check", "--no-git", "loop", "dangling.txt", "nocables", "missing.txt", "good.txt"]
    status, out, err = run(argv, capsys)
    assert status == 2
    errors = [line for line in err.splitlines() if line.startswith("cablelint:")]
    assert errors == [
        "cablelint: error: dangling.txt: broken symbolic link",
        "cablelint: error: missing.txt: No such file or directory",
    ]
    assert_good_reported(out)
    assert out.count("loop/a.txt:14:7: CBL306") == 1  # the loop was walked once


def test_directory_without_cables(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "nocables").mkdir()
    status, out, err = run(["check", "--no-git", "nocables"], capsys)
    assert (status, out, err) == (0, "", "cablelint: warning: no cable files found\n")


def test_parse_command_on_hostile_input(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, make in HOSTILE.items():
        (workdir / name).write_bytes(make())
    for fmt in ("json", "tree"):
        status, out, _ = run(["parse", "--no-git", "--format", fmt, *HOSTILE, "good.txt"], capsys)
        assert status == 0
        assert "good.txt" in out


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "CBL004"),
        (b"\x00\x01\x02\xff" * 100, "CBL003"),
        (GOOD.replace(b"\n", b"\r"), "CBL510"),
    ],
    ids=["empty", "binary", "lone-cr"],
)
def test_hostile_standard_input(
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    code: str,
) -> None:
    import io

    for mode in ([], ["--fix"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        status = main(["check", *mode, "-"])
        raw_out, raw_err = capsysbinary.readouterr()
        out, err = raw_out.decode("utf-8", "replace"), raw_err.decode("utf-8", "replace")
        if mode:  # with --fix, stdout is the text and the report goes to stderr
            assert "Traceback" not in err and "internal error" not in err
        else:
            assert_sane(status, out, err)
        assert status == 1
        if mode and code == "CBL510":  # every line ends with a lone CR: a fix keeps them
            assert b"\n" not in raw_out and raw_out.count(b"\r") == data.count(b"\r")
            assert f" {code} " in err  # reported once, with no fix (as a BOM is)
            continue
        assert f" {code} " in (err if mode else out)  # with --fix, stdout is the text
        if mode and data:
            assert raw_out == data  # not fixed: passed through unchanged


def test_subprocess_run_over_hostile_tree(tmp_path: Path) -> None:
    """The installed entry point, with a real interpreter: exit status 1 or 2, no traceback."""
    for name, make in HOSTILE.items():
        (tmp_path / name).write_bytes(make())
    (tmp_path / "good.txt").write_bytes(GOOD)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "self").symlink_to(tmp_path / "loop")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "src"))
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "cablelint", "check", "--no-git", ".", "dangling.txt"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    assert_sane(proc.returncode, out, err)
    assert proc.returncode == 2  # the dangling link given as an argument
    assert "cablelint: error: dangling.txt: broken symbolic link" in err.splitlines()
    assert_good_reported(out)


def test_undecodable_byte_position_is_a_character_position(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CBL001 points at the replaced byte: a character offset (the byte offset was 7 > 5)."""
    (workdir / "bad.txt").write_bytes("¶1. ¶¶ ".encode() + b"\x81\n")
    status, out, _ = run(["check", "--no-git", "--select", "CBL001", "bad.txt"], capsys)
    assert status == 1
    assert out.startswith("bad.txt:1:8: CBL001 [error] neither UTF-8 nor CP1252 (byte 10)")
