"""engine.lint: a check that raises becomes one CBL000 diagnostic; the other checks still run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cablelint.engine import api
from cablelint.model.diagnostics import Finding
from cablelint.model.source import from_text
from cablelint.ruleset import registry
from cablelint.ruleset.registry import CheckContext

CABLE = "UNCLASSIFIED PARIS 000123\n\nSUBJECT: TEST\n\n1. (U) Text.\n\n2. (U) Text.\n"


def _half_then_raise(ctx: CheckContext) -> Iterator[Finding]:
    yield ctx.finding(0, 4, "found before the failure")
    raise ValueError("broken check")


def _always(ctx: CheckContext) -> Iterator[Finding]:
    yield ctx.finding(0, 4, "always")


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(registry.CHECKS, "CBL512", _half_then_raise)
    monkeypatch.setitem(registry.CHECKS, "CBL513", _always)
    return api.configure(select=["CBL000", "CBL512", "CBL513"])


def test_a_failing_check_reports_only_its_failure(config) -> None:
    outcome = api.lint_source(from_text(CABLE), config)
    found = sorted((d.code, d.message) for d in outcome.diagnostics)
    assert found == [
        ("CBL000", "internal error in CBL512: ValueError: broken check"),
        ("CBL513", "always"),
    ]


def test_findings_take_the_rule_severity_and_name(config) -> None:
    outcome = api.lint_source(from_text(CABLE), config)
    always = next(d for d in outcome.diagnostics if d.code == "CBL513")
    settings = config.rules["CBL513"]
    assert (always.name, always.severity, always.span.line, always.span.column) == (
        settings.name,
        settings.severity,
        1,
        1,
    )


def test_residue_checks_and_the_others_share_facts_only_of_the_text_they_read(monkeypatch) -> None:
    # In a converter's file, residue checks read the file and the others the cable inside it:
    # a shared fact computed from the text must not pass from one to the other.
    seen: list[tuple[str, bool]] = []

    @registry.shared_fact
    def first_line(ctx: CheckContext) -> str:
        return ctx.text.split("\n", 1)[0]

    def reading(code: str):
        def check(ctx: CheckContext) -> Iterator[Finding]:
            seen.append((code, first_line(ctx).startswith("```")))
            yield from ()

        return check

    monkeypatch.setitem(registry.CHECKS, "CBL512", reading("CBL512"))
    monkeypatch.setitem(registry.CHECKS, "CBL513", reading("CBL513"))
    monkeypatch.setitem(registry.CHECKS, "CBL517", reading("CBL517"))
    monkeypatch.setattr(registry, "RESIDUE_CHECKS", {"CBL517"})
    config = api.configure(select=["CBL512", "CBL513", "CBL517"])
    api.lint_source(from_text("```\n" + CABLE + "```\n"), config)
    assert seen == [("CBL512", False), ("CBL513", False), ("CBL517", True)]
