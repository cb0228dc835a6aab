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


class NotWritten(Exception):
    """A fix left unwritten on purpose; ``str()`` is the reason, e.g. ``read-only; not fixed``."""


def _inside(path: str, tree: str) -> bool:
    return path == tree or path.startswith(tree.rstrip(os.sep) + os.sep)


def _xattrs(path: str) -> dict[str, bytes]:
    """The extended attributes of ``path`` (none where the platform or file system has none)."""
    if not hasattr(os, "listxattr"):
        return {}
    try:
        return {name: os.getxattr(path, name) for name in os.listxattr(path)}
    except OSError:
        return {}


def _check_target(path: Path, tree: str | None) -> tuple[str, os.stat_result]:
    """The file a fix of ``path`` would replace, and its status; :class:`NotWritten` when a
    fix must leave it alone (outside ``tree`` through a link, not a regular file, read-only,
    hard-linked)."""
    target = os.path.realpath(path)
    if tree is not None and not _inside(target, os.path.realpath(tree)):
        raise NotWritten(f"a link to {target}, outside {tree}; not fixed")
    st = os.stat(target)
    if not stat.S_ISREG(st.st_mode):
        raise NotWritten("not a regular file; not fixed")
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise NotWritten("read-only; not fixed")
    if st.st_nlink > 1:
        raise NotWritten(f"has {st.st_nlink} hard links, which a rewrite would split; not fixed")
    return target, st


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def replace_checked(path: Path, original: bytes, data: bytes, *, tree: str | None = None) -> bool:
    """Replace the file at ``path``, read as ``original``, with ``data``, atomically.

    The new file keeps the old one's owner, group, mode and extended attributes, or the old
    one is left alone (:class:`NotWritten`). So it is when the file is read-only, hard-linked,
    reached through a link from inside ``tree`` to a file outside it, or no longer holds
    ``original`` (another program changed it meanwhile). Returns False when the file already
    holds ``data``. An ``OSError`` is a one-line ``cannot write PATH: reason``.
    """
    try:
        return _replace_checked(path, original, data, tree)
    except OSError as exc:
        raise OSError(f"cannot write {path}: {_one_line(exc)}") from exc


def _replace_checked(path: Path, original: bytes, data: bytes, tree: str | None) -> bool:
    target, st = _check_target(path, tree)
    attributes = _xattrs(target)
    directory, name = os.path.split(target)
    fd, tmp = _temporary(directory, name)
    try:
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(data)
            fh.flush()
        os.fsync(fd)
        _keep_metadata(fd, st, attributes)
        with open(target, "rb") as current:
            now = current.read(len(original) + 1)
            unchanged = now == original and _same_file(os.fstat(current.fileno()), st)
        if not unchanged:
            if now == data:
                return False  # another run wrote the same fix
            raise NotWritten("changed while checking; not fixed")
        if tmp is None:  # unnamed until now: a run killed before this leaves nothing behind
            tmp = _name(fd, directory, name)
        os.replace(tmp, target)
        tmp = None
    finally:
        os.close(fd)
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)
    _fsync_dir(Path(directory))
    return True


def _temporary(directory: str, name: str) -> tuple[int, str | None]:
    """A new file in ``directory`` open for writing, and its name: None for an unnamed one
    (``O_TMPFILE``, Linux), which nothing can leave behind; else ``.NAME.XXXX.tmp``."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and os.path.isdir(_PROC_FD):
        with suppress(OSError):  # a file system without unnamed files: a named one
            return os.open(directory, flag | os.O_WRONLY, 0o600), None
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)


_PROC_FD = "/proc/self/fd"


def _name(fd: int, directory: str, name: str) -> str:
    """Give the unnamed file open as ``fd`` a temporary name in ``directory`` (``linkat``)."""
    # With a directory descriptor, os.link is linkat(..., AT_SYMLINK_FOLLOW): the link made is
    # to the file open as ``fd``, not to the /proc symbolic link (plain link(2) would be).
    where = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for _ in range(100):
            tmp = f".{name}.{os.urandom(4).hex()}.tmp"  # not secrets: 30 ms of imports
            try:
                os.link(f"{_PROC_FD}/{fd}", tmp, dst_dir_fd=where, follow_symlinks=True)
            except FileExistsError:
                continue
            return os.path.join(directory, tmp)
    finally:
        os.close(where)
    raise FileExistsError(f"no free temporary name for {name} in {directory}")


def _keep_metadata(fd: int, st: os.stat_result, attributes: dict[str, bytes]) -> None:
    """Give the new file (open as ``fd``) the old one's owner, mode and extended attributes."""
    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except PermissionError:
            raise NotWritten("owned by another user, who would lose it; not fixed") from None
    os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after chown, which clears set-id bits
    for name, value in attributes.items():
        try:
            os.setxattr(fd, name, value)
        except OSError:
            raise NotWritten(f"extended attribute {name} cannot be kept; not fixed") from None


def encode_fixed(path: Path, source: SourceText, new_text: str) -> bytes:
    """``new_text`` in the encoding, BOM and line ends of ``source``.

    Raises ``ValueError`` when the file must not be rewritten: decoded lossily or through the
    CP1252 fallback (a guess), or the text cannot be encoded back.
    """
    if source.lossy:
        raise ValueError(f"{path}: not fixed: undecodable bytes were replaced when reading")
    if source.encoding == "cp1252":  # converted to UTF-8 first (CBL001's unsafe fix), or left
        raise ValueError(f"{path}: not valid UTF-8 (read as {source.encoding}); not fixed")
    try:
        return source.encode(new_text)
    except UnicodeEncodeError as exc:
        char = exc.object[exc.start : exc.end]
        raise ValueError(
            f"{path}: not fixed: {char!r} cannot be encoded as {source.encoding}"
        ) from exc


def write_if_changed(
    path: Path, source: SourceText, new_text: str, original: bytes, *, tree: str | None = None
) -> bool:
    """Write ``new_text`` over the file read as ``original`` and decoded as ``source``, if the
    file's bytes would change (see :func:`encode_fixed` and :func:`replace_checked`).

    Returns whether the file was written.
    """
    data = encode_fixed(path, source, new_text)
    if data == original:
        return False
    return replace_checked(path, original, data, tree=tree)
