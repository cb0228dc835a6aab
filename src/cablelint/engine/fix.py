"""Text rewriting from fixes, without knowing rules: select, apply, repeat until stable.

Pure: no I/O. Writing the result back is ``writer``'s job.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Literal, Protocol

from cablelint.model.diagnostics import Diagnostic, Edit, Fix
from cablelint.support.records import record

StopReason = Literal["stable", "cycle", "max-passes", "parse-regression"]


class LintOutcome(Protocol):
    """What the fixer needs from one lint of a text."""

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...

    @property
    def parse_problems(self) -> int: ...


@record
class FixOutcome:
    """The result of :func:`fix_until_stable`.

    ``passes`` counts the passes whose edits were kept; ``applied`` the fixes in them.
    ``diagnostics`` come from linting the final ``text``.
    """

    text: str
    applied: int
    passes: int
    converged: bool
    diagnostics: tuple[Diagnostic, ...]
    reason: StopReason


def _conflict(a: Edit, b: Edit) -> bool:
    """Overlapping ranges, or an insertion at a point the other edit starts, ends or covers."""
    if a.start < b.end and b.start < a.end:
        return True
    empty = a.start == a.end or b.start == b.end
    return empty and a.start <= b.end and b.start <= a.end


def _edit_key(fix: Fix) -> tuple[Edit, ...]:
    return tuple(sorted(fix.edits))


def select_fixes(diagnostics: Iterable[Diagnostic], *, unsafe: bool) -> tuple[list[Fix], list[Fix]]:
    """Split the allowed fixes into (accepted, deferred to the next pass).

    Safe fixes are always allowed, unsafe ones only with ``unsafe``. Fixes are taken in order of
    their start; one that conflicts with an accepted fix is deferred as a whole. Fixes with the
    same edits count once.
    """
    # A conversion of the file's encoding has no edits: the checker applies it (api.convert).
    allowed = [
        d.fix for d in diagnostics if d.fix is not None and d.fix.edits and d.fix.applies(unsafe)
    ]
    allowed.sort(key=lambda f: (f.start, f.end))
    seen: set[tuple[Edit, ...]] = set()
    accepted: list[Fix] = []
    deferred: list[Fix] = []
    taken = _Taken()
    for fix in allowed:
        key = _edit_key(fix)
        if key in seen:
            continue
        seen.add(key)
        if any(taken.conflicts(e) for e in fix.edits):
            deferred.append(fix)
        else:
            accepted.append(fix)
            taken.add(fix.edits)
    return accepted, deferred


class _Taken:
    """The accepted edits sorted by (start, end), so that a conflict check is a bisection.

    Accepted edits never overlap (``apply_edits`` refuses overlaps), so their ends rise with
    their starts and a backward scan can stop at the first edit that ends before the new one.
    """

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []
        self.edits: list[Edit] = []

    def conflicts(self, edit: Edit) -> bool:
        j = bisect_right(self.keys, (edit.end, sys.maxsize)) - 1
        while j >= 0:
            other = self.edits[j]
            if _conflict(edit, other):
                return True
            if other.end < edit.start:
                return False
            j -= 1
        return False

    def add(self, edits: Iterable[Edit]) -> None:
        for edit in edits:
            i = bisect_right(self.keys, (edit.start, edit.end))
            self.keys.insert(i, (edit.start, edit.end))
            self.edits.insert(i, edit)


def apply_edits(text: str, fixes: Iterable[Fix]) -> str:
    """Apply every edit of ``fixes``, right to left; edits must not overlap.

    Insertions at the same point keep their given order.
    """
    edits = sorted((e for f in fixes for e in f.edits), key=lambda e: (e.start, e.end))
    for before, after in pairwise(edits):
        if before.end > after.start:
            raise ValueError(f"overlapping edits at offsets {before.start} and {after.start}")
    pieces: list[str] = []
    cursor = len(text)
    for edit in reversed(edits):
        if not 0 <= edit.start <= edit.end <= len(text):
            raise ValueError(f"edit {edit.start}:{edit.end} outside text of length {len(text)}")
        pieces.append(text[edit.end : cursor])
        pieces.append(edit.replacement)
        cursor = edit.start
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))


def fix_until_stable(
    text: str,
    lint: Callable[[str], LintOutcome],
    *,
    unsafe: bool,
    max_passes: int = 10,
) -> FixOutcome:
    """Lint, apply the selected fixes, and repeat until nothing applies.

    A pass that makes the text parse worse is rolled back and ends the loop, as do a text seen
    before (a cycle) and ``max_passes``; those outcomes are not ``converged``.
    """
    outcome = lint(text)
    seen = {text}
    applied = passes = 0
    reason: StopReason = "stable"
    while True:
        accepted, _ = select_fixes(outcome.diagnostics, unsafe=unsafe)
        if not accepted:
            break
        if passes >= max_passes:
            reason = "max-passes"
            break
        new_text = apply_edits(text, accepted)
        new_outcome = lint(new_text)
        if new_outcome.parse_problems > outcome.parse_problems:
            reason = "parse-regression"
            break
        text, outcome = new_text, new_outcome
        passes += 1
        applied += len(accepted)
        if text in seen:
            reason = "cycle"
            break
        seen.add(text)
    return FixOutcome(text, applied, passes, reason == "stable", tuple(outcome.diagnostics), reason)
