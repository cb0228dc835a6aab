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
