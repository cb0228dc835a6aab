"""Line-aware YAML loading and one-line located errors ("file:line: key: problem")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NoReturn

from cablelint.support.records import field, record

Keys = tuple[str | int, ...]
_STR_TAG = "tag:yaml.org,2002:str"


class LocatedError(Exception):
    """A configuration problem rendered on one line: ``where: key: problem (did you mean 'x'?)``."""

    def __init__(self, where: str, key: str, problem: str, hint: str | None = None) -> None:
        self.where, self.key, self.problem, self.hint = where, key, problem, hint
        text = ": ".join(part for part in (where, key, problem) if part)
        if hint:
            text += f" (did you mean '{hint}'?)"
        super().__init__(text)


def did_you_mean(word: object, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most similar to ``word`` or its upper case (difflib ratio >= ``cutoff``).

    Ties go to the candidate made of the same letters (a transposition), then to the first.
    """
    import difflib  # here: only a mistake needs it

    probes = {str(word), str(word).upper()}
    best, best_key = None, (cutoff, -1_000)
    for candidate in candidates:
        matcher = difflib.SequenceMatcher(None, b=candidate)
        for probe in probes:
            matcher.set_seq1(probe)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            key = (matcher.ratio(), -_letter_distance(probe, candidate))
            if key > best_key or (best is None and key >= best_key):
                best, best_key = candidate, key
    return best


def _letter_distance(a: str, b: str) -> int:
    ca, cb = Counter(a), Counter(b)
    return (ca - cb).total() + (cb - ca).total()


def key_text(keys: Keys) -> str:
    """``("examples", "fail", 0, "text")`` -> ``examples.fail[0].text``."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


@record
class Document:
    """Parsed YAML plus the 1-based line of every mapping key and sequence item."""

    name: str
    data: object
    lines: dict[Keys, int] = field(default_factory=dict)

    def line(self, keys: Keys) -> int:
        """Line of ``keys``, or of its nearest located ancestor."""
        while keys not in self.lines and keys:
            keys = keys[:-1]
        return self.lines.get(keys, 1)

    def where(self, keys: Keys = ()) -> str:
        return f"{self.name}:{self.line(keys)}"

    def fail(
        self, error: type[LocatedError], keys: Keys, problem: str, hint: str | None = None
    ) -> NoReturn:
        raise error(self.where(keys), key_text(keys), problem, hint)


def load_yaml(path: Path, error: type[LocatedError], name: str | None = None) -> Document:
    """Read ``path``; syntax errors, duplicate keys and non-string keys raise ``error``."""
    name = name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(name, "", f"cannot read file: {exc}") from None
    return parse_yaml(text, name, error)


@cache
def safe_loader() -> type:
    """PyYAML's safe loader, the libyaml one when available; PyYAML is imported on first use
    (a pre-commit run whose rules come from the spec cache never needs it)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, name: str, error: type[LocatedError]) -> Document:
    import yaml

    loader = safe_loader()(text)
    try:
        node = loader.get_single_node()
        lines: dict[Keys, int] = {(): node.start_mark.line + 1} if node else {}
        data = _convert(loader, node, (), lines, name, error) if node else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise error(f"{name}{line}", "", f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise error(name, "", f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return Document(name, data, lines)


def _convert(loader, node, keys: Keys, lines, name, error) -> object:
    import yaml

    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            where = f"{name}:{key_node.start_mark.line + 1}"
            if not isinstance(key, str):
                raise error(where, key_text(keys), f"mapping key {key!r} is not a string")
            if key in out:
                raise error(where, key_text((*keys, key)), "duplicate key")
            lines[(*keys, key)] = key_node.start_mark.line + 1
            out[key] = _convert(loader, value_node, (*keys, key), lines, name, error)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*keys, index)] = item.start_mark.line + 1
            items.append(_convert(loader, item, (*keys, index), lines, name, error))
        return items
    if node.tag == _STR_TAG:  # the common case, without the constructor's bookkeeping
        return node.value
    return loader.construct_object(node)


def type_name(value: object) -> str:
    """``a string``, ``an integer``… for "expected X, got Y" messages."""
    if isinstance(value, bool):
        return "a boolean"
    names = {
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


@record
class Checker:
    """Type and key checks over a located document that raise ``error`` with file and line."""

    doc: Document
    error: type[LocatedError]

    def fail(self, keys: Keys, problem: str, hint: str | None = None) -> NoReturn:
        self.doc.fail(self.error, keys, problem, hint)

    def expect(self, value: object, keys: Keys, kind: type | tuple[type, ...], what: str) -> None:
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            self.fail(keys, f"expected {what}, got {type_name(value)}")

    def mapping(self, value: object, keys: Keys) -> dict:
        self.expect(value, keys, dict, "a mapping")
        return value  # type: ignore[return-value]

    def known_keys(
        self, value: dict, keys: Keys, allowed: Iterable[str], required: Iterable[str] = ()
    ) -> None:
        allowed = list(allowed)
        for key in value:
            if key not in allowed:
                self.fail((*keys, key), "unknown key", did_you_mean(key, allowed))
        for key in required:
            if key not in value:
                self.fail((*keys, key), "missing required key")

    def string(self, value: object, keys: Keys) -> str:
        self.expect(value, keys, str, "a string")
        return value  # type: ignore[return-value]

    def boolean(self, value: object, keys: Keys) -> bool:
        self.expect(value, keys, bool, "a boolean")
        return value  # type: ignore[return-value]

    def strings(self, value: object, keys: Keys) -> tuple[str, ...]:
        self.expect(value, keys, list, "a list of strings")
        for index, item in enumerate(value):  # type: ignore[arg-type]
            self.expect(item, (*keys, index), str, "a string")
        return tuple(value)  # type: ignore[arg-type]

    def choice(self, value: object, keys: Keys, choices: Iterable[str]) -> str:
        choices = list(choices)
        if value not in choices:
            shown = ", ".join(choices)
            self.fail(keys, f"{value!r} is not one of {shown}", did_you_mean(value, choices))
        return value  # type: ignore[return-value]


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
