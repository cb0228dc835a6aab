"""The line lexer, the structure parser and the field parser: cablelint's runtime of its Lark
grammars, driven by the tables Lark derives from them (tables.py), without importing Lark."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache, cached_property, lru_cache
from typing import NamedTuple

from cablelint.support.records import record
from cablelint.syntax import lalr
from cablelint.syntax.compiled import field_tables, inline_tables
from cablelint.syntax.compiled import structure_tables as _structure_tables
from cablelint.syntax.first_chars import LATIN_1, last_chars
from cablelint.syntax.lines import line_contents, line_starts, split_lines
from cablelint.syntax.tables import (
    FieldTables,
    InlineTables,
    LexerTable,
    StructureTables,
    marked_alternation,
)

#: Line kinds assigned from context rather than by pattern (see grammar/cable.lark).
CONTEXT_KINDS = frozenset({"PRE", "SIG", "TRAILER", "PASS"})
#: Terminals of cable.lark that are searched for, not line kinds.
SEARCH_TERMINALS = frozenset({"GLUED_LABEL", "CAPTION_NAME"})
BLANK = "_BLANK"
_ANCHOR_KINDS = frozenset({"TID", "DE"})
_ADDRESS_KINDS = frozenset({"TO", "FM", "INFO"})
_SIGNABLE_KINDS = frozenset({"WORD", "UWORD", "TEXT", "ROUTE_CONT"})
_BANNER_ANCHOR_LINES = 60
_RUN_KINDS = frozenset({BLANK, "TEXT", "PRE"})
_META_KINDS = frozenset({"EO", "TAGS", "SUBJECT", "REF", "CLBY"})
_OPENING_KINDS = ("EO", "TAGS", "SUBJECT")  # the fields a metadata block opens with
_FREE_TEXT_KINDS = frozenset({"TEXT", "WORD", "UWORD", "NOTE", "RECORD"})


class LineToken(NamedTuple):
    """A stage-1 token: one line, or a run of blank, TEXT or PRE lines (lines are 1-based).

    It has the fields of a Lark ``Token`` that the parsers and the builder read, and ``str()``
    gives its text, as a Token's does; a tuple is made without a Python-level ``__new__``.
    """

    type: str
    value: str
    start_pos: int
    line: int
    column: int
    end_line: int
    end_column: int
    end_pos: int

    def __str__(self) -> str:
        return self.value


@record
class ParseProblem:
    """Something that did not fit: ``offset`` into the text, and what was expected."""

    offset: int
    end: int
    message: str


class LineClassifier:
    """Classifies each line by the stage-1 terminal patterns, then applies the context kinds."""

    def __init__(self, tables: StructureTables) -> None:
        ordered = sorted(
            (
                t
                for t in tables.terminals
                if t.name not in CONTEXT_KINDS and t.name not in SEARCH_TERMINALS
            ),
            key=lambda t: -t.priority,
        )
        alternatives = [(t.name, t.regex) for t in ordered]
        #: The last terminal's name when it is ``.+``: it takes every non-empty line that no
        #: other terminal takes, so the pattern leaves it out (no scan of the line, no match
        #: object) and a non-empty line the pattern does not match is of this kind.
        self.catch_all = "TEXT"
        if alternatives and alternatives[-1][1] == ".+":
            self.catch_all = alternatives.pop()[0]
        self._alternatives = alternatives
        widths = self._widths = tables.widths
        #: The kind of an empty line: the first terminal that matches nothing (only one whose
        #: fewest characters are none can).
        self.empty = next(
            (n for n, regex in alternatives if widths[n][0] == 0 and re.fullmatch(regex, "")),
            self.catch_all,
        )
        #: Per Latin-1 first character of a line, the ``fullmatch`` of the alternation of the
        #: terminals that can start with a character of its class (see :func:`_narrowed`).
        self.by_first = _narrowed(alternatives, tables.first_chars, widths)
        #: The terminals that may start with a character beyond Latin-1, in order.
        self._beyond = [(n, regex) for n, regex in alternatives if n in tables.beyond_latin_1]
        by_name = {t.name: t for t in tables.terminals}
        self.signature = re.compile(by_name["SIG"].regex)
        self.trailer = re.compile(by_name["TRAILER"].regex)
        self.glued_label = re.compile(by_name["GLUED_LABEL"].regex)
        #: The characters a glued label's match ends with (a colon), if literal: a search for
        #: one stops after the last of them.
        self.glued_label_ends = last_chars(by_name["GLUED_LABEL"].regex)
        #: labels.lark's CAPTION_NAME: the caption words in capitals (a regular expression).
        self.caption_name = by_name["CAPTION_NAME"].regex

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The ordered alternation of the terminals (the catch-all left out): the first that
        matches a whole line names its kind (``lastgroup``). The classifier tries a line on
        the narrower alternations that agree with it."""
        return re.compile(marked_alternation(self._alternatives))

    @cached_property
    def _beyond_fullmatch(self) -> Callable[[str], re.Match[str] | None]:
        return re.compile(_guarded_alternation(self._beyond, self._widths)).fullmatch

    def _starting_beyond(self, line: str) -> re.Match[str] | None:
        """The match of a line that starts beyond Latin-1: the alternation of the terminals
        that can start so, compiled when first needed (few lines do)."""
        return self._beyond_fullmatch(line)

    def kind_of(self, content: str) -> str:
        """The kind a line with this content would have, by pattern alone (no context)."""
        if not content:
            return self.empty
        match = self.by_first.get(content[0], self._starting_beyond)(content)
        return match.lastgroup if match else self.catch_all

    def _first_kinds(self, lines: list[str]) -> list[str]:
        """The kind of the first terminal matching each whole line (a line's content)."""
        empty, other, beyond = self.empty, self.catch_all, self._starting_beyond
        by_first = self.by_first.get
        kinds = []
        append = kinds.append
        for line in lines:
            if not line:
                append(empty)
                continue
            match = by_first(line[0], beyond)(line)
            append(match.lastgroup if match else other)
        return kinds

    def kinds(self, contents: list[str]) -> list[str]:
        """Each line's kind, from its content (the line without trailing whitespace or CR)."""
        kinds = self._first_kinds(contents)
        self._mark_end(contents, kinds)
        self._mark_preamble(kinds)
        _demote_addresses(kinds)
        _mark_passlines(kinds)
        return kinds

    def _mark_end(self, contents: list[str], kinds: list[str]) -> None:
        i = len(contents) - 1
        while i >= 0:
            if kinds[i] == BLANK:
                i -= 1
            elif kinds[i] != "PARA" and self.trailer.fullmatch(contents[i]):
                kinds[i] = "TRAILER"
                i -= 1
            else:
                break
        if i >= 0 and contents[i].rstrip(" ").endswith("...") and kinds[i] != "PARA":
            # "DANIEL ORTEGA AN...": a cut-off line after the signature is a footer.
            j = i - 1
            while j >= 0 and kinds[j] == BLANK:
                j -= 1
            if j >= 0 and kinds[j] in _SIGNABLE_KINDS and self._signs(contents[j]):
                kinds[i] = "TRAILER"
                i = j
        if i >= 0 and kinds[i] in _SIGNABLE_KINDS and self._signs(contents[i]):
            kinds[i] = "SIG"

    def _signs(self, line: str) -> bool:
        """Whether ``line`` is a signature (a name, not a classification word such as
        CONFIDENTIAL, which is a footer)."""
        return bool(self.signature.fullmatch(line)) and not self.trailer.fullmatch(line)

    @staticmethod
    def _mark_preamble(kinds: list[str]) -> None:
        anchor = _find_anchor(kinds)
        for i in range(anchor):
            if kinds[i] not in (BLANK, "PARTIAL", "INFOLOG"):
                kinds[i] = "PRE"


