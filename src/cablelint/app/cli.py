"""The command line: ``cablelint check|rules|explain|parse``.

The only module that prints, reads ``argv`` or exits. Exit status: 0 clean, 1 findings at or
above the fail level (or a diff with ``--diff``), 2 usage, configuration or I/O error,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Every failure is one line on stderr, never
a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from cablelint import __version__

if TYPE_CHECKING:
    from cablelint.engine.config import Config, FoundConfig

PROG = "cablelint"
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
FAIL_LEVELS = ("error", "warning", "info")
COLOR_CHOICES = ("auto", "always", "never")


class UsageError(Exception):
    """A bad command line: reported as ``cablelint: error: ...`` with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() keeps control of the exit status."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


# --- argument parsing ---------------------------------------------------------------------


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    raw = text.strip().lower().removesuffix("b")
    factor = units.get(raw[-1:], 1)
    number = raw[:-1] if raw[-1:] in units else raw
    try:
        value = int(number) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid size {text!r} (bytes, or e.g. 10M)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"invalid size {text!r} (must be positive)")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid job count {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid job count {text!r} (0 means all cores)")
    if value:
        return value
    from cablelint.app.runner import usable_cores  # a check run imports it anyway

    return usable_cores()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="A linter for US diplomatic cable text files (the Cablegate telegram format).",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="lint cables (the default command)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files, directories or - (stdin)")
    check.add_argument("--config", metavar="PATH", help="use this configuration file")
    for flag, what in (
        ("--select", "only these rules (codes, prefixes, names or ALL; comma-separated)"),
        ("--extend-select", "these rules in addition to the configured ones"),
        ("--ignore", "not these rules"),
    ):
        check.add_argument(flag, action="append", metavar="RULES", help=what)
    check.add_argument("--fail-on", choices=FAIL_LEVELS, help="lowest severity that fails")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument(
        "--statistics", action="store_true", help="print counts per rule instead of findings"
    )
    from cablelint.report import FORMATS  # the registry of output formats

    check.add_argument("--output-format", choices=FORMATS, help="report format")
    check.add_argument("--output-file", "-o", metavar="PATH", help="write the report here")
    check.add_argument(
        "--show-source",
        action="store_true",
        help="show the flagged line (a long line is cut around the span)",
    )
    check.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default="auto",
        help="colour the text output (auto: on terminals; NO_COLOR and FORCE_COLOR are honoured)",
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    check.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    check.add_argument(
        "--diff", action="store_true", help="print the changes --fix would make; write nothing"
    )
    check.add_argument(
        "--max-file-size",
        type=_size,
        default=None,
        metavar="BYTES",
        help="skip larger files with CBL005 (default 1M)",
    )
    check.add_argument("--stdin-filename", metavar="NAME", help="name of the standard input")
    check.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    check.add_argument("--verbose", "-v", action="store_true", help="list stale baseline entries")
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="select named files (and --stdin-filename) as found ones: excludes apply, "
        "non-cables are skipped",
    )
    check.add_argument(
        "--baseline", metavar="FILE", help="report only findings not recorded in FILE"
    )
    check.add_argument(
        "--write-baseline", metavar="FILE", help="record the current findings in FILE and exit"
    )
    check.add_argument(
        "--cache-dir", metavar="DIR", help="cache directory (default .cablelint_cache)"
    )
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    check.add_argument(
        "--jobs", "-j", type=_jobs, metavar="N", help="worker processes (default: all cores)"
    )
    check.add_argument(
        "--show-settings",
        nargs="?",
        const="",
        metavar="FILE",
        help="print the configuration files, settings and rules in force for FILE and exit",
    )
    check.add_argument(
        "--show-files",
        action="store_true",
        help="print the files a run would check (and those it skips) and exit",
    )
    check.add_argument(
        "--no-git",
        action="store_true",
        help="search directories without git: also what .gitignore ignores",
    )

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--config", metavar="PATH", help="use this configuration file")

    clean = sub.add_parser("clean", help="delete the result cache")
    clean.add_argument("--cache-dir", metavar="DIR", help="this cache directory")
    clean.add_argument("--config", metavar="PATH", help="use this configuration file")

    tests = sub.add_parser(
        "test-rules",
        help="run the examples of rule packs",
        description="Run the examples of the rules in rule packs (directories or rule files; "
        "default: the packs the configuration names). Exit 0 when every example behaves as it "
        "says, 1 when one does not, 2 on a configuration or rule file error.",
    )
    tests.add_argument("paths", nargs="*", metavar="PATH", help="rule directories or rule files")
    tests.add_argument("--config", metavar="PATH", help="use this configuration file")

    explain = sub.add_parser("explain", help="document one rule")
    explain.add_argument("rule", metavar="CODE|NAME")
    explain.add_argument("--config", metavar="PATH", help="use this configuration file")

    parse = sub.add_parser("parse", help="show how cables parse")
    parse.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or -")
    parse.add_argument("--format", choices=("json", "tree"), default="json")
    parse.add_argument("--config", metavar="PATH", help="configuration (for file discovery)")
    parse.add_argument("--stdin-filename", metavar="NAME", help="name of the standard input")
    parse.add_argument(
        "--max-file-size", type=_size, metavar="BYTES", help="refuse larger files (default 1M)"
    )
    parse.add_argument(
        "--no-git",
        action="store_true",
        help="search directories without git: also what .gitignore ignores",
    )
    parse.add_argument(
        "--show-files",
        action="store_true",
        help="print the files it would parse (and those it skips) and exit",
    )
    from cablelint.app.helptext import add_epilogs

    add_epilogs(parser, sub.choices)
    return parser


