"""Asking git about a directory: one bounded subprocess, and no answer (None) when git is
missing, cannot start, or runs out of time, so that callers fall back to what they do without
git."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

GIT_TIMEOUT = 60  # seconds; a hung git gets no answer


def may_be_in_work_tree(directory: str) -> bool:
    """Whether ``directory`` or one above it has a ``.git`` (or git is pointed elsewhere by
    ``GIT_DIR``/``GIT_WORK_TREE``): when not, no git process is started (a few ms) to hear it."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        return True
    directory = os.path.abspath(directory)
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):
            return True
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent


def run_git(
    directory: str, *args: str, timeout: float = GIT_TIMEOUT
) -> subprocess.CompletedProcess[bytes] | None:
    """``git -C directory args``, its output captured; None when there is no answer."""
    import shutil  # here, not at the top: most runs never start git
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run(
            [git, "-C", directory, *args], capture_output=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
