"""Text damage (CBL501-CBL506): comma apostrophes, SIPDIS in running text, Markdown residue,
non-canonical redactions, words split at a hard wrap, headings joined to their underline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import chain, compress, pairwise

from cablelint.model.cable import Block, Cable, Line, Paragraph
from cablelint.model.diagnostics import Edit, Finding, Fix
from cablelint.model.inline import CANONICAL_REDACTION, redaction_runs
from cablelint.ruleset import reference
from cablelint.ruleset.checks.common import (
    ASCII_LETTERS,
    ASCII_LOWER,
    ASCII_LOWER_LETTERS,
    find_all,
    holding,
    item_at,
    line_contents,
)
from cablelint.ruleset.registry import CheckContext, check
from cablelint.syntax.parse import caption_name

# ---- helpers -------------------------------------------------------------------------------------
_BODY_KINDS = (Paragraph, Block)


def body_lines(cable: Cable) -> list[Line]:
    """The physical lines of the body (numbered paragraphs and other blocks), in order."""
    items = cable.body.items if cable.body else ()
    return list(chain.from_iterable(item.lines for item in items if isinstance(item, _BODY_KINDS)))


# ---- CBL501 comma-for-apostrophe -----------------------------------------------------------------
# A word of two letters or more, a comma, then s/re/d/ll/ve/m, or n,t; then no letter or digit.
# Single letters are excluded: "(b,d)" in a Classified By reason is a list, not an apostrophe.
@cache
def _comma_apostrophe() -> re.Pattern[str]:
    """The pattern (compiled when first asked: most texts hold no comma before a suffix)."""
    return re.compile(r"(?<![\w'’])(?:[A-Za-z][A-Za-z]+,(?:s|re|d|ll|ve|m)|[A-Za-z]*n,t)(?![\w'’])")


# The comma and what follows it: a literal prefix, so found at C speed.
_COMMA_SUFFIX = re.compile(r",(?:s|re|d|ll|ve|m|t)")


def _comma_apostrophes(ctx: CheckContext) -> Iterator[re.Match[str]]:
    """``_comma_apostrophe()`` matches on the body lines, tried only at the word before a comma
    that a suffix follows (a match starts where the ASCII letters before its comma start)."""
    text, body = ctx.text, ctx.cable.body
    if body is None:
        return
    end = 0
    for suffix in _COMMA_SUFFIX.finditer(text, body.span.start, body.span.end):
        start = suffix.start()
        while start > 0 and text[start - 1] in ASCII_LETTERS:
            start -= 1
        if start < end or item_at(ctx, start) is None:
            continue
        match = _comma_apostrophe().match(text, start)
        if match is not None:
            end = match.end()
            yield match


@check("CBL501")
def comma_for_apostrophe(ctx: CheckContext) -> Iterator[Finding]:
    apostrophe = str(ctx.options.get("apostrophe", "'"))
    for match in _comma_apostrophes(ctx):
        word = match.group()
        comma = match.start() + word.rindex(",")
        fixed = word.replace(",", apostrophe)
        yield ctx.finding(
            comma,
            comma + 1,
            f"comma used as an apostrophe in '{word}': expected '{fixed}'",
            ctx.replace(comma, comma + 1, apostrophe, f"write '{fixed}'", unsafe=True),
        )


# ---- CBL502 sipdis-in-text -----------------------------------------------------------------------
_SIPDIS = re.compile(r"(?<![\w/])SIPDIS(?![\w/])")
# Words after which SIPDIS is being talked about, not inserted ("Please include SIPDIS in all").
_SIPDIS_MENTION_TEXT = """
    include includes including included add adding use using caption captioned slug the a and
    or with without
"""
_SIPDIS_MENTION = frozenset(_SIPDIS_MENTION_TEXT.split())
_SENTENCE_END = re.compile(r"""[.!?:;"”')\]]$""")


_WORD_CHAR = re.compile(r"\w")


def _previous_word(text: str, end: int) -> str:
    """The ASCII word before ``end`` across non-word characters (``([A-Za-z]+)\\W*$``), scanned
    backwards: the regex search is quadratic on a long line."""
    i = end
    while i > 0 and not _WORD_CHAR.match(text, i - 1):
        i -= 1
    j = i
    while j > 0 and text[j - 1] in ASCII_LETTERS:
        j -= 1
    return text[j:i].lower()


