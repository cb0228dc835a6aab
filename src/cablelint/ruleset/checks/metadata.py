"""Metadata lines (CBL301-CBL314): E.O., TAGS, SUBJECT, REF and Classified By.

The grammar keeps metadata fields in ``cable.metadata``; a field that stands after a section
continuation line or after a REF list broken by a blank line lands in the body as a line of its
kind (EO, TAGS, SUBJECT, REF, CLBY). Those "late" lines, before the first numbered paragraph, are
still treated as metadata here so that they are not reported as missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise

from cablelint.model import cable as m
from cablelint.model.build import authority_label
from cablelint.model.diagnostics import Edit, Finding, Fix, Related
from cablelint.ruleset.checks.common import colons_in, item_at
from cablelint.ruleset.reference import eo_numbers, tag_fixes, tag_vocabulary
from cablelint.ruleset.registry import CheckContext, check, shared_fact
from cablelint.syntax.parse import glued_labels, line_kind, parse_field

_KIND_OF = {
    m.EoLine: "EO",
    m.TagsField: "TAGS",
    m.SubjectField: "SUBJECT",
    m.RefField: "REF",
    m.ClassifiedBy: "CLBY",
}
_META_KINDS = frozenset(_KIND_OF.values())
_ORDER = {"EO": 0, "TAGS": 1, "SUBJECT": 2, "REF": 3, "CLBY": 4}
_DISPLAY = {
    "EO": "E.O.",
    "TAGS": "TAGS",
    "SUBJECT": "SUBJECT",
    "REF": "REF",
    "CLBY": "Classified By",
}
_CLASSIFIED = frozenset({"CONFIDENTIAL", "SECRET", "TOP SECRET"})

# What follows a label glued into body text (CBL313): a value in capitals.
_VALUE_AFTER = re.compile(r" +[A-Z]{2}")
_LABEL_REACH = 40  # the longest gap and label before a colon that GLUED_LABEL may match
_BODY_KINDS = frozenset({"SUBJECT", "TAGS", "CLBY"})  # the labels CBL313 looks for

#: The field grammar's rule and label terminal of the fields whose label may be written twice
#: (fields.lark's SUBJECT_LABEL+ and CLBY_LABEL+), for the late lines the model keeps as lines.
_LABELS = {"SUBJECT": ("subject", "SUBJECT_LABEL"), "CLBY": ("classified_by", "CLBY_LABEL")}

_DATE_LIKE = re.compile(r"\d{1,4}/\d{1,3}/\d{1,4}$")
# Words of an event-based declassification instruction: "10 YEARS AFTER ...", "UPON ...".
_EVENT = re.compile(r"(?i)\b(?:after|upon|on|when|until|closure|end|completion|years?)\b")
_REASON_SECTION = re.compile(r"\b1\. ?([45])\b")
_OCR = str.maketrans("0158", "OISB")
_RENUMBERED = date(2003, 3, 25)
_CLBY_SINCE = date(1995, 10, 14)  # E.O. 12958


# ---- shared helpers -----------------------------------------------------------------------------
def _kind(node: m.Node) -> str:
    return _KIND_OF.get(type(node), "")


@shared_fact
def _late_lines(ctx: CheckContext) -> tuple[m.Line, ...]:
    """Metadata-kind lines in the body before its first numbered paragraph."""
    body = ctx.cable.body
    found: list[m.Line] = []
    for item in body.items if body else ():
        if isinstance(item, m.Paragraph):
            break
        found.extend(line for line in item.lines if line.kind in _META_KINDS)
    return tuple(found)


def _cable_date(cable: m.Cable) -> date | None:
    if cable.dtg:
        return cable.dtg.date()
    dateline = cable.dateline
    return dateline.value.date() if dateline and dateline.value else None


def _line_of(cable: m.Cable, offset: int) -> m.Line | None:
    """The physical line holding ``offset`` (binary search)."""
    lines = cable.lines
    lo, hi = 0, len(lines) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        span = lines[mid].span
        if offset < span.start:
            hi = mid - 1
        elif offset > span.end:
            lo = mid + 1
        else:
            return lines[mid]
    return None


@shared_fact
def _present(ctx: CheckContext) -> frozenset[str]:
    """Field kinds present anywhere in the metadata block: own lines (joined ones included) or
    late lines."""
    kinds = {_kind(n) for n in ctx.cable.metadata}
    kinds.update(line.kind for line in _late_lines(ctx))
    return frozenset(kinds)


# ---- CBL301 -------------------------------------------------------------------------------------
@check("CBL301")
def required_field_missing(ctx: CheckContext) -> Iterator[Finding]:
    """The E.O., TAGS and SUBJECT lines that are missing; those that belong at the same place
    (all three, in a cable cut off after its captions) are one finding."""
    cable = ctx.cable
    eo = cable.eo
    if eo is not None and eo.label_slip and eo.label is not None:
        # "E.0. 12958": the line is there, its label an OCR confusion (labels.lark's EO_SLIP).
        yield ctx.finding_on(
            eo.label.span,
            f"E.O. label written '{eo.label.text}' (a digit for a letter): an OCR confusion; "
            "expected 'E.O.'",
        )
    present = _present(ctx)
    fields: dict[str, m.Node] = {}
    for node in cable.metadata:
        fields.setdefault(_kind(node), node)
    missing: dict[tuple[int, int, str], list[str]] = {}
    for kind in ("EO", "TAGS", "SUBJECT"):
        if kind not in present:
            place = _missing_place(cable, fields, kind)
            if place is not None:
                missing.setdefault(place, []).append(_DISPLAY[kind])
    for (start, end, where), names in missing.items():
        if len(names) == 1:
            message = f"no {names[0]} line: expected one {where}"
        else:
            listed = ", ".join(names[:-1]) + f" and {names[-1]}"
            message = f"no {listed} lines: expected them {where}"
        yield ctx.finding(start, end, message)


def _missing_place(
    cable: m.Cable, fields: dict[str, m.Node], kind: str
) -> tuple[int, int, str] | None:
    """Where a missing field of ``kind`` belongs: the line it is reported on (start, end) and
    the words that say where (after the field before it, before the one after it, after the
    banner); None for a text with nothing to point at."""
    rank = _ORDER[kind]
    following = [n for k, n in fields.items() if _ORDER.get(k, -1) > rank]
    preceding = [n for k, n in fields.items() if -1 < _ORDER.get(k, -1) < rank]
    if preceding:
        node = max(preceding, key=lambda n: _ORDER[_kind(n)])
        anchor, where = node.lines[-1], f"after {_DISPLAY[_kind(node)]}"
    elif following:
        node = min(following, key=lambda n: _ORDER[_kind(n)])
        anchor, where = node.lines[0], f"before {_DISPLAY[_kind(node)]}"
    elif cable.banner is not None:
        anchor, where = cable.banner.lines[0], "after the banner"
    else:
        anchor = next((ln for ln in cable.lines if not ln.blank), None)
        where = "in the metadata block"
    if anchor is None:
        return None
    return anchor.span.start, anchor.span.start + len(anchor.content), where


# ---- CBL302 -------------------------------------------------------------------------------------
def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@check("CBL302")
def eo_decl_date(ctx: CheckContext) -> Iterator[Finding]:
    eo = ctx.cable.eo
    if eo is None:
        return
    max_years = int(ctx.options.get("max-years", 25))  # type: ignore[arg-type]
    # A cable drafted the day before its DTG (or in a time zone ahead of Zulu) counts its
    # 25 years from that day.
    slack = int(ctx.options.get("slack-days", 7))  # type: ignore[arg-type]
    if eo.decl is None:  # none, or a line the field grammar could not read (CBL900 says where)
        return
    text = eo.decl.text
    if eo.decl_form == "other" and "X" not in text and not _DATE_LIKE.match(text):
        # An event ("CLOSURE OF ICTY", "AFTER KOREAN UNIFICATION") is a lawful declassification
        # instruction; only a value with digits that is no date is a garbled one.
        if any(c.isdigit() for c in text) and not _EVENT.search(text):
            yield ctx.finding_on(
                eo.decl.span,
                f"DECL value '{text}' is not a date: expected mm/dd/yyyy",
            )
        return
    if eo.decl_date is None:
        if _DATE_LIKE.match(text):
            yield ctx.finding_on(
                eo.decl.span,
                f"DECL date '{text}' is not a valid date: expected mm/dd/yyyy",
            )
        return
    cable_date = _cable_date(ctx.cable)
    if cable_date is None:
        return
    if eo.decl_date <= cable_date:
        yield ctx.finding_on(
            eo.decl.span,
            f"DECL date {text} is not after the cable date {cable_date.isoformat()}",
        )
    elif eo.decl_date > _add_years(cable_date, max_years) + timedelta(days=slack):
        years = max_years
        while eo.decl_date >= _add_years(cable_date, years + 1):
            years += 1
        days = (eo.decl_date - _add_years(cable_date, years)).days
        after = f"{years} years" + (f" and {days} days" if days else "")
        yield ctx.finding_on(
            eo.decl.span,
            f"DECL date {text} is {after} after the cable date "
            f"{cable_date.isoformat()}: expected at most {max_years} years",
        )


# ---- CBL303 -------------------------------------------------------------------------------------
def _in_force(day: date) -> list[int]:
    return sorted(
        n
        for n, (start, until) in eo_numbers().items()
        if start <= day and (until is None or day < until)
    )


@check("CBL303")
def eo_number_vs_date(ctx: CheckContext) -> Iterator[Finding]:
    eo = ctx.cable.eo
    if eo is None:
        return
    if eo.number is None:  # a line the field grammar could not read: CBL900 says where
        return
    start, text = eo.number.span.start, eo.number.text
    number = int(text)
    cable_date = _cable_date(ctx.cable)
    expected = _in_force(cable_date) if cable_date else []
    want = f"; expected {' or '.join(map(str, expected))}" if expected else ""
    if number not in eo_numbers():
        yield ctx.finding(
            start, start + len(text), f"E.O. {text} is not a classification order{want}"
        )
        return
    if cable_date is None or number in expected or eo.decl_form == "declassified":
        return
    yield ctx.finding(
        start,
        start + len(text),
        f"E.O. {text} was not in force on the cable date {cable_date.isoformat()}{want}",
    )


# ---- CBL304 -------------------------------------------------------------------------------------
@check("CBL304")
def eo_decl_vs_classification(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    eo, classification = cable.eo, cable.classification
    if eo is None or classification is None or eo.decl_form == "declassified":
        return
    value = eo.decl or eo.rest
    if value is None:
        return
    not_applicable = value.text.strip().upper() == "N/A"
    if classification in _CLASSIFIED and not_applicable:
        yield ctx.finding(
            value.span.start,
            value.span.start + 3,
            f"{classification} cable declassifies 'N/A': expected a DECL date",
        )
    elif classification == "UNCLASSIFIED" and eo.decl_date is not None and eo.decl:
        yield ctx.finding_on(
            eo.decl.span,
            f"UNCLASSIFIED cable carries the DECL date {eo.decl.text}: expected 'N/A'",
        )


# ---- CBL305 -------------------------------------------------------------------------------------
def _removal(ctx: CheckContext, tags: tuple[m.Tag, ...], i: int) -> Edit:
    """Delete tag ``i`` with one adjacent separator, without joining lines."""
    tag = tags[i]
    nxt = tags[i + 1] if i + 1 < len(tags) else None
    if nxt is not None and nxt.span.line == tag.span.end_line:
        return Edit(tag.span.start, nxt.span.start, "")
    prev = tags[i - 1]
    if prev.span.end_line == tag.span.line:
        return Edit(prev.span.end, tag.span.end, "")
    # Alone at the start of a continuation line: drop it and its trailing separator.
    end = tag.span.end
    text = ctx.text
    while end < len(text) and text[end] in ", ;":
        end += 1
    return Edit(tag.span.start, end, "")


@check("CBL305")
def tags_duplicate(ctx: CheckContext) -> Iterator[Finding]:
    field = ctx.cable.tags
    if field is None or field.problem is not None:
        return
    seen: dict[str, m.Tag] = {}
    tags = field.tags
    for i, tag in enumerate(tags):
        key = tag.code.upper()
        first = seen.get(key)
        if first is None:
            seen[key] = tag
            continue
        fix = Fix((_removal(ctx, tags, i),), "safe", f"Remove the second '{tag.code}'")
        yield ctx.finding_on(
            tag.span,
            f"tag '{tag.code}' is listed twice (first at column {ctx.in_file(first.span).column}): "
            "expected each tag once",
            fix,
        )


# ---- CBL306 -------------------------------------------------------------------------------------
def _suggest(code: str, present: set[str]) -> tuple[str, ...] | None:
    """The codes an unknown tag most likely means, or None when there is no unique candidate."""
    vocabulary = tag_vocabulary()
    fixes = tag_fixes().get(code)
    if fixes:
        kept = tuple(c for c in fixes if c not in present)
        return kept or fixes[:1]
    normalised = code.translate(_OCR)
    if normalised != code and normalised in vocabulary:
        return (normalised,)
    candidates = {c for c in _edits1(code) if c in vocabulary}
    return (candidates.pop(),) if len(candidates) == 1 else None


def _edits1(word: str) -> Iterator[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            for c in letters:
                yield head + c + tail[1:]
        if len(tail) > 1:
            yield head + tail[1] + tail[0] + tail[2:]
        for c in letters:
            yield head + c + tail


def _tags_label(ctx: CheckContext, label: m.Piece, known_tags: bool) -> Iterator[Finding]:
    """The label written other than TAGS (case, a slip such as TAS or TAGES, or TAGS; or TAGS,).

    A slip of the letters is fixed safely only when a tag after it is a known code: then the line
    is surely the TAGS line."""
    start = label.span.start
    written = label.text.rstrip(" ")
    word = written.rstrip(":;,")
    if written[len(word) :] in (";", ","):
        yield ctx.finding(
            start,
            start + len(written),
            f"TAGS label written '{written}': expected 'TAGS:'",
            ctx.replace(start, start + len(written), "TAGS:", "Write TAGS:"),
        )
    elif word != "TAGS":
        slip = word.upper() not in ("TAGS", "TAG")
        yield ctx.finding(
            start,
            start + len(word),
            f"TAGS label written '{word}': expected 'TAGS'",
            ctx.replace(
                start, start + len(word), "TAGS", "Write TAGS", unsafe=slip and not known_tags
            ),
        )


@check("CBL306")
def tags_format(ctx: CheckContext) -> Iterator[Finding]:
    field = ctx.cable.tags
    if field is None:
        return
    vocabulary = tag_vocabulary()
    if field.label is not None:
        yield from _tags_label(ctx, field.label, any(t.code in vocabulary for t in field.tags))
    check_vocabulary = bool(ctx.options.get("check-vocabulary", False))
    present = {t.code.upper() for t in field.tags}
    yield from _lower_case_tags(ctx, field, vocabulary)
    for tag in field.tags:
        code = tag.code
        if tag.link:
            yield ctx.finding_on(
                tag.span,
                f"tag '{code}' is written as a Markdown link "
                f"'{ctx.text[tag.span.start : tag.span.end]}': expected '{code}'",
                ctx.replace(tag.span.start, tag.span.end, code, f"Write '{code}'"),
            )
            continue
        if _lower_case(code, vocabulary):
            continue
        if check_vocabulary and code not in vocabulary:
            suggestion = _suggest(code, present)
            fix = None
            if suggestion:
                sep = ", " if field.separators else " "
                fix = ctx.replace(
                    tag.code_span.start,
                    tag.code_span.end,
                    sep.join(suggestion),
                    f"Write '{sep.join(suggestion)}'",
                    unsafe=True,
                )
            hint = f": did you mean '{' '.join(suggestion)}'?" if suggestion else ""
            yield ctx.finding(
                tag.code_span.start, tag.code_span.end, f"unknown tag '{code}'{hint}", fix
            )
    if ctx.options.get("mixed-separators", False):
        yield from _mixed_separators(ctx, field)


def _lower_case(code: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Whether ``code`` is a known code written in lower (or mixed) case."""
    upper = code.upper()
    return code != upper and upper in vocabulary


