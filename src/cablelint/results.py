"""What linting one file produces: the contract between the engine, the fixer and the reporters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .diagnostics import Diagnostic, Span
from .records import record
from .source import SourceText


@record
class Excerpt:
    """What the reports need of a linted file's text, instead of the whole text.

    ``lines``: the raw text (line ending removed, a CR before it kept) of each flagged line;
    ``positions``: (line, column) of every offset a diagnostic or an edit of its fix points at.
    A run keeps excerpts, so its memory grows with its findings, not with its files, and a
    worker process sends back a few lines rather than the cable.
    """

    lines: Mapping[int, str]
    positions: Mapping[int, tuple[int, int]]

    @classmethod
    def of(cls, source: SourceText, diagnostics: Sequence[Diagnostic]) -> Excerpt | None:
        """The excerpt ``diagnostics`` need, or None when there are none."""
        if not diagnostics:
            return None
        index, text = source.index, source.text
        lines: dict[int, str] = {}
        positions: dict[int, tuple[int, int]] = {}
        for diag in diagnostics:
            number = diag.span.line
            if number not in lines and 1 <= number <= index.line_count:
                start, end = index.line_bounds(number, text)
                lines[number] = text[start:end]
            offsets = [diag.span.start, diag.span.end]
            if diag.fix is not None:
                offsets += [o for e in diag.fix.edits for o in (e.start, e.end)]
            for offset in offsets:
                if offset not in positions:
                    positions[offset] = index.position(offset)
        return cls(lines, positions)

    def line(self, number: int) -> str:
        """The raw text of line ``number``; empty when it was not flagged."""
        return self.lines.get(number, "")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``, one the diagnostics point at."""
        return self.positions[offset]

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, *self.position(start), *self.position(end))


@record
class FileResult:
    """The diagnostics of one file (sorted), with the excerpt of the text they point into.

    ``path`` is the path as the user gave it (or ``-`` / the ``--stdin-filename``).
    ``excerpt`` is None when there is nothing to show; ``error`` says why a file could not be
    read at all.
    """

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    excerpt: Excerpt | None = None
    error: str | None = None
    fixed: bool = False

    @classmethod
    def checked(
        cls,
        path: str,
        diagnostics: tuple[Diagnostic, ...],
        source: SourceText,
        *,
        fixed: bool = False,
    ) -> FileResult:
        """The result of a file that was read and linted as ``source``."""
        return cls(path, diagnostics, Excerpt.of(source, diagnostics), fixed=fixed)
