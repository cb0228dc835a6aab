"""Writing fixed text back: atomic replacement, original encoding, only when bytes change."""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from cablelint.engine.exchange import Busy, exchange, lock_current
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


def _xattrs(path: str | int) -> dict[str, bytes]:
    """The extended attributes of ``path`` or of the file open as that descriptor (none where
    the platform or file system has none)."""
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


class Restored(OSError):
    """The file changed while a fix replaced it, and the other program's version was put back."""


#: Seconds to wait for another process's lock on a file before leaving it unfixed.
LOCK_WAIT = 10.0


def replace_checked(path: Path, original: bytes, data: bytes, *, tree: str | None = None) -> bool:
    """Replace the file at ``path``, read as ``original``, with ``data``, atomically.

    The new file keeps the old one's owner, group, mode and extended attributes, or the old
    one is left alone (:class:`NotWritten`). So it is when the file is read-only, hard-linked,
    reached through a link from inside ``tree`` to a file outside it, no longer holds
    ``original`` (another program changed it meanwhile) or stays locked by another process.
    Returns False when the file already holds ``data``. An ``OSError`` is one line: ``cannot
    write PATH: reason``, or ``PATH: changed while ...`` when another program wrote to the file
    as it was being replaced and its version was put back (see :func:`_commit`).
    """
    try:
        return _replace_checked(path, original, data, tree)
    except Restored as exc:
        raise OSError(f"{path}: {exc}") from None
    except Busy:
        raise NotWritten(f"locked by another process for {LOCK_WAIT:g} s; not fixed") from None
    except OSError as exc:
        raise OSError(f"cannot write {path}: {_one_line(exc)}") from exc


def _replace_checked(path: Path, original: bytes, data: bytes, tree: str | None) -> bool:
    target, _ = _check_target(path, tree)
    held = lock_current(target, wait=LOCK_WAIT)  # two cablelint runs never interleave here
    try:
        return _replace_locked(target, held, original, data)
    finally:
        os.close(held)


def _read(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes of the file open as ``fd``, from its start."""
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _replace_locked(target: str, held: int, original: bytes, data: bytes) -> bool:
    st = os.fstat(held)
    now = _read(held, len(original) + 1)
    if now != original:
        if now == data:
            return False  # another run wrote the same fix
        raise NotWritten("changed while checking; not fixed")
    if st.st_nlink > 1:  # a file put in its place while this run waited for the lock
        raise NotWritten(f"has {st.st_nlink} hard links, which a rewrite would split; not fixed")
    directory, name = os.path.split(target)
    fd, tmp = _temporary(directory, name)
    try:
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(data)
            fh.flush()
        os.fsync(fd)
        _keep_metadata(fd, st, _xattrs(target))
        verified = os.fstat(held)  # the last look before the swap
        if not (_same_file(os.stat(target), st) and _intact(held, verified, original)):
            raise NotWritten("changed while checking; not fixed")
        if tmp is None:  # unnamed until now: a run killed before this leaves nothing behind
            tmp = _name(fd, directory, name)
        tmp, named = None, tmp
        _commit(named, target, held, verified, original)
    finally:
        os.close(fd)
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)
    _fsync_dir(Path(directory))
    return True


def _intact(held: int, verified: os.stat_result, original: bytes) -> bool:
    """Whether the file open as ``held`` still holds ``original``, unwritten since ``verified``."""
    now = os.fstat(held)
    if (now.st_size, now.st_mtime_ns) != (verified.st_size, verified.st_mtime_ns):
        return False
    return _read(held, len(original) + 1) == original


_CHANGED = "changed while the fix was being written; the other program's version is kept, not fixed"


def _commit(tmp: str, target: str, held: int, verified: os.stat_result, original: bytes) -> None:
    """Put the new file named ``tmp`` in the place of ``target``, the file open as ``held``.

    Where the system can swap two names at once (Linux), the file displaced is looked at under
    its new name: another program's file (one saved in its place by a rename) goes back at
    once. Elsewhere a rename replaces the file. Then the old file, still open, is checked: if
    it was written to since the last check, its bytes are put back as the file. Either way
    :class:`Restored` says so, and ``tmp`` is gone after. With the swap, the temporary name
    lives a few system calls longer than with a rename (swap, look, unlink): a run killed just
    then leaves it, holding the old text.
    """
    try:
        swapped = exchange(tmp, target)
        if not swapped:
            os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    if swapped:
        try:  # ``tmp`` now names the file displaced
            if not _same_file(os.lstat(tmp), verified):
                os.rename(tmp, target)  # not the file checked: another program's, back
                raise Restored(_CHANGED)
            os.unlink(tmp)
        except OSError:
            raise
        except BaseException:  # interrupted: leave the file as it was
            with suppress(OSError):
                os.rename(tmp, target)
            raise
    if not _intact(held, verified, original):
        _put_back(held, target)
        raise Restored(_CHANGED)


def _put_back(held: int, target: str) -> None:
    """Make the bytes of the old file, open as ``held``, the file at ``target`` again (with its
    owner, mode and extended attributes where they can be kept)."""
    theirs = _read(held, os.fstat(held).st_size)
    directory, name = os.path.split(target)
    fd, named = _temporary(directory, name)
    try:
        with os.fdopen(fd, "wb", closefd=False) as fh:
            fh.write(theirs)
        os.fsync(fd)
        with suppress(NotWritten):
            _keep_metadata(fd, os.fstat(held), _xattrs(held))
        if named is None:
            named = _name(fd, directory, name)
        os.replace(named, target)
        named = None
    finally:
        os.close(fd)
        if named is not None:
            with suppress(OSError):
                os.unlink(named)


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
