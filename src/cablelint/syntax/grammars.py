"""The Lark side: the grammars compiled by Lark, and the plain tables made from them.

A normal run never imports this module: tables.py reads the tables from the user cache and calls
the ``*_tables`` builders here only when the cache is missing or stale. Tests import it to
compare cablelint's runtime with Lark's own parsers.

This is the one module that reads Lark's internals (not its documented API): the parse table
and tree callbacks of a parser's ``parse_conf``, the contextual lexer's per-state lexers, their
scanners' compiled alternations (``_mres``), keyword callbacks, ignored terminals and terminal
widths, and the rules' options. Each builder turns a change in them into :class:`LarkChanged`,
one line; tests/test_lark_internals.py fails on a Lark version not in :data:`TESTED_LARK` and
compares the tables' parses with Lark's own parser on corpus cables.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import NamedTuple, TypeVar

from cablelint.support.resources import grammar_path
from cablelint.syntax import lalr
from cablelint.syntax.first_chars import (
    digit_blind,
    latin_1_first_chars,
    starts_beyond_latin_1,
)
from cablelint.syntax.lark_import import (
    Lark,
    Lexer,
    PostLex,
    Reduce,
    Shift,
    TerminalDef,
    UnlessCallback,
)
from cablelint.syntax.tables import (
    FIELD_STARTS,
    FieldTables,
    InlineTables,
    LexerTable,
    ResidueTables,
    StructureTables,
    Terminal,
    named_alternation,
)

#: The Lark versions whose internals this module was checked against.
TESTED_LARK = ("1.3.1",)
_F = TypeVar("_F", bound=Callable)


class LarkChanged(RuntimeError):
    """Lark's internals are not what this module reads (a Lark version it was not checked with)."""


