"""Rule specification loading and validation (cablelint.ruleset.specs)."""

# ruff: noqa: E501  (tables of exact messages read best one case per line)

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml

from cablelint.model.diagnostics import Severity
from cablelint.ruleset import specs
from cablelint.ruleset.specs import (
    OptionSpec,
    RuleSpec,
    SpecError,
    load_spec,
    load_specs,
    validate_options,
)
from cablelint.support import resources, yamlload

FIXTURES = Path(__file__).parent / "fixtures" / "config"

# Line numbers in the expected messages below refer to this text.
BASE = """\
code: CBL204
name: caption-garbled
family: banner
summary: A caption word is garbled.
rationale: >
  Garbled captions hide handling restrictions.
severity: error
enabled: true
targets: [caption]
fix: safe
options:
  max-length: {type: int, default: 100, doc: Longest caption.}
examples:
  fail:
    - text: |
        NOFRON
      lines: [1]
      fixed: |
        NOFORN
  pass:
    - text: |
        NOFORN
"""

PATTERN = """\
code: CBL801
name: draft-marker
family: custom
summary: A DRAFT marker.
rationale: Drafts must not be filed.
severity: warning
enabled: true
kind: pattern
scope: body
regex: 'DRAFT'
message: 'draft marker "{match}"'
"""


