"""Tree to model: turns the stage-1 tree and the stage-2 field trees into a ``Cable``.

The builder records facts and never judges. Field values are parsed by ``parse.parse_field``;
offsets in a field tree are relative to the field's text and are shifted by the field's start.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from typing import NamedTuple

from cablelint.model import cable as m
from cablelint.model.diagnostics import Span
from cablelint.model.inline import body_inline, body_redactions
from cablelint.model.residue import NO_RESIDUE, Residue, read_residue
from cablelint.model.source import LineIndex, SourceText
from cablelint.support.records import replace
from cablelint.syntax.lalr import Tree
from cablelint.syntax.lines import line_content, line_starts, split_lines
from cablelint.syntax.parse import (
    BLANK,
    FieldTokens,
    LineToken,
    ParseProblem,
    glued_labels,
    line_kind,
    line_table,
    parse_field,
    parse_structure,
)

_MONTH_ABBREVIATIONS = (
    *("JAN", "FEB", "MAR", "APR", "MAY", "JUN"),
    *("JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
)
_MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
MONTHS = {name: n for n, name in enumerate(_MONTH_ABBREVIATIONS, 1)}
MONTH_NAMES = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
_CLASSIFICATIONS = (
    ("TOPSECRET", "TOP SECRET"),
    ("ONFIDENTIAL", "CONFIDENTIAL"),
    ("CONFID", "CONFIDENTIAL"),
    ("ECRET", "SECRET"),
    ("NCLAS", "UNCLASSIFIED"),
)
_new = tuple.__new__  # a NamedTuple made without the call of its generated constructor
#: The line kinds the model names otherwise than the line table (any other is its own).
_MODEL_KINDS = {BLANK: "BLANK"}


class _Fields:
    """Parses field values and maps their tokens back to file positions."""

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index

    def parse(self, kind: str, start: int, end: int, blanked: Iterable[tuple[int, int]] = ()):
        """Parse ``text[start:end]`` as field ``kind``: (tokens by type, problem). The field
        grammar reads the contents of the lines the field spans, joined by spaces; ``blanked``
        ranges (file offsets within a line's content) are read as spaces."""
        raw = self.text[start:end]
        if not blanked and "\n" not in raw and "\r" not in raw:  # one line: the common case
            result = parse_field(kind, raw)
            if type(result) is not ParseProblem:
                return _Tokens(result, start, self.text, self.index), None
        joined = _Joined(raw)
        value = joined.value
        for a, b in blanked:
            a, b = joined.to_value(a - start), joined.to_value(b - start)
            value = value[:a] + " " * (b - a) + value[b:]
        result = parse_field(kind, value)
        if isinstance(result, ParseProblem):
            offset, stop = joined.to_raw(result.offset), joined.to_raw(result.end)
            problem = m.Problem(
                self.index.span(start + offset, start + max(stop, offset)),
                f"{kind.replace('_', ' ')} did not parse: {result.message}",
                "field",
            )
            return _Tokens({}, start, self.text, self.index), problem
        return _Tokens(joined.tokens(result), start, self.text, self.index), None

    def parse_line(self, kind: str, line: m.Line):
        """:meth:`parse` of ``line``'s content: the value is the line's own string, and the
        pieces are on the line (no search for it)."""
        result = parse_field(kind, line.content)
        if type(result) is ParseProblem:
            return self.parse(kind, line.start, line.start + len(line.content))
        return _Tokens(result, line.start, self.text, self.index, line), None


class _Joined:
    """A field's raw text (one or more lines) and the value the field grammar reads: the lines'
    contents joined by spaces, with the offset maps between the two."""

    __slots__ = ("raw_starts", "value", "value_starts")

    def __init__(self, raw: str) -> None:
        if "\n" not in raw and "\r" not in raw:  # one line: the value is the raw text
            self.value, self.raw_starts, self.value_starts = raw, None, None
            return
        pieces = split_lines(raw)
        contents = [*map(line_content, pieces[:-1]), pieces[-1]]
        self.value = " ".join(contents)
        self.raw_starts, self.value_starts = line_starts(pieces), line_starts(contents)

    def to_raw(self, offset: int) -> int:
        if self.value_starts is None:
            return offset
        i = bisect_right(self.value_starts, offset) - 1
        return self.raw_starts[i] + offset - self.value_starts[i]

    def to_value(self, offset: int) -> int:
        if self.raw_starts is None:
            return offset
        i = bisect_right(self.raw_starts, offset) - 1
        return self.value_starts[i] + offset - self.raw_starts[i]

    def tokens(self, found: FieldTokens) -> FieldTokens:
        """The parse's token offsets, as offsets into the raw text."""
        if self.value_starts is None:
            return found
        to_raw = self.to_raw
        return {
            kind: tuple((to_raw(a), to_raw(b)) for a, b in offsets)
            for kind, offsets in found.items()
        }


def content_slice(text: str, start: int, end: int) -> str:
    """``text[start:end]`` as its lines say it: the lines it spans joined by ``\\n``, without
    their trailing whitespace and CRs (the slice's own end is kept as it is)."""
    raw = text[start:end]
    if "\n" not in raw and "\r" not in raw:
        return raw
    pieces = split_lines(raw)
    return "\n".join([*map(line_content, pieces[:-1]), pieces[-1]])


class _Tokens:
    """The tokens of one parsed field, as Pieces with file spans."""

    __slots__ = ("base", "found", "index", "limit", "line", "line_start", "text")

    def __init__(
        self,
        found: FieldTokens,
        base: int,
        text: str,
        index: LineIndex,
        first: m.Line | None = None,
    ) -> None:
        """``first``, if given, is the line that starts at ``base``."""
        self.found, self.base, self.text, self.index = found, base, text, index
        if first is not None:  # the next line starts after this one's line end
            self.line, self.line_start = first.number, base
            self.limit = base + len(first.text) + 1
        elif found:  # the line the field starts on: its pieces are on it, as a rule
            starts = index.line_starts
            line = bisect_right(starts, base)
            self.line, self.line_start = line, starts[line - 1]
            self.limit = starts[line] if line < len(starts) else len(text) + 1

    def all(self, kind: str) -> tuple[m.Piece, ...]:
        offsets = self.found.get(kind)
        if not offsets:
            return ()
        piece = self._piece
        return tuple([piece(offset) for offset in offsets])

    def has(self, kind: str) -> bool:
        """Whether the field holds a token of ``kind`` (no piece made)."""
        return bool(self.found.get(kind))

    def one(self, kind: str) -> m.Piece | None:
        offsets = self.found.get(kind)
        return self._piece(offsets[0]) if offsets else None

    def _piece(self, offsets: tuple[int, int]) -> m.Piece:
        """The piece at ``offsets`` (start, end) of the field value; its span as
        ``LineIndex.span`` gives it, without the search when it ends on the field's first line."""
        base = self.base
        start, end = offsets[0] + base, offsets[1] + base
        if end < self.limit:
            line, line_start = self.line, self.line_start
            span = _new(
                Span, (start, end, line, start - line_start + 1, line, end - line_start + 1)
            )
            return _new(m.Piece, (span, self.text[start:end]))
        span = self.index.span(start, end)
        return _new(m.Piece, (span, content_slice(self.text, start, end)))


def build(source: SourceText) -> m.Cable:
    """Parse ``source`` and build its cable model."""
    return build_with_view(source)[0]


def build_with_view(source: SourceText) -> tuple[m.Cable, SourceText]:
    """The cable model of ``source``, and the text it was read from: ``source`` itself, or the
    cable text inside a converter's residue (``Cable.residue``)."""
    residue = read_residue(source.text)
    if residue is None:
        return _Builder(source).build(), source
    view = SourceText(
        residue.view, source.encoding, source.bom, source.newline, source.issues, source.cr_lines
    )
    return _Builder(view).build(residue), view


class _Builder:
    def __init__(self, source: SourceText) -> None:
        self.text = source.text
        self.index = source.index
        self.fields = _Fields(self.text, self.index)
        table = line_table(self.text)
        self.index.adopt(table.starts)  # the text is split once
        kinds = list(map(_MODEL_KINDS.get, table.kinds, table.kinds))  # at C speed
        self.kinds = kinds
        self.lines = m.Line.numbered(table.lines, table.contents, table.starts, kinds)

    # ---- helpers ------------------------------------------------------------------------------
    def _of_kind(self, kind: str, start: int = 0, stop: int | None = None) -> Iterator[m.Line]:
        """The lines of ``kind`` among ``self.lines[start:stop]`` (found by ``list.index``)."""
        kinds, stop = self.kinds, len(self.kinds) if stop is None else stop
        try:
            i = kinds.index(kind, start, stop)
            while True:
                yield self.lines[i]
                i = kinds.index(kind, i + 1, stop)
        except ValueError:
            return

    def lines_of(self, tokens: list[LineToken]) -> tuple[m.Line, ...]:
        first, last = tokens[0].line, tokens[-1].end_line
        return self.lines[first - 1 : last]

    @staticmethod
    def node_span(lines: tuple[m.Line, ...]) -> m.Span:
        """From the first line's start to the end of the last line's content."""
        first, last = lines[0], lines[-1]
        length = len(last.content)
        end = last.start + length
        return _new(m.Span, (first.start, end, first.number, 1, last.number, length + 1))

    @staticmethod
    def content_piece(line: m.Line) -> m.Piece:
        """The line's content, as a Piece."""
        return _line_piece(line, 0, len(line.content))

    # ---- whole cable --------------------------------------------------------------------------
    def build(self, residue: Residue = NO_RESIDUE) -> m.Cable:
        tree, dropped = parse_structure(self.text)
        parts: dict[str, list] = {}
        for child in tree.children:
            parts.setdefault(child.data, []).append(child)
        header = self.header(parts["header"][0]) if "header" in parts else None
        body = self.body(parts["body"][0]) if "body" in parts else None
        banners = tuple(self.banner(t) for t in parts.get("banner", ())) or self.late_banners(body)
        datelines = tuple(self.dateline(t) for t in parts.get("dateline", ()))
        passlines, metadata, joins = self.front(tree.children)
        if not any(isinstance(node, m.ClassifiedBy) for node in metadata):
            authority = self.authority_in_text(passlines, body)
            if authority is not None:
                metadata = sorted([*metadata, authority], key=lambda n: n.span.start)
        sections = self.section_lines()
        nodes = [
            *(header.fields if header else ()),
            *datelines,
            *banners,
            *metadata,
            *(body.items if body else ()),
            *sections,
        ]
        problems = [self.unknown(t) for t in dropped]
        problems += [n.problem for n in nodes if getattr(n, "problem", None) is not None]
        return m.Cable(
            text=self.text,
            lines=self.lines,
            preamble=self.flat_lines(parts.get("preamble", ())),
            header=header,
            datelines=datelines,
            banners=banners,
            captions=tuple(
                sorted(
                    [*self.banner_captions(banners), *map(self.caption, parts.get("caption", ()))],
                    key=lambda c: c.span.start,
                )
            ),
            passlines=tuple(passlines),
            metadata=tuple(metadata),
            body=body,
            section_lines=sections,
            signature=self.simple(m.Signature, parts["signature"][0])
            if "signature" in parts
            else None,
            trailer=self.flat_lines(parts.get("trailer", ())),
            problems=tuple(sorted(problems, key=lambda p: p.span.start)),
            joins=tuple(joins),
            inline=m.InlineTokens(
                partial(body_inline, self.text, body), partial(body_redactions, self.text, body)
            ),
            residue=residue,
            deferred_subheadings=m.Deferred(partial(self.subheadings, body)),
        )

    def late_banners(self, body: m.Body | None) -> tuple[m.Banner, ...]:
        """Banner lines that ended up in the body (after a record dump) before any paragraph."""
        found = []
        for item in body.items if body else ():
            if isinstance(item, m.Paragraph):
                break
            found.extend(self.banner_line(ln) for ln in item.lines if ln.kind == "BANNER")
        return tuple(found)

    def flat_lines(self, trees) -> tuple[m.Line, ...]:
        return tuple(line for t in trees for line in self.lines_of(t.children))

    def simple(self, cls, tree: Tree):
        lines = self.lines_of(tree.children)
        return cls(self.node_span(lines), lines)

    def unknown(self, token: LineToken) -> m.Problem:
        lines = self.lines_of([token])
        kind = lines[0].kind
        return m.Problem(
            self.node_span(lines),
            f"line does not fit the cable structure here ({m.kind_name(kind)} line)",
            "unknown-line",
        )

    # ---- header -------------------------------------------------------------------------------
    def header(self, tree: Tree) -> m.Header:
        fields = tuple(getattr(self, f"h_{t.data}")(t) for t in tree.children)
        first = {}
        for node in fields:
            first.setdefault(type(node).__name__ + getattr(node, "label", ""), node)
        lines = self.lines_of([tree.children[0].children[0], tree.children[-1].children[-1]])
        return m.Header(
            self.node_span(lines),
            lines,
            fields,
            first.get("TransmissionId"),
            first.get("Routing"),
            first.get("DeLine"),
            first.get("ZnLine"),
            first.get("Dtg"),
            first.get("FmLine"),
            first.get("AddressFieldTO"),
            first.get("AddressFieldINFO"),
        )

    def field_lines(self, tree: Tree):
        lines = self.lines_of(tree.children)
        return lines, self.node_span(lines)

    def h_transmission_id(self, tree: Tree) -> m.TransmissionId:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse_line("transmission_id", lines[0])
        return m.TransmissionId(
            span, lines, tok.one("TID_STATION"), tok.one("TID_SEQ"), tok.one("REST"), problem
        )

    def h_routing(self, tree: Tree) -> m.Routing:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse_line("routing", lines[0])
        indicators = list(tok.all("RI"))
        for line in lines[1:]:
            cont, _ = self.fields.parse_line("routing_cont", line)
            indicators.extend(cont.all("RI"))
        return m.Routing(
            span, lines, tok.one("ROUTE_PRECEDENCE"), tuple(indicators), tok.one("REST"), problem
        )

    def h_de(self, tree: Tree) -> m.DeLine:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse("de", span.start, span.end)
        return m.DeLine(
            span,
            lines,
            tok.one("RI"),
            tok.one("DE_SERIAL"),
            tok.one("DE_SECTION"),
            tok.one("DE_DAYTIME"),
            tok.one("REST"),
            problem,
        )

    def h_zn(self, tree: Tree) -> m.ZnLine:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse("zn", span.start, span.end)
        return m.ZnLine(
            span, lines, tok.one("ZN_KIND"), tok.one("ZN_CLASS"), tok.one("REST"), problem
        )

    def h_dtg(self, tree: Tree) -> m.Dtg:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse("dtg", span.start, span.end)
        daytime, month, year = tok.one("DTG_DAYTIME"), tok.one("DTG_MONTH"), tok.one("DTG_YEAR")
        return m.Dtg(
            span,
            lines,
            tok.all("PRECEDENCE"),
            daytime,
            month,
            year,
            tok.one("REST"),
            problem,
            dtg_value(daytime, month, year),
        )

    def h_fm(self, tree: Tree) -> m.FmLine:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse("fm", span.start, span.end)
        return m.FmLine(span, lines, tok.one("ORGANISATION"), tok.one("STATION_TEXT"), problem)

    def h_to(self, tree: Tree) -> m.AddressField:
        return self.address(tree, "TO")

    def h_info(self, tree: Tree) -> m.AddressField:
        return self.address(tree, "INFO")

    def h_bt(self, tree: Tree) -> m.Node:
        lines, span = self.field_lines(tree)
        return m.Node(span, lines)

    def address(self, tree: Tree, label: str) -> m.AddressField:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse_line("address", lines[0])
        addressees = [self.addressee(tok, lines[0].content_span)]
        for line in lines[1:]:
            cont, _ = self.fields.parse_line("addressee", line)
            addressees.append(self.addressee(cont, line.content_span))
        return m.AddressField(span, lines, label, tuple(addressees), problem)

    def addressee(self, tok: _Tokens, span: m.Span) -> m.Addressee:
        return m.Addressee(
            span,
            tok.one("ADDRESSEE_RI"),
            tok.one("ADDRESSEE_NAME"),
            tok.one("ADDRESSEE_PRECEDENCE"),
            tok.one("ADDRESSEE_MCN"),
        )

    def dateline(self, tree: Tree) -> m.Dateline:
        lines, span = self.field_lines(tree)
        tok, problem = self.fields.parse("dateline", span.start, span.end)
        value = None
        day, month, year, clock = (
            tok.one("DAY"),
            tok.one("MONTH_NAME"),
            tok.one("YEAR4"),
            tok.one("CLOCK"),
        )
        if day and month and year and clock and month.text in MONTH_NAMES:
            hour, minute = clock.text.split(":")
            value = _datetime(
                int(year.text), MONTH_NAMES[month.text], int(day.text), int(hour), int(minute)
            )
        return m.Dateline(span, lines, tok.one("WEEKDAY"), value, problem)

    # ---- banner -------------------------------------------------------------------------------
    def banner(self, tree: Tree) -> m.Banner:
        return self.banner_line(self.lines_of(tree.children)[0])

    def banner_line(self, line: m.Line) -> m.Banner:
        lines, span = (line,), line.content_span
        tok, problem = self.fields.parse_line("banner", line)
        word = tok.one("CLASSIFICATION_WORD")
        numbers = tok.all("SECTION_NUMBER")
        return m.Banner(
            span,
            lines,
            word,
            classification_of(word.text) if word else None,
            numbers[0] if numbers else None,
            numbers[1] if len(numbers) > 1 else None,
            tok.one("BANNER_STATION"),
            tok.one("BANNER_SERIAL"),
            tok.one("REST"),
            problem,
            tok.all("CAPTION_WORD"),
        )

    @staticmethod
    def banner_captions(banners: tuple[m.Banner, ...]) -> list[m.Caption]:
        """The captions joined onto banner lines, as the cable's captions."""
        found = []
        for banner in banners:
            if banner.captions:
                first, last = banner.captions[0].span, banner.captions[-1].span
                span = _new(
                    m.Span,
                    (
                        first.start,
                        last.end,
                        first.line,
                        first.column,
                        last.end_line,
                        last.end_column,
                    ),
                )
                found.append(m.Caption(span, banner.lines, banner.captions, None))
        return found

    def caption(self, tree: Tree) -> m.Caption:
        lines = self.lines_of(tree.children)
        first = lines[0]
        tok, _ = self.fields.parse("caption", first.start, _end(first))
        return m.Caption(self.node_span(lines), lines, tok.all("CAPTION_WORD"), tok.one("REST"))

    # ---- metadata -----------------------------------------------------------------------------
    def front(self, children: list[Tree]) -> tuple[list, list, list]:
        """The passlines, metadata fields and joins of the stage-1 tree's front: each field or
        passline, and the fields glued onto it (:meth:`chain`), in file order."""
        passlines: list[m.Passline] = []
        metadata: list[m.Node] = []
        joins: list[m.Join] = []
        for tree in children:
            kind = _META.get(tree.data)
            if kind is None and tree.data != "passline":
                continue
            lines = self.lines_of(tree.children)
            regions = ((lines, lines[0].start, _end(lines[-1])),) if kind else (
                ((line,), line.start, _end(line)) for line in lines
            )  # fmt: skip
            for region_lines, start, end in regions:
                nodes, glued = self.chain(kind or "PASS", region_lines, start, end)
                if kind is None:
                    passlines.append(nodes[0])
                    nodes = nodes[1:]
                metadata.extend(nodes)
                joins.extend(glued)
        return passlines, metadata, joins

    def chain(
        self, kind: str, lines: tuple[m.Line, ...], start: int, end: int
    ) -> tuple[list[m.Node], list[m.Join]]:
        """The field (or passline) of ``kind`` at ``text[start:end]``, and the metadata fields
        glued onto it one after the other ("SUBJECT: X Classified By: Y REF: Z"), with their
        joins. A label is glued where cable.lark's GLUED_LABEL finds one and the text from it
        to its line's end is a line of a metadata kind that comes later in the metadata block;
        or where a field's parse leaves a REST that is such a line ("... 03/20/2019 TAG PTER")."""
        node = self.meta_node(kind, lines, start, end)
        glue = self.glue(kind, lines, start, end, getattr(node, "rest", None))
        if glue is None:
            return [node], []
        gap, label, glued_kind = glue
        host = self.meta_node(kind, _lines_in(lines, start, gap), start, gap)
        rest, joins = self.chain(glued_kind, _lines_in(lines, label, end), label, end)
        return [host, *rest], [m.Join(self.index.span(gap, label), host, rest[0]), *joins]

    def glue(
        self, kind: str, lines: tuple[m.Line, ...], start: int, end: int, rest: m.Piece | None
    ) -> tuple[int, int, str] | None:
        """Where a later metadata field is glued into ``text[start:end]`` (a field or passline
        of ``kind`` over ``lines``): (gap start, label start, the glued field's kind); None if
        nowhere."""
        text = self.text
        candidates = list(glued_labels(text, start + 1, end))
        if rest is not None:
            gap = rest.span.start
            while gap > start and text[gap - 1] == " ":
                gap -= 1
            candidates.append((gap, rest.span.start))
        for gap, label in candidates:
            # The rest of the label's line, without its line end (LF, CRLF or a lone CR).
            line_end = next((_end(ln) for ln in lines if ln.start <= label <= _end(ln)), end)
            glued = line_kind(content_slice(text, label, min(line_end, end)))
            if glued in _RANK and glued != "PASS" and _glues_after(kind, glued):
                return gap, label, glued
        return None

    def authority_in_text(
        self, passlines: list[m.Passline], body: m.Body | None
    ) -> m.ClassifiedBy | None:
        """The classification authority written inside a passline or a body line before the
        first paragraph's end rather than on a line of its own: "¶1. (U) Classified by
        Ambassador ...; reasons: 1.5 (b,d)", "(U) Classified by: ...". Its text, after a
        paragraph mark or a marking, is a line of the Classified By kind (cable.lark's CLBY)."""
        items: list[m.Node] = list(passlines)
        for item in body.items if body else ():
            items.append(item)
            if isinstance(item, m.Paragraph):
                break
        for item in items:
            for i, line in enumerate(item.lines):
                if line.kind not in _AUTHORITY_HOSTS:
                    continue
                found = authority_label(self.text, line)
                if found is None:
                    continue
                start = found - line.start
                lines = [line]
                following = item.lines[i + 1 : i + 2]
                wrapped = following and following[0].kind in ("TEXT", "WORD", "UWORD")
                if wrapped and "reason" not in line.content.lower():  # reasons on the next line
                    lines.append(following[0])
                lines_t = tuple(lines)
                span = self.index.span(line.start + start, _end(lines_t[-1]))
                return self.m_classified_by(lines_t, span)
        return None

    def meta_node(self, kind: str, lines: tuple[m.Line, ...], start: int, end: int) -> m.Node:
        """The node of a field (or passline) of ``kind`` at ``text[start:end]``."""
        whole = start == lines[0].start and end == _end(lines[-1])
        span = self.node_span(lines) if whole else self.index.span(start, end)
        if kind == "PASS":
            return m.Passline(span, lines)
        return getattr(self, f"m_{_RULE_OF[kind]}")(lines, span)

    def m_eo(self, lines: tuple[m.Line, ...], span: m.Span) -> m.EoLine:
        tok, problem = self.fields.parse("eo", span.start, min(span.end, _end(lines[0])))
        date_piece = tok.one("DECL_DATE")
        slip = tok.one("EO_SLIP")
        return m.EoLine(
            span,
            lines,
            tok.one("EO_LABEL") or slip,
            tok.one("EO_NUMBER"),
            tok.one("EO_COLON"),
            tok.one("DECL_LABEL"),
            date_piece
            or tok.one("DECL_TERM")
            or tok.one("DECL_DECLASSIFIED")
            or tok.one("DECL_OTHER"),
            decl_date(date_piece.text) if date_piece else None,
            tok.one("REST"),
            problem,
            _decl_form(tok),
            slip is not None,
        )

    def m_tags(self, lines: tuple[m.Line, ...], span: m.Span) -> m.TagsField:
        tok, problem = self.fields.parse("tags", span.start, span.end)
        tags: list[m.Tag] = []
        notes = {note.span.start: note for note in tok.all("TAG_NOTE")}
        for piece in sorted(tok.all("TAG") + tok.all("TAG_LINK"), key=lambda p: p.span.start):
            tags.append(self.tag(piece))
        for note in notes.values():  # each note belongs to the tag before it
            owner = max(
                (i for i, t in enumerate(tags) if t.span.end <= note.span.start), default=None
            )
            if owner is not None:
                tags[owner] = replace(tags[owner], note=note)
        return m.TagsField(
            span,
            lines,
            tok.one("TAGS_LABEL"),
            tuple(tags),
            tok.all("TAG_COMMA"),
            tok.one("REST"),
            problem,
        )

    def tag(self, piece: m.Piece) -> m.Tag:
        if piece.text.startswith("["):
            code = piece.text[1 : piece.text.index("]")]
            start = piece.span.start + 1
            return m.Tag(piece.span, code, self.index.span(start, start + len(code)), True)
        return m.Tag(piece.span, piece.text, piece.span, False)

    def m_subject(self, lines: tuple[m.Line, ...], span: m.Span) -> m.SubjectField:
        tok, problem = self.fields.parse("subject", span.start, span.end)
        # A wrapped subject's text keeps its newlines: _Tokens._piece reads a piece over more
        # than one line as content_slice gives it.
        return m.SubjectField(
            span,
            lines,
            tok.all("SUBJECT_LABEL"),
            tok.one("MARKING"),
            tok.one("SUBJECT_TEXT"),
            problem,
        )

    def m_ref(self, lines: tuple[m.Line, ...], span: m.Span) -> m.RefField:
        sections = [(ln.start, _end(ln)) for ln in lines if ln.kind == "SECTION"]
        tok, problem = self.fields.parse("ref", span.start, span.end, sections)
        letters = tok.all("REF_LETTER")
        texts = tok.all("REF_ITEM_TEXT")
        items = []
        if letters:
            bounds = [p.span.start for p in letters[1:]] + [span.end]
            for letter, end in zip(letters, bounds, strict=True):
                body = [t for t in texts if letter.span.end <= t.span.start < end]
                items.append(
                    m.RefItem(
                        self.index.span(
                            letter.span.start, body[-1].span.end if body else letter.span.end
                        ),
                        letter,
                        " ".join(" ".join(t.text for t in body).split()),
                    )
                )
        else:
            single = tok.one("REF_TEXT")
            if single:
                items.append(m.RefItem(single.span, None, " ".join(single.text.split())))
        return m.RefField(span, lines, tok.one("REF_LABEL"), tuple(items), problem)

    def m_classified_by(self, lines: tuple[m.Line, ...], span: m.Span) -> m.ClassifiedBy:
        tok, problem = self.fields.parse("classified_by", span.start, span.end)
        slip = tok.one("CLBY_SLIP")
        return m.ClassifiedBy(
            span,
            lines,
            (slip, *tok.all("CLBY_LABEL")) if slip else tok.all("CLBY_LABEL"),
            tok.one("CLBY_PERSON"),
            tok.one("REASON_SECTION"),
            tok.all("REASON_LETTER"),
            problem,
            slip is not None,
        )

    # ---- body ---------------------------------------------------------------------------------
    def body(self, tree: Tree) -> m.Body:
        items = []
        for child in tree.children:
            lines = self.lines_of(child.children)
            span = self.node_span(lines)
            items.append(
                self.paragraph(lines, span) if child.data == "paragraph" else m.Block(span, lines)
            )
        all_lines = self.lines_of([tree.children[0].children[0], tree.children[-1].children[-1]])
        return m.Body(self.node_span(all_lines), all_lines, tuple(items))

    def paragraph(self, lines: tuple[m.Line, ...], span: m.Span) -> m.Paragraph:
        first = lines[0]
        content = first.content
        # Only the mark and marking go to the field grammar, so that equal marks share one parse.
        prefix = _mark_prefix_length(content)
        mark = _paragraph_mark(content[:prefix])
        problem = None
        if mark is None:  # the mark did not parse: the field parse words the problem
            _tokens, problem = self.fields.parse("para_mark", first.start, first.start + prefix)
            mark = _UNPARSED_MARK
        # Every part of the mark is on the first line: spans by arithmetic from its start, and
        # the texts and columns as the memoised mark holds them.
        base, line = first.start, first.number
        span_type, piece_type = m.Span, m.Piece
        dash, pilcrow, number, terminator, marking = [
            None
            if part is None
            else _new(
                piece_type,
                (
                    _new(span_type, (base + part[0], base + part[1], line, part[2], line, part[3])),
                    part[4],
                ),
            )
            for part in mark.parts
        ]
        rest = _text_start(content, prefix, mark)
        body = _line_piece(first, rest, len(content)) if rest < len(content) else None
        return m.Paragraph(
            span, lines, dash, pilcrow, number, terminator, marking, mark.level, mark.caveats,
            body, problem,
        )  # fmt: skip

    def subheadings(self, body: m.Body | None) -> tuple[m.SubHeading, ...]:
        """Body lines underlined by a dash line (grammar kind UNDERLINE), boxed or not."""
        if body is None:
            return ()
        found = []
        first, last = body.lines[0].number, body.lines[-1].number
        for line in self._of_kind("UNDERLINE", first, last):
            title = self.lines[line.number - 2]
            if title.blank or title.kind == "UNDERLINE":
                continue
            top = self.lines[title.number - 2] if title.number > 1 else None
            start = top if top is not None and top.kind == "UNDERLINE" else title
            lines = self.lines[start.number - 1 : line.number]
            found.append(
                m.SubHeading(
                    self.node_span(lines),
                    lines,
                    self.content_piece(title),
                    self.content_piece(line),
                )
            )
        return tuple(found)

    def section_lines(self) -> tuple[m.SectionLine, ...]:
        found = []
        for line in self._of_kind("SECTION"):
            tok, problem = self.fields.parse_line("section_line", line)
            found.append(
                m.SectionLine(
                    line.content_span,
                    (line,),
                    tok.one("SECTION_STATION"),
                    tok.one("SECTION_SERIAL"),
                    tok.one("SECTION_PAGE"),
                    tok.one("SECTION_TOTAL"),
                    problem,
                )
            )
        return tuple(found)


#: The metadata fields' rules in cable.lark and their line kinds.
_META = {"eo": "EO", "tags": "TAGS", "subject": "SUBJECT", "ref": "REF", "classified_by": "CLBY"}
_RULE_OF = {kind: rule for rule, kind in _META.items()}
#: Kinds of the lines that may hold a classification authority in their text.
_AUTHORITY_HOSTS = frozenset({"PARA", "ITEM", "LETTERED", "TEXT", "CLBY"})


def authority_label(text: str, line: m.Line) -> int | None:
    """Where a classification authority's label stands in ``line`` of ``text`` (an offset), as
    the grammar reads one: the line's text, after a paragraph mark or a marking ("(U) "), is a
    line of the Classified By kind (cable.lark's CLBY), or a Classified By label is glued with its
    colon onto the text before it (GLUED_LABEL: "RIO DE JAN 00000365 001.2 OF 002 CLASSIFIED BY:
    ..."); None if the line holds none."""
    content = line.content
    if line.kind == "PARA":
        prefix = _mark_prefix_length(content)
        start = _text_start(content, prefix, _paragraph_mark(content[:prefix]))
    else:
        start = _after_marking(content)
    if line_kind(content[start:]) == "CLBY":
        return line.start + start
    end = line.start + len(content)
    for _gap, label in glued_labels(text, line.start + start + 1, end):
        if line_kind(text[label:end]) == "CLBY":
            return label
    return None


def _after_marking(content: str) -> int:
    """Where a line's text starts after a leading classification marking ("(U) ")."""
    if content.startswith("(") and ") " in content[:12]:
        return content.index(") ") + 2
    return 0


#: Where a field (or a passline) stands in the metadata block: a field is glued only onto one
#: that comes before it (REF and Classified By stand in either order).
_RANK = {"PASS": -1, "EO": 0, "TAGS": 1, "SUBJECT": 2, "REF": 3, "CLBY": 3}


def _glues_after(host: str, glued: str) -> bool:
    return _RANK[glued] > _RANK[host] or {host, glued} == {"REF", "CLBY"}


def _lines_in(lines: tuple[m.Line, ...], start: int, end: int) -> tuple[m.Line, ...]:
    """The lines of ``lines`` that ``start:end`` touches."""
    return tuple(ln for ln in lines if ln.start <= end and ln.start + len(ln.content) >= start)


_MARK_WINDOW = 24


def _end(line: m.Line) -> int:
    """Offset just after ``line``'s content."""
    return line.start + len(line.content)


def _line_piece(line: m.Line, start: int, end: int) -> m.Piece:
    """The piece at ``start:end`` of ``line``'s content (offsets into the line)."""
    base, number = line.start, line.number
    span = _new(m.Span, (base + start, base + end, number, start + 1, number, end + 1))
    return _new(m.Piece, (span, line.content[start:end]))


class _Mark(NamedTuple):
    """A parsed paragraph mark: its dash, pilcrow, number, terminator and marking (None where
    absent), each as (start, end, column, end column, text) in the mark, where its text starts
    (PARA_TEXT, if any), and the marking's level and caveats."""

    parts: tuple[tuple[int, int, int, int, str] | None, ...]
    text_start: int | None
    level: str | None
    caveats: tuple[str, ...]


_MARK_PARTS = ("LIST_DASH", "PILCROW", "PARA_NUMBER", "PARA_END", "MARKING")
_UNPARSED_MARK = _Mark((None,) * len(_MARK_PARTS), None, None, ())


@lru_cache(maxsize=4096)
def _paragraph_mark(mark: str) -> _Mark | None:
    """The parse of a paragraph's mark prefix; None when it does not parse. Memoised: cables
    repeat a few dozen marks ("1. (C)", "¶2. (SBU)")."""
    found = parse_field("para_mark", mark)
    if isinstance(found, ParseProblem):
        return None
    offsets = tuple((found[kind][0] if kind in found else None) for kind in _MARK_PARTS)
    marking = offsets[-1]
    level, caveats = marking_value(mark[marking[0] + 1 : marking[1] - 1]) if marking else (None, ())
    text = found.get("PARA_TEXT")
    parts = tuple(
        None
        if offset is None
        else (*offset, offset[0] + 1, offset[1] + 1, mark[offset[0] : offset[1]])
        for offset in offsets
    )
    return _Mark(parts, text[0][0] if text else None, level, caveats)


def _text_start(content: str, prefix: int, mark: _Mark | None) -> int:
    """Where a paragraph line's text starts after its mark (``prefix`` characters, parsed as
    ``mark``): the mark's PARA_TEXT, else after the prefix and the spaces that follow it."""
    if mark is not None and mark.text_start is not None:
        return mark.text_start
    # The spaces after the prefix, counted without a copy of the line's text (a paragraph's
    # first line is often the whole paragraph): as ``content[prefix:].lstrip()`` strips them.
    end, rest = len(content), prefix
    while rest < end and content[rest].isspace():
        rest += 1
    return rest


def cable_paragraph_mark(content: str) -> bool:
    """Whether a paragraph line (grammar kind PARA) starts with a mark only cables write: a
    pilcrow (``¶2.``) or a classification marking (``2. (C)``), not a bare ``2.`` of a list."""
    mark = _paragraph_mark(content[: _mark_prefix_length(content)])
    return mark is not None and (mark.parts[1] is not None or mark.level is not None)


def _mark_prefix_length(line: str) -> int:
    """Length of the paragraph-mark prefix: through a marking's ")" when one opens near the
    start, else through the number's terminator."""
    opening = line.find("(", 0, _MARK_WINDOW)
    if opening != -1:
        closing = line.find(")", opening, opening + 44)
        if closing != -1:
            return closing + 1
    for i, char in enumerate(line[:_MARK_WINDOW]):
        if char in ".)" and i and line[i - 1].isdigit():
            return i + 1
    return len(line)


# ---- value interpretation ---------------------------------------------------------------------
def _datetime(year: int, month: int, day: int, hour: int, minute: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def two_digit_year(text: str) -> int:
    value = int(text)
    return 1900 + value if value >= 50 else 2000 + value


def dtg_value(daytime: m.Piece | None, month: m.Piece | None, year: m.Piece | None):
    """The DTG as a UTC datetime; None when a part is missing or the date is invalid."""
    if not (daytime and month and year) or month.text not in MONTHS:
        return None
    digits = daytime.text.rstrip("Z")
    return _datetime(
        two_digit_year(year.text),
        MONTHS[month.text],
        int(digits[:2]),
        int(digits[2:4]),
        int(digits[4:6]),
    )


_DECL_FORMS = (
    ("DECL_DATE", "date"),
    ("DECL_TERM", "term"),
    ("DECL_DECLASSIFIED", "declassified"),
    ("DECL_OTHER", "other"),
)


def _decl_form(tok: _Tokens) -> str | None:
    for kind, form in _DECL_FORMS:
        if tok.has(kind):
            return form
    return None


def decl_date(text: str) -> date | None:
    """A DECL date in any of the observed orders; None when it is not a valid date."""
    parts = text.split("-" if "-" in text else "/")
    try:
        if len(parts[0]) == 4:
            year, month, day = (int(p) for p in parts)
        else:
            month, day, year = (int(p) for p in parts)
            if len(parts[2]) == 2:
                year = two_digit_year(parts[2])
            elif len(parts[2]) != 4:
                return None
        if len(parts[0]) > 2 and len(parts[0]) != 4:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def classification_of(word: str) -> str | None:
    """The classification a banner word stands for, even when garbled; None if unrecognisable."""
    squeezed = "".join(word.split()).upper()
    if squeezed in ("UNCLAS", "UNCLASSIFIED"):
        return "UNCLASSIFIED"
    for fragment, classification in _CLASSIFICATIONS:
        if fragment in squeezed:
            return classification
    return None


@lru_cache(maxsize=1024)
def marking_value(inner: str) -> tuple[str | None, tuple[str, ...]]:
    """Level and caveats of a paragraph marking (without parentheses); (None, ()) if outside the
    marking vocabulary."""
    result = parse_field("marking", inner)
    if isinstance(result, ParseProblem):
        return None, ()
    levels = [inner[start:end] for start, end in result.get("CLASS_LEVEL", ())]
    caveats = tuple(inner[start:end] for start, end in result.get("CAVEAT", ()))
    return (levels[-1] if levels else None), caveats
