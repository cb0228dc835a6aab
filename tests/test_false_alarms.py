"""Issue 16's false-alarm patterns and fixes that damaged text: each pattern, as real cables
write it, gets its exact finding (code, line, column, message, fix) or none."""

from __future__ import annotations

from cablelint.engine.api import fix_text, lint_text
from cablelint.model.build import build
from cablelint.model.source import from_text

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


def test_cbl506_a_paragraph_mark_before_a_rule_is_no_heading() -> None:
    # The mark is the model's paragraph mark (cable.lark's PARA): a mark and marking with a rule
    # and nothing else is no heading; a heading after the mark is reported, not fixed.
    for mark in ("¶11. (C)", "- 3. (SBU)", "12."):
        assert found(HEAD + f"{mark} ----------\n", "CBL506") == [], mark
    text = HEAD + "¶2. (C) NEXT STEPS ----------\n"
    assert found(text, "CBL506") == [
        (
            HEAD_LINES + 1,
            20,
            "dash underline joined to text ending '(C) NEXT STEPS': expected a heading and its "
            "underline on lines of their own",
            None,
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


# ---- CBL302 eo-decl-date -------------------------------------------------------------------------
DTG = "R 041412Z DEC 08\nFM AMEMBASSY BRUSSELS\nTO RUEHC/SECSTATE WASHDC 8283\n\n"


def _eo(decl: str) -> str:
    return DTG + HEAD.replace("DECL: 05/05/2019", decl)


def test_cbl302_accepts_lawful_declassification_instructions() -> None:
    for decl in (
        "DECL: CLOSURE OF ICTY",
        "DECL: TEN YEARS AFTER KOREAN UNIFICATION",
        "DECL: AFTER KOREAN UNIFICATION",
        "DECL: 2018-12-04",
        "Declassify on: 12/04/2018",
        "DECL: MR",
        "DECL: NGDS",
        "DECL: 12/05/2033",  # 25 years and a day: drafted the day before its DTG
    ):
        assert found(_eo(decl), "CBL302") == [], decl


def test_cbl302_an_iso_date_is_read_as_a_date() -> None:
    assert found(_eo("DECL: 2048-12-02"), "CBL302") == [
        (
            7,
            19,
            "DECL date 2048-12-02 is 39 years and 364 days after the cable date 2008-12-04: "
            "expected at most 25 years",
            None,
        )
    ]


def test_cbl302_says_how_far_beyond_the_limit_a_date_is() -> None:
    assert found(_eo("DECL: 01/04/2034"), "CBL302") == [
        (
            7,
            19,
            "DECL date 01/04/2034 is 25 years and 31 days after the cable date 2008-12-04: "
            "expected at most 25 years",
            None,
        )
    ]
    assert found(_eo("DECL: 011/2/2018"), "CBL302") == [
        (7, 19, "DECL date '011/2/2018' is not a valid date: expected mm/dd/yyyy", None)
    ]


# ---- CBL106 precedence-consistency ---------------------------------------------------------------
def _header(to: str, info: str, dtg: str = "O P 041412Z DEC 08") -> str:
    return f"{dtg}\nFM AMEMBASSY TRIPOLI\nTO {to}\nINFO {info}\n\n" + HEAD


def test_cbl106_a_serial_range_keeps_the_precedence_word() -> None:
    text = _header("RUEHC/SECSTATE WASHDC IMMEDIATE 7721-7722", "AMEMBASSY CAIRO PRIORITY 0253")
    assert found(text, "CBL106") == []


def test_cbl106_collectives_and_the_post_itself_carry_no_precedence() -> None:
    info = "RUCNMEM/EU MEMBER STATES COLLECTIVE\nAMEMBASSY TRIPOLI\nAMEMBASSY CAIRO PRIORITY"
    assert found(_header("SECSTATE WASHDC IMMEDIATE 4917", info), "CBL106") == []
    to = "ARAB ISRAELI COLLECTIVE\nRUEHC/SECSTATE WASHDC IMMEDIATE 0001"
    assert found(_header(to, "AMEMBASSY CAIRO PRIORITY"), "CBL106") == []


def test_cbl106_a_contradiction_is_still_reported() -> None:
    text = _header("SECSTATE WASHDC 4917", "AMEMBASSY CAIRO ROUTINE")
    assert found(text, "CBL106") == [
        (
            3,
            4,
            "TO addressee SECSTATE WASHDC has no precedence word (ROUTINE) but the DTG "
            "precedence O (line 1) expects 'IMMEDIATE'",
            None,
        ),
        (
            4,
            22,
            "INFO addressee AMEMBASSY CAIRO has 'ROUTINE' but the DTG precedence P (line 1) "
            "expects 'PRIORITY'",
            None,
        ),
    ]


# ---- CBL603 section-continuity -------------------------------------------------------------------
SECTIONED = HEAD.replace("PARIS 001234", "SECTION 01 OF 03 PARIS 001234")
PAGE = "PARIS 00001234 001.2 OF 003\n"
RUN_ON = "¶2. (C) " + "The text runs on unbroken because the release reflowed it. " * 3 + "\n"


def test_cbl603_stripped_continuation_lines_lose_no_section() -> None:
    wrapped = "¶1. (C) Wrapped text of the first page\ngoes on here.\n"
    text = SECTIONED + wrapped + PAGE + RUN_ON + "\nSTAPLETON\n"
    assert found(text, "CBL603") == []
    text = SECTIONED + wrapped + PAGE + "more wrapped text\n\n¶2. (C) Text.\n\nSTAPLETON\n"
    assert found(text, "CBL603") == []  # signed: the text is whole


def test_cbl603_a_wrapped_cable_cut_after_its_first_page_is_reported() -> None:
    text = SECTIONED + "¶1. (C) Wrapped text of the first page\n" + PAGE + "goes on and\n"
    assert found(text, "CBL603") == [
        (
            HEAD_LINES + 2,
            1,
            "section 002-003 of 003 never starts after this continuation line",
            None,
        )
    ]


# ---- CBL409 para-class-vocabulary ----------------------------------------------------------------
def test_cbl409_accepts_real_markings_beyond_the_core_vocabulary() -> None:
    for marking in (
        "(U//FOUO)",
        "(SBU/N)",
        "(SBU//NF)",
        "(C - ENTIRE TEXT)",
        "(LOU)",
        "(SECRET/REL FRANCE)",
        "(Secret/Rel Armenia)",
        "(S//REL TO USA, GBR)",
        "(C/ORCON)",
    ):
        assert found(HEAD + f"¶1. {marking} Text.\n", "CBL409") == [], marking


def test_cbl409_a_topic_label_is_not_a_marking() -> None:
    text = HEAD + "¶1. (U.S.) Papers reported the visit.\n\n¶2. (Iran) Editorials said.\n"
    text += "\n¶3. (Reftel) The reply.\n"
    assert found(text, "CBL409") == []


def test_cbl409_still_reports_garbled_and_lower_case_markings() -> None:
    text = HEAD + "¶1. (C NF) One.\n\n¶2. (SNF) Two.\n\n¶3. (N/SF) Three.\n\n¶4. (c) Four.\n"
    assert [(f[0], f[2]) for f in found(text, "CBL409")] == [
        (
            HEAD_LINES + 1,
            "paragraph marking (C NF) has a space where its caveat's slash goes; expected (C/NF)",
        ),
        (
            HEAD_LINES + 3,
            "paragraph marking (SNF) is outside the marking vocabulary; expected U, SBU, C, S "
            "or TS with /NF, //NF, /REL ... or //FGI caveats",
        ),
        (
            HEAD_LINES + 5,
            "paragraph marking (N/SF) is outside the marking vocabulary; expected U, SBU, C, S "
            "or TS with /NF, //NF, /REL ... or //FGI caveats",
        ),
        (HEAD_LINES + 7, "paragraph marking (c) is not upper case; expected (C)"),
    ]


def test_cbl409_a_space_for_the_caveat_slash_has_an_unsafe_fix() -> None:
    text = HEAD + "¶1. (C NF) One.\n\n¶2. (S  NF) Two.\n"
    assert fix_text(text, ["CBL409"]) == text
    assert fix_text(text, ["CBL409"], unsafe=True) == text.replace("(C NF)", "(C/NF)").replace(
        "(S  NF)", "(S/NF)"
    )


# ---- CBL307 ref-list-format ----------------------------------------------------------------------
def _ref(lines: str) -> str:
    return HEAD.rstrip("\n") + "\n" + lines + "\n¶1. (C) Text.\n"


def test_cbl307_a_list_lettered_twice_runs_in_both_sequences() -> None:
    text = _ref("REF: A. A. STATE 1234\n¶B. B. PARIS 55\n¶C. C. PARIS 56\n")
    assert found(text, "CBL307") == []
    # The release letters lines; the original letters items (B spans two lines).
    text = _ref(
        "REF: A. A. STATE 1234\n¶B. B. EMAIL FROM THE DESK OF\n¶C. MAY 5\n¶D. C. PARIS 56\n"
    )
    assert found(text, "CBL307") == []


def test_cbl307_a_middle_initial_is_no_item_letter() -> None:
    text = _ref("REF: A. EMAIL FROM JOHN W. SMITH 05/05/09\n¶B. STATE 1234\n")
    assert found(text, "CBL307") == []


def test_cbl307_a_classification_line_after_ref_holds_no_items() -> None:
    text = _ref("REF: STATE 1234\n(U) CLASSIFIED BY AMBASSADOR JONES, REASONS 1.5 (B) AND (D)\n")
    assert found(text, "CBL307") == []


def test_cbl307_letters_out_of_order_are_still_reported() -> None:
    text = _ref("REF: A) TALLINN 366 B) EMAIL 05/11/07\nB) TALLINN 347\n")
    assert found(text, "CBL307") == [
        (HEAD_LINES + 1, 1, "REF item lettered 'B': expected 'C'", None)
    ]


# ---- CBL606 text-block-balance -------------------------------------------------------------------
def test_cbl606_a_frame_opened_in_other_words_is_balanced() -> None:
    text = HEAD + "¶2. (S) Begin Letter:\n\nDear Minister, thank you.\n\nEnd text of letter.\n"
    assert found(text, "CBL606") == []
    text = HEAD.replace("SUBJECT: A SUBJECT\n", "SUBJECT: A SUBJECT\nQUOTE:\n")
    assert found(text + "¶1. (S) Text.\n\nCLINTON UNQUOTE CLINTON\n", "CBL606") == []


def test_cbl606_end_of_text_closes_a_begin_text() -> None:
    # 05LONDON4981.txt:142: 'begin text:' before a relayed memo, 'End of text.' after it.
    text = (
        HEAD + "¶6. (c) notes from the meeting\nbegin text:\n\nMemo for the file.\n\nEnd of text.\n"
    )
    assert found(text, "CBL606") == []
    # Alone, 'end of text' is prose, not a frame of its own; an unclosed 'begin text' still is.
    text = HEAD + "¶1. (U) Young voters follow the end of text messages closely.\n"
    assert found(text, "CBL606") == []
    text = HEAD + "¶1. (U) At the end of text messaging, begin text:\n\nMemo.\n"
    assert found(text, "CBL606") == [
        (HEAD_LINES + 1, 39, "'begin text' is never closed by END TEXT", None)
    ]


def test_cbl606_an_end_with_no_begin_is_still_reported() -> None:
    text = HEAD + "¶2. (S) The minister wrote back.\n\nEnd Text. CLINTON\n"
    assert found(text, "CBL606") == [
        (HEAD_LINES + 3, 1, "'End Text' without a BEGIN TEXT before it", None)
    ]


# ---- CBL308 classified-by-missing ----------------------------------------------------------------
def test_cbl308_an_authority_in_the_first_paragraph_or_derived_from_is_enough() -> None:
    for text in (
        HEAD + "¶1. (U) Classified by Ambassador Jones; reasons: 1.5 (b,d).\n\n¶2. (C) Text.\n",
        HEAD + "(U) Classified by CDA Robert Deutsch; E.O. 12958, reasons 1.4 (b) and (d).\n\n"
        "¶1. (C) Text.\n",
        HEAD + "1. (U) CLASSIFIED BY POLCOUNS JOHN SMITH, REASON 1.5 (D)\n\n2. (C) Text.\n",
        HEAD.replace("SUBJECT: A SUBJECT\n", "SUBJECT: A SUBJECT\nDERIVED FROM: DSCG 05-1 B, D\n")
        + "¶1. (C) Text.\n",
    ):
        assert found(text, "CBL308") == [], text


def test_cbl308_a_misspelled_label_is_named() -> None:
    text = HEAD + "Classfied By: Charge Richard Miles, reasons 1.4 (b) and (d).\n\n¶1. (C) Text.\n"
    assert found(text, "CBL308") == [
        (
            HEAD_LINES + 1,
            1,
            "Classified By label written 'Classfied By': expected 'Classified By'",
            None,
        )
    ]


def test_cbl308_a_missing_authority_is_still_an_error() -> None:
    assert found(HEAD + "¶1. (C) Text.\n", "CBL308") == [
        (
            5,
            1,
            "CONFIDENTIAL cable has no 'Classified By:' line: expected one after the metadata "
            "fields",
            None,
        )
    ]


# ---- CBL601 signature-missing, and the parsed signature ------------------------------------------
LAST = HEAD + "¶1. (C) The minister agreed to meet again next week.\n\n"


def _signature(text: str) -> str | None:
    cable = build(from_text(text))
    return cable.signature.name if cable.signature else None


def test_cbl601_a_signature_before_a_footer_or_trailer_is_found() -> None:
    footer = '"Visit Ankara\'s Classified Web Site at http://www.intelink.s\ngov.gov/wiki/x"\n'
    for ending, name in (
        ("JEFFREY\n\n" + footer, "JEFFREY"),
        ("SOBEL 2008-01-08\n", "SOBEL"),
        ("SOBEL\n12/05/2009\n", "SOBEL"),
        ("CHICOLA\n    ...\n", "CHICOLA"),
        ("TRIVELLI\n\nDANIEL ORTEGA AN...\n", "TRIVELLI"),
        (
            "HELMS\n\nDeclassified/Released US Department of State EO\n"
            "Systematic Review 05 JUL 2006\n",
            "HELMS",
        ),
        ("SMITH\n\nLIMITED OFFICIAL USE\n\nNNNN\n", "SMITH"),
        ("SMITH\n\nCONFIDENTIAL\n", "SMITH"),
        ("SMITH\nNNN\n", "SMITH"),
        ("SMITH\nNOTE BY OC/T: NOT PASSED TO ABOVE ADDRESSEES.\n", "SMITH"),
        ("WHITE\n\nTrack impresion: asegovia @ Sat Dec 4 19:20:36 2010.\nID:\t187536\n", "WHITE"),
        ("LA LIME\n", "LA LIME"),
        ("BEYRLE.\n", "BEYRLE"),
        ("BEYRLE##\n", "BEYRLE"),
    ):
        text = LAST + ending
        assert found(text, "CBL601") == [], ending
        assert _signature(text) == name, ending


def test_cbl601_a_name_glued_after_end_comment_is_a_signature() -> None:
    for ending in (
        "End Comment. END COMMENT RAY\n",
        "End of Part One LA LIME\n",
        "we agree. .FARRAR\n",
    ):
        assert found(HEAD + "¶1. (C) Text. " + ending, "CBL601") == [], ending


def test_cbl601_a_cable_without_a_signature_is_still_reported() -> None:
    text = LAST.rstrip("\n") + "\n"
    assert found(text, "CBL601") == [
        (
            HEAD_LINES + 1,
            1,
            "no signature after the last line; expected the signer's surname on its own line",
            None,
        )
    ]
    assert _signature(text + "\nCONFIDENTIAL\n") is None


def test_cbl507_a_q_that_may_stand_for_t_is_not_deleted_safely() -> None:
    text = HEAD + "¶5. (C) Regarding Qhe proposed summit, he agreed.\n"
    assert found(text, "CBL507") == [
        (HEAD_LINES + 1, 19, "stray 'Q' in 'Qhe': expected 'he' or 'the'", "unsafe")
    ]
    assert [f[3] for f in found(HEAD + "¶5. (C) He said Qthe talks went well.\n", "CBL507")] == [
        "safe"
    ]


# ---- misdiagnoses: CBL201 "no banner", CBL301 "no E.O. line" -------------------------------------
FRONT = "R 041412Z DEC 08\nFM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC 8283\n\n"
META = "\nE.O. 12958: DECL: 05/05/2019\nTAGS: PREL FR\nSUBJECT: A SUBJECT\n\n¶1. (C) Text.\n"


def test_cbl201_names_what_is_wrong_with_a_banner_that_is_there() -> None:
    cases = (
        (
            "SIPDIS C O N F I D E N T I A L PARIS 001234",
            "has the caption 'SIPDIS' joined to it: expected the banner and the caption on lines "
            "of their own",
        ),
        ("confidential paris 001234", "is not upper case: expected 'CONFIDENTIAL PARIS 001234'"),
        (
            "C O N F I D E N T I A L",
            "has no serial number: expected classification, station and serial",
        ),
    )
    for banner, problem in cases:
        text = FRONT + banner + "\n" + META
        assert found(text, "CBL201") == [(5, 1, f"banner line '{banner}' {problem}", None)], banner


def test_a_caption_joined_to_the_banner_is_a_banner_with_a_caption() -> None:
    # Issue 16: a caption glued to the banner gave only CBL201 "no banner" (or nothing, before the
    # station, or "no serial" without a space). The banner is read, its captions are the cable's
    # captions, and CBL210 reports the join with a safe fix.
    cases = (
        ("C O N F I D E N T I A L PARIS 001234 SIPDIS", 38, "caption 'SIPDIS'", "SIPDIS"),
        ("C O N F I D E N T I A L PARIS 001234SIPDIS", 37, "caption 'SIPDIS'", "SIPDIS"),
        ("C O N F I D E N T I A L SIPDIS PARIS 001234", 25, "caption 'SIPDIS'", "SIPDIS"),
        (
            "S E C R E T SECTION 01 OF 02 PARIS 001234 NOFORN/SIPDIS",
            43,
            "captions 'NOFORN' and 'SIPDIS'",
            "NOFORN\nSIPDIS",
        ),
    )
    for banner, column, named, below in cases:
        text = FRONT + banner + "\n" + META
        message = (
            f"{named} joined to the banner line; expected the banner and each caption on lines "
            "of their own"
        )
        assert found(text, "CBL210") == [(5, column, message, "safe")], banner
        assert found(text, "CBL201") == [], banner
        cable = build(from_text(text))
        assert cable.banner is not None and cable.banner.serial.text == "001234", banner
        assert cable.banner.station.text == "PARIS", banner
        assert [w.text for c in cable.captions for w in c.words] == below.split("\n"), banner
        clean = banner.replace(" SIPDIS", "").replace("SIPDIS", "").replace(" NOFORN/", "")
        fixed = fix_text(text, ["CBL210"])
        assert fixed == FRONT + clean + "\n" + below + "\n" + META, banner
        assert found(fixed, "CBL210") == [] and found(fixed, "CBL201") == [], banner


def test_cbl201_still_reports_a_missing_banner() -> None:
    text = FRONT + "SIPDIS\n" + META
    assert [f[2] for f in found(text, "CBL201")] == [
        "no classification banner before the metadata block"
    ]


def test_cbl301_an_e0_label_is_an_ocr_confusion_not_a_missing_line() -> None:
    text = HEAD.replace("E.O. 12958", "E.0. 12958") + "¶1. (C) Text.\n"
    assert found(text, "CBL301") == [
        (
            3,
            1,
            "E.O. label written 'E.0.' (a digit for a letter): an OCR confusion; expected 'E.O.'",
            None,
        )
    ]


def test_cbl601_a_signature_in_a_markdown_conversion_is_found() -> None:
    for ending in ("    ARGYROS\n\n`\n", "ARGYROS\n``` ````\n", "ARGYROS \n"):
        text = LAST + ending
        assert found(text, "CBL601") == [], ending
        assert _signature(text) == "ARGYROS", ending


def test_look_alike_counts_are_the_fewest_substitutions() -> None:
    from cablelint.ruleset.checks.lookalikes import substitutions

    assert substitutions("STPDTS", "SIPDIS") == 2
    assert substitutions("SIPDIS", "SIPDIS") == 0
    assert substitutions("N0F0RN", "NOFORN") == 2
    assert substitutions("XYZ", "SIPDIS") is None
    assert substitutions.cache_info().maxsize is not None  # bounded over a long run
