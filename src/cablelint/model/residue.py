"""Conversion residue: what a converter left around and inside a cable (grammar/residue.lark).

:func:`read_residue` finds the residue of a file as nodes with exact spans in the file, and the
cable text inside it (the *view*): the file with every node's edits applied. The cable is parsed
from the view; :class:`Residue` maps the view's offsets back to the file's, so that what is said
about the cable is said where it stands in the file. Each node's edits are also its fix: they
take the converter's text out and leave the cable's.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from functools import cache
from html.entities import html5
from typing import NamedTuple

from cablelint.model.diagnostics import Edit, Span
from cablelint.model.source import LineIndex
from cablelint.support.records import record
from cablelint.syntax.compiled import residue_tables
from cablelint.syntax.lines import split_lines
from cablelint.syntax.parse import line_kind, line_table

#: Markdown's code indentation.
CODE_INDENT = 4
#: The width (in characters) a text browser's dump re-wraps lines at (lynx's default).
REWRAP_WIDTH = 80
#: A re-wrapped file may have one line longer than the width (lengthened by a fix) per this
#: many breaks.
_BREAKS_PER_LONGER_LINE = 10
#: Line rules that start a line of their own: a browser's break never falls before them.
_LINE_STARTS = frozenset({"fence", "paragraph_line"})
#: Lines that start with a curly quote (residue.lark), and what joins them to the line a browser
#: broke before them: a closing quote follows the word, an opening one the space it dropped.
_QUOTE_LINES = {"closing_quote_line": "", "opening_quote_line": " "}
#: The longest run of spaces a browser's break may drop (a sentence's two or three spaces).
_SPACES_DROPPED = 2
#: The curly quotes (residue.lark's quote lines start with one).
_CURLY_QUOTES = frozenset("‘’“”")
#: The bytes of a curly quote in UTF-8: a browser that counts them breaks that much early.
_QUOTE_BYTES = 3
#: Residue only a Markdown writer leaves. A Markdown writer keeps the lines of preformatted text
#: whole: in its file a line of the re-wrap width is the cable's own (or a link made it longer).
_MARKDOWN = frozenset({"code-block", "fence", "link"})
#: The kinds of cable line (grammar/cable.lark) that a browser's break at a space may leave at
#: the start of a line: running prose. A field label, a paragraph mark or a banner there starts
#: a line of the cable.
_PROSE_KINDS = frozenset({"TEXT", "WORD", "UWORD"})
#: The page table stands at the top of the file: its head is among these first non-blank lines.
_TABLE_HEAD_WITHIN = 2


@record
class ResidueNode:
    """One piece of residue: ``kind`` (one of :data:`KINDS`), its span in the file, a short
    description, and the edits that take it out of the file and leave the cable's text."""

    kind: str
    span: Span
    detail: str
    edits: tuple[Edit, ...]
    #: How the node came about, where a kind has several ways (a re-wrap: one of
    #: :data:`REWRAP_FORMS`; an entity: "bare", a name that is no HTML entity); else empty.
    form: str = ""


#: Where a text browser broke a line (a re-wrap node's ``form``): at the width's column, on a
#: space it dropped, or early before a curly quote.
REWRAP_FORMS = ("at the width", "on a space", "before a quote")

#: The kinds of residue node, by the rule that reports them. All are in the view: the cable is
#: read with re-wrapped lines re-joined, though writing the join is a judgement (an unsafe fix).
KINDS = ("page-table", "fence", "code-block", "link", "escape", "entity", "rewrap")


