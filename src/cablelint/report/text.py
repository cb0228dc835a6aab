"""The human format: ``path:line:col: CODE [severity] message``, optionally with the source."""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Diagnostic
from ..results import Excerpt, FileResult
from ..source import escape_controls


def _source_lines(excerpt: Excerpt, diag: Diagnostic) -> list[str]:
    """The flagged line (CR removed, other control characters escaped) and a caret line under
    the span on that line."""
    line = excerpt.line(diag.span.line)
    col = diag.span.column - 1
    stop = col + diag.span.end - diag.span.start if diag.span.end_line == diag.span.line else None
    before = escape_controls(line[:col].replace("\r", ""))
    width = len(escape_controls(line[col:stop].replace("\r", "")))
    pad = "".join(c if c == "\t" else " " for c in before)
    return [escape_controls(line.replace("\r", "")), pad + "^" + "~" * (width - 1)]


def _format(path: str, diag: Diagnostic) -> str:
    span = diag.span
    marker = " [*]" if diag.fix is not None else ""
    return f"{path}:{span.line}:{span.column}: {diag.code} [{diag.severity}] {diag.message}{marker}"


def render(results: Sequence[FileResult], *, show_source: bool = False) -> str:
    """One line per diagnostic (``[*]`` marks a fix), ``path: error: ...`` for unreadable files."""
    lines: list[str] = []
    for result in results:
        if result.error is not None:
            lines.append(f"{result.path}: error: {result.error}")
        for diag in result.diagnostics:
            lines.append(_format(result.path, diag))
            if show_source and result.excerpt is not None:
                lines.extend(_source_lines(result.excerpt, diag))
    return "".join(line + "\n" for line in lines)
