"""``--fix`` never loses data: interrupted writes, untouched files, encodings, lossy decodes,
and a property test that fixing is idempotent and changes only the fixed spans."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cablelint.app.cli import main
from cablelint.engine import api
from cablelint.engine.fix import apply_edits, select_fixes
from cablelint.model.source import SourceText, decode

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = (FIXTURES / "robustness" / "good.txt").read_bytes()
#: good.txt after --fix: the two Markdown tag links become plain tags.
FIXED = GOOD.replace(b"[PREL](#) [PGOV](#)", b"PREL PGOV")
CLEAN = (FIXTURES / "cli" / "clean.txt").read_bytes()


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cable.txt").write_bytes(GOOD)
    return tmp_path


def test_fix_of_the_fixture(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--no-git", "--fix", "cable.txt"]) == 1
    assert (workdir / "cable.txt").read_bytes() == FIXED
    assert _listing(workdir) == ["cable.txt"]


#: What puts the new file in place: the swap of names (Linux), or the rename where it is missing.
SWAP = "cablelint.engine.writer.exchange"


def _break(monkeypatch: pytest.MonkeyPatch, fail: str, replacement) -> None:
    if fail == "os.replace":  # a system without the swap of names renames
        monkeypatch.setattr(SWAP, lambda a, b: False)
    monkeypatch.setattr(fail, replacement)


@pytest.mark.parametrize("fail", [SWAP, "os.replace", "os.fsync"])
def test_failed_write_keeps_the_original(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fail: str,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    _break(monkeypatch, fail, broken)
    assert main(["check", "--no-git", "--fix", "cable.txt"]) == 2
    err = capsys.readouterr().err
    assert "cablelint: error: cannot write cable.txt: No space left on device" in err.splitlines()
    assert (workdir / "cable.txt").read_bytes() == GOOD
    assert _listing(workdir) == ["cable.txt"]  # no temporary file left behind


@pytest.mark.parametrize("fail", [SWAP, "os.replace", "os.fsync", "os.fchmod"])
def test_interrupted_write_keeps_the_original(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fail: str,
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    _break(monkeypatch, fail, interrupt)
    assert main(["check", "--no-git", "--fix", "cable.txt"]) == 130
    assert capsys.readouterr().err.splitlines()[-1] == "cablelint: interrupted"
    assert (workdir / "cable.txt").read_bytes() == GOOD
    assert _listing(workdir) == ["cable.txt"]


def test_files_without_fixes_keep_bytes_and_mtime(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "clean.txt": CLEAN,
        "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(100),
        "empty.txt": b"",
        "lossy.txt": GOOD + b"\x81\x8d undecodable\n",  # has fixes, but must not be written
    }
    for name, data in files.items():
        (workdir / name).write_bytes(data)
        os.utime(workdir / name, ns=(1_000_000_000, 1_000_000_000))
    main(["check", "--no-git", "--fix", *files])
    err = capsys.readouterr().err
    assert "cablelint: warning: lossy.txt: not fixed: undecodable bytes were replaced" in err
    for name, data in files.items():
        assert (workdir / name).read_bytes() == data, name
        assert (workdir / name).stat().st_mtime_ns == 1_000_000_000, name


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("bom", lambda b: b"\xef\xbb\xbf" + b),
        ("crlf", lambda b: b.replace(b"\n", b"\r\n")),
        ("cr", lambda b: b.replace(b"\n", b"\r")),
        ("bom-crlf", lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")),
    ],
)
def test_encodings_round_trip(
    workdir: Path, capsys: pytest.CaptureFixture[str], name: str, encode
) -> None:
    """Only the fixed spans change: encoding, BOM and line ends are the original's.

    CBL510 is ignored: its fix is the line-end conversion this test wants to see kept.
    """
    path = workdir / "cable.txt"
    path.write_bytes(encode(GOOD + "Résumé “quoted”.\n".encode()))
    main(["check", "--no-git", "--fix", "--ignore", "CBL510", "cable.txt"])
    assert path.read_bytes() == encode(FIXED + "Résumé “quoted”.\n".encode())


def test_cp1252_fallback_is_not_written(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file read through the CP1252 fallback is never rewritten, whatever the fix."""
    from cablelint.engine import writer

    path = workdir / "cable.txt"
    data = GOOD.decode().encode("cp1252")
    path.write_bytes(data)
    source = decode(data)
    with pytest.raises(ValueError, match=r"not valid UTF-8 \(read as cp1252\); not fixed"):
        writer.write_if_changed(path, source, source.text + "\u4e2d", data)
    assert path.read_bytes() == data
    assert _listing(workdir) == ["cable.txt"]


