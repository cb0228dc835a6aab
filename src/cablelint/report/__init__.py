"""Presentation only: every output format is a pure function of the file results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from cablelint.support.records import record

if TYPE_CHECKING:
    from cablelint.engine.results import FileResult


@record
class RenderOptions:
    specs: Mapping[str, Any] | None = None
    show_source: bool = False
    unsafe_fixes: bool = False
    color: bool = False


def _plain(module: Any, results: Sequence[FileResult], _options: RenderOptions) -> str:
    return module.render(results)


def _text(module: Any, results: Sequence[FileResult], options: RenderOptions) -> str:
    style = module.TextStyle(options.show_source, options.unsafe_fixes, options.color)
    return module.render(results, style)


def _sarif(module: Any, results: Sequence[FileResult], options: RenderOptions) -> str:
    return module.render(results, options.specs)


@record
class Format:
    """An output format: its module (imported when used) and what the command line needs."""

    name: str
    module: str
    streamed: bool  # a concatenation of per-file pieces: rendered file by file as results come
    call: Callable[[Any, Sequence[FileResult], RenderOptions], str] = _plain
    for_people: bool = False  # followed by the summary lines
    json_statistics: bool = False  # --statistics prints JSON


#: Every output format, the default first: the one place that names them (the command line's
#: choices and the sink's streaming come from here).
REGISTRY: tuple[Format, ...] = (
    Format("text", "text", streamed=True, call=_text, for_people=True),
    Format("json", "json_list", streamed=False, json_statistics=True),
    Format("json-lines", "json_lines", streamed=True, json_statistics=True),
    Format("github", "github", streamed=True),
    Format("sarif", "sarif", streamed=False, call=_sarif),
    Format("junit", "junit", streamed=False),
    Format("gitlab", "gitlab", streamed=False),
)
BY_NAME = {f.name: f for f in REGISTRY}
FORMATS = tuple(BY_NAME)
STREAMED_FORMATS = frozenset(f.name for f in REGISTRY if f.streamed)


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
    entry = BY_NAME.get(fmt)
    if entry is None:
        raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    options = RenderOptions(specs, show_source, unsafe_fixes, color)
    return entry.call(_module(fmt), results, options)


@cache
def _module(fmt: str) -> Any:
    """The format's module (render is called once per file in a line format)."""
    return import_module(f".{BY_NAME[fmt].module}", __name__)


__all__ = ["BY_NAME", "FORMATS", "REGISTRY", "STREAMED_FORMATS", "Format", "render"]
