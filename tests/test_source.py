"""Position arithmetic: a span's line and column agree with ``position`` for any offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.model.build import build
from cablelint.model.diagnostics import Span
from cablelint.model.source import BINARY_SAMPLE, LineIndex, from_text, looks_binary
from cablelint.syntax import parse
from cablelint.syntax.lines import line_content, split_lines


@given(st.text(alphabet="ab\n\r", max_size=30), st.integers(-3, 35), st.integers(-3, 35))
def test_span_agrees_with_position(text: str, start: int, end: int) -> None:
    index = LineIndex(text)
    assert index.span(start, end) == Span(start, end, *index.position(start), *index.position(end))


def test_span_across_lines() -> None:
    index = LineIndex("ab\ncd\n\nef")
    assert index.span(1, 8) == Span(1, 8, 1, 2, 4, 2)
    assert index.span(3, 3) == Span(3, 3, 2, 1, 2, 1)
    assert index.span(9, 9) == Span(9, 9, 4, 3, 4, 3)


def _after_line_ends(text: str) -> list[int]:
    """Offsets after each LF and after each CR that no LF follows (a lone CR ends a line)."""
    return [0] + [
        i + 1
        for i, char in enumerate(text)
        if char == "\n" or (char == "\r" and not text.startswith("\n", i + 1))
    ]


@given(st.text(alphabet="ab\n\r¶", max_size=30))
def test_line_starts_follow_every_line_end(text: str) -> None:
    assert LineIndex(text).line_starts == _after_line_ends(text)


def test_a_lone_cr_ends_a_line_and_a_crlf_keeps_its_cr() -> None:
    assert split_lines("a\rb\r\nc\n") == ["a", "b\r", "c", ""]
    index = LineIndex("a\rb\r\nc")
    assert index.line_starts == [0, 2, 5]
    assert index.line_bounds(2, index.text) == (2, 4)  # the CR of the CRLF stays on its line
    assert index.position(6) == (3, 2)


def test_line_content_leaves_out_trailing_whitespace_and_cr() -> None:
    assert [line_content(s) for s in ("TAGS: PREL \t\r", "  ", "a b", "x\u00a0")] == [
        "TAGS: PREL",
        "",
        "a b",
        "x",
    ]


@settings(deadline=None)  # the first example loads the parser's tables
@given(st.text(alphabet="ab\n\r¶", max_size=30))
def test_adopted_line_table_starts_equal_the_split(text: str) -> None:
    index = LineIndex(text)
    index.adopt(parse.line_table(text).starts)
    assert index.line_starts == _after_line_ends(text)


def test_building_a_cable_gives_its_index_the_line_tables_starts() -> None:
    source = from_text("VZCZCXRO1234\nPP RUEHAG\n\nBODY\n")
    build(source)
    assert source.index.line_starts == [0, 13, 23, 24, 29]
    assert source.index.span(24, 28) == Span(24, 28, 4, 1, 4, 5)


def test_looks_binary_counts_nul_and_control_bytes_in_the_sample() -> None:
    text = b"TEXT \t\f\v\r\n" * 100  # whitespace controls are text
    assert not looks_binary(b"") and not looks_binary(text)
    assert not looks_binary(text + b"\x01" * 100)  # controls under a tenth of the sample
    assert looks_binary(text + b"\x01" * 200)
    assert not looks_binary(text + b"\x00" * 10)  # NULs under a hundredth
    assert looks_binary(text + b"\x00" * 20)
    assert not looks_binary(b"x" * BINARY_SAMPLE + b"\x00" * 1000)  # past the sample
