"""The scanning helpers of the checks, and the fast paths built on them.

A rule that looks for a literal first and tries its full pattern only there must find exactly
what the full pattern finds everywhere: the property tests compare each fast path with the plain
scan it replaces, on cable-like text full of near misses.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cablelint.model.build import build
from cablelint.model.cable import Block, Paragraph
from cablelint.model.inline import redaction_runs
from cablelint.model.source import from_text
from cablelint.ruleset.checks import (
    common,
    document,
    garbles,
    header,
    lines,
    metadata,
    paragraphs,
    text,
)
from cablelint.ruleset.registry import CheckContext, shared_fact
from cablelint.syntax.parse import glued_labels, inline_scanner, line_kind, parse_field

#: Every character, for the tables that must cover all of them.
ALL_CHARACTERS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
FRAGMENTS = [
    *("\n", "\n\n", "\r\n", "\r", " ", "  ", "\t", "\u00a0", ".", ",", "(", ")", '"', "”", "¶"),
    *("x", "X", "xX", "XXXX", "XXXXXXXXXXXX", "xxxxx", "Exxon", "a", "Q", "Qthe", "IRAQ", "1"),
    *("Brazil,s", "don,t", "we,re", "a,s", "ab,ll,s", "(b,d)", "é,s", "_x,d"),
    *("communiqu", "COMMUNIQU", "CommunIqu", "Charg", "cHARG", "DEMARCH", "caf", "Caf", "Attach"),
    *("attach to", "Jos", "ı", "İ", "ſ", "\u212a", "commun\u0131qu"),
    *("¶1. (C) ", "¶12.  (S/NF) ", " 3. (U) ", ". 4. (C) ", '" 5. (TS//REL TO USA, GBR) '),
    *("! ¶6. (SBU) ", ") 7.(C) ", "?  8. (C)"),
    *("cut SUBJECT: AB", "word TAGS: PREL", "x Classified By: AB", "x CLASSIFIED BY: CD"),
    *("BAGHDAD 00001234 002 OF 003", "00001234 002 OF 003", "Baku 00000478 002.2 of 003"),
    *("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668 \u0660\u0660\u0662 of \u0660\u0660\u0663",),
    *("BEGIN TEXT", "end text", "QUOTE", "UNQUOTE", "END QUOTE", "Text"),
    *("12/31/2009 10:15", "09STATE123", "-----", "Title ---", "***", "**bold**", "__x__"),
]
CABLE_TEXTS = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(
    lambda parts: "C O N F I D E N T I A L AMMAN 002212\n\n¶1. (C) " + "".join(parts) + "\n"
)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def context(body: str) -> CheckContext:
    source = from_text(body)
    return CheckContext(build(source), source, facts={})


def spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def item_lines(ctx: CheckContext, kinds: tuple[type, ...]) -> list:
    """The lines of the body items of ``kinds``."""
    items = ctx.cable.body.items
    return [line for item in items if isinstance(item, kinds) for line in item.lines]


# ---- tables that must cover every character -----------------------------------------------------
def test_ignorecase_twins_are_every_non_ascii_match_of_an_ascii_letter() -> None:
    letters = re.compile("[a-z]", re.IGNORECASE)
    twins = {c for c in letters.findall(ALL_CHARACTERS) if not c.isascii()}
    assert twins == set(common.IGNORECASE_TWINS)


def test_first_characters_beyond_latin1_are_listed() -> None:
    beyond = {c for c in lines._FIRST.findall(ALL_CHARACTERS) if c > "\xff"}
    assert beyond == set(lines._FIRST_BEYOND_LATIN1)
    for char in lines._FIRST.findall(ALL_CHARACTERS):
        assert lines._has_first_chars(f"clean {char} text"), repr(char)
    assert not lines._has_first_chars("¶1. (C) Plain text, “quoted” – and ’ok’.\n")


def test_the_shared_latin1_text_gives_the_first_characters_test_its_answer() -> None:
    for char in lines._FIRST.findall(ALL_CHARACTERS):
        ctx = context(f"clean {char} text\n")
        assert common.latin1(ctx) == ctx.text.encode("latin-1", "replace")
        assert lines._has_first_chars(ctx.text, common.latin1(ctx)), repr(char)
    ctx = context("¶1. (C) Plain text, “quoted” – and ’ok’.\n")
    assert not lines._has_first_chars(ctx.text, common.latin1(ctx))


# ---- helpers ------------------------------------------------------------------------------------
def test_shared_fact_is_computed_once_per_facts() -> None:
    calls = []

    @shared_fact
    def fact(ctx: CheckContext) -> int:
        calls.append(1)
        return len(calls)

    ctx = context("¶1. (C) Text.\n")
    same_cable = ctx._replace(options={"x": 1})
    assert (fact(ctx), fact(same_cable)) == (1, 1)
    assert fact(ctx._replace(facts={})) == 2  # another cable's facts
    assert fact(ctx._replace(facts=None)) == 3  # no facts: computed afresh


def test_shared_fact_does_not_keep_an_error() -> None:
    @shared_fact
    def broken(ctx: CheckContext) -> int:
        raise ValueError("boom")

    ctx = context("¶1. (C) Text.\n")
    for _ in range(2):
        with pytest.raises(ValueError):
            broken(ctx)


@pytest.mark.parametrize("text", ["a\nb\n", "a\r\nb\r\n\r\n", "a\rb\nc", "a\n\n\n", "x"])
def test_line_contents_are_the_contents_of_the_lines(text: str) -> None:
    ctx = context(text)
    assert common.line_contents(ctx) == [line.content for line in ctx.cable.lines]


@given(CABLE_TEXTS)
@PROPERTY
def test_colons_are_every_colon_and_colons_in_those_of_a_range(text: str) -> None:
    ctx = context(text)
    every = [i for i, char in enumerate(text) if char == ":"]
    assert common.colons(ctx) == every
    for start, end in ((0, len(text)), (5, 40), (len(text) // 2, len(text)), (30, 10)):
        assert common.colons_in(ctx, start, end) == [i for i in every if start <= i < end]


def test_ascii_folded_keeps_offsets() -> None:
    ctx = context("AbC ¶ x\u212aX\n")
    assert common.ascii_folded(ctx) == b"abc ? x?x\n"


def test_find_all_holding_and_lines_at() -> None:
    assert list(common.find_all("aaaa", "aa")) == [0, 1, 2]
    assert list(common.find_all("abcabc", "c", 3)) == [5]
    assert list(common.find_all(b"x-x", b"x", 0, 2)) == [0]
    ctx = context("one\ntwo Q\nQ three\n")
    assert list(common.holding(ctx.cable.lines, "Q")) == [1, 2]
    assert [line.number for line in common.lines_at(ctx, [0, 1, 10, 12])] == [1, 3]


def test_item_at() -> None:
    ctx = context("C O N F I D E N T I A L AMMAN 002212\n\n¶1. (C) One.\n\n¶2. (C) Two.\n")
    first, second = ctx.cable.body.items
    assert common.item_at(ctx, first.span.start) is first
    assert common.item_at(ctx, second.span.end - 1) is second
    assert common.item_at(ctx, 0) is None


# ---- fast paths against the plain scans they replace --------------------------------------------
@PROPERTY
@given(body=CABLE_TEXTS)
def test_redaction_runs(body: str) -> None:
    # The model's pre-test ("xxxx" in the folded text) against the grammar's REDACTION alone.
    expected = [match.span() for match in inline_scanner().redaction.finditer(body)]
    assert list(redaction_runs(body)) == expected


@PROPERTY
@given(body=CABLE_TEXTS)
def test_comma_apostrophes(body: str) -> None:
    ctx = context(body)
    lines_ = text.body_lines(ctx.cable)
    plain = [
        (line.span.start + m.start(), line.span.start + m.end())
        for line in lines_
        for m in text._comma_apostrophe().finditer(line.content)
    ]
    assert spans(text._comma_apostrophes(ctx)) == plain


@PROPERTY
@given(body=CABLE_TEXTS)
def test_lost_accent_words(body: str) -> None:
    ctx = context(body)
    for forms in garbles._lost_accent_forms():
        assert spans(garbles._word_matches(ctx, forms, 5)) == spans(forms.word.finditer(body, 5))


@PROPERTY
@given(body=CABLE_TEXTS)
def test_mid_marks(body: str) -> None:
    ctx = context(body)
    plain = []
    for item in ctx.cable.body.items:
        for line in item.lines:
            if line.kind not in ("TEXT", "PARA"):
                continue
            for m in paragraphs._MID_MARK.finditer(line.content):
                start = line.span.start + m.start("mark")
                if not (isinstance(item, Paragraph) and start < item.mark_end):
                    plain.append((start, line.span.start + m.end("mark"), line.number))
    assert [(mk.start, mk.end, mk.line) for mk in paragraphs._mid_marks(ctx)] == plain


@PROPERTY
@given(body=CABLE_TEXTS)
def test_labels_in_paragraphs(body: str) -> None:
    # Tried only before a colon, in a window: as many as GLUED_LABEL finds over the whole lines.
    ctx = context(body)
    text = ctx.text
    plain = []
    for line in item_lines(ctx, (Paragraph,)):
        if line.kind in metadata._META_KINDS:
            continue
        for gap, label in glued_labels(text, line.start, line.start + len(line.content)):
            colon = text.find(":", label)
            kind = line_kind(line.content[label - line.start :])
            glued = label == gap + 1 and "a" <= text[gap - 1] <= "z" and text[colon - 1] != " "
            value = metadata._VALUE_AFTER.match(text, colon + 1)
            if glued and value and kind in metadata._BODY_KINDS:
                plain.append((gap, label, colon))
    assert [hit[1:] for hit in metadata._labels_in_paragraphs(ctx)] == plain


MD_FRAGMENTS = ("\n", "\r", "#", "# ", "## ", "-", "- ", "-- ", "*", "* ", "+", "+ ", "x", " ")


@PROPERTY
@given(body=st.lists(st.sampled_from(MD_FRAGMENTS), max_size=30).map("".join))
def test_markdown_marked_line_starts(body: str) -> None:
    # Each "#" is found by itself: the lines that start with one are those after a newline.
    plain = [0] if body[:1] in "#-*+" else []
    plain += [m.start() + 1 for m in re.finditer(r"\n(?=#|[-*+] )", body)]
    assert text._md_marked_line_starts(body) == plain


@PROPERTY
@given(body=CABLE_TEXTS)
@example(
    body="C O N F I D E N T I A L AMMAN 002212\n\n¶1. (C) ***.\r.***\n"
)  # a lone CR ends a line
def test_markdown_emphasis(body: str) -> None:
    ctx = context(body)
    plain = [
        (line.span.start + m.start(), line.span.start + m.end())
        for line in ctx.cable.lines
        if not line.blank
        for m in text._MD_BOLD.finditer(line.content)
    ]
    assert [(f.span.start, f.span.end) for f in text._md_emphasis(ctx, frozenset())] == plain


@PROPERTY
@given(body=CABLE_TEXTS)
@example(body="C O N F I D E N T I A L AMMAN 002212\n\n¶1. (C) \n-----\n")  # an underline
@example(body="¶1. (C) Text.\n\nComment -------\n\n¶2. (C) More ---\n   -------\n")  # joined
@example(body="¶1. (C) Text.\nBaku 00000478002 of 003\nRIO DE JAN00000329 002 OF 004\n")
def test_candidate_lines_hold_every_match(body: str) -> None:
    ctx = context(body)
    cable = ctx.cable
    sections = set(document._lines_with_section_page(ctx))
    blocks = set(document._lines_with_block_words(ctx, cable.body))
    dates = {line.number - 1 for line in header._colon_lines(ctx)}
    rules = set(text._lines_ending_in_rule(ctx))
    for i, line in enumerate(cable.lines):
        content = line.content
        own = isinstance(parse_field("section_line", content.strip()), dict)
        if document._INLINE_SECTION.search(content) or own:
            assert line in sections
            assert document._SERIAL.search(content)  # the prefilter of _continuations
        if line in cable.body.lines and document._BLOCK.search(content):
            assert line in blocks
        if header._RECORD_DATE.fullmatch(content):
            assert i in dates
    for line in item_lines(ctx, (Paragraph, Block)):  # underlines hold no heading to join
        candidate = line.content.endswith("---") and line.kind != "UNDERLINE"
        assert (line in rules) == (candidate and text._GAP_AND_RULE in line.content)
        if candidate and text._JOINED_UNDERLINE.match(line.content):
            assert line in rules
