"""-j/--jobs: worker processes give the same output, in the same order, as a serial run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cablelint.app import runner
from cablelint.app.cli import main

from .cli import run_check as run

ROOT = Path(__file__).parent.parent
CABLES = sorted(
    [
        *ROOT.joinpath("examples", "clean").glob("*.txt"),
        *ROOT.joinpath("examples", "damaged").glob("*.txt"),
        *ROOT.joinpath("tests", "fixtures", "cli").glob("*.txt"),
    ]
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three copies of every fixture cable in nested folders (21 files)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    for copy in ("a", "b/c", "d"):
        (tmp_path / copy).mkdir(parents=True)
        for cable in CABLES:
            shutil.copy(cable, tmp_path / copy / cable.name)
    return tmp_path


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts of the parallel runs."""
    used: list[int] = []
    real = runner._parallel

    def recording(checker, files, workers, factory):
        used.append(workers)
        return real(checker, files, workers, factory)

    monkeypatch.setattr(runner, "_parallel", recording)
    return used


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.txt"))}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_parallel_output_equals_serial(work: Path, capsys, spy: list[int], fmt: str) -> None:
    serial = run(capsys, "-j", "1", "--output-format", fmt, ".")
    assert spy == []
    parallel = run(capsys, "-j", "2", "--output-format", fmt, ".")
    assert spy == [2]
    assert parallel == serial
    assert serial[0] == 1
    assert "a/08TALLINN388.txt" in serial[1]


def test_default_jobs() -> None:
    assert runner.default_jobs(runner.PARALLEL_THRESHOLD) == 1
    assert runner.default_jobs(runner.PARALLEL_THRESHOLD + 1) == runner.usable_cores()


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity here")
def test_the_default_counts_the_cores_this_process_may_use(monkeypatch) -> None:
    # A container or taskset may allow one core of many: one worker per allowed core.
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert runner.usable_cores() == 1
    assert runner.default_jobs(100) == 1


def test_few_files_run_serially_by_default(work: Path, capsys, spy: list[int]) -> None:
    run(capsys, "a/08TALLINN388.txt", "a/clean.txt")
    assert spy == []


def test_parallel_fix_writes_the_same_bytes(work: Path, tmp_path_factory, capsys, spy) -> None:
    other = tmp_path_factory.mktemp("serial")
    shutil.copytree(work, other, dirs_exist_ok=True)
    parallel = run(capsys, "-j", "2", "--fix", ".")
    assert spy == [2]
    fixed = snapshot(work)
    assert fixed != snapshot(other)
    os.chdir(other)
    serial = run(capsys, "-j", "1", "--fix", ".")
    assert parallel == serial
    assert snapshot(other) == fixed
    assert "fixed" in serial[2]


def test_parallel_with_the_cache(work: Path, capsys, spy: list[int]) -> None:
    first = main(["check", "-j", "2", "."]), capsys.readouterr()
    assert spy == [2]
    second = main(["check", "-j", "2", "."]), capsys.readouterr()
    assert spy == [2]  # every file answered from the cache: no workers started
    assert second == first
    # One entry per file (the cache keeps a file's latest result, issue 18 item 14).
    assert len(list((work / ".cablelint_cache").glob("*/??/*.json"))) == 3 * len(CABLES)


def test_parallel_read_errors_keep_their_place(work: Path, capsys, spy: list[int]) -> None:
    (work / "b" / "c" / "dangling.txt").symlink_to(work / "nowhere.txt")
    serial = run(capsys, "-j", "1", "a", "b", "d", "b/c/dangling.txt")
    parallel = run(capsys, "-j", "2", "a", "b", "d", "b/c/dangling.txt")
    assert parallel == serial
    assert serial[0] == 2


def test_bad_job_count(capsys) -> None:
    assert main(["check", "-j", "x", "."]) == 2
    assert "invalid job count" in capsys.readouterr().err


def test_spawned_workers_rebuild_the_checker(work: Path, capsys, spy, monkeypatch) -> None:
    """Platforms without fork: workers are spawned and rebuild the checker from the command line."""
    serial = run(capsys, "-j", "1", "a", "d")
    monkeypatch.setattr(runner.sys, "platform", "darwin")
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    assert run(capsys, "-j", "2", "a", "d") == serial
    assert spy == [2]


