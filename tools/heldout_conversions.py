"""Convert the cables that have no converted form and measure cablelint on them (issue 15).

``../shared/corpus/conversions/`` holds 300 of the 880 corpus cables as seven converters wrote
their Cablegate HTML pages; the conversion handling was developed on them. This tool rebuilds the
page region a person selects and converts (the metadata table, with its links, and the two
``<pre>`` blocks) from the clean text (``cablegate/NAME``) and ``cablegate/metadata.csv``, runs
the three converters that are Python packages over it, and measures the result as
``tests/test_conversions.py`` does (its functions are reused): extraction agreement on the seven
fields, findings per file against the clean text's, the repair share, and the files where the fix
adds a difference that the clean text's own fix does not make.

It needs the converters, which are not dependencies of cablelint::

    pip install html2text==2025.4.15 markdownify==1.2.3 inscriptis==2.7.6
    python tools/heldout_conversions.py --validate   # rebuild the 300 converted cables, compare
    python tools/heldout_conversions.py              # convert the other 580 and print the figures
    python tools/heldout_conversions.py --keep DIR   # also keep the converted files in DIR

The conversions are written to a temporary directory (or ``--keep DIR``, which must lie outside
the repository): they are third-party text and never belong in the project.

How the page is rebuilt, learnt from the 300 shipped conversions (``--validate`` checks it):

* The table: a header row (Reference ID, Created, Released, Classification, Origin) and a row of
  links (``/cable/YYYY/MM/ID.html``, ``/date/YYYY-MM_0.html``, ``/reldate/DATE_0.html``,
  ``/classification/N_0.html`` with a title, ``/origin/N_0.html``); the cells after the first
  open with a line break. Some pages have a third row, ``Appears in these articles:`` and a link.
  What the clean text and metadata.csv do not say is taken from the shipped conversions where
  the cable has one (release date, origin number, article row) and otherwise chosen by a hash of
  the name from what the 300 pages show (about one page in thirteen has an article row).
* Each ``<pre>`` sits in a ``<code>`` element, its text starting right after the tag, with ``<``
  and ``>`` escaped but ``&`` not (html2text shows the release's bare ampersands as ``R&D;``).
  The words after ``TAGS: `` are links ``/tag/WORD_0.html`` when the line is only tag words.
* The first block is the transmission header: through the first blank line after the DE (or FM,
  ZNY, ZNR) line; a partial extract's is its notice line, and the DTG line after it if there is
  one. The second block is the rest, after the blank line that joined them in the clean text.
* The release's text ends most body lines in a space; which ones is not in the clean text. The
  rebuild (``--trailing``) gives every non-blank body line one (``published``), none (``none``),
  or one or the other per cable by the name's hash, in the share the 300 show (``mixed``, the
  default: 70 of 300 bodies have none). Lines ending in a tag link never have one.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONVERTERS = ("html2text", "markdownify", "inscriptis")
COLUMNS = ("Reference ID", "Created", "Released", "Classification", "Origin")
#: classification -> (number, title) of its page link: the release's titles are one class off.
CLASSIFICATIONS = {
    "CONFIDENTIAL": ("1", "unclassified"),
    "CONFIDENTIAL//NOFORN": ("2", "secret"),
    "SECRET": ("3", "confidential"),
    "SECRET//NOFORN": ("4", "secret//noforn"),
    "UNCLASSIFIED": ("5", "unclassified//fouo"),
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": ("6", "confidential//noforn"),
}
DE_LINE = re.compile(r"(?:DE|FM|ZNY|ZNR) ")
PARTIAL = "This record is a partial extract"
DTG_LINE = re.compile(r"\d{6}Z [A-Z][a-z]{2} \d{2}$")
TAGS_LINE = re.compile(r"(.*\bTAGS: )([A-Z]+(?: [A-Z]+)*)$")
MARKDOWN_CELL = re.compile(r'\s*\[(.*?)\]\((\S+)(?: "(.*)")?\)\s*$')
#: Pages with an article row, of every so many (23 of the 300).
ARTICLE_EVERY = 13


def _hash(name: str, salt: str) -> int:
    return zlib.crc32(f"{salt}:{name}".encode())


def split_blocks(text: str) -> tuple[str, str]:
    """The clean text's two ``<pre>`` blocks: header and body, joined by one blank line."""
    lines = text.rstrip("\n").split("\n")
    cut = None
    if lines[0].startswith(PARTIAL):
        cut = 3 if len(lines) > 3 and DTG_LINE.match(lines[2]) and not lines[3] else 1
    else:
        seen = False
        for i, line in enumerate(lines):
            seen = seen or bool(DE_LINE.match(line))
            if seen and not line.strip():
                cut = i
                break
    if cut is None:  # no transmission header: the first blank line
        cut = lines.index("") if "" in lines else 0
    return "\n".join(lines[:cut]), "\n".join(lines[cut + 1 :])


