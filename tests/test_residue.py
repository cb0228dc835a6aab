"""Conversion residue (grammar/residue.lark, cablelint.residue): each kind's node, finding and fix
on fixtures written as the converters write a cable, and the cable read from inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import configure, fix_text, lint_source, lint_text
from cablelint.model.build import build
from cablelint.model.residue import read_residue
from cablelint.model.source import decode, from_text

FIXTURES = Path(__file__).parent / "fixtures" / "residue"
RESIDUE_CODES = ["CBL108", "CBL306", "CBL503", "CBL515", "CBL516", "CBL517", "CBL608", "CBL609"]
#: Per fixture: (code, line, column, end line, end column) of every residue finding.
EXPECTED = {
    "pandoc-plain": [("CBL608", 1, 1, 3, 91), ("CBL609", 5, 1, 33, 10)],
    # Several nodes of one rule are one finding, from the first to the end of the last.
    "pandoc-gfm": [("CBL608", 1, 1, 3, 247), ("CBL609", 5, 1, 37, 10)],
    "html2text": [
        ("CBL608", 1, 1, 3, 249),
        ("CBL609", 4, 1, 40, 2),
        ("CBL306", 25, 11, 25, 102),
    ],
    "markdownify": [
        ("CBL608", 1, 1, 3, 247),
        ("CBL609", 5, 1, 36, 9),
        ("CBL108", 17, 1, 17, 40),
    ],
    "lynx": [("CBL608", 1, 1, 3, 12), ("CBL108", 14, 1, 14, 40), ("CBL517", 26, 1, 27, 71)],
    # Broken in a word (26, 28), at a space the browser dropped (27) and early before a curly
    # quote (30): one finding for the file's re-wrap, from its first break to the end of its
    # last. The cable's own lines of 79 and 80 characters before a label (21) and a paragraph
    # (29) stay.
    "lynx-wrapped": [("CBL608", 1, 1, 3, 12), ("CBL517", 26, 1, 31, 60)],
    # The page table as w3m draws it when it narrows the first column: "ID" under "Reference".
    "w3m": [("CBL608", 1, 1, 6, 23)],
    "inline": [("CBL516", 27, 18, 27, 81), ("CBL515", 27, 84, 27, 99)],
}


def _fixture(name: str, file: str = "cable.txt") -> str:
    return (FIXTURES / name / file).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_residue_kind_is_reported_where_it_stands(name: str) -> None:
    found = [
        (d.code, d.span.line, d.span.column, d.span.end_line, d.span.end_column)
        for d in lint_text(_fixture(name), select=RESIDUE_CODES)
    ]
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_fixes_give_the_cable_back(name: str) -> None:
    text = _fixture(name)
    fixed = fix_text(text, select=[*RESIDUE_CODES, "CBL510"], unsafe=True)
    assert fixed == _fixture(name, "fixed.txt")
    assert not lint_text(fixed)  # the fixed text is a clean cable


def test_a_closing_fence_at_the_end_takes_the_blank_line_before_it() -> None:
    """html2text ends its file with a blank line and a closing fence: both are the converter's
    (nothing of the cable follows its last line), so the fence's fix alone ends the cable with its
    last line and one newline, and no blank line is left at the end for the line-hygiene rule."""
    text = _fixture("html2text")
    assert text.endswith("    EASON\n\n`\n")
    assert lint_text(text, select=["CBL510"]) == []
    fixed = fix_text(text, select=["CBL608", "CBL609"])
    assert fixed.endswith("R&D.\n\nEASON\n")
    # A fence inside the file keeps the cable's blank line before it.
    inside = "```\nC O N F I D E N T I A L BRUSSELS 001596\n\nSIPDIS\n\n```\n¶1. (C) Text.\n```\n"
    assert fix_text(inside, select=["CBL609"]) == (
        "C O N F I D E N T I A L BRUSSELS 001596\n\nSIPDIS\n\n¶1. (C) Text.\n"
    )


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        ("w3m", 35, 1, "a blank line at the end of the file; expected it to end with one newline"),
        ("inscriptis", 23, 6, "no newline at the end of the file"),
    ],
)
def test_a_converter_s_file_end_is_fixed_to_the_cable_s(
    name: str, line: int, column: int, message: str
) -> None:
    """w3m ends its dump with a blank line, inscriptis without a final newline: the line-hygiene
    rule's (the ending of any file), whose safe fix ends the cable as the release does."""
    text = _fixture(name)
    found = [
        (d.span.line, d.span.column, d.message)
        for d in lint_text(text, select=["CBL510"])
        if "end of the file" in d.message
    ]
    assert found == [(line, column, message)]
    assert fix_text(text, select=["CBL510"]).endswith("R&D.\n\nEASON\n")


