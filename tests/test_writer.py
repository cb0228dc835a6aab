"""writer.py: atomic writes that keep mode, encoding, BOM and line endings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cablelint.engine.writer import replace_checked, write_atomic, write_if_changed
from cablelint.model.source import decode
from cablelint.support.records import replace


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_atomic(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert mode(path) == 0o640
    assert os.listdir(tmp_path) == ["cable.txt"]


def test_write_atomic_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", b"x")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.txt") == 0o640


def test_write_atomic_follows_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"


def test_interrupted_write_leaves_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"original\n")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left\non device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError) as info:
        write_atomic(path, b"replacement\n")
    assert str(info.value) == f"cannot write {path}: No space left on device"
    assert path.read_bytes() == b"original\n"
    assert os.listdir(tmp_path) == ["cable.txt"]


def test_write_into_missing_directory_is_a_one_line_oserror(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "cable.txt"
    with pytest.raises(OSError, match=r"^cannot write .*cable\.txt: No such file or directory$"):
        write_atomic(path, b"x")


def test_unchanged_bytes_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    data = b"\xef\xbb\xbfUNCLAS\r\n\xc2\xb61. TEXT\r\n"
    path.write_bytes(data)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    source = decode(data)
    assert write_if_changed(path, source, source.text, data) is False
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_cp1252_fallback_is_never_rewritten(tmp_path: Path) -> None:
    """CP1252 is a guess for bytes that are not UTF-8: a rewrite could garble the file."""
    path = tmp_path / "cable.txt"
    data = b"CAF\xc9 \x93QUOTED\x94\n"
    path.write_bytes(data)
    source = decode(data)
    assert source.encoding == "cp1252"
    new_text = source.text.replace("\u201c", '"').replace("\u201d", '"')
    with pytest.raises(ValueError) as info:
        write_if_changed(path, source, new_text, data)
    assert str(info.value) == f"{path}: not valid UTF-8 (read as cp1252); not fixed"
    assert path.read_bytes() == data


def test_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"\xef\xbb\xbfTAGS: [IR](#)\n")
    source = decode(path.read_bytes())
    assert write_if_changed(path, source, "TAGS: IR\n", path.read_bytes()) is True
    assert path.read_bytes() == b"\xef\xbb\xbfTAGS: IR\n"


def test_crlf_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"A\r\n\xc2\xb6B\r\n")
    source = decode(path.read_bytes())
    assert write_if_changed(path, source, source.text.replace("B", "C"), path.read_bytes())
    assert path.read_bytes() == b"A\r\n\xc2\xb6C\r\n"


def test_lossy_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"A\x81B\n")
    source = decode(path.read_bytes())
    assert source.lossy
    with pytest.raises(ValueError) as info:
        write_if_changed(path, source, "AB\n", b"A\x81B\n")
    assert str(info.value) == f"{path}: not fixed: undecodable bytes were replaced when reading"
    assert path.read_bytes() == b"A\x81B\n"


def test_unencodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"\xef\xbb\xbfTAGS: IR\n")
    source = decode(path.read_bytes())
    with pytest.raises(ValueError) as info:
        write_if_changed(path, replace(source, encoding="ascii"), "TAGS: \u2192\n", b"")
    assert str(info.value) == f"{path}: not fixed: '\u2192' cannot be encoded as ascii"
    with pytest.raises(ValueError) as info:
        write_if_changed(path, source, "TAGS: \ud800\n", b"")
    assert str(info.value) == f"{path}: not fixed: '\\ud800' cannot be encoded as utf-8"
    assert path.read_bytes() == b"\xef\xbb\xbfTAGS: IR\n"


def test_the_new_text_has_no_name_until_it_replaces_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written and synced unnamed (O_TMPFILE): a run killed meanwhile leaves nothing behind."""
    if not hasattr(os, "O_TMPFILE") or not os.path.isdir("/proc/self/fd"):
        pytest.skip("no unnamed files here")
    path = tmp_path / "cable.txt"
    path.write_bytes(b"old\n")
    listings = []
    real_fsync = os.fsync

    def listing_fsync(fd: int) -> None:
        listings.append(sorted(os.listdir(tmp_path)))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", listing_fsync)
    assert replace_checked(path, b"old\n", b"new\n") is True
    assert listings[0] == ["cable.txt"]
    assert path.read_bytes() == b"new\n"
    assert os.listdir(tmp_path) == ["cable.txt"]
