"""Every rule's documented examples run as tests (docs are tests).

A failing example must give at least one finding of its rule (exactly on ``lines`` when given)
and, with ``fixed``, --fix must produce exactly that text, which then passes. A passing example
gives no finding of its rule. Only the rule under test is enabled.
"""

from __future__ import annotations

import pytest

from cablelint.engine.api import configure, fix_source, lint_source, shipped_specs
from cablelint.model.source import from_text

SPECS = shipped_specs()


def _cases(verdict: str):
    for code, spec in sorted(SPECS.items()):
        for i, example in enumerate(spec.examples.get(verdict, ())):
            yield pytest.param(code, example, id=f"{code}-{verdict}-{i}")


def _lint(code: str, example: dict, text: str | None = None):
    config = configure([code], options={code: example["options"]} if "options" in example else None)
    source = from_text(example["text"] if text is None else text)
    return config, source, lint_source(source, config)


@pytest.mark.parametrize(("code", "example"), list(_cases("fail")))
def test_failing_example(code: str, example: dict) -> None:
    config, source, outcome = _lint(code, example)
    found = [d for d in outcome.diagnostics if d.code == code]
    assert found, f"{code} did not fire on its failing example"
    if "lines" in example:
        assert sorted({d.span.line for d in found}) == sorted(example["lines"])
    fixed = fix_source(source, config, unsafe=SPECS[code].fix == "unsafe").text
    if "fixed" in example:
        assert fixed == example["fixed"]
        after = lint_source(from_text(fixed), config).diagnostics
        assert not [d for d in after if d.code == code], "the fixed text still fails"
    else:
        assert fixed == example["text"], "a failing example without 'fixed' must not change"


@pytest.mark.parametrize(("code", "example"), list(_cases("pass")))
def test_passing_example(code: str, example: dict) -> None:
    _, _, outcome = _lint(code, example)
    assert not [d for d in outcome.diagnostics if d.code == code]


def test_every_builtin_rule_has_a_check() -> None:
    from cablelint.engine.lint import ENGINE_CODES
    from cablelint.ruleset.checks import builtin_checks

    checks = builtin_checks()
    builtin = {c for c, s in SPECS.items() if s.kind == "python"}
    assert builtin - ENGINE_CODES - {"CBL005", "CBL006"} == set(checks) & builtin
    assert set(checks) <= set(SPECS), "a check is registered for a code without a spec"
