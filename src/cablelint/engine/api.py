"""In-process entry points: lint or fix a text with a chosen rule selection (no files touched)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from cablelint.engine.config import Config, RuleSettings, load_config
from cablelint.engine.fix import FixOutcome, fix_until_stable
from cablelint.engine.lint import LintOutcome, lint
from cablelint.model.diagnostics import Diagnostic
from cablelint.model.source import CONVERTIBLE, SourceText, from_text
from cablelint.ruleset.specs import RuleSpec, load_specs, validate_options


@cache
def shipped_specs() -> Mapping[str, RuleSpec]:
    return load_specs()


def configure(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> Config:
    """The default configuration (no config file), with a selection and per-rule options."""
    config = load_config(None, cwd=Path("/"), select=select, ignore=ignore, specs=shipped_specs())
    if not options:
        return config
    rules = dict(config.rules)
    for code, values in options.items():
        spec = config.specs[code]
        merged = validate_options(spec, dict(values), lambda _name: "options")
        rules[code] = RuleSettings(code, spec.name, rules[code].severity, merged)
    return Config(config.specs, rules)


def lint_source(source: SourceText, config: Config) -> LintOutcome:
    return lint(source, config.rules, config.specs)


def lint_text(text: str, select: Sequence[str] | None = None, **kw) -> list[Diagnostic]:
    """Diagnostics for ``text`` under the default profile (or only the ``select``ed rules)."""
    return list(lint_source(from_text(text), configure(select, **kw)).diagnostics)


def converted(source: SourceText, config: Config) -> SourceText | None:
    """``source`` to be written in the encoding a fix of its findings converts it to (CBL001's
    unsafe conversion to UTF-8), or None when no enabled rule offers one."""
    if not any(issue.kind in CONVERTIBLE for issue in source.issues):
        return None  # the common case: no lint needed to know
    for diag in lint_source(source, config).diagnostics:
        if diag.fix is not None and diag.fix.encoding is not None:
            return source.converted(diag.fix.encoding)
    return None


def fix_source(source: SourceText, config: Config, *, unsafe: bool = False) -> FixOutcome:
    """Apply fixes until stable; the source's encoding and newlines are the original's."""

    def run(text: str) -> LintOutcome:
        # Same encoding and BOM as the original: only the text changes.
        return lint_source(source.with_text(text), config)

    return fix_until_stable(source.text, run, unsafe=unsafe)


def fix_text(text: str, select: Sequence[str] | None = None, *, unsafe: bool = False, **kw) -> str:
    return fix_source(from_text(text), configure(select, **kw), unsafe=unsafe).text
