"""Baselines: --write-baseline records findings, --baseline reports only the new ones."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .cli import run_check as run

EXAMPLES = Path(__file__).parent.parent / "examples"
TALLINN = (EXAMPLES / "damaged" / "08TALLINN388.txt").read_bytes()
VALLETTA = (EXAMPLES / "clean" / "09VALLETTA412.txt").read_bytes()
LJUBLJANA = (EXAMPLES / "damaged" / "09LJUBLJANA245.txt").read_bytes()
DASH_LINE = b"- 13. (C) Comment:"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cables" / "2008").mkdir(parents=True)
    (tmp_path / "cables" / "2008" / "tallinn.txt").write_bytes(TALLINN)
    (tmp_path / "cables" / "ljubljana.txt").write_bytes(LJUBLJANA)
    (tmp_path / "cables" / "valletta.txt").write_bytes(VALLETTA)
    return tmp_path


def tallinn(work: Path) -> Path:
    return work / "cables" / "2008" / "tallinn.txt"


def test_write_baseline_format(work: Path, capsys) -> None:
    status, out, err = run(capsys, "--write-baseline", "baseline.json", "cables")
    assert (status, out) == (0, "")
    assert err == "Wrote 18 findings to the baseline baseline.json.\n"
    data = json.loads((work / "baseline.json").read_text(encoding="utf-8"))
    assert data["cablelint-baseline"] == 1
    findings = data["findings"]
    assert len(findings) == 18
    assert findings == sorted(
        findings, key=lambda f: (f["path"], f["code"], f["line"], f["occurrence"])
    )
    assert {f["path"] for f in findings} == {"cables/2008/tallinn.txt", "cables/ljubljana.txt"}
    assert {
        "path": "cables/2008/tallinn.txt",
        "code": "CBL306",
        "line": "TAGS: [PREL](#) [MARR](#) [EN](#) [MARR](#)",
        "occurrence": 0,  # the four tags written as links are one finding
    } in findings
    assert set(findings[0]) == {"path", "code", "line", "occurrence"}


def test_write_baseline_is_deterministic(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "one.json", "cables")
    run(capsys, "-j", "2", "--write-baseline", "two.json", "cables/valletta.txt", "cables")
    assert (work / "one.json").read_bytes() == (work / "two.json").read_bytes()
    assert (work / "one.json").read_bytes().endswith(b"}\n")


def test_paths_are_relative_to_the_project_root(work: Path, capsys, monkeypatch) -> None:
    (work / ".cablelint.yaml").write_text("select: [ALL]\n", encoding="utf-8")
    monkeypatch.chdir(work / "cables")
    run(capsys, "--write-baseline", "../b.json", "2008")
    paths = {f["path"] for f in json.loads((work / "b.json").read_text("utf-8"))["findings"]}
    assert paths == {"cables/2008/tallinn.txt"}


def test_baseline_hides_recorded_findings(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    assert run(capsys, "--baseline", "b.json", "cables") == (0, "", "All checks passed!\n")


def test_inserted_lines_neither_resurrect_nor_hide(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    path = tallinn(work)
    # Unrelated lines above every finding: nothing new, nothing stale.
    path.write_bytes(TALLINN.replace(b"REF: STATE 107723\n", b"REF: STATE 107723\n\n\n"))
    assert run(capsys, "--baseline", "b.json", "cables") == (0, "", "All checks passed!\n")
    # A new damaged paragraph above the old ones: only what it brings is new (its own line, and
    # the numbering it breaks), not the baselined findings below it.
    text = path.read_bytes().replace(b"- \xc2\xb61.", DASH_LINE + b" Extra.\n- \xc2\xb61.", 1)
    path.write_bytes(text)
    status, out, err = run(capsys, "--baseline", "b.json", "cables")
    assert status == 1
    assert [line.split(" [")[0] for line in out.splitlines()] == [
        "cables/2008/tallinn.txt:24:1: CBL403",
        "cables/2008/tallinn.txt:24:3: CBL410",
        "cables/2008/tallinn.txt:25:3: CBL401",
    ]
    assert "no longer found" not in err


def test_stale_entries_are_a_note_not_a_failure(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    run(capsys, "--fix", "cables/2008/tallinn.txt")
    status, out, err = run(capsys, "--baseline", "b.json", "cables")
    assert (status, out) == (0, "")
    note = "cablelint: note: 11 baseline entries no longer found (fixed?); refresh with"
    assert err.splitlines()[0].startswith(note)
    assert err.splitlines()[1:] == ["All checks passed!"]
    _, _, err = run(capsys, "--baseline", "b.json", "--verbose", "cables")
    stale = [line for line in err.splitlines() if line.startswith("  stale: ")]
    assert len(stale) == 11
    assert "  stale: cables/2008/tallinn.txt: CBL204 #0: STPDTS" in stale


def test_files_not_checked_have_no_stale_entries(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    assert run(capsys, "--baseline", "b.json", "cables/valletta.txt") == (
        0,
        "",
        "All checks passed!\n",
    )


def test_baseline_with_machine_output(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables/ljubljana.txt")
    status, out, _ = run(capsys, "--baseline", "b.json", "--output-format", "json", "cables")
    assert status == 1
    records = json.loads(out)
    assert {r["path"] for r in records} == {"cables/2008/tallinn.txt"}
    assert len(records) == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read baseline b.json: No such file or directory"),
        (b"{", "invalid baseline b.json: Expecting property name"),
        (b"[]", "invalid baseline b.json: not a cablelint baseline"),
        (b'{"cablelint-baseline": 1}', "invalid baseline b.json: missing key 'findings'"),
        (
            b'{"cablelint-baseline": 1, "findings": [{"path": 1, "code": "C", "line": "", '
            b'"occurrence": 0}]}',
            "invalid baseline b.json: path, code and line must be strings",
        ),
        (b"\xff\xfe", "invalid baseline b.json:"),
    ],
)
def test_missing_or_corrupt_baseline(work: Path, capsys, content: bytes | None, message) -> None:
    if content is not None:
        (work / "b.json").write_bytes(content)
    status, out, err = run(capsys, "--baseline", "b.json", "cables")
    assert (status, out) == (2, "")
    assert err.startswith(f"cablelint: error: {message}")
    assert len(err.splitlines()) == 1


def test_unwritable_baseline(work: Path, capsys) -> None:
    status, _, err = run(capsys, "--write-baseline", "missing/dir/b.json", "cables")
    assert status == 2
    assert err.startswith("cablelint: error: cannot write baseline missing/dir/b.json")
    assert len(err.splitlines()) == 1


def test_write_baseline_over_an_old_one(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    shutil.copy(work / "cables" / "valletta.txt", tallinn(work))
    run(capsys, "--baseline", "b.json", "--write-baseline", "b.json", "cables")
    findings = json.loads((work / "b.json").read_text("utf-8"))["findings"]
    assert {f["path"] for f in findings} == {"cables/ljubljana.txt"}


# --- the root of a baseline's paths (issue 18 item 2) -------------------------------------------


def _repository(work: Path) -> None:
    """Make ``work`` a git repository (without a .cablelint.yaml)."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    subprocess.run([git, "init", "-q", str(work)], check=True)


