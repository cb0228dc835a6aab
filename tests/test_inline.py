"""grammar/inline.lark: markers and redactions in body prose, as the scanner finds them."""

from __future__ import annotations

import pytest

from cablelint.model.build import build
from cablelint.model.cable import MARKER_KINDS
from cablelint.model.inline import LITERALS, is_redaction, may_hold_redaction, redaction_runs
from cablelint.model.source import decode
from cablelint.syntax.parse import inline_scanner

from .corpus import corpus_files

#: One example per form, with the rule its token stands in.
EXAMPLES = [
    ("SUMMARY:", "summary_begin"),
    ("Summary :", "summary_begin"),
    ("Summary.", "summary_begin"),
    ("SUMMARY AND COMMENT:", "summary_begin"),
    ("Summary and Comment.", "summary_begin"),
    ("BEGIN SUMMARY", "summary_begin"),
    ("begin summary:", "summary_begin"),
    ("END SUMMARY", "summary_end"),
    ("End of Summary", "summary_end"),
    ("end\nsummary", "summary_end"),
    ("COMMENT:", "comment_begin"),
    ("Comment:", "comment_begin"),
    ("BEGIN COMMENT", "comment_begin"),
    ("End Comments", "comment_end"),
    ("END\r\nCOMMENT", "comment_end"),
    ("BEGIN TEXT", "text_begin"),
    ("begin text:", "text_begin"),
    ("End Text", "text_end"),
    ("END TEXT:", "text_end"),
    ("QUOTE", "quote"),
    ("BEGIN QUOTE", "quote"),
    ("UNQUOTE", "unquote"),
    ("END QUOTE", "unquote"),
    ("xxxx", "redaction"),
    ("xxxxx", "redaction"),
    ("XXXXXXXXXXXX", "redaction"),
    ("XxXxXxX", "redaction"),
]


@pytest.mark.parametrize(("token", "rule"), EXAMPLES)
def test_each_form_is_one_token(token: str, rule: str) -> None:
    text = f"He said {token} then"
    assert inline_scanner().scan(text) == [(rule, 8, 8 + len(token))]


@pytest.mark.parametrize(("token", "rule"), EXAMPLES)
def test_each_form_holds_a_prefilter_literal(token: str, rule: str) -> None:
    folded = token.encode("ascii", "replace").lower()
    assert any(literal in folded for literal in LITERALS)


@pytest.mark.parametrize(
    "prose",
    [
        "a summary of the talks",
        "no comment on it",
        "the text of the note",
        "a quote from him",
        "XXX and MAXXXXXXX",
        "SUMMARY-style",
        "UNQUOTED",
        "Commentary:",
    ],
)
def test_prose_is_no_token(prose: str) -> None:
    assert inline_scanner().scan(prose) == []


def test_a_bare_summary_or_comment_word_counts_only_where_a_paragraph_starts() -> None:
    scan = inline_scanner().scan
    assert scan("(C) Summary -- talks", lead=4) == [("summary_begin", 4, 11)]
    assert scan("COMMENT talks", lead=0) == [("comment_begin", 0, 7)]
    assert scan("the Summary -- talks") == []
    assert scan("the Summary -- talks", lead=0) == []
    # The longer token at the lead wins: "Summary:" with its colon.
    assert scan("Summary: talks", lead=0) == [("summary_begin", 0, 8)]


def test_every_marker_rule_is_a_model_kind() -> None:
    rules = set(inline_scanner().rule_of.values()) - {"redaction"}
    assert {rule.replace("_", "-") for rule in rules} == set(MARKER_KINDS)


def test_crlf_marker_broken_at_a_wrap_spans_two_lines() -> None:
    text = b"UNCLAS STATE 000123\r\n\r\nTAGS: PREL\r\n\r\n1. (U) Talks. End\r\nSummary.\r\n"
    cable = build(decode(text))
    (marker,) = cable.markers
    assert (marker.kind, marker.text) == ("summary-end", "End\r\nSummary")
    assert marker.span[2:] == (5, 15, 6, 8)


def test_markers_are_found_on_first_use_only() -> None:
    cable = build(decode(b"UNCLAS STATE 000123\n\nTAGS: PREL\n\n1. (U) xxxxx said so.\n"))
    assert cable.inline._found is None
    assert [r.text for r in cable.redactions] == ["xxxxx"]
    assert cable.inline._found is None  # the redactions were found without the markers
    assert cable.markers == ()
    assert cable.inline._found is not None


