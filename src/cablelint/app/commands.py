"""The work behind the subcommands, without printing: the CLI turns these results into output.

``run_check`` lints (and optionally fixes) files and collects file results, notices and errors;
``rules_text``/``rules_json``/``explain_text`` describe rules; ``statistics`` counts findings.
Linting is imported lazily so that commands which never parse do not load Lark.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cablelint.engine.results import FileResult
from cablelint.model.diagnostics import Diagnostic, Span
from cablelint.model.source import SourceText, decode, shown_path
from cablelint.support.records import asdict, field, record

if TYPE_CHECKING:
    from cablelint.engine.cache import Cache, Key
    from cablelint.engine.config import Config, RuleSettings
    from cablelint.engine.linter import Linter
    from cablelint.ruleset.specs import RuleSpec

    Rules = Mapping[str, RuleSettings]

TOO_LARGE = "CBL005"
NOT_A_CABLE = "CBL006"
RULE_TIMEOUT = "CBL009"  # lint.RULE_TIMEOUT (the engine is imported only to lint)
#: Far above the largest real cable (under 70 KB), far below a file that takes minutes.
DEFAULT_MAX_FILE_SIZE = 1024 * 1024


@record
class CheckOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: The directory arguments: a fix writes nothing outside the one a file was found in.
    roots: tuple[str, ...] = ()


def tree_of(display: str, roots: Sequence[str]) -> str:
    """The tree a fix of ``display`` may write in: the (innermost) directory argument it was
    found under, else the directory of a file named on its own."""
    path = os.path.normpath(display)
    best = ""
    for root in map(os.path.normpath, roots):
        if root == ".":
            inside = not os.path.isabs(path) and path != ".." and not path.startswith("../")
        else:
            inside = path.startswith(root.rstrip(os.sep) + os.sep)
        if inside and len(root) > len(best):
            best = root
    return best or os.path.dirname(path) or "."


@record(frozen=False)
class CheckRun:
    """Everything one ``check`` run produced, in the order the files were checked."""

    results: list[FileResult] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # one-line warnings (file not fixed ...)
    errors: list[str] = field(default_factory=list)  # one-line I/O errors: exit status 2
    diffs: list[str] = field(default_factory=list)  # unified diffs (--diff)
    fixed: int = 0  # fixes applied (written, or shown with --diff)
    fixed_files: int = 0
    stdin_output: bytes | None = None  # the fixed standard input (--fix with ``-``)
    skipped: list[str] = field(default_factory=list)  # found in a directory, not cables

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for r in self.results for d in r.diagnostics]

    def merge(self, other: CheckRun) -> None:
        """Append ``other`` (the run of later files) to this run."""
        self.results.extend(other.results)
        self.notices.extend(other.notices)
        self.errors.extend(other.errors)
        self.diffs.extend(other.diffs)
        self.fixed += other.fixed
        self.fixed_files += other.fixed_files
        self.skipped.extend(other.skipped)
        if other.stdin_output is not None:
            self.stdin_output = other.stdin_output


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc) or type(exc).__name__
    return " ".join(text.split())


def _too_large(
    rules: Rules, size: int, limit: int, *, stream: bool = False
) -> tuple[Diagnostic, ...]:
    settings = rules.get(TOO_LARGE)
    if settings is None:
        return ()
    what = "the input is over" if stream else f"file is {size:,} bytes, over"
    message = f"{what} the {limit:,}-byte limit (--max-file-size); not checked"
    return (
        Diagnostic(TOO_LARGE, settings.name, settings.severity, message, Span(0, 0, 1, 1, 1, 1)),
    )


def _not_a_cable(rules: Rules, source: SourceText) -> tuple[Diagnostic, ...]:
    settings = rules.get(NOT_A_CABLE)
    if settings is None:
        return ()
    message = (
        "not a cable: no header, banner, E.O./Classified By line or marked paragraph; not checked"
    )
    end = source.text.find("\n")
    span = source.index.span(0, end if end != -1 else len(source.text))
    return (Diagnostic(NOT_A_CABLE, settings.name, settings.severity, message, span),)


def _is_cable(source: SourceText) -> bool:
    from cablelint.model.sniff import is_cable  # imports the grammar tables

    return is_cable(source)


def split_lines(text: str) -> list[str]:
    """Lines ending at ``\\n`` only (a CR stays with its line), each with its ending."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def unified_diff(path: str, before: SourceText, target: SourceText, after: str) -> str:
    """A unified diff of the fix, marking a missing final newline the way ``diff`` does.

    When the fix converts the file to another encoding, the headers name both encodings
    (``--- a.txt\tcp1252``), and are shown even when the text does not change.
    """
    import difflib  # here: only --diff needs it, and a check run starts without it

    old, new = "", ""
    if target.encoding != before.encoding or target.bom != before.bom:
        old, new = _encoding_name(before), _encoding_name(target)
    out = []
    for line in difflib.unified_diff(
        split_lines(before.text),
        split_lines(after),
        fromfile=path,
        tofile=path,
        fromfiledate=old,
        tofiledate=new,
        n=3,
    ):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    if not out and old:
        out = [f"--- {path}\t{old}\n", f"+++ {path}\t{new}\n"]
    return "".join(out)


