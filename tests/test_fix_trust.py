"""What ``check --fix`` will not write: a file changed meanwhile, an output that is an input,
read-only, hard-linked and foreign files, links out of the tree; and what it keeps: owner, mode,
extended attributes and CR line ends. Each through the command line."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cablelint.engine import api, fix
from cablelint.engine.linter import Linter
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Severity
from cablelint.model.source import decode

from .cli import run_main
from .corpus import SEEDS

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "robustness" / "good.txt").read_bytes()
#: good.txt after --fix: the two Markdown tag links become plain tags.
FIXED = GOOD.replace(b"[PREL](#) [PGOV](#)", b"PREL PGOV")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (project / "cable.txt").write_bytes(GOOD)
    return project


def fix_run(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, str, str]:
    return run_main(capsys, "check", "--no-cache", "--no-git", "--fix", *paths)


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_plain_fix_for_reference(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = fix_run(capsys, "cable.txt")
    assert (work / "cable.txt").read_bytes() == FIXED
    assert "not fixed" not in err
    assert status == 1


def test_a_file_changed_while_checking_is_left_alone(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program appends a line between the read and the write: the line survives."""
    real = Linter.fix

    def appending(*args, **kwargs):
        with open(work / "cable.txt", "ab") as fh:
            fh.write(b"APPENDED MEANWHILE\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(Linter, "fix", appending)
    status, _, err = fix_run(capsys, "cable.txt")
    assert (work / "cable.txt").read_bytes() == GOOD + b"APPENDED MEANWHILE\n"
    assert "cablelint: warning: cable.txt: changed while checking; not fixed\n" in err
    assert status == 1
    assert listing(work) == ["cable.txt"]


@pytest.mark.parametrize("flag", ["-o", "--output-file", "--write-baseline"])
def test_an_output_that_is_an_input_is_a_usage_error(
    work: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    (work / "other.txt").write_bytes(GOOD)
    status, out, err = run_main(capsys, "check", "--no-cache", "--no-git", flag, "cable.txt", ".")
    assert status == 2
    assert err == (
        "cablelint: error: cable.txt is one of the files to check; it cannot also be the output\n"
    )
    assert out == ""
    assert (work / "cable.txt").read_bytes() == GOOD


def test_an_output_hard_linked_to_an_input_is_a_usage_error(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.link(work / "cable.txt", work / "report.out")
    status, _, err = run_main(capsys, "check", "--no-cache", "-o", "report.out", "cable.txt")
    assert status == 2
    assert "report.out is one of the files to check" in err
    assert (work / "cable.txt").read_bytes() == GOOD


def test_a_new_output_file_is_fine(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "check", "--no-cache", "-o", "report.out", "cable.txt")
    assert (status, out) == (1, "")
    assert "cable.txt:14:7:" in (work / "report.out").read_text(encoding="utf-8")


def test_read_only_file_is_not_fixed(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = work / "cable.txt"
    path.chmod(0o444)  # root may write it: the mode says no all the same
    status, _, err = fix_run(capsys, "cable.txt")
    assert path.read_bytes() == GOOD
    assert "cablelint: warning: cable.txt: read-only; not fixed\n" in err
    assert status == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_hard_linked_file_is_left_with_a_message(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.link(work / "cable.txt", work.parent / "elsewhere.txt")
    status, _, err = fix_run(capsys, "cable.txt")
    assert (work / "cable.txt").read_bytes() == GOOD
    assert os.path.samefile(work / "cable.txt", work.parent / "elsewhere.txt")
    assert (
        "cablelint: warning: cable.txt: has 2 hard links, which a rewrite would split; not fixed"
    ) in err
    assert status == 1


def test_symlink_out_of_the_tree_is_not_written_through(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = work.parent / "outside.txt"
    outside.write_bytes(GOOD)
    (work / "sub").mkdir()
    (work / "sub" / "link.txt").symlink_to(outside)
    (work / "sub" / "inner.txt").symlink_to(work / "cable.txt")
    fix_run(capsys, "sub")  # the tree is sub/: even cable.txt lies outside it
    assert outside.read_bytes() == GOOD
    assert (work / "cable.txt").read_bytes() == GOOD
    _, _, err = fix_run(capsys, ".")
    assert outside.read_bytes() == GOOD
    assert f"cablelint: warning: sub/link.txt: a link to {outside}, outside .; not fixed\n" in err
    assert (work / "cable.txt").read_bytes() == FIXED  # directly and through sub/inner.txt
    assert (work / "sub" / "inner.txt").is_symlink()
    assert (work / "sub" / "link.txt").is_symlink()


def test_explicit_symlink_to_a_file_elsewhere_is_not_written_through(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = work.parent / "outside.txt"
    outside.write_bytes(GOOD)
    (work / "link.txt").symlink_to(outside)
    _, _, err = fix_run(capsys, "link.txt")
    assert outside.read_bytes() == GOOD
    assert "link.txt: a link to" in err


def test_mode_and_extended_attributes_are_kept(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "cable.txt"
    path.chmod(0o640)
    try:
        os.setxattr(path, "user.origin", b"archive")
    except OSError:
        pytest.skip("no user extended attributes on this file system")
    fix_run(capsys, "cable.txt")
    assert path.read_bytes() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.getxattr(path, "user.origin") == b"archive"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_is_kept_when_run_as_root(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = work / "cable.txt"
    os.chown(path, 4321, 4322)
    fix_run(capsys, "cable.txt")
    assert path.read_bytes() == FIXED
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4322)


def test_cr_only_file_keeps_its_cr_line_ends(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = work / "cable.txt"
    path.write_bytes(GOOD.replace(b"\n", b"\r"))
    status, out, _ = fix_run(capsys, "cable.txt")
    assert path.read_bytes() == FIXED.replace(b"\n", b"\r")
    first, *rest = out.splitlines()
    assert first == (
        "cable.txt:1:1: CBL510 [warning] every line ends with a lone CR (classic Mac OS); "
        "expected LF or CRLF"
    )
    assert status == 1
    path.write_bytes(FIXED)  # the same findings as the LF file, line for line
    assert run_main(capsys, "check", "--no-cache", "cable.txt")[1].splitlines() == rest


def test_bom_and_one_cp1252_byte_name_the_byte(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "cable.txt").write_bytes(b"\xef\xbb\xbf" + GOOD.replace(b"JO\n", b"JO \xe9\n"))
    _, out, _ = run_main(capsys, "check", "--no-cache", "--select", "CBL001", "cable.txt")
    assert out == (  # at the byte itself, which it names: the BOM is not blamed
        "cable.txt:14:30: CBL001 [error] not valid UTF-8: byte 0xE9; the file is decoded as"
        " CP1252, which reads it as 'é' [~]\n"
    )


# --- no fix removes more than the damage it names --------------------------------------------


def _diagnostic(text: str, start: int, end: int, edit: Edit) -> Diagnostic:
    span = decode(text.encode()).index.span(start, end)
    return Diagnostic("CBL999", "test", Severity.ERROR, "m", span, Fix((edit,), "safe", "t"))


def test_a_fix_that_removes_text_outside_its_lines_is_refused() -> None:
    text = "ONE\nTWO  \nTHREE\n"

    class Outcome:
        def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
            self.diagnostics = diagnostics
            self.parse_problems = 0

    greedy = _diagnostic(text, 7, 9, Edit(0, 9, ""))  # names TWO's spaces, deletes ONE too
    fair = _diagnostic(text, 7, 9, Edit(7, 9, ""))
    outcome = fix.fix_until_stable(
        text, lambda t: Outcome((greedy,) if t == text else ()), unsafe=False
    )
    assert outcome.text == text
    assert outcome.refused == (greedy,)
    outcome = fix.fix_until_stable(
        text, lambda t: Outcome((fair,) if t == text else ()), unsafe=False
    )
    assert outcome.text == "ONE\nTWO\nTHREE\n"
    assert outcome.refused == ()


@pytest.mark.parametrize(
    ("start", "end", "edit", "over"),
    [
        (7, 9, Edit(4, 10, ""), False),  # its whole line, line end included
        (7, 9, Edit(3, 9, ""), False),  # the line end before: whitespace
        (7, 9, Edit(2, 9, ""), True),  # a letter of the line before
        (7, 9, Edit(7, 11, ""), True),  # a letter of the line after
        (7, 9, Edit(9, 9, "X\nY"), False),  # an insertion removes nothing
    ],
)
def test_overreach(start: int, end: int, edit: Edit, over: bool) -> None:
    text = "ONE\nTWO  \nTHREE\n"
    assert fix.overreaches(_diagnostic(text, start, end, edit), text) is over


def test_no_shipped_fix_overreaches_on_the_fixtures() -> None:
    config = api.configure(select=["ALL"])
    files = sorted(FIXTURES.rglob("*.txt"))
    files += sorted(SEEDS.glob("*.txt"))  # none when ../shared is absent
    checked = 0
    for path in files:
        source = decode(path.read_bytes())
        for diagnostic in api.lint_source(source, config).diagnostics:
            if diagnostic.fix is not None:
                checked += 1
                assert not fix.overreaches(diagnostic, source.text), (path, diagnostic)
    assert checked > 20


def test_an_output_device_is_no_input(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A device (os.devnull) is never one of the files to check: no input is compared with it."""
    status, out, err = run_main(capsys, "check", "--no-cache", "-o", os.devnull, "cable.txt")
    assert (status, out) == (1, "")
    assert "cannot also be the output" not in err
