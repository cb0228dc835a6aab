"""Instructions per cable by callgrind: a measure that the machine's drift does not move.

    python benchmarks/bench_instructions.py [CHECKOUT ...] [--count 300] [--folder FOLDER]

For each checkout (default: this one) a worker process (``PYTHONPATH=<checkout>/src``) warms up
as a long run does and lints the first ``--count`` cables of the folder once, in process. It runs
under ``valgrind --tool=callgrind`` twice, linting no cable and then ``--count`` cables; the
first count is the start-up, the difference divided by ``--count`` the lint of a cable. Counts are
repeatable to about 0.1% with ``PYTHONHASHSEED=0`` (set here: unseeded runs differ by 250-330 M
instructions) and a cache directory of the checkout's own (two source trees sharing one rebuild
each other's parsers). Each checkout is run twice before it is counted, to fill its caches and
bytecode. Without valgrind on PATH it says so and stops.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, ROOT, corpus_files, warmed_lint


def worker(folder: Path, count: int) -> None:
    """Warm up, then lint the first ``count`` cables of ``folder`` once."""
    datas = [path.read_bytes() for path in corpus_files(folder)[:count]]
    lint = warmed_lint()
    for data in datas:
        lint(data)


def _env(checkout: Path, cache: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONHASHSEED="0", CABLELINT_CACHE_HOME=cache)
    env["PYTHONPATH"] = str(checkout.resolve() / "src")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _worker(folder: Path, count: int) -> list[str]:
    return [sys.executable, __file__, "--worker", "--count", str(count), "--folder", str(folder)]


def instructions(checkout: Path, folder: Path, count: int, cache: str) -> int:
    """Callgrind's instruction count of one worker run over ``count`` cables."""
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*valgrind, *_worker(folder, count)],
        env=_env(checkout, cache),
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed in {checkout}: {done.stderr.strip()[-500:]}")
    return int(found.group(1))


def measure(checkout: Path, folder: Path, count: int) -> tuple[float, float]:
    """(start-up M instructions, lint M instructions a cable) of ``checkout``."""
    with tempfile.TemporaryDirectory(prefix="cablelint-cache-") as cache:
        for _ in range(2):  # fill the cache directory and write the bytecode
            subprocess.run(
                _worker(folder, 3), env=_env(checkout, cache), check=True, capture_output=True
            )
        start = instructions(checkout, folder, 0, cache)
        total = instructions(checkout, folder, count, cache)
    return start / 1e6, (total - start) / count / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--folder", type=Path, default=CORPUS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.folder, args.count)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not on PATH: no instruction counts (apt install valgrind)")
    files = corpus_files(args.folder)
    if len(files) < args.count:
        raise SystemExit(
            f"{args.folder} holds {len(files)} cables, fewer than --count {args.count}"
        )
    print(f"callgrind, PYTHONHASHSEED=0, first {args.count} cables of {args.folder}")
    for checkout in args.checkouts:
        start, lint = measure(checkout, args.folder, args.count)
        print(f"{checkout!s:<40} start-up {start:8.1f} M   lint {lint:7.3f} M a cable")


if __name__ == "__main__":
    main()
