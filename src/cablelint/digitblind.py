"""Whether a regex treats every ASCII digit alike, so that a text and the same text with its
digits written as ``0`` match in the same places.

The field parser memoises parses; serial numbers, dates and message numbers make most field
values unique, but their digit-blind parses are shared once digits are written as ``0``. The
analysis walks the regex parser's tree (``re._parser``): a digit literal, a character range
that holds some digits but not all, a back-reference or anything not understood makes a regex
digit-sensitive.
"""

from __future__ import annotations

import re
from re import _constants as _c  # the regex parser's tree (Python 3.11+, as required)
from re import _parser as _p

#: ASCII digits 1-9 written as 0 (``str.translate`` table).
TO_ZERO = str.maketrans("123456789", "000000000")
#: The same for ASCII bytes (``bytes.translate``: a 256-byte table, no dict lookups).
_BYTES_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")


def zeroed(text: str) -> str:
    """``text`` with its ASCII digits 1-9 written as 0.

    ASCII text (nearly every field value) goes through ``bytes.translate``, several times
    faster than ``str.translate``'s per-character lookups in :data:`TO_ZERO`.
    """
    if text.isascii():
        return text.encode("ascii").translate(_BYTES_TO_ZERO).decode("ascii")
    return text.translate(TO_ZERO)


_DIGITS = range(ord("0"), ord("9") + 1)


def digit_blind(regex: str) -> bool:
    """True when ``regex`` cannot tell one ASCII digit from another."""
    try:
        return _blind(_p.parse(regex))
    except re.error:
        return False


def literal_digit_blind(text: str) -> bool:
    """True when a literal string terminal holds no digit."""
    return not any(char.isdigit() for char in text)


def _blind(items) -> bool:
    return all(_item_blind(op, arg) for op, arg in items)


def _item_blind(op, arg) -> bool:
    if op in (_c.LITERAL, _c.NOT_LITERAL):
        return arg not in _DIGITS
    if op is _c.IN:
        return all(_class_item_blind(o, a) for o, a in arg)
    if op in (_c.ANY, _c.AT):
        return True
    if op is _c.SUBPATTERN:
        return _blind(arg[3])
    if op is _c.BRANCH:
        return all(_blind(alternative) for alternative in arg[1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _blind(arg[2])
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return _blind(arg[1])
    if op is _c.ATOMIC_GROUP:
        return _blind(arg)
    return False  # a back-reference, a conditional group, or an op not known here


def _class_item_blind(op, arg) -> bool:
    if op is _c.LITERAL:
        return arg not in _DIGITS
    if op is _c.RANGE:
        low, high = arg
        return (
            high < _DIGITS.start
            or low >= _DIGITS.stop
            or (low <= _DIGITS.start and high >= _DIGITS.stop - 1)
        )
    return op in (_c.NEGATE, _c.CATEGORY)  # categories (\d, \w, \s) hold all ten digits or none
