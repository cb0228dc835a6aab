"""Paragraph checks (CBL401-CBL413): paragraph marks, their numbering, markings and case.

Most checks share one reading of the paragraph marks (:func:`_marks`): which marks are real
paragraphs, which are converter artefacts (a pilcrow on a wrapped year, on a day after a month
name, on a wrapped number or on a list item inside a paragraph), which are the seed's OCR garble
("12." for "¶2.") and which real marks sit in the middle of a line (two paragraphs run together).
The sequence rule judges only the real marks, after that reinterpretation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from cablelint.model.cable import (
    CLASSIFICATION_RANK,
    MARKING_RANK,
    Cable,
    Line,
    Paragraph,
    Piece,
)
from cablelint.model.diagnostics import Edit, Finding, Fix
from cablelint.ruleset.checks.common import find_all, item_at, paragraphs
from cablelint.ruleset.registry import CheckContext, check, shared_fact

# ---- shared reading of the paragraph marks ------------------------------------------------------
_MONTH_END = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?$",
    re.IGNORECASE,
)
# A line that ends a sentence, a heading or a list entry.
_CLOSED_END = re.compile(r"""[.!?:;"'\u201d\u2019)\]*-]$""")
# A paragraph mark after the end of a sentence in the middle of a line: "grow. 12. (C) Text".
_MID_MARKING_TEXT = r"\((?:U|SBU|C|S|TS)(?:/{1,2}[A-Za-z ,/]{1,30})?\)"
_MID_MARK = re.compile(
    r"""(?<=[.!?"\u201d)] )[ ]?(?P<mark>(?P<pilcrow>¶)?(?P<number>\d{1,2})\.)[ ]{0,2}"""
    rf"""(?P<marking>{_MID_MARKING_TEXT})(?= )"""
)
_MID_MARKING = re.compile(rf"{_MID_MARKING_TEXT}(?= )")
_MID_MARK_REACH = len(" ¶12.  ")  # the longest stretch of _MID_MARK before its marking
# Marking vocabulary (case-sensitive levels; REL caveats in any case, as the corpus writes them).
_MARKING = re.compile(
    r"(?:U|SBU|C|S|TS)(?:/{1,2}(?:NF|NOFORN|FGI|ORCON|OC|PROPIN|(?i:REL(?: TO)? [A-Za-z ,]+)))*"
)
_LEVEL_WORDS = {"UNCLASSIFIED": "U", "CONFIDENTIAL": "C", "SECRET": "S", "TOP SECRET": "TS"}
# A previous line of wrapped length (not a heading, not a one-line paragraph) that ends without
# punctuation is running text, and the number that follows it continues the sentence.
_WRAP_MIN, _WRAP_MAX = 40, 100
_PILCROW_LINE_START = re.compile(r"[ \t]*(?:[-*+][ \t]+)?¶")
_MARKING_NEAR = re.compile(r"\(?\b(?:U|SBU|C|S|TS)(?:/{1,2}\w+)?\)")


_new = tuple.__new__


class _Mark(NamedTuple):
    """One paragraph mark as read in sequence.

    kind: "para" (a real mark), "garble" (CBL402: "12." for "¶2."), "mid" (a real mark in the
    middle of a line), or a false mark: "number" (3-4 digits), "day" (after a month name),
    "wrapped" (a number wrapped to the line start), "list" (a list item inside a paragraph).
    """

    kind: str
    value: int
    start: int  # offset of the mark (pilcrow or number)
    end: int  # offset after the terminator
    line: int
    para: Paragraph | None = None
    marked: bool = False

    @property
    def real(self) -> bool:
        return self.kind in ("para", "garble", "mid")


def _previous_line(cable: Cable, para: Paragraph) -> Line | None:
    index = para.span.line - 2
    return cable.lines[index] if 0 <= index < len(cable.lines) else None


def _false_kind(cable: Cable, para: Paragraph) -> str | None:
    """Why a mark is not a paragraph, judged from the mark and the line before it."""
    number = para.number
    if number is None:
        return None
    if len(number.text) >= 3:
        return "number"
    if para.marking:
        return None
    prev = _previous_line(cable, para)
    if (
        prev is None
        or prev.blank
        or prev.kind not in ("TEXT", "PARA", "WORD", "UWORD", "ITEM", "LETTERED")
    ):
        return None
    content = prev.content.rstrip()
    if 1 <= int(number.text) <= 31 and _MONTH_END.search(content):
        return "day"
    if _WRAP_MIN <= len(content) <= _WRAP_MAX and not _CLOSED_END.search(content):
        return "wrapped"
    return None