def _encoding_name(source: SourceText) -> str:
    return source.encoding + (" with BOM" if source.bom else "")


class Checker:
    """Lints and fixes files one by one, each under its configuration.

    ``linter`` lints under the run's configuration; ``linters`` gives the one of a file's own
    configuration (default: the run's); each file is linted with its configuration's rules minus
    its per-file ignores.
    ``named`` tells a file named on the command line or standard input (default: every file)
    from one found in a directory: a found file that is not a cable is skipped
    (:attr:`CheckRun.skipped`); a named one gets the single not-a-cable finding (CBL006).
    """

    def __init__(
        self,
        linter: Linter,
        options: CheckOptions,
        cache: Cache | None = None,
        linters: Callable[[str | Path], Linter] | None = None,
        named: Callable[[str], bool] | None = None,
    ) -> None:
        self.linter = linter
        self.linters = linters or (lambda path: linter)
        self.named = named or (lambda display: True)
        self.options = options
        #: Never used while fixing: fixing must lint for real.
        self.cache = None if (options.fix or options.diff) else cache
        self.run = CheckRun()

    @property
    def config(self) -> Config:
        """The run's configuration."""
        return self.linter.config

    def check_path(self, display: str) -> None:
        from cablelint.app.reading import read_file

        self._read_and_check(display, display, lambda limit: read_file(display, limit), stdin=False)

    def check_file(self, display: str) -> CheckRun:
        """The run of one file alone (what a worker process sends back)."""
        return self._alone(lambda: self.check_path(display))

    def check_stdin_alone(self, display: str, read: Callable[[int], bytes]) -> CheckRun:
        """The run of standard input alone (see :meth:`check_stdin`)."""
        return self._alone(lambda: self.check_stdin(display, read))

    def _alone(self, check: Callable[[], None]) -> CheckRun:
        saved, self.run = self.run, CheckRun()
        try:
            check()
            return self.run
        finally:
            self.run = saved

    def from_cache(self, display: str) -> CheckRun | None:
        """The run of one file from the cache, or None (no cache, a miss, or unreadable)."""
        if self.cache is None:
            return None
        from cablelint.app.reading import read_file

        path = Path(display)
        try:
            read = read_file(display, self.options.max_file_size)
        except OSError:
            return None
        if read.too_large:
            return None
        data = read.data
        linter, rules = self._linter_for(path)
        cached = self.cache.get(self._cache_key(data, path, linter, rules))
        if cached is None:
            return None
        if not cached.cable and not self.named(display):
            return CheckRun(skipped=[display])
        if not cached.diagnostics:
            return CheckRun(results=[FileResult(display)])
        return CheckRun(results=[FileResult.checked(display, cached.diagnostics, decode(data))])

    def check_stdin(self, display: str, read: Callable[[int], bytes]) -> None:
        """Standard input, shown and configured as ``display`` (``-`` or --stdin-filename)."""
        from cablelint.app.reading import read_stream

        self._read_and_check(
            display, Path(display), lambda limit: read_stream(read, limit), stdin=True
        )

    def _read_and_check(
        self, display: str, path: str | Path, reader: Callable, *, stdin: bool
    ) -> None:
        """Read with the size limit (``reader(limit)``), then check; a read error or an input
        over the limit is the file's result instead."""
        limit = self.options.max_file_size
        try:
            got = reader(limit)
        except OSError as exc:
            reason = _reason(exc)
            self.run.results.append(FileResult(display, error=reason))
            self.run.errors.append(f"{display}: {reason}")
            return
        if got.too_large:
            diags = _too_large(self._linter_for(path)[1], got.size, limit, stream=stdin)
            self.run.results.append(FileResult(display, diags))
            return
        self._check(display, path, got.data, stdin=stdin)

    def _linter_for(self, path: str | Path) -> tuple[Linter, Rules]:
        """The Linter of the file's configuration, and the file's rules (its per-file-ignores
        applied)."""
        linter = self.linters(path)
        return linter, linter.config.rules_for(path)

    def _cache_key(self, data: bytes, path: str | Path, linter: Linter, rules: Rules) -> Key:
        assert self.cache is not None
        # The cache is salted with the run's configuration; a file's own adds its fingerprint.
        own = "" if linter is self.linter else linter.fingerprint
        return self.cache.key(data, rules, own, path)

    def _check(self, display: str, path: str | Path, data: bytes, *, stdin: bool) -> None:
        source = decode(data)
        linter, rules = self._linter_for(path)
        fixing = self.options.fix or self.options.diff
        if not fixing:
            diagnostics, cable = self._lint(data, path, source, linter, rules, stdin)
            if cable or self.named(display):
                self.run.results.append(FileResult.checked(display, diagnostics, source))
            else:
                self.run.skipped.append(display)
            return
        if not _is_cable(source):  # nothing to fix: say so, or skip a file found in a directory
            if self.named(display):
                diagnostics = _not_a_cable(rules, source)
                self.run.results.append(FileResult.checked(display, diagnostics, source))
            else:
                self.run.skipped.append(display)
            if stdin and self.options.fix and not self.options.diff:
                self.run.stdin_output = data  # passed through unchanged
            return
        target = None  # the text converted to UTF-8 (CBL001's unsafe fix), when asked for
        if not source.lossy and self.options.unsafe_fixes:
            target = linter.converted(source, rules)
        if source.lossy or (source.encoding == "cp1252" and target is None):
            if source.binary:
                why = "not fixed: the file is binary"
            elif source.lossy:
                why = "not fixed: undecodable bytes were replaced"
            else:  # the CP1252 fallback is a guess: only an explicit conversion rewrites it
                why = f"not valid UTF-8 (read as {source.encoding.upper()}); not fixed"
            self.run.notices.append(f"{display}: {why}")
            outcome = linter.lint(source, rules)
            self.run.results.append(FileResult.checked(display, outcome.diagnostics, source))
            if stdin and self.options.fix and not self.options.diff:
                self.run.stdin_output = data
            return
        original = source
        if target is not None:
            source = target  # fixed, written and shown in the new encoding
        fixed = linter.fix(source, unsafe=self.options.unsafe_fixes, rules=rules)
        for refused in fixed.refused:
            self.run.notices.append(
                f"{display}:{refused.span.line}:{refused.span.column}: {refused.code} fix not"
                " applied: it would remove text outside the lines it reports"
            )
        applied = fixed.applied + (target is not None)
        if not fixed.converged:
            self.run.notices.append(
                f"{display}: fixes did not settle ({fixed.reason}); "
                f"kept the last good text after {fixed.passes} pass(es)"
            )
        changed = fixed.text != source.text or target is not None
        if self.options.diff:
            if changed:
                self.run.diffs.append(
                    unified_diff(shown_path(display), original, source, fixed.text)
                )
                self.run.fixed += applied
                self.run.fixed_files += 1
            self.run.results.append(FileResult.checked(display, fixed.diagnostics, source))
            return
        if stdin:
            try:
                self.run.stdin_output = source.encode(fixed.text)
            except UnicodeEncodeError as exc:
                char = exc.object[exc.start : exc.end]
                self.run.notices.append(
                    f"{display}: not fixed: {char!r} cannot be encoded as {source.encoding}"
                )
                self._keep_original(display, source, linter, rules, data)
                return
        elif changed:
            from cablelint.engine.writer import NotWritten, write_if_changed

            tree = tree_of(display, self.options.roots)
            try:
                write_if_changed(Path(path), source, fixed.text, data, tree=tree)
            except ValueError as exc:
                self.run.notices.append(str(exc))
                self._keep_original(display, source, linter, rules, None)
                return
            except NotWritten as exc:
                self.run.notices.append(f"{display}: {exc}")
                self._keep_original(display, source, linter, rules, None)
                return
            except OSError as exc:
                self.run.errors.append(str(exc))
                self._keep_original(display, source, linter, rules, None)
                return
        if changed:
            self.run.fixed += applied
            self.run.fixed_files += 1
        new_source = source.with_text(fixed.text)
        diagnostics = fixed.diagnostics
        self.run.results.append(FileResult.checked(display, diagnostics, new_source, fixed=changed))

    def _lint(
        self,
        data: bytes,
        path: str | Path,
        source: SourceText,
        linter: Linter,
        rules: Rules,
        stdin: bool,
    ) -> tuple[tuple[Diagnostic, ...], bool]:
        """The diagnostics of ``source``, and whether it is a cable (else they are at most the
        not-a-cable finding)."""
        if self.cache is None or stdin:
            return self._lint_fresh(source, linter, rules)
        key = self._cache_key(data, path, linter, rules)
        cached = self.cache.get(key)
        if cached is not None:
            return cached.diagnostics, cached.cable
        diagnostics, cable = self._lint_fresh(source, linter, rules)
        if not any(d.code == RULE_TIMEOUT for d in diagnostics):  # a slow moment, not a fact
            self.cache.put(key, diagnostics, cable=cable)
        return diagnostics, cable

    def _lint_fresh(
        self, source: SourceText, linter: Linter, rules: Rules
    ) -> tuple[tuple[Diagnostic, ...], bool]:
        if not _is_cable(source):
            return _not_a_cable(rules, source), False
        return linter.lint(source, rules).diagnostics, True

    def _keep_original(
        self, display: str, source: SourceText, linter: Linter, rules: Rules, data: bytes | None
    ) -> None:
        outcome = linter.lint(source, rules)
        self.run.results.append(FileResult.checked(display, outcome.diagnostics, source))
        if data is not None:
            self.run.stdin_output = data


