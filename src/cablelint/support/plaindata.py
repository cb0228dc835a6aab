"""Plain data as JSON, exactly: the format of the per-user cache.

JSON cannot carry code: reading an entry builds only JSON's own values and, for a tagged
object, one of a few fixed kinds (tuple, frozenset, read-only mapping, path, date, time) or an
instance of a class the caller names (a record or NamedTuple of plain data, or an enum),
made with its own constructor from decoded fields. A value holding anything else cannot be
written (:class:`NotPlainData`); a document that does not decode is :class:`NotPlainData` too.

Lists, ``str``-keyed dicts, strings, numbers, booleans and None are themselves; a tagged object
is ``{"\\u0000": kind, ...}`` (a dict whose keys are not all strings, or that holds that key
itself, is tagged too). :func:`dumps` checks that its output reads back equal to its input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path, PurePath
from types import MappingProxyType

from cablelint.support.records import fields, is_record

TAG = "\0"
_NATIVE = (str, int, float, bool, type(None))


class NotPlainData(ValueError):
    """A value that is not plain data, or a document that does not decode to it."""


class Codec:
    """JSON of plain data and of instances of ``classes`` (records, NamedTuples, enums)."""

    def __init__(self, classes: Iterable[type] = ()) -> None:
        self.classes: dict[str, type] = {}
        for cls in classes:
            if self.classes.setdefault(cls.__qualname__, cls) is not cls:
                raise ValueError(f"two classes named {cls.__qualname__}")

    # ---- writing --------------------------------------------------------------------------
    def dumps(self, value: object) -> str:
        """``value`` as JSON; NotPlainData if it holds anything else, or does not read back
        equal to itself."""
        try:
            text = json.dumps(self._encode(value), ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError) as exc:
            raise NotPlainData(str(exc)) from None
        if self.loads(text) != value:
            raise NotPlainData("the value does not read back equal to itself")
        return text

    def _encode(self, value: object) -> object:
        kind = type(value)
        if kind in _NATIVE:
            return value
        if kind is list:
            return [self._encode(item) for item in value]  # type: ignore[attr-defined]
        if kind is dict:
            if all(type(key) is str for key in value) and TAG not in value:  # type: ignore[attr-defined]
                return {key: self._encode(item) for key, item in value.items()}  # type: ignore[attr-defined]
            return {TAG: "dict", "items": self._pairs(value.items())}  # type: ignore[attr-defined]
        if kind is tuple:
            return {TAG: "tuple", "items": [self._encode(item) for item in value]}  # type: ignore[attr-defined]
        if kind is frozenset:
            return {TAG: "frozenset", "items": [self._encode(item) for item in _ordered(value)]}
        if kind is MappingProxyType:
            return {TAG: "proxy", "value": self._encode(dict(value))}  # type: ignore[call-overload]
        if isinstance(value, PurePath) and kind is type(Path()):
            return {TAG: "path", "value": str(value)}
        if kind in (date, datetime, time):
            return {TAG: kind.__name__, "value": value.isoformat()}  # type: ignore[attr-defined]
        name = kind.__qualname__
        if self.classes.get(name) is not kind:
            raise NotPlainData(f"{name} is not plain data")
        if isinstance(value, Enum):
            return {TAG: name, "value": self._encode(value.value)}
        if is_record(value):
            if not all(f.init for f in fields(value)):
                raise NotPlainData(f"{name} has a field its constructor does not take")
            items = {f.name: self._encode(getattr(value, f.name)) for f in fields(value)}
            return {TAG: name, "fields": items}
        if isinstance(value, tuple) and hasattr(kind, "_fields"):
            return {TAG: name, "items": [self._encode(item) for item in value]}
        raise NotPlainData(f"{name} is not plain data")

    def _pairs(self, items: Iterable[tuple[object, object]]) -> list[list[object]]:
        return [[self._encode(key), self._encode(item)] for key, item in items]

    # ---- reading --------------------------------------------------------------------------
    def loads(self, text: str) -> object:
        """The value :meth:`dumps` wrote; NotPlainData when ``text`` is not such a document."""
        try:
            return json.loads(text, object_hook=self._hook)
        except NotPlainData:
            raise
        except Exception as exc:  # not JSON, or a constructor refused what it was given
            raise NotPlainData(str(exc)) from None

    def _hook(self, obj: dict) -> object:
        tag = obj.get(TAG)
        if tag is None:
            return obj
        build = _KINDS.get(tag)
        if build is not None:
            return build(obj)
        cls = self.classes.get(tag)
        if cls is None:
            raise NotPlainData(f"unknown kind {tag!r}")
        if issubclass(cls, Enum):
            return cls(obj["value"])
        if "fields" in obj:
            return cls(**obj["fields"])
        return cls(*obj["items"])


def _ordered(items: frozenset) -> list:
    """The set's items sorted, if they can be (the same text in every process), else as they
    come."""
    try:
        return sorted(items)
    except TypeError:
        return list(items)


def _dict(obj: dict) -> dict:
    return {key: item for key, item in obj["items"]}


_KINDS: dict[str, Callable[[dict], object]] = {
    "dict": _dict,
    "tuple": lambda obj: tuple(obj["items"]),
    "frozenset": lambda obj: frozenset(obj["items"]),
    "proxy": lambda obj: MappingProxyType(obj["value"]),
    "path": lambda obj: Path(obj["value"]),
    "date": lambda obj: date.fromisoformat(obj["value"]),
    "datetime": lambda obj: datetime.fromisoformat(obj["value"]),
    "time": lambda obj: time.fromisoformat(obj["value"]),
}
