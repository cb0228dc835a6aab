"""A ``Linter``: one resolved configuration, and everything a run derives from it.

The process keeps only read-only data made from cablelint's own files (grammar tables, the
built-in rules and their checks, the curated reference data). What depends on a configuration
belongs to the ``Linter`` made from it: the plan of enabled checks (one per set of enabled rules,
since per-file ignores switch rules off for some files), the checks of declarative rules (their
compiled patterns and word lists), and each rule's values derived from its options
(:func:`cablelint.ruleset.registry.from_options`). Two Linters never share any of it.
"""

from __future__ import annotations

from collections.abc import Mapping

from cablelint.engine.config import Config, RuleSettings
from cablelint.engine.fix import FixOutcome, fix_until_stable
from cablelint.engine.lint import ENGINE_CODES, LintOutcome, Plan, lint
from cablelint.model.source import CONVERTIBLE, SourceText
from cablelint.ruleset import registry
from cablelint.ruleset.checks.declarative import declarative_check


class Linter:
    """Lints and fixes texts under one configuration (``config``)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        #: Code -> the rule's check (a declarative rule's is built here, once), or None.
        self._checks: dict[str, registry.Check | None] = {}
        #: Code -> what the rule's ``from_options`` functions computed from its options.
        self._memos: dict[str, dict] = {}
        #: The enabled codes -> their plan (the configuration's, and those of per-file ignores).
        self._plans: dict[frozenset[str], Plan] = {}
        self._plan = self._make_plan(config.rules)
        self._fingerprint: str | None = None

    @property
    def fingerprint(self) -> str:
        """The configuration's fingerprint (for the result cache), computed once."""
        if self._fingerprint is None:
            self._fingerprint = self.config.fingerprint()
        return self._fingerprint

    def lint(
        self, source: SourceText, rules: Mapping[str, RuleSettings] | None = None
    ) -> LintOutcome:
        """Lint ``source`` with the configuration's rules, or with ``rules``: some of them
        (:meth:`Config.rules_for` a file)."""
        if rules is None or rules is self.config.rules:
            return lint(source, self.config.rules, self._plan)
        return lint(source, rules, self._plan_of(rules))

    def fix(
        self,
        source: SourceText,
        *,
        unsafe: bool = False,
        rules: Mapping[str, RuleSettings] | None = None,
    ) -> FixOutcome:
        """Apply fixes until stable; the source's encoding and newlines are the original's."""

        def run(text: str) -> LintOutcome:
            # Same encoding and BOM as the original: only the text changes.
            return self.lint(source.with_text(text), rules)

        return fix_until_stable(source.text, run, unsafe=unsafe)

    def converted(
        self, source: SourceText, rules: Mapping[str, RuleSettings] | None = None
    ) -> SourceText | None:
        """``source`` to be written in the encoding a fix of its findings converts it to (CBL001's
        unsafe conversion to UTF-8), or None when no enabled rule offers one."""
        if not any(issue.kind in CONVERTIBLE for issue in source.issues):
            return None  # the common case: no lint needed to know
        for diag in self.lint(source, rules).diagnostics:
            if diag.fix is not None and diag.fix.encoding is not None:
                return source.converted(diag.fix.encoding)
        return None

    # --- the plan ---------------------------------------------------------------------------------

    def _plan_of(self, rules: Mapping[str, RuleSettings]) -> Plan:
        key = frozenset(rules)
        plan = self._plans.get(key)
        return plan if plan is not None else self._make_plan(rules)

    def _make_plan(self, rules: Mapping[str, RuleSettings]) -> Plan:
        """The checks of the codes of ``rules`` in code order, with the configuration's
        settings of each (``rules`` names some of its rules) and the rule's memo."""
        found = []
        for code in sorted(rules):
            if code in ENGINE_CODES:
                continue
            settings = self.config.rules[code]
            memo = self._memos.setdefault(code, {})
            fn = self._check(code)
            if fn is not None:
                found.append((code, settings, fn, code in registry.RESIDUE_CHECKS, memo))
            if code in registry.RESIDUE_PARTS:
                found.append((code, settings, registry.RESIDUE_PARTS[code], True, memo))
        plan = tuple(found)
        self._plans[frozenset(rules)] = plan
        return plan

    def _check(self, code: str) -> registry.Check | None:
        if code not in self._checks:
            from cablelint.ruleset.checks import builtin_checks  # imports every check module

            spec = self.config.specs[code]
            fn = builtin_checks().get(code)
            if fn is None and spec.kind != "python":
                fn = declarative_check(spec)
            self._checks[code] = fn
        return self._checks[code]
