"""Helpers shared by the output formats: diagnostic records, line text, fingerprint keys."""

from __future__ import annotations

from typing import Any

from cablelint.engine.results import Excerpt, FileResult
from cablelint.model.diagnostics import Diagnostic, Fix


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
