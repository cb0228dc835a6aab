"""Text damage told by the word list (data/words.txt) and the model's redactions: an apostrophe
lost as `?` in a character-set conversion (CBL530), a redaction glued to a word (CBL531)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cablelint.model.cable import Node
from cablelint.model.diagnostics import Finding
from cablelint.model.inline import REDACTION_LITERAL
from cablelint.ruleset import reference
from cablelint.ruleset.checks.common import ascii_folded, find_all
from cablelint.ruleset.registry import CheckContext, check

# ---- CBL530 question-mark-apostrophe -------------------------------------------------------------
# A word, `?`, then an apostrophe's suffix in the word's case (`Minister?s`, `don?t`, `IRAN?S`),
# then no letter, digit or web-address character: `page?s=1` and `?d=` are queries.
_QUESTION_APOSTROPHE = re.compile(
    r"(?<![\w'’?])(?P<stem>[A-Za-z]+)\?"
    r"(?P<suffix>(?<=[a-z]\?)(?:s|re|ll|ve|d|m)|(?<=[A-Z]\?)(?:S|RE|LL|VE|D|M|s|re|ll|ve|d|m)"
    r"|(?<=[nN]\?)[tT])"
    r"(?![\w'’?=&/])"
)
_WORD_BEFORE = re.compile(r"[A-Za-z]+\Z")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")
#: Contractions: each suffix, then the words it follows (lower case).
_CONTRACTIONS_TEXT = """
    t: don doesn didn isn aren wasn weren hasn haven hadn couldn wouldn shouldn mustn needn won
       can ain mightn
    re: we you they who what there here
    ve: i we you they who could would should might must
    ll: i you he she it we they who that there this
    d: i you he she it we they who that there
    m: i
"""
_CONTRACTIONS = {
    part.split(":")[0].strip(): frozenset(part.split(":")[1].split())
    for part in _CONTRACTIONS_TEXT.replace("\n       ", " ").strip().split("\n")
}


def _regions(ctx: CheckContext) -> list[Node]:
    """The body's paragraphs and blocks, and the subject."""
    cable = ctx.cable
    found: list[Node] = [cable.subject] if cable.subject else []
    return found + list(cable.body.items if cable.body else ())


def _apostrophe_is_certain(stem: str, suffix: str, text: str, end: int) -> bool:
    """Whether a careful editor would always read the `?` as an apostrophe: a contraction of
    its table, an acronym's `'s`, or a possessive `'s` of a word of the word list before a word
    in lower case (a lost accent in a given name, `Tom?s Garcia`, is followed by the surname)."""
    low = stem.lower()
    if suffix == "s" and len(stem) > 1 and stem.isupper():
        return True  # an acronym's possessive: `FARC?s` (an accent would be in capitals)
    suffix = suffix.lower()
    if suffix != "s":
        return low in _CONTRACTIONS[suffix]
    following = _NEXT_WORD.match(text, end)
    next_lower = following is None or following.group(1)[0].islower()
    return len(stem) > 1 and reference.is_word(stem) and next_lower


@check("CBL530")
def question_mark_apostrophe(ctx: CheckContext) -> Iterator[Finding]:
    text = ctx.text
    if "?" not in text:  # every finding is at a '?': one scan rules out most texts
        return
    apostrophe = str(ctx.options.get("apostrophe", "'"))
    for region in _regions(ctx):
        span = region.span
        for mark in find_all(text, "?", span.start, span.end):
            before = _WORD_BEFORE.search(text, max(span.start, mark - 40), mark)
            if before is None:
                continue
            match = _QUESTION_APOSTROPHE.match(text, before.start())
            if match is None or match.end("stem") != mark or match.end() > span.end:
                continue
            stem, suffix, word = match.group("stem"), match.group("suffix"), match.group()
            fixed = word.replace("?", apostrophe)
            if _apostrophe_is_certain(stem, suffix, text, match.end()):
                fix = ctx.replace(mark, mark + 1, apostrophe, f"write '{fixed}'")
            else:
                fix = ctx.replace(mark, mark + 1, apostrophe, f"write '{fixed}'", unsafe=True)
            yield ctx.finding(
                mark,
                mark + 1,
                f"'?' in '{word}': an apostrophe lost in a character-set conversion "
                f"(or an accented letter): expected '{fixed}'",
                fix,
            )


# ---- CBL531 redaction-glued ----------------------------------------------------------------------
#: A run of x in any case, as ascii_folded writes it: every redaction is one, whole (its
#: literal, model.inline.REDACTION_LITERAL, and then no x either side).
_X_RUN_START = REDACTION_LITERAL.encode()
_X_RUN = re.compile(re.escape(_X_RUN_START) + b"x*")


def _may_be_glued(ctx: CheckContext) -> bool:
    """Whether a run of four x in the body has a letter right before or after it, as a redaction
    glued to a word has: most bodies with redactions have none, and then the model's
    redactions (costly to find) are not asked for. The runs are found in the folded text: one
    search there tells a body without any (most bodies; model.inline.may_hold_redaction's
    question, answered at once)."""
    body, text = ctx.cable.body, ctx.text
    if body is None:
        return False
    folded = ascii_folded(ctx)
    start, end = body.span.start, body.span.end
    if folded.find(_X_RUN_START, start, end) == -1:
        return False
    for run in _X_RUN.finditer(folded, start, end):
        start, end = run.span()
        if text[start - 1 : start].isalpha() or text[end : end + 1].isalpha():
            return True
    return False


@check("CBL531")
def redaction_glued(ctx: CheckContext) -> Iterator[Finding]:
    if not _may_be_glued(ctx):
        return
    for redaction in ctx.cable.redactions:
        for glued, side in ((redaction.glued_before, "before"), (redaction.glued_after, "after")):
            if glued is None or not glued.text.isalpha():
                continue  # `XXXXXXXXXXXX10.`: a paragraph number, another damage
            if side == "before":
                at, word = glued.span.end, f"{glued.text} {redaction.text}"
            else:
                at, word = glued.span.start, f"{redaction.text} {glued.text}"
            unsafe = not (len(glued.text) > 1 and reference.is_word(glued.text))
            fix = ctx.replace(at, at, " ", f"write '{word}'", unsafe=unsafe)
            span = glued.span
            start, end = min(span.start, redaction.span.start), max(span.end, redaction.span.end)
            yield ctx.finding(
                start,
                end,
                f"redaction glued to '{glued.text}' ({side} it): expected a space, '{word}'",
                fix,
            )
