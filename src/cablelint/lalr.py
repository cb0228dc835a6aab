"""Running a Lark LALR table directly: the structure parser's token feed and tree building, and
the field parser's tree-less shift/reduce.

Lark builds the tables from the grammars; these loops apply them as Lark's ``ParserState`` does,
without its per-token exception on a rejected line and without the wrapper chain of its tree
builder. tests/test_lalr.py checks them against Lark's own parser and callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import NamedTuple, TypeVar

from .lark_import import Shift, Tree

END = "$END"
_T = TypeVar("_T")


class Reduce(NamedTuple):
    """An LALR reduction: how many values it pops, the symbol it makes, the tree callback."""

    size: int
    symbol: str
    build: Callable[[list], object]


#: Per LALR state and symbol: a shift as the state it goes to, or a reduction.
Actions = dict[int, dict[str, int | Reduce]]


def unpacked(conf, builders: dict | None = None) -> Actions:
    """A Lark LALR table unpacked once, rather than on every reduction; ``builders`` (rule ->
    callback) replaces Lark's tree callbacks."""
    callbacks = conf.callbacks if builders is None else builders
    reductions = {}
    for actions in conf.states.values():
        for action, rule in actions.values():
            if action is not Shift and rule not in reductions:
                reductions[rule] = Reduce(len(rule.expansion), rule.origin.name, callbacks[rule])
    return {
        state: {
            symbol: arg if action is Shift else reductions[arg]
            for symbol, (action, arg) in actions.items()
        }
        for state, actions in conf.states.items()
    }


def reachable(actions: Actions, start_state: int) -> set[int]:
    """The states a parse from ``start_state`` can reach (by shifts and gotos)."""
    seen, todo = {start_state}, [start_state]
    while todo:
        for target in actions[todo.pop()].values():
            if type(target) is int and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# ---- trees ------------------------------------------------------------------------------------
def tree_builders(rules: Iterable) -> dict:
    """Per grammar rule, a callback making the tree Lark's default tree builder makes (LALR,
    no placeholders, no position propagation), more cheaply.

    As in Lark, filtered-out terminals (``_BLANK``, anonymous punctuation) are dropped, children
    made by an inlined rule (``_name``, and Lark's ``__`` helper rules) are spliced into their
    parent, and a ``?rule`` with one child is replaced by it. Unlike Lark, an inlined rule
    yields a plain list of its children rather than a Tree that the parent then unpacks.
    """
    return {rule: _builder(rule) for rule in rules}


def _builder(rule) -> Callable[[list], object]:
    options = rule.options
    keep_all = options.keep_all_tokens
    plan = tuple(
        (i, not sym.is_term and sym.name.startswith("_"))
        for i, sym in enumerate(rule.expansion)
        if keep_all or not (sym.is_term and sym.filter_out)
    )
    name = rule.alias or options.template_source or rule.origin.name
    inline = rule.origin.name.startswith("_")
    expand1 = bool(options.expand1) and not rule.alias
    if len(plan) == len(rule.expansion) and not any(expand for _i, expand in plan):
        if inline:
            return _same  # the children as they are
        if not expand1:
            return lambda children: Tree(name, children)

    def build(children: list) -> object:
        kept: list = []
        for i, expand in plan:
            if expand:
                kept.extend(children[i])
            else:
                kept.append(children[i])
        if inline:
            return kept
        if expand1 and len(kept) == 1:
            return kept[0]
        return Tree(name, kept)

    return build


def _same(children: list) -> list:
    return children


class _EndOfInput(NamedTuple):
    """The token after the last one: its type is the table's end-of-input symbol."""

    type: str = END


_END_OF_INPUT = _EndOfInput()


def feed(
    actions: Actions, start_state: int, end_state: int, tokens: Iterable[_T]
) -> tuple[Tree, list[_T]]:
    """Parse ``tokens`` (anything with the terminal's name as ``type``, such as a Lark Token)
    with the table; returns the tree and the tokens it rejected.

    The loop of Lark's ``ParserState.feed_token``, except that a token the table rejects in the
    current state is set aside and parsing goes on (the reductions done before the rejection are
    kept, as in Lark). End of input goes through the same loop: it reduces until the end state,
    which has no action, so it is "rejected" there. The grammar must accept end of input in
    every state (every prefix complete); a ValueError says it did not.
    """
    state_stack = [start_state]
    value_stack: list = []
    dropped: list = []
    top = start_state
    for token in chain(tokens, (_END_OF_INPUT,)):
        kind = token.type
        while True:
            action = actions[top].get(kind)
            if action is None:
                dropped.append(token)
                break
            if type(action) is not Reduce:  # a shift
                top = action
                state_stack.append(top)
                value_stack.append(token)
                break
            size, symbol, build = action
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            top = actions[state_stack[-1]][symbol]
            state_stack.append(top)
            value_stack.append(children if build is _same else build(children))
    if top != end_state or not dropped or dropped[-1] is not _END_OF_INPUT:
        raise ValueError(f"the grammar does not accept end of input in state {top}")
    dropped.pop()
    return value_stack[-1], dropped


# ---- tree-less (fields) -----------------------------------------------------------------------
def shift(actions: Actions, stack: list[int], terminal: str) -> bool:
    """Reduce as the table says, then shift ``terminal``; False if the table rejects it."""
    while True:
        action = actions[stack[-1]].get(terminal)
        if action is None:
            return False
        if type(action) is not Reduce:
            stack.append(action)
            return True
        if action.size:
            del stack[-action.size :]
        stack.append(actions[stack[-1]][action.symbol])


def accept(actions: Actions, stack: list[int], end_state: int) -> bool:
    """Reduce on end of input until the start symbol is complete; False if the table rejects."""
    # The end state has no action: shift reduces up to it and stops there, shifting nothing.
    return not shift(actions, stack, END) and stack[-1] == end_state
