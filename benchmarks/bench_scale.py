"""Scale: a synthetic collection of N cables, checked with flat memory.

    python benchmarks/bench_scale.py [--count N] [--dir DIR] [--keep]

Builds N cables (default 250,000) OUTSIDE the repository (a temporary directory, or --dir) by
hard-linking or copying the corpus under other names, in sub-folders of 1,000; then runs
``cablelint check`` over it single-process and, when --jobs exists, with -j2, printing wall
seconds, cables/s and the peak RSS of the checking process (RUSAGE_CHILDREN maxrss, taken
from a fresh helper process per run so that earlier runs do not count).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, ROOT, cablelint, compile_bytecode, corpus_files, has_jobs, measured


def generate(target: Path, count: int) -> None:
    sources = corpus_files(CORPUS)
    if not sources:
        raise SystemExit(f"no corpus under {CORPUS}")
    for n in range(count):
        folder = target / f"part{n // 1000:04d}"
        if n % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        source = sources[n % len(sources)]
        name = folder / f"{n:07d}-{source.name}"
        try:
            os.link(source, name)
        except OSError:
            shutil.copyfile(source, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=250_000)
    parser.add_argument("--dir", type=Path, help="where to build the collection (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated collection")
    args = parser.parse_args()
    compile_bytecode()
    base = args.dir or Path(tempfile.mkdtemp(prefix="cablelint-scale-"))
    if ROOT in base.resolve().parents or base.resolve() == ROOT:
        raise SystemExit("refusing to generate inside the repository")
    collection = base / "collection"
    try:
        if not collection.exists():
            start = time.perf_counter()
            generate(collection, args.count)
            print(f"generated {args.count} cables in {time.perf_counter() - start:.1f} s")
        total = sum(1 for _ in collection.rglob("*.txt"))
        common = ["check", "--quiet", "--exit-zero", "--no-cache", "-o", os.devnull]
        modes = [("-j1", ["-j1"]), ("-j2", ["-j2"])] if has_jobs() else [("1 process", [])]
        print(f"collection: {collection} ({total} cables); {os.cpu_count()} cores")
        for label, extra in modes:
            status, elapsed, peak = measured(cablelint(*common, *extra, str(collection)))
            if status not in (0, 1):
                raise SystemExit(f"cablelint check {label} exited {status}")
            print(
                f"cablelint check {label:<4} {elapsed:9.1f} s  {total / elapsed:8.1f} cables/s  "
                f"peak RSS {peak / 1024:7.1f} MiB"
            )
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
