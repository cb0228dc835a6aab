"""Tool diagnostics (CBL0xx, CBL900): decoding, lines that fit nowhere, unparsable field values."""

from __future__ import annotations

from collections.abc import Iterator

from cablelint.model.cable import kind_name
from cablelint.model.diagnostics import Finding, Fix
from cablelint.model.source import CONVERTIBLE
from cablelint.ruleset.registry import CheckContext, check

#: The unsafe fix of a file that is not UTF-8 but decoded without loss.
TO_UTF8 = Fix((), "unsafe", "Convert the file to UTF-8", encoding="utf-8")


@check("CBL001", residue=True)  # decode issues are placed in the file
def decode_problem(ctx: CheckContext) -> Iterator[Finding]:
    """CP1252: the first byte that is not UTF-8; UTF-16: the first line; replaced bytes: from the
    first to the end of its line. The first two can be converted to UTF-8 (unsafe: a CP1252
    guess may be wrong, and other tools may expect the file's encoding)."""
    for issue in ctx.source.issues:
        if issue.kind not in ("cp1252", "utf16", "replacement"):
            continue
        end = ctx.text.find("\n", issue.offset)
        end = len(ctx.text) if end == -1 else end
        if issue.kind == "cp1252":
            end = min(issue.offset + 1, len(ctx.text))
        fix = TO_UTF8 if issue.kind in CONVERTIBLE else None
        yield ctx.finding(issue.offset, end, issue.message, fix)


@check("CBL002")
def unknown_line(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per run of consecutive misplaced lines (a repeated header is one finding)."""
    runs: list[list] = []
    for problem in ctx.cable.unknown:
        if runs and problem.span.line <= runs[-1][-1].span.end_line + 1:
            runs[-1].append(problem)
        else:
            runs.append([problem])
    for run in runs:
        if len(run) == 1:
            yield Finding(run[0].span, run[0].message)
            continue
        first, last = run[0].span, run[-1].span
        kind = kind_name(ctx.line(first.line).kind)
        count = last.end_line - first.line + 1
        yield ctx.finding(
            first.start,
            last.end,
            f"{count} consecutive lines, starting with a {kind} line, do not fit the cable"
            " structure here (a repeated header or a splice?)",
        )


@check("CBL900")
def field_syntax(ctx: CheckContext) -> Iterator[Finding]:
    header = ctx.cable.header
    for problem in ctx.cable.problems:
        if problem.kind != "field":
            continue
        if header and header.span.start <= problem.span.start < header.span.end:
            continue  # header lines are CBL101's
        yield Finding(problem.span, problem.message)
