"""Conversion residue (grammar/residue.lark): the web page's metadata table (CBL608), Markdown
code blocks and fences (CBL609), Markdown links (the residue parts of CBL306 in the TAGS field,
of CBL503 elsewhere), Markdown escapes (CBL515), undecoded HTML entities (CBL516) and lines
re-wrapped by a text browser (CBL517).

A converter changes a whole file at once, so each rule reports its residue in a file once: a
lone node where it stands, several as one finding at the first of them (its line and column),
whose message counts them and names their lines, and whose fix takes them all out. A node's
edits are its fix (they leave the cable's text); only the re-join of a re-wrapped line is a
judgement.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cablelint.model.diagnostics import Edit, Finding, Fix, Related
from cablelint.model.residue import REWRAP_FORMS, REWRAP_WIDTH, ResidueNode
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
#: The fix of several nodes of a kind, and how a message counts them (singular, plural).
_FIX_ALL_TITLES = {
    "fence": "remove the fences",
    "code-block": "remove the code indentation",
    "link": "keep only the links' text",
    "escape": "remove the backslashes",
    "entity": "decode the entities",
    "rewrap": "join each line to the next one",
}
_NOUNS = {
    "fence": ("Markdown code fence", "Markdown code fences"),
    "code-block": (
        "Markdown code block indented by 4 spaces",
        "Markdown code blocks indented by 4 spaces",
    ),
    "link": ("Markdown link", "Markdown links"),
    "escape": ("Markdown escape", "Markdown escapes"),
    "entity": ("HTML entity left undecoded", "HTML entities left undecoded"),
    "entity bare": (
        "semicolon a converter added after a bare '&'",
        "semicolons a converter added after a bare '&'",
    ),
    "rewrap": (
        "line broken at 80 columns by a text browser",
        "lines broken at 80 columns by a text browser",
    ),
}
#: The order of a summary's parts: (kind, form), "*" for every form of the kind; an entity that
#: is a converter's semicolon after a bare ampersand is counted apart from undecoded ones.
_SUMMARY_ORDER = (
    ("fence", "*"),
    ("code-block", "*"),
    ("link", "*"),
    ("escape", "*"),
    ("entity", ""),
    ("entity", "bare"),
    ("rewrap", "*"),
)
#: How many line numbers a message names before it counts the rest.
_LINES_NAMED = 8


def _nodes(ctx: CheckContext, *kinds: str) -> list[ResidueNode]:
    return [node for node in ctx.cable.residue.nodes if node.kind in kinds]


def _report(ctx: CheckContext, *kinds: str, unsafe: bool = False) -> Iterator[Finding]:
    yield from _reported(ctx, _nodes(ctx, *kinds), unsafe=unsafe)


def _reported(
    ctx: CheckContext, nodes: Sequence[ResidueNode], *, unsafe: bool = False
) -> Iterator[Finding]:
    """One finding for ``nodes`` (of one rule, in file order): a lone node's own, or one for all
    of them at the first."""
    applicability = "unsafe" if unsafe else "safe"
    if len(nodes) == 1:
        node = nodes[0]
        fix = Fix(node.edits, applicability, _FIX_TITLES[node.kind])
        yield ctx.finding_on(node.span, node.detail, fix)
    elif nodes:
        kinds = dict.fromkeys(sorted(node.kind for node in nodes))
        title = " and ".join(_FIX_ALL_TITLES[kind] for kind in kinds).replace(" and remove", " and")
        yield _all(ctx, nodes, _summary(ctx, nodes), Fix(_edits(nodes), applicability, title))


def _all(ctx: CheckContext, nodes: Sequence[ResidueNode], message: str, fix: Fix) -> Finding:
    """A finding from the first of ``nodes`` to the end of the last (so that its fix stays on
    the lines it names), reported at the first, with each node as a related location."""
    first, last = nodes[0].span, max(node.span.end for node in nodes)
    related = tuple(Related(node.span, node.detail) for node in nodes)
    return Finding(ctx.span(first.start, last), message, fix, related=related)


def _edits(nodes: Sequence[ResidueNode]) -> tuple[Edit, ...]:
    return tuple(sorted(edit for node in nodes for edit in node.edits))


def _summary(ctx: CheckContext, nodes: Sequence[ResidueNode]) -> str:
    """'47 Markdown escapes (lines 12, 14 ... and 30 more); the first, '\\*': expected '*''; for
    code formatting, the fences and the blocks counted apart."""
    parts = []
    for kind, form in _SUMMARY_ORDER:
        of_kind = [node for node in nodes if node.kind == kind and form in ("*", node.form)]
        if of_kind:
            one, many = _NOUNS[f"{kind} {form}" if form.isalpha() else kind]
            noun = one if len(of_kind) == 1 else many
            if parts:  # '2 Markdown code fences (...) and 2 code blocks ...'
                noun = noun.removeprefix("Markdown ")
            where = _rewrap_forms(of_kind) if kind == "rewrap" else f" ({_lines(of_kind)})"
            parts.append(f"{len(of_kind)} {noun}{where}")
    message = " and ".join(parts)
    first = nodes[0]
    if first.kind in ("link", "escape", "entity"):
        token = ctx.text[first.span.start : first.span.end]
        message += f"; the first, '{token}': expected '{_cable_text(ctx, first)}'"
    return message


#: How a message names each way a browser broke a line (residue.REWRAP_FORMS).
_REWRAP_FORMS = dict(
    zip(
        REWRAP_FORMS,
        (f"at column {REWRAP_WIDTH}", "on a space it dropped", "before a curly quote"),
        strict=True,
    )
)


def _rewrap_forms(nodes: Sequence[ResidueNode]) -> str:
    """Where a browser broke each line: ': 3 at column 80 (lines 5, 9 and 12) and 1 on a space
    it dropped (line 7)', or ', all at column 80 (lines 5, 9 and 12)'."""
    forms = {form: [node for node in nodes if node.form == form] for form in _REWRAP_FORMS}
    parts = [(_REWRAP_FORMS[form], of_form) for form, of_form in forms.items() if of_form]
    if len(parts) == 1:
        words, of_form = parts[0]
        return f", all {words} ({_lines(of_form)})"
    named = [f"{len(of_form)} {words} ({_lines(of_form)})" for words, of_form in parts]
    return ": " + ", ".join(named[:-1]) + " and " + named[-1]


