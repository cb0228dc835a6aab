"""Pre-commit latency: checking one cable against a bare ``python -c "import lark, yaml"``.

    python benchmarks/bench_latency.py [CABLE] [--runs N]

Both run as N fresh processes (default 11) with the user cache warm (one run first); the
medians and the ratio are printed, with ``cablelint --version`` for reference, and the same
check in a project folder with a ``.cablelint.yaml`` (as a pre-commit hook usually runs). The
budget is a ratio of at most 2.5.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
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
    check = cablelint("check", "--no-cache", "--quiet", str(cable.resolve()))
    bare = [sys.executable, "-c", "import lark, yaml"]
    with tempfile.TemporaryDirectory() as project:
        Path(project, ".cablelint.yaml").write_text(_CONFIG, encoding="utf-8")
        rounds = {
            "python -c 'import lark, yaml'": (bare, None),
            "cablelint check CABLE": (check, None),
            "  ... with a .cablelint.yaml": (check, Path(project)),
            "cablelint --version": (cablelint("--version"), None),
        }
        for command, cwd in rounds.values():
            timed(command, cwd=cwd)  # warm: the parser, rule-spec and config caches
        times = {}
        for label, (command, cwd) in rounds.items():
            times[label] = median([timed(command, cwd=cwd) for _ in range(max(1, args.runs))])
            print(f"{label:<32} {times[label] * 1000:7.1f} ms (median of {args.runs})")
    bare_time = times["python -c 'import lark, yaml'"]
    for label in ("cablelint check CABLE", "  ... with a .cablelint.yaml"):
        print(f"ratio {label.strip()} / import lark, yaml: {times[label] / bare_time:.2f}")
    print(f"(budget 2.5; cable: {cable.name})")


#: A project configuration as a collection might have one.
_CONFIG = "ignore: [CBL306]\nrules:\n  CBL512:\n    min-length: 25\n"


if __name__ == "__main__":
    main()
