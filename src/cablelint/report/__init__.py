"""Presentation only: every output format is a pure function of the file results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..results import FileResult
from . import github, gitlab, json_lines, json_list, junit, sarif, text

FORMATS = ("text", "json", "json-lines", "github", "sarif", "junit", "gitlab")

_SIMPLE = {
    "json": json_list.render,
    "json-lines": json_lines.render,
    "github": github.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
}


def render(
    results: Sequence[FileResult],
    fmt: str,
    *,
    specs: Mapping[str, Any] | None = None,
    show_source: bool = False,
) -> str:
    """The whole output of ``results`` in format ``fmt`` (one of ``FORMATS``)."""
    if fmt == "text":
        return text.render(results, show_source=show_source)
    if fmt == "sarif":
        return sarif.render(results, specs)
    if fmt in _SIMPLE:
        return _SIMPLE[fmt](results)
    raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")


__all__ = ["FORMATS", "render"]
