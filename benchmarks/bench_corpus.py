"""Collection throughput: ``cablelint check`` over a folder against codespell, in the same run.

    python benchmarks/bench_corpus.py [FOLDER] [--repeat N]

Each tool runs as a fresh subprocess ``--repeat`` times (default 3); the median wall time,
cables/s and MB/s are printed, and the ratio codespell / cablelint (above 1: cablelint is
faster). cablelint runs single-process (-j1) and, when --jobs exists, with -j2; its result
cache is off so every run lints for real. codespell is the optional ``bench`` extra
(``pip install -e '.[bench]'``); without it that row is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, cablelint, corpus_files, has_jobs, median, timed


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
    results = {}
    timed(cablelint(*modes[0][1]))  # warm the user cache (parsers, rule specs)
    for label, argv in modes:
        results[label] = median([timed(cablelint(*argv)) for _ in range(args.repeat)])
        print(row(label, results[label], len(files), size))
    codespell = shutil.which("codespell")
    if codespell is None:
        print("codespell: not installed (pip install -e '.[bench]'); comparison skipped")
        return
    spell = median(
        [timed([codespell, str(args.folder)], ok=range(256)) for _ in range(args.repeat)]
    )
    print(row("codespell", spell, len(files), size))
    for label, seconds in results.items():
        print(f"ratio codespell / {label}: {spell / seconds:.2f}x")


if __name__ == "__main__":
    main()
