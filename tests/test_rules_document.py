"""Whole-file rules CBL601-CBL607 on whole synthetic cables and on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import fix_text, lint_text
from cablelint.syntax.parse import parse_field

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures"
CODES = ["CBL601", "CBL602", "CBL603", "CBL604", "CBL605", "CBL606", "CBL607"]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


CLEAN = "lines/clean/wrapped.txt"


def found(text: str, codes=CODES, **kw) -> list[tuple[str, int, int, str]]:
    return [
        (d.code, d.span.line, d.span.column, d.message) for d in lint_text(text, select=codes, **kw)
    ]


def test_clean_cable_passes() -> None:
    assert found(fixture(CLEAN)) == []


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_seeds_are_quiet(prefix: str) -> None:
    # Both seeds sign on their own line (EASON, FOX) and are single-section cables.
    assert found(seed(prefix).read_text(encoding="utf-8")) == []


def test_signature_missing_after_ellipsis() -> None:
    text = fixture("document/signature/missing.txt")
    assert found(text) == [
        ("CBL601", 36, 1, "text ends with '...' and no signature; expected the signer's surname")
    ]
    assert fix_text(text, CODES) == text


def test_signature_missing_not_reported_in_partial_extracts() -> None:
    text = (
        "This record is a partial extract of the original cable. The full text of the original "
        "cable is not available.\n\n" + fixture("document/signature/missing.txt")
    )
    assert found(text, ["CBL601"]) == []
    options = {"CBL601": {"partial-extracts": True}}
    assert [f[1] for f in found(text, ["CBL601"], options=options)] == [38]


def test_signature_glued_in_wrapped_cable_moves_to_own_line() -> None:
    text = fixture("document/signature/glued_wrapped.txt")
    assert found(text) == [
        (
            "CBL602",
            36,
            55,
            "signature 'EASON' is glued to the last text line; expected it on its own line",
        )
    ]
    assert fix_text(text, CODES) == fixture(CLEAN).replace("UNQUOTE\n", "UNQUOTE.\n")


def test_signature_glued_in_reflowed_cable_is_authentic() -> None:
    text = (
        "C O N F I D E N T I A L RANGOON 000088\n\n¶1. (C) The regime will not change course, "
        "and the generals will not talk to the opposition before the elections at all. End "
        "Comment. Martinez\n"
    )
    assert found(text) == []
    options = {"CBL602": {"glued-in-unwrapped": True}}
    assert [f[2] for f in found(text, ["CBL602"], options=options)] == [135]


def test_signature_doubled() -> None:
    text = fixture("document/signature/doubled.txt")
    assert found(text) == [
        ("CBL602", 38, 7, "signature 'EASON' is written twice; expected it once")
    ]
    assert fix_text(text, CODES) == fixture(CLEAN)


def test_section_gap_and_missing_tail() -> None:
    text = fixture("document/sections/gap.txt")
    assert found(text) == [
        (
            "CBL603",
            33,
            1,
            "section 002 missing before this continuation line (expected 002 OF 004)",
        ),
    ]  # it ends with its signature: section 004's header was dropped, not its text


def test_a_lower_cased_continuation_line_is_read_by_the_field_grammar() -> None:
    # fields.lark's section_line reads the line cable.lark takes for text (CBL603's own copy of
    # the pattern is gone): the gap before it is found as before.
    text = fixture("document/sections/gap.txt").replace(
        "BRUSSELS 00001596  003 OF 004", "Brussels 00001596  003 of 004"
    )
    assert parse_field("section_line", "Brussels 00001596  003 of 004") == {
        "SECTION_STATION": ((0, 8),),
        "SECTION_SERIAL": ((9, 17),),
        "SECTION_PAGE": ((19, 22),),
        "OF_WORD": ((23, 25),),
        "SECTION_TOTAL": ((26, 29),),
    }
    assert found(text, ["CBL603"]) == [
        (
            "CBL603",
            33,
            1,
            "section 002 missing before this continuation line (expected 002 OF 004)",
        ),
    ]


def test_sections_without_continuation_lines_are_not_checked() -> None:
    text = fixture("document/sections/gap.txt").replace("BRUSSELS 00001596  003 OF 004\n", "")
    assert found(text, ["CBL603"]) == []


def test_continuation_line_under_single_section_banner() -> None:
    text = fixture(CLEAN).replace("SECTION 01 OF 02 ", "")
    assert found(text, ["CBL603"]) == [
        (
            "CBL603",
            33,
            1,
            "continuation line '002 OF 002' in a cable whose banner has no SECTION nn OF mm",
        )
    ]


def test_section_line_glued_to_text() -> None:
    text = fixture("document/sections/inline.txt")
    assert found(text) == [
        (
            "CBL604",
            31,
            42,
            "section continuation line 'BRUSSELS 00001596  002 OF 002' is glued to the end of a "
            "text line; expected it on its own line",
        )
    ]
    fixed = fix_text(text, CODES)
    assert fixed == fixture(CLEAN).replace("running out.\n\nBRUSSELS", "running out.\nBRUSSELS")
    assert found(fixed) == []


def test_section_line_glued_inside_text() -> None:
    text = fixture(CLEAN).replace(
        "is that time is running out.\n\nBRUSSELS 00001596  002 OF 002\n\n¶3.",
        "is that time BRUSSELS 00001596  002 OF 002 is running out.\n\n¶3.",
    )
    [(code, line, column, message)] = found(text, ["CBL604"])
    assert (code, line, column) == ("CBL604", 31, 26)
    assert "glued into a text line" in message
    assert "time\nBRUSSELS 00001596  002 OF 002\nis running" in fix_text(text, ["CBL604"])


def test_identity_splice() -> None:
    text = fixture("document/identity/splice.txt")
    assert found(text) == [
        (
            "CBL605",
            9,
            42,
            "banner names cable BRUSSELS 001596 but the header belongs to another cable "
            "(FM MOSCOW, DE #1108): a header/body splice",
        )
    ]


def test_identity_redacted_station_and_state_are_accepted() -> None:
    text = fixture(CLEAN)
    assert found(text.replace("BRUSSELS 001596", "XXXXXXXXXXXX 001596"), ["CBL605"]) == []
    state = text.replace("FM AMEMBASSY BRUSSELS", "FM SECSTATE WASHDC").replace(
        "BRUSSELS 001596", "STATE 001596"
    )
    assert found(state, ["CBL605"]) == []


def test_text_block_unbalanced() -> None:
    text = fixture("document/blocks/unbalanced.txt")
    assert found(text) == [("CBL606", 36, 27, "'Begin text' is never closed by END TEXT")]


def test_text_cut_off_in_a_word() -> None:
    text = fixture("document/cutoff/fragment.txt")
    assert found(text) == [
        (
            "CBL601",
            36,
            1,
            "no signature after the last line; expected the signer's surname on its own line",
        ),
        ("CBL607", 36, 47, "the cable ends in the word fragment 'f'; the text was cut off"),
    ]


def test_text_ending_in_a_short_word_is_not_cut_off() -> None:
    text = fixture("document/cutoff/fragment.txt").replace("independence f\n", "independence of\n")
    assert found(text, ["CBL607"]) == []


def test_section_lines_glued_in_other_ways() -> None:
    # Glued without a space after a full stop, at the start of a line with a lower-case "of",
    # and with the station run into the serial; a serial and page in prose without the station
    # is not a section line.
    text = fixture("document/sections/glued-variants.txt")
    assert found(text) == [
        (
            "CBL604",
            20,
            11,
            "section continuation line 'RIO DE JAN 00000329 002 OF 005' is glued to the end of "
            "a text line; expected it on its own line",
        ),
        (
            "CBL604",
            22,
            1,
            "section continuation line 'RIO DE JAN 00000329 003 of 005' is glued to the start "
            "of a text line; expected it on its own line",
        ),
        (
            "CBL604",
            24,
            61,
            "section continuation line 'RIO DE JAN00000329 004 OF 005' is glued to the end of a "
            "text line; expected it on its own line",
        ),
    ]
    clean = fixture("document/sections/glued-variants-clean.txt")
    assert fix_text(text, ["CBL604"]) == clean
    assert found(clean) == []


def test_section_line_glued_in_a_lower_cased_cable_without_banner_station() -> None:
    text = (
        "P 291442Z JUL 09\nFM AMEMBASSY KHARTOUM\nTO RUEHC/SECSTATE WASHDC PRIORITY 4161\n\n"
        "C o n f i d e n t i a l section 01 of 02 000881\n\n"
        "¶3. (c) the police occupied the camp. khartoum 00000881 002 of 002\n"
    )
    assert found(text, ["CBL604"]) == [
        (
            "CBL604",
            7,
            39,
            "section continuation line 'khartoum 00000881 002 of 002' is glued to the end of a "
            "text line; expected it on its own line",
        )
    ]


def test_glued_signature_searched_from_the_sixth_last_word_as_a_full_search_finds_it() -> None:
    from cablelint.ruleset.checks import document

    prose = "The talks went on for hours without any result at all " * 40
    endings = [
        "talks. SMITH",
        "talks.   .Smith JR.",
        "(end of  part\u2003one)  DOE",
        "talks END  OF PART IV   JONES JR",
        "the end\tof part Two MILLER SMITH",
        "END COMMENT. Miller",
        "as said, a word of prose Smith",
    ]
    for ending in endings:
        content = prose + ending
        full = document._GLUED.search(content)
        assert full is not None or ending.endswith("prose Smith")
        found = document._glued(content)
        assert (found and (found.span(), found.groupdict())) == (
            full and (full.span(), full.groupdict())
        ), ending
