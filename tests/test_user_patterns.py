"""Issue 17: user patterns (declarative rules in rule packs) run on a time budget; a rule that
runs out is one CBL009 finding for that file, and the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.ruleset import userregex

from .cli import run_check, run_main

RULE = """\
code: {code}
name: {name}
family: custom
summary: A test pattern.
rationale: For the test.
severity: warning
enabled: true
kind: pattern
scope: line
regex: '{regex}'
message: 'found {{match}}'
"""
RUNAWAY = "a" * 40 + "!"  # 41 characters


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(f"UNCLAS STATE 000123\n{RUNAWAY}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("UNCLAS STATE 000124\n", encoding="utf-8")
    return tmp_path


def add_rule(project: Path, code: str, name: str, regex: str) -> None:
    text = RULE.format(code=code, name=name, regex=regex)
    (project / "rules" / f"{code}.yaml").write_text(text, encoding="utf-8")


def test_nested_quantifier_on_41_characters_finishes(capsys, project: Path) -> None:
    # Python's re takes minutes on this line; the regex package answers at once, well
    # within the default budget (a timeout would be a CBL009 finding).
    add_rule(project, "CBL801", "nested-runs", "(a+)+$")
    status, out, err = run_check(capsys, "-j1", "--select", "CBL8,CBL009", "a.txt", "b.txt")
    assert (status, out, err) == (0, "", "All checks passed!\n")


def test_a_rule_that_runs_out_is_one_finding_and_the_run_goes_on(
    capsys, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(userregex, "TIME_BUDGET", 0.05)
    add_rule(project, "CBL801", "runaway", "(a|aa)+$")  # backtracks even in regex
    add_rule(project, "CBL802", "state-word", "STATE")
    status, out, err = run_check(capsys, "-j1", "--select", "CBL8", "a.txt", "b.txt")
    assert status == 1
    assert out.splitlines() == [
        "a.txt:1:1: CBL009 [error] CBL801 (runaway) ran out of its 0.05-second time budget; "
        "its findings here are not reported",
        "a.txt:1:8: CBL802 [warning] found STATE",
        "b.txt:1:8: CBL802 [warning] found STATE",
    ]
    assert err == (
        "Found 3 problems (1 error, 2 warnings).\nFor a rule's details: cablelint explain CBL802\n"
    )


def test_a_timeout_is_not_kept_in_the_result_cache(
    capsys, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(userregex, "TIME_BUDGET", 0.05)
    add_rule(project, "CBL801", "runaway", "(a|aa)+$")
    argv = ("check", "-j1", "--cache-dir", "cache", "--select", "CBL801", "a.txt")
    first = run_main(capsys, *argv)
    assert first[0] == 1 and "CBL009" in first[1]
    # A faster moment: the pattern finds nothing in time. A cached CBL009 would come back.
    monkeypatch.setattr(userregex.Budget, "finditer", lambda self, p, t, s=0, e=None: iter(()))
    assert run_main(capsys, *argv) == (0, "", "All checks passed!\n")


def test_an_invalid_pattern_is_a_located_error(capsys, project: Path) -> None:
    add_rule(project, "CBL801", "broken", "(a")
    status, out, err = run_check(capsys, "a.txt")
    assert (status, out) == (2, "")
    assert err.startswith(
        f"cablelint: error: {project}/rules/CBL801.yaml:10: regex: invalid regular expression: "
    )
    assert err.count("\n") == 1
