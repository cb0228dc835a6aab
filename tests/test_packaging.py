"""The wheel ships grammar/, rules/ and the curated data, and works when installed from it."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )  # fmt: skip
    (found,) = out.glob("cablelint-*.whl")
    return found


def test_wheel_contains_grammar_rules_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    grammars = {"cable.lark", "fields.lark", "inline.lark", "labels.lark"}
    assert {f"cablelint/grammar/{name}" for name in grammars} <= names
    shipped_rules = {n for n in names if n.startswith("cablelint/rules/CBL")}
    assert shipped_rules == {
        f"cablelint/rules/{p.name}" for p in (ROOT / "rules").glob("CBL*.yaml")
    }
    assert "cablelint/rules/profiles/default.yaml" in names
    assert "cablelint/data/routing-indicators.csv" in names
    assert "cablelint/data/tags.txt" in names


def _lend_dependencies(python: Path) -> None:
    """Make this environment's lark and pyyaml (only they) importable in the venv of
    ``python``: a ``.pth`` file naming the directories they are installed in. (A venv with
    the system's site-packages may lack them: then every check failed and exit 1 passed.)"""
    import lark
    import yaml

    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    homes = {str(Path(module.__file__).parents[1]) for module in (lark, yaml)}
    (Path(site) / "lent-dependencies.pth").write_text("\n".join(sorted(homes)) + "\n")


@pytest.mark.slow
def test_installed_wheel_finds_its_grammar_and_rules(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    _lend_dependencies(python)
    probe = (
        "import cablelint.support.resources as r, pathlib, sys;"
        "p = r.shipped_dir('grammar');"
        "print(p); sys.exit(0 if 'site-packages' in str(p) else 1)"
    )
    run = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    cable = tmp_path / "c.txt"
    cable.write_text("UNCLAS STATE 000123\n\nSIPDIS\n\nSTPDTS\n", encoding="utf-8")
    check = subprocess.run(
        [python, "-m", "cablelint", "check", str(cable)], capture_output=True, text=True,
        cwd=tmp_path,
    )  # fmt: skip
    assert check.returncode == 1, check.stderr  # STPDTS: a garbled SIPDIS
    assert "Traceback" not in check.stderr
    assert f"{cable}:5:1: CBL204 [error] caption 'STPDTS' looks like" in check.stdout
    assert "CBL000" not in check.stdout


@pytest.mark.slow
def test_installed_without_dependencies_says_so_in_one_line(wheel: Path, tmp_path: Path) -> None:
    """Without lark and pyyaml: one line naming the missing module and exit 2, never an
    "internal error" finding on every file."""
    env_dir = tmp_path / "bare"
    venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    version = subprocess.run(
        [python, "-m", "cablelint", "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert (version.returncode, version.stderr) == (0, "")
    cable = tmp_path / "c.txt"
    cable.write_text("UNCLAS STATE 000123\n\nSIPDIS\n", encoding="utf-8")
    check = subprocess.run(
        [python, "-m", "cablelint", "check", "c.txt"], capture_output=True, text=True,
        cwd=tmp_path, env={"CABLELINT_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin"},
    )  # fmt: skip
    assert check.returncode == 2
    assert check.stdout == ""
    assert re.fullmatch(
        r"cablelint: error: cannot import (yaml|lark) \(No module named '(yaml|lark)'\); "
        r"reinstall cablelint with its dependencies \(lark, pyyaml\)\n",
        check.stderr,
    ), check.stderr
