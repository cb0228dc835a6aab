"""Effective configuration: find ``.cablelint.yaml``, follow ``extends``, merge rule selections."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from cablelint import __version__
from cablelint.engine.settings import BY_KEY, KEYS, SETTINGS, Setting
from cablelint.model.diagnostics import Severity
from cablelint.ruleset.specs import (
    SEVERITIES,
    RuleSpec,
    SpecError,
    check_unique,
    load_shipped_specs,
    load_spec,
    rule_dir_files,
    validate_options,
)
from cablelint.support.globs import glob_matches, glob_problem
from cablelint.support.records import field, record, replace
from cablelint.support.resources import profile_path
from cablelint.support.yamlload import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    Checker,
    Document,
    Keys,
    LocatedError,
    check_bounds,
    did_you_mean,
    key_text,
    load_yaml,
    read_bounded,
    type_name,
)

CONFIG_NAMES = (".cablelint.yaml", ".cablelint.yml")
PROFILES = ("default", "strict")
DEFAULT_INCLUDE = BY_KEY["include"].default
CACHE_DIR_NAME = BY_KEY["cache-dir"].default
_PREFIX_RE = re.compile(r"CBL\d{0,3}")
_EXACT = 10  # specificity of an exact code, name or alias; a prefix scores its digit count + 1


class ConfigError(LocatedError):
    """An invalid configuration: ``file:line: key: problem (did you mean 'x'?)``."""


class ConfigProblems(ConfigError):
    """Several problems of a configuration, each a located error (``problems``), one a line."""

    def __init__(self, problems: Sequence[LocatedError]) -> None:
        first = problems[0]
        super().__init__(first.where, first.key, first.problem, first.hint)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class _Problems:
    """Collects the problems of the configuration files of one load, so that all are reported
    at once: each item (a key, a selector, a rule entry) is checked in :meth:`attempt`, and an
    item with a problem is left out of the configuration."""

    def __init__(self) -> None:
        self.found: list[LocatedError] = []

    @contextmanager
    def attempt(self) -> Iterator[None]:
        try:
            yield
        except LocatedError as exc:
            self.found.append(exc)

    def raise_found(self) -> None:
        """Raise what was found: each file's problems by line, the files in the order met."""
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            files: dict[str, int] = {}

            def key(error: LocatedError) -> tuple[int, int]:
                name, _, line = error.where.rpartition(":")
                if not line.isdigit():
                    name, line = error.where, "0"
                return files.setdefault(name, len(files)), int(line)

            raise ConfigProblems(sorted(self.found, key=key))


@record
class RuleSettings:
    code: str
    name: str
    severity: Severity
    options: Mapping[str, object]


