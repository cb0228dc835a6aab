"""Whether to colour the output: ``--color auto|always|never`` and the environment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

CHOICES = ("auto", "always", "never")


def wants_color(choice: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """``always`` and ``never`` decide; ``auto`` colours a terminal only.

    Under ``auto``, as CPython does: a non-empty ``NO_COLOR`` turns colour off
    (https://no-color.org), else a non-empty ``FORCE_COLOR`` turns it on, else ``TERM=dumb``
    turns it off, else it is on when ``stream`` is a terminal.
    """
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False
