"""Rule specs, reference data and configuration files read back from the per-user cache equal
what parsing their files gives now (regenerated and compared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.config import _read_document
from cablelint.ruleset import reference, specs
from cablelint.support.resources import data_path, rule_files


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cached_rule_specs_equal_the_specs_parsed_now(cache_home: Path, monkeypatch) -> None:
    files = rule_files()
    fresh = [specs._SpecReader(path).read() for path in files]
    assert specs.load_cached_specs(files) == fresh  # built and stored
    assert [p.name for p in cache_home.rglob("*.json")] == ["rule-specs.json"]
    monkeypatch.setattr(specs, "load_spec", _must_not_parse)
    again = specs.load_cached_specs(files)  # read back
    assert again == fresh
    assert [s.key_lines for s in again] == [s.key_lines for s in fresh]  # not compared by ==
    assert [type(s.severity) for s in again] == [specs.Severity] * len(files)


@pytest.mark.parametrize("name", ["tag-fixes.yaml", "lost-accents.yaml", "eo-numbers.yaml"])
def test_cached_reference_data_equals_the_file_parsed_now(cache_home: Path, name: str) -> None:
    fresh = reference._parse_yaml(data_path(name))
    assert reference._yaml(name) == fresh  # built and stored
    assert reference._yaml(name) == fresh  # read back
    assert list(cache_home.rglob(f"data-{Path(name).stem}.json"))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".cablelint.yaml", "ignore: [CBL306]\nrules:\n  CBL512:\n    min-length: 25\n"),
        ("pyproject.toml", '[tool.cablelint]\nignore = ["CBL306"]\nwhen = 2009-01-02\n'),
    ],
)
def test_a_cached_configuration_file_equals_the_file_parsed_now(
    cache_home: Path, tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    first = _read_document(path)
    again = _read_document(path)
    assert list(cache_home.rglob("config-*.json"))
    assert (again.name, again.data, again.lines) == (first.name, first.data, first.lines)


def _must_not_parse(path: Path) -> object:
    raise AssertionError(f"{path} parsed again")
