"""The per-user cache (built parsers, parsed rule specs) is an optimisation, never a need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
CABLE = "UNCLASSIFIED\n\n1. (U) lower case paragraph text here for the case check.\n"


def _check(tmp_path: Path, cache_home: Path) -> subprocess.CompletedProcess:
    cable = tmp_path / "a.txt"
    cable.write_text(CABLE)
    env = {"PYTHONPATH": str(SRC), "CABLELINT_CACHE_HOME": str(cache_home), "PATH": "/usr/bin"}
    command = [sys.executable, "-m", "cablelint", "check", "--no-cache", "--quiet", str(cable)]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path)


@pytest.mark.slow
def test_cold_warm_and_unusable_cache_give_the_same_report(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    cold = _check(tmp_path, home)
    written = sorted(p.name for p in home.rglob("*") if p.is_file())
    warm = _check(tmp_path, home)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    unusable = _check(tmp_path, blocker)  # the cache directory cannot be created
    damaged_home = tmp_path / "damaged"
    _check(tmp_path, damaged_home)
    for path in damaged_home.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes()[:50])  # truncated cache files
    damaged = _check(tmp_path, damaged_home)
    assert any(name.endswith(".lark-cache") for name in written)
    assert "rule-specs.pickle" in written
    assert {"tables-cable.pickle", "tables-fields.pickle"} <= set(written)
    assert cold.stdout and "CBL412" in cold.stdout
    for run in (warm, unusable, damaged):
        assert (run.returncode, run.stdout, run.stderr) == (
            cold.returncode,
            cold.stdout,
            cold.stderr,
        )
