"""Binds rule codes to their Python checks, and the context a check receives.

A check is ``def name(ctx: CheckContext) -> Iterable[Finding]``: it reads the cable model and
the options, does no I/O, and knows neither its code nor its severity (the engine stamps them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .diagnostics import Edit, Finding, Fix, Span
from .model import Cable, Line
from .source import SourceText

Check = Callable[["CheckContext"], Iterable[Finding]]
CHECKS: dict[str, Check] = {}


def check(code: str) -> Callable[[Check], Check]:
    """Register ``fn`` as the check of rule ``code`` (one check per code)."""

    def register(fn: Check) -> Check:
        if code in CHECKS and CHECKS[code] is not fn:
            raise ValueError(f"two checks registered for {code}")
        CHECKS[code] = fn
        return fn

    return register


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What a check may read: the cable, its source text, and the rule's effective options."""

    cable: Cable
    source: SourceText
    options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def text(self) -> str:
        return self.source.text

    def span(self, start: int, end: int) -> Span:
        return self.source.index.span(start, end)

    def line(self, number: int) -> Line:
        return self.cable.lines[number - 1]

    def finding(self, start: int, end: int, message: str, fix: Fix | None = None) -> Finding:
        return Finding(self.span(start, end), message, fix)

    @staticmethod
    def replace(
        start: int, end: int, replacement: str, message: str, *, unsafe: bool = False
    ) -> Fix:
        """A one-edit fix."""
        return Fix((Edit(start, end, replacement),), "unsafe" if unsafe else "safe", message)


def load() -> Mapping[str, Check]:
    """Import every check module and return the code -> check table."""
    from . import checks  # noqa: F401  (registers on import)

    return CHECKS
