"""Header checks (CBL101-CBL107): the transmission header lines and their mutual consistency.

Every check reads the model only; a missing header, a missing field or a field whose value did not
parse simply yields nothing (CBL101 reports the unparsed fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta

from cablelint.model.cable import ZN_CLASSIFICATION, Header, Line, Piece
from cablelint.model.diagnostics import Finding
from cablelint.ruleset.checks.common import colons, lines_at
from cablelint.ruleset.reference import normalise_station, routing_stations
from cablelint.ruleset.registry import CheckContext, check
from cablelint.syntax.parse import line_kind

# ---- shared helpers ----------------------------------------------------------------------------
_FIELD_LABELS = {
    "TransmissionId": "transmission id",
    "Routing": "routing",
    "DeLine": "DE",
    "ZnLine": "ZNY/ZNR security",
    "Dtg": "DTG",
    "FmLine": "FM",
    "AddressFieldTO": "TO",
    "AddressFieldINFO": "INFO",
    "Node": "BT",
}
_EXPECTED = {
    "TransmissionId": "VZCZC + 3 letters + 3-4 digits",
    "Routing": "a precedence digraph (OO, PP, RR, ZZ) and routing indicators",
    "DeLine": "DE RI #nnnn[/nn] jjjhhmm",
    "ZnLine": "ZNY CCCCC|SSSSS ZZH or ZNR UUUUU ZZH",
    "Dtg": "a precedence letter and ddhhmmZ MON yy",
    "FmLine": "FM and the originating station",
    "AddressFieldTO": "TO and an addressee",
    "AddressFieldINFO": "INFO and an addressee",
    "Node": "BT",
}
_ORDER = {
    "TransmissionId": 0,
    "Routing": 1,
    "DeLine": 2,
    "ZnLine": 3,
    "Dtg": 4,
    "FmLine": 5,
    "AddressFieldTO": 6,
    "AddressFieldINFO": 7,
    "Node": 8,
}


def _kind(node: object) -> str:
    return type(node).__name__ + getattr(node, "label", "")


def _newline(line: Line) -> str:
    return "\r\n" if line.text.endswith("\r") else "\n"


def _corrected_copy(header: Header) -> bool:
    """The DTG or ZN line carries a corrected-copy marker ``(CCY …)``."""
    for node in (header.dtg, header.zn):
        if node is not None and node.rest is not None and "CCY" in node.rest.text:
            return True
    return False


# ---- CBL101 header-line-syntax ---------------------------------------------------------------
#: The line kind (cable.lark's) that may be joined onto each header line, and its name.
_JOINED_NAME = {
    "TransmissionId": ("ROUTE", "routing line"),
    "Routing": ("DE", "DE line"),
    "DeLine": ("ZN", "ZNY/ZNR line"),
}


@check("CBL101")
def header_line_syntax(ctx: CheckContext) -> Iterator[Finding]:
    header = ctx.cable.header
    if header is None:
        return
    text = ctx.text
    highest, highest_kind = -1, ""
    for node in header.fields:
        kind = _kind(node)
        label = _FIELD_LABELS.get(kind, kind)
        problem = getattr(node, "problem", None)
        if problem is not None:
            detail = problem.message.split(": ", 1)[-1]
            yield Finding(
                problem.span,
                f"{label} line does not parse ({detail}); expected {_EXPECTED.get(kind, label)}",
            )
        rest = getattr(node, "rest", None)
        if rest is not None and kind in _JOINED_NAME:
            joined, what = _JOINED_NAME[kind]
            if line_kind(rest.text) == joined:  # the next header line, as the grammar reads it
                # The glued line starts at rest; split at the whitespace before it.
                gap_start = rest.span.start
                while gap_start > node.span.start and text[gap_start - 1] in " \t":
                    gap_start -= 1
                fix = ctx.replace(
                    gap_start,
                    rest.span.start,
                    _newline(node.lines[0]),
                    f"Put the {what} on its own line",
                )
                yield ctx.finding_on(
                    rest.span,
                    f"{what} '{rest.text}' is joined onto the {label} line; "
                    "expected it on a line of its own",
                    fix,
                )
            else:
                yield ctx.finding_on(
                    rest.span,
                    f"unexpected text '{rest.text}' after the {label} line",
                )
        rank = _ORDER.get(kind)
        if rank is None:
            continue
        if rank < highest:
            yield ctx.finding_on(
                node.lines[0].content_span,
                f"{label} line comes after the {_FIELD_LABELS[highest_kind]} line; expected the "
                "order transmission id, routing, DE, ZNY/ZNR, DTG, FM, TO, INFO",
            )
        else:
            highest, highest_kind = rank, kind


# ---- CBL102 de-julian-vs-dtg ------------------------------------------------------------------
@check("CBL102")
def de_julian_vs_dtg(ctx: CheckContext) -> Iterator[Finding]:
    header = ctx.cable.header
    if header is None or header.de is None or header.de.daytime is None:
        return
    value = header.dtg.value if header.dtg is not None else None
    if value is None or _corrected_copy(header):
        return
    de = header.de
    daytime = de.daytime
    julian = de.julian_day
    if julian is None:
        return
    year_start = value.replace(month=1, day=1, hour=0, minute=0)
    day_of_year = (value - year_start).days + 1  # (timetuple() imports the time module)
    year_length = (
        366 if (value.year % 4 == 0 and value.year % 100) or value.year % 400 == 0 else 365
    )
    diff = (julian - day_of_year) % year_length
    diff = min(diff, year_length - diff)
    tolerance = int(ctx.options.get("day-tolerance", 1))
    if diff > tolerance or not 1 <= julian <= 366:
        stamp = value.strftime("%d %b %Y").upper()
        named = ""
        if 1 <= julian <= year_length:
            named = f" ({(year_start + timedelta(days=julian - 1)).strftime('%d %b').upper()})"
        yield ctx.finding(
            daytime.span.start,
            daytime.span.start + 3,
            f"DE Julian day {daytime.text[:3]}{named} does not match the DTG date {stamp} "
            f"(day {day_of_year:03d})",
        )
        return
    if not ctx.options.get("check-time", False):
        return
    hhmm = de.time
    if not hhmm or not hhmm.isdigit() or int(hhmm[:2]) > 23 or int(hhmm[2:]) > 59:
        return
    # The DE filing time may be a little after the DTG (the message is filed after it is dated).
    filed = year_start + timedelta(days=julian - 1, hours=int(hhmm[:2]), minutes=int(hhmm[2:]))
    if abs((filed - value).days) > 180:  # day 001 of the next year, or day 365 of the previous
        filed = filed.replace(year=filed.year + (1 if filed < value else -1))
    minutes = (filed - value).total_seconds() / 60
    window = int(ctx.options.get("time-tolerance", 30))
    if not 0 <= minutes <= window:
        yield ctx.finding(
            daytime.span.start + 3,
            daytime.span.end,
            f"DE filing time {hhmm} is {int(minutes):+d} min from the DTG time "
            f"{value.strftime('%H%M')}Z; expected 0 to {window} min after it",
        )


# ---- CBL103 de-serial-vs-banner ---------------------------------------------------------------
@check("CBL103")
def de_serial_vs_banner(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    header, banner = cable.header, cable.banner
    if header is None or header.de is None or banner is None:
        return
    de = header.de
    if (
        de.serial is not None
        and banner.serial is not None
        and int(de.serial.text) % 10000 != int(banner.serial.text) % 10000
    ):
        yield ctx.finding_on(
            de.serial.span,
            f"DE serial #{de.serial.text} does not match the banner serial "
            f"{banner.serial.text} (line {ctx.in_file(banner.serial.span).line}); expected "
            f"#{int(banner.serial.text) % 10000:04d}",
        )
    if banner.section is None or de.serial is None:
        return
    wanted = int(banner.section.text)
    if de.section is None:
        yield ctx.finding_on(
            de.serial.span,
            f"banner says SECTION {banner.section.text} but the DE line has no section; "
            f"expected #{de.serial.text}/{wanted:02d}",
        )
    elif int(de.section.text) != wanted:
        yield ctx.finding_on(
            de.section.span,
            f"DE section /{de.section.text} does not match the banner's SECTION "
            f"{banner.section.text}",
        )


# ---- CBL104 de-station-vs-fm ------------------------------------------------------------------
@check("CBL104")
def de_station_vs_fm(ctx: CheckContext) -> Iterator[Finding]:
    header = ctx.cable.header
    if header is None or header.de is None or header.fm is None:
        return
    ri = header.de.routing_indicator
    if ri is None:
        return
    stations = routing_stations().get(ri.text)
    origin = normalise_station(header.fm.origin)
    if not stations or not origin:
        return  # an indicator the table does not know: nothing to compare against
    if origin not in stations:
        expected = " or ".join(f"'{s}'" for s in sorted(stations))
        yield ctx.finding_on(
            ri.span,
            f"DE routing indicator {ri.text} belongs to {expected}, but the FM line says "
            f"'{origin}'",
        )


# ---- CBL105 zn-class-vs-banner ----------------------------------------------------------------
@check("CBL105")
def zn_class_vs_banner(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    header = cable.header
    zn = header.zn if header else None
    if zn is None or zn.letters is None:
        return
    letters = zn.letters
    from_zn = ZN_CLASSIFICATION.get(letters.text)
    if zn.kind is not None and from_zn is not None:
        unclassified = from_zn == "UNCLASSIFIED"
        if (zn.kind.text == "ZNR") != unclassified:
            expected = "ZNR" if unclassified else "ZNY"
            yield ctx.finding(
                zn.kind.span.start,
                letters.span.end,
                f"'{zn.kind.text} {letters.text}' mixes the security prefixes; "
                f"expected {expected} {letters.text}",
            )
    banner = cable.banner
    if banner is None or banner.classification is None or from_zn is None:
        return
    if banner.classification != from_zn:
        yield ctx.finding_on(
            letters.span,
            f"{zn.kind.text if zn.kind else 'ZN'} {letters.text} means {from_zn}, but the banner "
            f"(line {ctx.in_file(banner.span).line}) is {banner.classification}",
        )


# ---- CBL106 precedence-consistency ------------------------------------------------------------
_LETTER_WORD = {"Z": "FLASH", "O": "IMMEDIATE", "P": "PRIORITY", "R": None}
_WORD_LETTER = {"FLASH": "Z", "NIACT IMMEDIATE": "O", "IMMEDIATE": "O", "PRIORITY": "P"}


def _describe(word: str | None) -> str:
    return f"'{word}'" if word else "no precedence word (ROUTINE)"


@check("CBL106")
def precedence_consistency(ctx: CheckContext) -> Iterator[Finding]:
    header = ctx.cable.header
    if header is None or header.dtg is None or not header.dtg.precedences:
        return
    precedences = header.dtg.precedences
    first = precedences[0]
    routing = header.routing
    if routing is not None and routing.precedence is not None:
        digraph = routing.precedence
        if digraph.text != first.text * 2:
            yield ctx.finding_on(
                digraph.span,
                f"routing precedence {digraph.text} does not match the DTG precedence "
                f"{first.text} (line {ctx.in_file(first.span).line}); expected {first.text * 2}",
            )
    yield from _addressee_precedence(ctx, header.to, first, "TO")
    if len(precedences) > 1 and ctx.options.get("check-info", True):
        yield from _addressee_precedence(ctx, header.info, precedences[1], "INFO")


def _unranked(addressee, origin: str) -> bool:
    """A collective addressee, the originating post itself, or a page head that a printout
    left among the addressees ("PAGE 02  STATE 050524 131535Z")."""
    name = normalise_station(addressee.name.text) if addressee.name else ""
    ri = addressee.routing_indicator.text if addressee.routing_indicator else ""
    return (
        "COLLECTIVE" in name
        or ri.startswith("RUCN")
        or (bool(origin) and name == origin)
        or name.startswith("PAGE ")
    )


def _addressee_precedence(ctx: CheckContext, field, letter: Piece, label: str):
    if field is None or not field.addressees or letter.text not in _LETTER_WORD:
        return
    origin = normalise_station(ctx.cable.origin or "")
    # A collective, or the post informing itself, is listed without a precedence word: the
    # first addressee that is neither carries the cable's precedence.
    addressee = next(
        (a for a in field.addressees if a.precedence is not None or not _unranked(a, origin)),
        None,
    )
    if addressee is None or addressee.name is None:
        return  # only collectives, or the address did not parse
    word = addressee.precedence.text if addressee.precedence else None
    if _WORD_LETTER.get(word or "", "R") == letter.text:
        return
    expected = _LETTER_WORD[letter.text]
    where = addressee.precedence or addressee.name
    yield ctx.finding_on(
        where.span,
        f"{label} addressee {addressee.name.text} has {_describe(word)} but the DTG precedence "
        f"{letter.text} "
        f"(line {ctx.in_file(letter.span).line}) expects {_describe(expected)}",
    )


# ---- CBL107 embedded-record-dump --------------------------------------------------------------
_RECORD_DATE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d(?::\d\d)?|\d{4}-\d\d-\d\d \d{1,2}:\d\d(?::\d\d)?"
)
_RECORD_ID = re.compile(r"\d\d[A-Z][A-Z]*\d+")
_HEADER_KINDS = frozenset({"TID", "ROUTE", "DE", "ZN", "DTG", "FM", "TO", "INFO", "BT"})
_RECORD_LINES = 6  # date, id, origin, classification, references (and a '>' marker before)


def _starts(
    keys: Sequence[tuple[str, re.Pattern[str]]], text: str, colon_offsets: Iterable[int]
) -> list[int]:
    """Where each pattern of ``keys`` matches in ``text``, in increasing order. Each match holds
    a colon after its literal and some spaces or tabs, so it is tried only where a literal ends
    those before one of ``colon_offsets`` (every colon of the text, in order, found at memchr
    speed, where a search for the literals reads every character at several times that cost)."""
    literals = tuple(literal for literal, _ in keys)
    found = []
    for colon in colon_offsets:
        end = colon
        while end and text[end - 1] in " \t":
            end -= 1
        if not text.endswith(literals, 0, end):  # one test of every literal (the common case)
            continue
        for literal, pattern in keys:
            if text.endswith(literal, 0, end) and pattern.match(text, end - len(literal)):
                found.append(end - len(literal))
    return found


def _colon_lines(ctx: CheckContext) -> Iterator[Line]:
    """The lines holding a colon followed by two digits, as every record date line does
    ("7/29/2009 14:42"); a label's colon ("SUBJECT: ") is passed over without a line lookup."""
    text = ctx.text
    return lines_at(ctx, (i for i in colons(ctx) if text[i + 1 : i + 3].isdecimal()))


