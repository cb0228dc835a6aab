"""Lark, imported once for cablelint's modules, without the optional ``regex`` module.

Only grammars.py imports it, to build the grammar tables (a run with current tables in the user
cache never imports Lark).

Lark imports the third-party ``regex`` package whenever it is installed (about 15 ms of the
import), but uses it only for grammars built with ``regex=True`` or with Unicode categories,
which cablelint's grammars are not. When neither is imported yet, ``regex`` is hidden from that
one import and restored at once, so later imports of it, by anyone, work as usual.
"""

from __future__ import annotations

import sys

if "lark" not in sys.modules and "regex" not in sys.modules:
    sys.modules["regex"] = None  # type: ignore[assignment]  # "import regex" raises ImportError
    try:
        import lark  # noqa: F401  (the import this module exists for)
    finally:
        del sys.modules["regex"]

from lark import Lark, Token, Tree
from lark.lark import PostLex
from lark.lexer import Lexer, TerminalDef, UnlessCallback
from lark.parsers.lalr_analysis import Reduce, Shift

__all__ = [
    "Lark",
    "Lexer",
    "PostLex",
    "Reduce",
    "Shift",
    "TerminalDef",
    "Token",
    "Tree",
    "UnlessCallback",
]
