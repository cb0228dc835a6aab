"""Line hygiene (CBL509-CBL512): characters, whitespace and newlines, joined and duplicated lines.

Every check here is one pass over the text or over ``cable.lines``. Raw Cablegate text is
byte-clean (cable-format.md §4.0, §7.9), so hygiene damage is never an authentic convention.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from operator import attrgetter, eq

from cablelint.model.cable import Line, Paragraph
from cablelint.model.diagnostics import Edit, Finding, Fix, Span
from cablelint.model.inline import is_redaction
from cablelint.ruleset.checks.common import copies, latin1, line_contents, paragraphs
from cablelint.ruleset.checks.line_ends import line_end_findings, target_newline
from cablelint.ruleset.registry import CheckContext, check, shared_fact
from cablelint.syntax.lines import TRAILING_WHITESPACE, ends_with_line_end

_KIND = attrgetter("kind")

# ---- CBL509 non-cable-characters ---------------------------------------------------------------
# Bytes 0x80-0xBF read as CP1252 (undefined bytes as their Latin-1 C1 control): the continuation
# bytes of a UTF-8 sequence that was decoded as CP1252.
_CONT = "".join(
    bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b))
    for b in range(0x80, 0xC0)
)
_CONT_CLASS = "[" + re.escape(_CONT) + "]"
_MOJIBAKE = rf"[\u00c2-\u00df]{_CONT_CLASS}|[\u00e0-\u00ef]{_CONT_CLASS}{{2}}"
_CHARACTERS = re.compile(
    rf"(?P<mojibake>{_MOJIBAKE})"
    r"|(?P<replacement>\ufffd+)"
    r"|(?P<control>[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff])"
    r"|(?P<space>\t+|\u00a0+)"
    r"|(?P<quote>[£¢∂∧Ø])"
)
# Every match of _CHARACTERS starts with one of these: a C-speed scan skips clean text.
_FIRST = re.compile(r"[\u00c2-\u00ef\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\t\u00a0£¢∂∧Ø]")
# Most texts hold none of them: the Latin-1 ones are found by bytes.translate, the others by `in`.
_NOT_FIRST_LATIN1 = bytes(b for b in range(256) if not _FIRST.match(chr(b)))
_FIRST_BEYOND_LATIN1 = "\ufffd\ufeff∂∧"
_CONTROL_NAMES = {"\x0b": "vertical tab", "\x0c": "form feed", "\x00": "NUL", "\ufeff": "BOM"}


def _describe(char: str) -> str:
    return _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")


def _has_first_chars(text: str, encoded: bytes | None = None) -> bool:
    """Whether ``_FIRST`` matches somewhere in ``text`` (its regex scan is slow); ``encoded``:
    the text as Latin-1, beyond it as "?" (common.latin1), if already made."""
    if any(char in text for char in _FIRST_BEYOND_LATIN1):
        return True
    if encoded is None:
        encoded = text.encode("latin-1", "replace")
    # Beyond Latin-1 is written "?", which is not a first character.
    return bool(encoded.translate(None, _NOT_FIRST_LATIN1))


def _character_matches(text: str, encoded: bytes | None = None) -> Iterator[re.Match[str]]:
    """``_CHARACTERS.finditer(text)``, trying the pattern only where ``_FIRST`` matches
    (``encoded`` as for :func:`_has_first_chars`)."""
    if not _has_first_chars(text, encoded):
        return
    search, match = _FIRST.search, _CHARACTERS.match
    candidate = search(text)
    while candidate is not None:
        pos = candidate.start()
        found = match(text, pos)
        if found is not None:
            yield found
            pos = found.end() - 1
        candidate = search(text, pos + 1)


def _trailing(text: str, end: int) -> bool:
    """Whether only whitespace lies between ``end`` and the end of its line."""
    stop = len(text)
    while end < stop and text[end] in TRAILING_WHITESPACE:
        end += 1
    return end == stop or text[end] in "\r\n"


@check("CBL509")
def non_cable_characters(ctx: CheckContext) -> Iterator[Finding]:
    mangled_quotes = bool(ctx.options.get("mangled-quotes", False))
    lossy = any(i.kind == "replacement" for i in ctx.source.issues)  # CBL001 reports those
    text = ctx.text
    for match in _character_matches(text, latin1(ctx)):
        kind = match.lastgroup
        start, end = match.span()
        found = match.group()
        if kind == "mojibake":
            try:
                meant = found.encode("cp1252").decode("utf-8")
            except UnicodeError:
                try:
                    meant = found.encode("latin-1").decode("utf-8")
                except UnicodeError:
                    continue  # not a UTF-8 sequence after all (e.g. a genuine accent pair)
            yield ctx.finding(
                start, end, f"mojibake '{found}' looks like UTF-8 '{meant}' read as CP1252"
            )
        elif kind == "replacement":
            if not lossy:
                yield ctx.finding(
                    start, end, "replacement character U+FFFD: the original character is lost"
                )
        elif kind == "control":
            yield ctx.finding(
                start,
                end,
                f"control character {_describe(found)}: a cable export never contains one",
                ctx.replace(start, end, "", "Delete the control character"),
            )
        elif kind == "space":
            if _trailing(text, end):
                continue  # trailing whitespace: CBL510's
            name = "tab" if found[0] == "\t" else "no-break space"
            plural = "s" if len(found) > 1 else ""
            yield ctx.finding(
                start,
                end,
                f"{name}{plural} in the text; cables use plain spaces",
                ctx.replace(
                    start, end, " " * len(found), f"Replace the {name}{plural} with spaces"
                ),
            )
        elif mangled_quotes:
            yield ctx.finding(
                start, end, f"'{found}' probably stands for a mangled '&' opening quote"
            )


# ---- CBL510 line-hygiene -------------------------------------------------------------------------
def _line_end(line: Line) -> int:
    """Offset just after the line's content (before a CR of a CRLF)."""
    return line.span.start + len(line.content)