@record
class Config:
    """The effective configuration of a file: its rules, and its settings by key (a key no
    configuration file sets has the default of its declaration, engine/settings.py)."""

    specs: Mapping[str, RuleSpec]
    rules: Mapping[str, RuleSettings]
    settings: Mapping[str, object] = field(default_factory=dict)
    root: Path = Path()
    source: Path | None = None
    files: tuple[Path, ...] = ()  # the configuration files in force, the extends chain first

    def setting(self, key: str) -> object:
        """The value of configuration key ``key`` (``fail-on``: a Severity; ``cache-dir``: a
        path from the root's directory)."""
        if key in self.settings:
            return self.settings[key]
        setting = BY_KEY[key]
        value = setting.default_value()
        return self.root / str(value) if setting.shape == "path" else value

    @property
    def include(self) -> tuple[str, ...]:
        return self.setting("include")  # type: ignore[return-value]

    @property
    def exclude(self) -> tuple[str, ...]:
        return self.setting("exclude")  # type: ignore[return-value]

    @property
    def per_file_ignores(self) -> tuple[tuple[str, frozenset[str]], ...]:
        return self.setting("per-file-ignores")  # type: ignore[return-value]

    @property
    def fail_on(self) -> Severity:
        return self.setting("fail-on")  # type: ignore[return-value]

    @property
    def cache_dir(self) -> Path:
        return self.setting("cache-dir")  # type: ignore[return-value]

    def rules_for(self, path: str | Path) -> Mapping[str, RuleSettings]:
        """The enabled rules for ``path``, minus its per-file ignores."""
        if not self.per_file_ignores:
            return self.rules
        rel = self.relative(path)
        ignored = set().union(*(c for g, c in self.per_file_ignores if path_matches(g, rel)))
        if not ignored:
            return self.rules
        return MappingProxyType({c: s for c, s in self.rules.items() if c not in ignored})

    def is_included(self, path: str | Path) -> bool:
        """Whether file discovery should lint ``path`` (an include glob matches, no exclude)."""
        rel = self.relative(path)
        return _included(self.include, rel) and not self._excludes(rel)

    def is_excluded(self, path: str | Path, *, directory: bool | None = None) -> bool:
        """Whether ``path`` (a file or a directory to prune) matches an exclude glob; whether it
        is a directory (for a glob that ends in ``/``) is looked up unless ``directory`` says."""
        if directory is None:
            directory = any(g.endswith("/") for g in self.exclude) and os.path.isdir(path)
        return self._excludes(self.relative(path), directory)

    def _excludes(self, rel: str, directory: bool = False) -> bool:
        return any(path_matches(g, rel, directory=directory) for g in self.exclude)

    def relative(self, path: str | Path) -> str:
        """``path`` relative to :attr:`root`, with ``/`` separators (may start with ``..``)."""
        name, root = os.fspath(path), os.fspath(self.root)
        # Two absolute paths relate without the working directory (a system call a file).
        cwd = "" if os.path.isabs(name) and os.path.isabs(root) else os.getcwd()
        return _relative(name, root, cwd)

    def fingerprint(self) -> str:
        """A stable hash of everything that changes the diagnostics of a file."""
        state = {
            "version": __version__,
            "rules": {c: _rule_state(s, self.specs[c]) for c, s in self.rules.items()},
            "per_file_ignores": [[g, sorted(c)] for g, c in self.per_file_ignores],
        }
        import hashlib  # here: only a run with the result cache needs a fingerprint
        import json

        text = json.dumps(_plain(state), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _rule_state(settings: RuleSettings, spec: RuleSpec) -> list:
    state = [settings.name, str(settings.severity), settings.options, spec.kind, spec.declarative]
    word_file = spec.declarative.get("file")
    if word_file:
        import hashlib

        state.append(hashlib.sha256((spec.path.parent / str(word_file)).read_bytes()).hexdigest())
    return state


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool | None) else str(value)


# --- globs ------------------------------------------------------------------------------------


def _relative(path: str, root: str, cwd: str) -> str:
    """``path`` relative to ``root`` (both resolved against ``cwd``), ``/``-separated.

    Discovery, includes, excludes and per-file ignores each ask for every file: a file's
    directory is related to ``root`` once (memoised) and its name appended."""
    head, name = os.path.split(path)
    if not head or not name or name in (".", ".."):
        return _relative_path(path, root, cwd)
    base = _relative_path(head, root, cwd)
    return name if base == "." else f"{base}/{name}"


@lru_cache(maxsize=4096)
def _relative_path(path: str, root: str, cwd: str) -> str:
    """``cwd`` is part of the key because relative paths resolve against it."""
    return Path(os.path.relpath(os.path.join(cwd, path), os.path.join(cwd, root))).as_posix()


def _included(globs: tuple[str, ...], rel: str) -> bool:
    """Whether an include glob matches ``rel``, the file name's extension in any case
    (``A.TXT`` is a ``*.txt``)."""
    if any(path_matches(g, rel) for g in globs):
        return True
    folded = _fold_extension(rel)
    return any(path_matches(_fold_extension(g), folded) for g in globs)


def _fold_extension(path: str) -> str:
    """``path`` with the extension of its last component in lower case."""
    head, dot, extension = path.rpartition(".")
    if not dot or "/" in extension or not head or head.endswith("/"):
        return path
    return f"{head}.{extension.lower()}"


