"""Regular expressions written by users (declarative rules in rule packs), run on a time budget.

Python's ``re`` cannot be interrupted: one pattern such as ``(a|aa)+$`` backtracks for hours on
a 41-character line. User patterns are therefore compiled with the ``regex`` package, whose
matching functions take a ``timeout``; a check draws every match of one file from one
:class:`Budget` and raises :class:`RuleTimeout` when it runs out (the engine turns that into one
CBL009 finding for the file). ``regex`` is imported only when a pack has such a rule.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

FLAGS = ("ignorecase", "multiline")
#: Seconds one rule may spend matching in one file. Real cables are under 70 KB, and a sound
#: pattern scans one in milliseconds; the budget only stops runaway backtracking.
TIME_BUDGET = 1.0


class RuleTimeout(Exception):
    """A user pattern ran out of its time budget on one file."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"ran out of its {seconds:g}-second time budget")
        self.seconds = seconds


def compile_pattern(pattern: str, flags: Sequence[str] = ()) -> Any:
    """``pattern`` compiled by ``regex`` with the named ``flags``; ValueError when invalid."""
    import regex

    bits = 0
    for flag in flags:
        bits |= {"ignorecase": regex.IGNORECASE, "multiline": regex.MULTILINE}[flag]
    try:
        return regex.compile(pattern, bits)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None


class Budget:
    """The time one check may spend matching user patterns in one file."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = TIME_BUDGET if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise RuleTimeout(self.seconds)
        return left

    def finditer(self, pattern: Any, text: str, start: int = 0, end: int | None = None) -> Iterator:
        """``pattern.finditer(text, start, end)`` within the budget."""
        end = len(text) if end is None else end
        try:
            yield from pattern.finditer(text, start, end, timeout=self._left())
        except TimeoutError:
            raise RuleTimeout(self.seconds) from None

    def search(self, pattern: Any, text: str) -> Any:
        """``pattern.search(text)`` within the budget."""
        try:
            return pattern.search(text, timeout=self._left())
        except TimeoutError:
            raise RuleTimeout(self.seconds) from None
