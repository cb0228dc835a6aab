"""lalr.feed and lalr.tree_builder give the tree Lark's own parser and tree builder give.

The reference runs the same table with Lark's callbacks (its ChildFilter wrappers and Tree
builder); where the grammar accepts every token, Lark's ``parse`` itself is the reference.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token, Tree

from cablelint.model.source import decode
from cablelint.support.resources import grammar_path
from cablelint.syntax import grammars, lalr, parse

from . import larkref
from .corpus import corpus_files

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))


def shape(value: object) -> object:
    """A tree as nested tuples, with each token's type and position (Tree equality ignores
    token types)."""
    if isinstance(value, Tree | lalr.Tree):
        return (str(value.data), tuple(shape(child) for child in value.children))
    assert isinstance(value, Token | parse.LineToken), value
    return (value.type, str(value), value.line, value.end_line)


def lark_table(lark, builder=None) -> tuple[lalr.Actions, int, int]:
    """``lark``'s table, with Lark's own tree callbacks or, given ``builder``, the callback
    ``builder(rule)`` makes."""
    table = grammars.lark_table(lark)
    callbacks = [builder(rule) if builder else table.callbacks[rule] for rule in table.rules]
    actions = lalr.unpacked(table.states, grammars.packed_rules(table.rules), callbacks)
    ((start_state, end_state),) = table.starts.values()
    return actions, start_state, end_state


def ours_builder(rule):
    return lalr.tree_builder(grammars.tree_plan(rule))


@functools.cache
def _lark_callbacks_table() -> tuple[lalr.Actions, int, int]:
    return lark_table(grammars.structure_parser())


def with_lark_callbacks(text: str) -> tuple[object, list]:
    tree, dropped = lalr.feed(*_lark_callbacks_table(), parse.line_tokens(text))
    return shape(tree), [shape(t) for t in dropped]


def ours(text: str) -> tuple[object, list]:
    tree, dropped = parse.parse_structure(text)
    return shape(tree), [shape(t) for t in dropped]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_trees_match_lark_callbacks(path: Path) -> None:
    text = decode(path.read_bytes()).text
    assert ours(text) == with_lark_callbacks(text)


def test_corpus_trees_match_lark_callbacks() -> None:
    for path in corpus_files():
        text = decode(path.read_bytes()).text
        assert ours(text) == with_lark_callbacks(text), path.name


def test_an_accepted_cable_gives_larks_own_parse_tree() -> None:
    path = Path(__file__).parent / "fixtures" / "parse" / "damaged_seed_like.txt"
    text = path.read_text("utf-8")
    tree, dropped = parse.parse_structure(text)
    assert dropped == []
    assert shape(tree) == shape(larkref.structure_parser().parse(text))
    assert [c.data for c in tree.children] == [
        *("header", "banner", "caption", "eo", "tags", "subject", "body", "signature")
    ]


LINES = [
    "",
    "VZCZCXRO1234",
    "PP RUEHAG",
    "DE RUEHFR #0123/01 0451234",
    "ZNY CCCCC ZZH",
    "P 141234Z FEB 08",
    "FM AMEMBASSY PARIS",
    "TO RUEHC/SECSTATE WASHDC PRIORITY 1234",
    "RUEHZL/EUROPEAN POLITICAL COLLECTIVE",
    "BT",
    "C O N F I D E N T I A L PARIS 000123",
    "SIPDIS",
    "E.O. 12958: DECL: 02/14/2018",
    "TAGS: PREL",
    "SUBJECT: A SUBJECT",
    "REF: A. PARIS 122",
    "B. STATE 4567",
    "Classified By: A. Person, Reasons 1.4 (b)",
    "1. (C) A paragraph.",
    "text of the paragraph",
    "-----",
    "PERSON",
    "NNNN",
]


def test_a_question_mark_rule_with_one_child_is_replaced_by_it() -> None:
    from lark import Lark

    lark = Lark('start: item+\n?item: A | A B\nA: "a"\nB: "b"\n', parser="lalr")
    tokens = list(lark.lex("aab"))
    tree, dropped = lalr.feed(*lark_table(lark, ours_builder), tokens)
    assert dropped == []
    assert shape(tree) == shape(lark.parse("aab"))
    assert shape(tree) == (
        "start",
        (("A", "a", 1, 1), ("item", (("A", "a", 1, 1), ("B", "b", 1, 1)))),
    )


#: The kinds of lines and the body rules as they were before the kinds were written once (each
#: alternation written out in every repetition): the same trees.
_WRITTEN_OUT_BODY = """
_meta_cont: TEXT | WORD | UWORD | ITEM | LETTERED | CAPTION | ROUTE_CONT | _header_kind | DATELINE
          | BANNER | PARTIAL | INFOLOG
