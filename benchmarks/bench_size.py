"""File size: seconds and MiB per MB of one file, at growing sizes, for a few shapes of text.

    python benchmarks/bench_size.py [--sizes 0.25,0.5,1] [--shape NAME ...]

Each shape is written at each size (MB, 10**6 bytes) to a temporary file and checked once by a
fresh ``cablelint check --no-cache --max-file-size 100M`` process; the figures are its wall
seconds and peak RSS (RUSAGE_CHILDREN maxrss, from a helper process per run), minus those of an
empty file, per MB. Flat figures down a column mean time and memory grow linearly with the file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, cablelint, compile_bytecode, measured


def _cable() -> bytes:
    largest = max(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size, default=None)
    if largest is not None:
        return largest.read_bytes()
    return (Path(__file__).resolve().parents[1] / "tests/fixtures/cli/damaged.txt").read_bytes()


SHAPES: dict[str, Callable[[int], bytes]] = {
    "short-lines": lambda n: b"A B\n" * (n // 4),
    "cables": lambda n: (_cable() * (n // len(_cable()) + 1))[:n],
    "paragraphs": lambda n: (b"1. (C) Text of a paragraph, a sentence.\n\n" * (n // 42 + 1))[:n],
    "long-lines": lambda n: ((b"WORD " * 2000)[:-1] + b"\n") * (n // 10000 + 1),
}


def measure(path: Path) -> tuple[float, float]:
    argv = cablelint("check", "--no-cache", "--no-git", "-q", "--max-file-size", "100M", str(path))
    status, elapsed, peak = measured(argv)
    if status not in (0, 1):
        raise SystemExit(f"cablelint exited {status} on {path.name}")
    return elapsed, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.25,0.5,1", help="MB, comma-separated")
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES))
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.txt"
        empty.write_bytes(b"")
        measure(empty)  # warm the per-user cache of derived data
        base_s, base_mib = measure(empty)
        print(f"start-up: {base_s:.2f} s, {base_mib:.0f} MiB")
        print(f"{'shape':<12} {'MB':>5} {'s':>7} {'MiB':>6} {'s/MB':>6} {'MiB/MB':>7}")
        for shape in args.shape or sorted(SHAPES):
            for size in sizes:
                path = Path(tmp) / f"{shape}.txt"
                path.write_bytes(SHAPES[shape](int(size * 1e6)))
                seconds, mib = measure(path)
                mb = path.stat().st_size / 1e6
                per_s, per_mib = (seconds - base_s) / mb, (mib - base_mib) / mb
                figures = f"{seconds:>7.2f} {mib:>6.0f} {per_s:>6.2f} {per_mib:>7.0f}"
                print(f"{shape:<12} {mb:>5.2f} {figures}")


if __name__ == "__main__":
    main()
