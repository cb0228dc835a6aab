"""Shared helpers for the benchmark scripts (figures, not tests)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
CORPUS = ROOT.parent / "shared" / "corpus" / "cablegate"


def env() -> dict[str, str]:
    """The environment for a cablelint subprocess run from this checkout."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), out.get("PYTHONPATH")) if p)
    return out


def compile_bytecode() -> None:
    """Write cablelint's .pyc files, as installing a package does.

    With PYTHONDONTWRITEBYTECODE set (as on some CI machines), an editable checkout would
    otherwise compile every changed module from source in every run it times.
    """
    import compileall

    compileall.compile_dir(str(SRC / "cablelint"), quiet=1)


def cablelint(*args: str) -> list[str]:
    return [sys.executable, "-m", "cablelint", *args]


def timed(command: Sequence[str], ok: Sequence[int] = (0, 1), cwd: Path | None = None) -> float:
    """Wall seconds of one run of ``command``; exits when its status is not in ``ok``."""
    start = time.perf_counter()
    proc = subprocess.run(command, env=env(), capture_output=True, text=True, cwd=cwd)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"{command[:4]} exited {proc.returncode}: {proc.stderr.strip()[:500]}")
    return elapsed


#: Runs the command in its arguments; prints its exit status, wall seconds and peak RSS (KiB).
#: A fresh process per run, so that RUSAGE_CHILDREN counts only that run.
_PEAK = """
import resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(status, elapsed, peak)
"""


def measured(command: Sequence[str]) -> tuple[int, float, int]:
    """The exit status, wall seconds and peak RSS (KiB) of one run of ``command``, measured
    in a helper process of its own (RUSAGE_CHILDREN maxrss)."""
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], env=env(), capture_output=True, text=True
    )
    status, elapsed, peak = out.stdout.split()
    return int(status), float(elapsed), int(peak)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def corpus_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".cable") and p.is_file())


def has_jobs() -> bool:
    """Whether this cablelint has --jobs (the worker runner)."""
    package = SRC / "cablelint"
    return (package / "app" / "runner.py").exists() or (package / "runner.py").exists()


def warmed_lint() -> Callable[[bytes], object]:
    """Lint of a cable's bytes by the cablelint on ``sys.path`` (a worker process run with a
    checkout's ``src``), warmed up as a long run is; checkouts from before the layer packages
    and the Linter are served too, so that old trees can be measured."""
    try:
        from cablelint.app.runner import _warm
        from cablelint.engine import api
        from cablelint.model.source import decode
    except ImportError:  # a checkout from before the layer packages
        from cablelint.runner import _warm  # type: ignore[no-redef]
        from cablelint.source import decode  # type: ignore[no-redef]

        from cablelint import api  # type: ignore[attr-defined,no-redef]

    config = api.configure()
    if hasattr(api, "Linter"):  # a checkout where a Linter owns a configuration's state
        linter = api.Linter(config)
        _warm(linter)
        return lambda data: linter.lint(decode(data))

    class Checker:
        pass

    checker = Checker()
    checker.api, checker.config = api, config
    _warm(checker)
    return lambda data: api.lint_source(decode(data), config)