@check("CBL510")
def line_hygiene(ctx: CheckContext) -> Iterator[Finding]:
    lines = ctx.cable.lines
    if not lines:
        return
    style = str(ctx.options.get("line-ending", "any"))
    if ctx.source.bom:
        yield ctx.finding(0, 0, "file starts with a byte-order mark; cable files have none")
    if ctx.source.cr_lines:  # read as LF and written back as CR, as a BOM is: no fix
        want = {"lf": "LF", "crlf": "CRLF"}.get(style, "LF or CRLF")
        yield ctx.finding(0, 0, f"every line ends with a lone CR (classic Mac OS); expected {want}")
    else:
        yield from line_end_findings(ctx, style)

    first = next((i for i, line in enumerate(lines) if not line.blank), None)
    if first is None:
        return
    last = next(i for i in range(len(lines) - 1, first - 1, -1) if not lines[i].blank)
    yield from _file_edges(ctx, first, last, target_newline(ctx.text, lines, style))
    limit = int(ctx.options.get("max-blank-lines", 0) or 0)
    if limit:
        yield from _blank_runs(ctx, lines[first : last + 1], limit)
    if ctx.options.get("trailing-whitespace", True) and _has_stray_characters(ctx):
        yield from _stray_whitespace(ctx, lines[first : last + 1])


def _file_edges(ctx: CheckContext, first: int, last: int, newline: str) -> Iterator[Finding]:
    """Blank lines before the first and after the last text line, and a missing final newline."""
    text, lines = ctx.text, ctx.cable.lines
    if first:
        end = lines[first].span.start
        count = "a blank line" if first == 1 else f"{first} blank lines"
        yield ctx.finding(
            0,
            lines[first - 1].span.end,
            f"{count} at the start of the file; expected the first line of the cable",
            ctx.replace(0, end, "", "Delete the leading blank lines"),
        )
    if last < len(lines) - 1:
        start = lines[last + 1].span.start
        extra = len(lines) - 1 - last
        count = "a blank line" if extra == 1 else f"{extra} blank lines"
        yield ctx.finding(
            start,
            len(text),
            f"{count} at the end of the file; expected it to end with one newline",
            ctx.replace(start, len(text), "", "Delete the trailing blank lines"),
        )
    elif not text.endswith(("\n", "\r")):
        yield ctx.finding(
            len(text),
            len(text),
            "no newline at the end of the file",
            ctx.replace(len(text), len(text), newline, "Add the final newline"),
        )


def _blank_runs(ctx: CheckContext, lines: Sequence[Line], limit: int) -> Iterator[Finding]:
    """Runs of more than ``limit`` blank lines (``lines`` starts and ends with a text line)."""
    run: list[Line] = []
    for line in lines:
        if line.blank:
            run.append(line)
            continue
        if len(run) > limit:
            keep = min(2, limit)
            start, stop = run[keep].span.start, line.span.start
            yield ctx.finding(
                run[0].span.start,
                run[-1].span.end,
                f"{len(run)} blank lines in a row; expected at most {limit}",
                ctx.replace(start, stop, "", f"Collapse the blank lines to {keep}"),
            )
        run = []