# --- statistics -----------------------------------------------------------------------------------


@record
class Statistic:
    """One rule's findings: ``fixes`` that --fix applies, ``hidden_fixes`` that need
    --unsafe-fixes; ``fixable`` when --fix applies at least one."""

    code: str
    name: str
    count: int
    fixable: bool
    fixes: int = 0
    hidden_fixes: int = 0


def statistics(diagnostics: Sequence[Diagnostic], *, unsafe: bool = False) -> list[Statistic]:
    """Counts per code, most frequent first (ties by code); ``unsafe``: --unsafe-fixes."""
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixes: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for d in diagnostics:
        if d.fix is not None and d.fix.applies(unsafe):
            fixes[d.code] += 1
        elif d.fix is not None and d.fix.applies(True):
            hidden[d.code] += 1
    rows = [Statistic(c, names[c], n, fixes[c] > 0, fixes[c], hidden[c]) for c, n in counts.items()]
    return sorted(rows, key=lambda s: (-s.count, s.code))


def statistics_text(rows: Sequence[Statistic]) -> str:
    """``count  code  mark  name  fixes``: ``[*]`` some fixable by --fix, ``[~]`` only with
    --unsafe-fixes, ``[ ]`` none; the fix counts follow the name when there are any."""
    if not rows:
        return ""
    width = max(len(str(r.count)) for r in rows)
    name_width = max(len(r.name) for r in rows)
    lines = []
    for r in rows:
        marker = "[*]" if r.fixes else "[~]" if r.hidden_fixes else "[ ]"
        counts = []
        if r.fixes:
            counts.append(f"{r.fixes} fixable")
        if r.hidden_fixes:
            counts.append(f"{r.hidden_fixes} with --unsafe-fixes")
        line = (
            f"{r.count:>{width}}  {r.code}  {marker}  {r.name:<{name_width}}  {', '.join(counts)}"
        )
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def statistics_json(rows: Sequence[Statistic]) -> str:
    import json  # here, as in every output that needs it: a check run starts without it

    plain = [asdict(r) for r in rows]
    return json.dumps(plain, indent=2, ensure_ascii=False) + "\n"


