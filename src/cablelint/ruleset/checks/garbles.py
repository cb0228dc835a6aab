"""Garbles (CBL507, CBL508, CBL513, CBL514): stray Q, lost accents, OCR digits in fixed codes,
unbalanced quotes."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import product
from typing import NamedTuple

from cablelint.model.build import MONTHS
from cablelint.model.cable import Block, Cable, Node, Paragraph, Piece
from cablelint.model.diagnostics import Finding
from cablelint.ruleset import reference
from cablelint.ruleset.checks.common import (
    ASCII_LETTERS,
    IGNORECASE_TWINS,
    ascii_folded,
    copies,
    find_all,
    item_at,
)
from cablelint.ruleset.registry import CheckContext, check

# ---- CBL507 stray-q ------------------------------------------------------------------------------
# cable-format.md §4.13: a Q before a lower-case consonant other than u at a word start ("Qthe"),
# or a Q between lower-case letters ("contribuQions"). Qom, Qirbi, Quetta, Qatar do not match.
# A Q before a vowel-initial word is a name far more often (Qatar, Qom, Qaeda, Qadhafi); it is
# stray only before a long word with an English ending (Qarrested, Qelections, Qallowing), which
# the transliterated names never have. Not before i: Chinese names (Qian, Qing, Qiao).
# A Q before a short function word ("Qof", "Qan", "Qis") is stray too: no name is such a word with
# a Q in front. Not "Qin", "Qat", "Qus" (a Chinese name, the Yemeni plant, an Egyptian town),
# nor after a hyphen or before an apostrophe ("al-Qa'ida"). A Q before a capitalised word
# ("QThe", "QCanadian") is stray when the word is a known one and "Q" + word is not
# (_stray_before_capital): camel-case names ("QChem", "QTel") are not.
_SHORT_WORDS_AFTER_Q_TEXT = """
    a an and are as is it its if of on or our out one only over even each every either ever all
    also any after about into under until upon up own off once other
"""
_SHORT_WORDS_AFTER_Q = frozenset(_SHORT_WORDS_AFTER_Q_TEXT.split())
_STRAY_Q = re.compile(
    r"(?<![A-Za-z])Q(?=[b-df-hj-np-tv-z])|(?<=[a-z])Q(?=[a-z])"
    r"|(?<![A-Za-z])Q(?=[aeo][a-z]{3,}(?:ed|ing|ings|tions?|ments?|ies|ity|ally)(?![A-Za-z]))"
    rf"|(?<![A-Za-z'’-])Q(?=(?:{'|'.join(sorted(_SHORT_WORDS_AFTER_Q))})(?![A-Za-z'’-]))"
    r"|(?<![A-Za-z'’-])Q(?=[A-Z][a-z]+(?![A-Za-z-]))"
)
_WORD_AT = re.compile(r"[A-Za-z]*")
# Common English words: deleting a word-initial Q is fixed only when one of these remains.
_COMMON_WORD_TEXT = """
    a about after again against all also an and any are as at be been before being between both
    but by can could did do does during each few for from further had has have having he her
    here hers him his how if in into is it its just more most my no nor not now of off on once
    only or other our out over own same she should so some such than that the their them then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your said says say told made make take took
    give given government minister ministry president prime party country state states people
    support security said held meeting meetings noted added asked stated called plan plans new
    first last well since because however both many much must may might shall need needs would
    still year years week weeks month months day days time political economic military public
    foreign recently sale production process program provides provided build built securing
    suppression
