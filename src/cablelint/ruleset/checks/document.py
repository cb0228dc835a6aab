"""Whole file (CBL601-CBL607): signature, section continuity, identity, text blocks, truncation."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from cablelint.model.cable import Body, Cable, Line
from cablelint.model.diagnostics import Edit, Finding, Fix
from cablelint.model.inline import is_redaction, redaction_runs
from cablelint.ruleset import reference
from cablelint.ruleset.checks.common import (
    ASCII_LOWER,
    ascii_folded,
    find_all,
    lines_at,
    paragraphs,
)
from cablelint.ruleset.checks.lines import is_unwrapped
from cablelint.ruleset.reference import normalise_station
from cablelint.ruleset.registry import CheckContext, check, shared_fact
from cablelint.syntax.parse import FieldTokens, parse_field

# ---- signature (CBL601, CBL602) ------------------------------------------------------------------
_NAME = r"[A-Z][A-Za-z'-]+(?: JR\.?)?"
_GLUED = re.compile(
    rf"(?:[.!?:;\"'”’)\]]|\b(?i:end\s+comment|end\s+of\s+part\s+\w+))(?P<space> +)\.?"
    rf"(?P<name>{_NAME}|[A-Z]{{2,}} [A-Z]{{2,}})$"
)
_GLUED_WORDS = 6  # the most words (split at whitespace) that a match of _GLUED spans
_LOWER_NAME = re.compile(r"[a-z][a-z'-]{2,}$")
_DOUBLED = re.compile(r"(?P<name>[A-Za-z'-]+)(?P<copy> +(?P=name))$")
# An initial or a title before the name's full stop: the name is part of a full name.
_NAME_PART = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|Mr|Mrs|Ms|Dr|Amb|Gen|Col|Sen|Rep|St|Lt|Capt|Maj|Adm)\.$"
)
#: The longest text _NAME_PART matches (a space and "Capt."): it is searched for only there.
_NAME_PART_REACH = 6
_BARE_MARK = re.compile(r" *¶? ?\d{1,2}[.)]")
_SENTENCE_WORDS = frozenset({"END", "COMMENT", "SUMMARY", "TEXT", "UNQUOTE", "QUOTE", "NOTE"})


_FOOTER = re.compile(r"(?i)classified web ?site|^systematic review\b")
_FOOTER_NAME = re.compile(r" (?P<name>[A-Z][A-Za-z'-]+)$")
_SIGNED = re.compile(rf"(?:{_NAME}|[A-Z][A-Za-z'-]+ [Jj][Rr]\.?)(?: *[.,])?")
_UNQUOTE_SIGNED = re.compile(rf"\b(?:UNQUOTE|MINIMIZE CONSIDERED) +{_NAME}$")
_CAPS_NAME = re.compile(r" (?P<name>[A-Z][A-Z'-]{2,})$")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = re.compile(r"[a-z]")


def _glued(content: str) -> re.Match[str] | None:
    """``_GLUED``'s search in ``content`` (no trailing whitespace), made only when the content's
    last word could be the name a match ends with (``.Name``, ``Name``, ``JR.``, ``NAMES``: an
    upper-case letter first, after one full stop at most): most last lines end in a word of
    prose, and the search tries every position of the line. A match spans six words at most
    (the one holding "end", "of", "part", a word, a name of two), so the search starts at the
    sixth word from the end: a reflowed paragraph's last line is long."""
    last = content[content.rfind(" ") + 1 :]
    if last[:1] not in _UPPER and (last[:1] != "." or last[1:2] not in _UPPER):
        return None
    words = content.rsplit(None, _GLUED_WORDS)
    return _GLUED.search(content, len(words[0]) if len(words) > _GLUED_WORDS else 0)


def _caps_last(content: str) -> str | None:
    """The upper-case name ending ``content`` after running text (a lower-case letter with no
    upper-case letter after it), as ``[a-z][^A-Z]* NAME$`` would find it, in linear time."""
    match = _CAPS_NAME.search(content)
    if match is None:
        return None
    before = content[: match.start()]
    last_upper = max(before.rfind(c) for c in _UPPER)
    return match["name"] if _LOWER.search(before, last_upper + 1) else None