#: A terminal whose matches have at most this many characters is short (see :func:`_narrowed`).
_SHORT_WIDTH = 64
#: The classes of a line's first character, each with its own narrower alternation of the line
#: terminals: prose mostly starts with a lower-case letter; marks, numbers and indented lines
#: with no letter; headings and fields with a capital. Each costs one compiled alternation (a
#: compile is costly), not one per character.
_FIRST_CHAR_CLASSES: tuple[Callable[[str], bool], ...] = (
    str.islower,
    lambda char: not char.isalpha(),
    lambda char: char.isalpha() and not char.islower(),
)


def _narrowed(
    alternatives: list[tuple[str, str]],
    first_chars: Mapping[str, str],
    widths: Mapping[str, tuple[int, int]],
) -> dict[str, Callable]:
    """Per Latin-1 character, the ``fullmatch`` of the alternation (in the same order, see
    :func:`_guarded_alternation`) of only the terminals that can start with a character of its
    class in :data:`_FIRST_CHAR_CLASSES` (``first_chars``, read from each terminal's regex):
    the regex engine enters every alternative whose first element is not a plain character or
    set, so a line tried on fewer alternatives costs less, and it matches the same one."""
    dispatch: dict[str, Callable] = {}
    for in_class in _FIRST_CHAR_CLASSES:
        chars = "".join(filter(in_class, LATIN_1))
        chosen = [
            (name, regex) for name, regex in alternatives if _any_of(chars, first_chars[name])
        ]
        fullmatch = re.compile(_guarded_alternation(chosen, widths)).fullmatch
        dispatch.update(dict.fromkeys(chars, fullmatch))
    return dispatch


