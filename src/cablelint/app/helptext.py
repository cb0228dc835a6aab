"""The end of each command's ``--help``: examples, then the exit codes."""

from __future__ import annotations

import argparse

#: Command -> what its exit statuses 0 and 1 mean (a command not listed never exits 1).
OUTCOMES = {
    None: ("success (check: no finding at or above the fail level)", "check: findings"),
    "check": (
        "no finding at or above the fail level",
        "findings at or above the fail level (--fail-on), or a change to show (--diff)",
    ),
    "test-rules": ("every example behaves as it says", "an example does not"),
}

#: Command -> its examples (the lines after ``examples:``).
EXAMPLES = {
    None: """\
  cablelint check cables/            lint every cable under cables/
  cablelint check --fix cables/      apply the safe fixes
  cablelint explain CBL204           what a rule checks, why, and its fix
  cablelint rules                    every rule, its severity and fix
""",
    "check": """\
  cablelint check cables/                       lint a directory
  cablelint check --fix a.txt b.txt             apply the safe fixes in place
  cablelint check --diff --unsafe-fixes cables/ show every fix, write nothing
  cablelint check --select CBL3 --show-source a.txt
  cablelint check --statistics cables/          count findings per rule
  cablelint check --output-format sarif -o cablelint.sarif cables/
  cat a.txt | cablelint check --stdin-filename a.txt -
""",
    "rules": """\
  cablelint rules                    the rules, their severity, fix and default state
  cablelint rules --format json      the same as JSON, with each rule's options
""",
    "explain": """\
  cablelint explain CBL204           by code
  cablelint explain caption-garbled  by name
""",
    "clean": """\
  cablelint clean                    delete the result cache of this project
""",
    "test-rules": """\
  cablelint test-rules               the examples of the configured rules
  cablelint test-rules my-rules/     the examples of a rule pack
""",
    "parse": """\
  cablelint parse a.txt              the parsed structure as JSON
  cablelint parse --format tree a.txt
""",
}


def epilog(command: str | None) -> str:
    """The examples of ``command`` (None: the top-level help) and its exit codes."""
    examples = EXAMPLES.get(command)
    success, failure = OUTCOMES.get(command, ("success", None))
    codes = ["exit codes:", f"  0    {success}"]
    if failure:
        codes.append(f"  1    {failure}")
    codes += ["  2    usage, configuration or I/O error", "  130  interrupted"]
    return (f"examples:\n{examples}\n" if examples else "") + "\n".join(codes) + "\n"


def add_epilogs(parser: argparse.ArgumentParser, commands: dict[str, argparse.ArgumentParser]):
    """Give the parser and each command's parser its epilog, kept verbatim in ``--help``."""
    for name, sub in ((None, parser), *commands.items()):
        sub.epilog = epilog(name)
        sub.formatter_class = argparse.RawDescriptionHelpFormatter
