"""The cable vocabulary: frozen, typed nodes, each carrying its exact span.

Nodes record facts and never judge: a banner whose classification word is garbled is still a
``Banner`` (with ``classification`` None); a field whose value did not parse keeps its raw text
and a ``problem``. Rules decide what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from itertools import repeat
from operator import eq
from typing import Generic, NamedTuple, TypeVar

from cablelint.model.diagnostics import Span
from cablelint.model.residue import NO_RESIDUE, Residue
from cablelint.support.records import field, record


class Piece(NamedTuple):
    """A part of a line: its text and where it is (a NamedTuple: the builder makes ~100 per
    cable)."""

    span: Span
    text: str


@record
class Problem:
    """What did not parse: an unknown line, or a field value the field grammar rejected."""

    span: Span
    message: str
    kind: str  # "unknown-line" or "field"


class Line(NamedTuple):
    """A physical line: ``text`` without its line end (a CR of a CRLF stays), and its kind.

    ``content`` and ``blank`` are derived, but stored: rules read them millions of times. The
    span is made when asked for (the builder reads ``start``; few lines are ever reported).
    Build lines with :meth:`numbered`.
    """

    number: int
    start: int  # offset of the line's first character
    text: str
    kind: str
    content: str  # what the line says: the text without trailing whitespace or CR
    blank: bool  # kind is BLANK

    @property
    def span(self) -> Span:
        """The whole line, its line end excluded (trailing whitespace and a CR included)."""
        start, number, length = self.start, self.number, len(self.text)
        return _new(Span, (start, start + length, number, 1, number, length + 1))

    @property
    def content_span(self) -> Span:
        """What the line says: its content, without trailing whitespace, CR and line end."""
        start, number, length = self.start, self.number, len(self.content)
        return _new(Span, (start, start + length, number, 1, number, length + 1))

    @classmethod
    def numbered(
        cls,
        texts: Sequence[str],
        contents: Sequence[str],
        starts: Sequence[int],
        kinds: Sequence[str],
    ) -> tuple[Line, ...]:
        """Lines 1, 2, ... from their texts, contents, start offsets and kinds.

        The hot path of every build: the tuples are made as ``NamedTuple._make`` makes them,
        by ``map`` over the columns, without a Python-level call per line.
        """
        numbers = range(1, len(texts) + 1)
        blanks = map(eq, kinds, repeat("BLANK"))
        values = zip(numbers, starts, texts, kinds, contents, blanks, strict=True)
        return tuple(map(_new, repeat(cls), values))


_T = TypeVar("_T")
_new = tuple.__new__  # a NamedTuple made without the call of its generated constructor


@record
class Node:
    """Base of every structural element: its span and the physical lines it covers."""

    span: Span
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        """What the node's lines say: their contents, joined by ``\\n``."""
        return "\n".join(line.content for line in self.lines)


# ---- header -------------------------------------------------------------------------------------
@record
class TransmissionId(Node):
    station: Piece | None
    sequence: Piece | None
    rest: Piece | None  # text glued after the id (a joined routing line)
    problem: Problem | None


@record
class Routing(Node):
    precedence: Piece | None
    indicators: tuple[Piece, ...]
    rest: Piece | None
    problem: Problem | None


@record
class DeLine(Node):
    routing_indicator: Piece | None
    serial: Piece | None
    section: Piece | None
    daytime: Piece | None  # jjjhhmm
    rest: Piece | None
    problem: Problem | None

    @property
    def julian_day(self) -> int | None:
        return int(self.daytime.text[:3]) if self.daytime else None

    @property
    def time(self) -> str | None:
        return self.daytime.text[3:] if self.daytime else None


@record
class ZnLine(Node):
    kind: Piece | None  # ZNY or ZNR
    letters: Piece | None  # CCCCC, SSSSS, UUUUU
    rest: Piece | None
    problem: Problem | None


@record
class Dtg(Node):
    precedences: tuple[Piece, ...]
    daytime: Piece | None  # ddhhmmZ
    month: Piece | None
    year: Piece | None
    rest: Piece | None
    problem: Problem | None
    value: datetime | None  # UTC, None when the date is invalid


@record
class FmLine(Node):
    organisation: Piece | None
    station: Piece | None
    problem: Problem | None

    @property
    def origin(self) -> str:
        return self.lines[0].content[2:].strip()


@record
class Addressee:
    span: Span
    routing_indicator: Piece | None
    name: Piece | None
    precedence: Piece | None
    mcn: Piece | None


@record
class AddressField(Node):
    label: str  # TO or INFO
    addressees: tuple[Addressee, ...]
    problem: Problem | None


