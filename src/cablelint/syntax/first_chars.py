"""Which characters a grammar terminal's match can start with: a small, conservative reading of
the regular expressions in grammar/*.lark.

The line classifier tries only the terminals a line's first character can start (see
``parse.LineClassifier``). The reading knows the regex syntax the grammars use (literals,
escapes, classes, groups, alternation, lookarounds, quantifiers); anything else makes it answer
"any character", which is always safe: a terminal is then tried on every line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: A character class (as regex text) that matches any character: the safe answer.
ANY = r"[\s\S]"
#: Escapes that match one character of a class.
_CLASS_ESCAPES = frozenset("dDsSwW")
#: Escapes that match no character (assertions).
_ZERO_WIDTH_ESCAPES = frozenset("bBAZ")
_QUANTIFIER = re.compile(r"(?:[*+?]|\{(\d*)(?:,(\d*))?\})[?+]?")
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
_PLAIN_GROUPS = ("(?:", "(?>")


#: The characters :func:`latin_1_first_chars` answers for.
LATIN_1 = "".join(map(chr, range(256)))


class _Unknown(Exception):
    """The regex uses syntax this reading does not know."""


class First(NamedTuple):
    """What a piece of a regex can start with: the classes (regex text, one character each) of
    its first character, and whether it can match the empty string."""

    classes: tuple[str, ...]
    nullable: bool


def first_class(regex: str) -> str:
    """A character class (regex text) matching every character a non-empty match of ``regex``
    can start with, and perhaps more (:data:`ANY` where the reading cannot tell)."""
    try:
        reader = _Reader(regex)
        first = reader.alternation()
        if reader.pos != len(regex):
            raise _Unknown(regex)
    except _Unknown:
        return ANY
    return "|".join(dict.fromkeys(first.classes)) or "(?!)"


def latin_1_first_chars(regex: str) -> str:
    """The Latin-1 characters a non-empty match of ``regex`` can start with (perhaps more)."""
    return "".join(re.findall(first_class(regex), LATIN_1))


class _Reader:
    """A recursive-descent reading of a regex: alternation, sequence, quantified atom."""

    def __init__(self, regex: str) -> None:
        self.regex = regex
        self.pos = 0

    def alternation(self) -> First:
        branches = [self.sequence()]
        while self._peek("|"):
            self.pos += 1
            branches.append(self.sequence())
        return First(
            tuple(c for b in branches for c in b.classes), any(b.nullable for b in branches)
        )

    def sequence(self) -> First:
        classes: list[str] = []
        nullable = True
        while self.pos < len(self.regex) and self.regex[self.pos] not in "|)":
            item = self.quantified()
            if nullable:  # what comes after a piece that may be empty may come first
                classes.extend(item.classes)
                nullable = item.nullable
        return First(tuple(classes), nullable)

    def quantified(self) -> First:
        item = self.atom()
        found = _QUANTIFIER.match(self.regex, self.pos)
        if found is None:
            return item
        self.pos = found.end()
        low = found.group(1)
        optional = found.group()[0] in "*?" or (found.group()[0] == "{" and not int(low or 0))
        return First(item.classes, item.nullable or optional)

    def atom(self) -> First:
        regex, pos = self.regex, self.pos
        char = regex[pos]
        if char == "(":
            return self._group()
        if char == "[":
            end = _class_end(regex, pos)
            self.pos = end
            return First((regex[pos:end],), False)
        if char == "\\":
            return self._escape()
        if char in "^$":
            self.pos += 1
            return First((), True)
        if char in "*+?{":
            raise _Unknown(regex)
        self.pos += 1
        return First((ANY,) if char == "." else (re.escape(char),), False)

    def _group(self) -> First:
        regex, pos = self.regex, self.pos
        if regex.startswith(_LOOKAROUND, pos):  # matches no character
            self.pos = pos + (4 if regex[pos + 2] == "<" else 3)
            self._closed()
            return First((), True)
        if regex.startswith(_PLAIN_GROUPS, pos):
            self.pos = pos + 3
        elif regex.startswith("(?P<", pos):
            self.pos = regex.index(">", pos) + 1
        elif regex.startswith("(?", pos):  # inline flags, conditionals, comments ...
            raise _Unknown(regex)
        else:
            self.pos = pos + 1
        return self._closed()

    def _closed(self) -> First:
        inner = self.alternation()
        if not self._peek(")"):
            raise _Unknown(self.regex)
        self.pos += 1
        return inner

    def _escape(self) -> First:
        regex, pos = self.regex, self.pos
        if pos + 1 >= len(regex):
            raise _Unknown(regex)
        char = regex[pos + 1]
        if char in _ZERO_WIDTH_ESCAPES:
            self.pos = pos + 2
            return First((), True)
        if char in _CLASS_ESCAPES or not char.isalnum():
            self.pos = pos + 2
            return First((regex[pos : pos + 2],), False)
        found = re.compile(r"\\(?:[ntrfv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})").match(regex, pos)
        if found is None:  # a back reference, a named character ...
            raise _Unknown(regex)
        self.pos = found.end()
        return First((found.group(),), False)

    def _peek(self, char: str) -> bool:
        return self.pos < len(self.regex) and self.regex[self.pos] == char


def _class_end(regex: str, pos: int) -> int:
    """The offset after the character class that opens at ``pos``."""
    i = pos + 1
    if regex.startswith("^", i):
        i += 1
    if regex.startswith("]", i):
        i += 1
    while i < len(regex):
        if regex[i] == "\\":
            i += 2
        elif regex[i] == "[":
            raise _Unknown(regex)  # a nested set (a FutureWarning in Python): not read
        elif regex[i] == "]":
            return i + 1
        else:
            i += 1
    raise _Unknown(regex)
