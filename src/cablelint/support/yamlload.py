"""Line-aware YAML loading and one-line located errors ("file:line: key: problem")."""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NoReturn

from cablelint.support.records import field, record

Keys = tuple[str | int, ...]
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
#: Bounds on what cablelint reads as configuration or data (YAML, TOML, JSON): a file this size
#: parses in well under a second, and a bomb is refused before it is built.
MAX_BYTES = 1024 * 1024
MAX_ALIAS_VALUES = 10_000  # values that aliases may add to a document
MAX_DEPTH = 64
MAX_INT_DIGITS = 20  # 2**64 has 20 digits


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
    """Read ``path``; syntax errors, duplicate keys and non-string keys raise ``error``, as do
    a file over :data:`MAX_BYTES` and the bombs :func:`parse_yaml` refuses."""
    name = name or str(path)
    text = read_bounded(path, name, error)
    return parse_yaml(text, name, error)


def read_bounded(path: Path, name: str, error: type[LocatedError], limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a configuration or data file of at most ``limit`` bytes (a larger
    file, a device or a FIFO is refused before anything much is read)."""
    try:
        with open(path, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise error(name, "", "not a regular file")
            data = file.read(limit + 1)
        if len(data) > limit:
            raise error(name, "", f"file is larger than {limit // 1024} KiB")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(name, "", f"cannot read file: {exc}") from None


@cache
def safe_loader() -> type:
    """PyYAML's safe loader, the libyaml one when available; PyYAML is imported on first use
    (a pre-commit run whose rules come from the spec cache never needs it)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, name: str, error: type[LocatedError]) -> Document:
    """Parse one YAML document with PyYAML's safe loader, refusing what could make it explode:
    a recursive alias, aliases that expand to more than :data:`MAX_ALIAS_VALUES` extra values,
    nesting deeper than :data:`MAX_DEPTH` and integers longer than :data:`MAX_INT_DIGITS`."""
    import yaml

    loader = safe_loader()(text)
    try:
        node = loader.get_single_node()
        lines: dict[Keys, int] = {(): node.start_mark.line + 1} if node else {}
        if node is not None:
            _check_graph(node, name, error)
        data = _convert(loader, node, (), lines, name, error) if node else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise error(f"{name}{line}", "", f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise error(name, "", f"invalid YAML: {exc}") from None
    except RecursionError:  # the pure-Python composer on deep nesting (libyaml stops at 1000)
        raise error(name, "", f"nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    return Document(name, data, lines)


def _check_graph(root, name: str, error: type[LocatedError]) -> None:
    """Walk the composed node graph once (iteratively, each node once): an alias is a shared
    node, so the values it would expand to are counted, not built."""
    import yaml

    # Nodes are keys as themselves: yaml's nodes compare and hash by identity, and a key keeps
    # its node alive (an id() could be reused by another node once the first is freed).
    size: dict[yaml.Node, int] = {}  # node -> values it expands to; present once finished
    active: set[yaml.Node] = set()  # nodes on the current path (an alias back to one: a cycle)
    distinct = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        where = f"{name}:{node.start_mark.line + 1}"
        children = _children(node, yaml)
        if done:
            active.discard(node)
            size[node] = 1 + sum(size[child] for child in children)
            if size[node] - distinct > MAX_ALIAS_VALUES:
                problem = f"aliases expand to more than {MAX_ALIAS_VALUES:,} values"
                raise error(where, "", problem)
            continue
        if node in active:
            raise error(where, "", "recursive alias (a node that contains itself)")
        if node in size:
            continue
        if depth > MAX_DEPTH:
            raise error(where, "", f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode) and node.tag == _INT_TAG:
            digits = sum(c.isalnum() for c in node.value)
            if digits > MAX_INT_DIGITS:
                raise error(where, "", f"integer too large ({digits} digits)")
        distinct += 1
        active.add(node)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in reversed(children))


def check_bounds(doc: Document, error: type[LocatedError]) -> None:
    """The bounds of :func:`parse_yaml` on data parsed otherwise (TOML, JSON): nesting depth
    and integer length, located by ``doc``'s lines."""
    stack: list[tuple[Keys, object]] = [((), doc.data)]
    while stack:
        keys, value = stack.pop()
        if len(keys) > MAX_DEPTH:
            raise error(doc.where(keys), "", f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) >= 10**MAX_INT_DIGITS:
                doc.fail(error, keys, "integer too large")
        elif isinstance(value, dict):
            stack.extend(((*keys, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*keys, i), v) for i, v in enumerate(value))


def _children(node, yaml) -> list:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


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
