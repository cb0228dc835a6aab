"""Paragraph rules (CBL401-CBL413) on whole synthetic cables and on seed 002."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import fix_text, lint_text

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures" / "paragraphs"
PARA_CODES = [f"CBL4{n:02d}" for n in range(1, 14)]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def found(text: str, select=("ALL",), **kw) -> list[tuple[str, int, int]]:
    """(code, line, column) of the paragraph findings, in order."""
    return [
        (d.code, d.span.line, d.span.column)
        for d in lint_text(text, select=None if select is None else list(select), **kw)
        if d.code in PARA_CODES
    ]


def messages(text: str, code: str, **kw) -> list[str]:
    return [d.message for d in lint_text(text, select=[code], **kw) if d.code == code]


# ---- seed 002: the product's second named example -----------------------------------------------
def test_seed_002_dash_and_pilcrow_garble() -> None:
    text = seed("002").read_text(encoding="utf-8")
    hits = [
        (d.code, d.span.line, d.span.column, d.span.end_column)
        for d in lint_text(text)
        if d.code in PARA_CODES
    ]
    assert sorted(hits) == [
        ("CBL402", 27, 3, 6),
        ("CBL402", 28, 3, 6),
        ("CBL403", 26, 1, 2),
        ("CBL403", 27, 1, 2),
        ("CBL403", 28, 1, 2),
    ]


@pytest.mark.parametrize("select", [None, ["CBL402", "CBL403"]])
def test_seed_002_fixed_marks(select) -> None:
    text = seed("002").read_text(encoding="utf-8")
    fixed = fix_text(text, select=select)
    starts = [line[:8] for line in fixed.splitlines() if line.startswith(("¶", "- ", "1"))]
    assert starts == ["¶1. (C) ", "¶2. (C) ", "¶3. (C) "]
    assert "\n¶1. (C) On December 2, Poloff" in fixed
    assert "\n¶2. (C) Bauwens insisted" in fixed
    assert "\n¶3. (C) Belgium has already" in fixed
    assert not [d for d in lint_text(fixed, select=select) if d.code in ("CBL402", "CBL403")]


def test_seed_002_select_fix_touches_only_the_marks() -> None:
    text = seed("002").read_text(encoding="utf-8")
    fixed = fix_text(text, select=["CBL402", "CBL403"])
    lines, fixed_lines = text.splitlines(), fixed.splitlines()
    assert len(lines) == len(fixed_lines)
    changed = [i + 1 for i, (a, b) in enumerate(zip(lines, fixed_lines, strict=True)) if a != b]
    assert changed == [26, 27, 28]
    assert [line[:8] for line in fixed_lines[25:28]] == ["¶1. (C) ", "¶2. (C) ", "¶3. (C) "]
    assert fixed_lines[26][8:] == lines[26][10:]


def test_seed_002_no_sequence_finding() -> None:
    text = seed("002").read_text(encoding="utf-8")
    assert found(text, ["CBL401"], options={"CBL401": {"report-gaps": True}}) == []


# ---- the same garble in a synthetic cable -------------------------------------------------------
def test_dash_and_garble_fixture() -> None:
    text = fixture("seed_garble/dash_and_one.txt")
    assert found(text) == [
        ("CBL403", 19, 1),
        ("CBL403", 20, 1),
        ("CBL402", 20, 3),
        ("CBL403", 21, 1),
        ("CBL402", 21, 3),
    ]
    assert messages(text, "CBL402")[0] == (
        "paragraph mark '12.' looks like a garbled '¶2.' "
        "(the pilcrow read as the digit 1; the previous paragraph is 1)"
    )
    fixed = fix_text(text, select=["CBL402", "CBL403"])
    assert fixed.splitlines()[18:21] == [
        "¶1. (C) On December 2, Poloff delivered the demarche to the MFA.",
        "¶2. (C) The director insisted that the convention had no effect on NATO.",
        "¶3. (C) Belgium has already begun destroying its stockpiles.",
    ]
    assert fix_text(fixed, select=["CBL402", "CBL403"]) == fixed


def test_genuine_jump_to_twelve_is_not_a_garble() -> None:
    text = fixture("seed_garble/dash_and_one.txt").replace("- ", "")
    text = text.replace("12. (C)", "¶12. (C)").replace("13. (C)", "¶13. (C)")
    assert [c for c, *_ in found(text)] == []  # a jump 1 -> 12 -> 13 is a gap, off by default


# ---- sequence -----------------------------------------------------------------------------------
def test_sequence_duplicate_and_backwards() -> None:
    text = fixture("sequence/duplicate_and_gap.txt")
    assert found(text, ["CBL401"]) == [("CBL401", 23, 1), ("CBL401", 27, 1)]
    assert messages(text, "CBL401") == [
        "paragraph number 2 repeats the one at line 21",
        "paragraph number 4 after 5: expected 6",
    ]


def test_sequence_gaps_on_request() -> None:
    text = fixture("sequence/duplicate_and_gap.txt")
    options = {"CBL401": {"report-gaps": True}}
    assert found(text, ["CBL401"], options=options) == [
        ("CBL401", 23, 1),
        ("CBL401", 25, 1),
        ("CBL401", 27, 1),
    ]
    assert messages(text, "CBL401", options=options)[1] == (
        "paragraph 5 follows 2: expected 3 (3-4 missing)"
    )


# ---- false marks and mid-line marks -------------------------------------------------------------
def test_false_marks_and_mid_line_mark() -> None:
    text = fixture("false_marks/artefacts.txt")
    assert found(text) == [
        ("CBL405", 20, 1),
        ("CBL405", 21, 1),
        ("CBL405", 25, 1),
        ("CBL405", 26, 1),
        ("CBL405", 27, 1),
        ("CBL406", 29, 30),
    ]
    # The sequence reads 1, 2, 3, 4 (mid-line), 5: no gap, no duplicate.
    assert found(text, ["CBL401"], options={"CBL401": {"report-gaps": True}}) == []
    assert messages(text, "CBL405")[:2] == [
        "'¶2001.' is a wrapped number, not a paragraph mark",
        "'¶16.' is a day after a month name, not a paragraph mark",
    ]


def test_false_mark_and_mid_line_fixes() -> None:
    text = fixture("false_marks/artefacts.txt")
    fixed = fix_text(text, select=["CBL405", "CBL406"])
    lines = fixed.splitlines()
    assert lines[19:21] == [
        "2001. Another idea was to meet in Lyon on November",
        "16. That meeting did not take place.",
    ]
    assert lines[24:27] == [
        "¶1. Release the prisoners.",
        "¶2. Open the border.",
        "¶3. Lift the sanctions.",
    ]
    assert lines[28:31] == ["¶3. (C) The talks went well.", "", "¶4. (C) The minister agreed."]
    assert found(fixed, ["CBL405", "CBL406", "CBL401"]) == [
        ("CBL405", 25, 1),
        ("CBL405", 26, 1),
        ("CBL405", 27, 1),
    ]


# ---- markings -----------------------------------------------------------------------------------
def test_markings() -> None:
    text = fixture("markings/markings.txt")
    assert found(text, ["CBL407", "CBL408", "CBL409"]) == [
        ("CBL407", 21, 5),
        ("CBL409", 21, 5),
        ("CBL409", 23, 5),
        ("CBL407", 25, 5),
        ("CBL408", 27, 1),
    ]
    assert messages(text, "CBL407")[0] == (
        "paragraph marking (s) is above the banner classification CONFIDENTIAL"
    )
    fixed = fix_text(text, select=["CBL409"])
    assert fixed.splitlines()[20] == "¶2. (S) Second paragraph, marked in lower case."
    assert fixed.splitlines()[22] == "¶3. (SNF) Third paragraph, outside the vocabulary."


def test_mixed_markings_off_by_default() -> None:
    assert not [c for c, *_ in found(fixture("markings/markings.txt"), None) if c == "CBL408"]


# ---- malformed marks and mid-line pilcrows ------------------------------------------------------
def test_malformed_marks() -> None:
    text = fixture("malformed/malformed.txt")
    assert found(text) == [
        ("CBL410", 19, 1),
        ("CBL410", 21, 1),
        ("CBL410", 23, 1),
        ("CBL404", 25, 1),
        ("CBL411", 27, 33),
    ]
    assert [c for c, *_ in found(text, None)] == ["CBL410", "CBL410", "CBL410", "CBL411"]
    fixed = fix_text(text, select=["CBL404", "CBL410"])
    assert fixed.splitlines()[18:25] == [
        "¶1. (C) First paragraph.",
        "",
        "¶2. (C) Second paragraph.",
        "",
        "3. (C) Third paragraph, re-typed.",
        "",
        "¶4. (C) Fourth paragraph, the authentic form.",
    ]


# ---- case and split paragraphs ------------------------------------------------------------------
def test_paragraph_case() -> None:
    text = fixture("case/lower.txt")
    assert found(text) == [("CBL412", 21, 9)]
    options = {"CBL412": {"report-all-caps": True}}
    assert found(text, ["CBL412"], options=options) == [("CBL412", 21, 9), ("CBL412", 23, 9)]


def test_all_caps_cable_is_not_reported() -> None:
    text = fixture("case/lower.txt").replace("notes from", "NOTES FROM")
    upper = "\n".join(line.upper() if line.startswith("¶") else line for line in text.splitlines())
    assert found(upper, ["CBL412"], options={"CBL412": {"report-all-caps": True}}) == []


def test_paragraph_split() -> None:
    text = fixture("split/split.txt")
    assert found(text, None) == []  # off by default
    assert found(text, ["CBL413"]) == [("CBL413", 21, 1)]
    assert fix_text(text, select=["CBL413"]) == text  # the join is an unsafe fix
    fixed = fix_text(text, select=["CBL413"], unsafe=True)
    assert fixed.splitlines()[18:20] == [
        "¶1. (C) The opposition spent the week taunting",
        "the ruling party over the budget.",
    ]
    assert found(fixed, ["CBL413"]) == []


# ---- robustness ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "¶1.\n",
        "¶\n¶¶ ¶\n",
        "- ¶1. (C)\n- 12. (C)\n",
        "12. (C) text\n13. (C) text\n",
        "¶1. ()\n\n¶2. (((C)\n",
        "¶9999. (C) text\n¶0. text\n",
        "text ¶1. (C) more\n",
        "SECRET BRUSSELS 000001\n\n¶1. (TS) text\n",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    diagnostics = lint_text(text, select=["ALL"])
    assert not [d for d in diagnostics if d.code == "CBL000"]


def test_cbl412_reads_a_paragraphs_text_where_it_lies_in_the_cable() -> None:
    """_text_range covers the letters of _paragraph_text and no others."""
    import re

    from cablelint.model.build import build
    from cablelint.model.source import decode
    from cablelint.ruleset.checks import paragraphs as rules

    fixtures = sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))
    seen = 0
    for path in fixtures:
        cable = build(decode(path.read_bytes()))
        for para in cable.paragraphs:
            start, end = rules._text_range(para)
            letters = re.sub(r"[^A-Za-z]", "", cable.text[start:end])
            assert letters == re.sub(r"[^A-Za-z]", "", rules._paragraph_text(para)), path.name
            seen += 1
    assert seen > 100


def test_a_marking_with_spaces_inside_its_parentheses() -> None:
    # 10ROME87.txt:190 '( C )' and 10BELGRADE25.txt:64 '(C )' are the C marking with stray spaces
    text = "UNCLAS STATE 000123\n\n1. ( C ) Text.\n\n2. (c ) More.\n"
    messages = [(d.span.line, d.span.column, d.message) for d in lint_text(text, select=["CBL409"])]
    assert messages == [
        (3, 4, "paragraph marking ( C ) has spaces inside its parentheses; expected (C)"),
        (5, 4, "paragraph marking (c ) has spaces inside its parentheses; expected (C)"),
    ]
    assert fix_text(text, select=["CBL409"]) == text.replace("( C )", "(C)").replace("(c )", "(C)")
