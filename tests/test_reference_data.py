"""The curated data files in cablelint/data/ and their loader (cablelint.ruleset.reference)."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from cablelint.ruleset import reference
from cablelint.ruleset.reference import LostAccent
from cablelint.support.resources import data_path

SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared, beside the repository
CORPUS = SHARED / "corpus" / "cablegate"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

#: Cables whose TAGS field holds free text, a bare person name or a typo with no unique repair
#: (data/README.md, "Garbled TAGS fields"). They are not counted in the unknown-tag rate.
GARBLED_TAGS = {
    # free text, or a name outside the OVIP (...) parentheses
    "04BRASILIA3154.txt",  # POL MIL
    "05ANKARA7215.txt",  # POLITICAL PARTIES
    "05ROME3585.txt",  # ITALY NATIONAL ELECTIONS ITALIAN POLITICS IRAQI FREEDOM
    "05SANAA923.txt",  # COUNTER TERRORISM
    "05SOFIA1207.txt",  # Organized Crime
    "05TELAVIV1580.txt",  # COUNTERTERRORISM, GOI EXTERNAL
    "06BRUSSELS524.txt",  # USEU BRUSSELS
    "09BEIJING2964.txt",  # OVIP STEINBERG JAMES
    "09STATE11937.txt",  # OVIP CLINTON HILLARY
    # one letter from two or more codes
    "07ANKARA1905.txt",  # PBIO: KBIO or TBIO
    "07BERLIN802.txt",  # ECUN: ECON or EUN
    "07LAPAZ3262.txt",  # PINL: PINR, PINS or PINT
    "08BRASILIA351.txt",  # MASC: MASS or CASC
    "08PARIS957.txt",  # FINR: PINR or EFIN
    "09ZAGREB694.txt",  # EUC: EUN or EU
    "10MUNICH29.txt",  # INRB: an office symbol (INR/B)
}

#: The 18 cables with a truncated accented word (cable-format.md §4.14).
LOST_ACCENT_CABLES = {
    "05MADRID541.txt",
    "06NAIROBI72.txt",
    "06PARIS2242.txt",
    "07MADRID1021.txt",
    "07PRETORIA1712.txt",
    "07SANAA1989.txt",
    "08CASABLANCA81.txt",
    "08RIYADH102.txt",
    "09BAGHDAD1103.txt",
    "09BEIJING1582.txt",
    "09HARARE888.txt",
    "09KUALALUMPUR752.txt",
    "09PARIS1097.txt",
    "09PARIS264.txt",
    "09RIODEJANEIRO311.txt",
    "09STATE67105.txt",
    "09TELAVIV1098.txt",
    "10RIYADH182.txt",
}


# --- loader: exact values --------------------------------------------------------------------


def test_ruehbs_accepts_both_brussels_spellings() -> None:
    assert reference.routing_stations()["RUEHBS"] == {"AMEMBASSY BRUSSELS", "USEU BRUSSELS"}


def test_routing_corrections_of_the_format_spec() -> None:
    st = reference.routing_stations()
    assert st["RUEHDIR"] == {"RPO DUBAI", "IRAN RPO DUBAI"}
    assert st["RUEHKV"] == {"AMEMBASSY KIEV", "AMEMBASSY KYIV"}
    assert st["RUEHPS"] == {"AMEMBASSY PRISTINA"}
    assert st["RUEHLM"] == {"AMEMBASSY COLOMBO"}
    assert st["RUEHSB"] == {"AMEMBASSY HARARE"}
    assert st["RUEHMS"] == {"AMEMBASSY MUSCAT"}
    assert st["RUEHFRA"] == st["RUEHFR"] == {"AMEMBASSY PARIS"}
    assert st["RUEHC"] == {"SECSTATE WASHDC"}
    assert st["RUEHNO"] == {"USMISSION USNATO"}


def test_routing_table_has_only_state_indicators_in_fm_form() -> None:
    st = reference.routing_stations()
    assert all(ri.startswith("RUEH") for ri in st)
    texts = {s for stations in st.values() for s in stations}
    assert not any("PRINSTINA" in s or "NAGOYA" in s or "WASHINGTON DC" in s for s in texts)
    assert all(s == reference.normalise_station(s) for s in texts)


def test_routing_csv_has_header_and_no_duplicate_rows() -> None:
    with data_path("routing-indicators.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["ri", "station"]
    assert len(rows[1:]) == len({tuple(r) for r in rows[1:]})
    assert all(len(r) == 2 and re.fullmatch(r"R[A-Z]{3,6}", r[0]) for r in rows[1:])


def test_normalise_station() -> None:
    assert reference.normalise_station("  usEU   Brussels\t") == "USEU BRUSSELS"
    assert reference.normalise_station("AMEMBASSY RIO  DE JANEIRO") == "AMEMBASSY RIO DE JANEIRO"


def test_tag_vocabulary() -> None:
    vocab = reference.tag_vocabulary()
    assert {"KNNP", "PREL", "PGOV", "IAEA", "NATO", "BE", "IR", "IZ", "KTFN", "PINT"} <= vocab
    assert not {"ECONEFIN", "POGOV", "JAMES", "POLITICAL", ""} & vocab
    assert not any(t.startswith("#") for t in vocab)


def test_tag_fixes() -> None:
    fixes = reference.tag_fixes()
    assert fixes["ECONEFIN"] == ("ECON", "EFIN")
    assert fixes["PHUMPGOV"] == ("PHUM", "PGOV")
    assert fixes["KDEMAF"] == ("KDEM", "AF")
    assert fixes["POGOV"] == ("PGOV",)


def test_tag_fixes_lead_from_unknown_to_known_codes() -> None:
    vocab = reference.tag_vocabulary()
    for bad, good in reference.tag_fixes().items():
        assert bad not in vocab, bad
        assert bad == bad.upper()
        assert good and set(good) <= vocab, bad


def test_captions() -> None:
    assert reference.captions() == (
        "SIPDIS",
        "NOFORN",
        "SENSITIVE",
        "EXDIS",
        "NODIS",
        "LIMDIS",
        "STADIS",
        "SENSITIVE BUT UNCLASSIFIED",
    )


def test_lost_accents() -> None:
    la = reference.lost_accents()
    assert la["communiqu"] == LostAccent("communiqu", "communique", False, ())
    assert la["attach"].exempt_next_words == ("to", "by")
    assert "treasury" in la["attach"].confirming_previous_words  # the verb needs a service
    assert la["Attach"].confirmed_mid_sentence and la["Jos"].next_capitalised
    assert la["Charg"].replacement == "Charge"
    assert la["DEMARCH"].replacement == "DEMARCHE"
    assert la["Jos"].case_sensitive
    assert set(la) == {"communiqu", "caf", "Caf", "Attach", "attach", "Charg", "Jos", "DEMARCH"}
    assert all(e.form == k and e.replacement.startswith(k) for k, e in la.items())


def test_eo_numbers() -> None:
    eo = reference.eo_numbers()
    assert eo[12958] == (date(1995, 10, 14), date(2010, 6, 27))
    assert eo[13526] == (date(2010, 6, 27), None)
    assert eo[11652] == (date(1972, 6, 1), date(1982, 8, 1))
    assert sorted(eo) == [11652, 12065, 12356, 12958, 13526]


def test_loaders_are_cached() -> None:
    assert reference.routing_stations() is reference.routing_stations()
    assert reference.tag_vocabulary() is reference.tag_vocabulary()
    assert reference.lost_accents() is reference.lost_accents()


def test_mappings_are_read_only() -> None:
    with pytest.raises(TypeError):
        reference.tag_fixes()["X"] = ("Y",)  # type: ignore[index]


# --- corpus-backed checks --------------------------------------------------------------------


def _cables() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


_DE = re.compile(r"^DE (R[A-Z]{3,6}) #")


@needs_corpus
@pytest.mark.corpus
def test_de_routing_indicator_matches_fm_station_in_every_shape_a_cable() -> None:
    stations = reference.routing_stations()
    checked, failures = 0, []
    for path in _cables():
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if m := _DE.match(line):
                fm = next((x for x in lines[i + 1 : i + 6] if x.startswith("FM ")), None)
                if fm is not None:
                    checked += 1
                    if reference.normalise_station(fm[3:]) not in stations.get(m[1], ()):
                        failures.append((path.name, m[1], fm))
                break
    assert checked == 763
    assert failures == []


def _load_derivation_tool():
    """The maintenance script that built tags.txt: the test reads TAGS fields the same way."""
    path = Path(__file__).resolve().parents[1] / "tools" / "derive_reference_data.py"
    spec = importlib.util.spec_from_file_location("derive_reference_data", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_tags = _load_derivation_tool().tags_tokens


@needs_corpus
@pytest.mark.corpus
def test_unknown_tag_rate_is_below_one_percent() -> None:
    known = reference.tag_vocabulary() | set(reference.tag_fixes())
    cables = _cables()
    unknown = {}
    for path in cables:
        bad = [t for t in _tags(path.read_text(encoding="utf-8")) or () if t not in known]
        if bad:
            unknown[path.name] = bad
    assert set(unknown) >= GARBLED_TAGS  # the exclusion list is not stale
    rest = set(unknown) - GARBLED_TAGS
    assert len(cables) == 880
    assert len(rest) / len(cables) < 0.01, sorted(rest)


@needs_corpus
@pytest.mark.corpus
def test_every_tag_fix_observed_in_corpus_is_applied_to_a_real_token() -> None:
    seen: Counter[str] = Counter()
    for path in _cables():
        seen.update(set(_tags(path.read_text(encoding="utf-8")) or ()))
    observed = {k for k in reference.tag_fixes() if seen[k]}
    assert observed == {
        "EINDETRD",
        "KDEMAF",
        "IRAJ",
        "POGOV",
        "PGOF",
        "MOPPS",
        "MPOS",
        "MAR",
        "NAR",
        "TIP",
        "SHUM",
        "PECON",
    }


def _lost_accent_hits(text: str, entry: LostAccent) -> int:
    flags = 0 if entry.case_sensitive else re.IGNORECASE
    hits = 0
    for m in re.finditer(rf"\b{re.escape(entry.form)}\b", text, flags):
        nxt = re.match(r"\s+(\w+)", text[m.end() :])
        if nxt and nxt[1].lower() in entry.exempt_next_words:
            continue
        hits += 1
    return hits


@needs_corpus
@pytest.mark.corpus
def test_lost_accent_forms_hit_only_the_damaged_cables() -> None:
    per_form: Counter[str] = Counter()
    cables_hit = set()
    for path in _cables():
        text = path.read_text(encoding="utf-8")
        for form, entry in reference.lost_accents().items():
            if n := _lost_accent_hits(text, entry):
                per_form[form] += n
                cables_hit.add(path.name)
    assert cables_hit == LOST_ACCENT_CABLES
    assert per_form == {
        "communiqu": 8,
        "caf": 3,
        "Caf": 1,
        "Attach": 3,
        "attach": 2,
        "Charg": 2,
        "Jos": 2,
        "DEMARCH": 1,
    }


def test_lost_accent_matching_respects_case_and_exemptions() -> None:
    la = reference.lost_accents()
    assert _lost_accent_hits("the importance we attach to it", la["attach"]) == 0
    assert _lost_accent_hits("the legal attach office", la["attach"]) == 1
    assert _lost_accent_hits("funds from CAF and the caf", la["caf"]) == 1
    assert _lost_accent_hits("a joint COMMUNIQU and a Communiqu", la["communiqu"]) == 2


def _load_words_tool():
    path = Path(__file__).resolve().parents[1] / "tools" / "build_words.py"
    spec = importlib.util.spec_from_file_location("build_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_word_list_tells_words_from_fragments() -> None:
    assert reference.is_word("were") and reference.is_word("Contribution")
    assert not reference.is_word("wer") and not reference.is_word("contrib")
    assert reference.begins_word("contrib") and reference.begins_word("CONTRIB")
    assert not reference.begins_word("xqzt")
    assert not reference.is_word("caf")  # a lost accent (lost-accents.yaml) is no word


@needs_corpus
@pytest.mark.corpus
def test_word_list_is_what_the_tool_builds_from_the_corpus() -> None:
    words, cables = _load_words_tool().build()
    assert cables == 880
    assert frozenset(words) == reference.words()
