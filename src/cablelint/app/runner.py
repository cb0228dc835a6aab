"""Check many files, serially or in worker processes, with the output in file order.

Cache hits are answered in this process first; only the misses go to the workers. Each file is
checked (and with --fix, written) by exactly one process; results come back in input order, so
the report is identical to a serial run. On Linux the workers are forked processes that talk
over two pipes each (they inherit the warmed checker: grammar tables, configuration, rule specs;
no pool machinery to import), elsewhere a spawning ``ProcessPoolExecutor`` (its initializer
rebuilds the checker from a factory). A worker sends back only the runs of the files it checked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, NoReturn

from cablelint.app.commands import Checker, CheckRun

if TYPE_CHECKING:
    from cablelint.engine.linter import Linter

#: Below this many files to lint, worker start-up costs more than it saves.
PARALLEL_THRESHOLD = 8

_CHECKER: Checker | None = None  # a worker's checker (inherited by fork, or built by spawn)


class WorkerDied(Exception):
    """A worker process ended before it sent back the files it was given (killed, or out of
    memory): the run cannot be completed."""


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity: a container or ``taskset`` may
    allow fewer than the machine has), as Python 3.13's ``os.process_cpu_count`` counts them."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return counter() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_jobs(files: int) -> int:
    """All usable cores for more than :data:`PARALLEL_THRESHOLD` files, else one process."""
    return usable_cores() if files > PARALLEL_THRESHOLD else 1


def _install(checker: Checker | None, factory: Callable[[], Checker] | None) -> None:
    """A worker's initializer: the checker it inherited (fork), or one built by ``factory``."""
    global _CHECKER
    _CHECKER = factory() if factory is not None else checker


def _check_chunk(chunk: list[str]) -> list[CheckRun]:
    """A worker's task: the runs of ``chunk``'s files."""
    checker = _CHECKER
    assert checker is not None
    return [checker.check_file(display) for display in chunk]


def check_files(
    checker: Checker,
    files: Sequence[str],
    *,
    jobs: int | None = None,
    factory: Callable[[], Checker] | None = None,
    advance: Callable[[int], None] = lambda n: None,
    consume: Callable[[CheckRun], None] | None = None,
) -> None:
    """Check ``files`` and hand each file's run to ``consume`` in file order, as it is ready.

    ``consume`` defaults to merging into ``checker.run``; ``jobs`` None picks
    :func:`default_jobs`; ``factory`` rebuilds the checker in a spawned worker (platforms
    without fork); ``advance(n)`` is called as files complete (for a progress bar).
    """
    consume = consume or checker.run.merge
    hits: dict[int, CheckRun] = {}
    for i, display in enumerate(files):
        hit = checker.from_cache(display)
        if hit is not None:
            hits[i] = hit
    todo = [display for i, display in enumerate(files) if i not in hits]
    workers = min(default_jobs(len(todo)) if jobs is None else max(1, jobs), len(todo))
    if workers <= 1:
        if len(todo) > PARALLEL_THRESHOLD:
            _warm(checker.linter)  # the parallel path warms before it forks
        misses: Generator[CheckRun, None, None] = (checker.check_file(display) for display in todo)
    else:
        misses = _parallel(checker, todo, workers, factory)
    with contextlib.closing(misses):
        for i in range(len(files)):
            run = hits.pop(i, None)
            consume(run if run is not None else next(misses))
            advance(1)


def _parallel(
    checker: Checker,
    files: list[str],
    workers: int,
    factory: Callable[[], Checker] | None,
) -> Generator[CheckRun, None, None]:
    """Check ``files`` in ``workers`` processes, this one included; yield their runs in file
    order.

    ``workers - 1`` other processes each hold :data:`_AHEAD` chunks at a time; this process
    checks a chunk itself whenever the next chunk in file order is not back yet (one process
    fewer to start, and its own runs need no pickling). Chunks shrink towards the end so that
    the processes finish together. On Linux the workers are forked (:class:`_Forked`: two
    pipes each, no pool machinery to import); elsewhere a ``ProcessPoolExecutor`` spawns them.
    """
    fork = (sys.platform == "linux" or factory is None) and hasattr(os, "fork")
    if fork:
        _warm(checker.linter)  # the workers inherit the warmed caches
        pool: _Forked | _Spawned = _Forked(checker, files, workers - 1)
    else:
        pool = _Spawned(factory, workers - 1)
    queued = _Chunks(files, workers)
    pending: deque = deque()  # per chunk in file order: its ticket, or the runs checked here
    try:
        while pending or queued.left():
            for _ in range((workers - 1) * _AHEAD - pool.busy()):
                if queued.left():
                    start = queued.next
                    pending.append(pool.submit(start, queued.take()))
            head = pending[0]
            if type(head) is not list and not pool.done(head) and queued.left():
                # Nothing to read yet: check a chunk here meanwhile.
                pending.append([checker.check_file(display) for display in queued.take()])
                continue
            pending.popleft()
            yield from head if type(head) is list else pool.result(head)
    finally:
        pool.shutdown()


