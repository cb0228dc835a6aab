"""The builder's paragraph fast path gives what the field tokens give (the general path)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.model import cable as m
from cablelint.model.build import (
    _Builder,
    _mark_prefix_length,
    authority_label,
    build,
    marking_value,
)
from cablelint.model.source import from_text

MARKS = ["1. (C) ", "¶2. (SBU) ", "- ¶3. (C/NF) ", "12. (U)", "¶ 4) ", "5.", "(C) ", "1.\r(C) x"]
MARKS += ["¶10. (S//NF) Text", "3.  (Cq) Text", "* 7. (TS) x", "99.(C)x", "1. (C\r) x"]


def reference(builder: _Builder, line: m.Line) -> tuple:
    """The paragraph's parts as the field parser's tokens give them, one by one."""
    prefix = _mark_prefix_length(line.content)
    mark_end = line.span.start + prefix
    tok, problem = builder.fields.parse("para_mark", line.span.start, mark_end)
    marking = tok.one("MARKING")
    level, caveats = marking_value(marking.text[1:-1]) if marking else (None, ())
    tail = line.content[prefix:]
    text = tok.one("PARA_TEXT")
    rest = text.span.start if text else mark_end + len(tail) - len(tail.lstrip())
    end = line.span.start + len(line.content)
    body = m.Piece(builder.index.span(rest, end), builder.text[rest:end]) if rest < end else None
    parts = ("LIST_DASH", "PILCROW", "PARA_NUMBER", "PARA_END")
    return (*map(tok.one, parts), marking, level, caveats, body, problem)


def parts(paragraph: m.Paragraph) -> tuple:
    p = paragraph
    return (p.dash, p.pilcrow, p.number, p.terminator, p.marking, p.level, p.caveats, p.body,
            p.problem)  # fmt: skip


def check(text: str) -> int:
    source = from_text(text)
    builder = _Builder(source)
    paragraphs = build(source).paragraphs
    for paragraph in paragraphs:
        assert parts(paragraph) == reference(builder, paragraph.lines[0])
    return len(paragraphs)


def test_paragraph_marks_match_the_field_tokens() -> None:
    text = "SUBJECT: MARKS\n\n" + "".join(f"{mark}text of it\n\n" for mark in MARKS)
    # "5." and "(C) " start no paragraph; the lone CR of "1.\\r(C) x" ends a line "1.", which does
    assert check(text) == 11
    assert check(text.replace("\n", "\r\n")) == 11


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="¶1203.()-* CSUNF/\rx", min_size=1, max_size=14), max_size=6))
def test_any_mark_matches_the_field_tokens(marks: list[str]) -> None:
    check("SUBJECT: MARKS\n\n" + "".join(f"{mark} words\n\n" for mark in marks))


AUTHORITY_HEAD = "C O N F I D E N T I A L PARIS 001234\n\nSUBJECT: A SUBJECT\n\n"


def test_authority_label_reads_the_grammars_classified_by_wherever_a_line_holds_it() -> None:
    lines = [
        "(U) CLASSIFIED BY AMBASSADOR JONES, REASONS 1.5 (B) AND (D)",  # after a marking
        "¶2. (C) Classified by Ambassador Jones; reasons: 1.5 (b,d).",  # after a paragraph mark
        "RIO DE JAN 00000365 001.2 OF 002 CLASSIFIED BY: D. Hearne; REASON: 1.4(B)",  # glued
        "DERIVED FROM: DSCG 05-1 B, D",
        "¶3. (C) Revenues derived from oil were classified by the ministry.",  # prose
        "REF: STATE 1234 (DOCUMENTS CLASSIFIED BY THE MINISTRY)",  # no colon: prose
    ]
    cable = build(from_text(AUTHORITY_HEAD + "\n\n".join(lines) + "\n"))
    found = {}
    for line in cable.lines:
        if line.content in lines:
            at = authority_label(cable.text, line)
            found[line.content] = None if at is None else at - line.start
    assert list(found.values()) == [4, 8, 33, 0, None, None]


def test_an_authority_glued_after_a_section_line_is_the_cables_classified_by() -> None:
    # 09RIODEJANEIRO365.txt:23: a REF list, a section line and the Classified By on one line.
    text = AUTHORITY_HEAD.replace("\n\n", "\n\nE.O. 12958: DECL: 2019/11/09\n", 1) + (
        "RIO DE JAN 00000365 001.2 OF 002 CLASSIFIED BY: D. Hearne; REASON: 1.4(B), (D)\n"
        "\n¶1. (C) Text.\n"
    )
    clby = build(from_text(text)).classified_by
    assert clby is not None
    assert (clby.span.line, clby.span.column, clby.person.text) == (6, 34, "D. Hearne")
    assert [letter.text for letter in clby.reason_letters] == ["B", "D"]


def test_tokens_has_a_kind_exactly_where_one_makes_its_piece() -> None:
    text = "E.O. 12958: DECL: 02/22/2011\nE.O. 12958: N/A\nE.O. 12958: DECL: OADR\nE.O. 12958\n"
    builder = _Builder(from_text(text))
    kinds = ("EO_LABEL", "EO_NUMBER", "DECL_LABEL", "DECL_DATE", "DECL_TERM", "DECL_OTHER", "REST")
    seen = set()
    for line in builder.lines:
        tok, _problem = builder.fields.parse_line("eo", line)
        for kind in kinds:
            assert tok.has(kind) == (tok.one(kind) is not None)
            seen.update([kind] if tok.has(kind) else [])
    assert {"EO_LABEL", "DECL_DATE"} <= seen
