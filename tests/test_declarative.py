"""The declarative rule kinds (pattern, substitution, vocabulary, required), their scopes, and
custom rule packs loaded through ``rule-paths`` (including the example pack in examples/)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from cablelint.engine.api import fix_source, lint_source
from cablelint.engine.config import Config, load_config
from cablelint.engine.linter import Linter
from cablelint.model.build import build
from cablelint.model.source import from_text
from cablelint.ruleset import scopes, specs
from cablelint.ruleset.checks import declarative
from cablelint.ruleset.checks.declarative import declarative_check
from cablelint.ruleset.registry import CheckContext
from cablelint.ruleset.specs import RuleSpec, SpecError, load_spec

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "declarative"
PACK = FIXTURES / "pack"
EXAMPLE_PACK = ROOT / "examples" / "rule-pack"
CABLE = (FIXTURES / "cable.txt").read_text(encoding="utf-8")

HEAD = """\
code: {code}
name: rule-{code_lower}
family: custom
summary: A test rule.
rationale: For the tests.
severity: warning
enabled: true
"""


def make_spec(tmp_path: Path, body: str, code: str = "CBL850", **files: str) -> RuleSpec:
    """Write ``rules/<code>.yaml`` (the common keys plus ``body``) and load it."""
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    for name, content in files.items():
        (directory / name).write_text(content, encoding="utf-8")
    path = directory / f"{code}.yaml"
    head = HEAD.format(code=code, code_lower=code.lower())
    path.write_text(head + textwrap.dedent(body), encoding="utf-8")
    return load_spec(path)


def run(spec: RuleSpec, text: str = CABLE) -> list[tuple[int, int, int, int, str]]:
    """(line, column, end_line, end_column, message) of each finding of ``spec`` on ``text``."""
    source = from_text(text)
    ctx = CheckContext(build(source), source)
    return [
        (f.span.line, f.span.column, f.span.end_line, f.span.end_column, f.message)
        for f in declarative_check(spec)(ctx)
    ]


# The custom rules are loaded on their own (``specs={}`` replaces the shipped rules), so that these
# tests do not depend on the built-in rule set.
NO_BUILTINS: dict[str, RuleSpec] = {}


def pack_config(tmp_path: Path, dirs: Sequence[Path], select: Sequence[str]) -> Config:
    return load_config(
        None, cwd=tmp_path, select=list(select), extra_rule_dirs=list(dirs), specs=NO_BUILTINS
    )


def fixed(config: Config, text: str, *, unsafe: bool = False) -> str:
    return fix_source(from_text(text), config, unsafe=unsafe).text


# --- scopes -------------------------------------------------------------------------------------


def test_every_spec_scope_has_a_scope_function() -> None:
    assert set(scopes.SCOPES) == set(specs.SCOPES)


@pytest.mark.parametrize(
    ("scope", "lines"),
    [
        ("line", list(range(1, 34))),
        ("header", [(1, 8)]),
        ("transmission-id", [1]),
        ("routing", [2]),
        ("de", [3]),
        ("zn", [4]),
        ("dtg", [5]),
        ("fm", [6]),
        ("to", [7]),
        ("info", [8]),
        ("dateline", []),
        ("banner", [10]),
        ("caption", [12]),
        ("passline", [14]),
        ("eo", [16]),
        ("tags", [17]),
        ("subject", [(18, 19)]),
        ("ref", [(21, 22)]),
        ("classified-by", [24]),
        ("paragraph", [26, (28, 29), 31]),
        ("body", [(26, 31)]),
        ("signature", [33]),
    ],
)
def test_scope_nodes(scope: str, lines: list) -> None:
    cable = build(from_text(CABLE))
    found = [
        n.span.line if n.span.line == n.span.end_line else (n.span.line, n.span.end_line)
        for n in scopes.nodes(cable, scope)
    ]
    assert found == lines


def test_region_drops_the_cr_of_a_crlf_line() -> None:
    text = "SUBJECT: A\r\nB\r\n"
    cable = build(from_text(text))
    assert [scopes.region(text, line) for line in cable.lines] == [(0, 10), (12, 13)]


# --- pattern ------------------------------------------------------------------------------------


def test_pattern_forbid_reports_each_match_at_its_span(tmp_path: Path) -> None:
    spec = make_spec(
        tmp_path,
        """\
        kind: pattern
        scope: paragraph
        regex: '\\bdraft\\b'
        flags: [ignorecase]
        message: 'draft marker "{match}"'
        """,
    )
    assert run(spec) == [
        (28, 11, 28, 16, 'draft marker "DRAFT"'),
        (28, 31, 28, 36, 'draft marker "draft"'),
    ]


def test_pattern_searches_only_its_scope(tmp_path: Path) -> None:
    # BERLIN occurs in the header, the banner and the REF list; only the ref scope is searched.
    spec = make_spec(
        tmp_path, "kind: pattern\nscope: ref\nregex: BERLIN\nmessage: '{match} in a REF'\n"
    )
    assert run(spec) == [(22, 10, 22, 16, "BERLIN in a REF")]


def test_pattern_anchors_are_the_node_and_multiline_the_lines(tmp_path: Path) -> None:
    body = "kind: pattern\nscope: subject\nregex: '^[A-Z]+'\nmessage: 'starts {match}'\n"
    assert run(make_spec(tmp_path, body)) == [(18, 1, 18, 8, "starts SUBJECT")]
    multi = make_spec(tmp_path, body + "flags: [multiline]\n", code="CBL851")
    assert run(multi) == [(18, 1, 18, 8, "starts SUBJECT"), (19, 1, 19, 5, "starts OVER")]


def test_pattern_ignores_empty_matches(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, "kind: pattern\nscope: line\nregex: 'X*'\nmessage: '{match}'\n")
    assert run(spec, "AB\nXX\n") == [(2, 1, 2, 3, "XX")]


def test_pattern_require_reports_each_node_without_a_match_on_its_first_line(
    tmp_path: Path,
) -> None:
    spec = make_spec(
        tmp_path,
        """\
        kind: pattern
        scope: paragraph
        regex: '^¶\\d+\\. +\\((?:U|SBU|C|S)\\)'
        mode: require
        message: paragraph has no marking
        """,
    )
    assert run(spec) == [(31, 1, 31, 40, "paragraph has no marking")]
    text = "¶1. Unmarked\nand wrapped.\n\n¶2. (C) Marked.\n"
    assert run(spec, text) == [(1, 1, 1, 13, "paragraph has no marking")]


def test_pattern_require_with_no_node_reports_nothing(tmp_path: Path) -> None:
    spec = make_spec(
        tmp_path, "kind: pattern\nscope: dateline\nregex: '2009'\nmode: require\nmessage: m\n"
    )
    assert run(spec) == []


# --- substitution -------------------------------------------------------------------------------

SUBSTITUTION = """\
kind: substitution
scope: line
substitutions:
  AMEMBASY: AMEMBASSY
  EMBASY: EMBASSY
  STPDTS: SIPDIS
