"""Reading the bytes of one input: regular files only, and never more than the size limit.

A FIFO would block the run, a device (``/dev/zero``, of size 0) would never end: both are refused
before a byte is read. The limit holds for the bytes read, so a file that grows, or standard
input, cannot go past it either.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

from cablelint.support.records import record

#: Open without waiting for a FIFO's writer, and never take a terminal as the controlling one.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a directory: no cable to read."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: not a regular file")
        self.strerror = "not a regular file"


@record
class Input:
    """What was read of one input: at most ``limit + 1`` bytes, and the size it claims."""

    data: bytes
    size: int  # the file's size, or the bytes read when larger (standard input)
    limit: int

    @property
    def too_large(self) -> bool:
        return len(self.data) > self.limit or self.size > self.limit


def is_regular(path: str) -> bool:
    """Whether ``path`` (a link followed) is a regular file; False when it is missing."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def read_file(path: str, limit: int) -> Input:
    """The bytes of the regular file at ``path`` (up to ``limit + 1`` of them).

    Raises :class:`NotRegularFile` for anything else, ``OSError`` when it cannot be read.
    """
    fd = os.open(path, _FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(path)
        if st.st_size > limit:
            return Input(b"", st.st_size, limit)
        os.set_blocking(fd, True)
        data = _read_at_most(fd, limit + 1, st.st_size)
    finally:
        os.close(fd)
    return Input(data, max(st.st_size, len(data)), limit)


#: What each read asks for once the size the file claimed is read (it grew meanwhile).
_CHUNK = 1 << 16


def _read_at_most(fd: int, most: int, size: int) -> bytes:
    """At most ``most`` bytes of ``fd``, up to its end: the ``size`` it claims, and one byte
    more, in one read (no buffered file object: a cable is read whole, once)."""
    parts = []
    ask = size + 1
    while most > 0:
        chunk = os.read(fd, min(ask, most))
        if not chunk:
            break
        parts.append(chunk)
        most -= len(chunk)
        ask = _CHUNK
    return b"".join(parts)


def read_stream(read: Callable[[int], bytes], limit: int) -> Input:
    """At most ``limit + 1`` bytes from ``read`` (standard input)."""
    data = read(limit + 1)
    return Input(data, len(data), limit)