def write(tmp_path: Path, text: str, name: str = "CBL204.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return str(info.value)


def test_valid_spec_loads_every_field(tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    spec = load_spec(path)
    assert spec == RuleSpec(
        code="CBL204",
        name="caption-garbled",
        aliases=(),
        family="banner",
        summary="A caption word is garbled.",
        rationale="Garbled captions hide handling restrictions.",
        severity=Severity.ERROR,
        enabled=True,
        targets=("caption",),
        kind="python",
        fix="safe",
        fix_title=None,
        options=MappingProxyType(
            {"max-length": OptionSpec("max-length", "int", 100, "Longest caption.", None)}
        ),
        examples=MappingProxyType(
            {
                "fail": ({"text": "NOFRON\n", "lines": [1], "fixed": "NOFORN\n"},),
                "pass": ({"text": "NOFORN\n"},),
            }
        ),
        declarative=MappingProxyType({}),
        path=path,
    )
    assert spec.where("options") == f"{path}:11"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("family: banner", "familly: banner", "3: familly: unknown key (did you mean 'family'?)"),
        ("severity: error", "severity: eror", "7: severity: 'eror' is not one of error, warning, info (did you mean 'error'?)"),
        ("enabled: true", "enabled: maybe", "8: enabled: expected a boolean, got a string"),
        ("family: banner", "family: banners", "3: family: 'banners' is not one of tool, header, banner, metadata, paragraph, text, document, custom (did you mean 'banner'?)"),
        ("fix: safe", "fix: saf", "10: fix: 'saf' is not one of none, safe, unsafe (did you mean 'safe'?)"),
        ("code: CBL204", "code: CBL24", "1: code: 'CBL24' is not CBL followed by 3 digits"),
        ("code: CBL204", "code: CBL205", "1: code: 'CBL205' does not match the file name 'CBL204.yaml'"),
        ("name: caption-garbled", "name: Caption_Garbled", "2: name: 'Caption_Garbled' is not kebab-case (lower-case words joined by '-')"),
        ("name: caption-garbled", "name: caption-garbled\naliases: [caption-garbled]", "3: aliases[0]: an alias must differ from the rule's name"),
        ("summary: A caption word is garbled.", "summary: |\n  One.\n  Two.", "4: summary: must be a single line"),
        ("summary: A caption word is garbled.", "summary: ''", "4: summary: must not be empty"),
        ("targets: [caption]", "targets: caption", "9: targets: expected a list of strings, got a string"),
        ("targets: [caption]", "targets: [caption, 3]", "9: targets[1]: expected a string, got an integer"),
        ("targets: [caption]", "targets: []", "9: targets: must list at least one target"),
        ("targets: [caption]\n", "", "1: targets: missing required key"),
        ("rationale: >\n  Garbled captions hide handling restrictions.\n", "", "1: rationale: missing required key"),
        ("fix: safe", "fix: safe\nfix_title: ''", "11: fix_title: must not be empty"),
        ("fix: safe", "fix: safe\nregex: x", "11: regex: not allowed for kind 'python' (only for pattern)"),
        ("fix: safe", "fix: safe\nscope: body", "11: scope: not allowed for kind 'python' (only for pattern, substitution, vocabulary, required)"),
        ("fix: safe", "fix: safe\nkind: patern", "11: kind: 'patern' is not one of python, pattern, substitution, vocabulary, required (did you mean 'pattern'?)"),
        ("default: 100", "default: many", "12: options.max-length.default: expected an integer, got a string"),
        ("type: int", "type: integer", "12: options.max-length.type: 'integer' is not one of bool, int, float, str, list, regex (did you mean 'int'?)"),
        ("doc: Longest caption.", "doc: Longest caption., choise: [1]", "12: options.max-length.choise: unknown key (did you mean 'choices'?)"),
        (", doc: Longest caption.", "", "12: options.max-length.doc: missing required key"),
        ("max-length:", "max_length:", "12: options.max_length: 'max_length' is not kebab-case (lower-case words joined by '-')"),
        ("default: 100,", "default: 100, choices: [80, 90],", "12: options.max-length.default: 100 is not one of 80, 90"),
        ("type: int, default: 100", "type: regex, default: '(x'", "12: options.max-length.default: invalid regular expression: missing ), unterminated subpattern at position 0"),
        ("lines: [1]", "lines: [3]", "17: examples.fail[0].lines[0]: line 3 is outside the text (1-2)"),
        ("lines: [1]", "lines: [one]", "17: examples.fail[0].lines[0]: expected a line number, got a string"),
        ("fix: safe", "fix: none", "18: examples.fail[0].fixed: the rule declares fix: none"),
        ("      lines: [1]", "      line: [1]", "17: examples.fail[0].line: unknown key (did you mean 'lines'?)"),
        ("      lines: [1]", "      lines: [1]\n      options: {max-lenght: 3}", "18: examples.fail[0].options.max-lenght: unknown option for CBL204 (caption-garbled) (did you mean 'max-length'?)"),
        ("      lines: [1]", "      lines: [1]\n      options: {max-length: x}", "18: examples.fail[0].options.max-length: expected an integer, got a string"),
        ("  pass:\n    - text: |\n        NOFORN\n", "", "13: examples.pass: missing required key"),
        ("    - text: |\n        NOFRON\n      lines: [1]\n      fixed: |\n        NOFORN\n", "    []\n", "14: examples.fail: a built-in rule needs at least one failing example"),
        ("    - text: |\n        NOFORN\n", "    - txt: NOFORN\n", "21: examples.pass[0].txt: unknown key (did you mean 'text'?)"),
        ("enabled: true", "enabled: true\nname: other", "9: name: duplicate key"),
    ],
)  # fmt: skip
def test_invalid_spec_reports_file_line_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in BASE
    path = write(tmp_path, BASE.replace(old, new, 1))
    assert error_of(path) == f"{path}:{expected}"


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, BASE.replace("enabled: true", "enabled: [true"))
    assert error_of(path) in {
        f"{path}:9: invalid YAML: did not find expected ',' or ']'",  # libyaml
        f"{path}:9: invalid YAML: expected ',' or ']', but got ':'",  # pure Python
    }


def test_uses_libyaml_when_available() -> None:
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert yamlload.safe_loader() is expected


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing\n")
    assert error_of(path) == f"{path}:1: expected a mapping, got null"


