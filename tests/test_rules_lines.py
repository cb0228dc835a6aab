"""Line hygiene rules CBL509-CBL512 on whole synthetic cables and on the seeds."""

from __future__ import annotations

from pathlib import Path

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


LF_ONLY = {"CBL510": {"line-ending": "lf"}}
CRLF_ONLY = {"CBL510": {"line-ending": "crlf"}}


def fixed(name: str, codes=("CBL510",), **kw) -> bytes:
    """The file's bytes after ``check --fix`` with ``codes`` (and ``options``)."""
    source = decode((FIXTURES / name).read_bytes())
    return source.encode(fix_source(source, configure(list(codes), **kw)).text)


def clean_bytes(newline: str = "\n") -> bytes:
    return fixture("clean/wrapped.txt").replace("\n", newline).encode()


def test_a_crlf_file_is_its_own_convention_by_default() -> None:
    assert found(fixture("hygiene/crlf.txt"), ["CBL510"]) == []
    assert fixed("hygiene/crlf.txt") == clean_bytes("\r\n")  # --fix keeps it CRLF


def test_line_ending_lf_reports_a_crlf_file_once_and_converts_it() -> None:
    assert found(fixture("hygiene/crlf.txt"), ["CBL510"], options=LF_ONLY) == [
        ("CBL510", 1, 13, "38 CRLF line ends; expected LF")
    ]
    assert fixed("hygiene/crlf.txt", options=LF_ONLY) == clean_bytes()


def test_line_ending_crlf_reports_an_lf_file_once_and_converts_it() -> None:
    text = fixture("clean/wrapped.txt")
    assert found(text, ["CBL510"], options=CRLF_ONLY) == [
        ("CBL510", 1, 13, "38 LF line ends; expected CRLF")
    ]
    assert fix_text(text, ["CBL510"], options=CRLF_ONLY) == text.replace("\n", "\r\n")


def test_mixed_line_ends_are_reported_where_the_minority_is() -> None:
    # Lines 1-10 end in CRLF, the other 28 in LF: LF is the file's convention.
    assert found(fixture("hygiene/mixed.txt"), ["CBL510"]) == [
        ("CBL510", 1, 13, "10 CRLF line ends mixed with 28 LF; expected LF")
    ]
    assert fixed("hygiene/mixed.txt") == clean_bytes()
    # Configured CRLF: the 28 LF lines (11-38, one run) break the convention.
    assert found(fixture("hygiene/mixed.txt"), ["CBL510"], options=CRLF_ONLY) == [
        ("CBL510", 11, 7, "28 LF line ends mixed with 10 CRLF; expected CRLF")
    ]
    assert fixed("hygiene/mixed.txt", options=CRLF_ONLY) == clean_bytes("\r\n")


def test_a_stray_lf_line_in_a_crlf_file_is_reported_where_it_is() -> None:
    diagnostics = lint_text(fixture("hygiene/crlf_stray_lf.txt"), select=["CBL510"])
    assert [
        (d.span.line, d.span.column, d.span.end_line, d.span.end_column) for d in diagnostics
    ] == [(22, 60, 23, 1)]  # the LF itself, which ends line 22
    assert diagnostics[0].message == "1 LF line end mixed with 37 CRLF; expected CRLF"
    assert fixed("hygiene/crlf_stray_lf.txt") == clean_bytes("\r\n")


def test_published_text_is_one_finding_for_its_trailing_spaces() -> None:
    # As the release published it: a space at the end of the 27 lines with text but the last.
    assert found(fixture("hygiene/published.txt"), ["CBL510"]) == [
        ("CBL510", 1, 13, "trailing whitespace on 27 lines (the first here); expected none")
    ]
    assert fixed("hygiene/published.txt") == clean_bytes()
    published_crlf = fixture("hygiene/published.txt").replace("\n", "\r\n")
    assert found(published_crlf, ["CBL510"]) == [
        ("CBL510", 1, 13, "trailing whitespace on 27 lines (the first here); expected none")
    ]
    assert fix_text(published_crlf, ["CBL510"]) == clean_bytes("\r\n").decode()


def test_trailing_whitespace_is_found_on_any_line_and_with_any_line_end() -> None:
    # The rule first compares the lines' lengths with their contents' at once: a space on the
    # last line with no newline after it, or before the CR of one CRLF line, still counts.
    clean = fixture("clean/wrapped.txt")
    last = clean.rstrip("\n") + " "
    assert found(last, ["CBL510"])[-1][3] == "no newline at the end of the file"
    assert ("trailing whitespace", len(last.splitlines())) in [
        (message, line) for _, line, _, message in found(last, ["CBL510"])
    ]
    lines = clean.replace("\n", "\r\n").split("\r\n")
    lines[3] += " "
    assert found("\r\n".join(lines), ["CBL510"]) == [
        ("CBL510", 4, len(lines[3]), "trailing whitespace")
    ]


def test_fixes_write_the_line_breaks_they_add_as_the_file_ends_its_lines() -> None:
    # CBL312 moves a joined TAGS label to its own line, CBL510 adds the final newline.
    text = (
        fixture("clean/wrapped.txt")
        .replace("11/24/2019\nTAGS:", "11/24/2019 TAGS:")
        .removesuffix("\n")
    )
    crlf = text.replace("\n", "\r\n")
    assert fix_text(crlf, ["CBL312", "CBL510"]) == clean_bytes("\r\n").decode()
    assert fix_text(text, ["CBL312", "CBL510"]) == clean_bytes().decode()
    assert fix_text(crlf, ["CBL312", "CBL510"], options=LF_ONLY) == clean_bytes().decode()


