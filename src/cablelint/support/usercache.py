"""The per-user cache of derived data (grammar tables, parsed rule specs and reference data,
Lark's own grammar cache): never required.

``$CABLELINT_CACHE_HOME``, else ``$XDG_CACHE_HOME/cablelint``, else ``~/.cache/cablelint``; one
sub-directory per cablelint version. Every use must work when the directory cannot be created,
read or written: callers fall back to building what they need.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cablelint import __version__


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