@record
class Header(Node):
    fields: tuple[Node, ...]  # in file order
    transmission_id: TransmissionId | None
    routing: Routing | None
    de: DeLine | None
    zn: ZnLine | None
    dtg: Dtg | None
    fm: FmLine | None
    to: AddressField | None
    info: AddressField | None


@record
class Dateline(Node):
    weekday: Piece | None
    value: datetime | None
    problem: Problem | None


# ---- banner, captions ---------------------------------------------------------------------------
@record
class Banner(Node):
    word: Piece | None  # the classification word as written
    classification: str | None  # UNCLASSIFIED, CONFIDENTIAL, SECRET, TOP SECRET; None if garbled
    section: Piece | None
    section_total: Piece | None
    station: Piece | None
    serial: Piece | None
    rest: Piece | None
    problem: Problem | None
    # Captions a conversion joined onto the banner line ("... BRUSSELS 001596 SIPDIS"); the
    # cable's captions hold them too.
    captions: tuple[Piece, ...] = ()


@record
class Caption(Node):
    """A caption line: the captions it holds (several when they were joined on one line, as in
    "NOFORN SIPDIS"), and any other text after them."""

    words: tuple[Piece, ...] = ()
    rest: Piece | None = None


@record
class Passline(Node):
    pass


# ---- metadata ------------------------------------------------------------------------------------
@record
class EoLine(Node):
    label: Piece | None
    number: Piece | None
    colon: Piece | None
    decl_label: Piece | None
    decl: Piece | None  # the date or term as written
    decl_date: date | None
    rest: Piece | None
    problem: Problem | None
    #: "date", "term" (N/A, OADR, ...), "declassified" (the release's note: "DECLASSIFIED BY
    #: NARA ...") or "other" (unreadable).
    decl_form: str | None = None
    #: The label is written with an OCR digit or letter for a letter (labels.lark's EO_SLIP: E.0.).
    label_slip: bool = False


@record
class Tag:
    span: Span  # the whole item, e.g. "[KNNP](#)"
    code: str  # the tag itself, e.g. "KNNP"
    code_span: Span
    link: bool  # written as a Markdown link
    note: Piece | None = None  # "(CLINTON, HILLARY)" after OVIP: the visitor, in brackets


@record
class TagsField(Node):
    label: Piece | None
    tags: tuple[Tag, ...]
    separators: tuple[Piece, ...]  # commas
    rest: Piece | None
    problem: Problem | None


@record
class SubjectField(Node):
    labels: tuple[Piece, ...]
    marking: Piece | None
    subject: Piece | None  # newlines of a wrapped subject are kept in .text
    problem: Problem | None


@record
class RefItem:
    span: Span
    letter: Piece | None
    text: str


@record
class RefField(Node):
    label: Piece | None
    items: tuple[RefItem, ...]
    problem: Problem | None


@record
class ClassifiedBy(Node):
    labels: tuple[Piece, ...]
    person: Piece | None
    reason_section: Piece | None
    reason_letters: tuple[Piece, ...]
    problem: Problem | None
    #: The first label is misspelled or in another case, its colon not part of it
    #: (labels.lark's CLBY_SLIP: "Classfied By:").
    label_slip: bool = False


@record
class Join:
    """A metadata field glued onto the text of another field or a passline (a joined line):
    ``span`` is the gap between them (the spaces, or nothing: "UK PRIMEREF: A. LONDON 1939")."""

    span: Span
    host: Node  # the field or passline the label is glued onto (its part before the gap)
    field: Node  # the glued field, from its label on


# ---- body --------------------------------------------------------------------------------------
@record
class Paragraph(Node):
    dash: Piece | None
    pilcrow: Piece | None
    number: Piece | None
    terminator: Piece | None
    marking: Piece | None  # "(C/NF)" with its parentheses
    level: str | None  # U, SBU, C, S, TS; None when absent or outside the vocabulary
    caveats: tuple[str, ...]
    body: Piece | None  # the text after the mark on the first line
    problem: Problem | None

    @property
    def value(self) -> int | None:
        return int(self.number.text) if self.number else None

    @property
    def mark_end(self) -> int:
        """Offset just after the mark and marking."""
        last = self.marking or self.terminator or self.number
        return last.span.end if last else self.span.start


@record
class Block(Node):
    """Body lines that are not a numbered paragraph."""


@record
class SubHeading(Node):
    """A title line with its dash underline (and an overline when boxed)."""

    title: Piece
    underline: Piece


@record
class SectionLine(Node):
    station: Piece | None
    serial: Piece | None
    page: Piece | None
    total: Piece | None
    problem: Problem | None


@record
class Signature(Node):
    @property
    def name(self) -> str:
        """The signer's name, without a full stop, "##" or a date written after it."""
        return _SIGNATURE_NAME.sub("", self.lines[0].content.strip()).strip(" .#")