def _record_start(ctx: CheckContext) -> int | None:
    """Index in cable.lines of the record's date line, followed by a reference-id line."""
    lines = ctx.cable.lines
    for line in _colon_lines(ctx):
        i = line.number - 1
        if i + 1 == len(lines) or line.kind == "BLANK" or len(line.text) > 20:
            continue
        if _RECORD_DATE.fullmatch(line.content) and _RECORD_ID.fullmatch(lines[i + 1].content):
            return i
    return None


# A record written as labelled fields (a newspaper's database export: "ID: 190648", "ORIGIN:
# 09KUWAIT110", "DATE: 2009-02-05 16:36:00", "SOURCE: Embassy Kuwait", "CLASSIFICATION: ...",
# "MISC: ...", "DESTINATION: ..."), one a line or run together on one line. It is a record when
# three labels or more stand together and one of them is an ID number or an ORIGIN reference id.
_RECORD_LABEL = re.compile(
    r"(?<![A-Za-z])(?:ID|ORIGIN|DATE|SOURCE|CLASSIFICATION|MISC|DESTINATION|REFERENCES?|REFID|HEADER"
    r"|CONTENT|CREATED|RELEASED)[ \t]*:"
)


def _record_key(label: str, value: str) -> tuple[str, re.Pattern[str]]:
    """``label`` (the literal :func:`_starts` finds) and its pattern: the label with no letter
    before it, a colon, and a ``value`` of that regex."""
    return label, re.compile(rf"{label}(?<![A-Za-z]{label})[ \t]*:[ \t]*{value}")


