"""Each configuration key is declared once (engine/settings.py): the docs' table comes from it,
and a key with a declaration is checked, merged and read without code of its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cablelint.engine import config as config_module
from cablelint.engine import settings
from cablelint.engine.config import ConfigError, load_config
from cablelint.engine.settings import SETTINGS, Setting, markdown_table

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_the_docs_table_is_the_declaration() -> None:
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"^\| key \| type \|.*?\n(?=\n)", text, re.S | re.M)
    assert found is not None, "docs/configuration.md has no keys table"
    assert found.group() == markdown_table(), (
        "docs/configuration.md's keys table differs from engine/settings.py; paste:\n"
        + markdown_table()
    )


def test_every_declared_key_is_accepted_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    values = {
        "string": "'strict'",
        "list": "[CBL1]",
        "mapping": "{}",
        "globs": "['*.txt']",
        "directories": "[x]",
        "rule-globs": "{'a/*': [CBL1]}",
        "choice": "error",
        "path": "cache",
    }
    text = "".join(f"{s.key}: {values[s.shape]}\n" for s in SETTINGS)
    (tmp_path / ".cablelint.yaml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path / ".cablelint.yaml", cwd=tmp_path)
    assert config.setting("cache-dir") == tmp_path / "cache"
    (tmp_path / ".cablelint.yaml").write_text("colour: never\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="colour: unknown key"):
        load_config(tmp_path / ".cablelint.yaml", cwd=tmp_path)


def test_a_new_key_needs_only_its_declaration(tmp_path: Path, monkeypatch) -> None:
    added = Setting("pattern-budget", "choice", "seconds", "1", choices=("1", "2"), convert=int)
    monkeypatch.setattr(settings, "SETTINGS", (*SETTINGS, added))
    monkeypatch.setattr(settings, "BY_KEY", {**settings.BY_KEY, added.key: added})
    monkeypatch.setattr(config_module, "SETTINGS", settings.SETTINGS)
    monkeypatch.setattr(config_module, "BY_KEY", settings.BY_KEY)
    monkeypatch.setattr(config_module, "KEYS", (*settings.KEYS, added.key))
    (tmp_path / ".cablelint.yaml").write_text("pattern-budget: '2'\n", encoding="utf-8")
    assert load_config(tmp_path / ".cablelint.yaml", cwd=tmp_path).setting("pattern-budget") == 2
    assert load_config(None, cwd=tmp_path, discover=False).setting("pattern-budget") == 1
    (tmp_path / ".cablelint.yaml").write_text("pattern-budget: '3'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="pattern-budget: '3' is not one of 1, 2"):
        load_config(tmp_path / ".cablelint.yaml", cwd=tmp_path)
    assert "| `pattern-budget` | `1`, `2` | `1` | seconds |" in settings.markdown_table()
