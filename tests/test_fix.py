"""fix.py: selection of non-conflicting fixes, applying edits, the fix-until-stable loop."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cablelint.engine.fix import apply_edits, fix_until_stable, select_fixes
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Severity, Span


def fix(*edits: tuple[int, int, str], applicability: str = "safe") -> Fix:
    return Fix(tuple(Edit(*e) for e in edits), applicability)  # type: ignore[arg-type]


def diag(f: Fix | None, code: str = "CBL999", start: int = 0) -> Diagnostic:
    return Diagnostic(code, "test-rule", Severity.ERROR, "msg", Span(start, start, 1, 1, 1, 1), f)


@dataclass
class Outcome:
    diagnostics: list[Diagnostic]
    parse_problems: int


# --- select_fixes -------------------------------------------------------------------------------


def test_unsafe_fixes_need_the_flag() -> None:
    safe, unsafe = fix((0, 1, "a")), fix((5, 6, "b"), applicability="unsafe")
    diags = [diag(safe), diag(unsafe), diag(None)]
    assert select_fixes(diags, unsafe=False) == ([safe], [])
    assert select_fixes(diags, unsafe=True) == ([safe, unsafe], [])


def test_accepted_fixes_are_sorted_by_start() -> None:
    a, b, c = fix((9, 10, "c")), fix((0, 1, "a")), fix((4, 5, "b"))
    assert select_fixes([diag(a), diag(b), diag(c)], unsafe=False) == ([b, c, a], [])


def test_overlapping_fix_is_deferred() -> None:
    first, second = fix((0, 5, "x")), fix((3, 8, "y"))
    assert select_fixes([diag(second), diag(first)], unsafe=False) == ([first], [second])


def test_a_fix_is_deferred_whole_when_one_of_its_edits_conflicts() -> None:
    first = fix((4, 6, "x"))
    multi = fix((5, 5, "!"), (20, 21, "y"))
    later = fix((10, 11, "z"))
    accepted, deferred = select_fixes([diag(first), diag(multi), diag(later)], unsafe=False)
    assert (accepted, deferred) == ([first, later], [multi])


def test_adjacent_replacements_do_not_conflict() -> None:
    left, right = fix((0, 2, "a")), fix((2, 4, "b"))
    assert select_fixes([diag(left), diag(right)], unsafe=False) == ([left, right], [])


def test_insertions_at_the_same_point_conflict() -> None:
    one, two = fix((3, 3, "a")), fix((3, 3, "b"))
    assert select_fixes([diag(one), diag(two)], unsafe=False) == ([one], [two])


def test_insertion_at_the_edge_of_a_replacement_conflicts() -> None:
    repl, at_end = fix((3, 6, "r")), fix((6, 6, "i"))
    assert select_fixes([diag(repl), diag(at_end)], unsafe=False) == ([repl], [at_end])


def test_identical_fixes_are_applied_once() -> None:
    a = Fix((Edit(2, 3, "x"), Edit(7, 8, "y")), "safe", "one")
    b = Fix((Edit(7, 8, "y"), Edit(2, 3, "x")), "safe", "other message, same edits")
    accepted, deferred = select_fixes([diag(a, "CBL1"), diag(b, "CBL2")], unsafe=False)
    assert (accepted, deferred) == ([a], [])
    assert apply_edits("0123456789", accepted) == "01x3456y89"


def test_fix_without_edits_is_ignored() -> None:
    assert select_fixes([diag(Fix(()))], unsafe=True) == ([], [])


# --- apply_edits --------------------------------------------------------------------------------


def test_apply_edits_replaces_inserts_and_deletes() -> None:
    fixes = [fix((0, 5, "HELLO")), fix((5, 5, ",")), fix((6, 12, "")), fix((17, 17, "!"))]
    assert apply_edits("hello there world", fixes) == "HELLO, world!"


def test_insertion_before_a_replacement_at_the_same_start() -> None:
    assert apply_edits("abc", [fix((1, 2, "B")), fix((1, 1, "^"))]) == "a^Bc"


def test_insertions_of_one_fix_at_one_point_keep_their_order() -> None:
    assert apply_edits("ab", [fix((1, 1, "x"), (1, 1, "y"))]) == "axyb"


def test_apply_edits_keeps_crlf_and_non_ascii() -> None:
    text = "¶1. (C) TEXT\r\n¶2. MORE\r\n"
    assert apply_edits(text, [fix((0, 1, "")), fix((14, 15, ""))]) == "1. (C) TEXT\r\n2. MORE\r\n"


def test_apply_edits_rejects_overlaps_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="overlapping edits at offsets 0 and 2"):
        apply_edits("abcdef", [fix((0, 3, "x")), fix((2, 4, "y"))])
    with pytest.raises(ValueError, match="outside text of length 3"):
        apply_edits("abc", [fix((2, 4, "x"))])


edit_lists = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 5), st.text("xyz", max_size=3)), max_size=8
)


@given(st.text("abc\n", max_size=30), edit_lists)
def test_selected_fixes_never_conflict_and_apply_like_sequential_edits(
    text: str, raw: list[tuple[int, int, str]]
) -> None:
    fixes = [fix((min(s, len(text)), min(s + n, len(text)), r)) for s, n, r in raw]
    accepted, deferred = select_fixes([diag(f) for f in fixes], unsafe=False)
    edits = [e for f in accepted for e in f.edits]
    for i, a in enumerate(edits):
        for b in edits[i + 1 :]:
            assert not (a.start < b.end and b.start < a.end), "overlap"
            touching = a.start <= b.end and b.start <= a.end
            assert not (touching and (a.start == a.end or b.start == b.end)), "shared point"
    expected = text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        expected = expected[: e.start] + e.replacement + expected[e.end :]
    assert apply_edits(text, accepted) == expected
    assert len(accepted) + len(deferred) == len({tuple(sorted(f.edits)) for f in fixes})


# --- fix_until_stable ---------------------------------------------------------------------------


def squash_lint(text: str) -> Outcome:
    """A toy rule: every "aa" should be "a"; "!" counts as a parse problem."""
    diags = [diag(fix((m.start(), m.end(), "a")), start=m.start()) for m in re.finditer("aa", text)]
    return Outcome(diags, text.count("!"))


def test_fixes_repeat_until_stable() -> None:
    outcome = fix_until_stable("aaaa-aaa", squash_lint, unsafe=False)
    assert (outcome.text, outcome.applied, outcome.passes) == ("a-a", 5, 2)
    assert (outcome.converged, outcome.reason, outcome.diagnostics) == (True, "stable", ())


def test_clean_text_needs_no_pass() -> None:
    outcome = fix_until_stable("a-b", squash_lint, unsafe=False)
    assert (outcome.text, outcome.applied, outcome.passes, outcome.converged) == ("a-b", 0, 0, True)


def test_deferred_fixes_are_applied_in_a_later_pass() -> None:
    def lint(text: str) -> Outcome:
        diags = []
        if "abc" in text:
            diags += [diag(fix((0, 2, "X"))), diag(fix((1, 3, "Y")))]
        return Outcome(diags, 0)

    outcome = fix_until_stable("abc", lint, unsafe=False)
    assert (outcome.text, outcome.applied, outcome.passes) == ("Xc", 1, 1)


def test_unsafe_fixes_only_when_asked() -> None:
    def lint(text: str) -> Outcome:
        f = fix((0, len(text), text.upper()), applicability="unsafe")
        return Outcome([diag(f)] if text != text.upper() else [], 0)

    kept = fix_until_stable("abc", lint, unsafe=False)
    assert (kept.text, kept.converged, len(kept.diagnostics)) == ("abc", True, 1)
    assert fix_until_stable("abc", lint, unsafe=True).text == "ABC"


def test_a_pass_that_parses_worse_is_rolled_back() -> None:
    def lint(text: str) -> Outcome:
        diags = [diag(fix((0, 0, "!" if text.startswith("b") else "b")))]
        return Outcome(diags, text.count("!"))

    outcome = fix_until_stable("a", lint, unsafe=False)
    assert (outcome.text, outcome.applied, outcome.passes) == ("ba", 1, 1)
    assert (outcome.converged, outcome.reason) == (False, "parse-regression")
    assert outcome.diagnostics == tuple(lint("ba").diagnostics)


def test_a_pass_that_parses_better_is_kept() -> None:
    def lint(text: str) -> Outcome:
        diags = [diag(fix((i, i + 1, ""))) for i, c in enumerate(text) if c == "!"]
        return Outcome(diags, text.count("!"))

    assert fix_until_stable("a!b!", lint, unsafe=False).text == "ab"


def test_a_cycle_stops_the_loop() -> None:
    def lint(text: str) -> Outcome:
        return Outcome([diag(fix((0, 2, text[::-1])))], 0)

    outcome = fix_until_stable("ab", lint, unsafe=False)
    assert (outcome.text, outcome.applied, outcome.passes) == ("ab", 2, 2)
    assert (outcome.converged, outcome.reason) == (False, "cycle")


def test_max_passes_stops_the_loop() -> None:
    calls: list[str] = []

    def lint(text: str) -> Outcome:
        calls.append(text)
        return Outcome([diag(fix((len(text), len(text), "x")))], 0)

    outcome = fix_until_stable("", lint, unsafe=False, max_passes=3)
    assert (outcome.text, outcome.applied, outcome.passes) == ("xxx", 3, 3)
    assert (outcome.converged, outcome.reason, len(outcome.diagnostics)) == (
        False,
        "max-passes",
        1,
    )
    assert calls == ["", "x", "xx", "xxx"]
