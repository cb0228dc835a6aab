"""The command line's handling of configuration: selections, trust, settings (issues 17, 18)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .cli import CABLE, make_project, run_check, run_main


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("argv", "flag", "value"),
    [
        (["--select", ""], "--select", "''"),
        (["--select", "CBL1", "--select", ","], "--select", "','"),
        (["--extend-select", " "], "--extend-select", "' '"),
        (["--ignore", ""], "--ignore", "''"),
    ],
)
def test_an_empty_selection_is_a_usage_error(
    capsys, project: Path, argv: list[str], flag: str, value: str
) -> None:
    status, out, err = run_check(capsys, *argv, "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: argument {flag}: expected rule codes, prefixes or names, got {value} "
        "(see 'cablelint --help')\n"
    )


# --- files outside the project (issue 17) ---------------------------------------------------------

VOCABULARY = """\
code: CBL811
name: known-tags
family: custom
summary: A TAGS code that is not on the list.
rationale: Unknown tags are usually typos.
severity: info
enabled: true
kind: vocabulary
scope: tags
token_regex: '(?!TAGS?\\b)[A-Z]{{2,6}}'
file: {file}
"""
TAGGED = "UNCLAS STATE 000123\n\nTAGS: PGOVV\n"


def write_pack(directory: Path, file: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "CBL811.yaml").write_text(VOCABULARY.format(file=file), encoding="utf-8")


def test_a_rule_path_outside_the_configurations_tree(capsys, project: Path) -> None:
    write_pack(project / "shared", "tags.txt")
    (project / "shared" / "tags.txt").write_text("PGOV\n", encoding="utf-8")
    (project / "sub").mkdir()
    (project / "sub" / ".cablelint.yaml").write_text("rule-paths: [../shared]\n", encoding="utf-8")
    (project / "sub" / "a.txt").write_text(TAGGED, encoding="utf-8")
    status, out, err = run_check(capsys, "sub/a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/sub/.cablelint.yaml:1: rule-paths[0]: directory "
        "'../shared' lies outside the configuration's directory tree\n"
    )


def test_a_linked_rule_path_that_leads_outside(capsys, project: Path, tmp_path_factory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    write_pack(elsewhere, "tags.txt")
    (elsewhere / "tags.txt").write_text("PGOV\n", encoding="utf-8")
    (project / "rules").symlink_to(elsewhere)
    (project / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    status, out, err = run_check(capsys, "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/.cablelint.yaml:1: rule-paths[0]: directory 'rules' "
        "lies outside the configuration's directory tree\n"
    )


def test_a_word_file_outside_the_project_is_never_read(
    capsys, project: Path, tmp_path_factory
) -> None:
    secret = tmp_path_factory.mktemp("outside") / "env"
    secret.write_text("GITHUB_TOKEN=PGOVX\n", encoding="utf-8")
    write_pack(project / "rules", str(secret))
    (project / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    (project / "a.txt").write_text(TAGGED, encoding="utf-8")
    status, out, err = run_check(capsys, "--select", "CBL811", "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/rules/CBL811.yaml:11: file: word list '{secret}' lies "
        f"outside the configuration's directory tree ({project})\n"
    )
    assert "GITHUB_TOKEN" not in err


def test_a_word_file_linked_from_inside_to_outside(capsys, project: Path, tmp_path_factory) -> None:
    secret = tmp_path_factory.mktemp("outside") / "env"
    secret.write_text("GITHUB_TOKEN=PGOVX\n", encoding="utf-8")
    write_pack(project / "rules", "tags.txt")
    (project / "rules" / "tags.txt").symlink_to(secret)
    (project / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    status, out, err = run_check(capsys, "--select", "CBL811", "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/rules/CBL811.yaml:11: file: word list 'tags.txt' lies "
        f"outside the configuration's directory tree ({project})\n"
    )


def test_a_rule_file_linked_to_outside(capsys, project: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    write_pack(outside, "tags.txt")
    (project / "rules").mkdir()
    (project / "rules" / "CBL811.yaml").symlink_to(outside / "CBL811.yaml")
    (project / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    status, out, err = run_check(capsys, "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/rules/CBL811.yaml: rule file lies outside the "
        f"configuration's directory tree ({project})\n"
    )


def test_a_word_file_inside_the_project_suggests(capsys, project: Path) -> None:
    write_pack(project / "lint" / "rules", "../tags.txt")
    (project / "lint" / "tags.txt").write_text("PGOV\n", encoding="utf-8")
    (project / ".cablelint.yaml").write_text("rule-paths: [lint/rules]\n", encoding="utf-8")
    (project / "a.txt").write_text(TAGGED, encoding="utf-8")
    status, out, _ = run_check(capsys, "--select", "CBL811", "a.txt")
    assert (status, out) == (
        1,
        "a.txt:3:7: CBL811 [info] unknown word 'PGOVV' (did you mean 'PGOV'?)\n",
    )


# --- configurations others could have planted (issue 17) -----------------------------------------


@pytest.fixture
def shared_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A world-writable directory (like /tmp) holding a configuration that turns every rule off,
    and a project without a repository below it with an empty cable."""
    shared = tmp_path / "shared"
    (shared / "work").mkdir(parents=True)
    shared.chmod(0o1777)
    (shared / ".cablelint.yaml").write_text("select: []\n", encoding="utf-8")
    (shared / "work" / "a.txt").write_text("", encoding="utf-8")
    monkeypatch.chdir(shared / "work")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return shared


