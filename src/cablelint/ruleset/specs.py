"""Rule specifications: load and strictly validate ``rules/CBLnnn.yaml`` (one file per rule)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType

from cablelint.model.diagnostics import Severity
from cablelint.ruleset.userregex import FLAGS, compile_pattern
from cablelint.support.records import field, record, replace
from cablelint.support.resources import rule_files
from cablelint.support.yamlload import (
    Checker,
    Keys,
    LocatedError,
    did_you_mean,
    key_text,
    load_yaml,
    type_name,
)

FAMILIES = ("tool", "header", "banner", "metadata", "paragraph", "text", "document", "custom")
KINDS = ("python", "pattern", "substitution", "vocabulary", "required")
FIXES = ("none", "safe", "unsafe")
SEVERITIES = ("error", "warning", "info")
OPTION_TYPES = ("bool", "int", "float", "str", "list", "regex")
SCOPES = (
    "line", "header", "transmission-id", "routing", "de", "zn", "dtg", "fm", "to", "info",
    "dateline", "banner", "caption", "passline", "eo", "tags", "subject", "ref", "classified-by",
    "paragraph", "body", "signature",
)  # fmt: skip
CODE_RE = re.compile(r"CBL\d{3}")
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
DEFAULT_TOKEN_REGEX = "[A-Za-z0-9]+"

_REQUIRED = ("code", "name", "family", "summary", "rationale", "severity", "enabled")
_PYTHON_REQUIRED = ("targets", "fix", "examples")
#: ``notes``: measurements and sources for maintainers; ``explain`` does not show them.
_OPTIONAL = ("aliases", "kind", "targets", "fix", "fix_title", "options", "examples", "notes")
# kind -> {key: required?}; and the placeholders each kind's message may use.
_DECLARATIVE: dict[str, dict[str, bool]] = {
    "python": {},
    "pattern": {"scope": True, "regex": True, "mode": False, "message": True, "flags": False},
    "substitution": {"scope": True, "substitutions": True, "ignorecase": False, "message": False},
    "vocabulary": {
        "scope": True,
        "token_regex": False,
        "words": False,
        "file": False,
        "ignorecase": False,
        "message": False,
    },
    "required": {"scope": True, "message": False},
}
_PLACEHOLDERS = {
    "pattern": ("match",),
    "substitution": ("match", "replacement"),
    "vocabulary": ("match", "suggestion"),
    "required": (),
}
_EXPECTED = {
    "bool": "a boolean",
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "regex": "a regular expression string",
    "list": "a list of scalars",
}


class SpecError(LocatedError):
    """An invalid rule specification (or option value): ``file:line: key: problem``."""


@record
class OptionSpec:
    name: str
    type: str
    default: object
    doc: str
    choices: tuple | None = None


@record
class RuleSpec:
    code: str
    name: str
    aliases: tuple[str, ...]
    family: str
    summary: str
    rationale: str
    severity: Severity
    enabled: bool
    targets: tuple[str, ...]
    kind: str
    fix: str
    fix_title: str | None
    options: Mapping[str, OptionSpec]
    examples: Mapping[str, tuple[dict, ...]]
    declarative: Mapping[str, object]
    path: Path
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> str:
        """``file:line`` of a top-level key of this spec (for error messages)."""
        return f"{self.path}:{self.key_lines.get(key, 1)}"


def coerce_option(type_: str, value: object) -> object:
    """Type-check one option value; returns it normalised (float, tuple) or raises ValueError."""
    scalar = not isinstance(value, bool)
    if type_ == "bool":
        ok = not scalar
    elif type_ in ("int", "float"):
        ok = scalar and isinstance(value, int if type_ == "int" else int | float)
    elif type_ == "list":
        ok = isinstance(value, list | tuple) and all(
            isinstance(v, str | int | float) for v in value
        )
    else:  # str, regex
        ok = isinstance(value, str)
    if not ok:
        raise ValueError(f"expected {_EXPECTED[type_]}, got {type_name(value)}")
    if type_ == "regex":
        _compile(value)  # type: ignore[arg-type]
    return float(value) if type_ == "float" else tuple(value) if type_ == "list" else value  # type: ignore[arg-type]


def _compile(pattern: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None


def _check_choice(option: OptionSpec, value: object) -> None:
    if option.choices is None:
        return
    for item in value if option.type == "list" else (value,):  # type: ignore[union-attr]
        if item not in option.choices:
            shown = ", ".join(map(str, option.choices))
            raise ValueError(
                f"{item!r} is not one of {shown}", did_you_mean(item, map(str, option.choices))
            )


def validate_options(
    spec: RuleSpec,
    values: Mapping,
    where: str | Callable[[str], str],
    *,
    prefix: Keys = (),
) -> dict[str, object]:
    """Type-check user option ``values`` against ``spec`` and fill defaults.

    ``where`` is ``file:line`` (or ``--select``), or a function giving it per option name;
    ``prefix`` is prepended to the option name in messages (``rules.CBL204.max-length``).
    """
    locate = where if callable(where) else (lambda _name: where)
    result = {name: option.default for name, option in spec.options.items()}
    for name, value in values.items():
        option = spec.options.get(name)
        if option is None:
            hint = did_you_mean(name, spec.options)
            problem = f"unknown option for {spec.code} ({spec.name})"
            raise SpecError(locate(name), key_text((*prefix, name)), problem, hint)
        try:
            result[name] = coerce_option(option.type, value)
            _check_choice(option, result[name])
        except ValueError as exc:
            hint = exc.args[1] if len(exc.args) > 1 else None
            raise SpecError(locate(name), key_text((*prefix, name)), exc.args[0], hint) from None
    return result


class _SpecReader:
    """Validates one parsed spec file, key by key, in a fixed order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = load_yaml(path, SpecError)
        self.check = Checker(self.doc, SpecError)

    def read(self) -> RuleSpec:
        check, data = self.check, self.check.mapping(self.doc.data, ())
        kind = check.choice(data.get("kind", "python"), ("kind",), KINDS)
        self._check_keys(data, kind)
        code = self._code(data["code"])
        name = self._name(data["name"], ("name",))
        aliases = check.strings(data.get("aliases", []), ("aliases",))
        for index, alias in enumerate(aliases):
            self._name(alias, ("aliases", index))
            if alias == name:
                check.fail(("aliases", index), "an alias must differ from the rule's name")
        declarative = self._declarative(data, kind)
        fix = self._fix(data, kind)
        options = self._options(data.get("options", {}))
        partial = RuleSpec(
            code=code,
            name=name,
            aliases=aliases,
            family=check.choice(data["family"], ("family",), FAMILIES),
            summary=self._summary(data["summary"]),
            rationale=self._prose(data["rationale"], ("rationale",)),
            severity=Severity.parse(check.choice(data["severity"], ("severity",), SEVERITIES)),
            enabled=check.boolean(data["enabled"], ("enabled",)),
            targets=self._targets(data, declarative),
            kind=kind,
            fix=fix,
            fix_title=self._fix_title(data.get("fix_title")),
            options=MappingProxyType(options),
            examples=MappingProxyType({}),
            declarative=MappingProxyType(declarative),
            path=self.path,
            key_lines=MappingProxyType({k: self.doc.line((k,)) for k in data}),
        )
        if "notes" in data:
            self._prose(data["notes"], ("notes",))
        examples = self._examples(data.get("examples", {"fail": [], "pass": []}), partial)
        return replace(partial, examples=MappingProxyType(examples))

    def _check_keys(self, data: dict, kind: str) -> None:
        allowed = (*_REQUIRED, *_OPTIONAL, *_DECLARATIVE[kind])
        for key in data:
            if key in allowed:
                continue
            owners = [k for k, keys in _DECLARATIVE.items() if key in keys]
            if owners:
                problem = f"not allowed for kind '{kind}' (only for {', '.join(owners)})"
                self.check.fail((key,), problem)
        required = (*_REQUIRED, *(_PYTHON_REQUIRED if kind == "python" else ()))
        required += tuple(k for k, needed in _DECLARATIVE[kind].items() if needed)
        self.check.known_keys(data, (), allowed, required)

    def _code(self, value: object) -> str:
        code = self.check.string(value, ("code",))
        if not CODE_RE.fullmatch(code):
            self.check.fail(("code",), f"'{code}' is not CBL followed by 3 digits")
        if code != self.path.stem:
            self.check.fail(("code",), f"'{code}' does not match the file name '{self.path.name}'")
        return code

    def _name(self, value: object, keys: Keys) -> str:
        name = self.check.string(value, keys)
        if not NAME_RE.fullmatch(name):
            self.check.fail(keys, f"'{name}' is not kebab-case (lower-case words joined by '-')")
        return name

    def _prose(self, value: object, keys: Keys) -> str:
        text = self.check.string(value, keys).strip()
        if not text:
            self.check.fail(keys, "must not be empty")
        return text

    def _summary(self, value: object) -> str:
        text = self._prose(value, ("summary",))
        if "\n" in text:
            self.check.fail(("summary",), "must be a single line")
        return text

    def _fix_title(self, value: object) -> str | None:
        return None if value is None else self._prose(value, ("fix_title",))

    def _fix(self, data: dict, kind: str) -> str:
        default = "safe" if kind == "substitution" else "none"
        fix = self.check.choice(data.get("fix", default), ("fix",), FIXES)
        if fix != "none" and kind in ("pattern", "required"):
            self.check.fail(("fix",), f"kind '{kind}' cannot fix; use 'none'")
        return fix

    def _targets(self, data: dict, declarative: dict) -> tuple[str, ...]:
        if "targets" not in data:
            return (declarative["scope"],)
        targets = self.check.strings(data["targets"], ("targets",))
        if not targets:
            self.check.fail(("targets",), "must list at least one target")
        return targets

    def _options(self, value: object) -> dict[str, OptionSpec]:
        check, out = self.check, {}
        for name, raw in check.mapping(value, ("options",)).items():
            keys: Keys = ("options", name)
            self._name(name, keys)
            check.known_keys(
                check.mapping(raw, keys),
                keys,
                ("type", "default", "doc", "choices"),
                ("type", "default", "doc"),
            )
            type_ = check.choice(raw["type"], (*keys, "type"), OPTION_TYPES)
            choices = None
            if "choices" in raw:
                check.expect(raw["choices"], (*keys, "choices"), list, "a list")
                choices = tuple(
                    self._coerce(type_ if type_ != "list" else "str", v, (*keys, "choices", i))
                    for i, v in enumerate(raw["choices"])
                )
            option = OptionSpec(name, type_, None, self._prose(raw["doc"], (*keys, "doc")), choices)
            default = self._coerce(type_, raw["default"], (*keys, "default"))
            try:
                _check_choice(option, default)
            except ValueError as exc:
                check.fail((*keys, "default"), exc.args[0], exc.args[1])
            out[name] = OptionSpec(name, type_, default, option.doc, choices)
        return out

    def _coerce(self, type_: str, value: object, keys: Keys) -> object:
        try:
            return coerce_option(type_, value)
        except ValueError as exc:
            self.check.fail(keys, str(exc))

    def _declarative(self, data: dict, kind: str) -> dict[str, object]:
        if kind == "python":
            return {}
        check = self.check
        out: dict[str, object] = {"scope": check.choice(data["scope"], ("scope",), SCOPES)}
        message = data.get("message")
        if message is not None or kind == "pattern":
            out["message"] = self._message(message, kind)
        else:
            out["message"] = None
        return getattr(self, f"_{kind}")(data, out)

    def _message(self, value: object, kind: str) -> str:
        text = self._prose(value, ("message",))
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as exc:
            self.check.fail(("message",), f"invalid format string: {exc}")
        allowed = _PLACEHOLDERS[kind]
        for name in sorted(fields):
            if name not in allowed:
                shown = ", ".join("{" + a + "}" for a in allowed) or "none"
                self.check.fail(
                    ("message",),
                    f"unknown placeholder {{{name}}} (allowed: {shown})",
                    did_you_mean(name, allowed),
                )
        return text

    def _pattern(self, data: dict, out: dict) -> dict:
        check = self.check
        out["mode"] = check.choice(data.get("mode", "forbid"), ("mode",), ("forbid", "require"))
        flags = check.strings(data.get("flags", []), ("flags",))
        for index, flag in enumerate(flags):
            check.choice(flag, ("flags", index), FLAGS)
        out["flags"] = flags
        out["regex"] = self._regex(data["regex"], ("regex",), flags)
        return out

    def _regex(self, value: object, keys: Keys, flags: Sequence[str] = ()) -> str:
        """A user pattern, checked by the engine that runs it (userregex: ``regex``)."""
        text = self.check.string(value, keys)
        try:
            compile_pattern(text, flags)
        except ValueError as exc:
            self.check.fail(keys, str(exc))
        return text

    def _substitution(self, data: dict, out: dict) -> dict:
        check, keys = self.check, ("substitutions",)
        table = check.mapping(data["substitutions"], keys)
        if not table:
            check.fail(keys, "must list at least one substitution")
        for wrong, right in table.items():
            check.string(right, (*keys, wrong))
        out["substitutions"] = MappingProxyType(dict(table))
        out["ignorecase"] = check.boolean(data.get("ignorecase", False), ("ignorecase",))
        return out

    def _vocabulary(self, data: dict, out: dict) -> dict:
        check = self.check
        out["token_regex"] = self._regex(
            data.get("token_regex", DEFAULT_TOKEN_REGEX), ("token_regex",)
        )
        out["ignorecase"] = check.boolean(data.get("ignorecase", False), ("ignorecase",))
        if ("words" in data) == ("file" in data):
            check.fail(
                ("words" if "words" in data else "scope",), "give exactly one of 'words' or 'file'"
            )
        out["words"] = check.strings(data["words"], ("words",)) if "words" in data else None
        out["file"] = check.string(data["file"], ("file",)) if "file" in data else None
        if out["words"] == ():
            check.fail(("words",), "must list at least one word")
        if out["file"] is not None and not (self.path.parent / out["file"]).is_file():
            check.fail(("file",), f"word list '{out['file']}' not found next to {self.path.name}")
        return out

    def _required(self, data: dict, out: dict) -> dict:
        return out

    def _examples(self, value: object, spec: RuleSpec) -> dict[str, tuple[dict, ...]]:
        check = self.check
        check.known_keys(
            check.mapping(value, ("examples",)), ("examples",), ("fail", "pass"), ("fail", "pass")
        )
        out = {}
        for verdict in ("fail", "pass"):
            keys: Keys = ("examples", verdict)
            check.expect(value[verdict], keys, list, "a list")
            out[verdict] = tuple(
                self._example(item, (*keys, i), spec, verdict)
                for i, item in enumerate(value[verdict])
            )
        if spec.kind == "python" and spec.family != "tool" and not out["fail"]:
            check.fail(("examples", "fail"), "a built-in rule needs at least one failing example")
        return out

    def _example(self, value: object, keys: Keys, spec: RuleSpec, verdict: str) -> dict:
        check = self.check
        allowed = (
            ("text", "lines", "fixed", "options") if verdict == "fail" else ("text", "options")
        )
        check.known_keys(check.mapping(value, keys), keys, allowed, ("text",))
        item = dict(value)
        text = check.string(value["text"], (*keys, "text"))
        last = text.count("\n") + 1
        check.expect(value.get("lines", []), (*keys, "lines"), list, "a list of line numbers")
        for index, line in enumerate(value.get("lines", [])):
            check.expect(line, (*keys, "lines", index), int, "a line number")
            if not 1 <= line <= last:
                check.fail((*keys, "lines", index), f"line {line} is outside the text (1-{last})")
        if "fixed" in value:
            check.string(value["fixed"], (*keys, "fixed"))
            if spec.fix == "none":
                check.fail((*keys, "fixed"), "the rule declares fix: none")
        if "options" in value:
            options = check.mapping(value["options"], (*keys, "options"))
            where = lambda name: self.doc.where((*keys, "options", name))  # noqa: E731
            item["options"] = validate_options(spec, options, where, prefix=(*keys, "options"))
        return item


