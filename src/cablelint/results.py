"""What linting one file produces: the contract between the engine, the fixer and the reporters."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic
from .source import SourceText


@dataclass(frozen=True, slots=True)
class FileResult:
    """The diagnostics of one file (sorted), with the text they point into.

    ``path`` is the path as the user gave it (or ``-`` / the ``--stdin-filename``).
    ``source`` is None when the file could not be read at all; ``error`` then says why.
    """

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    source: SourceText | None = None
    error: str | None = None
    fixed: bool = False