def _guarded_alternation(
    alternatives: list[tuple[str, str]], widths: Mapping[str, tuple[int, int]]
) -> str:
    """:func:`tables.marked_alternation` of ``alternatives``, the short ones that end it (at
    most :data:`_SHORT_WIDTH` characters: a word or two) behind one lookahead for a line no
    longer than the longest of them. A longer line is not tried on them: the lookahead fails
    after a count of characters, where each of them would scan the line's first words."""
    cut = len(alternatives)
    while cut and widths[alternatives[cut - 1][0]][1] <= _SHORT_WIDTH:
        cut -= 1
    if cut == len(alternatives):
        return marked_alternation(alternatives)
    longest = max(widths[name][1] for name, _regex in alternatives[cut:])
    short = f"(?=.{{0,{longest}}}+\\Z)(?:{marked_alternation(alternatives[cut:])})"
    return "|".join([marked_alternation(alternatives[:cut]), short] if cut else [short])


def _any_of(chars: str, among: str) -> bool:
    return any(char in among for char in chars)


def _find_anchor(kinds: list[str]) -> int:
    """Index of the first line of the cable proper; 0 when nothing anchors it.

    A VZCZC or DE line anchors wherever it is (Lotus Notes exports show a banner first); else a
    DTG line followed by FM; else a banner near the top. Each kind is looked for at C speed.
    """
    count = len(kinds)
    anchor = min(_index(kinds, kind) for kind in _ANCHOR_KINDS)
    if anchor < count:
        return anchor
    dtg = _index(kinds, "DTG")
    while dtg < count:
        after = dtg + 1
        while after < count and kinds[after] == BLANK:
            after += 1
        if after < count and kinds[after] == "FM":
            return dtg
        dtg = _index(kinds, "DTG", dtg + 1)
    top = kinds[:_BANNER_ANCHOR_LINES]
    banner = _index(top, "BANNER")
    return banner if banner < len(top) else 0