def test_pattern_rule_fills_declarative_defaults(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, PATTERN, "CBL801.yaml"))
    assert (spec.kind, spec.fix, spec.targets) == ("pattern", "none", ("body",))
    assert spec.examples == {"fail": (), "pass": ()}
    assert dict(spec.declarative) == {
        "scope": "body",
        "regex": "DRAFT",
        "mode": "forbid",
        "message": 'draft marker "{match}"',
        "flags": (),
    }


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("scope: body", "scope: bodyy", "9: scope: 'bodyy' is not one of line, header, transmission-id, routing, de, zn, dtg, fm, to, info, dateline, banner, caption, passline, eo, tags, subject, ref, classified-by, paragraph, body, signature (did you mean 'body'?)"),
        ("regex: 'DRAFT'", "regex: '(DRAFT'", "10: regex: invalid regular expression: missing ) at position 6"),
        ("message: 'draft marker \"{match}\"'\n", "", "1: message: missing required key"),
        ('"{match}"', '"{matc}"', "11: message: unknown placeholder {matc} (allowed: {match}) (did you mean 'match'?)"),
        ('"{match}"', '"{match"', "11: message: invalid format string: expected '}' before end of string"),
        ("scope: body", "scope: body\nmode: forbidden", "10: mode: 'forbidden' is not one of forbid, require (did you mean 'forbid'?)"),
        ("scope: body", "scope: body\nflags: [ignorecase, dotall]", "10: flags[1]: 'dotall' is not one of ignorecase, multiline"),
        ("scope: body", "scope: body\nfix: safe", "10: fix: kind 'pattern' cannot fix; use 'none'"),
        ("scope: body", "scope: body\nwords: [A]", "10: words: not allowed for kind 'pattern' (only for vocabulary)"),
    ],
)  # fmt: skip
def test_invalid_pattern_rule(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in PATTERN
    path = write(tmp_path, PATTERN.replace(old, new, 1), "CBL801.yaml")
    assert error_of(path) == f"{path}:{expected}"


def declarative(kind: str, body: str) -> str:
    head = PATTERN.split("kind:")[0]
    return f"{head}kind: {kind}\nscope: line\n{body}"


@pytest.mark.parametrize(
    ("kind", "body", "expected"),
    [
        ("substitution", "substitutions: {}\n", "10: substitutions: must list at least one substitution"),
        ("substitution", "substitutions: {EMBASY: 3}\n", "10: substitutions.EMBASY: expected a string, got an integer"),
        ("substitution", "substitutions: {A: B}\nmessage: '{wrong}'\n", "11: message: unknown placeholder {wrong} (allowed: {match}, {replacement})"),
        ("vocabulary", "words: [A]\nfile: w.txt\n", "10: words: give exactly one of 'words' or 'file'"),
        ("vocabulary", "ignorecase: true\n", "9: scope: give exactly one of 'words' or 'file'"),
        ("vocabulary", "words: []\n", "10: words: must list at least one word"),
        ("vocabulary", "file: missing.txt\n", "10: file: word list 'missing.txt' not found next to CBL801.yaml"),
        ("vocabulary", "words: [A]\ntoken_regex: '['\n", "11: token_regex: invalid regular expression: unterminated character set at position 1"),
        ("required", "message: 'no {match}'\n", "10: message: unknown placeholder {match} (allowed: none)"),
        ("required", "fix: unsafe\n", "10: fix: kind 'required' cannot fix; use 'none'"),
    ],
)  # fmt: skip
def test_invalid_declarative_rule(tmp_path: Path, kind: str, body: str, expected: str) -> None:
    path = write(tmp_path, declarative(kind, body), "CBL801.yaml")
    assert error_of(path) == f"{path}:{expected}"


def test_declarative_kinds_from_fixtures() -> None:
    loaded = {p.stem: load_spec(p) for p in sorted((FIXTURES / "custom").glob("*.yaml"))}
    sub, vocab, req = loaded["CBL802"], loaded["CBL803"], loaded["CBL804"]
    assert (sub.fix, dict(sub.declarative["substitutions"])) == (
        "safe",
        {"EMBASY": "EMBASSY", "CONSULATE-GENERAL": "CONSULATE GENERAL"},
    )
    assert sub.declarative["ignorecase"] is False
    assert dict(vocab.declarative) == {
        "scope": "routing",
        "message": None,
        "token_regex": "[A-Z]{2,5}",
        "ignorecase": False,
        "words": None,
        "file": "bureaus.txt",
    }
    assert (req.targets, dict(req.declarative)) == (
        ("subject",),
        {"scope": "subject", "message": None},
    )
    assert loaded["CBL801"].examples["fail"] == ({"text": "THIS IS A DRAFT.\n", "lines": [1]},)


# --- validate_options ---------------------------------------------------------------------------

OPTIONS = """\
code: CBL204
name: caption-garbled
family: banner
summary: S.
rationale: R.
severity: error
enabled: true
targets: [caption]
fix: none
options:
  max-length: {type: int, default: 100, doc: D.}
  ratio: {type: float, default: 0.5, doc: D.}
  strict: {type: bool, default: false, doc: D.}
  style: {type: str, default: upper, doc: D., choices: [upper, lower]}
  words: {type: list, default: [NOFORN], doc: D.}
  marks: {type: list, default: [], doc: D., choices: [C, S, U]}
  token: {type: regex, default: '[A-Z]+', doc: D.}
examples:
  fail: [{text: x}]
  pass: []
"""


@pytest.fixture
def option_spec(tmp_path: Path) -> RuleSpec:
    return load_spec(write(tmp_path, OPTIONS))


def test_validate_options_fills_defaults_and_normalises(option_spec: RuleSpec) -> None:
    values = {"ratio": 1, "words": ["A", "B"], "marks": ["C", "U"]}
    assert validate_options(option_spec, values, "cfg:1") == {
        "max-length": 100,
        "ratio": 1.0,
        "strict": False,
        "style": "upper",
        "words": ("A", "B"),
        "marks": ("C", "U"),
        "token": "[A-Z]+",
    }
    assert option_spec.options["words"].default == ("NOFORN",)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"max-lenght": 3}, "cfg:7: max-lenght: unknown option for CBL204 (caption-garbled) (did you mean 'max-length'?)"),
        ({"max-length": True}, "cfg:7: max-length: expected an integer, got a boolean"),
        ({"max-length": 1.5}, "cfg:7: max-length: expected an integer, got a number"),
        ({"ratio": "x"}, "cfg:7: ratio: expected a number, got a string"),
        ({"strict": "yes"}, "cfg:7: strict: expected a boolean, got a string"),
        ({"style": "uper"}, "cfg:7: style: 'uper' is not one of upper, lower (did you mean 'upper'?)"),
        ({"words": "NOFORN"}, "cfg:7: words: expected a list of scalars, got a string"),
        ({"words": [["x"]]}, "cfg:7: words: expected a list of scalars, got a list"),
        ({"marks": ["C", "TS"]}, "cfg:7: marks: 'TS' is not one of C, S, U (did you mean 'S'?)"),
        ({"token": "[A-Z"}, "cfg:7: token: invalid regular expression: unterminated character set at position 0"),
    ],
)  # fmt: skip
def test_validate_options_errors(option_spec: RuleSpec, values: dict, expected: str) -> None:
    with pytest.raises(SpecError) as info:
        validate_options(option_spec, values, "cfg:7")
    assert str(info.value) == expected


