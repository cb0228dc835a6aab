"""Trailing whitespace and line ends never change the reading of a cable (issue 15, item 1).

A file as the release published it (most lines end in a space), with CRLF or lone CR line ends,
with a BOM or without its final newline says what its clean text says: ``parse --format json``
gives the same record (apart from the fields that describe the file's own line ends and BOM)
and every rule the same findings, except the line-hygiene rule (CBL510), whose subject the
whitespace and line ends are.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cablelint.app.parse_output import parse_json
from cablelint.engine import api
from cablelint.model.diagnostics import Diagnostic
from cablelint.model.source import decode

from .corpus import CORPUS, SEEDS

#: What describes the file's bytes rather than the cable in it.
FILE_FACTS = ("newline", "bom")
HYGIENE = "CBL510"

#: Every rule, those off by default included: none but CBL510 may see the difference.
_ALL_RULES = api.configure(select=["CBL"])

_CABLE = """\
VZCZCXRO1287
PP RUEHAG RUEHROV
DE RUEHBS #1596/01 3181423
ZNY CCCCC ZZH
P 141423Z NOV 09
FM USEU BRUSSELS
TO RUEHC/SECSTATE WASHDC PRIORITY
INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE
BT
{banner}
SIPDIS
{caption}
E.O. 12958: DECL: 11/14/2019
TAGS: PREL, PGOV,
{tags}
SUBJECT: {subject}
REF: A. STATE 1234
B. BRUSSELS 55
Classified By: USEU Pol Min Counselor Christopher Davis for reasons 1.
4 (b) and (d).
{paragraphs}
{signature}
"""
_WORD_TEXT = (
    "the EU said Belgium would support a new plan for security and trade -- XXXXXXXXXXXX "
    "Summary. End Summary. Comment: End Comment. 'quoted' \"text\" , (C) (SBU) SIPDIS"
)
_WORDS = st.sampled_from(_WORD_TEXT.split())
_MARKS = st.sampled_from(["¶{n}. (C) ", "{n}. (SBU) ", "¶{n}. ", "- ¶{n}. (C) ", "{n}. "])


@st.composite
def cables(draw: st.DrawFn) -> str:
    """A cable of the Cablegate shape with varied parts: banner, captions, wrapped metadata,
    paragraphs of one or more lines, sub-headings and a signature."""
    paragraphs = []
    for n in range(1, draw(st.integers(1, 5)) + 1):
        mark = draw(_MARKS).format(n=n)
        lines = [
            " ".join(draw(st.lists(_WORDS, min_size=1, max_size=10)))
            for _ in range(draw(st.integers(1, 3)))
        ]
        heading = draw(st.sampled_from(["", "MEETING WITH THE MINISTER\n-------------------\n\n"]))
        paragraphs.append(heading + mark + "\n".join(lines) + "\n")
    return _CABLE.format(
        banner=draw(
            st.sampled_from(
                [
                    "C O N F I D E N T I A L SECTION 01 OF 02 BRUSSELS 001596",
                    "UNCLAS BRUSSELS 001596",
                    "S E C R E T BRUSSELS 001596",
                ]
            )
        ),
        caption=draw(st.sampled_from(["NOFORN", "", "SENSITIVE"])),
        tags=draw(st.sampled_from(["EUN, BE", "KNNP"])),
        subject=draw(st.sampled_from(["(C) EU MEETING ON\nSECURITY", "BELGIUM AND THE EU"])),
        paragraphs="\n".join(paragraphs),
        signature=draw(st.sampled_from(["MURRAY", "", "KENNARD"])),
    )


def trailing(data: st.DataObject, text: str) -> str:
    """``text`` with spaces or tabs drawn for the end of every line."""
    ends = st.sampled_from([" ", "  ", "\t", " \t", " "])
    return "\n".join(line + data.draw(ends) for line in text.split("\n"))


#: The forms of a clean LF text, each made by a function of (data, text) -> bytes.
FORMS = {
    "published (trailing spaces)": lambda data, text: trailing(data, text).encode(),
    "CRLF": lambda data, text: text.replace("\n", "\r\n").encode(),
    "trailing whitespace and CRLF": lambda data, text: (
        trailing(data, text).replace("\n", "\r\n").encode()
    ),
    "lone CR": lambda data, text: text.replace("\n", "\r").encode(),
    "BOM and CRLF": lambda data, text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    "no final newline": lambda data, text: text.rstrip("\n").encode(),
}


def record(data: bytes) -> dict:
    found = json.loads(parse_json("cable.txt", decode(data)))
    for key in FILE_FACTS:
        del found[key]
    return found


def findings(data: bytes) -> list[tuple]:
    diagnostics = api.lint_source(decode(data), _ALL_RULES).diagnostics
    return [_key(d) for d in diagnostics if d.code != HYGIENE]


def _key(diagnostic: Diagnostic) -> tuple:
    span = diagnostic.span
    return (diagnostic.code, span.line, span.column, span.end_line, span.end_column,
            diagnostic.message)  # fmt: skip


def assert_same_reading(clean: str, other: bytes) -> None:
    base = clean.encode()
    assert record(other) == record(base)
    assert findings(other) == findings(base)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cables(), st.sampled_from(sorted(FORMS)), st.data())
def test_generated_cables_read_the_same_in_every_form(text: str, form: str, data) -> None:
    assert_same_reading(text, FORMS[form](data, text))


@cache
def _real_cables() -> list[str]:
    files = sorted(CORPUS.glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
    return [path.read_text(encoding="utf-8") for path in files]


@pytest.mark.corpus
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corpus_cables_read_the_same_in_every_form(data) -> None:
    real = _real_cables()
    if not real:
        pytest.skip(f"{CORPUS} is absent (../shared is not beside this checkout)")
    text = data.draw(st.sampled_from(real), label="cable")
    form = data.draw(st.sampled_from(sorted(FORMS)), label="form")
    assert_same_reading(text, FORMS[form](data, text))


def test_the_published_form_is_the_clean_text_with_a_space_on_most_lines() -> None:
    """The generated forms are what they claim: the clean text is what stripping them gives."""
    text = _CABLE.format(
        banner="UNCLAS BRUSSELS 001596", caption="", tags="KNNP", subject="X",
        paragraphs="¶1. Text.\n", signature="MURRAY",
    )  # fmt: skip

    class Fixed:
        def draw(self, _strategy):
            return " \t"

    for form, make in FORMS.items():
        made = make(Fixed(), text).decode("utf-8-sig")
        lines = re.split(r"\r\n|\r|\n", made)
        assert "\n".join(line.rstrip(" \t") for line in lines).rstrip("\n") == text.rstrip("\n"), (
            form
        )
