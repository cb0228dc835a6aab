"""The human format: ``path:line:col: CODE [severity] message``, optionally with the source.

A fix that ``--fix`` applies is marked ``[*]``; an unsafe fix, applied only with
``--unsafe-fixes``, is marked ``[~]`` (both marks as ``[*]`` when that flag is given).
"""

from __future__ import annotations

from collections.abc import Sequence

from cablelint.engine.results import Excerpt, FileResult
from cablelint.model.diagnostics import Diagnostic, Fix, Severity
from cablelint.support.records import record

#: Characters of a long source line shown around the flagged span (--show-source).
SOURCE_WIDTH = 100
#: Of those, how many are shown before the span when the line has to be cut.
SOURCE_BEFORE = 40
ELLIPSIS = "…"

#: ANSI styles (--color): Select Graphic Rendition parameters.
_RESET = "\x1b[0m"
_BOLD, _RED, _YELLOW, _CYAN = "1", "31", "33", "36"
_SEVERITY_STYLE = {Severity.ERROR: f"{_BOLD};{_RED}", Severity.WARNING: f"{_BOLD};{_YELLOW}"}


@record
class TextStyle:
    """How the text format shows findings: the source line, which fixes apply, colour."""

    show_source: bool = False
    unsafe_fixes: bool = False
    color: bool = False

    def paint(self, text: str, style: str) -> str:
        return f"\x1b[{style}m{text}{_RESET}" if self.color and text else text


def fix_mark(fix: Fix | None, unsafe_fixes: bool) -> str:
    """``[*]``: ``--fix`` applies it; ``[~]``: only with ``--unsafe-fixes``; else nothing."""
    if fix is None or not fix.applies(True):
        return ""
    return "[*]" if fix.applies(unsafe_fixes) else "[~]"


def source_window(line: str, start: int, stop: int | None) -> tuple[str, int, int]:
    """The part of ``line`` to show for the span ``line[start:stop]``, its start and its width.

    CRs are dropped. A line longer than :data:`SOURCE_WIDTH` is cut around the span, with an
    ellipsis where text is left out; the span keeps its place in what is shown.
    """
    before = line[:start].replace("\r", "")
    span = line[start:stop].replace("\r", "")
    after = line[stop:].replace("\r", "") if stop is not None else ""
    shown = before + span + after
    column, width = len(before), len(span)
    if len(shown) <= SOURCE_WIDTH:
        return shown, column, width
    low = max(0, column - SOURCE_BEFORE)
    high = min(len(shown), low + SOURCE_WIDTH)
    low = max(0, high - SOURCE_WIDTH)
    head = ELLIPSIS if low else ""
    tail = ELLIPSIS if high < len(shown) else ""
    width = max(0, min(width, high - column))
    return head + shown[low:high] + tail, column - low + len(head), width


def _source_lines(excerpt: Excerpt, diag: Diagnostic, style: TextStyle) -> list[str]:
    """The flagged line (cut around the span when long) and a caret line under the span."""
    line = excerpt.line(diag.span.line)
    col = diag.span.column - 1
    stop = col + diag.span.end - diag.span.start if diag.span.end_line == diag.span.line else None
    shown, column, width = source_window(line, col, stop)
    pad = "".join(c if c == "\t" else " " for c in shown[:column])
    return [shown, pad + style.paint("^" + "~" * (width - 1), f"{_BOLD};{_RED}")]


def _format(path: str, diag: Diagnostic, style: TextStyle) -> str:
    span, paint = diag.span, style.paint
    mark = fix_mark(diag.fix, style.unsafe_fixes)
    code = paint(diag.code, _SEVERITY_STYLE.get(diag.severity, _CYAN))
    tail = f" {paint(mark, _CYAN)}" if mark else ""
    where = f"{paint(path, _BOLD)}:{span.line}:{span.column}:"
    return f"{where} {code} [{diag.severity}] {diag.message}{tail}"


def render(results: Sequence[FileResult], style: TextStyle | None = None) -> str:
    """One line per diagnostic (with its fix mark), ``path: error: ...`` for unreadable files."""
    style = style or TextStyle()
    lines: list[str] = []
    for result in results:
        if result.error is not None:
            lines.append(f"{style.paint(result.path, _BOLD)}: error: {result.error}")
        for diag in result.diagnostics:
            lines.append(_format(result.path, diag, style))
            if style.show_source and result.excerpt is not None:
                lines.extend(_source_lines(result.excerpt, diag, style))
    return "".join(line + "\n" for line in lines)
