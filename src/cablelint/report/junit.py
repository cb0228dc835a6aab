"""JUnit XML: one test case per file, one failure per diagnostic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..results import FileResult

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot carry, written as ``\\xNN`` / ``\\uNNNN`` escapes."""
    return _NOT_XML.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode(), text)


def _testcase(result: FileResult) -> ET.Element:
    case = ET.Element("testcase", name=_clean(result.path), classname="cablelint")
    if result.error is not None:
        ET.SubElement(case, "error", message=_clean(result.error))
    for diag in result.diagnostics:
        failure = ET.SubElement(case, "failure", type=diag.code, message=_clean(diag.message))
        failure.text = _clean(f"{diag.span.line}:{diag.span.column} {diag.message}")
    return case


def render(results: Sequence[FileResult]) -> str:
    """A ``cablelint`` test suite; files without findings are passing test cases."""
    suite = ET.Element(
        "testsuite",
        name="cablelint",
        tests=str(len(results)),
        failures=str(sum(1 for r in results if r.diagnostics)),
        errors=str(sum(1 for r in results if r.error is not None)),
    )
    suite.extend(_testcase(r) for r in results)
    ET.indent(suite)
    body = ET.tostring(suite, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