def test_warm_cable_fits_the_structure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The warm-up cable parses cleanly, so that it reaches every part's parser before a fork."""
    import gc
    from types import SimpleNamespace

    from cablelint.model.build import build

    seen = []
    linter = SimpleNamespace(lint=seen.append)
    monkeypatch.setattr(gc, "freeze", lambda: None)  # not in the test process
    runner._warm(linter)  # type: ignore[arg-type]
    cable = build(seen[0])
    assert cable.problems == ()
    assert cable.header is not None and cable.body is not None and cable.signature is not None


@pytest.fixture
def parent_pid(monkeypatch: pytest.MonkeyPatch) -> int:
    """This process's pid, for checks that behave otherwise in a worker; the warm-up's
    gc.freeze is kept out of the test process."""
    import gc

    monkeypatch.setattr(gc, "freeze", lambda: None)
    return os.getpid()


class _FakeChecker:
    """What the runner needs of a Checker: a file's run, no cache, a no-op warm-up."""

    def __init__(self, check) -> None:
        from types import SimpleNamespace

        self.linter = SimpleNamespace(lint=lambda source: None)
        self.check_file = check

    def from_cache(self, display: str) -> None:
        return None


def _run_for(display: str):
    from cablelint.app.commands import CheckRun

    return CheckRun(notices=[display])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
@pytest.mark.usefixtures("parent_pid")
def test_workers_return_every_file_in_order() -> None:
    files = [f"cable{i:03}.txt" for i in range(101)]
    seen: list[str] = []
    runner.check_files(
        _FakeChecker(_run_for), files, jobs=3, consume=lambda run: seen.extend(run.notices)
    )
    assert seen == files


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_an_exception_in_a_worker_is_raised_in_the_parent(parent_pid: int) -> None:
    def check(display: str):
        if os.getpid() != parent_pid:  # every file a worker checks (it gets the first chunks)
            raise ValueError(f"cannot check {display}")
        return _run_for(display)

    files = [f"{i}.txt" for i in range(20)]
    with pytest.raises(ValueError, match=r"cannot check 0\.txt"):
        runner.check_files(_FakeChecker(check), files, jobs=2, consume=lambda run: None)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_worker_that_dies_is_reported(parent_pid: int) -> None:
    def check(display: str):
        if os.getpid() != parent_pid:
            os._exit(3)  # as a crash would, in the worker (this process checks files too)
        return _run_for(display)

    files = [f"{i}.txt" for i in range(20)]
    with pytest.raises(runner.WorkerDied, match="worker process ended unexpectedly"):
        runner.check_files(_FakeChecker(check), files, jobs=2, consume=lambda run: None)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
@pytest.mark.usefixtures("parent_pid")
def test_a_killed_worker_is_one_line_and_exit_2(work: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(runner, "_check_chunk", _killed)
    status = main(["check", "-j", "2", "-o", os.devnull, "."])
    err = capsys.readouterr().err
    assert status == 2
    assert err == (
        "cablelint: error: a worker process ended unexpectedly (killed, or out of memory); "
        "the run is incomplete\n"
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_this_process_checks_files_too_and_the_order_holds(parent_pid: int) -> None:
    def check(display: str):
        from cablelint.app.commands import CheckRun

        if os.getpid() != parent_pid:
            import time

            time.sleep(0.002)  # a slower worker: this process takes chunks meanwhile
        by = "parent" if os.getpid() == parent_pid else "worker"
        return CheckRun(notices=[f"{display} {by}"])

    files = [f"cable{i:03}.txt" for i in range(200)]
    seen: list[str] = []
    runner.check_files(
        _FakeChecker(check), files, jobs=2, consume=lambda run: seen.extend(run.notices)
    )
    assert [notice.split()[0] for notice in seen] == files
    by = {notice.split()[1] for notice in seen}
    assert by == {"parent", "worker"}


def _killed(chunk: list[str]) -> list:
    """A worker's task that kills its worker (the parent checks its own chunks directly)."""
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    return []


def test_chunks_cover_the_files_once_and_shrink_towards_the_end() -> None:
    files = [str(i) for i in range(500)]
    chunks = runner._Chunks(files, 2)
    sent = []
    while chunks.left():
        sent.append(chunks.take())
    assert [f for chunk in sent for f in chunk] == files
    sizes = [len(chunk) for chunk in sent]
    assert max(sizes) == runner._MAX_CHUNK and sizes[-1] == 1
    assert sizes == sorted(sizes, reverse=True)


def test_jobs_zero_means_every_usable_core() -> None:
    from cablelint.app.cli import build_parser

    args = build_parser().parse_args(["check", "-j", "0", "."])
    assert args.jobs == runner.usable_cores()
