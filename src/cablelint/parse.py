"""The only module that imports Lark: the line lexer, the structure parser and the field parser."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedInput
from lark.lexer import Lexer
from lark.parsers.lalr_analysis import Shift

from .firstchars import FirstCharDispatch
from .resources import grammar_path
from .usercache import cache_file, replace_atomically

#: Line kinds assigned from context rather than by pattern (see grammar/cable.lark).
CONTEXT_KINDS = frozenset({"PRE", "SIG", "TRAILER"})
BLANK = "_BLANK"
_ANCHOR_KINDS = frozenset({"TID", "DE"})
_ADDRESS_KINDS = frozenset({"TO", "FM", "INFO"})
_SIGNABLE_KINDS = frozenset({"WORD", "UWORD", "TEXT", "ROUTE_CONT"})
_BANNER_ANCHOR_LINES = 60
_RUN_KINDS = frozenset({BLANK, "TEXT", "PRE"})

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


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something that did not fit: ``offset`` into the text, and what was expected."""

    offset: int
    end: int
    message: str


class LineClassifier:
    """Classifies each line by the stage-1 terminal patterns, then applies the context kinds."""

    def __init__(self, terminals) -> None:
        ordered = sorted(
            (t for t in terminals if t.name not in CONTEXT_KINDS),
            key=lambda t: -t.priority,
        )
        #: One alternation of every terminal: the definition the dispatch must agree with.
        self.pattern = re.compile(
            "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in ordered)
        )
        #: The same alternation per first character, without the terminals that cannot start
        #: with it: the same first match, fewer alternatives tried.
        self.dispatch = FirstCharDispatch([(t.name, t.pattern.to_regexp()) for t in ordered])
        by_name = {t.name: t for t in terminals}
        self.signature = re.compile(by_name["SIG"].pattern.to_regexp())
        self.trailer = re.compile(by_name["TRAILER"].pattern.to_regexp())

    def kinds(self, lines: list[str]) -> list[str]:
        kinds = self.dispatch.kinds(lines)
        self._mark_end(lines, kinds)
        self._mark_preamble(kinds)
        _demote_addresses(kinds)
        return kinds

    def _mark_end(self, lines: list[str], kinds: list[str]) -> None:
        i = len(lines) - 1
        while i >= 0:
            if kinds[i] == BLANK:
                i -= 1
            elif kinds[i] != "PARA" and self.trailer.fullmatch(lines[i].rstrip("\r")):
                kinds[i] = "TRAILER"
                i -= 1
            else:
                break
        if (
            i >= 0
            and kinds[i] in _SIGNABLE_KINDS
            and self.signature.fullmatch(lines[i].rstrip("\r"))
        ):
            kinds[i] = "SIG"

    @staticmethod
    def _mark_preamble(kinds: list[str]) -> None:
        anchor = _find_anchor(kinds)
        for i in range(anchor):
            if kinds[i] not in (BLANK, "PARTIAL", "INFOLOG"):
                kinds[i] = "PRE"


def _find_anchor(kinds: list[str]) -> int:
    """Index of the first line of the cable proper; 0 when nothing anchors it.

    A VZCZC or DE line anchors wherever it is (Lotus Notes exports show a banner first); else a
    DTG line followed by FM; else a banner near the top.
    """
    for i, kind in enumerate(kinds):
        if kind in _ANCHOR_KINDS:
            return i
    content = [i for i, k in enumerate(kinds) if k != BLANK]
    for n, i in enumerate(content):
        if kinds[i] == "DTG" and n + 1 < len(content) and kinds[content[n + 1]] == "FM":
            return i
    for i, kind in enumerate(kinds[:_BANNER_ANCHOR_LINES]):
        if kind == "BANNER":
            return i
    return 0


def _demote_addresses(kinds: list[str]) -> None:
    """TO, FM and INFO are header lines only before the banner; later they are prose."""
    try:
        banner = kinds.index("BANNER")
    except ValueError:
        return
    for i in range(banner + 1, len(kinds)):
        if kinds[i] in _ADDRESS_KINDS:
            kinds[i] = "TEXT"


@dataclass(frozen=True, slots=True)
class LineTable:
    """Every physical line of a text: its content (without ``\\n``), start offset and kind."""

    lines: list[str]
    starts: list[int]
    kinds: list[str]


def _line_table(text: str, classifier: LineClassifier) -> LineTable:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    starts = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return LineTable(lines, starts, classifier.kinds(lines))


def _tokens(text: str, table: LineTable) -> list[Token]:
    """One token per line, except that a run of blank, TEXT or PRE lines is one token."""
    tokens: list[Token] = []
    lines, starts, kinds = table.lines, table.starts, table.kinds
    count = len(lines)
    i = 0
    while i < count:
        kind = kinds[i]
        j = i + 1
        if kind in _RUN_KINDS:
            while j < count and kinds[j] == kind:
                j += 1
        start = starts[i]
        end = starts[j - 1] + len(lines[j - 1])
        if kind == BLANK:
            end = starts[j] if j < count else len(text)
        tokens.append(Token(kind, text[start:end], start, i + 1, 1, j, 1, end))
        i = j
    return tokens


