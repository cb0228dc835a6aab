"""Record or compare what cablelint says about every cable it is tested on.

The snapshot (``tests/snapshot/snapshot.json``) holds, for each cable of the corpus, the seeds and
the test fixtures: the default profile's findings (position, code, message, fix), a digest of the
findings with every rule on, digests of ``parse --format json`` and ``--format tree``, and digests
of the text after ``check --fix`` and after ``check --fix --unsafe-fixes``. A refactoring must leave
it unchanged; a change of behaviour updates it in a commit that says why::

    python tools/snapshot.py --update     # rewrite the snapshot from the current code
    python tools/snapshot.py              # compare, print the files that differ (exit 1 if any)

Every set is run through the command line, in a temporary copy outside any configuration, so the
snapshot sees exactly what a user sees. The corpus and seeds live in ../shared beside the
repository; without them only the fixtures are compared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAPSHOT = ROOT / "tests" / "snapshot" / "snapshot.json"
SETS = {
    "corpus": SHARED / "corpus" / "cablegate",
    "seeds": SHARED / "seeds",
    "fixtures": ROOT / "tests" / "fixtures",
}


def _cablelint(args: list[str], cwd: Path) -> str:
    env = dict(os.environ, CI="true", NO_COLOR="1")
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [sys.executable, "-m", "cablelint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"cablelint {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def _digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return hashlib.sha256(data).hexdigest()[:16]


def _copy(source: Path, target: Path) -> list[str]:
    """Copy the set's cable files (``*.txt``) into ``target``; their relative POSIX paths."""
    names = []
    for path in sorted(source.rglob("*.txt")):
        rel = path.relative_to(source).as_posix()
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / rel)
        names.append(rel)
    return names


def _findings(report: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for record in json.loads(report):
        fix = record.get("fix")
        line = (
            f"{record['line']}:{record['column']}-{record['end_line']}:{record['end_column']} "
            f"{record['code']} {record['severity']} {record['message']}"
        )
        if fix:
            line += " | fix " + json.dumps(fix, ensure_ascii=False, sort_keys=True)
        out.setdefault(record["path"], []).append(line)
    return out


def _parse_digests(output: str) -> dict[str, str]:
    return {json.loads(line)["path"]: _digest(line) for line in output.splitlines() if line}


def _tree_digests(output: str, names: list[str]) -> dict[str, str]:
    """Split the trees of several files at their ``# NAME`` headers, which come in order."""
    if len(names) == 1:
        return {names[0]: _digest(output)}
    digests = {}
    rest = output
    for name, following in zip(names, [*names[1:], None], strict=True):
        rest = rest.removeprefix(f"# {name}\n")
        cut = len(rest) if following is None else rest.index(f"# {following}\n")
        digests[name] = _digest(rest[:cut])
        rest = rest[cut:]
    return digests


def _fixed(work: Path, names: list[str], extra: list[str]) -> dict[str, str]:
    _cablelint(["check", "--no-cache", "-q", "--fix", *extra, "."], work)
    return {name: _digest((work / name).read_bytes()) for name in names}


def snapshot_of(source: Path) -> dict[str, dict[str, object]]:
    """What cablelint says about each ``*.txt`` below ``source``."""
    with tempfile.TemporaryDirectory(prefix="cablelint-snapshot-") as tmp:
        work = Path(tmp) / "set"
        names = _copy(source, work)
        check = ["check", "--no-cache", "-q", "--exit-zero", "--output-format", "json", "."]
        default = _findings(_cablelint(check, work))
        every = _findings(_cablelint([*check[:-1], "--select", "ALL", "."], work))
        parsed = _parse_digests(_cablelint(["parse", "--format", "json", *names], work))
        trees = _tree_digests(_cablelint(["parse", "--format", "tree", *names], work), names)
        safe = _fixed(work, names, [])
        _copy(source, work)
        unsafe = _fixed(work, names, ["--unsafe-fixes"])
    return {
        name: {
            "findings": default.get(name, []),
            "all_rules": _digest("\n".join(every.get(name, []))),
            "parse_json": parsed.get(name, ""),
            "parse_tree": trees[name],
            "fixed": safe[name],
            "fixed_unsafe": unsafe[name],
        }
        for name in names
    }


def current(sets: dict[str, Path] | None = None) -> dict[str, dict[str, dict[str, object]]]:
    sets = SETS if sets is None else sets
    return {label: snapshot_of(path) for label, path in sets.items() if path.is_dir()}


def differences(recorded: dict, now: dict) -> list[str]:
    """One line per file (and field) whose snapshot changed, for the sets present in ``now``."""
    lines = []
    for label, files in now.items():
        before = recorded.get(label, {})
        for name in sorted(set(before) | set(files)):
            old, new = before.get(name), files.get(name)
            if old == new:
                continue
            if old is None or new is None:
                lines.append(f"{label}/{name}: {'added' if old is None else 'removed'}")
                continue
            fields = [key for key in new if old.get(key) != new.get(key)]
            lines.append(f"{label}/{name}: {', '.join(fields)} changed")
            if "findings" in fields:
                for item in old["findings"]:
                    if item not in new["findings"]:
                        lines.append(f"    - {item}")
                for item in new["findings"]:
                    if item not in old["findings"]:
                        lines.append(f"    + {item}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite the recorded snapshot")
    args = parser.parse_args()
    now = current()
    if args.update:
        recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
        changes = differences(recorded, now)
        recorded.update(now)
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(recorded, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        SNAPSHOT.write_text(text, encoding="utf-8")
        print("\n".join(changes) if changes else "snapshot unchanged")
        return 0
    changes = differences(json.loads(SNAPSHOT.read_text(encoding="utf-8")), now)
    print("\n".join(changes) if changes else "snapshot unchanged")
    return 1 if changes else 0


if __name__ == "__main__":
    sys.exit(main())