class _Forked:
    """Forked workers that inherit ``files`` and the warmed checker: a chunk goes down a pipe
    as its bounds (``b"start stop\\n"``), and its runs come back up another, pickled after
    their length. A ticket is ``(worker, chunk number)``."""

    def __init__(self, checker: Checker, files: list[str], count: int) -> None:
        import pickle
        import select

        self._pickle, self._select = pickle, select
        self.workers: list[_ForkedWorker] = []
        for _ in range(count):
            self.workers.append(_ForkedWorker(checker, files, self.workers, pickle))

    def busy(self) -> int:
        """Chunks sent whose runs are not back yet."""
        for worker in self.workers:
            worker.drain()
        return sum(worker.busy() for worker in self.workers)

    def submit(self, start: int, chunk: list[str]) -> tuple[_ForkedWorker, int]:
        """Send a chunk to the worker with the fewest chunks to check."""
        worker = min(self.workers, key=_ForkedWorker.busy)
        worker.send(start, start + len(chunk))
        return worker, worker.sent - 1

    def done(self, ticket: tuple[_ForkedWorker, int]) -> bool:
        worker, number = ticket
        worker.drain()
        return number < worker.back + len(worker.replies)

    def result(self, ticket: tuple[_ForkedWorker, int]) -> list[CheckRun]:
        worker, _number = ticket
        while not worker.replies:
            self._select.select([worker.results], [], [])
            worker.drain()
            if worker.ended and not worker.replies:
                raise WorkerDied("a worker process ended unexpectedly")
        worker.back += 1
        ok, value = self._pickle.loads(worker.replies.popleft())
        if not ok:
            raise value
        return value

    def shutdown(self) -> None:
        """Close the pipes (an idle worker reads their end and exits) and reap the workers."""
        for worker in self.workers:
            worker.close()
        for worker in self.workers:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(worker.pid, 0)


class _ForkedWorker:
    """One forked worker: its pid, the pipe its chunks go down and the one its runs come up."""

    def __init__(
        self, checker: Checker, files: list[str], others: list[_ForkedWorker], pickle
    ) -> None:
        tasks_in, tasks_out = os.pipe()
        results_in, results_out = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: it keeps none of the parent's ends
            parents = (tasks_out, results_in, *(f for o in others for f in (o.tasks, o.results)))
            _serve(checker, files, tasks_in, results_out, parents, pickle)
        os.close(tasks_in)
        os.close(results_out)
        os.set_blocking(results_in, False)
        self.pid, self.tasks, self.results = pid, tasks_out, results_in
        self.sent = self.back = 0  # chunks sent, and runs handed on
        self.replies: deque[bytes] = deque()  # runs read, not handed on yet
        self.buffer = bytearray()
        self.ended = False

    def send(self, start: int, stop: int) -> None:
        try:
            os.write(self.tasks, b"%d %d\n" % (start, stop))  # far less than a pipe holds
        except BrokenPipeError:
            raise WorkerDied("a worker process ended unexpectedly") from None
        self.sent += 1

    def busy(self) -> int:
        """Chunks sent whose runs are not read yet."""
        return self.sent - self.back - len(self.replies)

    def drain(self) -> None:
        """Read what the worker has written so far, without waiting."""
        while not self.ended:
            try:
                data = os.read(self.results, 1 << 16)
            except BlockingIOError:
                break
            if not data:
                self.ended = True
            self.buffer += data
        buffer = self.buffer
        while len(buffer) >= 8 and len(buffer) >= 8 + (
            size := int.from_bytes(buffer[:8], "little")
        ):
            self.replies.append(bytes(buffer[8 : 8 + size]))
            del buffer[: 8 + size]

    def close(self) -> None:
        for fd in (self.tasks, self.results):
            with contextlib.suppress(OSError):
                os.close(fd)


def _serve(
    checker: Checker, files: list[str], tasks: int, results: int, parents: tuple[int, ...], pickle
) -> NoReturn:
    """A forked worker's life: check the chunks it is sent until the pipe closes, then exit
    (without the parent's exit handlers, and without flushing its copies of their buffers).
    ``parents``: the pipe ends that only the parent keeps."""
    status = 1
    try:
        for fd in parents:
            os.close(fd)
        _install(checker, None)
        with os.fdopen(tasks, "rb") as reader:
            for line in reader:
                start, stop = map(int, line.split())
                try:
                    reply = pickle.dumps((True, _check_chunk(files[start:stop])), -1)
                except Exception as error:  # raised again in the parent
                    reply = _pickled_error(error, pickle)
                reply = len(reply).to_bytes(8, "little") + reply
                while reply:
                    reply = reply[os.write(results, reply) :]
        status = 0
    finally:  # also when interrupted (Ctrl-C, SIGTERM) or when the parent has gone away
        os._exit(status)


