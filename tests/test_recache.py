"""recache.compile gives what re.compile gives, from cached code when it has it."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest

from cablelint import api, recache
from cablelint.source import decode

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))


#: Every pattern compiled through recache in this test session before a test reset its state.
_SEEN: set[tuple[str, int]] = set()


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, and recache's state as in a new process."""
    _SEEN.update(recache._used)
    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(recache, "_entries", None)
    monkeypatch.setattr(recache, "_new", {})
    monkeypatch.setattr(recache, "_used", set())
    return tmp_path


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recache, "_entries", None)
    monkeypatch.setattr(recache, "_new", {})
    monkeypatch.setattr(recache, "_used", set())


def _same(ours: re.Pattern[str], theirs: re.Pattern[str], text: str) -> None:
    assert (ours.pattern, ours.flags, ours.groups, ours.groupindex) == (
        theirs.pattern,
        theirs.flags,
        theirs.groups,
        theirs.groupindex,
    )
    found = [(m.span(), m.groups(), m.lastgroup) for m in ours.finditer(text)]
    assert found == [(m.span(), m.groups(), m.lastgroup) for m in theirs.finditer(text)]


def test_every_pattern_cablelint_compiles_behaves_as_re_compiles_it(fresh, monkeypatch) -> None:
    config = api.configure()
    texts = [decode(path.read_bytes()).text for path in FIXTURES[:40]]
    for text in texts:
        api.lint_source(decode(text.encode()), config)
    compiled = set(recache._new) | _SEEN  # at import time and at run time
    assert len(compiled) > 100  # the classifier, the field lexer, the rules
    for pattern, flags in compiled:
        recache.compile(pattern, flags)
    recache.store()
    _new_process(monkeypatch)
    monkeypatch.setattr(recache, "_generate", _must_not_generate)
    sample = "\n".join(texts)
    for pattern, flags in compiled:
        _same(recache.compile(pattern, flags), re.compile(pattern, flags), sample)


def _must_not_generate(pattern: str, flags: int) -> None:
    raise AssertionError(f"compiled afresh: {pattern!r}")


def test_a_stored_pattern_is_read_back_not_compiled(fresh, monkeypatch) -> None:
    first = recache.compile(r"(?P<serial>\d{3,6})\Z", re.IGNORECASE)
    recache.store()
    assert (fresh / "regex-code.marshal").exists() or list(fresh.rglob("regex-code.marshal"))
    _new_process(monkeypatch)
    monkeypatch.setattr(recache, "_generate", _must_not_generate)
    again = recache.compile(r"(?P<serial>\d{3,6})\Z", re.IGNORECASE)
    assert again.groupindex == first.groupindex == {"serial": 1}
    assert again.search("PARIS 000123").group("serial") == "000123"
    assert recache._new == {}  # nothing new to store


def test_a_bad_pattern_raises_as_re_compile_does(fresh) -> None:
    with pytest.raises(re.error) as ours:
        recache.compile(r"(unclosed")
    with pytest.raises(re.error) as theirs:
        re.compile(r"(unclosed")
    assert str(ours.value) == str(theirs.value)


def _cache_file(home: Path) -> Path:
    (path,) = home.rglob("regex-code.marshal")
    return path


def test_a_damaged_or_foreign_cache_is_ignored(fresh, monkeypatch) -> None:
    recache.compile(r"SIPDIS|NOFORN")
    recache.store()
    path = _cache_file(fresh)
    for damage in (
        path.read_bytes()[:-7],  # truncated
        marshal.dumps(("another Python", {})),  # another build's code
        b"\x00garbage",
    ):
        path.write_bytes(damage)
        _new_process(monkeypatch)
        assert recache.compile(r"SIPDIS|NOFORN").fullmatch("NOFORN")
        assert list(recache._new) == [("SIPDIS|NOFORN", 0)]  # compiled afresh


def test_code_that_sre_rejects_is_compiled_afresh(fresh, monkeypatch) -> None:
    recache.compile(r"[A-Z]+")
    recache.store()
    path = _cache_file(fresh)
    key, entries = marshal.loads(path.read_bytes())
    flags, code, *rest = entries[("[A-Z]+", 0)]
    entries[("[A-Z]+", 0)] = (flags, [999, *code], *rest)  # not SRE code
    path.write_bytes(marshal.dumps((key, entries)))
    _new_process(monkeypatch)
    assert recache.compile(r"[A-Z]+").fullmatch("STATE")


def test_store_keeps_what_it_read_and_is_quiet_without_a_cache(fresh, monkeypatch) -> None:
    recache.compile(r"one")
    recache.store()
    _new_process(monkeypatch)
    recache.compile(r"two")
    recache.store()
    _key, entries = marshal.loads(_cache_file(fresh).read_bytes())
    assert {pattern for pattern, _flags in entries} >= {"one", "two"}
    blocker = fresh / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("CABLELINT_CACHE_HOME", str(blocker / "below-a-file"))
    _new_process(monkeypatch)
    assert recache.compile(r"three").fullmatch("three")
    recache.store()  # cannot write: no error
