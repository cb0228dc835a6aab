"""Scopes: the named parts of a cable a declarative rule looks at.

``SCOPES[name](cable)`` returns the nodes of that scope in file order. Every node carries a
``.span`` (offsets into the text) and ``.lines`` (a ``Line`` stands for itself), so a rule can
search the node's text region ``text[span.start:span.end]`` and report on its first line.
A scope with no node in the cable gives an empty tuple. Scope functions only read the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from cablelint.model import cable as m
from cablelint.model.diagnostics import Span
from cablelint.syntax.lines import NOT_CONTENT


class Region(Protocol):
    """What a scope yields: anything with a span (a model ``Node`` or a physical ``Line``)."""

    @property
    def span(self) -> Span: ...


Scope = Callable[[m.Cable], tuple[Region, ...]]


def _some(*nodes: Region | None) -> tuple[Region, ...]:
    return tuple(n for n in nodes if n is not None)


def _header_field(name: str) -> Scope:
    def scope(cable: m.Cable) -> tuple[Region, ...]:
        return _some(getattr(cable.header, name)) if cable.header else ()

    scope.__name__ = f"scope_{name}"
    return scope


def _metadata(kind: type) -> Scope:
    def scope(cable: m.Cable) -> tuple[Region, ...]:
        return tuple(node for node in cable.metadata if isinstance(node, kind))

    scope.__name__ = f"scope_{kind.__name__}"
    return scope


def _line(cable: m.Cable) -> tuple[Region, ...]:
    return cable.lines


def _header(cable: m.Cable) -> tuple[Region, ...]:
    return _some(cable.header)


def _dateline(cable: m.Cable) -> tuple[Region, ...]:
    return cable.datelines


def _banner(cable: m.Cable) -> tuple[Region, ...]:
    return cable.banners


def _caption(cable: m.Cable) -> tuple[Region, ...]:
    return cable.captions


def _passline(cable: m.Cable) -> tuple[Region, ...]:
    return cable.passlines


def _paragraph(cable: m.Cable) -> tuple[Region, ...]:
    return cable.paragraphs


def _body(cable: m.Cable) -> tuple[Region, ...]:
    return _some(cable.body)


def _signature(cable: m.Cable) -> tuple[Region, ...]:
    return _some(cable.signature)


SCOPES: dict[str, Scope] = {
    "line": _line,
    "header": _header,
    "transmission-id": _header_field("transmission_id"),
    "routing": _header_field("routing"),
    "de": _header_field("de"),
    "zn": _header_field("zn"),
    "dtg": _header_field("dtg"),
    "fm": _header_field("fm"),
    "to": _header_field("to"),
    "info": _header_field("info"),
    "dateline": _dateline,
    "banner": _banner,
    "caption": _caption,
    "passline": _passline,
    "eo": _metadata(m.EoLine),
    "tags": _metadata(m.TagsField),
    "subject": _metadata(m.SubjectField),
    "ref": _metadata(m.RefField),
    "classified-by": _metadata(m.ClassifiedBy),
    "paragraph": _paragraph,
    "body": _body,
    "signature": _signature,
}


def nodes(cable: m.Cable, scope: str) -> tuple[Region, ...]:
    """The nodes of ``scope`` in ``cable``, in file order (KeyError for an unknown scope)."""
    return SCOPES[scope](cable)


def region(text: str, node: Region | Span) -> tuple[int, int]:
    """The text region ``(start, end)`` of a node (or span): without the trailing whitespace
    and CR of its last line."""
    span = node if isinstance(node, Span) else node.span
    start, end = span.start, span.end
    while end > start and text[end - 1] in NOT_CONTENT:
        end -= 1
    return start, end


def first_line(lines: Sequence[m.Line], node: Region) -> Span:
    """The span of the node's first physical line (where a whole-node finding is reported)."""
    if isinstance(node, m.Line):
        return node.content_span
    own = getattr(node, "lines", None)
    if own:
        return own[0].content_span
    return lines[node.span.line - 1].content_span
