"""The audit: findings of the default profile over the corpus, judged against the cable text
(skipped when ../shared is absent).

tests/audit/verdicts.csv holds one row per judged finding: the file, the line, the rule code,
the verdict (true: the finding is a real claim about the cable; false: it is not), a one-line
reason and, where a line has more than one finding of the rule, the finding's column and a
piece of its message (`detail`) that tell them apart. A finding is judged by the most specific
row that fits it (same file, line and code; the row's column, when given, is the finding's; the
row's detail, when given, is in its message). A row that fits several findings judges none:
each finding is judged on its own. A finding judged false must not come back, and one judged
true must not disappear. Every rule that fires is audited on at least ten of its findings (all
of them when it has fewer), and the share of true findings among the audited ones that the
rules report today is at least 95% for every rule with ten or more, and 97% over all rules.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

import pytest

from cablelint.engine.api import configure, lint_source
from cablelint.model.source import decode

from .corpus import CORPUS, corpus_files

VERDICTS = Path(__file__).parent / "audit" / "verdicts.csv"
RULE_SHARE, ALL_SHARE, PER_RULE = 0.95, 0.97, 10


class Row(NamedTuple):
    file: str
    line: int
    code: str
    column: int | None
    detail: str
    verdict: bool
    reason: str


class Found(NamedTuple):
    file: str
    line: int
    code: str
    column: int
    message: str


def _verdicts() -> list[Row]:
    with VERDICTS.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    rows, seen = [], set()
    for rec in records:
        column = (rec.get("column") or "").strip()
        row = Row(
            rec["file"],
            int(rec["line"]),
            rec["code"],
            int(column) if column else None,
            (rec.get("detail") or "").strip(),
            rec["verdict"] == "true",
            rec["reason"],
        )
        key = row[:5]
        assert key not in seen, f"{key} judged twice"
        assert rec["verdict"] in ("true", "false") and rec["reason"].strip(), rec
        seen.add(key)
        rows.append(row)
    return rows


def _fits(row: Row, found: Found) -> bool:
    return (row.column is None or row.column == found.column) and row.detail in found.message


def judge(rows: list[Row], findings: list[Found]) -> tuple[dict[Found, Row], list[str]]:
    """Each finding's row (the most specific that fits), and the rows that fit several."""
    by_line: dict[tuple[str, int, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_line[row.file, row.line, row.code].append(row)
    chosen: dict[Found, Row] = {}
    for found in findings:
        fitting = [r for r in by_line.get(found[:3], []) if _fits(r, found)]
        if fitting:
            chosen[found] = max(fitting, key=lambda r: (r.column is not None, len(r.detail)))
    uses = Counter(chosen.values())
    ambiguous = sorted(f"{row[:5]} fits {n} findings" for row, n in uses.items() if n > 1)
    for found, row in list(chosen.items()):
        if uses[row] > 1:
            del chosen[found]
    return chosen, ambiguous


@pytest.fixture(scope="module")
def findings() -> list[Found]:
    config = configure()
    found = []
    for path in corpus_files():
        for diag in lint_source(decode(path.read_bytes()), config).diagnostics:
            span = diag.span
            found.append(Found(path.name, span.line, diag.code, span.column, diag.message))
    return found


def test_verdicts_file_is_well_formed() -> None:
    assert len(_verdicts()) > 500


@pytest.mark.corpus
def test_findings_judged_false_stay_away_and_true_ones_stay(findings: list[Found]) -> None:
    rows = _verdicts()
    chosen, ambiguous = judge(rows, findings)
    back = sorted(f"{f[:4]} ({r.reason})" for f, r in chosen.items() if not r.verdict)
    used = set(chosen.values())
    gone = sorted(f"{r[:5]} ({r.reason})" for r in rows if r.verdict and r not in used)
    assert ambiguous == [], "rows that fit several findings (judge each):\n" + "\n".join(ambiguous)
    assert back == [], "findings judged false came back:\n" + "\n".join(back)
    assert gone == [], "findings judged true disappeared:\n" + "\n".join(gone)


@pytest.mark.corpus
def test_every_rule_that_fires_is_audited_and_trusted(findings: list[Found]) -> None:
    assert CORPUS.exists()
    rows = _verdicts()
    chosen, _ = judge(rows, findings)
    fired = Counter(f.code for f in findings)
    judged = Counter(f.code for f in chosen)
    true = Counter(f.code for f, r in chosen.items() if r.verdict)
    used = set(chosen.values())
    removed = Counter(r.code for r in rows if not r.verdict and r not in used)
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


def test_a_row_judges_one_finding_and_the_most_specific_row_wins() -> None:
    line_row = Row("A.txt", 3, "CBL306", None, "", True, "line")
    col_row = Row("A.txt", 3, "CBL306", 9, "", False, "column")
    detail_row = Row("A.txt", 3, "CBL301", 1, "no TAGS", True, "detail")
    a = Found("A.txt", 3, "CBL306", 1, "tag 'x'")
    b = Found("A.txt", 3, "CBL306", 9, "tag 'y'")
    c = Found("A.txt", 3, "CBL301", 1, "no TAGS line")
    d = Found("A.txt", 3, "CBL301", 1, "no E.O. line")
    chosen, ambiguous = judge([line_row, col_row, detail_row], [a, b, c, d])
    assert chosen == {a: line_row, b: col_row, c: detail_row}
    assert ambiguous == []
    chosen, ambiguous = judge([line_row], [a, b])
    assert chosen == {} and ambiguous == [f"{line_row[:5]} fits 2 findings"]
