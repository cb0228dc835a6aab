"""The derived facts agree with metadata.csv, an independent source, on the real corpus.

For cables that carry a DTG line: reference id, DTG date and hour (metadata minutes are unreliable,
cable-format.md §2 check 17b) and origin; for all cables: classification. Each must agree in at
least 99% of cables. Skipped when ../shared is absent.
"""

from __future__ import annotations

import pytest

from cablelint.model.build import build
from cablelint.model.source import decode

from .corpus import corpus_files, metadata

THRESHOLD = 0.99
#: metadata.csv names the origin office; the FM line names the sender as telegrams do.
OFFICE = {"Embassy": "AMEMBASSY", "Consulate": "AMCONSUL", "Mission": "USMISSION"}
#: Where the two sources spell the same sender differently.
SAME_SENDER = {
    "SECRETARY OF STATE": {"SECSTATE WASHDC"},
    "IRAN RPO DUBAI": {"RPO DUBAI", "IRAN RPO DUBAI"},
    "US INTERESTS SECTION HAVANA": {"USINT HAVANA"},
    "AMEMBASSY KYIV": {"AMEMBASSY KYIV", "AMEMBASSY KIEV"},
    "UNVIE": {"USMISSION UNVIE VIENNA"},
}


def expected_origins(origin: str) -> set[str]:
    office, _, place = origin.partition(" ")
    name = f"{OFFICE.get(office, office)} {place}".upper() if place else origin.upper()
    return SAME_SENDER.get(name, {name}) | SAME_SENDER.get(origin.upper(), set())


@pytest.fixture(scope="module")
def figures() -> dict[str, tuple[int, int]]:
    meta = metadata()
    counts = {"reference_id": [0, 0], "dtg": [0, 0], "origin": [0, 0], "classification": [0, 0]}
    for path in corpus_files():
        cable, row = build(decode(path.read_bytes())), meta[path.stem]
        _count(
            counts["classification"], cable.classification == row["classification"].split("//")[0]
        )
        if cable.header is None or cable.header.dtg is None:
            continue
        _count(counts["reference_id"], cable.reference_id == path.stem)
        dtg = cable.dtg.strftime("%Y-%m-%d %H") if cable.dtg else None
        _count(counts["dtg"], dtg == row["created"][:13])
        _count(counts["origin"], cable.origin in expected_origins(row["origin"]))
    return {key: (hit, total) for key, (hit, total) in counts.items()}


def _count(counter: list[int], agrees: bool) -> None:
    counter[0] += agrees
    counter[1] += 1


@pytest.mark.corpus
@pytest.mark.parametrize("fact", ["reference_id", "dtg", "origin", "classification"])
def test_derived_fact_agrees_with_metadata(figures: dict, fact: str) -> None:
    hit, total = figures[fact]
    print(f"{fact}: {hit}/{total} = {hit / total:.2%}")
    assert total >= 818 if fact != "classification" else total == 880
    assert hit / total >= THRESHOLD