def test_only_the_rewrap_join_is_unsafe() -> None:
    text = _fixture("lynx")
    safe = fix_text(text, select=RESIDUE_CODES)
    assert "Disarmament\n, who said" in safe  # the break stays
    assert "Disarmament, who said" in fix_text(text, select=RESIDUE_CODES, unsafe=True)


def test_rewrapped_lines_join_with_crlf_line_ends() -> None:
    text = _fixture("lynx-wrapped").replace("\n", "\r\n")
    fixed = fix_text(text, select=[*RESIDUE_CODES, "CBL510"], unsafe=True)
    assert fixed == _fixture("lynx-wrapped", "fixed.txt").replace("\n", "\r\n")


def test_a_partial_extract_whose_blocks_were_joined() -> None:
    # inscriptis joins the page's two blocks: the date line of the first runs into the banner.
    text = _fixture("inscriptis")
    found = [(d.code, d.span.line, d.span.column) for d in lint_text(text, select=RESIDUE_CODES)]
    assert found == [("CBL608", 1, 1), ("CBL108", 7, 1)]
    fixed = fix_text(text, select=[*RESIDUE_CODES, "CBL510"], unsafe=True)
    assert fixed == _fixture("inscriptis", "fixed.txt")
    assert not lint_text(fixed)
    cable, clean = build(from_text(text)), build(from_text(fixed))
    assert (cable.classification, cable.subject_text, cable.tag_list) == (
        clean.classification,
        clean.subject_text,
        clean.tag_list,
    )
    assert [p.value for p in cable.paragraphs] == [1, 2]


def test_a_markdown_writers_line_of_the_rewrap_width_is_not_a_break() -> None:
    # html2text: a TAGS line that its links make 80 characters long, above the SUBJECT line.
    tags = "    TAGS: [KNNP](/tag/KNNP.html) [IR](/tag/IR.html) [PREL](/tag/PREL_0.html)  BE"
    assert len(tags) == 80
    lines = _fixture("html2text").split("\n")
    assert lines[24].lstrip().startswith("TAGS:") and lines[25].lstrip().startswith("SUBJECT:")
    text = "\n".join([*lines[:24], tags, *lines[25:]])
    assert not lint_text(text, select=["CBL517"])
    assert build(from_text(text)).subject_text == "BELGIUM: VIEWS ON THE NEXT STEPS"


def test_a_break_on_a_double_space_keeps_both_spaces() -> None:
    # Two breaks in a word make the evidence; the third fell on the first of two spaces.
    lines = ["a" * 79 + "b", "cd.", "e" * 79 + "f", "gh.", "ijk " + "l" * 74 + ".", " Next one."]
    assert len(lines[4]) == 79
    text = "\n".join(lines) + "\n"
    fixed = fix_text(text, select=["CBL517"], unsafe=True)
    assert fixed.splitlines() == [
        lines[0] + lines[1],
        lines[2] + lines[3],
        lines[4] + "  Next one.",
    ]


def test_a_line_of_the_width_that_closes_a_phrase_before_a_capital_is_the_writers() -> None:
    # 08STATE93970's CV list: "... (PhD, Engineering and Earth Sciences)" is 80 characters and
    # "Ecole Nationale ..." its own line; a break there would have to split ")Ecole".
    cv = "University of Pierre et Marie Curie, Paris (PhD, Engineering and Earth Sciences)"
    assert len(cv) == 80
    lines = ["a" * 79 + "b", "cd.", "e" * 79 + "f", "gh.", cv, "Ecole Nationale des Mines"]
    text = "\n".join(lines) + "\n"
    fixed = fix_text(text, select=["CBL517"], unsafe=True)
    assert fixed.splitlines() == [lines[0] + lines[1], lines[2] + lines[3], cv, lines[5]]
    # Before a lower-case letter the same line is a break inside the text.
    text = text.replace("Ecole Nationale", "ecole nationale")
    assert (
        fix_text(text, select=["CBL517"], unsafe=True).splitlines()[2]
        == cv + "ecole nationale des Mines"
    )


