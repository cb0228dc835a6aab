"""The ``json-lines`` format: one compact JSON object per diagnostic per line."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cablelint.engine.results import FileResult
from cablelint.report.common import diagnostic_record


def render(results: Sequence[FileResult]) -> str:
    """The records of the ``json`` format, one per line, without extra whitespace."""
    return "".join(
        json.dumps(diagnostic_record(r, d), ensure_ascii=False, separators=(",", ":")) + "\n"
        for r in results
        for d in r.diagnostics
    )
