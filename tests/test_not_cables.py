"""Files that are not cables: skipped when found in a directory, one CBL006 when named.

The collection's own README.txt, requirements.txt and LICENSE.txt must not be reported as
cables with missing header fields; every real cable, damaged or converted, must still be linted.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cablelint.model.sniff import is_cable, looks_like_cable
from cablelint.model.source import decode

from .cli import run_check, run_main
from .corpus import SEEDS, SHARED, require

FIXTURES = Path(__file__).parent / "fixtures"
NOT_CABLES = sorted((FIXTURES / "not-cables").glob("*.txt"))
CLEAN = FIXTURES / "cli" / "clean.txt"
MESSAGE = (
    "CBL006 [error] not a cable: no header, banner, E.O./Classified By line or marked "
    "paragraph; not checked"
)


@pytest.fixture
def collection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cable collection with a clean cable and the usual project files beside it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    shutil.copy(CLEAN, tmp_path / "a.txt")
    for path in NOT_CABLES:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_fixtures_are_the_typical_project_files() -> None:
    assert [p.name for p in NOT_CABLES] == [
        "LICENSE.txt",
        "README.txt",
        "notes.txt",
        "requirements.txt",
    ]


def test_directory_walk_skips_and_counts_them(collection: Path, capsys) -> None:
    status, out, err = run_check(capsys, "--select", "CBL0", ".")
    assert (status, out) == (0, "")
    assert err.splitlines() == [
        "4 text files skipped: not cables (list: --verbose)",
        "All checks passed!",
    ]


def test_verbose_names_the_skipped_files(collection: Path, capsys) -> None:
    status, out, err = run_check(capsys, "--select", "CBL0", "-v", ".")
    assert (status, out) == (0, "")
    assert err.splitlines() == [
        "4 text files skipped: not cables",
        "  not a cable: LICENSE.txt",
        "  not a cable: README.txt",
        "  not a cable: notes.txt",
        "  not a cable: requirements.txt",
        "All checks passed!",
    ]


def test_one_skipped_file_is_singular(collection: Path, capsys) -> None:
    for path in NOT_CABLES[1:]:
        (collection / path.name).unlink()
    _, _, err = run_check(capsys, "--select", "CBL0", ".")
    assert err.splitlines()[0] == "1 text file skipped: not a cable (list: --verbose)"


def test_quiet_says_nothing(collection: Path, capsys) -> None:
    assert run_check(capsys, "--select", "CBL0", "-q", ".") == (0, "", "")


def test_named_file_gets_one_finding(collection: Path, capsys) -> None:
    status, out, err = run_check(capsys, "README.txt", "requirements.txt", "a.txt")
    assert status == 1
    assert out.splitlines() == [f"README.txt:1:1: {MESSAGE}", f"requirements.txt:1:1: {MESSAGE}"]
    assert "skipped" not in err


def test_named_file_next_to_a_walk(collection: Path, capsys) -> None:
    """A file named explicitly is checked even when a directory given too holds it."""
    status, out, err = run_check(capsys, "--select", "CBL0", ".", "./notes.txt")
    assert status == 1
    assert out.splitlines() == [f"notes.txt:1:1: {MESSAGE}"]
    assert err.splitlines()[0] == "3 text files skipped: not cables (list: --verbose)"


def test_force_exclude_skips_named_files_as_found_ones(collection: Path, capsys) -> None:
    """pre-commit and the CI examples name every changed file: with --force-exclude (which the
    hooks pass) a README.txt among them is skipped, as in a directory walk."""
    status, out, err = run_check(
        capsys, "--force-exclude", "README.txt", "a.txt", "--select", "CBL0"
    )
    assert (status, out) == (0, "")
    assert err.splitlines() == [
        "1 text file skipped: not a cable (list: --verbose)",
        "All checks passed!",
    ]


def test_force_exclude_standard_input_passes_through_fix(
    collection: Path, capsys, monkeypatch
) -> None:
    import io

    text = (collection / "notes.txt").read_bytes()
    stdin = io.TextIOWrapper(io.BytesIO(text), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    status, out, err = run_main(
        capsys, "check", "--force-exclude", "--fix", "--stdin-filename", "notes.txt", "-"
    )
    assert (status, out) == (0, text.decode())  # the text comes back unchanged
    assert err.splitlines()[0] == "1 text file skipped: not a cable (list: --verbose)"


def test_not_a_cable_can_be_ignored(collection: Path, capsys) -> None:
    assert run_check(capsys, "--ignore", "CBL006", "--select", "CBL0", "notes.txt") == (
        0,
        "",
        "All checks passed!\n",
    )


def test_standard_input_is_named(collection: Path, capsys, monkeypatch) -> None:
    import io

    text = (collection / "requirements.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text), encoding="utf-8"))
    status, out, _ = run_check(capsys, "--stdin-filename", "req.txt", "-")
    assert status == 1
    assert out.splitlines() == [f"req.txt:1:1: {MESSAGE}"]


def test_fix_leaves_them_alone(collection: Path, capsys) -> None:
    before = {p.name: p.read_bytes() for p in collection.iterdir()}
    status, _, err = run_main(capsys, "check", "--no-cache", "--fix", "--select", "CBL0", ".")
    assert status == 0
    assert err.splitlines()[0] == "4 text files skipped: not cables (list: --verbose)"
    status, out, _ = run_main(capsys, "check", "--fix", "--diff", "README.txt")
    assert (status, out) == (0, "")
    assert {p.name: p.read_bytes() for p in collection.iterdir()} == before


def test_cached_run_skips_them_too(collection: Path, capsys) -> None:
    first = run_main(capsys, "check", "--select", "CBL0", ".")
    assert (collection / ".cablelint_cache").is_dir()
    assert run_main(capsys, "check", "--select", "CBL0", ".") == first
    named = run_main(capsys, "check", "--select", "CBL0", "README.txt")
    assert named[:2] == (1, f"README.txt:1:1: {MESSAGE}\n")
    assert named[2].splitlines()[0] == "Found 1 problem (1 error)."


def test_parallel_run_counts_them(collection: Path, capsys) -> None:
    for i in range(12):
        shutil.copy(CLEAN, collection / f"c{i:02}.txt")
        shutil.copy(NOT_CABLES[0], collection / f"n{i:02}.txt")
    _, _, err = run_check(capsys, "--select", "CBL0", "-j", "2", ".")
    assert err.splitlines()[0] == "16 text files skipped: not cables (list: --verbose)"


@pytest.mark.parametrize(
    "text",
    [
        "VZCZCXRO1234\n",
        "DE RUEHFR #0123/01 0451234\n",
        "P 141234Z FEB 08\n",
        "C O N F I D E N T I A L PARIS 000123\n",
        "E.O. 12958: DECL: 02/14/2018\n",
        "Classified By: Ambassador A. Person, Reasons 1.4 (b) and (d).\n",
        "Some text.\n\n¶2. Another paragraph.\n",
        "Some text.\n\n2. (C) Another paragraph.\n",
        "TAGS: PREL PGOV\nSUBJECT: A MEETING\n",
        "    E.O. 12958: DECL: 02/14/2018\n",  # a converter's code-block indentation
    ],
)
def test_one_line_of_a_cable_is_enough(text: str) -> None:
    assert looks_like_cable("Some words before it.\n" + text)


@pytest.mark.parametrize(
    "text",
    [
        "1. A numbered list.\n2. Of steps.\n",
        "2. (a) a lettered item after a number\n",
        "Subject: an email\n\nHello.\n",
        "Tags: one label alone\n",
        "TO DO\nFM radio\n",
    ],
)
def test_prose_is_not_a_cable(text: str) -> None:
    assert not looks_like_cable(text)


def test_every_shared_cable_and_conversion_is_a_cable() -> None:
    """Every cable of ../shared, each converted form of it and the seeds are linted."""
    corpus = require(SHARED / "corpus")
    files = [
        *sorted((corpus / "cablegate").glob("*.txt")),
        *sorted((corpus / "conversions").glob("*/*.txt")),
        *sorted(require(SEEDS).glob("*.txt")),
    ]
    forms = {p.parent.name for p in files}
    assert len(forms) >= 11  # cablegate, seeds and every converted form
    missed = [str(p) for p in files if not is_cable(decode(p.read_bytes()))]
    assert missed == []


def test_shared_collection_through_the_command_line(tmp_path: Path, capsys) -> None:
    """One file of each converted form, the seeds and the project files, walked together."""
    corpus = require(SHARED / "corpus")
    for form in sorted((corpus / "conversions").iterdir()):
        if form.is_dir():
            first = min(form.glob("*.txt"))
            shutil.copy(first, tmp_path / f"{form.name}-{first.name}")
    for path in [*sorted(require(SEEDS).glob("*.txt")), *NOT_CABLES]:
        shutil.copy(path, tmp_path / path.name)
    status, out, err = run_check(capsys, "--no-git", "--select", "CBL006", "-v", str(tmp_path))
    assert (status, out) == (0, "")
    assert err.splitlines() == [
        "4 text files skipped: not cables",
        *(f"  not a cable: {tmp_path / p.name}" for p in NOT_CABLES),
        "All checks passed!",
    ]
