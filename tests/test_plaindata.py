"""plaindata: the per-user cache's JSON holds plain data only, and reads back exactly."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import pytest

from cablelint.model.diagnostics import Severity
from cablelint.support.plaindata import TAG, Codec, NotPlainData
from cablelint.support.records import field, record


class Pair(NamedTuple):
    left: int
    right: tuple[str, ...]


@record
class Item:
    name: str
    tags: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


CODEC = Codec([Pair, Item, Severity])

VALUES = [
    None,
    True,
    3,
    -2.5,
    "text ¶ \0 with a NUL",
    [1, [2, (3, "x")]],
    {"a": 1, "b": [None, False]},
    {1: "int keys", 2: {"nested": ()}},
    {("examples", 0, "text"): 12},  # tuple keys, as a Document's lines
    {TAG: "a key that is the tag itself"},
    frozenset({"TAG", "WORD"}),
    MappingProxyType({"scope": "line", "words": ("a", "b")}),
    Path("/rules/CBL001.yaml"),
    date(2009, 1, 2),
    datetime(2009, 1, 2, 3, 4, 5),
    time(12, 30),
    Pair(1, ("a", "b")),
    Item("x", ("y",), {"options": (1.5, "z")}),
    Severity.WARNING,
    [Severity.ERROR, {"severity": Severity.INFO}],
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_plain_data_reads_back_equal_and_of_the_same_types(value: object) -> None:
    back = CODEC.loads(CODEC.dumps(value))
    assert back == value
    assert _types(back) == _types(value)


def _types(value: object) -> object:
    if isinstance(value, dict | MappingProxyType):
        return (type(value), [(_types(k), _types(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value), [_types(item) for item in value])
    return type(value)


class Other(NamedTuple):
    value: int


@pytest.mark.parametrize(
    "value",
    [
        lambda: None,  # code
        {1, 2},  # a mutable set
        b"bytes",
        Other(1),  # a NamedTuple the codec was not given
        [object()],
        {"nan": float("nan")},  # does not read back equal to itself
    ],
    ids=repr,
)
def test_anything_else_is_refused(value: object) -> None:
    with pytest.raises(NotPlainData):
        CODEC.dumps(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"\\u0000": "os.system", "items": ["true"]}',  # a class the codec was not given
        '{"\\u0000": "Other", "items": [1]}',
        '{"\\u0000": "Item", "fields": {"name": "x", "unknown": 1}}',  # a field it lacks
        '{"\\u0000": "Severity", "value": 9}',  # not one of the enum's values
        '{"\\u0000": "date", "value": "2009-13-45"}',
        '{"\\u0000": "tuple"}',
    ],
)
def test_a_document_that_is_not_plain_data_is_refused(text: str) -> None:
    with pytest.raises(NotPlainData):
        CODEC.loads(text)


def test_the_json_names_only_the_codec_s_classes_and_plain_kinds() -> None:
    text = CODEC.dumps([Item("x"), Pair(1, ()), {2: date(2000, 1, 1)}])
    kinds: set[str] = set()
    json.loads(text, object_hook=lambda obj: kinds.add(obj.get(TAG, "object")) or obj)
    assert kinds == {"Item", "Pair", "tuple", "dict", "date", "object"}


def test_the_same_value_gives_the_same_text() -> None:
    """A frozenset's items are written sorted: the text does not depend on the hash seed."""
    assert CODEC.dumps(frozenset(["b", "a", "c"])) == CODEC.dumps(frozenset(["c", "b", "a"]))
