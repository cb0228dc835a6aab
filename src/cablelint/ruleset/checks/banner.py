"""Banner and caption checks (CBL201-CBL205): the classification banner and the caption lines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from cablelint.model.cable import ZN_CLASSIFICATION, Banner, Cable, Line, Piece
from cablelint.model.diagnostics import Edit, Finding, Fix
from cablelint.ruleset.checks.common import paragraphs
from cablelint.ruleset.checks.lookalikes import garbled_as
from cablelint.ruleset.reference import captions
from cablelint.ruleset.registry import CheckContext, check, from_options
from cablelint.syntax.parse import caption_name

# ---- CBL201 banner-missing ----------------------------------------------------------------------
_SPACED = {
    "CONFIDENTIAL": "C O N F I D E N T I A L",
    "SECRET": "S E C R E T",
    "UNCLASSIFIED": "UNCLAS",
    "TOP SECRET": "T O P S E C R E T",
}


def _expected_banner(cable: Cable) -> str | None:
    """The banner the header implies: ZN classification, FM station and DE serial."""
    header = cable.header
    if header is None or header.zn is None or header.zn.letters is None:
        return None
    classification = ZN_CLASSIFICATION.get(header.zn.letters.text)
    fm, de = header.fm, header.de
    if classification is None or fm is None or fm.station is None or de is None or not de.serial:
        return None
    return f"{_SPACED[classification]} {fm.station.text} {int(de.serial.text):06d}"


@check("CBL201")
def banner_missing(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    if cable.banners:
        return
    if cable.header is None and not cable.metadata and cable.body is None:
        return  # not a cable at all (an empty file or a fragment): nothing to anchor a banner on
    after = cable.header.span.end if cable.header else 0
    for dateline in cable.datelines:
        after = max(after, dateline.span.end)
    target: Line | None = next(
        (ln for ln in cable.lines if ln.span.start >= after and not ln.blank), None
    )
    if target is None:
        return
    expected = _expected_banner(cable)
    hint = f"; expected a line such as '{expected}'" if expected else ""
    before = cable.metadata[0].span.start if cable.metadata else len(ctx.text)
    for line in cable.lines:
        if after <= line.span.start < before and not line.blank:
            problem = _banner_problem(line.content.strip())
            if problem:
                yield ctx.finding_on(line.span, f"banner line '{line.content.strip()}' {problem}")
                return
    yield ctx.finding_on(
        target.content_span,
        f"no classification banner before the metadata block{hint}",
    )


# A line that starts with a classification word (letter-spaced or not, in any case) but is not a
# banner: what went wrong with it is reported instead of "no banner".
_CLASSIFICATION_START = re.compile(
    r"(?i)(?:(?:[a-z] ){3,}[a-z]\b|(?:top secret|secret|confidential|unclassified|unclas"
    r"|limited official use)\b)"
)
_SERIAL = re.compile(r"\b\d{3,6}\b")


@cache
def _caption_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A caption word anywhere, and one written before the banner on its line ("SIPDIS C O N F I D
    E N T I A L PARIS 001234"): the grammar's caption words (syntax.parse.caption_name)."""
    words = caption_name()
    return re.compile(rf"\b({words})\b"), re.compile(rf"({words})[ ,;/]+")


def _banner_problem(text: str) -> str | None:
    """What is wrong with a line that starts like a banner; None when it does not. (Captions
    after the serial or before the station are part of the banner: CBL210.)"""
    caption_after, caption_before = _caption_patterns()
    lead = caption_before.match(text)
    if lead and _CLASSIFICATION_START.match(text, lead.end()):
        return (
            f"has the caption '{lead.group(1)}' joined to it: expected the banner and the "
            "caption on lines of their own"
        )
    if not _CLASSIFICATION_START.match(text):
        return None
    caption = caption_after.search(text)
    if caption and caption.start() > 0:
        return (
            f"has the caption '{caption.group(1)}' joined to it: expected the banner and the "
            "caption on lines of their own"
        )
    if not _SERIAL.search(text):
        return "has no serial number: expected classification, station and serial"
    if text != text.upper():
        return f"is not upper case: expected '{text.upper()}'"
    return "does not read as a banner: expected classification, station and serial"


