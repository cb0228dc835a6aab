"""The field parser gives exactly what ``Lark.parse`` of the field grammar gives.

``parse.FieldParser`` runs Lark's LALR table and contextual lexer without building a tree; the
reference below is the tree ``Lark.parse`` builds, read the way the builder used to read it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token
from lark.exceptions import UnexpectedInput

from cablelint.model import build as builder
from cablelint.model.source import decode
from cablelint.syntax import grammars, parse
from cablelint.syntax.parse import FieldTokens, ParseProblem
from cablelint.syntax.tables import FIELD_STARTS

from .corpus import corpus_files


def lark_reference(kind: str, text: str) -> FieldTokens | ParseProblem:
    """The tokens of the tree ``Lark.parse`` builds, or where it raised."""
    try:
        tree = grammars.field_parser().parse(text, start=kind)
    except UnexpectedInput as error:
        token = getattr(error, "token", None)
        pos = token.start_pos if token is not None else error.pos_in_stream
        return ParseProblem(pos, len(text), parse._describe(text, pos))
    found: dict[str, list[tuple[int, int]]] = {}
    for token in tree.scan_values(lambda value: isinstance(value, Token)):
        found.setdefault(token.type, []).append((token.start_pos, token.end_pos))
    return {kind: tuple(offsets) for kind, offsets in found.items()}


def fresh_parse(kind: str, text: str) -> FieldTokens | ParseProblem:
    return parse._field_tokens().parse(kind, text)


EXAMPLES = [
    ("transmission_id", "VZCZCXRO4471"),
    ("transmission_id", "VZCZCXRO4471 PP RUEHDE"),
    ("routing", "PP RUEHDE RUEHKUK"),
    ("de", "DE RUEHAM #2212/01 3121405"),
    ("de", "DE RUEHAM #22X2 3121405"),
    ("zn", "ZNY CCCCC ZZH"),
    ("zn", "ZNY ZZH"),  # a keyword that the class regex also matches
    ("dtg", "O R 041412Z DEC 08"),
    ("dtg", "O 041412Z DEC"),  # ends early: $END where a year is expected
    ("fm", "FM AMEMBASSY AMMAN"),
    ("address", "TO RUEHC/SECSTATE WASHDC PRIORITY 6139"),
    ("dateline", "Monday, 08 November 2009, 14:05"),
    ("banner", "C O N F I D E N T I A L SECTION 01 OF 02 AMMAN 002212"),
    ("eo", "E.O. 12958: DECL: 11/08/2019"),
    ("eo", "E.O. 12958: N/A"),
    ("tags", "TAGS: PREL, PGOV, [KNNP](#)"),
    ("subject", "SUBJECT: (C) A SUBJECT"),
    ("ref", "REF: A. STATE 1234 B. PARIS 55"),
    ("classified_by", "Classified By: Ambassador R. Beecroft for reasons 1.4 (b) and (d)"),
    ("para_mark", "¶1. (C)"),
    ("para_mark", "1.(S//NF)"),
    ("marking", "S//NF"),
    ("marking", "X"),  # no terminal of the state matches: a lexing error
    ("section_line", "AMMAN 00002212 001.2 OF 003"),
    ("subject", ""),
    ("tags", "   "),
    ("dtg", "O R   041412Z DEC   08   "),  # runs of spaces, skipped with the next token
    ("dtg", "O 041412Z   XYZ 08"),  # a token that fails after skipped spaces
    ("classified_by", "Classified By: A. Person  Reasons 1.4 (d)"),  # REASON_LABEL's spaces
    ("classified_by", "CLASSIFIED BY: A PERSON , REASON: 1.5 B"),
]


@pytest.mark.parametrize(
    ("kind", "text"),
    [("dtg", "O 041412Z DEC 08"), ("dtg", "O 041412Z DÉC 08"), ("de", "DE RUEHC #9876/01 3451234")],
)
def test_a_digit_blind_value_parses_as_its_digits_all_zero_ascii_or_not(
    kind: str, text: str
) -> None:
    assert kind in parse._field_tokens().digit_blind
    shape = "".join("0" if char in "123456789" else char for char in text)
    found, expected = parse.parse_field(kind, text), parse._field_tokens().parse(kind, shape)
    if isinstance(expected, ParseProblem):
        assert isinstance(found, ParseProblem) and found.offset == expected.offset
    else:
        assert found == expected


def test_the_field_memo_gives_the_same_parse_again_and_stays_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parse_field = parse.parse_field
    first = parse_field("dtg", "O 041412Z DEC 08")
    assert parse_field("dtg", "O 051413Z DEC 09") is first  # the same shape
    eo = parse_field("eo", "E.O. 12958: DECL: 12/01/2018")
    assert parse_field("eo", "E.O. 12958: DECL: 12/01/2018") is eo
    monkeypatch.setattr(parse, "_MEMO_SIZE", 3)
    for n in range(10):
        for kind, value in (("eo", f"E.O. 1295{n}: N/A"), ("dtg", f"O 0{n}1412Z DEC 08")):
            assert parse_field(kind, value) == fresh_parse(kind, value)
    held = sum(map(len, (*parse._PLAIN_MEMOS.values(), *parse._BLIND_MEMOS.values())))
    assert held <= 3 and parse._memo_count == held
    parse_field.cache_clear()  # type: ignore[attr-defined]
    assert parse._memo_count == 0 and not any(parse._PLAIN_MEMOS.values())


def test_spaces_are_skipped_with_the_next_token_where_only_spaces_are_ignored() -> None:
    fields = parse._field_tokens()
    tables = parse.field_tables()
    fields.parse("dtg", "O R 041412Z DEC 08")
    skipping = [state for state, scan in fields.scans.items() if scan.skip is not parse._NEVER]
    assert skipping  # the dtg states take the one-call path
    assert all(tables.lexers[state].past_spaces is not None for state in skipping)


def test_a_terminal_the_scanner_tries_before_the_spaces_is_matched_before_them() -> None:
    """REASON_LABEL may start with spaces and comes before the ignored spaces in its state's
    alternation: the scanner takes it, so the skip must not."""
    fields = parse._field_tokens()
    fields.parse("classified_by", "Classified By: A. Person  Reasons 1.4 (d)")
    guarded = [
        parse.field_tables().lexers[state].past_spaces[0]
        for state, scan in fields.scans.items()
        if scan.skip is not parse._NEVER and "REASON_LABEL" in scan.skip.__self__.pattern
    ]
    assert any(regex.startswith("(?>(?!") for regex in guarded)  # atomic: 3.11.2


def test_spaces_before_no_terminal_that_can_start_with_one_are_skipped_unguarded() -> None:
    """Where no terminal the scanner tries before the spaces can start with a space, the skip
    has no lookahead: it counts the spaces."""
    tables = parse.field_tables()
    skips = [lexer.past_spaces[0] for lexer in tables.lexers.values() if lexer.past_spaces]
    assert any(regex.startswith(" *+(?:") for regex in skips)
    for regex in skips:
        assert regex.startswith((" *+(?:", "(?>(?!"))


@pytest.mark.parametrize(("kind", "text"), EXAMPLES)
def test_field_parser_agrees_with_lark(kind: str, text: str) -> None:
    assert fresh_parse(kind, text) == lark_reference(kind, text)


def test_examples_cover_failures_and_successes() -> None:
    results = [lark_reference(kind, text) for kind, text in EXAMPLES]
    assert any(isinstance(r, ParseProblem) for r in results)
    assert any(not isinstance(r, ParseProblem) for r in results)


_PIECES = [
    *"ABCDEFNOPRSTUXYZacdeos0123456789 ./():#,;-[]¶*+&_\t",
    *("VZCZC", "DE ", "ZNY ", "ZZH", "SECTION ", " OF ", "TAGS", "SUBJECT:", "REF:", "DECL:"),
    *("1.", "(C)", "S//NF", "NOFORN", "Classified By:", "Reasons ", "1.4", "AMEMBASSY "),
    *("PRIORITY", "RUEHC", "E.O. 12958", "N/A", "OADR", "Monday, ", "JAN", "[A](#)", "REL TO "),
]


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(FIELD_STARTS),
    st.lists(st.sampled_from(_PIECES), max_size=14).map("".join) | st.text(max_size=20),
)
def test_field_parser_agrees_with_lark_on_any_text(kind: str, text: str) -> None:
    assert fresh_parse(kind, text) == lark_reference(kind, text)


def test_field_parser_agrees_with_lark_on_corpus_values(monkeypatch) -> None:
    values: set[tuple[str, str]] = set()

    def record(kind: str, text: str) -> FieldTokens | ParseProblem:
        values.add((kind, text))
        return fresh_parse(kind, text)

    monkeypatch.setattr(builder, "parse_field", record)
    for path in corpus_files()[::4]:
        builder.build(decode(path.read_bytes()))
    assert len(values) > 2000
    for kind, text in values:
        assert fresh_parse(kind, text) == lark_reference(kind, text), (kind, text)
        # The memo parses a value as its shape (digits as 0) where the grammar cannot tell
        # digits apart: a value whose shape was met before gets its own tokens and problem.
        other = text.translate(_DIGITS_ROTATED)
        assert parse.parse_field(kind, text) == lark_reference(kind, text), (kind, text)
        assert parse.parse_field(kind, other) == lark_reference(kind, other), (kind, other)


_DIGITS_ROTATED = str.maketrans("0123456789", "1234567890")


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(FIELD_STARTS),
    st.lists(st.sampled_from(_PIECES), max_size=14).map("".join),
)
def test_values_that_differ_in_their_digits_parse_as_lark_parses_each(kind: str, text: str) -> None:
    for value in (text, text.translate(_DIGITS_ROTATED), text.translate(_DIGITS_ROTATED)[::-1]):
        assert parse.parse_field(kind, value) == lark_reference(kind, value)


def test_the_fields_whose_grammar_reads_a_digit_as_itself_are_parsed_as_written() -> None:
    blind = parse.field_tables().digit_blind
    assert {"dtg", "de", "addressee", "section_line"} <= blind  # serials recur as one shape
    assert "eo" not in blind  # EO_SLIP reads "E.0." and REASON_LABEL "E.O. 1xxxx"
    assert "classified_by" not in blind


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(FIELD_STARTS),
    st.lists(st.sampled_from(_PIECES), max_size=14).map("".join),
)
def test_the_memoised_parse_agrees_with_lark(kind: str, text: str) -> None:
    """parse_field memoises parses; a value met again gets the same tokens or problem."""
    assert parse.parse_field(kind, text) == lark_reference(kind, text)
    assert parse.parse_field(kind, text) == lark_reference(kind, text)


def test_a_problem_quotes_the_value_as_written() -> None:
    failed = parse.parse_field("de", "DE RUEHAM #2212/01 31214Q5")
    assert isinstance(failed, ParseProblem)
    assert failed.message == parse._describe("DE RUEHAM #2212/01 31214Q5", failed.offset)
    assert "31214Q5" in failed.message


CAPTION_NAMES = ["SIPDIS", "NOFORN", "SENSITIVE", "EXDIS", "NODIS", "LIMDIS", "STADIS"]


def test_the_caption_words_are_one_terminal_that_every_caption_reader_takes() -> None:
    # labels.lark's CAPTION_NAME: the caption line, the captions joined to a banner, the field
    # grammar's caption words and CBL201 (through parse.caption_name) read the same words.
    assert parse.caption_name() == f"(?:{'|'.join(CAPTION_NAMES)})"
    for word in CAPTION_NAMES:
        assert parse.line_kind(word) == "CAPTION"
        assert parse.line_kind(f"Sipdis/{word}") == "CAPTION"
        assert parse.line_kind(f"C O N F I D E N T I A L PARIS 001234 SIPDIS, {word}") == "BANNER"
        assert parse.parse_field("caption", f"{word} x") == {
            "CAPTION_WORD": ((0, len(word)),),
            "REST": ((len(word) + 1, len(word) + 2),),
        }
    assert parse.line_kind("SIPDISX") == "UWORD"  # a caption word is a whole word
    assert parse.line_kind("C O N F I D E N T I A L PARIS 001234 Sipdis") == "TEXT"


def test_values_of_one_shape_reuse_the_parser_nodes_of_the_first() -> None:
    fields = parse.FieldParser(parse.field_tables())
    first = fields.parse("dtg", "O 041412Z DEC 08")
    met = dict(fields._nodes)
    assert fields.parse("dtg", "P 251200Z JAN 09") == first
    assert fields._nodes == met
