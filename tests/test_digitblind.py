"""The digit-blindness analysis of a regex (what lets the field parser share parses)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cablelint.digitblind import TO_ZERO, digit_blind, literal_digit_blind, zeroed

BLIND = [r"\d{4}", r"[0-9]+", r"X\d", r"[A-Z0-9]{3}\b", r"\S.*", r"(?=\d)a", r"[^A-Z]", r"\w+"]
SENSITIVE = [r"[1-9]", r"1\. ?\d", r"25X\d", r"(\d)\1", r"[^5]", r"[0-4]", r"(?(1)a|b)"]


@pytest.mark.parametrize("regex", BLIND)
def test_blind(regex: str) -> None:
    assert digit_blind(regex)


@pytest.mark.parametrize("regex", SENSITIVE)
def test_sensitive(regex: str) -> None:
    assert not digit_blind(regex)


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20))
def test_zeroed_writes_ascii_digits_as_zero(text: str) -> None:
    assert zeroed(text) == text.translate(TO_ZERO)
    assert zeroed(text) == "".join("0" if "1" <= char <= "9" else char for char in text)


def test_zeroed_leaves_other_digits() -> None:
    assert zeroed("PARIS 1234 ١٢") == "PARIS 0000 ١٢"
    assert zeroed("R 141234Z FEB 08") == "R 000000Z FEB 00"


def test_literals() -> None:
    assert literal_digit_blind("PRIORITY")
    assert not literal_digit_blind("12958")


@given(st.sampled_from(BLIND), st.text(alphabet="0123456789AXa. -", max_size=12))
def test_a_blind_regex_matches_the_zeroed_text_alike(regex: str, text: str) -> None:
    pattern = re.compile(regex)
    zeroed = text.translate(TO_ZERO)
    for pos in range(len(text) + 1):
        a, b = pattern.match(text, pos), pattern.match(zeroed, pos)
        assert (a and a.span()) == (b and b.span())