def _reading_lark(build: _F) -> _F:
    """``build``, with any failure to read Lark's internals as one :class:`LarkChanged`."""

    @functools.wraps(build)
    def wrapped(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except (AttributeError, TypeError, KeyError, ValueError, IndexError) as exc:
            import lark

            raise LarkChanged(
                f"cannot read the grammar tables of Lark {lark.__version__} "
                f"(checked with Lark {', '.join(TESTED_LARK)}): {type(exc).__name__}: {exc}"
            ) from exc

    return wrapped  # type: ignore[return-value]


def lark_uses_regex() -> bool:
    """Whether Lark took the third-party ``regex`` module (see lark_import.py)."""
    import lark.utils

    return bool(lark.utils._has_regex)


class TablesOnly(Lexer):
    """Lark custom lexer for a parser made for its tables only: cable.lark's terminals are whole
    lines (some may be empty), which Lark's own lexers refuse; cablelint's parse.py makes the
    line tokens. To parse text with Lark's parser, give :func:`structure_parser` a lexer that
    yields them."""

    def __init__(self, lexer_conf) -> None:
        pass

    def lex(self, data: str) -> Iterator:  # type: ignore[override]
        raise NotImplementedError("a structure parser made for its tables only cannot lex")


def _open(name: str, **options) -> Lark:
    """``Lark.open`` of a shipped grammar. Lark's own cache is not used: it is a pickle (code,
    for whoever can write it); the tables made from the grammars are cached instead, as JSON."""
    return Lark.open(str(grammar_path(name)), **options)


#: cable.lark's terminals that no rule uses, found by search rather than parsed (Lark drops unused
#: terminals unless a post-lexer asks for them).
SEARCH_TERMINALS = ("GLUED_LABEL", "CAPTION_NAME")


class _KeepSearchTerminals(PostLex):
    """Keeps :data:`SEARCH_TERMINALS` among the grammar's terminals; passes tokens through."""

    always_accept = SEARCH_TERMINALS

    def process(self, stream: Iterator) -> Iterator:
        return stream


@cache
def structure_parser(lexer: type[Lexer] = TablesOnly) -> Lark:
    """grammar/cable.lark, parsing line tokens that ``lexer`` makes."""
    return _open(
        "cable.lark",
        parser="lalr",
        lexer=lexer,
        postlex=_KeepSearchTerminals(),
        propagate_positions=False,
        maybe_placeholders=False,
    )


@cache
def field_parser() -> Lark:
    """grammar/fields.lark, one start symbol per field kind."""
    return _open("fields.lark", parser="lalr", start=list(FIELD_STARTS), maybe_placeholders=True)


@cache
def inline_parser() -> Lark:
    """grammar/inline.lark (only its terminals and one-terminal rules are used)."""
    return _open("inline.lark", parser="lalr", lexer="basic")


@cache
def residue_parser() -> Lark:
    """grammar/residue.lark (only its terminals and one-terminal rules are used)."""
    return _open("residue.lark", parser="lalr", lexer="basic")


# ---- packing ------------------------------------------------------------------------------------
def _terminal(t: TerminalDef) -> Terminal:
    return Terminal(str(t.name), t.priority, t.pattern.to_regexp())


class LarkTable(NamedTuple):
    """A Lark LALR table as lalr's plain states, numbered the same way in every process (Lark's
    own numbering follows the order of Python's sets, which changes with the hash seed): from
    the start states, breadth first, each row's symbols in sorted order."""

    states: dict[int, dict[str, int]]
    rules: list  # the Lark rules the packed reductions index
    starts: dict[str, tuple[int, int]]  # start symbol -> (start state, end state)
    renumbered: dict[int, int]  # Lark's state -> ours
    callbacks: dict  # Lark's tree callback per rule (for tests: the reference tree builder)


@_reading_lark
def lark_table(lark: Lark, starts: Iterable[str] | None = None) -> LarkTable:
    """``lark``'s LALR table for ``starts`` (default: the grammar's start symbols), one table for
    all of them."""
    names = list(starts if starts is not None else lark.options.start)
    confs = [lark.parse_interactive("", start=name).parser_state.parse_conf for name in names]
    conf = confs[0]
    if any(other.states is not conf.states for other in confs):
        raise ValueError("Lark made one table per start symbol; cablelint expects one for all")
    for row in conf.states.values():
        for action, _arg in row.values():
            if action is not Shift and action is not Reduce:
                raise ValueError(f"a parse action is {action!r}, neither Shift nor Reduce")
    renumbered: dict[int, int] = {}
    queue = deque(c.start_state for c in confs)
    while queue:
        state = queue.popleft()
        if state in renumbered:
            continue
        renumbered[state] = len(renumbered)
        for _symbol, (action, arg) in sorted(conf.states[state].items(), key=_by_symbol):
            if action is Shift and arg not in renumbered:
                queue.append(arg)
    if len(renumbered) != len(conf.states):
        raise ValueError("the LALR table has states that no start symbol reaches")
    index: dict = {}
    states = {}
    for state, number in renumbered.items():
        row = {}
        for symbol, (action, arg) in sorted(conf.states[state].items(), key=_by_symbol):
            if action is Shift:
                row[str(symbol)] = renumbered[arg]
            else:
                row[str(symbol)] = -1 - index.setdefault(arg, len(index))
        states[number] = row
    return LarkTable(
        states=states,
        rules=list(index),
        starts={
            name: (renumbered[c.start_state], renumbered[c.end_state])
            for name, c in zip(names, confs, strict=True)
        },
        renumbered=renumbered,
        callbacks=dict(conf.callbacks),
    )


def _by_symbol(item: tuple[object, object]) -> str:
    return str(item[0])


def packed_rules(rules: list) -> tuple[lalr.PackedRule, ...]:
    """Lark rules as the table needs them: (symbols reduced, symbol made)."""
    return tuple((len(rule.expansion), str(rule.origin.name)) for rule in rules)


def tree_plan(rule) -> lalr.TreePlan:
    """How Lark's default tree builder makes ``rule``'s tree (see lalr.TreePlan)."""
    options = rule.options
    keep = tuple(
        (i, not sym.is_term and sym.name.startswith("_"))
        for i, sym in enumerate(rule.expansion)
        if options.keep_all_tokens or not (sym.is_term and sym.filter_out)
    )
    return lalr.TreePlan(
        name=str(rule.alias or options.template_source or rule.origin.name),
        size=len(rule.expansion),
        keep=keep,
        inline=rule.origin.name.startswith("_"),
        expand1=bool(options.expand1) and not rule.alias,
    )


@_reading_lark
def structure_tables(lark: Lark | None = None) -> StructureTables:
    """cable.lark's line terminals and LALR table with tree plans."""
    lark = lark or structure_parser()
    table = lark_table(lark)
    if any(isinstance(key, str) for key in table.callbacks):
        raise ValueError("the structure grammar has terminal callbacks; lalr.feed skips them")
    ((start_state, end_state),) = table.starts.values()
    terminals = tuple(_terminal(t) for t in lark.terminals)
    return StructureTables(
        terminals=terminals,
        states=table.states,
        rules=packed_rules(table.rules),
        plans=tuple(tree_plan(rule) for rule in table.rules),
        start_state=start_state,
        end_state=end_state,
        first_chars={t.name: latin_1_first_chars(t.regex) for t in terminals},
        widths={
            str(t.name): (int(t.pattern.min_width), int(t.pattern.max_width))
            for t in lark.terminals
        },
        beyond_latin_1=frozenset(t.name for t in terminals if starts_beyond_latin_1(t.regex)),
    )


@_reading_lark
def field_tables(lark: Lark | None = None) -> FieldTables:
    """fields.lark's LALR table, start and end states, and each state's contextual lexer."""
    lark = lark or field_parser()
    table = lark_table(lark, FIELD_STARTS)
    by_lexer: dict[tuple[str, ...], LexerTable] = {}  # by the terminals it tries: made once
    lexers = {}
    for state, lexer in sorted(field_parser_lexers(lark).items()):
        terminals = tuple(sorted(str(t.name) for t in lexer.terminals))
        if terminals not in by_lexer:
            by_lexer[terminals] = _lexer_table(lexer)
        lexers[table.renumbered[state]] = by_lexer[terminals]
    return FieldTables(
        states=table.states,
        rules=packed_rules(table.rules),
        starts=table.starts,
        kept=_kept_terminals(lark),
        lexers=dict(sorted(lexers.items())),
        digit_blind=frozenset(
            start
            for start, (state, _end) in table.starts.items()
            if all(_reads_no_digit(lexers[s]) for s in _reachable(table.states, state))
        ),
    )


def _reachable(states: lalr.PackedStates, start: int) -> set[int]:
    """The states a parse from ``start`` may have on its stack: those its shifts and gotos
    lead to (a superset of the states a parse meets)."""
    found = {start}
    todo = [start]
    while todo:
        for arg in states[todo.pop()].values():
            if arg >= 0 and arg not in found:
                found.add(arg)
                todo.append(arg)
    return found


def _reads_no_digit(lexer: LexerTable) -> bool:
    """Whether a lexer state's scan cannot tell one digit from another."""
    regexes = [regex for regex, _flags in lexer.patterns]
    regexes += [regex for alternations in lexer.keywords.values() for regex, _ in alternations]
    if lexer.past_spaces is not None:
        regexes.append(lexer.past_spaces[0])
    return all(digit_blind(regex) for regex in regexes)


def _lexer_table(lexer) -> LexerTable:
    """A contextual lexer state's scan: its regexes, ignored terminals and keyword callbacks."""
    scanner = lexer.scanner  # built on first use; builds lexer.callback too
    if not all(isinstance(m, re.Pattern) for m in scanner._mres):
        raise ValueError("a Lark scanner's alternations are not compiled regexes")
    keywords = {}
    for terminal, callback in lexer.callback.items():
        if not isinstance(callback, UnlessCallback):
            raise ValueError(f"terminal {terminal} has a callback other than Lark's keywords")
        keywords[str(terminal)] = tuple((m.pattern, m.flags) for m in callback.scanner._mres)
    patterns = tuple((m.pattern, m.flags) for m in scanner._mres)
    ordered = [(str(t.name), t.pattern.to_regexp()) for t in scanner.terminals]
    if len(patterns) == 1 and patterns[0][0] != named_alternation(ordered):
        raise ValueError("Lark's scanner no longer matches its terminals in the order it lists")
    return LexerTable(
        patterns=patterns,
        ignore=frozenset(map(str, lexer.ignore_types)),
        keywords=keywords,
        past_spaces=_past_spaces(lexer, ordered, patterns),
    )


def _past_spaces(
    lexer, ordered: list[tuple[str, str]], patterns: tuple[tuple[str, int], ...]
) -> tuple[str, int] | None:
    """One regex that skips a run of spaces and matches the token after it, as the scanner
    finds them one after the other; None unless the state's only ignored terminal is ``" +"``
    and its terminals are one alternation (see parse.FieldParser).

    The scanner tries its terminals in order at each position. At a space, a terminal listed
    before the spaces' own may match first: then no space is skipped (the negative lookahead);
    else the spaces are a token of their own, all of them (possessive: never given back), and
    the scanner goes on after them. No terminal matches nothing (Lark's lexer refuses that).
    Only a terminal that can start with a space (first_chars.py) can match first at one: the
    others are left out of the lookahead, which is left out too if none is left.
    """
    ignored = [(name, regex) for name, regex in ordered if name in lexer.ignore_types]
    if len(patterns) != 1 or len(ignored) != 1 or ignored[0][1] != " +":
        return None
    if any(t.pattern.min_width == 0 for t in lexer.terminals):
        return None
    regex, flags = patterns[0]
    before = [
        earlier
        for _name, earlier in ordered[: ordered.index(ignored[0])]
        if flags & re.VERBOSE or " " in latin_1_first_chars(earlier)
    ]
    if not before:  # the spaces, if any: as the engine's count, no group entered
        return f" *+(?:{regex})", flags
    guard = "|".join(f"(?:{earlier})" for earlier in before)
    return f"(?>(?!{guard}) +|)(?:{regex})", flags  # atomic, not ``?+``: see cable.lark


def _kept_terminals(lark: Lark) -> frozenset[str]:
    """Terminals a parse tree keeps (not anonymous punctuation), checked to hold in every rule."""
    kept: dict[str, bool] = {}
    for rule in lark.rules:
        for symbol in rule.expansion:
            if not symbol.is_term:
                continue
            keep = not symbol.filter_out
            if kept.setdefault(symbol.name, keep) != keep:
                raise ValueError(f"terminal {symbol.name} is kept by some rules only")
    return frozenset(str(name) for name, keep in kept.items() if keep)


def field_parser_lexers(lark: Lark) -> dict:
    """The field grammar's contextual lexer: its basic lexer per parser state (one table and
    one lexer serve every start symbol)."""
    return lark.parse_interactive("", start=FIELD_STARTS[0]).lexer_thread.lexer.lexers


@_reading_lark
def inline_tables(lark: Lark | None = None) -> InlineTables:
    """inline.lark's terminals as two alternations (anywhere, and where a paragraph's text
    starts: the ``*_LEAD`` terminals), the rule each terminal stands alone in, and the REDACTION
    terminal alone."""
    lark = lark or inline_parser()
    ordered = sorted(lark.terminals, key=lambda t: -t.priority)
    (redaction,) = (t.pattern.to_regexp() for t in lark.terminals if t.name == "REDACTION")
    return InlineTables(
        anywhere=_alternation(t for t in ordered if not t.name.endswith("_LEAD")),
        lead=_alternation(t for t in ordered if t.name.endswith("_LEAD")),
        rule_of={
            str(rule.expansion[0].name): str(rule.origin.name)
            for rule in lark.rules
            if len(rule.expansion) == 1 and rule.expansion[0].is_term
        },
        redaction=redaction,
    )


#: The residue grammar's terminals matched against a whole line; the others are inline.
RESIDUE_LINE_RULES = frozenset(
    {
        "page_table_head",
        "table_rule",
        "html_table_open",
        "html_table_close",
        "fence",
        "paragraph_line",
        "closing_quote_line",
        "opening_quote_line",
    }
)


def residue_tables(lark: Lark | None = None) -> ResidueTables:
    """residue.lark's line terminals, its inline terminals as one alternation, and the rule
    each terminal stands alone in."""
    lark = lark or residue_parser()
    rule_of = {
        str(rule.expansion[0].name): str(rule.origin.name)
        for rule in lark.rules
        if len(rule.expansion) == 1 and rule.expansion[0].is_term
    }
    ordered = sorted(lark.terminals, key=lambda t: -t.priority)
    lines = [t for t in ordered if rule_of.get(t.name) in RESIDUE_LINE_RULES]
    return ResidueTables(
        lines=tuple(_terminal(t) for t in lines),
        inline=_alternation(t for t in ordered if t.name in rule_of and t not in lines),
        rule_of=rule_of,
    )


def _alternation(terminals: Iterable[TerminalDef]) -> str:
    """The named alternation of ``terminals``, in order."""
    return named_alternation([(t.name, t.pattern.to_regexp()) for t in terminals])