def test_paths_are_relative_to_the_repository_from_any_directory(
    work: Path, capsys, monkeypatch
) -> None:
    _repository(work)
    assert run(capsys, "--write-baseline", "b.json", "cables")[0] == 0
    monkeypatch.chdir(work / "cables" / "2008")
    assert run(capsys, "--baseline", "../../b.json", ".") == (0, "", "All checks passed!\n")
    assert run(capsys, "--baseline", str(work / "b.json"), "tallinn.txt") == (
        0,
        "",
        "All checks passed!\n",
    )
    # Written from the subdirectory, the baseline is the same file.
    monkeypatch.chdir(work / "cables")
    run(capsys, "--write-baseline", "../again.json", ".")
    assert (work / "again.json").read_bytes() == (work / "b.json").read_bytes()


def test_baseline_in_a_subdirectory_of_the_repository(work: Path, capsys, monkeypatch) -> None:
    _repository(work)
    (work / "ci").mkdir()
    run(capsys, "--write-baseline", "ci/b.json", "cables/2008")
    paths = {f["path"] for f in json.loads((work / "ci" / "b.json").read_text("utf-8"))["findings"]}
    assert paths == {"cables/2008/tallinn.txt"}  # the repository's root, not ci/
    monkeypatch.chdir(work / "ci")
    assert run(capsys, "--baseline", "b.json", "../cables/2008") == (0, "", "All checks passed!\n")


