"""Q copies: text that a transmission system repeated with a ``Q`` in front of it.

At a page or block break some systems the cables went through repeated the last line sent,
prefixed with a ``Q`` (``Qprovides a mechanism for ...`` right below ``provides a mechanism
for ...``). In a hard-wrapped cable the copy is a line of its own; in a reflowed one (one line
per paragraph) it runs on in the paragraph (``... townships in flames, Qsuppression, torture,
murder, strikes, townships in flames, and ...``). A paragraph mark is copied without its pilcrow
(the release adds the pilcrow only at a line start): ``Q4. (S) Comment`` copies ``¶4. (S)
Comment``. The copy may follow its original a few lines later, and a space may follow the ``Q``.

These are facts about the text, found once per cable; CBL512 reports them and CBL507 leaves
their ``Q`` alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from operator import attrgetter
from typing import NamedTuple

from cablelint.model.cable import Line

#: Shortest copied text (stripped) of a whole-line copy, and of a copy inside a line: shorter
#: repeats could be chance.
MIN_LINE_COPY, MIN_INLINE_COPY = 12, 20
#: How many non-blank lines above a whole-line copy its original may stand.
LINES_BACK = 3
#: The longest run compared inside a line (a wrapped line is shorter).
MAX_INLINE_COPY = 200


_START = attrgetter("start")


class QCopy(NamedTuple):
    """A ``Q`` and the text after it that repeats earlier text (offsets into the cable text)."""

    start: int  # the Q
    end: int  # just after the copied text
    original: int  # where the text it repeats starts
    original_end: int
    whole_line: bool  # the copy is a line of its own (else it runs on inside a line)


def _plain(content: str) -> str:
    """A line's text as a copy repeats it: stripped, without a leading pilcrow."""
    stripped = content.strip()
    return stripped[1:] if stripped.startswith("¶") else stripped


def q_copies(text: str, lines: Sequence[Line], start: int = 0) -> tuple[QCopy, ...]:
    """Every Q copy in the lines that start at or after offset ``start``, in file order.

    The lines tried are those holding a ``Q``: each found from the Qs of the text (str.find,
    memchr speed; a cable holds two or three, half of them none) and the line starts."""
    found: list[QCopy] = []
    q = text.find("Q", start)
    while q != -1:
        index = bisect_right(lines, q, key=_START) - 1
        line = lines[index]
        if line.start >= start:
            copy = _line_copy(lines, index)
            if copy is not None:
                found.append(copy)
            else:
                found.extend(_inline_copies(text, line))
        q = text.find("Q", line.start + len(line.content))  # the next line's Q, if any
    return tuple(found)


def _lines_above(lines: Sequence[Line], index: int) -> list[Line]:
    """The LINES_BACK non-blank lines above ``lines[index]``, nearest last."""
    above: list[Line] = []
    while index > 0 and len(above) < LINES_BACK:
        index -= 1
        if not lines[index].blank:
            above.insert(0, lines[index])
    return above


def _line_copy(lines: Sequence[Line], index: int) -> QCopy | None:
    """The whole-line copy that ``lines[index]`` is, if it is one."""
    line = lines[index]
    content = line.content
    stripped = content.lstrip()
    if not stripped.startswith("Q"):
        return None
    copied = stripped[1:].strip()
    if len(copied) < MIN_LINE_COPY:
        return None
    for earlier in reversed(_lines_above(lines, index)):
        if copied in (earlier.content.strip(), _plain(earlier.content)):
            q = line.start + len(content) - len(stripped)
            lead = len(earlier.content) - len(earlier.content.lstrip())
            return QCopy(
                q,
                line.start + len(content),
                earlier.start + lead,
                earlier.start + len(earlier.content),
                True,
            )
    return None


def _inline_copies(text: str, line: Line) -> list[QCopy]:
    """Copies inside ``line``: a ``Q`` (after a space) whose following text repeats the text
    just before it, which starts at a word or line start."""
    content, base = line.content, line.start
    found = []
    q = content.find("Q", MIN_INLINE_COPY)
    while q != -1:
        copy = _inline_copy(content, q)
        if copy is not None:
            original, length = copy
            found.append(
                QCopy(base + q, base + q + 1 + length, base + original, base + q - 1, False)
            )
        q = content.find("Q", q + 1)
    return found


def _inline_copy(content: str, q: int) -> tuple[int, int] | None:
    """(start of the original, length of the copy) for the Q at ``q``, or None. The longest
    original that starts a word is taken."""
    before_end = q - 1 if content[q - 1] == " " else q
    after = q + 2 if content[q + 1 : q + 2] == " " else q + 1
    lowest = max(0, before_end - MAX_INLINE_COPY)
    if content.find(content[after : after + MIN_INLINE_COPY - 1], lowest, before_end) == -1:
        return None  # the copy's start is not in the text before it (found at C speed)
    best = None
    for length in range(MIN_INLINE_COPY, min(MAX_INLINE_COPY, before_end) + 1):
        start = before_end - length
        original = content[start:before_end]
        if start > 0 and content[start - 1] != " ":
            continue
        key = original[1:] if original.startswith("¶") else original
        if content.startswith(key, after) and (
            after + len(key) == len(content)
            or not content[after + len(key)].isalnum()
            or not key[-1].isalnum()
        ):
            best = (start, after - q - 1 + len(key))
    return best
