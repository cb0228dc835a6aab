"""``re.compile``, with each pattern's compiled code kept in the user cache.

CPython compiles a regular expression mostly in Python (``re._parser``, then ``re._compiler``);
only the last step, ``_sre.compile``, which takes the generated code, is in C. cablelint
compiles about 150 patterns before it checks its first cable (the line classifier, the field
lexer, the rules): 25-30 ms of a one-cable check. This module stores each pattern's generated
code and hands it straight to ``_sre.compile`` on later runs (about 1 ms for all of them).

The code depends on the Python build: the file is keyed by the full ``sys.version`` and SRE's
magic number and code size, and entries are looked up by pattern text and flags. Anything
unexpected (no cache directory, a stale or damaged file, an ``re`` whose internals differ) falls
back to ``re.compile``. New entries are written by :func:`store` (the command line calls it
once a run is over, with the entries its worker processes handed back), atomically, together
with the ones read.
"""

from __future__ import annotations

import re
import sys

try:  # CPython's regex engine and compiler (Python 3.11+, as required)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another implementation: plain re.compile
    _sre = None

from .usercache import read_marshalled, write_marshalled

#: A pattern's compiled form: final flags, code, groups, group index, and index to group.
_Entry = tuple[int, list[int], int, dict[str, int], tuple]
_FILE = "regex-code.marshal"
#: Above this many entries, :func:`store` keeps only those this process used.
MAX_ENTRIES = 4000

_entries: dict[tuple[str, int], _Entry] | None = None  # read on first use
_new: dict[tuple[str, int], _Entry] = {}
_used: set[tuple[str, int]] = set()
_working = _sre is not None  # False once generating code failed for a valid pattern


def _build_key() -> str:
    magic = getattr(_sre, "MAGIC", None)
    return f"{sys.version}|{magic}|{getattr(_sre, 'CODESIZE', None)}"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for a ``str`` pattern, from the cached code if it has it."""
    global _working
    if not _working or type(pattern) is not str:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    entries = _loaded()
    entry = entries.get(key) or _new.get(key)
    if entry is not None:
        try:
            compiled = _sre.compile(pattern, *entry)
        except Exception:  # damaged or foreign code: compile it afresh
            entries.pop(key, None)
        else:
            _used.add(key)
            return compiled
    try:
        entry = _generate(pattern, int(flags))
        compiled = _sre.compile(pattern, *entry)
    except re.error:
        return re.compile(pattern, flags)  # raises the error as re.compile does
    except Exception:  # re's internals are not what this module expects: leave them alone
        _working = False
        return re.compile(pattern, flags)
    _new[key] = entry
    _used.add(key)
    return compiled


def _generate(pattern: str, flags: int) -> _Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile``, as plain data."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    return (
        int(flags | state.flags),
        [int(op) for op in code],
        state.groups - 1,
        dict(state.groupdict),
        tuple(indexgroup),
    )


def _loaded() -> dict[tuple[str, int], _Entry]:
    global _entries
    if _entries is None:
        _entries = read_marshalled(_FILE, _build_key()) or {}  # missing or stale: start empty
    return _entries


def holds(pattern: str, flags: int = 0) -> bool:
    """Whether :func:`compile` has the code of ``pattern`` (compiling it is then cheap)."""
    key = (pattern, int(flags))
    return key in _new or key in _loaded()


def compiled_afresh() -> dict[tuple[str, int], _Entry]:
    """The entries this process compiled and has not stored (a worker hands them on)."""
    return dict(_new)


def adopt(entries: dict[tuple[str, int], _Entry]) -> None:
    """Take entries another process of this run compiled, to be written by :func:`store`."""
    for key, entry in entries.items():
        if key not in _loaded():
            _new[key] = entry


def store() -> None:
    """Write the patterns compiled afresh in this process to the cache, with those read."""
    global _entries
    if not _new:
        return
    entries = {**_loaded(), **_new}
    if len(entries) > MAX_ENTRIES:
        entries = {key: entry for key, entry in entries.items() if key in _used}
    _entries = entries
    _new.clear()
    write_marshalled(_FILE, _build_key(), entries)