"""
_COMMON_WORDS = frozenset(_COMMON_WORD_TEXT.split())


def _word_after(text: str, start: int) -> str:
    return _WORD_AT.match(text, start).group()


def _stray_before_capital(after: str) -> bool:
    """Whether a Q before the capitalised word ``after`` is stray: the word is common, or a
    known word of four letters or more, and "Q" + the word is not itself a word."""
    low = after.lower()
    if reference.is_word("q" + low):
        return False
    return low in _COMMON_WORDS or (len(low) >= 4 and reference.is_word(low))


def _camel_case_name(word: str, q: int) -> bool:
    """A capitalised word whose inner Q starts a syllable ("TelQuel", "AlQaeda"): a name
    written in camel case, not a Q that replaced a letter ("contribuQions")."""
    return word[0].isupper() and word[q + 1 : q + 2] in ("u", "a", "e", "i", "o")


@check("CBL507")
def stray_q(ctx: CheckContext) -> Iterator[Finding]:
    body, text = ctx.cable.body, ctx.text
    if body is None:
        return
    copied = {copy.start for copy in copies(ctx)}  # CBL512 reports a Q copy, Q and all
    end = body.span.end
    for q in find_all(text, "Q", body.span.start, end):  # a Q is rare: found at memchr speed
        if q + 1 == end or text[q + 1] not in ASCII_LETTERS:
            continue  # every alternative of _STRAY_Q has a letter after the Q
        if _STRAY_Q.match(text, q) is None or q in copied:
            continue
        line = ctx.line_at(q)
        content, pos = line.content, q - line.span.start
        word_start = pos
        while word_start > 0 and content[word_start - 1].isalpha():
            word_start -= 1
        after = _word_after(content, pos + 1)
        word = content[word_start:pos] + "Q" + after
        if word_start < pos and _camel_case_name(word, pos - word_start):
            continue
        capital = after[:1].isupper()
        if capital and not _stray_before_capital(after):
            continue
        start = line.span.start + pos
        fix = None
        remaining = word.replace("Q", "", 1)
        if word_start == pos and remaining.lower() in _COMMON_WORDS:
            # "Qhe" may be "he" with a Q before it or "the" with its T read as Q: an editor
            # must choose when both are words (not before a capital: "QHe" keeps its letters).
            replaced = not capital and "t" + remaining.lower() in _COMMON_WORDS
            fix = ctx.replace(start, start + 1, "", f"delete the Q: '{remaining}'", unsafe=replaced)
            message = f"stray 'Q' in '{word}': expected '{remaining}'"
            if replaced:
                message += f" or 't{remaining}'"
        elif word_start == pos and (
            capital or remaining[:1] in ("a", "e", "o") or remaining in _SHORT_WORDS_AFTER_Q
        ):
            # Before a long word with an English ending (the pattern), a known capitalised word
            # or a short function word: the word is most likely what remains, but it is not a
            # common word, so an editor checks it.
            fix = ctx.replace(start, start + 1, "", f"delete the Q: '{remaining}'", unsafe=True)
            message = f"stray 'Q' in '{word}': expected '{remaining}'"
        else:
            message = f"stray 'Q' in '{word}': an upstream garble of this word"
        yield ctx.finding(start, start + 1, message, fix)


# ---- CBL508 lost-accent --------------------------------------------------------------------------
class _Forms(NamedTuple):
    """Lost-accent forms matched alike (case-sensitive, or not)."""

    word: re.Pattern[str]  # a form as a whole word
    alternation: re.Pattern[str]  # a form anywhere
    folded: frozenset[bytes]  # the forms as ascii_folded writes them
    ignorecase: bool


@cache
def _lost_accent_forms() -> tuple[_Forms, ...]:
    """The case-sensitive forms, and the others (if any); built once."""
    entries = reference.lost_accents().values()
    groups = []
    for ignorecase in (False, True):
        forms = [e.form for e in entries if e.case_sensitive != ignorecase]
        if not forms:
            continue
        alternation = "|".join(map(re.escape, forms))
        flags = re.IGNORECASE if ignorecase else 0
        word = re.compile(rf"(?<![\w'’-])({alternation})(?![\w-])", flags)
        folded = frozenset(form.lower().encode("ascii", "replace") for form in forms)
        groups.append(_Forms(word, re.compile(alternation, flags), folded, ignorecase))
    return tuple(groups)


@cache
def _loose_entries() -> dict[str, reference.LostAccent]:
    """The case-insensitive entries by their lower-case form."""
    return {e.form.lower(): e for e in reference.lost_accents().values() if not e.case_sensitive}


def _form_starts(ctx: CheckContext, forms: _Forms, pos: int) -> Iterator[int]:
    """Every offset from ``pos`` where one of ``forms`` may start, in order."""
    text = ctx.text
    if forms.ignorecase and any(twin in text for twin in IGNORECASE_TWINS):
        found = forms.alternation.search(text, pos)  # the folded bytes would miss a twin
        while found is not None:
            yield found.start()
            found = forms.alternation.search(text, found.start() + 1)
        return
    folded = ascii_folded(ctx)
    yield from sorted({i for form in forms.folded for i in find_all(folded, form, pos)})


def _word_matches(ctx: CheckContext, forms: _Forms, pos: int) -> Iterator[re.Match[str]]:
    """``forms.word.finditer(text, pos)``, trying the word pattern only where a form starts (a
    leading look-behind defeats the regex engine's prefix scan)."""
    end = 0
    for start in _form_starts(ctx, forms, pos):
        found = forms.word.match(ctx.text, start) if start >= end else None
        if found is not None:
            end = found.end()
            yield found


def _copy_case(found: str, form: str, replacement: str) -> str:
    if found == form:
        return replacement
    if found.isupper():
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement.lower()


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*\n\s*|¶\d+\.\s+|\)\s+)$")
_LOOKBEHIND = 40  # characters before a form that hold the word before it