# ---- CBL202 banner-garbled-classification -------------------------------------------------------
_CANONICAL = {
    "C O N F I D E N T I A L": "CONFIDENTIAL",
    "S E C R E T": "SECRET",
    "T O P S E C R E T": "TOP SECRET",
    "UNCLAS": "UNCLASSIFIED",
    "UNCLASSIFIED": "UNCLASSIFIED",
    "CONFIDENTIAL": "CONFIDENTIAL",
    "SECRET": "SECRET",
    "TOP SECRET": "TOP SECRET",
}
# Fragments that identify a classification in a squeezed (space-free, upper-case) word.
_FRAGMENTS = (
    ("TOPSECRET", "TOP SECRET"),
    ("ONFIDENTIAL", "CONFIDENTIAL"),
    ("CONFIDENTIA", "CONFIDENTIAL"),
    ("ECRET", "SECRET"),
    ("SECRE", "SECRET"),
    ("NCLAS", "UNCLASSIFIED"),
    ("UNCLA", "UNCLASSIFIED"),
)


def _recover(word: str) -> set[str]:
    squeezed = "".join(word.split()).upper()
    found = {cls for fragment, cls in _FRAGMENTS if fragment in squeezed}
    if "TOP SECRET" in found:
        found.discard("SECRET")
    return found


def _replacement(word: str, classification: str) -> str:
    if classification == "UNCLASSIFIED":
        return "UNCLASSIFIED" if "SIFIED" in word.upper() else "UNCLAS"
    if " " in word.strip():
        return _SPACED[classification]
    return classification


