"""Issue 16's false-alarm patterns and fixes that damaged text: each pattern, as real cables
write it, gets its exact finding (code, line, column, message, fix) or none."""

from __future__ import annotations

from cablelint.api import fix_text, lint_text

HEAD = """C O N F I D E N T I A L PARIS 001234

E.O. 12958: DECL: 05/05/2019
TAGS: PREL FR
SUBJECT: A SUBJECT

"""
HEAD_LINES = HEAD.count("\n")


def found(text: str, code: str) -> list[tuple[int, int, str, str | None]]:
    """(line, column, message, fix applicability) of ``code``'s findings, with every rule on."""
    return [
        (d.span.line, d.span.column, d.message, d.fix.applicability if d.fix else None)
        for d in lint_text(text, ["ALL"])
        if d.code == code
    ]


# ---- safe fixes that damaged text ----------------------------------------------------------------
def test_cbl508_the_verb_attach_is_not_an_attache() -> None:
    text = HEAD + "¶1. (C) We attach great importance to it. Attach the list. Attach it.\n"
    assert found(text, "CBL508") == []


def test_cbl508_a_service_before_attach_confirms_the_attache() -> None:
    text = HEAD + "¶1. (C) In 2008 we stood up a Treasury\nattach office in Riyadh.\n"
    assert found(text, "CBL508") == [
        (HEAD_LINES + 2, 1, "'attach' lost its accented last letter: expected 'attache'", "safe")
    ]


def test_cbl508_the_city_of_jos_is_not_jose() -> None:
    text = HEAD + "¶1. (C) Clashes in Jos North; Jos, the capital, and Jos van Gennip.\n"
    assert found(text, "CBL508") == []


def test_cbl507_a_camel_case_name_is_not_a_stray_q() -> None:
    assert found(HEAD + "¶1. (C) The weekly TelQuel ran the story.\n", "CBL507") == []


def test_cbl506_a_prose_dash_is_not_an_underline() -> None:
    text = HEAD + "¶1. (C) He said the one thing that mattered ---\nmoney --- was there.\n"
    assert found(text, "CBL506") == []
    text = HEAD + "Our goals ---\nand our means.\n"
    assert found(text, "CBL506") == []


def test_cbl506_a_heading_joined_to_its_underline_is_still_split() -> None:
    text = HEAD + "¶1. (C) Text.\n\nNEXT STEPS ----------\n\n¶2. (C) Text.\n"
    assert found(text, "CBL506") == [
        (
            HEAD_LINES + 3,
            12,
            "heading 'NEXT STEPS' joined to its dash underline: expected a line break",
            "safe",
        )
    ]


def test_cbl406_a_doubled_mark_is_no_paragraph_run_together() -> None:
    text = HEAD + "¶1. 1. (C) The talks went well.\n"
    assert found(text, "CBL406") == [
        (
            HEAD_LINES + 1,
            5,
            "paragraph mark '1.' repeats the mark '¶1.' before it; expected one mark",
            None,
        )
    ]
    assert fix_text(text, ["CBL406"]) == text


def test_cbl512_a_run_of_repeated_lines_is_one_finding_without_a_safe_fix() -> None:
    row = "Reported incidents in the district: none\n"
    text = HEAD + "¶1. (U) The form:\n" + row * 4
    assert found(text, "CBL512") == [
        (
            HEAD_LINES + 3,
            1,
            f"line repeats the line above (line {HEAD_LINES + 2}), 3 copies; expected it once",
            "unsafe",
        )
    ]
    assert fix_text(text, ["CBL512"]) == text


def test_cbl512_many_repeated_pairs_are_not_fixed_safely() -> None:
    lines = [f"Line {word} of a form that a converter doubled\n" for word in "ABCDE"]
    text = HEAD + "".join(line * 2 for line in lines)
    assert {f[3] for f in found(text, "CBL512")} == {"unsafe"}


def test_cbl512_a_lone_repeated_line_is_still_fixed() -> None:
    line = "International Criminal Court (ICC) should hear such cases.\n"
    text = HEAD + "¶1. (C) The defense argued that only\n" + line * 2 + "End.\n"
    assert [f[3] for f in found(text, "CBL512")] == ["safe"]
    assert (
        fix_text(text, ["CBL512"])
        == HEAD + "¶1. (C) The defense argued that only\n" + line + "End.\n"
    )


def test_cbl602_a_full_name_is_not_split() -> None:
    text = HEAD + "¶8. (U) Point of contact is RSO\nPeshawar, David J. Hazarian\n"
    assert found(text, "CBL602") == []
    assert found(text, "CBL601") == []


def test_cbl602_a_name_after_a_bare_mark_has_no_safe_fix() -> None:
    text = HEAD + "¶4. (SBU) Post requests guidance on the request in paragraph\n\n¶3. Koenig\n"
    assert found(text, "CBL602") == [
        (
            HEAD_LINES + 3,
            5,
            "signature 'Koenig' is glued to the last text line; expected it on its own line",
            None,
        )
    ]
