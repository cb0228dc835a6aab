"""Metadata-line rules (CBL301-CBL314) on whole synthetic cables and on the two seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import fix_text, lint_text
from cablelint.model.build import build
from cablelint.model.source import decode

from .corpus import seed

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"
METADATA = [f"CBL3{n:02d}" for n in range(1, 15)]


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def found(text: str, codes: list[str] | None = None, **kw) -> list[tuple[str, int, int, str]]:
    return [
        (d.code, d.span.line, d.span.column, d.message)
        for d in lint_text(text, select=codes or METADATA, **kw)
    ]


# ---- seeds ------------------------------------------------------------------------------------
def test_seed_000_tags_and_doubled_label() -> None:
    text = seed("000").read_text(encoding="utf-8")
    hits = [(c, ln, col) for c, ln, col, _ in found(text)]
    # The five tags written as Markdown links are one CBL306 finding, at the first.
    assert hits == [("CBL306", 19, 7), ("CBL305", 19, 36), ("CBL309", 25, 16)]
    fixed = fix_text(text, select=["CBL305", "CBL306", "CBL309"])
    lines = fixed.split("\n")
    assert lines[18] == "TAGS: KNNP IR PREL BE"
    assert lines[24] == "Classified By: CDA Richard Eason for reasons 1.4 (b) and (d)"
    # Only the two damaged lines changed.
    original = text.split("\n")
    assert [i + 1 for i, (a, b) in enumerate(zip(original, lines, strict=True)) if a != b] == [
        19,
        25,
    ]
    assert found(fixed, ["CBL305", "CBL306", "CBL309"]) == []


def test_seed_000_doubled_label_is_info() -> None:
    text = seed("000").read_text(encoding="utf-8")
    (diag,) = [d for d in lint_text(text, select=["CBL309"])]
    assert str(diag.severity) == "info"
    assert (
        diag.message == "label repeated as 'Classified by': expected the Classified By label once"
    )


def test_seed_002_blank_lines_in_header_block() -> None:
    text = seed("002").read_text(encoding="utf-8")
    assert found(text) == [
        ("CBL314", 17, 1, "blank line between E.O. and TAGS: expected TAGS right after E.O."),
        ("CBL314", 19, 1, "blank line between TAGS and SUBJECT: expected SUBJECT right after TAGS"),
    ]
    fixed = fix_text(text, select=["CBL314"])
    assert "E.O. 12958: DECL: 12/02/2018\nTAGS: ENRG" in fixed
    assert "TRGY BE\nSUBJECT: BELGIUM" in fixed
    assert "CLUSTER MUNITIONS\n\nREF: STATE 125512" in fixed  # SUBJECT/blank/REF is normal


def test_blank_line_rule_is_off_by_default() -> None:
    text = seed("002").read_text(encoding="utf-8")
    assert not [d for d in lint_text(text) if d.code == "CBL314"]


# ---- TAGS ---------------------------------------------------------------------------------------
def test_markdown_links_and_duplicate_converge() -> None:
    text = fixture("tags/markdown_duplicate.txt")
    assert found(text, ["CBL305"]) == [
        (
            "CBL305",
            14,
            36,
            "tag 'IR' is listed twice (first at column 18): expected each tag once",
        )
    ]
    assert found(text, ["CBL306"]) == [
        (
            "CBL306",
            14,
            7,
            "5 tags are written as Markdown links (the first '[KNNP](#)'): expected "
            "'KNNP IR PREL IR BE'",
        )
    ]
    expected = text.replace(
        "TAGS: [KNNP](#) [IR](#) [PREL](#) [IR](#) [BE](#)", "TAGS: KNNP IR PREL BE"
    )
    assert fix_text(text, select=["CBL305", "CBL306"]) == expected
    # Each rule alone also reaches a clean line.
    assert fix_text(text, select=["CBL305"]).count("[IR](#)") == 1
    assert fix_text(fix_text(text, select=["CBL306"]), select=["CBL305"]) == expected


def test_duplicate_on_continuation_line_keeps_lines() -> None:
    text = fixture("tags/wrapped_duplicate.txt")
    assert found(text) == [
        ("CBL305", 5, 1, "tag 'KJUS' is listed twice (first at column 17): expected each tag once")
    ]
    fixed = fix_text(text, select=["CBL305"])
    assert fixed == text.replace("KJUS, SNAR\n", "SNAR\n")


def test_lower_case_tags_and_label() -> None:
    text = fixture("tags/lower_case.txt")
    assert found(text, ["CBL306"]) == [
        ("CBL306", 6, 1, "TAGS label written 'Tags': expected 'TAGS'"),
        # a cable folded to lower case writes every tag so: one finding, at the first
        ("CBL306", 6, 7, "3 tags are not upper case (the first 'parm'): expected 'PARM PREL KSCA'"),
    ]
    fixed = fix_text(text, select=["CBL306"])
    assert "TAGS: PARM, PREL, KSCA, Organized\n" in fixed  # no guess for a non-code word


def test_lower_case_tags_are_related_locations_of_one_finding() -> None:
    text = fixture("tags/lower_case.txt")
    (finding,) = [d for d in lint_text(text, select=["CBL306"]) if d.span.column == 7]
    assert (finding.span.line, finding.span.column, finding.span.end_column) == (6, 7, 23)
    assert [(r.span.column, r.message) for r in finding.related] == [
        (7, "'parm': expected 'PARM'"),
        (13, "'prel': expected 'PREL'"),
        (19, "'ksca': expected 'KSCA'"),
    ]


def test_one_lower_case_tag_among_upper_case_ones() -> None:
    text = "EO 12958 DECL: 07/07/2015\nTAGS: PREL, pgov, KSCA\n"
    assert found(text, ["CBL306"]) == [
        ("CBL306", 2, 13, "tag 'pgov' is not upper case: expected 'PGOV'")
    ]
    assert fix_text(text, select=["CBL306"]).endswith("TAGS: PREL, PGOV, KSCA\n")


def test_free_text_tag_in_mixed_case_is_not_a_lower_case_code() -> None:
    # 05SOFIA1207.txt:10: the post wrote a free-text tag, as real cables do (the vocabulary
    # check is opt-in for that reason); neither word is a code with its case lost.
    text = (
        "EO 12958 DECL: 07/07/2015\nTAGS PINR, KCRM, PGOV, EINV, ECON, KCOR, BU, Organized Crime\n"
    )
    assert found(text, ["CBL306"]) == []
    hits = found(text, ["CBL306"], options={"CBL306": {"check-vocabulary": True}})
    assert hits == [
        ("CBL306", 2, 46, "unknown tag 'Organized'"),
        ("CBL306", 2, 56, "unknown tag 'Crime'"),
    ]


def test_unknown_tags_are_opt_in_with_unsafe_suggestion() -> None:
    text = "TAGS: PREL MOPPS LE PG0V\n"
    assert found(text, ["CBL306"]) == []
    hits = found(text, ["CBL306"], options={"CBL306": {"check-vocabulary": True}})
    assert hits == [
        ("CBL306", 1, 12, "unknown tag 'MOPPS': did you mean 'MOPS'?"),
        ("CBL306", 1, 21, "unknown tag 'PG0V': did you mean 'PGOV'?"),
    ]
    options = {"CBL306": {"check-vocabulary": True}}
    assert fix_text(text, select=["CBL306"], options=options) == text
    assert (
        fix_text(text, select=["CBL306"], unsafe=True, options=options)
        == "TAGS: PREL MOPS LE PGOV\n"
    )


def test_mixed_separators_only_within_a_line() -> None:
    options = {"CBL306": {"mixed-separators": True}}
    wrapped = "TAGS: PREL PGOV PINR PTER\nPK, AF\n"
    assert found(wrapped, ["CBL306"], options=options) == []
    mixed = "TAGS PGOV, PHUM, PTER, ECON KISL, SA\n"
    assert found(mixed, ["CBL306"], options=options) == [
        ("CBL306", 1, 28, "no comma between 'ECON' and 'KISL' on a comma-separated line")
    ]
    assert found(mixed, ["CBL306"]) == []


# ---- joins and labels ---------------------------------------------------------------------------
def test_joined_metadata_lines_are_split() -> None:
    text = fixture("joined/eo_tags_passline.txt")
    assert found(text) == [
        (
            "CBL312",
            9,
            27,
            "E.O. label 'E.O.' joined to a passline after 'PM': expected it on its own line",
        ),
        (
            "CBL312",
            9,
            56,
            "TAGS label 'TAGS:' joined to the E.O. line after '03/26/2018': "
            "expected it on its own line",
        ),
        (
            "CBL312",
            10,
            58,
            "REF label 'REF:' joined to the SUBJECT line after 'JOBIM': "
            "expected it on its own line",
        ),
    ]
    fixed = fix_text(text, select=METADATA)
    assert (
        "SIPDIS\n\nDEPARTMENT FOR WHA AND PM\nE.O. 12958: DECL: 03/26/2018\n"
        "TAGS: PREL BR MARR OVIP\nSUBJECT: THOUGHTS ON THE VISIT OF DEFENSE MINISTER JOBIM\n"
        "REF: BRASILIA 236\nClassified By:" in fixed
    )
    assert found(fixed) == []


def test_eo_inside_classified_by_is_not_a_join() -> None:
    assert found(fixture("joined/for_eo_reasons.txt")) == []


def test_doubled_labels_order_and_ref_letters() -> None:
    text = fixture("labels/order_doubled.txt")
    assert found(text) == [
        ("CBL309", 5, 10, "label repeated as 'SUBJECT:': expected the SUBJECT label once"),
        (
            "CBL309",
            6,
            16,
            "label repeated as 'Classified By:': expected the Classified By label once",
        ),
        # Classified By before REF is a drafting choice: CBL311 reports it only on request.
        ("CBL307", 9, 1, "REF item lettered 'B': expected 'C'"),
    ]
    fixed = fix_text(text, select=["CBL309"])
    assert "SUBJECT: KING'S VISIT\nClassified By: Consul General Douglas" in fixed


def test_release_doubled_ref_letters_and_pilcrow_are_accepted() -> None:
    text = "REF: A. A) 04 STATE 274965\n¶B. B) MADRID 156\n¶C. MADRID 812\n"
    assert found(text, ["CBL307"]) == []
    options = {"CBL307": {"pilcrow": True}}
    assert [(ln, col) for _, ln, col, _ in found(text, ["CBL307"], options=options)] == [
        (2, 1),
        (3, 1),
    ]
    fixed = fix_text(text, select=["CBL307"], options=options)
    assert fixed == "REF: A. A) 04 STATE 274965\nB. B) MADRID 156\nC. MADRID 812\n"


def test_label_swallowed_into_body() -> None:
    assert found(fixture("body/swallowed.txt")) == [
        (
            "CBL313",
            11,
            78,
            "SUBJECT: label inside body text after 'contrib': the text before it looks cut off",
        )
    ]


# ---- presence, dates and numbers ----------------------------------------------------------------
def test_missing_subject_and_classified_by() -> None:
    assert found(fixture("missing/no_subject_no_clby.txt")) == [
        ("CBL301", 10, 1, "no SUBJECT line: expected one after TAGS"),
        (
            "CBL308",
            10,
            1,
            "CONFIDENTIAL cable has no 'Classified By:' line: expected one after the metadata "
            "fields",
        ),
    ]


def test_fields_missing_at_one_place_are_one_finding() -> None:
    # A cable cut off after its captions (06KABUL3934): no E.O., TAGS or SUBJECT line, all three
    # expected after the banner, is one finding there; fields missing at different places stay
    # one finding each.
    cut = "UNCLAS SECTION 01 OF 05 KABUL 003934\n\nSIPDIS\n\nSENSITIVE\n ...\n"
    assert found(cut, ["CBL301"]) == [
        ("CBL301", 1, 1, "no E.O., TAGS and SUBJECT lines: expected them after the banner")
    ]
    apart = "UNCLAS PARIS 001234\n\nTAGS: PREL FR\n\n¶1. (U) Text.\n\nSMITH\n"
    assert found(apart, ["CBL301"]) == [
        ("CBL301", 3, 1, "no E.O. line: expected one before TAGS"),
        ("CBL301", 3, 1, "no SUBJECT line: expected one after TAGS"),
    ]


def test_pre_1995_cable_needs_no_classified_by() -> None:
    assert found(fixture("missing/old_cable.txt")) == []


def test_joined_field_is_not_missing() -> None:
    text = fixture("joined/eo_tags_passline.txt")
    assert [h for h in found(text) if h[0] in ("CBL301", "CBL308")] == []


def test_decl_horizon_and_reason_section() -> None:
    text = fixture("dates/decl_horizon.txt")
    assert found(text) == [
        (
            "CBL302",
            11,
            19,
            "DECL date 07/22/2039 is 30 years after the cable date 2009-07-22: "
            "expected at most 25 years",
        ),
        (
            "CBL310",
            15,
            56,
            "reason 1.5 cited on a cable of 2009-07-22: expected 1.4 after the 2003-03-25 "
            "renumbering",
        ),
    ]
    relaxed = found(text, ["CBL302"], options={"CBL302": {"max-years": 30}})
    assert relaxed == []


def test_eo_typo_and_classified_not_applicable() -> None:
    assert found(fixture("dates/eo_typo_unclas.txt")) == [
        ("CBL303", 7, 6, "E.O. 19523 is not a classification order; expected 12958"),
        ("CBL304", 7, 13, "SECRET cable declassifies 'N/A': expected a DECL date"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "TAGS:\n",
        "E.O.\n",
        "Classified By:\n",
        "REF:\n¶B.\n",
        "E.O. 12958: DECL: 99/99/9999 TAGS: [](#)\nSUBJECT:\n",
        "S E C R E T STATE 000001\n\nE.O. 12958: DECL: MR\n",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    assert all(code != "CBL000" for code, *_ in found(text, [*METADATA, "CBL000"]))


@pytest.mark.parametrize(
    ("eo", "column", "unexpected"),
    [
        ("E.O. 12958\tDECL: 01/01/2050", 11, "'\\tDECL:'"),
        ("E.O. 129 DECL: 01/01/2050", 6, "'129'"),
        ("E.O. 19523\tDECL: 13/45/2019", 11, "'\\tDECL:'"),
    ],
)
def test_an_eo_line_the_grammar_cannot_read_is_cbl900s_alone(
    eo: str, column: int, unexpected: str
) -> None:
    # CBL302 and CBL303 judge the number and DECL value the model read; they no longer re-parse
    # a line the field grammar could not read with labels of their own (which called the date
    # 01/01/2050 "not a date").
    text = f"CONFIDENTIAL STATE 000123\n\n{eo}\nTAGS: PREL\nSUBJECT: A\n\n¶1. (C) Text.\n"
    assert found(text, ["CBL302", "CBL303", "CBL900"]) == [
        ("CBL900", 3, column, f"eo did not parse: unexpected {unexpected}")
    ]


@pytest.mark.parametrize("label", ["E.0.", "E0", "E.Q.", "3.O."])
def test_an_eo_label_with_an_ocr_slip_is_the_eo_line(label: str) -> None:
    # labels.lark's EO_SLIP: the line is the E.O. line (its number and DECL are read and judged),
    # and CBL301 reports the label, not a missing line.
    text = (
        f"C O N F I D E N T I A L PARIS 001234\n\n{label} 19999: DECL: 05/05/2019\n"
        "TAGS: PREL FR\nSUBJECT: A SUBJECT\n\n¶1. (C) Text.\n"
    )
    eo = build(decode(text.encode())).eo
    assert (eo.label.text, eo.label_slip, eo.number.text) == (label, True, "19999")
    assert found(text, ["CBL301", "CBL303"]) == [
        (
            "CBL301",
            3,
            1,
            f"E.O. label written '{label}' (a digit for a letter): an OCR confusion; "
            "expected 'E.O.'",
        ),
        ("CBL303", 3, len(label) + 2, "E.O. 19999 is not a classification order"),
    ]


def test_eo_label_is_no_slip() -> None:
    text = "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 05/05/2019\n"
    assert build(decode(text.encode())).eo.label_slip is False


@pytest.mark.parametrize("label", ["Classfied By", "Clasified by", "classified by", "CLASIFIED BY"])
def test_a_misspelled_classified_by_label_is_the_classified_by_line(label: str) -> None:
    # labels.lark's CLBY_SLIP: the line is the Classified By field (its person and reasons are
    # read), the slip its first label without the colon; CBL308 names it instead of calling the
    # line missing.
    text = (
        "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 05/05/2019\n"
        f"TAGS: PREL FR\nSUBJECT: A SUBJECT\n{label}: Charge R. Miles, reasons 1.4 (b) and (d).\n"
        "\n¶1. (C) Text.\n"
    )
    clby = build(decode(text.encode())).classified_by
    assert clby is not None
    assert (clby.labels[0].text, clby.label_slip, clby.person.text) == (
        label,
        True,
        "Charge R. Miles",
    )
    after = len(label) + 33  # the column of (b)'s letter
    assert [(r.text, r.span.column) for r in clby.reason_letters] == [
        ("b", after),
        ("d", after + 8),
    ]
    assert found(text, ["CBL308"]) == [
        ("CBL308", 6, 1, f"Classified By label written '{label}': expected 'Classified By'")
    ]


@pytest.mark.parametrize(
    "line", ["Classified By: A. Person, Reasons 1.4 (b)", "CLASSIFIED BY: POLOFF; REASON 1.4(B)"]
)
def test_classified_by_label_is_no_slip(line: str) -> None:
    text = f"C O N F I D E N T I A L PARIS 001234\n\nSUBJECT: A SUBJECT\n{line}\n"
    clby = build(decode(text.encode())).classified_by
    assert (clby.labels[0].text.rstrip(": "), clby.label_slip) == (line[:13], False)


def test_a_misspelled_label_without_its_colon_is_prose() -> None:
    # Only with a colon: a line starting "Clarified by the minister" is no Classified By line.
    text = (
        "C O N F I D E N T I A L PARIS 001234\n\nSUBJECT: A SUBJECT\nClasified by Charge R. Miles\n"
    )
    assert build(decode(text.encode())).classified_by is None


def test_cbl308_an_authority_is_a_label_the_grammar_reads_not_a_phrase() -> None:
    # A glued Classified By label is the authority (model.build.authority_label); "derived from"
    # or "classified by" in a sentence is not, and no longer silences the rule.
    head = (
        "C O N F I D E N T I A L PARIS 001234\n\nE.O. 12958: DECL: 05/05/2019\n"
        "TAGS: PREL FR\nSUBJECT: A SUBJECT\n\n"
    )
    glued = "PARIS 00001234 001.2 OF 002 CLASSIFIED BY: A. Person; REASON: 1.4(B)\n\n"
    assert found(head + glued + "¶1. (C) Text.\n", ["CBL308"]) == []
    prose = "¶1. (C) Revenues derived from oil were classified by the ministry.\n"
    assert found(head + prose, ["CBL308"]) == [
        (
            "CBL308",
            5,
            1,
            "CONFIDENTIAL cable has no 'Classified By:' line: expected one after the metadata "
            "fields",
        )
    ]


@pytest.mark.parametrize(
    ("decl", "form", "codes"),
    [
        ("AS AMENDED; DECLASSIFIED JUNE 21, 2006", "declassified", []),
        ("DECL: DECLASSIFIED BY NARA 09/02/2009", "declassified", []),
        (
            "DECL: N/A",
            "term",
            [
                ("CBL303", 7, 6, "E.O. 12356 was not in force on the cable date 2009-04-24; "
                 "expected 12958"),
                ("CBL304", 7, 19, "SECRET cable declassifies 'N/A': expected a DECL date"),
            ],
        ),
    ],
)  # fmt: skip
def test_the_releases_declassified_note_exempts_the_eo_line(
    decl: str, form: str, codes: list[tuple[str, int, int, str]]
) -> None:
    # fields.lark's DECL_DECLASSIFIED: the release's note in the DECL place ("DECLASSIFIED BY
    # NARA ...") is no instruction; CBL303 and CBL304 read the model's decl_form for it.
    text = fixture("dates/eo_typo_unclas.txt").replace("E.O. 19523: N/A", f"E.O. 12356: {decl}")
    assert build(decode(text.encode())).eo.decl_form == form
    assert found(text, ["CBL303", "CBL304"]) == codes
