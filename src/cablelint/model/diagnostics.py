"""The result vocabulary shared by every module: spans, edits, fixes, findings, diagnostics."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal, NamedTuple

from cablelint.support.records import field, record

Applicability = Literal["safe", "unsafe"]


class Severity(IntEnum):
    """How serious a finding is; ordered so that ``>=`` compares against a fail level."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Span(NamedTuple):
    """A half-open range of character offsets, with 1-based line and column of both ends.

    ``end_column`` is exclusive: the column just after the last character, as in Lark.
    A NamedTuple: immutable, ordered by offsets, and cheap to create by the hundred thousand.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def length(self) -> int:
        return self.end - self.start


class Related(NamedTuple):
    """A further place a finding points at (one of the instances it counts): its span and what
    stands there. SARIF shows them as the result's related locations."""

    span: Span
    message: str


@record(order=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (offsets into the decoded text)."""

    start: int
    end: int
    replacement: str


@record
class Fix:
    """A set of edits applied all together or not at all.

    ``encoding``, when set, is the encoding the file is written in once the fix is applied
    (a conversion of the whole file, which has no edits).
    """

    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"
    message: str = ""
    encoding: str | None = None

    def applies(self, unsafe: bool) -> bool:
        """Whether ``--fix`` applies this fix (``unsafe``: with ``--unsafe-fixes``)."""
        return bool(self.edits or self.encoding) and (unsafe or self.applicability == "safe")

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@record
class Finding:
    """What a check reports: where, what, and optionally how to fix it. No code, no severity."""

    span: Span
    message: str
    fix: Fix | None = None
    #: For a rule whose findings differ in weight (cable-format.md rates some parts of one rule
    #: lower): the finding's own severity, capped by the rule's configured severity.
    severity: Severity | None = None
    #: The places a finding that counts several instances names, one per instance.
    related: tuple[Related, ...] = ()


@record
class Diagnostic:
    """A finding stamped with its rule's code, name and effective severity."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    related: tuple[Related, ...] = ()

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.span.start, self.span.end, self.code, self.message)
