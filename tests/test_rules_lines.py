"""Line hygiene rules CBL509-CBL512 on whole synthetic cables and on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import configure, fix_source, fix_text, lint_source, lint_text
from cablelint.model.source import decode

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures" / "lines"
CODES = ["CBL509", "CBL510", "CBL511", "CBL512"]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def found(text: str, codes=CODES, **kw) -> list[tuple[str, int, int, str]]:
    return [
        (d.code, d.span.line, d.span.column, d.message) for d in lint_text(text, select=codes, **kw)
    ]


def test_clean_wrapped_cable_passes() -> None:
    # Curly quotes, an en dash, doubled SIPDIS, redaction pairs, a continuation line: all normal.
    assert found(fixture("clean/wrapped.txt")) == []


def test_characters_positions_and_fix() -> None:
    text = fixture("characters/damaged.txt")
    assert found(text, ["CBL509"]) == [
        ("CBL509", 23, 57, "no-break space in the text; cables use plain spaces"),
        ("CBL509", 25, 4, "tab in the text; cables use plain spaces"),
        ("CBL509", 28, 36, "mojibake 'â€™' looks like UTF-8 '’' read as CP1252"),
        ("CBL509", 36, 7, "control character form feed: a cable export never contains one"),
    ]
    fixed = fix_text(text, ["CBL509"])
    clean = fixture("clean/wrapped.txt")
    # Everything but the mojibake (no fix: only a whole-file re-decoding is safe) is repaired.
    assert fixed == clean.replace("the Minister’s", "the Ministerâ€™s").replace(
        "form a coherent", "form acoherent"
    )
    assert found(fixed, ["CBL509"]) == [
        ("CBL509", 28, 36, "mojibake 'â€™' looks like UTF-8 '’' read as CP1252")
    ]


def test_mangled_quote_characters_only_on_request() -> None:
    text = "¶1. (C) He called it Øthat problem8 and £so on8.\n"
    assert found(text, ["CBL509"]) == []
    assert [
        f[2] for f in found(text, ["CBL509"], options={"CBL509": {"mangled-quotes": True}})
    ] == [
        22,
        41,
    ]


def test_blank_lines_at_both_ends_and_trailing_whitespace() -> None:
    text = fixture("hygiene/blank_edges.txt")
    assert found(text, ["CBL510"]) == [
        (
            "CBL510",
            1,
            1,
            "2 blank lines at the start of the file; expected the first line of the cable",
        ),
        ("CBL510", 27, 13, "trailing whitespace"),
        (
            "CBL510",
            41,
            1,
            "2 blank lines at the end of the file; expected it to end with one newline",
        ),
    ]
    assert fix_text(text, ["CBL510"]) == fixture("clean/wrapped.txt")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("hygiene/crlf.txt", "38 CRLF line ends; expected LF"),
        ("hygiene/mixed.txt", "10 CRLF line ends mixed with 28 LF; expected LF"),
    ],
)
def test_crlf_is_one_finding_and_fixes_to_lf(name: str, message: str) -> None:
    text = fixture(name)
    assert found(text, ["CBL510"]) == [("CBL510", 1, 13, message)]
    source = decode((FIXTURES / name).read_bytes())
    config = configure(["CBL510"])
    assert fix_source(source, config).text == fixture("clean/wrapped.txt")


def test_crlf_accepted_when_configured() -> None:
    text = fixture("hygiene/crlf.txt")
    assert found(text, ["CBL510"], options={"CBL510": {"newline": "crlf"}}) == []
    mixed = found(fixture("hygiene/mixed.txt"), ["CBL510"], options={"CBL510": {"newline": "crlf"}})
    assert mixed == [("CBL510", 11, 7, "28 LF line ends; expected CRLF")]


def test_lone_cr() -> None:
    text = "¶1. (C) First part.\rSecond part.\n"
    assert found(text, ["CBL510"]) == [
        ("CBL510", 1, 20, "lone carriage return (CR without LF); expected a line feed")
    ]
    assert fix_text(text, ["CBL510"]) == "¶1. (C) First part.\nSecond part.\n"


def test_missing_final_newline() -> None:
    text = fixture("hygiene/no_final_newline.txt")
    assert found(text, ["CBL510"]) == [("CBL510", 38, 6, "no newline at the end of the file")]
    assert fix_text(text, ["CBL510"]) == fixture("clean/wrapped.txt")


def test_bom_reported_without_fix() -> None:
    source = decode(b"\xef\xbb\xbf" + fixture("clean/wrapped.txt").encode())
    outcome = lint_source(source, configure(["CBL510"]))
    [d] = outcome.diagnostics
    assert (d.span.line, d.span.column, d.fix) == (1, 1, None)
    assert d.message == "file starts with a byte-order mark; cable files have none"


def test_blank_line_runs_only_with_the_option() -> None:
    text = fixture("clean/wrapped.txt").replace("SIPDIS\n\nE.O.", "SIPDIS\n\n\n\n\n\n\nE.O.")
    assert found(text, ["CBL510"]) == []
    options = {"CBL510": {"max-blank-lines": 4}}
    assert found(text, ["CBL510"], options=options) == [
        ("CBL510", 14, 1, "6 blank lines in a row; expected at most 4")
    ]
    fixed = fix_text(text, ["CBL510"], options=options)
    assert fixed == fixture("clean/wrapped.txt").replace("SIPDIS\n\nE.O.", "SIPDIS\n\n\nE.O.")


def test_joined_line_in_wrapped_cable() -> None:
    text = fixture("joined/joined.txt")
    assert found(text, ["CBL511"]) == [
        (
            "CBL511",
            23,
            101,
            "line of 214 characters in a cable wrapped at 60 columns; lines were probably joined",
        )
    ]
    assert fix_text(text, ["CBL511"]) == text  # the re-wrap is unsafe: opt-in only
    rewrapped = fix_text(text, ["CBL511"], unsafe=True)
    assert found(rewrapped, ["CBL511"]) == []
    assert max(len(line) for line in rewrapped.splitlines()) <= 62
    assert rewrapped.split() == text.split()  # only whitespace changed


def test_unwrapped_cable_is_not_reported() -> None:
    assert found(seed_text("000"), ["CBL511"]) == []


def test_adjacent_duplicate_line() -> None:
    text = fixture("duplicates/adjacent.txt")
    assert found(text, ["CBL512"]) == [
        ("CBL512", 24, 1, "line repeats the line above (line 23); expected it once")
    ]
    assert fix_text(text, ["CBL512"]) == fixture("clean/wrapped.txt")


def test_adjacent_duplicate_last_line_without_newline() -> None:
    line = "International Criminal Court hearing."
    text = f"¶1. (C) The Minister will travel to Brussels.\n{line}\n{line}"
    assert fix_text(text, ["CBL512"]) == (
        "¶1. (C) The Minister will travel to Brussels.\nInternational Criminal Court hearing."
    )


def test_repeated_paragraph_block_and_distant_option() -> None:
    p5 = "¶5. (C) The Embassy has been encouraging Belgium to take a leadership role in Europe."
    p6 = "¶6. (C) With three regions and seven parliaments, Belgium is hard to govern at all."
    text = f"{p5}\n{p6}\nBRUSSELS 00001580 002 OF 003\n{p5}\n{p6}\n\nMURRAY\n"
    assert found(text, ["CBL512"]) == [
        (
            "CBL512",
            4,
            1,
            "repeated block of paragraphs (¶5, ¶6) copies lines 1-2 with the same numbers; "
            "expected it once",
        )
    ]
    renumbered = f"{p5}\n\n¶9.{p5[3:]}\n\nMURRAY\n"
    assert found(renumbered, ["CBL512"]) == []
    options = {"CBL512": {"distant-paragraphs": True}}
    assert found(renumbered, ["CBL512"], options=options) == [
        ("CBL512", 3, 1, "paragraph text (¶9) repeats the text at line 1")
    ]


def seed_text(prefix: str) -> str:
    return seed(prefix).read_bytes().decode("utf-8")


def test_seed_000_blank_lines_at_start_and_end() -> None:
    text = seed_text("000")
    assert found(text) == [
        (
            "CBL510",
            1,
            1,
            "2 blank lines at the start of the file; expected the first line of the cable",
        ),
        (
            "CBL510",
            40,
            1,
            "a blank line at the end of the file; expected it to end with one newline",
        ),
    ]
    fixed = fix_text(text, ["CBL510"])
    assert fixed == text[2:-1]
    assert found(fixed) == []


def test_seed_002_missing_final_newline() -> None:
    text = seed_text("002")
    assert found(text) == [("CBL510", 30, 4, "no newline at the end of the file")]
    assert fix_text(text, ["CBL510"]) == text + "\n"