def test_the_cable_is_read_with_rewrapped_lines_joined() -> None:
    cable = build(from_text(_fixture("lynx-wrapped")))
    assert cable.subject_text == (
        "BELGIUM: VIEWS ON THE NEXT STEPS AFTER THE BOARD OF GOVERNORS MEETINGS"
    )
    first = cable.paragraphs[0].body
    assert first is not None and first.text.startswith("Poloff met")
    assert "Disarmament, who said" in first.text and "Tehran did not" in first.text
    assert "noted that the EU" in first.text
    assert cable.paragraphs[1].body is not None
    assert "the Presidency’s team" in cable.paragraphs[1].body.text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_cable_inside_the_residue_is_read_as_the_cable(name: str) -> None:
    cable = build(from_text(_fixture(name)))
    clean = build(from_text(_fixture(name, "fixed.txt")))
    assert cable.reference_id == clean.reference_id == "09BRUSSELS1596"
    assert cable.classification == clean.classification == "CONFIDENTIAL"
    assert (cable.dtg, cable.origin, cable.subject_text) == (
        clean.dtg,
        clean.origin,
        clean.subject_text,
    )
    assert cable.tag_list == clean.tag_list == ("KNNP", "IR", "PREL", "BE")
    assert [p.value for p in cable.paragraphs] == [1, 2]
    assert not cable.problems


def test_the_page_table_is_not_the_banner() -> None:
    cable = build(from_text(_fixture("pandoc-plain")))
    assert [b.lines[0].content for b in cable.banners] == [
        "C O N F I D E N T I A L BRUSSELS 001596"
    ]
    assert cable.header is not None and cable.header.transmission_id is not None


def test_offsets_in_the_cable_map_back_to_the_file() -> None:
    text = "    ABC [de](/x) f&amp;g\n"
    residue = read_residue(text)
    assert residue is not None
    assert residue.view == "ABC de f&g\n"
    assert [n.kind for n in residue.nodes] == ["code-block", "link", "entity"]
    # "ABC" -> after the indentation; "de" -> inside the brackets; "&" -> the whole entity.
    assert residue.to_file_range(0, 3) == (4, 7)
    assert residue.to_file_range(4, 6) == (9, 11)
    assert residue.to_file_range(8, 9) == (18, 23)
    assert residue.to_file_range(4, 4) == (9, 9)
    assert residue.to_file_range(0, len(residue.view)) == (4, len(text))


def test_a_clean_cable_has_no_residue() -> None:
    assert read_residue(_fixture("lynx", "fixed.txt")) is None
    assert read_residue("¶1. (C) An indented passage follows.\n\n    Quoted.\n") is None


def test_indented_text_inside_a_cable_is_not_a_code_block() -> None:
    text = "C O N F I D E N T I A L BRUSSELS 001596\n\n¶1. (C) Points:\n\n    First.\n    Second.\n"
    assert not lint_text(text, select=["CBL609"])


def test_a_cr_only_file_with_residue_keeps_its_line_end_finding() -> None:
    """The cable inside the residue is read as the file is: CBL510 (which reads the cable text
    inside the residue) still knows that every line of the file ends with a lone CR."""
    data = _fixture("inline").replace("\n", "\r").encode()
    source = decode(data)
    assert source.cr_lines
    found = [
        (d.code, d.span.line, d.span.column, d.message)
        for d in lint_source(source, configure(["CBL510", "CBL516"])).diagnostics
    ]
    assert found == [
        ("CBL510", 1, 1, "every line ends with a lone CR (classic Mac OS); expected LF or CRLF"),
        ("CBL516", 27, 18, "2 HTML entities left undecoded (line 27); the first, '&#39;': "
         "expected '''"),
    ]  # fmt: skip


def test_a_lone_cr_ends_a_line_for_the_residue_as_for_the_cable() -> None:
    """A lone CR early in the file (found by the fuzz test) used to shift every line start of the
    residue reader by one, so each link was read twice: its edits overlapped, the view repeated
    text ('KNNP KNNP IR') and the view's end mapped past the end of the file."""
    text = "\rVZCZCXRO4471\n\nTAGS: [KNNP](#) [IR](#)\nE.O. 12958: DECL: 11/08/2019\n\nBEECROFT"
    residue = read_residue(text)
    assert residue is not None
    assert [(n.kind, n.span.line, n.span.column) for n in residue.nodes] == [
        ("link", 4, 7),
        ("link", 4, 17),
    ]
    assert "TAGS: KNNP IR\n" in residue.view
    assert residue.to_file_range(0, len(residue.view)) == (0, len(text))
    found = [(d.code, d.span.line, d.span.column) for d in lint_text(text, select=["CBL306"])]
    assert found == [("CBL306", 4, 7)]


