"""JUnit XML: a test suite per file, one failing test case per finding (as ruff does).

A file without findings is one passing test case, so that a test-report widget counts every
file checked; a file that could not be read is one test case with an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from cablelint.engine.results import FileResult

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot carry, written as ``\\xNN`` / ``\\uNNNN`` escapes."""
    return _NOT_XML.sub(lambda m: m[0].encode("unicode_escape", "backslashreplace").decode(), text)


def _suite(result: FileResult) -> ET.Element:
    path = _clean(result.path)
    suite = ET.Element("testsuite", name=path)
    if result.error is not None:
        case = ET.SubElement(suite, "testcase", name="read", classname=path)
        ET.SubElement(case, "error", message=_clean(result.error))
    for diag in result.diagnostics:
        span = diag.span
        case = ET.SubElement(
            suite,
            "testcase",
            name=f"{diag.code} {diag.name}",
            classname=path,
            file=path,
            line=str(span.line),
        )
        failure = ET.SubElement(case, "failure", type=diag.code, message=_clean(diag.message))
        where = f"{path}:{span.line}:{span.column}"
        failure.text = _clean(f"{where}: {diag.code} [{diag.severity}] {diag.message}")
    if result.error is None and not result.diagnostics:
        ET.SubElement(suite, "testcase", name="no findings", classname=path)
    _count(suite)
    return suite


def _count(element: ET.Element) -> None:
    """The ``tests``, ``failures`` and ``errors`` attributes of a suite (or of all suites)."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))


def render(results: Sequence[FileResult]) -> str:
    """``<testsuites name="cablelint">`` with a ``<testsuite>`` per file, in file order."""
    root = ET.Element("testsuites", name="cablelint")
    root.extend(_suite(r) for r in results)
    _count(root)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
