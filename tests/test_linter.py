"""A Linter owns the state of its configuration: two in one process never see each other's."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cablelint.engine.config import load_config
from cablelint.engine.linter import Linter
from cablelint.model.source import from_text
from cablelint.ruleset.specs import load_shipped_specs

TEXT = """\
C O N F I D E N T I A L SECTION 01 OF 02 PARIS 000123

NODlS

E.O. 12958: DECL: 02/14/2018
TAGS: PREL PGOV FR
SUBJECT: A TEST


1. (C) A paragraph after two blank lines.
"""

PACK_RULE = """\
code: CBL850
name: known-tags
family: custom
summary: TAGS from a word list.
rationale: For the tests.
severity: warning
enabled: true
kind: vocabulary
scope: tags
file: tags.txt
"""


def _project(root: Path, *, tags: str, captions: list[str], blank_lines: int) -> Path:
    """A project whose configuration names a rule pack (CBL850 over ``tags``) and sets options
    of two built-in rules: CBL204's captions and CBL510's blank-line runs."""
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "CBL850.yaml").write_text(PACK_RULE, encoding="utf-8")
    (root / "rules" / "tags.txt").write_text(tags, encoding="utf-8")
    config = f"""\
        rule-paths: [rules]
        extend-select: [CBL510, CBL850]
        rules:
          CBL204: {{captions: {captions}}}
          CBL510: {{max-blank-lines: {blank_lines}}}
        """
    (root / ".cablelint.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root / ".cablelint.yaml"


def _findings(linter: Linter) -> list[tuple[str, int, str]]:
    outcome = linter.lint(from_text(TEXT))
    wanted = {"CBL204", "CBL510", "CBL850"}
    return [(d.code, d.span.line, d.message) for d in outcome.diagnostics if d.code in wanted]


def test_two_linters_lint_alternately_each_with_its_own_configuration(tmp_path: Path) -> None:
    path_a = _project(tmp_path / "a", tags="TAGS\nPREL\nFR\n", captions=["SIPDIS"], blank_lines=0)
    path_b = _project(tmp_path / "b", tags="TAGS\nPGOV\nFR\n", captions=["NODIS"], blank_lines=1)
    a = Linter(load_config(path_a, cwd=tmp_path))
    b = Linter(load_config(path_b, cwd=tmp_path))
    expected_a = [("CBL850", 6, "unknown word 'PGOV'")]
    expected_b = [
        ("CBL204", 3, "caption 'NODlS' looks like a garbled 'NODIS'"),
        ("CBL850", 6, "unknown word 'PREL'"),
        ("CBL510", 8, "2 blank lines in a row; expected at most 1"),
    ]
    for _ in range(2):  # alternately, each twice: nothing one builds leaks into the other
        assert _findings(a) == expected_a
        assert _findings(b) == expected_b


def test_a_linter_keeps_its_checks_while_it_lives(tmp_path: Path) -> None:
    """The word file is read when the Linter is made; a new Linter reads the file as it is now."""
    path = _project(tmp_path, tags="TAGS\nPREL\n", captions=["SIPDIS"], blank_lines=0)
    before = Linter(load_config(path, cwd=tmp_path))
    (tmp_path / "rules" / "tags.txt").write_text("TAGS\nPREL\nPGOV\nFR\n", encoding="utf-8")
    after = Linter(load_config(path, cwd=tmp_path))
    assert [f[2] for f in _findings(before)] == ["unknown word 'PGOV'", "unknown word 'FR'"]
    assert _findings(after) == []


def test_per_file_rules_are_a_subset_linted_with_the_configuration_s_settings() -> None:
    config = load_config(None, cwd=Path("/"), specs=load_shipped_specs(), extend_select=["CBL510"])
    linter = Linter(config)
    every = linter.lint(from_text(TEXT)).diagnostics
    some = {c: s for c, s in config.rules.items() if c != "CBL204"}
    without = linter.lint(from_text(TEXT), some).diagnostics
    assert {d.code for d in every} - {d.code for d in without} == {"CBL204"}
    assert [d for d in every if d.code != "CBL204"] == list(without)