def test_the_re_wrap_finding_says_where_and_how_each_line_was_broken() -> None:
    """One finding for the file's re-wrap; its message names each way the browser broke lines
    with the lines it broke so, and each break is a related location with its own line and
    detail (SARIF shows them)."""
    (found,) = lint_text(_fixture("lynx-wrapped"), select=["CBL517"])
    assert (found.span.line, found.span.column, found.message) == (
        26, 1,
        "4 lines broken at 80 columns by a text browser: 2 at column 80 (lines 26 and 28), 1 on a "
        "space it dropped (line 27) and 1 before a curly quote (line 30)",
    )  # fmt: skip
    assert [(r.span.line, r.span.column, r.span.end_line, r.message) for r in found.related] == [
        (26, 1, 27, "a line broken at 80 columns by a text browser"),
        (27, 1, 28, "a line broken at 80 columns by a text browser (on a space it dropped)"),
        (28, 1, 29, "a line broken at 80 columns by a text browser"),
        (30, 1, 31, "a line broken at 80 columns by a text browser (before a curly quote)"),
    ]
    assert len(found.fix.edits) == 4


def test_a_lone_node_has_no_related_locations() -> None:
    (found,) = lint_text(fix_text(_fixture("lynx")), select=["CBL517"])
    assert found.related == ()


def test_a_plain_fix_leaves_the_evidence_of_the_rewrap() -> None:
    """The safe fixes remove the page's table and insert the header's blank line; the re-wrapped
    line is still there and still reported (where it now stands), and a second fix changes
    nothing."""
    fixed = fix_text(_fixture("lynx"))
    found = [
        (d.code, d.span.line, d.span.column, d.span.end_line, d.span.end_column, d.message)
        for d in lint_text(fixed)
    ]
    assert found == [("CBL517", 23, 1, 24, 71, "a line broken at 80 columns by a text browser")]
    assert fix_text(fixed) == fixed
    assert fix_text(fixed, unsafe=True) == _fixture("lynx", "fixed.txt")


_LINE_80 = "¶1. (C) The delegation was stopped three times by the local police on the way to"


@pytest.mark.parametrize(
    ("first", "second", "rewrapped"),
    [
        (_LINE_80, "the airport on August 11.", False),  # two words: a writer's break
        (_LINE_80[:-2] + "ai", "rport. The airport is new.", True),  # 'airport' is whole later
        (_LINE_80[:-2] + "ai", "rport.", False),  # no whole 'airport' in the file
        (_LINE_80, " the airport on August 11.", True),  # the space the break fell on
        (_LINE_80, ", who said so.", True),  # no writer starts a line with a comma
        (_LINE_80, "  the airport on August 11.", False),  # an indented line
    ],
)
def test_one_break_is_a_browser_s_when_the_lines_show_it(
    first: str, second: str, rewrapped: bool
) -> None:
    assert len(first) == 80
    text = f"C O N F I D E N T I A L BRUSSELS 001596\n\n{first}\n{second}\n"
    found = [(d.span.line, d.span.end_line) for d in lint_text(text, select=["CBL517"])]
    assert found == ([(3, 4)] if rewrapped else [])


def test_a_section_line_or_a_heading_after_a_line_of_the_width_is_the_cable_s_own() -> None:
    """lynx keeps a line of exactly 80 characters that the cable itself ended there; the next
    line is a section line or a heading over an underline of its length, which stand on lines
    of their own (09ISLAMABAD516, 09CARACAS1333). A line of dashes under the end of a paragraph
    is no heading's: the break before that line is still a break."""
    broken = [_LINE_80[:-2] + "ai", "rport. The airport is new.", ""]
    section = [_LINE_80, "BRUSSELS 00001596 002 OF 003", "the airport on August 11.", ""]
    heading = [_LINE_80, "The Airport", "-----------", ""]
    divider = [_LINE_80[:-2] + "ai", "rport today.", "-----------------------------", ""]
    text = "\n".join(["C O N F I D E N T I A L BRUSSELS 001596", "", *broken * 2, *section,
                     *heading, *divider])  # fmt: skip
    (found,) = lint_text(text, select=["CBL517"])
    assert found.message == (
        "3 lines broken at 80 columns by a text browser, all at column 80 (lines 3, 6 and 17)"
    )
    fixed = fix_text(text, select=["CBL517"], unsafe=True)
    assert "to\nBRUSSELS 00001596 002 OF 003\n" in fixed
    assert "to\nThe Airport\n---" in fixed
    assert "the way airport today.\n-----" in fixed


