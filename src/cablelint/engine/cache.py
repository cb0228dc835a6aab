"""A content-hash cache of diagnostics: unchanged files under unchanged settings are not linted.

An entry's key is the sha256 of the file's bytes, the configuration fingerprint (rules, options,
severities, per-file ignores, cablelint version), the rules in force for that file, a stamp of the
installed code, and any option flags that change the diagnostics. The value is the diagnostics as
JSON, with whether the text is a cable at all (sniff.py). Entries live in
``<cache-dir>/<key[:2]>/<key>.json``, are written atomically, and a missing or corrupt entry is
simply a miss: the directory is safe to delete at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cablelint import __version__
from cablelint.engine.writer import replace_file
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Severity, Span
from cablelint.support.records import record

FORMAT = 1
_README = "# Created by cablelint: a cache of lint results, safe to delete.\n*\n"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# cablelint cache (see bford.info/cachedir)\n"


@cache
def code_stamp() -> str:
    """Names, sizes and mtimes of the installed package's files: a code change misses the cache."""
    root = Path(__file__).parent
    parts = [__version__]
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
    )


@record
class Cached:
    """A cache entry: the file's diagnostics, and whether it is a cable (else it was not linted
    and ``diagnostics`` holds at most the not-a-cable finding)."""

    diagnostics: tuple[Diagnostic, ...]
    cable: bool = True


# --- the store -----------------------------------------------------------------------------------


class Cache:
    """Diagnostics by content key under ``directory``; every failure is a miss, never an error."""

    def __init__(self, directory: Path, fingerprint: str, flags: Iterable[str] = ()) -> None:
        self.directory = Path(directory)
        salt = "\0".join([str(FORMAT), fingerprint, code_stamp(), *sorted(flags)])
        self._salt = hashlib.sha256(salt.encode()).digest()
        self._ready = False
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, rules: Iterable[str], config: str = "") -> str:
        """The entry name for ``data`` linted with the rule codes in force for its path.

        ``config``: the fingerprint of the file's own configuration when it is not the run's.
        """
        h = hashlib.sha256(self._salt)
        h.update(",".join(sorted(rules)).encode())
        h.update(b"\0" + config.encode() + b"\0")
        h.update(data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Cached | None:
        try:
            raw = self._path(key).read_bytes()
            records = json.loads(raw)
            diagnostics = tuple(load_diagnostic(r) for r in records["diagnostics"])
            cable = records.get("cable", True) is not False
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return Cached(diagnostics, cable)

    def put(self, key: str, diagnostics: Iterable[Diagnostic], *, cable: bool = True) -> None:
        """Store atomically (temporary file + rename); a read-only disk just means no cache."""
        payload: dict[str, Any] = {
            "version": __version__,
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

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", _README), ("CACHEDIR.TAG", _TAG)):
            marker = self.directory / name
            if not marker.exists():
                with contextlib.suppress(OSError):
                    marker.write_text(text, encoding="utf-8")
        self._ready = True
