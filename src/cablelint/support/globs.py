"""Glob matching in time linear in the pattern times the path, whatever the pattern.

Configuration globs (``exclude``, ``per-file-ignores``, ``include``) come from the user. As a
regular expression, ``**/**/**/x`` backtracks exponentially on a deep path that does not match;
here a pattern is a list of tokens and a match is the set of path positions each token can reach,
one pass per token.

Tokens: ``**/`` any number of directories (none too), ``**`` anything, ``*`` anything within a
component, ``?`` one character of a component, ``[...]`` one character of a class (``[!...]``
negates), and any other character itself.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIRECTORIES = "**/"
_ANYTHING = "**"
_WITHIN = "*"
_ONE = "?"


def glob_matches(pattern: str, path: str) -> bool:
    """Whether ``pattern`` matches the whole of ``path``."""
    suffix = _star_suffix(pattern)
    if suffix is not None:  # ``*.txt``: asked of every file a walk finds
        return path.endswith(suffix) and "/" not in path[: len(path) - len(suffix)]
    reached = {0}
    size = len(path)
    for token in _tokens(pattern):
        if not reached:
            return False
        reached = _step(token, reached, path, size)
    return size in reached


def _step(token: str | re.Pattern, reached: set[int], path: str, size: int) -> set[int]:
    if token == _ANYTHING:
        return set(range(min(reached), size + 1))
    if token == _DIRECTORIES:
        first = min(reached)
        return reached | {i + 1 for i in range(first, size) if path[i] == "/"}
    if token == _WITHIN:
        out: set[int] = set()
        for start in sorted(reached):
            if start in out:
                continue  # a run of an earlier start already covers this component
            end = path.find("/", start)
            out.update(range(start, (size if end == -1 else end) + 1))
        return out
    if token == _ONE:
        return {i + 1 for i in reached if i < size and path[i] != "/"}
    if isinstance(token, re.Pattern):
        return {i + 1 for i in reached if i < size and token.fullmatch(path[i])}
    return {i + 1 for i in reached if path.startswith(token, i)}


def glob_problem(pattern: str) -> str | None:
    """What is wrong with ``pattern`` (a character class that is not one), or None."""
    try:
        _tokens(pattern)
    except re.error as error:
        return f"bad character class ({error.msg})"
    return None


@lru_cache(maxsize=1024)
def _star_suffix(pattern: str) -> str | None:
    """The text after the ``*`` of a pattern that is one ``*`` and then plain characters
    (``*.txt``), else None."""
    tokens = _tokens(pattern)
    if not tokens or tokens[0] != _WITHIN:
        return None
    rest = tokens[1:]
    if any(not isinstance(t, str) or t in (_DIRECTORIES, _ANYTHING, _WITHIN, _ONE) for t in rest):
        return None
    return "".join(rest)  # type: ignore[arg-type]


@lru_cache(maxsize=1024)
def _tokens(pattern: str) -> tuple[str | re.Pattern, ...]:
    out: list[str | re.Pattern] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith(_DIRECTORIES, i):
            if not out or out[-1] != _DIRECTORIES:  # ``**/**/`` is ``**/``
                out.append(_DIRECTORIES)
            i += 3
        elif pattern.startswith(_ANYTHING, i):
            out.append(_ANYTHING)
            i += 2
        elif pattern[i] in "*?":
            out.append(pattern[i])
            i += 1
        elif pattern[i] == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end].replace("\\", "\\\\").replace("[", "\\[")
            out.append(re.compile("[" + ("^" + body[1:] if body.startswith("!") else body) + "]"))
            i = end + 1
        else:
            out.append(pattern[i])
            i += 1
    return tuple(out)
