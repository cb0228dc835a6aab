"""Tool diagnostics (CBL0xx, CBL900): decoding, lines that fit nowhere, unparsable field values."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Finding
from ..registry import CheckContext, check


@check("CBL001")
def decode_problem(ctx: CheckContext) -> Iterator[Finding]:
    for issue in ctx.source.issues:
        if issue.kind in ("cp1252", "replacement"):
            end = ctx.text.find("\n", issue.offset)
            yield ctx.finding(issue.offset, end if end != -1 else len(ctx.text), issue.message)


@check("CBL002")
def unknown_line(ctx: CheckContext) -> Iterator[Finding]:
    for problem in ctx.cable.unknown:
        yield Finding(problem.span, problem.message)


@check("CBL900")
def field_syntax(ctx: CheckContext) -> Iterator[Finding]:
    header = ctx.cable.header
    for problem in ctx.cable.problems:
        if problem.kind != "field":
            continue
        if header and header.span.start <= problem.span.start < header.span.end:
            continue  # header lines are CBL101's
        yield Finding(problem.span, problem.message)
