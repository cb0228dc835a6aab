"""Baselines: record today's findings, then report only new ones.

A finding's key is (path, code, line text, occurrence): the path relative to the project root
with ``/`` separators, the rule code, the text of the finding's first line with runs of
whitespace collapsed to one space, and how many earlier findings of the same file share that
code and line text. Line numbers are not part of the key, so inserting or deleting lines
elsewhere neither resurrects nor hides a finding.

The file is JSON, written deterministically (sorted, two-space indent, UTF-8, final newline)::

    {"cablelint-baseline": 1,
     "findings": [{"path": "cables/a.txt", "code": "CBL503",
                   "line": "TAGS: [PREL](#) PGOV", "occurrence": 0}, ...]}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from cablelint.engine.results import FileResult, occurrences
from cablelint.engine.writer import replace_file
from cablelint.support.records import asdict, record, replace

FORMAT = 1
MAGIC = "cablelint-baseline"


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a cablelint baseline (exit status 2)."""


@record(order=True)
class Entry:
    path: str
    code: str
    line: str
    occurrence: int


def entries(result: FileResult, rel: str) -> list[Entry]:
    """The keys of ``result``'s diagnostics, in the result's order."""
    return [Entry(rel, d.code, text, i) for d, text, i in occurrences(result)]


def collect(results: Iterable[FileResult], relative: Callable[[str], str]) -> list[Entry]:
    """Every finding of ``results`` as a baseline entry, sorted."""
    out = [e for r in results for e in entries(r, relative(r.path))]
    return sorted(out)


def dumps(found: Iterable[Entry]) -> str:
    import json  # here: a check without a baseline never needs it

    rows = [asdict(e) for e in sorted(set(found))]
    return json.dumps({MAGIC: FORMAT, "findings": rows}, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, found: Iterable[Entry]) -> None:
    """Write atomically (OSError on failure)."""
    replace_file(path, dumps(found).encode("utf-8"))


def load(path: Path) -> Counter[Entry]:
    """The entries of a baseline file (a multiset); BaselineError when unusable."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    import json

    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get(MAGIC) != FORMAT:
            raise ValueError(f'not a cablelint baseline (no "{MAGIC}": {FORMAT})')
        found: Counter[Entry] = Counter()
        for record in data["findings"]:
            entry = Entry(record["path"], record["code"], record["line"], record["occurrence"])
            if not all(isinstance(v, str) for v in (entry.path, entry.code, entry.line)):
                raise ValueError("path, code and line must be strings")
            if not isinstance(entry.occurrence, int) or isinstance(entry.occurrence, bool):
                raise ValueError("occurrence must be an integer")
            found[entry] += 1
    except (ValueError, KeyError, TypeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, KeyError):
            reason = f"missing key {exc}"
        raise BaselineError(f"invalid baseline {path}: {reason}") from None
    return found


class BaselineFilter:
    """Drops the findings a baseline records, file by file, and tells which entries went stale."""

    def __init__(self, baseline: Counter[Entry], relative: Callable[[str], str]) -> None:
        self.remaining = Counter(baseline)
        self.relative = relative
        self.suppressed = 0
        self.checked: set[str] = set()

    def filter(self, result: FileResult) -> FileResult:
        """``result`` without the findings the baseline still holds (each entry used once)."""
        rel = self.relative(result.path)
        self.checked.add(rel)
        keep = []
        for diag, text, index in occurrences(result):
            entry = Entry(rel, diag.code, text, index)
            if self.remaining[entry] > 0:
                self.remaining[entry] -= 1
                self.suppressed += 1
            else:
                keep.append(diag)
        if len(keep) == len(result.diagnostics):
            return result
        return replace(result, diagnostics=tuple(keep))

    def stale(self) -> list[Entry]:
        """Entries of checked files that matched no finding (fixed, or the line changed)."""
        remaining = self.remaining.items()
        return sorted(e for e, n in remaining if n > 0 and e.path in self.checked for _ in range(n))
