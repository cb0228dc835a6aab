"""The builder's paragraph fast path gives what the field tokens give (the general path)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.model import cable as m
from cablelint.model.build import _Builder, _mark_prefix_length, build, marking_value
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
