"""Declarative rule kinds (pattern, substitution, vocabulary, required): user rules in YAML.

``declarative_check(spec)`` turns a validated ``RuleSpec`` into a check function. Everything
that can be prepared once is prepared there, at configuration time: regular expressions are
compiled, the substitution table is merged into one expression, and a vocabulary's word file is
read. The check itself only reads the cable model and does no I/O. The Linter of a configuration
builds each of its declarative rules' checks once and keeps it for every cable (engine/linter.py).

Semantics (see docs/writing-rules.md, "Declarative kinds" and "Scopes"):

* ``pattern``: the regex is searched in the text region of each node of the scope. ``forbid``
  reports every non-empty match at its span; ``require`` reports each node in which it never
  matches, on the node's first line.
* ``substitution``: every whole-token occurrence of a WRONG key is reported, with a fix that
  replaces it by its RIGHT value.
* ``vocabulary``: every whole token matching ``token_regex`` must be in the word list.
* ``required``: the cable is reported once, on its first line, when the scope has no node.

A token is "whole" when it is neither preceded nor followed by an ASCII letter or digit.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from cablelint.model.diagnostics import Finding
from cablelint.ruleset.registry import Check, CheckContext
from cablelint.ruleset.scopes import SCOPES, first_line, nodes, region
from cablelint.ruleset.specs import RuleSpec
from cablelint.ruleset.userregex import Budget, compile_pattern

TOKEN_BEFORE = r"(?<![A-Za-z0-9])"
TOKEN_AFTER = r"(?![A-Za-z0-9])"

SUBSTITUTION_MESSAGE = "'{match}' should be '{replacement}'"
VOCABULARY_MESSAGE = "unknown word '{match}' (did you mean '{suggestion}'?)"
VOCABULARY_MESSAGE_BARE = "unknown word '{match}'"
REQUIRED_MESSAGE = "required {scope} is missing"


def declarative_check(spec: RuleSpec) -> Check:
    """The check function for a declarative spec (the caller keeps it: building reads files).

    Building never raises: a problem found here (a word file that vanished or cannot be decoded
    since the spec was validated) gives a check that raises it, which the engine reports as one
    CBL000 diagnostic per file instead of stopping the run.
    """
    builder = _BUILDERS.get(spec.kind)
    if builder is None:
        raise ValueError(f"{spec.code} is of kind '{spec.kind}', not a declarative kind")
    try:
        return builder(spec)
    except Exception as error:
        return _broken(spec, error)


def _broken(spec: RuleSpec, error: Exception) -> Check:
    problem = f"{spec.path}: cannot build rule {spec.code}: {type(error).__name__}: {error}"

    def run(ctx: CheckContext) -> Iterator[Finding]:
        raise RuntimeError(problem)

    return run


def _scope(spec: RuleSpec) -> str:
    scope = spec.declarative["scope"]
    if scope not in SCOPES:  # specs.py validates this; guard against a drifting scope list
        raise ValueError(f"unknown scope '{scope}'")
    return scope  # type: ignore[return-value]


def _matches(
    ctx: CheckContext, scope: str, regex: re.Pattern[str], budget: Budget | None = None
) -> Iterator[re.Match[str]]:
    """Every match of ``regex`` inside the nodes of ``scope`` (offsets into the whole text); a
    user pattern draws on the file's ``budget``."""
    text = ctx.text
    for node in nodes(ctx.cable, scope):
        start, end = region(text, node)
        if budget is None:
            yield from regex.finditer(text, start, end)
        else:
            yield from budget.finditer(regex, text, start, end)


# ---- pattern ------------------------------------------------------------------------------------
def _pattern(spec: RuleSpec) -> Check:
    options = spec.declarative
    regex = compile_pattern(str(options["regex"]), options.get("flags", ()))  # type: ignore[arg-type]
    scope, message = _scope(spec), str(options["message"])
    require = options.get("mode", "forbid") == "require"

    def run(ctx: CheckContext) -> Iterator[Finding]:
        text, budget = ctx.text, Budget()
        for node in nodes(ctx.cable, scope):
            start, end = region(text, node)
            chunk = text[start:end]
            if require:
                if budget.search(regex, chunk) is None:
                    a, b = region(text, first_line(ctx.cable.lines, node))
                    yield ctx.finding(a, b, message.format(match=""))
                continue
            for found in budget.finditer(regex, chunk):
                if found.end() > found.start():
                    yield ctx.finding(
                        start + found.start(),
                        start + found.end(),
                        message.format(match=found.group()),
                    )

    return run


