"""Where lines end and what a line says: the one definition the line table, the position index
and the rules share.

A line ends at a ``\\n`` or at a CR that no ``\\n`` follows (a lone CR); the CR of a CRLF stays
on its line, so every line end is one character and offsets add up. What a line says, its
*content*, is its text without trailing whitespace and CR: that is all the classifier, the
parsers and the rules read, so trailing whitespace and line ends never change the reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import accumulate, repeat
from operator import add

#: Whitespace a line may end in without it being part of what the line says.
TRAILING_WHITESPACE = " \t\u00a0\f\v"
#: What a line's content leaves out at its end.
NOT_CONTENT = TRAILING_WHITESPACE + "\r"
_LINE_BREAK = re.compile(r"\n|\r(?!\n)")


def split_lines(text: str) -> list[str]:
    """The pieces of ``text`` between line ends. The CR of a CRLF stays at the end of its
    piece; the last piece is the text after the last line end (empty if it ends with one)."""
    if "\r" not in text:  # the common case, at C speed
        return text.split("\n")
    return _LINE_BREAK.split(text)


def ends_with_line_end(text: str) -> bool:
    """Whether ``text`` ends with a line end (so its last piece is the empty one after it)."""
    return text.endswith(("\n", "\r"))


def line_content(line: str) -> str:
    """What a line (a piece of :func:`split_lines`) says: without trailing whitespace or CR."""
    return line.rstrip(NOT_CONTENT)


def line_contents(lines: list[str]) -> list[str]:
    """:func:`line_content` of each of ``lines``. A line with nothing to strip is its own
    content (``str.rstrip`` returns it, not a copy): stripping every line costs less than
    scanning the text for a line end after whitespace, once per kind of whitespace."""
    return list(map(str.rstrip, lines, repeat(NOT_CONTENT)))


def line_starts(lines: Iterable[str]) -> list[int]:
    """The offset of each of ``lines`` in the text :func:`split_lines` split them from: each
    start is the previous one plus its line's length and the line end, summed at C speed."""
    starts = list(accumulate(map(add, map(len, lines), repeat(1)), initial=0))
    starts.pop()  # the offset after the last line
    return starts
