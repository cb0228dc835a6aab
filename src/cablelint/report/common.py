"""Helpers shared by the output formats: diagnostic records, line text, fingerprint keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Fix
from ..results import Excerpt, FileResult


def line_text(excerpt: Excerpt | None, line: int) -> str:
    """The text of flagged ``line`` (1-based) without its line ending; empty when unknown."""
    return "" if excerpt is None else excerpt.line(line).rstrip("\r")


def occurrences(result: FileResult) -> Iterator[tuple[Diagnostic, str, int]]:
    """Each diagnostic with its normalised line text and the occurrence index of that pair.

    The index counts earlier diagnostics of the file with the same code and line text, so a
    fingerprint built from the three survives lines moving up or down.
    """
    counts: dict[tuple[str, str], int] = {}
    for diag in result.diagnostics:
        text = " ".join(line_text(result.excerpt, diag.span.line).split())
        key = (diag.code, text)
        index = counts.get(key, 0)
        counts[key] = index + 1
        yield diag, text, index


def _position(excerpt: Excerpt | None, offset: int) -> dict[str, int]:
    line, column = excerpt.position(offset) if excerpt else (1, offset + 1)
    return {"line": line, "column": column}


def fix_record(excerpt: Excerpt | None, fix: Fix | None) -> dict[str, Any] | None:
    """A fix as plain data with 1-based start and end positions of each edit."""
    if fix is None:
        return None
    edits = [
        {
            "start": _position(excerpt, e.start),
            "end": _position(excerpt, e.end),
            "content": e.replacement,
        }
        for e in fix.edits
    ]
    record = {"applicability": fix.applicability, "message": fix.message, "edits": edits}
    if fix.encoding is not None:
        record["encoding"] = fix.encoding  # the file is converted to this encoding
    return record


def diagnostic_record(result: FileResult, diag: Diagnostic) -> dict[str, Any]:
    """One diagnostic as the plain data of the json and json-lines formats."""
    span = diag.span
    return {
        "path": result.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": diag.code,
        "name": diag.name,
        "severity": str(diag.severity),
        "message": diag.message,
        "fix": fix_record(result.excerpt, diag.fix),
    }
