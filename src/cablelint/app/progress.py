"""A one-line progress bar on stderr for long interactive runs (plain ANSI, no dependency).

Shown only when the stream is a terminal, not in CI (``CI`` set), not with --quiet, and only
once the run has lasted :data:`DELAY` seconds, so short runs and pre-commit hooks never see it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import TextIO

DELAY = 0.5  # seconds before the bar appears
INTERVAL = 0.1  # seconds between redraws
WIDTH = 30


def wanted(stream: TextIO, *, quiet: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a progress bar may be drawn on ``stream`` at all."""
    if quiet or environ.get("CI") or environ.get("PRE_COMMIT"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


class Progress:
    """``advance(n)`` as files complete; ``close()`` erases the bar. Inactive: does nothing."""

    def __init__(self, total: int, stream: TextIO, *, active: bool) -> None:
        self.total = total
        self.stream = stream
        self.active = active and total > 1
        self.done = 0
        self._start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.active:
            return
        now = time.monotonic()
        if now - self._start < DELAY or (now - self._last < INTERVAL and self.done < self.total):
            return
        self._last = now
        filled = WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self._emit(f"\r\x1b[2K[{bar}] {self.done}/{self.total} files")
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self._emit("\r\x1b[2K")
            self._drawn = False

    def _emit(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.active = False