_RECORD_KEYS = (_record_key("ID", r"\d+"), _record_key("ORIGIN", r"\d\d[A-Z]+\d+"))
_RECORD_LABELS_MIN = 3


def _labelled_records(ctx: CheckContext) -> Iterator[tuple[Line, Line]]:
    """(first, last) line of each labelled record: a run of lines that start with a record
    label, or a single line holding three labels or more, with an ID or ORIGIN among them."""
    lines = ctx.cable.lines
    keys = _starts(_RECORD_KEYS, ctx.text, colons(ctx))
    done = -1
    for line in lines_at(ctx, keys):
        index = line.number - 1
        if index <= done:
            continue
        first = last = index
        while first > 0 and _RECORD_LABEL.match(lines[first - 1].content):
            first -= 1
        while last + 1 < len(lines) and _RECORD_LABEL.match(lines[last + 1].content):
            last += 1
        labels = sum(
            len(_RECORD_LABEL.findall(ln.content)) if i == index else 1
            for i, ln in enumerate(lines[first : last + 1], first)
        )
        if labels >= _RECORD_LABELS_MIN and (first < last or _RECORD_LABEL.match(line.content)):
            done = last
            yield lines[first], lines[last]


@check("CBL107")
def embedded_record_dump(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    lines = cable.lines
    for first, last in _labelled_records(ctx):
        shown = [
            " ".join(ln.content.split())[:40] for ln in lines[first.number - 1 : last.number][:2]
        ]
        named = ", ".join(f"'{text}'" for text in shown) + (", …" if last is not first else "")
        yield ctx.finding(
            first.span.start,
            last.content_span.end,
            f"database record dump ({named}) inside the cable; expected only cable text",
        )
    start = _record_start(ctx)
    if start is not None:
        first = start - 1 if start and lines[start - 1].content.strip() == ">" else start
        last = start + 1
        # origin, classification and references follow the id, up to the next header line
        while (
            last + 1 < len(lines)
            and last - start < _RECORD_LINES - 1
            and lines[last + 1].kind not in _HEADER_KINDS
            and not lines[last + 1].blank
        ):
            last += 1
        yield ctx.finding(
            lines[first].span.start,
            lines[last].content_span.end,
            f"database record dump ('{lines[start].content}', '{lines[start + 1].content}', …) "
            "inside the cable; expected only cable text",
        )
    # A second copy of the header: header-kind lines the structure could not place, or (after a
    # record dump) header-kind lines that ended up in the body.
    copy: list[Line] = []
    for problem in cable.problems:
        if problem.kind == "unknown-line":
            line = lines[problem.span.line - 1]
            if line.kind in _HEADER_KINDS:
                copy.append(line)
    if not copy and start is not None:
        copy = [ln for ln in lines[start:] if ln.kind in _HEADER_KINDS]
    if copy:
        header = cable.header
        where = f" (first copy at line {ctx.in_file(header.span).line})" if header else ""
        yield ctx.finding(
            copy[0].span.start,
            copy[-1].content_span.end,
            f"second copy of the transmission header, lines {ctx.in_file(copy[0].span).line}-"
            f"{ctx.in_file(copy[-1].span).line}"
            f"{where}; expected one header",
        )


# ---- CBL108 header-glued-to-body ----------------------------------------------------------------
_RUNS_ON = "the {} runs into the next line without its blank line"


def _glued_ends(ctx: CheckContext) -> Iterator[tuple[Line, str]]:
    """The last lines of the release's first text block, each with what to say when the next
    line is not blank: the transmission header's last line, a partial-extract notice, and the
    preamble line right above the body (the banner, or the dateline right above it)."""
    cable = ctx.cable
    if cable.header is not None:
        yield cable.header.lines[-1], _RUNS_ON.format("transmission header")
    for line in cable.preamble:
        if line.kind == "PARTIAL":
            yield line, _RUNS_ON.format("partial-extract notice")
    before = _before_body(ctx)
    if before is not None:
        yield (
            before,
            (
                f"the line before the banner ('{before.content}') runs into it without the blank "
                "line that ends the release's first text block"
            ),
        )


def _before_body(ctx: CheckContext) -> Line | None:
    """The preamble line right above the body's first line (the first banner, or a dateline
    right above it), when the body follows the preamble with no header between them."""
    cable = ctx.cable
    if cable.header is not None or not cable.preamble or cable.banner is None:
        return None
    lines = cable.lines
    first = cable.banner.lines[0].number - 1  # the index of the body's first line
    if first > 0 and line_kind(lines[first - 1].content) == "DATELINE":
        first -= 1
    last = cable.preamble[-1]
    return last if first > 0 and lines[first - 1] is last else None


@check("CBL108")
def header_glued_to_body(ctx: CheckContext) -> Iterator[Finding]:
    lines = ctx.cable.lines
    reported = set()
    for last, message in _glued_ends(ctx):
        following = lines[last.number] if last.number < len(lines) else None
        if following is None or following.blank or following.number in reported:
            continue
        reported.add(following.number)
        yield ctx.finding_on(
            following.content_span,
            message,
            ctx.replace(following.start, following.start, _newline(last), "insert a blank line"),
        )