def _lower_case_tags(ctx: CheckContext, field: m.TagsField, vocabulary) -> Iterator[Finding]:
    """Known codes written in lower case: one finding, at the first, for all of them (a cable
    folded to lower case writes every tag so), each tag a related location."""
    lower = [t for t in field.tags if not t.link and _lower_case(t.code, vocabulary)]
    if not lower:
        return
    if len(lower) == 1:
        tag = lower[0]
        code, upper = tag.code, tag.code.upper()
        yield ctx.finding(
            tag.code_span.start,
            tag.code_span.end,
            f"tag '{code}' is not upper case: expected '{upper}'",
            ctx.replace(tag.code_span.start, tag.code_span.end, upper, f"Write '{upper}'"),
        )
        return
    uppers = " ".join(t.code.upper() for t in lower)
    first, last = lower[0].code_span, lower[-1].code_span
    yield Finding(
        ctx.span(first.start, last.end),
        f"{len(lower)} tags are not upper case (the first '{lower[0].code}'): expected '{uppers}'",
        Fix(
            tuple(Edit(t.code_span.start, t.code_span.end, t.code.upper()) for t in lower),
            "safe",
            f"Write '{uppers}'",
        ),
        related=tuple(
            Related(t.code_span, f"'{t.code}': expected '{t.code.upper()}'") for t in lower
        ),
    )