def test_a_break_on_two_spaces_that_filled_the_width_gives_both_back() -> None:
    """Two spaces at columns 79 and 80 (a sentence's double space, or a typing slip): the browser
    drops both and the line is 78 characters long (09BRASILIA791). A line with a character of
    several bytes is not read so (the browser may count them as columns)."""
    line_78, quoted = _LINE_80[:-6] + "road", _LINE_80[:-6] + "’s r"
    assert len(line_78) == len(quoted) == 78
    text = "\n".join(["C O N F I D E N T I A L BRUSSELS 001596", "",
                     _LINE_80[:-2] + "ai", "rport. The airport is new.", "",
                     line_78, "being there.", "", quoted, "being there.", ""])  # fmt: skip
    (found,) = lint_text(text, select=["CBL517"])
    assert found.message == (
        "2 lines broken at 80 columns by a text browser: 1 at column 80 (line 3) and 1 on a space "
        "it dropped (line 6)"
    )
    assert found.related[1].message == (
        "a line broken at 80 columns by a text browser (on 2 spaces it dropped)"
    )
    fixed = fix_text(text, select=["CBL517"], unsafe=True)
    assert f"{line_78}  being there.\n" in fixed
    assert "’s r\nbeing there.\n" in fixed


def test_a_line_lengthened_by_a_fix_leaves_the_other_breaks() -> None:
    """A dump has no line longer than the width, but a fix of the cable's own damage may
    lengthen one: one such line per ten breaks is tolerated, not more."""
    breaks = [_LINE_80, "goes on here.", ""] * 10
    longer = "x" * 81
    text = "\n".join([longer, "", *breaks])
    found = [(d.span.line, d.message) for d in lint_text(text, select=["CBL517"])]
    assert found == [
        (3, "10 lines broken at 80 columns by a text browser, all at column 80 (lines 3, 6, 9, "
            "12, 15, 18, 21, 24 and 2 more)")
    ]  # fmt: skip
    text = "\n".join([longer, "", *breaks[: 9 * 3]])
    assert lint_text(text, select=["CBL517"]) == []


#: Per fixture: (code, line, column, message, fix title, number of edits) of the residue
#: findings that stand for several nodes.
SEVERAL = {
    "html2text": [
        ("CBL609", 4, 1, "3 Markdown code fences (lines 4, 17 and 40) and 2 code blocks indented "
         "by 4 spaces (lines 7-15 and 20-38)", "remove the code indentation and the fences", 31),
        ("CBL306", 25, 11, "4 tags are written as Markdown links (the first "
         "'[KNNP](/tag/KNNP_0.html)'): expected 'KNNP IR PREL BE'", "Write 'KNNP IR PREL BE'", 4),
    ],
    "markdownify": [
        ("CBL609", 5, 1, "4 Markdown code fences (lines 5, 15, 16 and 36)", "remove the fences", 4)
    ],
    "inline": [
        ("CBL516", 27, 18, "2 HTML entities left undecoded (line 27); the first, '&#39;': "
         "expected '''", "decode the entities", 2),
        ("CBL515", 27, 84, "4 Markdown escapes (line 27); the first, '\\*': expected '*'",
         "remove the backslashes", 4),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SEVERAL))
def test_several_nodes_of_a_rule_are_one_finding_at_the_first(name: str) -> None:
    """A converter changes the whole file: one finding per rule, at the first node, that counts
    the nodes and names their lines, and whose fix covers each of them."""
    found = [
        (d.code, d.span.line, d.span.column, d.message, d.fix.message, len(d.fix.edits))
        for d in lint_text(_fixture(name), select=RESIDUE_CODES)
        if d.code != "CBL608" and d.code != "CBL108"
    ]
    assert found == SEVERAL[name]


