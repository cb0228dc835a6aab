"""Check many files, serially or in worker processes, with the output in file order.

Cache hits are answered in this process first; only the misses go to the workers. Each file is
checked (and with --fix, written) by exactly one worker; results come back in input order, so
the report is identical to a serial run. Linux forks the workers (they inherit the loaded
grammar and configuration); elsewhere they are spawned and rebuild the checker from a factory.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence

from .commands import Checker, CheckRun

#: Below this many files to lint, worker start-up costs more than it saves.
PARALLEL_THRESHOLD = 8

_CHECKER: Checker | None = None  # the worker's checker (inherited by fork, or built by spawn)


def default_jobs(files: int) -> int:
    """All cores for more than :data:`PARALLEL_THRESHOLD` files, else one process."""
    return (os.cpu_count() or 1) if files > PARALLEL_THRESHOLD else 1


def _init(factory: Callable[[], Checker] | None) -> None:
    global _CHECKER
    if factory is not None:
        _CHECKER = factory()


def _work(display: str) -> CheckRun:
    assert _CHECKER is not None
    return _CHECKER.check_file(display)


def check_files(
    checker: Checker,
    files: Sequence[str],
    *,
    jobs: int | None = None,
    factory: Callable[[], Checker] | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> None:
    """Check ``files`` into ``checker.run``, in order; ``jobs`` None picks :func:`default_jobs`.

    ``factory`` rebuilds the checker in a spawned worker (platforms without fork).
    ``advance(n)`` is called as files complete (for a progress bar).
    """
    runs: list[CheckRun | None] = [None] * len(files)
    todo: list[int] = []
    for i, display in enumerate(files):
        hit = checker.from_cache(display)
        if hit is None:
            todo.append(i)
        else:
            runs[i] = hit
    if len(files) - len(todo):
        advance(len(files) - len(todo))
    workers = min(default_jobs(len(todo)) if jobs is None else max(1, jobs), len(todo))
    if workers <= 1:
        for i in todo:
            runs[i] = checker.check_file(files[i])
            advance(1)
    else:
        pending = [files[i] for i in todo]
        for i, run in zip(todo, _parallel(checker, pending, workers, factory), strict=True):
            runs[i] = run
            advance(1)
    for run in runs:
        assert run is not None
        checker.run.merge(run)


def _parallel(
    checker: Checker,
    files: list[str],
    workers: int,
    factory: Callable[[], Checker] | None,
):
    global _CHECKER
    forking = sys.platform == "linux" or factory is None
    context = multiprocessing.get_context("fork" if forking else "spawn")
    if forking:
        _warm(checker)
        _CHECKER = checker
    chunk = max(1, min(16, len(files) // (workers * 8)))
    pool = context.Pool(workers, initializer=_init, initargs=(None if forking else factory,))
    try:
        yield from pool.imap(_work, files, chunksize=chunk)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _CHECKER = None


def _warm(checker: Checker) -> None:
    """Build the parsers once here, so that every forked worker inherits them."""
    from .source import from_text

    with contextlib.suppress(Exception):
        checker.api.lint_source(from_text("UNCLASSIFIED\n\n1. (U) Warm.\n"), checker.config)