@check("CBL202")
def banner_garbled_classification(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    zn = cable.header.zn if cable.header else None
    zn_class = ZN_CLASSIFICATION.get(zn.letters.text) if zn and zn.letters else None
    for banner in cable.banners:
        word = banner.word
        if word is None or word.text.upper() in _CANONICAL:
            continue  # unparsed (CBL900) or only a case problem (CBL203)
        found = _recover(word.text)
        if len(found) != 1:
            yield ctx.finding_on(
                word.span,
                f"banner classification '{word.text}' is garbled and no single classification "
                "can be recovered; expected C O N F I D E N T I A L, S E C R E T or UNCLAS",
            )
            continue
        classification = found.pop()
        replacement = _replacement(word.text, classification)
        fix = None
        if zn_class == classification:
            fix = ctx.replace(
                word.span.start, word.span.end, replacement, f"Replace with '{replacement}'"
            )
        agreement = ""
        if zn_class is None:
            agreement = " (no ZNY/ZNR line to confirm it)"
        elif zn_class != classification:
            agreement = (
                f" (but {zn.letters.text} on line {ctx.in_file(zn.span).line} says {zn_class})"
            )
        yield ctx.finding_on(
            word.span,
            f"banner classification '{word.text}' looks like a garbled '{replacement}'{agreement}",
            fix,
        )


# ---- CBL203 banner-case ------------------------------------------------------------------------
_SECTION = re.compile(r"SECTION +\d{1,2} +OF +\d{1,2}", re.IGNORECASE)


def _parsed_end(banner: Banner) -> int:
    last = banner.serial or banner.station or banner.section_total or banner.word
    return last.span.end if last else banner.span.end


@check("CBL203")
def banner_case(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    for banner in ctx.cable.banners:
        if banner.word is None:
            continue
        start, end = banner.word.span.start, _parsed_end(banner)
        written = text[start:end]
        upper = written.upper()
        if written == upper:
            continue
        lower = [i for i, ch in enumerate(written) if ch != ch.upper()]
        first, last = lower[0], lower[-1] + 1
        section = _SECTION.search(written)
        if (
            banner.word.text == banner.word.text.upper()
            and section
            and (section.group() != section.group().upper())
        ):
            what = (
                f"'{section.group()}' in the banner is not upper case; "
                f"expected '{section.group().upper()}'"
            )
        else:
            what = f"banner '{written}' is not upper case; expected '{upper}'"
        fix = ctx.replace(
            start + first, start + last, written[first:last].upper(), "Upper-case the banner"
        )
        yield ctx.finding(start + first, start + last, what, fix)


# ---- CBL204 caption-garbled --------------------------------------------------------------------
_MIN_LENGTH, _MAX_LENGTH = 4, 14  # of a written word that may garble a caption
_TOKEN = re.compile(r"[^\s,;/]+")


def _reading(written: str, words: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """How a written word reads as a caption: ("exact", [word]), ("case", [word]) when it is a
    caption in the wrong case, ("garble", words) when it garbles one or more, else None. (A
    caption split by spaces reads as "split".)"""
    if written in words:
        return "exact", [written]
    if written.upper() in words:
        return "case", [written.upper()]
    if not _MIN_LENGTH <= len(written) <= _MAX_LENGTH:
        return None
    found = garbled_as(written, words)
    return ("garble", found) if found else None


def _readings(
    tokens: list[tuple[int, str]], words: tuple[str, ...]
) -> list[tuple[str, list[str]]] | None:
    """The reading of every token, or None as soon as one token reads as no caption (a
    passline's or prose's words: the words after it need no reading)."""
    readings = []
    for _, token in tokens:
        reading = _reading(token, words)
        if reading is None:
            return None
        readings.append(reading)
    return readings


class _Captions(NamedTuple):
    """The known captions (the ``captions`` option, else the reference list), and the one-word
    ones (SIPDIS, NOFORN ...) that a written word is read against."""

    known: frozenset[str]
    words: tuple[str, ...]


@from_options
def _captions(options: Mapping[str, object]) -> _Captions:
    vocabulary = tuple(options.get("captions") or captions())  # type: ignore[arg-type]
    return _Captions(frozenset(vocabulary), tuple(w for w in vocabulary if " " not in w))


_STOP_KINDS = frozenset({"EO", "TAGS", "SUBJECT", "REF", "CLBY", "PARA", "BANNER"})
_REGION_LINES = 40  # captions and passlines never run longer than this after a banner


def _caption_lines(cable: Cable) -> list[Line]:
    """Standalone lines in caption position: the model's captions and passlines, and the lines
    after each banner (also a banner the structure placed late) up to the metadata."""
    found = {n.lines[0].number: n.lines[0] for n in (*cable.captions, *cable.passlines)}
    lines = cable.lines
    for banner in cable.banners:
        number = banner.lines[0].number  # 1-based: lines[number] is the next line
        for line in lines[number : number + _REGION_LINES]:
            if line.kind in _STOP_KINDS:
                break
            if not line.blank:
                found.setdefault(line.number, line)
    return [found[n] for n in sorted(found)]


@check("CBL204")
def caption_garbled(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    candidates = _caption_lines(cable)
    if not candidates:
        return
    known, words = _captions(ctx)
    for line in candidates:
        content = line.content
        stripped = content.strip()
        if not stripped or stripped in known:
            continue
        base = line.span.start + content.index(stripped)
        tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(stripped)]
        readings = _readings(tokens, words)
        if readings is None:
            # Not every word reads as a caption: a passline or prose, unless the line is one
            # caption split by spaces ("S I P D I S", "SIP DIS").
            squeezed = stripped.replace(" ", "")
            reading = _reading(squeezed, words) if squeezed != stripped else None
            if reading is None:
                continue
            if reading[0] == "exact":
                reading = ("split", reading[1])
            tokens, readings = [(0, stripped)], [reading]
        for (offset, token), (how, matches) in zip(tokens, readings, strict=True):
            if how == "exact":
                continue
            start, end = base + offset, base + offset + len(token)
            if how == "case":
                wanted = matches[0]
                message = f"caption '{token}' is not upper case; expected '{wanted}'"
            elif how == "split":
                wanted = matches[0]
                message = f"caption '{token}' is split by spaces; expected '{wanted}'"
            elif len(matches) == 1:
                wanted = matches[0]
                message = f"caption '{token}' looks like a garbled '{wanted}'"
            else:
                wanted = None
                message = f"caption '{token}' looks like a garbled caption: " + " or ".join(
                    f"'{m}'" for m in matches
                )
            fix = ctx.replace(start, end, wanted, f"Replace with '{wanted}'") if wanted else None
            yield ctx.finding(start, end, message, fix)


# ---- CBL205 noforn-consistency -----------------------------------------------------------------
_NF = frozenset({"NF", "NOFORN"})


@check("CBL205")
def noforn_consistency(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    caption = next(
        (c for c in cable.captions if any(w.text.upper() == "NOFORN" for w in c.words)), None
    )
    first_nf = next((p for p in paragraphs(ctx) if _NF & set(p.caveats)), None)
    if caption is not None and first_nf is None:
        if not paragraphs(ctx):
            return  # nothing to compare with (an elided or empty body)
        line = caption.lines[0]
        yield ctx.finding(
            line.span.start,
            line.span.start + len(line.content),
            "NOFORN caption but no paragraph is marked NOFORN (x/NF); expected at least one",
        )
    elif caption is None and first_nf is not None and first_nf.marking is not None:
        marking = first_nf.marking
        yield ctx.finding_on(
            marking.span,
            f"paragraph marked {marking.text} but the cable has no NOFORN caption; expected "
            "NOFORN among the captions",
        )


# ---- CBL210 captions-joined --------------------------------------------------------------------
@check("CBL210")
def captions_joined(ctx: CheckContext) -> Iterator[Finding]:
    on_banner = set()
    for banner in ctx.cable.banners:
        if banner.captions and banner.serial is not None:
            on_banner.add(banner.captions[0].span.start)
            yield _joined_to_banner(ctx, banner, banner.serial)
    for caption in ctx.cable.captions:
        words = caption.words
        if len(words) < 2 or words[0].span.start in on_banner:
            continue
        listed = _listed(words)
        edits = tuple(Edit(a.span.end, b.span.start, "\n") for a, b in pairwise(words))
        fix = Fix(edits, "safe", "Put each caption on a line of its own")
        yield ctx.finding(
            words[0].span.start,
            words[-1].span.end,
            f"captions {listed} are joined on one line; expected each caption on a line of its own",
            fix,
        )


def _joined_to_banner(ctx: CheckContext, banner: Banner, serial: Piece) -> Finding:
    """Captions joined onto the banner line, after its serial or before its station: the fix
    puts the banner, then each caption, on lines of their own (no word changes)."""
    words = banner.captions
    edits = []
    for word in words:
        if word.span.start < serial.span.start:  # before the station: taken out here ...
            end = word.span.end
            while ctx.text[end : end + 1] in (" ", ",", ";", "/"):
                end += 1
            edits.append(Edit(word.span.start, end, ""))
    # ... and every caption on a line of its own below the banner.
    after = [w for w in words if w.span.start > serial.span.start]
    end = after[-1].span.end if after else serial.span.end
    edits.append(Edit(serial.span.end, end, "".join("\n" + w.text for w in words)))
    listed = _listed(words)
    plural = "s" if len(words) > 1 else ""
    return ctx.finding(
        words[0].span.start,
        words[-1].span.end,
        f"caption{plural} {listed} joined to the banner line; expected the banner and each "
        "caption on lines of their own",
        Fix(tuple(edits), "safe", "Put each caption on a line of its own"),
    )


def _listed(words: tuple[Piece, ...]) -> str:
    """``'A'``, ``'A' and 'B'``, ``'A', 'B' and 'C'``."""
    names = [f"'{w.text}'" for w in words]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
