"""Every ``cablelint`` command in README.md and docs/*.md runs (issue 18 item 3).

Commands are taken from the fenced code blocks (shell lines, and the ``run``/``entry``/``script``
strings of YAML blocks, where ``cablelint`` starts a command, also after ``&&``, ``|`` or
``xargs``) and from inline code that starts with ``cablelint ``. A command without placeholders
runs through ``main()`` in a temporary directory holding a copy of ``examples/``, its cables in
``cables/`` and its rule pack in ``lint/rules`` (configured in ``.cablelint.yaml``), the commands
of one code block in order in one directory: it must exit 0 or 1.
A command with a placeholder (:data:`PLACEHOLDERS`, ``[...]`` or ``...``) is an example: it must
parse with the command line's own parser once the placeholders are filled in. Anything else, such
as a flag or a command that does not exist, fails with the file and line of the command.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cablelint.app import cli

from .cli import run_main

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLES = ROOT / "examples"
#: Words that stand for a value the reader supplies, and what the parse check puts in their place.
PLACEHOLDERS = {
    "PATH": "cables",
    "FILE": "cables/08TALLINN388.txt",
    "F": "cables/08TALLINN388.txt",
    "CABLE": "cables/08TALLINN388.txt",
    "CODE": "CBL204",
    "DIR": "cache",
    "NAME": "a.txt",
    "N": "2",
    "RULES": "CBL2",
    "OWNER": "owner",
    "REV": "0000000",
}
_LANGUAGES_SHELL = {"", "sh", "bash", "shell", "console"}
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<lang>[\w-]*)")
_INLINE = re.compile(r"(?<!`)`(cablelint [^`]+)`(?!`)")
_SUBCOMMANDS = ("check", "rules", "explain", "parse", "clean", "test-rules")


class Command:
    """A ``cablelint`` command found at ``where`` (``file:line``), as its argument words."""

    def __init__(self, where: str, words: list[str], block: str) -> None:
        self.where, self.words, self.block = where, words, block

    @property
    def text(self) -> str:
        return shlex.join(["cablelint", *self.words])

    @property
    def example(self) -> bool:
        """Whether it holds a placeholder (then it is parsed, not run)."""
        return any(_placeholder(word) for word in self.words)

    def __repr__(self) -> str:
        return f"{self.where}: {self.text}"


def _placeholder(word: str) -> bool:
    bare = word.rstrip(".").strip("[]<>")
    return word.endswith("...") or word.startswith(("[", "<")) or bare in PLACEHOLDERS


def _commands_in_shell(line: str) -> Iterator[list[str]]:
    """The argument words of each ``cablelint`` command of a shell line."""
    try:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words = list(lexer)
    except ValueError:
        return
    segment: list[str] = []
    for word in [*words, ";"]:
        if word in ("&&", "||", ";", "|", "&"):
            yield from _command_of(segment)
            segment = []
        else:
            segment.append(word)


def _command_of(segment: list[str]) -> Iterator[list[str]]:
    words = list(segment)
    if words[:1] == ["xargs"]:
        words.pop(0)
        while words and words[0].startswith("-"):
            flag = words.pop(0)
            if flag in ("-d", "-I", "-n", "-P", "-L", "-E", "-s") and words:
                words.pop(0)
    if words[:1] != ["cablelint"]:
        return
    out: list[str] = []
    rest = iter(words[1:])
    for word in rest:
        if word in ("<", ">", ">>", "2>", "<<", "<<<"):
            next(rest, None)  # a redirection and its file
            continue
        out.append(word)
    yield out


def _yaml_strings(node: object, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _yaml_strings(v, str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_strings(item, key)
    elif isinstance(node, str) and key in ("run", "entry", "script", "before_script"):
        yield node


def _blocks(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """``(first line number, language, lines)`` of each fenced code block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match["fence"], len(match["indent"])
        body, j = [], i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            body.append(lines[j][indent:] if lines[j][:indent].isspace() else lines[j])
            j += 1
        yield i + 2, match["lang"].lower(), body
        i = j + 1


