"""Check many files, serially or in worker processes, with the output in file order.

Cache hits are answered in this process first; only the misses go to the workers. Each file is
checked (and with --fix, written) by exactly one worker; results come back in input order, so
the report is identical to a serial run. Linux forks the workers with os.fork (they inherit the
loaded grammar and configuration; forking.py); elsewhere multiprocessing spawns them and they
rebuild the checker from a factory.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Generator, Sequence
from functools import partial

from cablelint.app import forking
from cablelint.app.commands import Checker, CheckRun

#: Below this many files to lint, worker start-up costs more than it saves.
PARALLEL_THRESHOLD = 8

_CHECKER: Checker | None = None  # the worker's checker (inherited by fork, or built by spawn)


def default_jobs(files: int) -> int:
    """All cores for more than :data:`PARALLEL_THRESHOLD` files, else one process."""
    return (os.cpu_count() or 1) if files > PARALLEL_THRESHOLD else 1


def _serve(conn, factory: Callable[[], Checker] | None) -> None:
    """A worker: check each chunk of files the parent sends, and send back their runs.

    A message is ``(index, files)``; the reply is ``(index, runs)``, or ``(index, exception)``
    if checking raised. ``None`` (or a closed pipe) ends the worker, which then sends the
    regex code it compiled, a dict.
    """
    global _CHECKER
    if factory is not None:
        _CHECKER = factory()
    checker = _CHECKER
    assert checker is not None
    with contextlib.suppress(KeyboardInterrupt, EOFError, BrokenPipeError):
        while (message := conn.recv()) is not None:
            index, chunk = message
            try:
                reply: object = [checker.check_file(display) for display in chunk]
            except Exception as exc:  # reported by the parent, as a serial run would raise it
                reply = exc
            conn.send((index, reply))


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
            _warm(checker)  # the parallel path warms before it forks
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

    This process checks a chunk itself whenever no worker's reply is waiting: one process fewer
    to start and to schedule on the cores, and its own runs need no pickling.

    No pool threads: the parent hands out chunks over one pipe per worker and waits on the
    pipes itself. (multiprocessing.Pool's worker-handler thread also wakes on every result
    and spins until its result thread has read it: about 0.1 s of CPU for the corpus, taken
    from the workers.) Each worker holds :data:`_AHEAD` chunks, so it never waits for the
    parent between two; chunks shrink towards the end so that the workers finish together.
    """
    global _CHECKER
    fork = (sys.platform == "linux" or factory is None) and hasattr(os, "fork")
    if fork:
        _warm(checker)
        _CHECKER = checker
    starting = _forked if fork else partial(_spawned, factory=factory)
    handles, pipes = [], []
    position = 0  # the next file to yield
    try:
        for _ in range(workers - 1):  # this process is the last of the workers
            handle, pipe = starting()
            handles.append(handle)
            pipes.append(pipe)
        queued = _Chunks(files, workers)
        outstanding = {pipe: 0 for pipe in pipes}
        for pipe in pipes:
            for _ in range(_AHEAD):
                outstanding[pipe] += queued.send(pipe)
        done: dict[int, list[CheckRun]] = {}
        while position < len(files):
            if position in done:
                runs = done.pop(position)
                position += len(runs)
                yield from runs
                continue
            busy = [pipe for pipe, count in outstanding.items() if count]
            replies = _ready(busy, fork, timeout=0) if busy else []
            if not replies:
                own = queued.take()
                if own is not None:  # nothing to read: check a chunk here meanwhile
                    index, chunk = own
                    done[index] = [checker.check_file(display) for display in chunk]
                    continue
                if not busy:
                    raise RuntimeError("the worker processes stopped before checking every file")
                replies = _ready(busy, fork)
            for pipe in replies:
                index, runs = _receive(pipe)
                done[index] = runs
                outstanding[pipe] += queued.send(pipe) - 1
    finally:
        for pipe in pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
        for pipe in pipes:
            pipe.close()
        for handle in handles:
            handle.join(timeout=1)
        _CHECKER = None


def _forked() -> tuple[forking.ForkedWorker, forking.Channel]:
    """A worker forked with os.fork: it inherits the warmed checker (no multiprocessing)."""
    worker = forking.ForkedWorker(partial(_serve, factory=None))
    return worker, worker.channel


class _Spawned:
    """A spawned multiprocessing worker, joined as a forked one is."""

    def __init__(self, process) -> None:
        self.process = process

    def join(self, timeout: float) -> None:
        self.process.join(timeout=timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _spawned(factory: Callable[[], Checker] | None):
    """A worker spawned by multiprocessing (no fork): it rebuilds the checker from ``factory``."""
    import multiprocessing  # here, not at the top: only platforms without fork need it

    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, factory), daemon=True)
    process.start()
    theirs.close()
    return _Spawned(process), ours


def _ready(pipes: list, forked: bool, timeout: float | None = None) -> list:
    """The pipes with a reply (or an end) to read, waiting for one (at most ``timeout``
    seconds, if given)."""
    if forked:
        return forking.ready(pipes, timeout)
    from multiprocessing.connection import wait

    return wait(pipes, timeout)


#: Chunks a worker holds at a time: the one it is checking and the next, already in its pipe.
_AHEAD = 2
#: The largest chunk: a worker's reply comes back while the other is still busy.
_MAX_CHUNK = 16


class _Chunks:
    """Hands out the files in chunks of about 1/(4 workers) of what is left (at most
    :data:`_MAX_CHUNK`), each sent with the index of its first file."""

    def __init__(self, files: list[str], workers: int) -> None:
        self.files, self.workers, self.next = files, workers, 0

    def take(self) -> tuple[int, list[str]] | None:
        """The next chunk and the index of its first file; None if none is left."""
        left = len(self.files) - self.next
        if not left:
            return None
        size = max(1, min(_MAX_CHUNK, left // (4 * self.workers)))
        chunk = (self.next, self.files[self.next : self.next + size])
        self.next += size
        return chunk

    def send(self, pipe) -> int:
        """Send the next chunk down ``pipe``; 1 if one was sent, 0 if none is left."""
        chunk = self.take()
        if chunk is None:
            return 0
        pipe.send(chunk)
        return 1


def _receive(pipe) -> tuple[int, list[CheckRun]]:
    try:
        index, runs = pipe.recv()
    except (EOFError, OSError):
        raise RuntimeError("a worker process ended unexpectedly") from None
    if isinstance(runs, BaseException):
        raise runs
    return index, runs


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


def _warm(checker: Checker) -> None:
    """Build the parsers and fill the lazy caches (patterns, reference data) with
    :data:`_WARM_CABLE`, then freeze what they hold out of the collector's reach: full
    collections stop rescanning them, and forked workers inherit them and leave them shared.
    The young generation is collected less often (:data:`GC_YOUNG_THRESHOLD`)."""
    import gc

    from cablelint.model.source import from_text

    with contextlib.suppress(Exception):
        checker.api.lint_source(from_text(_WARM_CABLE), checker.config)
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
