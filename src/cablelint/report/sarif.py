"""SARIF 2.1.0: one run, rules metadata from the specs, fingerprints and fixes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Protocol
from urllib.parse import quote

from cablelint import __version__
from cablelint.engine.results import Excerpt, FileResult, occurrences
from cablelint.model.diagnostics import Diagnostic, Fix, Severity

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/cablelint/cablelint"
FINGERPRINT_KEY = "cablelint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


class SpecLike(Protocol):
    """The rule metadata SARIF needs (``specs.RuleSpec`` fits; any such object will do)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def rationale(self) -> str: ...
    @property
    def severity(self) -> Severity | str: ...
    @property
    def fix(self) -> str | None:  # "none", "safe" or "unsafe"
        ...


def artifact_uri(path: str) -> str:
    """A relative POSIX URI reference for a relative path, a ``file:`` URI for an absolute one."""
    posix = PureWindowsPath(path).as_posix() if "\\" in path else path
    pure = PurePosixPath(posix)
    if pure.is_absolute() or PureWindowsPath(path).is_absolute():
        return "file://" + quote(posix if posix.startswith("/") else "/" + posix, safe="/:")
    return quote(str(pure), safe="/")


def fingerprint(code: str, line_text: str, index: int) -> str:
    """sha256 of code, normalised line text and occurrence index of that pair in the file."""
    return hashlib.sha256("\0".join((code, line_text, str(index))).encode("utf-8")).hexdigest()


def _rule(spec: SpecLike) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": spec.code,
        "name": spec.name,
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": spec.rationale},
        "defaultConfiguration": {"level": LEVELS[Severity.parse(str(spec.severity))]},
    }
    if spec.fix in ("safe", "unsafe"):
        extra = "" if spec.fix == "safe" else " (needs --unsafe-fixes)"
        rule["help"] = {"text": f"Automatic fix: {spec.fix}, with --fix{extra}"}
    return rule


def _bare_rule(diag: Diagnostic) -> dict[str, Any]:
    return {"id": diag.code, "name": diag.name, "shortDescription": {"text": diag.name}}


def _rules(
    results: Sequence[FileResult], specs: Mapping[str, SpecLike] | None
) -> list[dict[str, Any]]:
    """All given specs, plus a bare rule for any code in the results without a spec."""
    by_code = {s.code: _rule(s) for s in (specs or {}).values()}
    for diag in (d for r in results for d in r.diagnostics):
        by_code.setdefault(diag.code, _bare_rule(diag))
    return [by_code[code] for code in sorted(by_code)]


def _region(excerpt: Excerpt | None, start: int, end: int) -> dict[str, int]:
    if excerpt is None:
        return {"charOffset": start, "charLength": end - start}
    span = excerpt.span(start, end)
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _fix(uri: str, excerpt: Excerpt | None, fix: Fix) -> dict[str, Any]:
    replacements = [
        {
            "deletedRegion": _region(excerpt, e.start, e.end),
            "insertedContent": {"text": e.replacement},
        }
        for e in fix.edits
    ]
    record: dict[str, Any] = {
        "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        "properties": {"applicability": fix.applicability},
    }
    if fix.message:
        record["description"] = {"text": fix.message}
    return record


def _results(result: FileResult, index_of: Mapping[str, int]) -> list[dict[str, Any]]:
    uri = artifact_uri(result.path)
    out: list[dict[str, Any]] = []
    for diag, text, index in occurrences(result):
        region = _region(result.excerpt, diag.span.start, diag.span.end)
        item: dict[str, Any] = {
            "ruleId": diag.code,
            "ruleIndex": index_of[diag.code],
            "level": LEVELS[diag.severity],
            "message": {"text": diag.message},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(diag.code, text, index)},
        }
        if diag.related:  # each instance a finding counts, where it stands
            item["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": _region(result.excerpt, r.span.start, r.span.end),
                    },
                    "message": {"text": r.message},
                }
                for number, r in enumerate(diag.related)
            ]
        if diag.fix is not None and diag.fix.edits:  # SARIF cannot say "convert the encoding"
            item["fixes"] = [_fix(uri, result.excerpt, diag.fix)]
        out.append(item)
    return out


def _invocation(results: Sequence[FileResult]) -> dict[str, Any]:
    """Whether every file was read; unreadable files become error notifications."""
    notes = [
        {
            "level": "error",
            "message": {"text": r.error},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.path)}}}
            ],
        }
        for r in results
        if r.error is not None
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not notes}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def build(
    results: Sequence[FileResult], specs: Mapping[str, SpecLike] | None = None
) -> dict[str, Any]:
    """The SARIF log as plain data."""
    rules = _rules(results, specs)
    index_of = {rule["id"]: i for i, rule in enumerate(rules)}
    driver = {
        "name": "cablelint",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [_invocation(results)],
        "columnKind": "unicodeCodePoints",
        "results": [item for r in results for item in _results(r, index_of)],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(results: Sequence[FileResult], specs: Mapping[str, SpecLike] | None = None) -> str:
    """The SARIF log, indented by two spaces, non-ASCII kept."""
    return json.dumps(build(results, specs), indent=2, ensure_ascii=False) + "\n"