def published(body: str) -> str:
    """``body`` with the trailing space the release puts on its lines (not on the last)."""
    lines = body.split("\n")
    return "\n".join(
        line + " " if line.strip() and not TAGS_LINE.match(line) and i < len(lines) - 1 else line
        for i, line in enumerate(lines)
    )


def _escape(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")


def pre_html(text: str) -> str:
    out = []
    for line in text.split("\n"):
        m = TAGS_LINE.match(line)
        if m:
            links = (f'<a href="/tag/{w}_0.html">{w}</a>' for w in m.group(2).split())
            out.append(_escape(m.group(1)) + " ".join(links))
        else:
            out.append(_escape(line))
    return "\n".join(out)


@dataclass(frozen=True)
class Row:
    """One page's table: each cell's (text, link, title)."""

    cells: tuple[tuple[str, str, str | None], ...]
    article: str | None


def page(row: Row, header: str, body: str) -> str:
    head = "".join(f"\n<th>{c}</th>" for c in COLUMNS)
    cells = []
    for i, (text, href, title) in enumerate(row.cells):
        title_attr = f' title="{title}"' if title else ""
        cells.append(
            f'\n<td>{"" if i == 0 else chr(10)}<a href="{href}"{title_attr}>{text}</a></td>'
        )
    rows = [f"<tr>{head}\n</tr>", f"<tr>{''.join(cells)}\n</tr>"]
    if row.article:
        rows.append(
            f'<tr>\n<td colspan="5">Appears in these articles:<br />\n'
            f'<a href="http://{row.article}">{row.article}</a><br />\n</td>\n</tr>'
        )
    blocks = "".join(f"<code><pre>{pre_html(b)}</pre></code>\n" for b in (header, body))
    return '<table class="cable">\n' + "\n".join(rows) + "\n</table>\n" + blocks


def convert(html: str) -> dict[str, str]:
    import html2text
    import inscriptis
    import markdownify

    h2t = html2text.HTML2Text()
    h2t.body_width = 0
    return {
        "html2text": h2t.handle(html),
        "markdownify": markdownify.markdownify(html),
        "inscriptis": inscriptis.get_text(html),
    }


class Pages:
    """What the pages' tables say, from metadata.csv and the 300 shipped conversions."""

    def __init__(self, shared: Path) -> None:
        self.corpus = shared / "corpus" / "cablegate"
        self.conversions = shared / "corpus" / "conversions"
        with (self.corpus / "metadata.csv").open(encoding="utf-8") as fh:
            self.meta = {r["reference_id"]: r for r in csv.DictReader(fh)}
        self.shipped: dict[str, tuple[list[tuple[str, str, str | None]], str | None]] = {}
        for path in sorted((self.conversions / "markdownify").glob("*.txt")):
            lines = path.read_text(encoding="utf-8").split("\n")
            cells = []
            for cell in lines[2].strip().strip("|").split(" | "):
                m = MARKDOWN_CELL.match(cell)
                cells.append((m.group(1), m.group(2), m.group(3)))
            article = None
            if lines[3].startswith("| Appears in these articles:"):
                article = re.search(r"\]\(http://(\S+?)\)", lines[3]).group(1)
            self.shipped[path.stem] = (cells, article)
        self.origins = {c[4][0]: c[4][1] for c, _ in self.shipped.values()}
        self.released = sorted({c[2][:2] for c, _ in self.shipped.values()})
        self.articles = sorted({a for _, a in self.shipped.values() if a})

    def row(self, ref: str, *, from_shipped: bool) -> Row:
        if from_shipped and ref in self.shipped:
            cells, article = self.shipped[ref]
            return Row(tuple(cells), article)
        meta = self.meta[ref]
        created = meta["created"]
        year, month = created[:4], created[5:7]
        number, title = CLASSIFICATIONS[meta["classification"]]
        origin = meta["origin"]
        if origin not in self.origins:
            self.origins[origin] = f"/origin/{200 + len(self.origins)}_0.html"
        released = self.released[_hash(ref, "released") % len(self.released)]
        article = None
        if _hash(ref, "article") % ARTICLE_EVERY == 0:
            article = self.articles[_hash(ref, "which") % len(self.articles)]
        cells = (
            (ref, f"/cable/{year}/{month}/{ref}.html", None),
            (created, f"/date/{year}-{month}_0.html", None),
            (released[0], released[1], None),
            (meta["classification"], f"/classification/{number}_0.html", title),
            (origin, self.origins[origin], None),
        )
        return Row(cells, article)

    def html(self, name: str, trailing: str, *, from_shipped: bool = False) -> str:
        text = (self.corpus / name).read_text(encoding="utf-8")
        header, body = split_blocks(text)
        if trailing == "raw":  # the published text of a converted cable, split as the clean one
            raw = (self.conversions / "raw" / name).read_text(encoding="utf-8").split("\n")
            cut = header.count("\n") + 1
            header, body = "\n".join(raw[:cut]), "\n".join(raw[cut + 1 :]).removesuffix("\n")
        elif trailing == "published" or (trailing == "mixed" and _hash(name, "trailing") % 30 >= 7):
            body = published(body)
        return page(self.row(name[: -len(".txt")], from_shipped=from_shipped), header, body)


def validate(pages: Pages, trailing: str) -> None:
    """Rebuild the 300 converted cables from the clean text; compare with the shipped files."""
    names = sorted(p.name for p in (pages.conversions / "raw").glob("*.txt"))
    same: Counter[str] = Counter()
    loose: Counter[str] = Counter()
    residue: dict[str, list[int]] = {c: [] for c in CONVERTERS}
    for name in names:
        out = convert(pages.html(name, trailing, from_shipped=True))
        for form, text in out.items():
            shipped = (pages.conversions / form / name).read_text(encoding="utf-8")
            same[form] += text == shipped
            a = [x.rstrip() for x in shipped.split("\n")]
            b = [x.rstrip() for x in text.split("\n")]
            loose[form] += a == b
            if a != b:
                ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
                residue[form].append(
                    sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in ops if t != "equal")
                )
    rows = sum(
        pages.row(n[:-4], from_shipped=False).cells[i] == tuple(pages.shipped[n[:-4]][0][i])
        for n in names
        for i in (0, 1, 3, 4)
    )
    print(
        f"table cells from metadata.csv (all but the release date) as the shipped pages: "
        f"{rows}/{4 * len(names)}"
    )
    print(f"validation over {len(names)} cables (trailing spaces: {trailing}; shipped tables):")
    for form in CONVERTERS:
        r = sorted(residue[form])
        print(
            f"  {form}: byte-identical {same[form]}/{len(names)}; identical but for trailing "
            f"whitespace {loose[form]}/{len(names)}; the others differ in "
            f"{r[len(r) // 2] if r else 0} lines (median), {max(r) if r else 0} at most"
        )


