"""The ``json`` format: one indented JSON list of every diagnostic."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cablelint.engine.results import FileResult
from cablelint.report.common import diagnostic_record


def render(results: Sequence[FileResult]) -> str:
    """All diagnostics as a JSON list, indented by two spaces, non-ASCII kept."""
    records = [diagnostic_record(r, d) for r in results for d in r.diagnostics]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
