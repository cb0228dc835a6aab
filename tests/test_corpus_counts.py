"""Per-rule hit counts over ../shared/corpus/cablegate, pinned (skipped when it is absent).

Each family pins its rules in tests/corpus_counts/<family>.yaml as ``CODE: {cables: N,
occurrences: M}``, measured with every rule enabled. A change in a count is a change in a rule's
false-positive rate: update the pin only on purpose, and say why in the rule's rationale when
the count differs from docs/cable-format.md.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from cablelint.engine.api import configure, lint_source
from cablelint.model.source import decode

from .corpus import corpus_files

PINS = Path(__file__).parent / "corpus_counts"


def _pins() -> dict[str, dict[str, int]]:
    pins: dict[str, dict[str, int]] = {}
    for path in sorted(PINS.glob("*.yaml")):
        pins.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return pins


@pytest.fixture(scope="module")
def corpus_counts() -> tuple[Counter, Counter]:
    config = configure(["ALL"])
    cables: Counter = Counter()
    occurrences: Counter = Counter()
    for path in corpus_files():
        codes = [d.code for d in lint_source(decode(path.read_bytes()), config).diagnostics]
        occurrences.update(codes)
        cables.update(set(codes))
    return cables, occurrences


@pytest.mark.corpus
@pytest.mark.parametrize("code", sorted(_pins()))
def test_pinned_corpus_count(code: str, corpus_counts: tuple[Counter, Counter]) -> None:
    cables, occurrences = corpus_counts
    pin = _pins()[code]
    print(f"{code}: {cables[code]} cables, {occurrences[code]} occurrences (pinned {pin})")
    assert (cables[code], occurrences[code]) == (pin["cables"], pin["occurrences"])


@pytest.mark.corpus
def test_no_internal_errors_on_corpus(corpus_counts: tuple[Counter, Counter]) -> None:
    assert corpus_counts[1]["CBL000"] == 0
