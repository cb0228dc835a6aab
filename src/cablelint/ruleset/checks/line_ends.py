"""CBL510's line ends: a file's own convention, and the lines that break it.

A file whose line ends are all LF or all CRLF follows one convention, which the rule accepts or
reports once (the ``line-ending`` option). Mixed line ends are damage: the lines whose end
differs from the convention (the configured one, else the majority of LF and CRLF) are reported
where they are, one finding per run of consecutive lines. A lone CR is never a convention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import groupby

from cablelint.model.cable import Line
from cablelint.model.diagnostics import Edit, Finding, Fix
from cablelint.ruleset.registry import CheckContext

LF, CRLF, CR = "LF", "CRLF", "CR"
#: The characters of each line end, and the option value that asks for it.
NEWLINES = {LF: "\n", CRLF: "\r\n", CR: "\r"}
STYLES = {"lf": LF, "crlf": CRLF}


class LineEnd:
    """The end of one line: its kind and where its characters lie in the text."""

    __slots__ = ("kind", "line", "start")

    def __init__(self, line: Line, kind: str, start: int) -> None:
        self.line, self.kind, self.start = line, kind, start

    @property
    def end(self) -> int:
        return self.start + len(NEWLINES[self.kind])

    def to(self, kind: str) -> Edit:
        """The edit that makes this line end an LF or CRLF one: a CR deleted or inserted where
        possible, so that the edit holds no bare LF (the engine writes a fix's LFs in a CRLF
        file as CRLF)."""
        if self.kind == CRLF:  # to LF
            return Edit(self.start, self.start + 1, "")
        if self.kind == LF:  # to CRLF
            return Edit(self.start, self.start, "\r")
        return Edit(self.start, self.end, NEWLINES[kind])


def line_ends(text: str, lines: Sequence[Line]) -> list[LineEnd]:
    """The line end of every line that has one (the last line may not)."""
    found = []
    size = len(text)
    for line in lines:
        end = line.start + len(line.text)
        if end >= size:
            break
        if text[end] == "\r":
            found.append(LineEnd(line, CR, end))
        elif line.text.endswith("\r"):
            found.append(LineEnd(line, CRLF, end - 1))
        else:
            found.append(LineEnd(line, LF, end))
    return found


def convention(ends: Sequence[LineEnd], style: str) -> str:
    """The line end the file should use: the configured one, else the commoner of LF and CRLF
    (LF on a tie, and when the file has neither)."""
    if style in STYLES:
        return STYLES[style]
    counts = Counter(end.kind for end in ends)
    return CRLF if counts[CRLF] > counts[LF] else LF


def target_newline(text: str, lines: Sequence[Line], style: str) -> str:
    """The characters of the line end the file should use (for a line end the rule adds)."""
    if style in STYLES:
        return NEWLINES[STYLES[style]]
    if "\r" not in text:
        return "\n"
    return NEWLINES[convention(line_ends(text, lines), style)]


def line_end_findings(ctx: CheckContext, style: str) -> Iterator[Finding]:
    """Line ends other than the file's convention: one finding for a file that follows another
    convention throughout, else one per run of lines that break it."""
    text, lines = ctx.text, ctx.cable.lines
    if "\r" not in text and style != "crlf":
        return  # every line end is LF, which is the convention (the common case)
    ends = line_ends(text, lines)
    wanted = convention(ends, style)
    wrong = [end for end in ends if end.kind != wanted]
    if not wrong:
        return
    if len(wrong) == len(ends) and len({end.kind for end in wrong}) == 1:
        yield _whole_file(ctx, wrong, wanted)
        return
    kept = len(ends) - len(wrong)
    runs = groupby(enumerate(wrong), key=lambda item: (item[1].kind, item[1].line.number - item[0]))
    for (_kind, _), run in runs:
        yield _run(ctx, [end for _, end in run], wanted, kept)


def _named(kind: str, count: int) -> str:
    if kind == CR:
        return "lone carriage return (CR without LF)" if count == 1 else (
            f"{count} lone carriage returns (CR without LF)"
        )  # fmt: skip
    return f"{count} {kind} line end{'s' if count > 1 else ''}"


def _whole_file(ctx: CheckContext, ends: list[LineEnd], wanted: str) -> Finding:
    kind = ends[0].kind
    count = len(ends)
    what = f"{count} CR line end{'s' if count > 1 else ''}" if kind == CR else _named(kind, count)
    return ctx.finding(
        ends[0].start,
        ends[0].start + 1,
        f"{what}; expected {wanted}",
        Fix(tuple(end.to(wanted) for end in ends), "safe", f"Convert {kind} to {wanted}"),
    )


def _run(ctx: CheckContext, run: list[LineEnd], wanted: str, kept: int) -> Finding:
    kind = run[0].kind
    if kind == CR and len(run) == 1:
        expected = "a line feed" if wanted == LF else wanted
        message = f"{_named(CR, 1)}; expected {expected}"
    else:
        message = f"{_named(kind, len(run))} mixed with {kept} {wanted}; expected {wanted}"
    return ctx.finding(
        run[0].start,
        run[-1].start + 1,
        message,
        Fix(tuple(end.to(wanted) for end in run), "safe", f"Convert {kind} to {wanted}"),
    )