# --- rules and explain ------------------------------------------------------------------------


def rule_record(spec: RuleSpec, config: Config | None = None) -> dict[str, Any]:
    severity, enabled = _effective(spec, config)
    return {
        "code": spec.code,
        "name": spec.name,
        "aliases": list(spec.aliases),
        "family": spec.family,
        "severity": str(severity),
        "fix": spec.fix,
        "enabled": enabled,
        "summary": spec.summary,
        "options": {
            name: {"type": o.type, "default": _plain(o.default), "doc": o.doc}
            for name, o in spec.options.items()
        },
    }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def rules_json(specs: Mapping[str, RuleSpec], config: Config | None = None) -> str:
    import json

    records = [rule_record(s, config) for _, s in sorted(specs.items())]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def rules_text(specs: Mapping[str, RuleSpec], config: Config | None = None) -> str:
    """One row per rule: code, name, severity, fix, on, summary; with ``config``, the severity
    and state it gives the rule (else the rule's defaults)."""
    items = [s for _, s in sorted(specs.items())]
    if not items:
        return ""
    name_width = max(len(s.name) for s in items)
    header = f"{'code':<6}  {'name':<{name_width}}  {'severity':<8}  {'fix':<6}  {'on':<3}  summary"
    lines = [header]
    for s in items:
        severity, enabled = _effective(s, config)
        on = "yes" if enabled else "no"
        lines.append(
            f"{s.code:<6}  {s.name:<{name_width}}  {severity!s:<8}  {s.fix:<6}  {on:<3}  "
            f"{s.summary}"
        )
    return "\n".join(lines) + "\n"


