"""Built-in checks, one module per rule family; importing this package registers them all."""

from collections.abc import Mapping

from cablelint.ruleset.registry import CHECKS, Check

from . import (  # noqa: F401
    banner,
    damage,
    declarative,
    document,
    garbles,
    header,
    lines,
    metadata,
    paragraphs,
    residue,
    text,
    tool,
)


def builtin_checks() -> Mapping[str, Check]:
    """The code -> check table of every built-in check (registered by the imports above)."""
    return CHECKS