def _selectors(values: Sequence[str] | None, flag: str) -> list[str] | None:
    """The comma-separated tokens of a selection flag; an empty value is a usage error (an empty
    ``--select`` would silently turn every rule off)."""
    if values is None:
        return None
    tokens = []
    for value in values:
        found = [token.strip() for token in value.split(",") if token.strip()]
        if not found:
            raise UsageError(
                f"argument {flag}: expected rule codes, prefixes or names, got {value!r}"
            )
        tokens += found
    return tokens


# --- output helpers ----------------------------------------------------------------------------


def _write(stream, text: str) -> None:
    if not text:
        return
    if stream is None:  # started with the descriptor closed (`>&-`)
        name = "standard error" if stream is sys.stderr else "standard output"
        raise OSError(f"{name} is closed")
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk: one line, not "[Errno 28] ..."
        if exc.errno is None:
            raise
        raise OSError(f"cannot write the output: {exc.strerror or exc}") from exc


def _out(text: str) -> None:
    _write(sys.stdout, text)


def _err(text: str) -> None:
    if sys.stderr is not None:  # nowhere to say it when standard error is closed too
        _write(sys.stderr, text if text.endswith("\n") else text + "\n")


def _error(message: str) -> None:
    _err(f"{PROG}: error: {_one_line(message)}")


def _warning(message: str) -> None:
    _err(f"{PROG}: warning: {_one_line(message)}")


def _one_line(text: str) -> str:
    """``text`` on one line (whitespace runs as one space), control characters and undecodable
    bytes of file names escaped."""
    from cablelint.model.source import shown_path

    return shown_path(" ".join(str(text).split()))


def _plural(n: int, word: str) -> str:
    """``1 file``, ``2 files``, ``2 fixes``, ``2 entries``."""
    if n == 1:
        return f"{n} {word}"
    if word.endswith("y"):
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}{'es' if word.endswith(('s', 'x', 'ch', 'sh')) else 's'}"


def _read_stdin(limit: int) -> bytes:
    if sys.stdin is None:  # started with fd 0 closed (`<&-`)
        raise OSError("standard input is closed")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is not None:
        return stream.read(limit)
    return sys.stdin.read(limit).encode("utf-8")


# --- configuration -----------------------------------------------------------------------------


def _load_config(
    args: argparse.Namespace,
    *,
    selections: bool = True,
    source: Path | FoundConfig | None = None,
    discover: bool = True,
) -> Config:
    """The configuration at ``source`` (default: ``--config``, else found from the current
    directory), with the command line's rule selections unless ``selections`` is false."""
    from cablelint.engine.config import load_config

    if source is None and getattr(args, "config", None):
        source = Path(args.config)
    chosen = {}
    if selections:
        chosen = {
            "select": _selectors(args.select, "--select"),
            "extend_select": _selectors(args.extend_select, "--extend-select"),
            "ignore": _selectors(args.ignore, "--ignore"),
        }
    warn = _config_warnings(args)
    return load_config(source, cwd=Path.cwd(), discover=discover, warn=warn, **chosen)


def _config_warnings(args: argparse.Namespace):
    """A warning callable for configuration files passed over: each said once per run."""
    said: set[str] = args.__dict__.setdefault("config_warnings", set())

    def warn(message: str) -> None:
        if message not in said:
            said.add(message)
            _warning(message)

    return warn