def path_matches(pattern: str, rel: str, *, directory: bool = False) -> bool:
    """Match a glob against a ``/``-separated relative path, gitignore-style.

    A pattern without ``/`` matches any path component (``*.txt``, ``archive``); one with ``/``
    matches the whole path or a leading directory of it. ``**`` spans directories. A pattern
    that ends in ``/`` (``vendor/``) matches directories only: those above ``rel``, and ``rel``
    itself when it is one (``directory``); the rest of it is read as without the ``/``.
    """
    if pattern.endswith("/") and pattern.strip("/"):
        pattern = pattern.rstrip("/")
        if not directory:
            rel = rel.rpartition("/")[0]  # a file: only the directories it is in
            if not rel:
                return False
    if "/" not in pattern:
        directory, _, name = rel.rpartition("/")
        if glob_matches(pattern, name):
            return True
        return bool(directory) and _matches_a_component(pattern, directory)
    parts = rel.split("/")
    return any(glob_matches(pattern, "/".join(parts[:n])) for n in range(len(parts), 0, -1))


@lru_cache(maxsize=4096)
def _matches_a_component(pattern: str, directory: str) -> bool:
    """Whether a ``/``-less glob matches a component of ``directory`` (asked per file, but
    the files of a directory share the answer)."""
    return any(glob_matches(pattern, part) for part in directory.split("/"))


def _rebase(pattern: str, base: Path, root: Path) -> str:
    """Re-express a glob written relative to ``base`` relative to ``root``."""
    if "/" not in pattern or os.path.isabs(pattern) or base == root:
        return pattern
    return Path(os.path.relpath(os.path.normpath(base / pattern), root)).as_posix()


# --- discovery ----------------------------------------------------------------------------------


@record
class FoundConfig:
    """A configuration file found by :func:`locate_config`; for a ``pyproject.toml``, its
    ``[tool.cablelint]`` table too (read to know that it has one: loading reuses it)."""

    path: Path
    document: Document | None = None


def locate_config(start: Path, warn: Callable[[str], None] | None = None) -> FoundConfig | None:
    """The nearest ``.cablelint.yaml``/``.yml`` or ``pyproject.toml`` with ``[tool.cablelint]``.

    Walks up from ``start``; stops after a directory that contains ``.git``, or at the root.
    A file that others could have planted (see :func:`untrusted`) is passed over, and ``warn``
    is told why.
    """
    start = start.absolute()
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (directory / name).is_file() and _trusted(directory / name, warn):
                return FoundConfig(directory / name)
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _trusted(pyproject, warn):
            document = _pyproject_document(pyproject)
            if document is not None:
                return FoundConfig(pyproject, document)
        if (directory / ".git").exists():
            return None
    return None


def find_config(start: Path, warn: Callable[[str], None] | None = None) -> Path | None:
    """The path of :func:`locate_config`'s file."""
    found = locate_config(start, warn)
    return None if found is None else found.path


def untrusted(path: Path) -> str | None:
    """Why a configuration file found by the upward search must not be used, or None.

    A file in a directory that others may write to (``/tmp``) and that is not owned by the
    user running cablelint could have been planted by anyone (``select: []`` would make every
    cable pass)."""
    try:
        directory, file = os.stat(path.parent), os.stat(path)
    except OSError:
        return None  # gone: the search passes over it anyway
    if directory.st_mode & stat.S_IWOTH and file.st_uid != os.geteuid():
        return "its directory is writable by others and the file is not yours"
    return None


def _trusted(path: Path, warn: Callable[[str], None] | None) -> bool:
    reason = untrusted(path)
    if reason is not None and warn is not None:
        warn(f"ignoring {path}: {reason}")
    return reason is None


#: The only ways a TOML file can define ``tool.cablelint``: a ``[tool.cablelint...]`` or
#: ``[tool]`` header, a top-level ``tool.cablelint...`` dotted key, or ``tool = {...}``.
_TOOL = r"""(?:tool|"tool"|'tool')[ \t]*"""
_DOT_CABLELINT = r"""\.[ \t]*(?:cablelint\b|"cablelint"|'cablelint')"""
_MAY_DEFINE_TABLE = re.compile(
    rf"^[ \t]*(?:\[[ \t]*{_TOOL}(?:\]|{_DOT_CABLELINT})|{_TOOL}(?:=|{_DOT_CABLELINT}))",
    re.MULTILINE,
)


