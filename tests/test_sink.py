"""sink and results.Excerpt: results streamed file by file, and what a run keeps of a file."""

from __future__ import annotations

from collections import Counter

from cablelint.app.commands import CheckRun
from cablelint.app.sink import Sink, Tally
from cablelint.engine.baseline import BaselineFilter, Entry
from cablelint.engine.results import Excerpt, FileResult
from cablelint.model.diagnostics import Diagnostic, Edit, Fix, Severity
from cablelint.model.source import SourceText, from_text
from cablelint.report import render

TEXT = "UNCLASSIFIED\r\nTAGS: [IR](#)\r\n\r\n¶1. (U) Text.\n"
SOURCE = from_text(TEXT)


def diag(source: SourceText, start: int, end: int, code: str, **kw) -> Diagnostic:
    severity = kw.pop("severity", Severity.ERROR)
    return Diagnostic(code, "rule", severity, "message", source.index.span(start, end), **kw)


TAGS = diag(SOURCE, 20, 27, "CBL503", fix=Fix((Edit(20, 27, "IR"),), "safe"))
MARK = diag(
    SOURCE, 31, 34, "CBL401", severity=Severity.INFO, fix=Fix((Edit(31, 31, "x"),), "unsafe")
)


def test_excerpt_keeps_only_flagged_lines_and_pointed_offsets() -> None:
    excerpt = Excerpt.of(SOURCE, (TAGS, MARK))
    assert excerpt is not None
    assert excerpt.lines == {2: "TAGS: [IR](#)\r", 4: "¶1. (U) Text."}
    assert set(excerpt.positions) == {20, 27, 31, 34}
    assert excerpt.position(27) == (2, 14)
    assert excerpt.span(31, 34) == SOURCE.index.span(31, 34)
    assert excerpt.line(1) == ""


def test_a_clean_file_keeps_no_text() -> None:
    assert Excerpt.of(SOURCE, ()) is None
    assert FileResult.checked("a.txt", (), SOURCE).excerpt is None


def test_reports_from_an_excerpt_equal_reports_from_the_text() -> None:
    result = FileResult.checked("a.txt", (TAGS, MARK), SOURCE)
    assert render([result], "text", show_source=True) == (
        "a.txt:2:7: CBL503 [error] message [*]\n"
        "TAGS: [IR](#)\n"
        "      ^~~~~~~\n"
        "a.txt:4:1: CBL401 [info] message [~]\n"
        "¶1. (U) Text.\n"
        "^~~\n"
    )


def test_tally_counts_severities_and_fixes() -> None:
    tally = Tally()
    tally.add([TAGS, MARK, TAGS])
    assert tally.severities == Counter({Severity.ERROR: 2, Severity.INFO: 1})
    assert (tally.total, tally.safe_fixes, tally.unsafe_fixes) == (3, 2, 1)
    assert tally.reaches(Severity.WARNING)
    assert not Tally().reaches(Severity.INFO)


def make_sink(**kw) -> tuple[Sink, list[str], list[str]]:
    out: list[str] = []
    said: list[str] = []
    sink = Sink(emit=out.append, warn=lambda m: said.append("w:" + m), error=said.append, **kw)
    return sink, out, said


def run_of(*results: FileResult, **kw) -> CheckRun:
    return CheckRun(results=list(results), **kw)


def test_streaming_emits_each_file_at_once_and_keeps_nothing() -> None:
    sink, out, said = make_sink(render_file=lambda r: render([r], "text"))
    sink.take(run_of(FileResult.checked("a.txt", (TAGS,), SOURCE), notices=["a.txt: note"]))
    assert out == ["a.txt:2:7: CBL503 [error] message [*]\n"]
    sink.take(run_of(FileResult("b.txt", error="gone"), errors=["b.txt: gone"]))
    assert out[1] == "b.txt: error: gone\n"
    assert said == ["w:a.txt: note", "b.txt: gone"]
    assert sink.results == []
    assert (sink.tally.total, sink.errors) == (1, 1)


def test_document_formats_keep_results_for_the_end() -> None:
    sink, out, _ = make_sink()
    result = FileResult.checked("a.txt", (TAGS, MARK), SOURCE)
    sink.take(run_of(result))
    assert out == []
    assert sink.results == [result]
    assert sink.diagnostics == [TAGS, MARK]


def test_baseline_filters_before_counting_and_reports_stale_entries() -> None:
    known = Entry("a.txt", "CBL503", "TAGS: [IR](#)", 0)
    gone = Entry("a.txt", "CBL999", "nothing", 0)
    unchecked = Entry("z.txt", "CBL503", "x", 0)
    sink, out, _ = make_sink(render_file=lambda r: render([r], "text"))
    sink.baseline = BaselineFilter(Counter([known, gone, unchecked]), lambda p: p)
    sink.take(run_of(FileResult.checked("a.txt", (TAGS, MARK), SOURCE)))
    assert out == ["a.txt:4:1: CBL401 [info] message [~]\n"]
    assert sink.tally.total == 1
    assert sink.baseline.suppressed == 1
    assert sink.baseline.stale() == [gone]


def test_recording_a_baseline_keeps_entries_only() -> None:
    sink, out, _ = make_sink(record_baseline=lambda p: "cables/" + p)
    sink.take(run_of(FileResult.checked("a.txt", (TAGS,), SOURCE)))
    assert sink.recorded == [Entry("cables/a.txt", "CBL503", "TAGS: [IR](#)", 0)]
    assert (out, sink.results, sink.tally.total) == ([], [], 0)


def test_fix_counts_and_diffs_accumulate() -> None:
    sink, out, _ = make_sink(render_file=lambda r: "")
    sink.take(CheckRun(diffs=["--- a\n"], fixed=2, fixed_files=1, stdin_output=b"x"))
    sink.take(CheckRun(fixed=1, fixed_files=1))
    assert out == ["--- a\n"]
    assert (sink.fixed, sink.fixed_files, sink.stdin_output) == (3, 2, b"x")
