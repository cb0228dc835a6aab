"""Fuzzing parse, lint and fix with cable-like text built from real fragments.

Every rule is selected: no rule may crash (CBL000), every span and edit lies inside the text,
and two runs give the same result. Bounded for CI (about 10 seconds).
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cablelint.engine import api
from cablelint.engine.lint import INTERNAL_ERROR
from cablelint.model.build import build
from cablelint.model.source import SourceText, decode

CONFIG = api.configure(select=["ALL"])

HEADER = [
    "VZCZCXRO4471",
    "PP RUEHDE RUEHKUK",
    "RR RUEHWEB",
    "DE RUEHAM #2212/01 3121405",
    "DE RUEHBS #1828 3391412",
    "ZNY CCCCC ZZH",
    "ZNR UUUUU ZZH",
    "P 081405Z NOV 09",
    "O R 041412Z DEC 08",
    "FM AMEMBASSY AMMAN",
    "TO RUEHC/SECSTATE WASHDC PRIORITY 6139",
    "INFO RUEHBS/AMEMBASSY BRUSSELS 0001",
    "BT",
    "Monday, 08 November 2009, 14:05",
    "This record is a partial extract of the original cable.",
]
BANNERS = [
    "C O N F I D E N T I A L AMMAN 002212",
    "C O N F I D E N T I A L SECTION 01 OF 02 AMMAN 002212",
    "S E C R E T STATE 123456",
    "UNCLAS SECTION 01 OF 03 BRUSSELS 001828",
    "CONFIDENTIAL BRUSSELS 1828",
    "C O N F I D E N T I A L AMMAN",
    "S E C R E T SECTION 1 OF",
]
CAPTIONS = ["SIPDIS", "NOFORN", "SENSITIVE", "EXDIS", "STPDTS", "SIPDIS SIPDIS", "Sipdis"]
METADATA = [
    "E.O. 12958: DECL: 11/08/2019",
    "E.O. 12958: DECL: 13/45/2019",
    "E.O. 12958: N/A",
    "E. O. 12958 DECL 1.4(B)(D)",
    "TAGS: PREL PGOV JO",
    "TAGS: [KNNP](#) [IR](#)",
    "TAGS: ",
    "SUBJECT: JORDAN: MINISTER ON WATER TALKS",
    "SUBJECT:",
    "REF: A. STATE 12345 B. AMMAN 2211",
    "REF:",
    "Classified By: Ambassador R. Beecroft for reasons 1.4 (b) and (d)",
    "CLASSIFIED BY: POLOFF; REASON 1.4(B)",
]
PARAGRAPHS = [
    "¶1. (C) The Minister said that the talks will resume.",
    "¶2. (SBU) Comment: Post will report further.",
    "- ¶1. (C) Markdown residue.",
    "- 12. (C) A garbled mark.",
    "12. (C) A garbled mark.",
    "1. (U) Plain numbering.",
    "¶3. ( C) Spaced marking.",
    "¶ 4. (S/NF) Secret.",
    "¶10.(C) Tight.",
    "A. (C) Lettered item.",
    "(a) item",
    "SECTION 01 OF 02 AMMAN 002212 001.2 OF 002",
    "END SUMMARY.",
    '"Quoted , text',
    "XXXXXXXXXXXX , a source",
]
ENDINGS = ["BEECROFT", "BEECROFT BEECROFT", "beecroft", "said. BEECROFT", "NNNN", "End Cable Text"]
NOISE = ["", " ", "\t", "\r", "\x00", "\ufeff", "\u00a0", "Â¶", "â€œ", "¶", "-", "---", "    "]
LINES = st.one_of(
    st.sampled_from(HEADER),
    st.sampled_from(BANNERS),
    st.sampled_from(CAPTIONS),
    st.sampled_from(METADATA),
    st.sampled_from(PARAGRAPHS),
    st.sampled_from(ENDINGS),
    st.sampled_from(NOISE),
    st.text(max_size=30),
)


@st.composite
def cable_texts(draw: st.DrawFn) -> str:
    """Mostly in cable order, with lines dropped, repeated, garbled or made up."""
    ordered = [
        *draw(st.lists(st.sampled_from(HEADER), max_size=6)),
        "",
        draw(st.sampled_from(BANNERS)),
        "",
        *draw(st.lists(st.sampled_from(CAPTIONS), max_size=2)),
        "",
        *draw(st.lists(st.sampled_from(METADATA), max_size=6)),
        "",
        *draw(st.lists(st.sampled_from(PARAGRAPHS), max_size=6)),
        "",
        draw(st.sampled_from(ENDINGS)),
    ]
    extra = draw(st.lists(st.tuples(st.integers(0, len(ordered)), LINES), max_size=6))
    for position, line in extra:
        ordered.insert(position, line)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(ordered) - 1))
        noise = draw(st.sampled_from(NOISE))
        at = draw(st.integers(0, len(ordered[i])))
        ordered[i] = ordered[i][:at] + noise + ordered[i][at:]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return newline.join(ordered) + draw(st.sampled_from(["", newline, newline * 3]))


def _check_diagnostics(source: SourceText, diagnostics) -> None:
    size = len(source.text)
    for d in diagnostics:
        assert d.code != INTERNAL_ERROR, d.message
        span = d.span
        assert 0 <= span.start <= span.end <= size, (d.code, span)
        assert (span.line, span.column) == source.index.position(span.start), d.code
        assert (span.end_line, span.end_column) == source.index.position(span.end), d.code
        if d.fix is not None:
            for edit in d.fix.edits:
                assert 0 <= edit.start <= edit.end <= size, (d.code, edit)


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(text=cable_texts())
def test_lint_and_fix_cable_like_text(text: str) -> None:
    source = SourceText(text)
    build(source)
    first = api.lint_source(source, CONFIG).diagnostics
    _check_diagnostics(source, first)
    assert api.lint_source(SourceText(text), CONFIG).diagnostics == first  # deterministic
    for unsafe in (False, True):
        fixed = api.fix_source(source, CONFIG, unsafe=unsafe)
        _check_diagnostics(SourceText(fixed.text), fixed.diagnostics)
        assert api.fix_source(SourceText(text), CONFIG, unsafe=unsafe) == fixed


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=400) | cable_texts().map(lambda t: t.encode("cp1252", "replace")))
@example(data="¶¶¶ ".encode() + b"\x81")  # CBL001 used a byte offset as a character offset
def test_lint_any_bytes(data: bytes) -> None:
    source = decode(data)
    diagnostics = api.lint_source(source, CONFIG).diagnostics
    _check_diagnostics(source, diagnostics)
    assert api.lint_source(decode(data), CONFIG).diagnostics == diagnostics
