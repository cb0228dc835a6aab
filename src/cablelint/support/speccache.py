"""Derived data kept in the per-user cache as JSON (plaindata.py): parsed rule specs, reference
data and configuration files, so that a run need neither import PyYAML nor parse 70 YAML files,
and the grammar tables (tables.py), so that it need not import Lark.

An entry is one line of key, then the value. The key is the Python version, each source
file's path, size and modification time, and the same of cablelint's own modules (an editable
install changes its classes without a new version); anything unexpected (no cache directory, a
stale, truncated, damaged or foreign entry, a value that is not plain data) means building the
data again, and storing it when it is plain data.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from cablelint.support.plaindata import Codec, NotPlainData
from cablelint.support.usercache import cache_file, read_text, write_atomically

_T = TypeVar("_T")
#: Plain data without classes of cablelint's own (parsed YAML and TOML).
PLAIN = Codec()


def key(files: Sequence[Path]) -> str | None:
    """The stamps of cablelint's modules and of ``files`` (path, size, mtime), one line; None
    when a file cannot be read. Compared whole: exact, and no hashing module to import."""
    modules = _module_stamps()
    stamps = _stamps(files)
    if modules is None or stamps is None:
        return None
    return f"{sys.version_info[:2]}|{modules}|{stamps}".replace("\n", "?")


@cache
def _module_stamps() -> str | None:
    package = Path(sys.modules[__name__.partition(".")[0]].__file__ or __file__).parent
    modules = []
    for folder, _dirs, names in os.walk(package):
        modules += [Path(folder, name) for name in names if name.endswith(".py")]
    return _stamps(sorted(modules))


def _stamps(paths: Sequence[Path]) -> str | None:
    parts = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "|".join(parts)


def load_cached(
    files: Sequence[Path],
    load: Callable[[Path], Any],
    codec: Codec = PLAIN,
    name: str = "rule-specs",
) -> list[Any]:
    """``[load(f) for f in files]``, from the cache entry ``name`` when it is current."""
    return cached(name, files, lambda: [load(path) for path in files], codec)


def cached(name: str, files: Sequence[Path], build: Callable[[], _T], codec: Codec = PLAIN) -> _T:
    """``build()``, derived from ``files``: from the cache entry ``name`` when it is current,
    else built and stored (if it is plain data for ``codec``)."""
    stamp = key(files)
    target = cache_file(f"{name}.json") if stamp is not None else None
    if target is not None:
        text = read_text(target)
        if text is not None:
            found, _newline, body = text.partition("\n")
            if found == stamp:
                try:
                    return codec.loads(body)  # type: ignore[return-value]
                except NotPlainData:  # damaged: build it again
                    pass
    value = build()
    if target is not None:
        try:
            body = codec.dumps(value)
        except NotPlainData:  # not plain data: no cache
            return value
        write_atomically(target, f"{stamp}\n{body}".encode())
    return value
