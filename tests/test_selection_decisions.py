"""Which files a run takes (#18): an exclude glob with a trailing slash, ``parse`` over a
directory, ``--show-files`` and ``--force-exclude`` with files that are not cables. Each through
the command line, in a project directory with a real cable, a damaged one, a README.txt and a
vendored copy."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from .cli import run_check, run_main, work_in
from .corpus import SEEDS, SHARED, require

FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = (FIXTURES / "cli" / "clean.txt").read_bytes()
DAMAGED = (FIXTURES / "cli" / "damaged.txt").read_bytes()
README = (FIXTURES / "not-cables" / "README.txt").read_bytes()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work_in(tmp_path, monkeypatch, {"a.txt": CLEAN, "damaged.txt": DAMAGED, "README.txt": README})
    for directory in ("vendor", "lib/vendor"):
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "old.txt").write_bytes(DAMAGED)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "vendor").write_bytes(DAMAGED)  # a file called vendor, a cable
    (tmp_path / ".cablelint.yaml").write_text(
        "include: ['*.txt', vendor]\nexclude: [vendor/]\n", encoding="utf-8"
    )
    return tmp_path


def _git_init(path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(path)], check=True)


# --- exclude: vendor/ ------------------------------------------------------------------------


@pytest.mark.parametrize("git", [False, True], ids=["walk", "git"])
def test_a_trailing_slash_excludes_the_directory_at_any_depth(
    project: Path, capsys, git: bool
) -> None:
    """As in .gitignore: ``vendor/`` matches every directory called vendor, and no file."""
    if git:
        _git_init(project)
    status, out, err = run_check(capsys, *([] if git else ["--no-git"]), "--show-files", ".")
    assert (status, out) == (0, "a.txt\ndamaged.txt\nnotes/vendor\n")
    assert err == "cablelint: skipped: README.txt: not a cable\n"


def test_force_exclude_applies_a_trailing_slash_to_named_files(project: Path, capsys) -> None:
    named = ("vendor/old.txt", "lib/vendor/old.txt", "notes/vendor", "damaged.txt")
    status, out, _ = run_check(capsys, "--force-exclude", "--select", "CBL306", *named)
    assert status == 1
    assert sorted({line.split(":")[0] for line in out.splitlines()}) == [
        "damaged.txt",
        "notes/vendor",
    ]
    status, out, err = run_check(capsys, "--force-exclude", "--show-files", *named)
    assert (status, out) == (0, "damaged.txt\nnotes/vendor\n")
    assert err.splitlines() == [
        "cablelint: skipped: lib/vendor/old.txt: excluded",
        "cablelint: skipped: vendor/old.txt: excluded",
    ]


def test_force_exclude_applies_a_trailing_slash_to_the_stdin_filename(
    project: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(DAMAGED), encoding="utf-8"))
    args = ("--force-exclude", "--select", "CBL306", "--stdin-filename", "lib/vendor/new.txt", "-")
    assert run_check(capsys, *args) == (0, "", "")


# --- parse over a directory --------------------------------------------------------------------


def test_parse_skips_files_that_are_not_cables_in_a_directory(project: Path, capsys) -> None:
    status, out, err = run_main(capsys, "parse", "--no-git", "--format", "tree", ".")
    assert status == 0
    assert [line for line in out.splitlines() if line.startswith("# ")] == [
        "# a.txt",
        "# damaged.txt",
        "# notes/vendor",
    ]
    assert err == "cablelint: note: README.txt: not a cable; skipped\n"


def test_parse_of_a_named_file_that_is_not_a_cable_still_shows_it(project: Path, capsys) -> None:
    status, out, err = run_main(capsys, "parse", "--format", "tree", "README.txt")
    assert (status, err) == (0, "")
    assert out.startswith("start\n")


def test_parse_show_files_lists_the_files_and_the_skips_with_why(
    project: Path, capsys, monkeypatch
) -> None:
    status, out, err = run_main(capsys, "parse", "--no-git", "--show-files", ".", "README.txt")
    assert (status, out) == (0, "README.txt\na.txt\ndamaged.txt\nnotes/vendor\n")
    assert err == ""  # README.txt is named: it is parsed
    status, out, err = run_main(capsys, "parse", "--no-git", "--show-files", ".")
    assert (status, out) == (0, "a.txt\ndamaged.txt\nnotes/vendor\n")
    assert err == "cablelint: skipped: README.txt: not a cable\n"


# --- --force-exclude and files that are not cables -----------------------------------------------


def test_force_exclude_skips_a_readme_but_checks_the_named_cables(project: Path, capsys) -> None:
    """pre-commit passes every staged .txt: README.txt must not fail the hook, the damaged
    cable beside it is checked."""
    status, out, err = run_check(capsys, "--force-exclude", "README.txt", "damaged.txt")
    assert status == 1
    assert {line.split(":")[0] for line in out.splitlines()} == {"damaged.txt"}
    assert err.splitlines()[0] == "1 text file skipped: not a cable (list: --verbose)"
    assert run_check(capsys, "--force-exclude", "README.txt") == (
        0,
        "",
        "1 text file skipped: not a cable (list: --verbose)\nAll checks passed!\n",
    )


def test_force_exclude_checks_every_real_cable_named(tmp_path: Path, capsys, monkeypatch) -> None:
    """A named real cable, damaged or converted, is never skipped as not a cable: the seeds and
    one cable of every converted form, named as pre-commit names them."""
    corpus = require(SHARED / "corpus")
    names = []
    for path in sorted(require(SEEDS).glob("*.txt")):
        names.append(path.name)
        shutil.copy(path, tmp_path / path.name)
    for form in sorted(p for p in (corpus / "conversions").iterdir() if p.is_dir()):
        first = min(form.glob("*.txt"))
        names.append(f"{form.name}-{first.name}")
        shutil.copy(first, tmp_path / names[-1])
    monkeypatch.chdir(tmp_path)
    status, out, err = run_check(capsys, "--force-exclude", "--show-files", *names)
    assert (status, err) == (0, "")
    assert out.splitlines() == sorted(names)
