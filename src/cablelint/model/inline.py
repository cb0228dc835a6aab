"""Markers and redactions in the body's prose, from grammar/inline.lark's terminals.

Every token holds one of the literals "summ", "comm", "text", "quote" or "xxxx" (in any case):
they are found at C speed in the ASCII-folded body text, and only the lines holding one, with
the lines either side of them in their paragraph or block, are scanned (so that a marker broken
at a hard wrap is found). A token counts when its first line is a prose line.

inline.lark's REDACTION is the one definition of a redaction: :func:`redaction_runs` and
:func:`is_redaction` find it outside body prose too (a SUBJECT line, a banner's station, a
signature line), for the rules that look there.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from operator import attrgetter

from cablelint.model import cable as m
from cablelint.model.diagnostics import Span
from cablelint.syntax.parse import inline_scanner

#: Line kinds that hold body prose (not section lines, underlines or stray header lines).
PROSE_KINDS = frozenset({"PARA", "TEXT", "WORD", "UWORD", "ITEM", "LETTERED", "NOTE", "RECORD"})
#: Every inline token holds one of these, lower-cased (grammar/inline.lark says so).
LITERALS = (b"summ", b"comm", b"text", b"quote", b"xxxx")
#: The literal of the REDACTION terminal (a run of four x or more), lower-cased.
REDACTION_LITERAL = "xxxx"
CANONICAL_REDACTION = "XXXXXXXXXXXX"
_START = attrgetter("start")


def may_hold_redaction(text: str, body: m.Body | None) -> bool:
    """Whether ``body`` may hold a redaction (inline.lark's REDACTION: a run of four or more x
    or X): False, at C speed, when no run of four x is in it."""
    return body is not None and _holds_run(text, body.span.start, body.span.end)


def _holds_run(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a run of four x in any case, found at C speed without
    a lowered copy of the text: only X lowers to x, so a run in mixed case changes case
    somewhere (``xX`` or ``Xx``), and only then is the text lowered."""
    if text.find("xxxx", start, end) != -1 or text.find("XXXX", start, end) != -1:
        return True
    return _changes_case(text, start, end) and REDACTION_LITERAL in text[start:end].lower()


