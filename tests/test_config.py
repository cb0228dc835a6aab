"""Configuration discovery, extends, rule selection and merging (cablelint.engine.config)."""

# ruff: noqa: E501  (tables of exact messages read best one case per line)

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cablelint.engine import config as config_module
from cablelint.engine.config import (
    Config,
    ConfigError,
    _relative,
    find_config,
    load_config,
    path_matches,
    resolve_selector,
)
from cablelint.model.diagnostics import Severity
from cablelint.ruleset.specs import SpecError, check_unique, load_spec

FIXTURES = Path(__file__).parent / "fixtures" / "config"
SPECS = check_unique([load_spec(p) for p in sorted((FIXTURES / "specs").glob("CBL*.yaml"))])
DEFAULT_ON = ["CBL101", "CBL102", "CBL201", "CBL204", "CBL501", "CBL503"]
ALL = ["CBL101", "CBL102", "CBL201", "CBL204", "CBL205", "CBL501", "CBL502", "CBL503"]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str | None = None, **kwargs: object) -> Config:
    path = write(tmp_path / ".cablelint.yaml", text) if text is not None else None
    return load_config(path, cwd=tmp_path, specs=SPECS, **kwargs)  # type: ignore[arg-type]


def error(tmp_path: Path, text: str, **kwargs: object) -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text, **kwargs)
    return str(info.value)


# --- discovery ----------------------------------------------------------------------------------


def test_find_config_walks_up_and_prefers_yaml(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    assert find_config(deep) is None
    yml = write(tmp_path / "a" / ".cablelint.yml", "{}")
    assert find_config(deep) == yml
    yaml_ = write(tmp_path / "a" / ".cablelint.yaml", "{}")
    assert find_config(deep) == yaml_


def test_find_config_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / ".cablelint.yaml", "{}")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "sub").mkdir()
    assert find_config(tmp_path / "repo" / "sub") is None
    assert find_config(tmp_path / "elsewhere") == tmp_path / ".cablelint.yaml"


def test_find_config_pyproject_needs_the_table(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    assert find_config(tmp_path) is None
    write(tmp_path / "pyproject.toml", "[tool.cablelint]\nselect = ['ALL']\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    write(tmp_path / ".cablelint.yaml", "{}")
    assert find_config(tmp_path) == tmp_path / ".cablelint.yaml"


@pytest.mark.parametrize(
    "text",
    [
        "[tool.cablelint]\nselect = ['ALL']\n",
        "[ tool . 'cablelint' . per-file-ignores ]\n'a.txt' = ['CBL1']\n",
        '["tool"]\ncablelint = {select = ["ALL"]}\n',
        "tool.cablelint.select = ['ALL']\n",
        "tool = {cablelint = {select = ['ALL']}}\n",
    ],
)
def test_every_toml_form_of_the_table_is_found(tmp_path: Path, text: str) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", text + "\n[project]\nname = 'cables'\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"


def test_a_discovered_pyproject_is_parsed_once(tmp_path: Path, monkeypatch) -> None:
    """Finding the table and loading it read the file once, even without a user cache."""
    import tomllib

    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path / "not-a-directory"))
    write(tmp_path / "not-a-directory", "")  # so no cache entry is read or written
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[tool.cablelint]\nselect = ['CBL201']\n")
    parses = []
    real = tomllib.loads
    monkeypatch.setattr(tomllib, "loads", lambda text: parses.append(1) or real(text))
    config = load_config(None, cwd=tmp_path, specs=SPECS)
    assert (config.source, list(config.rules), len(parses)) == (
        tmp_path / "pyproject.toml",
        ["CBL201"],
        1,
    )


