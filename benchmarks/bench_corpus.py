"""Collection throughput: ``cablelint check`` over a folder against codespell, in the same run.

    python benchmarks/bench_corpus.py [FOLDER] [--repeat N]

Each tool runs as a fresh subprocess ``--repeat`` times (default 3), in rounds that run every
tool once; the median wall time, cables/s and MB/s are printed, and the ratio codespell /
cablelint (above 1: cablelint is faster). cablelint runs single-process (-j1) and, when --jobs
exists, with -j2 and with its default jobs (one worker per usable core; the -j2 row when that is
two); its result cache is off so every run lints for real. codespell is the
optional ``bench`` extra (``pip install -e '.[bench]'``); without it that row is skipped. Both
start the same way: this Python runs ``-m cablelint``, and codespell's own script (not a
wrapper on PATH such as a pyenv shim) is run directly.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, SRC, cablelint, compile_bytecode, corpus_files, has_jobs, median, timed


def row(label: str, seconds: float, files: int, size: int) -> str:
    return (
        f"{label:<28} {seconds:7.3f} s  {files / seconds:8.1f} cables/s  "
        f"{size / seconds / 1e6:6.2f} MB/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    compile_bytecode()
    files = corpus_files(args.folder)
    if not files:
        raise SystemExit(f"no *.txt or *.cable files under {args.folder}")
    size = sum(p.stat().st_size for p in files)
    print(
        f"corpus: {args.folder} ({len(files)} files, {size / 1e6:.2f} MB); "
        f"{os.cpu_count()} cores; median of {args.repeat} runs"
    )
    base = ["check", "--quiet", "--exit-zero", "--no-cache", "-o", os.devnull, str(args.folder)]
    modes = [("cablelint check -j1", [*base, "-j1"])] if has_jobs() else [("cablelint check", base)]
    if has_jobs():
        modes.append(("cablelint check -j2", [*base, "-j2"]))
        jobs = _default_jobs(len(files))
        if jobs != 2:  # else the default is -j2, timed above
            modes.append((f"cablelint check (default: -j{jobs})", base))
    codespell = codespell_script()
    if codespell is not None:
        modes.append(("codespell", [codespell, str(args.folder)]))
    timed(cablelint(*modes[0][1]))  # warm the user cache (parsers, rule specs)
    # Round-robin: one run of each tool per round, so that drift in the machine's speed
    # (seen up to 1.5x within minutes on shared VMs) affects every tool alike.
    times: dict[str, list[float]] = {label: [] for label, _argv in modes}
    for _round in range(args.repeat):
        for label, argv in modes:
            command = argv if label == "codespell" else cablelint(*argv)
            ok = range(256) if label == "codespell" else (0, 1)
            times[label].append(timed(command, ok=ok))
    results = {label: median(values) for label, values in times.items()}
    for label, seconds in results.items():
        print(row(label, seconds, len(files), size))
    if codespell is None:
        print("codespell: not installed (pip install -e '.[bench]'); comparison skipped")
        return
    spell = results.pop("codespell")
    for label, seconds in results.items():
        print(f"ratio codespell / {label}: {spell / seconds:.2f}x")


def _default_jobs(files: int) -> int:
    """The workers this checkout's default ``--jobs`` starts for ``files`` files (its
    runner's ``default_jobs``; a checkout from before it, all the machine's cores)."""
    sys.path.insert(0, str(SRC))
    try:
        from cablelint.app.runner import default_jobs
    except ImportError:
        return os.cpu_count() or 1
    return default_jobs(files)


def codespell_script() -> str | None:
    """codespell's own script, started as cablelint is (``sys.executable``, no wrapper).

    The one on PATH may be a wrapper (a pyenv shim runs bash and ``pyenv exec`` first: 60 ms
    more per run here) that ``python -m cablelint`` does not pay; the script beside this
    Python is the one pip installed.
    """
    beside = Path(sys.executable).parent / "codespell"
    if beside.is_file():
        return str(beside)
    return shutil.which("codespell")


if __name__ == "__main__":
    main()
