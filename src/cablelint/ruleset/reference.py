"""Curated reference data shipped in ``cablelint/data/`` (see data/README.md), loaded once each."""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

from cablelint.support.records import record
from cablelint.support.resources import data_path
from cablelint.support.speccache import load_cached
from cablelint.support.yamlload import safe_loader

_SPACES = re.compile(r"\s+")


@record
class LostAccent:
    """A word truncated where an accented letter was dropped (``communiqu`` for ``communiqué``)."""

    form: str
    replacement: str
    case_sensitive: bool
    exempt_next_words: tuple[str, ...]  # lower case
    # Context that confirms the damaged word where the form is also a word (a verb, a name):
    confirming_previous_words: tuple[str, ...] = ()  # lower case; one of these must precede
    confirmed_mid_sentence: bool = False  # ... or the form stands inside a sentence
    next_capitalised: bool = False  # a capitalised word must follow (a given name's surname)
    exempt_previous_words: tuple[str, ...] = ()  # lower case


def normalise_station(text: str) -> str:
    """Upper-case, trim and collapse whitespace: the form stored in routing-indicators.csv."""
    return _SPACES.sub(" ", text).strip().upper()


def _lines(filename: str) -> list[str]:
    """Non-blank lines of a text data file, without ``#`` comment lines."""
    text = data_path(filename).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def _yaml(filename: str) -> object:
    """The parsed data file, from the per-user cache when it is current."""
    path = data_path(filename)
    return load_cached([path], _parse_yaml, name=f"data-{path.stem}")[0]


def _parse_yaml(path: Path) -> object:
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=safe_loader())


@cache
def routing_stations() -> Mapping[str, frozenset[str]]:
    """Routing indicator -> the FM-line station texts it may carry (normalised)."""
    found: dict[str, set[str]] = {}
    with data_path("routing-indicators.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            found.setdefault(row["ri"].strip(), set()).add(normalise_station(row["station"]))
    return MappingProxyType({ri: frozenset(s) for ri, s in found.items()})


@cache
def tag_vocabulary() -> frozenset[str]:
    """Every known TAGS code (subject, organization, program and country tags)."""
    return frozenset(_lines("tags.txt"))


@cache
def tag_fixes() -> Mapping[str, tuple[str, ...]]:
    """Known bad TAGS token (upper case) -> the code(s) meant."""
    data = _yaml("tag-fixes.yaml")
    if not isinstance(data, dict):
        raise ValueError("tag-fixes.yaml: expected a mapping")
    return MappingProxyType({str(k): tuple(str(v) for v in vals) for k, vals in data.items()})


@cache
def captions() -> tuple[str, ...]:
    """Standalone caption lines (SIPDIS, NOFORN, ...), in file order."""
    return tuple(_lines("captions.txt"))


def _lower_words(words: object) -> tuple[str, ...]:
    return tuple(str(w).lower() for w in words or ())  # type: ignore[attr-defined]


@cache
def lost_accents() -> Mapping[str, LostAccent]:
    """Truncated form -> its entry; case-sensitive forms are keyed exactly as written."""
    data = _yaml("lost-accents.yaml")
    if not isinstance(data, list):
        raise ValueError("lost-accents.yaml: expected a list")
    out: dict[str, LostAccent] = {}
    for item in data:
        entry = LostAccent(
            form=str(item["form"]),
            replacement=str(item["replacement"]),
            case_sensitive=bool(item["case_sensitive"]),
            exempt_next_words=tuple(str(w).lower() for w in item["exempt_next_words"]),
            confirming_previous_words=_lower_words(item.get("confirming_previous_words")),
            confirmed_mid_sentence=bool(item.get("confirmed_mid_sentence", False)),
            next_capitalised=bool(item.get("next_capitalised", False)),
            exempt_previous_words=_lower_words(item.get("exempt_previous_words")),
        )
        if entry.form in out:
            raise ValueError(f"lost-accents.yaml: {entry.form} listed twice")
        out[entry.form] = entry
    return MappingProxyType(out)


@cache
def eo_numbers() -> Mapping[int, tuple[date, date | None]]:
    """Executive order number -> (in force from, until (exclusive) or None if still in force)."""
    data = _yaml("eo-numbers.yaml")
    if not isinstance(data, dict):
        raise ValueError("eo-numbers.yaml: expected a mapping")
    out: dict[int, tuple[date, date | None]] = {}
    for number, span in data.items():
        start, until = span["from"], span["until"]
        if not isinstance(start, date) or not (until is None or isinstance(until, date)):
            raise ValueError(f"eo-numbers.yaml: bad dates for {number}")
        out[int(number)] = (start, until)
    return MappingProxyType(out)


@cache
def words() -> frozenset[str]:
    """The words of cable prose, lower case (words.txt, built from the corpus by
    tools/build_words.py)."""
    return frozenset(_lines("words.txt"))


@cache
def _sorted_words() -> tuple[str, ...]:
    return tuple(sorted(words()))


def is_word(token: str) -> bool:
    """Whether ``token`` (any case) is a word of the word list."""
    return token.lower() in words()


def begins_word(fragment: str) -> bool:
    """Whether ``fragment`` (any case) is the beginning of a longer word of the word list."""
    low = fragment.lower()
    ordered = _sorted_words()
    i = bisect_left(ordered, low)
    if i < len(ordered) and ordered[i] == low:
        i += 1
    return i < len(ordered) and ordered[i].startswith(low)


#: Common suffixes and prefixes of English words (a rare word is a known word with one).
_AFFIXES_TEXT = """
    s es ed d ing al ally ly er ers est ic ical ment ments ness ion ions ist ists ism ity ities
    ive ives ous able ible ful less an ans ian ians ese ship ships ize ized izes izing ise ised
    ization y ies ied
    |
    un non re pre anti dis in im mis over under co inter counter multi post sub super semi self
    cross mid out
"""
_SUFFIX_TEXT, _PREFIX_TEXT = _AFFIXES_TEXT.split("|")
_SUFFIXES = tuple(sorted(_SUFFIX_TEXT.split(), key=len, reverse=True))
_PREFIXES = tuple(_PREFIX_TEXT.split())


def is_word_form(token: str) -> bool:
    """Whether ``token`` is a word of the word list or looks like a form of one: a word with a
    common suffix or prefix (``economical``, ``unelected``), so that a rare word that the list
    lacks is not taken for a fragment."""
    low = token.lower()
    known = words()
    if low in known:
        return True
    for suffix in _SUFFIXES:
        stem = low[: -len(suffix)]
        if low.endswith(suffix) and len(stem) >= 3 and (stem in known or stem + "e" in known):
            return True
    return any(
        low.startswith(prefix) and len(low) - len(prefix) >= 3 and low[len(prefix) :] in known
        for prefix in _PREFIXES
    )
