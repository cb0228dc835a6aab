"""Text-damage rules CBL501-CBL508, CBL513, CBL514 on whole synthetic cables and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import fix_text, lint_text

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures" / "text"
TEXT_CODES = [
    "CBL501",
    "CBL502",
    "CBL503",
    "CBL504",
    "CBL505",
    "CBL506",
    "CBL507",
    "CBL508",
    "CBL513",
    "CBL514",
]


def fixture(name: str) -> str:
    return (FIXTURES / name / "cable.txt").read_text(encoding="utf-8")


def found(text: str, codes=TEXT_CODES) -> list[tuple[str, int, int, int]]:
    return [
        (d.code, d.span.line, d.span.column, d.span.end_column)
        for d in lint_text(text, select=list(codes))
    ]


def messages(text: str, code: str) -> list[str]:
    return [d.message for d in lint_text(text, select=[code])]


# ---- CBL501 --------------------------------------------------------------------------------------
def test_comma_apostrophe_positions_and_unsafe_fix() -> None:
    text = fixture("wrap")
    assert found(text, ["CBL501"]) == [
        ("CBL501", 11, 17, 18),
        ("CBL501", 11, 43, 44),
        ("CBL501", 11, 60, 61),
    ]
    assert messages(text, "CBL501")[0] == (
        "comma used as an apostrophe in 'Zapatero,s': expected 'Zapatero's'"
    )
    # The fix is unsafe: a plain --fix keeps the Cablegate rendering.
    assert fix_text(text, select=["CBL501"]) == text
    fixed = fix_text(text, select=["CBL501"], unsafe=True)
    assert fixed == text.replace("Zapatero,s", "Zapatero's").replace("didn,t", "didn't").replace(
        "GoC,s", "GoC's"
    )
    assert "(b,d)" in fixed


def test_comma_apostrophe_is_off_by_default() -> None:
    assert not [d for d in lint_text(fixture("wrap")) if d.code == "CBL501"]


# ---- CBL502 --------------------------------------------------------------------------------------
def test_sipdis_in_text() -> None:
    text = fixture("sipdis")
    assert found(text, ["CBL502"]) == [
        ("CBL502", 11, 1, 7),  # standalone line interrupting a sentence
        ("CBL502", 14, 35, 41),  # inside a prose line ("Please include SIPDIS" is not)
        ("CBL502", 17, 1, 7),  # at the start of a line continuing the sentence
    ]
    fixed = fix_text(text, select=["CBL502"])
    assert "his first meeting\nwith a foreign embassy" in fixed
    assert "had not been well received. Please include SIPDIS in all replies." in fixed
    assert "solve some of these problems.\n\nSIPDIS\n\n¶4." in fixed
    assert not found(fixed, ["CBL502"])


# ---- CBL503 --------------------------------------------------------------------------------------
def test_markdown_artifacts_and_what_other_rules_own() -> None:
    text = fixture("markdown")
    # Not reported: the TAGS links (CBL306), "- ¶1." (CBL403), "--" and "- " bullets, "** **".
    assert found(text, ["CBL503"]) == [
        ("CBL503", 11, 1, 2),
        ("CBL503", 19, 11, 22),
        ("CBL503", 19, 58, 99),
        ("CBL503", 21, 1, 2),
    ]
    fixed = fix_text(text, select=["CBL503"])
    assert "\nSIPDIS\n" in fixed
    assert "- ¶1. (C) SUMMARY: Poloff met" in fixed
    assert "See the IAEA report for details." in fixed
    assert "\nCOMMENT\n" in fixed
    assert "TAGS: [KNNP](#) [IR](#) PREL BE" in fixed
    assert "-- sanctions;\n- timing;\n** **" in fixed
    assert not found(fixed, ["CBL503"])


# ---- CBL504 --------------------------------------------------------------------------------------
def test_redaction_token() -> None:
    text = fixture("wrap")
    assert found(text, ["CBL504"]) == [("CBL504", 12, 14, 19), ("CBL504", 12, 24, 35)]
    assert messages(text, "CBL504")[1] == (
        "redaction written 'XXXXXXXXXXX' (11 characters): expected 'XXXXXXXXXXXX'"
    )


# ---- CBL505 --------------------------------------------------------------------------------------
def test_word_split_in_classified_by() -> None:
    text = fixture("wrap")
    assert found(text, ["CBL505"]) == [("CBL505", 8, 68, 4)]
    fixed = fix_text(text, select=["CBL505"])
    assert "ROSENBLATT, FOR\nREASONS 1.4 (B) AND (D)\n" in fixed
    assert not found(fixed, ["CBL505"])


# ---- CBL506 --------------------------------------------------------------------------------------
def test_heading_underline_joined() -> None:
    text = fixture("headings")
    assert found(text, ["CBL506"]) == [
        ("CBL506", 11, 36, 70),
        ("CBL506", 15, 17, 24),
        ("CBL506", 17, 63, 74),  # glued to paragraph text: reported, not fixed
    ]
    assert messages(text, "CBL506")[2] == (
        "dash underline joined to text ending 'Afghanistan': expected a heading and its "
        "underline on lines of their own"
    )
    fixed = fix_text(text, select=["CBL506"])
    assert "\nRELATIONSHIP OFF ON THE RIGHT FOOT\n----------------------------------\n" in fixed
    assert "\n-------\nComment\n-------\n" in fixed
    assert "End Summary. Afghanistan -----------\n" in fixed
    assert found(fixed, ["CBL506"]) == [("CBL506", 20, 63, 74)]


# ---- CBL507, CBL508, CBL513, CBL514 --------------------------------------------------------------
def test_garbles_fixture() -> None:
    text = fixture("garbles")
    assert found(text) == [
        ("CBL513", 2, 11, 17),
        ("CBL513", 5, 11, 14),
        ("CBL513", 14, 7, 11),
        ("CBL508", 15, 19, 26),
        ("CBL508", 17, 36, 42),
        ("CBL508", 17, 82, 87),
        ("CBL507", 18, 1, 2),
        ("CBL507", 18, 35, 36),
        ("CBL508", 19, 47, 56),
        ("CBL514", 21, 34, 35),
    ]


def test_garbles_fixes() -> None:
    text = fixture("garbles")
    fixed = fix_text(text, select=TEXT_CODES)
    expected = (
        text.replace("270632Z 0CT 09", "270632Z OCT 09")
        .replace("TAGS: PRE1", "TAGS: PREL")
        .replace("DEMARCH ON", "DEMARCHE ON")
        .replace("Attach in", "Attache in")
        .replace("the Charg.", "the Charge.")
        .replace("Qthe envoy", "the envoy")
        .replace("communiqu of", "communique of")
    )
    assert fixed == expected
    # What has no safe fix stays reported: the routing indicator, contribuQions, the quote.
    assert [c for c, *_ in found(fixed)] == ["CBL513", "CBL507", "CBL514"]


def test_month_candidates_must_be_unique() -> None:
    from cablelint.ruleset.checks.garbles import _month_candidates

    assert _month_candidates("N0V") == ["NOV"]
    assert _month_candidates("JU1") == ["JUL"]
    assert _month_candidates("XYZ") == []


def test_stray_q_messages() -> None:
    text = fixture("garbles")
    assert messages(text, "CBL507") == [
        "stray 'Q' in 'Qthe': expected 'the'",
        "stray 'Q' in 'contribuQions': an upstream garble of this word",
    ]


def test_unbalanced_quote_needs_both_conditions() -> None:
    head = fixture("garbles").split("¶1.")[0]
    odd_only = head + '¶1. (C) The "final phase of negotiations has begun, he said.\n\nEASON\n'
    assert not found(odd_only, ["CBL514"])
    comma_only = head + "¶1. (C) It is not a Belgian matter , he said.\n\nEASON\n"
    assert not found(comma_only, ["CBL514"])
    redaction = head + '¶1. (C) "XXXXXXXXXXXX , he said, will come.\n\nEASON\n'
    assert not found(redaction, ["CBL514"])


def test_odd_input_does_not_raise() -> None:
    for text in ("", "\n", "SIPDIS\n", "TAGS:\n", "P 270632Z\n", "¶1.\n", "Q\n", "--- ---\n"):
        assert not [d for d in lint_text(text, select=TEXT_CODES) if d.code == "CBL000"]


# ---- seeds ---------------------------------------------------------------------------------------
def test_seed_000_lost_accent() -> None:
    text = seed("000").read_text(encoding="utf-8")
    diags = lint_text(text, select=TEXT_CODES)
    assert [(d.code, d.span.line, d.span.column, d.span.end_column) for d in diags] == [
        ("CBL508", 29, 149, 155)
    ]
    assert diags[0].message == "'Attach' lost its accented last letter: expected 'Attache'"
    fixed = fix_text(text, select=["CBL508"])
    assert fixed == text.replace("Pauwels, Attach in", "Pauwels, Attache in")


def test_seed_002_unbalanced_quote() -> None:
    text = seed("002").read_text(encoding="utf-8")
    diags = lint_text(text, select=TEXT_CODES)
    assert [(d.code, d.span.line, d.span.column) for d in diags] == [("CBL514", 27, 588)]
    assert text.splitlines()[26][587] == '"'


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_seed_markdown_belongs_to_other_families(prefix: str) -> None:
    # The seeds' Markdown (TAGS links, "- ¶1." dashes) is CBL306's and CBL403's to report.
    text = seed(prefix).read_text(encoding="utf-8")
    assert not found(text, ["CBL503"])


def test_an_underline_line_holds_no_heading_for_cbl506() -> None:
    """CBL506 passes over UNDERLINE lines: the grammar's UNDERLINE must hold only dashes and
    spaces, so a heading joined to its rule is never one."""
    import re

    from cablelint.syntax import compiled

    (regex,) = [t.regex for t in compiled.structure_tables().terminals if t.name == "UNDERLINE"]
    underline = re.compile(regex).fullmatch
    assert [chr(c) for c in range(0x110000) if underline(f"---{chr(c)}")] == [" ", "-"]
    assert not underline("--- A ---")


def test_stray_q_before_a_capitalised_or_short_word() -> None:
    # Issue 16: a stray Q before a capitalised word or a short function word was not found.
    text = (
        "¶3. (C) He said that QThe Minister agreed. QCanadian banks and QIran's regime\n"
        "met. The talks Qof last week went Qon well and Qupon request Qis done.\n"
    )
    assert [
        (d.span.line, d.span.column, d.message, d.fix.applicability)
        for d in lint_text(text, select=["CBL507"])
    ] == [
        (1, 22, "stray 'Q' in 'QThe': expected 'The'", "safe"),
        (1, 44, "stray 'Q' in 'QCanadian': expected 'Canadian'", "unsafe"),
        (1, 64, "stray 'Q' in 'QIran': expected 'Iran'", "unsafe"),
        (2, 16, "stray 'Q' in 'Qof': expected 'of'", "safe"),
        (2, 35, "stray 'Q' in 'Qon': expected 'on'", "safe"),
        (2, 48, "stray 'Q' in 'Qupon': expected 'upon'", "unsafe"),
        (2, 62, "stray 'Q' in 'Qis': expected 'is'", "safe"),
    ]
    assert fix_text(text, select=["CBL507"]) == (
        text.replace("QThe", "The").replace("Qof", "of").replace("Qon", "on").replace("Qis", "is")
    )


def test_no_stray_q_in_names_before_capitals_or_short_words() -> None:
    # Camel-case names (QChem, QTel), a name that is no known word (QZille is left to CBL512
    # when it starts a copy), Chinese Qin, the Yemeni qat, al-Qa'ida, Qom, Qods, Qasim, QA, QDR.
    text = (
        "¶4. (C) The QChem plant, QTel and QZille. Officials met Qin Gang. He chews Qat\n"
        "daily. Al-Qa'ida and al Qa’ida, Qom, Qods and Qasim. The QA team read the QDR.\n"
    )
    assert found(text, ["CBL507"]) == []


def test_stray_q_before_a_vowel_initial_word_with_an_english_ending() -> None:
    text = (
        "¶3. (C) Police have warrants for them. Qarrested even though the GOI does not\n"
        "object, Qelections will go ahead and Qallowing it is easy. Qaddafi, Qalibaf, Qasim,\n"
        "Qianling and the Qods Force met in Qatar and Qom. Officials at Qena joined them.\n"
    )
    assert found(text, ["CBL507"]) == [
        ("CBL507", 1, 40, 41),
        ("CBL507", 2, 9, 10),
        ("CBL507", 2, 38, 39),
    ]
    assert messages(text, "CBL507") == [
        "stray 'Q' in 'Qarrested': expected 'arrested'",
        "stray 'Q' in 'Qelections': expected 'elections'",
        "stray 'Q' in 'Qallowing': expected 'allowing'",
    ]
    # Not a common word: the fix deletes the Q only with --unsafe-fixes.
    assert fix_text(text, select=["CBL507"]) == text
    unsafe = fix_text(text, select=["CBL507"], unsafe=True)
    assert unsafe == text.replace("Qarrested", "arrested").replace(
        "Qelections", "elections"
    ).replace("Qallowing", "allowing")


def test_redaction_token_reads_the_model_s_redactions_in_any_line() -> None:
    # One definition (grammar/inline.lark's REDACTION): four x count, a run glued to a lower-case
    # word counts, a run glued to a capital (MAXXXXXXX) or three X (a Roman numeral) do not.
    text = (
        "UNCLAS STATE 000123\n\nSUBJECT: TALKS WITH XXXXXXXXXXX\n\n"
        "¶1. (U) The Minister met withxxxxx and xxxx; MAXXXXXXX and XXX Corps.\n"
    )
    assert found(text, ["CBL504"]) == [
        ("CBL504", 3, 21, 32),
        ("CBL504", 5, 30, 35),
        ("CBL504", 5, 40, 44),
    ]