#: A dotted key or table header of more parts than this is refused before tomllib sees it: tomllib
#: takes time quadratic in a key's depth (minutes for one 300,000-part header). Possessive, so
#: that a long word is scanned once.
_KEY_PART = r"""(?:[\w-]++|"[^"\n]*+"|'[^'\n]*+')"""
_DEEP_TOML_KEY = re.compile(rf"(?<![\w-]){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART}){{{MAX_DEPTH}}}")
_LONG_NUMBER = re.compile(rf"\d[\d_]{{{MAX_INT_DIGITS}}}")


def _toml_table(path: Path) -> tuple[dict, str] | None:
    """``[tool.cablelint]`` of a ``pyproject.toml`` and the file's text (None: no such table).

    The file is bounded like every configuration file (size, nesting, integer length)."""
    name = str(path)
    text = read_bounded(path, name, ConfigError)
    if "cablelint" not in text or not _MAY_DEFINE_TABLE.search(text):
        return None  # not even a mention, or only as a dependency: no TOML parse (10 ms)
    import tomllib

    def line_of(match: re.Match | None) -> str:
        return f"{name}:{text.count(chr(10), 0, match.start()) + 1}" if match else name

    if deep := _DEEP_TOML_KEY.search(text):
        raise ConfigError(line_of(deep), "", f"invalid TOML: a key of more than {MAX_DEPTH} parts")
    try:
        table = tomllib.loads(text).get("tool", {}).get("cablelint")
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, "", f"invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(
            name, "", f"invalid TOML: nested deeper than {MAX_DEPTH} levels"
        ) from None
    except ValueError:  # int() refuses more than 4300 digits
        where = line_of(_LONG_NUMBER.search(text))
        raise ConfigError(where, "", "invalid TOML: integer too large") from None
    return None if table is None else (table, text)