def _has_stray_characters(ctx: CheckContext) -> bool:
    """Whether some line's text is longer than its content (trailing whitespace, or a CR), told
    by lengths summed at C speed: every line end is one character, which no text holds. (The
    length of the contents joined is their sum: ``str.join`` adds them up and copies, in 40%
    of the instructions of ``sum(map(len, ...))``.)"""
    text, lines = ctx.text, ctx.cable.lines
    line_ends = len(lines) if ends_with_line_end(text) else len(lines) - 1
    return len("".join(line_contents(ctx))) < len(text) - line_ends


def _stray_whitespace(ctx: CheckContext, lines: Sequence[Line]) -> Iterator[Finding]:
    """Trailing whitespace (what lies between a line's content and its line end, a CR of a CRLF
    aside), on text and blank lines: one finding for the file, at the first line that has it,
    whose fix deletes it everywhere (the published text keeps a space on most lines)."""
    found: list[tuple[int, int, Line]] = []
    for line in lines:
        text, content = line.text, line.content
        if len(text) == len(content) or (len(text) == len(content) + 1 and text[-1] == "\r"):
            continue  # nothing after the content but the line end (the common case)
        start = line.start + len(content)  # the stored offset: no span made per line
        stop = line.start + len(text.removesuffix("\r"))
        if start < stop:
            found.append((start, stop, line))
    if not found:
        return
    start, stop, line = found[0]
    if len(found) == 1:
        message = "whitespace on a blank line" if line.blank else "trailing whitespace"
        title = "Delete the whitespace" if line.blank else "Delete the trailing whitespace"
    else:
        message = f"trailing whitespace on {len(found)} lines (the first here); expected none"
        title = "Delete the trailing whitespace on every line"
    edits = tuple(Edit(a, b, "") for a, b, _ in found)
    yield ctx.finding(start, stop, message, Fix(edits, "safe", title))


# ---- wrap style (shared with CBL602) -------------------------------------------------------------
#: The length past which a line is long, by default, for the wrap style (cable-format.md §7.6).
_LONG = 100


@shared_fact
def _long_lines(ctx: CheckContext) -> list[int]:
    """The indices in ``cable.lines`` of the lines longer than ``_LONG`` (CBL511 and CBL602 read
    them, and most cables have some: header lines)."""
    return _longer_than(line_contents(ctx), _LONG)


def _longer_than(contents: Sequence[str], limit: int) -> list[int]:
    """The indices of ``contents`` longer than ``limit`` (a comprehension: a third fewer
    instructions than ``compress`` over ``map(limit.__lt__, map(len, contents))``)."""
    return [i for i, content in enumerate(contents) if len(content) > limit]


def _long(ctx: CheckContext, limit: int) -> list[int]:
    """The indices of the lines longer than ``limit``."""
    return _long_lines(ctx) if limit == _LONG else _longer_than(line_contents(ctx), limit)


def is_unwrapped(ctx: CheckContext, limit: int = _LONG) -> bool:
    """Whether the cable puts each paragraph on one line: more than a third of its ``¶`` lines,
    or of all its body lines, are longer than ``limit`` (cable-format.md §7.6)."""
    body = ctx.cable.body
    if body is None:
        return False
    first = body.lines[0].number - 1
    indices = _long(ctx, limit)
    within = indices[bisect_left(indices, first) : bisect_left(indices, first + len(body.lines))]
    lines = ctx.cable.lines
    long = [lines[i] for i in within if not lines[i].blank]
    if not long:
        return False
    kinds = list(map(_KIND, body.lines))
    text_lines, para_lines = len(kinds) - kinds.count("BLANK"), kinds.count("PARA")
    long_para_lines = sum(line.kind == "PARA" for line in long)
    return long_para_lines * 3 > para_lines or len(long) * 3 > text_lines


# ---- CBL511 joined-lines -------------------------------------------------------------------------
_NOT_WRAPPED = frozenset(
    {"BLANK", "TID", "ROUTE", "ROUTE_CONT", "DE", "ZN", "DTG", "FM", "TO", "INFO", "BT"}
    | {"PARTIAL", "INFOLOG", "PRE", "DATELINE", "TRAILER"}
)


def _wrap_width(lines: Sequence[Line], limit: int) -> int:
    """The cable's own width: the longest line within ``limit`` that continues on the next."""
    width = 0
    for line, nxt in itertools.pairwise(lines):
        length = len(line.content)
        if length <= limit and not nxt.blank and nxt.kind in ("TEXT", "WORD") and length > width:
            width = length
    return width if width >= 40 else 68


