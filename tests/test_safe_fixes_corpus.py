"""Every safe fix over real cables (the corpus and a sample of the converted copies) does what
its finding claims and nothing more (skipped when ../shared is absent).

A safe fix is one a careful editor would always accept, so each one is checked on its own
against the original text:

* words: every word the fix removes or changes is the damaged text the finding names (its span
  or a quoted word of its message), or no word at all (not in a word list of the corpus);
* structure: no fix leaves a paragraph mark with no text ("¶1." alone), no new line of dashes
  is shorter than half the heading above it, a moved signature follows the end of a sentence,
  and a deleted line is a lone copy of the line above it (or a Q copy of the text above it).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from cablelint.engine.api import configure, lint_source
from cablelint.model.diagnostics import Diagnostic, Edit
from cablelint.model.source import decode

from .corpus import CORPUS, SHARED, corpus_files, require

CONVERSIONS = SHARED / "corpus" / "conversions"
#: One converted file in this many (each form), to keep the run to a few seconds.
CONVERSION_STRIDE = 6
_WORD = re.compile(r"[A-Za-z]+")
_QUOTED = re.compile(r"'([^']+)'")
_EMPTY_MARK = re.compile(r" *¶? ?\d{1,2}[.)] *(?:\([^()]*\))? *$")
_DASHES = re.compile(r" *-{3,}[ -]*$")
#: A word is "a word" when it occurs in this many corpus cables (damaged forms such as
#: "communiqu" occur in fewer).
_WORD_CABLES = 10


@cache
def _word_list() -> frozenset[str]:
    seen: Counter[str] = Counter()
    for path in corpus_files():
        seen.update({w.lower() for w in _WORD.findall(path.read_text(encoding="utf-8"))})
    return frozenset(w for w, n in seen.items() if n >= _WORD_CABLES)


def _files() -> list[Path]:
    files = corpus_files()
    for form in sorted(p for p in require(CONVERSIONS).iterdir() if p.is_dir()):
        files += sorted(form.glob("*.txt"))[::CONVERSION_STRIDE]
    return files


def _words_changed(text: str, edit: Edit) -> list[str]:
    """The words of ``text`` around ``edit`` that the edit removes or rewrites."""
    start, end = edit.start, edit.end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    before = Counter(_WORD.findall(text[start:end]))
    after = Counter(
        _WORD.findall(text[start : edit.start] + edit.replacement + text[edit.end : end])
    )
    return sorted((before - after).elements())


def _apply(text: str, edits: tuple[Edit, ...]) -> str:
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def _line_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def _problems(text: str, diag: Diagnostic) -> list[str]:
    """What the safe fix of ``diag`` does beyond its claim (empty when it keeps to it)."""
    assert diag.fix is not None
    words = _word_list()
    named = set(_WORD.findall(text[diag.span.start : diag.span.end]))
    for quoted in _QUOTED.findall(diag.message):
        named.update(_WORD.findall(quoted))
    problems = []
    for edit in diag.fix.edits:
        for word in _words_changed(text, edit):
            if word not in named and word.lower() in words:
                problems.append(f"changes the word '{word}', which the finding does not name")
    fixed = _apply(text, diag.fix.edits)
    shift = 0
    for edit in sorted(diag.fix.edits):
        if "\n" not in edit.replacement:
            shift += len(edit.replacement) - (edit.end - edit.start)
            continue
        # The lines on both sides of each new line break.
        at = edit.start + shift
        left_start, _ = _line_of(fixed, at)
        _, right_end = _line_of(fixed, at + len(edit.replacement))
        new_lines = fixed[left_start:right_end].split("\n")
        old_start, old_end = _line_of(text, edit.start)
        old = text[old_start:old_end]
        for i, line in enumerate(new_lines):
            if _EMPTY_MARK.fullmatch(line) and not _EMPTY_MARK.fullmatch(old):
                problems.append(f"leaves a paragraph mark with no text: {line!r}")
            if _DASHES.fullmatch(line) and i > 0 and new_lines[i - 1].strip():
                heading = new_lines[i - 1].strip(" -")
                if line.count("-") * 2 < len(heading):
                    problems.append(f"a short dash run {line.strip()!r} made an underline")
        shift += len(edit.replacement) - (edit.end - edit.start)
    if diag.code == "CBL602" and "glued" in diag.message:
        before = text[: diag.span.start].rstrip()
        if not re.search(r"[.!?:;\"'”’)\]]$", before) or re.search(r"(?:^|\s)[A-Z]\.$", before):
            problems.append(f"moves a name that does not follow a sentence: {before[-30:]!r}")
    if diag.code == "CBL512" and "repeats the line above" in diag.message:
        start, end = _line_of(text, diag.span.start)
        prev_start, _ = _line_of(text, start - 1)
        after_start, after_end = _line_of(text, min(end + 1, len(text)))
        copy = text[start:end]
        if text[prev_start : start - 1] != copy or text[after_start:after_end] == copy:
            problems.append("deletes a line that is not a lone copy of the line above")
    if diag.code == "CBL512" and "stray 'Q' in front" in diag.message:
        (edit,) = diag.fix.edits
        removed = text[edit.start : edit.end].strip()
        copied = removed[1:].strip()
        before = text[max(0, edit.start - 1000) : edit.start]
        plain = before.replace("¶", "")
        if not removed.startswith("Q") or len(copied) < 12 or copied not in plain:
            problems.append(f"deletes {removed[:40]!r}, which is not a Q copy of the text above")
    return problems


@pytest.mark.corpus
def test_safe_fixes_keep_to_their_claims() -> None:
    require(CORPUS)
    config = configure(["ALL"])
    checked: Counter[str] = Counter()
    failures = []
    for path in _files():
        source = decode(path.read_bytes())
        for diag in lint_source(source, config).diagnostics:
            if diag.fix is None or diag.fix.applicability != "safe" or not diag.fix.edits:
                continue
            checked[diag.code] += 1
            for problem in _problems(source.text, diag):
                where = f"{path.parent.name}/{path.name}:{diag.span.line}"
                failures.append(f"{where}: {diag.code} {diag.message}: {problem}")
    print("safe fixes checked per rule:", dict(sorted(checked.items())))
    assert sum(checked.values()) > 500  # the sample holds real fixes
    assert failures == [], "\n".join(failures[:40])