def test_several_links_in_the_text_are_one_finding() -> None:
    text = (
        "C O N F I D E N T I A L BRUSSELS 001596\n\n"
        "¶1. (C) See [the report](http://x/a) and [the annex](http://x/b).\n\n"
        '¶2. (C) And [the map](/m "Map").\n'
    )
    (found,) = lint_text(text, select=["CBL503"])
    assert (found.span.line, found.span.column, found.span.end_line, found.span.end_column) == (
        3, 13, 5, 32,
    )  # fmt: skip
    assert found.message == (
        "3 Markdown links (lines 3 and 5); the first, '[the report](http://x/a)': "
        "expected 'the report'"
    )
    assert fix_text(text, select=["CBL503"]) == (
        "C O N F I D E N T I A L BRUSSELS 001596\n\n"
        "¶1. (C) See the report and the annex.\n\n"
        "¶2. (C) And the map.\n"
    )


def test_one_node_keeps_its_own_finding() -> None:
    text = "C O N F I D E N T I A L BRUSSELS 001596\n\n¶1. (C) R&amp;D.\n"
    found = [(d.span.line, d.span.column, d.message) for d in lint_text(text, select=["CBL516"])]
    assert found == [(3, 10, "HTML entity '&amp;' left undecoded: expected '&'")]


def test_a_name_that_is_no_entity_loses_the_semicolon_html2text_added() -> None:
    """html2text writes the page's bare ampersand before a word as an entity of that name, with a
    semicolon: 'R&D;', '&there;,s', '&off-script.8;'. In a Markdown writer's file the fix takes
    the semicolon out (the cable text never has one), and the cable is read without it."""
    text = (
        "```\nC O N F I D E N T I A L PARIS 008983\n\n"
        "¶1. (C) Roy said that &there;,s a tradition of R&D; spending.\n"
        "¶2. (C) They will take them &off-script.8;\n```\n"
    )
    (found,) = lint_text(text, select=["CBL516"])
    assert (found.span.line, found.span.column, found.message) == (
        4, 23,
        "3 semicolons a converter added after a bare '&' (lines 4 and 5); the first, '&there;': "
        "expected '&there'",
    )  # fmt: skip
    assert [(r.span.line, r.span.column, r.message) for r in found.related] == [
        (4, 23, "'&there;' is no HTML entity: a converter added the ';' after a bare '&': "
                "expected '&there'"),
        (4, 49, "'&D;' is no HTML entity: a converter added the ';' after a bare '&': "
                "expected '&D'"),
        (5, 29, "'&off-script.8;' is no HTML entity: a converter added the ';' after a bare "
                "'&': expected '&off-script.8'"),
    ]  # fmt: skip
    assert fix_text(text, select=["CBL516", "CBL609"]) == (
        "C O N F I D E N T I A L PARIS 008983\n\n"
        "¶1. (C) Roy said that &there,s a tradition of R&D spending.\n"
        "¶2. (C) They will take them &off-script.8\n"
    )


def test_undecoded_entities_and_added_semicolons_are_counted_apart() -> None:
    text = (
        "```\nC O N F I D E N T I A L PARIS 008983\n\n¶1. (C) R&D; and &amp; then R&amp;D.\n```\n"
    )
    (found,) = lint_text(text, select=["CBL516"])
    assert found.message == (
        "2 HTML entities left undecoded (line 4) and 1 semicolon a converter added after a bare "
        "'&' (line 4); the first, '&D;': expected '&D'"
    )


def test_a_name_that_is_no_entity_stays_outside_a_markdown_file() -> None:
    text = "C O N F I D E N T I A L PARIS 008983\n\n¶1. (C) AT&T; then R&D; and &there;.\n"
    assert lint_text(text, select=["CBL516"]) == []
    assert read_residue(text) is None


def test_a_name_that_only_begins_like_a_legacy_entity_is_not_decoded() -> None:
    """html.unescape reads '&notably;' as '¬ably;' (the legacy '&not' without a semicolon): no
    entity is decoded that is not one whole."""
    text = "C O N F I D E N T I A L PARIS 008983\n\n¶1. (C) We &notably; said &amp; so.\n"
    found = [(d.span.column, d.message) for d in lint_text(text, select=["CBL516"])]
    assert found == [(27, "HTML entity '&amp;' left undecoded: expected '&'")]
