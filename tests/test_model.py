"""The cable model, pinned on synthetic fixtures: exact values and exact spans.

Each ``tests/fixtures/parse/<name>.txt`` has a hand-written ``<name>.expect.yml`` mapping a dotted
path into the model (attributes and tuple indexes) to its expected value. Spans are written
``line:col-end_line:end_col`` (1-based, end exclusive); pieces as ``{text, span}``, markers as
``{kind, text, span}`` and redactions as ``{text, canonical, span}``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from cablelint.model.build import build
from cablelint.model.cable import Marker, Piece, Redaction
from cablelint.model.diagnostics import Span
from cablelint.model.source import decode

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CASES = sorted(FIXTURES.glob("*.expect.yml"))


def resolve(obj: object, path: str) -> object:
    for part in path.split("."):
        obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
    return obj


def render(value: object) -> object:
    """The model value in the notation of the expectation files."""
    if isinstance(value, Span):
        return f"{value.line}:{value.column}-{value.end_line}:{value.end_column}"
    if isinstance(value, Piece):
        return {"text": value.text, "span": render(value.span)}
    if isinstance(value, Marker):
        return {"kind": value.kind, "text": value.text, "span": render(value.span)}
    if isinstance(value, Redaction):
        return {"text": value.text, "canonical": value.canonical, "span": render(value.span)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [render(v) for v in value]
    return value


def _expectations():
    for case in CASES:
        name = case.name.removesuffix(".expect.yml")
        for path, expected in yaml.safe_load(case.read_text(encoding="utf-8")).items():
            yield pytest.param(name, path, expected, id=f"{name}:{path}")


@pytest.fixture(scope="module")
def cables() -> dict:
    return {
        case.name.removesuffix(".expect.yml"): build(
            decode((FIXTURES / case.name.replace(".expect.yml", ".txt")).read_bytes())
        )
        for case in CASES
    }


@pytest.mark.parametrize(("name", "path", "expected"), list(_expectations()))
def test_model_value(cables: dict, name: str, path: str, expected: object) -> None:
    value = resolve(cables[name], path)
    if path == "problems":
        value = [(p.kind, render(p.span)) for p in value]
        expected = [tuple(p) for p in expected]
    assert render(value) == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_span_slices_its_text(cables: dict, case: Path) -> None:
    """A Piece's (or Marker's, or Redaction's) span, applied to the text, gives back its text."""
    cable = cables[case.name.removesuffix(".expect.yml")]
    for path in yaml.safe_load(case.read_text(encoding="utf-8")):
        value = resolve(cable, path)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, Piece | Marker | Redaction):
                assert cable.text[item.span.start : item.span.end] == item.text, path


def test_a_run_of_misplaced_lines_is_one_finding() -> None:
    from cablelint.engine.api import lint_text

    text = (FIXTURES / "record_dump.txt").read_text(encoding="utf-8")
    (finding,) = lint_text(text, select=["CBL002"])
    assert (finding.span.line, finding.span.column, finding.span.end_line) == (8, 1, 9)
    assert finding.message == (
        "2 consecutive lines, starting with a VZCZC transmission id line, do not fit the cable"
        " structure here (a repeated header or a splice?)"
    )


def test_lines_store_content_without_cr_and_blankness() -> None:
    cable = build(decode(b"UNCLASSIFIED\r\n\r\n1. (U) Text.\n"))
    first, blank, last = cable.lines
    assert (first.text, first.content, first.blank) == ("UNCLASSIFIED\r", "UNCLASSIFIED", False)
    assert (blank.text, blank.content, blank.kind, blank.blank) == ("\r", "", "BLANK", True)
    assert (last.content, last.span) == ("1. (U) Text.", Span(16, 28, 3, 1, 3, 13))


def test_a_line_span_is_what_the_line_index_gives_for_its_text() -> None:
    text = "UNCLASSIFIED\r\n\r\n¶1. (U) Ünïcode text.\n  \nSIG"
    source = decode(text.encode())
    for line in build(source).lines:
        assert line.span == source.index.span(line.start, line.start + len(line.text))
        assert source.text[line.span.start : line.span.end] == line.text
