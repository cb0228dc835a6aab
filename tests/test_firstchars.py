"""The first-character dispatch classifies every line exactly as the full alternation does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint import firstchars, parse
from cablelint.firstchars import DECIMAL, FirstCharDispatch, can_start, first_chars
from cablelint.source import line_content

from .corpus import corpus_files


def _reference(lines: list[str]) -> list[str]:
    full = parse._classifier().pattern.fullmatch
    kinds = []
    for line in lines:
        m = full(line)
        kinds.append(m.lastgroup if m else "TEXT")
    return kinds


@pytest.fixture
def eager(monkeypatch):
    """Compile every per-character pattern at once, so the dispatch (not the fallback) runs."""
    monkeypatch.setattr(firstchars, "COMPILE_AFTER", 0)
    return FirstCharDispatch(parse._classifier().dispatch.alternatives)


def test_first_chars_analysis() -> None:
    assert first_chars("VZCZC.*") == (frozenset("V"), False)
    assert first_chars("(?:ZZ|OO) +R") == (frozenset("ZO"), False)
    assert first_chars("[ \t]*") == (frozenset(" \t"), True)
    assert first_chars(r" *(?:[-*] +)?¶") == (frozenset(" -*¶"), False)
    assert first_chars(r"\d+") == (frozenset({DECIMAL}), False)  # any decimal digit
    assert first_chars(r"[\d.]") == (frozenset({DECIMAL, "."}), False)
    assert first_chars(r"\w") == (None, True)  # another category: any character
    assert can_start(frozenset({DECIMAL}), "7") and can_start(frozenset({DECIMAL}), "١")
    assert not can_start(frozenset({DECIMAL}), "²")  # a digit, but not decimal: \d rejects it
    assert not can_start(frozenset({DECIMAL}), "a")
    assert first_chars("(?i:abc)") == (None, True)


LINES = [
    "",
    "   ",
    "VZCZCXYZ0001",
    "¶1. (C) Text.",
    "12. (C) Text",
    "SUBJECT: X",
    "Subject: y",
    "C O N F I D E N T I A L PRETORIA 001173",
    "E.O. 12958: DECL: 01/01/2015",
    "TAGS PREL, PGOV",
    "----------",
    "A. STATE 1234",
    "(a) item",
    "SIPDIS",
    "BT",
    "NNNN",
    "R 121212Z JAN 09",
    "plain text line.",
    "ÉLAN",
    "١. (C) Arabic-Indic digit",
    "². superscript",
    "7",
]


def test_dispatch_equals_full_pattern_on_examples(eager) -> None:
    assert eager.kinds(LINES) == _reference(LINES)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)))
def test_dispatch_equals_full_pattern_on_any_text(lines: list[str]) -> None:
    lines = [line.replace("\n", " ") for line in lines]
    dispatch = FirstCharDispatch(parse._classifier().dispatch.alternatives)
    original = firstchars.COMPILE_AFTER
    firstchars.COMPILE_AFTER = 0
    try:
        assert dispatch.kinds(lines) == _reference(lines)
    finally:
        firstchars.COMPILE_AFTER = original


@pytest.mark.corpus
def test_dispatch_equals_full_pattern_on_corpus(eager) -> None:
    files = corpus_files()
    lines = [line for f in files for line in f.read_text("utf-8", "replace").split("\n")]
    lines = [line_content(line) for line in lines]  # what the line table gives the classifier
    assert eager.kinds(lines) == _reference(lines)


def test_a_last_catch_all_is_left_out_of_the_patterns_but_still_named() -> None:
    dispatch = FirstCharDispatch([("A", "a+"), ("ANY", ".+")])
    assert dispatch.catch_all == "ANY"
    assert dispatch.full.__self__.pattern == "(?P<A>a+)"
    assert dispatch.kinds(["aa", "ab", "b", ""]) == ["A", "ANY", "ANY", "TEXT"]
    not_last = FirstCharDispatch([("ANY", ".+"), ("A", "a+")])
    assert not_last.catch_all is None
    assert not_last.kinds(["aa", ""]) == ["ANY", "TEXT"]


def test_empty_line_takes_the_first_nullable_alternative_or_the_default() -> None:
    assert FirstCharDispatch([("A", "a+")]).kinds(["", "aa"]) == ["TEXT", "A"]
    nullable = FirstCharDispatch([("A", "a+"), ("B", "b*")])
    assert nullable.kinds(["", "b"], default="X") == ["B", "B"]


#: Line terminals as written before their runs were made possessive (cable.lark).
_GREEDY = {
    "WORD": r"[A-Za-z][A-Za-z0-9'.-]{0,14}(?: [A-Za-z][A-Za-z0-9'.-]{0,14})?",
    "UWORD": r"[A-Z][A-Z0-9'.-]{0,14}(?: [A-Z][A-Z0-9'.-]{0,14})?",
    "_BLANK": r"[ \t\f\v\u00a0]*",
    "PARA": r" *(?:[-*+] +)?(?:¶ ?\d{1,4}[.)]|\d{1,2}\.(?= |\(|$)).*",
    "LETTERED": r" *¶?[A-Z][.)] +\S.*",
    "ITEM": r" *¶?\(?[A-Za-z][.)](?: .*)?",
}


def _possessive(name: str) -> str:
    terminals = {t.name: t for t in parse._structure_tables().terminals}
    return terminals[name].regex


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aZ9'.-  \t(¶*+)xQ1", max_size=40))
def test_possessive_runs_match_the_lines_greedy_ones_match(line: str) -> None:
    for name, greedy in _GREEDY.items():
        assert bool(re.fullmatch(_possessive(name), line)) == bool(re.fullmatch(greedy, line)), name


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["A", "b", "C", "S", "x", "Y", " "]), max_size=12))
def test_possessive_banner_letters_match_what_greedy_ones_match(letters: list[str]) -> None:
    banner = _possessive("BANNER")
    greedy = banner.replace("[A-Za-z]{1,3}+", "[A-Za-z]{1,3}", 1)
    assert greedy != banner
    for tail in (" PARIS 000123", " SECTION 01 OF 02 PARIS 000123", "ONFIDENTIAL X 12"):
        line = "".join(letters) + tail
        assert bool(re.fullmatch(banner, line)) == bool(re.fullmatch(greedy, line)), line


def test_a_character_gets_its_own_pattern_sooner_when_its_code_is_cached(monkeypatch) -> None:
    from cablelint import recache

    for name, value in (("_entries", {}), ("_new", {}), ("_used", set())):
        monkeypatch.setattr(recache, name, value)
    dispatch = FirstCharDispatch([("A", "a+"), ("B", "b+")])
    dispatch.kinds(["a"] * 100)
    assert "a" not in dispatch._by_char  # compiling afresh waits for COMPILE_AFTER lines
    recache.compile("(?P<B>b+)")  # now cached: the next compile is cheap
    dispatch.kinds(["b"] * (firstchars.COMPILE_CACHED_AFTER - 1))
    assert "b" not in dispatch._by_char
    assert dispatch.kinds(["b", "bb", "a"]) == ["B", "B", "A"]
    assert "b" in dispatch._by_char
    dispatch.kinds(["a"] * firstchars.COMPILE_AFTER)
    assert "a" in dispatch._by_char