def _mixed_separators(ctx: CheckContext, field: m.TagsField) -> Iterator[Finding]:
    """Adjacent tags without a comma on a physical line whose other tags are comma-separated."""
    commas = [s.span.start for s in field.separators]
    tags = field.tags
    for a, b in pairwise(tags):
        if a.span.end_line != b.span.line:
            continue
        between = any(a.span.end <= c < b.span.start for c in commas)
        if between:
            continue
        line = b.span.line
        if any(_line_of(ctx.cable, c) and _line_of(ctx.cable, c).number == line for c in commas):
            yield ctx.finding(
                a.span.end,
                b.span.start,
                f"no comma between '{a.code}' and '{b.code}' on a comma-separated line",
            )


# ---- CBL307 -------------------------------------------------------------------------------------
def _ref_items(ctx: CheckContext, ref: m.RefField) -> list[m.RefItem]:
    """The REF field's lettered items, without those on or after a classification line that
    follows the list ("(U) CLASSIFIED BY ... REASONS 1.5 (B) AND (D)")."""
    text = ctx.text
    stop = next((ln.span.start for ln in ref.lines if authority_label(text, ln) is not None), None)
    return [i for i in ref.items if stop is None or i.span.start < stop]


def _next_letter(letter: str) -> str:
    return chr(ord(letter) + 1)


