"""Presentation only: every output format is a pure function of the file results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import import_module
from typing import Any

from cablelint.engine.results import FileResult

FORMATS = ("text", "json", "json-lines", "github", "sarif", "junit", "gitlab")
#: Format name -> module, imported only when used (a pre-commit run needs just one).
_MODULES = {
    "text": "text",
    "json": "json_list",
    "json-lines": "json_lines",
    "github": "github",
    "sarif": "sarif",
    "junit": "junit",
    "gitlab": "gitlab",
}


def render(
    results: Sequence[FileResult],
    fmt: str,
    *,
    specs: Mapping[str, Any] | None = None,
    show_source: bool = False,
    unsafe_fixes: bool = False,
    color: bool = False,
) -> str:
    """The whole output of ``results`` in format ``fmt`` (one of ``FORMATS``).

    ``show_source``, ``unsafe_fixes`` (which fixes ``--fix`` applies) and ``color`` shape the
    text format only.
    """
    if fmt not in _MODULES:
        raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    module = _module(fmt)
    if fmt == "text":
        style = module.TextStyle(show_source, unsafe_fixes, color)
        return module.render(results, style)
    if fmt == "sarif":
        return module.render(results, specs)
    return module.render(results)


@cache
def _module(fmt: str) -> Any:
    """The format's module (render is called once per file in a line format)."""
    return import_module(f".{_MODULES[fmt]}", __name__)


__all__ = ["FORMATS", "render"]
