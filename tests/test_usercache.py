"""The per-user cache (built parsers, parsed rule specs) is an optimisation, never a need."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
CABLE = "UNCLASSIFIED\n\n1. (U) lower case paragraph text here for the case check.\n"


def _check(tmp_path: Path, cache_home: Path) -> subprocess.CompletedProcess:
    cable = tmp_path / "a.txt"
    cable.write_text(CABLE)
    env = {"PYTHONPATH": str(SRC), "CABLELINT_CACHE_HOME": str(cache_home), "PATH": "/usr/bin"}
    command = [sys.executable, "-m", "cablelint", "check", "--no-cache", "--quiet", str(cable)]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path)


@pytest.mark.slow
def test_cold_warm_and_unusable_cache_give_the_same_report(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    cold = _check(tmp_path, home)
    written = sorted(p.name for p in home.rglob("*") if p.is_file())
    warm = _check(tmp_path, home)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    unusable = _check(tmp_path, blocker)  # the cache directory cannot be created
    damaged_home = tmp_path / "damaged"
    _check(tmp_path, damaged_home)
    for path in damaged_home.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes()[:50])  # truncated cache files
    damaged = _check(tmp_path, damaged_home)
    assert {"rule-specs.json", "tables-cable.json", "tables-fields.json"} <= set(written)
    assert all(name.endswith(".json") for name in written)  # data only: no pickle, no code
    assert cold.stdout and "CBL412" in cold.stdout
    for run in (warm, unusable, damaged):
        assert (run.returncode, run.stdout, run.stderr) == (
            cold.returncode,
            cold.stdout,
            cold.stderr,
        )


# ---- trust: a private directory of the user's own, holding plain data --------------------------
def _cached_probe(tmp_path: Path, value: object = "built") -> object:
    from cablelint.support.speccache import cached

    source = tmp_path / "source.txt"
    if not source.exists():
        source.write_text("source")
    return cached("probe", [source], lambda: value)


def test_the_cache_directory_is_made_private(tmp_path: Path, monkeypatch) -> None:
    from cablelint.support import usercache

    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path / "cache"))
    target = usercache.cache_file("entry.json")
    assert target is not None
    for folder in (target.parent, target.parent.parent):
        assert folder.stat().st_mode & 0o777 == 0o700
    _cached_probe(tmp_path)
    (entry,) = (tmp_path / "cache").rglob("probe.json")
    assert entry.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("how", ["group-writable", "symlink", "another user"])
def test_a_cache_directory_not_private_to_this_user_is_ignored(
    tmp_path: Path, monkeypatch, how: str
) -> None:
    import os

    from cablelint.support import usercache

    real = tmp_path / "real"
    _cached_probe_in(real, tmp_path, monkeypatch)  # a good entry, then the folder is spoilt
    (home,) = real.iterdir()
    if how == "group-writable":
        home.chmod(0o770)
    elif how == "symlink":
        monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path / "link"))
        (tmp_path / "link").symlink_to(real)
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        os.chown(home, 4321, 4321)
    assert usercache.cache_file("probe.json") is None
    assert _cached_probe(tmp_path, "rebuilt") == "rebuilt"  # not read: built again, no error


def _cached_probe_in(home: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(home))
    assert _cached_probe(tmp_path, "stored") == "stored"
    assert _cached_probe(tmp_path, "not built") == "stored"  # read back


@pytest.mark.parametrize(
    "tampered",
    [
        b"\x80\x04\x95 a pickle",
        b'{"\\u0000": "system", "items": ["touch /tmp/pwned"]}',
        b"[1, 2",
    ],
)
def test_a_damaged_or_tampered_entry_is_ignored_and_rebuilt(
    tmp_path: Path, monkeypatch, tampered: bytes
) -> None:
    _cached_probe_in(tmp_path / "cache", tmp_path, monkeypatch)
    (entry,) = (tmp_path / "cache").rglob("probe.json")
    key = entry.read_bytes().split(b"\n")[0]
    entry.write_bytes(key + b"\n" + tampered)
    assert _cached_probe(tmp_path, "rebuilt") == "rebuilt"
    assert _cached_probe(tmp_path, "not built") == "rebuilt"  # written again
