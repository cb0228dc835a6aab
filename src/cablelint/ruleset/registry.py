"""Binds rule codes to their Python checks, and the context a check receives.

A check is ``def name(ctx: CheckContext) -> Iterable[Finding]``: it reads the cable model and
the options, does no I/O, and knows neither its code nor its severity (the engine stamps them).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from cablelint.model.cable import Cable, Line
from cablelint.model.diagnostics import Edit, Finding, Fix, Span
from cablelint.model.source import SourceText

Check = Callable[["CheckContext"], Iterable[Finding]]
CHECKS: dict[str, Check] = {}
#: The codes whose checks read the conversion residue (``Cable.residue``): their context's
#: source is the file itself, not the cable text inside the residue.
RESIDUE_CHECKS: set[str] = set()
#: A rule's second check, over the conversion residue, beside its check of the cable.
RESIDUE_PARTS: dict[str, Check] = {}
V = TypeVar("V")


def check(code: str, *, residue: bool = False) -> Callable[[Check], Check]:
    """Register ``fn`` as the check of rule ``code`` (one check per code); ``residue``: it reads
    the conversion residue, and its context's source is the file (not the cable inside it)."""

    def register(fn: Check) -> Check:
        if code in CHECKS and CHECKS[code] is not fn:
            raise ValueError(f"two checks registered for {code}")
        CHECKS[code] = fn
        if residue:
            RESIDUE_CHECKS.add(code)
        return fn

    return register


class CheckContext(NamedTuple):
    """What a check may read: the cable, its source text, and the rule's effective options.

    ``facts`` holds what :func:`shared_fact` functions computed for this cable, ``memo`` what
    :func:`from_options` functions computed from the rule's options (it lives as long as the
    Linter that owns it); without them, each call computes afresh. A NamedTuple: the engine
    makes one per rule and cable.
    """

    cable: Cable
    source: SourceText
    options: Mapping[str, object] = MappingProxyType({})
    facts: dict[Callable, object] | None = None
    memo: dict[Callable, object] | None = None

    @property
    def text(self) -> str:
        return self.source.text

    def span(self, start: int, end: int) -> Span:
        return self.source.index.span(start, end)

    def line(self, number: int) -> Line:
        return self.cable.lines[number - 1]

    def line_at(self, offset: int) -> Line:
        """The physical line holding the character at ``offset``."""
        return self.cable.lines[bisect_right(self.source.index.line_starts, offset) - 1]

    def in_file(self, span: Span) -> Span:
        """Where a span of the cable model stands in the file, for a message that names a line
        or column: the span itself, unless the cable was read from inside a converter's
        residue (then the model's spans are in the text inside it)."""
        residue = self.cable.residue
        return residue.file_span(span) if residue.nodes else span

    def file_line(self, number: int) -> int:
        """The number in the file of the model's line ``number`` (see :meth:`in_file`)."""
        if not self.cable.residue.nodes:
            return number
        return self.in_file(self.cable.lines[number - 1].span).line

    def finding(self, start: int, end: int, message: str, fix: Fix | None = None) -> Finding:
        return Finding(self.span(start, end), message, fix)

    def finding_in(
        self, line: Line, match: re.Match[str], message: str, group: int | str = 0
    ) -> Finding:
        """A finding over ``group`` of ``match``, a match in ``line``'s content."""
        start = line.span.start + match.start(group)
        return Finding(self.span(start, start + len(match.group(group))), message)

    @staticmethod
    def finding_on(span: Span, message: str, fix: Fix | None = None) -> Finding:
        """A finding over a model node's own span (no position arithmetic again)."""
        return Finding(span, message, fix)

    @staticmethod
    def replace(
        start: int, end: int, replacement: str, message: str, *, unsafe: bool = False
    ) -> Fix:
        """A one-edit fix."""
        return Fix((Edit(start, end, replacement),), "unsafe" if unsafe else "safe", message)


def residue_part(code: str) -> Callable[[Check], Check]:
    """Register ``fn`` as rule ``code``'s check of the conversion residue, beside its check of
    the cable (a rule that reports the same damage whether a converter or a person made it)."""

    def register(fn: Check) -> Check:
        if code in RESIDUE_PARTS and RESIDUE_PARTS[code] is not fn:
            raise ValueError(f"two residue checks registered for {code}")
        RESIDUE_PARTS[code] = fn
        return fn

    return register


def shared_fact(fn: Callable[[CheckContext], V]) -> Callable[[CheckContext], V]:
    """Compute ``fn(ctx)`` once per linted cable: the engine gives the contexts of one cable the
    same ``facts``, so rules that read the same derived fact share it. It must be immutable."""

    @wraps(fn)
    def cached(ctx: CheckContext) -> V:
        facts = ctx.facts
        if facts is None:
            return fn(ctx)
        value = facts.get(fn, facts)  # the dict itself: not computed yet (None may be a fact)
        if value is facts:
            value = facts[fn] = fn(ctx)
        return value  # type: ignore[return-value]

    return cached


def from_options(fn: Callable[[Mapping[str, object]], V]) -> Callable[[CheckContext], V]:
    """Compute ``fn(options)`` once per rule of a Linter: a table a check derives from its
    options (which do not change while the Linter lives) is kept in the rule's ``memo``, owned by
    that Linter. It must be immutable, or never changed."""

    @wraps(fn)
    def cached(ctx: CheckContext) -> V:
        memo = ctx.memo
        if memo is None:
            return fn(ctx.options)
        if fn not in memo:
            memo[fn] = fn(ctx.options)
        return memo[fn]  # type: ignore[return-value]

    return cached
