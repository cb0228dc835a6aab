"""Declarative rule kinds (pattern, substitution, vocabulary, required): user rules in YAML."""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Finding
from ..registry import Check, CheckContext
from ..specs import RuleSpec


def declarative_check(spec: RuleSpec) -> Check:
    """The check function for a declarative spec (stub until the matchers land)."""

    def run(ctx: CheckContext) -> Iterable[Finding]:
        return ()

    return run
