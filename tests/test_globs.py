"""Glob matching: the gitignore-like tokens, and a match time that no pattern can blow up."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cablelint.support.globs import glob_matches, glob_problem


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "d/a.txt", False),  # ``*`` stays within a component
        ("**/a.txt", "a.txt", True),
        ("**/a.txt", "x/y/a.txt", True),
        ("x/**/a.txt", "x/a.txt", True),
        ("x/**/a.txt", "xa.txt", False),
        ("x/**", "x/y/z", True),
        ("**.txt", "x/y.txt", True),
        ("?.txt", "a.txt", True),
        ("?.txt", "/.txt", False),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "b.txt", False),
        ("[!ab].txt", "c.txt", True),
        ("a[.txt", "a[.txt", True),  # an unclosed bracket is itself
        ("*a*a*a*a*a*a*a*a*a*b", "a" * 200, False),
        # One ``*`` and then plain characters (matched as a suffix):
        ("*", "", True),
        ("*", "a/b", False),
        ("*.txt", ".txt", True),
        ("*.txt", "a.txt/b.txt", False),
        ("*.txt", "a.txtx", False),
        ("*a[", "ba[", True),
    ],
)
def test_glob_matches(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


def test_repeated_directory_globs_on_a_deep_path_answer() -> None:
    """As a regular expression these backtrack for hours on a path 60 directories deep."""
    deep = "/".join(["a"] * 60)
    assert not glob_matches("**/" * 12 + "zz", deep)
    assert not glob_matches("a/**/" * 8 + "b", deep)
    assert glob_matches("a/**/" * 8 + "a", deep)


def test_a_bad_character_class_is_named() -> None:
    assert glob_problem("[z-a]*") == "bad character class (bad character range z-a)"
    assert glob_problem("**/[a-z]*.txt") is None


def _as_regex(pattern: str) -> re.Pattern:
    """The straightforward translation, a reference for short inputs only."""
    out = []
    for token in re.findall(r"\*\*/|\*\*|\*|\?|\[!?[^\]]+\]|.", pattern, re.S):
        if token == "**/":
            out.append("(?:.*/)?")
        elif token == "**":
            out.append(".*")
        elif token == "*":
            out.append("[^/]*")
        elif token == "?":
            out.append("[^/]")
        elif token.startswith("[") and len(token) > 2:
            body = token[1:-1].replace("[", "\\[")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
        else:
            out.append(re.escape(token))
    return re.compile("".join(out) + r"\Z", re.S)


@settings(derandomize=True, max_examples=400)
@given(
    st.text(alphabet="ab/*?[]!", max_size=8).filter(lambda p: glob_problem(p) is None),
    st.text(alphabet="ab/", max_size=8),
)
def test_agrees_with_the_regular_expression_on_short_inputs(pattern: str, path: str) -> None:
    try:
        reference = _as_regex(pattern)
    except re.error:
        return
    assert glob_matches(pattern, path) is bool(reference.match(path))