@check("CBL502")
def sipdis_in_text(ctx: CheckContext) -> Iterator[Finding]:
    body = ctx.cable.body
    if body is None or ctx.text.find("SIPDIS", body.span.start, body.span.end) == -1:
        return
    lines = body_lines(ctx.cable)
    for i in holding(lines, "SIPDIS"):
        line = lines[i]
        content = line.content
        prev = _previous_text_line(lines, i)
        if content.strip() == "SIPDIS":
            # A caption line inside the body: damage only when it interrupts a sentence.
            nxt = _next_text_line(lines, i)
            if prev is None or nxt is None or _SENTENCE_END.search(prev.content.rstrip()):
                continue
            if not nxt.content.lstrip()[:1].islower():
                continue
            start = line.span.start + content.index("SIPDIS")
            fix = ctx.replace(
                prev.span.end,
                nxt.span.start - 1,
                "",
                "remove the SIPDIS line and rejoin the sentence",
            )
            yield ctx.finding(
                start,
                start + 6,
                "'SIPDIS' line interrupts a sentence: expected no caption here",
                fix,
            )
            continue
        for match in _SIPDIS.finditer(content):
            start = line.span.start + match.start()
            before = content[: match.start()]
            after = content[match.end() :]
            if before.strip():
                # Inside a prose line: "had not been SIPDIS well received".
                if _previous_word(content, match.start()) in _SIPDIS_MENTION:
                    continue
                if not (before.endswith(" ") and after.startswith(" ") and after[1:2].isalpha()):
                    continue
                fix = ctx.replace(start - 1, start + 6, "", "remove the inserted SIPDIS")
            else:
                # At the start of a line that continues the sentence of the line before.
                if not (after.startswith(" ") and after[1:2].islower()):
                    continue
                if prev is None or _SENTENCE_END.search(prev.content.rstrip()):
                    continue
                fix = ctx.replace(prev.span.end, start + 7, " ", "remove SIPDIS and rejoin")
            yield ctx.finding(
                start, start + 6, "'SIPDIS' inserted into running text: expected prose only", fix
            )


def _previous_text_line(lines: list[Line], i: int) -> Line | None:
    """The nearest non-blank body line before ``lines[i]``, across at most one blank line."""
    for j in (i - 1, i - 2):
        if j < 0:
            return None
        if not lines[j].blank:
            return lines[j] if lines[j].span.line >= lines[i].span.line - 2 else None
    return None


def _next_text_line(lines: list[Line], i: int) -> Line | None:
    for j in (i + 1, i + 2):
        if j >= len(lines):
            return None
        if not lines[j].blank:
            return lines[j] if lines[j].span.line <= lines[i].span.line + 2 else None
    return None


# ---- CBL503 markdown-artifact --------------------------------------------------------------------
_MD_BOLD = re.compile(r"(\*\*|__)(?=[^\s*_])([^*\r\n]*?[^\s*_])\1")  # within one line (CR ends one)
_MD_HEADING = re.compile(r"^(#{1,6}) +(?=\S)")
# A Markdown list dash before a line that is a structural line of the cable (a caption, banner,
# metadata label or section line): such lines are never bullets. Dashes before paragraph marks
# belong to CBL403; "- text" and "-- text" bullets are authentic (cable-format.md §4.9).
_MD_DASH = re.compile(r"^([-*+] +)(?=\S)")
_MD_LINE_START = "#-*+"  # the first characters of a heading or list marker
_STRUCTURAL_LINES = (
    r"|(?:E\.O\.|EO) *\d{5}"
    r"|(?:TAGS|SUBJECT|REF|Classified By|CLASSIFIED BY)\b *:"
    r"|(?:C O N F I D E N T I A L|S E C R E T|UNCLAS\b|CONFIDENTIAL|SECRET)"
    r"|[A-Z][A-Z .-]{1,11} +\d{8} +\d{3}(?:\.\d)? +OF +\d{3}$"
)


@cache
def _structural() -> re.Pattern[str]:
    """A caption word alone (the grammar's caption words: syntax.parse.caption_name), or the
    start of a banner, metadata or section line."""
    return re.compile(rf"{caption_name()}${_STRUCTURAL_LINES}")


@check("CBL503")
def markdown_artifact(ctx: CheckContext) -> Iterator[Finding]:
    tags = ctx.cable.tags
    tag_lines = frozenset(line.number for line in tags.lines) if tags else frozenset()
    # Links are conversion residue: CBL503's residue part (checks/residue.py) reports them.
    yield from _md_emphasis(ctx, tag_lines)
    yield from _md_line_starts(ctx, tag_lines)


def _text_line(ctx: CheckContext, offset: int, tag_lines: frozenset[int]) -> Line | None:
    """The line holding ``offset``, unless it is blank or a TAGS line (tags may be links)."""
    line = ctx.line_at(offset)
    return None if line.blank or line.number in tag_lines else line