def _changes_case(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds ``xX`` or ``Xx``: an X beside one of its x, found
    from the x alone (a search for one character is the quickest; few texts hold many x)."""
    at = text.find("x", start, end)
    while at != -1:
        if "X" in text[max(at - 1, start) : at + 2]:
            return True
        at = text.find("x", at + 1, end)
    return False


def redaction_runs(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each redaction (inline.lark's REDACTION) in ``text[start:end]``, in
    any line: body prose, metadata, header. The characters before ``start`` count for what the
    run is glued to, as in the whole text."""
    end = len(text) if end is None else end
    if not _holds_run(text, start, end):  # at C speed: most texts hold none
        return
    for match in inline_scanner().redaction.finditer(text, start, end):
        yield match.span()


def is_redaction(text: str) -> bool:
    """Whether ``text`` is one redaction and nothing else (inline.lark's REDACTION)."""
    return inline_scanner().redaction.fullmatch(text) is not None


def body_inline(text: str, body: m.Body | None) -> m.InlineNodes:
    """The markers and redactions of ``body``'s prose, each in file order."""
    if body is None:
        return (), ()
    return _nodes(text, body, LITERALS, 1, inline_scanner().scan)


def body_redactions(text: str, body: m.Body | None) -> tuple[m.Redaction, ...]:
    """The redactions of :func:`body_inline`, found without the markers: only the prose lines
    that hold a run of four x are scanned (a redaction lies on one line), for the REDACTION
    terminal alone. No marker holds such a run or starts with an x, so no marker can hide a
    redaction from the full scan (tests/test_inline.py compares the two)."""
    if not may_hold_redaction(text, body):
        return ()
    assert body is not None
    lines = body.lines
    starts = list(map(_START, lines))  # the stored offsets: a line makes its span when asked
    scan = inline_scanner().redaction
    found = []
    for i in _run_lines(text, body, starts):
        line = lines[i]
        if line.kind not in PROSE_KINDS:
            continue
        # The characters around a line (line ends, trailing whitespace) glue no run: the
        # line's matches in the text are those in the line alone.
        for match in scan.finditer(text, line.start, line.start + len(line.content)):
            a, b = match.span()
            found.append(_redaction(text, _span(line, a, b), line, line))
    return tuple(found)


def _run_lines(text: str, body: m.Body, starts: list[int]) -> list[int]:
    """Indexes in ``body.lines`` of the lines that hold a run of four x in any case, in order:
    found in the text as it is, and in its ASCII-folded copy only where the case changes."""
    start, end = body.span.start, body.span.end
    if _changes_case(text, start, end):
        return _hit_lines(text, body, starts, (REDACTION_LITERAL.encode(),))
    found = []
    for literal in (REDACTION_LITERAL, REDACTION_LITERAL.upper()):
        at = text.find(literal, start, end)
        while at != -1:
            i = bisect_right(starts, at) - 1
            found.append(i)
            after = starts[i + 1] if i + 1 < len(starts) else end  # the next line on
            at = text.find(literal, after, end)
    return sorted(set(found))


def _nodes(
    text: str,
    body: m.Body,
    literals: tuple[bytes, ...],
    reach: int,
    scan: Callable[[str, int | None], list[tuple[str, int, int]]],
) -> m.InlineNodes:
    """The tokens ``scan`` finds in the regions around the lines holding one of ``literals``
    (``reach`` lines either side)."""
    lines = body.lines
    starts = list(map(_START, lines))  # the stored offsets: a line makes its span when asked
    markers: list[m.Marker] = []
    redactions: list[m.Redaction] = []
    for base, end, lead in _regions(text, body, starts, literals, reach):
        for rule, a, b in scan(text[base:end], lead):
            first = lines[bisect_right(starts, base + a) - 1]
            if first.kind not in PROSE_KINDS:
                continue
            last = lines[bisect_right(starts, base + b - 1) - 1]
            span = Span(
                base + a,
                base + b,
                first.number,
                base + a - first.start + 1,
                last.number,
                base + b - last.start + 1,
            )
            if rule == "redaction":
                redactions.append(_redaction(text, span, first, last))
            else:
                markers.append(m.Marker(span, rule.replace("_", "-"), text[base + a : base + b]))
    return tuple(markers), tuple(redactions)


def _redaction(text: str, span: Span, first: m.Line, last: m.Line) -> m.Redaction:
    """The redaction at ``span``, from ``first`` line to ``last``."""
    token = text[span.start : span.end]
    before = _glued_before(text, span.start, first)
    after = _glued_after(text, span.end, last)
    return m.Redaction(span, token, token == CANONICAL_REDACTION, before, after)


def _glued_before(text: str, at: int, line: m.Line) -> m.Piece | None:
    """The letters and digits glued before a redaction that starts at ``at`` on ``line``."""
    i, begin = at, line.start
    while i > begin and text[i - 1].isalnum():
        i -= 1
    return m.Piece(_span(line, i, at), text[i:at]) if i < at else None


def _glued_after(text: str, at: int, line: m.Line) -> m.Piece | None:
    """The letters and digits glued after a redaction that ends at ``at`` on ``line``."""
    j, end = at, line.start + len(line.content)
    while j < end and text[j].isalnum():
        j += 1
    return m.Piece(_span(line, at, j), text[at:j]) if j > at else None


def _span(line: m.Line, start: int, end: int) -> Span:
    """The span of ``line``'s characters from offset ``start`` to ``end``."""
    column = start - line.start + 1
    return Span(start, end, line.number, column, line.number, column + end - start)


def _regions(
    text: str, body: m.Body, starts: list[int], literals: tuple[bytes, ...], reach: int
) -> list[tuple[int, int, int | None]]:
    """``(start, end, lead)`` of the text to scan: each line holding one of ``literals`` with
    the ``reach`` lines either side of it in its paragraph or block (a marker spans at most
    two lines: reach 1); ``lead`` where the region starts a paragraph's text."""
    lines, items = body.lines, body.items
    first_number = lines[0].number
    item_starts = [item.lines[0].number - first_number for item in items]
    regions: list[tuple[int, int, m.Node]] = []
    for hit in _hit_lines(text, body, starts, literals):
        item = items[bisect_right(item_starts, hit) - 1]
        low = item.lines[0].number - first_number
        high = item.lines[-1].number - first_number
        window = (max(low, hit - reach), min(high, hit + reach), item)
        if window[0] > window[1]:  # not in a paragraph or block (defensive: blank lines)
            continue
        if regions and regions[-1][2] is item and window[0] <= regions[-1][1]:
            window = (regions.pop()[0], window[1], item)
        regions.append(window)
    found = []
    for a, b, item in regions:
        end = lines[b].start + len(lines[b].content)
        lead = _lead(item) if lines[a] is item.lines[0] else None
        found.append((starts[a], end, lead))
    return found


def _hit_lines(
    text: str, body: m.Body, starts: list[int], literals: tuple[bytes, ...]
) -> list[int]:
    """Indexes in ``body.lines`` of the lines that hold one of ``literals``, in order."""
    base = body.span.start
    folded = text[base : body.span.end].encode("ascii", "replace").lower()
    relative = [start - base for start in starts]
    found: set[int] = set()
    for literal in literals:
        pos = folded.find(literal)
        while pos != -1:
            found.add(bisect_right(relative, pos) - 1)
            pos = folded.find(literal, pos + 1)
    return sorted(found)


def _lead(item: m.Node) -> int | None:
    """Where the paragraph's text starts, as an offset into its first line."""
    if isinstance(item, m.Paragraph):
        return item.body.span.start - item.span.start if item.body is not None else None
    first = item.lines[0].content
    return len(first) - len(first.lstrip())