@shared_fact
def _mid_marks(ctx: CheckContext) -> tuple[_Mark, ...]:
    """Marked paragraph marks in the middle of body lines."""
    body, text = ctx.cable.body, ctx.text
    if body is None:
        return ()
    found = []
    # The commonest find, a paragraph's own marking, is known from the model: skipped at once.
    own = {p.marking.span.start for p in paragraphs(ctx) if p.marking is not None}
    # Each mark ends in a marking: find its "(" at C speed (str.find; a marking holds no other),
    # try the marking there, then read the mark before it.
    body_end = body.span.end
    for paren in find_all(text, "(", body.span.start, body_end):
        if paren in own:
            continue
        marking = _MID_MARKING.match(text, paren, body_end)
        if marking is None:
            continue
        item = item_at(ctx, paren)
        # A paragraph's own marking (the commonest find) is skipped before the mark search:
        # a mark starts before its marking, so it would start inside the paragraph's mark.
        if item is None or (isinstance(item, Paragraph) and paren < item.mark_end):
            continue
        line = ctx.line_at(paren)
        if marking.end() >= line.start + len(line.content):
            continue  # the space after the marking is trailing whitespace: no text follows
        match = _mid_mark_ending_at(text, paren, marking.end() + 1)
        if match is None or line.kind not in ("TEXT", "PARA"):
            continue
        start = match.start("mark")
        if isinstance(item, Paragraph) and start < item.mark_end:
            continue
        end = match.end("mark")
        found.append(_Mark("mid", int(match["number"]), start, end, line.number, marked=True))
    return tuple(found)


def _mid_mark_ending_at(text: str, paren: int, endpos: int) -> re.Match[str] | None:
    """The mid-line mark whose marking opens at ``paren`` (``_MID_MARK`` spans a few characters
    before it)."""
    for match in _MID_MARK.finditer(text, max(paren - _MID_MARK_REACH, 0), endpos):
        if match.start("marking") == paren:
            return match
    return None


@shared_fact
def _marks(ctx: CheckContext) -> tuple[_Mark, ...]:
    """Every paragraph mark in file order, classified (see :class:`_Mark`)."""
    cable = ctx.cable
    paras = [p for p in paragraphs(ctx) if p.number is not None]
    if not paras:
        return ()
    raw: list[_Mark] = []
    for para in paras:
        start = (para.pilcrow or para.number).span.start  # type: ignore[union-attr]
        end = (para.terminator or para.number).span.end  # type: ignore[union-attr]
        kind = _false_kind(cable, para) or "para"
        value = int(para.number.text)  # type: ignore[union-attr]
        mark = (kind, value, start, end, para.span.line, para, para.marking is not None)
        raw.append(_new(_Mark, mark))  # without the Python-level __new__: ten a cable
    raw.extend(_mid_marks(ctx))
    raw.sort(key=lambda mk: mk.start)

    prev: int | None = None
    prev_marked = False
    list_prev: int | None = None
    candidates = [i for i, mk in enumerate(raw) if mk.kind in ("para", "mid")]
    cand_pos = {i: pos for pos, i in enumerate(candidates)}
    for i, mk in enumerate(raw):
        para = mk.para
        if i not in cand_pos:
            # A false mark inside a list run (a wrapped item) still counts for the run.
            if list_prev is not None and mk.value == list_prev + 1:
                list_prev = mk.value
            continue
        if (
            para is not None
            and prev is not None
            and _is_garble(para, prev, raw, candidates, cand_pos[i])
        ):
            mk = _Mark("garble", prev + 1, mk.start, mk.end, mk.line, para, mk.marked)
        elif para is not None and not mk.marked and prev is not None:
            # An unmarked mark that breaks the sequence of marked paragraphs is a list item
            # inside a paragraph; the unmarked marks that continue it belong to the same list.
            in_list = list_prev is not None and mk.value == list_prev + 1
            if in_list or (prev_marked and mk.value != prev + 1):
                list_prev = mk.value
                raw[i] = _Mark("list", mk.value, mk.start, mk.end, mk.line, para, False)
                continue
        list_prev = None
        raw[i] = mk
        prev = mk.value
        prev_marked = mk.marked
    return tuple(raw)


