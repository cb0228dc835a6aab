"""Access to ../shared beside the repository (tests that use it skip when it is absent)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus" / "cablegate"
SEEDS = SHARED / "seeds"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


def corpus_files() -> list[Path]:
    return sorted(require(CORPUS).glob("*.txt"))


def seed(prefix: str) -> Path:
    return next(require(SEEDS).glob(f"{prefix}_*.txt"))


def metadata() -> dict[str, dict[str, str]]:
    with (require(CORPUS) / "metadata.csv").open(encoding="utf-8") as fh:
        return {row["reference_id"]: row for row in csv.DictReader(fh)}
