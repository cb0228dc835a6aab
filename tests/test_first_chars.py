"""The first characters a terminal can start with, and the line classifier that relies on them."""

from __future__ import annotations

import re

import pytest

from cablelint.syntax.compiled import structure_tables
from cablelint.syntax.first_chars import (
    ANY,
    LATIN_1,
    digit_blind,
    first_class,
    last_chars,
    latin_1_first_chars,
    starts_beyond_latin_1,
)
from cablelint.syntax.parse import _classifier, _guarded_alternation, glued_labels
from cablelint.syntax.tables import marked_alternation


@pytest.mark.parametrize(
    ("regex", "chars"),
    [
        ("VZCZC.*", "V"),
        ("(?:ZZ|OO) +R", "OZ"),
        (" *+¶?[A-Z][.)]", " ABCDEFGHIJKLMNOPQRSTUVWXYZ¶"),
        (r"\d{0,2}x", "0123456789x"),
        (r"(?=[A-Z])\bR?(?!Q)\.", ".R"),  # assertions match no character
        (r"(?P<n>a|)b", "ab"),
        (r"[^\]x]", None),  # a negated set: what it says
    ],
)
def test_first_chars_of_a_regex(regex: str, chars: str | None) -> None:
    found = latin_1_first_chars(regex)
    expected = chars if chars is not None else "".join(c for c in LATIN_1 if c not in "]x")
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize("regex", [r"(?i:a)b", r"\1a", r"a(?#c)", r"[[:alpha:]]"])
def test_unknown_syntax_may_start_with_anything(regex: str) -> None:
    assert first_class(regex) == ANY


@pytest.mark.parametrize(
    ("regex", "blind"),
    [
        (r"\d{6}Z? +[A-Z0-9]{3}\b", True),  # counts are no digits of the text
        (r"(?P<A>\S.*?(?=(?: \d{4})?$))|(?P<B>[^x])", True),
        (r"1\d{4}", False),  # a literal digit
        (r"[1-5]", False),  # a class that takes some digits only
        (r"25X\d|N/A", False),
        (r"\x31", False),
        (r"(?i:x)\d", False),  # syntax the reading does not know
    ],
)
def test_a_regex_is_digit_blind_when_every_atom_takes_all_digits_or_none(
    regex: str, blind: bool
) -> None:
    assert digit_blind(regex) is blind
    if blind:  # then each text and its digits changed match alike, at the same offsets
        for text in ["231553Z FEB 01", "AMEMBASSY PARIS 1234", "7"]:
            other = text.translate(str.maketrans("0123456789", "9876543210"))
            found, again = re.match(regex, text), re.match(regex, other)
            assert (found and found.span()) == (again and again.span())


def test_every_line_terminal_matches_only_lines_starting_with_its_first_chars() -> None:
    tables = structure_tables()
    samples = ["BT", "VZCZC", "¶1. (C) Text", " REF: A. STATE 1", "3.O. 12958: DECL"]
    samples += ["-----", ">", "Tuesday, 3 March 2009, 10:20", "tags PREL"]
    for terminal in tables.terminals:
        starts = tables.first_chars[terminal.name]
        pattern = re.compile(terminal.regex)
        for line in samples:
            if line[0] in LATIN_1 and pattern.fullmatch(line):
                assert line[0] in starts, (terminal.name, line)


@pytest.mark.parametrize(
    "line",
    [
        "the ambassador said",
        "tags PREL",
        "classified by: x",
        "c o n f i d e n t i a l paris 001234",
        "a. an item",
        "1. (C) text",
        "   REF: STATE 1234",
        "¶2. text",
        "-----",
        "(U) text",
        "3.O. 12958: DECL: 1/1/2019",
        "<<12345>>",
        "SUBJECT: X",
        "Élan",
        "",
        "Word",
        "NOFORN",
        "Two words",
        "ABCDEFGHIJKLMNO PQRSTUVWXYZABCD",  # two words of 15: the longest word line
        "ABCDEFGHIJKLMNO PQRSTUVWXYZABCDE",
        "abcdefghijklmno pqrstuvwxyzabcd",
        "abcdefghijklmno pqrstuvwxyzabcd.",
        "“Quoted” text",
        "٣. text",  # a digit beyond Latin-1: a paragraph mark to \d
        "Ωmega",
    ],
)
def test_the_narrowed_classifier_agrees_with_the_whole_alternation(line: str) -> None:
    classifier = _classifier()
    whole = classifier.pattern.fullmatch(line)
    expected = whole.lastgroup if whole else classifier.catch_all
    assert classifier._first_kinds([line]) == [expected]
    assert classifier.kind_of(line) == expected


def test_a_terminal_may_start_beyond_latin_1_with_a_class_that_says_so() -> None:
    assert starts_beyond_latin_1(r"\d{1,2}\.")
    assert starts_beyond_latin_1(r"(?:x|.)y")
    assert starts_beyond_latin_1(r"[^a]")
    assert not starts_beyond_latin_1(r" *+¶?[A-Z][.)]")
    assert not starts_beyond_latin_1(r"(?:ZZ|OO) +\S")


def test_short_terminals_at_the_end_are_tried_only_on_short_lines_and_alike() -> None:
    alternatives = [("LONG", r"a.*b"), ("ONE", r"[a-z]{1,3}"), ("TWO", r"\w{1,5}")]
    widths = {"LONG": (2, 1 << 64), "ONE": (1, 3), "TWO": (1, 5)}
    guarded = re.compile(_guarded_alternation(alternatives, widths))
    whole = re.compile(marked_alternation(alternatives))
    assert "(?=" in guarded.pattern
    for line in ["ab", "abc", "abcd", "abcde", "abcdef", "a-b", "xyz", "xyzzy", "x\n", "é"]:
        found, expected = guarded.fullmatch(line), whole.fullmatch(line)
        assert (found and found.lastgroup) == (expected and expected.lastgroup), line
    assert _guarded_alternation(alternatives[:1], widths) == marked_alternation(alternatives[:1])


@pytest.mark.parametrize(
    ("regex", "ends"),
    [
        ("ab", "b"),
        ("ab?", "ab"),
        (r"(?:x\b|y) *:", ":"),  # an assertion before the last character looks inside the match
        (r"x|y\.", "x."),
        (r"a(?<=a)", "a"),
    ],
)
def test_what_a_match_ends_with(regex: str, ends: str) -> None:
    assert last_chars(regex) == frozenset(ends)


@pytest.mark.parametrize("regex", ["a*", r"a\b", "a(?=b)b", "a$", "a[:]", r"a\Z", "a."])
def test_an_end_that_is_not_only_literal_characters_or_looks_past_the_match_is_unknown(
    regex: str,
) -> None:
    assert last_chars(regex) is None


def test_glued_labels_are_found_as_by_a_search_of_the_whole_range() -> None:
    text = "UK PRIMEREF: A. LONDON 1939 and SUBJECT: X TAGS PREL no colon here"
    pattern = _classifier().glued_label
    expected = [m.start() for m in pattern.finditer(text, 1, len(text))]
    assert [gap for gap, _label in glued_labels(text, 1, len(text))] == expected != []
    assert list(glued_labels(text, 50, len(text))) == []
