"""The content-hash cache: a second run over unchanged files does not lint them again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cablelint.engine import cache as cache_module
from cablelint.engine.cache import (
    Cache,
    Cached,
    code_roots,
    dump_diagnostic,
    load_diagnostic,
    stamp_of,
)
from cablelint.engine.linter import Linter
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Related, Severity, Span
from cablelint.support.resources import grammar_path, rule_files

from .cli import run_main

EXAMPLES = Path(__file__).parent.parent / "examples"
CABLES = sorted(
    [*EXAMPLES.joinpath("clean").glob("*.txt"), *EXAMPLES.joinpath("damaged").glob("*.txt")]
)


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    for cable in CABLES:
        shutil.copy(cable, tmp_path / cable.name)
    return tmp_path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the engine lints (first line), counted through Linter.lint."""
    seen: list[str] = []
    real = Linter.lint

    def counting(self, source, rules=None):
        seen.append(source.text.split("\n", 1)[0])
        return real(self, source, rules)

    monkeypatch.setattr(Linter, "lint", counting)
    return seen


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, "check", "-j", "1", *argv)


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*/??/*.json"))


def test_second_run_does_not_lint(work: Path, calls: list[str], capsys) -> None:
    first = run(capsys, ".")
    assert len(calls) == 4
    assert len(entries(work / ".cablelint_cache")) == 4
    calls.clear()
    second = run(capsys, ".")
    assert calls == []
    assert second == first
    assert first[0] == 1


def test_changed_file_is_linted_again(work: Path, calls: list[str], capsys) -> None:
    run(capsys, ".")
    calls.clear()
    path = work / "09VALLETTA412.txt"
    path.write_bytes(path.read_bytes() + b"\n")
    run(capsys, ".")
    assert len(calls) == 1


def test_cache_is_used_under_json_output_too(work: Path, calls: list[str], capsys) -> None:
    _, before, _ = run(capsys, "--output-format", "json", ".")
    calls.clear()
    _, after, _ = run(capsys, "--output-format", "json", ".")
    assert (calls, after) == ([], before)


def test_other_settings_miss(work: Path, calls: list[str], capsys) -> None:
    run(capsys, ".")
    calls.clear()
    status, out, _ = run(capsys, "--select", "CBL204", ".")
    assert len(calls) == 4
    assert out.startswith("08TALLINN388.txt:12:1: CBL204 [error] caption 'STPDTS'")
    assert len(out.splitlines()) == 1
    assert status == 1
    (work / ".cablelint.yaml").write_text("ignore: [CBL204]\n", encoding="utf-8")
    calls.clear()
    _, out, _ = run(capsys, ".")
    assert len(calls) == 4
    assert "CBL204" not in out


def test_per_file_ignores_are_part_of_the_key(work: Path, calls: list[str], capsys) -> None:
    (work / ".cablelint.yaml").write_text(
        "per-file-ignores:\n  '08*.txt': [CBL204]\n", encoding="utf-8"
    )
    _, out, _ = run(capsys, ".")
    assert "CBL204" not in out
    (work / "copy").mkdir()
    shutil.copy(work / "08TALLINN388.txt", work / "copy" / "X08.txt")
    calls.clear()
    _, out, _ = run(capsys, ".")
    assert len(calls) == 1  # same bytes, other rules in force
    assert "copy/X08.txt:12:1: CBL204" in out


def test_fix_lints_for_real_and_keeps_the_cache_out(work: Path, calls: list[str], capsys) -> None:
    run(capsys, ".")
    calls.clear()
    _, _, err = run(capsys, "--fix", "08TALLINN388.txt")
    assert calls  # linted, not answered from the cache
    assert "fixed" in err
    calls.clear()
    _, out, _ = run(capsys, "08TALLINN388.txt")
    assert len(calls) == 1  # the fixed bytes are new content
    assert "CBL204" not in out


def test_stdin_is_never_cached(work: Path, calls: list[str], capsys, monkeypatch) -> None:
    import io
    import sys

    data = (work / "09VALLETTA412.txt").read_bytes()
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        run(capsys, "-")
    assert len(calls) == 2
    assert not (work / ".cablelint_cache").exists()


def test_no_cache_and_cache_dir(work: Path, calls: list[str], capsys) -> None:
    run(capsys, "--no-cache", ".")
    assert not (work / ".cablelint_cache").exists()
    run(capsys, "--cache-dir", "elsewhere", ".")
    assert len(entries(work / "elsewhere")) == 4
    assert (work / "elsewhere" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    calls.clear()
    run(capsys, "--cache-dir", "elsewhere", ".")
    assert calls == []


def test_cache_dir_from_the_config(work: Path, capsys) -> None:
    (work / ".cablelint.yaml").write_text("cache-dir: build/lint-cache\n", encoding="utf-8")
    run(capsys, ".")
    assert len(entries(work / "build" / "lint-cache")) == 4
    assert not (work / ".cablelint_cache").exists()


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"diagnostics": [{"code": 1}]}', b"[]"])
def test_corrupt_entries_are_ignored(work: Path, calls, capsys, garbage: bytes) -> None:
    first = run(capsys, ".")
    for entry in entries(work / ".cablelint_cache"):
        entry.write_bytes(garbage)
    calls.clear()
    assert run(capsys, ".") == first
    assert len(calls) == 4
    calls.clear()
    assert run(capsys, ".") == first  # rewritten
    assert calls == []


def test_deleting_the_cache_is_safe(work: Path, calls, capsys) -> None:
    first = run(capsys, ".")
    shutil.rmtree(work / ".cablelint_cache")
    assert run(capsys, ".") == first


def test_entries_are_written_atomically(work: Path, capsys) -> None:
    run(capsys, ".")
    leftovers = [p for p in (work / ".cablelint_cache").rglob("*") if p.name.startswith(".tmp")]
    assert leftovers == []


def test_diagnostic_round_trip(tmp_path: Path) -> None:
    fix = Fix((Edit(3, 5, "¶"), Edit(9, 9, "\n")), "unsafe", "two edits")
    diags = (
        Diagnostic("CBL402", "x", Severity.ERROR, "m ¶", Span(3, 5, 1, 4, 1, 6), fix),
        Diagnostic("CBL510", "y", Severity.INFO, "no newline", Span(0, 0, 1, 1, 1, 1)),
        Diagnostic(
            "CBL517",
            "z",
            Severity.WARNING,
            "2 lines",
            Span(0, 9, 1, 1, 2, 4),
            fix,
            related=(
                Related(Span(0, 4, 1, 1, 1, 5), "one"),
                Related(Span(5, 9, 2, 1, 2, 4), "two"),
            ),
        ),
    )
    assert (
        tuple(load_diagnostic(json.loads(json.dumps(dump_diagnostic(d)))) for d in diags) == diags
    )
    cache = Cache(tmp_path / "c", "fp")
    key = cache.key(b"text", ["CBL402"])
    assert cache.get(key) is None
    cache.put(key, diags)
    assert cache.get(key) == Cached(diags, cable=True)
    cache.put(key, diags[1:], cable=False)
    assert cache.get(key) == Cached(diags[1:], cable=False)
    assert (
        Cache(tmp_path / "c", "other").get(Cache(tmp_path / "c", "other").key(b"text", ["CBL402"]))
        is None
    )
    assert cache.key(b"text", ["CBL402"]) != cache.key(b"text", ["CBL402", "CBL510"])
    assert cache.key(b"text", []) != cache.key(b"text2", [])


def test_unwritable_cache_dir_is_not_an_error(work: Path, capsys) -> None:
    (work / "blocker").write_text("a file, not a directory", encoding="utf-8")
    expected = run(capsys, "--no-cache", ".")
    assert run(capsys, "--cache-dir", "blocker/cache", ".") == expected


# --- a bounded cache and `cablelint clean` (issue 18 item 14) -----------------------------------


def test_an_edited_file_replaces_its_entry(work: Path, calls: list[str], capsys) -> None:
    cache = work / ".cablelint_cache"
    run(capsys, ".")
    path = work / "09VALLETTA412.txt"
    for _ in range(3):
        path.write_bytes(path.read_bytes() + b"\n")
        run(capsys, ".")
    assert len(entries(cache)) == 4  # one per file, however often it changes
    path.write_bytes(path.read_bytes().rstrip(b"\n") + b"\n")
    calls.clear()
    run(capsys, ".")
    assert len(calls) == 1  # the entry answers for the bytes it was made from only


def test_entries_the_last_runs_did_not_use_are_dropped(work: Path, capsys) -> None:
    from cablelint.engine.cache import KEEP_RUNS

    cache = work / ".cablelint_cache"
    run(capsys, "--select", "CBL204", ".")  # a group of its own: other rules in force
    run(capsys, ".")
    groups = sorted(p.name for p in cache.iterdir() if p.is_dir())
    assert len(groups) == 2
    assert len(entries(cache)) == 8
    for _ in range(KEEP_RUNS - 2):
        run(capsys, ".")
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 2  # used by one of the last runs
    run(capsys, ".")
    assert len([p for p in cache.iterdir() if p.is_dir()]) == 1
    assert len(entries(cache)) == 4
    assert (cache / "runs").read_text(encoding="ascii") == f"{KEEP_RUNS + 1}\n"


def test_a_cache_of_the_old_format_is_dropped(work: Path, capsys) -> None:
    old = work / ".cablelint_cache" / "ab"
    old.mkdir(parents=True)
    (old / ("ab" + "0" * 62 + ".json")).write_text("{}", encoding="utf-8")
    (work / ".cablelint_cache" / "mine").mkdir()  # not the cache's: left alone
    run(capsys, ".")
    assert not old.exists()
    assert (work / ".cablelint_cache" / "mine").is_dir()


def test_clean_deletes_the_cache(work: Path, capsys) -> None:
    run(capsys, ".")
    assert (work / ".cablelint_cache").is_dir()
    assert run_main(capsys, "clean") == (0, "", "Removed the cache .cablelint_cache.\n")
    assert not (work / ".cablelint_cache").exists()
    assert run_main(capsys, "clean") == (0, "", "No cache at .cablelint_cache.\n")


def test_clean_finds_the_configured_cache_from_a_subdirectory(
    work: Path, capsys, monkeypatch
) -> None:
    (work / ".cablelint.yaml").write_text("cache-dir: build/lint-cache\n", encoding="utf-8")
    run(capsys, ".")
    (work / "sub").mkdir()
    monkeypatch.chdir(work / "sub")
    status, out, err = run_main(capsys, "clean")
    assert (status, out) == (0, "")
    assert err == f"Removed the cache {work / 'build' / 'lint-cache'}.\n"
    assert not (work / "build" / "lint-cache").exists()


def test_clean_refuses_a_directory_that_is_not_a_cache(work: Path, capsys) -> None:
    (work / "notes").mkdir()
    (work / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    status, out, err = run_main(capsys, "clean", "--cache-dir", "notes")
    assert (status, out) == (2, "")
    assert err == (
        "cablelint: error: notes is not a cablelint cache (no cablelint CACHEDIR.TAG); "
        "not removed\n"
    )
    assert (work / "notes" / "keep.txt").exists()


def test_the_code_stamp_covers_the_grammar_and_the_rules() -> None:
    """An editable checkout keeps grammar/ and rules/ beside the package: editing a grammar or a
    rule file must miss the cache as editing a check module does."""
    roots = code_roots()
    covered = [grammar_path("cable.lark"), rule_files()[0], Path(cache_module.__file__)]
    for path in covered:
        assert any(path.resolve().is_relative_to(root) for root in roots), path


def test_the_stamp_changes_when_a_file_under_a_root_changes(tmp_path: Path) -> None:
    package, grammar = tmp_path / "package", tmp_path / "grammar"
    package.mkdir()
    grammar.mkdir()
    (package / "check.py").write_text("x = 1\n")
    (grammar / "cable.lark").write_text("start: LINE\n")
    before = stamp_of([package, grammar])
    assert stamp_of([package, grammar]) == before
    (grammar / "cable.lark").write_text("start: LINE*\n")
    assert stamp_of([package, grammar]) != before
    assert stamp_of([package]) != stamp_of([package, grammar])