def test_a_file_of_lone_cr_line_ends_is_one_finding() -> None:
    text = fixture("clean/wrapped.txt").replace("\n", "\r")
    assert found(text, ["CBL510"]) == [("CBL510", 1, 13, "38 CR line ends; expected LF")]
    assert fix_text(text, ["CBL510"]) == fixture("clean/wrapped.txt")
    assert fix_text(text, ["CBL510"], options=CRLF_ONLY) == clean_bytes("\r\n").decode()


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


def test_repeated_paragraph_wrapped_otherwise_is_found_by_its_opening_words() -> None:
    # The copy's first line holds one word: its opening words are read from its whole text.
    p4 = "¶4. (C) The Embassy has been encouraging Belgium to take a leadership role in Europe."
    copy = (
        "¶4. (C) The\nEmbassy  has been encouraging Belgium\nto take a leadership role in Europe."
    )
    other = "¶5. (C) The Embassy has been encouraging Belgium to act alone in Europe this year."
    text = f"{p4}\n\n{other}\n\n{copy}\n\nMURRAY\n"
    assert found(text, ["CBL512"]) == [
        (
            "CBL512",
            5,
            1,
            "repeated paragraph (¶4) copies lines 1-1 with the same numbers; expected it once",
        )
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


_Q_COPY = "with a stray 'Q' in front (a copy made at a transmission break); expected"


def test_q_copies_of_wrapped_lines() -> None:
    # A Q glued to the copy, a Q and a space, a copy two lines down (past a section line), a
    # paragraph line copied without its pilcrow, a copy of a vowel-initial line: all reported by
    # CBL512 (not as stray Qs: CBL507 leaves a Q copy alone) and deleted by its safe fix.
    text = fixture("qcopies/wrapped.txt")
    assert found(text, ["CBL512", "CBL507"]) == [
        ("CBL512", 24, 1, f"line repeats line 23 {_Q_COPY} it once"),
        ("CBL512", 31, 1, f"line repeats line 29 {_Q_COPY} it once"),
        ("CBL512", 34, 1, f"line repeats line 33 {_Q_COPY} it once"),
        ("CBL512", 37, 1, f"line repeats line 36 {_Q_COPY} it once"),
        ("CBL512", 44, 1, f"line repeats line 42 {_Q_COPY} it once"),
    ]
    clean = fixture("qcopies/wrapped-clean.txt")
    assert fix_text(text, ["CBL512", "CBL507"]) == clean
    assert found(clean, ["CBL512", "CBL507"]) == []  # Qatar, Qom and QDR are words


def test_q_copies_are_found_from_the_qs_of_the_text() -> None:
    """Each line holding a Q is tried once, in file order, whatever its Qs (words such as QDR,
    Qatar and Qom, a whole-line copy, a copy inside a line); from an offset, only the lines that
    start at or after it."""
    from cablelint.model.build import build
    from cablelint.model.copies import QCopy, q_copies

    text = (
        "UNCLAS STATE 000123\n\nSIPDIS\n\n1. The QDR team met in Qatar and Qom with him.\n"
        "provides a mechanism for regular consultations\n"
        "Qprovides a mechanism for regular consultations\n"
        "and townships in flames, Qtownships in flames, and more.\n"
    )
    lines = build(decode(text.encode())).lines
    assert [line.start for line in lines[5:]] == [76, 123, 171]
    line_copy = QCopy(123, 170, 76, 122, True)
    inline_copy = QCopy(196, 217, 175, 195, False)
    assert q_copies(text, lines) == (line_copy, inline_copy)
    assert q_copies(text, lines, 123) == (line_copy, inline_copy)
    assert q_copies(text, lines, 124) == (inline_copy,)  # its line starts before the offset
    assert q_copies(text, lines, len(text)) == ()


def test_q_copies_inside_reflowed_paragraphs() -> None:
    text = fixture("qcopies/reflowed.txt")
    assert found(text, ["CBL512", "CBL507"]) == [
        (
            "CBL512",
            11,
            186,
            f"'Qpolitical suppression, torture…' repeats the 69 characters before it {_Q_COPY} "
            "them once",
        ),
        (
            "CBL512",
            13,
            61,
            "'Q2. (S) Comment: The President'…' repeats the 58 characters before it "
            f"{_Q_COPY} them once",
        ),
        (
            "CBL512",
            15,
            125,
            f"'Q securing the Accord while sha…' repeats the 58 characters before it {_Q_COPY} "
            "them once",
        ),
        (
            "CBL512",
            17,
            130,
            f"'Q-- President Robert Mugabe, sp…' repeats the 79 characters before it {_Q_COPY} "
            "them once",
        ),
    ]
    assert fix_text(text, ["CBL512", "CBL507"]) == fixture("qcopies/reflowed-clean.txt")


def test_q_before_text_that_is_no_copy_is_not_a_q_copy() -> None:
    line = "that contracts allowing them to develop nearly three"
    for text in (
        f"¶1. (C) He said\n{line}\nQ{line[:-6]}\n",  # not the whole line
        f"¶1. (C) He said\n{line}\nQ{line}\n".replace("Q", "QQ"),  # two Qs
        f"¶1. (C) {line}\nOne\nTwo\nThree\nQ{line}\n",  # four lines up
        f"¶1. (C) Qatar said that {line} QDR {line}.\n",  # no Q right before the copy
    ):
        assert found(text, ["CBL512"]) == [], text


def test_q_copy_on_the_last_line_two_lines_below_its_original() -> None:
    line = "that contracts allowing them to develop nearly three"
    text = f"¶1. (C) He said\n{line}\nmillion barrels per day.\nQ{line}"
    assert found(text, ["CBL512"]) == [("CBL512", 4, 1, f"line repeats line 2 {_Q_COPY} it once")]
    assert fix_text(text, ["CBL512"]) == f"¶1. (C) He said\n{line}\nmillion barrels per day."
