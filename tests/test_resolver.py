"""Each file under the nearest configuration above it; --config for all files."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cli import run_check, run_main

DAMAGED = (Path(__file__).parent / "fixtures" / "cli" / "damaged.txt").read_bytes()
REF = "CBL900 [warning] ref did not parse: unexpected 'REF:'"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """root/.cablelint.yaml selects CBL900; root/legacy/.cablelint.yaml also ignores it."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    root = tmp_path / "root"
    (root / "legacy" / "old").mkdir(parents=True)
    (root / "new").mkdir()
    (root / ".git").mkdir()  # the project boundary: discovery stops here
    (root / ".cablelint.yaml").write_text("select: [CBL900]\n", encoding="utf-8")
    (root / "legacy" / ".cablelint.yaml").write_text(
        "select: [CBL900]\nignore: [CBL900]\nexclude: ['skip-*.txt']\n", encoding="utf-8"
    )
    for name in ("new/a.txt", "legacy/b.txt", "legacy/old/c.txt", "legacy/skip-d.txt"):
        (root / name).write_bytes(DAMAGED)
    monkeypatch.chdir(root)
    return root


def test_nested_config_governs_its_directory(project: Path, capsys) -> None:
    status, out, _ = run_check(capsys, "--no-git", ".")
    assert status == 1
    assert out == f"new/a.txt:16:1: {REF}\n"


def test_nested_config_applies_when_running_from_elsewhere(project: Path, capsys, monkeypatch):
    monkeypatch.chdir(project.parent)
    status, out, _ = run_check(capsys, "--no-git", "root/legacy", "root/new/a.txt")
    assert (status, out) == (1, f"root/new/a.txt:16:1: {REF}\n")


def test_nested_excludes_are_relative_to_their_file(project: Path, capsys) -> None:
    status, out, _ = run_check(capsys, "--no-git", "--select", "CBL900", "legacy")
    assert (status, out) == (1, f"legacy/b.txt:16:1: {REF}\nlegacy/old/c.txt:16:1: {REF}\n")


def test_config_option_governs_every_file(project: Path, capsys) -> None:
    status, out, _ = run_check(capsys, "--no-git", "--config", ".cablelint.yaml", "legacy")
    lines = out.splitlines()
    assert status == 1
    assert [line.split(":")[0] for line in lines] == [
        "legacy/b.txt",
        "legacy/old/c.txt",
        "legacy/skip-d.txt",
    ]


def test_a_file_without_any_config_gets_the_defaults(tmp_path: Path, capsys, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ".git").mkdir()
    (outside / "e.txt").write_bytes(DAMAGED)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run_check(capsys, "--no-git", "--select", "CBL900", "outside/e.txt")
    assert (status, out) == (1, f"outside/e.txt:16:1: {REF}\n")


def test_a_broken_nested_config_is_a_located_error(project: Path, capsys) -> None:
    (project / "legacy" / ".cablelint.yaml").write_text("ignroe: [CBL900]\n", encoding="utf-8")
    status, out, err = run_check(capsys, "--no-git", ".")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/legacy/.cablelint.yaml:1: ignroe: unknown key"
        " (did you mean 'ignore'?)\n"
    )


def test_cache_keeps_nested_configs_apart(project: Path, capsys) -> None:
    cache = ["check", "--no-git", "-j1", "--cache-dir", str(project.parent / "cache")]
    first = run_main(capsys, *cache, ".")
    assert run_main(capsys, *cache, ".") == first  # from the cache
    (project / "legacy" / ".cablelint.yaml").write_text("select: [CBL900]\n", encoding="utf-8")
    status, out, _ = run_main(capsys, *cache, ".")
    assert first[1] == f"new/a.txt:16:1: {REF}\n"
    assert (status, out.count(REF)) == (1, 4)  # legacy reports now; its bytes did not change