def _confirmed(text: str, start: int, end: int, entry: reference.LostAccent) -> bool:
    """Whether the context around ``text[start:end]`` confirms the damaged word (see
    lost-accents.yaml): the word before, the word after, the form's place in its sentence."""
    following = _NEXT_WORD.match(text, end)
    after = following.group(1) if following else ""
    if after.lower() in entry.exempt_next_words:
        return False
    before_text = text[max(start - _LOOKBEHIND, 0) : start]
    previous = _PREVIOUS_WORD.search(before_text)
    before = previous.group(1).lower() if previous else ""
    if before in entry.exempt_previous_words:
        return False
    if entry.next_capitalised and not (after[:1].isupper() and after[1:2].islower()):
        return False
    if not (entry.confirming_previous_words or entry.confirmed_mid_sentence):
        return True
    if before in entry.confirming_previous_words:
        return True
    return entry.confirmed_mid_sentence and not _SENTENCE_START.search(before_text)


@check("CBL508")
def lost_accent(ctx: CheckContext) -> Iterator[Finding]:
    exact, loose = reference.lost_accents(), _loose_entries()
    text = ctx.text
    header_end = ctx.cable.header.span.end if ctx.cable.header else 0
    found = []
    for forms in _lost_accent_forms():
        for match in _word_matches(ctx, forms, header_end):
            word = match.group()
            entry = loose.get(word.lower()) if forms.ignorecase else exact.get(word)
            if entry is None:
                continue
            if not _confirmed(text, match.start(), match.end(), entry):
                continue
            found.append((match.start(), match.end(), word, entry))
    for start, end, word, entry in sorted(found, key=lambda f: f[0]):
        replacement = _copy_case(word, entry.form, entry.replacement)
        yield ctx.finding(
            start,
            end,
            f"'{word}' lost its accented last letter: expected '{replacement}'",
            ctx.replace(start, end, replacement, f"write '{replacement}'"),
        )


# ---- CBL513 ocr-confusion-in-code ----------------------------------------------------------------
# OCR look-alikes of each digit (cable-format.md §4.11, §7.7).
_DIGIT_LETTERS = {
    "0": "OQD",
    "1": "ILJT",
    "2": "Z",
    "4": "A",
    "5": "S",
    "6": "G",
    "7": "T",
    "8": "B",
    "9": "G",
}
_LETTER_CLASSES = ("OQD0", "IL1JT", "S5", "B8", "G69", "Z2", "A4", "T7")


def _ocr_candidates(token: str, vocabulary) -> list[str]:
    """Entries of ``vocabulary`` that ``token`` becomes when its digits are read as letters."""
    if len(token) > 8:
        return []
    options = [_DIGIT_LETTERS.get(ch, ch) for ch in token]
    return sorted({"".join(p) for p in product(*options)} & set(vocabulary))


def _month_candidates(token: str) -> list[str]:
    """Months that ``token`` matches when each character may be an OCR look-alike."""

    def same(a: str, b: str) -> bool:
        return a == b or any(a in cls and b in cls for cls in _LETTER_CLASSES)

    return [m for m in MONTHS if len(m) == len(token) and all(map(same, token.upper(), m))]


def _has_digit(text: str) -> bool:
    return any(map(str.isdigit, text))


