"""Banner and caption rules CBL201-CBL205 on synthetic cables (tests/fixtures/banner), seed 002."""

from __future__ import annotations

from pathlib import Path

from cablelint.engine.api import fix_text, from_text, lint_text
from cablelint.model.build import build

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures" / "banner"
BANNER = ["CBL201", "CBL202", "CBL203", "CBL204", "CBL205"]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def found(text: str, select=BANNER, **kw) -> list[tuple[str, int, int, int]]:
    return [
        (d.code, d.span.line, d.span.column, d.span.end_column)
        for d in lint_text(text, select=select, **kw)
    ]


def messages(text: str, code: str) -> list[str]:
    return [d.message for d in lint_text(text, select=[code])]


def test_clean_cable_has_no_banner_findings() -> None:
    text = (Path(__file__).parent / "fixtures" / "header" / "clean" / "clean.txt").read_text()
    assert found(text) == []


# ---- CBL201 ----------------------------------------------------------------------------------
def test_missing_banner() -> None:
    text = fixture("missing/no-banner.txt")
    assert found(text) == [("CBL201", 10, 1, 7)]
    assert messages(text, "CBL201") == [
        "no classification banner before the metadata block; expected a line such as "
        "'S E C R E T LA PAZ 003262'"
    ]


# ---- CBL202 ----------------------------------------------------------------------------------
def test_garbled_banner_confirmed_by_zn_is_fixed() -> None:
    text = fixture("garbled/confirmed.txt")
    assert found(text) == [("CBL202", 9, 1, 13)]
    fixed = fix_text(text, select=["CBL202"])
    assert fixed == text.replace("SS E C R E T MOSCOW", "S E C R E T MOSCOW")
    assert found(fixed) == []


def test_garbled_banner_contradicted_by_zn_is_not_fixed() -> None:
    text = fixture("garbled/contradicted.txt")
    diags = lint_text(text, select=["CBL202"])
    assert [(d.span.line, d.span.column, d.span.end_column) for d in diags] == [(9, 1, 12)]
    assert diags[0].fix is None
    assert "CCCCC on line 4 says CONFIDENTIAL" in diags[0].message
    assert fix_text(text, select=["CBL202"]) == text


def test_garbled_banner_without_zn_is_not_fixed() -> None:
    text = fixture("garbled/unconfirmed.txt")
    assert found(text) == [("CBL202", 3, 1, 25)]
    assert fix_text(text, select=["CBL202"]) == text


# ---- CBL203 ----------------------------------------------------------------------------------
def test_lower_case_banner() -> None:
    text = fixture("case/lower.txt")
    assert found(text, ["CBL203"]) == [("CBL203", 1, 3, 19)]
    fixed = fix_text(text, select=["CBL203"])
    assert fixed.splitlines()[0] == "S E C R E T BERLIN 001068"
    assert fixed.splitlines()[1:] == text.splitlines()[1:]


def test_section_of_lower_case() -> None:
    text = fixture("case/section-of.txt")
    assert found(text) == [("CBL203", 1, 25, 27)]
    assert messages(text, "CBL203") == [
        "'SECTION 01 of 03' in the banner is not upper case; expected 'SECTION 01 OF 03'"
    ]
    assert fix_text(text, select=["CBL203"]).startswith("CONFIDENTIAL SECTION 01 OF 03 KUWAIT")


# ---- CBL204 ----------------------------------------------------------------------------------
def test_seed_002_stpdts() -> None:
    text = seed("002").read_text(encoding="utf-8")
    diags = [d for d in lint_text(text) if d.code == "CBL204"]
    assert [(d.span.line, d.span.column, d.span.end_column) for d in diags] == [(12, 1, 7)]
    assert str(diags[0].severity) == "error"
    assert diags[0].message == "caption 'STPDTS' looks like a garbled 'SIPDIS'"
    fixed = fix_text(text, select=["CBL204"])
    assert fixed == text.replace("\nSTPDTS\n", "\nSIPDIS\n")
    assert [d for d in lint_text(fixed) if d.code == "CBL204"] == []


def test_seed_000_has_no_banner_findings() -> None:
    assert found(seed("000").read_text(encoding="utf-8")) == []


def test_ocr_garbles_but_not_real_words() -> None:
    text = fixture("captions/garbles.txt")
    assert found(text) == [("CBL204", 3, 1, 7), ("CBL204", 5, 1, 7)]
    fixed = fix_text(text, select=["CBL204"])
    assert fixed == text.replace("STPDTS", "SIPDIS").replace("N0F0RN", "NOFORN")


def test_lower_case_caption_after_a_late_banner() -> None:
    text = fixture("captions/late-banner.txt")
    assert found(text, ["CBL204"]) == [("CBL204", 10, 1, 7)]
    assert fix_text(text, select=["CBL204"]).count("\nSIPDIS\n") == 1


def test_prose_never_matches() -> None:
    # STATES is within edit distance 2 of STADIS; ADDIS of NODIS/EXDIS: neither is reported.
    text = "S E C R E T PARIS 000001\n\nSTATES\n\nADDIS\n\nE.O. 12958: DECL: 01/01/2019\n"
    assert found(text, ["CBL204"]) == []


