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
