"""Files that are not UTF-8, through ``main([...])``: CBL001 points at the first byte that is
not UTF-8 and offers an unsafe conversion to UTF-8; a UTF-16 file with a BOM is decoded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .cli import run_check

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "cli_output" / "rules"  # CBL896: TALKS in the subject, a safe fix
DAMAGED = (FIXTURES / "cli" / "damaged.txt").read_text(encoding="utf-8")
#: The cable in CP1252: '¶' is 0xB6, and 'WATER' is written 'WÀTER' (0xC0) on line 15.
CP1252_TEXT = DAMAGED.replace("ON WATER", "ON WÀTER")
CP1252 = CP1252_TEXT.encode("cp1252")
CBL001_CP1252 = (
    "cable.txt:15:31: CBL001 [error] not valid UTF-8: byte 0xC0; the file is decoded as CP1252, "
    "which reads it as 'À' [~]"
)
TALKS = 'cable.txt:15:37: CBL896 [warning] write "NEGOTIATIONS", not "TALKS" [*]'


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(RULES, tmp_path / "rules")  # a rule pack lies in the project's tree
    (tmp_path / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    return tmp_path


def test_cp1252_is_reported_at_the_first_byte_that_is_not_utf8(work: Path, capsys) -> None:
    (work / "cable.txt").write_bytes(CP1252)
    status, out, err = run_check(capsys, "--select", "CBL001", "cable.txt")
    assert status == 1
    assert out.splitlines() == [CBL001_CP1252]
    assert err.splitlines()[1] == "[~] 1 hidden fix can be enabled with the --unsafe-fixes option."


def test_cp1252_conversion_is_unsafe(work: Path, capsys) -> None:
    path = work / "cable.txt"
    path.write_bytes(CP1252)
    status, out, _ = run_check(capsys, "--select", "CBL001,CBL896", "--fix", "cable.txt")
    assert status == 1
    assert out.splitlines() == [CBL001_CP1252]  # same place: the fix before it was on line 15
    assert path.read_bytes() == CP1252.replace(b"TALKS", b"NEGOTIATIONS")  # still CP1252

    status, out, err = run_check(
        capsys, "--select", "CBL001", "--fix", "--unsafe-fixes", "cable.txt"
    )
    assert (status, out, err) == (0, "", "Found 1 problem (1 fixed, 0 remaining).\n")
    expected = CP1252_TEXT.replace("TALKS", "NEGOTIATIONS").encode("utf-8")
    assert path.read_bytes() == expected
    assert run_check(capsys, "--select", "CBL001", "cable.txt")[0] == 0


def test_diff_shows_the_conversion(work: Path, capsys) -> None:
    (work / "cable.txt").write_bytes(CP1252)
    status, out, err = run_check(
        capsys, "--select", "CBL001", "--diff", "--unsafe-fixes", "cable.txt"
    )
    assert (status, out) == (1, "--- cable.txt\tcp1252\n+++ cable.txt\tutf-8\n")
    assert err == "Would fix 1 finding in 1 file.\n"
    assert (work / "cable.txt").read_bytes() == CP1252
    status, out, err = run_check(capsys, "--select", "CBL001,CBL896", "--diff", "cable.txt")
    assert out.startswith("--- cable.txt\n+++ cable.txt\n@@ ")  # safe fixes keep CP1252
    assert err.splitlines() == [
        "Would fix 1 finding in 1 file.",
        "[~] 1 hidden fix can be enabled with the --unsafe-fixes option.",
    ]


@pytest.mark.parametrize(
    ("bom", "codec", "order", "newline"),
    [
        (b"\xff\xfe", "utf-16-le", "little-endian", "\n"),
        (b"\xfe\xff", "utf-16-be", "big-endian", "\r\n"),
    ],
)
def test_utf16_with_a_bom_is_decoded_not_binary(
    work: Path, capsys, bom: bytes, codec: str, order: str, newline: str
) -> None:
    path = work / "cable.txt"
    text = DAMAGED.replace("\n", newline)
    path.write_bytes(bom + text.encode(codec))
    status, out, _ = run_check(capsys, "--select", "CBL0,CBL896", "cable.txt")
    assert status == 1
    assert out.splitlines() == [
        f"cable.txt:1:1: CBL001 [error] file is UTF-16 ({order}, with a byte-order mark), "
        "not UTF-8 [~]",
        TALKS.replace(":37:", ":36:"),
    ]
    run_check(capsys, "--select", "CBL0,CBL896", "--fix", "cable.txt")
    fixed = text.replace("TALKS", "NEGOTIATIONS")
    assert path.read_bytes() == bom + fixed.encode(codec)  # safe fixes keep UTF-16 and the BOM
    status, _, err = run_check(
        capsys, "--select", "CBL0,CBL896", "--fix", "--unsafe-fixes", "cable.txt"
    )
    assert (status, err) == (0, "Found 1 problem (1 fixed, 0 remaining).\n")
    assert path.read_bytes() == fixed.encode("utf-8")


def test_utf16_without_a_bom_is_still_binary(work: Path, capsys) -> None:
    (work / "cable.txt").write_bytes(DAMAGED.encode("utf-16-le"))
    _, out, _ = run_check(capsys, "--select", "CBL0", "cable.txt")
    assert out == "cable.txt:1:1: CBL003 [error] file is binary; not checked\n"
