"""GitHub Actions workflow commands: ``::error file=...,line=...::message`` annotations."""

from __future__ import annotations

from collections.abc import Sequence

from cablelint.engine.results import FileResult
from cablelint.model.diagnostics import Diagnostic, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message as ``@actions/core`` does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value: the message escapes plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(path: str, diag: Diagnostic) -> str:
    span = diag.span
    props = {
        "file": path,
        "line": span.line,
        "col": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "title": diag.code,
    }
    joined = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    return f"::{COMMANDS[diag.severity]} {joined}::{escape_data(diag.message)}"


def render(results: Sequence[FileResult]) -> str:
    """One annotation per diagnostic; an unreadable file gives a file-level ``::error``."""
    lines: list[str] = []
    for result in results:
        if result.error is not None:
            path = escape_property(result.path)
            lines.append(f"::error file={path}::{escape_data(result.error)}")
        lines.extend(_annotation(result.path, d) for d in result.diagnostics)
    return "".join(line + "\n" for line in lines)