def _md_emphasis(ctx: CheckContext, tag_lines: frozenset[int]) -> Iterator[Finding]:
    text = ctx.text
    marks = {offset for mark in ("**", "__") for offset in find_all(text, mark)}
    end = 0
    for offset in sorted(marks):
        match = _MD_BOLD.match(text, offset) if offset >= end else None  # stays on its line
        if match is None or _text_line(ctx, offset, tag_lines) is None:
            continue
        start, end = match.span()
        mark = match.group(1)
        fix = Fix(
            (Edit(start, start + 2, ""), Edit(end - 2, end, "")),
            "safe",
            f"remove the {mark} emphasis",
        )
        yield ctx.finding(
            start,
            end,
            f"Markdown emphasis '{match.group()}': expected the plain text '{match.group(2)}'",
            fix,
        )


def _md_marked_line_starts(text: str) -> list[int]:
    """The offsets, in order, of the lines that start with a heading marker or a list marker and
    a space (any marker at the text's start). Each marker is looked for after a newline only in
    a text that holds it: one scan for a character is the quickest, and "#", "*" and "+" are
    rare in cables (a regex scan for them all tried a match at every newline). Most texts hold
    a "#" or two, none at a line start: each "#" is found by itself (at memchr speed) and the
    character before it tested, where a search for a newline and "#" steps through the text."""
    starts = [0] if text[:1] in _MD_LINE_START else []
    for marker in _MD_LINE_START:
        if marker not in text:
            continue
        if marker == "#":
            starts += [at for at in find_all(text, "#", 1) if text[at - 1] == "\n"]
        else:
            found = find_all(text, "\n" + marker)
            starts += [at + 1 for at in found if text[at + 2 : at + 3] == " "]
    return sorted(starts)


def _md_line_starts(ctx: CheckContext, tag_lines: frozenset[int]) -> Iterator[Finding]:
    """Heading markers and list markers at the start of a line."""
    text = ctx.text
    for offset in _md_marked_line_starts(text):
        line = _text_line(ctx, offset, tag_lines)
        if line is None:
            continue
        content = line.content
        if content.startswith("#"):
            match = _MD_HEADING.match(content)
            if match:
                yield ctx.finding(
                    offset,
                    offset + len(match.group(1)),
                    f"Markdown heading marker '{match.group(1)}': expected a plain heading line",
                    ctx.replace(offset, offset + match.end(), "", "remove the heading marker"),
                )
        elif line.kind != "PARA":
            match = _MD_DASH.match(content)
            if match and _structural().match(content, match.end()):
                yield ctx.finding(
                    offset,
                    offset + 1,
                    f"Markdown list marker '{content[0]}' before a "
                    f"'{content[match.end() :][:20].rstrip()}' line: expected no list marker",
                    ctx.replace(offset, offset + match.end(), "", "remove the list marker"),
                )


