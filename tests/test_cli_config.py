"""The command line's handling of configuration: selections, trust, settings (issues 17, 18)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .cli import run_check

CABLE = "UNCLAS STATE 000123\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text(CABLE, encoding="utf-8")
    return tmp_path


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
