"""How fast is ``cablelint check``? Cables per second, in process and as a subprocess.

    python benchmarks/bench_check.py [FOLDER] [--repeat N] [--select RULES]

FOLDER defaults to ../shared/corpus/cablegate (relative to the repository root). The report
goes to /dev/null; the figures (files, seconds, cables/s, MB/s) are printed. A figure, not a
test: the first in-process run includes building the parsers, so the best of N runs is shown
as well.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DEFAULT = ROOT.parent / "shared" / "corpus" / "cablegate"


def corpus(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".cable") and p.is_file())


def line(label: str, files: int, seconds: float, size: int) -> str:
    rate = files / seconds if seconds else float("inf")
    mbs = size / seconds / 1e6 if seconds else float("inf")
    return f"{label:<24} {files:>6} files  {seconds:8.3f} s  {rate:9.1f} cables/s  {mbs:7.2f} MB/s"


def check_args(folder: Path, select: str | None) -> list[str]:
    args = ["check", "--quiet", "--exit-zero", "--output-file", os.devnull, str(folder)]
    return [*args, "--select", select] if select else args


def in_process(folder: Path, select: str | None) -> float:
    sys.path.insert(0, str(SRC))
    from cablelint.app.cli import main

    start = time.perf_counter()
    status = main(check_args(folder, select))
    elapsed = time.perf_counter() - start
    if status not in (0, 1):
        raise SystemExit(f"cablelint check exited {status}")
    return elapsed


def as_subprocess(folder: Path, select: str | None) -> float:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "cablelint", *check_args(folder, select)]
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cablelint check exited {proc.returncode}: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode (best is shown)")
    parser.add_argument("--select", help="rule selection passed to cablelint check")
    args = parser.parse_args()
    files = corpus(args.folder)
    if not files:
        raise SystemExit(f"no *.txt or *.cable files under {args.folder}")
    size = sum(p.stat().st_size for p in files)
    print(f"corpus: {args.folder} ({len(files)} files, {size / 1e6:.2f} MB)")
    runs = [in_process(args.folder, args.select) for _ in range(max(1, args.repeat))]
    print(line("in-process (first run)", len(files), runs[0], size))
    print(line("in-process (best)", len(files), min(runs), size))
    runs = [as_subprocess(args.folder, args.select) for _ in range(max(1, args.repeat))]
    print(line("subprocess (best)", len(files), min(runs), size))
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "cablelint", "--version"],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        check=True,
    )
    print(f"{'start-up (--version)':<24} {time.perf_counter() - start:8.3f} s")


if __name__ == "__main__":
    main()