@check("CBL307")
def ref_list_format(ctx: CheckContext) -> Iterator[Finding]:
    ref = ctx.cable.ref
    if ref is None or ref.problem is not None:
        return
    report_pilcrow = bool(ctx.options.get("pilcrow", False))
    items = _ref_items(ctx, ref)
    # The release lettered some lists a second time, per line, in front of the original letters
    # ("¶C. B. PARIS 55"): both sequences must run in order, each on its own.
    expected, outer = "A", "A"
    for i, item in enumerate(items):
        letter = item.letter
        if letter is None:
            continue
        bare = letter.text.strip("¶()")[:1]
        if report_pilcrow and letter.text.startswith("¶"):
            yield ctx.finding(
                letter.span.start,
                letter.span.start + 1,
                f"pilcrow on REF item '{letter.text}': expected '{letter.text[1:]}'",
                ctx.replace(letter.span.start, letter.span.start + 1, "", "Remove the pilcrow"),
            )
        nxt = items[i + 1].letter if i + 1 < len(items) else None
        if not item.text and nxt is not None and nxt.span.line == letter.span.line:
            # A letter of the release's own lettering, in front of the original letter.
            if bare != outer and bare != expected:
                yield ctx.finding_on(letter.span, f"REF line lettered '{bare}': expected '{outer}'")
            outer = _next_letter(max(bare, outer))
            continue
        line = ctx.line_at(letter.span.start)
        line_start = letter.span.start == line.span.start + len(line.content) - len(
            line.content.lstrip(" ¶")
        ) or letter.text.startswith("¶")
        if outer != "A" and bare == outer and line_start:
            outer = _next_letter(bare)  # a line the release lettered once
        elif bare == expected:
            expected = _next_letter(bare)
        elif not line_start and _after_word(ctx, letter.span.start):
            continue  # "... EMAIL FROM JOHN W. SMITH": a middle initial, not an item
        else:
            yield ctx.finding_on(letter.span, f"REF item lettered '{bare}': expected '{expected}'")
            expected = _next_letter(max(bare, expected)) if bare.isalpha() else expected