def _last_lines(cable: Cable) -> list[Line]:
    """The non-blank lines before the trailer, last first, after web-site and declassification
    footers."""
    trailer = cable.trailer[0].span.start if cable.trailer else None
    found = []
    for line in reversed(cable.lines):
        if trailer is not None and line.span.start >= trailer:
            continue
        if line.blank:
            continue
        content = line.content.strip()
        if not found and _FOOTER.search(content) and not _FOOTER_NAME.search(content):
            continue
        found.append(line)
        if len(found) == 2:
            break
    return found


@shared_fact
def _ending(ctx: CheckContext) -> tuple[str, Line | None, re.Match | None]:
    """How the cable ends: signature, doubled, lower, glued or missing (read by CBL601, CBL602,
    CBL604 and CBL607: computed once a cable)."""
    cable = ctx.cable
    if cable.signature is not None:
        line = cable.signature.lines[0]
        doubled = _DOUBLED.fullmatch(line.content.strip())
        return ("doubled" if doubled else "signature"), line, doubled
    last = _last_lines(cable)
    line = last[0] if last else None
    if line is None or cable.body is None or line.span.start < cable.body.span.start:
        return "none", line, None
    content = line.content.strip()
    if _SIGNED.fullmatch(content):
        doubled = _DOUBLED.fullmatch(content)
        return ("doubled" if doubled else "signature"), line, doubled
    if _LOWER_NAME.fullmatch(content):
        return "lower", line, None
    glued = _glued(line.content.rstrip())
    if glued and _NAME_PART.search(
        line.content, max(0, glued.start() + 1 - _NAME_PART_REACH), glued.start() + 1
    ):
        return "signature", line, None  # "David J. Hazarian": a full name ends the line
    if glued and glued.group("name").upper() not in _SENTENCE_WORDS:
        return "glued", line, glued
    if _UNQUOTE_SIGNED.search(content):
        return "signature", line, None
    if _FOOTER.search(content) and _FOOTER_NAME.search(content):
        return "signature", line, None  # "… london/index.cfm Tuttle"
    caps = _caps_last(content)
    if caps and caps not in _SENTENCE_WORDS:
        return "signature", line, None  # "… index.cfm STAPLETON": a name after running text
    return "missing", line, None


def _partial(cable: Cable) -> bool:
    return any(line.kind == "PARTIAL" for line in cable.preamble)