def _resolver(args: argparse.Namespace, config: Config):
    """Each file's configuration: ``--config`` for all, else the nearest one above the file."""
    from cablelint.engine.resolver import ConfigResolver

    if getattr(args, "config", None):
        return ConfigResolver(config)
    load = lambda source: _load_config(args, source=source, discover=False)  # noqa: E731
    return ConfigResolver(config, load, _config_warnings(args))


def _discover(args: argparse.Namespace, resolver, default: Sequence[str]):
    from cablelint.app.discovery import Selector, discover

    def included(path: str) -> bool:
        return resolver.for_path(path).is_included(path)

    def excluded(path: str, directory: bool = False) -> bool:
        return resolver.for_path(path).is_excluded(path, directory=directory)

    def pruned(path: str) -> bool:  # the walk asks about directories only
        return excluded(path, directory=True)

    paths = args.paths or list(default)
    found = discover(paths, Selector(included, pruned), use_git=not args.no_git)
    for directory in found.ignored:
        _err(f"{PROG}: note: {directory}: ignored by git, not searched (--no-git searches it)")
    if getattr(args, "force_exclude", False):
        # Like ruff: pre-commit names every file, so excludes must apply to explicit paths too;
        # and files that are not cables are skipped as they are when found in a directory.
        found.excluded = [f for f in found.files if excluded(f)]
        found.files = [f for f in found.files if f not in found.excluded]
        found.named.clear()
        name = getattr(args, "stdin_filename", None)
        if found.stdin and name and excluded(name):  # as ruff: an excluded file piped in
            found.stdin, found.stdin_excluded = False, True
    elif found.stdin:
        found.named.add(getattr(args, "stdin_filename", None) or "-")
    for display in found.files:
        resolver.for_path(display)  # every configuration read (and validated) up front
    return found


# --- check ---------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    config = _load_config(args)
    fmt = args.output_format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    baseline = None
    if args.baseline:
        from cablelint.engine.baseline import BaselineError, load

        try:
            baseline = load(Path(args.baseline))
        except BaselineError as exc:
            _error(str(exc))
            return EXIT_ERROR
    default = ["-"] if args.stdin_filename and not args.paths else ["."]
    resolver = _resolver(args, config)
    if args.show_settings is not None:
        return _show_settings(args, resolver)
    found = _discover(args, resolver, default)
    if args.show_files:
        return _show_files(args, found)
    if found.stdin:
        resolver.for_path(Path(args.stdin_filename or "-"))
    for problem in found.errors:
        _error(str(problem))
    for note in found.notes:
        _err(f"{PROG}: note: {_one_line(str(note))}")
    options = _options(args, default)
    clash = _output_among_inputs(args, found.files)
    if clash is not None:
        _error(f"{clash} is one of the files to check; it cannot also be the output")
        return EXIT_ERROR
    # With --fix on standard input, stdout carries the fixed text (or, when --force-exclude
    # excludes it, the text unchanged): the report goes to stderr.
    stdin_fixed = (found.stdin or found.stdin_excluded) and args.fix and not args.diff
    if not found.files and not found.stdin:
        if found.stdin_excluded and stdin_fixed:
            _write_stdout_bytes(_read_stdin(-1))
        if not found.errors and not (args.force_exclude and (args.paths or found.stdin_excluded)):
            _warning("no cable files found")
        return EXIT_ERROR if found.errors else EXIT_OK
    try:
        output = _open_output(args, stdin_fixed)
    except OSError as exc:
        _error(f"cannot write {args.output_file}: {exc.strerror or exc}")
        return EXIT_ERROR
    try:
        sink = _sink(args, config, fmt, baseline, output)
        checker = _checker(args, resolver, options, found.named)
        _check_files(args, checker, found.files, sink.take, found.named)
        if checker.cache is not None and checker.cache.refused is not None:
            # A committed or planted cache could hide every finding: it was not used.
            _warning(f"cache directory {checker.cache.directory} {checker.cache.refused}; not used")
        if checker.cache is not None:
            checker.cache.finish()  # count the run; drop entries the last runs did not use
        if found.stdin:
            sink.take(checker.check_stdin_alone(args.stdin_filename or "-", _read_stdin))
        if stdin_fixed and found.stdin_excluded:
            _write_stdout_bytes(_read_stdin(-1))
        elif stdin_fixed and sink.stdin_output is not None:
            _write_stdout_bytes(sink.stdin_output)
        return _finish(args, config, fmt, sink, output, resolver, path_errors=len(found.errors))
    finally:
        if output not in (sys.stdout, sys.stderr):
            output.close()