@check("CBL513")
def ocr_confusion_in_code(ctx: CheckContext) -> Iterator[Finding]:
    cable = ctx.cable
    header = cable.header
    if header is not None:
        indicators: list[Piece] = []
        if header.routing:
            indicators.extend(header.routing.indicators)
        if header.de and header.de.routing_indicator:
            indicators.append(header.de.routing_indicator)
        for field in (header.to, header.info):
            for addressee in field.addressees if field else ():
                if addressee.routing_indicator:
                    indicators.append(addressee.routing_indicator)
        for piece in indicators:
            if _has_digit(piece.text[1:]):
                yield ctx.finding_on(
                    piece.span,
                    f"routing indicator '{piece.text}' contains a digit: "
                    "expected letters only (an OCR confusion)",
                )
        dtg = header.dtg
        if dtg and dtg.month and dtg.month.text not in MONTHS:
            month = dtg.month
            candidates = _month_candidates(month.text)
            fix = None
            if len(candidates) == 1:
                expected = f"expected '{candidates[0]}'"
                fix = ctx.replace(
                    month.span.start, month.span.end, candidates[0], f"write '{candidates[0]}'"
                )
            else:
                expected = "expected a month abbreviation (JAN to DEC)"
            yield ctx.finding_on(
                month.span,
                f"DTG month '{month.text}' is not a month: {expected}",
                fix,
            )
    tags = cable.tags
    if tags is not None:
        vocabulary = reference.tag_vocabulary()
        for tag in tags.tags:
            if not _has_digit(tag.code) or tag.code.isdigit() or tag.code in vocabulary:
                continue
            candidates = _ocr_candidates(tag.code.upper(), vocabulary)
            fix = None
            if len(candidates) == 1:
                expected = f"expected '{candidates[0]}'"
                fix = ctx.replace(
                    tag.code_span.start,
                    tag.code_span.end,
                    candidates[0],
                    f"write '{candidates[0]}'",
                )
            elif candidates:
                expected = "expected one of " + ", ".join(candidates)
            else:
                expected = "expected letters only"
            yield ctx.finding(
                tag.code_span.start,
                tag.code_span.end,
                f"TAGS code '{tag.code}' contains a digit: {expected} (an OCR confusion)",
                fix,
            )


# ---- CBL514 unbalanced-quote ---------------------------------------------------------------------
# cable-format.md §4.18: an unbalanced quote count in a paragraph AND either a detached comma
# (" ," not after a redaction) or a word followed by a lone closing "'" and a space (not "'s").
# Whatever the count, a quote that moved leaves a quotation broken off before a detached comma
# (`not a "Belgian , and`) or a quote between two letters (`prove it"if`).
_DETACHED_COMMA = re.compile(r"(?<=\S) +,")
# Single quotes: an opening one before a letter, a closing one after a letter other than the
# "s" of a plural possessive ("peoples' confidence").
_OPEN_SINGLE = re.compile(r"(?<![\w'])'(?=[A-Za-z])")
_CLOSE_SINGLE = re.compile(r"(?<=[A-Za-rt-z])'(?= )")
# An opening quote, a few words on the same line without a quote, then a detached comma.
_BROKEN_QUOTATION = re.compile(r"[\"“](?=[A-Za-z])[^\"“”\n]{0,40}?\S( +),")
#: The quotes; _BROKEN_QUOTATION starts with one, and is tried only where one is.
_QUOTES = ('"', "“", "”")
_WORD_BEFORE_QUOTE = re.compile(r"[^\s\"“”]+\Z")
_WORD_AFTER_QUOTE = re.compile(r"[^\s\"“”]*")


def _after_redaction(cable: Cable, text: str, end: int) -> bool:
    """Whether a redaction of the model ends just before the spaces ending at ``end`` (asked
    rarely: the model finds its redactions only when first asked)."""
    i = end
    while i > 0 and text[i - 1] == " ":
        i -= 1
    return any(r.span.end == i for r in cable.redactions)