def _mark_passlines(kinds: list[str]) -> None:
    """Free text between metadata fields is a passline (PASS): a field first ("Classified By:
    ..."), a blank line, lines of free text ("PASS TO ..."), and then, after blank lines if any,
    the E.O., TAGS or SUBJECT line that opens the usual block. Else that text would start the
    body, and the fields after it would be read as body text."""
    opening = min((_index(kinds, kind) for kind in _OPENING_KINDS), default=-1)
    if opening <= 0 or _META_KINDS.isdisjoint(kinds[:opening]):  # the common case, at C speed
        return
    end = opening
    while end > 0 and kinds[end - 1] == BLANK:
        end -= 1
    start = end
    while start > 0 and kinds[start - 1] in _FREE_TEXT_KINDS:
        start -= 1
    if start == end or start == 0 or kinds[start - 1] != BLANK:
        return
    field = start - 1
    while field > 0 and kinds[field - 1] == BLANK:
        field -= 1
    while field > 0 and kinds[field - 1] != BLANK and kinds[field - 1] not in _META_KINDS:
        field -= 1  # back through the field's continuation lines to its label
    if field > 0 and kinds[field - 1] in _META_KINDS:
        kinds[start:end] = ["PASS"] * (end - start)


def _index(kinds: list[str], kind: str, start: int = 0) -> int:
    """Where ``kind`` first stands in ``kinds`` from ``start``; a number past the end if
    nowhere."""
    try:
        return kinds.index(kind, start)
    except ValueError:
        return len(kinds)


def _demote_addresses(kinds: list[str]) -> None:
    """TO, FM and INFO are header lines only before the banner; later they are prose."""
    try:
        banner = kinds.index("BANNER")
    except ValueError:
        return
    if _ADDRESS_KINDS.isdisjoint(kinds[banner + 1 :]):  # the common case, at C speed
        return
    for i in range(banner + 1, len(kinds)):
        if kinds[i] in _ADDRESS_KINDS:
            kinds[i] = "TEXT"


@record
class LineTable:
    """Every physical line of a text (:func:`source.split_lines`): its text (without its line
    end, a CR of a CRLF kept), its content (without trailing whitespace or CR: what the
    classifier and the parsers read), start offset and kind."""

    lines: list[str]
    contents: list[str]
    starts: list[int]
    kinds: list[str]


def _line_table(text: str, classifier: LineClassifier) -> LineTable:
    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    contents = line_contents(lines)
    return LineTable(lines, contents, line_starts(lines), classifier.kinds(contents))


def _tokens(text: str, table: LineTable) -> list[LineToken]:
    """One token per line, except that a run of blank, TEXT or PRE lines is one token. A line's
    token holds its content; a run's, the text from its first line to its last line's content."""
    tokens: list[LineToken] = []
    new = tuple.__new__
    contents, starts, kinds = table.contents, table.starts, table.kinds
    count = len(contents)
    i = 0
    while i < count:
        kind = kinds[i]
        j = i + 1
        if kind in _RUN_KINDS:
            while j < count and kinds[j] == kind:
                j += 1
        start = starts[i]
        if kind == BLANK:  # the run with its newlines
            end = starts[j] if j < count else len(text)
            value = text[start:end]
        elif j == i + 1:  # one line: its string is the token's text, not a new slice
            value = contents[i]
            end = start + len(value)
        else:
            end = starts[j - 1] + len(contents[j - 1])
            value = text[start:end]
        tokens.append(new(LineToken, (kind, value, start, i + 1, 1, j, 1, end)))
        i = j
    return tokens


@cache
def _classifier() -> LineClassifier:
    return LineClassifier(_structure_tables())