@check("CBL601")
def signature_missing(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    kind, line, _ = _ending(ctx)
    if kind != "missing" or line is None:
        return
    if _partial(cable) and not ctx.options.get("partial-extracts", False):
        return
    content = line.content.rstrip()
    start = line.span.start + len(content) - len(content.lstrip())
    if content.endswith("..."):
        message = "text ends with '...' and no signature; expected the signer's surname"
    else:
        message = "no signature after the last line; expected the signer's surname on its own line"
    yield ctx.finding(start, line.span.start + len(content), message)


@check("CBL602")
def signature_format(ctx: CheckContext) -> Iterator[Finding]:
    kind, line, match = _ending(ctx)
    if line is None or (match is None and kind not in ("lower",)):
        return
    base = line.span.start
    if kind == "doubled":
        name = match.group("name")
        start, end = base + match.start("copy"), base + match.end("copy")
        yield ctx.finding(
            base + match.start("copy") + len(match.group("copy")) - len(name),
            end,
            f"signature '{name}' is written twice; expected it once",
            ctx.replace(start, end, "", "Delete the repeated name"),
        )
    elif kind == "lower":
        content = line.content.rstrip()
        yield ctx.finding(
            base,
            base + len(content),
            f"signature '{content}' is lower case; expected '{content.upper()}'",
            ctx.replace(base, base + len(content), content.upper(), "Upper-case the signature"),
        )
    elif kind == "glued":
        if not ctx.options.get("glued-in-unwrapped", False) and is_unwrapped(ctx):
            return  # the one-line-per-paragraph rendering glues signatures (§4.8)
        name = match.group("name")
        space_start, space_end = base + match.start("space"), base + match.end("space")
        # After a bare paragraph mark ("¶3. Koenig": "paragraph 3." wrapped), moving the name
        # would leave the mark with no text: the editor must look.
        fix = None
        if not _BARE_MARK.fullmatch(line.content[: match.start("space")]):
            fix = ctx.replace(space_start, space_end, "\n\n", "Move the signature to its own line")
        yield ctx.finding(
            space_end,
            base + match.end("name"),
            f"signature '{name}' is glued to the last text line; expected it on its own line",
            fix,
        )


# ---- sections (CBL603, CBL604) -------------------------------------------------------------------
# A continuation line of its own is the model's (cable.section_lines, cable.lark's SECTION); a
# lower-cased one ("Baku 00000478 002.2 of 003"), which the grammar takes for text, is read by the
# field grammar's section_line; _INLINE_SECTION finds a continuation header glued into a text line.
_INLINE_SECTION = re.compile(
    r"(?P<serial>\d{8}) +(?P<page>\d{3}(?:\.\d)?) +[Oo][Ff] +(?P<total>\d{3})\b"
)
# The serial every continuation header holds (fields.lark's SECTION_SERIAL, and
# _INLINE_SECTION's): a text line holding none is neither parsed nor searched for one.
_SERIAL = re.compile(r"\d{8}")
# What every continuation header holds, as ascii_folded(ctx) writes it (a non-ASCII digit as
# "?"): a literal prefix, found at C speed.
_PAGE_OF = re.compile(rb" of +[0-9?]{3}")


class _Continuation:
    __slots__ = ("end", "inline", "line", "page", "serial", "start", "total")

    def __init__(
        self, line: Line, serial: str, page: str, total: str, start: int, end: int, inline: bool
    ) -> None:
        self.line, self.serial, self.page, self.total = line, serial, page, total
        self.start, self.end, self.inline = start, end, inline

    @classmethod
    def of(
        cls, line: Line, match: re.Match[str], start: int, end: int, inline: bool
    ) -> _Continuation:
        """The header read by ``match`` (of _INLINE_SECTION)."""
        return cls(line, match["serial"], match["page"], match["total"], start, end, inline)

    @property
    def section(self) -> int:
        return int(self.page.split(".")[0])


def _line_end(line: Line) -> int:
    return line.span.start + len(line.content)


def _stations(cable: Cable) -> list[str]:
    names: list[str] = []
    banner = cable.banner
    if banner and banner.station:
        station = normalise_station(banner.station.text)
        names += [station, station[:10].rstrip()]
        if station.startswith("RPO "):
            names.append(station[4:])
    fm = cable.header.fm if cable.header else None
    if fm is not None and fm.station is not None:  # the sending post, when the banner lacks it
        station = normalise_station(fm.station.text)
        names += [station, station[:10].rstrip()]
    for section in cable.section_lines:
        if section.station:
            names.append(normalise_station(section.station.text))
    return sorted({n for n in names if n}, key=len, reverse=True)


@shared_fact
def _continuations(ctx: CheckContext) -> tuple[_Continuation, ...]:
    """Every continuation header in file order: own-line ones, and ones inside a text line."""
    cable = ctx.cable
    banner_serial = cable.banner.serial.text if cable.banner and cable.banner.serial else None
    found = []
    sections = {node.lines[0].number: node for node in cable.section_lines}
    for line in _lines_with_section_page(ctx):
        if line.kind == "SECTION":  # the model's section line (fields.lark's section_line)
            node = sections.get(line.number)
            if node and node.serial and node.page and node.total:
                found.append(
                    _Continuation(
                        line,
                        node.serial.text,
                        node.page.text,
                        node.total.text,
                        line.span.start,
                        _line_end(line),
                        False,
                    )
                )
            continue
        if line.blank or _SERIAL.search(line.content) is None:
            continue  # no serial: neither a continuation line nor one glued into the text
        own = parse_field("section_line", line.content.strip())
        if isinstance(own, dict):  # a lower-cased continuation line ("Baku 00000478 002.2 of 003")
            found.append(_own_line(line, own))
        elif "OF" in line.content or "of" in line.content or "Of" in line.content:
            found.extend(_inline_continuations(cable, line, banner_serial))
    return tuple(found)


def _own_line(line: Line, tokens: FieldTokens) -> _Continuation:
    """The continuation header of a line the field grammar reads as a section line (fields.lark's
    section_line) though the line is of another kind: in lower case."""
    content = line.content.strip()

    def piece(kind: str) -> str:
        start, end = tokens[kind][0]
        return content[start:end]

    serial, page, total = piece("SECTION_SERIAL"), piece("SECTION_PAGE"), piece("SECTION_TOTAL")
    return _Continuation(line, serial, page, total, line.span.start, _line_end(line), False)


def _lines_with_section_page(ctx: CheckContext) -> Iterator[Line]:
    """The lines, in order, that hold an "OF nnn" after a space, as every continuation header
    does (found at C speed in the folded text)."""
    return lines_at(ctx, (match.start() for match in _PAGE_OF.finditer(ascii_folded(ctx))))


def _inline_continuations(
    cable: Cable, line: Line, banner_serial: str | None
) -> Iterator[_Continuation]:
    """Continuation headers glued into a text line after the cable's station name."""
    stations = None
    for match in _INLINE_SECTION.finditer(line.content):
        if banner_serial is not None and int(match["serial"]) != int(banner_serial):
            continue
        if stations is None:
            stations = _stations(cable)
        before = line.content[: match.start()].rstrip(" ")
        upper = before.upper()  # a lower-cased cable writes "Rio de Jan 00000329 002 of 004"
        station = next((s for s in stations if upper.endswith(s)), None)
        if station is None or (match.start() == len(before) and banner_serial is None):
            continue  # glued to the serial ("RIO DE JAN00000329"): only with the banner's serial
        start = len(before) - len(station)
        if start and before[start - 1].isalnum():
            continue  # "XBRUSSELS": not the station
        base = line.span.start
        yield _Continuation.of(line, match, base + start, base + match.end(), True)


@check("CBL603")
def section_continuity(ctx: CheckContext) -> Iterator[Finding]:
    banner = ctx.cable.banner
    continuations = _continuations(ctx)
    if not continuations or banner is None:
        return
    if banner.section_total is None:
        for c in continuations:
            yield ctx.finding(
                c.start,
                c.end,
                f"continuation line '{c.page} OF {c.total}' in a cable whose banner has no "
                "SECTION nn OF mm",
            )
        return
    total = int(banner.section_total.text)
    banner_serial = int(banner.serial.text) if banner.serial else None
    previous = 1
    previous_end = banner.span.end
    totals_seen: set[int] = set()
    for c in continuations:
        if int(c.total) != total and int(c.total) not in totals_seen:
            totals_seen.add(int(c.total))
            yield ctx.finding(
                c.start,
                c.end,
                f"continuation line says OF {c.total}; the banner says SECTION 01 OF "
                f"{banner.section_total.text}",
            )
        if banner_serial is not None and int(c.serial) != banner_serial:
            yield ctx.finding(
                c.start,
                c.end,
                f"continuation serial {c.serial} differs from the banner serial "
                f"{banner.serial.text}",
            )
        k = c.section
        if k > previous + 1 and not _stripped(ctx, previous_end, c.start):
            missing = _range(previous + 1, k - 1)
            yield ctx.finding(
                c.start,
                c.end,
                f"section {missing} missing before this continuation line (expected "
                f"{previous + 1:03d} OF {total:03d})",
            )
        elif k < previous:
            yield ctx.finding(
                c.start,
                c.end,
                f"continuation line {c.page} comes after section {previous:03d}; expected "
                "the sections in order",
            )
        previous = max(previous, k)
        previous_end = c.end
    last = continuations[-1]
    # The release reflowed text and dropped its continuation lines: text that runs on past the
    # page length (a reflowed paragraph) or to a signature lost no section.
    if previous < total and not _stripped(ctx, last.end, len(ctx.text)) and not _signed(ctx):
        yield ctx.finding(
            last.start,
            last.end,
            f"section {_range(previous + 1, total)} of {total:03d} never starts after this "
            "continuation line",
        )


_STATION_ON_SERIAL = re.compile(r"[A-Za-z.](?=\d{8} )")
_REFLOWED = 100  # a body line longer than this is a reflowed paragraph (cable-format.md §4.8)


def _stripped(ctx: CheckContext, start: int, end: int) -> bool:
    """Whether the text between ``start`` and ``end`` was reflowed, so that its continuation
    lines were dropped by the release rather than lost with text."""
    return any(len(line.content) > _REFLOWED for line in lines_at(ctx, range(start, end, 50)))


def _signed(ctx: CheckContext) -> bool:
    """Whether the cable ends with its signature (on its own line or glued): not cut off."""
    kind, line, _ = _ending(ctx)
    redacted = line is not None and is_redaction(line.content.strip())
    return kind in ("signature", "doubled", "lower", "glued") and not redacted


def _range(first: int, last: int) -> str:
    return f"{first:03d}" if first == last else f"{first:03d}-{last:03d}"


@check("CBL604")
def section_line_inline(ctx: CheckContext) -> Iterator[Finding]:
    for c in _continuations(ctx):
        if not c.inline:
            continue
        content, base = c.line.content, c.line.span.start
        edits = []
        left = c.start
        while left > base and content[left - base - 1] == " ":
            left -= 1
        if left > base:
            edits.append(Edit(left, c.start, "\n"))
        right = c.end
        while right - base < len(content) and content[right - base] == " ":
            right += 1
        if right - base < len(content):
            edits.append(Edit(c.end, right, "\n"))
        header = ctx.text[c.start : c.end]
        glued = _STATION_ON_SERIAL.search(header)
        if glued:  # "RIO DE JAN00000329": the space the continuation line has
            edits.insert(
                1 if left > base else 0, Edit(c.start + glued.end(), c.start + glued.end(), " ")
            )
        if left > base and right - base < len(content):
            where = "into"
        else:
            where = "to the end of" if left > base else "to the start of"
        yield ctx.finding(
            c.start,
            c.end,
            f"section continuation line '{header}' is glued {where} a text line; expected "
            "it on its own line",
            Fix(tuple(edits), "safe", "Move the continuation line to its own line"),
        )


# ---- CBL605 identity-mismatch --------------------------------------------------------------------
_STATE = frozenset({"STATE", "SECSTATE", "WASHDC", "SECSTATEWASHDC"})


def _squeeze(text: str) -> str:
    return "".join(normalise_station(text).split())


def _same_station(banner: str, fm: str) -> bool:
    a, b = _squeeze(banner), _squeeze(fm)
    if a == b or (a in _STATE and (b in _STATE or "WASHDC" in b)):
        return True
    return bool(a and b) and (a in b or b in a)


@check("CBL605")
def identity_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    banner, header = cable.banner, cable.header
    if banner is None or banner.station is None or header is None:
        return
    station = banner.station.text
    if any(redaction_runs(station)):
        return
    serial = banner.serial.text if banner.serial else None
    facts = []
    fm = header.fm
    if fm and fm.station and not _same_station(station, fm.station.text):
        facts.append(f"FM {normalise_station(fm.station.text)}")
    de = header.de
    if de and de.serial and serial and int(de.serial.text) != int(serial) % 10000:
        facts.append(f"DE #{de.serial.text}")
    dateline, dtg = cable.dateline, cable.dtg
    if dateline and dateline.value and dtg and dateline.value.date() != dtg.date():
        month = f"{dtg:%b}".upper()
        facts.append(f"dateline {dateline.value:%d %B %Y} vs DTG {dtg:%d} {month} {dtg:%y}")
    if not facts or not any(f.startswith(("FM", "DE")) for f in facts):
        return
    label = f"{normalise_station(station)} {serial}" if serial else normalise_station(station)
    yield ctx.finding(
        banner.station.span.start,
        (banner.serial or banner.station).span.end,
        f"banner names cable {label} but the header belongs to another cable "
        f"({', '.join(facts)}): a header/body splice",
    )


# ---- CBL606 text-block-balance -------------------------------------------------------------------
# "End of text." closes a BEGIN TEXT too (05LONDON4981.txt); alone it is prose ("the end of text
# messages"), never a frame of its own.
_BLOCK = re.compile(
    r"(?i:\b(?P<begin>begin) +text\b|\b(?P<end>end) +text\b|\b(?P<endof>end +of +text)\b)"
    r"|\b(?P<qend>UNQUOTE|END QUOTE)\b|\b(?P<qbegin>(?:BEGIN )?QUOTE)\b"
)


# A text frame opened in other words: "Begin Letter:", "Begin informal Embassy translation of
# ...", "Begin Talking Points:" at the start of a line or of a paragraph's text. An END TEXT after
# one closes it ("End text of letter.").
_LEAD_IN = re.compile(r"(?im)(?:^|^¶?\d+\.\s+\([^()]{1,20}\)\s+)begin\s+[a-z]")
# A QUOTE that opens a quoted message before the body ("QUOTE:" on its own line after SUBJECT).
_QUOTE_LINE = re.compile(r"(?m)^\s*QUOTE\s*:?\s*$")


@check("CBL606")
def text_block_balance(ctx: CheckContext) -> Iterator[Finding]:
    body = ctx.cable.body
    if body is None:
        return
    open_text: list[tuple[int, int]] = []
    open_quote: list[tuple[int, int]] = []
    for line in _lines_with_block_words(ctx, body):
        for match in _BLOCK.finditer(line.content):
            start, end = line.span.start + match.start(), line.span.start + match.end()
            kind = match.lastgroup
            if kind == "begin":
                open_text.append((start, end))
            elif kind == "endof":
                if open_text:
                    open_text.pop()
            elif kind == "end":
                if open_text:
                    open_text.pop()
                elif not _LEAD_IN.search(ctx.text, body.span.start, start):
                    yield ctx.finding(
                        start, end, f"'{match.group()}' without a BEGIN TEXT before it"
                    )
            elif kind == "qbegin":
                open_quote.append((start, end))
            elif open_quote:
                open_quote.pop()
            elif not _QUOTE_LINE.search(ctx.text, 0, start):
                yield ctx.finding(start, end, f"'{match.group()}' without a QUOTE before it")
    for start, end in open_text:
        yield ctx.finding(start, end, f"'{ctx.text[start:end]}' is never closed by END TEXT")
    for start, end in open_quote:
        yield ctx.finding(start, end, f"'{ctx.text[start:end]}' is never closed by UNQUOTE")


def _lines_with_block_words(ctx: CheckContext, body: Body) -> Iterator[Line]:
    """The body lines, in order, where ``_BLOCK`` may match: every match holds a space and
    "text" in any case (found at C speed in the folded text: "context" and "texts" at a line
    start are no BEGIN/END TEXT) or "QUOTE" in capitals (prose's "quoted" is none)."""
    start, end = body.span.start, body.span.end
    offsets = set(find_all(ascii_folded(ctx), b" text", start, end))
    offsets.update(find_all(ctx.text, "QUOTE", start, end))
    return lines_at(ctx, sorted(offsets))


# ---- CBL607 text-cut-off -------------------------------------------------------------------------
_SHORT_WORDS = frozenset(
    {
        "a",
        "am",
        "an",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
    }
)
_LOWER_END = re.compile(r"(?<![\w'’-])(?P<word>[a-z]+)$")


def _lower_end(content: str) -> re.Match[str] | None:
    """``_LOWER_END``'s match in ``content``, searched for only when the content ends in a
    lower-case letter (as a match does): most lines end in punctuation."""
    return _LOWER_END.search(content) if content[-1:] in ASCII_LOWER else None


@check("CBL607")
def text_cut_off(ctx: CheckContext) -> Iterator[Finding]:
    kind, line, _ = _ending(ctx)
    if kind == "missing" and line is not None:
        content = line.content.rstrip()
        match = _lower_end(content)
        word = match["word"] if match else ""
        short = len(word) <= 2 and word not in _SHORT_WORDS
        if match and (short or _fragment(word)):
            start = line.span.start + match.start()
            yield ctx.finding(
                start,
                line.span.start + len(content),
                f"the cable ends in the word fragment '{match['word']}'; the text was cut off",
            )
    every_ending = bool(ctx.options.get("paragraph-endings", False))
    for paragraph, following in itertools.pairwise(paragraphs(ctx)):
        if following.number is None or paragraph.number is None:
            continue
        last = paragraph.lines[-1]
        if last.blank:  # most paragraphs end with their text, found without a search
            last = next((ln for ln in reversed(paragraph.lines) if not ln.blank), None)
        if last is None or last.kind == "SECTION":
            continue
        content = last.content.rstrip()
        match = _lower_end(content)
        if match is None:
            continue
        start, end = last.span.start + match.start(), last.span.start + len(content)
        word = match["word"]
        if _fragment(word):
            yield ctx.finding(
                start,
                end,
                f"paragraph ¶{paragraph.value} ends in the word fragment '{word}' before the "
                f"next paragraph; the text was cut off",
            )
        elif every_ending and following.pilcrow and following.value == paragraph.value + 1:
            yield ctx.finding(
                start,
                end,
                f"paragraph ¶{paragraph.value} ends in '{word}' with no final "
                "punctuation; text may be cut off",
            )


def _fragment(word: str) -> bool:
    """Whether a lower-case ``word`` is the start of a word and looks like no word itself
    (``contrib``, not ``economical``): the word list knows the words of cable prose."""
    return not reference.is_word_form(word) and reference.begins_word(word)