def find_commands(path: Path) -> list[Command]:
    name = path.relative_to(ROOT).as_posix()
    found: list[Command] = []
    fenced: set[int] = set()
    for first, lang, body in _blocks(path):
        block = f"{name}:{first}"
        fenced.update(range(first - 1, first + len(body) + 1))
        if lang in _LANGUAGES_SHELL:
            joined: list[tuple[int, str]] = []
            for n, line in enumerate(body, first):
                text = line.strip().removeprefix("$ ")
                if joined and joined[-1][1].endswith("\\"):
                    joined[-1] = (joined[-1][0], joined[-1][1][:-1] + " " + text)
                else:
                    joined.append((n, text))
            for n, text in joined:
                for words in _commands_in_shell(text):
                    found.append(Command(f"{name}:{n}", words, block))
        elif lang in ("yaml", "yml"):
            try:
                data = yaml.safe_load("\n".join(body))
            except yaml.YAMLError:
                continue
            for text in _yaml_strings(data):
                for piece in text.replace("\\\n", " ").splitlines():
                    for words in _commands_in_shell(piece):
                        found.append(Command(block, words, block))
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if n - 1 in fenced:
            continue
        for span in _INLINE.findall(line):
            for words in _commands_in_shell(span):
                found.append(Command(f"{name}:{n}", words, f"{name}:{n}"))
    return found


ALL = [command for path in DOCS for command in find_commands(path)]


def test_the_docs_have_commands() -> None:
    texts = {c.text for c in ALL}
    assert "cablelint check examples/" in texts  # the README's first line
    assert "cablelint explain CBL204" in texts
    assert len(ALL) >= 20


def test_no_promise_of_what_does_not_exist() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        assert "cablelint --explain" not in text, path
        assert not re.search(r"pip install cablelint(?!\S)(?! installs nothing)", text), path
        assert "--rule-path " not in text and "--rule-path`" not in text, path
        assert not re.search(r"rev: v\d", text), path  # there are no release tags


@pytest.fixture
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    shutil.copytree(EXAMPLES, root / "examples")
    (root / "cables").mkdir()
    for cable in sorted(EXAMPLES.glob("*/*.txt")):
        shutil.copy(cable, root / "cables" / cable.name)
    # The rule pack where docs/writing-rules.md and examples/rule-pack/README.md put it.
    shutil.copytree(EXAMPLES / "rule-pack", root / "lint" / "rules")
    (root / ".cablelint.yaml").write_text("rule-paths: [lint/rules]\n", encoding="utf-8")
    return root


def _parse(words: list[str]) -> str | None:
    """The usage error of ``cablelint WORDS`` (placeholders filled in), or None."""
    argv = [PLACEHOLDERS.get(w.rstrip(".").strip("[]<>"), w.strip("[]")) for w in words]
    argv = [w for w in argv if w and w != "..."]
    if argv and argv[0] not in (*_SUBCOMMANDS, "-h", "--help", "--version"):
        argv.insert(0, "check")
    try:
        cli.build_parser().parse_args(argv)
    except cli.UsageError as exc:
        return str(exc)
    except SystemExit:
        return None
    return None


_BLOCKS = sorted({c.block for c in ALL})


@pytest.mark.parametrize("block", _BLOCKS)
def test_commands_of_the_docs_run(block: str, project: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "xdg"))
    problems = []
    for command in [c for c in ALL if c.block == block]:
        if command.example:
            error = _parse(command.words)
            if error is not None:
                problems.append(f"{command!r}: not a valid command line: {error}")
            continue
        if "--stdin-filename" in command.words or command.words[-1:] == ["-"]:
            data = (project / "cables" / "08TALLINN388.txt").read_bytes()
            monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        status, _, err = run_main(capsys, *command.words)
        if status not in (0, 1):
            problems.append(f"{command!r}: exit {status}: {err.strip()}")
    assert problems == []