def load_spec(path: Path) -> RuleSpec:
    """Load and validate one rule file; raises SpecError."""
    return _SpecReader(path).read()


@cache
def load_shipped_specs() -> Mapping[str, RuleSpec]:
    """The built-in rules (``rules/*.yaml``) by code: read-only, loaded once per process (from
    the per-user cache while the files are unchanged). Every configuration starts from them."""
    return MappingProxyType(check_unique(load_cached_specs(rule_files())))


def load_specs(extra_dirs: Sequence[Path] = ()) -> dict[str, RuleSpec]:
    """The shipped rules plus every ``*.yaml``/``*.yml`` in ``extra_dirs``, keyed by code."""
    files = [path for directory in extra_dirs for path in rule_dir_files(directory)]
    return check_unique([*load_shipped_specs().values(), *map(load_spec, files)])


def load_cached_specs(files: Sequence[Path]) -> list[RuleSpec]:
    """:func:`load_spec` of each file, from the per-user cache while the files are unchanged."""
    from cablelint.support.plaindata import Codec
    from cablelint.support.speccache import load_cached

    return load_cached(files, load_spec, Codec([RuleSpec, OptionSpec, Severity]))


def rule_dir_files(directory: Path) -> list[Path]:
    """The ``*.yaml`` and ``*.yml`` files directly inside a custom rule directory, sorted."""
    if not directory.is_dir():
        raise SpecError(str(directory), "", "rule directory not found")
    return sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])


def check_unique(specs: Sequence[RuleSpec]) -> dict[str, RuleSpec]:
    """Index ``specs`` by code; a repeated code, or a name/alias used twice, is a SpecError."""
    by_code: dict[str, RuleSpec] = {}
    by_name: dict[str, RuleSpec] = {}
    for spec in specs:
        if spec.code in by_code:
            other = by_code[spec.code].path
            raise SpecError(
                spec.where("code"), "code", f"duplicate code {spec.code} (also in {other})"
            )
        by_code[spec.code] = spec
        for key, name in [("name", spec.name)] + [("aliases", a) for a in spec.aliases]:
            if name in by_name:
                other = by_name[name]
                raise SpecError(
                    spec.where(key),
                    key,
                    f"duplicate name '{name}' (also {other.code} in {other.path})",
                )
            by_name[name] = spec
    return by_code
