"""Damage told by the word list and the model's redactions: CBL530 question-mark-apostrophe,
CBL531 redaction-glued (and, below, the word-list parts of CBL505, CBL607 and CBL514)."""

from __future__ import annotations

from pathlib import Path

from cablelint.engine.api import fix_text, lint_text
from cablelint.model.build import build
from cablelint.model.source import from_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def fixture(name: str) -> str:
    return (FIXTURES / name / "cable.txt").read_text(encoding="utf-8")


def found(text: str, code: str, **options: object) -> list[tuple[int, int, str | None]]:
    """(line, column, fix applicability) of each finding of ``code``."""
    return [
        (d.span.line, d.span.column, d.fix.applicability if d.fix else None)
        for d in lint_text(text, select=[code], **options)
    ]


def messages(text: str, code: str) -> list[str]:
    return [d.message for d in lint_text(text, select=[code])]


# ---- CBL530 ------------------------------------------------------------------------------------
def test_question_mark_apostrophes_are_found_and_certain_ones_fixed_safely() -> None:
    text = fixture("question-apostrophe")
    assert found(text, "CBL530") == [
        (13, 16, "unsafe"),  # RUSSIA?S: capitals, the next word says nothing
        (15, 23, "safe"),  # Minister?s view
        (15, 50, "safe"),  # didn?t
        (16, 11, "safe"),  # We?re
        (16, 29, "safe"),  # they?ll
        (16, 48, "safe"),  # I?m
        (18, 15, "unsafe"),  # Andr?s: not a word (Andrés)
        (18, 34, "unsafe"),  # Tom?s Garcia: a surname follows (Tomás)
        (18, 52, "safe"),  # FARC?s: an acronym's possessive
        (19, 12, "safe"),  # capital?s
        (22, 24, "safe"),  # Why?s that
    ]
    assert messages(text, "CBL530")[1] == (
        "'?' in 'Minister?s': an apostrophe lost in a character-set conversion "
        "(or an accented letter): expected 'Minister's'"
    )
    fixed = fix_text(text, select=["CBL530"])
    for before, after in [
        ("Minister?s view", "Minister's view"),
        ("didn?t", "didn't"),
        ("We?re", "We're"),
        ("they?ll", "they'll"),
        ("I?m", "I'm"),
        ("FARC?s", "FARC's"),
        ("capital?s", "capital's"),
        ("Why?s", "Why's"),
    ]:
        text = text.replace(before, after)
    assert fixed == text
    assert "Andr?s Pastrana met Tom?s Garcia" in fixed and "RUSSIA?S" in fixed
    assert "state.gov/r?s=12" in fixed


def test_question_mark_apostrophe_fix_writes_the_configured_apostrophe() -> None:
    text = "¶1. (C) The Minister?s view.\n"
    fixed = fix_text(text, select=["CBL530"], options={"CBL530": {"apostrophe": "’"}})
    assert fixed == "¶1. (C) The Minister’s view.\n"


def test_question_marks_that_end_questions_are_not_apostrophes() -> None:
    text = '¶1. (C) Is it so? Nobody knows? So\n¶2. (C) "Really?" she said. A?B and (?) and 5?s.\n'
    assert found(text, "CBL530") == []


# ---- CBL531 ------------------------------------------------------------------------------------
def test_redactions_glued_to_words() -> None:
    text = fixture("redaction-glued")
    assert found(text, "CBL531") == [
        (11, 29, "safe"),  # withXXXXXXXXXXXX
        (12, 1, "safe"),  # XXXXXXXXXXXXsaid
        (14, 19, "safe"),  # toxxxxx
        (15, 1, "unsafe"),  # XXXXXXXXXXXXl: maybe what is left of the name
    ]
    assert messages(text, "CBL531")[0] == (
        "redaction glued to 'with' (before it): expected a space, 'with XXXXXXXXXXXX'"
    )
    fixed = fix_text(text, select=["CBL531"])
    assert fixed == (
        text.replace("withXXXX", "with XXXX")
        .replace("XXXXsaid", "XXXX said")
        .replace("toxxxxx", "to xxxxx")
    )


def test_redaction_model_records_what_is_glued() -> None:
    cable = build(from_text(fixture("redaction-glued")))
    glued = [
        (r.text, r.glued_before and r.glued_before.text, r.glued_after and r.glued_after.text)
        for r in cable.redactions
    ]
    assert glued == [
        ("XXXXXXXXXXXX", "with", None),
        ("XXXXXXXXXXXX", None, "said"),
        ("xxxxx", "to", None),
        ("XXXXXXXXXXXX", None, "l"),
        ("XXXXXXXXXXXX", None, None),
        ("XXXXXXXXXXXX", None, None),
    ]  # LXXXXX is no redaction: a run glued to a capital cannot be told from a word


