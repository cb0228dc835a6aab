"""Lark's own parser of a cable's structure, fed cablelint's line tokens: the reference the
tests compare cablelint's LALR runtime with."""

from __future__ import annotations

from collections.abc import Iterator

from cablelint.syntax import grammars
from cablelint.syntax.lark_import import Lark, Lexer
from cablelint.syntax.parse import line_tokens


class LineLexer(Lexer):
    """Lark custom lexer: yields the line tokens of the text being parsed."""

    def __init__(self, lexer_conf) -> None:
        pass

    def lex(self, data: str) -> Iterator:  # type: ignore[override]
        return iter(line_tokens(data))


def structure_parser() -> Lark:
    """grammar/cable.lark as Lark parses it, over cablelint's line tokens."""
    return grammars.structure_parser(LineLexer)