class Residue(NamedTuple):
    """The residue of a file, its view (the cable text inside it), and the map between them."""

    nodes: tuple[ResidueNode, ...]
    view: str
    #: Per edit that makes the view, in file order: (its start in the view, the length of its
    #: replacement, its start and end in the file).
    moves: tuple[tuple[int, int, int, int], ...]
    #: The file's line index (None without residue).
    index: LineIndex | None = None

    def to_file(self, offset: int) -> int:
        """The file offset of the view's character at ``offset`` (or of the end of the view)."""
        moves = self.moves
        k = bisect_right(moves, (offset, 1 << 62)) - 1
        if k < 0:
            return offset
        view_start, length, start, end = moves[k]
        if offset < view_start + length:  # inside a replacement: it stands for all it replaced
            return start
        return end + offset - view_start - length

    def to_file_end(self, offset: int) -> int:
        """The file offset just after the view's character before ``offset`` (an exclusive end)."""
        if offset <= 0:
            return 0
        moves = self.moves
        k = bisect_right(moves, (offset - 1, 1 << 62)) - 1
        if k >= 0:
            view_start, length, _start, end = moves[k]
            if offset - 1 < view_start + length:
                return end
        return self.to_file(offset - 1) + 1

    def to_file_range(self, start: int, end: int) -> tuple[int, int]:
        """A view range ``start:end`` as a file range (an empty range stays empty)."""
        first = self.to_file(start)
        return (first, first) if end <= start else (first, max(first, self.to_file_end(end)))

    def file_span(self, span: Span) -> Span:
        """A span of the cable text inside the residue as a span of the file."""
        assert self.index is not None
        return self.index.span(*self.to_file_range(span.start, span.end))

    def of_kind(self, kind: str) -> tuple[ResidueNode, ...]:
        return tuple(node for node in self.nodes if node.kind == kind)


NO_RESIDUE = Residue((), "", ())


class _Tables(NamedTuple):
    lines: tuple[tuple[str, re.Pattern[str]], ...]  # (rule, whole-line regex)
    inline: re.Pattern[str]
    rule_of: dict[str, str]


@cache
def _tables() -> _Tables:
    tables = residue_tables()
    return _Tables(
        tuple((tables.rule_of[t.name], re.compile(t.regex)) for t in tables.lines),
        re.compile(tables.inline),
        dict(tables.rule_of),
    )


def _might_hold_residue(text: str) -> bool:
    """A quick test at C speed: False when no residue can be in ``text``."""
    head = text[:4096]
    # A search for one character is the quickest: each test of a longer string is guarded by
    # one for a character of it that few cables hold.
    return (
        "`" in text
        or "\\" in text
        or ("]" in text and "](" in text)
        or ("<" in head and "<table" in head)
        or ("&" in text and _ENTITY.search(text) is not None)
        or ("Reference" in head and "Origin" in head)
        or head.lstrip("\r\n").startswith(" " * CODE_INDENT)
        or _may_be_rewrapped(text)
    )


_ENTITY = re.compile(r"&#?[A-Za-z0-9][-.A-Za-z0-9]*;")
#: Punctuation that ends what goes before it: a line that starts with it was broken by width.
_CLOSING = frozenset(",.;:!?)]")
#: What ends a phrase that no text goes on from without a space: ")Ecole" is no run of a line.
_PHRASE_ENDS = frozenset(");:]")
_WORD = re.compile(r"[^\W\d_]+")
_WORD_END = re.compile(r"[^\W\d_]+$")
_WORD_START = re.compile(r"[^\W\d_]+")


def _may_be_rewrapped(text: str) -> bool:
    """Whether :meth:`_Reader.rewraps` may find breaks in ``text`` (when nothing else is in it:
    no page table, so its lines count from the first): a line is REWRAP_WIDTH characters long
    (without its line end), and the longer lines are few enough for as many breaks as there
    are such lines. The lines are the line table's (memoised: the builder reads the same table
    next); a CRLF line's piece keeps its CR."""
    lines = line_table(text).lines
    if "\r" in text:
        lines = [line.rstrip("\r") for line in lines]
    sizes = list(map(len, lines))
    if REWRAP_WIDTH not in sizes:  # at C speed: most cables have no such line
        return False
    return _evidence_of_breaks(sizes.count(REWRAP_WIDTH), sum(n > REWRAP_WIDTH for n in sizes))