# ---- CBL505 in body prose ----------------------------------------------------------------------
def test_words_split_at_the_wrap_in_body_prose() -> None:
    text = fixture("word-split")
    assert found(text, "CBL505") == [
        (11, 64, "unsafe"),  # aunt wer / e also present
        (14, 1, "unsafe"),  # participati / on
        (15, 62, "unsafe"),  # sta / rt
    ]  # `stand in` / `formation` (two words) and `a` / `u-turn` are not splits
    assert messages(text, "CBL505")[0] == "word 'were' split at the line wrap into 'wer' and 'e'"
    assert fix_text(text, select=["CBL505"]) == text  # unsafe: a plain --fix leaves it
    fixed = fix_text(text, select=["CBL505"], unsafe=True)
    assert fixed == text.replace("aunt wer\ne also", "aunt\nwere also").replace(
        "the\nparticipati\non of", "the\nparticipation of"
    ).replace("wants to sta\nrt building", "wants to\nstart building")


def test_browser_rewrapped_lines_are_left_to_cbl517() -> None:
    table = (
        "Reference ID Created Released Classification Origin\n"
        "09BRUSSELS1596 2009-11-27 06:32 2010-12-10 12:12 CONFIDENTIAL Embassy Brussels\n\n"
    )
    body = (
        "¶1. (C) The candidate hosted a dinner for his family; the aunt and the uncle wer\n"
        "e also present, as were several party officials who had come for the occasion.\n"
    )
    assert found(table + body, "CBL505") == []
    assert found(table + body, "CBL517") == [(4, 1, "unsafe")]
    assert found(body, "CBL505") == []  # 80 columns, a word whole elsewhere: still CBL517's
    own_wrap = body.replace("the aunt and the uncle wer", "the aunt wer")
    assert found(own_wrap, "CBL517") == []
    assert found(own_wrap, "CBL505") == [(1, 64, "unsafe")]


def test_a_split_after_breaks_that_join_into_words_of_two_words() -> None:
    # The breaks are looked at together (one regex pass and set operations): a split
    # is found after a break whose pieces join into a word (`in` / `formation`, two words), a
    # piece with spaces after it on its line, or before it on the next.
    body = (
        "¶1. (C) The delegates said that they would stand in\n"
        "formation until the aunt wer \n"
        "   e also present, and then make a\n"
        "u-turn at the end of the day.\n"
    )
    assert found(body, "CBL505") == [(2, 26, "unsafe")]
    assert found(body.replace("wer \n   e", "were\nalso"), "CBL505") == []


# ---- CBL607 word fragments ---------------------------------------------------------------------
def test_paragraphs_cut_off_in_a_word_before_the_next_paragraph() -> None:
    text = fixture("cut-off")
    assert found(text, "CBL607") == [
        (12, 10, None),  # military contrib, then ¶2
        (15, 1, None),  # governm, then ¶3 on the next line
        (21, 1, None),  # wer, then a paragraph without its pilcrow
        (23, 56, None),  # the cable ends in negotia
    ]  # `not economical` (a word with a suffix) and `in this area` are not cut off
    assert messages(text, "CBL607")[0] == (
        "paragraph ¶1 ends in the word fragment 'contrib' before the next paragraph; "
        "the text was cut off"
    )
    assert messages(text, "CBL607")[-1] == (
        "the cable ends in the word fragment 'negotia'; the text was cut off"
    )
    # The paragraph-endings option adds every lower-case ending before the next ¶.
    lines = [
        line
        for line, _, _ in found(text, "CBL607", options={"CBL607": {"paragraph-endings": True}})
    ]
    assert lines == [12, 15, 16, 21, 23]  # ¶4 ends in a word before `5.` without its ¶


# ---- CBL514 misplaced quotes -------------------------------------------------------------------
def test_misplaced_quotes_whatever_the_count() -> None:
    text = fixture("misplaced-quote")
    assert found(text, "CBL514") == [
        (11, 56, None),  # "Belgian , and ... matter' mission (odd count)
        (14, 41, None),  # "Belgian , and ... matter" mission (the count is even)
        (17, 49, None),  # negotia"tions (odd count, no other debris)
        (20, 29, None),  # “NATO , not ...” (curly quotes, balanced)
    ]  # a well-placed quotation and quotes beside redactions are not reported
    assert messages(text, "CBL514") == [
        "misplaced quote: the quotation '\"Belgian ,' breaks off before a detached comma",
        "misplaced quote: the quotation '\"Belgian ,' breaks off before a detached comma",
        "misplaced quote: a quote between two letters in 'negotia\"tions'",
        "misplaced quote: the quotation '“NATO ,' breaks off before a detached comma",
    ]


def test_split_pieces_are_whole_pieces_either_side_of_the_break() -> None:
    # An indented next line still starts with a piece; a piece glued to a hyphen or a full stop
    # before it ("co-wer", "uncle.wer") is no piece of its own.
    body = (
        "¶1. (C) The candidate hosted a dinner for his family; the aunt wer\n"
        "  e also present, as were several party officials who had come for the.\n"
        "occasion; his co-wer\n"
        "e also there, and his uncle.wer\n"
        "e too.\n"
    )
    assert found(body, "CBL505") == [(1, 64, "unsafe")]
