"""cablelint imports Lark (to build its grammar tables) without the optional ``regex`` package,
and leaves it importable."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

PROBE = """
import sys
from cablelint.syntax import grammars
print(grammars.lark_uses_regex(), "regex" in sys.modules)
import regex
print(regex.__name__)
"""


@pytest.mark.skipif(importlib.util.find_spec("regex") is None, reason="regex is not installed")
def test_regex_is_hidden_from_lark_only() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False", "regex"]


@pytest.mark.skipif(importlib.util.find_spec("regex") is None, reason="regex is not installed")
def test_a_regex_imported_before_is_left_to_lark() -> None:
    probe = "import regex\nfrom cablelint.syntax import grammars\nprint(grammars.lark_uses_regex())"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"
