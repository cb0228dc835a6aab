"""Two file-system operations a fix needs beyond POSIX's: an atomic exchange of two names, and a
lock held while a file is replaced."""

from __future__ import annotations

import errno
import os
import time
from functools import cache

try:
    import fcntl
except ImportError:  # not POSIX: no lock (a fix still checks the file before and after)
    fcntl = None

#: ``renameat2(2)`` flag: swap the two names atomically (Linux 3.15+, glibc 2.28+).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@cache
def _renameat2():
    """libc's ``renameat2``, or None where there is none (not Linux, an old C library)."""
    try:
        import ctypes  # only when a fix is written: the import costs milliseconds

        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (ImportError, OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: str, b: str) -> bool:
    """Swap the files named ``a`` and ``b`` in one step; False (nothing done) where the system
    or the file system cannot, so the caller falls back to a rename."""
    function = _renameat2()
    if function is None:
        return False
    import ctypes

    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False  # not supported here (EPERM: seccomp filters that refuse renameat2)
    raise OSError(code, os.strerror(code), a)


class Busy(Exception):
    """The file stayed locked by another process for longer than the wait allowed."""


def lock_current(path: str, *, wait: float = 10.0) -> int:
    """Open the file now at ``path`` for reading and take an exclusive ``flock`` on it.

    When the lock is granted the file is checked to be still the one at ``path`` (another
    cablelint may have replaced it while this one waited), else opened again. Returns the
    descriptor (the lock goes with it when closed); :class:`Busy` after ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | os.O_NONBLOCK)
        try:
            if not _try_lock(fd, deadline):
                raise Busy(path)
            here, held = os.stat(path), os.fstat(fd)
            if (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # replaced while this process waited: lock the new file


def _try_lock(fd: int, deadline: float) -> bool:
    if fcntl is None:
        return True
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        except OSError as exc:  # a file system without flock: go on unlocked
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL):
                return True
            raise