def _cable_text(ctx: CheckContext, node: ResidueNode) -> str:
    """The text the node's edits leave of it (a link's text, an escaped or encoded character)."""
    start, end = node.span.start, node.span.end
    pieces, cursor = [], start
    for edit in sorted(node.edits):
        pieces += [ctx.text[cursor : edit.start], edit.replacement]
        cursor = edit.end
    pieces.append(ctx.text[cursor:end])
    return "".join(pieces)


def _lines(nodes: Sequence[ResidueNode]) -> str:
    """The lines of ``nodes``: 'line 4', 'lines 7, 12-95 and 97', '... and 30 more' (a code
    block's first and last; a re-wrapped line's own, not the next that goes on with it)."""
    named = [
        f"{node.span.line}-{node.span.end_line}"
        if node.kind == "code-block" and node.span.end_line > node.span.line
        else str(node.span.line)
        for node in nodes
    ]
    named = list(dict.fromkeys(named))  # several links on one line: the line once
    word = "line" if len(named) == 1 and "-" not in named[0] else "lines"
    if len(named) > _LINES_NAMED:
        rest = len(named) - _LINES_NAMED
        return f"{word} {', '.join(named[:_LINES_NAMED])} and {rest} more"
    if len(named) == 1:
        return f"{word} {named[0]}"
    return f"{word} {', '.join(named[:-1])} and {named[-1]}"


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
    """Tags written as Markdown links: CBL306's, as the other ways of writing a tag wrong; all
    of them in one finding (a converter writes every tag so)."""
    start, end = _in_tags(ctx)
    links = [n for n in _nodes(ctx, "link") if start <= n.span.start < end]
    if not links:
        return
    codes = [_cable_text(ctx, node) for node in links]
    if len(links) == 1:
        node, code = links[0], codes[0]
        link = ctx.text[node.span.start : node.span.end]
        yield ctx.finding_on(
            node.span,
            f"tag '{code}' is written as a Markdown link '{link}': expected '{code}'",
            ctx.replace(node.span.start, node.span.end, code, f"Write '{code}'"),
        )
        return
    first = ctx.text[links[0].span.start : links[0].span.end]
    plain = " ".join(codes)
    edits = tuple(
        Edit(n.span.start, n.span.end, code) for n, code in zip(links, codes, strict=True)
    )
    yield _all(
        ctx,
        links,
        f"{len(links)} tags are written as Markdown links (the first '{first}'): expected "
        f"'{plain}'",
        Fix(edits, "safe", f"Write '{plain}'"),
    )


@residue_part("CBL503")
def markdown_link(ctx: CheckContext) -> Iterator[Finding]:
    """Markdown links outside the TAGS field."""
    start, end = _in_tags(ctx)
    links = [n for n in _nodes(ctx, "link") if not start <= n.span.start < end]
    yield from _reported(ctx, links)


@check("CBL515", residue=True)
def markdown_escape(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "escape")


@check("CBL516", residue=True)
def html_entity(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "entity")


@check("CBL517", residue=True)
def rewrapped_line(ctx: CheckContext) -> Iterator[Finding]:
    yield from _report(ctx, "rewrap", unsafe=True)
