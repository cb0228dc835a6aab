"""First-character dispatch for an alternation of named regexes matched with ``fullmatch``.

``fullmatch`` of ``(?P<A>a)|(?P<B>b)|...`` yields the first alternative, in order, that matches
the whole string. An alternative whose every match starts with a character other than the
string's first character cannot be that one, so leaving it out changes nothing. Each regex's
possible first characters come from the regex parser (``re._parser``); anything the analysis
does not understand counts as "any character", so the sets are always supersets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from re import _constants as _c  # the regex parser's tree (Python 3.11+, as required)
from re import _parser as _p

from . import recache

#: "Any character": the analysis could not bound the first character.
ANY: frozenset[str] | None = None
#: In a first-character set: any decimal digit (``\\d``, which matches what ``str.isdecimal``
#: accepts), kept as one marker rather than the 700 characters. It is two characters long, so it
#: is never a first character itself.
DECIMAL = "\\d"
_MAX_RANGE = 4096  # wider character ranges count as ANY (cheap and still sound)
#: Lines starting with a character before its own pattern is compiled (about 2 ms each).
COMPILE_AFTER = 256
#: The same when recache holds the pattern's code (then compiling takes about 15 us).
COMPILE_CACHED_AFTER = 32


def first_chars(regex: str) -> tuple[frozenset[str] | None, bool]:
    """The characters a match of ``regex`` can start with (None: any), and whether it can be
    empty."""
    try:
        parsed = _p.parse(regex)
    except re.error:
        return ANY, True
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return ANY, True
    return _sequence(list(parsed))


def _sequence(items) -> tuple[frozenset[str] | None, bool]:
    chars: set[str] = set()
    for op, arg in items:
        first, nullable = _item(op, arg)
        if first is None:
            return ANY, True  # conservative: "any" (nullability no longer matters)
        chars |= first
        if not nullable:
            return frozenset(chars), False
    return frozenset(chars), True


def _item(op, arg) -> tuple[frozenset[str] | None, bool]:
    if op is _c.LITERAL:
        return frozenset(chr(arg)), False
    if op is _c.IN:
        return _in(arg), False
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = arg
        if add_flags & (re.IGNORECASE | re.VERBOSE):
            return ANY, True
        return _sequence(list(sub))
    if op is _c.BRANCH:
        chars: set[str] = set()
        nullable = False
        for alternative in arg[1]:
            first, empty = _sequence(list(alternative))
            if first is None:
                return ANY, True
            chars |= first
            nullable = nullable or empty
        return frozenset(chars), nullable
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, sub = arg
        first, empty = _sequence(list(sub))
        return first, empty or low == 0
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return frozenset(), True  # zero width: the next item decides (a superset stays sound)
    return ANY, True


def _in(items) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is _c.LITERAL:
            chars.add(chr(arg))
        elif op is _c.RANGE and arg[1] - arg[0] <= _MAX_RANGE:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is _c.CATEGORY and arg is _c.CATEGORY_DIGIT:
            chars.add(DECIMAL)
        else:  # NEGATE, another CATEGORY, a wide RANGE: any
            return ANY
    return frozenset(chars)


def can_start(chars: frozenset[str] | None, first: str) -> bool:
    """Whether a match whose first characters are ``chars`` can start with ``first``."""
    return chars is None or first in chars or (DECIMAL in chars and first.isdecimal())


class FirstCharDispatch:
    """``fullmatch`` of the ordered alternation of ``(name, regex)``, per first character."""

    def __init__(
        self,
        alternatives: Sequence[tuple[str, str]],
        starts: Sequence[tuple[frozenset[str] | None, bool]] | None = None,
    ) -> None:
        """``starts``: each alternative's :func:`first_chars`, if already known."""
        self.alternatives = list(alternatives)
        self.starts = (
            list(starts)
            if starts is not None
            else [first_chars(regex) for _name, regex in self.alternatives]
        )
        #: The whole alternation.
        self.pattern = named_alternation(self.alternatives)
        #: The last alternative's name when it is ``.+``: it takes every non-empty line that no
        #: other alternative takes, so the patterns leave it out (no scan of the line, no match
        #: object) and a line they do not match is of this kind.
        last_name, last_regex = self.alternatives[-1] if self.alternatives else ("", "")
        self.catch_all = last_name if last_regex == ".+" else None
        self._tried = len(self.alternatives) - (self.catch_all is not None)
        self._by_char: dict[str, Callable[[str], re.Match[str] | None]] = {}
        self._by_names: dict[tuple[int, ...], Callable[[str], re.Match[str] | None]] = {}
        self._seen: dict[str, int] = {}
        #: The whole alternation, used for a first character until it has been seen often
        #: enough to pay for compiling its own pattern (a one-file run compiles none).
        self.full = self._compile(tuple(range(self._tried)))

    def candidates(self, first: str) -> tuple[int, ...]:
        """Indexes of the alternatives that can match a string starting with ``first`` ("" for
        the empty string)."""
        if not first:
            return tuple(i for i, (_chars, empty) in enumerate(self.starts) if empty)
        starts = self.starts[: self._tried]
        return tuple(i for i, (chars, _empty) in enumerate(starts) if can_start(chars, first))

    def _compile(self, chosen: tuple[int, ...]) -> Callable[[str], re.Match[str] | None]:
        found = self._by_names.get(chosen)
        if found is None:
            pattern = named_alternation([self.alternatives[i] for i in chosen])
            found = recache.compile(pattern).fullmatch
            self._by_names[chosen] = found
        return found

    def matcher(self, first: str) -> Callable[[str], re.Match[str] | None]:
        """The ``fullmatch`` for strings starting with ``first`` (the full one until the
        character has been seen :data:`COMPILE_AFTER` times, or :data:`COMPILE_CACHED_AFTER`
        times if recache holds its pattern's code)."""
        found = self._by_char.get(first)
        if found is not None:
            return found
        seen = self._seen[first] = self._seen.get(first, 0) + 1
        if seen < COMPILE_AFTER and seen != COMPILE_CACHED_AFTER:
            return self.full
        chosen = self.candidates(first)
        if seen < COMPILE_AFTER and not self._cached(chosen):
            return self.full
        found = self._by_char[first] = self._compile(chosen)
        return found

    def _cached(self, chosen: tuple[int, ...]) -> bool:
        return chosen in self._by_names or recache.holds(
            named_alternation([self.alternatives[i] for i in chosen])
        )

    def kinds(self, lines: Sequence[str], default: str = "TEXT") -> list[str]:
        """The name of the first alternative matching each of ``lines`` whole, or ``default``."""
        by_char = self._by_char
        matcher = self.matcher
        found = self.full("")  # the catch-all, left out, cannot match "" either
        empty = found.lastgroup if found else default  # the commonest line, decided once
        other = self.catch_all or default
        kinds = []
        append = kinds.append
        for line in lines:
            if not line:
                append(empty)
                continue
            key = line[:1]
            match = (by_char.get(key) or matcher(key))(line)
            append(match.lastgroup if match else other)
        return kinds


def named_alternation(alternatives: Sequence[tuple[str, str]]) -> str:
    """The named alternation of ``(name, regex)``, in order (one that never matches if none)."""
    return "|".join(f"(?P<{name}>{regex})" for name, regex in alternatives) or "(?!)"