_TOML_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_KEY = re.compile(
    r"""\s*((?:"[^"]*"|'[^']*'|[\w.-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[\w-]+))*)\s*="""
)
_TOML_PART = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([\w-]+))\s*""")


def _toml_keys(dotted: str) -> Keys:
    return tuple(a or b or c for a, b, c in _TOML_PART.findall(dotted))


def _read_pyproject(path: Path, name: str) -> Document | None:
    """``[tool.cablelint]`` as a Document (None: no such table); key lines come from a light
    scan of the text."""
    found = _toml_table(path)
    if found is None:
        return None
    table, text = found
    lines: dict[Keys, int] = {}
    current: Keys | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if header := _TOML_HEADER.match(line):
            keys = _toml_keys(header[1])
            current = keys[2:] if keys[:2] == ("tool", "cablelint") else None
            if current is not None:
                lines.setdefault(current, number)
        elif current is not None and (key := _TOML_KEY.match(line)):
            lines.setdefault((*current, *_toml_keys(key[1])), number)
    doc = Document(name, table, lines)
    check_bounds(doc, ConfigError)
    return doc


# --- reading config files -----------------------------------------------------------------------


@record(frozen=False)
class _Layer:
    """One configuration file, checked for shape; selectors are resolved later."""

    check: Checker
    base: Path
    data: dict
    settings: dict[str, object] = field(default_factory=dict)
    rule_dirs: tuple[Path, ...] = ()

    def where(self, keys: Keys) -> str:
        return self.check.doc.where(keys)


def _read_document(path: Path) -> Document:
    """A configuration file parsed (see :func:`_cached_document`)."""
    if path.suffix == ".toml":
        document = _pyproject_document(path)
        if document is None:
            raise ConfigError(str(path), "", "no [tool.cablelint] table")
        return document
    return _cached_document(path, lambda: load_yaml(path, ConfigError))  # type: ignore[return-value]


def _pyproject_document(path: Path) -> Document | None:
    """The ``[tool.cablelint]`` table of a ``pyproject.toml`` (None: it has none)."""
    return _cached_document(path, lambda: _read_pyproject(path, str(path)))


def _cached_document(path: Path, parse: Callable[[], Document | None]) -> Document | None:
    """``parse()`` of a configuration file, from the user cache while the file is unchanged (its
    path, size and time, as for rule specs): a run with a project configuration then imports
    neither PyYAML nor tomllib. A file that does not parse raises every time (nothing is
    stored)."""
    from binascii import crc32

    from cablelint.support.plaindata import Codec
    from cablelint.support.speccache import cached

    # One entry per file; the entry's own key line holds the full path, so a name shared by
    # two files only means parsing again.
    name = f"config-{crc32(os.fsencode(path.absolute())):08x}"
    doc = cached(name, [path.absolute()], parse, Codec([Document]))
    # Messages name the file as this run does (another run may have reached it another way).
    return doc if doc is None or doc.name == str(path) else replace(doc, name=str(path))


def _read_chain(
    path: Path, problems: _Problems, stack: tuple[Path, ...] = (), doc: Document | None = None
) -> list[_Layer]:
    """``path`` (``doc``, when it was read already) and its ``extends`` ancestors, oldest first
    (a file that does not parse stops the load; other problems are collected)."""
    if doc is None:
        doc = _read_document(path)
    check = Checker(doc, ConfigError)
    data: dict = {}
    with problems.attempt():
        data = {} if doc.data is None else dict(check.mapping(doc.data, ()))
    for key in list(data):
        if key not in KEYS:
            with problems.attempt():
                check.fail((key,), "unknown key", did_you_mean(key, KEYS))
            del data[key]
    parents: list[_Layer] = []
    if "extends" in data:
        with problems.attempt():
            parent = _extends_target(check, data["extends"], path)
            chain = (*stack, path.resolve())
            if parent.resolve() in chain:
                cycle = " -> ".join(str(p) for p in (*chain, parent.resolve()))
                check.fail(("extends",), f"cycle: {cycle}")
            parents = _read_chain(parent, problems, chain)
    return [*parents, _read_layer(check, data, path.parent, problems)]


def _extends_target(check: Checker, value: object, path: Path) -> Path:
    target = check.string(value, ("extends",))
    if target in PROFILES:
        return profile_path(target)
    candidate = Path(os.path.normpath(path.parent / target))
    if not candidate.is_file():
        hint = did_you_mean(target, PROFILES)
        check.fail(
            ("extends",),
            f"'{target}' is neither a profile ({', '.join(PROFILES)}) nor a file",
            hint,
        )
    return candidate


def _read_layer(check: Checker, data: dict, base: Path, problems: _Problems) -> _Layer:
    """Check the shape of every key of one file; keep the values that need no rules (a key
    with a problem is left out)."""
    layer = _Layer(check, base, data)
    for setting in SETTINGS:
        if setting.key not in data or setting.merge == "extends":
            continue
        checked = False
        with problems.attempt():
            value = _check_value(check, setting, data[setting.key], base)
            checked = True
        if not checked:
            del data[setting.key]
        elif setting.merge in ("replace", "accumulate") and setting.shape != "rule-globs":
            layer.settings[setting.key] = value
    layer.rule_dirs = layer.settings.pop("rule-paths", ())  # type: ignore[assignment]
    return layer


def _check_value(check: Checker, setting: Setting, value: object, base: Path) -> object:
    """A layer's value of ``setting`` checked for its shape (and converted)."""
    keys: Keys = (setting.key,)
    shape = setting.shape
    if shape == "string":
        out: object = check.string(value, keys)
    elif shape == "list":
        out = check.strings(value, keys)
    elif shape == "globs":
        out = check.strings(value, keys)
        for index, glob in enumerate(out):  # type: ignore[arg-type]
            _check_glob(check, glob, (*keys, index))
    elif shape == "mapping":
        out = check.mapping(value, keys)
    elif shape == "rule-globs":
        out = check.mapping(value, keys)
        for glob, selectors in out.items():  # type: ignore[union-attr]
            _check_glob(check, glob, (*keys, glob))
            check.strings(selectors, (*keys, glob))
    elif shape == "choice":
        out = check.choice(value, keys, setting.choices)
    elif shape == "path":
        out = base / check.string(value, keys)
    elif shape == "directories":
        dirs = []
        for index, written in enumerate(check.strings(value, keys)):
            directory = base / written
            if not directory.is_dir():
                check.fail((*keys, index), f"directory '{written}' not found")
            if not inside(directory, base):
                check.fail((*keys, index), f"directory '{written}' {_OUTSIDE}")
            dirs.append(directory)
        out = tuple(dirs)
    else:
        raise ValueError(f"no check for the shape '{shape}' of {setting.key}")
    return setting.convert(out) if setting.convert else out