def test_outside_a_repository_paths_are_relative_to_the_baseline(
    work: Path, capsys, monkeypatch
) -> None:
    (work / "ci").mkdir()
    monkeypatch.chdir(work / "cables")
    run(capsys, "--write-baseline", "../ci/b.json", "2008")
    paths = {f["path"] for f in json.loads((work / "ci" / "b.json").read_text("utf-8"))["findings"]}
    assert paths == {"../cables/2008/tallinn.txt"}
    monkeypatch.chdir(work)
    assert run(capsys, "--baseline", "ci/b.json", "cables/2008") == (0, "", "All checks passed!\n")


# --- reasons: accepting one reviewed finding (issue 18 item 5) -----------------------------------


def _findings(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["findings"]


def _give_reason(path: Path, code: str, reason: str) -> dict:
    data = json.loads(path.read_text("utf-8"))
    (entry,) = [f for f in data["findings"] if f["code"] == code]
    entry["reason"] = reason
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return entry


def test_accept_one_reviewed_finding(work: Path, capsys) -> None:
    """The workflow of docs/ci.md: record one file's findings of one rule, give the reason."""
    status, out, err = run(
        capsys, "--write-baseline", "b.json", "--select", "CBL204", "cables/2008/tallinn.txt"
    )
    assert (status, out, err) == (0, "", "Wrote 1 finding to the baseline b.json.\n")
    entry = _give_reason(work / "b.json", "CBL204", "reviewed: STPDTS is in the original")
    assert entry == {
        "path": "cables/2008/tallinn.txt",
        "code": "CBL204",
        "line": "STPDTS",
        "occurrence": 0,
        "reason": "reviewed: STPDTS is in the original",
    }
    status, out, _ = run(capsys, "--baseline", "b.json", "cables/2008/tallinn.txt")
    assert status == 1
    assert " CBL204 " not in out and out  # that finding is accepted, the others are not


def test_write_baseline_keeps_reasons_and_other_entries(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "--select", "CBL204", "cables")
    _give_reason(work / "b.json", "CBL204", "reviewed")
    # Recording everything now keeps the reason of the finding still found.
    status, _, err = run(capsys, "--write-baseline", "b.json", "cables")
    assert (status, err) == (0, "Wrote 18 findings to the baseline b.json.\n")
    findings = _findings(work / "b.json")
    assert [f.get("reason") for f in findings if f["code"] == "CBL204"] == ["reviewed"]
    assert sum("reason" in f for f in findings) == 1
    # A run over one file or one rule leaves the other files' and rules' entries alone.
    status, _, err = run(capsys, "--write-baseline", "b.json", "--select", "CBL306", "cables")
    kept = "(17 kept for files or rules not checked now)"
    assert err == f"Wrote 18 findings to the baseline b.json {kept}.\n"
    assert _findings(work / "b.json") == findings
    run(capsys, "--write-baseline", "b.json", "cables/ljubljana.txt")
    assert _findings(work / "b.json") == findings


def test_reason_goes_with_its_finding(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    _give_reason(work / "b.json", "CBL204", "reviewed")
    tallinn(work).write_bytes(TALLINN.replace(b"STPDTS", b"SIPDIS"))
    run(capsys, "--write-baseline", "b.json", "cables")
    assert not [f for f in _findings(work / "b.json") if f["code"] == "CBL204" or "reason" in f]


def test_entries_of_deleted_files_are_dropped(work: Path, capsys) -> None:
    run(capsys, "--write-baseline", "b.json", "cables")
    (work / "cables" / "ljubljana.txt").unlink()
    run(capsys, "--write-baseline", "b.json", "cables/2008")
    assert {f["path"] for f in _findings(work / "b.json")} == {"cables/2008/tallinn.txt"}


def test_reason_must_be_text(work: Path, capsys) -> None:
    (work / "b.json").write_text(
        '{"cablelint-baseline": 1, "findings": [{"path": "a.txt", "code": "CBL204", '
        '"line": "STPDTS", "occurrence": 0, "reason": 3}]}',
        encoding="utf-8",
    )
    status, out, err = run(capsys, "--baseline", "b.json", "cables")
    assert (status, out) == (2, "")
    assert err == "cablelint: error: invalid baseline b.json: reason must be a string\n"


def test_write_baseline_over_a_corrupt_file_warns(work: Path, capsys) -> None:
    (work / "b.json").write_text("{", encoding="utf-8")
    status, _, err = run(capsys, "--write-baseline", "b.json", "cables")
    assert status == 0
    assert err.splitlines() == [
        "cablelint: warning: invalid baseline b.json: Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1); writing it anew",
        "Wrote 18 findings to the baseline b.json.",
    ]