#: Redactions next to markers, glued to them, on lines that are not prose or not in a paragraph.
REDACTION_TEXTS = [
    b"1. (C) SUMMARY: XXXXXXXXXXXX met withxxxxx. End Summary.XXXXX\n",
    b"1. (C) END TEXTXXXXXXX and BEGIN QUOTExxxxxx UNQUOTE\nXXXXXsaid END\nSUMMARYxxxxxx\n",
    b"1. (C) Comment:xxxxxxx MAXXXXXXX LXXXXX 2XXXXX _XXXXX xXXXXX\n\n-- XXXXXXXXXXXX\n",
    b"1. (S) text\n\nXXXXXXXXXXXX\n\nSECTION 2 OF 3 XXXXXXXXXXXX\n\n2. (S) XXXXX\n",
    b"1. (S) xxxx said, quoting XxXx: BEGIN QUOTExXxX END QUOTE\n",
]


def _both_ways(data: bytes) -> tuple[tuple, tuple]:
    cable = build(decode(data))
    alone = cable.redactions  # first: found without the markers
    return alone, cable.inline._nodes()[1]


@pytest.mark.parametrize("body", REDACTION_TEXTS)
def test_redactions_alone_are_those_of_the_full_scan(body: bytes) -> None:
    alone, full = _both_ways(b"UNCLAS STATE 000123\n\nTAGS: PREL\n\n" + body)
    assert alone == full
    assert full  # every example holds one


def test_redactions_alone_are_those_of_the_full_scan_over_the_corpus() -> None:
    found = 0
    for path in corpus_files():
        alone, full = _both_ways(path.read_bytes())
        assert alone == full, path.name
        found += len(full)
    assert found > 1000


def test_a_cable_without_body_has_none() -> None:
    cable = build(decode(b"UNCLAS STATE 000123\n\nSUBJECT: XXXXXXXXXXXX SUMMARY:\n"))
    assert (cable.markers, cable.redactions) == ((), ())


def test_redaction_runs_are_the_grammar_s_redactions_in_any_line() -> None:
    text = "SUBJECT: XXXXXXXXXXX\n\n1. (U) met withxxxxx and XXX, MAXXXXXXX; xxxx said.\n"
    assert [text[a:b] for a, b in redaction_runs(text)] == ["XXXXXXXXXXX", "xxxxx", "xxxx"]
    assert list(redaction_runs(text, 0, 9)) == []
    # What comes before ``start`` counts: the X of MAXXXXXXX are glued to a capital.
    start = text.index("XXXXXXX;")
    assert list(redaction_runs(text, start, start + 7)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("XXXXXXXXXXXX", True), ("xxxx", True), ("XXX", False), ("XXXXX said", False), ("", False)],
)
def test_is_redaction(text: str, expected: bool) -> None:
    assert is_redaction(text) is expected


def test_cable_redactions_in_a_span() -> None:
    text = (
        b"UNCLAS STATE 000123\n\nTAGS: PREL\n\n1. (U) xxxx said so.\n\n2. (U) XXXXXXXXXXXX too.\n"
    )
    cable = build(decode(text))
    first, second = cable.redactions
    assert cable.redactions_in(0, len(cable.text)) == (first, second)
    assert cable.redactions_in(first.span.start, first.span.end) == (first,)
    assert cable.redactions_in(first.span.start + 1, second.span.end - 1) == ()


@pytest.mark.parametrize(
    ("prose", "holds"),
    [
        ("met XXXXXXXXXXXX", True),
        ("met withxxxxx", True),
        ("met XxXx and", True),
        ("met xXXX", True),
        ("the Xx and xX xXx XXX xxx", False),
        ("no run at all", False),
    ],
)
def test_the_redaction_pre_test_finds_runs_in_any_case(prose: str, holds: bool) -> None:
    cable = build(decode(f"UNCLAS STATE 000123\n\nTAGS: PREL\n\n1. (U) {prose}.\n".encode()))
    assert may_hold_redaction(cable.text, cable.body) is holds
    assert bool(cable.redactions) is holds
