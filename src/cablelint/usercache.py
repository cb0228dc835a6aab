"""The per-user cache of derived data (grammar tables, compiled regex code, parsed rule specs and
reference data, Lark's own grammar cache): never required.

``$CABLELINT_CACHE_HOME``, else ``$XDG_CACHE_HOME/cablelint``, else ``~/.cache/cablelint``; one
sub-directory per cablelint version. Every use must work when the directory cannot be created,
read or written: callers fall back to building what they need.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path

from . import __version__


def cache_home() -> Path | None:
    """This version's cache directory (not created); None when no home can be determined."""
    explicit = os.environ.get("CABLELINT_CACHE_HOME")
    if explicit:
        return Path(explicit) / __version__
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        base = Path(xdg) if xdg else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        return None
    return base / "cablelint" / __version__


def cache_file(name: str) -> Path | None:
    """``name`` in the cache directory, creating the directory; None when that fails."""
    home = cache_home()
    if home is None:
        return None
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return home / name


def temp_path(target: Path) -> Path:
    """A file name beside ``target`` for this process to write before it replaces ``target``."""
    return target.with_name(f"{target.name}.{os.getpid()}.tmp")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file; quietly nothing on failure."""
    tmp = temp_path(target)
    try:
        tmp.write_bytes(data)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    replace_atomically(tmp, target)


def replace_atomically(tmp: Path, target: Path) -> None:
    """Move a freshly written ``tmp`` over ``target``; drop it quietly on failure."""
    try:
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def read_marshalled(name: str, key: str) -> dict | None:
    """The dict :func:`write_marshalled` kept as ``name`` under ``key`` (a build key: the code
    in it is only good for that Python); None when missing, stale or damaged."""
    target = cache_file(name)
    if target is None:
        return None
    with contextlib.suppress(Exception):
        with open(target, "rb") as fh:
            data = fh.read()  # marshal.load(fh) would read object by object: 15x slower
        found, entries = marshal.loads(data)
        if found == key and type(entries) is dict:
            return entries
    return None


def write_marshalled(name: str, key: str, entries: dict) -> None:
    """Keep ``entries`` as ``name`` under ``key`` (marshal, atomically); quietly nothing when
    there is no cache directory or they cannot be marshalled."""
    target = cache_file(name)
    if target is None:
        return
    try:
        data = marshal.dumps((key, entries))
    except ValueError:  # not marshallable: nothing to keep
        return
    write_atomically(target, data)