_SIGNATURE_NAME = re.compile(r" +\d{4}-\d\d-\d\d$")


@record
class Body(Node):
    items: tuple[Node, ...]  # Paragraph and Block, in order


# ---- inline body tokens (grammar/inline.lark) ---------------------------------------------------
@record
class Marker:
    """A summary or comment marker, or a BEGIN/END TEXT or QUOTE/UNQUOTE frame, in body prose."""

    span: Span
    kind: str  # one of MARKER_KINDS
    text: str  # as written: "SUMMARY:", "End Comment", "begin text:"


MARKER_KINDS = (
    *("summary-begin", "summary-end", "comment-begin", "comment-end"),
    *("text-begin", "text-end", "quote", "unquote"),
)


@record
class Redaction:
    """A run of four or more x or X in body prose (grammar/inline.lark's REDACTION): standing as
    a word, or glued to one."""

    span: Span
    text: str
    canonical: bool  # exactly twelve upper-case X
    #: The letters and digits glued to the run without a space (``with`` in ``withXXXXX``).
    glued_before: Piece | None = None
    glued_after: Piece | None = None


InlineNodes = tuple[tuple[Marker, ...], tuple[Redaction, ...]]


class InlineTokens:
    """The body's markers and redactions, found on first use: most rules never read them, and
    the rules that read the redactions (asked of every cable) never read the markers."""

    __slots__ = ("_found", "_redactions", "_scan", "_scan_redactions")

    def __init__(
        self,
        scan: Callable[[], InlineNodes],
        scan_redactions: Callable[[], tuple[Redaction, ...]] | None = None,
    ) -> None:
        self._scan = scan
        #: The redactions alone, found without the markers (at C speed, none in most bodies).
        self._scan_redactions = scan_redactions
        self._found: InlineNodes | None = None
        self._redactions: tuple[Redaction, ...] | None = None

    def _nodes(self) -> InlineNodes:
        if self._found is None:
            self._found = self._scan()
        return self._found

    @property
    def markers(self) -> tuple[Marker, ...]:
        return self._nodes()[0]

    @property
    def redactions(self) -> tuple[Redaction, ...]:
        if self._found is not None or self._scan_redactions is None:
            return self._nodes()[1]
        if self._redactions is None:
            self._redactions = self._scan_redactions()
        return self._redactions


class Deferred(Generic[_T]):
    """A value found on first use (the builder's work that few readers ask for)."""

    __slots__ = ("_find", "_value")

    def __init__(self, find: Callable[[], _T]) -> None:
        self._find: Callable[[], _T] | None = find
        self._value: _T | None = None

    def get(self) -> _T:
        if self._find is not None:
            self._value, self._find = self._find(), None
        return self._value  # type: ignore[return-value]


def _no_inline_nodes() -> InlineNodes:
    return (), ()


NO_INLINE_TOKENS = InlineTokens(_no_inline_nodes)


CLASSIFICATION_RANK = {"UNCLASSIFIED": 0, "CONFIDENTIAL": 2, "SECRET": 3, "TOP SECRET": 4}
#: Readable names of line kinds, for messages.
KIND_NAMES = {
    "TID": "VZCZC transmission id",
    "ROUTE": "routing",
    "ROUTE_CONT": "routing",
    "ZN": "ZNY/ZNR",
    "FM": "FM",
    "TO": "TO",
    "INFO": "INFO",
    "CLBY": "Classified By",
    "PARA": "paragraph",
    "UWORD": "one-word",
    "WORD": "one-word",
    "LETTERED": "lettered item",
    "ITEM": "item",
    "SECTION": "section continuation",
    "PRE": "preamble",
    "PASS": "passline",
}


def kind_name(kind: str) -> str:
    """A line kind as a message may say it: 'DE', 'routing', 'paragraph' ..."""
    return KIND_NAMES.get(kind, kind if len(kind) <= 3 else kind.lower())


ZN_CLASSIFICATION = {
    "CCCCC": "CONFIDENTIAL",
    "SSSSS": "SECRET",
    "UUUUU": "UNCLASSIFIED",
    "TTTTT": "TOP SECRET",
}
MARKING_RANK = {"U": 0, "SBU": 1, "C": 2, "S": 3, "TS": 4}


