"""In-process entry points: lint or fix a text with a chosen rule selection (no files touched).

A :class:`Linter` made from a configuration owns what linting under it derives (checks, plans,
memos): make one and reuse it for many texts. The functions that take a ``Config`` make a
Linter for the one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from cablelint.engine.config import Config, RuleSettings, load_config
from cablelint.engine.fix import FixOutcome
from cablelint.engine.lint import LintOutcome
from cablelint.engine.linter import Linter
from cablelint.model.diagnostics import Diagnostic
from cablelint.model.source import SourceText, from_text
from cablelint.ruleset.specs import RuleSpec, load_shipped_specs, validate_options

__all__ = (
    "Linter",
    "configure",
    "converted",
    "fix_source",
    "fix_text",
    "lint_source",
    "lint_text",
    "linter",
    "shipped_specs",
)


def shipped_specs() -> Mapping[str, RuleSpec]:
    """The built-in rules by code (read-only; loaded once per process)."""
    return load_shipped_specs()


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


def linter(
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    options: Mapping[str, Mapping[str, object]] | None = None,
) -> Linter:
    """A Linter of :func:`configure`'s configuration."""
    return Linter(configure(select, ignore, options))


def _linter(target: Linter | Config) -> Linter:
    return target if isinstance(target, Linter) else Linter(target)


def lint_source(source: SourceText, target: Linter | Config) -> LintOutcome:
    return _linter(target).lint(source)


def lint_text(text: str, select: Sequence[str] | None = None, **kw) -> list[Diagnostic]:
    """Diagnostics for ``text`` under the default profile (or only the ``select``ed rules)."""
    return list(linter(select, **kw).lint(from_text(text)).diagnostics)


def converted(source: SourceText, target: Linter | Config) -> SourceText | None:
    """``source`` to be written in the encoding a fix of its findings converts it to (CBL001's
    unsafe conversion to UTF-8), or None when no enabled rule offers one."""
    return _linter(target).converted(source)


def fix_source(source: SourceText, target: Linter | Config, *, unsafe: bool = False) -> FixOutcome:
    """Apply fixes until stable; the source's encoding and newlines are the original's."""
    return _linter(target).fix(source, unsafe=unsafe)


def fix_text(text: str, select: Sequence[str] | None = None, *, unsafe: bool = False, **kw) -> str:
    return linter(select, **kw).fix(from_text(text), unsafe=unsafe).text