def test_validate_options_locates_each_option(option_spec: RuleSpec) -> None:
    lines = {"ratio": 4, "style": 9}
    with pytest.raises(SpecError) as info:
        validate_options(
            option_spec,
            {"ratio": 2, "style": "mixed"},
            lambda name: f"cfg:{lines[name]}",
            prefix=("rules", "CBL204"),
        )
    assert str(info.value) == "cfg:9: rules.CBL204.style: 'mixed' is not one of upper, lower"


def test_validate_options_where_without_line(option_spec: RuleSpec) -> None:
    with pytest.raises(SpecError) as info:
        validate_options(option_spec, {"nope": 1}, "--option")
    assert str(info.value) == "--option: nope: unknown option for CBL204 (caption-garbled)"


# --- load_specs ---------------------------------------------------------------------------------


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Pretend the fixture specs are the shipped rules (the real rules/ may be in flux)."""
    files = sorted((FIXTURES / "specs").glob("CBL*.yaml"))
    monkeypatch.setattr(specs, "rule_files", lambda: files)
    specs.load_shipped_specs.cache_clear()  # loaded once per process: again from these files
    yield files
    specs.load_shipped_specs.cache_clear()


def test_load_specs_shipped_plus_extra_dirs(shipped: list[Path]) -> None:
    loaded = load_specs([FIXTURES / "custom"])
    assert list(loaded) == [
        "CBL101", "CBL102", "CBL201", "CBL204", "CBL205", "CBL501", "CBL502", "CBL503",
        "CBL801", "CBL802", "CBL803", "CBL804",
    ]  # fmt: skip
    assert loaded["CBL102"].aliases == ("routing-bad",)
    assert list(load_specs()) == [p.stem for p in shipped]


def test_load_specs_duplicate_code(shipped: list[Path], tmp_path: Path) -> None:
    copy = write(tmp_path, (FIXTURES / "specs" / "CBL204.yaml").read_text(), "CBL204.yml")
    with pytest.raises(SpecError) as info:
        load_specs([tmp_path])
    expected = (
        f"{copy}:1: code: duplicate code CBL204 (also in {FIXTURES / 'specs' / 'CBL204.yaml'})"
    )
    assert str(info.value) == expected


def test_load_specs_duplicate_name_or_alias(shipped: list[Path], tmp_path: Path) -> None:
    text = PATTERN.replace("name: draft-marker", "name: draft-marker\naliases: [routing-bad]")
    path = write(tmp_path, text, "CBL801.yaml")
    with pytest.raises(SpecError) as info:
        load_specs([tmp_path])
    other = FIXTURES / "specs" / "CBL102.yaml"
    assert str(info.value) == (
        f"{path}:3: aliases: duplicate name 'routing-bad' (also CBL102 in {other})"
    )


def test_load_specs_missing_dir(shipped: list[Path], tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load_specs([tmp_path / "nope"])
    assert str(info.value) == f"{tmp_path / 'nope'}: rule directory not found"


def test_load_spec_reloads_a_changed_file(tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    assert load_spec(path).severity is Severity.ERROR
    write(tmp_path, BASE.replace("severity: error", "severity: warning  # changed"))
    assert load_spec(path).severity is Severity.WARNING


def test_real_shipped_rules_load() -> None:
    """Every rules/CBL*.yaml in the repository validates (how long loading takes is for the
    benchmarks, not for a unit test on a shared machine)."""
    files = resources.rule_files()
    if not files:
        pytest.skip("rules/ has no CBL*.yaml files yet")
    specs.load_shipped_specs.cache_clear()
    loaded = load_specs()
    assert sorted(loaded) == [p.stem for p in files]


def test_rule_examples_in_the_docs_validate(tmp_path: Path) -> None:
    """Every rule file shown in docs/writing-rules.md loads as written."""
    doc = (Path(__file__).parents[1] / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0] for b in doc.split("```yaml\n")[1:]]
    rules = [b for b in blocks if b.startswith("code: ")]
    assert len(rules) == 5
    (tmp_path / "bureaus.txt").write_text("EUR\nWHA\n")
    for block in rules:
        code = block.split()[1]
        spec = load_spec(write(tmp_path, block, f"{code}.yaml"))
        assert spec.code == code


def test_real_shipped_rules_work_with_the_profiles(tmp_path: Path) -> None:
    from cablelint.engine.config import load_config

    if not resources.rule_files():
        pytest.skip("rules/ has no CBL*.yaml files yet")
    loaded = load_specs()
    (tmp_path / ".git").mkdir()
    default = load_config(None, cwd=tmp_path)
    assert list(default.rules) == [c for c, s in sorted(loaded.items()) if s.enabled]
    strict = load_config(resources.profile_path("strict"), cwd=tmp_path)
    assert list(strict.rules) == sorted(loaded)
