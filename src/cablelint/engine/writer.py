"""Writing fixed text back: atomic replacement, original encoding, only when bytes change."""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from cablelint.model.source import SourceText


def _one_line(exc: OSError) -> str:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return " ".join(reason.split())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target_mode(path: Path) -> int:
    """The mode of the existing file, or what a plain ``open(path, "w")`` would create."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def replace_file(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` through a temporary file in the same directory.

    The file mode is kept (a new file gets the umask's); a symlink is followed and its target
    replaced; ``durable`` syncs the data and the rename to disk. On failure nothing is left
    behind and the ``OSError`` propagates.
    """
    target = Path(os.path.realpath(path))
    mode = _target_mode(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(target.parent)


def write_atomic(path: Path, data: bytes) -> None:
    """:func:`replace_file`, durably, with a one-line ``cannot write PATH: reason`` on failure."""
    try:
        replace_file(path, data)
    except OSError as exc:
        raise OSError(f"cannot write {path}: {_one_line(exc)}") from exc


def write_if_changed(path: Path, source: SourceText, new_text: str) -> bool:
    """Write ``new_text`` in the encoding and BOM of ``source`` if the file bytes would change.

    Returns whether the file was written. Raises ``ValueError`` when the source was decoded
    lossily or the text cannot be encoded back.
    """
    if source.lossy:
        raise ValueError(f"{path}: not fixed: undecodable bytes were replaced when reading")
    try:
        data = source.encode(new_text)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start : exc.end]
        raise ValueError(
            f"{path}: not fixed: {char!r} cannot be encoded as {source.encoding}"
        ) from exc
    try:
        current: bytes | None = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current == data:
        return False
    write_atomic(path, data)
    return True