def _misplaced(
    text: str, span, cable: Cable, quotes: Sequence[int], detached: bool
) -> tuple[int, str] | None:
    """Where a quote was misplaced in the paragraph ``span`` of ``text``, and how it shows;
    ``quotes`` are the offsets of the quotes in it (where each pattern's match starts: trying
    them in turn past the last match finds what ``finditer`` finds); ``detached``: whether it
    holds a detached comma (" ,")."""
    after = -1  # the end of the last match: matches do not overlap
    # A broken quotation ends in a detached comma: none in most paragraphs.
    for at in quotes if detached else ():
        match = _BROKEN_QUOTATION.match(text, at, span.end) if at >= after else None
        if match is None:
            continue
        after = match.end()
        if not _after_redaction(cable, text, match.start(1)):
            quoted = text[match.start() : match.end()]
            return match.start(), f"the quotation '{quoted}' breaks off before a detached comma"
    for at in quotes:
        # A quote with an ASCII letter either side (in the paragraph after it), told by two
        # character tests: most quotes have none, and a regex call for each costs more.
        if at + 1 >= span.end or text[at + 1] not in ASCII_LETTERS:
            continue
        if at == 0 or text[at - 1] not in ASCII_LETTERS:
            continue
        if text[at - 1] not in "xX" and text[at + 1] not in "xX":
            left = _WORD_BEFORE_QUOTE.search(text, span.start, at)
            right = _WORD_AFTER_QUOTE.match(text, at + 1)
            word = text[left.start() if left else at : right.end()]
            return at, f"a quote between two letters in '{word}'"
    return None


def _quote_offsets(text: str, curly: bool) -> list[int]:
    """The offsets of the quotes of ``text``, in order; without ``curly`` quotes (most texts),
    those of '"' alone, in order already."""
    if not curly:
        return list(find_all(text, '"'))
    return sorted(offset for quote in _QUOTES for offset in find_all(text, quote))


def _quoted_items(ctx: CheckContext, quotes: list[int]) -> Iterator[tuple[Node, int, int]]:
    """The body's paragraphs and blocks that hold quotes, in order, each with the range of
    ``quotes`` (sorted offsets) in it: found from the quotes, not by a step per item (most
    items hold none)."""
    body = ctx.cable.body
    i, end = bisect_left(quotes, body.span.start), bisect_left(quotes, body.span.end)
    while i < end:
        item = item_at(ctx, quotes[i])
        if item is None:
            i += 1
            continue
        stop = bisect_left(quotes, item.span.end, i)
        if isinstance(item, (Paragraph, Block)):
            yield item, i, stop
        i = stop


@check("CBL514")
def unbalanced_quote(ctx: CheckContext) -> Iterator[Finding]:
    body = ctx.cable.body
    whole = ctx.text
    curly = "“" in whole or "”" in whole  # at once in a text of Latin-1 characters alone
    quotes = _quote_offsets(whole, curly)
    if not quotes or body is None:
        return  # no quote: nothing misplaced, nothing unbalanced
    for item, first, stop in _quoted_items(ctx, quotes):
        span = item.span  # count in the file's text, without joining the lines
        detached = whole.find(" ,", span.start, span.end) != -1
        misplaced = _misplaced(whole, span, ctx.cable, quotes[first:stop], detached)
        if misplaced is not None:
            at, how = misplaced
            yield ctx.finding(at, at + 1, f"misplaced quote: {how}")
            continue
        if not curly:  # the quotes found in the paragraph are its '"'
            straight, opening, closing = stop - first, 0, 0
        else:
            straight = whole.count('"', span.start, span.end)
            opening = whole.count("“", span.start, span.end)
            closing = whole.count("”", span.start, span.end)
        if straight % 2 == 0 and opening == closing:
            continue
        text = item.text
        evidence = None
        commas = _DETACHED_COMMA.finditer(whole, span.start, span.end) if detached else ()
        for match in commas:
            if not _after_redaction(ctx.cable, whole, match.start()):
                evidence = "a comma detached from its word"
                break
        if evidence is None and len(_CLOSE_SINGLE.findall(text)) > len(_OPEN_SINGLE.findall(text)):
            evidence = 'a stray closing "\'"'
        if evidence is None:
            continue
        if straight % 2:
            quote, what = '"', f"an odd number ({straight}) of '\"'"
        elif opening > closing:
            quote, what = "“", f"{opening} '“' but {closing} '”'"
        else:
            quote, what = "”", f"{opening} '“' but {closing} '”'"
        start = whole.rindex(quote, span.start, span.end)
        yield ctx.finding(
            start,
            start + 1,
            f"unbalanced quotes: {what} in the paragraph, with {evidence}",
        )