body: _first_body_item _BLANK? ((paragraph | block) _BLANK?)*
_first_body_item: paragraph | first_block
first_block: (TEXT | WORD | UWORD | ITEM | LETTERED | CAPTION | ROUTE_CONT | UNDERLINE
              | _header_kind | DATELINE | BANNER | PARTIAL | INFOLOG) (TEXT | WORD | UWORD
              | ITEM | LETTERED | CAPTION | SECTION | UNDERLINE | EO | TAGS | SUBJECT | REF | CLBY
              | ROUTE_CONT | TID
              | ROUTE | DE | ZN | DTG | FM | TO | INFO | BT | DATELINE | BANNER | PARTIAL
              | INFOLOG)* -> block
plain_body: (paragraph | stray_block) _BLANK? ((paragraph | block) _BLANK?)* -> body
stray_block: (SECTION | UNDERLINE) (TEXT | WORD | UWORD | ITEM | LETTERED | CAPTION | SECTION
              | UNDERLINE | EO | TAGS | SUBJECT | REF | CLBY | ROUTE_CONT | TID | ROUTE | DE | ZN
              | DTG | FM | TO | INFO | BT | DATELINE | BANNER | PARTIAL | INFOLOG)* -> block
paragraph: PARA (TEXT | WORD | UWORD | ITEM | LETTERED | CAPTION | SECTION | UNDERLINE | EO | TAGS
              | SUBJECT | REF | CLBY | ROUTE_CONT | TID | ROUTE | DE | ZN | DTG | FM | TO | INFO
              | BT | DATELINE | BANNER | PARTIAL | INFOLOG)*
block: (TEXT | WORD | UWORD | ITEM | LETTERED | CAPTION | SECTION | UNDERLINE | EO | TAGS | SUBJECT
              | REF | CLBY | ROUTE_CONT | TID | ROUTE | DE | ZN | DTG | FM | TO | INFO | BT
              | DATELINE | BANNER | PARTIAL | INFOLOG)+
_header_kind: TID | ROUTE | DE | ZN | DTG | FM | TO | INFO | BT

"""


@functools.cache
def _written_out_table() -> tuple:
    from lark import Lark

    text = grammar_path("cable.lark").read_text("utf-8")
    start, end = text.index("// ---- kinds of lines, each"), text.index("signature: SIG")
    lark = Lark(
        text[:start] + _WRITTEN_OUT_BODY + text[end:],
        source_path=str(grammar_path("cable.lark")),  # for its %import of labels.lark
        parser="lalr",
        lexer=larkref.LineLexer,
        propagate_positions=False,
        maybe_placeholders=False,
    )
    return lark_table(lark, ours_builder)


def with_written_out_body(text: str) -> tuple[object, list]:
    tree, dropped = lalr.feed(*_written_out_table(), parse.line_tokens(text))
    return shape(tree), [shape(t) for t in dropped]


@pytest.mark.parametrize(
    "reference",
    [with_lark_callbacks, with_written_out_body],
    ids=["lark-callbacks", "written-out-body"],
)
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=40))
def test_any_line_sequence_parses_as_the_reference(reference, lines: list[str]) -> None:
    """Our parse equals Lark's callbacks on the same table, and the written-out grammar."""
    text = "\n".join(lines) + "\n"
    assert ours(text) == reference(text)


def with_lark_parser_state(text: str) -> tuple[object, list]:
    """Lark's own parser state fed the line tokens one by one, a rejected token set aside
    (UnexpectedToken) and the parse going on: no memo of ours on the way."""
    from lark.exceptions import UnexpectedToken

    interactive = larkref.structure_parser().parse_interactive("")
    dropped = []
    for token in parse.line_tokens(text):
        try:
            interactive.feed_token(token)
        except UnexpectedToken:
            dropped.append(token)
    tree = interactive.feed_eof()
    return shape(tree), [shape(t) for t in dropped]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=40))
def test_memoised_moves_parse_as_larks_parser_state(lines: list[str]) -> None:
    """parse_structure keeps its memo of moves from text to text; each parse still equals
    Lark's parser state fed the same tokens, rejections included."""
    text = "\n".join(lines) + "\n"
    assert ours(text) == with_lark_parser_state(text)


def test_a_shared_memo_gives_the_trees_a_fresh_one_gives() -> None:
    actions, start, end = parse._structure_table()
    shared: dict = {}
    texts = [decode(path.read_bytes()).text for path in FIXTURES]
    for text in texts + texts[::-1]:
        tokens = parse.line_tokens(text)
        tree, dropped = lalr.feed(actions, start, end, tokens, shared)
        fresh_tree, fresh_dropped = lalr.feed(actions, start, end, tokens, {})
        assert (shape(tree), dropped) == (shape(fresh_tree), fresh_dropped)
    assert 0 < len(shared) < lalr.MAX_MOVES


def test_fixtures_parse_as_with_the_written_out_body() -> None:
    for path in FIXTURES:
        text = decode(path.read_bytes()).text
        assert ours(text) == with_written_out_body(text), path.name


def test_corpus_parses_as_with_the_written_out_body() -> None:
    for path in corpus_files():
        text = decode(path.read_bytes()).text
        assert ours(text) == with_written_out_body(text), path.name
