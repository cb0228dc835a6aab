"""writer.py: atomic writes that keep mode, encoding, BOM and line endings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cablelint.engine.writer import write_atomic, write_if_changed
from cablelint.model.source import decode


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
    assert write_if_changed(path, source, source.text) is False
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_cp1252_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"CAF\xc9 \x93QUOTED\x94\n")
    source = decode(path.read_bytes())
    assert source.encoding == "cp1252"
    new_text = source.text.replace("\u201c", '"').replace("\u201d", '"')
    assert write_if_changed(path, source, new_text) is True
    assert path.read_bytes() == b'CAF\xc9 "QUOTED"\n'


def test_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"\xef\xbb\xbfTAGS: [IR](#)\n")
    source = decode(path.read_bytes())
    assert write_if_changed(path, source, "TAGS: IR\n") is True
    assert path.read_bytes() == b"\xef\xbb\xbfTAGS: IR\n"


def test_crlf_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"A\r\n\xc2\xb6B\r\n")
    source = decode(path.read_bytes())
    assert write_if_changed(path, source, source.text.replace("B", "C")) is True
    assert path.read_bytes() == b"A\r\n\xc2\xb6C\r\n"


def test_lossy_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"A\x81B\n")
    source = decode(path.read_bytes())
    assert source.lossy
    with pytest.raises(ValueError) as info:
        write_if_changed(path, source, "AB\n")
    assert str(info.value) == f"{path}: not fixed: undecodable bytes were replaced when reading"
    assert path.read_bytes() == b"A\x81B\n"


def test_unencodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_bytes(b"CAF\xc9\n")
    source = decode(path.read_bytes())
    with pytest.raises(ValueError) as info:
        write_if_changed(path, source, "CAF\xc9 \u2192\n")
    assert str(info.value) == f"{path}: not fixed: '\u2192' cannot be encoded as cp1252"
    assert path.read_bytes() == b"CAF\xc9\n"
