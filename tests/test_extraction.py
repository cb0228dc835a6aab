"""What ``parse`` extracts from the forms real cables take (issue 16's extraction gaps): each
fixture under tests/fixtures/extraction/ with the exact values and findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cablelint.engine.api import fix_text, lint_text
from cablelint.model.build import build
from cablelint.model.source import from_text

from .cli import run_main as run

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


def _parsed(name: str, capsys) -> dict:
    status, out, _ = run(capsys, "parse", "--format", "json", str(FIXTURES / name))
    assert status == 0
    return json.loads(out)


def test_a_visit_note_after_ovip_keeps_the_tags_after_it(capsys) -> None:
    record = _parsed("tags_visit_note.txt", capsys)
    assert record["tags"] == ["OVIP", "PREL", "PGOV", "PARM", "MNUC", "IT"]
    text = (FIXTURES / "tags_visit_note.txt").read_text(encoding="utf-8")
    cable = build(from_text(text))
    (ovip, *_) = cable.tags.tags
    assert ovip.note is not None and ovip.note.text == "(STEINBERG, JAMES B.)"
    assert [t.note for t in cable.tags.tags[1:]] == [None] * 5
    assert [d.code for d in lint_text(text) if d.span.line in (6, 7)] == []


@pytest.mark.parametrize(
    ("name", "letter"),
    [("refs", "A."), ("indented", "A."), ("dot", "A."), ("reftel", None)],
)
def test_every_form_of_the_ref_label_keeps_the_list_and_the_classified_by(
    name: str, letter: str | None, capsys
) -> None:
    record = _parsed(f"ref_{name}.txt", capsys)
    assert record["ref"] == [{"letter": letter, "text": "STATE 12345"}]
    assert record["classified_by"] == {
        "person": "Ambassador Ronald P. Spogli",
        "reason_section": "1.4",
        "reason_letters": ["b", "d"],
    }
    text = (FIXTURES / f"ref_{name}.txt").read_text(encoding="utf-8")
    assert [(d.code, d.span.line) for d in lint_text(text)] == []


def test_parse_tree_indents_every_line_of_a_multi_line_node(tmp_path: Path, capsys) -> None:
    cable = tmp_path / "c.txt"
    cable.write_text(
        "UNCLAS ROME 001234\n\nSUBJECT: A TEST\n\n-- A first line of prose\n"
        "a second line of prose\nand a third line of prose\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "parse", "--format", "tree", str(cable))
    assert status == 0
    assert out.splitlines()[-4:] == [
        "    block",
        "      -- A first line of prose",
        "      a second line of prose",
        "      and a third line of prose",
    ]
    assert [line for line in out.splitlines()[1:] if not line.startswith("  ")] == []


@pytest.mark.parametrize(
    ("label", "message", "fixed", "applicability"),
    [
        ("TAS:", "TAGS label written 'TAS': expected 'TAGS'", "TAGS:", "safe"),
        ("TABS:", "TAGS label written 'TABS': expected 'TAGS'", "TAGS:", "safe"),
        ("TGS:", "TAGS label written 'TGS': expected 'TAGS'", "TAGS:", "safe"),
        ("TAGES:", "TAGS label written 'TAGES': expected 'TAGS'", "TAGS:", "safe"),
        ("TAGS;", "TAGS label written 'TAGS;': expected 'TAGS:'", "TAGS:", "safe"),
        ("TAGS,", "TAGS label written 'TAGS,': expected 'TAGS:'", "TAGS:", "safe"),
    ],
)
def test_a_slip_in_the_tags_label_is_a_garbled_label_with_a_fix(
    label: str, message: str, fixed: str, applicability: str
) -> None:
    text = (FIXTURES / "tags_label_slip.txt").read_text(encoding="utf-8").replace("TAS:", label)
    cable = build(from_text(text))
    assert [t.code for t in cable.tags.tags] == ["PREL", "PGOV", "IT"]
    (finding,) = lint_text(text)
    assert (finding.code, finding.span.line, finding.span.column) == ("CBL306", 6, 1)
    assert finding.message == message
    assert finding.fix.applicability == applicability
    assert fix_text(text).splitlines()[5] == f"{fixed} PREL, PGOV, IT"


def test_a_slip_in_the_label_before_unknown_codes_is_fixed_only_as_unsafe() -> None:
    text = (FIXTURES / "tags_label_slip.txt").read_text(encoding="utf-8")
    text = text.replace("TAS: PREL, PGOV, IT", "TAS: XYZQ")
    (finding,) = lint_text(text)
    assert (finding.code, finding.fix.applicability) == ("CBL306", "unsafe")
    assert fix_text(text) == text
    assert fix_text(text, unsafe=True).splitlines()[5] == "TAGS: XYZQ"


def test_a_prose_line_with_a_colon_is_not_a_tags_line() -> None:
    text = (FIXTURES / "tags_label_slip.txt").read_text(encoding="utf-8")
    text = text.replace("TAS: PREL, PGOV, IT", "TAGS: PREL, PGOV, IT\n\nBAGS: 3 were lost")
    cable = build(from_text(text))
    assert [t.code for t in cable.tags.tags] == ["PREL", "PGOV", "IT"]
    assert [(ln.number, ln.kind) for ln in cable.lines if ln.kind == "TAGS"] == [(6, "TAGS")]


def test_a_classified_by_person_wrapped_over_two_lines_is_one_line_of_text(capsys) -> None:
    record = _parsed("clby_wrapped.txt", capsys)
    assert record["classified_by"] == {
        "person": "Political Minister-Counselor Ronald P. Spogli",
        "reason_section": "1.4",
        "reason_letters": ["b", "d"],
    }


def _metadata(name: str) -> tuple[str, list]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return text, list(build(from_text(text)).metadata)


def test_a_ref_glued_without_a_space_is_its_own_field_and_the_join_is_reported(capsys) -> None:
    record = _parsed("glued_ref_no_space.txt", capsys)
    assert record["subject"] == "MEETING WITH FM PRIME"
    assert record["ref"] == [
        {"letter": "A.", "text": "STATE 1234"},
        {"letter": "B.", "text": "ROME 55"},
    ]
    text, metadata = _metadata("glued_ref_no_space.txt")
    subject, ref = metadata[2], metadata[3]
    assert (subject.span.line, subject.span.column, subject.span.end_column) == (7, 1, 31)
    assert (ref.span.line, ref.span.column, ref.label.text) == (7, 31, "REF:")
    (finding,) = lint_text(text)
    assert (finding.code, finding.span.line, finding.span.column) == ("CBL312", 7, 31)
    assert finding.message == (
        "REF label 'REF:' joined to the SUBJECT line after 'PRIME': expected it on its own line"
    )
    assert fix_text(text).splitlines()[6:8] == [
        "SUBJECT: MEETING WITH FM PRIME",
        "REF: A. STATE 1234 B. ROME 55",
    ]


def test_a_subject_with_a_glued_classified_by_and_reftels_holds_three_fields(capsys) -> None:
    record = _parsed("glued_clby_ref.txt", capsys)
    assert record["subject"] == "THE FOREIGN MINISTER ON THE VISIT"
    assert record["classified_by"] == {
        "person": "Ambassador Ronald P. Spogli",
        "reason_section": "1.4",
        "reason_letters": ["b", "d"],
    }
    assert record["ref"] == [
        {"letter": "A)", "text": "STATE 12345,"},
        {"letter": "B)", "text": "ROME 55"},
    ]
    text, metadata = _metadata("glued_clby_ref.txt")
    assert [(type(n).__name__, n.span.column) for n in metadata[2:]] == [
        ("SubjectField", 1),
        ("ClassifiedBy", 44),
        ("RefField", 113),
    ]
    joined = [(d.span.column, d.message) for d in lint_text(text) if d.code == "CBL312"]
    assert joined == [
        (
            44,
            "Classified By label 'Classified By:' joined to the SUBJECT line after 'VISIT': "
            "expected it on its own line",
        ),
        (
            113,
            "REF label 'REFTELS:' joined to the Classified By line after '(d).': expected it "
            "on its own line",
        ),
    ]
    assert fix_text(text).splitlines()[6:9] == [
        "SUBJECT: THE FOREIGN MINISTER ON THE VISIT",
        "Classified By: Ambassador Ronald P. Spogli, Reasons 1.4 (b) and (d).",
        "REFTELS: A) STATE 12345, B) ROME 55",
    ]


def test_an_eo_glued_onto_a_passline_and_tags_onto_it_are_fields(capsys) -> None:
    record = _parsed("glued_eo_passline.txt", capsys)
    assert record["eo"] == {"number": "12958", "decl": "05/01/2018", "decl_date": "2018-05-01"}
    assert record["tags"] == ["PREL", "PGOV", "IT"]
    text = (FIXTURES / "glued_eo_passline.txt").read_text(encoding="utf-8")
    cable = build(from_text(text))
    assert [p.span.end_column for p in cable.passlines] == [16]
    assert [(type(j.host).__name__, type(j.field).__name__) for j in cable.joins] == [
        ("Passline", "EoLine"),
        ("EoLine", "TagsField"),
    ]
    assert [(d.code, d.span.column) for d in lint_text(text)] == [("CBL312", 17), ("CBL312", 46)]


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_glued_field_that_runs_on_is_read_whatever_the_line_ends(line_end: str) -> None:
    """TAGS glued onto the E.O. line and running on to the next line: the same fields with LF,
    CRLF or lone CR line ends (under CRLF the TAGS were lost into the E.O. line)."""
    text = (
        "UNCLASSIFIED\n\nE.O. 12958: DECL: 02/14/2018 TAGS: BR PREL MARR\nBR, PREL, MARR\n"
        "SUBJECT: AMBASSADOR'S MEETING\n\n1. Hello.\n"
    ).replace("\n", line_end)
    cable = build(from_text(text))
    assert [t.code for t in cable.tags.tags] == ["BR", "PREL", "MARR"] * 2
    assert cable.eo.decl.text == "02/14/2018"
    assert [(d.code, d.span.line, d.span.column) for d in lint_text(text, select=["CBL312"])] == [
        ("CBL312", 3, 30)
    ]


@pytest.mark.parametrize(
    "line",
    [
        "SUBJECT: DOCUMENTS CLASSIFIED BY THE MINISTRY",  # no colon: prose
        "SUBJECT: THE BRIEF: WHAT THE MINISTER SAID",  # a word ending in ...EF
        "SUBJECT: DECLASSIFIED BY: THE MINISTRY",  # DE before CLASSIFIED BY
    ],
)
def test_prose_in_a_subject_is_not_split(line: str) -> None:
    text = (FIXTURES / "glued_ref_no_space.txt").read_text(encoding="utf-8")
    text = text.replace("SUBJECT: MEETING WITH FM PRIMEREF: A. STATE 1234 B. ROME 55", line)
    cable = build(from_text(text))
    assert cable.subject_text == line.removeprefix("SUBJECT: ")
    assert cable.joins == ()
    assert [d.code for d in lint_text(text)] == []


def test_fields_after_a_classified_by_and_a_passline_are_metadata(capsys) -> None:
    record = _parsed("clby_then_passline.txt", capsys)
    assert record["eo"] == {"number": "12958", "decl": "05/01/2018", "decl_date": "2018-05-01"}
    assert record["tags"] == ["PREL", "PGOV", "IT"]
    assert record["subject"] == "THE FOREIGN MINISTER ON THE VISIT"
    assert record["paragraphs"] == [{"number": 1, "marking": "C", "line": 13}]
    text = (FIXTURES / "clby_then_passline.txt").read_text(encoding="utf-8")
    cable = build(from_text(text))
    assert [p.text for p in cable.passlines] == ["PASS TO NSC FOR SMITH"]
    findings = [(d.code, d.span.line, d.message) for d in lint_text(text)]
    assert findings == [
        (
            "CBL311",
            9,
            "E.O. after Classified By: expected the order E.O., TAGS, SUBJECT, REF, Classified By",
        )
    ]


@pytest.mark.parametrize(
    ("name", "person", "section", "letters", "where"),
    [
        ("clby_in_paragraph", "Ambassador Ronald P. Spogli", "1.4", ["b", "d"], (9, 9)),
        ("clby_marked_line", "Ronald P. Spogli, Ambassador, Embassy Rome", "1.4", ["c", "d"],
         (9, 5)),
        ("derived_from", "DSCG 05-1 B, D", None, [], (9, 1)),
    ],
)  # fmt: skip
def test_the_classification_authority_is_the_classified_by_wherever_it_is_written(
    name: str, person: str, section: str | None, letters: list[str], where, capsys
) -> None:
    record = _parsed(f"{name}.txt", capsys)
    assert record["classified_by"] == {
        "person": person,
        "reason_section": section,
        "reason_letters": letters,
    }
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    clby = build(from_text(text)).classified_by
    assert (clby.span.line, clby.span.column) == where
    assert [d.code for d in lint_text(text)] == []


def test_an_editor_s_note_below_the_addressees_is_a_passline_not_an_addressee() -> None:
    """08STATE93970 as inscriptis and markdownify write it: the blank line after the TO list is
    lost, and the release's note ("NOTE - DO NOT PUBLISH ...") stands right below the last
    addressee. It is the passline it is in the clean text, and the lost blank line is CBL108's."""
    text = (FIXTURES / "note_after_addressees.txt").read_text(encoding="utf-8")
    cable = build(from_text(text))
    assert cable.header is not None and cable.header.to is not None
    names = [a.name.text if a.name else None for a in cable.header.to.addressees]
    assert names == ["AMEMBASSY BERLIN", "USMISSION GENEVA"]
    assert cable.header.to.lines[-1].content == "RUEHGV/USMISSION GENEVA IMMEDIATE 0000"
    assert [p.text for p in cable.passlines] == [
        "NOTE - DO NOT PUBLISH - AWAITING LEGAL ON MENTION OF PACHAURI"
    ]
    found = [(d.code, d.span.line, d.span.column, d.message) for d in lint_text(text)]
    assert found == [
        ("CBL108", 10, 1, "the transmission header runs into the next line without its blank line")
    ]
    assert fix_text(text) == text.replace("0000\nNOTE", "0000\n\nNOTE")


