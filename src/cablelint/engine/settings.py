"""The configuration keys, each declared once: its type, default, documentation and checks.

``config.py`` validates and merges every key of a configuration file through :data:`SETTINGS`,
and the "Keys" table of docs/configuration.md is :func:`markdown_table` (a test keeps them
equal). Adding a key is one :class:`Setting` here and the code that reads
``config.setting(key)``; a key of a new *shape* also needs its check in ``config._check_value``.
"""

from __future__ import annotations

from collections.abc import Callable

from cablelint.model.diagnostics import Severity
from cablelint.ruleset.specs import SEVERITIES
from cablelint.support.records import record

#: How a value is checked (config._check_value) and what the docs call its type.
SHAPES = {
    "string": "string",
    "list": "list",
    "mapping": "mapping",
    "globs": "list of globs",
    "directories": "list of directories",
    "rule-globs": "mapping glob → list",
    "choice": "",  # the choices themselves
    "path": "path",
}
#: How layers combine: the last layer that sets the key wins; the layers' lists are joined;
#: the rule selection applies it (select, ignore, rules ...); it names the parent layer.
MERGES = ("replace", "accumulate", "rules", "extends")


@record
class Setting:
    key: str
    shape: str
    doc: str
    default: object = None  # the value when no layer sets it (for a path: relative to the root)
    default_doc: str | None = None  # the docs' default column, when the default is not plain
    choices: tuple[str, ...] = ()
    convert: Callable[[object], object] | None = None  # applied to a checked value and the default
    merge: str = "replace"

    @property
    def type_doc(self) -> str:
        if self.shape == "choice":
            return ", ".join(f"`{c}`" for c in self.choices)
        return SHAPES[self.shape]

    @property
    def shown_default(self) -> str:
        if self.default_doc is not None:
            return self.default_doc
        import json  # here: only the docs need it

        value = list(self.default) if isinstance(self.default, tuple) else self.default
        if value is None:
            return "—"
        return (
            f"`{value}`" if isinstance(value, str) else f"`{json.dumps(value, ensure_ascii=False)}`"
        )

    def default_value(self) -> object:
        if self.convert is None or self.default is None:
            return self.default
        return self.convert(self.default)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "extends",
        "string",
        "a profile (`default`, `strict`) or a path to another config file",
        default_doc="`default`",
        merge="extends",
    ),
    Setting("select", "list", "rules to enable, **replacing** the inherited set", merge="rules"),
    Setting("extend-select", "list", "rules to enable in addition", (), merge="rules"),
    Setting("ignore", "list", "rules to disable", (), merge="rules"),
    Setting(
        "rules",
        "mapping",
        "per-rule severity, on/off, and options",
        default_doc="`{}`",
        merge="rules",
    ),
    Setting(
        "per-file-ignores", "rule-globs", "rules to skip for matching files", (), default_doc="`{}`"
    ),
    Setting("include", "globs", "which files directory discovery lints", ("*.txt", "*.cable")),
    Setting("exclude", "globs", "files and directories to skip", ()),
    Setting(
        "rule-paths",
        "directories",
        "custom rule packs (see `writing-rules.md`)",
        (),
        merge="accumulate",
    ),
    Setting(
        "fail-on",
        "choice",
        "the lowest severity that makes the exit code 1",
        "info",
        choices=SEVERITIES,
        convert=Severity.parse,  # type: ignore[arg-type]
    ),
    Setting(
        "cache-dir",
        "path",
        "result cache",
        ".cablelint_cache",
        default_doc="`.cablelint_cache` next to the config file (or in the current directory)",
    ),
)
BY_KEY = {s.key: s for s in SETTINGS}
KEYS = tuple(BY_KEY)


def markdown_table() -> str:
    """The "Keys" table of docs/configuration.md."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        rows.append(f"| `{s.key}` | {s.type_doc} | {s.shown_default} | {s.doc} |")
    return "\n".join(rows) + "\n"
