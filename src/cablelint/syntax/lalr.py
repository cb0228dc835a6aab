"""Running a Lark LALR table directly: the structure parser's token feed and tree building, and
the memoised moves that it and the field parser's tree-less loop share.

Lark builds the tables from the grammars (grammars.py packs them as plain data); these loops
apply them as Lark's ``ParserState`` does, without its per-token exception on a rejected line and
without the wrapper chain of its tree builder, and without importing Lark. tests/test_lalr.py
checks them against Lark's own parser and callbacks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from typing import NamedTuple, TypeVar

END = "$END"
_T = TypeVar("_T")


class Reduce(NamedTuple):
    """An LALR reduction: how many values it pops, the symbol it makes, the tree callback."""

    size: int
    symbol: str
    build: Callable[[list], object] | None


#: Per LALR state and symbol: a shift as the state it goes to, or a reduction.
Actions = dict[int, dict[str, int | Reduce]]
#: A table as plain data: per state and symbol, a shift as the state it goes to (>= 0), or a
#: reduction as ``-1 - i``, ``i`` indexing the table's rules.
PackedStates = Mapping[int, Mapping[str, int]]
#: A grammar rule as the table needs it: how many symbols it reduces, and the symbol it makes.
PackedRule = tuple[int, str]


def unpacked(
    states: PackedStates,
    rules: Sequence[PackedRule],
    builders: Sequence[Callable[[list], object]] | None = None,
) -> Actions:
    """A packed table as :data:`Actions`, each reduction made once; ``builders`` (one per rule)
    make the trees, if any are wanted."""
    reductions = [
        Reduce(size, symbol, builders[i] if builders is not None else None)
        for i, (size, symbol) in enumerate(rules)
    ]
    return {
        state: {symbol: arg if arg >= 0 else reductions[-1 - arg] for symbol, arg in row.items()}
        for state, row in states.items()
    }


# ---- trees ------------------------------------------------------------------------------------
class Tree(NamedTuple):
    """A node of the structure tree: the rule's name and its children (trees and line tokens).

    What Lark's ``Tree`` holds for cablelint, without Lark: made from a tuple at C speed.
    ``pretty()`` prints as Lark's does.
    """

    data: str
    children: list

    def pretty(self, indent: str = "  ") -> str:
        """The tree, one node or line per line, indented by depth (Lark's layout, except that
        every line of a multi-line token stands at the token's depth)."""
        out: list[str] = []
        self._pretty(0, indent, out)
        return "".join(out)

    def _pretty(self, depth: int, indent: str, out: list[str]) -> None:
        children = self.children
        if (
            len(children) == 1
            and not isinstance(children[0], Tree)
            and "\n" not in str(children[0])
        ):
            out.append(f"{indent * depth}{self.data}\t{children[0]}\n")
            return
        out.append(f"{indent * depth}{self.data}\n")
        for child in children:
            if isinstance(child, Tree):
                child._pretty(depth + 1, indent, out)
            else:  # a run of lines is one token: each line at the child's depth
                lines = str(child).split("\n")
                out.extend(f"{indent * (depth + 1)}{line}\n" for line in lines)


class TreePlan(NamedTuple):
    """How a rule's reduction makes its tree, as Lark's default tree builder does (LALR, no
    placeholders, no position propagation): which children it keeps and what it makes.

    Filtered-out terminals (``_BLANK``, anonymous punctuation) are not kept; children made by an
    inlined rule (``_name``, Lark's ``__`` helpers) are spliced into their parent; an inlined
    rule yields its kept children as a list; a ``?rule`` with one child is replaced by it.
    """

    name: str  # the tree's name (the rule's alias or name)
    size: int  # symbols reduced
    keep: tuple[tuple[int, bool], ...]  # (index, splice) of each kept child
    inline: bool  # the rule is inlined into its parent
    expand1: bool  # one kept child replaces the tree


def tree_builder(plan: TreePlan) -> Callable[[list], object]:
    """The reduction callback of ``plan``: cheaper than Lark's chain of wrappers."""
    name, size, keep, inline, expand1 = plan
    if len(keep) == size and not any(splice for _i, splice in keep):
        if inline:
            return _same  # the children as they are
        if not expand1:
            return lambda children: _new(Tree, (name, children))
    if keep == ((0, True),) and size == 1 and inline:
        return pass_through  # "_a: _b": the one child's list is the result
    if keep[:1] == ((0, True),) and not expand1:
        return _extending(name, keep[1:], inline)
    if keep == ((0, False), (1, True)) and not inline and not expand1:
        return lambda children: _new(Tree, (name, [children[0], *children[1]]))  # a head line

    def build(children: list) -> object:
        kept: list = []
        for i, splice in keep:
            if splice:
                kept.extend(children[i])
            else:
                kept.append(children[i])
        if inline:
            return kept
        if expand1 and len(kept) == 1:
            return kept[0]
        return _new(Tree, (name, kept))

    return build


def _extending(name: str, rest: tuple[tuple[int, bool], ...], inline: bool) -> Callable:
    """A builder whose first kept child is an inlined rule's list (``__x: __x X``, the
    repetitions): that list belongs to this reduction alone (the parser made it and popped it
    off its stack), so it is extended in place rather than copied, once per repetition."""
    if inline and len(rest) == 1:
        i, splice = rest[0]

        def append_one(children: list) -> list:
            kept = children[0]
            kept.append(children[i])
            return kept

        def extend_one(children: list) -> list:
            kept = children[0]
            kept.extend(children[i])
            return kept

        return extend_one if splice else append_one
    if not inline and not rest:
        return lambda children: _new(Tree, (name, children[0]))

    def build(children: list) -> object:
        kept = children[0]
        for i, splice in rest:
            if splice:
                kept.extend(children[i])
            else:
                kept.append(children[i])
        return kept if inline else _new(Tree, (name, kept))

    return build


_new = tuple.__new__  # a NamedTuple without its Python-level __new__


def _same(children: list) -> list:
    return children


def pass_through(children: list) -> object:
    """The builder of a unit reduction that changes nothing on the value stack (an inlined rule
    whose one symbol is an inlined rule): the moves leave it out."""
    return children[0]


class _EndOfInput(NamedTuple):
    """The token after the last one: its type is the table's end-of-input symbol."""

    type: str = END


_END_OF_INPUT = _EndOfInput()


#: A memoised move on one token: the state stack after its reductions and (if the table takes
#: it) its shift, that stack's row of moves (see :data:`Moves`), the reductions made on the way
#: (size and tree builder), and whether it was shifted. It depends only on the stack and the
#: token's type.
Move = tuple[tuple[int, ...], dict, tuple[tuple[int, Callable[[list], object]], ...], bool]
#: A table's memo of moves: per state stack, its row, the moves by token type. A move holds the
#: row of the stack it leads to, so the loops look a move up by the token's type alone (no
#: tuple made and hashed per token).
Moves = dict[tuple[int, ...], dict[str, Move]]
#: State stacks whose rows are kept at most per table (the corpus makes a few hundred).
MAX_MOVES = 100_000


def feed(
    actions: Actions,
    start_state: int,
    end_state: int,
    tokens: Iterable[_T],
    moves: Moves | None = None,
) -> tuple[Tree, list[_T]]:
    """Parse ``tokens`` (anything with the terminal's name as ``type``, such as a Lark Token)
    with the table; returns the tree and the tokens it rejected.

    The loop of Lark's ``ParserState.feed_token``, except that a token the table rejects in the
    current state is set aside and parsing goes on (the reductions done before the rejection are
    kept, as in Lark). End of input goes through the same loop: it reduces until the end state,
    which has no action, so it is "rejected" there. The grammar must accept end of input in
    every state (every prefix complete); a ValueError says it did not.

    The state stack is a tuple, and each (stack, token type)'s move is looked up in ``moves``
    (a memo for this table, kept across calls by the caller: the current stack's row, by the
    token's type) and worked out on a miss: stacks stay shallow (repetitions are
    left-recursive) and recur from line to line, so the loop mostly replays the reductions'
    tree builders.
    """
    moves = {} if moves is None else moves
    stack = (start_state,)
    row = row_of(moves, stack)
    values: list = []
    dropped: list = []
    for token in chain(tokens, (_END_OF_INPUT,)):
        kind = token.type
        move = row.get(kind) or remember_move(actions, moves, row, stack, kind)
        stack, row, reductions, shifted = move
        for size, build in reductions:
            if size == 1:  # the commonest: the top value in place, without two slices
                values[-1] = [values[-1]] if build is _same else build([values[-1]])
                continue
            if size:
                children = values[-size:]
                del values[-size:]
            else:
                children = []
            values.append(build(children))
        if shifted:
            values.append(token)
        else:
            dropped.append(token)
    if stack[-1] != end_state or not dropped or dropped[-1] is not _END_OF_INPUT:
        raise ValueError(f"the grammar does not accept end of input in state {stack[-1]}")
    dropped.pop()
    return values[-1], dropped


def row_of(moves: Moves, stack: tuple[int, ...]) -> dict[str, Move]:
    """The row of ``stack`` in ``moves``: its memoised moves by token type (an unusual run that
    fills the memo starts it again rather than grow it)."""
    row = moves.get(stack)
    if row is None:
        if len(moves) >= MAX_MOVES:
            moves.clear()
        row = moves[stack] = {}
    return row


def remember_move(
    actions: Actions, moves: Moves, row: dict[str, Move], stack: tuple[int, ...], kind: str
) -> Move:
    """Work out the move of ``stack`` (whose row in ``moves`` is ``row``) on ``kind`` and keep
    it in the row."""
    after, reductions, shifted = move(actions, stack, kind)
    found = row[kind] = (after, row_of(moves, after), reductions, shifted)
    return found


def move(
    actions: Actions, stack: tuple[int, ...], kind: str
) -> tuple[tuple[int, ...], tuple[tuple[int, Callable[[list], object]], ...], bool]:
    """What the table does on a token of type ``kind`` with ``stack``: the stack after it, the
    reductions and whether it was shifted (see :data:`Move`)."""
    work = list(stack)
    reductions = []
    while True:
        action = actions[work[-1]].get(kind)
        if action is None:
            return tuple(work), tuple(reductions), False
        if type(action) is not Reduce:  # a shift
            work.append(action)
            return tuple(work), tuple(reductions), True
        size, symbol, build = action
        if size:
            del work[-size:]
        work.append(actions[work[-1]][symbol])
        if build is not pass_through or size != 1:
            reductions.append((size, build))
