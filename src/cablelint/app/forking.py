"""Worker processes made with ``os.fork``, each talking pickles over two plain pipes.

What the runner needs of multiprocessing's ``Process`` and ``Pipe`` where the workers are forked
(Linux), without importing multiprocessing: that import alone is about 11 ms of the serial start
of every parallel run. A message is its pickle's length (8 bytes, big-endian) and the pickle.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import sys
import time
from collections.abc import Callable, Iterable

_LENGTH = 8
#: The parent's ends of every worker started and not yet joined: a child closes them, so that a
#: worker sees the end of its pipe when the parent goes, whichever worker was forked later.
_PARENT_ENDS: list[Channel] = []


class Channel:
    """One process's end of a worker's two pipes: it reads one and writes the other."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.read_fd, self.write_fd = read_fd, write_fd

    def fileno(self) -> int:
        """The descriptor to wait on for a message."""
        return self.read_fd

    def send(self, message: object) -> None:
        """Write ``message`` whole (waiting while the pipe is full)."""
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
        while view:
            view = view[os.write(self.write_fd, view) :]

    def recv(self) -> object:
        """The next message; EOFError once the other end is closed."""
        size = int.from_bytes(self._read(_LENGTH), "big")
        return pickle.loads(self._read(size))

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end) can be read within ``timeout`` seconds."""
        poller = select.poll()  # not select.select: it refuses descriptors above 1023
        poller.register(self.read_fd, select.POLLIN)
        return bool(poller.poll(timeout * 1000))

    def _read(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = os.read(self.read_fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError("the other end of the pipe is closed")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        """Close both descriptors, once: a later pipe may reuse their numbers, and a child
        forked then closes the parent ends it was given (``_PARENT_ENDS``) again."""
        for fd in (self.read_fd, self.write_fd):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.read_fd = self.write_fd = -1


class ForkedWorker:
    """A child process running ``target(channel)``; ``channel`` is the parent's end."""

    def __init__(self, target: Callable[[Channel], None]) -> None:
        down_read, down_write = os.pipe()  # parent -> child
        up_read, up_write = os.pipe()  # child -> parent
        for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
            with contextlib.suppress(Exception):
                stream.flush()
        pid = os.fork()
        if pid == 0:  # the child: it never returns from here
            status = 1
            try:
                os.close(down_write)
                os.close(up_read)
                for channel in _PARENT_ENDS:
                    channel.close()
                target(Channel(down_read, up_write))
                status = 0
            finally:
                os._exit(status)
        os.close(down_read)
        os.close(up_write)
        self.pid = pid
        self.channel = Channel(up_read, down_write)
        _PARENT_ENDS.append(self.channel)

    def join(self, timeout: float) -> None:
        """Wait for the child to end; after ``timeout`` seconds, terminate it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._reaped(os.WNOHANG):
                return self._forget()
            time.sleep(0.005)
        import signal  # here: only a worker that overstays needs it (2 ms of every start)

        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        self._reaped(0)
        self._forget()

    def _reaped(self, options: int) -> bool:
        try:
            pid, _status = os.waitpid(self.pid, options)
        except ChildProcessError:  # already reaped
            return True
        return pid != 0

    def _forget(self) -> None:
        with contextlib.suppress(ValueError):
            _PARENT_ENDS.remove(self.channel)


def ready(channels: Iterable[Channel], timeout: float | None = None) -> list[Channel]:
    """The channels with a message (or the end) to read, waiting until there is one (at most
    ``timeout`` seconds, if given: then maybe none)."""
    by_fd = {channel.fileno(): channel for channel in channels}
    poller = select.poll()
    for fd in by_fd:
        poller.register(fd, select.POLLIN)
    wait = None if timeout is None else timeout * 1000
    return [by_fd[fd] for fd, _event in poller.poll(wait)]
