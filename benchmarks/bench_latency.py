"""Pre-commit latency: checking one cable against a bare ``python -c "import lark, yaml"``.

    python benchmarks/bench_latency.py [CABLE] [--runs N]

Both run as N fresh processes (default 11) with the user cache warm (one run first); the
medians and the ratio are printed, with ``cablelint --version`` for reference. The budget is a
ratio of at most 2.5.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, cablelint, compile_bytecode, corpus_files, median, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cable", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    compile_bytecode()
    cable = args.cable or corpus_files(CORPUS)[0]
    check = cablelint("check", "--no-cache", "--quiet", str(cable))
    timed(check)  # warm: the parser and rule-spec caches exist afterwards
    bare = [sys.executable, "-c", "import lark, yaml"]
    rounds = {"python -c 'import lark, yaml'": bare, "cablelint check CABLE": check}
    rounds["cablelint --version"] = cablelint("--version")
    times = {}
    for label, command in rounds.items():
        times[label] = median([timed(command) for _ in range(max(1, args.runs))])
        print(f"{label:<32} {times[label] * 1000:7.1f} ms (median of {args.runs})")
    ratio = times["cablelint check CABLE"] / times["python -c 'import lark, yaml'"]
    print(f"ratio check / import lark, yaml: {ratio:.2f} (budget 2.5); cable: {cable.name}")


if __name__ == "__main__":
    main()