def _pickled_error(error: Exception, pickle) -> bytes:
    try:
        return pickle.dumps((False, error), -1)
    except Exception:  # an exception that does not pickle: its type and message
        return pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")), -1)


class _Spawned:
    """Spawned workers (platforms without fork): a ``ProcessPoolExecutor`` whose initializer
    rebuilds the checker from ``factory``. A ticket is a future."""

    def __init__(self, factory: Callable[[], Checker] | None, count: int) -> None:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        self.pool = ProcessPoolExecutor(
            max_workers=count,
            mp_context=get_context("spawn"),
            initializer=_install,
            initargs=(None, factory),
        )
        self.futures: list = []

    def busy(self) -> int:
        self.futures = [f for f in self.futures if not f.done()]
        return len(self.futures)

    def submit(self, start: int, chunk: list[str]):
        from concurrent.futures.process import BrokenProcessPool

        try:
            future = self.pool.submit(_check_chunk, chunk)
        except BrokenProcessPool:
            raise WorkerDied("a worker process ended unexpectedly") from None
        self.futures.append(future)
        return future

    def done(self, future) -> bool:
        return future.done()

    def result(self, future) -> list[CheckRun]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerDied("a worker process ended unexpectedly") from None

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


#: Chunks a worker holds at a time: the one it is checking and the next, already queued.
_AHEAD = 2
#: The largest chunk: a worker's reply comes back while the other is still busy.
_MAX_CHUNK = 16


class _Chunks:
    """Hands out the files in chunks of about 1/(4 workers) of what is left (at most
    :data:`_MAX_CHUNK`)."""

    def __init__(self, files: list[str], workers: int) -> None:
        self.files, self.workers, self.next = files, workers, 0

    def left(self) -> int:
        """How many files are not handed out yet."""
        return len(self.files) - self.next

    def take(self) -> list[str]:
        """The next chunk (empty when none is left)."""
        size = max(1, min(_MAX_CHUNK, self.left() // (4 * self.workers)))
        chunk = self.files[self.next : self.next + size]
        self.next += len(chunk)
        return chunk


#: A small cable with every common part, linted once before a long run (see :func:`_warm`).
_WARM_CABLE = (
    "VZCZCXRO1234\n"
    "PP RUEHAG RUEHROV\n"
    "DE RUEHFR #0123/01 0451234\n"
    "ZNY CCCCC ZZH\n"
    "P 141234Z FEB 08\n"
    "FM AMEMBASSY PARIS\n"
    "TO RUEHC/SECSTATE WASHDC PRIORITY 1234\n"
    "INFO RUEHZL/EUROPEAN POLITICAL COLLECTIVE\n"
    "BT\n"
    "C O N F I D E N T I A L SECTION 01 OF 02 PARIS 000123\n"
    "\n"
    "SIPDIS\n"
    "\n"
    "E.O. 12958: DECL: 02/14/2018\n"
    "TAGS: PREL PGOV FR\n"
    "SUBJECT: WARM CABLE\n"
    "\n"
    "REF: A. PARIS 122 B. STATE 4567\n"
    "\n"
    "Classified By: Ambassador A. Person, Reasons 1.4 (b) and (d).\n"
    "\n"
    "1. (C) Summary: A paragraph. End summary.\n"
    "\n"
    "2. (U) Another paragraph\n"
    "continued here.\n"
    "\n"
    "-- A dash item.\n"
    "\n"
    "PERSON\n"
)


#: Allocations between young-generation collections during a long run (CPython's default is
#: 700). Linting a cable makes tens of thousands of short-lived objects that reference counting
#: frees; the cyclic collector only finds them still alive, about 8% of the CPU at 700.
GC_YOUNG_THRESHOLD = 50_000


def _warm(linter: Linter) -> None:
    """Build the parsers and fill the lazy caches (patterns, reference data) with
    :data:`_WARM_CABLE`, then freeze what they hold out of the collector's reach: full
    collections stop rescanning them, and forked workers inherit them and leave them shared.
    The young generation is collected less often (:data:`GC_YOUNG_THRESHOLD`)."""
    import gc

    from cablelint.model.source import from_text

    with contextlib.suppress(Exception):
        linter.lint(from_text(_WARM_CABLE))
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
