"""Maintenance script: rebuild routing-indicators.csv and tags.txt, and print the corpus figures.

Not imported by cablelint. Run from the repository root with the shared folder beside it::

    python src/cablelint/data/_derive.py            # print the figures only
    python src/cablelint/data/_derive.py --write    # also rewrite the two generated files

Every correction applied here is listed, with its evidence, in README.md next to this file.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "src" / "cablelint" / "data"
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "reference"
CORPUS = SHARED / "corpus" / "cablegate"

# --- routing indicators -----------------------------------------------------------------------

#: Whole-row replacements: the station as written on the FM (or TO/INFO) lines of the corpus.
ROUTING_REPLACE: dict[str, tuple[str, ...]] = {
    # cable-format.md §6
    "RUEHPS": ("AMEMBASSY PRISTINA",),
    "RUEHLM": ("AMEMBASSY COLOMBO",),
    "RUEHKV": ("AMEMBASSY KIEV", "AMEMBASSY KYIV"),
    "RUEHDIR": ("RPO DUBAI", "IRAN RPO DUBAI"),
    "RUEHBS": ("AMEMBASSY BRUSSELS", "USEU BRUSSELS"),
    # FM spelling of non-embassy stations (DE + FM lines of the corpus)
    "RUEHC": ("SECSTATE WASHDC",),
    "RUEHNO": ("USMISSION USNATO",),
    "RUEHUNV": ("USMISSION UNVIE VIENNA",),
    "RUEHMK": ("AMEMBASSY MANAMA",),
    "RUEHROV": ("AMEMBASSY VATICAN",),
    # TO/INFO addressees of the corpus
    "RUEHVEN": ("USMISSION USOSCE",),
    "RUEHME": ("AMEMBASSY MEXICO",),
    "RUEHZP": ("AMEMBASSY PANAMA",),
    "RUEHGT": ("AMEMBASSY GUATEMALA",),
    "RUEHOS": ("AMCONSUL LAGOS",),
    "RUEHQT": ("AMEMBASSY QUITO",),
    "RUEHPO": ("AMEMBASSY PARAMARIBO",),
    "RUEHPL": ("AMEMBASSY PORT LOUIS",),
    "RUEHYD": ("AMEMBASSY YAOUNDE",),
    "RUEHTA": ("AMEMBASSY ASTANA", "AMEMBASSY ALMATY"),
    "RUEHBN": ("AMCONSUL MELBOURNE",),
    # spelling, no corpus evidence
    "RUEHAFM": ("AMCONSUL MAZAR-E SHARIF",),
    "RUEHVN": ("AMEMBASSY VIENTIANE",),
}

#: Indicators missing from the reference table.
ROUTING_ADD: dict[str, tuple[str, ...]] = {
    "RUEHSB": ("AMEMBASSY HARARE",),
    "RUEHMS": ("AMEMBASSY MUSCAT",),
    "RUEHFRA": ("AMEMBASSY PARIS",),
    "RUEHCG": ("AMCONSUL CHENNAI",),
    "RUEHGH": ("AMCONSUL SHANGHAI",),
    "RUEHJO": ("AMCONSUL JOHANNESBURG",),
}

_TRAILING_CODE = re.compile(r" [A-Z]{2}$")


def reduce_station(name: str) -> str:
    """Reference-table name -> FM-line form (generic rules only)."""
    name = " ".join(name.upper().split())
    name = name.replace("US MISSION ", "USMISSION ").replace("USMISSIN ", "USMISSION ")
    if name.endswith(" WASHINGTON DC"):
        return name[: -len(" WASHINGTON DC")] + " WASHDC"
    if not name.startswith(("AMEMBASSY ", "AMCONSUL ")):
        name = _TRAILING_CODE.sub("", name)
    return name


def build_routing() -> list[tuple[str, str]]:
    rows: set[tuple[str, str]] = set()
    with (REFERENCE / "routing-indicators.csv").open(encoding="utf-8", newline="") as fh:
        for ri, name in csv.reader(fh):
            if not ri.startswith("RUEH"):
                continue
            if ri in ROUTING_REPLACE:
                rows.update((ri, s) for s in ROUTING_REPLACE[ri])
            else:
                rows.add((ri, reduce_station(name)))
    for ri, stations in ROUTING_ADD.items():
        assert not any(r == ri for r, _ in rows), ri
        rows.update((ri, s) for s in stations)
    return sorted(rows)


def de_fm_pairs() -> list[tuple[str, str, str]]:
    """(file, DE routing indicator, FM text) for every shape-A cable."""
    out = []
    de_re = re.compile(r"^DE (R[A-Z]{3,6}) #")
    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            m = de_re.match(line)
            if m:
                fm = next((x for x in lines[i + 1 : i + 6] if x.startswith("FM ")), None)
                if fm is not None:
                    out.append((path.name, m.group(1), fm[3:]))
                break
    return out


# --- tags -------------------------------------------------------------------------------------

_LABEL = re.compile(r"(?:^|\s)(TAGS|Tags|TAG)\b:?\s*(.*)$")
_EO = re.compile(r"\b(E\.O\.?|EO|E\.o\.) ?1\d{4}")
_STOP = re.compile(r"^(SUBJ|SUBJECT|REF|Classified|CLASSIFIED|E\.O\.|1\. |¶)")
_CONT = re.compile(r"^[A-Z][A-Z0-9 ,_/()-]*$")


def tags_tokens(text: str) -> list[str] | None:
    """The TAGS field's tokens, upper-cased, parenthesised names removed; None without TAGS."""
    lines = text.split("\n")
    for i, line in enumerate(lines[:80]):
        m = _LABEL.search(line)
        if m and (line.startswith(m.group(1)) or _EO.search(line)):
            parts = [m.group(2)]
            for nxt in lines[i + 1 :]:
                if not nxt.strip() or _STOP.match(nxt) or not _CONT.match(nxt):
                    break
                parts.append(nxt)
            field = re.sub(r"\([^)]*\)", " ", " ".join(parts))
            return [t.upper() for t in re.split(r"[,\s]+", field) if t]
    return None