# ---- substitution -------------------------------------------------------------------------------
def _substitution(spec: RuleSpec) -> Check:
    options = spec.declarative
    table = [(str(wrong), str(right)) for wrong, right in options["substitutions"].items()]  # type: ignore[union-attr]
    table = [(wrong, right) for wrong, right in table if wrong]
    if not table:
        raise ValueError("no substitutions")
    ignorecase = bool(options.get("ignorecase", False))
    flags = re.IGNORECASE if ignorecase else 0
    # Longest first, so that "CONSULATE-GENERAL" wins over "CONSULATE" at the same place.
    keys = sorted({wrong for wrong, _ in table}, key=lambda k: (-len(k), k))
    alternation = "|".join(re.escape(k) for k in keys)
    regex = re.compile(f"{TOKEN_BEFORE}(?:{alternation}){TOKEN_AFTER}", flags)
    exact = dict(table)
    folded: dict[str, str] = {}
    for wrong, right in table:
        folded.setdefault(wrong.casefold(), right)
    compiled = [(re.compile(re.escape(w), flags), r) for w, r in table]

    def replacement_of(found: str) -> str:
        if found in exact:
            return exact[found]
        if ignorecase and found.casefold() in folded:
            return folded[found.casefold()]
        # re's case folding is not str.casefold; fall back to asking each key.
        return next(right for wrong, right in compiled if wrong.fullmatch(found))

    scope = _scope(spec)
    message = str(options.get("message") or SUBSTITUTION_MESSAGE)
    applicability = spec.fix

    def run(ctx: CheckContext) -> Iterator[Finding]:
        for found in _matches(ctx, scope, regex):
            wrong = found.group()
            right = replacement_of(wrong)
            if right == wrong:  # ignorecase and already the right spelling
                continue
            a, b = found.span()
            fix = None
            if applicability != "none":
                title = spec.fix_title or f"Replace '{wrong}' with '{right}'"
                fix = ctx.replace(a, b, right, title, unsafe=applicability == "unsafe")
            yield ctx.finding(a, b, message.format(match=wrong, replacement=right), fix)

    return run


# ---- vocabulary ---------------------------------------------------------------------------------
_COMMENT = re.compile(r"(?:^|\s)#.*$")


def read_word_file(path: Path) -> tuple[str, ...]:
    """The words of a word file: one a line; ``#`` at the start or after a space begins a comment;
    blank lines are ignored. UTF-8 (a BOM is allowed)."""
    words = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        word = _COMMENT.sub("", line).strip()
        if word:
            words.append(word)
    return tuple(words)


def _vocabulary(spec: RuleSpec) -> Check:
    options = spec.declarative
    if options.get("words"):
        words = tuple(str(w) for w in options["words"])  # type: ignore[union-attr]
    else:
        words = read_word_file(spec.path.parent / str(options["file"]))
    token = compile_pattern(f"{TOKEN_BEFORE}(?:{options['token_regex']}){TOKEN_AFTER}")
    ignorecase = bool(options.get("ignorecase", False))
    fold: Callable[[str], str] = str.casefold if ignorecase else str
    known: dict[str, str] = {}
    for word in words:
        known.setdefault(fold(word), word)
    candidates = list(known)

    @lru_cache(maxsize=4096)
    def suggestion_for(key: str) -> str | None:
        import difflib  # here: only a mistake in a rule file needs it

        close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
        return known[close[0]] if close else None

    scope = _scope(spec)
    custom = options.get("message")
    custom = str(custom) if custom else None
    custom_suggests = custom is not None and _uses(custom, "suggestion")

    def message_for(found: str, suggestion: str | None) -> str:
        if custom is not None and (suggestion is not None or not custom_suggests):
            return custom.format(match=found, suggestion=suggestion or "")
        if suggestion is None:
            return VOCABULARY_MESSAGE_BARE.format(match=found)
        return VOCABULARY_MESSAGE.format(match=found, suggestion=suggestion)

    def run(ctx: CheckContext) -> Iterator[Finding]:
        for found in _matches(ctx, scope, token, Budget()):
            word = found.group()
            if not word or fold(word) in known:
                continue
            suggestion = suggestion_for(fold(word))
            yield ctx.finding(found.start(), found.end(), message_for(word, suggestion))

    return run


def _uses(message: str, name: str) -> bool:
    return any(field == name for _, field, _, _ in string.Formatter().parse(message))


# ---- required -----------------------------------------------------------------------------------
def _required(spec: RuleSpec) -> Check:
    scope = _scope(spec)
    custom = spec.declarative.get("message")
    message = str(custom).format() if custom else REQUIRED_MESSAGE.format(scope=scope)

    def run(ctx: CheckContext) -> Iterator[Finding]:
        if nodes(ctx.cable, scope):
            return
        lines = ctx.cable.lines
        start, end = region(ctx.text, lines[0]) if lines else (0, 0)
        yield ctx.finding(start, end, message)

    return run


_BUILDERS: Mapping[str, Callable[[RuleSpec], Check]] = {
    "pattern": _pattern,
    "substitution": _substitution,
    "vocabulary": _vocabulary,
    "required": _required,
}

__all__ = ("declarative_check", "read_word_file")