def test_a_configuration_planted_by_someone_else_is_ignored(
    capsys, shared_parent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(shared_parent).st_uid + 4242)
    status, out, err = run_check(capsys, "a.txt")
    assert (status, out) == (1, "a.txt:1:1: CBL004 [error] file is empty\n")
    assert err == (
        f"cablelint: warning: ignoring {shared_parent}/.cablelint.yaml: its directory is "
        "writable by others and the file is not yours\n"
        "Found 1 problem (1 error).\n"
        "For a rule's details: cablelint explain CBL004\n"
    )


def test_ones_own_configuration_in_a_shared_directory_is_used(capsys, shared_parent: Path) -> None:
    assert run_check(capsys, "a.txt") == (0, "", "All checks passed!\n")


def test_a_configuration_named_with_config_is_used_whoever_owns_it(
    capsys, shared_parent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(shared_parent).st_uid + 4242)
    config = str(shared_parent / ".cablelint.yaml")
    assert run_check(capsys, "--config", config, "a.txt") == (0, "", "All checks passed!\n")


# --- one place per extension point (issue 14) -----------------------------------------------------


def test_the_output_format_choices_are_the_registry(capsys, project: Path) -> None:
    from cablelint.report import FORMATS, REGISTRY, STREAMED_FORMATS

    assert tuple(f.name for f in REGISTRY) == FORMATS
    assert {"text", "github", "json-lines"} == STREAMED_FORMATS
    status, out, err = run_check(capsys, "--output-format", "yaml", "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        "cablelint: error: argument --output-format: invalid choice: 'yaml' (choose from "
        "'text', 'json', 'json-lines', 'github', 'sarif', 'junit', 'gitlab') "
        "(see 'cablelint --help')\n"
    )


def test_a_misspelt_key_is_told_from_the_declared_keys(capsys, project: Path) -> None:
    (project / ".cablelint.yaml").write_text("fail_on: error\n", encoding="utf-8")
    status, out, err = run_check(capsys, "a.txt")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/.cablelint.yaml:1: fail_on: unknown key "
        "(did you mean 'fail-on'?)\n"
    )


# --- test-rules (issue 18 item 15) ------------------------------------------------------------

PACK_RULE = """\
code: CBL801
name: draft-marker
family: custom
summary: A DRAFT marker left in the text.
rationale: Drafts must not be filed.
severity: warning
enabled: true
kind: substitution
scope: line
substitutions: {{DRAFTT: DRAFT}}
examples:
  fail:
    - text: |
        A DRAFTT.
      lines: [1]
      fixed: |
        A {fixed}.
  pass:
    - text: |
        A DRAFT.
"""


def write_rule(project: Path, fixed: str = "DRAFT") -> None:
    (project / "rules").mkdir(exist_ok=True)
    text = PACK_RULE.format(fixed=fixed)
    (project / "rules" / "CBL801.yaml").write_text(text, encoding="utf-8")


def test_test_rules_passes_a_sound_pack(capsys, project: Path) -> None:
    write_rule(project)
    status, out, err = run_main(capsys, "test-rules", "rules")
    assert (status, out) == (0, "")
    assert err == "Tested 2 examples of 1 rule: all behave as they say.\n"


def test_test_rules_reports_a_wrong_fail_example(capsys, project: Path) -> None:
    write_rule(project, fixed="DRAFTS")
    status, out, err = run_main(capsys, "test-rules", "rules/CBL801.yaml")
    assert status == 1
    assert out == (
        "rules/CBL801.yaml:11: CBL801 (draft-marker) examples.fail[0]: the fixes give "
        "'A DRAFT.\\n', expected 'A DRAFTS.\\n'\n"
    )
    assert err == "Tested 2 examples of 1 rule: 1 failed.\n"


def test_test_rules_runs_the_configured_packs(capsys, project: Path) -> None:
    write_rule(project)
    text = (project / "rules" / "CBL801.yaml").read_text(encoding="utf-8")
    text = text.replace("  pass:\n", "    - text: |\n        FINAL.\n  pass:\n")
    (project / "rules" / "CBL801.yaml").write_text(text, encoding="utf-8")
    (project / ".cablelint.yaml").write_text("rule-paths: [rules]\n", encoding="utf-8")
    status, out, err = run_main(capsys, "test-rules")
    assert status == 1
    assert out == (
        f"{project}/rules/CBL801.yaml:11: CBL801 (draft-marker) examples.fail[1]: "
        "not reported, expected a finding\n"
    )
    assert err == "Tested 3 examples of 1 rule: 1 failed.\n"


