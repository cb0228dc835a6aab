"""The audit: findings of the default profile over the corpus, judged against the cable text
(skipped when ../shared is absent).

tests/audit/verdicts.csv holds one row per judged finding: the file, the line, the rule code,
the verdict (true: the finding is a real claim about the cable; false: it is not) and a one-line
reason. A finding judged false must not come back, and one judged true must not disappear.
Every rule that fires is audited on at least ten of its findings (all of them when it has
fewer), and the share of true findings among the audited ones that the rules report today is at
least 95% for every rule with ten or more, and 97% over all rules.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from cablelint.engine.api import configure, lint_source
from cablelint.model.source import decode

from .corpus import CORPUS, corpus_files

VERDICTS = Path(__file__).parent / "audit" / "verdicts.csv"
RULE_SHARE, ALL_SHARE, PER_RULE = 0.95, 0.97, 10

Key = tuple[str, int, str]


def _verdicts() -> dict[Key, tuple[bool, str]]:
    with VERDICTS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    verdicts = {}
    for row in rows:
        key = (row["file"], int(row["line"]), row["code"])
        assert key not in verdicts, f"{key} judged twice"
        assert row["verdict"] in ("true", "false") and row["reason"].strip(), row
        verdicts[key] = (row["verdict"] == "true", row["reason"])
    return verdicts


@pytest.fixture(scope="module")
def findings() -> set[Key]:
    config = configure()
    found = set()
    for path in corpus_files():
        for diag in lint_source(decode(path.read_bytes()), config).diagnostics:
            found.add((path.name, diag.span.line, diag.code))
    return found


def test_verdicts_file_is_well_formed() -> None:
    assert len(_verdicts()) > 500


@pytest.mark.corpus
def test_findings_judged_false_stay_away_and_true_ones_stay(findings: set[Key]) -> None:
    verdicts = _verdicts()
    back = sorted(f"{k} ({r})" for k, (ok, r) in verdicts.items() if not ok and k in findings)
    gone = sorted(f"{k} ({r})" for k, (ok, r) in verdicts.items() if ok and k not in findings)
    assert back == [], "findings judged false came back:\n" + "\n".join(back)
    assert gone == [], "findings judged true disappeared:\n" + "\n".join(gone)


@pytest.mark.corpus
def test_every_rule_that_fires_is_audited_and_trusted(findings: set[Key]) -> None:
    assert CORPUS.exists()
    verdicts = _verdicts()
    fired = Counter(code for _, _, code in findings)
    judged: Counter[str] = Counter()
    true: Counter[str] = Counter()
    for key in findings:
        if key in verdicts:
            judged[key[2]] += 1
            true[key[2]] += verdicts[key][0]
    removed = Counter(k[2] for k, (ok, _) in verdicts.items() if not ok and k not in findings)
    print(f"{'rule':8} {'fired':>6} {'judged':>7} {'true':>6} {'share':>7} {'false removed':>14}")
    for code in sorted(fired):
        share = true[code] / judged[code] if judged[code] else 0.0
        print(
            f"{code:8} {fired[code]:6} {judged[code]:7} {true[code]:6} {share:7.1%} "
            f"{removed[code]:14}"
        )
    overall = sum(true.values()) / sum(judged.values())
    print(f"all rules: {sum(true.values())} of {sum(judged.values())} true ({overall:.1%})")
    unaudited = {c: (judged[c], n) for c, n in fired.items() if judged[c] < min(PER_RULE, n)}
    assert unaudited == {}, "rules audited on too few findings (judged, fired)"
    low = {
        c: true[c] / judged[c]
        for c in fired
        if judged[c] >= PER_RULE and true[c] / judged[c] < RULE_SHARE
    }
    assert low == {}
    assert overall >= ALL_SHARE
