"""One lint pass over one text: build the model, run the enabled checks, stamp diagnostics.

Deterministic and free of side effects. A check that raises becomes one CBL000 diagnostic for
that file; it never brings the run down.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cablelint.engine.config import RuleSettings
from cablelint.model.build import build_with_view
from cablelint.model.cable import Cable
from cablelint.model.diagnostics import Diagnostic, Edit, Finding, Fix, Related, Severity
from cablelint.model.residue import Residue
from cablelint.model.source import SourceText
from cablelint.ruleset import registry
from cablelint.ruleset.userregex import RuleTimeout
from cablelint.support.records import record, replace

INTERNAL_ERROR = "CBL000"
BINARY_FILE = "CBL003"
EMPTY_FILE = "CBL004"
RULE_TIMEOUT = "CBL009"
#: Codes the engine itself reports (they have a spec, but no check function).
ENGINE_CODES = frozenset({INTERNAL_ERROR, BINARY_FILE, EMPTY_FILE, RULE_TIMEOUT})
#: Reported even when not selected: each says that a rule's findings for the file are missing.
_ALWAYS = frozenset({INTERNAL_ERROR, RULE_TIMEOUT})
_NAMES = {INTERNAL_ERROR: "internal-error", RULE_TIMEOUT: "rule-timeout"}
_new = tuple.__new__


@record
class LintOutcome:
    """The diagnostics of one text, and how well it parsed (for the fixer's rollback)."""

    source: SourceText
    cable: Cable | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def parse_problems(self) -> int:
        return len(self.cable.problems) if self.cable else 0


#: What a lint runs: per check in code order, its rule's code and settings, the check, whether
#: it reads the conversion residue, and the rule's memo (``registry.from_options``). A Linter
#: makes it (engine/linter.py).
Plan = tuple[tuple[str, RuleSettings, registry.Check, bool, dict], ...]


def lint(source: SourceText, rules: Mapping[str, RuleSettings], plan: Plan) -> LintOutcome:
    """Lint ``source`` with the checks of ``plan``; ``rules`` (code -> settings) are the enabled
    rules, for the findings the engine itself reports."""
    stamp = _Stamper(rules, source)
    if source.binary:
        return LintOutcome(source, None, stamp.engine(BINARY_FILE, "file is binary; not checked"))
    if not source.text or source.text.isspace():  # as ``not text.strip()``, without a copy
        return LintOutcome(source, None, stamp.engine(EMPTY_FILE, "file is empty"))
    try:
        cable, view = build_with_view(source)
    except ImportError:  # a missing dependency is the installation's fault, not the file's
        raise
    except Exception as error:
        message = f"internal error while parsing: {type(error).__name__}: {error}"
        return LintOutcome(source, None, stamp.engine(INTERNAL_ERROR, message))
    residue = cable.residue if view is not source else None
    # Shared by the checks of this cable (registry.shared_fact), per text they read: residue
    # checks read the file, the others the cable text inside the residue.
    facts: dict = {}
    file_facts = facts if residue is None else {}
    diagnostics: list[Diagnostic] = []
    context = registry.CheckContext
    for code, settings, fn, reads_residue, memo in plan:
        # Checks read the cable where it was read from (the text inside a converter's residue,
        # if any), and their findings are placed in the file; residue checks read the file.
        # A CheckContext made as NamedTuple._make makes it, without a call of its __new__.
        in_file = residue is None or reads_residue
        if in_file:
            ctx = _new(context, (cable, source, settings.options, file_facts, memo))
        else:
            ctx = _new(context, (cable, view, settings.options, facts, memo))
        before = len(diagnostics)
        try:
            for finding in fn(ctx):  # most checks find nothing: no list, no call per check
                if not in_file:
                    finding = _in_file(finding, residue, source)
                diagnostics.append(stamp.diagnostic(settings, finding))
        except ImportError:
            raise
        except RuleTimeout as timeout:
            del diagnostics[before:]  # a partial list of findings would look like the whole
            message = f"{code} ({settings.name}) {timeout}; its findings here are not reported"
            diagnostics.extend(stamp.engine(RULE_TIMEOUT, message))
        except Exception as error:
            del diagnostics[before:]  # a check that fails reports only its failure
            message = f"internal error in {code}: {type(error).__name__}: {error}"
            diagnostics.extend(stamp.engine(INTERNAL_ERROR, message))
    return LintOutcome(source, cable, _ordered(diagnostics))


def _in_file(finding: Finding, residue: Residue, source: SourceText) -> Finding:
    """A finding on the cable text inside the residue, placed in the file."""
    span = source.index.span(*residue.to_file_range(finding.span.start, finding.span.end))
    fix = finding.fix
    if fix is not None:
        edits = tuple(
            Edit(*residue.to_file_range(e.start, e.end), e.replacement) for e in fix.edits
        )
        fix = replace(fix, edits=edits)
    if not finding.related:
        return replace(finding, span=span, fix=fix)
    related = tuple(
        Related(source.index.span(*residue.to_file_range(r.span.start, r.span.end)), r.message)
        for r in finding.related
    )
    return replace(finding, span=span, fix=fix, related=related)


class _Stamper:
    """Turns findings into diagnostics with the rule's code, name and effective severity, and
    writes the line breaks a fix adds as the file ends its lines (checks write them as LF)."""

    def __init__(self, rules: Mapping[str, RuleSettings], source: SourceText) -> None:
        self.rules = rules
        self.source = source
        self.crlf = mostly_crlf(source.text)

    def diagnostic(self, settings: RuleSettings, finding: Finding) -> Diagnostic:
        level = settings.severity
        fix = finding.fix
        if self.crlf and fix is not None:
            fix = in_crlf(fix)
        return Diagnostic(
            settings.code,
            settings.name,
            min(finding.severity, level) if finding.severity is not None else level,
            printable(finding.message),
            finding.span,
            fix,
            related=tuple(Related(r.span, printable(r.message)) for r in finding.related)
            if finding.related
            else (),
        )

    def engine(self, code: str, message: str) -> tuple[Diagnostic, ...]:
        settings = self.rules.get(code)
        if settings is None and code not in _ALWAYS:
            return ()
        name = settings.name if settings else _NAMES[code]
        severity = settings.severity if settings else Severity.ERROR
        end = self.source.text.find("\n")
        span = self.source.index.span(0, end if end != -1 else len(self.source.text))
        return (Diagnostic(code, name, severity, printable(message), span),)


_BARE_LF = re.compile(r"(?<!\r)\n")


def mostly_crlf(text: str) -> bool:
    """Whether more of ``text``'s lines end in CRLF than in LF."""
    if "\r" not in text:
        return False
    crlf = text.count("\r\n")
    return crlf > text.count("\n") - crlf


def in_crlf(fix: Fix) -> Fix:
    """``fix`` with every LF its edits insert written as CRLF (a CRLF stays as it is)."""
    if not any("\n" in edit.replacement for edit in fix.edits):
        return fix
    edits = tuple(
        replace(edit, replacement=_BARE_LF.sub("\r\n", edit.replacement)) for edit in fix.edits
    )
    return replace(fix, edits=edits)


#: C0 and C1 control characters (NUL, CR, LF, ESC ...) as ``\\xNN``: a message quotes damaged
#: text, and a raw control character would break one-line output and terminals.
_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def printable(message: str) -> str:
    """``message`` with control characters escaped."""
    return message if message.isprintable() else message.translate(_CONTROL_ESCAPES)


def _ordered(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = {(d.code, d.span.start, d.span.end, d.message): d for d in diagnostics}
    return tuple(sorted(unique.values(), key=Diagnostic.sort_key))


def with_severity(diagnostic: Diagnostic, severity: Severity) -> Diagnostic:
    return replace(diagnostic, severity=severity)
