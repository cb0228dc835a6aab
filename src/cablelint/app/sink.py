"""Where each file's results go as a check run proceeds, so that memory stays flat.

Line formats (text, github, json-lines) are rendered file by file and handed to ``emit`` at
once; only tallies are kept. Document formats (json, sarif, junit, gitlab), ``--statistics``
and ``--write-baseline`` need every result at the end: those are kept, as excerpts. The sink
never prints: the command line gives it the callables that do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from cablelint.app.commands import CheckRun
from cablelint.engine.results import FileResult
from cablelint.model.diagnostics import Diagnostic, Severity
from cablelint.model.source import shown_path
from cablelint.support.records import field, record, replace

if TYPE_CHECKING:  # a run without a baseline does without the module (and its writer's imports)
    from cablelint.engine.baseline import BaselineFilter, Entry


@record(frozen=False)
class Tally:
    """What the summary and the exit status need of the findings reported."""

    severities: Counter[Severity] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    safe_fixes: int = 0
    unsafe_fixes: int = 0

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diag in diagnostics:
            self.severities[diag.severity] += 1
            self.codes[diag.code] += 1
            fix = diag.fix
            if fix is not None and fix.applies(unsafe=True):
                if fix.applies(unsafe=False):
                    self.safe_fixes += 1
                else:
                    self.unsafe_fixes += 1

    @property
    def total(self) -> int:
        return sum(self.severities.values())

    def reaches(self, level: Severity) -> bool:
        """Whether any finding is at or above ``level``."""
        return any(severity >= level and n for severity, n in self.severities.items())


@record(frozen=False)
class Sink:
    """Takes each file's run in order: reports notices and errors, then renders or keeps results.

    ``render_file`` turns one result into its piece of a line format (None: keep results for
    a document at the end); ``baseline`` filters findings first; ``record_baseline`` keeps
    only baseline entries (``relative`` names their paths).
    """

    emit: Callable[[str], None]
    warn: Callable[[str], None]
    error: Callable[[str], None]
    render_file: Callable[[FileResult], str] | None = None
    baseline: BaselineFilter | None = None
    record_baseline: Callable[[str], str] | None = None
    tally: Tally = field(default_factory=Tally)
    results: list[FileResult] = field(default_factory=list)
    recorded: list[Entry] = field(default_factory=list)
    recorded_files: dict[str, str] = field(default_factory=dict)  # baseline path -> display
    errors: int = 0
    fixed: int = 0
    fixed_files: int = 0
    stdin_output: bytes | None = None
    skipped: list[str] = field(default_factory=list)  # found in a directory, not cables

    def take(self, run: CheckRun) -> None:
        """One file's run (or several files', in order)."""
        for notice in run.notices:
            self.warn(notice)
        for problem in run.errors:
            self.error(problem)
        self.errors += len(run.errors)
        for diff in run.diffs:
            self.emit(diff)
        self.fixed += run.fixed
        self.fixed_files += run.fixed_files
        self.skipped += run.skipped
        if run.stdin_output is not None:
            self.stdin_output = run.stdin_output
        for result in run.results:
            self._result(result)

    def _result(self, result: FileResult) -> None:
        if not result.path.isprintable():  # a control character, an undecodable byte
            result = replace(result, path=shown_path(result.path))
        if self.record_baseline is not None:
            from cablelint.engine.baseline import entries

            rel = self.record_baseline(result.path)
            self.recorded += entries(result, rel)
            if result.error is None:
                self.recorded_files[rel] = result.path
            return
        if self.baseline is not None:
            result = self.baseline.filter(result)
        self.tally.add(result.diagnostics)
        if self.render_file is not None:
            self.emit(self.render_file(result))
        else:
            self.results.append(result)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The kept findings (document formats and statistics)."""
        return [d for r in self.results for d in r.diagnostics]
