"""What ``parse`` extracts from the forms real cables take (issue 16's extraction gaps): each
fixture under tests/fixtures/extraction/ with the exact values and findings."""

from __future__ import annotations

import json
from pathlib import Path

from cablelint.engine.api import lint_text
from cablelint.model.build import build
from cablelint.model.source import from_text

from .cli import run_main as run

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


def _parsed(name: str, capsys) -> dict:
    status, out, _ = run(capsys, "parse", "--format", "json", str(FIXTURES / name))
    assert status == 0
    return json.loads(out)


def test_a_visit_note_after_ovip_keeps_the_tags_after_it(capsys) -> None:
    record = _parsed("tags_visit_note.txt", capsys)
    assert record["tags"] == ["OVIP", "PREL", "PGOV", "PARM", "MNUC", "IT"]
    text = (FIXTURES / "tags_visit_note.txt").read_text(encoding="utf-8")
    cable = build(from_text(text))
    (ovip, *_) = cable.tags.tags
    assert ovip.note is not None and ovip.note.text == "(STEINBERG, JAMES B.)"
    assert [t.note for t in cable.tags.tags[1:]] == [None] * 5
    assert [d.code for d in lint_text(text) if d.span.line in (6, 7)] == []
