"""``cablelint parse``: the JSON record of a cable (exact values) and the stage-1 tree."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from .cli import run_main as run

FIXTURES = Path(__file__).parent / "fixtures" / "cli"

CLEAN_RECORD = {
    "path": "clean.txt",
    "encoding": "utf-8",
    "bom": False,
    "newline": "LF",
    "reference_id": "09AMMAN2211",
    "classification": "CONFIDENTIAL",
    "caveats": [],
    "dtg": "2009-11-08T14:05:00Z",
    "origin": "AMEMBASSY AMMAN",
    "tags": ["PREL", "PGOV", "KPAL", "JO"],
    "subject": "JORDAN: FOREIGN MINISTER URGES EARLY RETURN TO TALKS",
    "paragraphs": [
        {"number": 1, "marking": "C", "line": 22},
        {"number": 2, "marking": "C", "line": 24},
        {"number": 3, "marking": "U", "line": 26},
    ],
    "signature": "BEECROFT",
    "problems": [],
    "de": {
        "routing_indicator": "RUEHAM",
        "serial": "2211",
        "section": "01",
        "julian_day": 312,
        "time": "1405",
    },
    "eo": {"number": "12958", "decl": "11/08/2019", "decl_date": "2019-11-08"},
    "ref": [{"letter": None, "text": "STATE 113872"}],
    "classified_by": {
        "person": "Ambassador R. Stephen Beecroft",
        "reason_section": "1.4",
        "reason_letters": ["b", "d"],
    },
    "section_lines": [],
    "subheadings": [],
    "banner": {
        "line": 10,
        "word": "C O N F I D E N T I A L",
        "section": None,
        "section_total": None,
        "station": "AMMAN",
        "serial": "002211",
    },
    "markers": [
        {"kind": "summary-begin", "line": 22, "column": 9},
        {"kind": "summary-end", "line": 22, "column": 142},
        {"kind": "comment-begin", "line": 26, "column": 9},
    ],
    "redactions": [],
}


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("clean.txt", "damaged.txt", "cp1252.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_parse_json_exact(work: Path, capsys) -> None:
    status, out, err = run(capsys, "parse", "clean.txt")
    assert (status, err) == (0, "")
    assert out.count("\n") == 1  # JSON Lines
    assert records(out) == [CLEAN_RECORD]


def test_parse_json_problems(work: Path, capsys) -> None:
    _, out, _ = run(capsys, "parse", "--format", "json", "damaged.txt")
    (record,) = records(out)
    assert record["reference_id"] == "09AMMAN2212"
    assert record["tags"] == ["PREL", "PGOV", "JO"]
    assert record["ref"] == []
    assert record["problems"] == [
        {
            "line": 16,
            "column": 1,
            "end_line": 16,
            "end_column": 5,
            "kind": "field",
            "message": "ref did not parse: unexpected 'REF:'",
        }
    ]


def test_parse_cp1252(work: Path, capsys) -> None:
    _, out, _ = run(capsys, "parse", "cp1252.txt")
    (record,) = records(out)
    assert record["encoding"] == "cp1252"
    assert record["subject"] == "JORDAN: CAFÉ TALKS"
    assert record["paragraphs"] == [{"number": 1, "marking": "C", "line": 7}]


def test_parse_directory_and_unreadable_path(work: Path, capsys) -> None:
    status, out, err = run(capsys, "parse", "missing.txt", ".")
    assert status == 2
    assert err == "cablelint: error: missing.txt: No such file or directory\n"
    assert [r["path"] for r in records(out)] == ["clean.txt", "cp1252.txt", "damaged.txt"]


def test_parse_tree(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "parse", "--format", "tree", "damaged.txt")
    assert status == 0
    rows = out.splitlines()
    assert rows[:3] == ["start", "  header", "    transmission_id\tVZCZCXRO4471"]
    assert "  tags\tTAGS: [PREL](#) [PGOV](#) JO" in rows
    assert "  signature\tBEECROFT" in rows


def test_parse_tree_several_files_are_labelled(work: Path, capsys) -> None:
    _, out, _ = run(capsys, "parse", "--format", "tree", "clean.txt", "damaged.txt")
    assert [r for r in out.splitlines() if r.startswith("# ")] == ["# clean.txt", "# damaged.txt"]


def test_parse_stdin(work: Path, capsys, monkeypatch) -> None:
    data = (FIXTURES / "clean.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    _, out, _ = run(capsys, "parse", "-")
    assert records(out) == [{**CLEAN_RECORD, "path": "-"}]


def test_parse_binary_and_empty(work: Path, capsys) -> None:
    (work / "bin.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (work / "empty.txt").write_bytes(b"")
    status, out, _ = run(capsys, "parse", "bin.txt", "empty.txt")
    assert status == 0
    binary, empty = records(out)
    assert binary["problems"][0]["kind"] == "binary-file"
    assert binary["reference_id"] is None
    assert empty["problems"] == []
    assert empty["classification"] is None


def test_parse_json_lists_subheadings(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).parent / "fixtures" / "parse" / "subheadings.txt"
    status, out, _ = run(capsys, "parse", str(path))
    assert status == 0
    assert json.loads(out)["subheadings"] == [
        {"line": 10, "title": "BOXED TITLE"},
        {"line": 15, "title": "PLAIN TITLE"},
    ]


def test_parse_json_lists_markers_and_redactions(capsys: pytest.CaptureFixture[str]) -> None:
    path = Path(__file__).parent / "fixtures" / "parse" / "markers.txt"
    status, out, _ = run(capsys, "parse", "--format", "json", str(path))
    assert status == 0
    record = json.loads(out)
    assert record["markers"][:3] == [
        {"kind": "summary-begin", "line": 7, "column": 11},
        {"kind": "summary-end", "line": 7, "column": 61},
        {"kind": "summary-begin", "line": 10, "column": 11},
    ]
    assert [m["kind"] for m in record["markers"]][-4:] == [
        "quote",
        "unquote",
        "comment-begin",
        "unquote",
    ]
    assert record["redactions"] == [
        {"text": "XXXXXXXXXXXX", "canonical": True, "line": 7, "column": 37},
        {"text": "xxxxx", "canonical": False, "line": 7, "column": 54},
        {"text": "XXXXXXXXXXXXX", "canonical": False, "line": 18, "column": 1},
    ]
