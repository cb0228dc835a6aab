"""The grammars' tables as plain data: built by Lark once, then read from the user cache.

cablelint runs its grammars itself: the line classifier tries cable.lark's line terminals,
lalr.feed drives its LALR table, parse.FieldParser drives fields.lark's table and contextual
lexer, and the inline scanner matches inline.lark's terminals. That takes only the data Lark
derives from the grammars, not Lark's objects. compiled.py reads the data from the user cache
as JSON (plaindata.py), and has grammars.py build it with Lark when the cache lacks it; later
runs never import Lark (importing it and loading its grammars was about a third of a one-cable
check).

The cache key (speccache) covers the grammar file, Lark's installed version, cablelint's own
modules and the Python version; without a usable cache the tables are built in every run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

from cablelint.support.plaindata import Codec
from cablelint.support.resources import grammar_path
from cablelint.support.speccache import cached
from cablelint.syntax.lalr import PackedRule, PackedStates, TreePlan

_T = TypeVar("_T")

#: The field grammar's start symbols: one per kind of field value (grammar/fields.lark).
FIELD_STARTS = (
    "transmission_id",
    "routing",
    "routing_cont",
    "de",
    "zn",
    "dtg",
    "fm",
    "address",
    "addressee",
    "dateline",
    "banner",
    "caption",
    "eo",
    "tags",
    "tags_cont",
    "subject",
    "ref",
    "classified_by",
    "para_mark",
    "marking",
    "section_line",
)


class Terminal(NamedTuple):
    """A terminal of a grammar: its name, priority and regular expression."""

    name: str
    priority: int
    regex: str


class StructureTables(NamedTuple):
    """cable.lark: its line terminals (in the grammar's order), and its LALR table with the
    tree each reduction makes."""

    terminals: tuple[Terminal, ...]
    states: PackedStates
    rules: tuple[PackedRule, ...]
    plans: tuple[TreePlan, ...]  # per rule
    start_state: int
    end_state: int
    #: Per terminal, the Latin-1 characters its match can start with (first_chars.py; perhaps
    #: more, never fewer): the line classifier tries a line only on the terminals it can start.
    first_chars: Mapping[str, str]
    #: Per terminal, the fewest and the most characters a match of it has (Lark's widths; an
    #: unbounded terminal's most is huge): a line longer than a terminal's most is not tried on it.
    widths: Mapping[str, tuple[int, int]]
    #: The terminals whose match may start with a character beyond Latin-1 (first_chars.py).
    beyond_latin_1: frozenset[str]


class LexerTable(NamedTuple):
    """What the contextual lexer tries in one parser state."""

    patterns: tuple[tuple[str, int], ...]  # (regex, flags): named alternations tried in turn
    ignore: frozenset[str]  # terminals matched and dropped
    #: A terminal whose match may be a keyword: the (regex, flags) alternations of the keyword
    #: terminals; a whole-value match retypes the token.
    keywords: Mapping[str, tuple[tuple[str, int], ...]]
    #: If the only ignored terminal is a run of spaces: one (regex, flags) that skips the spaces
    #: before a token and matches the token, as the scanner would one after the other.
    past_spaces: tuple[str, int] | None = None


class FieldTables(NamedTuple):
    """fields.lark: one LALR table for every start symbol, and its contextual lexer."""

    states: PackedStates
    rules: tuple[PackedRule, ...]
    starts: Mapping[str, tuple[int, int]]  # start symbol -> (start state, end state)
    kept: frozenset[str]  # the terminals a parse tree keeps
    lexers: Mapping[int, LexerTable]  # per parser state
    #: The start symbols whose parse cannot tell one digit from another (every lexer state
    #: their parses may meet reads digits only as digits: first_chars.digit_blind).
    digit_blind: frozenset[str] = frozenset()


class InlineTables(NamedTuple):
    """inline.lark: its terminals as two named alternations, and each one's rule."""

    anywhere: str  # every terminal but the *_LEAD ones
    lead: str  # the *_LEAD terminals, which count only where a paragraph's text starts
    rule_of: Mapping[str, str]  # terminal -> the rule it stands alone in
    redaction: str  # the REDACTION terminal alone: a redaction anywhere in a cable's text


class ResidueTables(NamedTuple):
    """residue.lark: its line terminals, its inline terminals as one named alternation, and the
    rule each terminal stands alone in."""

    lines: tuple[Terminal, ...]  # matched against a whole line, by descending priority
    inline: str  # every inline terminal: found anywhere in a cable line
    rule_of: Mapping[str, str]  # terminal -> the rule it stands alone in


#: The tables' classes, for the cache's JSON (plaindata.py).
CODEC = Codec(
    [Terminal, StructureTables, LexerTable, FieldTables, InlineTables, ResidueTables, TreePlan]
)


def _lark_version_file() -> list[Path]:
    """Lark's ``__init__.py`` (it holds the version), found without importing Lark."""
    spec = importlib.util.find_spec("lark")
    return [Path(spec.origin)] if spec is not None and spec.origin else []


#: The grammar the others import their metadata labels from.
LABELS = "labels.lark"


def cached_tables(grammar: str, build: Callable[[], _T]) -> _T:
    """``build()`` (the tables of ``grammar``), from the per-user cache while the grammar file,
    the labels it may import, Lark's version and cablelint's modules are unchanged."""
    name = f"tables-{grammar.removesuffix('.lark')}"
    files = [grammar_path(grammar), grammar_path(LABELS), *_lark_version_file()]
    return cached(name, files, build, CODEC)


def named_alternation(alternatives: Sequence[tuple[str, str]]) -> str:
    """The named alternation of ``(name, regex)``, in order (one that never matches if none)."""
    return "|".join(f"(?P<{name}>{regex})" for name, regex in alternatives) or "(?!)"


def marked_alternation(alternatives: Sequence[tuple[str, str]]) -> str:
    """The alternation of ``(name, regex)``, in order, each alternative followed by an empty
    group of its name: a match's ``lastgroup`` names the alternative that matched, as with
    :func:`named_alternation`, but the named groups hold no text (only the match's own span
    says where it is).

    The regex engine skips an alternative whose first literal or character set does not match
    the next character without entering it; a group that opens each alternative (as a named
    alternation's do) defeats that, so every alternative was entered and left again.
    """
    return "|".join(f"(?:{regex})(?P<{name}>)" for name, regex in alternatives) or "(?!)"
