"""Whether a text is a cable at all, decided from the grammar's line kinds.

File discovery finds every ``*.txt``; a collection also holds READMEs, requirements and licence
texts. A text is a cable when the line classifier (grammar/cable.lark) finds a line that prose
never has and every cable keeps, even damaged or converted: a transmission, routing, DE, ZN or
DTG line, a banner, an E.O. or Classified By line, a section line, a dateline, the
partial-extract notice; else a paragraph mark with a pilcrow or a classification marking; else
two of the TAGS, SUBJECT and REF labels and the captions (SIPDIS ...). Converters that indent
the cable as a code block hide these kinds, so the lines are classified once more without their
indentation before a text is called prose.
"""

from __future__ import annotations

from cablelint.model.build import cable_paragraph_mark
from cablelint.model.source import SourceText
from cablelint.syntax.parse import line_table

#: Line kinds only a cable has: one is enough.
CABLE_KINDS = frozenset(
    {"TID", "ROUTE", "DE", "ZN", "DTG", "BANNER", "EO", "CLBY", "SECTION", "DATELINE"}
    | {"PARTIAL", "INFOLOG"}
)
#: Line kinds prose may have one of (an email's Subject:, a vim help file's tags), but not two.
LABEL_KINDS = frozenset({"TAGS", "SUBJECT", "REF", "CAPTION"})


def is_cable(source: SourceText) -> bool:
    """Whether to lint ``source`` as a cable: binary and empty files are (their own rules say
    what they are), and so is any text with the lines of a cable."""
    if source.binary or not source.text.strip():
        return True
    return looks_like_cable(source.text)


def looks_like_cable(text: str) -> bool:
    """Whether ``text`` has the lines of a cable (see the module docstring).

    The line table is memoised, so linting the text afterwards classifies it no second time.
    """
    table = line_table(text)
    if _cable_lines(table.lines, table.kinds):
        return True
    stripped = [line.strip() for line in table.lines]
    if stripped == table.lines:
        return False
    again = line_table("\n".join(stripped))
    return _cable_lines(again.lines, again.kinds)


def _cable_lines(lines: list[str], kinds: list[str]) -> bool:
    found = set(kinds)
    if not CABLE_KINDS.isdisjoint(found) or len(LABEL_KINDS & found) >= 2:
        return True
    if "PARA" not in found:
        return False
    return any(
        k == "PARA" and cable_paragraph_mark(line) for line, k in zip(lines, kinds, strict=True)
    )