class InlineScanner:
    """Finds grammar/inline.lark's terminals in body text: leftmost first, without overlaps.

    One alternation of the terminals (by descending priority, then as written), and one of the
    ``*_LEAD`` terminals, which count only where a paragraph's text starts.
    """

    def __init__(self, tables: InlineTables) -> None:
        self.tables = tables
        #: The rule each terminal stands alone in (``summary_begin``, ``redaction`` ...).
        self.rule_of = dict(tables.rule_of)
        #: grammar/inline.lark's REDACTION alone: the one definition of a redaction.
        self.redaction = re.compile(tables.redaction)

    # Compiled on first use: most runs ask for redactions only, and the alternation of every
    # marker is the costliest pattern a lint compiles (~1 M instructions).
    @cached_property
    def anywhere(self) -> re.Pattern[str]:
        return re.compile(self.tables.anywhere)

    @cached_property
    def lead(self) -> re.Pattern[str]:
        return re.compile(self.tables.lead)

    def scan(self, text: str, lead: int | None = None) -> list[tuple[str, int, int]]:
        """``(rule, start, end)`` of each token in ``text``; ``lead`` is the offset where a
        paragraph's text starts, if it starts in ``text``."""
        rule_of = self.rule_of
        found = [(rule_of[m.lastgroup], m.start(), m.end()) for m in self.anywhere.finditer(text)]
        match = self.lead.match(text, lead) if lead is not None else None
        if match and all(end <= lead or start >= match.end() for _, start, end in found):
            found.append((rule_of[match.lastgroup], lead, match.end()))
            found.sort(key=lambda token: token[1])
        return found

    def scan_redactions(self, text: str) -> list[tuple[str, int, int]]:
        """The ``redaction`` tokens of :meth:`scan` alone, found without the markers (no marker
        holds a run of x or starts with one, so none hides a redaction from :meth:`scan`)."""
        return [("redaction", m.start(), m.end()) for m in self.redaction.finditer(text)]


@cache
def inline_scanner() -> InlineScanner:
    """The scanner of grammar/inline.lark's tokens (markers and redactions in body prose)."""
    return InlineScanner(inline_tables())


def line_kind(content: str) -> str:
    """The kind grammar/cable.lark's terminals give a line with this content (no context)."""
    return _classifier().kind_of(content)


