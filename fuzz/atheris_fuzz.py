"""Coverage-guided fuzzing of decode, parse, lint and fix with atheris (optional; not a test).

    pip install atheris            # a wheel exists for CPython 3.11 on Linux x86-64
    PYTHONPATH=src python fuzz/atheris_fuzz.py -max_total_time=300 fuzz/corpus

The seed corpus directory may hold any cable files (e.g. copies of tests/fixtures/**/*.txt).
A crash is any exception, a CBL000 internal-error diagnostic, a span or edit outside the text,
or a fix that is not idempotent; libFuzzer writes the input to ``crash-*``.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from cablelint.engine import api
    from cablelint.engine.lint import INTERNAL_ERROR
    from cablelint.model.source import SourceText, decode

CONFIG = api.configure(select=["ALL"])


def _check(source: SourceText, diagnostics) -> None:
    size = len(source.text)
    for d in diagnostics:
        if d.code == INTERNAL_ERROR:
            raise AssertionError(d.message)
        if not 0 <= d.span.start <= d.span.end <= size:
            raise AssertionError(f"{d.code}: span {d.span} outside text of length {size}")
        for edit in d.fix.edits if d.fix else ():
            if not 0 <= edit.start <= edit.end <= size:
                raise AssertionError(f"{d.code}: edit {edit} outside text of length {size}")


def test_one_input(data: bytes) -> None:
    source = decode(data)
    _check(source, api.lint_source(source, CONFIG).diagnostics)
    if source.lossy:
        return  # never fixed
    fixed = api.fix_source(source, CONFIG, unsafe=True)
    _check(SourceText(fixed.text), fixed.diagnostics)
    if fixed.converged:
        again = api.fix_source(SourceText(fixed.text), CONFIG, unsafe=True)
        if again.text != fixed.text:
            raise AssertionError("fix is not idempotent")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