def _rewrap(line: Line, width: int) -> tuple[Edit, ...]:
    content, base = line.content, line.span.start
    edits = []
    start = 0
    while len(content) - start > width:
        cut = content.rfind(" ", start, start + width + 1)
        if cut <= start:
            cut = content.find(" ", start + width)
            if cut == -1:
                break
        left = cut
        while left > start and content[left - 1] == " ":
            left -= 1
        right = cut
        while right < len(content) and content[right] == " ":
            right += 1
        if left == start or right == len(content):
            break
        edits.append(Edit(base + left, base + right, "\n"))
        start = right
    return tuple(edits)


@check("CBL511")
def joined_lines(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    limit = int(ctx.options.get("max-length", _LONG))
    long = _long(ctx, limit)
    if cable.body is None or not long:
        return
    header_end = cable.header.span.end if cable.header else 0
    lines = cable.lines
    joined = [
        line
        for line in map(lines.__getitem__, long)
        if line.start >= header_end and line.kind not in _NOT_WRAPPED
    ]
    # Most long lines are header lines: the wrap style is read only for a cable with others.
    if not joined or is_unwrapped(ctx, limit):
        return
    width = _wrap_width(cable.lines, limit)
    for line in joined:
        length = len(line.content)
        edits = _rewrap(line, width)
        fix = Fix(edits, "unsafe", f"Re-wrap the line at {width} columns") if edits else None
        start = line.span.start + limit
        yield ctx.finding(
            start,
            _line_end(line),
            f"line of {length} characters in a cable wrapped at {width} columns; "
            "lines were probably joined",
            fix,
        )


# ---- CBL512 duplicated-lines ---------------------------------------------------------------------
_EXEMPT_LINE = re.compile(r"(?i)sipdis$|[\W_]*$")


def _exempt(content: str) -> bool:
    """Whether a repeated line is one that cables repeat: SIPDIS, a redaction, punctuation."""
    return _EXEMPT_LINE.match(content) is not None or is_redaction(content.rstrip(" ,."))


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text after its mark, its lines joined by spaces."""
    parts = [line.content for line in paragraph.lines if line.kind != "SECTION"]
    return " ".join(parts)[paragraph.mark_end - paragraph.span.start :]


def _opening(paragraph: Paragraph) -> tuple[str, ...]:
    """The first three words of the paragraph's text after its mark, which whitespace
    normalisation keeps: split from its first line when that holds three words (a slice of one
    line, where counting letters read the whole paragraph), else from the whole text."""
    first = paragraph.lines[0].content
    words = first[paragraph.mark_end - paragraph.span.start :].split(maxsplit=3)
    if len(words) < 3:
        words = _paragraph_text(paragraph).split(maxsplit=3)
    return tuple(words[:3])


def _last_text_line(paragraph) -> Span:
    for line in reversed(paragraph.lines):
        if not line.blank and line.kind != "SECTION":
            return line.span
    return paragraph.span


@check("CBL512")
def duplicated_lines(ctx: CheckContext) -> Iterator[Finding]:
    yield from _repeated_lines(ctx, int(ctx.options.get("min-length", 20)))
    yield from _q_copies(ctx)
    yield from _repeated_paragraphs(ctx, bool(ctx.options.get("distant-paragraphs", False)))


_SAFE_PAIRS = 3  # more adjacent repeats than this in one file are a pattern, not a slip


def _repeated_lines(ctx: CheckContext, min_length: int) -> Iterator[Finding]:
    """Lines that repeat the line above them; a run of copies is reported once, at its first
    copy. Deleting the copy is safe only for a lone pair: a run of three or more lines, or many
    repeats in one file, are a table or a systematic pattern an editor must look at."""
    cable, text = ctx.cable, ctx.text
    lines = cable.lines
    contents = line_contents(ctx)
    repeats = list(itertools.compress(range(1, len(lines)), map(eq, contents, contents[1:])))
    found = []
    for index in repeats:  # compared at C speed
        prev, line = lines[index - 1], lines[index]
        content = line.content
        if line.blank or (found and found[-1][-1] == index - 1):
            if found and found[-1][-1] == index - 1:
                found[-1].append(index)  # the run goes on
            continue
        routing = line.kind in ("ROUTE", "ROUTE_CONT") or (
            cable.header is not None
            and cable.header.span.start <= line.span.start < cable.header.span.end
        )
        if not routing and (len(content.strip()) < min_length or _exempt(content)):
            continue
        found.append([index])
    for run in found:
        prev, line, last = lines[run[0] - 1], lines[run[0]], lines[run[-1]]
        routing = line.kind in ("ROUTE", "ROUTE_CONT") or (
            cable.header is not None
            and cable.header.span.start <= line.span.start < cable.header.span.end
        )
        start = prev.span.end  # the newline before the copies, so a last line works too
        end = last.span.end
        if end < len(text):
            start, end = line.span.start, end + 1
        where = "header line" if routing else "line"
        copies = f"(line {prev.number})" + (f", {len(run)} copies" if len(run) > 1 else "")
        lone = len(run) == 1 and len(found) <= _SAFE_PAIRS
        fix = ctx.replace(
            start,
            end,
            "",
            "Delete the repeated line" if len(run) == 1 else "Delete the repeated lines",
            unsafe=not lone,
        )
        yield ctx.finding_on(
            line.content_span,
            f"{where} repeats the line above {copies}; expected it once",
            fix,
        )


def _q_copies(ctx: CheckContext) -> Iterator[Finding]:
    """Text repeated with a ``Q`` in front of it (model/copies.py): a whole line, or a run
    inside a reflowed paragraph. Deleting the ``Q`` and the copy is safe: the copy is exact."""
    text = ctx.text
    for copy in copies(ctx):
        start, end = copy.start, copy.end
        if copy.whole_line:
            line = ctx.line_at(start)
            original = ctx.in_file(ctx.line_at(copy.original).span).line
            message = (
                f"line repeats line {original} with a stray 'Q' in front (a copy made at a "
                "transmission break); expected it once"
            )
            cut_start, cut_end = line.start, line.span.end + 1
            if cut_end > len(text):  # the last line: take the newline before it
                cut_start, cut_end = ctx.line(line.number - 1).span.end, line.span.end
            fix = ctx.replace(cut_start, cut_end, "", "Delete the Q copy of the line")
        else:
            length = end - start - 1
            shown = text[start : min(end, start + 31)] + ("…" if end - start > 31 else "")
            message = (
                f"'{shown}' repeats the {length} characters before it with a stray 'Q' in "
                "front (a copy made at a transmission break); expected them once"
            )
            if text[end : end + 1] == " ":
                cut_start, cut_end = start, end + 1
            elif text[start - 1 : start] == " ":
                cut_start, cut_end = start - 1, end
            else:
                cut_start, cut_end = start, end
            fix = ctx.replace(cut_start, cut_end, "", "Delete the Q copy")
        yield ctx.finding(start, end, message, fix)


def _repeated_paragraphs(ctx: CheckContext, distant: bool) -> Iterator[Finding]:
    """Paragraphs whose number and text repeat an earlier paragraph, grouped into blocks."""
    paras = paragraphs(ctx)
    matches = _paragraph_matches(paras)
    blocks: list[list[tuple[int, int]]] = []
    for i, j in matches:
        if blocks and blocks[-1][-1][0] == i - 1 and blocks[-1][-1][1] == j - 1:
            blocks[-1].append((i, j))
        else:
            blocks.append([(i, j)])
    for block in blocks:
        copies = [paras[i] for i, _ in block]
        originals = [paras[j] for _, j in block]
        same_numbers = all(
            c.value is not None and c.value == o.value
            for c, o in zip(copies, originals, strict=True)
        )
        first, last = copies[0], copies[-1]
        label = ", ".join(f"¶{c.number.text}" if c.number else "¶?" for c in copies)
        if same_numbers:
            kind = "block of paragraphs" if len(copies) > 1 else "paragraph"
            message = (
                f"repeated {kind} ({label}) copies lines {ctx.in_file(originals[0].span).line}-"
                f"{ctx.in_file(_last_text_line(originals[-1])).line} with the same numbers; "
                "expected it once"
            )
        elif distant:
            line = ctx.in_file(originals[0].span).line
            message = f"paragraph text ({label}) repeats the text at line {line}"
        else:
            continue
        yield ctx.finding(first.span.start, last.span.end, message)


def _paragraph_matches(paras: Sequence[Paragraph]) -> list[tuple[int, int]]:
    """(index, index of the earlier copy) for each paragraph whose text, whitespace normalised,
    repeats an earlier one. Only paragraphs that open with the same words are normalised."""
    openings = [_opening(p) for p in paras]
    once: set[tuple[str, ...]] = set()
    shared: set[tuple[str, ...]] = set()  # the openings of two paragraphs or more
    for opening in openings:
        (shared if opening in once else once).add(opening)
    if not shared:
        return []  # the common case: no two paragraphs alike
    seen: dict[str, int] = {}
    matches: list[tuple[int, int]] = []
    for i, (paragraph, opening) in enumerate(zip(paras, openings, strict=True)):
        if opening not in shared:
            continue
        body = " ".join(_paragraph_text(paragraph).split())
        if len(body) < 60:
            continue
        earlier = seen.get(body)
        if earlier is None:
            seen[body] = i
        else:
            matches.append((i, earlier))
    return matches
