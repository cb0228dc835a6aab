"""GitLab Code Quality: a JSON list of issues with stable md5 fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from cablelint.engine.results import FileResult, occurrences
from cablelint.model.diagnostics import Severity

SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def fingerprint(path: str, code: str, line_text: str, index: int) -> str:
    """md5 of path, code, normalised line text and occurrence index: stable across line moves."""
    key = "\0".join((path, code, line_text, str(index)))
    return hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def _issues(result: FileResult) -> list[dict[str, Any]]:
    return [
        {
            "description": f"{diag.code}: {diag.message}",
            "check_name": diag.code,
            "fingerprint": fingerprint(result.path, diag.code, text, index),
            "severity": SEVERITIES[diag.severity],
            "location": {"path": result.path, "lines": {"begin": diag.span.line}},
        }
        for diag, text, index in occurrences(result)
    ]


def render(results: Sequence[FileResult]) -> str:
    """Every diagnostic as a Code Quality issue; unreadable files are not represented."""
    issues = [issue for result in results for issue in _issues(result)]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