def _options(args: argparse.Namespace, default: Sequence[str]):
    from cablelint.app.commands import DEFAULT_MAX_FILE_SIZE, CheckOptions

    paths = args.paths or default
    return CheckOptions(
        fix=args.fix,
        unsafe_fixes=args.unsafe_fixes,
        diff=args.diff,
        max_file_size=args.max_file_size or DEFAULT_MAX_FILE_SIZE,
        roots=tuple(p for p in paths if p != "-" and os.path.isdir(p)),
    )


def _output_among_inputs(args: argparse.Namespace, inputs: Sequence[str]) -> str | None:
    """The output file (report or --write-baseline) that is also a file to check, if any:
    checked before anything is opened for writing, which would empty the input."""
    for output in (None if args.diff else args.output_file, args.write_baseline):
        if not output:
            continue
        try:
            st = os.stat(output)
        except OSError:
            continue  # a new file is no input
        if not stat.S_ISREG(st.st_mode):
            continue  # not a file to check (os.devnull), nor one that opening would empty
        for display in inputs:
            with contextlib.suppress(OSError):
                other = os.stat(display)
                if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                    return output
    return None


def _show_settings(args: argparse.Namespace, resolver) -> int:
    """``--show-settings [FILE]``: FILE, else the first PATH, else the current directory."""
    from cablelint.app.commands import settings_text

    target = args.show_settings or (args.paths[0] if args.paths else ".")
    if target == "-":
        target = args.stdin_filename or "-"
    display = os.path.join(target, "") if os.path.isdir(target) else target
    config = resolver.for_path(display)
    _out(settings_text(config, target))
    return EXIT_OK


def _show_files(args: argparse.Namespace, found) -> int:
    """``--show-files``: each file a run would check, one a line; on stderr each file it would
    skip and why: not a regular file, excluded (--force-exclude), not a cable (found in a
    directory, or named with --force-exclude: a named file is otherwise always checked)."""
    for problem in found.errors:
        _error(str(problem))
    for note in found.notes:
        _err(f"{PROG}: skipped: {_one_line(note.path)}: {note.message.removesuffix('; skipped')}\n")
    for display in found.excluded:
        _err(f"{PROG}: skipped: {_one_line(display)}: excluded\n")
    status = EXIT_ERROR if found.errors else EXIT_OK
    for display in found.files:
        if display not in found.named:
            try:
                skip = _skipped_as_not_a_cable(display, args.max_file_size)
            except OSError as exc:
                _error(f"{display}: {exc.strerror or exc}")
                status = EXIT_ERROR
                continue
            if skip:
                _err(f"{PROG}: skipped: {_one_line(display)}: not a cable\n")
                continue
        _out(f"{display}\n")
    if found.stdin:
        _out(f"{args.stdin_filename or '-'}\n")
    return status


def _skipped_as_not_a_cable(display: str, max_file_size: int | None) -> bool:
    """Whether the file ``display``, found in a directory, is skipped as not a cable (a file
    over the size limit is not: it is reported)."""
    from cablelint.app.commands import DEFAULT_MAX_FILE_SIZE
    from cablelint.app.reading import read_file
    from cablelint.model.sniff import is_cable
    from cablelint.model.source import decode

    read = read_file(display, max_file_size or DEFAULT_MAX_FILE_SIZE)
    return not read.too_large and not is_cable(decode(read.data))


def _open_output(args: argparse.Namespace, stdin_fixed: bool):
    """Where the report goes: --output-file, else stderr when stdout carries fixed text."""
    if args.output_file and not args.diff:
        return open(args.output_file, "w", encoding="utf-8", newline="")
    return sys.stderr if stdin_fixed else sys.stdout


def _sink(args: argparse.Namespace, config: Config, fmt: str, baseline, output):
    """The sink of this run: streams line formats to ``output``, keeps what a document needs."""
    from cablelint.app.sink import Sink
    from cablelint.report import STREAMED_FORMATS

    sink = Sink(emit=lambda text: _write(output, text), warn=_warning, error=_error)
    if args.diff:
        sink.emit = _out
        sink.render_file = lambda result: ""  # --diff shows diffs, not findings
    elif args.write_baseline:
        sink.record_baseline = _baseline_relative(args.write_baseline)
    elif fmt in STREAMED_FORMATS and not args.statistics:
        from cablelint.report import render

        style = _style(args, output)
        sink.render_file = lambda result: render([result], fmt, **style)
    if baseline is not None:
        from cablelint.engine.baseline import BaselineFilter

        sink.baseline = BaselineFilter(baseline.entries, _baseline_relative(args.baseline))
    return sink


