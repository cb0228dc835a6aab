"""Pickled copies of derived data in the per-user cache: parsed YAML (rule specs, reference
data), so that a run need neither import PyYAML nor parse 70 YAML files, and the grammar tables
(tables.py), so that it need not import Lark.

The key is the cablelint version (the cache directory), the Python version, each file's path,
size and modification time, and the same of cablelint's own modules (an editable install changes
its classes without a new version); anything unexpected (no cache directory, a stale, truncated or
unreadable file, a spec that cannot be pickled) falls back to building the data again.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from cablelint.support.usercache import cache_file, write_atomically

_T = TypeVar("_T")


def _proxy(data: dict) -> MappingProxyType:
    return MappingProxyType(data)


def _reduce_proxy(proxy: MappingProxyType) -> tuple[Any, tuple[dict]]:
    return _proxy, (dict(proxy),)


class _Pickler(pickle.Pickler):
    dispatch_table = copyreg.dispatch_table.copy()
    dispatch_table[MappingProxyType] = _reduce_proxy


def _key(files: Sequence[Path]) -> str | None:
    """The stamps of cablelint's modules and of ``files`` (path, size, mtime), one line; None
    when a file cannot be read. Compared whole: exact, and no hashing module to import."""
    modules = _module_stamps()
    stamps = _stamps(files)
    if modules is None or stamps is None:
        return None
    return f"{sys.version_info[:2]}|{modules}|{stamps}".replace("\n", "?")


@cache
def _module_stamps() -> str | None:
    package = Path(__file__).parent
    return _stamps(sorted(package / name for name in os.listdir(package) if name.endswith(".py")))


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
    files: Sequence[Path], load: Callable[[Path], Any], name: str = "rule-specs"
) -> list[Any]:
    """``[load(f) for f in files]``, from the cache entry ``name`` when it is current."""
    return cached(name, files, lambda: [load(path) for path in files])


def cached(name: str, files: Sequence[Path], build: Callable[[], _T]) -> _T:
    """``build()``, derived from ``files``: from the cache entry ``name`` when it is current,
    else built and stored."""
    key = _key(files)
    target = cache_file(f"{name}.pickle") if key is not None else None
    if target is not None:
        try:
            with open(target, "rb") as fh:
                if fh.readline().decode().rstrip("\n") == key:
                    return pickle.load(fh)
        except Exception:  # missing, stale or damaged: build it again
            pass
    value = build()
    if target is not None:
        _store(target, key, value)
    return value


def _store(target: Path, key: str | None, value: object) -> None:
    buffer = io.BytesIO()
    try:
        buffer.write(f"{key}\n".encode())
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:  # a value that cannot be pickled: no cache
        return
    write_atomically(target, buffer.getvalue())