# ---- CBL504 redaction-token ----------------------------------------------------------------------
@check("CBL504")
def redaction_token(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    for start, end in redaction_runs(text):  # in any line: a SUBJECT line's too
        token = text[start:end]
        if token == CANONICAL_REDACTION:
            continue
        yield ctx.finding(
            start,
            end,
            f"redaction written '{token}' ({len(token)} characters): "
            f"expected '{CANONICAL_REDACTION}'",
        )


# ---- CBL505 word-split-at-wrap -------------------------------------------------------------------
# Words of the Classified By line that are broken at a hard wrap ("REAS" / "ONS 1.4").
_CLBY_WORDS_TEXT = """
    reasons reason and for classified by ambassador counselor counsellor political economic
    officer affairs charge deputy chief mission section minister consul general director acting
    embassy department
"""
_CLBY_WORDS = frozenset(_CLBY_WORDS_TEXT.split())
_LAST_TOKEN = re.compile(r"(?:^|(?<= ))([A-Za-z]+)$")
_FIRST_TOKEN = re.compile(r"^( *)([A-Za-z]+)\b")


@check("CBL505")
def word_split_at_wrap(ctx: CheckContext) -> Iterator[Finding]:
    yield from _classified_by_splits(ctx)
    if not ctx.cable.residue.of_kind("rewrap"):  # a browser's re-wrap is CBL517's
        yield from _prose_splits(ctx)


def _classified_by_splits(ctx: CheckContext) -> Iterator[Finding]:
    field = ctx.cable.classified_by
    if field is None:
        return
    lines = [line for line in field.lines if not line.blank]
    for first, second in pairwise(lines):
        if second.number != first.number + 1:
            continue
        tail = _LAST_TOKEN.search(first.content)
        head = _FIRST_TOKEN.match(second.content)
        if not tail or not head:
            continue
        left, right = tail.group(1), head.group(2)
        word = left + right
        if word.lower() not in _CLBY_WORDS or right.lower() in _CLBY_WORDS:
            continue
        yield _split_finding(ctx, first, second, tail, head, "safe")


def _split_finding(
    ctx: CheckContext,
    first: Line,
    second: Line,
    tail: re.Match[str],
    head: re.Match[str],
    applicability: str,
) -> Finding:
    """The finding of a word split into ``tail`` (ending ``first``) and ``head`` (starting
    ``second``), with the fix that moves the first piece down to the next line."""
    left, right = tail.group(1), head.group(2)
    word = left + right
    start = first.span.start + tail.start(1)
    right_start = second.span.start + head.start(2)
    unsafe = applicability == "unsafe"
    if tail.start(1) > 0:
        # Move the fragment down: "... for REAS\nONS" -> "... for\nREASONS".
        fix = ctx.replace(start - 1, right_start, "\n" + left, f"rejoin '{word}'", unsafe=unsafe)
    else:
        fix = ctx.replace(first.span.end, right_start, "", f"rejoin '{word}'", unsafe=unsafe)
    return ctx.finding(
        start,
        right_start + len(right),
        f"word '{word}' split at the line wrap into '{left}' and '{right}'",
        fix,
    )


# A lower-case piece ending a prose line, and one starting the next (then no letter, hyphen or
# apostrophe: `u-turn` is no piece).
_PROSE_TAIL = re.compile(r"(?:^|(?<= ))([a-z]+)$")
_PROSE_HEAD = re.compile(r"^( *)([a-z]+)(?![\w'’-])")
_SPLIT_MIN = 4  # letters of the joined word: `a` / `u` is no split


# Over the body's line contents joined by \n: the last piece of a line (what follows its last
# space, if all a-z: _PROSE_TAIL's), its line break and the piece that starts the next line
# (_PROSE_HEAD's), as one string. Anchored at the literal \n, so tried once a line, at C speed;
# the group before the pieces takes the line up to its last space and is not given back.
_PROSE_BREAK = re.compile(r"\n(?:[^\n]* )?+(?=([a-z]++\n *[a-z]+)(?![\w'’-]))")


def _may_split_words(ctx: CheckContext) -> bool:
    """Whether the pieces either side of some line break of the body join into a word of the
    word list, one of them no word form: what a split needs, told by one regex pass and set
    operations, without a Python step per line (a pair of lines holds no split in most
    bodies). Lines of any kind and item are paired: _prose_splits tells them apart."""
    body = ctx.cable.body
    if body is None or not body.lines:
        return False
    first, last = body.lines[0].number, body.lines[-1].number
    found = _PROSE_BREAK.findall("\n" + "\n".join(line_contents(ctx)[first - 1 : last]))
    if not found:
        return False
    # Each break's pieces joined (its line break and spaces dropped), all at once: a match holds
    # a-z, \n and spaces alone, so a tab parts them.
    pieces = "\t".join(found).replace(" ", "").replace("\n", "").split("\t")
    joined = reference.words().intersection(pieces)
    if not joined:
        return False
    for found_break in compress(found, map(joined.__contains__, pieces)):
        left, _, right = found_break.partition("\n")
        right = right.lstrip(" ")
        if len(left) + len(right) >= _SPLIT_MIN and not (
            reference.is_word_form(left) and reference.is_word_form(right)
        ):
            return True
    return False


def _prose_splits(ctx: CheckContext) -> Iterator[Finding]:
    """Words of body prose split at a hard wrap (`aunt wer` / `e also present`): the pieces
    join into a word of the word list and one of them looks like no word."""
    if not _may_split_words(ctx):
        return
    words = reference.words()  # the pieces are a-z: is_word's lower-casing is not needed
    for item in ctx.cable.body.items if ctx.cable.body else ():
        if not isinstance(item, _BODY_KINDS):
            continue
        for first, second in pairwise(item.lines):
            # Only a line that ends in a lower-case letter can end in a piece (not blank).
            content = first.content
            if content[-1:] not in ASCII_LOWER or second.blank or second.kind == "PARA":
                continue
            # The line's last word (what _PROSE_TAIL matches where it starts: a-z to the end),
            # told by one string test (nothing is left when a-z is stripped from both ends);
            # the match is made for a finding only.
            cut = content.rfind(" ") + 1
            left = content[cut:]
            if left.strip(ASCII_LOWER_LETTERS):
                continue
            head = _PROSE_HEAD.match(second.content)
            if head is None:
                continue
            right = head[2]
            if len(left) + len(right) < _SPLIT_MIN or left + right not in words:
                continue
            if reference.is_word_form(left) and reference.is_word_form(right):
                continue  # `in` / `formation`: two words
            tail = _PROSE_TAIL.match(content, cut)  # matches: ``left`` is a-z to the end
            if tail is not None:
                yield _split_finding(ctx, first, second, tail, head, "unsafe")


# ---- CBL506 heading-underline-joined -------------------------------------------------------------
_JOINED_UNDERLINE = re.compile(r"^(?P<head>.*?\S)(?P<gap> +)(?P<rule>-{3,}[ -]*)$")
_LEADING_RULE = re.compile(r"^(?P<rule>-{3,}[ -]*?)(?P<gap> +)(?=[^\s-])")
_MARKING = re.compile(r"\([^()]*\)")
_SENTENCE_INSIDE = re.compile(r"""[.!?]["”')]? +(?=\S)""")
_HEADING_MAX = 100


def _underlines(rule: str, title: str) -> bool:
    """Whether a dash run is as long as an underline of ``title`` is: about the title's length
    (half to twice it), as a typed underline is. A dash in prose is short for its sentence."""
    dashes, length = rule.count("-"), len(title.strip(" -"))
    return length > 0 and length <= dashes * 2 and dashes <= length * 2 + 4


#: What _JOINED_UNDERLINE's gap and rule hold: a space, then three dashes.
_GAP_AND_RULE = " ---"


def _lines_ending_in_rule(ctx: CheckContext) -> Iterator[Line]:
    """The body lines whose content ends in three dashes and holds a space before three dashes,
    as a line _JOINED_UNDERLINE matches does (the lines holding one, each found by one search
    from the end of the last one; not the many underlines written from the line's start), but
    for underline lines: the grammar's UNDERLINE holds only dashes and spaces, no heading."""
    text = ctx.text
    at = text.find(_GAP_AND_RULE)
    while at != -1:
        line = ctx.line_at(at)
        if (
            line.kind != "UNDERLINE"
            and line.content.endswith("---")
            and item_at(ctx, line.span.start) is not None
        ):
            yield line
        at = text.find(_GAP_AND_RULE, max(line.span.end, at + 1))


def _paragraph_text(ctx: CheckContext, line: Line) -> int | None:
    """Where the text of a numbered paragraph's first line starts after its mark (the model's
    paragraph, cable.lark's PARA line), as an offset into the line; None for any other line."""
    if line.kind != "PARA":
        return None
    item = item_at(ctx, line.span.start)
    if not isinstance(item, Paragraph) or item.terminator is None:
        return None
    return item.terminator.span.end - line.span.start


@check("CBL506")
def heading_underline_joined(ctx: CheckContext) -> Iterator[Finding]:
    for line in _lines_ending_in_rule(ctx):
        content = line.content
        match = _JOINED_UNDERLINE.match(content)
        if not match or not any(map(str.isalnum, match.group("head"))):
            continue
        head = match.group("head")
        base = line.span.start
        rule_start = base + match.start("rule")
        gap_start = base + match.start("gap")
        mark = _paragraph_text(ctx, line)
        if mark is not None and not any(map(str.isalpha, _MARKING.sub("", head[mark:]))):
            continue  # "¶11. (C) -----": a mark with nothing but a rule
        leading = _LEADING_RULE.match(head)
        title = head[leading.end() :] if leading else head
        clean = (
            mark is None
            and "---" not in title
            and not _SENTENCE_INSIDE.search(title)
            and len(head) <= _HEADING_MAX
        )
        if not clean:
            tail = _SENTENCE_INSIDE.split(title)[-1]
            if not _underlines(match.group("rule"), tail):
                continue
            yield ctx.finding(
                rule_start,
                base + len(content),
                f"dash underline joined to text ending '{tail.strip()[-40:]}': expected a "
                "heading and its underline on lines of their own",
            )
            continue
        if not _underlines(match.group("rule"), title):
            continue  # "... the minister said ---": a dash in prose, not an underline
        message = f"heading '{title.strip()}' joined to its dash underline"
        edits = [Edit(gap_start, rule_start, "\n")]
        if leading:
            edits.insert(0, Edit(base + leading.start("gap"), base + leading.end("gap"), "\n"))
        fix = Fix(tuple(edits), "safe", "put the heading and its underline on their own lines")
        yield ctx.finding(rule_start, base + len(content), message + ": expected a line break", fix)
