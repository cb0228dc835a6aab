"""Interleaved A/B of the lint path: two checkouts linting the same cables, chunk by chunk.

    git worktree add /tmp/base HEAD~3
    python benchmarks/bench_ab.py /tmp/base . [--rounds 3] [--chunk 40] [FOLDER]

One worker process per checkout (``PYTHONPATH=<checkout>/src``) reads the cables, warms up as a
long run does, then lints the chunks it is sent and reports the CPU seconds of each. The chunks
alternate between the two workers (the order flips every chunk), so drift in the machine's
speed affects both alike. Each round starts with empty field-parse memos, as a fresh run does.
Prints each checkout's CPU seconds per round and the ratio B/A (below 1: B is faster).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, corpus_files, warmed_lint


def worker(folder: Path) -> None:
    """Lint the chunks named on standard input ("start end"); print each one's CPU seconds."""
    try:
        from cablelint.syntax import parse
    except ImportError:  # a checkout from before the layer packages
        from cablelint import parse  # type: ignore[attr-defined,no-redef]

    datas = [path.read_bytes() for path in corpus_files(folder)]
    lint = warmed_lint()
    # The field-parse memo: named _parse_memoised since values are memoised by shape.
    names = ("_parse_memoised", "_parse_field", "parse_field")
    memo = next(getattr(parse, n) for n in names if hasattr(getattr(parse, n, None), "cache_clear"))
    print(len(datas), flush=True)
    for line in sys.stdin:
        start, end = map(int, line.split())
        if start == 0:
            memo.cache_clear()
        began = time.process_time()
        for data in datas[start:end]:
            lint(data)
        print(time.process_time() - began, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="checkout A (the baseline)")
    parser.add_argument("b", type=Path, help="checkout B")
    parser.add_argument("folder", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=40)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.folder)
        return
    workers = []
    for checkout in (args.a, args.b):
        env = dict(os.environ, PYTHONPATH=str(checkout.resolve() / "src"))
        command = [sys.executable, __file__, "--worker", str(args.a), str(args.b), str(args.folder)]
        proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        workers.append(proc)
    counts = [int(proc.stdout.readline()) for proc in workers]
    if len(set(counts)) != 1 or not counts[0]:
        raise SystemExit(f"the workers found {counts} cables under {args.folder}")
    total = [0.0, 0.0]
    for round_ in range(args.rounds):
        for n, start in enumerate(range(0, counts[0], args.chunk)):
            for i in (0, 1) if (n + round_) % 2 == 0 else (1, 0):
                workers[i].stdin.write(f"{start} {start + args.chunk}\n")
                workers[i].stdin.flush()
                total[i] += float(workers[i].stdout.readline())
    for proc in workers:
        proc.stdin.close()
        proc.wait()
    a, b = (t / args.rounds for t in total)
    print(f"{counts[0]} cables, {args.rounds} rounds of chunks of {args.chunk}")
    print(f"A {args.a}: {a:.3f} CPU s per round")
    print(f"B {args.b}: {b:.3f} CPU s per round")
    print(f"B/A: {b / a:.3f}")


if __name__ == "__main__":
    main()