def _check_glob(check: Checker, glob: str, keys: Keys) -> None:
    problem = glob_problem(glob)
    if problem:
        check.fail(keys, f"glob '{glob}': {problem}")


_OUTSIDE = "lies outside the configuration's directory tree"


def inside(path: Path, tree: Path) -> bool:
    """Whether ``path``, links resolved, lies in the directory tree ``tree``."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(tree))


def load_pack(directory: Path, tree: Path, files: Sequence[Path] | None = None) -> list[RuleSpec]:
    """The rules of one rule directory (or only its ``files``), named by a configuration (or a
    command line) whose directory tree is ``tree``: neither a rule file nor a vocabulary's word
    file may lie outside it (a link to ``/etc/passwd`` would print its lines as suggestions)."""
    out = []
    for path in rule_dir_files(directory) if files is None else files:
        if not inside(path, tree):
            raise ConfigError(str(path), "", f"rule file {_OUTSIDE} ({tree})")
        spec = load_spec(path)
        word_file = spec.declarative.get("file")
        if word_file and not inside(path.parent / str(word_file), tree):
            problem = f"word list '{word_file}' {_OUTSIDE} ({tree})"
            raise ConfigError(spec.where("file"), "file", problem)
        out.append(spec)
    return out


# --- selectors ----------------------------------------------------------------------------------


def resolve_selector(
    token: str, specs: Mapping[str, RuleSpec], *, where: str = "", key: str = ""
) -> set[str]:
    """Codes matched by a code, a code prefix (``CBL5``), a rule name or alias, or ``ALL``."""
    if token == "ALL":
        return set(specs)
    if token in specs:
        return {token}
    for code, spec in specs.items():
        if token == spec.name or token in spec.aliases:
            return {code}
    matched = {c for c in specs if _PREFIX_RE.fullmatch(token) and c.startswith(token)}
    if matched:
        return matched
    raise ConfigError(where, key, f"unknown rule or selector '{token}'", _suggest(token, specs))


def _suggest(token: str, specs: Mapping[str, RuleSpec]) -> str | None:
    """A near code, name, alias or ``ALL``; none for a short prefix such as ``CBL7``."""
    if _PREFIX_RE.fullmatch(token) and len(token) < 6:
        return None
    names = [n for s in specs.values() for n in (s.code, s.name, *s.aliases)]
    return did_you_mean(token, [*names, "ALL"])


def specificity(token: str, specs: Mapping[str, RuleSpec]) -> int:
    """``ALL`` 0 < ``CBL`` 1 < ``CBL5`` 2 < ``CBL50`` 3 < an exact code, name or alias."""
    if token == "ALL":
        return 0
    if _PREFIX_RE.fullmatch(token) and token not in specs:
        return len(token) - 2
    return _EXACT


Selection = list[tuple[int, set[str]]]


def _selection(
    tokens: Sequence[str],
    specs: Mapping[str, RuleSpec],
    locate: Callable[[int], tuple[str, str]],
    problems: _Problems | None = None,
) -> Selection:
    """Each selector resolved; with ``problems``, an unknown one is collected and left out."""
    out = []
    for index, token in enumerate(tokens):
        where, key = locate(index)
        if problems is None:
            codes = resolve_selector(token, specs, where=where, key=key)
        else:
            codes = None
            with problems.attempt():
                codes = resolve_selector(token, specs, where=where, key=key)
            if codes is None:
                continue
        out.append((specificity(token, specs), codes))
    return out


def apply_selection(
    enabled: set[str], select: Selection | None, extend: Selection, ignore: Selection
) -> set[str]:
    """Ruff's rule: ``select`` replaces, ``extend-select`` adds, ``ignore`` removes; for each
    code the most specific selector wins, and ``ignore`` wins a tie."""
    updates: dict[str, bool] = {}
    positive = [*(select or ()), *extend]
    for level in sorted({s for s, _ in positive} | {s for s, _ in ignore}):
        for codes, value in [(c, True) for s, c in positive if s == level] + [
            (c, False) for s, c in ignore if s == level
        ]:
            updates.update(dict.fromkeys(codes, value))
    base = set() if select is not None else set(enabled)
    return (base | {c for c, on in updates.items() if on}) - {
        c for c, on in updates.items() if not on
    }


# --- merging ------------------------------------------------------------------------------------


@record(frozen=False)
class _State:
    specs: Mapping[str, RuleSpec]
    enabled: set[str]
    severity: dict[str, Severity]
    options: dict[str, dict[str, object]]
    settings: dict[str, object]
    problems: _Problems = field(default_factory=_Problems)


def _apply_layer(state: _State, layer: _Layer, root: Path) -> None:
    data, specs = layer.data, state.specs

    def tokens(key: str) -> Selection:
        locate = lambda i: (layer.where((key, i)), key_text((key, i)))  # noqa: E731
        return _selection(data.get(key, []), specs, locate, state.problems)

    select = tokens("select") if "select" in data else None
    state.enabled = apply_selection(
        state.enabled, select, tokens("extend-select"), tokens("ignore")
    )
    seen: dict[str, str] = {}
    for ref, value in data.get("rules", {}).items():
        with state.problems.attempt():
            code = _rule_code(layer, ref, specs)
            if code in seen:
                layer.check.fail(("rules", ref), f"{code} is already configured as '{seen[code]}'")
            seen[code] = ref
            _apply_rule(state, layer, code, ref, value)
    _apply_settings(state, layer, root)


def _rule_code(layer: _Layer, ref: str, specs: Mapping[str, RuleSpec]) -> str:
    for code, spec in specs.items():
        if ref in (code, spec.name, *spec.aliases):
            return code
    if _PREFIX_RE.fullmatch(ref) and any(c.startswith(ref) for c in specs):
        layer.check.fail(("rules", ref), "a prefix; name one rule by code or name")
    layer.check.fail(("rules", ref), "unknown rule", _suggest(ref, specs))


def _apply_rule(state: _State, layer: _Layer, code: str, ref: str, value: object) -> None:
    keys: Keys = ("rules", ref)
    spec, check = state.specs[code], layer.check
    if isinstance(value, bool) or value in ("off", "on"):
        _enable(state, code, value in (True, "on"))
    elif isinstance(value, str):
        state.severity[code] = Severity.parse(check.choice(value, keys, (*SEVERITIES, "off")))
        state.enabled.add(code)
    elif isinstance(value, dict):
        allowed = ("severity", "enabled", *spec.options)
        for name in value:
            if name not in allowed:
                problem = f"unknown option for {code} ({spec.name})"
                check.fail((*keys, name), problem, did_you_mean(name, allowed))
        if "severity" in value:
            severity = check.choice(value["severity"], (*keys, "severity"), SEVERITIES)
            state.severity[code] = Severity.parse(severity)
        if "enabled" in value:
            _enable(state, code, check.boolean(value["enabled"], (*keys, "enabled")))
        given = {k: v for k, v in value.items() if k not in ("severity", "enabled")}
        locate = lambda name: layer.where((*keys, name))  # noqa: E731
        try:
            checked = validate_options(spec, given, locate, prefix=keys)
        except SpecError as exc:
            raise ConfigError(exc.where, exc.key, exc.problem, exc.hint) from None
        state.options[code].update({k: checked[k] for k in given})
    else:
        check.fail(keys, f"expected a severity, 'off' or a mapping, got {type_name(value)}")


def _enable(state: _State, code: str, on: bool) -> None:
    (state.enabled.add if on else state.enabled.discard)(code)


def _apply_settings(state: _State, layer: _Layer, root: Path) -> None:
    data, settings = layer.data, state.settings
    for key, value in layer.settings.items():
        if BY_KEY[key].shape == "globs":
            value = tuple(_rebase(g, layer.base, root) for g in value)  # type: ignore[union-attr]
        settings[key] = value
    if "per-file-ignores" in data:
        entries = []
        for glob, tokens in data["per-file-ignores"].items():
            keys: Keys = ("per-file-ignores", glob)
            locate = lambda i, k=keys: (layer.where((*k, i)), key_text((*k, i)))  # noqa: E731
            selection = _selection(tokens, state.specs, locate, state.problems)
            codes = set().union(*(c for _, c in selection))
            entries.append((_rebase(glob, layer.base, root), frozenset(codes)))
        settings["per-file-ignores"] = tuple(entries)


# --- entry point --------------------------------------------------------------------------------


def load_config(
    path: Path | FoundConfig | None,
    *,
    cwd: Path,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extra_rule_dirs: Sequence[Path] = (),
    specs: Mapping[str, RuleSpec] | None = None,
    discover: bool = True,
    warn: Callable[[str], None] | None = None,
) -> Config:
    """Build the effective configuration.

    ``path`` is ``--config`` or a file :func:`locate_config` found (else discovered from
    ``cwd``, unless ``discover`` is false: then None means the defaults); CLI selections apply
    last. ``specs`` replaces the shipped
    rules (tests, or a caller that loaded them already). ``warn`` hears of configuration files
    the search passed over (:func:`untrusted`).
    """
    found = FoundConfig(path) if isinstance(path, Path) else path
    if found is None and discover:
        found = locate_config(cwd, warn)
    source = found.path if found is not None else None
    if source is not None and not source.is_file():
        raise ConfigError(str(source), "", "config file not found")
    problems = _Problems()
    layers = []
    if found is not None:
        layers = _read_chain(found.path, problems, doc=found.document)
    root = source.parent if source is not None else cwd
    # A pack named by a configuration stays in its tree; one named directly, in its own.
    packs = [(d, layer.base) for layer in layers for d in layer.rule_dirs]
    packs += [(d, d) for d in extra_rule_dirs]
    # The shipped rules (loaded once per process), unless given.
    base = list((load_shipped_specs() if specs is None else specs).values())
    loaded: list[RuleSpec] = []
    before = len(problems.found)
    for directory, tree in packs:
        with problems.attempt():
            loaded += load_pack(directory, tree)
    if len(problems.found) > before:
        problems.raise_found()  # a rule pack failed: rules it defines would be "unknown"
    all_specs = check_unique([*base, *loaded])
    state = _State(
        specs=all_specs,
        enabled={c for c, s in all_specs.items() if s.enabled},
        severity={c: s.severity for c, s in all_specs.items()},
        options={c: {} for c in all_specs},
        settings={},
        problems=problems,
    )
    for layer in layers:
        _apply_layer(state, layer, root)
    _apply_cli(state, select, extend_select, ignore)
    problems.raise_found()
    return _build(state, root, source, tuple(Path(layer.check.doc.name) for layer in layers))


def _apply_cli(
    state: _State,
    select: Sequence[str] | None,
    extend_select: Sequence[str] | None,
    ignore: Sequence[str] | None,
) -> None:
    def tokens(flag: str, values: Sequence[str] | None) -> Selection:
        return _selection(values or (), state.specs, lambda _i: (flag, ""), state.problems)

    chosen = tokens("--select", select) if select is not None else None
    extend, ignored = tokens("--extend-select", extend_select), tokens("--ignore", ignore)
    state.enabled = apply_selection(state.enabled, chosen, extend, ignored)


def _build(state: _State, root: Path, source: Path | None, files: tuple[Path, ...]) -> Config:
    rules = {}
    for code in sorted(state.enabled):
        spec = state.specs[code]
        options = validate_options(spec, state.options[code], spec.where("options"))
        rules[code] = RuleSettings(code, spec.name, state.severity[code], MappingProxyType(options))
    return Config(
        specs=MappingProxyType(dict(sorted(state.specs.items()))),
        rules=MappingProxyType(rules),
        settings=MappingProxyType(state.settings),
        root=root,
        source=source,
        files=files,
    )
