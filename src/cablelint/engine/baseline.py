"""Baselines: record today's findings, then report only new ones.

A finding's key is (path, code, line text, occurrence): the path relative to the baseline's root
(:func:`find_root`: the repository that holds the baseline file, else the file's directory) with
``/`` separators, the rule code, the text of the finding's first line with runs of whitespace
collapsed to one space, and how many earlier findings of the same file share that code and line
text. Line numbers are not part of the key, so inserting or deleting lines elsewhere neither
resurrects nor hides a finding; the root does not depend on the working directory.

An entry may carry a ``reason`` (why the finding was accepted): it is not part of the key, and
writing the baseline again keeps it for as long as the finding is found.

The file is JSON, written deterministically (sorted, two-space indent, UTF-8, final newline)::

    {"cablelint-baseline": 1,
     "findings": [{"path": "cables/a.txt", "code": "CBL503",
                   "line": "TAGS: [PREL](#) PGOV", "occurrence": 0,
                   "reason": "reviewed: the release has it so"}, ...]}
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from cablelint.engine.results import FileResult, occurrences
from cablelint.engine.writer import replace_file
from cablelint.support.records import asdict, field, record, replace

FORMAT = 1
MAGIC = "cablelint-baseline"
#: A baseline larger than this is refused before it is parsed (about 200,000 findings).
MAX_BYTES = 32 * 1024 * 1024


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a cablelint baseline (exit status 2)."""


@record(order=True)
class Entry:
    path: str
    code: str
    line: str
    occurrence: int


@record(frozen=False)
class Baseline:
    """The entries of a baseline file (a multiset) and the reasons some of them carry."""

    entries: Counter[Entry] = field(default_factory=Counter)
    reasons: dict[Entry, str] = field(default_factory=dict)


def find_root(baseline: str | os.PathLike[str]) -> Path:
    """The directory a baseline's paths are relative to: the nearest one at or above the
    baseline file that holds ``.git`` (a repository, or a worktree's ``.git`` file), else the
    baseline file's own directory."""
    start = Path(os.path.abspath(baseline)).parent
    for directory in (start, *start.parents):
        if os.path.lexists(directory / ".git"):
            return directory
    return start


def relative_to(root: Path) -> Callable[[str], str]:
    """A file's path as a baseline under ``root`` records it (``/``-separated)."""
    base = os.fspath(root)

    def relative(display: str) -> str:
        return Path(os.path.relpath(os.path.abspath(display), base)).as_posix()

    return relative


def entries(result: FileResult, rel: str) -> list[Entry]:
    """The keys of ``result``'s diagnostics, in the result's order."""
    return [Entry(rel, d.code, text, i) for d, text, i in occurrences(result)]


def collect(results: Iterable[FileResult], relative: Callable[[str], str]) -> list[Entry]:
    """Every finding of ``results`` as a baseline entry, sorted."""
    out = [e for r in results for e in entries(r, relative(r.path))]
    return sorted(out)


def dumps(found: Iterable[Entry], reasons: Mapping[Entry, str] | None = None) -> str:
    import json  # here: a check without a baseline never needs it

    rows = []
    for entry in sorted(set(found)):
        row: dict[str, object] = asdict(entry)
        if reasons and entry in reasons:
            row["reason"] = reasons[entry]
        rows.append(row)
    return json.dumps({MAGIC: FORMAT, "findings": rows}, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, found: Iterable[Entry], reasons: Mapping[Entry, str] | None = None) -> None:
    """Write atomically (OSError on failure)."""
    replace_file(path, dumps(found, reasons).encode("utf-8"))


def load(path: Path) -> Baseline:
    """The entries of a baseline file and their reasons; BaselineError when unusable."""
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise BaselineError(f"invalid baseline {path}: larger than {MAX_BYTES // 2**20} MiB")
    import json

    found = Baseline()
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get(MAGIC) != FORMAT:
            raise ValueError(f'not a cablelint baseline (no "{MAGIC}": {FORMAT})')
        for record in data["findings"]:
            entry = Entry(record["path"], record["code"], record["line"], record["occurrence"])
            if not all(isinstance(v, str) for v in (entry.path, entry.code, entry.line)):
                raise ValueError("path, code and line must be strings")
            if not isinstance(entry.occurrence, int) or isinstance(entry.occurrence, bool):
                raise ValueError("occurrence must be an integer")
            reason = record.get("reason")
            if reason is not None:
                if not isinstance(reason, str):
                    raise ValueError("reason must be a string")
                found.reasons[entry] = reason
            found.entries[entry] += 1
    except RecursionError:
        raise BaselineError(f"invalid baseline {path}: nested too deeply") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, KeyError):
            reason = f"missing key {exc}"
        elif "integer string conversion" in reason:
            reason = "integer too large"
        raise BaselineError(f"invalid baseline {path}: {reason}") from None
    return found


def update(
    old: Baseline,
    recorded: Iterable[Entry],
    checked: Mapping[str, frozenset[str]],
    exists: Callable[[str], bool],
) -> tuple[Baseline, int]:
    """The baseline ``--write-baseline`` writes over ``old``, and how many old entries it kept.

    ``recorded``: this run's findings; ``checked``: each file this run checked (its baseline
    path) and the codes in force for it. An old entry of a checked file and code is replaced by
    the findings (keeping its reason when it is found again); an entry of a file or rule this
    run did not check is kept while its file exists.
    """
    new = Baseline()
    for entry in recorded:
        new.entries[entry] += 1
        if entry in old.reasons:
            new.reasons[entry] = old.reasons[entry]
    kept = 0
    for entry, count in old.entries.items():
        codes = checked.get(entry.path)
        if codes is not None and entry.code in codes:
            continue  # checked now: the findings above replace it
        if codes is None and not exists(entry.path):
            continue  # the file is gone
        new.entries[entry] += count
        kept += count
        if entry in old.reasons:
            new.reasons[entry] = old.reasons[entry]
    return new, kept


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