@record
class Cable:
    """A whole cable: every line, the structural elements, and what did not fit."""

    text: str
    lines: tuple[Line, ...]
    preamble: tuple[Line, ...]
    header: Header | None
    datelines: tuple[Dateline, ...]
    banners: tuple[Banner, ...]
    captions: tuple[Caption, ...]
    passlines: tuple[Passline, ...]
    metadata: tuple[Node, ...]  # E.O., TAGS, SUBJECT, REF, Classified By in file order
    body: Body | None
    section_lines: tuple[SectionLine, ...]
    signature: Signature | None
    trailer: tuple[Line, ...]
    problems: tuple[Problem, ...]
    #: Metadata fields glued onto another field's line or a passline (each also in ``metadata``).
    joins: tuple[Join, ...] = ()
    inline: InlineTokens = field(default=NO_INLINE_TOKENS, compare=False, repr=False)
    #: What a converter left around and inside the cable (its nodes' spans are in the file); when
    #: there is any, the cable was read from the text inside it (``text`` is that text, and every
    #: other span is in it).
    residue: Residue = field(default=NO_RESIDUE, compare=False, repr=False)
    #: The subheadings, found when first asked for (no rule reads them): see :attr:`subheadings`.
    deferred_subheadings: Deferred[tuple[SubHeading, ...]] = field(
        default=Deferred(tuple), compare=False, repr=False
    )

    # ---- convenient access ------------------------------------------------------------------
    def _first(self, kind: type) -> Node | None:
        for node in self.metadata:  # a loop, not next() over a generator: asked ~10 times a cable
            if isinstance(node, kind):
                return node
        return None

    @property
    def banner(self) -> Banner | None:
        return self.banners[0] if self.banners else None

    @property
    def dateline(self) -> Dateline | None:
        return self.datelines[0] if self.datelines else None

    @property
    def eo(self) -> EoLine | None:
        return self._first(EoLine)  # type: ignore[return-value]

    @property
    def tags(self) -> TagsField | None:
        return self._first(TagsField)  # type: ignore[return-value]

    @property
    def subject(self) -> SubjectField | None:
        return self._first(SubjectField)  # type: ignore[return-value]

    @property
    def ref(self) -> RefField | None:
        return self._first(RefField)  # type: ignore[return-value]

    @property
    def classified_by(self) -> ClassifiedBy | None:
        return self._first(ClassifiedBy)  # type: ignore[return-value]

    @property
    def subheadings(self) -> tuple[SubHeading, ...]:
        """Body lines underlined by a dash line, boxed or not (found on first use)."""
        return self.deferred_subheadings.get()

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        items = self.body.items if self.body else ()
        return tuple(i for i in items if isinstance(i, Paragraph))

    @property
    def markers(self) -> tuple[Marker, ...]:
        """Summary, comment, TEXT and QUOTE markers in the body's prose lines, in file order."""
        return self.inline.markers

    @property
    def redactions(self) -> tuple[Redaction, ...]:
        """Redactions in the body's prose lines, in file order."""
        return self.inline.redactions

    def redactions_in(self, start: int, end: int) -> tuple[Redaction, ...]:
        """The redactions of :attr:`redactions` that lie within ``text[start:end]``."""
        return tuple(r for r in self.redactions if start <= r.span.start and r.span.end <= end)

    @property
    def unknown(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "unknown-line")

    # ---- derived facts ------------------------------------------------------------------------
    @property
    def dtg(self) -> datetime | None:
        header = self.header
        return header.dtg.value if header and header.dtg else None

    @property
    def classification(self) -> str | None:
        """The banner's classification; without a banner, the one the ZNY/ZNR letters give."""
        if self.banner:
            return self.banner.classification
        zn = self.header.zn if self.header else None
        if zn and zn.letters:
            return ZN_CLASSIFICATION.get(zn.letters.text)
        return None

    @property
    def caveats(self) -> tuple[str, ...]:
        found = []
        for caption in self.captions:
            for piece in caption.words:
                word = piece.text.upper()
                if word in ("NOFORN", "SENSITIVE", "EXDIS", "NODIS", "LIMDIS", "STADIS"):
                    found.append(word)
        return tuple(dict.fromkeys(found))

    @property
    def origin(self) -> str | None:
        header = self.header
        return header.fm.origin if header and header.fm else None

    @property
    def tag_list(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.tags.tags) if self.tags else ()

    @property
    def subject_text(self) -> str | None:
        subject = self.subject
        if not subject or not subject.subject:
            return None
        return " ".join(subject.subject.text.split())

    @property
    def reference_id(self) -> str | None:
        """Two-digit DTG year + banner station without spaces + serial without leading zeros."""
        banner, header = self.banner, self.header
        year = header.dtg.year.text if header and header.dtg and header.dtg.year else None
        if year is None:
            return None
        if banner and banner.station and banner.serial:
            station, serial = banner.station.text, banner.serial.text
        elif header.fm and header.fm.station and header.de and header.de.serial:
            # No banner: the FM station and the DE serial name the same cable.
            station, serial = header.fm.station.text, header.de.serial.text
        else:
            return None
        return f"{year}{''.join(station.split()).upper()}{int(serial)}"
