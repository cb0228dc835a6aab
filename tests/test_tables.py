"""The grammar tables: Lark's data as plain data, cached, so that a run need not import Lark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cablelint.support.plaindata import TAG
from cablelint.support.speccache import cached
from cablelint.syntax import compiled, grammars, tables

SRC = Path(__file__).resolve().parents[1] / "src"

BUILDERS = [
    (compiled.structure_tables, grammars.structure_tables),
    (compiled.field_tables, grammars.field_tables),
    (compiled.inline_tables, grammars.inline_tables),
]


@pytest.mark.parametrize(("cached_tables", "built"), BUILDERS, ids=lambda f: f.__name__)
def test_the_cached_tables_are_the_ones_lark_derives(cached_tables, built) -> None:
    assert cached_tables() == built()


@pytest.mark.parametrize(("cached_tables", "built"), BUILDERS, ids=lambda f: f.__name__)
def test_the_tables_are_stored_as_json_of_plain_data(cached_tables, built) -> None:
    """Regenerated, written and read back: equal to what Lark's grammars give; and the JSON
    names no class but the tables' own."""
    text = tables.CODEC.dumps(built())
    assert tables.CODEC.loads(text) == built() == cached_tables()
    kinds: set[str] = set()

    def note(obj: dict) -> dict:
        kinds.add(obj.get(TAG, "object"))
        return obj

    json.loads(text, object_hook=note)
    plain = {"object", "dict", "tuple", "frozenset"}
    assert kinds - plain <= {cls.__qualname__ for cls in tables.CODEC.classes.values()}


PROBE = """
import sys
from cablelint.app.cli import main
status = main(["check", "--no-cache", "--quiet", "-o", sys.argv[2], sys.argv[1]])
print(status, "lark" in sys.modules)
"""


@pytest.mark.slow
def test_only_a_run_without_current_tables_imports_lark(tmp_path: Path) -> None:
    cable = tmp_path / "a.txt"
    cable.write_text("UNCLASSIFIED\n\n1. (U) lower case paragraph text here for the case check.\n")
    env = {**os.environ, "PYTHONPATH": str(SRC), "CABLELINT_CACHE_HOME": str(tmp_path / "c")}

    def run() -> str:
        command = [sys.executable, "-c", PROBE, str(cable), str(tmp_path / "report.txt")]
        return subprocess.run(command, env=env, capture_output=True, text=True).stdout.strip()

    assert run() == "1 True"  # tables built with Lark, and stored
    assert run() == "1 False"  # read back: Lark is not imported
    stored = {p.name for p in (tmp_path / "c").rglob("tables-*")}
    assert {"tables-cable.json", "tables-fields.json"} <= stored


def test_a_cached_value_is_rebuilt_when_its_source_changes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "grammar.lark"
    source.write_text("start: A\n")
    builds: list[str] = []

    def build() -> str:
        builds.append(source.read_text())
        return source.read_text().upper()

    assert cached("probe", [source], build) == "START: A\n"
    assert cached("probe", [source], build) == "START: A\n"
    assert len(builds) == 1  # the second came from the cache
    source.write_text("start: A B\n")
    assert cached("probe", [source], build) == "START: A B\n"
    assert len(builds) == 2


def test_a_damaged_cache_entry_is_rebuilt(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "grammar.lark"
    source.write_text("start: A\n")
    assert cached("probe", [source], lambda: {"table": 1}) == {"table": 1}
    (entry,) = (tmp_path / "cache").rglob("probe.json")
    entry.write_bytes(entry.read_bytes()[:-5])  # truncated
    assert cached("probe", [source], lambda: {"table": 2}) == {"table": 2}
    assert cached("probe", [source], lambda: {"table": 3}) == {"table": 2}  # stored again
