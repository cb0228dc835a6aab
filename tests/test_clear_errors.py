"""Failures around a run are one line and a clear exit status, never a traceback: closed
standard streams, SIGTERM, a missing dependency; file names and source lines print control
characters escaped, and JSON stays valid UTF-8 whatever the file names."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cablelint.app.cli import main

from .cli import run_main, work_in

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "robustness" / "good.txt").read_bytes()
FIXED = GOOD.replace(b"[PREL](#) [PGOV](#)", b"PREL PGOV")
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return work_in(tmp_path, monkeypatch, {"good.txt": GOOD})


def cablelint(
    shell: str, cwd: Path, env: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess[bytes]:
    """``sh -c SHELL`` where ``$CABLELINT`` runs this checkout's cablelint."""
    environ = dict(os.environ, PYTHONPATH=str(SRC), CABLELINT=f"{sys.executable} -m cablelint")
    environ.pop("GITHUB_ACTIONS", None)
    environ.update(env or {})
    return subprocess.run(
        ["sh", "-c", shell], cwd=cwd, env=environ, capture_output=True, timeout=120, **kwargs
    )


def test_closed_stdin_is_one_line_and_exit_2(work: Path) -> None:
    done = cablelint("exec $CABLELINT check --no-cache -q - <&-", work)
    assert done.returncode == 2
    assert done.stderr == b"cablelint: error: -: standard input is closed\n"
    done = cablelint("exec $CABLELINT parse - <&-", work)
    assert done.returncode == 2
    assert done.stderr == b"cablelint: error: -: standard input is closed\n"


def test_closed_stdout_is_one_line_and_exit_2(work: Path) -> None:
    done = cablelint("exec $CABLELINT check --no-cache good.txt >&-", work)
    assert done.returncode == 2
    assert done.stderr == b"cablelint: error: standard output is closed\n"


def test_full_stdout_is_one_line_and_exit_2(work: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    done = cablelint("exec $CABLELINT check --no-cache -q good.txt >/dev/full", work)
    assert done.returncode == 2
    assert done.stderr == b"cablelint: error: cannot write the output: No space left on device\n"


def test_sigterm_ends_the_run_as_ctrl_c_does(work: Path) -> None:
    """The run waits for standard input, which never comes, when the signal arrives."""
    environ = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cablelint", "check", "--no-cache", "good.txt", "-"],
        cwd=work,
        env=environ,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until good.txt is reported: stdin is next
            if b"good.txt" in proc.stdout.peek(1 << 16):  # type: ignore[union-attr]
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 143
    assert err == b"cablelint: terminated\n"


def test_sigterm_while_writing_a_fix_leaves_no_temporary_file(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handler raises in the middle of writing: the original stays, nothing else."""
    from cablelint.app import cli

    def terminated(*args: object) -> None:
        cli._terminate(signal.SIGTERM, None)

    monkeypatch.setattr(os, "fsync", terminated)
    assert main(["check", "--no-git", "--no-cache", "--fix", "good.txt"]) == 143
    assert capsys.readouterr().err.splitlines()[-1] == "cablelint: terminated"
    assert (work / "good.txt").read_bytes() == GOOD
    assert sorted(p.name for p in work.iterdir()) == ["good.txt"]


def test_control_characters_in_file_names_are_escaped(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "red\x1b[31m\nname.txt").write_bytes(GOOD)
    status, out, err = run_main(
        capsys, "check", "--no-cache", "--no-git", "--select", "CBL306", "."
    )
    assert status == 1
    assert [line for line in out.splitlines() if not line.startswith("good.txt")] == [
        "red\\x1b[31m\\x0aname.txt:14:7: CBL306 [warning] 2 tags are written as Markdown links"
        " (the first '[PREL](#)'): expected 'PREL PGOV' [*]",
    ]
    status, _, err = run_main(capsys, "check", "--no-git", "-o", "out\x1b.txt", "nothing\x07.txt")
    assert status == 2
    assert "cablelint: error: nothing\\x07.txt: No such file or directory\n" in err


def test_control_characters_in_source_lines_are_escaped(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "good.txt").write_bytes(GOOD.replace(b"(C) The Minister", b"(C) The \x1b[2JMinister"))
    _, out, _ = run_main(
        capsys, "check", "--no-cache", "--select", "CBL509", "--show-source", "good.txt"
    )
    assert out.splitlines() == [
        "good.txt:18:13: CBL509 [error] control character U+001B: a cable export never contains"
        " one [*]",
        "\u00b61. (C) The \\x1b[2JMinister said that the water talks will resume in December.",
        "            ^~~~",  # under the whole escape
    ]


def test_json_output_is_valid_utf8_for_any_file_name(work: Path) -> None:
    name = os.fsencode("caf") + b"\xe9\x1b.txt"  # not UTF-8, and a control character
    (work / os.fsdecode(name)).write_bytes(GOOD)
    done = cablelint(
        "exec $CABLELINT check --no-cache --no-git --select CBL306 --output-format json .", work
    )
    assert done.returncode == 1, done.stderr
    records = json.loads(done.stdout.decode("utf-8"))  # strict: valid UTF-8
    assert {r["path"] for r in records} == {"caf\\xe9\\x1b.txt", "good.txt"}
    done = cablelint("exec $CABLELINT parse --no-git .", work)
    paths = [json.loads(line)["path"] for line in done.stdout.decode("utf-8").splitlines()]
    assert paths == ["caf\\xe9\\x1b.txt", "good.txt"]


@pytest.mark.parametrize("module", ["lark", "yaml"])
def test_missing_dependency_is_one_line_and_exit_2(work: Path, module: str) -> None:
    """No finding on every file: one line naming the module, exit 2 (cold caches)."""
    hide = f"import sys; sys.modules[{module!r}] = None; from cablelint.app.cli import main_entry;"
    shell = f'exec {sys.executable} -c "{hide} main_entry()" check --no-cache good.txt'
    done = cablelint(shell, work, env={"CABLELINT_CACHE_HOME": str(work / "cache")})
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == b""
    assert done.stderr.decode().splitlines() == [
        f"cablelint: error: cannot import {module} (import of {module} halted; None in "
        "sys.modules); reinstall cablelint with its dependencies (lark, pyyaml)"
    ]


@pytest.mark.parametrize(
    ("config", "where"),
    [
        ('exclude: ["[z-a]*"]\n', "exclude[0]"),
        ('per-file-ignores: {"[z-a]*": [CBL510]}\n', "per-file-ignores.[z-a]*"),
    ],
)
def test_a_glob_with_a_bad_class_is_a_config_error(
    work: Path, capsys, config: str, where: str
) -> None:
    (work / ".cablelint.yaml").write_text(config)
    status, _, err = run_main(capsys, "check", "--no-cache", "good.txt")
    assert status == 2
    assert err == (
        f"cablelint: error: {work / '.cablelint.yaml'}:1: {where}: glob '[z-a]*': "
        "bad character class (bad character range z-a)\n"
    )