def test_a_pyproject_naming_cablelint_only_as_a_dependency_has_no_table(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    text = (
        "[project]\nname = 'cables'\ndependencies = ['cablelint']\n[tool.ruff]\nline-length = 99\n"
    )
    write(tmp_path / "pyproject.toml", text)
    assert find_config(tmp_path) is None


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = load(tmp_path)
    assert list(config.rules) == DEFAULT_ON
    assert config.rules["CBL102"].severity is Severity.WARNING
    assert dict(config.rules["CBL204"].options) == {
        "max-length": 100,
        "style": "upper",
        "words": ("NOFORN", "SIPDIS"),
    }
    assert (config.include, config.exclude, config.per_file_ignores) == (
        ("*.txt", "*.cable"),
        (),
        (),
    )
    assert config.fail_on is Severity.INFO
    assert (config.root, config.source, config.cache_dir) == (
        tmp_path,
        None,
        tmp_path / ".cablelint_cache",
    )
    assert list(config.specs) == ALL


def test_discovered_config_is_used(tmp_path: Path) -> None:
    write(tmp_path / ".cablelint.yaml", "select: [CBL5]\n")
    (tmp_path / "sub").mkdir()
    config = load_config(None, cwd=tmp_path / "sub", specs=SPECS)
    assert (config.source, config.root) == (tmp_path / ".cablelint.yaml", tmp_path)
    assert list(config.rules) == ["CBL501", "CBL502", "CBL503"]


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml", cwd=tmp_path, specs=SPECS)
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: config file not found"


# --- selection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("extends: default\n", DEFAULT_ON),
        ("extends: strict\n", ALL),
        ("select: [CBL2]\n", ["CBL201", "CBL204", "CBL205"]),
        ("select: []\n", []),
        ("select: [CBL2]\nignore: [CBL204]\n", ["CBL201", "CBL205"]),
        ("select: [CBL204]\nignore: [CBL2]\n", ["CBL204"]),  # exact code beats prefix
        ("select: [CBL20]\nignore: [CBL2]\n", ["CBL201", "CBL204", "CBL205"]),  # longer prefix wins
        ("select: [CBL2]\nignore: [CBL20]\n", []),
        ("select: [CBL204]\nignore: [caption-garbled]\n", []),  # a tie: ignore wins
        ("select: [ALL]\nignore: [CBL5]\n", ["CBL101", "CBL102", "CBL201", "CBL204", "CBL205"]),
        ("select: [CBL]\nignore: [ALL]\n", ALL),  # CBL is a prefix, more specific than ALL
        ("ignore: [CBL5]\nextend-select: [CBL502]\n", ["CBL101", "CBL102", "CBL201", "CBL204", "CBL502"]),
        ("extend-select: [CBL205]\n", ["CBL101", "CBL102", "CBL201", "CBL204", "CBL205", "CBL501", "CBL503"]),
        ("select: [caption-garbled, routing-bad]\n", ["CBL102", "CBL204"]),  # name and alias
        ("extends: strict\nignore: [CBL1, CBL2, CBL5]\nextend-select: [CBL502]\n", ["CBL502"]),
    ],
)  # fmt: skip
def test_select_extend_select_ignore(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert list(load(tmp_path, text).rules) == expected


@pytest.mark.parametrize(
    ("text", "cli", "expected"),
    [
        ("select: [CBL2]\n", {"ignore": ["CBL201"]}, ["CBL204", "CBL205"]),
        ("select: [CBL2]\n", {"select": ["CBL5"]}, ["CBL501", "CBL502", "CBL503"]),
        ("rules: {CBL101: off}\n", {"extend_select": ["CBL1"]}, DEFAULT_ON),
        ("ignore: [CBL5]\n", {"select": ["CBL501", "CBL5"], "ignore": ["CBL50"]}, ["CBL501"]),
    ],
)
def test_cli_selection_applies_last(
    tmp_path: Path, text: str, cli: dict, expected: list[str]
) -> None:
    assert list(load(tmp_path, text, **cli).rules) == expected


def test_resolve_selector() -> None:
    assert resolve_selector("ALL", SPECS) == set(ALL)
    assert resolve_selector("CBL20", SPECS) == {"CBL201", "CBL204", "CBL205"}
    assert resolve_selector("routing-bad", SPECS) == {"CBL102"}
    assert resolve_selector("CBL204", SPECS) == {"CBL204"}
    with pytest.raises(ConfigError) as info:
        resolve_selector("CBL7", SPECS, where="x.yaml:3", key="select[0]")
    assert str(info.value) == "x.yaml:3: select[0]: unknown rule or selector 'CBL7'"


# --- rules table --------------------------------------------------------------------------------


def test_rules_table_severity_enablement_and_options(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
rules:
  CBL205: warning          # a severity also turns the rule on
  CBL101: off
  apostrophe-garbled: {severity: error}
  CBL503: {enabled: false}
  CBL502: {enabled: true, severity: warning}
  caption-garbled: {max-length: 80, words: [NOFORN]}
  routing-bad: false
""",
    )
    assert list(config.rules) == ["CBL201", "CBL204", "CBL205", "CBL501", "CBL502"]
    severities = {c: s.severity for c, s in config.rules.items()}
    assert severities == {
        "CBL201": Severity.ERROR,
        "CBL204": Severity.ERROR,
        "CBL205": Severity.WARNING,
        "CBL501": Severity.ERROR,
        "CBL502": Severity.WARNING,
    }
    assert dict(config.rules["CBL204"].options) == {
        "max-length": 80,
        "style": "upper",
        "words": ("NOFORN",),
    }
    assert config.rules["CBL204"].name == "caption-garbled"


def test_options_are_read_only(tmp_path: Path) -> None:
    options = load(tmp_path).rules["CBL204"].options
    with pytest.raises(TypeError):
        options["max-length"] = 1  # type: ignore[index]


def test_severity_in_a_mapping_keeps_a_disabled_rule_off(tmp_path: Path) -> None:
    config = load(tmp_path, "rules:\n  CBL205: {severity: warning}\n")
    assert "CBL205" not in config.rules
    config = load(tmp_path, "rules:\n  CBL205: {severity: warning}\n", extend_select=["CBL205"])
    assert config.rules["CBL205"].severity is Severity.WARNING


# --- extends ------------------------------------------------------------------------------------


def test_extends_chain_merges_in_order(tmp_path: Path) -> None:
    write(
        tmp_path / "shared" / "base.yaml",
        """\
extends: strict
ignore: [CBL5]
rules:
  caption-garbled: {max-length: 60, style: lower}
  CBL102: info
per-file-ignores:
  "archive/**": [CBL1]
exclude: [old]
fail-on: warning
""",
    )
    config = load(
        tmp_path,
        """\
extends: shared/base.yaml
extend-select: [CBL503]
rules:
  CBL204: {max-length: 90}
include: ["*.cable"]
""",
    )
    assert list(config.rules) == ["CBL101", "CBL102", "CBL201", "CBL204", "CBL205", "CBL503"]
    assert dict(config.rules["CBL204"].options) == {
        "max-length": 90,
        "style": "lower",
        "words": ("NOFORN", "SIPDIS"),
    }
    assert config.rules["CBL102"].severity is Severity.INFO
    assert config.per_file_ignores == (("shared/archive/**", frozenset({"CBL101", "CBL102"})),)
    assert (config.include, config.exclude) == (("*.cable",), ("old",))
    assert config.fail_on is Severity.WARNING


def test_child_setting_replaces_parent_setting(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", 'per-file-ignores: {"a/*": [CBL1]}\nexclude: [x]\n')
    config = load(tmp_path, 'extends: base.yaml\nper-file-ignores: {"b/*": [CBL2]}\n')
    assert config.per_file_ignores == (("b/*", frozenset({"CBL201", "CBL204", "CBL205"})),)
    assert config.exclude == ("x",)


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path / "b.yaml", "select: [ALL]\nextends: .cablelint.yaml\n")
    message = error(tmp_path, "extends: b.yaml\n")
    first, second = tmp_path / ".cablelint.yaml", tmp_path / "b.yaml"
    assert message == f"{second}:2: extends: cycle: {first} -> {second} -> {first}"


def test_extends_unknown_profile(tmp_path: Path) -> None:
    path = tmp_path / ".cablelint.yaml"
    assert error(tmp_path, "\nextends: defualt\n") == (
        f"{path}:2: extends: 'defualt' is neither a profile (default, strict) nor a file"
        " (did you mean 'default'?)"
    )


def test_profiles_are_valid_configs() -> None:
    for name in config_module.PROFILES:
        path = config_module.profile_path(name)
        assert load_config(path, cwd=path.parent, specs=SPECS).source == path


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("select: [ALL]\nextend_select: [CBL2]\n", "2: extend_select: unknown key (did you mean 'extend-select'?)"),
        ("select: CBL2\n", "1: select: expected a list of strings, got a string"),
        ("select:\n  - CBL2\n  - CBL2044\n", "3: select[1]: unknown rule or selector 'CBL2044' (did you mean 'CBL204'?)"),
        ("ignore: [caption-garbld]\n", "1: ignore[0]: unknown rule or selector 'caption-garbld' (did you mean 'caption-garbled'?)"),
        ("extend-select: [all]\n", "1: extend-select[0]: unknown rule or selector 'all' (did you mean 'ALL'?)"),
        ("rules:\n  caption-garbeld: warning\n", "2: rules.caption-garbeld: unknown rule (did you mean 'caption-garbled'?)"),
        ("rules:\n  CBL2: warning\n", "2: rules.CBL2: a prefix; name one rule by code or name"),
        ("rules:\n  CBL7: warning\n", "2: rules.CBL7: unknown rule"),
        ("rules:\n  CBL204: warn\n", "2: rules.CBL204: 'warn' is not one of error, warning, info, off (did you mean 'warning'?)"),
        ("rules:\n  CBL204: 3\n", "2: rules.CBL204: expected a severity, 'off' or a mapping, got an integer"),
        ("rules:\n  CBL204:\n    max-length: eighty\n", "3: rules.CBL204.max-length: expected an integer, got a string"),
        ("rules:\n  CBL204:\n    style: Upper\n", "3: rules.CBL204.style: 'Upper' is not one of upper, lower (did you mean 'upper'?)"),
        ("rules:\n  CBL204:\n    severty: info\n", "3: rules.CBL204.severty: unknown option for CBL204 (caption-garbled) (did you mean 'severity'?)"),
        ("rules:\n  CBL204:\n    enabled: 'no'\n", "3: rules.CBL204.enabled: expected a boolean, got a string"),
        ("rules:\n  CBL204: {severity: fatal}\n", "2: rules.CBL204.severity: 'fatal' is not one of error, warning, info"),
        ("rules:\n  CBL204: off\n  caption-garbled: error\n", "3: rules.caption-garbled: CBL204 is already configured as 'CBL204'"),
        ("rules: [CBL204]\n", "1: rules: expected a mapping, got a list"),
        ("per-file-ignores:\n  'a/*': CBL2\n", "2: per-file-ignores.a/*: expected a list of strings, got a string"),
        ("per-file-ignores:\n  'a/*': [CBL9]\n", "2: per-file-ignores.a/*[0]: unknown rule or selector 'CBL9'"),
        ("fail-on: warnings\n", "1: fail-on: 'warnings' is not one of error, warning, info (did you mean 'warning'?)"),
        ("cache-dir: 3\n", "1: cache-dir: expected a string, got an integer"),
        ("rule-paths: [nowhere]\n", "1: rule-paths[0]: directory 'nowhere' not found"),
        ("include: '*.txt'\n", "1: include: expected a list of strings, got a string"),
        ("- select\n", "1: expected a mapping, got a list"),
        ("select: [A]\nselect: [B]\n", "2: select: duplicate key"),
        ("select: [CBL2\n", "2: invalid YAML: did not find expected ',' or ']'"),
    ],
)  # fmt: skip
def test_config_errors(tmp_path: Path, text: str, expected: str) -> None:
    assert error(tmp_path, text) == f"{tmp_path / '.cablelint.yaml'}:{expected}"


@pytest.mark.parametrize(
    ("cli", "expected"),
    [
        ({"select": ["CBL2044"]}, "--select: unknown rule or selector 'CBL2044' (did you mean 'CBL204'?)"),
        ({"extend_select": ["markdown"]}, "--extend-select: unknown rule or selector 'markdown' (did you mean 'markdown-artifact'?)"),
        ({"ignore": ["sipdis-garbeld"]}, "--ignore: unknown rule or selector 'sipdis-garbeld' (did you mean 'sipdis-garbled'?)"),
    ],
)  # fmt: skip
def test_cli_selector_errors(tmp_path: Path, cli: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, None, **cli)
    assert str(info.value) == expected


def test_empty_config_file_is_fine(tmp_path: Path) -> None:
    assert list(load(tmp_path, "# nothing yet\n").rules) == DEFAULT_ON


# --- pyproject.toml -----------------------------------------------------------------------------

PYPROJECT = """\
[project]
name = "x"

[tool.cablelint]
select = ["CBL2"]
fail-on = "warning"

[tool.cablelint.rules]
CBL205 = "off"

[tool.cablelint.rules.caption-garbled]
max-length = 70

[tool.cablelint.per-file-ignores]
"drafts/*.txt" = ["CBL201"]
"""


def test_pyproject_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", PYPROJECT)
    config = load_config(path, cwd=tmp_path, specs=SPECS)
    assert list(config.rules) == ["CBL201", "CBL204"]
    assert config.rules["CBL204"].options["max-length"] == 70
    assert config.fail_on is Severity.WARNING
    assert config.per_file_ignores == (("drafts/*.txt", frozenset({"CBL201"})),)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('fail-on = "warning"', 'fail_on = "warning"', "6: fail_on: unknown key (did you mean 'fail-on'?)"),
        ("max-length = 70", 'max-length = "70"', "12: rules.caption-garbled.max-length: expected an integer, got a string"),
        ('"drafts/*.txt" = ["CBL201"]', '"drafts/*.txt" = ["CBL20x"]', "15: per-file-ignores.drafts/*.txt[0]: unknown rule or selector 'CBL20x' (did you mean 'CBL201'?)"),
        ('CBL205 = "off"', 'CBL250 = "off"', "9: rules.CBL250: unknown rule (did you mean 'CBL205'?)"),
    ],
)  # fmt: skip
def test_pyproject_errors_have_lines(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = write(tmp_path / "pyproject.toml", PYPROJECT.replace(old, new))
    with pytest.raises(ConfigError) as info:
        load_config(path, cwd=tmp_path, specs=SPECS)
    assert str(info.value) == f"{path}:{expected}"


def test_pyproject_without_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'cablelint'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, cwd=tmp_path, specs=SPECS)
    assert str(info.value) == f"{path}: no [tool.cablelint] table"


# --- custom rules -------------------------------------------------------------------------------


def test_rule_paths_load_custom_rules(tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    custom.mkdir()
    for source in (FIXTURES / "custom").iterdir():
        (custom / source.name).write_bytes(source.read_bytes())
    config = load(tmp_path, "rule-paths: [custom]\nselect: [CBL8]\nignore: [draft-marker]\n")
    assert list(config.rules) == ["CBL802", "CBL803", "CBL804"]
    assert config.specs["CBL803"].declarative["file"] == "bureaus.txt"


def test_extra_rule_dirs_from_the_cli(tmp_path: Path) -> None:
    config = load(tmp_path, None, extra_rule_dirs=[FIXTURES / "custom"])
    assert list(config.rules) == [*DEFAULT_ON, "CBL801", "CBL803", "CBL804"]


def test_custom_rule_clashing_with_a_shipped_code(tmp_path: Path) -> None:
    clash = write(
        tmp_path / "rules" / "CBL204.yaml", (FIXTURES / "specs" / "CBL204.yaml").read_text()
    )
    with pytest.raises(SpecError) as info:
        load(tmp_path, "rule-paths: [rules]\n")
    assert str(info.value) == (
        f"{clash}:1: code: duplicate code CBL204 (also in {FIXTURES / 'specs' / 'CBL204.yaml'})"
    )


# --- paths and globs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "deep/dir/a.txt", True),  # no slash: any component
        ("*.txt", "a.txt.bak", False),
        ("archive", "archive/2009/a.txt", True),
        ("archive/*.txt", "archive/a.txt", True),
        ("archive/*.txt", "archive/2009/a.txt", False),
        ("archive/**", "archive/2009/a.txt", True),
        ("**/drafts/*.txt", "drafts/a.txt", True),
        ("**/drafts/*.txt", "x/y/drafts/a.txt", True),
        ("cables/**/*.cable", "cables/a.cable", True),
        ("cables/**/*.cable", "cables/x/y/a.cable", True),
        ("cables/**/*.cable", "other/cables/a.cable", False),
        ("09[0-9]*.txt", "09X1.txt", False),
        ("09[!0-9]*.txt", "09X1.txt", True),
        ("a?.txt", "ab.txt", True),
        ("a?.txt", "a/.txt", False),
        ("../shared/*.txt", "../shared/a.txt", True),
        ("vendor/", "vendor/a.txt", True),  # a trailing slash: directories only, at any depth
        ("vendor/", "lib/vendor/x/a.txt", True),
        ("vendor/", "vendor", False),  # a file called vendor
        ("vendor/", "vendors/a.txt", False),
        ("lib/vendor/", "lib/vendor/a.txt", True),  # with another slash: anchored
        ("lib/vendor/", "vendor/a.txt", False),
        ("v*/", "vendor/a.txt", True),
    ],
)
def test_path_matches(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(pattern, path) is expected


def test_a_trailing_slash_matches_a_directory_itself() -> None:
    assert path_matches("vendor/", "lib/vendor", directory=True)
    assert not path_matches("vendor/", "lib/vendor", directory=False)
    assert path_matches("lib/vendor/", "lib/vendor", directory=True)


def test_rules_for_applies_per_file_ignores(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
per-file-ignores:
  "archive/**": [CBL1, caption-garbled]
  "*.draft.txt": [CBL5]
""",
    )
    assert list(config.rules_for(tmp_path / "cables" / "a.txt")) == DEFAULT_ON
    assert list(config.rules_for(tmp_path / "archive" / "2009" / "a.txt")) == [
        "CBL201",
        "CBL501",
        "CBL503",
    ]
    assert list(config.rules_for(tmp_path / "archive" / "x.draft.txt")) == ["CBL201"]
    assert config.rules_for(tmp_path / "a.txt") is config.rules


def test_include_exclude_and_relative_paths(tmp_path: Path) -> None:
    config = load(
        tmp_path, "include: ['*.txt']\nexclude: [old, 'cables/tmp/**']\ncache-dir: .cache/cbl\n"
    )
    assert config.is_included(tmp_path / "cables" / "a.txt")
    assert not config.is_included(tmp_path / "cables" / "a.cable")
    assert not config.is_included(tmp_path / "old" / "a.txt")
    assert not config.is_included(tmp_path / "cables" / "tmp" / "b.txt")
    assert config.is_excluded(tmp_path / "old")
    assert not config.is_excluded(tmp_path / "cables")
    slash = load(tmp_path, "exclude: [vendor/]\n")
    (tmp_path / "vendor").mkdir()
    assert slash.is_excluded(tmp_path / "vendor")  # looked up: a directory
    assert not slash.is_excluded(tmp_path / "x" / "vendor")  # no such directory: a file
    assert not slash.is_included(tmp_path / "vendor" / "a.txt")
    assert config.cache_dir == tmp_path / ".cache" / "cbl"
    assert config.relative(tmp_path.parent / "x.txt") == "../x.txt"


@pytest.mark.parametrize("cwd", ["/work/main", "/", "/tmp/x"])
@pytest.mark.parametrize("root", [".", "/work", "/tmp/x", "..", "sub", "/work/main/sub"])
def test_relative_paths_match_relpath(cwd: str, root: str) -> None:
    """The per-directory memo gives what os.path.relpath gives for the whole path."""
    paths = ["a/b.txt", "b.txt", "/tmp/x/y.txt", "../z/w.txt", "a/../b.txt", "a/./b.txt"]
    paths += ["./b.txt", "a/b/", "a/..", "a/.", "/", "//x/y", "a//b.txt", "ç/é s.txt"]
    for path in paths:
        whole = os.path.relpath(os.path.join(cwd, path), os.path.join(cwd, root))
        assert _relative(path, root, cwd) == Path(whole).as_posix(), path


@pytest.mark.parametrize("root", ["/work", "/tmp/x", "/"])
def test_absolute_paths_relate_without_the_working_directory(root: str) -> None:
    """An absolute path under an absolute root needs no cwd: the empty one gives what any gives."""
    for path in ["/work/a/b.txt", "/tmp/x/y.txt", "/work/../tmp/x/z.txt", "//x/y", "/a b/ç.txt"]:
        assert _relative(path, root, "") == _relative(path, root, "/somewhere/else"), path
        assert _relative(path, root, "") == Path(os.path.relpath(path, root)).as_posix(), path


# --- fingerprint --------------------------------------------------------------------------------


def test_fingerprint_is_stable_and_tracks_effective_settings(tmp_path: Path) -> None:
    one = load(tmp_path / "1", "select: [CBL2]\nrules: {CBL204: {max-length: 80}}\n")
    same = load(tmp_path / "2", "rules:\n  caption-garbled: {max-length: 80}\nselect: [CBL20]\n")
    assert one.fingerprint() == same.fingerprint()
    assert len(one.fingerprint()) == 64
    other_option = load(tmp_path / "3", "select: [CBL2]\nrules: {CBL204: {max-length: 81}}\n")
    other_severity = load(
        tmp_path / "4", "select: [CBL2]\nrules: {CBL204: {max-length: 80, severity: info}}\n"
    )
    other_rules = load(
        tmp_path / "5", "select: [CBL2]\nignore: [CBL205]\nrules: {CBL204: {max-length: 80}}\n"
    )
    other_ignores = load(
        tmp_path / "6",
        "select: [CBL2]\nrules: {CBL204: {max-length: 80}}\nper-file-ignores: {'a/*': [CBL201]}\n",
    )
    prints = {
        c.fingerprint() for c in (one, other_option, other_severity, other_rules, other_ignores)
    }
    assert len(prints) == 5
    # fail-on and cache-dir do not change what a file's diagnostics are
    assert (
        load(
            tmp_path / "7",
            "select: [CBL2]\nrules: {CBL204: {max-length: 80}}\nfail-on: error\ncache-dir: c\n",
        ).fingerprint()
        == one.fingerprint()
    )


def test_fingerprint_tracks_a_vocabulary_word_file(tmp_path: Path) -> None:
    custom = tmp_path / "custom"
    custom.mkdir()
    for name in ("CBL803.yaml", "bureaus.txt"):
        (custom / name).write_bytes((FIXTURES / "custom" / name).read_bytes())
    before = load(tmp_path, "rule-paths: [custom]\n").fingerprint()
    assert load(tmp_path, "rule-paths: [custom]\n").fingerprint() == before
    (custom / "bureaus.txt").write_text("EUR\n")
    assert load(tmp_path, "rule-paths: [custom]\n").fingerprint() != before


# --- the parsed configuration in the user cache -------------------------------------------------


def test_an_unchanged_configuration_is_read_back_not_parsed(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path / ".cablelint.yaml", "ignore: [CBL101]\n")
    assert "CBL101" not in load_config(path, cwd=tmp_path, specs=SPECS).rules

    def no_parse(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(config_module, "load_yaml", no_parse)
    assert "CBL101" not in load_config(path, cwd=tmp_path, specs=SPECS).rules
    monkeypatch.undo()
    write(path, "ignore: [CBL102]\n")  # a new size: parsed again
    os.utime(path, ns=(1, 1))
    rules = load_config(path, cwd=tmp_path, specs=SPECS).rules
    assert "CBL101" in rules and "CBL102" not in rules


def test_a_configuration_that_does_not_parse_fails_every_time(tmp_path: Path) -> None:
    path = write(tmp_path / ".cablelint.yaml", "ignore: [CBL101\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid YAML"):
            load_config(path, cwd=tmp_path, specs=SPECS)


def test_a_cached_configuration_is_named_as_this_run_names_it(tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path / "conf" / "lint.yaml", "selekt: [CBL101]\n")
    with pytest.raises(ConfigError) as first:
        load_config(path, cwd=tmp_path, specs=SPECS)  # parsed and cached, then refused
    monkeypatch.chdir(tmp_path / "conf")
    with pytest.raises(ConfigError) as second:
        load_config(Path("lint.yaml"), cwd=tmp_path / "conf", specs=SPECS)
    assert str(first.value).startswith(f"{path}:1: ")
    assert str(second.value).startswith("lint.yaml:1: ")
