"""The grammar's patterns match alike on every Python cablelint supports.

CPython 3.11.0 to 3.11.4 (Debian 12's ``python3`` is 3.11.2) mismatch a possessive repeat of a
group, ``(?:...)*+`` or ``(?:...)?+`` (gh-100061, gh-106052): the banner terminal then failed on
letter-spaced banners with a SECTION, a false "no banner" (CBL201) on 511 of the 880 corpus
cables. 3.11.5 and later compile such a repeat as an atomic group, ``(?>(?:...)*)``, which the
grammar now spells out. These tests hold the grammar to that, and run its line patterns under
every other ``python3.11`` found on this machine (the system's, typically) to compare.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .cli import run_main
from .corpus import CORPUS, SEEDS

ROOT = Path(__file__).resolve().parents[1]
GRAMMARS = sorted((ROOT / "grammar").glob("*.lark"))
#: ``)`` then a possessive quantifier, the ``)`` not escaped.
_GROUP_POSSESSIVE = re.compile(r"(?<!\\)(?:\\\\)*\)(?:[*+?]|\{\d*,?\d*\})\+")
_TERMINAL = re.compile(r"^([A-Z_][A-Z0-9_]*)(?:\.\d+)?: /(.*)/([imsx]*)$", re.M)

BANNERS = [
    "C O N F I D E N T I A L SECTION 01 OF 02 ANKARA 000536",
    "S E C R E T SECTION 02 OF 03 PARIS 000123",
    "C O N F I D E N T I A L BRUSSELS 001828",
    "UNCLAS SECTION 01 OF 02 STATE 123456",
    "CONFIDENTIAL PARIS 000123",
]


def terminals() -> dict[str, tuple[str, str]]:
    found = {}
    for path in GRAMMARS:
        for name, regex, flags in _TERMINAL.findall(path.read_text(encoding="utf-8")):
            found[f"{path.stem}.{name}"] = (regex, flags)
    return found


def test_no_possessive_repeat_of_a_group_in_the_grammars() -> None:
    for path in GRAMMARS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("//"):
                continue
            assert not _GROUP_POSSESSIVE.search(line), f"{path.name}:{number}: {line.strip()}"


def test_the_check_finds_possessive_repeats_of_groups() -> None:
    assert _GROUP_POSSESSIVE.search(r"A(?: B)*+")
    assert _GROUP_POSSESSIVE.search(r"A(?: B)?+C")
    assert _GROUP_POSSESSIVE.search(r"A(?:B){1,3}+")
    assert not _GROUP_POSSESSIVE.search(r"A(?>(?: B)*)[a-z]*+ ++\)++")


def test_letter_spaced_banners_with_a_section_are_banners(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for number, banner in enumerate(BANNERS):
        text = f"{banner}\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: A TEST\n\n1. Text.\n"
        (tmp_path / f"c{number}.txt").write_text(text, encoding="utf-8")
    _, out, _ = run_main(capsys, "check", "--no-cache", "--no-git", "--select", "CBL201", ".")
    assert out == ""


_PROBE = """
import json, re, sys
patterns, lines = json.load(sys.stdin)
out = {}
for name, (regex, flags) in patterns.items():
    compiled = re.compile(regex, sum(getattr(re, f.upper()) for f in flags))
    out[name] = [i for i, line in enumerate(lines) if compiled.fullmatch(line)]
print(json.dumps(out))
"""


def _sample_lines() -> list[str]:
    lines = set(BANNERS)
    files = sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
    files += sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))[:150]
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        lines.update(text.split("\n")[:60])
    return sorted(lines)


def _other_pythons() -> list[str]:
    found = {}
    for candidate in ("/usr/bin/python3.11", shutil.which("python3.11")):
        if not candidate or not Path(candidate).exists():
            continue
        version = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version.split()[0])"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        if version and version != sys.version.split()[0]:
            found[version] = candidate
    return sorted(found.values())


def _probe(python: str, payload: str) -> dict[str, list[int]]:
    """Which sample lines each pattern matches whole, under ``python``."""
    done = subprocess.run(
        [python, "-c", _PROBE], input=payload, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_line_patterns_match_alike_under_other_python_311s() -> None:
    pythons = _other_pythons()
    if not pythons:
        pytest.skip("no other python3.11 on this machine")
    patterns, lines = terminals(), _sample_lines()
    payload = json.dumps([patterns, lines])
    expected = _probe(sys.executable, payload)
    assert sum(map(len, expected.values())) > 100
    for python in pythons:
        got = _probe(python, payload)
        differing = [name for name in expected if got[name] != expected[name]]
        assert differing == [], f"{python}: {differing}"
