"""What people read: fix marks and counts, colour, cut source lines, --help, the explain hint,
JUnit test cases. Through ``main([...])``, with two test rules (tests/fixtures/cli_output/rules):
CBL896 with a safe fix, CBL895 with an unsafe one.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cablelint.app.cli import build_parser

from .cli import run_check, run_main

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "cli_output" / "rules"
DAMAGED = (FIXTURES / "cli" / "damaged.txt").read_bytes()
SELECT = ("--select", "CBL895,CBL896")
SAFE = 'damaged.txt:15:36: CBL896 [warning] write "NEGOTIATIONS", not "TALKS"'
UNSAFE = 'damaged.txt:18:63: CBL895 [warning] write "DECEMBER", not "December"'
HINT = "For a rule's details: cablelint explain CBL895"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copytree(RULES, tmp_path / "rules")  # a rule pack lies in the project's tree
    (tmp_path / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    (tmp_path / "damaged.txt").write_bytes(DAMAGED)
    return tmp_path


# --- item 4: safe and unsafe fixes --------------------------------------------------------------


def test_safe_and_unsafe_fixes_are_marked_apart(work: Path, capsys) -> None:
    status, out, err = run_check(capsys, *SELECT, "damaged.txt")
    assert status == 1
    assert out.splitlines() == [f"{SAFE} [*]", f"{UNSAFE} [~]"]
    assert err.splitlines() == [
        "Found 2 problems (2 warnings).",
        "[*] 1 fixable with the --fix option.",
        "[~] 1 hidden fix can be enabled with the --unsafe-fixes option.",
        HINT,
    ]


def test_with_unsafe_fixes_every_fix_is_marked_as_applied(work: Path, capsys) -> None:
    status, out, err = run_check(capsys, *SELECT, "--unsafe-fixes", "damaged.txt")
    assert status == 1
    assert out.splitlines() == [f"{SAFE} [*]", f"{UNSAFE} [*]"]
    assert err.splitlines() == [
        "Found 2 problems (2 warnings).",
        "[*] 2 fixable with the --fix option.",
        HINT,
    ]


def test_unsafe_fixes_only(work: Path, capsys) -> None:
    _, out, err = run_check(capsys, "--select", "CBL895", "damaged.txt")
    assert out.splitlines() == [f"{UNSAFE} [~]"]
    assert err.splitlines() == [
        "Found 1 problem (1 warning).",
        "[~] 1 hidden fix can be enabled with the --unsafe-fixes option.",
        HINT,
    ]


def test_fix_leaves_the_unsafe_fix_marked_as_hidden(work: Path, capsys) -> None:
    status, out, err = run_check(capsys, *SELECT, "--fix", "damaged.txt")
    assert status == 1
    assert out.splitlines() == [f"{UNSAFE} [~]"]
    assert err.splitlines() == [
        "Found 2 problems (1 fixed, 1 remaining).",
        "[~] 1 hidden fix can be enabled with the --unsafe-fixes option.",
        HINT,
    ]
    fixed = (work / "damaged.txt").read_bytes()
    assert b"WATER NEGOTIATIONS" in fixed and b"in December." in fixed


def test_statistics_count_fixes_and_hidden_fixes_apart(work: Path, capsys) -> None:
    status, out, _ = run_check(capsys, *SELECT, "--statistics", "damaged.txt")
    assert status == 1
    assert out.splitlines() == [
        "1  CBL895  [~]  cli-test-month-caps  1 with --unsafe-fixes",
        "1  CBL896  [*]  cli-test-talks       1 fixable",
    ]
    _, out, _ = run_check(capsys, *SELECT, "--statistics", "--unsafe-fixes", "damaged.txt")
    assert out.splitlines() == [
        "1  CBL895  [*]  cli-test-month-caps  1 fixable",
        "1  CBL896  [*]  cli-test-talks       1 fixable",
    ]


def test_diff_counts_the_findings_it_would_fix(work: Path, capsys) -> None:
    status, out, err = run_check(capsys, *SELECT, "--diff", "damaged.txt")
    assert status == 1
    assert "+SUBJECT: JORDAN: MINISTER ON WATER NEGOTIATIONS\n" in out
    assert "DECEMBER" not in out
    assert err.splitlines() == [
        "Would fix 1 finding in 1 file.",
        "[~] 1 hidden fix can be enabled with the --unsafe-fixes option.",
    ]
    status, out, err = run_check(capsys, *SELECT, "--diff", "--unsafe-fixes", "damaged.txt")
    assert (status, err) == (1, "Would fix 2 findings in 1 file.\n")
    assert "in DECEMBER." in out
    assert (work / "damaged.txt").read_bytes() == DAMAGED


# --- item 8: colour -----------------------------------------------------------------------------

COLOURED = (
    "\x1b[1mdamaged.txt\x1b[0m:15:36: \x1b[1;33mCBL896\x1b[0m [warning] "
    'write "NEGOTIATIONS", not "TALKS" \x1b[36m[*]\x1b[0m'
)


def test_color_always_and_never(work: Path, capsys) -> None:
    _, out, err = run_check(capsys, "--select", "CBL896", "--color", "always", "damaged.txt")
    assert out.splitlines() == [COLOURED]
    assert "\x1b[36m[*]\x1b[0m 1 fixable" in err
    _, out, err = run_check(capsys, "--select", "CBL896", "--color", "never", "damaged.txt")
    assert out.splitlines() == [f"{SAFE} [*]"]
    assert "\x1b" not in err


def test_color_auto_is_off_in_a_pipe_and_follows_the_environment(
    work: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "\x1b" not in "".join(run_check(capsys, "--select", "CBL896", "damaged.txt")[1:])
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run_check(capsys, "--select", "CBL896", "damaged.txt")[1].splitlines() == [COLOURED]
    monkeypatch.setenv("NO_COLOR", "1")  # NO_COLOR wins over FORCE_COLOR
    out = run_check(capsys, "--select", "CBL896", "damaged.txt")[1]
    assert out.splitlines() == [f"{SAFE} [*]"]
    out = run_check(capsys, "--select", "CBL896", "--color", "always", "damaged.txt")[1]
    assert out.splitlines() == [COLOURED]  # the command line wins over the environment


def test_color_with_show_source_paints_the_carets(work: Path, capsys) -> None:
    _, out, _ = run_check(
        capsys, "--select", "CBL896", "--color", "always", "--show-source", "damaged.txt"
    )
    assert out.splitlines()[1:] == [
        "SUBJECT: JORDAN: MINISTER ON WATER TALKS",
        " " * 35 + "\x1b[1;31m^~~~~\x1b[0m",
    ]


def test_color_rejects_other_values(work: Path, capsys) -> None:
    status, _, err = run_main(capsys, "check", "--color", "sometimes", "damaged.txt")
    assert status == 2
    assert err.startswith("cablelint: error: argument --color: invalid choice: 'sometimes'")


# --- item 11: long lines in --show-source -------------------------------------------------------


def test_show_source_cuts_a_long_line_around_the_span(work: Path, capsys) -> None:
    words = " ".join(f"w{i:03d}" for i in range(150))  # 749 characters
    text = DAMAGED.decode().replace("resume in December.", f"resume {words} in December {words}.")
    (work / "long.txt").write_text(text, encoding="utf-8")
    _, out, _ = run_check(capsys, "--select", "CBL895", "--show-source", "long.txt")
    finding, shown, carets = out.splitlines()
    line = text.splitlines()[17]
    start = line.index("December")
    assert start == 812
    assert finding == 'long.txt:18:813: CBL895 [warning] write "DECEMBER", not "December" [~]'
    assert shown == "…" + line[start - 40 : start + 60] + "…"
    assert carets == " " * 41 + "^~~~~~~~"
    assert len(shown) == 102


def test_show_source_keeps_a_short_line_whole(work: Path, capsys) -> None:
    _, out, _ = run_check(capsys, "--select", "CBL895", "--show-source", "damaged.txt")
    assert out.splitlines()[1:] == [
        "¶1. (C) The Minister said that the water talks will resume in December.",
        " " * 62 + "^~~~~~~~",
    ]


# --- item 17: help, explain hint, JUnit ---------------------------------------------------------


def _commands() -> list[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    return list(subparsers.choices)


@pytest.mark.parametrize("command", [None, *_commands()])
def test_help_ends_with_examples_and_exit_codes(capsys, command: str | None) -> None:
    status, out, err = run_main(capsys, *([command] if command else []), "--help")
    assert (status, err) == (0, "")
    examples = out.index("\nexamples:\n  cablelint ")
    codes = out.index("\nexit codes:\n  0    ")
    assert examples < codes
    assert out.endswith("  2    usage, configuration or I/O error\n  130  interrupted\n")


def test_check_help_says_what_exit_1_means(capsys) -> None:
    out = run_main(capsys, "check", "--help")[1]
    assert "  1    findings at or above the fail level (--fail-on), or a change to show" in out
    assert "  cablelint check --fix a.txt b.txt " in out


def test_the_hint_names_the_most_frequent_code(work: Path, capsys) -> None:
    text = DAMAGED.decode().replace("TALKS", "TALKS TALKS")
    (work / "two.txt").write_text(text, encoding="utf-8")
    err = run_check(capsys, *SELECT, "two.txt")[2]
    assert err.splitlines()[-1] == "For a rule's details: cablelint explain CBL896"
    assert run_main(capsys, "explain", "CBL896")[0] == 0


def test_no_hint_when_clean_or_quiet(work: Path, capsys) -> None:
    assert run_check(capsys, "--select", "CBL896", "-q", "damaged.txt")[2] == ""
    (work / "damaged.txt").write_bytes(DAMAGED.replace(b"TALKS", b"MEETING"))
    assert run_check(capsys, "--select", "CBL896", "damaged.txt")[2] == "All checks passed!\n"


def test_junit_has_one_test_case_per_finding(work: Path, capsys) -> None:
    (work / "clean.txt").write_bytes(DAMAGED.replace(b"TALKS", b"MEETING").replace(b" in Dec", b""))
    status, out, err = run_check(
        capsys, *SELECT, "--output-format", "junit", "damaged.txt", "clean.txt"
    )
    assert (status, err) == (1, "")
    root = ET.fromstring(out)
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "3", "2")
    cases = [
        (suite.get("name"), case.get("name"), case.get("line"), case.find("failure") is not None)
        for suite in root
        for case in suite
    ]
    assert cases == [
        ("clean.txt", "no findings", None, False),
        ("damaged.txt", "CBL896 cli-test-talks", "15", True),
        ("damaged.txt", "CBL895 cli-test-month-caps", "18", True),
    ]
    failure = root.find("testsuite[@name='damaged.txt']/testcase/failure")
    assert failure is not None and failure.text == SAFE