def _is_garble(para: Paragraph, prev: int, raw: list[_Mark], cands: list[int], pos: int) -> bool:
    """A "12." for "¶2.": no pilcrow, a leading 1, and the rest continues the sequence."""
    text = para.number.text  # type: ignore[union-attr]
    if para.pilcrow or len(text) < 2 or text[0] != "1" or int(text) == prev + 1:
        return False
    if int(text[1:]) != prev + 1:
        return False
    # A genuine jump (1, 12, 13 with pilcrows) is refuted by a next mark that continues from the
    # raw number and is not itself garbled the same way ("13." after "12." for "¶3.").
    following = raw[cands[pos + 1]] if pos + 1 < len(cands) else None
    if following is None or following.value != int(text) + 1:
        return True
    nxt = following.para
    return nxt is not None and nxt.pilcrow is None and following.value == int(f"1{prev + 2}")


# ---- CBL401 -------------------------------------------------------------------------------------
@check("CBL401")
def para_number_sequence(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    report_gaps = bool(ctx.options.get("report-gaps", False))
    real = [mk for mk in _marks(ctx) if mk.real]
    if not real:
        return
    partial = any(line.kind == "PARTIAL" for line in cable.preamble)
    first = real[0]
    if report_gaps and first.value != 1 and not partial:
        yield ctx.finding(
            first.start,
            first.end,
            f"paragraph numbering starts at {first.value}, expected 1",
        )
    seen: dict[int, int] = {first.value: first.line}
    prev = first.value
    for mk in real[1:]:
        value = mk.value
        if value == prev + 1:
            pass
        elif value == prev:
            yield ctx.finding(
                mk.start,
                mk.end,
                f"paragraph number {value} repeats the one at line {ctx.file_line(seen[value])}",
            )
        elif value > prev + 1:
            if report_gaps:
                missing = str(prev + 1) if value == prev + 2 else f"{prev + 1}-{value - 1}"
                yield ctx.finding(
                    mk.start,
                    mk.end,
                    f"paragraph {value} follows {prev}: expected {prev + 1} ({missing} missing)",
                )
        elif value in seen:
            yield ctx.finding(
                mk.start,
                mk.end,
                f"paragraph number {value} after {prev} repeats the one at line "
                f"{ctx.file_line(seen[value])}",
            )
        else:
            yield ctx.finding(
                mk.start, mk.end, f"paragraph number {value} after {prev}: expected {prev + 1}"
            )
        seen.setdefault(value, mk.line)
        prev = value


# ---- CBL402 -------------------------------------------------------------------------------------
@check("CBL402")
def para_mark_ocr_garble(ctx: CheckContext) -> Iterator[Finding]:
    for mk in _marks(ctx):
        if mk.kind != "garble" or mk.para is None or mk.para.number is None:
            continue
        number = mk.para.number
        written = ctx.text[number.span.start : mk.end]
        meant = f"¶{mk.value}{mk.para.terminator.text if mk.para.terminator else ''}"
        fix = ctx.replace(
            number.span.start,
            number.span.start + 1,
            "¶",
            f"Replace the leading '1' with '¶' ('{meant}')",
        )
        yield ctx.finding(
            number.span.start,
            mk.end,
            f"paragraph mark '{written}' looks like a garbled '{meant}' "
            f"(the pilcrow read as the digit 1; the previous paragraph is {mk.value - 1})",
            fix,
        )


# ---- CBL403 -------------------------------------------------------------------------------------
@check("CBL403")
def para_mark_list_dash(ctx: CheckContext) -> Iterator[Finding]:
    for para in paragraphs(ctx):
        dash = para.dash
        if dash is None or (para.pilcrow is None and para.marking is None):
            continue
        mark = para.pilcrow or para.number
        if mark is None:
            continue
        shown = ctx.text[mark.span.start : para.mark_end]
        fix = ctx.replace(
            dash.span.start, mark.span.start, "", "Remove the list dash before the paragraph mark"
        )
        yield ctx.finding_on(
            dash.span,
            f"list dash '{dash.text}' before paragraph mark '{shown}'; "
            "expected the mark at the start of the line",
            fix,
        )


# ---- CBL404 -------------------------------------------------------------------------------------
@check("CBL404")
def para_mark_missing_pilcrow(ctx: CheckContext) -> Iterator[Finding]:
    garbles = {mk.start for mk in _marks(ctx) if mk.kind == "garble"}
    for para in paragraphs(ctx):
        number, end, marking = para.number, para.terminator, para.marking
        if para.pilcrow or number is None or end is None or marking is None or para.dash:
            continue
        if end.span.end != marking.span.start or number.span.start in garbles:
            continue
        written = ctx.text[number.span.start : marking.span.end]
        wanted = f"¶{number.text}{end.text} {marking.text}"
        fix = Fix(
            (
                Edit(number.span.start, number.span.start, "¶"),
                Edit(end.span.end, end.span.end, " "),
            ),
            "safe",
            f"Write '{wanted}'",
        )
        yield ctx.finding(
            number.span.start,
            marking.span.end,
            f"paragraph mark '{written}' has no pilcrow and no space before the marking; "
            f"expected '{wanted}'",
            fix,
        )


# ---- CBL405 -------------------------------------------------------------------------------------
@check("CBL405")
def pilcrow_on_number(ctx: CheckContext) -> Iterator[Finding]:
    for mk in _marks(ctx):
        para = mk.para
        if para is None or para.pilcrow is None or mk.kind in ("para", "garble", "mid"):
            continue
        pilcrow = para.pilcrow
        written = ctx.text[pilcrow.span.start : mk.end]
        drop = ctx.replace(pilcrow.span.start, pilcrow.span.end, "", "Remove the pilcrow")
        if mk.kind == "number":
            message = f"'{written}' is a wrapped number, not a paragraph mark"
            fix = drop if para.marking is None else None
        elif mk.kind == "day":
            message = f"'{written}' is a day after a month name, not a paragraph mark"
            fix = drop
        elif mk.kind == "wrapped":
            message = f"'{written}' continues the sentence on the line before, not a paragraph mark"
            fix = None
        else:
            message = (
                f"'{written}' is an unmarked list item that breaks the paragraph sequence, "
                "not a paragraph mark"
            )
            fix = None
        yield ctx.finding(pilcrow.span.start, mk.end, message, fix)


# ---- CBL406 -------------------------------------------------------------------------------------
@check("CBL406")
def para_mark_mid_line(ctx: CheckContext) -> Iterator[Finding]:
    pilcrows = sum(1 for p in paragraphs(ctx) if p.pilcrow) * 2 > len(paragraphs(ctx))
    for mk in _mid_marks(ctx):
        written = ctx.text[mk.start : mk.end]
        item = item_at(ctx, mk.start)
        if isinstance(item, Paragraph) and not ctx.text[item.mark_end : mk.start].strip():
            # "¶1. 1. (C) Text": the mark is written twice, no paragraph runs into another;
            # a line break would leave an empty paragraph.
            own = ctx.text[item.span.start : item.mark_end].strip()
            yield ctx.finding(
                mk.start,
                mk.end,
                f"paragraph mark '{written}' repeats the mark '{own}' before it; expected one mark",
            )
            continue
        # Cut the line before the mark: drop the space(s) before it and start a new paragraph.
        cut = mk.start
        while cut > 0 and ctx.text[cut - 1] == " ":
            cut -= 1
        needs_pilcrow = pilcrows and not written.startswith("¶")
        fix = ctx.replace(
            cut,
            mk.start,
            "\n\n" + ("¶" if needs_pilcrow else ""),
            "Start a new paragraph at the mark",
        )
        yield ctx.finding(
            mk.start,
            mk.end,
            f"paragraph mark '{written}' in the middle of a line: two paragraphs run together; "
            "expected it at the start of its own paragraph",
            fix,
        )


# ---- CBL407 -------------------------------------------------------------------------------------
def _level(inner: str) -> str | None:
    """The classification level of a marking's inside, tolerant of case and spelled-out levels."""
    head = re.split(r"[/ ]", inner.strip().upper(), maxsplit=1)[0]
    head = _LEVEL_WORDS.get(head, head)
    return head if head in MARKING_RANK else None


@check("CBL407")
def para_class_above_banner(ctx: CheckContext) -> Iterator[Finding]:
    classification = ctx.cable.classification
    if classification not in CLASSIFICATION_RANK:
        return
    ceiling = CLASSIFICATION_RANK[classification]  # type: ignore[index]
    for para in paragraphs(ctx):
        if para.marking is None:
            continue
        level = para.level or _level(para.marking.text[1:-1])
        if level is None or (level == "SBU" and classification == "UNCLASSIFIED"):
            continue
        if MARKING_RANK[level] > ceiling:
            yield ctx.finding_on(
                para.marking.span,
                f"paragraph marking {para.marking.text} is above the banner classification "
                f"{classification}",
            )


# ---- CBL408 -------------------------------------------------------------------------------------
@check("CBL408")
def para_class_missing(ctx: CheckContext) -> Iterator[Finding]:
    real = [mk for mk in _marks(ctx) if mk.real and mk.para is not None]
    marked = sum(1 for mk in real if mk.marked)
    if not marked or marked == len(real):
        return
    for mk in real:
        body = mk.para.body if mk.para else None
        # A redacted paragraph lost its marking with its text; a marking after a lead-in
        # ("Summary: (C) ...") or missing its "(" is still a marking.
        if not mk.marked and not _redacted(ctx.cable, body) and not _marking_near(body):
            written = ctx.text[mk.start : mk.end]
            yield ctx.finding(
                mk.start,
                mk.end,
                f"paragraph {written} has no classification marking; "
                f"{marked} of the cable's {len(real)} paragraphs are marked",
            )


def _redacted(cable: Cable, body: Piece | None) -> bool:
    """Whether a paragraph's text starts with a redaction."""
    if body is None:
        return False
    start = body.span.start
    return any(r.span.start == start for r in cable.redactions_in(start, body.span.end))


def _marking_near(body: Piece | None) -> bool:
    """Whether a marking stands near the start of a paragraph's text (after a lead-in)."""
    return body is not None and _MARKING_NEAR.search(body.text[:40]) is not None


# ---- CBL409 ----------------------------------------------------------------------------------
# Markings real cables write beyond the core vocabulary: spelled-out and older levels, more
# caveats, and the old "(C - ENTIRE TEXT)". Accepted in any case ("Secret/Rel Armenia").
_LEVEL_TEXT = (
    r"TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|UNCLAS|LIMITED OFFICIAL USE|LOU"
    r"|SENSITIVE BUT UNCLASSIFIED|SBU|TS|S|C|U"
)
_CAVEAT_TEXT = (
    r"NOFORN|NF|N|FGI(?: [A-Z]{2,4})?|ORCON|OC|PROPIN|FOUO|LES|SBU|SI|TK|HCS|EXDIS|NODIS"
    r"|LIMDIS|NOCONTRACT|DISPLAY ONLY|REL(?: TO)? [A-Z][A-Z ,]*"
)


@cache
def _real_marking() -> re.Pattern[str]:
    """A marking of the wider vocabulary (compiled when first asked: few texts need it, and it is
    long to compile)."""
    return re.compile(
        rf"(?i:(?:{_LEVEL_TEXT})(?: ?//? ?(?:{_CAVEAT_TEXT}))*(?: ?-+ ?ENTIRE TEXT)?)"
    )


_MARKING_WORDS_TEXT = """
    TOP SECRET CONFIDENTIAL UNCLASSIFIED UNCLAS LIMITED OFFICIAL USE LOU SENSITIVE BUT SBU TS S
    C U NOFORN NF N FGI ORCON OC PROPIN FOUO LES SI TK HCS EXDIS NODIS LIMDIS REL TO
"""
_MARKING_WORDS = frozenset(_MARKING_WORDS_TEXT.split())
_MARKING_TOKEN = re.compile(r"[^/ ,]+")


def _garbled_marking(inner: str) -> bool:
    """Whether a parenthesised text after a paragraph number is a marking (one outside the
    vocabulary), not a topic label such as "(U.S.)", "(Iran)" or "(Reftel)": every word of it
    is a marking word (country names after REL), or it is a run of marking letters that holds
    the N and F of NOFORN ("SNF", "N/SF")."""
    upper = inner.upper()
    tokens = _MARKING_TOKEN.findall(upper)
    if not tokens:
        return False
    if "REL" in tokens:
        tokens = tokens[: tokens.index("REL")]
    if all(token in _MARKING_WORDS for token in tokens):
        return True
    squeezed = "".join(tokens)
    return set(squeezed) <= set("SCUBTNF") and "N" in squeezed and "F" in squeezed


@check("CBL409")
def para_class_vocabulary(ctx: CheckContext) -> Iterator[Finding]:
    for para in paragraphs(ctx):
        marking = para.marking
        if marking is None:
            continue
        inner = marking.text[1:-1]
        if _MARKING.fullmatch(inner):
            continue
        upper = inner.upper()
        bare = upper.strip(" ")
        if bare != upper and _MARKING.fullmatch(bare):
            fix = ctx.replace(marking.span.start + 1, marking.span.end - 1, bare, f"Write ({bare})")
            yield ctx.finding_on(
                marking.span,
                f"paragraph marking {marking.text} has spaces inside its parentheses; "
                f"expected ({bare})",
                fix,
            )
        elif inner != upper and _MARKING.fullmatch(upper):
            fix = ctx.replace(
                marking.span.start + 1,
                marking.span.end - 1,
                upper,
                f"Write ({upper})",
            )
            yield ctx.finding_on(
                marking.span,
                f"paragraph marking {marking.text} is not upper case; expected ({upper})",
                fix,
            )
        elif _real_marking().fullmatch(inner) or not _garbled_marking(inner):
            continue  # a real marking beyond the core vocabulary, or a topic label
        elif _MARKING.fullmatch(slashed := "/".join(bare.split())) and slashed != bare:
            # "(C NF)": a space where the caveat's slash goes. Unsafe: "//NF" is as likely.
            fix = ctx.replace(
                marking.span.start + 1,
                marking.span.end - 1,
                slashed,
                f"Write ({slashed})",
                unsafe=True,
            )
            yield ctx.finding_on(
                marking.span,
                f"paragraph marking {marking.text} has a space where its caveat's slash goes; "
                f"expected ({slashed})",
                fix,
            )
        else:
            yield ctx.finding_on(
                marking.span,
                f"paragraph marking {marking.text} is outside the marking vocabulary; "
                "expected U, SBU, C, S or TS with /NF, //NF, /REL ... or //FGI caveats",
            )


# ---- CBL410 -------------------------------------------------------------------------------------
@check("CBL410")
def para_mark_malformed(ctx: CheckContext) -> Iterator[Finding]:
    garbles = {mk.start for mk in _marks(ctx) if mk.kind == "garble"}
    for para in paragraphs(ctx):
        pilcrow, number, end = para.pilcrow, para.number, para.terminator
        if number is None or end is None:
            continue
        if pilcrow is not None:
            if number.span.start > pilcrow.span.end:
                written = ctx.text[pilcrow.span.start : end.span.end]
                fix = ctx.replace(
                    pilcrow.span.end, number.span.start, "", "Remove the space after the pilcrow"
                )
                yield ctx.finding(
                    pilcrow.span.start,
                    end.span.end,
                    f"paragraph mark '{written}' has a space after the pilcrow; "
                    f"expected '¶{number.text}{end.text}'",
                    fix,
                )
            if end.text == ")":
                fix = ctx.replace(end.span.start, end.span.end, ".", "Write '.' after the number")
                yield ctx.finding(
                    pilcrow.span.start,
                    end.span.end,
                    f"paragraph mark '¶{number.text})' ends in ')'; expected '¶{number.text}.'",
                    fix,
                )
        elif (
            para.marking is not None
            and para.marking.span.start > end.span.end
            and number.span.start not in garbles
        ):
            written = ctx.text[number.span.start : para.marking.span.end]
            yield ctx.finding(
                number.span.start,
                para.marking.span.end,
                f"paragraph mark '{written}' has no pilcrow (the Cablegate export writes "
                f"'¶{number.text}{end.text} {para.marking.text}'): the text looks re-typed",
            )


# ---- CBL411 -------------------------------------------------------------------------------------
@check("CBL411")
def pilcrow_mid_line(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    if "¶" not in text:
        return
    reported = {mk.start for mk in _mid_marks(ctx)}
    leading: dict[int, int] = {}  # line number -> offset of the pilcrow that may start it
    for offset in find_all(text, "¶"):
        if offset == 0 or text[offset - 1] == "\n":
            continue  # the pilcrow that starts its line
        line = ctx.line_at(offset)
        if line.number not in leading:
            lead = _PILCROW_LINE_START.match(line.text)
            leading[line.number] = line.span.start + lead.end() - 1 if lead else -1
        if offset != leading[line.number] and offset not in reported:
            yield ctx.finding(
                offset,
                offset + 1,
                "pilcrow after text on the same line: two lines were joined; "
                "expected a pilcrow only at the start of a line",
            )


# ---- CBL412 -------------------------------------------------------------------------------------
def _paragraph_text(para: Paragraph) -> str:
    """The paragraph's words after the mark."""
    rest = [line.content for line in para.lines[1:]]
    return "\n".join([para.body.text if para.body else "", *rest])


_NOT_UPPER = bytes(b for b in range(256) if not 65 <= b <= 90)
_NOT_LOWER = bytes(b for b in range(256) if not 97 <= b <= 122)


def _letter_counts(text: str) -> tuple[int, int]:
    """How many ASCII upper- and lower-case letters ``text`` has (bytes.translate: C speed)."""
    data = text.encode("utf-8", "replace")  # non-ASCII characters encode to bytes >= 0x80
    return len(data.translate(None, _NOT_UPPER)), len(data.translate(None, _NOT_LOWER))


_ASCII_UPPER = re.compile("[A-Z]")
_ASCII_LOWER = re.compile("[a-z]")


def _text_range(para: Paragraph) -> tuple[int, int]:
    """Where the characters of :func:`_paragraph_text` are in the cable's text, which has only
    line ends (no letters) between them."""
    if para.body is not None:
        start = para.body.span.start
    else:
        start = para.lines[1].start if len(para.lines) > 1 else para.span.end
    return start, para.span.end


def _case_problem(text: str, start: int, end: int, all_caps: bool) -> str | None:
    """What is wrong with the case of ``text[start:end]`` (a paragraph's text), if anything (the
    search for a letter of the other case usually stops within the first words)."""
    if _ASCII_UPPER.search(text, start, end) is None:
        return "paragraph is all lower case; expected sentence case"
    if all_caps and _ASCII_LOWER.search(text, start, end) is None:
        return "paragraph is all upper case in a mixed-case cable"
    return None


@check("CBL412")
def paragraph_case(ctx: CheckContext) -> Iterator[Finding]:
    paras = paragraphs(ctx)
    min_letters = int(ctx.options.get("min-letters", 12))  # type: ignore[arg-type]
    all_caps = bool(ctx.options.get("report-all-caps", False))
    text = ctx.text
    ranges = [_text_range(p) for p in paras]
    search = _ASCII_UPPER.search
    if not all_caps and all([search(text, start, end) for start, end in ranges]):
        return  # the common case: each paragraph has an upper-case letter, near its start
    problems = [_case_problem(text, start, end, all_caps) for start, end in ranges]
    if not any(problems):  # no paragraph's text is joined up for it
        return
    texts = [_paragraph_text(p) for p in paras]
    counts = [_letter_counts(t) for t in texts]
    upper = sum(u for u, _ in counts)
    lower = sum(n for _, n in counts)
    if lower * 20 < upper:  # an all-caps cable: its case is its style
        return
    for para, problem, (n_upper, n_lower) in zip(paras, problems, counts, strict=True):
        # Redactions take the capitalised names with them: the case of the rest says nothing.
        if problem is None or n_upper + n_lower < min_letters or para.body is None:
            continue
        if not ctx.cable.redactions_in(*_text_range(para)):
            yield ctx.finding(para.body.span.start, para.span.end, problem)


# ---- CBL413 -------------------------------------------------------------------------------------
_SPLIT_BEFORE = ("TEXT", "PARA", "WORD", "UWORD", "ITEM", "LETTERED")
_SPLIT_AFTER = ("TEXT", "WORD", "UWORD")


@check("CBL413")
def paragraph_split(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    items = cable.body.items if cable.body else ()
    lines = cable.lines
    for before, after in pairwise(items):
        last, first = before.lines[-1], after.lines[0]
        if isinstance(after, Paragraph) or last.kind not in _SPLIT_BEFORE:
            continue
        if first.kind not in _SPLIT_AFTER or not first.content[:1].islower():
            continue
        content = last.content.rstrip()
        if not content or _CLOSED_END.search(content):
            continue
        gap = lines[last.number : first.number - 1]
        if len(gap) != 1 or not gap[0].blank:
            continue
        fix = ctx.replace(
            last.span.end,
            first.span.start - 1,
            "",
            "Join the two parts of the paragraph",
            unsafe=True,
        )
        yield ctx.finding(
            first.span.start,
            first.span.start + len(first.content),
            "paragraph split by a blank line: the line before ends without punctuation and "
            "this one starts in lower case",
            fix,
        )
