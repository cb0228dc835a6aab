"""The Lark side: the grammars compiled by Lark, and the plain tables made from them.

A normal run never imports this module: tables.py reads the tables from the user cache and calls
the ``*_tables`` builders here only when the cache is missing or stale. Tests import it to
compare cablelint's runtime with Lark's own parsers.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from functools import cache

from . import lalr
from .digitblind import digit_blind, literal_digit_blind
from .firstchars import ANY, DECIMAL, can_start, first_chars, named_alternation
from .lark_import import Lark, Lexer, Shift, TerminalDef, UnlessCallback
from .parse import FIELD_STARTS, line_tokens
from .resources import grammar_path
from .tables import (
    FieldTables,
    InlineTables,
    LexerTable,
    ResidueTables,
    StructureTables,
    Terminal,
)
from .usercache import cache_file, replace_atomically, temp_path


class LineLexer(Lexer):
    """Lark custom lexer: yields the line tokens of the text being parsed (so that Lark's own
    parser can parse a cable, for the tests)."""

    def __init__(self, lexer_conf) -> None:
        pass

    def lex(self, data: str) -> Iterator:  # type: ignore[override]
        return iter(line_tokens(data))


def _open(name: str, **options) -> Lark:
    """``Lark.open`` with Lark's cache in the per-user cache directory, written atomically.

    Lark checks that a cache file matches the grammar, the options and its own version, and
    rebuilds when it does not or cannot be read; a directory that cannot be written only costs
    the build.
    """
    path = str(grammar_path(name))
    target = cache_file(f"{name}-py{sys.version_info[0]}.{sys.version_info[1]}.lark-cache")
    if target is None:
        return Lark.open(path, **options)
    if target.exists():
        return Lark.open(path, cache=str(target), **options)
    tmp = temp_path(target)
    parser = Lark.open(path, cache=str(tmp), **options)
    if tmp.exists():
        replace_atomically(tmp, target)
    return parser


@cache
def structure_parser() -> Lark:
    """grammar/cable.lark, parsing line tokens."""
    return _open(
        "cable.lark",
        parser="lalr",
        lexer=LineLexer,
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


def packed(conf) -> tuple[dict[int, dict[str, int]], list]:
    """A Lark parse table as lalr's plain states, and the Lark rules its reductions index."""
    index: dict = {}
    states = {}
    for state, row in conf.states.items():
        packed = {}
        for symbol, (action, arg) in row.items():
            if action is Shift:
                packed[str(symbol)] = arg
            else:
                packed[str(symbol)] = -1 - index.setdefault(arg, len(index))
        states[state] = packed
    return states, list(index)


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


def structure_tables(lark: Lark | None = None) -> StructureTables:
    """cable.lark's line terminals, first characters and LALR table with tree plans."""
    lark = lark or structure_parser()
    conf = lark.parse_interactive("").parser_state.parse_conf
    if any(isinstance(key, str) for key in conf.callbacks):
        raise ValueError("the structure grammar has terminal callbacks; lalr.feed skips them")
    states, rules = packed(conf)
    terminals = tuple(_terminal(t) for t in lark.terminals)
    return StructureTables(
        terminals=terminals,
        first_chars={t.name: first_chars(t.regex) for t in terminals},
        states=states,
        rules=packed_rules(rules),
        plans=tuple(tree_plan(rule) for rule in rules),
        start_state=conf.start_state,
        end_state=conf.end_state,
    )


def field_tables(lark: Lark | None = None) -> FieldTables:
    """fields.lark's LALR table, start and end states, and each state's contextual lexer."""
    lark = lark or field_parser()
    starts = {}
    for start in FIELD_STARTS:
        conf = lark.parse_interactive("", start=start).parser_state.parse_conf
        starts[start] = (conf.start_state, conf.end_state)
    states, lark_rules = packed(conf)  # one table for every start symbol
    rules = packed_rules(lark_rules)
    lark_lexers = field_parser_lexers(lark)
    by_lexer: dict[int, LexerTable] = {}  # states share lexers: store each once
    lexers = {}
    for state, lexer in lark_lexers.items():
        if id(lexer) not in by_lexer:
            by_lexer[id(lexer)] = _lexer_table(lexer)
        lexers[state] = by_lexer[id(lexer)]
    actions = lalr.unpacked(states, rules)
    return FieldTables(
        states=states,
        rules=rules,
        starts=starts,
        kept=_kept_terminals(lark),
        lexers=lexers,
        digit_blind=_digit_blind_kinds(lark, lark_lexers, actions, starts),
    )


