"""Totality: any text or bytes parse into a model without exception, and every span fits."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cablelint.model.build import build, content_slice
from cablelint.model.cable import Cable, Piece
from cablelint.model.diagnostics import Span
from cablelint.model.source import decode, from_text
from cablelint.support.records import fields, is_record

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
#: Characters that matter to the grammar, so that generated text hits its interesting paths.
_CHARACTERS = list("¶.()/:#- \n\r\tABCDEFNOPRSTUXYZcdeost0123456789,[]*\x00\ufeff\u00a0")
_FRAGMENTS = [
    *("VZCZC", "DE RUEHBS #", "ZNY CCCCC", "TO ", "FM ", "E.O. ", "TAGS: ", "SUBJECT: "),
    *("REF: ", "Classified By: ", "C O N F I D E N T I A L ", "SIPDIS", "¶1. (C) ", "\n\n"),
]
ALPHABET = st.sampled_from([*_CHARACTERS, *_FRAGMENTS])


def spans_of(value: object, seen: set[int], depth: int = 0):
    """Every Span reachable from a model value."""
    if isinstance(value, Span):
        yield value
    elif id(value) in seen or depth > 12 or isinstance(value, str | int | float | bytes):
        return
    elif isinstance(value, tuple | list):
        seen.add(id(value))
        for item in value:
            yield from spans_of(item, seen, depth + 1)
    elif is_record(value):
        seen.add(id(value))
        for field in fields(value):
            # The residue's spans are in the file, not in the cable text: checked on their own.
            if field.name not in ("text", "residue"):
                yield from spans_of(getattr(value, field.name), seen, depth + 1)


def assert_well_formed(cable: Cable) -> None:
    size = len(cable.text)
    for span in spans_of(cable, set()):
        assert 0 <= span.start <= span.end <= size, span
        assert span.line >= 1 and span.column >= 1
    for line in cable.lines:
        assert cable.text[line.span.start : line.span.end] == line.text
    residue = cable.residue
    for node in residue.nodes:  # in the file, of which the cable text is the inside
        assert residue.index is not None
        assert 0 <= node.span.start <= node.span.end <= len(residue.index.text), node
        assert residue.index.span(node.span.start, node.span.end) == node.span
    for piece in spans_of_pieces(cable):  # what its lines say: without trailing blanks and CRs
        assert content_slice(cable.text, piece.span.start, piece.span.end) == piece.text


def spans_of_pieces(cable: Cable):
    header = cable.header
    nodes = [*(header.fields if header else ()), *cable.banners, *cable.metadata]
    for node in nodes:
        for field in fields(node):
            value = getattr(node, field.name)
            if isinstance(value, Piece):
                yield value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_parses(text: str) -> None:
    assert_well_formed(build(from_text(text)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_cable_like_text_parses(text: str) -> None:
    assert_well_formed(build(from_text(text)))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_parse(data: bytes) -> None:
    assert_well_formed(build(decode(data)))


def test_seeded_mutations_of_fixtures_parse() -> None:
    """Insert NUL, BOM, lone CR, CRLF, form feed, pilcrows; delete; truncate: never an error."""
    rng = random.Random(20261123)
    inserts = ["\x00", "\ufeff", "\r", "\r\n", "\x0c", "¶", "\u2028", "\n", " ", "(C)"]
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for _ in range(40):
            mutated = list(text)
            for _ in range(rng.randint(1, 6)):
                pos = rng.randrange(len(mutated) + 1)
                if rng.random() < 0.6:
                    mutated.insert(pos, rng.choice(inserts))
                elif mutated:
                    del mutated[min(pos, len(mutated) - 1)]
            cut = "".join(mutated)[: rng.randint(0, len(mutated))]
            assert_well_formed(build(from_text(cut)))
