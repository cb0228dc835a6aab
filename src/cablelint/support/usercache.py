"""The per-user cache of derived data (grammar tables, parsed rule specs, reference data and
configuration files): plain data as JSON (plaindata.py), never required.

``$CABLELINT_CACHE_HOME``, else ``$XDG_CACHE_HOME/cablelint``, else ``~/.cache/cablelint``; one
sub-directory per cablelint version. The folders cablelint makes are private (mode 0700); the
cache is used only when its folder is a real directory (not a symlink) that belongs to this user
and that no one else can write, so no other user can choose what a run reads. Every use works
without it: when the directory is unusable, or an entry is missing, stale or damaged, callers
build what they need (and an entry that did not read back is written again).
"""

from __future__ import annotations

import contextlib
import os
import stat
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
    """``name`` in the cache directory, creating the directory (0700); None when that fails or
    the directory is not this user's own (see the module docstring)."""
    home = cache_home()
    if home is None:
        return None
    try:
        if not home.is_dir():
            home.parent.parent.mkdir(parents=True, exist_ok=True)
            home.parent.mkdir(mode=0o700, exist_ok=True)  # cablelint's own: private
            home.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return home / name if private(home) and private(home.parent) else None


def private(directory: Path) -> bool:
    """Whether ``directory`` is a directory (not a symlink) of this user's that neither its
    group nor others can write. Where there are no user ids (Windows): whether it is one."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_text(target: Path) -> str | None:
    """The text of a cache entry; None when it cannot be read (missing, not UTF-8 ...)."""
    try:
        with open(target, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeError):
        return None


def temp_path(target: Path) -> Path:
    """A file name beside ``target`` for this process to write before it replaces ``target``."""
    return target.with_name(f"{target.name}.{os.getpid()}.tmp")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file (0600); quietly nothing on failure."""
    tmp = temp_path(target)
    try:
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
        with open(fd, "wb") as fh:
            fh.write(data)
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
