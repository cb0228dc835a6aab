"""A cache of diagnostics: unchanged files under unchanged settings are not linted again.

Entries are grouped by the settings of a run (the configuration fingerprint: rules, options,
severities, per-file ignores, cablelint version; a stamp of the installed code; option flags
that change the diagnostics): ``<cache-dir>/<group>/<slot[:2]>/<slot>.json``. Within a group a
file has one slot, named by its path and the rules in force for it; the entry holds the sha256
of the bytes it was linted from, the diagnostics as JSON and whether the text is a cable at all
(sniff.py), and answers only for those bytes. An edited file replaces its entry, so a group
never holds more entries than files; :meth:`Cache.finish` drops the groups that none of the
last :data:`KEEP_RUNS` runs used (another configuration, selection or cablelint version).
Entries are written atomically; a missing or corrupt entry is simply a miss, and the directory
is safe to delete at any time (``cablelint clean``: :func:`remove`).

A cache answers for the files it names, so a planted one could hide every finding: a directory
that git tracks (a committed cache) or that is a symbolic link is not used (:func:`refusal`).
``.gitignore`` and ``CACHEDIR.TAG`` are written only into a directory cablelint created, never
into one that was there (``cache-dir: .`` is the project itself).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cablelint import __version__
from cablelint.engine.writer import replace_file
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Related, Severity, Span
from cablelint.support.git import may_be_in_work_tree, run_git
from cablelint.support.records import record
from cablelint.support.resources import shipped_dir

FORMAT = 2
#: A run's group of entries survives while one of the last this many runs used it.
KEEP_RUNS = 5
_RUNS = "runs"  # the count of runs that used the cache directory
_LAST_RUN = "last-run"  # in a group: the count of the last run that used it
_README = "# Created by cablelint: a cache of lint results, safe to delete.\n*\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# cablelint cache (see bford.info/cachedir)\n"


def code_roots() -> list[Path]:
    """The folders whose files make cablelint's findings: the package, and the grammar and rule
    files, which an editable checkout keeps beside the package rather than inside it."""
    package = Path(__file__).resolve().parents[1]  # the whole package, not this layer only
    roots = [package]
    for name in ("grammar", "rules"):
        try:
            folder = shipped_dir(name).resolve()
        except FileNotFoundError:  # reported where the grammar or rules are read
            continue
        if not folder.is_relative_to(package):
            roots.append(folder)
    return roots


def stamp_of(roots: list[Path]) -> str:
    """A hash of the names, sizes and mtimes of the files under ``roots`` (compiled files aside)."""
    parts = [__version__]
    for root in roots:
        parts.append(f"root:{root.name}")
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")):
                    continue
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@cache
def code_stamp() -> str:
    """The stamp of the installed code, grammar and rules: changing any of them misses the cache."""
    return stamp_of(code_roots())


# --- (de)serialisation -------------------------------------------------------------------------


def dump_diagnostic(d: Diagnostic) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": d.code,
        "name": d.name,
        "severity": int(d.severity),
        "message": d.message,
        "span": list(d.span),
    }
    if d.fix is not None:
        record["fix"] = {
            "edits": [[e.start, e.end, e.replacement] for e in d.fix.edits],
            "applicability": d.fix.applicability,
            "message": d.fix.message,
        }
        if d.fix.encoding is not None:
            record["fix"]["encoding"] = d.fix.encoding
    if d.extra:
        record["extra"] = d.extra
    if d.related:
        record["related"] = [[list(r.span), r.message] for r in d.related]
    return record


def load_diagnostic(record: Mapping[str, Any]) -> Diagnostic:
    fix = record.get("fix")
    return Diagnostic(
        str(record["code"]),
        str(record["name"]),
        Severity(record["severity"]),
        str(record["message"]),
        Span(*(int(v) for v in record["span"])),
        None
        if fix is None
        else Fix(
            tuple(Edit(int(s), int(e), str(r)) for s, e, r in fix["edits"]),
            fix["applicability"],
            str(fix["message"]),
            fix.get("encoding"),
        ),
        dict(record.get("extra", {})),
        tuple(
            Related(Span(*(int(v) for v in span)), str(message))
            for span, message in record.get("related", ())
        ),
    )


@record
class Cached:
    """A cache entry: the file's diagnostics, and whether it is a cable (else it was not linted
    and ``diagnostics`` holds at most the not-a-cable finding)."""

    diagnostics: tuple[Diagnostic, ...]
    cable: bool = True


# --- whether to trust a directory ---------------------------------------------------------------

GIT_TIMEOUT = 30  # seconds


def refusal(directory: Path) -> str | None:
    """Why ``directory`` must not be used as a cache (a sentence end), or None to use it."""
    if directory.is_symlink():
        return "is a symbolic link"
    if directory.is_dir() and _tracked_by_git(directory):
        return "holds files tracked by git"
    return None


def _tracked_by_git(directory: Path) -> bool:
    """Whether git tracks a file in ``directory``; False when there is no git or no work tree."""
    where = str(directory.absolute())
    if not may_be_in_work_tree(where):
        return False
    done = run_git(where, "ls-files", "-z", "--", ".", timeout=GIT_TIMEOUT)
    return done is not None and done.returncode == 0 and bool(done.stdout)


# --- the store -----------------------------------------------------------------------------------


@record
class Key:
    """Where a file's entry is (``slot``: its path and the rules in force for it) and the
    sha256 of the bytes it must have been linted from (``digest``)."""

    slot: str
    digest: str


class NotACache(Exception):
    """A directory ``cablelint clean`` will not delete: it is not a cablelint cache."""


class Cache:
    """Diagnostics by content key under ``directory``; every failure is a miss, never an error.

    ``trust`` says why the directory must not be used (None: use it); it is asked once, when
    the first entry is found (a cold cache costs no git process). A refused cache is off for
    the rest of the run, and ``refused`` says why.
    """

    def __init__(
        self,
        directory: Path,
        fingerprint: str,
        flags: Iterable[str] = (),
        *,
        trust: Callable[[], str | None] | None = None,
    ) -> None:
        self.directory = Path(directory)
        salt = "\0".join([str(FORMAT), fingerprint, code_stamp(), *sorted(flags)])
        self._salt = hashlib.sha256(salt.encode()).digest()
        self.group = self.directory / self._salt.hex()[:16]
        self._base = os.path.abspath(self.directory)
        self._ready = False
        self._trust = trust
        self.refused: str | None = None
        self.hits = 0
        self.misses = 0

    def key(
        self, data: bytes, rules: Iterable[str], config: str = "", path: str | Path = ""
    ) -> Key:
        """The entry of the file at ``path`` holding ``data``, linted with the rule codes in
        force for it.

        ``config``: the fingerprint of the file's own configuration when it is not the run's.
        The path is taken relative to the cache directory, so a collection moved together with
        its cache (a CI cache restored elsewhere) still hits.
        """
        where = os.path.relpath(os.path.abspath(path), self._base) if path else ""
        h = hashlib.sha256(self._salt)
        h.update(",".join(sorted(rules)).encode())
        h.update(b"\0" + config.encode() + b"\0")
        h.update(os.fsencode(where))
        return Key(h.hexdigest(), hashlib.sha256(data).hexdigest())

    def _path(self, key: Key) -> Path:
        return self.group / key.slot[:2] / f"{key.slot}.json"

    def _trusted(self) -> bool:
        if self._trust is not None:
            self.refused, self._trust = self._trust(), None
        return self.refused is None

    def get(self, key: Key) -> Cached | None:
        if self.refused is not None:
            return None
        try:
            raw = self._path(key).read_bytes()
            if not self._trusted():
                return None
            records = json.loads(raw)
            if records["sha256"] != key.digest:
                raise ValueError("the file changed")
            diagnostics = tuple(load_diagnostic(r) for r in records["diagnostics"])
            cable = records.get("cable", True) is not False
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return Cached(diagnostics, cable)

    def put(self, key: Key, diagnostics: Iterable[Diagnostic], *, cable: bool = True) -> None:
        """Store atomically (temporary file + rename); a read-only disk just means no cache."""
        if self.refused is not None:
            return
        payload: dict[str, Any] = {
            "version": __version__,
            "sha256": key.digest,
            "diagnostics": [dump_diagnostic(d) for d in diagnostics],
        }
        if not cable:
            payload["cable"] = False
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        target = self._path(key)
        try:
            self._prepare()
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, data, durable=False)  # a lost entry is only a cache miss
        except OSError:
            pass

    def finish(self) -> None:
        """Count this run, mark this run's group as used by it, and drop the groups that none
        of the last :data:`KEEP_RUNS` runs used (and entries of an older cache format)."""
        if self.refused is not None or not self.directory.is_dir():
            return  # a refused directory is left exactly as it is
        with contextlib.suppress(OSError):
            runs = _read_count(self.directory / _RUNS) + 1
            replace_file(self.directory / _RUNS, f"{runs}\n".encode(), durable=False)
            if self.group.is_dir():
                replace_file(self.group / _LAST_RUN, f"{runs}\n".encode(), durable=False)
            for child in self.directory.iterdir():
                if child == self.group or not child.is_dir() or child.is_symlink():
                    continue
                if _is_group(child.name):
                    if runs - _read_count(child / _LAST_RUN) < KEEP_RUNS:
                        continue
                elif not _is_old_format(child.name):
                    continue  # not ours
                shutil.rmtree(child, ignore_errors=True)

    def _prepare(self) -> None:
        """Create the directory, marked as a cache, unless it exists: then leave it as it is
        (it may be the project, or someone else's)."""
        if self._ready:
            return
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.directory.mkdir()
        except FileExistsError:
            self._ready = True
            return
        for name, text in ((".gitignore", _README), ("CACHEDIR.TAG", _TAG)):
            with contextlib.suppress(OSError):
                (self.directory / name).write_text(text, encoding="utf-8")
        self._ready = True


_HEX = frozenset("0123456789abcdef")


def _is_group(name: str) -> bool:
    return len(name) == 16 and _HEX.issuperset(name)


def _is_old_format(name: str) -> bool:
    """``<key[:2]>`` directories of format 1, which kept every entry ever written."""
    return len(name) == 2 and _HEX.issuperset(name)


def _read_count(path: Path) -> int:
    """The number in a count file; 0 when it is missing or unreadable (a group whose run is
    still going has none yet, and is marked used at its end)."""
    try:
        return int(path.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return 0


def remove(directory: Path) -> bool:
    """Delete the cache ``directory`` (``cablelint clean``): True if there was one, False if
    not; NotACache (and nothing deleted) for a directory that is not a cablelint cache."""
    if not directory.exists() and not directory.is_symlink():
        return False
    if directory.is_symlink() or not directory.is_dir():
        raise NotACache(f"{directory} is not a directory")
    tag = directory / "CACHEDIR.TAG"
    try:
        ours = tag.read_text(encoding="utf-8") == _TAG
    except (OSError, UnicodeError):
        ours = False
    if not ours and any(directory.iterdir()):
        raise NotACache(f"{directory} is not a cablelint cache (no cablelint CACHEDIR.TAG)")
    shutil.rmtree(directory)
    return True
