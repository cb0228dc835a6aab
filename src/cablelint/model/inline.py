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
    if text.find("xX", start, end) == -1 and text.find("Xx", start, end) == -1:
        return False
    return REDACTION_LITERAL in text[start:end].lower()


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
    """The redactions of :func:`body_inline`, found without the markers: only the lines that
    hold a run of four x are scanned (not the lines either side: a redaction lies on one
    line), for the REDACTION terminal alone. No marker holds such a run or starts with an x,
    so no marker can hide a redaction from the full scan (tests/test_inline.py compares the
    two)."""
    if not may_hold_redaction(text, body):
        return ()
    assert body is not None
    scan = inline_scanner().scan_redactions
    literals = (REDACTION_LITERAL.encode(),)
    return _nodes(text, body, literals, 0, lambda region, lead: scan(region))[1]


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
            token = text[base + a : base + b]
            if rule == "redaction":
                before = _glued_before(text, base + a, first)
                after = _glued_after(text, base + b, last)
                canonical = token == CANONICAL_REDACTION
                redactions.append(m.Redaction(span, token, canonical, before, after))
            else:
                markers.append(m.Marker(span, rule.replace("_", "-"), token))
    return tuple(markers), tuple(redactions)


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
