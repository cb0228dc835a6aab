"""What linting one file produces: the contract between the engine, the fixer and the reporters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from cablelint.model.diagnostics import Diagnostic, Span
from cablelint.model.source import SourceText
from cablelint.support.records import record


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
            offsets += [o for r in diag.related for o in (r.span.start, r.span.end)]
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


def line_text(excerpt: Excerpt | None, line: int) -> str:
    """The text of flagged ``line`` (1-based) without its line ending; empty when unknown."""
    return "" if excerpt is None else excerpt.line(line).rstrip("\r")


def occurrences(result: FileResult) -> Iterator[tuple[Diagnostic, str, int]]:
    """Each diagnostic with its normalised line text and the occurrence index of that pair.

    The index counts earlier diagnostics of the file with the same code and line text, so a
    fingerprint built from the three survives lines moving up or down.
    """
    counts: dict[tuple[str, str], int] = {}
    for diag in result.diagnostics:
        text = " ".join(line_text(result.excerpt, diag.span.line).split())
        key = (diag.code, text)
        index = counts.get(key, 0)
        counts[key] = index + 1
        yield diag, text, index
