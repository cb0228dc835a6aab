"""grammars.py reads Lark's internals (its parse tables, contextual lexer and scanners). A Lark
upgrade fails here, loudly: the version must be one grammars.py was checked with, the
internals must have the shape it reads, and the tables it makes must parse corpus cables as
Lark's own parser does."""

from __future__ import annotations

import re
from types import SimpleNamespace

import lark
import pytest
from lark.exceptions import UnexpectedToken

from cablelint.model.source import decode
from cablelint.syntax import grammars, lalr, parse

from . import larkref
from .corpus import corpus_files


def test_lark_is_a_version_grammars_was_checked_with() -> None:
    assert lark.__version__ in grammars.TESTED_LARK, (
        f"Lark {lark.__version__}: check what grammars.py reads of Lark's internals against "
        "this version (this module's tests, tests/test_lalr.py and tests/test_parse.py must "
        "pass), then add it to grammars.TESTED_LARK"
    )


@pytest.mark.parametrize(
    "build", [grammars.structure_tables, grammars.field_tables, grammars.inline_tables]
)
def test_the_internals_have_the_shape_the_tables_are_made_from(build) -> None:
    """Each builder checks what it reads (LarkChanged otherwise); the tables it makes hold
    together: every shift goes to a state, every reduction to a rule, every regex compiles."""
    tables = build()
    for regex in _regexes(tables):
        re.compile(*regex) if isinstance(regex, tuple) else re.compile(regex)
    states = getattr(tables, "states", {})
    for row in states.values():
        for target in row.values():
            assert target in states if target >= 0 else -1 - target < len(tables.rules)
    for start, end in getattr(tables, "starts", {}).values():
        assert start in states and end in states
    assert set(getattr(tables, "lexers", states)) == set(states)


def _regexes(tables) -> list:
    if hasattr(tables, "terminals"):
        return [t.regex for t in tables.terminals]
    if hasattr(tables, "lexers"):
        found = []
        for lexer in tables.lexers.values():
            found += [*lexer.patterns, *(p for ps in lexer.keywords.values() for p in ps)]
            found += [lexer.past_spaces] if lexer.past_spaces else []
        return found
    return [tables.anywhere, tables.lead]


def test_a_parser_without_the_internals_read_is_one_clear_error(monkeypatch) -> None:
    parser = grammars.structure_parser()
    monkeypatch.setattr(
        parser, "parse_interactive", lambda *a, **k: SimpleNamespace(parser_state=None)
    )
    with pytest.raises(grammars.LarkChanged) as raised:
        grammars.structure_tables(parser)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"cannot read the grammar tables of Lark {lark.__version__} ")
    assert "parse_conf" in message


def _larks_parse(text: str) -> tuple[object, list]:
    """Lark's own parser (its table, its parser state) fed the line tokens, a rejected token
    set aside and the parse going on."""
    interactive = larkref.structure_parser().parse_interactive("")
    dropped = []
    for token in parse.line_tokens(text):
        try:
            interactive.feed_token(token)
        except UnexpectedToken:
            dropped.append(token)
    return _shape(interactive.feed_eof()), [_shape(t) for t in dropped]


def _shape(value: object) -> object:
    if isinstance(value, lark.Tree | lalr.Tree):
        return (str(value.data), tuple(_shape(child) for child in value.children))
    return (value.type, str(value), value.line, value.end_line)  # type: ignore[attr-defined]


def test_the_tables_parse_corpus_cables_as_larks_own_parser() -> None:
    paths = corpus_files()[::5]
    for path in paths:
        text = decode(path.read_bytes()).text
        tree, dropped = parse.parse_structure(text)
        assert (_shape(tree), [_shape(t) for t in dropped]) == _larks_parse(text), path.name
