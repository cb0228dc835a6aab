"""Helpers several check modules share: where an offset lies, and fast literal scans.

Python's ``re`` tries a pattern at every position unless the pattern starts with a literal, which
it finds at C speed. The rules therefore look for a literal (or a few) with ``str.find`` or a
literal-prefixed pattern, and only then try their full pattern there.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, count, repeat
from operator import attrgetter, contains
from typing import AnyStr

from cablelint.model.cable import Line, Node, Paragraph
from cablelint.model.copies import QCopy, q_copies
from cablelint.ruleset.registry import CheckContext, shared_fact

_CONTENT = attrgetter("content")
#: The letters a-z: ``not word.strip(ASCII_LOWER_LETTERS)`` tells a word made of them alone.
ASCII_LOWER_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: The letters a-z: ``text[-1:] in ASCII_LOWER`` tells a text that ends in one (not an empty one).
ASCII_LOWER = frozenset(ASCII_LOWER_LETTERS)
#: The letters A-Z and a-z: ``char in ASCII_LETTERS`` tells one (and not an empty string).
ASCII_LETTERS = frozenset(ASCII_LOWER_LETTERS + ASCII_LOWER_LETTERS.upper())


def item_at(ctx: CheckContext, offset: int) -> Node | None:
    """The body item (paragraph or block) whose lines hold ``offset``, if any."""
    body = ctx.cable.body
    index = bisect_right(_item_starts(ctx), offset) - 1
    if body is None or index < 0:
        return None
    item = body.items[index]
    return item if offset < item.span.end else None


@shared_fact
def line_contents(ctx: CheckContext) -> list[str]:
    """The content of every line, in order (without a CR): the lines' own strings, gathered at
    C speed (splitting the text again made new ones, 2-3x slower)."""
    return list(map(_CONTENT, ctx.cable.lines))


@shared_fact
def paragraphs(ctx: CheckContext) -> tuple[Paragraph, ...]:
    """``ctx.cable.paragraphs``, collected once for every rule."""
    return ctx.cable.paragraphs


def holding(lines: Sequence[Line], literal: str) -> Iterator[int]:
    """The indices of the lines whose content holds ``literal`` (tested at C speed)."""
    return compress(count(), map(contains, map(_CONTENT, lines), repeat(literal)))


def lines_at(ctx: CheckContext, offsets: Iterable[int]) -> Iterator[Line]:
    """The lines holding ``offsets`` (given in increasing order), each once."""
    last = None
    for offset in offsets:
        line = ctx.line_at(offset)
        if line is not last:
            last = line
            yield line


@shared_fact
def copies(ctx: CheckContext) -> tuple[QCopy, ...]:
    """The cable's Q copies (text repeated with a ``Q`` in front of it), in file order."""
    if "Q" not in ctx.text:
        return ()
    return q_copies(ctx.text, ctx.cable.lines)


@shared_fact
def _item_starts(ctx: CheckContext) -> tuple[int, ...]:
    body = ctx.cable.body
    return tuple(item.span.start for item in body.items) if body else ()


def find_all(
    text: AnyStr, literal: AnyStr, start: int = 0, end: int | None = None
) -> Iterator[int]:
    """Every offset where ``literal`` starts in ``text[start:end]`` (overlaps included)."""
    if literal[:1] not in text:  # one character is looked for at memchr speed
        return
    end = len(text) if end is None else end
    pos = text.find(literal, start, end)
    while pos != -1:
        yield pos
        pos = text.find(literal, pos + 1, end)


@shared_fact
def colons(ctx: CheckContext) -> list[int]:
    """The offset of every colon in the text, in order: three rules look for labels and times
    at colons (CBL107 twice, CBL313), and the scan, a resumed generator a colon, is made once."""
    return list(find_all(ctx.text, ":"))


def colons_in(ctx: CheckContext, start: int, end: int) -> list[int]:
    """The offsets of :func:`colons` in ``text[start:end]``."""
    found = colons(ctx)
    return found[bisect_left(found, start) : bisect_left(found, end)]


#: Non-ASCII characters that ``re.IGNORECASE`` matches to an ASCII letter (İ and ı to i, ſ to
#: s, the Kelvin sign to k); ``tests/test_checks_common.py`` checks the list against every
#: character.
IGNORECASE_TWINS = "\u0130\u0131\u017f\u212a"


#: Latin-1 bytes to what ``ascii_folded`` writes: A-Z lower-cased, every byte past ASCII ``?``.
_ASCII_FOLD = bytes.maketrans(
    ASCII_LOWER_LETTERS.upper().encode() + bytes(range(128, 256)),
    ASCII_LOWER_LETTERS.encode() + b"?" * 128,
)


@shared_fact
def latin1(ctx: CheckContext) -> bytes:
    """The text encoded as Latin-1, every character beyond it as ``?``: one byte per character,
    so that offsets carry over (encoding copies most texts as they are, where ASCII must replace
    each ``¶``; a text with a character beyond Latin-1 is read a character at a time, and is
    encoded once for :func:`ascii_folded` and CBL509)."""
    return ctx.text.encode("latin-1", "replace")


@shared_fact
def ascii_folded(ctx: CheckContext) -> bytes:
    """The text with ASCII letters lower-cased and every other character as ``?``: one byte per
    character, so that offsets carry over, for case-insensitive literal searches at C speed
    (:func:`latin1`, folded by one table)."""
    return latin1(ctx).translate(_ASCII_FOLD)
