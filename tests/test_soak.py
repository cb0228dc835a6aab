"""Soak: concurrent ``check --fix`` runs and ``kill -9`` in the middle of one, over real cables.

After every round each file holds exactly its original bytes or its fully fixed bytes, never
anything else, and no temporary file is left. Copies live in a temporary directory; the cables
come from ../shared (the seeds and a slice of each converted form), else from the fixtures.
Bounded: a fixed number of rounds over a few dozen files.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .corpus import SEEDS, SHARED

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CONVERSIONS = SHARED / "corpus" / "conversions"
ROUNDS = 2
PER_FORM = 3


def _cables() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    for form in sorted(CONVERSIONS.glob("*")) if CONVERSIONS.is_dir() else ():
        files += sorted(form.glob("*.txt"))[:PER_FORM]
    if not files:  # ../shared is absent: the fixtures are real cables too
        files = sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
    return files


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cablelint", "check", "--no-cache", "--no-git", "-q", *args]


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("GITHUB_ACTIONS", None)
    return env


def _fix(directory: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        _command("--fix", "-j", "2", "."),
        cwd=directory,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: kill -9 takes the workers too
    )


@pytest.fixture(scope="module")
def cables(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Each cable's original bytes and its bytes after a complete --fix (kept when stable)."""
    work = tmp_path_factory.mktemp("expected")
    originals = {}
    for number, path in enumerate(_cables()):
        name = f"{number:03d}-{path.parent.name}-{path.name}"
        originals[name] = path.read_bytes()
        (work / name).write_bytes(originals[name])
    for _ in range(2):  # a second run must change nothing: then the first was complete
        assert _fix(work).wait(timeout=600) in (0, 1)
        fixed = {name: (work / name).read_bytes() for name in originals}
        if _ == 0:
            first = fixed
    stable = {name for name in originals if first[name] == fixed[name]}
    assert len(stable) > len(originals) // 2
    assert sum(originals[n] != fixed[n] for n in stable) > 5  # enough files with fixes
    return {n: originals[n] for n in stable}, {n: fixed[n] for n in stable}


#: The temporary name of the writer (engine/writer.py): ``.NAME.`` 8 letters or digits ``.tmp``.
_TEMPORARY = re.compile(r"\.(.+)\.[0-9a-z_]{8}\.tmp")


def _reset(directory: Path, originals: dict[str, bytes]) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    for name, data in originals.items():
        (directory / name).write_bytes(data)


def _assert_whole(
    directory: Path, originals: dict[str, bytes], fixed: dict[str, bytes], killed: bool = False
) -> int:
    """Every file original or fully fixed, nothing else in the directory; how many are fixed.

    After a kill -9 (``killed``), the temporary name the writer's swap keeps for a few system
    calls (docs/trust.md) may be left, one per worker at most: ``.NAME.XXXXXXXX.tmp`` beside
    its cable, holding that cable's original or fixed bytes, so that nothing is lost."""
    names = {p.name for p in directory.iterdir()}
    left = names - set(originals)
    if killed:
        for temporary in sorted(left):
            match = _TEMPORARY.fullmatch(temporary)
            assert match and match[1] in originals, temporary
            data = (directory / temporary).read_bytes()
            assert data in (originals[match[1]], fixed[match[1]]), temporary
        names -= left
    assert sorted(names) == sorted(originals)
    done = 0
    for name, data in originals.items():
        now = (directory / name).read_bytes()
        assert now in (data, fixed[name]), name
        done += now == fixed[name] != data
    return done


def test_two_concurrent_fix_runs(tmp_path: Path, cables) -> None:
    originals, fixed = cables
    for round_ in range(ROUNDS):
        directory = tmp_path / f"round{round_}"
        _reset(directory, originals)
        runs = [_fix(directory), _fix(directory)]
        assert [run.wait(timeout=600) in (0, 1) for run in runs] == [True, True]
        _assert_whole(directory, originals, fixed)
        assert all((directory / n).read_bytes() == fixed[n] for n in originals)  # both ended


def test_kill_9_in_the_middle_of_a_fix_run(tmp_path: Path, cables) -> None:
    originals, fixed = cables
    changing = [n for n in originals if originals[n] != fixed[n]]
    for round_ in range(ROUNDS):
        directory = tmp_path / f"round{round_}"
        _reset(directory, originals)
        run = _fix(directory)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and run.poll() is None:
            if any((directory / n).read_bytes() != originals[n] for n in changing[round_::2]):
                break  # a fix has been written: the run is under way
            time.sleep(0.005)
        os.killpg(run.pid, signal.SIGKILL)
        assert run.wait(timeout=60) == -signal.SIGKILL  # killed while it ran, not after
        time.sleep(0.2)  # nothing of the group may still be writing
        assert _assert_whole(directory, originals, fixed, killed=True) < len(changing)
        for temporary in directory.glob(".*.tmp"):
            temporary.unlink()  # what a user would do with what the killed run left
        assert _fix(directory).wait(timeout=600) in (0, 1)  # the next run completes the work
        _assert_whole(directory, originals, fixed)
        assert all((directory / n).read_bytes() == fixed[n] for n in originals)