def _lexer_table(lexer) -> LexerTable:
    """A contextual lexer state's scan: its regexes, ignored terminals and keyword callbacks."""
    scanner = lexer.scanner  # built on first use; builds lexer.callback too
    keywords = {}
    for terminal, callback in lexer.callback.items():
        if not isinstance(callback, UnlessCallback):
            raise ValueError(f"terminal {terminal} has a callback other than Lark's keywords")
        keywords[str(terminal)] = tuple((m.pattern, m.flags) for m in callback.scanner._mres)
    return LexerTable(
        patterns=tuple((m.pattern, m.flags) for m in scanner._mres),
        ignore=frozenset(map(str, lexer.ignore_types)),
        keywords=keywords,
        skips_spaces=_skips_spaces(lexer),
    )


def _skips_spaces(lexer) -> bool:
    """Whether the lexer's only ignored terminal is ``" +"`` and no other terminal can start
    with a space or match nothing: then a run of spaces is always an ignored token, whatever
    comes after it (see parse.FieldParser)."""
    ignored = [t for t in lexer.terminals if t.name in lexer.ignore_types]
    if [t.pattern.to_regexp() for t in ignored] != [" +"]:
        return False
    for terminal in lexer.terminals:
        if terminal.name in lexer.ignore_types:
            continue
        chars, nullable = first_chars(terminal.pattern.to_regexp())
        if nullable or terminal.pattern.flags or can_start(chars, " "):
            return False
    return True


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


def _digit_blind_kinds(
    lark: Lark, lexers: dict, actions: lalr.Actions, starts: dict[str, tuple[int, int]]
) -> frozenset[str]:
    """The field kinds whose parse can only meet digit-blind terminals: those the contextual
    lexer tries in every parser state reachable from the kind's start, ignored ones included."""
    blind = {
        t.name: digit_blind(t.pattern.to_regexp())
        if t.pattern.type == "re"
        else literal_digit_blind(t.pattern.value)
        for t in lark.terminals
    }

    def is_blind(state: int) -> bool:  # a state without a lexer of its own is not known blind
        lexer = lexers.get(state)
        return lexer is not None and all(blind.get(t.name, False) for t in lexer.terminals)

    return frozenset(
        kind
        for kind, (start, _end) in starts.items()
        if all(map(is_blind, lalr.reachable(actions, start)))
    )


def field_parser_lexers(lark: Lark) -> dict:
    """The field grammar's contextual lexer: its basic lexer per parser state (one table and
    one lexer serve every start symbol)."""
    return lark.parse_interactive("", start=FIELD_STARTS[0]).lexer_thread.lexer.lexers


def inline_tables(lark: Lark | None = None) -> InlineTables:
    """inline.lark's terminals as two alternations (anywhere, and where a paragraph's text
    starts: the ``*_LEAD`` terminals), and the rule each terminal stands alone in."""
    lark = lark or inline_parser()
    ordered = sorted(lark.terminals, key=lambda t: -t.priority)
    return InlineTables(
        anywhere=_alternation(t for t in ordered if not t.name.endswith("_LEAD")),
        lead=_alternation(t for t in ordered if t.name.endswith("_LEAD")),
        rule_of={
            str(rule.expansion[0].name): str(rule.origin.name)
            for rule in lark.rules
            if len(rule.expansion) == 1 and rule.expansion[0].is_term
        },
    )


#: The residue grammar's terminals matched against a whole line; the others are inline.
RESIDUE_LINE_RULES = frozenset(
    {"page_table_head", "table_rule", "html_table_open", "html_table_close", "fence"}
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
    """The named alternation of ``terminals``, behind a lookahead for the characters a match can
    start with (when every terminal bounds them): positions that cannot start one fail fast."""
    import re

    regexes = [(t.name, t.pattern.to_regexp()) for t in terminals]
    pattern = named_alternation(regexes)
    starts = [first_chars(regex) for _name, regex in regexes]
    if regexes and all(chars is not ANY and not empty for chars, empty in starts):
        union = set().union(*(chars for chars, _empty in starts))
        digits = r"\d" if DECIMAL in union else ""
        allowed = re.escape("".join(sorted(union - {DECIMAL})))
        pattern = f"(?=[{allowed}{digits}])(?:{pattern})"
    return pattern