def write(pages: Pages, names: list[str], folder: Path, trailing: str) -> None:
    for form in CONVERTERS:
        (folder / form).mkdir(parents=True, exist_ok=True)
    for name in names:
        for form, text in convert(pages.html(name, trailing)).items():
            (folder / form / name).write_text(text, encoding="utf-8")


def measure(folder: Path, names: list[str], corpus: Path) -> None:
    """Print ``tests/test_conversions.py``'s figures for the converted files in ``folder``, and
    one more: the differences the fix left that are not the cable's own repairs (``left``).
    The repair share counts a line the fix repairs in the clean text too as not removed, so the
    html2text share, whose every line differs before the fix (indented), is below 1 for the
    cable's own repairs alone."""
    from tests.test_conversions import FIELDS, _differences, _extracted, _lines, _own_repairs

    from cablelint.engine import api
    from cablelint.model.source import decode

    config = api.configure()
    clean_findings = []
    clean_extracted = {}
    for name in names:
        data = (corpus / name).read_bytes()
        clean_extracted[name] = _extracted(data)
        clean_findings.append(len(api.lint_source(decode(data), config).diagnostics))
    print(f"{len(names)} cables: clean text findings/file {mean(clean_findings):.2f}")
    for form in CONVERTERS:
        findings, repair, count, stray, left = [], [], [], {}, {}
        agree: Counter[str] = Counter()
        for name in names:
            data = (folder / form / name).read_bytes()
            source = decode(data)
            found = _extracted(data)
            for field in FIELDS:
                agree[field] += found[field] == clean_extracted[name][field]
            findings.append(len(api.lint_source(source, config).diagnostics))
            clean = _lines((corpus / name).read_text(encoding="utf-8"))
            before = _differences(source.text, clean)
            after = _differences(api.fix_source(source, config, unsafe=True).text, clean)
            if before:
                repair.append(len(before - after) / len(before))
                count.append((len(before) - len(after)) / len(before))
            if after - before - _own_repairs(name):
                stray[name] = sorted(after - before - _own_repairs(name))
            if (before & after) - _own_repairs(name):
                left[name] = len((before & after) - _own_repairs(name))
        figures = " ".join(f"{f}={agree[f] / len(names):.3f}" for f in FIELDS)
        print(
            f"{form}: extraction {figures}; findings/file {mean(findings):.2f}; "
            f"repair={mean(repair):.3f} (count {mean(count):.3f}); "
            f"fix adds differences of its own in {len(stray)} files {sorted(stray)[:12]}; "
            f"left, not the cable's own repairs: {sum(left.values())} lines in {len(left)} files "
            f"{sorted(left)[:12]}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--validate", action="store_true", help="rebuild the 300 converted cables")
    parser.add_argument(
        "--trailing", choices=("mixed", "published", "none", "raw"), default="mixed"
    )
    parser.add_argument("--keep", type=Path, help="write the conversions here (outside the repo)")
    parser.add_argument(
        "--also-converted", action="store_true", help="also rebuild and measure the 300 converted"
    )
    args = parser.parse_args(argv)
    pages = Pages(args.shared)
    if args.validate:
        validate(pages, args.trailing)
        return 0
    converted = {p.name for p in (pages.conversions / "raw").glob("*.txt")}
    held_out = sorted(p.name for p in pages.corpus.glob("*.txt") if p.name not in converted)
    sets = [("held-out", held_out)]
    if args.also_converted:
        sets.append(("converted, rebuilt", sorted(converted)))
    if args.keep and args.keep.resolve().is_relative_to(ROOT):
        parser.error("--keep must lie outside the repository: the conversions are third-party text")
    with tempfile.TemporaryDirectory(prefix="cablelint-heldout-") as tmp:
        base = args.keep or Path(tmp)
        for label, names in sets:
            folder = base / label.split(",")[0]
            write(pages, names, folder, args.trailing)
            print(f"== {label} (trailing spaces: {args.trailing}; files in {folder})")
            measure(folder, names, pages.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
