"""Finding shipped data (grammar/, rules/, data/) in a wheel or in an editable checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


@cache
def shipped_dir(name: str) -> Path:
    """``grammar`` or ``rules``: inside the installed package, else at the repository root."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cablelint is installed without its {name}/ folder")


def grammar_path(filename: str) -> Path:
    return shipped_dir("grammar") / filename


def rule_files() -> list[Path]:
    """Every shipped rule file, sorted by name (the rule code)."""
    return sorted(shipped_dir("rules").glob("CBL*.yaml"))


def profile_path(name: str) -> Path:
    return shipped_dir("rules") / "profiles" / f"{name}.yaml"


def data_path(filename: str) -> Path:
    return _PACKAGE / "data" / filename
