"""Position arithmetic: a span's line and column agree with ``position`` for any offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cablelint.diagnostics import Span
from cablelint.source import LineIndex


@given(st.text(alphabet="ab\n\r", max_size=30), st.integers(-3, 35), st.integers(-3, 35))
def test_span_agrees_with_position(text: str, start: int, end: int) -> None:
    index = LineIndex(text)
    assert index.span(start, end) == Span(start, end, *index.position(start), *index.position(end))


def test_span_across_lines() -> None:
    index = LineIndex("ab\ncd\n\nef")
    assert index.span(1, 8) == Span(1, 8, 1, 2, 4, 2)
    assert index.span(3, 3) == Span(3, 3, 2, 1, 2, 1)
    assert index.span(9, 9) == Span(9, 9, 4, 3, 4, 3)


@given(st.text(alphabet="ab\n\r¶", max_size=30))
def test_line_starts_follow_every_newline(text: str) -> None:
    expected = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    assert LineIndex(text).line_starts == expected