# --- property: idempotent, and only the fixed spans change ------------------------------------

SEEDS = [
    (FIXTURES / "robustness" / "good.txt").read_text(encoding="utf-8"),
    *(p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "parse").glob("*.txt"))),
]
#: (old, new) replacements that imitate conversion damage.
DAMAGE = [
    ("SIPDIS", "STPDTS"),
    ("SIPDIS", "SIPDIS SIPDIS"),
    ("¶", ""),
    ("¶1.", "- ¶1."),
    ("¶2.", "12."),
    ("¶", "- 1"),
    ("TAGS: ", "TAGS: [KNNP](#) "),
    ("\n\n", "\n\n\n\n"),
    ("\n", " \n"),
    ("\n", "\r\n"),
    ("\n", "\r"),
    (". ", " . "),
    ("(C)", "( C)"),
    ("(C)", "(c)"),
    ("E.O.", "E. O."),
    ("SUBJECT:", "SUBJECT :"),
    ("C O N F I D E N T I A L", "CONFIDENTIAL"),
    ("\n", "\t\n"),
    ("\n", "\x00\n"),
    (" ", "\u00a0"),
    ("'", "’"),
    ("\n", "\nBEECROFT BEECROFT\n"),
]


@st.composite
def damaged_cables(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        old, new = draw(st.sampled_from(DAMAGE))
        count = text.count(old)
        if not count:
            continue
        nth = draw(st.integers(0, count - 1))
        start = -1
        for _ in range(nth + 1):
            start = text.find(old, start + 1)
        text = text[:start] + new + text[start + len(old) :]
    if draw(st.booleans()):
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "noise"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        else:
            lines.insert(i, draw(st.text(max_size=20)))
        text = "\n".join(lines)
    return text


CONFIG = api.configure(select=["ALL"])


def _passes(text: str, *, unsafe: bool) -> list[tuple[str, str, list]]:
    """Replays the fixer pass by pass: (before, after, edits applied)."""
    out = []
    outcome = api.fix_source(SourceText(text), CONFIG, unsafe=unsafe)
    current = text
    for _ in range(outcome.passes):
        diagnostics = api.lint_source(SourceText(current), CONFIG).diagnostics
        accepted, _ = select_fixes(diagnostics, unsafe=unsafe)
        after = apply_edits(current, accepted)
        out.append((current, after, [e for f in accepted for e in f.edits]))
        current = after
    assert current == outcome.text  # the fixer's text is made of these passes only
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=damaged_cables(), unsafe=st.booleans())
def test_fixing_is_idempotent_and_local(text: str, unsafe: bool) -> None:
    first = api.fix_source(SourceText(text), CONFIG, unsafe=unsafe)
    if first.converged:
        second = api.fix_source(SourceText(first.text), CONFIG, unsafe=unsafe)
        assert second.text == first.text
        assert second.applied == 0
    for before, after, edits in _passes(text, unsafe=unsafe):
        # The text between the edits is kept, at the offsets the replacements shift it to.
        shift = cursor = 0
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            gap = before[cursor : edit.start]
            assert after[cursor + shift : edit.start + shift] == gap
            shift += len(edit.replacement) - (edit.end - edit.start)
            cursor = edit.end
        assert after[cursor + shift :] == before[cursor:]
        # And as a diff sees it: every changed region is near an applied edit. Repeated text
        # (a doubled line) lets difflib align a deletion up to one copy away, hence the slack.
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        widest = max((max(e.end - e.start, len(e.replacement)) for e in edits), default=0)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            slack = max(i2 - i1, j2 - j1, widest)
            assert any(e.start - slack <= i2 and i1 <= e.end + slack for e in edits), (
                tag,
                before[i1:i2],
                after[j1:j2],
            )