@pytest.mark.parametrize(
    ("name", "first", "last_addressee", "dump"),
    [
        ("record_after_addressees.txt", ">", "RUEKJCS/SECDEF WASHDC PRIORITY 0291",
         "database record dump ('7/29/2009 14:42', '09KHARTOUM123', …) inside the cable; "
         "expected only cable text"),
        ("labelled_record_after_addressees.txt", "ID: 190000", "RHBVAKS/COMUSNAVCENT  PRIORITY",
         "database record dump ('ID: 190000', 'ORIGIN: 09KUWAIT123', …) inside the cable; "
         "expected only cable text"),
    ],
)  # fmt: skip
def test_a_record_dump_below_the_addressees_is_not_an_addressee(
    name: str, first: str, last_addressee: str, dump: str
) -> None:
    """09KHARTOUM881, 09ULAANBAATAR234, 09NAIROBI2497 and 09KUWAIT110 as markdownify, inscriptis,
    lynx and w3m write them: the blank line between the release's two blocks is lost, and the
    database record that opens the body (its '>' marker, date and id, or its labelled ID line)
    stands right below the last addressee. It is not one more addressee: the header ends at the
    last addressee, and CBL108 restores the blank line there (it inserted it after the second
    copy of the header further down, when the record lines were read as addressees)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cable = build(from_text(text))
    assert cable.header is not None and cable.header.info is not None
    assert cable.header.info.lines[-1].content == last_addressee
    assert cable.header.lines[-1].number == 9
    found = [(d.code, d.span.line, d.span.column, d.message) for d in lint_text(text)]
    assert found == [
        ("CBL108", 10, 1, "the transmission header runs into the next line without its blank line"),
        ("CBL107", 10, 1, dump),
    ]
    assert fix_text(text) == text.replace(f"\n{first}\n", f"\n\n{first}\n", 1)
