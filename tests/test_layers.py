"""The package's layers hold: a module imports only its own layer and the layers below it, and
no two modules of a package import each other in a cycle (contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint_imports = shutil.which("lint-imports")
    if lint_imports is None:
        pytest.fail("lint-imports is missing: install the test extras (pip install -e '.[test]')")
    done = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_every_module_belongs_to_a_layer() -> None:
    package = ROOT / "src" / "cablelint"
    loose = sorted(
        p.name for p in package.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}
    )
    assert loose == [], "put these modules in a layer package"
