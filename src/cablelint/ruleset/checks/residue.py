"""Conversion residue (grammar/residue.lark): the web page's metadata table (CBL608), Markdown
code blocks and fences (CBL609), Markdown links (the residue parts of CBL306 in the TAGS field,
of CBL503 elsewhere), Markdown escapes
(CBL515), undecoded HTML entities (CBL516) and lines re-wrapped by a text browser (CBL517).

Each check reports the residue nodes of its kinds where they stand in the file; a node's edits
are its fix (they leave the cable's text). Only the re-join of a re-wrapped line is a judgement.
"""

from __future__ import annotations

from collections.abc import Iterator

from cablelint.model.diagnostics import Finding, Fix
from cablelint.ruleset.registry import CheckContext, check, residue_part

_FIX_TITLES = {
    "page-table": "remove the web page's table",
    "fence": "remove the fence",
    "code-block": "remove the code indentation",
    "link": "keep only the link text",
    "escape": "remove the backslash",
    "entity": "decode the entity",
    "rewrap": "join the line to the next one",
}


def _report(ctx: CheckContext, *kinds: str, unsafe: bool = False) -> Iterator[Finding]:
    applicability = "unsafe" if unsafe else "safe"
    for node in ctx.cable.residue.nodes:
        if node.kind in kinds:
            fix = Fix(node.edits, applicability, _FIX_TITLES[node.kind])
            yield ctx.finding_on(node.span, node.detail, fix)


@check("CBL608", residue=True)
def page_table(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "page-table")


@check("CBL609", residue=True)
def code_block(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "fence", "code-block")


def _in_tags(ctx: CheckContext) -> tuple[int, int]:
    """The file range of the TAGS field (a residue check reads the file; the model's spans are
    in the cable text inside the residue)."""
    tags = ctx.cable.tags
    if tags is None or not ctx.cable.residue.nodes:
        return (0, 0)
    return ctx.cable.residue.to_file_range(tags.span.start, tags.span.end)


@residue_part("CBL306")
def tag_link(ctx: CheckContext) -> Iterator[Finding]:
    """A tag written as a Markdown link: CBL306's, as the other ways of writing a tag wrong."""
    start, end = _in_tags(ctx)
    for node in ctx.cable.residue.nodes:
        if node.kind == "link" and start <= node.span.start < end:
            link = ctx.text[node.span.start : node.span.end]
            code = link[1 : link.index("](")]
            yield ctx.finding_on(
                node.span,
                f"tag '{code}' is written as a Markdown link '{link}': expected '{code}'",
                ctx.replace(node.span.start, node.span.end, code, f"Write '{code}'"),
            )


@residue_part("CBL503")
def markdown_link(ctx: CheckContext) -> Iterator[Finding]:
    """Markdown links outside the TAGS field."""
    start, end = _in_tags(ctx)
    for finding in _report(ctx, "link"):
        if not start <= finding.span.start < end:
            yield finding


@check("CBL515", residue=True)
def markdown_escape(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "escape")


@check("CBL516", residue=True)
def html_entity(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "entity")


@check("CBL517", residue=True)
def rewrapped_line(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "rewrap", unsafe=True)
