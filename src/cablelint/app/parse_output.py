"""What ``cablelint parse`` shows: the cable model as a JSON record, or the stage-1 parse tree.

Pure functions from text to strings; the CLI reads the files and prints. Importing this module
does not import Lark; building a record or a tree does.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cablelint.model.cable import Cable, Piece
    from cablelint.model.source import SourceText

PARSE_FORMATS = ("json", "tree")


def _text(piece: Piece | None) -> str | None:
    return piece.text if piece is not None else None


def _words(piece: Piece | None) -> str | None:
    """A field's text as one line: a value wrapped over lines keeps one space per break."""
    return " ".join(piece.text.split()) if piece is not None else None


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def _marking(text: str | None) -> str | None:
    if text is None:
        return None
    return text[1:-1] if text.startswith("(") and text.endswith(")") else text


def cable_record(path: str, source: SourceText, cable: Cable | None) -> dict[str, Any]:
    """The JSON-ready record of one file (``cable`` is None for a binary file)."""
    record: dict[str, Any] = {
        "path": path,
        "encoding": source.encoding,
        "bom": source.bom,
        "newline": {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}.get(source.newline, "LF"),
        "reference_id": None,
        "classification": None,
        "caveats": [],
        "dtg": None,
        "origin": None,
        "tags": [],
        "subject": None,
        "paragraphs": [],
        "signature": None,
        "problems": [],
        "de": None,
        "eo": None,
        "ref": [],
        "classified_by": None,
        "section_lines": [],
        "subheadings": [],
        "banner": None,
        "markers": [],
        "redactions": [],
    }
    if source.binary:
        end = source.index.span(0, 0)
        record["problems"].append(_problem(end, "binary-file", "file is binary; not parsed"))
    if cable is None:
        return record
    header = cable.header
    record.update(
        reference_id=cable.reference_id,
        classification=cable.classification,
        caveats=list(cable.caveats),
        dtg=_iso(cable.dtg),
        origin=cable.origin,
        tags=list(cable.tag_list),
        subject=cable.subject_text,
        paragraphs=[
            {
                "number": p.value,
                "marking": _marking(_text(p.marking)),
                "line": p.span.line,
            }
            for p in cable.paragraphs
        ],
        signature=cable.signature.name if cable.signature else None,
        problems=[
            *record["problems"],
            *(_problem(p.span, p.kind, p.message) for p in cable.problems),
        ],
    )
    de = header.de if header else None
    if de is not None:
        record["de"] = {
            "routing_indicator": _text(de.routing_indicator),
            "serial": _text(de.serial),
            "section": _text(de.section),
            "julian_day": de.julian_day,
            "time": de.time,
        }
    eo = cable.eo
    if eo is not None:
        record["eo"] = {
            "number": _text(eo.number),
            "decl": _text(eo.decl),
            "decl_date": eo.decl_date.isoformat() if eo.decl_date else None,
        }
    ref = cable.ref
    if ref is not None:
        record["ref"] = [{"letter": _text(i.letter), "text": i.text} for i in ref.items]
    by = cable.classified_by
    if by is not None:
        record["classified_by"] = {
            "person": _words(by.person),
            "reason_section": _text(by.reason_section),
            "reason_letters": [p.text for p in by.reason_letters],
        }
    record["section_lines"] = [
        {
            "line": s.span.line,
            "station": _text(s.station),
            "serial": _text(s.serial),
            "page": _text(s.page),
            "total": _text(s.total),
        }
        for s in cable.section_lines
    ]
    record["subheadings"] = [
        {"line": h.title.span.line, "title": h.title.text} for h in cable.subheadings
    ]
    banner = cable.banner
    if banner is not None:
        record["banner"] = {
            "line": banner.span.line,
            "word": _text(banner.word),
            "section": _text(banner.section),
            "section_total": _text(banner.section_total),
            "station": _text(banner.station),
            "serial": _text(banner.serial),
        }
    record["markers"] = [
        {"kind": k.kind, "line": k.span.line, "column": k.span.column} for k in cable.markers
    ]
    record["redactions"] = [
        {"text": r.text, "canonical": r.canonical, "line": r.span.line, "column": r.span.column}
        for r in cable.redactions
    ]
    return record


def _problem(span: Any, kind: str, message: str) -> dict[str, Any]:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "kind": kind,
        "message": message,
    }


def parse_json(path: str, source: SourceText) -> str:
    """One line of JSON (no trailing newline) describing the cable in ``source``."""
    from cablelint.model.build import build  # imports Lark

    cable = None if source.binary else build(source)
    return json.dumps(cable_record(path, source, cable), ensure_ascii=False)


def parse_tree(source: SourceText) -> str:
    """The stage-1 Lark parse tree, pretty-printed (ends with a newline)."""
    from cablelint.syntax.parse import parse_structure  # imports Lark

    tree, _dropped = parse_structure(source.text)
    text = tree.pretty()
    return text if text.endswith("\n") else text + "\n"
