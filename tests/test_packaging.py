"""The wheel ships grammar/, rules/ and the curated data, and works when installed from it."""

from __future__ import annotations

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
    grammars = {"cable.lark", "fields.lark", "inline.lark"}
    assert {f"cablelint/grammar/{name}" for name in grammars} <= names
    shipped_rules = {n for n in names if n.startswith("cablelint/rules/CBL")}
    assert shipped_rules == {
        f"cablelint/rules/{p.name}" for p in (ROOT / "rules").glob("CBL*.yaml")
    }
    assert "cablelint/rules/profiles/default.yaml" in names
    assert "cablelint/data/routing-indicators.csv" in names
    assert "cablelint/data/tags.txt" in names


@pytest.mark.slow
def test_installed_wheel_finds_its_grammar_and_rules(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
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
    assert check.returncode in (0, 1), check.stderr
    assert "Traceback" not in check.stderr
