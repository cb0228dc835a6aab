"""``explain`` speaks to users: no rule's explanation mentions how the rules were measured or built
(the measurement notes stay in the rule files under ``notes:``, which ``explain`` does not show)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cablelint.app.commands import explain_text
from cablelint.ruleset.specs import load_specs

from .cli import run_main

RULES = Path(__file__).resolve().parents[1] / "rules"
SPECS = load_specs()
#: What a user's explanation must not contain: the developers' sources and measurements, cable
#: files with line numbers, seed files, internal functions and modules.
INTERNAL = {
    "the test corpus": re.compile(r"\bcorpus\b", re.IGNORECASE),
    "the damage catalogue": re.compile(r"\bcatalog", re.IGNORECASE),
    "the format notes": re.compile(r"cable-format|§"),
    "a seed file": re.compile(r"\bseeds?\b", re.IGNORECASE),
    "a cable or a line of its file": re.compile(r"\.txt:\d|\b\d{2}[A-Z]{3,}\d+\b"),
    "a function call": re.compile(r"\w\(\)|\b[a-z_]+\.[a-z_]+\("),
    "an internal name": re.compile(r"\b[a-z]+_[a-z_]+\b|\btests/|\bdata/"),
}
_FENCE = re.compile(r"^```text\n.*?^```\n", re.MULTILINE | re.DOTALL)


def _prose(spec) -> str:
    """The explanation without its examples (cable text, which may quote anything)."""
    return _FENCE.sub("", explain_text(spec))


@pytest.mark.parametrize("code", sorted(SPECS))
def test_explanation_speaks_to_users(code: str) -> None:
    text = _prose(SPECS[code])
    found = {what: m.group() for what, regex in INTERNAL.items() if (m := regex.search(text))}
    assert not found, f"{code}: {found}"


@pytest.mark.parametrize("code", sorted(SPECS))
def test_explanation_has_every_part(code: str) -> None:
    spec = SPECS[code]
    text = explain_text(spec)
    for heading in ("## What it does", "## Why is this bad?", "## Fix"):
        assert f"\n{heading}\n" in text, (code, heading)
    for name in spec.options:
        assert f"- `{name}` (" in text, (code, name)
    if spec.fix != "none":
        assert spec.fix_title and f"## Fix\n{spec.fix_title}." in text, code


def test_the_checker_itself_finds_internal_words() -> None:
    """The patterns catch the words the explanations used to hold."""
    old = (
        "in the 763 shape-A corpus cables (seed 002 joins ...; cable-format.md §4.8; "
        "05MADRID4314.txt:113-115; reference.tag_vocabulary(); the catalogue's 27)"
    )
    assert set(INTERNAL) == {w for w, regex in INTERNAL.items() if regex.search(old)}


def test_notes_stay_in_the_rule_file(capsys) -> None:
    notes = yaml.safe_load((RULES / "CBL511.yaml").read_text(encoding="utf-8"))["notes"]
    status, out, err = run_main(capsys, "explain", "CBL511")
    assert (status, err) == (0, "")
    assert "p99.9" in notes and "p99.9" not in out
    assert out.startswith("# CBL511: joined-lines\n")
    assert "\n## Fix\nRe-wrap the line at the cable's own width. This rule's fix is unsafe" in out
