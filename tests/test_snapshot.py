"""What cablelint says about the corpus, the seeds and the fixtures matches the recorded snapshot.

A refactoring leaves the snapshot unchanged. A change of behaviour updates it
(``python tools/snapshot.py --update``) in a commit that says why each difference is right.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("snapshot_tool", ROOT / "tools" / "snapshot.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


snapshot = _tool()


@pytest.mark.parametrize("label", sorted(snapshot.SETS))
def test_output_matches_the_recorded_snapshot(label: str) -> None:
    path = snapshot.SETS[label]
    if not path.is_dir():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    recorded = json.loads(snapshot.SNAPSHOT.read_text(encoding="utf-8"))
    changes = snapshot.differences(recorded, {label: snapshot.snapshot_of(path)})
    assert not changes, "run python tools/snapshot.py to see, --update to record:\n" + "\n".join(
        changes[:60]
    )


def test_a_changed_finding_is_reported_with_its_line() -> None:
    recorded = {"s": {"a.txt": {"findings": ["1:1-1:2 CBL001 error x"], "fixed": "1"}}}
    now = {"s": {"a.txt": {"findings": ["2:1-2:2 CBL001 error x"], "fixed": "1"}}}
    assert snapshot.differences(recorded, now) == [
        "s/a.txt: findings changed",
        "    - 1:1-1:2 CBL001 error x",
        "    + 2:1-2:2 CBL001 error x",
    ]
    assert snapshot.differences(recorded, recorded) == []