def _effective(spec: RuleSpec, config: Config | None) -> tuple[object, bool]:
    """The severity and on/off state ``config`` gives ``spec`` (its defaults without one)."""
    if config is None:
        return spec.severity, spec.enabled
    settings = config.rules.get(spec.code)
    return (settings.severity, True) if settings is not None else (spec.severity, False)


def settings_text(config: Config, path: str) -> str:
    """``check --show-settings``: the configuration files in force for ``path``, its settings,
    and every rule's state, severity and options there."""
    import json

    from cablelint.engine.settings import SETTINGS

    files = [str(f) for f in config.files] or ["none (the built-in defaults)"]
    lines = [f"Settings for {path}", "", "Configuration files (applied in this order):"]
    lines += [f"  {f}" for f in files]
    lines += ["", "Settings:"]
    for setting in SETTINGS:
        if setting.merge in ("replace",):
            lines.append(f"  {setting.key}: {_shown(config.setting(setting.key))}")
    lines += ["", "Rules:"]
    enabled = config.rules_for(path)
    ignored = set(config.rules) - set(enabled)
    rows = []
    for code, spec in sorted(config.specs.items()):
        settings = config.rules.get(code)
        if code in ignored:
            state = "off (per-file-ignores)"
        else:
            state = "on" if settings is not None else "off"
        severity = settings.severity if settings is not None else spec.severity
        options = (
            dict(settings.options)
            if settings is not None
            else {n: o.default for n, o in spec.options.items()}
        )
        shown = json.dumps(_plain(options), ensure_ascii=False) if options else ""
        rows.append((code, spec.name, state, str(severity), shown))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        lines.append(("  " + "  ".join([*cells, row[4]])).rstrip())
    return "\n".join(lines) + "\n"