def glued_labels(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(gap start, label start)`` of each place in ``text[start:end]`` where a metadata label
    may be glued onto the text before it (cable.lark's GLUED_LABEL: the gap and the label)."""
    classifier = _classifier()
    if classifier.glued_label_ends is not None:  # no match ends after the last of these
        last = max(text.rfind(char, start, end) for char in classifier.glued_label_ends)
        if last == -1:
            return
        end = last + 1
    for match in classifier.glued_label.finditer(text, start, end):
        gap = match.start()
        yield gap, gap + len(match.group()) - len(match.group().lstrip(" "))


def caption_name() -> str:
    """The caption words in capitals (grammar/labels.lark's CAPTION_NAME, which the caption line,
    the banner's joined captions and the caption field are made from): a regular expression."""
    return _classifier().caption_name


@lru_cache(maxsize=4)
def line_table(text: str) -> LineTable:
    """Every line of ``text`` with its kind (grammar/cable.lark's line terminals)."""
    return _line_table(text, _classifier())


def line_tokens(text: str) -> list[LineToken]:
    """The stage-1 tokens: one per line, with runs of blank, TEXT or PRE lines merged.

    Not kept (unlike the line table): a token per line of a large file is megabytes, which
    would stay alive through the checks and the report."""
    return _tokens(text, line_table(text))


def parse_structure(text: str) -> tuple[lalr.Tree, list[LineToken]]:
    """Parse a cable's structure; returns the tree and the line tokens that fit nowhere.

    The line tokens are fed to the LALR table of grammar/cable.lark one by one: a token the
    grammar rejects in the current state is set aside (it becomes an ``unknown`` node) and
    parsing goes on.
    """
    actions, start_state, end_state = _structure_table()
    try:
        return lalr.feed(actions, start_state, end_state, line_tokens(text), _STRUCTURE_MOVES)
    except ValueError:
        # Defensive: every prefix of the grammar is complete, so $END is always accepted.
        return lalr.Tree("start", []), [t for t in line_tokens(text) if t.type != BLANK]


#: The structure parser's memoised moves (lalr.feed), kept from cable to cable.
_STRUCTURE_MOVES: lalr.Moves = {}


@cache
def _structure_table() -> tuple[lalr.Actions, int, int]:
    """The structure parser's table (unpacked, with lalr's tree builders) and its start and
    end states."""
    tables = _structure_tables()
    builders = [lalr.tree_builder(plan) for plan in tables.plans]
    actions = lalr.unpacked(tables.states, tables.rules, builders)
    return actions, tables.start_state, tables.end_state


#: A parsed field value: each terminal's tokens in order, as ``(start, end)`` offsets into the
#: value. Shared by every equal value (the parse is memoised): read it, never change it.
FieldTokens = dict[str, tuple[tuple[int, int], ...]]
_Match = Callable[[str, int], re.Match[str] | None]
#: The ``match`` of a regex that never matches: the skip of a state that has none.
_NEVER: _Match = re.compile("(?!)").match


class _Scan(NamedTuple):
    """A lexer state's scan: the regexes its scanner tries in turn, its ignored terminals, per
    terminal that may match a keyword the keyword alternations' ``fullmatch``, and ``skip``:
    the regex that skips spaces and matches the token after them in one call, if the state's
    only ignored terminal is spaces and it has no keywords (else one that never matches)."""

    matchers: Iterable[_Match]
    ignore: frozenset[str]
    keywords: dict
    skip: _Match


class _Node:
    """A state stack of the field parser, with its lexer state's scan, its moves by terminal
    (each worked out when first taken: the next node, or :data:`_REJECTED`) and the state that
    end of input leaves on top (-1 if the table would shift it)."""

    __slots__ = ("end_top", "moves", "scan", "skip", "stack")

    def __init__(self, stack: tuple[int, ...], scan: _Scan, end_top: int) -> None:
        self.stack, self.scan, self.skip, self.end_top = stack, scan, scan.skip, end_top
        self.moves: dict[str, _Node] = {}


#: The move of a terminal the table rejects in a node's stack.
_REJECTED = _Node((), _Scan((), frozenset(), {}, _NEVER), -1)


class FieldParser:
    """Lark's LALR parse of a field value, yielding the tokens its parse tree would keep.

    The loop of Lark's parser and contextual lexer (the same tables, scanners, keyword callbacks
    and error positions), without building a tree: the model reads only the tokens, in order.
    tests/test_parse.py checks it against ``Lark.parse`` on corpus values and generated text.
    """

    def __init__(self, tables: FieldTables) -> None:
        self.kept = tables.kept
        self.starts = tables.starts
        self.digit_blind = tables.digit_blind
        self.actions = lalr.unpacked(tables.states, tables.rules)  # one table, many starts
        #: Per parser state, its lexer's scan, built when the state is first met (a run meets
        #: few of the states, and each scan compiles its terminals' regexes).
        self.scans: dict[int, _Scan] = _Scans(tables.lexers)
        #: The stacks met so far, each a node: field values are short and alike, so their
        #: stacks recur, and a node's moves and scan are looked up, not worked out.
        self._nodes: dict[tuple[int, ...], _Node] = {}
        self._roots: dict[str, tuple[_Node, int]] = {}

    def parse(self, kind: str, text: str) -> FieldTokens | ParseProblem:
        """The tokens of ``text`` parsed from start symbol ``kind``, or where it failed.

        Each token is lexed in the state the previous one left: mostly one regex call that
        skips the spaces before it and matches it, then a move looked up in the node.
        """
        node, end_state = self._roots.get(kind) or self._root(kind)
        kept = self.kept
        found: FieldTokens = {}
        pos, size, last = 0, len(text), 0
        while pos < size:
            token = node.skip(text, pos)
            if token is not None:  # spaces (if any) and a token: the token starts after them
                terminal = token.lastgroup
                start, pos = token.span(terminal)
            else:  # the token as Lark's scanner finds it, an ignored one included
                matchers, ignore, keywords, _skip = node.scan
                for match in matchers:
                    token = match(text, pos)
                    if token:
                        break
                else:
                    return _problem(text, pos)  # no terminal of this state matches here
                start, pos, terminal = pos, token.end(), token.lastgroup
                if terminal in ignore:
                    continue
                if terminal in keywords:  # a keyword the terminal's regex also matches
                    terminal = _keyword(keywords[terminal], text[start:pos]) or terminal
            node = node.moves.get(terminal) or self._move(node, terminal)
            if node is _REJECTED:
                return _problem(text, start)
            if terminal in kept:
                spans = found.get(terminal)
                found[terminal] = ((start, pos),) if spans is None else (*spans, (start, pos))
            last = start
        # End of input: its reductions must stop at the end state (as Lark, $END borrows the
        # last token's position when they do not).
        if node.end_top != end_state:
            return _problem(text, last)
        return found

    def _root(self, kind: str) -> tuple[_Node, int]:
        start_state, end_state = self.starts[kind]
        root = self._roots[kind] = (self._node((start_state,)), end_state)
        return root

    def _move(self, node: _Node, terminal: str) -> _Node:
        """The node ``terminal`` leads to from ``node`` (its reductions and shift), kept."""
        after, _reductions, shifted = lalr.move(self.actions, node.stack, terminal)
        found = node.moves[terminal] = self._node(after) if shifted else _REJECTED
        return found

    def _node(self, stack: tuple[int, ...]) -> _Node:
        node = self._nodes.get(stack)
        if node is None:
            if len(self._nodes) >= lalr.MAX_MOVES:  # an unusual run: start again
                self._nodes.clear()
                self._roots.clear()
            after, _reductions, shifted = lalr.move(self.actions, stack, lalr.END)
            end_top = -1 if shifted else after[-1]
            node = self._nodes[stack] = _Node(stack, self.scans[stack[-1]], end_top)
        return node


def _keyword(matchers: Iterable[Callable[[str], re.Match[str] | None]], value: str) -> str | None:
    for fullmatch in matchers:
        found = fullmatch(value)
        if found:
            return found.lastgroup
    return None


class _Scans(dict):
    """``{state: scan}``, each compiled on first use."""

    def __init__(self, lexers: Mapping[int, LexerTable]) -> None:
        super().__init__()
        self.lexers = lexers

    def __missing__(self, state: int) -> _Scan:
        lexer = self.lexers[state]
        keywords = {
            terminal: _Compiled(alternations, "fullmatch")
            for terminal, alternations in lexer.keywords.items()
        }
        skip = _NEVER
        matchers: Iterable[_Match] = _Compiled(lexer.patterns, "match")
        if lexer.past_spaces is not None and not keywords:
            regex, flags = lexer.past_spaces
            skip = re.compile(regex, flags).match
        else:
            matchers = tuple(matchers)  # the scan always tries them
        scan = self[state] = _Scan(matchers, lexer.ignore, keywords, skip)
        return scan


class _Compiled:
    """The ``match`` (or ``fullmatch``) of each ``(regex, flags)``, compiled when first tried:
    a state whose spaces are skipped with the token after them tries its plain scan only where
    that fails, and a keyword's alternations only when its terminal matches."""

    __slots__ = ("method", "methods", "patterns")

    def __init__(self, patterns: Iterable[tuple[str, int]], method: str) -> None:
        self.patterns, self.method = tuple(patterns), method
        self.methods: tuple[Callable, ...] | None = None

    def __iter__(self) -> Iterator[Callable]:
        if self.methods is None:
            self.methods = tuple(
                getattr(re.compile(regex, flags), self.method) for regex, flags in self.patterns
            )
        return iter(self.methods)


@cache
def _field_tokens() -> FieldParser:
    return FieldParser(field_tables())


#: Every ASCII digit as 0: the shape of a value whose parse cannot tell digits apart. Every
#: other ASCII character maps to itself: ``str.translate`` raises and clears a KeyError inside
#: for each character its table lacks, which cost more than the translation.
_DIGITS_AS_ZERO = {**{code: code for code in range(128)}, **str.maketrans("123456789", "0" * 9)}
#: The same for an ASCII value's bytes: a table, not a mapping, so no lookup per character.
_DIGIT_BYTES_AS_ZERO = bytes.maketrans(b"123456789", b"0" * 9)


def parse_field(kind: str, text: str) -> FieldTokens | ParseProblem:
    """Parse one field value; its tokens (offsets relative to ``text``), or a ParseProblem.

    Memoised: equal values (a station, a label, a line of TAGS) recur from cable to cable.
    Where fields.lark's terminals cannot tell one digit from another (tables.FieldTables), a
    value is parsed as its digits all 0: the tokens are the same, at the same offsets, so a
    DTG, a DE line or an addressee with its serial recurs as one shape. A problem is quoted
    from the value itself. A value met before is looked up here, with no call (most are)."""
    memo = _PLAIN_MEMOS.get(kind)
    if memo is not None:
        found = memo.get(text)
        return _parse_new(memo, kind, text) if found is None else found
    memo = _BLIND_MEMOS.get(kind)
    if memo is None:  # a kind not met before
        _new_kind(kind)
        return parse_field(kind, text)
    if text.isascii():  # the commonest: no str.translate, with its lookups, at all
        shape = text.encode("ascii").translate(_DIGIT_BYTES_AS_ZERO).decode("ascii")
    else:
        shape = text.translate(_DIGITS_AS_ZERO)
    found = memo.get(shape)
    if found is None:
        found = _parse_new(memo, kind, shape)
    if type(found) is ParseProblem:
        return _problem(text, found.offset)
    return found


#: Per start symbol whose values are parsed as they are, ``{value: parse}``.
_PLAIN_MEMOS: dict[str, dict[str, FieldTokens | ParseProblem]] = {}
#: Per digit-blind start symbol, ``{value with its digits all 0: parse}``.
_BLIND_MEMOS: dict[str, dict[str, FieldTokens | ParseProblem]] = {}
#: How many parses the memos hold at most, all kinds together: a long run meets ever new
#: values, so they are emptied when full.
_MEMO_SIZE = 16384
_memo_count = 0


def _new_kind(kind: str) -> None:
    """Give ``kind`` its (empty) memo, in the digit-blind memos or the plain ones."""
    memos = _BLIND_MEMOS if kind in _field_tokens().digit_blind else _PLAIN_MEMOS
    memos[kind] = {}


def _parse_new(
    memo: dict[str, FieldTokens | ParseProblem], kind: str, text: str
) -> FieldTokens | ParseProblem:
    """Parse a value not in ``memo`` (its kind's) and keep the parse there."""
    global _memo_count
    if _memo_count >= _MEMO_SIZE:
        _clear_memos()
    _memo_count += 1
    found = memo[text] = _field_tokens().parse(kind, text)
    return found


def _clear_memos() -> None:
    """Empty the field-parse memos (as a fresh run has them)."""
    global _memo_count
    for memo in (*_PLAIN_MEMOS.values(), *_BLIND_MEMOS.values()):
        memo.clear()
    _memo_count = 0


#: Named as functools' caches name theirs, for tools that empty the memo (benchmarks/bench_ab.py).
parse_field.cache_clear = _clear_memos  # type: ignore[attr-defined]


def _problem(text: str, pos: int) -> ParseProblem:
    return ParseProblem(pos, len(text), _describe(text, pos))


def _describe(text: str, pos: int) -> str:
    found = text[pos : pos + 12].split(" ")[0] if pos < len(text) else ""
    return f"unexpected {found!r}" if found else "unexpected end of field"