def _after_word(ctx: CheckContext, start: int) -> bool:
    """Whether a word stands right before ``start``: a letter after a name is its initial,
    while an item ends in a serial, a date or a parenthesis ("STATE 1234 B. PARIS 55")."""
    before = ctx.text[max(start - 30, 0) : start].rstrip(" ")
    word = before.split(" ")[-1] if before else ""
    return len(word) > 1 and word.isalpha()


# ---- CBL308 -------------------------------------------------------------------------------------
def _label_slip(ctx: CheckContext) -> tuple[int, int, str] | None:
    """``(start, end, text)`` of a misspelled Classified By label (labels.lark's CLBY_SLIP,
    "Classfied By:"), as the model reads it: its field's first label, or a late line's."""
    for node in ctx.cable.metadata:
        if isinstance(node, m.ClassifiedBy) and node.label_slip:
            label = node.labels[0]
            return label.span.start, label.span.end, label.text
    for line in _late_lines(ctx):
        tokens = parse_field("classified_by", line.content) if line.kind == "CLBY" else None
        if isinstance(tokens, dict) and "CLBY_SLIP" in tokens:
            start, end = tokens["CLBY_SLIP"][0]
            return line.start + start, line.start + end, line.content[start:end]
    return None


@check("CBL308")
def classified_by_missing(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    classification = cable.classification
    if classification not in _CLASSIFIED:
        return
    slip = _label_slip(ctx)
    if slip is None and "CLBY" in _present(ctx):
        return
    cable_date = _cable_date(cable)
    if cable_date is not None and cable_date < _CLBY_SINCE:
        return  # before E.O. 12958 cables had no Classified By line
    anchor_node = cable.metadata[-1] if cable.metadata else cable.banner
    if anchor_node is None:
        return
    if slip is not None:
        start, end, written = slip
        message = f"Classified By label written '{written}': expected 'Classified By'"
        yield ctx.finding(start, end, message)
        return
    if any(authority_label(ctx.text, line) is not None for line in _authority_lines(cable)):
        return  # the authority is there, if not on a line of its own
    anchor = anchor_node.lines[0]
    yield ctx.finding(
        anchor.span.start,
        anchor.span.start + len(anchor.content),
        f"{classification} cable has no 'Classified By:' line: expected one after the "
        "metadata fields",
    )


def _authority_lines(cable: m.Cable) -> Iterator[m.Line]:
    """The lines where a classification authority may stand: from the banner through the
    metadata fields and the cable's first two paragraphs."""
    start = cable.banner.span.start if cable.banner else 0
    paragraphs = 0
    end = cable.body.span.start if cable.body else len(cable.text)
    for item in cable.body.items if cable.body else ():
        paragraphs += isinstance(item, m.Paragraph)
        if paragraphs > 2:
            break
        end = item.span.end
    for line in cable.lines:
        if start <= line.start <= end:
            yield line


# ---- CBL309 -------------------------------------------------------------------------------------
def _repeated_labels(ctx: CheckContext) -> Iterator[tuple[str, int, int]]:
    """``(kind, start, end)`` of each label written again after a field's first one, as the
    field grammar reads them: the fields' own labels, and those of late lines."""
    for node in ctx.cable.metadata:
        for label in getattr(node, "labels", ())[1:]:
            yield _kind(node), label.span.start, label.span.end
    for line in _late_lines(ctx):
        rule, terminal = _LABELS.get(line.kind, ("", ""))
        tokens = parse_field(rule, line.content) if rule else None
        if isinstance(tokens, dict):
            for start, end in tokens.get(terminal, ())[1:]:
                yield line.kind, line.start + start, line.start + end


@check("CBL309")
def doubled_label(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    for kind, start, end in _repeated_labels(ctx):
        repeat = text[start:end].rstrip()
        while end < len(text) and text[end] == " ":  # the spaces before what follows
            end += 1
        yield ctx.finding(
            start,
            start + len(repeat),
            f"label repeated as '{repeat}': expected the {_DISPLAY[kind]} label once",
            ctx.replace(start, end, "", "Remove the repeated label"),
        )


# ---- CBL310 -------------------------------------------------------------------------------------
@check("CBL310")
def classified_by_reason_section(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    cable_date = _cable_date(cable)
    if cable_date is None:
        return
    clby = cable.classified_by
    piece: tuple[int, str] | None = None
    if clby is not None and clby.reason_section is not None:
        piece = (clby.reason_section.span.start, clby.reason_section.text)
    else:
        candidates = (
            list(clby.lines) if clby else [ln for ln in _late_lines(ctx) if ln.kind == "CLBY"]
        )
        for line in candidates[:3]:
            hit = _REASON_SECTION.search(line.content)
            if hit:
                piece = (line.span.start + hit.start(), hit.group())
                break
    if piece is None:
        return
    start, text = piece
    section = text.replace(" ", "")[-1]
    after = cable_date >= _RENUMBERED
    if (section == "5" and after) or (section == "4" and not after):
        want = "1.4" if after else "1.5"
        when = "after" if after else "before"
        yield ctx.finding(
            start,
            start + len(text),
            f"reason {text} cited on a cable of {cable_date.isoformat()}: expected {want} "
            f"{when} the {_RENUMBERED.isoformat()} renumbering",
        )


# ---- CBL311 -------------------------------------------------------------------------------------
@check("CBL311")
def metadata_order(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    sequence: list[tuple[str, m.Line]] = [(_kind(n), n.lines[0]) for n in cable.metadata]
    # Late REF and Classified By lines were displaced by a section line or a broken REF list; late
    # E.O./TAGS/SUBJECT lines belong to a second header copy (CBL107), not to this block.
    sequence += [(ln.kind, ln) for ln in _late_lines(ctx) if ln.kind in ("REF", "CLBY")]
    # Drafters put Classified By before REF as often as after it (cable-format.md §1.1, 5 of
    # 880): both orders are accepted unless the project asks for REF first.
    order = dict(_ORDER)
    if not ctx.options.get("ref-before-classified-by", False):
        order["CLBY"] = order["REF"]
    seen: set[str] = set()
    displaced: set[str] = set()
    latest: tuple[str, int] | None = None
    for kind, line in sequence:
        if kind in seen or kind not in order:
            continue
        seen.add(kind)
        if latest is not None and order[kind] < latest[1]:
            if latest[0] in displaced:
                continue  # one field out of place is reported once, not with each one after it
            displaced.add(latest[0])
            end = line.span.start + len(line.content)
            yield ctx.finding(
                line.span.start,
                end,
                f"{_DISPLAY[kind]} after {_DISPLAY[latest[0]]}: expected the order "
                "E.O., TAGS, SUBJECT, REF, Classified By",
            )
            continue
        latest = (kind, order[kind])


# ---- CBL312 -------------------------------------------------------------------------------------
def _label(node: m.Node) -> m.Piece | None:
    """The label a metadata field is written with."""
    labels = getattr(node, "labels", None)
    return labels[0] if labels else getattr(node, "label", None)


@check("CBL312")
def metadata_line_joined(ctx: CheckContext) -> Iterator[Finding]:
    for join in ctx.cable.joins:
        kind, host = _kind(join.field), join.host
        label = _label(join.field)
        start, end = join.span.start, join.span.end
        label_end = label.span.start + len(label.text.rstrip()) if label is not None else end
        before = ctx.text[host.span.start : start].split()
        what = f"the {_DISPLAY[_kind(host)]} line" if _kind(host) else "a passline"
        yield ctx.finding(
            end,
            label_end,
            f"{_DISPLAY[kind]} label '{ctx.text[end:label_end]}' joined to {what} after "
            f"'{before[-1] if before else ''}': expected it on its own line",
            ctx.replace(start, end, "\n", f"Start {_DISPLAY[kind]} on a new line"),
        )


# ---- CBL313 -------------------------------------------------------------------------------------
def _labels_in_paragraphs(ctx: CheckContext) -> Iterator[tuple[m.Line, int, int, int]]:
    """``(line, gap, label start, colon)`` of each SUBJECT, TAGS or Classified By label glued
    into a paragraph's line of other than a metadata kind (cable.lark's GLUED_LABEL, as the
    model reads joined fields), one space after a lower-case letter and with a value in capitals
    after its colon; tried only before a colon (found at C speed)."""
    body, text = ctx.cable.body, ctx.text
    if body is None:
        return
    end = 0
    for colon in colons_in(ctx, body.span.start, body.span.end):
        if colon < end or _VALUE_AFTER.match(text, colon + 1) is None:
            continue
        line = ctx.line_at(colon)
        for gap, label in glued_labels(text, max(line.start, colon - _LABEL_REACH), colon + 1):
            if label != gap + 1 or not "a" <= text[gap - 1] <= "z" or text[colon - 1] == " ":
                continue  # one space after a lower-case word, the colon right after the label
            if text.find(":", label) != colon:
                continue
            if line_kind(line.content[label - line.start :]) not in _BODY_KINDS:
                continue
            if line.kind in _META_KINDS or not isinstance(item_at(ctx, label), m.Paragraph):
                continue
            end = colon + 1
            yield line, gap, label, colon


@check("CBL313")
def metadata_label_in_body(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    for line, gap, label, colon in _labels_in_paragraphs(ctx):
        word = text[line.span.start : gap].rsplit(" ", 1)[-1]
        yield ctx.finding(
            label,
            colon + 1,
            f"{text[label:colon]}: label inside body text after '{word}': the text before it "
            "looks cut off",
        )


# ---- CBL314 -------------------------------------------------------------------------------------
_BLANK_PAIRS = {("EO", "TAGS"), ("TAGS", "SUBJECT")}


@check("CBL314")
def metadata_blank_line(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    fields = cable.metadata
    for a, b in pairwise(fields):
        pair = (_kind(a), _kind(b))
        if pair not in _BLANK_PAIRS:
            continue
        first, last = a.span.end_line + 1, b.span.line - 1
        if first > last:
            continue
        gap = cable.lines[first - 1 : last]
        if not all(line.blank for line in gap):
            continue
        start, end = gap[0].span.start, b.span.start
        yield ctx.finding(
            gap[0].span.start,
            gap[-1].content_span.end,
            f"blank line between {_DISPLAY[pair[0]]} and {_DISPLAY[pair[1]]}: expected "
            f"{_DISPLAY[pair[1]]} right after {_DISPLAY[pair[0]]}",
            ctx.replace(start, end, "", "Remove the blank line"),
        )
