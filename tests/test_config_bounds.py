"""Issue 17: every YAML, TOML and JSON file cablelint reads is bounded (size, alias expansion,
nesting, integer length); each bomb is one line naming the file and the problem, exit 2."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from .cli import make_project, run_check


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def alias_bomb(levels: int) -> str:
    """Each level is a list of nine aliases of the one before: 9**levels values."""
    names = "abcdefghij"
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for i in range(1, levels + 1):
        lines.append(f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def check_config(capsys, project: Path, name: str, text: str) -> tuple[int, str, str]:
    (project / name).write_text(text, encoding="utf-8")
    return run_check(capsys, "a.txt")


def test_nested_alias_bomb_is_refused_before_it_is_built(capsys, project: Path) -> None:
    text = alias_bomb(9)  # 341 bytes, 387 million values expanded
    assert len(text.encode()) == 341
    tracemalloc.start()
    try:
        status, out, err = check_config(capsys, project, ".cablelint.yaml", text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (status, out) == (2, "")
    # e (line 5) is the first list whose values exceed the budget: 66,430 > 10,000 + 47.
    assert err == (
        f"cablelint: error: {project}/.cablelint.yaml:5: aliases expand to more than 10,000 "
        "values\n"
    )
    assert peak < 20 * 2**20


def test_aliases_within_the_budget_still_work(capsys, project: Path) -> None:
    text = "select: &codes [CBL101, CBL102]\nextend-select: *codes\n"
    status, _, err = check_config(capsys, project, ".cablelint.yaml", text)
    assert "error" not in err and status in (0, 1)


def test_recursive_alias(capsys, project: Path) -> None:
    status, out, err = check_config(capsys, project, ".cablelint.yaml", "select: &a [*a]\n")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/.cablelint.yaml:1: recursive alias (a node that contains "
        "itself)\n"
    )


def test_huge_integer_in_yaml(capsys, project: Path) -> None:
    text = "rules:\n  CBL204:\n    min-agreement: " + "7" * 5000 + "\n"
    status, out, err = check_config(capsys, project, ".cablelint.yaml", text)
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/.cablelint.yaml:3: integer too large (5000 digits)\n"
    )


def test_deeply_nested_yaml(capsys, project: Path) -> None:
    text = "rules: " + "[" * 100 + "]" * 100 + "\n"
    status, out, err = check_config(capsys, project, ".cablelint.yaml", text)
    assert (status, out) == (2, "")
    assert err == f"cablelint: error: {project}/.cablelint.yaml:1: nested deeper than 64 levels\n"


def test_oversized_yaml(capsys, project: Path) -> None:
    text = "# padding\n" * 110_000
    status, out, err = check_config(capsys, project, ".cablelint.yaml", text)
    assert (status, out) == (2, "")
    assert err == f"cablelint: error: {project}/.cablelint.yaml: file is larger than 1024 KiB\n"


def test_huge_integer_in_toml(capsys, project: Path) -> None:
    text = "[tool.cablelint]\nfail-on = 'error'\nx = " + "1" * 5000 + "\n"
    status, out, err = check_config(capsys, project, "pyproject.toml", text)
    assert (status, out) == (2, "")
    assert err == f"cablelint: error: {project}/pyproject.toml:3: invalid TOML: integer too large\n"


def test_long_integer_in_toml_under_pythons_limit(capsys, project: Path) -> None:
    text = "[tool.cablelint.rules.CBL204]\nmin-agreement = " + "1" * 300 + "\n"
    status, out, err = check_config(capsys, project, "pyproject.toml", text)
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/pyproject.toml:2: rules.CBL204.min-agreement: "
        "integer too large\n"
    )


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ("x = " + "[" * 5000 + "]" * 5000, "", "invalid TOML: nested deeper than 64 levels"),
        ("x = " + "{a = " * 80 + "1" + "}" * 80, ":2", "nested deeper than 64 levels"),
        (".".join(["a"] * 300_000) + " = 1", ":2", "invalid TOML: a key of more than 64 parts"),
        ("[" + ".".join(["b"] * 100) + "]", ":2", "invalid TOML: a key of more than 64 parts"),
    ],
    ids=["arrays", "inline-tables", "dotted-key", "table-header"],
)
def test_deeply_nested_toml(capsys, project: Path, body: str, line: str, problem: str) -> None:
    status, out, err = check_config(
        capsys, project, "pyproject.toml", f"[tool.cablelint]\n{body}\n"
    )
    assert (status, out) == (2, "")
    assert err == f"cablelint: error: {project}/pyproject.toml{line}: {problem}\n"


def test_rule_pack_bomb(capsys, project: Path) -> None:
    (project / "rules").mkdir()
    (project / "rules" / "CBL801.yaml").write_text(alias_bomb(9), encoding="utf-8")
    status, out, err = check_config(capsys, project, ".cablelint.yaml", "rule-paths: [rules]\n")
    assert (status, out) == (2, "")
    assert err == (
        f"cablelint: error: {project}/rules/CBL801.yaml:5: "
        "aliases expand to more than 10,000 values\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (
            json.dumps({"cablelint-baseline": 1, "findings": []})[:-1]
            + ', "x": '
            + "1" * 5000
            + "}",
            "integer too large",
        ),
    ],
    ids=["nested", "integer"],
)
def test_baseline_bombs(capsys, project: Path, content: str, problem: str) -> None:
    (project / "base.json").write_text(content, encoding="utf-8")
    status, out, err = run_check(capsys, "--baseline", "base.json", "a.txt")
    assert (status, out) == (2, "")
    assert err == f"cablelint: error: invalid baseline base.json: {problem}\n"


def test_oversized_baseline(capsys, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cablelint.engine import baseline

    monkeypatch.setattr(baseline, "MAX_BYTES", 1024 * 1024)
    (project / "base.json").write_text(" " * (1024 * 1024 + 1), encoding="utf-8")
    status, out, err = run_check(capsys, "--baseline", "base.json", "a.txt")
    assert (status, out) == (2, "")
    assert err == "cablelint: error: invalid baseline base.json: larger than 1 MiB\n"