def test_test_rules_without_a_pack(capsys, project: Path) -> None:
    assert run_main(capsys, "test-rules") == (
        2,
        "",
        "cablelint: error: no rule packs configured (rule-paths); name rule directories or files\n",
    )
    assert run_main(capsys, "test-rules", "nowhere") == (
        2,
        "",
        "cablelint: error: nowhere: no such rule directory or file\n",
    )


# --- seeing the configuration in force (issue 18 item 7) ----------------------------------------


def configured(project: Path) -> None:
    (project / ".cablelint.yaml").write_text(
        "ignore: [CBL5]\nrules:\n  CBL204: warning\n  CBL102: {day-tolerance: 3}\n"
        "per-file-ignores:\n  'old/*': [CBL101]\nfail-on: warning\n",
        encoding="utf-8",
    )
    (project / "old").mkdir()
    (project / "old" / "b.txt").write_text(CABLE, encoding="utf-8")


def test_show_settings_for_a_file(capsys, project: Path) -> None:
    configured(project)
    status, out, err = run_check(capsys, "--show-settings", "old/b.txt")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[:12] == [
        "Settings for old/b.txt",
        "",
        "Configuration files (applied in this order):",
        f"  {project}/.cablelint.yaml",
        "",
        "Settings:",
        '  per-file-ignores: {"old/*": ["CBL101"]}',
        '  include: ["*.txt", "*.cable"]',
        "  exclude: []",
        "  fail-on: warning",
        f"  cache-dir: {project}/.cablelint_cache",
        "",
    ]
    rows = {line.split()[0]: " ".join(line.split()) for line in lines[13:]}
    assert lines[12] == "Rules:"
    assert rows["CBL101"] == "CBL101 header-line-syntax off (per-file-ignores) error"
    assert rows["CBL102"].startswith('CBL102 de-julian-vs-dtg on error {"day-tolerance": 3, ')
    assert rows["CBL204"].startswith('CBL204 caption-garbled on warning {"captions": ["SIPDIS", ')
    assert rows["CBL501"].startswith("CBL501 comma-for-apostrophe off info")
    status, out, _ = run_check(capsys, "--show-settings", "a.txt")
    assert "  CBL101  header-line-syntax " in out and "off (per-file-ignores)" not in out


def test_show_settings_without_a_configuration(capsys, project: Path) -> None:
    status, out, _ = run_check(capsys, "--show-settings")
    assert status == 0
    assert out.splitlines()[:4] == [
        "Settings for .",
        "",
        "Configuration files (applied in this order):",
        "  none (the built-in defaults)",
    ]


def test_rules_shows_the_configured_state(capsys, project: Path) -> None:
    configured(project)
    status, out, _ = run_main(capsys, "rules")
    rows = {line.split()[0]: line.split()[:5] for line in out.splitlines()[1:]}
    assert status == 0
    assert rows["CBL204"] == ["CBL204", "caption-garbled", "warning", "safe", "yes"]
    assert rows["CBL503"][2:5] == ["error", "safe", "no"]  # on by default, ignored here


def test_show_files_lists_what_a_run_checks_and_skips(capsys, project: Path) -> None:
    configured(project)
    (project / "README.txt").write_text("How to use this archive.\n", encoding="utf-8")
    (project / "notes.md").write_text("UNCLAS STATE 000125\n", encoding="utf-8")
    status, out, err = run_check(capsys, "--show-files")
    assert status == 0
    assert out == "a.txt\nold/b.txt\n"
    assert err == "cablelint: skipped: README.txt: not a cable\n"
    assert run_check(capsys, "--show-files", "README.txt") == (0, "README.txt\n", "")


# --- every problem of a configuration at once (issue 18 item 13) --------------------------------


def test_every_problem_of_a_configuration_is_reported_at_once(capsys, project: Path) -> None:
    (project / ".cablelint.yaml").write_text(
        "extend_select: [CBL5]\n"
        "select: [CBL2044, CBL1]\n"
        "rules:\n"
        "  CBL204: warnng\n"
        "  joined-lines: {max-lenght: 3}\n"
        "fail-on: never\n"
        "include: 5\n",
        encoding="utf-8",
    )
    status, out, err = run_check(capsys, "--select", "CBLX", "a.txt")
    assert (status, out) == (2, "")
    at = f"cablelint: error: {project}/.cablelint.yaml"
    assert err.splitlines() == [
        f"{at}:1: extend_select: unknown key (did you mean 'extend-select'?)",
        f"{at}:2: select[0]: unknown rule or selector 'CBL2044' (did you mean 'CBL204'?)",
        f"{at}:4: rules.CBL204: 'warnng' is not one of error, warning, info, off "
        "(did you mean 'warning'?)",
        f"{at}:5: rules.joined-lines.max-lenght: unknown option for CBL511 (joined-lines) "
        "(did you mean 'max-length'?)",
        f"{at}:6: fail-on: 'never' is not one of error, warning, info",
        f"{at}:7: include: expected a list of strings, got an integer",
        "cablelint: error: --select: unknown rule or selector 'CBLX' (did you mean 'CBL000'?)",
    ]