def corpus_tag_cables() -> dict[str, set[str]]:
    per: dict[str, set[str]] = defaultdict(set)
    for path in sorted(CORPUS.glob("*.txt")):
        toks = tags_tokens(path.read_text(encoding="utf-8"))
        for t in toks or ():
            per[t].add(path.name)
    return per


def build_tags() -> tuple[list[str], Counter[str]]:
    def read(name: str) -> set[str]:
        text = (REFERENCE / name).read_text(encoding="utf-8")
        return {x.strip() for x in text.splitlines() if x.strip()}

    vocab = read("subject-tags.txt") | read("organization-tags.txt")
    kinds: Counter[str] = Counter(reference=len(vocab))
    fixes = set(load_fix_keys())
    for tag, cables in corpus_tag_cables().items():
        if tag in vocab or tag in fixes:
            continue
        if re.fullmatch(r"K[A-Z]{3}", tag):
            kinds["program"] += 1
        elif re.fullmatch(r"[A-Z]{2}", tag):
            kinds["country"] += 1
        elif len(cables) >= 2:
            kinds["other"] += 1
        else:
            continue
        vocab.add(tag)
    return sorted(vocab), kinds


def load_fix_keys() -> list[str]:
    import yaml

    data = yaml.safe_load((HERE / "tag-fixes.yaml").read_text(encoding="utf-8"))
    return list(data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"no shared folder at {SHARED}", file=sys.stderr)
        return 1

    routing = build_routing()
    vocab, kinds = build_tags()
    if args.write:
        with (HERE / "routing-indicators.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["ri", "station"])
            w.writerows(routing)
        header = (
            "# TAGS vocabulary: reference subject tags + organization tags, plus the program tags "
            "(K + 3 letters) and country/region tags (2 letters, FIPS 10-4 style) seen in corpus "
            "TAGS fields, plus any other code seen in >= 2 corpus cables. Built by _derive.py.\n"
        )
        (HERE / "tags.txt").write_text(header + "".join(f"{t}\n" for t in vocab), "utf-8")

    stations: dict[str, set[str]] = defaultdict(set)
    for ri, st in routing:
        stations[ri].add(st)
    pairs = de_fm_pairs()
    bad = [p for p in pairs if p[2] not in stations.get(p[1], ())]
    print(f"routing rows {len(routing)}, indicators {len(stations)}")
    print(f"DE/FM check: {len(pairs) - len(bad)}/{len(pairs)} hold; failures: {bad}")
    print(f"tags: {len(vocab)} codes; added {dict(kinds)}")
    vocab_set, fixes = set(vocab), set(load_fix_keys())
    unknown: dict[str, list[str]] = defaultdict(list)
    for tag, cables in corpus_tag_cables().items():
        if tag not in vocab_set and tag not in fixes:
            for c in cables:
                unknown[c].append(tag)
    n = len(list(CORPUS.glob("*.txt")))
    print(f"cables with an unknown tag: {len(unknown)}/{n} ({100 * len(unknown) / n:.2f}%)")
    for c in sorted(unknown):
        print(f"  {c}: {sorted(unknown[c])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
