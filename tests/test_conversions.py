"""The measurement of issue 15: how cablelint reads and repairs the cables collections hold.

``../shared/corpus/conversions/<form>/`` holds 300 corpus cables as the release published them
(``raw``), with CRLF line ends (``crlf``), and as seven converters wrote their HTML pages; the
clean text of each is ``../shared/corpus/cablegate/`` under the same name. Per form this module
computes and prints:

* extraction agreement with the clean text, per field: reference id, classification, DTG,
  origin, subject, TAGS and paragraph numbers (``parse --format json``);
* findings per file (the default profile), against the clean text's;
* the repair share: per file, the lines that differ from the clean text (difflib opcodes over
  lines, trailing whitespace ignored) before and after ``check --fix --unsafe-fixes``, and the
  share of them the fix removed, averaged over the files that differ at all. After the fix, the
  converted file is compared with the clean text after the same fix: the fix also repairs the
  cable's own errors (a paragraph marking in lower case, two paragraphs run together, a word
  split at the wrap ...), the same in both, and those repairs are not the converter's damage.
  Compared with the clean text itself (printed as ``repair-vs-clean``), the clean cables the
  fix changes (62 of the 300) bound the share below 1: to 0.80 for w3m, whose files differ by
  their page table alone (a few lines, against dozens the fix changes in a cable whose
  paragraphs the release ran together).

Each threshold is its own test per form. The in-process API does the work, once per form.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from statistics import mean

import pytest

from cablelint.app.parse_output import parse_json
from cablelint.engine import api
from cablelint.model.source import decode

from .corpus import CORPUS, SHARED

CONVERSIONS = SHARED / "corpus" / "conversions"
FORMS = ("raw", "crlf", "lynx", "w3m", "pandoc-plain", "pandoc-gfm", "html2text", "markdownify",
         "inscriptis")  # fmt: skip
CONVERTERS = FORMS[2:]
FIELDS = ("reference_id", "classification", "dtg", "origin", "subject", "tags", "paragraphs")
EXTRACTION = 0.99
REPAIR = {form: 0.5 if form == "lynx" else 0.9 for form in CONVERTERS}
#: What the published text and CRLF may add to the clean text's findings, per file.
EXTRA_FINDINGS = 1


def _extracted(data: bytes) -> dict[str, object]:
    record = json.loads(parse_json("cable.txt", decode(data)))
    found = {field: record[field] for field in FIELDS}
    found["paragraphs"] = [p["number"] for p in record["paragraphs"]]
    return found


def _differing_lines(text: str, clean: list[str]) -> int:
    """How many lines of ``text`` and ``clean`` lie in difflib's non-equal opcodes."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    matcher = difflib.SequenceMatcher(None, clean, lines, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.split("\n")]


@cache
def _fixed_clean(name: str) -> list[str]:
    """The lines of clean cable ``name`` after ``check --fix --unsafe-fixes``."""
    source = decode((CORPUS / name).read_bytes())
    return _lines(api.fix_source(source, api.configure(), unsafe=True).text)


class Measure:
    """The figures of one form (or of the clean text, ``form`` None)."""

    def __init__(self, form: str | None) -> None:
        folder = CONVERSIONS / form if form else None
        names = sorted(p.name for p in (CONVERSIONS / "raw").glob("*.txt"))
        config = api.configure()
        self.findings: dict[str, int] = {}
        self.extracted: dict[str, dict] = {}
        self.repair: list[float] = []
        #: The share against the clean text itself, printed beside the measure.
        self.repair_vs_clean: list[float] = []
        for name in names:
            clean_text = (CORPUS / name).read_text(encoding="utf-8")
            data = (folder / name).read_bytes() if folder else clean_text.encode()
            source = decode(data)
            self.extracted[name] = _extracted(data)
            self.findings[name] = len(api.lint_source(source, config).diagnostics)
            if form in CONVERTERS:
                clean = _lines(clean_text)
                before = _differing_lines(source.text, clean)
                if before:
                    fixed = api.fix_source(source, config, unsafe=True).text
                    after = _differing_lines(fixed, _fixed_clean(name))
                    self.repair.append((before - after) / before)
                    literal = _differing_lines(fixed, clean)
                    self.repair_vs_clean.append((before - literal) / before)


@cache
def measure(form: str | None) -> Measure:
    if not CONVERSIONS.is_dir() or not CORPUS.is_dir():
        pytest.skip(f"{CONVERSIONS} is absent (../shared is not beside this checkout)")
    return Measure(form)


@cache
def agreement(form: str) -> dict[str, float]:
    clean, other = measure(None), measure(form)
    names = sorted(clean.extracted)
    found = {
        field: mean(clean.extracted[n][field] == other.extracted[n][field] for n in names)
        for field in FIELDS
    }
    figures = " ".join(f"{field}={share:.3f}" for field, share in found.items())
    repair = ""
    if other.repair:
        repair = (
            f" repair={mean(other.repair):.3f} (repair-vs-clean {mean(other.repair_vs_clean):.3f})"
        )
    print(
        f"\n{form}: extraction {figures}; findings/file {mean(other.findings.values()):.2f} "
        f"(clean {mean(clean.findings.values()):.2f}){repair}"
    )
    return found


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS)
def test_extraction_agrees_with_the_clean_text(form: str) -> None:
    found = agreement(form)
    assert {f: s for f, s in found.items() if s < EXTRACTION} == {}


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("form", ["raw", "crlf"])
def test_published_text_and_crlf_add_at_most_one_finding_per_file(form: str) -> None:
    agreement(form)
    clean, other = measure(None), measure(form)
    extra = {
        name: other.findings[name] - clean.findings[name]
        for name in clean.findings
        if other.findings[name] - clean.findings[name] > EXTRA_FINDINGS
    }
    assert extra == {}


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize("form", CONVERTERS)
def test_the_fix_repairs_the_conversion(form: str) -> None:
    agreement(form)
    repair = measure(form).repair
    assert repair and mean(repair) >= REPAIR[form]


def test_differing_lines_ignore_trailing_whitespace_and_line_ends() -> None:
    clean = ["TAGS: PREL", "", "EASON"]
    assert _differing_lines("TAGS: PREL \r\n\r\nEASON", clean) == 0
    assert _differing_lines("    TAGS: PREL\n\nEASON", clean) == 1
    assert _differing_lines("| a | b |\nTAGS: PREL\n\nEASON", clean) == 1
