"""Check many files, serially or in worker processes, with the output in file order.

Cache hits are answered in this process first; only the misses go to the workers. Each file is
checked (and with --fix, written) by exactly one process; results come back in input order, so
the report is identical to a serial run. The workers are a ``ProcessPoolExecutor``: on Linux
forked (they inherit the warmed checker: grammar tables, configuration, rule specs), elsewhere
spawned (their initializer rebuilds the checker from a factory). A worker sends back only the
runs of the files it checked.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING

from cablelint.app import GC_YOUNG_THRESHOLD
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

    ``workers - 1`` pool processes each hold :data:`_AHEAD` chunks at a time; this process
    checks a chunk itself whenever the next chunk in file order is not back yet (one process
    fewer to start, and its own runs need no pickling). Chunks shrink towards the end so that
    the processes finish together.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    fork = (sys.platform == "linux" or factory is None) and hasattr(os, "fork")
    if fork:
        _warm(checker.linter)  # the workers inherit the warmed caches
    pool = ProcessPoolExecutor(
        max_workers=workers - 1,
        mp_context=get_context("fork" if fork else "spawn"),
        initializer=_install,
        initargs=(checker, None) if fork else (None, factory),
    )
    queued = _Chunks(files, workers)
    pending: deque = deque()  # per chunk in file order: its future, or the runs checked here
    try:
        while pending or queued.left():
            busy = sum(type(chunk) is not list and not chunk.done() for chunk in pending)
            for _ in range((workers - 1) * _AHEAD - busy):
                if queued.left():
                    pending.append(pool.submit(_check_chunk, queued.take()))
            head = pending[0]
            if type(head) is not list and not head.done() and queued.left():
                # Nothing to read yet: check a chunk here meanwhile.
                pending.append([checker.check_file(display) for display in queued.take()])
                continue
            pending.popleft()
            yield from head if type(head) is list else head.result()
    except BrokenProcessPool:
        raise WorkerDied("a worker process ended unexpectedly") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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