"""


def test_substitution_reports_whole_tokens_only(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, SUBSTITUTION)
    # STPDTSX (line 29) is a longer token; AMEMBASY is not reported as EMBASY.
    assert run(spec) == [
        (12, 1, 12, 7, "'STPDTS' should be 'SIPDIS'"),
        (28, 45, 28, 53, "'AMEMBASY' should be 'AMEMBASSY'"),
        (29, 12, 29, 18, "'EMBASY' should be 'EMBASSY'"),
    ]
    assert run(spec, "xSTPDTS STPDTS2 STPDTS_ STPDTS-1\n") == [
        (1, 17, 1, 23, "'STPDTS' should be 'SIPDIS'"),  # '_' and '-' are token boundaries
        (1, 25, 1, 31, "'STPDTS' should be 'SIPDIS'"),
    ]


def test_substitution_fix_is_exact_and_safe(tmp_path: Path) -> None:
    make_spec(tmp_path, SUBSTITUTION)
    config = pack_config(tmp_path, [tmp_path / "rules"], ["CBL850"])
    result = fixed(config, CABLE)
    expected = (
        CABLE.replace("\nSTPDTS\n", "\nSIPDIS\n")
        .replace("the AMEMBASY\n", "the AMEMBASSY\n")
        .replace("and EMBASY", "and EMBASSY")
    )
    assert result == expected
    assert "STPDTSX" in result
    diagnostics = lint_source(from_text(CABLE), config).diagnostics
    assert {d.fix.applicability for d in diagnostics} == {"safe"}
    assert diagnostics[0].fix.message == "Replace 'STPDTS' with 'SIPDIS'"


def test_substitution_unsafe_and_no_fix(tmp_path: Path) -> None:
    make_spec(tmp_path, SUBSTITUTION + "fix: unsafe\nfix_title: Correct the spelling\n")
    make_spec(tmp_path, SUBSTITUTION + "fix: none\n", code="CBL851")
    text = "FM AMEMBASY BERLIN\n"
    unsafe = pack_config(tmp_path, [tmp_path / "rules"], ["CBL850"])
    (diagnostic,) = lint_source(from_text(text), unsafe).diagnostics
    assert (diagnostic.fix.applicability, diagnostic.fix.message) == (
        "unsafe",
        "Correct the spelling",
    )
    assert fixed(unsafe, text) == text
    assert fixed(unsafe, text, unsafe=True) == "FM AMEMBASSY BERLIN\n"
    none = pack_config(tmp_path, [tmp_path / "rules"], ["CBL851"])
    (diagnostic,) = lint_source(from_text(text), none).diagnostics
    assert diagnostic.fix is None
    assert fixed(none, text, unsafe=True) == text


def test_substitution_ignorecase_and_custom_message(tmp_path: Path) -> None:
    spec = make_spec(
        tmp_path,
        """\
        kind: substitution
        scope: line
        ignorecase: true
        substitutions:
          STPDTS: SIPDIS
          SIPDIS: SIPDIS
        message: 'write "{replacement}", not "{match}"'
        """,
    )
    # 'sipdis' is reported (case differs); 'SIPDIS' already is the replacement.
    assert run(spec, "Stpdts\nsipdis\nSIPDIS\n") == [
        (1, 1, 1, 7, 'write "SIPDIS", not "Stpdts"'),
        (2, 1, 2, 7, 'write "SIPDIS", not "sipdis"'),
    ]


def test_substitution_prefers_the_longest_key(tmp_path: Path) -> None:
    spec = make_spec(
        tmp_path,
        """\
        kind: substitution
        scope: line
        substitutions:
          CONSULATE: CONSULATE GENERAL
          CONSULATE-GEN: CONSULATE GENERAL
        """,
    )
    assert run(spec, "AMCONSUL CONSULATE-GEN CONSULATE\n") == [
        (1, 10, 1, 23, "'CONSULATE-GEN' should be 'CONSULATE GENERAL'"),
        (1, 24, 1, 33, "'CONSULATE' should be 'CONSULATE GENERAL'"),
    ]


def test_substitution_skips_empty_and_identical_entries(tmp_path: Path) -> None:
    # specs.py accepts these; the check must neither loop on empty matches nor report no-ops.
    spec = make_spec(
        tmp_path, "kind: substitution\nscope: line\nsubstitutions:\n  '': X\n  SAME: SAME\n"
    )
    assert run(spec, "SAME A\n") == []


# --- vocabulary ---------------------------------------------------------------------------------


def test_vocabulary_file_with_suggestions(tmp_path: Path) -> None:
    spec = make_spec(
        tmp_path,
        "kind: vocabulary\nscope: tags\ntoken_regex: '(?!TAGS?\\b)[A-Z]{2,6}'\nfile: t.txt\n",
        **{"t.txt": "# tags\n\nPREL\nPGOV   # internal affairs\n  GM  \nC#\n"},
    )
    text = "TAGS: PREL PGOVV GM KNNP ABCDEFGH\n"
    # ABCDEFGH is not a whole token of 2-6 capitals, so it is not checked.
    assert run(spec, text) == [
        (1, 12, 1, 17, "unknown word 'PGOVV' (did you mean 'PGOV'?)"),
        (1, 21, 1, 25, "unknown word 'KNNP'"),
    ]
    assert declarative.read_word_file(spec.path.parent / "t.txt") == ("PREL", "PGOV", "GM", "C#")


def test_vocabulary_inline_words_ignorecase_and_default_token(tmp_path: Path) -> None:
    spec = make_spec(
        tmp_path,
        "kind: vocabulary\nscope: subject\nignorecase: true\n"
        "words: [subject, germany, coalition, talks, stall, over, budjet]\n",
    )
    assert run(spec) == [(19, 6, 19, 12, "unknown word 'BUDGET' (did you mean 'budjet'?)")]


def test_vocabulary_custom_message(tmp_path: Path) -> None:
    body = "kind: vocabulary\nscope: tags\nwords: [TAGS, PREL, PGOV]\nmessage: '{0}'\n"
    with_suggestion = body.replace("{0}", "tag {match} (nearest: {suggestion})")
    spec = make_spec(tmp_path, with_suggestion)
    # Without a suggestion, a message using {suggestion} falls back to the default message.
    assert run(spec, "TAGS: PGOVV ZZ\n") == [
        (1, 7, 1, 12, "tag PGOVV (nearest: PGOV)"),
        (1, 13, 1, 15, "unknown word 'ZZ'"),
    ]
    plain = make_spec(tmp_path, body.replace("{0}", "tag {match} is unknown"), code="CBL851")
    assert run(plain, "TAGS: PGOVV ZZ\n") == [
        (1, 7, 1, 12, "tag PGOVV is unknown"),
        (1, 13, 1, 15, "tag ZZ is unknown"),
    ]


def test_vocabulary_reads_its_file_once_when_the_linter_builds_the_check(tmp_path: Path) -> None:
    make_spec(tmp_path, "kind: vocabulary\nscope: tags\nfile: t.txt\n", **{"t.txt": "TAGS\nPREL\n"})
    linter = Linter(pack_config(tmp_path, [tmp_path / "rules"], ["CBL850"]))
    (tmp_path / "rules" / "t.txt").unlink()  # the Linter's check no longer needs the file
    for _ in range(2):
        (diagnostic,) = linter.lint(from_text("TAGS: PREL GM\n")).diagnostics
        assert (diagnostic.code, diagnostic.message) == ("CBL850", "unknown word 'GM'")


def test_a_check_that_cannot_be_built_gives_cbl000(tmp_path: Path) -> None:
    make_spec(tmp_path, "kind: vocabulary\nscope: tags\nfile: t.txt\n", **{"t.txt": "PREL\n"})
    config = pack_config(tmp_path, [tmp_path / "rules"], ["CBL850"])
    (tmp_path / "rules" / "t.txt").write_bytes(b"\xff\xfe\xfa")  # not UTF-8 any more
    (diagnostic,) = lint_source(from_text("TAGS: PREL\n"), config).diagnostics
    assert diagnostic.code == "CBL000"
    assert "cannot build rule CBL850: UnicodeDecodeError" in diagnostic.message


# --- required -----------------------------------------------------------------------------------


def test_required_reports_a_missing_scope_once_on_line_one(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, "kind: required\nscope: dateline\n")
    assert run(spec) == [(1, 1, 1, 13, "required dateline is missing")]
    present = make_spec(tmp_path, "kind: required\nscope: subject\n", code="CBL851")
    assert run(present) == []
    assert run(present, "¶1. (C) Text.\n¶2. (C) More.\n") == [
        (1, 1, 1, 14, "required subject is missing")
    ]


def test_required_custom_message_and_empty_text(tmp_path: Path) -> None:
    spec = make_spec(tmp_path, "kind: required\nscope: signature\nmessage: 'no {{signature}}'\n")
    assert run(spec, "") == [(1, 1, 1, 1, "no {signature}")]


# --- custom rule packs, end to end --------------------------------------------------------------


def test_rule_pack_through_a_config_file(tmp_path: Path) -> None:
    (tmp_path / "lint").mkdir()
    rules = tmp_path / "lint" / "rules"
    rules.mkdir()
    for source in PACK.iterdir():
        (rules / source.name).write_bytes(source.read_bytes())
    config_path = tmp_path / ".cablelint.yaml"
    config_path.write_text(
        "rule-paths: [lint/rules]\nselect: [CBL8]\nrules:\n  draft-word: error\n"
    )
    config = load_config(config_path, cwd=tmp_path, specs=NO_BUILTINS)
    assert list(config.rules) == ["CBL820", "CBL821", "CBL822", "CBL823", "CBL824"]
    found = [
        (d.code, d.span.line, d.span.column, str(d.severity), d.message)
        for d in lint_source(from_text(CABLE), config).diagnostics
    ]
    assert found == [
        ("CBL824", 1, 1, "warning", "required dateline is missing"),
        ("CBL822", 12, 1, "warning", "'STPDTS' should be 'SIPDIS'"),
        ("CBL823", 17, 12, "info", "unknown word 'PGOVV' (did you mean 'PGOV'?)"),
        ("CBL820", 28, 11, "error", 'draft marker "DRAFT"'),
        ("CBL820", 28, 31, "error", 'draft marker "draft"'),
        ("CBL822", 28, 45, "warning", "'AMEMBASY' should be 'AMEMBASSY'"),
        ("CBL822", 29, 12, "warning", "'EMBASY' should be 'EMBASSY'"),
        ("CBL821", 31, 1, "error", "paragraph has no marking"),
    ]
    result = fixed(config, CABLE)
    assert result.count("SIPDIS") == 1 and "AMEMBASSY\nBUDGET and EMBASSY" in result


@pytest.mark.parametrize(
    ("directory", "line", "problem"),
    [
        ("bad-key", 11, "mesage: unknown key (did you mean 'message'?)"),
        (
            "bad-regex",
            10,
            "regex: invalid regular expression: missing ) at position 6",
        ),
    ],
)
def test_a_bad_custom_rule_is_a_located_one_line_error(
    tmp_path: Path, directory: str, line: int, problem: str
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (FIXTURES / directory).iterdir():
        (rules / source.name).write_bytes(source.read_bytes())
    (tmp_path / ".cablelint.yaml").write_text("rule-paths: [rules]\n")
    with pytest.raises(SpecError) as info:
        load_config(tmp_path / ".cablelint.yaml", cwd=tmp_path, specs=NO_BUILTINS)
    path = next(rules.glob("*.yaml"))
    assert str(info.value) == f"{path}:{line}: {problem}"
    assert "\n" not in str(info.value)


def test_bad_regex_with_flags_and_bad_token_regex(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        make_spec(tmp_path, "kind: vocabulary\nscope: tags\nwords: [A]\ntoken_regex: '[A-'\n")
    assert str(info.value).startswith(f"{tmp_path / 'rules' / 'CBL850.yaml'}:11: token_regex: ")


# --- the example pack ---------------------------------------------------------------------------


def _example_cases(verdict: str):
    for path in sorted(EXAMPLE_PACK.glob("CBL*.yaml")):
        spec = load_spec(path)
        for index, example in enumerate(spec.examples[verdict]):
            yield pytest.param(spec.code, example, id=f"{spec.code}-{verdict}-{index}")


def _example_config(tmp_path: Path, code: str) -> Config:
    return pack_config(tmp_path, [EXAMPLE_PACK], [code])


def test_example_pack_loads() -> None:
    pack = specs.check_unique([load_spec(p) for p in specs.rule_dir_files(EXAMPLE_PACK)])
    assert {code: spec.kind for code, spec in pack.items()} == {
        "CBL810": "substitution",
        "CBL811": "vocabulary",
        "CBL812": "pattern",
        "CBL813": "required",
    }
    assert all(spec.family == "custom" and spec.examples["fail"] for spec in pack.values())


@pytest.mark.parametrize(("code", "example"), list(_example_cases("fail")))
def test_example_pack_failing_examples(tmp_path: Path, code: str, example: dict) -> None:
    config = _example_config(tmp_path, code)
    found = lint_source(from_text(example["text"]), config).diagnostics
    assert found and {d.code for d in found} == {code}
    assert sorted({d.span.line for d in found}) == example["lines"]
    assert fixed(config, example["text"]) == example.get("fixed", example["text"])


@pytest.mark.parametrize(("code", "example"), list(_example_cases("pass")))
def test_example_pack_passing_examples(tmp_path: Path, code: str, example: dict) -> None:
    assert not lint_source(from_text(example["text"]), _example_config(tmp_path, code)).diagnostics


def test_example_pack_on_a_whole_cable(tmp_path: Path) -> None:
    config = pack_config(tmp_path, [EXAMPLE_PACK], ["CBL81"])
    found = [
        (d.code, d.span.line, d.span.column, d.message)
        for d in lint_source(from_text(CABLE), config).diagnostics
    ]
    assert found == [
        ("CBL810", 12, 1, 'OCR garble "STPDTS": write "SIPDIS"'),
        (
            "CBL811",
            17,
            12,
            "tag 'PGOVV' is not on the collection's list (did you mean 'PGOV'?)",
        ),
        ("CBL812", 26, 47, 'short redaction "XXXXX" (redactions are written as 12 X)'),
        ("CBL810", 28, 45, 'OCR garble "AMEMBASY": write "AMEMBASSY"'),
    ]
    no_subject = CABLE.replace("SUBJECT: GERMANY", "GERMANY")
    codes = [d.code for d in lint_source(from_text(no_subject), config).diagnostics]
    assert "CBL813" in codes


# --- the documented examples --------------------------------------------------------------------

DOCS = ROOT / "docs" / "writing-rules.md"


def _doc_rules() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Declarative kinds") : text.index("## Scopes")]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    return [block for block in blocks if "\nkind: " in block]


def test_documented_rules_load_and_their_examples_hold(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bureaus.txt").write_text("EUR\nWHA\nNEA\n", encoding="utf-8")
    blocks = _doc_rules()
    assert len(blocks) == 4
    for block in blocks:
        code = re.search(r"^code: (CBL\d{3})$", block, flags=re.MULTILINE).group(1)
        (rules / f"{code}.yaml").write_text(block, encoding="utf-8")
    config = pack_config(tmp_path, [rules], ["CBL8"])
    for code, spec in config.specs.items():
        for example in spec.examples["fail"]:
            found = lint_source(from_text(example["text"]), config).diagnostics
            assert sorted({d.span.line for d in found if d.code == code}) == example["lines"]
        for example in spec.examples["pass"]:
            found = lint_source(from_text(example["text"]), config).diagnostics
            assert not [d for d in found if d.code == code]
    text = "DEPARTMENT FOR EUT/WE AND WHA/BSC\n\nE.O. 12958: DECL: 02/14/2019\n"
    found = lint_source(from_text(text), config).diagnostics
    assert [(d.code, d.span.line, d.span.column, d.message) for d in found] == [
        ("CBL804", 1, 1, "no SUBJECT line"),
        ("CBL803", 1, 16, "unknown word 'EUT' (did you mean 'EUR'?)"),
    ]
