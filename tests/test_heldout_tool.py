"""tools/heldout_conversions.py's page builder: how it cuts a clean text into the release's two
``<pre>`` blocks and writes them as the Cablegate page did. The converters are optional; the test
that runs one skips without it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "heldout_conversions.py"
_spec = importlib.util.spec_from_file_location("heldout_conversions", TOOL)
assert _spec is not None and _spec.loader is not None
heldout = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = heldout  # dataclasses look the module up
_spec.loader.exec_module(heldout)

CABLE = """VZCZCXYZ0001
PP RUEHWEB

DE RUEHC #0001 0010000
ZNY CCCCC ZZH
P 010000Z JAN 09
FM SECSTATE WASHDC
TO RUEHBS/AMEMBASSY BRUSSELS 0000

C O N F I D E N T I A L STATE 000001

E.O. 12958: DECL: 01/01/2019
TAGS: PREL BE
SUBJECT: R&D <<240168>>

CLINTON
"""
NOTICE = (
    "This record is a partial extract of the original cable. The full text of the original "
    "cable is not available."
)


def test_the_header_block_runs_to_the_blank_line_after_the_de_line() -> None:
    header, body = heldout.split_blocks(CABLE)
    assert header == "\n".join(CABLE.split("\n")[:8])
    assert body.startswith("C O N F I D E N T I A L STATE 000001\n\nE.O.")
    assert body.endswith("CLINTON")


@pytest.mark.parametrize(
    ("text", "header"),
    [
        (
            f"{NOTICE}\n\n041058Z Nov 05\n\nS E C R E T PARIS 007527\n",
            f"{NOTICE}\n\n041058Z Nov 05",
        ),
        (f"{NOTICE}\n\nS E C R E T PARIS 007527\n", NOTICE),
    ],
)
def test_a_partial_extract_s_block_is_its_notice_and_the_dtg_after_it(
    text: str, header: str
) -> None:
    assert heldout.split_blocks(text) == (header, "S E C R E T PARIS 007527")


def test_tags_are_links_angle_brackets_escaped_ampersands_bare() -> None:
    _, body = heldout.split_blocks(CABLE)
    html = heldout.pre_html(body)
    assert 'TAGS: <a href="/tag/PREL_0.html">PREL</a> <a href="/tag/BE_0.html">BE</a>\n' in html
    assert "SUBJECT: R&D &lt;&lt;240168&gt;&gt;\n" in html


def test_the_published_text_ends_lines_in_a_space_but_tag_lines_and_the_last() -> None:
    assert heldout.published("A\n\nTAGS: PREL BE\nB\nC") == "A \n\nTAGS: PREL BE\nB \nC"


def test_markdownify_writes_the_two_blocks_as_fenced_code() -> None:
    pytest.importorskip("markdownify")
    pytest.importorskip("html2text")
    pytest.importorskip("inscriptis")
    header, body = heldout.split_blocks(CABLE)
    cells = tuple((c, f"/{c}", None) for c in ("09STATE1", "2009-01-01 00:00", "x", "y", "z"))
    out = heldout.convert(heldout.page(heldout.Row(cells, None), header, body))
    assert out["markdownify"].startswith(
        "| Reference ID | Created | Released | Classification | Origin |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| [09STATE1](/09STATE1) | [2009-01-01 00:00](/2009-01-01 00:00) | [x](/x) | [y](/y) "
        "| [z](/z) |\n\n```` ```\nVZCZCXYZ0001\n"
    )
    assert "0000\n``` ````\n```` ```\nC O N F I D E N T I A L" in out["markdownify"]
    assert "TAGS: [PREL](/tag/PREL_0.html) [BE](/tag/BE_0.html)" in out["html2text"]
    assert "0000\nC O N F I D E N T I A L STATE 000001" in out["inscriptis"]
