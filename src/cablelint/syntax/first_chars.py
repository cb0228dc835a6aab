"""Which characters a grammar terminal's match can start (and end) with: a small, conservative
reading of the regular expressions in grammar/*.lark.

The line classifier tries only the terminals a line's first character can start (see
``parse.LineClassifier``); the search for a glued label stops after the last character a match
can end with (``parse.glued_labels``). The reading knows the regex syntax the grammars use
(literals, escapes, classes, groups, alternation, lookarounds, quantifiers); anything else makes
it answer "any character" (or, for the end, "unknown"), which is always safe."""

from __future__ import annotations

import re
from functools import cache
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
    its first character, and whether it can match the empty string; and the characters its
    last one can be, if only literal characters (None if any other, or if an assertion may
    look past its end)."""

    classes: tuple[str, ...]
    nullable: bool
    ends: frozenset[str] | None = None


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


def starts_beyond_latin_1(regex: str) -> bool:
    """Whether a non-empty match of ``regex`` may start with a character beyond Latin-1 (True
    where the reading cannot tell)."""
    return re.search(first_class(regex), _beyond_latin_1()) is not None


@cache
def _beyond_latin_1() -> str:
    """Every character beyond Latin-1, surrogates left out (made when the tables are built)."""
    return "".join(map(chr, [*range(256, 0xD800), *range(0xE000, 0x110000)]))


def last_chars(regex: str) -> frozenset[str] | None:
    """The characters every match of ``regex`` ends with, when they are literal characters and
    nothing in the regex looks past a match's end (so a search may stop after the last of them
    in a text); else None."""
    try:
        reader = _Reader(regex)
        found = reader.alternation()
        if reader.pos != len(regex) or reader.looks_ahead or found.nullable:
            return None
    except _Unknown:
        return None
    return found.ends


#: The digits :func:`digit_blind` compares.
DIGITS = "0123456789"


def digit_blind(regex: str) -> bool:
    """Whether ``regex`` cannot tell one ASCII digit from another: every character it matches
    or looks at is matched by an atom (a literal, an escape, a class) that takes all ten
    digits or none. Then a text with its digits changed has the matches of the text, at the
    same offsets (``\\b`` and ``\\w`` count every digit as a word character). False where the
    reading cannot tell (inline flags, back references ...)."""
    try:
        reader = _Reader(regex)
        reader.alternation()
        if reader.pos != len(regex):
            raise _Unknown(regex)
    except _Unknown:
        return False
    return all(_all_or_none(re.compile(atom).fullmatch) for atom in set(reader.atoms))


def _all_or_none(fullmatch) -> bool:
    return len({fullmatch(digit) is None for digit in DIGITS}) == 1


class _Reader:
    """A recursive-descent reading of a regex: alternation, sequence, quantified atom."""

    def __init__(self, regex: str) -> None:
        self.regex = regex
        self.pos = 0
        self.looks_ahead = False  # a lookahead or end anchor: it may look past a match's end
        self.atoms: list[str] = []  # each atom that matches one character, as regex text

    def alternation(self) -> First:
        branches = [self.sequence()]
        while self._peek("|"):
            self.pos += 1
            branches.append(self.sequence())
        ends = [b.ends for b in branches]
        return First(
            tuple(c for b in branches for c in b.classes),
            any(b.nullable for b in branches),
            None if None in ends else frozenset().union(*ends),
        )

    def sequence(self) -> First:
        items: list[First] = []
        while self.pos < len(self.regex) and self.regex[self.pos] not in "|)":
            items.append(self.quantified())
        classes: list[str] = []
        for item in items:  # what comes after a piece that may be empty may come first
            classes.extend(item.classes)
            if not item.nullable:
                break
        return First(tuple(classes), all(i.nullable for i in items), _ends(items))

    def quantified(self) -> First:
        item = self.atom()
        found = _QUANTIFIER.match(self.regex, self.pos)
        if found is None:
            return item
        self.pos = found.end()
        low = found.group(1)
        optional = found.group()[0] in "*?" or (found.group()[0] == "{" and not int(low or 0))
        return First(item.classes, item.nullable or optional, item.ends)

    def atom(self) -> First:
        regex, pos = self.regex, self.pos
        char = regex[pos]
        if char == "(":
            return self._group()
        if char == "[":
            end = _class_end(regex, pos)
            self.pos = end
            self.atoms.append(regex[pos:end])
            return First((regex[pos:end],), False, None)
        if char == "\\":
            return self._escape()
        if char in "^$":
            self.pos += 1
            self.looks_ahead = self.looks_ahead or char == "$"
            return First((), True, None)
        if char in "*+?{":
            raise _Unknown(regex)
        self.pos += 1
        self.atoms.append(re.escape(char) if char != "." else char)
        if char == ".":
            return First((ANY,), False, None)
        return First((re.escape(char),), False, frozenset(char))

    def _group(self) -> First:
        regex, pos = self.regex, self.pos
        if regex.startswith(_LOOKAROUND, pos):  # matches no character
            behind = regex[pos + 2] == "<"
            self.pos = pos + (4 if behind else 3)
            self.looks_ahead = self.looks_ahead or not behind
            self._closed()
            return First((), True, frozenset() if behind else None)
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
        if char in _ZERO_WIDTH_ESCAPES:  # \b and \B look at the next character, \Z past it
            self.pos = pos + 2
            self.looks_ahead = self.looks_ahead or char == "Z"
            return First((), True, None)
        if char in _CLASS_ESCAPES:
            self.pos = pos + 2
            self.atoms.append(regex[pos : pos + 2])
            return First((regex[pos : pos + 2],), False, None)
        if not char.isalnum():
            self.pos = pos + 2
            self.atoms.append(regex[pos : pos + 2])
            return First((regex[pos : pos + 2],), False, frozenset(char))
        found = re.compile(r"\\(?:[ntrfv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})").match(regex, pos)
        if found is None:  # a back reference, a named character ...
            raise _Unknown(regex)
        self.pos = found.end()
        self.atoms.append(found.group())
        return First((found.group(),), False, None)

    def _peek(self, char: str) -> bool:
        return self.pos < len(self.regex) and self.regex[self.pos] == char


def _ends(items: list[First]) -> frozenset[str] | None:
    """What a sequence's last character can be: its last piece's, and the one's before it while
    the pieces after may be empty (None if any of them is not only literal characters)."""
    ends: frozenset[str] = frozenset()
    for item in reversed(items):
        if item.ends is None:
            return None
        ends |= item.ends
        if not item.nullable:
            break
    return ends


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
