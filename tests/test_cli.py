"""The command line, in process through ``main([...])``: output lines, exit codes, --fix bytes.

Assertions about findings use ``--select`` with the tool codes (CBL0xx, CBL900) and CBL897, a
fixable test rule defined in ``tests/fixtures/cli/rules`` whose check is registered here, so
that these tests do not move when the rule catalogue grows.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cablelint import __version__
from cablelint.app import cli, commands
from cablelint.app.cli import main
from cablelint.ruleset import registry
from cablelint.ruleset.registry import CheckContext

from .cli import run_main as run

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
RULES = FIXTURES / "rules"
CLEAN = (FIXTURES / "clean.txt").read_bytes()
DAMAGED = (FIXTURES / "damaged.txt").read_bytes()
CP1252 = (FIXTURES / "cp1252.txt").read_bytes()
SELECT = ["--select", "CBL0,CBL897,CBL900"]
DAMAGED_FINDINGS = [
    'damaged.txt:14:7: CBL897 [error] tag "PREL" written as a Markdown link [*]',
    'damaged.txt:14:17: CBL897 [error] tag "PGOV" written as a Markdown link [*]',
    "damaged.txt:16:1: CBL900 [warning] ref did not parse: unexpected 'REF:'",
]
DAMAGED_FIXED = DAMAGED.replace(b"[PREL](#) [PGOV](#)", b"PREL PGOV")


def tag_link(ctx: CheckContext) -> Iterator:
    """The check of the test rule CBL897: ``[PREL](#)`` -> ``PREL`` (safe fix). It reads the
    links as conversion residue, in the file (the cable is read without them)."""
    for node in ctx.cable.residue.of_kind("link"):
        start, end = node.span.start, node.span.end
        code = ctx.text[start + 1 : ctx.text.index("](", start)]
        fix = ctx.replace(start, end, code, f'write "{code}"')
        yield ctx.finding(start, end, f'tag "{code}" written as a Markdown link', fix)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the fixture cables and a config that adds the test rule."""
    monkeypatch.setitem(registry.CHECKS, "CBL897", tag_link)
    monkeypatch.setattr(registry, "RESIDUE_CHECKS", {*registry.RESIDUE_CHECKS, "CBL897"})
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(RULES, tmp_path / "rules")  # a rule pack lies in the project's tree
    (tmp_path / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    (tmp_path / "clean.txt").write_bytes(CLEAN)
    (tmp_path / "damaged.txt").write_bytes(DAMAGED)
    return tmp_path


def lines(text: str) -> list[str]:
    return text.splitlines()


# --- basics -------------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"cablelint {__version__}\n", "")


def test_clean_file_passes(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", *SELECT, "clean.txt") == (0, "", "All checks passed!\n")


def test_findings_exact_lines_and_exit_1(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "damaged.txt", "clean.txt")
    assert status == 1
    assert lines(out) == DAMAGED_FINDINGS
    assert lines(err) == [
        "Found 3 problems (2 errors, 1 warning).",
        "[*] 2 fixable with the --fix option.",
        "For a rule's details: cablelint explain CBL897",
    ]


def test_default_path_is_the_current_directory(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "check", *SELECT)
    assert status == 1
    assert lines(out) == DAMAGED_FINDINGS


def test_check_is_the_default_command(work: Path, capsys) -> None:
    status, out, _ = run(capsys, *SELECT, "damaged.txt")
    assert (status, lines(out)) == (1, DAMAGED_FINDINGS)


def test_fail_on_and_exit_zero(work: Path, capsys) -> None:
    # Only a warning is left: it fails at the default level (info), not at --fail-on error.
    assert run(capsys, "check", "--select", "CBL900", "-q", "damaged.txt")[0] == 1
    assert run(capsys, "check", "--select", "CBL900", "--fail-on", "error", "damaged.txt")[0] == 0
    assert run(capsys, "check", *SELECT, "--exit-zero", "damaged.txt")[0] == 0


def test_fail_on_from_config(work: Path, capsys) -> None:
    (work / ".cablelint.yaml").write_text("fail-on: error\n", encoding="utf-8")
    assert run(capsys, "check", "--select", "CBL900", "damaged.txt")[0] == 0
    assert run(capsys, "check", "--select", "CBL900", "--fail-on", "warning", "damaged.txt")[0] == 1


def test_select_ignore_repeatable_and_comma_separated(work: Path, capsys) -> None:
    status, out, _ = run(
        capsys, "check", "--select", "CBL897", "--select", "field-syntax,CBL0",
        "--ignore", "CBL897", "damaged.txt",
    )  # fmt: skip
    assert (status, lines(out)) == (1, DAMAGED_FINDINGS[2:])


def test_quiet_has_no_summary(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "--quiet", "damaged.txt")
    assert (status, err) == (1, "")
    assert lines(out) == DAMAGED_FINDINGS


def test_show_source(work: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", "--select", "CBL900", "--show-source", "damaged.txt")
    assert lines(out) == [DAMAGED_FINDINGS[2], "REF:", "^~~~"]


# --- fixing ------------------------------------------------------------------------------------


def test_fix_writes_expected_bytes_and_is_stable(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "--fix", "damaged.txt", "clean.txt")
    assert status == 1  # the CBL900 warning remains
    assert lines(out) == DAMAGED_FINDINGS[2:]
    assert lines(err) == [
        "Found 3 problems (2 fixed, 1 remaining).",
        "For a rule's details: cablelint explain CBL900",
    ]
    target = work / "damaged.txt"
    assert target.read_bytes() == DAMAGED_FIXED
    assert (work / "clean.txt").read_bytes() == CLEAN
    before = target.stat().st_mtime_ns
    status, out, err = run(capsys, "check", *SELECT, "--fix", "damaged.txt")
    assert (status, lines(out)) == (1, DAMAGED_FINDINGS[2:])
    assert lines(err) == [
        "Found 1 problem (1 warning).",
        "For a rule's details: cablelint explain CBL900",
    ]
    assert target.read_bytes() == DAMAGED_FIXED
    assert target.stat().st_mtime_ns == before


def test_fix_clean_run_exits_0(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", "--select", "CBL897", "--fix", "damaged.txt")
    assert (status, out, err) == (0, "", "Found 2 problems (2 fixed, 0 remaining).\n")


def test_fix_keeps_crlf(work: Path, capsys) -> None:
    crlf = work / "crlf.txt"
    crlf.write_bytes(DAMAGED.replace(b"\n", b"\r\n"))
    assert run(capsys, "check", "--select", "CBL897", "--fix", "-q", "crlf.txt")[0] == 0
    assert crlf.read_bytes() == DAMAGED_FIXED.replace(b"\n", b"\r\n")


def test_fix_never_rewrites_a_cp1252_fallback(work: Path, capsys) -> None:
    """CP1252 is only a guess for bytes that are not UTF-8: --fix and --diff leave the file."""
    path = work / "cp1252.txt"
    path.write_bytes(CP1252)
    status, out, err = run(capsys, "check", "--select", "CBL001,CBL897", "--fix", "cp1252.txt")
    assert path.read_bytes() == CP1252
    assert status == 1
    assert "cablelint: warning: cp1252.txt: not valid UTF-8 (read as CP1252); not fixed" in err
    assert lines(out) == [
        'cp1252.txt:4:7: CBL897 [error] tag "PREL" written as a Markdown link [*]',
        "cp1252.txt:5:21: CBL001 [error] not valid UTF-8: byte 0xC9; the file is decoded as "
        "CP1252, which reads it as 'É' [~]",
    ]
    status, out, err = run(capsys, "check", "--select", "CBL897", "--diff", "cp1252.txt")
    assert (status, out) == (0, "")
    assert "cp1252.txt: not valid UTF-8 (read as CP1252); not fixed" in err


def test_fix_keeps_utf8_bom(work: Path, capsys) -> None:
    path = work / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + DAMAGED)
    run(capsys, "check", "--select", "CBL897", "--fix", "bom.txt")
    assert path.read_bytes() == b"\xef\xbb\xbf" + DAMAGED_FIXED


def test_fix_refuses_lossy_file(work: Path, capsys) -> None:
    lossy = DAMAGED.replace(b"JO\n", b"JO \x81\x8d\n", 1)  # neither UTF-8 nor CP1252
    path = work / "lossy.txt"
    path.write_bytes(lossy)
    status, out, err = run(capsys, "check", "--select", "CBL001,CBL897", "--fix", "lossy.txt")
    assert path.read_bytes() == lossy
    assert status == 1
    assert "cablelint: warning: lossy.txt: not fixed: undecodable bytes were replaced\n" in err
    assert [line.split()[1] for line in lines(out)] == ["CBL897", "CBL897", "CBL001"]


def test_diff_writes_nothing(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "--diff", "damaged.txt", "clean.txt")
    assert status == 1
    assert out == (
        "--- damaged.txt\n"
        "+++ damaged.txt\n"
        "@@ -11,7 +11,7 @@\n"
        " SIPDIS\n"
        " \n"
        " E.O. 12958: DECL: 11/08/2019\n"
        "-TAGS: [PREL](#) [PGOV](#) JO\n"
        "+TAGS: PREL PGOV JO\n"
        " SUBJECT: JORDAN: MINISTER ON WATER TALKS\n"
        " REF:\n"
        " \n"
    )
    assert err == "Would fix 2 findings in 1 file.\n"
    assert (work / "damaged.txt").read_bytes() == DAMAGED
    assert run(capsys, "check", *SELECT, "--diff", "clean.txt") == (
        0, "", "No fixes available.\n",
    )  # fmt: skip


def test_diff_marks_missing_final_newline(work: Path, capsys) -> None:
    (work / "tail.txt").write_bytes(b"E.O. 12958: N/A\nTAGS: [PREL](#)")
    _, out, _ = run(capsys, "check", "--select", "CBL897", "--diff", "tail.txt")
    assert out.endswith("-TAGS: [PREL](#)\n\\ No newline at end of file\n"
                        "+TAGS: PREL\n\\ No newline at end of file\n")  # fmt: skip


# --- standard input ------------------------------------------------------------------------------


def feed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_with_display_name(work: Path, capsys, monkeypatch) -> None:
    feed(monkeypatch, DAMAGED)
    status, out, _ = run(capsys, "check", *SELECT, "--stdin-filename", "in/cable.txt", "-")
    assert status == 1
    assert lines(out) == [line.replace("damaged.txt", "in/cable.txt") for line in DAMAGED_FINDINGS]


def test_stdin_per_file_ignores_follow_the_stdin_filename(work: Path, capsys, monkeypatch) -> None:
    (work / ".cablelint.yaml").write_text(
        "rule-paths: [rules]\nper-file-ignores:\n  'legacy/*.txt': [CBL897]\n",
        encoding="utf-8",
    )
    feed(monkeypatch, DAMAGED)
    _, out, _ = run(capsys, "check", *SELECT, "--stdin-filename", "legacy/a.txt", "-")
    assert lines(out) == [DAMAGED_FINDINGS[2].replace("damaged.txt", "legacy/a.txt")]


def test_stdin_fix_prints_the_fixed_text(work: Path, capsys, monkeypatch) -> None:
    feed(monkeypatch, DAMAGED)
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    status = main(["check", *SELECT, "--fix", "-q", "-"])
    stdout.flush()
    assert stdout.buffer.getvalue() == DAMAGED_FIXED
    _, err = capsys.readouterr()
    assert status == 1
    assert lines(err) == [DAMAGED_FINDINGS[2].replace("damaged.txt", "-")]


# --- output ------------------------------------------------------------------------------------


def test_output_file(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "--output-file", "report.txt", "damaged.txt")
    assert (status, out) == (1, "")
    assert lines((work / "report.txt").read_text(encoding="utf-8")) == DAMAGED_FINDINGS
    assert err.startswith("Found 3 problems (2 errors, 1 warning).")


def test_output_file_unwritable(work: Path, capsys) -> None:
    status, _, err = run(
        capsys, "check", *SELECT, "-o", str(work / "no" / "dir" / "r.txt"), "damaged.txt"
    )
    assert status == 2
    assert err.startswith("cablelint: error: cannot write ")


def test_statistics(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "check", *SELECT, "--statistics", "damaged.txt", "clean.txt")
    assert status == 1
    assert out == "2  CBL897  [*]  cli-test-tag-link  2 fixable\n1  CBL900  [ ]  field-syntax\n"


def test_statistics_json(work: Path, capsys) -> None:
    _, out, _ = run(
        capsys, "check", *SELECT, "--statistics", "--output-format", "json", "damaged.txt"
    )
    assert json.loads(out) == [
        {
            "code": "CBL897",
            "name": "cli-test-tag-link",
            "count": 2,
            "fixable": True,
            "fixes": 2,
            "hidden_fixes": 0,
        },
        {
            "code": "CBL900",
            "name": "field-syntax",
            "count": 1,
            "fixable": False,
            "fixes": 0,
            "hidden_fixes": 0,
        },
    ]


def test_json_fields(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "--output-format", "json", "damaged.txt")
    assert (status, err) == (1, "")  # no summary for machine-readable formats
    records = json.loads(out)
    assert [r["code"] for r in records] == ["CBL897", "CBL897", "CBL900"]
    assert records[0] == {
        "path": "damaged.txt",
        "line": 14,
        "column": 7,
        "end_line": 14,
        "end_column": 16,
        "code": "CBL897",
        "name": "cli-test-tag-link",
        "severity": "error",
        "message": 'tag "PREL" written as a Markdown link',
        "fix": {
            "applicability": "safe",
            "message": 'write "PREL"',
            "edits": [
                {
                    "start": {"line": 14, "column": 7},
                    "end": {"line": 14, "column": 16},
                    "content": "PREL",
                },
            ],
        },
    }


def test_json_lines(work: Path, capsys) -> None:
    _, out, _ = run(capsys, "check", *SELECT, "--output-format", "json-lines", "damaged.txt")
    assert [json.loads(line)["line"] for line in lines(out)] == [14, 14, 16]


def test_github_actions_picks_the_github_format(work: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status, out, err = run(capsys, "check", "--select", "CBL900", "damaged.txt")
    assert status == 1
    assert out.startswith("::")
    assert "file=damaged.txt,line=16,col=1" in out
    assert err == ""
    # An explicit format wins.
    _, out, _ = run(capsys, "check", "--select", "CBL900", "--output-format", "text", "damaged.txt")
    assert lines(out) == DAMAGED_FINDINGS[2:]


@pytest.mark.parametrize("fmt", ["sarif", "junit", "gitlab"])
def test_other_formats_render(work: Path, capsys, fmt: str) -> None:
    status, out, err = run(capsys, "check", *SELECT, "--output-format", fmt, "damaged.txt")
    assert (status, err) == (1, "")
    assert "CBL900" in out


# --- errors ---------------------------------------------------------------------------------------


def test_missing_path_exits_2_and_checks_the_rest(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", *SELECT, "missing.txt", "damaged.txt")
    assert status == 2
    assert lines(out) == DAMAGED_FINDINGS
    assert lines(err)[0] == "cablelint: error: missing.txt: No such file or directory"


def test_bad_config(work: Path, capsys) -> None:
    shutil.copy(FIXTURES / "bad-config.yaml", work / ".cablelint.yaml")
    status, out, err = run(capsys, "check", "damaged.txt")
    assert (status, out) == (2, "")
    assert err == (
        "cablelint: error: "
        f"{work / '.cablelint.yaml'}:2: selectt: unknown key (did you mean 'select'?)\n"
    )


def test_bad_config_option(work: Path, capsys) -> None:
    config = work / "cfg.yaml"
    config.write_text("rules:\n  CBL900:\n    severity: fatal\n", encoding="utf-8")
    status, _, err = run(capsys, "check", "--config", str(config), "damaged.txt")
    assert status == 2
    assert err.startswith(f"cablelint: error: {config}:3: rules.CBL900.severity: ")
    assert err.count("\n") == 1


def test_missing_config_file(work: Path, capsys) -> None:
    status, _, err = run(capsys, "check", "--config", "nope.yaml", "damaged.txt")
    assert (status, err) == (2, "cablelint: error: nope.yaml: config file not found\n")


def test_unknown_select(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", "--select", "field-syntaxx", "damaged.txt")
    assert (status, out) == (2, "")
    assert err == (
        "cablelint: error: --select: unknown rule or selector 'field-syntaxx' "
        "(did you mean 'field-syntax'?)\n"
    )


def test_usage_error(work: Path, capsys) -> None:
    status, out, err = run(capsys, "check", "--fail-on", "fatal", "damaged.txt")
    assert (status, out) == (2, "")
    assert err.startswith("cablelint: error: argument --fail-on: invalid choice: 'fatal'")
    assert err.count("\n") == 1


def test_no_files_found(work: Path, capsys) -> None:
    (work / "empty").mkdir()
    assert run(capsys, "check", "empty") == (0, "", "cablelint: warning: no cable files found\n")


def test_internal_error_is_one_line(work: Path, capsys, monkeypatch) -> None:
    def boom(self, display):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(commands.Checker, "check_path", boom)
    status, _, err = run(capsys, "check", "damaged.txt")
    assert (status, err) == (2, "cablelint: internal error: RuntimeError: boom second line\n")


def test_keyboard_interrupt(work: Path, capsys, monkeypatch) -> None:
    def interrupted(self, display):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands.Checker, "check_path", interrupted)
    assert run(capsys, "check", "damaged.txt") == (130, "", "cablelint: interrupted\n")


def test_unreadable_file(work: Path, capsys, monkeypatch) -> None:
    real_open = os.open

    def deny(file, *args, **kwargs):  # as root, a chmod would not stop the read
        if Path(file).name == "damaged.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    status, out, err = run(capsys, "check", *SELECT, "damaged.txt", "clean.txt")
    assert status == 2
    assert out == "damaged.txt: error: Permission denied\n"
    assert "cablelint: error: damaged.txt: Permission denied\n" in err


# --- odd files ---------------------------------------------------------------------------------


def test_binary_empty_non_utf8_and_huge_files(work: Path, capsys) -> None:
    (work / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 64)
    (work / "empty.txt").write_bytes(b"")
    (work / "blank.txt").write_bytes(b"\n\n  \n")
    (work / "cp1252.txt").write_bytes(CP1252)
    (work / "huge.txt").write_bytes(CLEAN * 50)
    status, out, err = run(
        capsys, "check", "--select", "CBL0", "--max-file-size", "10k",
        "binary.txt", "empty.txt", "blank.txt", "cp1252.txt", "huge.txt",
    )  # fmt: skip
    assert status == 1
    assert lines(out) == [
        "binary.txt:1:1: CBL003 [error] file is binary; not checked",
        "blank.txt:1:1: CBL004 [error] file is empty",
        "cp1252.txt:5:21: CBL001 [error] not valid UTF-8: byte 0xC9; the file is decoded as "
        "CP1252, "
        "which reads it as 'É' [~]",
        "empty.txt:1:1: CBL004 [error] file is empty",
        f"huge.txt:1:1: CBL005 [error] file is {len(CLEAN) * 50:,} bytes, over the 10,240-byte "
        "limit (--max-file-size); not checked",
    ]
    assert lines(err) == [
        "Found 5 problems (5 errors).",
        "[~] 1 hidden fix can be enabled with the --unsafe-fixes option.",
        "For a rule's details: cablelint explain CBL004",
    ]


def test_binary_file_with_fix_is_left_alone(work: Path, capsys) -> None:
    data = b"\x00\x01\x02\x03" * 64
    (work / "binary.txt").write_bytes(data)
    status, _, err = run(capsys, "check", "--select", "CBL0", "--fix", "binary.txt")
    assert status == 1
    assert "cablelint: warning: binary.txt: not fixed: the file is binary\n" in err
    assert (work / "binary.txt").read_bytes() == data


def test_huge_stdin(work: Path, capsys, monkeypatch) -> None:
    feed(monkeypatch, CLEAN * 50)
    status, out, _ = run(capsys, "check", "--select", "CBL005", "--max-file-size", "1000", "-")
    assert status == 1
    assert out.startswith("-:1:1: CBL005 [error] the input is over the 1,000-byte limit")


def test_bad_max_file_size(work: Path, capsys) -> None:
    status, _, err = run(capsys, "check", "--max-file-size", "lots", "clean.txt")
    assert status == 2
    assert "invalid size 'lots'" in err


# --- rules and explain ---------------------------------------------------------------------------


def test_rules_text(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "rules")
    assert status == 0
    rows = lines(out)
    assert rows[0].split() == ["code", "name", "severity", "fix", "on", "summary"]
    codes = [row.split()[0] for row in rows[1:]]
    assert codes == sorted(codes)
    assert {"CBL000", "CBL005", "CBL900", "CBL897"} <= set(codes)  # CBL897 from rule-paths
    row = next(r for r in rows if r.startswith("CBL900"))
    assert row.split()[1:5] == ["field-syntax", "warning", "none", "yes"]


def test_rules_json(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "rules", "--format", "json")
    records = {r["code"]: r for r in json.loads(out)}
    assert status == 0
    assert records["CBL005"] == {
        "code": "CBL005",
        "name": "file-too-large",
        "aliases": [],
        "family": "tool",
        "severity": "error",
        "fix": "none",
        "enabled": True,
        "summary": "The file is larger than the configured limit and was not checked.",
        "options": {},
    }


def test_explain_sections_in_order(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "explain", "cli-test-tag-link")
    assert status == 0
    headings = [line for line in lines(out) if line.startswith("#")]
    assert headings == [
        "# CBL897: cli-test-tag-link",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Fix",
    ]
    assert "```text\nTAGS: [PREL](#) JO\n```" in out
    assert "```text\nTAGS: PREL JO\n```" in out
    assert "Severity: error\nEnabled by default: yes\nFix: safe\n" in out


def test_explain_by_code_any_case(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "explain", "cbl900")
    assert status == 0
    assert out.startswith("# CBL900: field-syntax\n")


def test_explain_options(work: Path, capsys, tmp_path: Path) -> None:
    rules = tmp_path / "more"
    rules.mkdir()
    text = (RULES / "CBL897.yaml").read_text(encoding="utf-8")
    text = text.replace("CBL897", "CBL896").replace("cli-test-tag-link", "cli-test-option")
    text += "options:\n  max-tags:\n    type: int\n    default: 8\n    doc: The most tags.\n"
    (rules / "CBL896.yaml").write_text(text, encoding="utf-8")
    (tmp_path / ".cablelint.yaml").write_text(f"rule-paths: ['{rules}']\n", encoding="utf-8")
    _, out, _ = run(capsys, "explain", "CBL896")
    assert "## Options\n- `max-tags` (int, default: 8): The most tags.\n\n## Fix" in out


def test_explain_unknown(work: Path, capsys) -> None:
    status, out, err = run(capsys, "explain", "feild-syntax")
    assert (status, out) == (2, "")
    assert err == (
        "cablelint: error: unknown rule 'feild-syntax' (did you mean 'field-syntax'?); "
        "see 'cablelint rules'\n"
    )


# --- start-up ---------------------------------------------------------------------------------


def test_version_does_not_import_lark_or_yaml() -> None:
    code = (
        "import sys; from cablelint.app.cli import main; main(['--version']); "
        "print(sorted(m for m in ('lark', 'yaml', 'cablelint.report', 'cablelint.engine.lint') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env()
    ).stdout
    assert out == f"cablelint {__version__}\n[]\n"


def test_a_check_imports_only_what_it_needs(tmp_path: Path) -> None:
    """What only some runs need (a baseline, --diff, a rule file's mistake, the result cache's
    fingerprint, building the grammar tables, parsing a changed configuration) is imported by
    those runs alone. (json is not among them: the per-user cache is JSON.)"""
    (tmp_path / ".cablelint.yaml").write_text("ignore: [CBL306]\n", encoding="utf-8")
    (tmp_path / "damaged.txt").write_bytes(DAMAGED)
    code = (
        "import sys; from cablelint.app.cli import main; "
        "main(['check', '--no-cache', '-q', '--exit-zero', 'damaged.txt']); "
        "print(sorted(m for m in ('difflib', 'hashlib', 'lark', 'yaml', "
        "'multiprocessing') if m in sys.modules))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), cwd=tmp_path
        )
        for _ in range(2)  # the first fills the user cache (the configuration, maybe tables)
    ]
    assert "CBL306" not in runs[1].stdout  # the cached configuration is the one in force
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
    assert runs[1].stdout.splitlines()[-1] == "[]", runs[1].stderr


def _env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(cli.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    env.pop("GITHUB_ACTIONS", None)
    return env


def test_python_dash_m_subprocess(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "cablelint", "--version"],
        capture_output=True, text=True, env=_env(), check=False,
    )  # fmt: skip
    assert (version.returncode, version.stdout) == (0, f"cablelint {__version__}\n")
    checked = subprocess.run(
        [sys.executable, "-m", "cablelint", "check", "--select", "CBL900", "damaged.txt"],
        capture_output=True, text=True, env=_env(), check=False, cwd=FIXTURES,
    )  # fmt: skip
    assert checked.returncode == 1
    assert checked.stdout == DAMAGED_FINDINGS[2] + "\n"
    assert lines(checked.stderr) == [
        "Found 1 problem (1 warning).",
        "For a rule's details: cablelint explain CBL900",
    ]
