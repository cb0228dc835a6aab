"""File discovery for the command line: expand path arguments into the files to check.

No printing and no exiting: problems come back as :class:`PathError` records for the CLI to
report. A file named explicitly is always checked; directories are searched recursively for
files the configuration includes, skipping hidden directories and, inside a git work tree,
whatever git ignores (one ``git ls-files`` per directory argument; a plain walk otherwise).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from cablelint.app.reading import is_regular
from cablelint.support.git import may_be_in_work_tree, run_git
from cablelint.support.records import field, record

STDIN = "-"
NOT_REGULAR = "not a regular file"
SKIPPED = "not a regular file; skipped"


@record
class PathError:
    """A path that could not be used: ``path`` as the user would recognise it, and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@record(frozen=False)
class Discovery:
    """The files to check (display paths, sorted, unique), those of them named on the command
    line (``named``; the others were found in a directory) and the paths that failed."""

    files: list[str] = field(default_factory=list)
    errors: list[PathError] = field(default_factory=list)
    stdin: bool = False
    named: set[str] = field(default_factory=set)
    #: Directories named on the command line that git ignores: not searched (use_git=False is).
    ignored: list[str] = field(default_factory=list)
    #: Standard input was named but its --stdin-filename is excluded (--force-exclude).
    stdin_excluded: bool = False
    notes: list[PathError] = field(default_factory=list)  # files met in a walk and skipped
    #: Files named on the command line that --force-exclude dropped (for --show-files).
    excluded: list[str] = field(default_factory=list)


class Selector:
    """Which discovered files to keep and which directories to prune (from the configuration)."""

    def __init__(
        self,
        is_included: Callable[[str], bool],
        is_excluded: Callable[[str], bool],
    ) -> None:
        self.is_included = is_included
        self.is_excluded = is_excluded


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc) or type(exc).__name__
    return " ".join(text.split())


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def discover(
    paths: Sequence[str],
    selector: Selector,
    *,
    use_git: bool = True,
) -> Discovery:
    """Expand ``paths`` (files, directories, ``-``) into files to check.

    The result keeps each file once, sorted by its display path; ``-`` (standard input) is
    flagged separately and checked after the files.
    """
    found = Discovery()
    seen: set[str] = set()
    collected: list[str] = []

    def add(display: str) -> None:  # ``display`` is normalised (os.path.normpath)
        if display not in seen:
            seen.add(display)
            collected.append(display)

    for arg in paths:
        if arg == STDIN:
            found.stdin = True
            continue
        try:
            os.stat(arg)
        except OSError as exc:
            if os.path.islink(arg):
                found.errors.append(PathError(arg, "broken symbolic link"))
            else:
                found.errors.append(PathError(arg, _reason(exc)))
            continue
        if not os.path.isdir(arg):
            if not is_regular(arg):  # a FIFO would hang the run, a device never end
                found.errors.append(PathError(arg, NOT_REGULAR))
                continue
            add(os.path.normpath(arg))  # explicit files are always checked
            found.named.add(os.path.normpath(arg))
            continue
        for display in _expand_dir(arg, selector, found, use_git=use_git):
            add(display)
    found.files = sorted(collected, key=_sort_key)
    return found


def _sort_key(path: str) -> tuple[str, ...]:
    """``Path(path).parts``; on POSIX, for a normalised path, a plain split is the same."""
    if os.name != "posix" or "//" in path or path in (".", "", "/"):
        return Path(path).parts
    parts = path.split("/")
    if not parts[0]:
        parts[0] = "/"
    return tuple(parts)


def _join(root: str, rel: str) -> str:
    return os.path.normpath(os.path.join(root, rel))


def _prefix(directory: str) -> str:
    """What a name in ``directory`` is appended to for its normalised path (``_join`` of the
    two for a name that is no ``.`` or ``..``): asked once a directory, not once a file."""
    base = os.path.normpath(directory)
    return "" if base == os.curdir else os.path.join(base, "")


def _expand_dir(root: str, selector: Selector, found: Discovery, *, use_git: bool) -> Iterator[str]:
    listed = _git_files(root) if use_git else None
    if listed is not None:
        if not listed and _git_ignores(root):
            found.ignored.append(root)
        yield from _filter_git(root, listed, selector, found.notes)
        return
    yield from _walk(root, selector, found)


def _filter_git(
    root: str, listed: Iterable[str], selector: Selector, notes: list[PathError]
) -> Iterator[str]:
    for rel in listed:
        parts = rel.split("/")
        if any(_hidden(p) for p in parts[:-1]):
            continue
        display = _join(root, rel)
        if not os.path.isfile(display):  # deleted from the work tree, a link to a directory
            if _special(display) and selector.is_included(display):
                notes.append(PathError(display, SKIPPED))
            continue
        if selector.is_included(display):
            yield display


def _special(path: str) -> bool:
    """A FIFO, device or socket (a link followed), as opposed to a file, directory or nothing."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _git_files(root: str) -> list[str] | None:
    """Files under ``root`` that git tracks or does not ignore, relative to ``root``.

    None when git is missing or ``root`` is not inside a work tree: the caller walks instead.
    """
    if not may_be_in_work_tree(root):
        return None
    proc = run_git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    if proc is None or proc.returncode != 0:
        return None
    return sorted({os.fsdecode(raw) for raw in proc.stdout.split(b"\0") if raw})


def _git_ignores(root: str) -> bool:
    """Whether git ignores the directory ``root`` itself (``git check-ignore``)."""
    proc = run_git(root, "check-ignore", "-q", ".")
    return proc is not None and proc.returncode == 0


def _walk(root: str, selector: Selector, found: Discovery) -> Iterator[str]:
    """A depth-first walk that does not follow directory symlinks (as git and ruff do not)
    and survives unreadable directories (each becomes a :class:`PathError`)."""
    visited: set[tuple[int, int]] = set()  # a bind mount can still make a loop
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            st = os.stat(directory)
        except OSError as exc:
            found.errors.append(PathError(directory, _reason(exc)))
            continue
        if (st.st_dev, st.st_ino) in visited:
            continue
        visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            found.errors.append(PathError(directory, f"cannot read directory: {_reason(exc)}"))
            continue
        subdirs = []
        prefix = _prefix(directory)
        for entry in entries:
            display = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_file = not is_dir and entry.is_file()  # a link to a file is followed
            except OSError:
                continue
            if is_dir:
                if _hidden(entry.name) or selector.is_excluded(display):
                    continue
                subdirs.append(display)
            elif is_file:
                if selector.is_included(display):
                    yield display
            elif _special(display) and selector.is_included(display):
                found.notes.append(PathError(display, SKIPPED))
        stack.extend(reversed(subdirs))
