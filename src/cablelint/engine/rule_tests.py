"""A rule's examples as tests: what ``cablelint test-rules`` runs over a rule pack.

A failing example must be reported by its rule (exactly on ``lines`` when given); with ``fixed``,
the fixes must give exactly that text, which then passes; without it, the fixes must leave the
text as it is. A passing example must not be reported. Only the rule under test is enabled.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from cablelint.engine.api import fix_source, lint_source
from cablelint.engine.config import Config, RuleSettings
from cablelint.model.source import from_text
from cablelint.ruleset.specs import RuleSpec, validate_options
from cablelint.support.records import record


@record
class ExampleFailure:
    """One example that does not behave as its rule says."""

    spec: RuleSpec
    verdict: str  # fail | pass
    index: int
    problem: str

    def __str__(self) -> str:
        spec = self.spec
        return (
            f"{spec.where('examples')}: {spec.code} ({spec.name}) "
            f"examples.{self.verdict}[{self.index}]: {self.problem}"
        )


def _config(spec: RuleSpec, specs: Mapping[str, RuleSpec], example: dict) -> Config:
    options = validate_options(spec, example.get("options", {}), spec.where("examples"))
    rules = {
        spec.code: RuleSettings(spec.code, spec.name, spec.severity, MappingProxyType(options))
    }
    return Config(specs, MappingProxyType(rules))


def _lines(lines: list[int]) -> str:
    return ", ".join(map(str, sorted(set(lines)))) or "none"


def check_example(
    spec: RuleSpec, specs: Mapping[str, RuleSpec], verdict: str, example: dict
) -> str | None:
    """What is wrong with one example of ``spec``, or None."""
    config = _config(spec, specs, example)
    source = from_text(example["text"])
    found = [d for d in lint_source(source, config).diagnostics if d.code == spec.code]
    if verdict == "pass":
        if found:
            return f"reported on line {_lines([d.span.line for d in found])}, expected no finding"
        return None
    if not found:
        return "not reported, expected a finding"
    if "lines" in example and sorted({d.span.line for d in found}) != sorted(example["lines"]):
        got, want = _lines([d.span.line for d in found]), _lines(example["lines"])
        return f"reported on line {got}, expected on line {want}"
    fixed = fix_source(source, config, unsafe=spec.fix == "unsafe").text
    if "fixed" in example:
        if fixed != example["fixed"]:
            return f"the fixes give {fixed!r}, expected {example['fixed']!r}"
        after = lint_source(from_text(fixed), config).diagnostics
        if any(d.code == spec.code for d in after):
            return "the fixed text is still reported"
    elif fixed != example["text"]:
        return f"the fixes change the text to {fixed!r}; give it as 'fixed'"
    return None


def run_examples(
    rules: Mapping[str, RuleSpec], specs: Mapping[str, RuleSpec]
) -> Iterator[tuple[RuleSpec, int, ExampleFailure | None]]:
    """For each example of ``rules`` (by code): its rule, its number, and its failure or None."""
    for _, spec in sorted(rules.items()):
        for verdict in ("fail", "pass"):
            for index, example in enumerate(spec.examples.get(verdict, ())):
                problem = check_example(spec, specs, verdict, example)
                failure = None if problem is None else ExampleFailure(spec, verdict, index, problem)
                yield spec, index, failure