class LineLexer(Lexer):
    """Lark custom lexer: yields the line tokens of the text being parsed."""

    def __init__(self, lexer_conf) -> None:
        pass

    def lex(self, data: str) -> Iterator[Token]:  # type: ignore[override]
        return iter(line_tokens(data))


def _open(name: str, **options) -> Lark:
    """``Lark.open`` with Lark's cache in the per-user cache directory, written atomically.

    Lark checks that a cache file matches the grammar, the options and its own version, and
    rebuilds when it does not or cannot be read; a directory that cannot be written only costs
    the build.
    """
    path = str(grammar_path(name))
    target = cache_file(f"{name}-py{sys.version_info[0]}.{sys.version_info[1]}.lark-cache")
    if target is None:
        return Lark.open(path, **options)
    if target.exists():
        return Lark.open(path, cache=str(target), **options)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    parser = Lark.open(path, cache=str(tmp), **options)
    if tmp.exists():
        replace_atomically(tmp, target)
    return parser


@cache
def _structure_parser() -> Lark:
    return _open(
        "cable.lark",
        parser="lalr",
        lexer=LineLexer,
        propagate_positions=False,
        maybe_placeholders=False,
    )


@cache
def _field_parser() -> Lark:
    return _open(
        "fields.lark",
        parser="lalr",
        start=list(FIELD_STARTS),
        maybe_placeholders=True,
    )


@cache
def _classifier() -> LineClassifier:
    return LineClassifier(_structure_parser().terminals)


@lru_cache(maxsize=4)
def line_table(text: str) -> LineTable:
    """Every line of ``text`` with its kind (grammar/cable.lark's line terminals)."""
    return _line_table(text, _classifier())


@lru_cache(maxsize=4)
def line_tokens(text: str) -> list[Token]:
    """The stage-1 tokens: one per line, with runs of blank, TEXT or PRE lines merged."""
    return _tokens(text, line_table(text))


def parse_structure(text: str) -> tuple[Tree, list[Token]]:
    """Parse a cable's structure; returns the tree and the line tokens that fit nowhere.

    The tokens are fed to Lark's interactive LALR parser one by one: a token the grammar rejects
    in the current state is set aside (it becomes an ``unknown`` node) and parsing goes on.
    """
    parser = _structure_parser().parse_interactive("")
    dropped = _feed(parser.parser_state, line_tokens(text))
    try:
        return parser.feed_eof(), dropped
    except LarkError:
        # Defensive: every prefix of the grammar is complete, so $END is always accepted.
        return Tree("start", []), [t for t in line_tokens(text) if t.type != BLANK]


def _feed(state, tokens: list[Token]) -> list[Token]:
    """Feed ``tokens`` to a Lark LALR parser state; returns the tokens it rejected.

    The loop of Lark's ``ParserState.feed_token`` (same table, same callbacks, and the
    reductions done before a rejection are kept, as there), without raising and catching an
    ``UnexpectedToken`` for every rejected line.
    """
    conf = state.parse_conf
    states, callbacks = conf.states, conf.callbacks
    state_stack, value_stack = state.state_stack, state.value_stack
    dropped: list[Token] = []
    for token in tokens:
        kind = token.type
        while True:
            action = states[state_stack[-1]].get(kind)
            if action is None:
                dropped.append(token)
                break
            if action[0] is Shift:
                state_stack.append(action[1])
                value_stack.append(callbacks[kind](token) if kind in callbacks else token)
                break
            rule = action[1]
            size = len(rule.expansion)
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value = callbacks[rule](children) if callbacks else children
            state_stack.append(states[state_stack[-1]][rule.origin.name][1])
            value_stack.append(value)
    return dropped


@lru_cache(maxsize=4096)
def parse_field(kind: str, text: str) -> Tree | ParseProblem:
    """Parse one field value (offsets relative to ``text``); a ParseProblem if it does not parse."""
    try:
        return _field_parser().parse(text, start=kind)
    except UnexpectedInput as error:
        pos = getattr(error, "pos_in_stream", None) or 0
        token = getattr(error, "token", None)
        if token is not None and getattr(token, "start_pos", None) is not None:
            pos = token.start_pos
        return ParseProblem(pos, len(text), _describe(error, text, pos))
    except LarkError as error:  # pragma: no cover - defensive
        return ParseProblem(0, len(text), f"could not parse: {error.__class__.__name__}")


def _describe(error: UnexpectedInput, text: str, pos: int) -> str:
    found = text[pos : pos + 12].split(" ")[0] if pos < len(text) else ""
    return f"unexpected {found!r}" if found else "unexpected end of field"