def _style(args: argparse.Namespace, output) -> dict[str, bool]:
    """How the text format shows findings on ``output``."""
    return {
        "show_source": args.show_source,
        "unsafe_fixes": args.unsafe_fixes,
        "color": _color(args, output),
    }


def _color(args: argparse.Namespace, stream) -> bool:
    from cablelint.app.color import wants_color

    return wants_color(args.color, stream, os.environ)


def _write_stdout_bytes(data: bytes) -> None:
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        _out(data.decode("utf-8", "replace"))


def _finish(
    args: argparse.Namespace, config: Config, fmt: str, sink, output, resolver, path_errors: int
):
    """Everything printed once the files are checked, and the exit status."""
    from cablelint.model.diagnostics import Severity

    failed = bool(path_errors or sink.errors)
    if args.diff:
        if not args.quiet:
            if sink.fixed_files:
                fixes, files = _plural(sink.fixed, "finding"), _plural(sink.fixed_files, "file")
                _err(f"Would fix {fixes} in {files}.")
            else:
                _err("No fixes available.")
            _hidden_fixes(args, sink.tally)
        return EXIT_ERROR if failed else (EXIT_FINDINGS if sink.fixed_files else EXIT_OK)
    if args.write_baseline:
        return _write_baseline(args, sink, resolver, failed)
    if sink.baseline is not None:
        _report_stale(args, sink.baseline.stale())
    if sink.render_file is None:
        _write(output, _report(args, config, sink, fmt, output))
    if not args.quiet and _format(fmt).for_people:
        _summary(args, sink)
    if failed:
        return EXIT_ERROR
    fail_on = Severity.parse(args.fail_on) if args.fail_on else config.fail_on
    if not args.exit_zero and sink.tally.reaches(fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


def _checker(args: argparse.Namespace, resolver, options, named: set[str] | frozenset[str]):
    from cablelint.app.commands import Checker

    config = resolver.run
    cache = None
    linter = resolver.linter_for_run()
    if not args.no_cache and not (options.fix or options.diff):
        from cablelint.engine.cache import Cache, refusal

        directory = Path(args.cache_dir) if args.cache_dir else config.cache_dir
        if directory.is_symlink():  # entries would be read and written wherever it points
            _warning(f"cache directory {directory} is a symbolic link; not used")
        else:  # git is asked only once an entry is found: a cold cache costs no git process
            cache = Cache(directory, linter.fingerprint, trust=lambda: refusal(directory))
    return Checker(linter, options, cache, resolver.linter_for, named.__contains__)


def _rebuild_checker(argv: tuple[str, ...], cwd: str, named: frozenset[str]):
    """Recreate the run's checker in a spawned worker (platforms without fork)."""
    os.chdir(cwd)
    args = build_parser().parse_args(list(argv))
    options = _options(args, ["-"] if args.stdin_filename and not args.paths else ["."])
    return _checker(args, _resolver(args, _load_config(args)), options, named)


def _check_files(
    args: argparse.Namespace, checker, files: Sequence[str], consume, named: set[str]
) -> None:
    from functools import partial

    from cablelint.app.progress import Progress, wanted
    from cablelint.app.runner import check_files

    bar = Progress(len(files), sys.stderr, active=wanted(sys.stderr, quiet=args.quiet))
    factory = partial(_rebuild_checker, tuple(args.argv), os.getcwd(), frozenset(named))
    try:
        check_files(
            checker,
            files,
            jobs=args.jobs,
            factory=factory,
            advance=bar.advance,
            consume=consume,
        )
    finally:
        bar.close()


def _baseline_relative(baseline: str):
    """Paths as the baseline file ``baseline`` records them, whatever the working directory."""
    from cablelint.engine.baseline import find_root, relative_to

    return relative_to(find_root(baseline))


def _write_baseline(args: argparse.Namespace, sink, resolver, failed: bool) -> int:
    """Write this run's findings over --write-baseline FILE, keeping the reasons of entries
    still found and the entries of files and rules this run did not check."""
    from cablelint.engine.baseline import Baseline, BaselineError, find_root, load, update, write

    path = Path(args.write_baseline)
    old = Baseline()
    if path.exists():
        try:
            old = load(path)
        except BaselineError as exc:
            _warning(f"{exc}; writing it anew")
    checked = {
        rel: frozenset(resolver.for_path(display).rules_for(display))
        for rel, display in sink.recorded_files.items()
    }
    root = find_root(path)
    new, kept = update(old, sink.recorded, checked, lambda rel: (root / rel).exists())
    try:
        write(path, new.entries, new.reasons)
    except OSError as exc:
        _error(f"cannot write baseline {args.write_baseline}: {exc.strerror or exc}")
        return EXIT_ERROR
    if not args.quiet:
        found = _plural(len(set(new.entries)), "finding")
        more = f" ({kept} kept for files or rules not checked now)" if kept else ""
        _err(f"Wrote {found} to the baseline {args.write_baseline}{more}.")
    return EXIT_ERROR if failed else EXIT_OK


def _report_stale(args: argparse.Namespace, stale) -> None:
    if not stale:
        return
    entries = _plural(len(stale), "baseline entry")
    _err(
        f"{PROG}: note: {entries} no longer found (fixed?); "
        f"refresh with --write-baseline{'' if args.verbose else ' (list: --verbose)'}"
    )
    if args.verbose:
        for e in stale:
            _err(f"  stale: {e.path}: {e.code} #{e.occurrence}: {e.line}")


def _format(fmt: str):
    from cablelint.report import BY_NAME

    return BY_NAME[fmt]


def _report(args: argparse.Namespace, config: Config, sink, fmt: str, output) -> str:
    if args.statistics:
        from cablelint.app.commands import statistics, statistics_json, statistics_text

        rows = statistics(sink.diagnostics, unsafe=args.unsafe_fixes)
        return statistics_json(rows) if _format(fmt).json_statistics else statistics_text(rows)
    from cablelint.report import render

    return render(sink.results, fmt, specs=config.specs, **_style(args, output))


def _by_severity(tally) -> str:
    """``2 errors, 1 info``: the non-zero counts, most severe first."""
    from cablelint.model.diagnostics import Severity

    counts = [(tally.severities[s], s) for s in sorted(Severity, reverse=True)]
    return ", ".join(
        f"{n} {s}" if s is Severity.INFO else _plural(n, str(s)) for n, s in counts if n
    )


def _summary(args: argparse.Namespace, sink) -> None:
    """``Found N problems (...)``, what --fix would apply, and where rules are explained."""
    _skipped_not_cables(args, sink.skipped)
    tally = sink.tally
    remaining = tally.total
    if args.fix:
        total = remaining + sink.fixed
        if total == 0:
            _err("All checks passed!")
            return
        if sink.fixed:
            _err(f"Found {_plural(total, 'problem')} ({sink.fixed} fixed, {remaining} remaining).")
        else:
            _err(f"Found {_plural(total, 'problem')} ({_by_severity(tally)}).")
    elif remaining == 0:
        _err("All checks passed!")
        return
    else:
        _err(f"Found {_plural(remaining, 'problem')} ({_by_severity(tally)}).")
        fixable = tally.safe_fixes + (tally.unsafe_fixes if args.unsafe_fixes else 0)
        if fixable:
            _err(f"{_mark(args, '[*]')} {fixable} fixable with the --fix option.")
    _hidden_fixes(args, tally)
    if tally.codes:
        code = min(tally.codes, key=lambda c: (-tally.codes[c], c))  # the most frequent
        _err(f"For a rule's details: {PROG} explain {code}")


def _hidden_fixes(args: argparse.Namespace, tally) -> None:
    """How many unsafe fixes only --unsafe-fixes applies (they are marked ``[~]``)."""
    if tally.unsafe_fixes and not args.unsafe_fixes:
        fixes = _plural(tally.unsafe_fixes, "hidden fix")
        _err(f"{_mark(args, '[~]')} {fixes} can be enabled with the --unsafe-fixes option.")


def _mark(args: argparse.Namespace, mark: str) -> str:
    """A fix mark of the summary, coloured as in the findings when stderr is coloured."""
    return f"\x1b[36m{mark}\x1b[0m" if _color(args, sys.stderr) else mark


def _skipped_not_cables(args: argparse.Namespace, skipped: Sequence[str]) -> None:
    """``2 text files skipped: not cables`` (each named with --verbose)."""
    if not skipped:
        return
    what = (
        "1 text file skipped: not a cable"
        if len(skipped) == 1
        else (f"{len(skipped)} text files skipped: not cables")
    )
    hint = "" if args.verbose else " (list: --verbose)"
    _err(f"{what}{hint}")
    if args.verbose:
        for display in skipped:
            _err(f"  not a cable: {display}")


# --- rules, explain ------------------------------------------------------------------------------


def _project_config(args: argparse.Namespace) -> Config | None:
    """The configuration of ``--config``, or of the file found from the current directory
    (without the command line's selections); None when there is none."""
    if getattr(args, "config", None):
        return _load_config(args, selections=False)
    from cablelint.engine.config import locate_config

    found = locate_config(Path.cwd(), _config_warnings(args))
    return None if found is None else _load_config(args, selections=False, source=found)


def _specs(args: argparse.Namespace):
    """The rules of the project's configuration (:func:`_project_config`)."""
    return _specs_of(_project_config(args))


def _specs_of(config: Config | None):
    """The rules of ``config``; without one, the built-in rules."""
    if config is None:
        from cablelint.ruleset.specs import load_specs

        return load_specs()
    return config.specs


def _rules(args: argparse.Namespace) -> int:
    """The catalogue; in a project (or with --config) the state its configuration gives."""
    from cablelint.app.commands import rules_json, rules_text

    config = _project_config(args)
    specs = _specs_of(config)
    _out(rules_json(specs, config) if args.format == "json" else rules_text(specs, config))
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    from cablelint.app.commands import explain_text, find_rule, suggest_rule

    specs = _specs(args)
    spec = find_rule(args.rule, specs)
    if spec is None:
        hint = suggest_rule(args.rule, specs)
        more = f" (did you mean '{hint}'?)" if hint else ""
        _error(f"unknown rule '{args.rule}'{more}; see 'cablelint rules'")
        return EXIT_ERROR
    _out(explain_text(spec))
    return EXIT_OK


# --- clean ---------------------------------------------------------------------------------------


def _clean(args: argparse.Namespace) -> int:
    """Delete the result cache (--cache-dir, else the configuration's ``cache-dir``)."""
    from cablelint.engine.cache import NotACache, remove

    if args.cache_dir:
        directory = Path(args.cache_dir)
    else:
        directory = _load_config(args, selections=False).cache_dir
    shown = _shown_path(directory)
    try:
        removed = remove(directory)
    except NotACache as exc:
        _error(f"{exc}; not removed")
        return EXIT_ERROR
    except OSError as exc:
        _error(f"cannot remove {shown}: {exc.strerror or exc}")
        return EXIT_ERROR
    _err(f"Removed the cache {shown}." if removed else f"No cache at {shown}.")
    return EXIT_OK


def _shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- test-rules ---------------------------------------------------------------------------------


def _test_rules(args: argparse.Namespace) -> int:
    from cablelint.engine.rule_tests import run_examples
    from cablelint.ruleset.specs import load_shipped_specs

    shipped = set(load_shipped_specs())
    if args.paths:
        specs = _named_packs(args.paths)
    else:
        specs = _load_config(args, selections=False).specs
        if not set(specs) - shipped:
            _error("no rule packs configured (rule-paths); name rule directories or files")
            return EXIT_ERROR
    rules = {c: s for c, s in specs.items() if c not in shipped}
    examples, failed = 0, 0
    for _spec, _index, failure in run_examples(rules, specs):
        examples += 1
        if failure is not None:
            failed += 1
            _out(f"{failure}\n")
    _err(
        f"Tested {_plural(examples, 'example')} of {_plural(len(rules), 'rule')}: "
        + (f"{failed} failed." if failed else "all behave as they say.")
    )
    return EXIT_FINDINGS if failed else EXIT_OK


def _named_packs(paths: Sequence[str]):
    """The shipped rules and the rules of the directories or rule files named on the command
    line (each held to its own directory tree, as a configuration's packs are to theirs)."""
    from cablelint.engine.config import ConfigError, load_pack
    from cablelint.ruleset.specs import check_unique, load_shipped_specs

    found = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found += load_pack(path, path)
        elif path.is_file():
            found += load_pack(path.parent, path.parent, [path])
        else:
            raise ConfigError(text, "", "no such rule directory or file")
    return check_unique([*load_shipped_specs().values(), *found])


# --- parse ----------------------------------------------------------------------------------------


def _parse_input(read) -> bytes:
    if read.too_large:
        raise OSError(0, f"over the {read.limit:,}-byte limit (--max-file-size)")
    return read.data


def _parse(args: argparse.Namespace) -> int:
    from cablelint.app.commands import DEFAULT_MAX_FILE_SIZE
    from cablelint.app.parse_output import parse_json, parse_tree
    from cablelint.app.reading import read_file, read_stream
    from cablelint.engine.resolver import ConfigResolver
    from cablelint.model.sniff import is_cable
    from cablelint.model.source import decode, shown_path

    limit = args.max_file_size or DEFAULT_MAX_FILE_SIZE

    config = _load_config(args, selections=False)
    found = _discover(args, ConfigResolver(config), ["."])
    if args.show_files:
        return _show_files(args, found)
    status = EXIT_OK
    for problem in found.errors:
        _error(str(problem))
        status = EXIT_ERROR
    for note in found.notes:
        _err(f"{PROG}: note: {_one_line(str(note))}")
    inputs: list[tuple[str, bytes | None]] = []
    for display in found.files:
        try:
            data = _parse_input(read_file(display, limit))
        except OSError as exc:
            _error(f"{display}: {exc.strerror or exc}")
            status = EXIT_ERROR
            continue
        if display not in found.named and not is_cable(decode(data)):  # as check skips it
            _err(f"{PROG}: note: {_one_line(display)}: not a cable; skipped")
            continue
        inputs.append((display, data))
    if found.stdin:
        name = args.stdin_filename or "-"
        try:
            inputs.append((name, _parse_input(read_stream(_read_stdin, limit))))
        except OSError as exc:
            _error(f"{name}: {exc.strerror or exc}")
            status = EXIT_ERROR
    for display, data in inputs:
        source = decode(data or b"")
        if args.format == "tree":
            _out(f"# {shown_path(display)}\n" if len(inputs) > 1 else "")
            _out(parse_tree(source))
        else:
            _out(parse_json(shown_path(display), source) + "\n")
    return status


# --- entry points -----------------------------------------------------------------------------


_COMMANDS = {
    "check": _check,
    "rules": _rules,
    "explain": _explain,
    "parse": _parse,
    "clean": _clean,
    "test-rules": _test_rules,
}


def _run(argv: Sequence[str]) -> int:
    argv = list(argv)
    if argv == ["--version"]:  # at once: without the parser (it reads the format registry)
        _out(f"{PROG} {__version__}\n")
        return EXIT_OK
    parser = build_parser()
    if argv and argv[0] not in (*_COMMANDS, "-h", "--help", "--version") and argv[0] != "":
        argv.insert(0, "check")  # `cablelint file.txt` means `cablelint check file.txt`
    args = parser.parse_args(argv)
    args.argv = argv
    if args.version:
        _out(f"{PROG} {__version__}\n")
        return EXIT_OK
    if args.command is None:
        _out(parser.format_help())
        return EXIT_ERROR
    return _COMMANDS[args.command](args)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: temporary files removed, one line, exit 143."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status instead of exiting."""
    return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    try:
        return _run(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        _error(f"{exc} (see '{PROG} --help')")
        return EXIT_ERROR
    except Terminated:
        _err(f"{PROG}: terminated")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _err(f"{PROG}: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except (OSError, UnicodeError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    except ImportError as exc:  # a dependency missing or broken: the installation's fault
        name = exc.name or str(exc)
        _error(
            f"cannot import {name} ({_one_line(str(exc))}); reinstall cablelint with its "
            "dependencies (lark, pyyaml)"
        )
        return EXIT_ERROR
    except SystemExit as exc:  # argparse --help
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except Exception as exc:
        yamlload = sys.modules.get("cablelint.support.yamlload")  # not imported by --version
        if yamlload is not None and isinstance(exc, yamlload.LocatedError):
            for problem in getattr(exc, "problems", (exc,)):
                _error(str(problem))  # configuration or rule file: "file:line: key: problem"
            return EXIT_ERROR
        runner = sys.modules.get("cablelint.app.runner")  # imported by a check only
        if runner is not None and isinstance(exc, runner.WorkerDied):
            _error(f"{exc} (killed, or out of memory); the run is incomplete")
            return EXIT_ERROR
        _err(f"{PROG}: internal error: {type(exc).__name__}: {_one_line(str(exc))}")
        return EXIT_ERROR


def main_entry() -> None:
    """The console script: ``raise SystemExit(main())``, quiet when the reader goes away;
    SIGTERM ends the run as Ctrl-C does."""
    try:
        import signal  # here: the in-process main() leaves its caller's handlers alone

        signal.signal(signal.SIGTERM, _terminate)
    except (ImportError, ValueError, OSError):  # no signals here, or not the main thread
        pass
    import gc

    from cablelint.app import GC_YOUNG_THRESHOLD  # start-up's objects are not collected in vain

    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    try:
        status = main()
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader (| head) closed the pipe: stop quietly, as a Unix filter should.
        _silence_stdout()
        status = EXIT_FINDINGS
    except OSError as exc:  # the last of the report could not be written (a full disk)
        _silence_stdout()
        _error(f"cannot write the output: {exc.strerror or exc}")
        status = EXIT_ERROR
    raise SystemExit(status)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit fails no more."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