def _shown(value: object) -> str:
    import json

    if isinstance(value, tuple):
        if value and isinstance(value[0], tuple):  # per-file-ignores: (glob, codes) pairs
            return json.dumps({g: sorted(c) for g, c in value}, ensure_ascii=False)
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


def find_rule(token: str, specs: Mapping[str, RuleSpec]) -> RuleSpec | None:
    """The rule named by a code (any case), a name or an alias."""
    wanted = token.strip()
    if wanted.upper() in specs:
        return specs[wanted.upper()]
    for spec in specs.values():
        if wanted in (spec.name, *spec.aliases) or wanted.lower() in (spec.name, *spec.aliases):
            return spec
    return None


def suggest_rule(token: str, specs: Mapping[str, RuleSpec]) -> str | None:
    from cablelint.support.yamlload import did_you_mean

    names = [n for s in specs.values() for n in (s.code, s.name, *s.aliases)]
    return did_you_mean(token, names)


_FIX_SAFETY = {
    "safe": (
        "This rule's fix is safe: it changes only what the rule reports and keeps the meaning "
        "of the text. --fix applies it."
    ),
    "unsafe": (
        "This rule's fix is unsafe: it may change the meaning of the text, so only "
        "--fix --unsafe-fixes applies it. Review the result."
    ),
    "none": "This rule has no automatic fix.",
}


def _fix_text(spec: RuleSpec) -> str:
    """What the fix does (its title) and how safe it is."""
    safety = _FIX_SAFETY.get(spec.fix, spec.fix)
    return f"{spec.fix_title}. {safety}" if spec.fix_title and spec.fix != "none" else safety


def _wrapped(prose: str) -> str:
    """Prose in lines of at most 100 characters, for a terminal."""
    import textwrap

    return textwrap.fill(" ".join(prose.split()), 100, break_on_hyphens=False)


def _fenced(text: str) -> list[str]:
    body = text if text.endswith("\n") else text + "\n"
    return ["```text", *body.rstrip("\n").split("\n"), "```"]


def explain_text(spec: RuleSpec) -> str:
    """A rule's documentation in ruff's order: what, why, example, use instead, options, fix.

    Written for users: the rule file's ``notes`` (how the rule was measured) are not shown.
    """
    enabled = "yes" if spec.enabled else "no (enable with --extend-select)"
    fix = spec.fix + (f" ({spec.fix_title})" if spec.fix_title else "")
    lines = [f"# {spec.code}: {spec.name}", ""]
    if spec.aliases:
        lines += [f"Aliases: {', '.join(spec.aliases)}"]
    lines += [
        f"Severity: {spec.severity}",
        f"Enabled by default: {enabled}",
        f"Fix: {fix}",
        "",
        "## What it does",
        spec.summary,
        "",
        "## Why is this bad?",
        _wrapped(spec.rationale),
    ]
    failing = spec.examples.get("fail", ())
    passing = spec.examples.get("pass", ())
    if failing:
        lines += ["", "## Example"]
        for example in failing:
            lines += _fenced(example["text"])
    fixed = [e["fixed"] for e in failing if "fixed" in e]
    instead = fixed or [e["text"] for e in passing]
    if instead:
        lines += ["", "## Use instead"]
        for text in instead:
            lines += _fenced(text)
    if spec.options:
        import json

        lines += ["", "## Options"]
        for name, option in spec.options.items():
            default = json.dumps(_plain(option.default), ensure_ascii=False)
            choices = ""
            if option.choices:
                choices = f"; one of {', '.join(map(str, option.choices))}"
            lines.append(f"- `{name}` ({option.type}, default: {default}{choices}): {option.doc}")
    lines += ["", "## Fix", _wrapped(_fix_text(spec))]
    return "\n".join(lines) + "\n"