def _evidence_of_breaks(breaks: int, longer: int) -> bool:
    """Whether ``breaks`` lines broken in a word at REWRAP_WIDTH may be a browser's while
    ``longer`` lines are longer than the width: a dump has no longer line, but a fix of the
    cable's own damage (a lost letter put back) may lengthen one or two, which must not unmake
    the evidence of many breaks."""
    return breaks > 0 and longer * _BREAKS_PER_LONGER_LINE <= breaks


def read_residue(text: str) -> Residue | None:
    """The residue of ``text`` and the cable text inside it; None when there is none."""
    if not _might_hold_residue(text):
        return None
    reader = _Reader(text)
    nodes = reader.read()
    if not nodes:
        return None
    edits = sorted(e for node in nodes for e in node.edits)
    ordered = tuple(sorted(nodes, key=lambda n: n.span.start))
    return _residue(text, ordered, edits, reader.index)


def _residue(
    text: str, nodes: tuple[ResidueNode, ...], edits: Sequence[Edit], index: LineIndex
) -> Residue:
    pieces: list[str] = []
    moves = []
    cursor = view_length = 0
    for edit in edits:
        pieces.append(text[cursor : edit.start])
        view_length += edit.start - cursor
        moves.append((view_length, len(edit.replacement), edit.start, edit.end))
        pieces.append(edit.replacement)
        view_length += len(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return Residue(nodes, "".join(pieces), tuple(moves), index)


class _Reader:
    """Reads residue.lark's structure over the lines of a file (see the grammar's header)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = LineIndex(text)
        raw = split_lines(text)  # as the line index splits it: a lone CR ends a line too
        self.starts = self.index.line_starts[: len(raw)]
        self.lines = raw
        #: Each line without its line end and trailing whitespace: what line terminals match.
        self.stripped = [line.rstrip() for line in raw]
        self.tables = _tables()
        self.nodes: list[ResidueNode] = []
        #: Inline entities whose name is no HTML entity: (start, end, token).
        self.bare_names: list[tuple[int, int, str]] = []

    def read(self) -> list[ResidueNode]:
        kinds = [self.line_rule(line) for line in self.stripped]
        first = self.page_table(kinds)
        cable_lines = self.blocks(kinds, first)
        self.inline(cable_lines)
        self.bare_ampersands()
        if not any(node.kind in _MARKDOWN for node in self.nodes):
            self.rewraps(kinds, first)
        return self.nodes

    # ---- helpers ------------------------------------------------------------------------------
    def line_rule(self, line: str) -> str | None:
        if not line:
            return None
        for rule, regex in self.tables.lines:
            if regex.fullmatch(line):
                return rule
        return None

    def end(self, i: int) -> int:
        """Offset just after line ``i``'s text (its ``\\n`` excluded)."""
        return self.starts[i] + len(self.lines[i])

    def after(self, i: int) -> int:
        """Offset of the line after line ``i`` (the end of the text after the last line)."""
        return self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def blank(self, i: int) -> bool:
        return not self.stripped[i]

    def skip_blanks(self, i: int) -> int:
        while i < len(self.lines) and self.blank(i):
            i += 1
        return i

    def add(
        self, kind: str, start: int, end: int, detail: str, edits: Sequence[Edit], form: str = ""
    ) -> None:
        span = self.index.span(start, end)
        self.nodes.append(ResidueNode(kind, span, detail, tuple(edits), form))

    def delete_lines(self, first: int, last: int) -> Edit:
        """An edit deleting lines ``first``..``last`` and the blank lines after them."""
        return Edit(self.starts[first], self.after(self.skip_blanks(last + 1) - 1), "")

    def delete_fence(self, i: int) -> Edit:
        """An edit deleting the fence on line ``i`` and the blank lines after it; a fence that
        closes the file (html2text writes a blank line before it) takes the blank lines before
        it too: nothing of the cable follows its last line."""
        edit = self.delete_lines(i, i)
        if edit.end < len(self.text):
            return edit
        before = i - 1
        while before >= 0 and self.blank(before):
            before -= 1
        start = self.after(before) if before >= 0 else edit.start
        if any(e.end > start for node in self.nodes for e in node.edits):
            return edit  # the blank lines are already another node's (a fence's, a table's)
        return Edit(start, edit.end, "")

    # ---- page table ---------------------------------------------------------------------------
    def page_table(self, kinds: list[str | None]) -> int:
        """The page's metadata table at the top of the file; the index of the line after it."""
        content = [i for i in range(len(kinds)) if not self.blank(i)][: _TABLE_HEAD_WITHIN + 1]
        if not content:
            return 0
        top = content[0]
        if kinds[top] == "html_table_open":  # its head row is split over <th> lines
            last = next((i for i in range(top, len(kinds)) if kinds[i] == "html_table_close"), None)
            if last is None or "Reference ID" not in "".join(self.lines[top:last]):
                return 0
            return self.table(top, last, "an HTML table")
        heads = [i for i in content[:_TABLE_HEAD_WITHIN] if kinds[i] == "page_table_head"]
        if not heads or any(kinds[i] != "table_rule" for i in content if i < heads[0]):
            return 0
        head = last = heads[0]
        if top < head:  # pandoc's multiline table: its top rule closes it, over blank lines
            rule = self.stripped[top]
            last = next((i for i in range(head, len(kinds)) if self.stripped[i] == rule), head)
        while last + 1 < len(kinds) and not self.blank(last + 1) and kinds[last + 1] != "fence":
            last += 1
        form = "a text table"
        if any(kinds[i] == "table_rule" for i in range(head, last + 1)):
            form = "a Markdown pipe table" if "|" in self.lines[head] else "a pandoc table"
        return self.table(top, last, form)

    def table(self, first: int, last: int, form: str) -> int:
        self.add(
            "page-table",
            self.starts[first],
            self.end(last),
            f"the web page's metadata table ({form}, {last - first + 1} lines)",
            [self.delete_lines(first, last)],
        )
        return last + 1

    # ---- fences and code blocks ---------------------------------------------------------------
    def blocks(self, kinds: list[str | None], first: int) -> list[tuple[int, int]]:
        """Fences and code blocks from line ``first`` on; the (start, end) offsets of the text of
        each cable line (a code block's lines without their indentation)."""
        cable: list[tuple[int, int]] = []
        block_may_start = True  # at the top, after the page table, after a fence
        i, count = self.skip_blanks(first), len(kinds)
        while i < count:
            if kinds[i] == "fence":
                self.add(
                    "fence",
                    self.starts[i],
                    self.end(i),
                    f"a Markdown code fence '{self.stripped[i]}'",
                    [self.delete_fence(i)],
                )
                block_may_start = True
                i = self.skip_blanks(i + 1)
                continue
            if block_may_start and self._indented(i):
                i = self.code_block(i, kinds, cable)
            elif not self.blank(i):
                cable.append((self.starts[i], self.end(i)))
                i += 1
            else:
                i += 1
            block_may_start = False
        return cable

    def _indented(self, i: int) -> bool:
        return self.lines[i].startswith(" " * CODE_INDENT)

    def code_block(self, i: int, kinds: list[str | None], cable: list[tuple[int, int]]) -> int:
        """The code block starting at line ``i``; the index of the line after it."""
        last = i
        j = i
        while j < len(kinds) and kinds[j] != "fence" and (self.blank(j) or self._indented(j)):
            if not self.blank(j):
                last = j
            j += 1
        edits = []
        for k in range(i, last + 1):
            line = self.lines[k]
            indent = min(CODE_INDENT, len(line) - len(line.lstrip(" ")))
            if indent:
                edits.append(Edit(self.starts[k], self.starts[k] + indent, ""))
            if not self.blank(k):
                cable.append((self.starts[k] + CODE_INDENT, self.end(k)))
        self.add(
            "code-block",
            self.starts[i],
            self.end(last),
            f"a Markdown code block: {last - i + 1} lines indented by {CODE_INDENT} spaces",
            edits,
        )
        return last + 1

    # ---- inline residue -----------------------------------------------------------------------
    def inline(self, cable_lines: list[tuple[int, int]]) -> None:
        scan, rule_of, text = self.tables.inline, self.tables.rule_of, self.text
        for start, end in cable_lines:
            for match in scan.finditer(text, start, end):
                rule = rule_of[match.lastgroup]
                a, b = match.span()
                token = match.group()
                if rule == "md_link":
                    close = token.index("](")
                    self.add(
                        "link",
                        a,
                        b,
                        f"Markdown link '{token}': expected the plain text '{token[1:close]}'",
                        [Edit(a, a + 1, ""), Edit(a + close, b, "")],
                    )
                elif rule == "md_escape":
                    self.add(
                        "escape",
                        a,
                        b,
                        f"Markdown escape '{token}': expected '{token[1]}'",
                        [Edit(a, a + 1, "")],
                    )
                elif token[1] == "#" or token[1:] in html5:
                    char = html.unescape(token)
                    if char != token:
                        self.add(
                            "entity",
                            a,
                            b,
                            f"HTML entity '{token}' left undecoded: expected '{char}'",
                            [Edit(a, b, char)],
                        )
                else:
                    self.bare_names.append((a, b, token))

    def bare_ampersands(self) -> None:
        """In a Markdown writer's file, a name after an ampersand that is no HTML entity is an
        ampersand the page left bare before a word (the release's garbled quote, "R&D"):
        html2text writes it as an entity, adding the semicolon. The cable text never has one."""
        if not any(node.kind in _MARKDOWN for node in self.nodes):
            return
        for a, b, token in self.bare_names:
            self.add(
                "entity",
                a,
                b,
                f"'{token}' is no HTML entity: a converter added the ';' after a bare '&': "
                f"expected '{token[:-1]}'",
                [Edit(b - 1, b, "")],
                "bare",
            )

    # ---- re-wrapped lines ---------------------------------------------------------------------
    def rewraps(self, kinds: list[str | None], first: int) -> None:
        """Lines a text browser's dump broke at REWRAP_WIDTH characters: (nearly) no line of the
        cable is longer, and lines of exactly that width go on, without a break, on the next
        line. Where the column fell on a space, the browser dropped it: a line one character
        shorter goes on after a space. Before a curly quote it breaks up to three columns early
        (it counts the quote's three bytes)."""
        lines = self.lines
        sizes = [len(line.rstrip("\r")) for line in lines]
        joints = {i: self._joint(i, kinds) for i in range(first, len(lines) - 1)}
        breaks = [i for i, joint in joints.items() if joint is not None]
        in_words = [i for i in breaks if sizes[i] == REWRAP_WIDTH]
        longer = sum(size > REWRAP_WIDTH for size in sizes[first:])
        if not _evidence_of_breaks(len(in_words), longer):
            return
        # One line of that width may be the cable's own; two are a browser's breaks, and so is
        # one that shows how the browser broke it. The evidence is in the lines themselves, so
        # that it outlives the safe fixes (the page's table is gone after them). Lines short of
        # the width (a break at a space, or before a quote) are read as breaks only in a file
        # that has them.
        if len(in_words) == 1 and not self._broken_by_width(in_words[0]):
            return
        for i in breaks:
            joint = joints[i]
            newline = self.end(i)  # the line's \n (a CR before it is part of the line)
            detail = f"a line broken at {REWRAP_WIDTH} columns by a text browser"
            form = "at the width"
            if joint == " ":
                detail += " (on a space it dropped)"
                form = "on a space"
            elif joint:  # a run of spaces that filled the width
                detail += f" (on {len(joint)} spaces it dropped)"
                form = "on a space"
            elif sizes[i] < REWRAP_WIDTH:
                detail += " (before a curly quote)"
                form = "before a quote"
            start = newline - lines[i].endswith("\r")  # the line end goes
            if joint:  # and the trailing whitespace before the space put back
                start = self.starts[i] + len(self.stripped[i])
            self.add(
                "rewrap",
                self.starts[i],
                self.end(i + 1),
                detail,
                [Edit(start, newline + 1, joint)],
                form,
            )

    def _joint(self, i: int, kinds: list[str | None]) -> str | None:
        """What joins line ``i`` to the next if it is a browser's break (the line fills the
        width, in a word or up to a space the browser dropped, or stops short of a curly quote,
        and the next line goes on with the cable's text); None if it is not."""
        joint = self._width_joint(i, kinds)
        if joint is None or self._own_line(i + 1):
            return None
        return joint

    def _own_line(self, j: int) -> bool:
        """Whether line ``j`` stands on a line of its own in the cable: a section line
        ("KABUL 00001651 003 OF 003"), or a heading over a dash underline of its own length (a
        line of dashes under the end of a paragraph is no heading's)."""
        line = self.stripped[j]
        if line_kind(line) == "SECTION":
            return True
        if j + 1 == len(self.lines) or len(self.stripped[j + 1]) != len(line):
            return False
        return line_kind(self.stripped[j + 1]) == "UNDERLINE"

    def _width_joint(self, i: int, kinds: list[str | None]) -> str | None:
        """The joint of line ``i`` and the next by their widths and the next line's start."""
        after = kinds[i + 1]
        if self.blank(i + 1) or after in _LINE_STARTS:
            return None
        size = len(self.stripped[i])
        if after in _QUOTE_LINES and REWRAP_WIDTH - _QUOTE_BYTES <= size <= REWRAP_WIDTH:
            return _QUOTE_LINES[after]
        if len(self.lines[i].rstrip("\r")) == REWRAP_WIDTH:
            # Broken inside a run of characters, except where no run goes on: a line of exactly
            # the width that closes a phrase, before a capital ("... Earth Sciences)" then
            # "Ecole Nationale ...", lines of a CV list), is the writer's own line.
            if self.stripped[i][-1:] in _PHRASE_ENDS and self.stripped[i + 1][:1].isupper():
                return None
            return ""
        # At a space: the next line starts with the cable's text (or with the second space of
        # a double space).
        after_text = self.stripped[i + 1]
        after_text = after_text[1:] if after_text[:1] == " " else after_text
        if (
            size == REWRAP_WIDTH - 1
            and not after_text[:1].isspace()
            and line_kind(after_text) in _PROSE_KINDS
        ):
            return " "
        # At a run of spaces that filled the width: the browser dropped all of them. (In a line
        # with a curly quote, which the browser counts as three columns, the width in characters
        # does not tell.)
        dropped = REWRAP_WIDTH - size
        if (
            1 < dropped <= _SPACES_DROPPED
            and _CURLY_QUOTES.isdisjoint(self.stripped[i])
            and len(self.lines[i].rstrip("\r")) == size
            and self.stripped[i + 1][:1].isalnum()
            and line_kind(self.stripped[i + 1]) in _PROSE_KINDS
        ):
            return " " * dropped
        return None

    def _broken_by_width(self, i: int) -> bool:
        """Whether line ``i`` was broken where the width fell, not where the cable's writer broke
        it: the next line starts with the space the break fell on or with punctuation that
        closes a word (no writer starts a line with ``, who``), or the break splits a word that
        the file holds whole elsewhere (``ori`` / ``ginal``, and ``original`` earlier)."""
        after = self.stripped[i + 1]
        if (after[:1] == " " and after[1:2] not in ("", " ")) or after[:1] in _CLOSING:
            return True
        head = _WORD_END.search(self.stripped[i])
        tail = _WORD_START.match(after)
        if head is None or tail is None:
            return False
        words = Counter(word.lower() for word in _WORD.findall(self.text))
        first, second = head.group().lower(), tail.group().lower()
        # Each piece occurs once (here) unless it is a word of its own: two words of the file
        # side by side are a writer's break.
        return words[first + second] > 0 and not (words[first] > 1 and words[second] > 1)
