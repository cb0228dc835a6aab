"""Maintenance script: rebuild src/cablelint/data/words.txt, the word list of cable prose.

Not imported by cablelint. Run from the repository root with the shared folder beside it::

    python tools/build_words.py            # print the figures only
    python tools/build_words.py --write    # also rewrite words.txt

A word is a run of ASCII letters standing alone (not glued to a digit, an underscore, an
apostrophe or a hyphen, nor after a comma glued to a letter, so that `2nd`, `e-mail`, `don't` and
`we,re` give no `nd`, `e`, `t` or `re`), outside Classified By fields (their words are often split
at the wrap: `a` / `nd (d)`), written in
lower case or capitalised (all-capitals tokens are acronyms, or the text of an all-capitals cable),
of two letters or more (or `a`, `I`), and not a run of x (a redaction). It is kept, lower-cased,
when it occurs in at least MIN_CABLES cables of the corpus: a typo or a truncated word of one
cable (`contrib`) stays out. The truncated forms of lost-accents.yaml (`caf`, `communiqu`) are
damage, not words, and are left out, as are words with a stray Q in front (`qthe`). See
data/README.md ("words.txt").
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "src" / "cablelint" / "data"
CORPUS = ROOT.parent / "shared" / "corpus" / "cablegate"
MIN_CABLES = 2
_TOKEN = re.compile(r"(?<![\w'’-])(?<![A-Za-z],)[A-Za-z]+(?![\w'’-])")
#: A Classified By field, to its first blank line: its words are often split at the wrap.
_CLASSIFIED_BY = re.compile(r"^ *classified by\b.*?(?:\n *\n|\Z)", re.I | re.M | re.S)
HEADER = (
    "# Words of cable prose, lower case, one a line: each in at least 2 corpus cables. "
    "Built by tools/build_words.py; see README.md."
)


def cable_words(text: str) -> set[str]:
    """The words of one cable, lower-cased."""
    found = set()
    for match in _TOKEN.finditer(_CLASSIFIED_BY.sub("", text)):
        token = match.group()
        if len(token) > 1 and token.isupper():
            continue
        if len(token) == 1 and token not in "aI":
            continue
        if not token.strip("xX"):
            continue
        found.add(token.lower())
    return found


def build(corpus: Path = CORPUS) -> tuple[list[str], int]:
    """The sorted word list and the number of cables read."""
    counts: Counter[str] = Counter()
    files = sorted(corpus.glob("*.txt"))
    for path in files:
        counts.update(cable_words(path.read_text(encoding="utf-8")))
    accents = yaml.safe_load((HERE / "lost-accents.yaml").read_text(encoding="utf-8"))
    damaged = {str(entry["form"]).lower() for entry in accents}
    kept = {w for w, n in counts.items() if n >= MIN_CABLES and w not in damaged}
    # A word with a stray Q in front (`Qthe`, an upstream artefact, CBL507) is damage too.
    stray_q = {w for w in kept if w[:1] == "q" and w[1:2] != "u" and w[1:] in kept}
    words = sorted(kept - stray_q)
    return words, len(files)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", action="store_true", help="rewrite src/cablelint/data/words.txt")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"{CORPUS} is absent", file=sys.stderr)
        return 2
    words, cables = build()
    print(f"{len(words)} words in at least {MIN_CABLES} of {cables} cables")
    if args.write:
        (HERE / "words.txt").write_text(HEADER + "\n" + "\n".join(words) + "\n", encoding="utf-8")
        print(f"wrote {HERE / 'words.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