# ---- CBL205 ----------------------------------------------------------------------------------
def test_noforn_is_off_by_default() -> None:
    assert [d for d in lint_text(fixture("noforn/caption-only.txt")) if d.code == "CBL205"] == []


def test_noforn_consistency() -> None:
    assert found(fixture("noforn/caption-only.txt")) == [("CBL205", 3, 1, 7)]
    assert found(fixture("noforn/paragraphs-only.txt")) == [("CBL205", 11, 5, 11)]
    assert found(fixture("noforn/consistent.txt")) == []


def test_ocr_variants_of_every_caption() -> None:
    # One or two OCR look-alikes in each caption (digits, |, lower-case l, rn for m, cl for d,
    # Q for O, K for R), a lower-case garble, and a caption split by spaces; the passline and the
    # words near a caption (STATES, ADDIS, LIMITS, NODES) are not captions.
    text = fixture("captions/ocr-variants.txt")
    garbles = {
        11: ("SIPD1S", "SIPDIS"),
        12: ("S|PD|S", "SIPDIS"),
        13: ("5IPDIS", "SIPDIS"),
        14: ("SlPDlS", "SIPDIS"),
        15: ("SIPclIS", "SIPDIS"),
        16: ("sipdls", "SIPDIS"),
        18: ("N0F0RN", "NOFORN"),
        19: ("NOFOKN", "NOFORN"),
        20: ("NQFORN", "NOFORN"),
        22: ("EXD1S", "EXDIS"),
        23: ("N0DIS", "NODIS"),
        24: ("LIrnDIS", "LIMDIS"),
        25: ("STAD1S", "STADIS"),
        26: ("SEN5ITIVE", "SENSITIVE"),
    }
    split = {28: ("S I P D I S", "SIPDIS"), 29: ("SIP DIS", "SIPDIS")}
    diags = lint_text(text, select=["CBL204"])
    assert [(d.span.line, d.span.column, d.span.end_column) for d in diags] == [
        (line, 1, 1 + len(written)) for line, (written, _) in sorted({**garbles, **split}.items())
    ]
    assert [d.message for d in diags] == [
        f"caption '{written}' looks like a garbled '{wanted}'"
        for written, wanted in garbles.values()
    ] + [
        f"caption '{written}' is split by spaces; expected '{wanted}'"
        for written, wanted in split.values()
    ]
    fixed = fix_text(text, select=["CBL204"])
    lines = text.split("\n")
    for line, (_, wanted) in {**garbles, **split}.items():
        lines[line - 1] = wanted
    assert fixed == "\n".join(lines)


def test_a_garble_that_reads_as_two_captions_has_no_fix() -> None:
    # STRDIS: SIPDIS with T for I and R for P, or STADIS with R for A; an editor must choose.
    text = "S E C R E T PARIS 000001\n\nSTRDIS\n\nE.O. 12958: DECL: 01/01/2019\n"
    (diag,) = lint_text(text, select=["CBL204"])
    assert diag.message == "caption 'STRDIS' looks like a garbled caption: 'SIPDIS' or 'STADIS'"
    assert diag.fix is None


# ---- CBL210 ----------------------------------------------------------------------------------
def test_joined_captions_are_split_and_counted_as_captions() -> None:
    text = fixture("captions/joined.txt")
    assert [
        (d.code, d.span.line, d.span.column, d.message)
        for d in lint_text(text, select=["CBL204", "CBL205", "CBL210"])
    ] == [
        (
            "CBL210",
            11,
            1,
            "captions 'NOFORN' and 'SIPDIS' are joined on one line; expected each caption on a "
            "line of its own",
        ),
        (
            "CBL210",
            13,
            1,
            "captions 'SIPDIS' and 'NOFORN' are joined on one line; expected each caption on a "
            "line of its own",
        ),
        (
            "CBL210",
            15,
            1,
            "captions 'SIPDIS', 'NOFORN' and 'SENSITIVE' are joined on one line; expected each "
            "caption on a line of its own",
        ),
        ("CBL204", 17, 8, "caption 'SIPD1S' looks like a garbled 'SIPDIS'"),
    ]
    fixed = fix_text(text, select=["CBL204", "CBL210"])
    assert fixed == (
        text.replace("NOFORN SIPDIS\n", "NOFORN\nSIPDIS\n")
        .replace("SIPDIS NOFORN\n", "SIPDIS\nNOFORN\n")
        .replace("SIPDIS/NOFORN, SENSITIVE\n", "SIPDIS\nNOFORN\nSENSITIVE\n")
        .replace("NOFORN SIPD1S\n", "NOFORN\nSIPDIS\n")  # CBL204, then CBL210
    )
    # The model holds every caption of a joined line: NOFORN is a caveat, so CBL205 (on by
    # request) finds the (S/NF) paragraph consistent with it.
    cable = build(from_text(text))
    assert [[w.text for w in c.words] for c in cable.captions][:4] == [
        ["NOFORN", "SIPDIS"],
        ["SIPDIS", "NOFORN"],
        ["SIPDIS", "NOFORN", "SENSITIVE"],
        ["NOFORN"],
    ]
    assert cable.captions[3].rest.text == "SIPD1S"
    assert cable.caveats == ("NOFORN", "SENSITIVE")
    assert found(text, ["CBL205"]) == []
