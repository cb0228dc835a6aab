"""Header rules CBL101-CBL107 on synthetic cables (tests/fixtures/header) and seed 002."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cablelint.engine.api import fix_text, lint_text

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures" / "header"
HEADER = ["CBL101", "CBL102", "CBL103", "CBL104", "CBL105", "CBL106", "CBL107"]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def found(text: str, select=HEADER, **kw) -> list[tuple[str, int, int, int]]:
    return [
        (d.code, d.span.line, d.span.column, d.span.end_column)
        for d in lint_text(text, select=select, **kw)
    ]


def messages(text: str, code: str, **kw) -> list[str]:
    return [d.message for d in lint_text(text, select=[code], **kw)]


def test_clean_cable_has_no_header_findings() -> None:
    assert found(fixture("clean/clean.txt")) == []


# ---- CBL101 ----------------------------------------------------------------------------------
def test_joined_routing_line_is_reported_on_the_glued_text() -> None:
    text = fixture("joined/tid-routing.txt")
    assert found(text) == [("CBL101", 1, 14, 24)]
    assert messages(text, "CBL101") == [
        "routing line 'RR RUEHWEB' is joined onto the transmission id line; "
        "expected it on a line of its own"
    ]


def test_joined_routing_line_fix_splits_the_line_and_is_idempotent() -> None:
    text = fixture("joined/tid-routing.txt")
    fixed = fix_text(text, select=["CBL101"])
    assert fixed == text.replace("VZCZCXYZ0001 RR RUEHWEB\n", "VZCZCXYZ0001\nRR RUEHWEB\n", 1)
    assert found(fixed) == []
    assert fix_text(fixed, select=["CBL101"]) == fixed


def test_joined_line_fix_keeps_crlf() -> None:
    text = fixture("joined/tid-routing.txt").replace("\n", "\r\n")
    fixed = fix_text(text, select=["CBL101"])
    assert fixed.startswith("VZCZCXYZ0001\r\nRR RUEHWEB\r\n\r\nDE ")


def test_joined_de_line_after_routing() -> None:
    text = fixture("joined/routing-de.txt")
    assert found(text) == [("CBL101", 2, 19, 42)]
    fixed = fix_text(text, select=["CBL101"])
    assert "PP RUEHAG RUEHROV\nDE RUEHBS #1596 3310632\nZNY" in fixed
    assert found(fixed) == []


def test_unparsed_de_line_points_at_the_failure_without_fix() -> None:
    text = fixture("joined/unparsed-de.txt")
    diags = lint_text(text, select=["CBL101"])
    assert [(d.span.line, d.span.column) for d in diags] == [(3, 11)]
    assert diags[0].message.startswith("DE line does not parse")
    assert diags[0].fix is None


def test_header_order() -> None:
    text = fixture("order/dtg-after-fm.txt")
    assert found(text) == [("CBL101", 6, 1, 17)]
    assert messages(text, "CBL101")[0].startswith("DTG line comes after the FM line")


def test_seed_002_joined_header_line() -> None:
    text = seed("002").read_text(encoding="utf-8")
    diags = [d for d in lint_text(text) if d.code == "CBL101"]
    assert [(d.span.line, d.span.column, d.span.end_column) for d in diags] == [(1, 14, 24)]
    fixed = fix_text(text, select=["CBL101"])
    assert fixed == text.replace("VZCZCXYZ0001 RR RUEHWEB", "VZCZCXYZ0001\nRR RUEHWEB", 1)


def test_seed_000_has_no_header_findings() -> None:
    assert found(seed("000").read_text(encoding="utf-8")) == []


# ---- CBL102-CBL105: splices -----------------------------------------------------------------
def test_splice_is_reported_by_each_consistency_rule() -> None:
    assert sorted(found(fixture("splice/splice.txt"))) == [
        ("CBL102", 3, 20, 23),
        ("CBL103", 3, 12, 16),
        ("CBL104", 3, 4, 10),
        ("CBL105", 4, 5, 10),
    ]
    text = fixture("splice/splice.txt")
    assert messages(text, "CBL103") == [
        "DE serial #2725 does not match the banner serial 005154 (line 9); expected #5154"
    ]
    assert messages(text, "CBL105") == [
        "ZNY CCCCC means CONFIDENTIAL, but the banner (line 9) is SECRET"
    ]
    assert messages(text, "CBL104") == [
        "DE routing indicator RUEHFR belongs to 'AMEMBASSY PARIS', but the FM line says "
        "'AMEMBASSY MOSCOW'"
    ]


def test_section_mismatch() -> None:
    assert found(fixture("splice/section.txt")) == [("CBL103", 3, 17, 19)]


@pytest.mark.parametrize(
    ("de", "dtg", "fires"),
    [
        ("3310632", "270632Z NOV 09", False),
        ("3320005", "272355Z NOV 09", False),  # filed after midnight: one day tolerated
        ("3330632", "270632Z NOV 09", True),
        ("0010003", "312359Z DEC 08", False),  # across the new year
        ("3660003", "010001Z JAN 09", False),
        ("0390632", "040632Z FEB 10 (CCY AD6CB6C9 WSC6493 634)", False),  # corrected copy
    ],
)
def test_de_julian_day(de: str, dtg: str, fires: bool) -> None:
    text = f"DE RUEHBS #1596 {de}\nZNY CCCCC ZZH\nP {dtg}\nFM AMEMBASSY BRUSSELS\n"
    assert [c for c, *_ in found(text, ["CBL102"])] == (["CBL102"] if fires else [])


def test_de_filing_time_is_opt_in() -> None:
    text = "DE RUEHBS #1596 3310720\nZNY CCCCC ZZH\nP 270632Z NOV 09\nFM AMEMBASSY BRUSSELS\n"
    assert found(text, ["CBL102"]) == []
    on = {"CBL102": {"check-time": True}}
    assert found(text, ["CBL102"], options=on) == [("CBL102", 1, 20, 24)]
    late = text.replace("3310720", "3310650")
    assert found(late, ["CBL102"], options=on) == []


def test_znr_with_classified_letters() -> None:
    text = (
        "DE RUEHME #0614 0451730\nZNR SSSSS ZZH\nO 141730Z FEB 10\nFM AMEMBASSY MEXICO\n\n"
        "S E C R E T MEXICO 000614\n"
    )
    assert found(text, ["CBL105"]) == [("CBL105", 2, 1, 10)]


# ---- CBL106 ----------------------------------------------------------------------------------
def test_precedence_mismatches() -> None:
    text = fixture("precedence/mismatch.txt")
    assert found(text) == [("CBL106", 2, 1, 3), ("CBL106", 7, 10, 25), ("CBL106", 8, 42, 50)]
    assert found(text, ["CBL106"], options={"CBL106": {"check-info": False}}) == [
        ("CBL106", 2, 1, 3),
        ("CBL106", 7, 10, 25),
    ]


# ---- CBL107 ----------------------------------------------------------------------------------
def test_record_dump_and_second_header() -> None:
    text = fixture("record-dump/dump.txt")
    diags = lint_text(text, select=["CBL107"])
    assert [(d.span.line, d.span.end_line) for d in diags] == [(7, 11), (13, 16)]
    assert diags[0].message.startswith("database record dump ('8/13/2009 8:54'")
    assert diags[1].message.startswith("second copy of the transmission header, lines 13-16")


def test_odd_input_never_raises() -> None:
    for text in (
        "",
        "\n",
        "VZCZC\n",
        "DE R\n",
        "ZNY\n",
        "O P\nTO\nINFO\n",
        "DE RUEHBS #1 9999999\n",
    ):
        assert [d for d in lint_text(text, select=[*HEADER, "CBL000"]) if d.code == "CBL000"] == []


def test_labelled_record_dumps_one_a_line_or_run_together() -> None:
    # A newspaper database's record (ID, ORIGIN, DATE, SOURCE, ...) one field a line after the
    # header, and one run together on a line with tabs before the signature; labelled lines in
    # the body without an ID or ORIGIN (a list the drafter wrote) are cable text.
    text = fixture("record-dump/labelled.txt")
    assert [
        (d.span.line, d.span.column, d.span.end_line, d.message)
        for d in lint_text(text, select=["CBL107"])
    ] == [
        (
            9,
            1,
            15,
            "database record dump ('ID: 190648', 'ORIGIN: 09KUWAIT110', …) inside the cable; "
            "expected only cable text",
        ),
        (
            34,
            1,
            34,
            "database record dump ('ID: 190650 ORIGIN: 09KUWAIT112 DATE: 200') inside the "
            "cable; expected only cable text",
        ),
    ]


def test_record_dump_with_an_iso_date() -> None:
    text = fixture("record-dump/iso-date.txt")
    assert [
        (d.span.line, d.span.end_line, d.message) for d in lint_text(text, select=["CBL107"])
    ] == [
        (
            5,
            8,
            "database record dump ('2009-07-29 14:42', '09KHARTOUM881', …) inside the cable; "
            "expected only cable text",
        )
    ]


def test_record_keys_are_found_before_their_colons_as_a_scan_finds_them() -> None:
    from cablelint.ruleset.checks import header

    text = "ID: 1 VALID: 2 ORIGIN \t: 09X1\nID :3 ORIGIN:4 TEXT: ID\t:  77 ORIGIN:09ABC12:"
    expected = sorted(
        match.start()
        for _, pattern in header._RECORD_KEYS
        for match in re.finditer(f"(?={pattern.pattern})", text)
    )
    colons = [i for i, char in enumerate(text) if char == ":"]
    assert header._starts(header._RECORD_KEYS, text, colons) == expected == [0, 15, 30, 51, 60]
