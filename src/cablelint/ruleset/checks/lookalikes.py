"""Reading a word through OCR and typing look-alikes: which captions a garbled word can be.

Captions are short words from a closed list, and several are close to each other (SIPDIS,
LIMDIS and STADIS; NODIS and EXDIS) and to prose words (STATES, ADDIS), so plain edit distance
cannot tell a garble from another word (cable-format.md §4.11). Instead each letter of a caption
may be written as the letter itself (in either case) or as one of its look-alikes: the characters
an OCR engine or a typist puts in its place (``1``, ``l``, ``|``, ``!`` and ``T`` for ``I``; ``0``,
``Q`` and ``D`` for ``O``; ``rn`` for ``m``; ...). A word reads as a caption when it can be spelt
that way with at least one look-alike and at least half of the caption's letters as themselves.
"""

from __future__ import annotations

from functools import lru_cache

#: What is written in place of each capital letter (the letter itself, in either case, always
#: matches). Single characters and the two- and three-character groups OCR makes of one letter.
LOOK_ALIKES: dict[str, tuple[str, ...]] = {
    "A": ("4", "R", "H"),
    "B": ("8", "3", "R", "E"),
    "C": ("(", "G", "O", "0", "E"),
    "D": ("O", "0", "Q", "o", "cl", "CI", "Cl", "B"),
    "E": ("F", "3", "B", "C"),
    "F": ("P", "E", "T"),
    "G": ("6", "C", "O"),
    "I": ("1", "l", "|", "!", "T", "J", "L", "/"),
    "K": ("R", "X"),
    "L": ("I", "1", "l", "|", "!"),
    "M": ("N", "H", "rn", "RN", "IVI", "nn", "W"),
    "N": ("M", "H", "W", "IV"),
    "O": ("0", "Q", "D", "C", "U", "()", "o"),
    "P": ("F", "R", "B", "9"),
    "R": ("K", "P", "B", "A"),
    "S": ("5", "$", "8", "B"),
    "T": ("I", "1", "l", "7", "Y", "J"),
    "U": ("V", "O", "0"),
    "V": ("U", "Y", "W"),
    "X": ("K", "Y"),
}


@lru_cache(maxsize=4096)  # bounded: a long run meets ever new words
def substitutions(written: str, word: str) -> int | None:
    """The fewest look-alikes with which ``written`` spells ``word`` (upper case), or None when
    it cannot."""
    memo: dict[tuple[int, int], int | None] = {}

    def spell(i: int, j: int) -> int | None:
        key = (i, j)
        if key in memo:
            return memo[key]
        if j == len(word):
            found = 0 if i == len(written) else None
        elif i == len(written):
            found = None
        else:
            letter = word[j]
            found = spell(i + 1, j + 1) if written[i].upper() == letter else None
            for alike in LOOK_ALIKES.get(letter, ()):
                if written.startswith(alike, i):
                    rest = spell(i + len(alike), j + 1)
                    if rest is not None and (found is None or rest + 1 < found):
                        found = rest + 1
        memo[key] = found
        return found

    return spell(0, 0)


def garbled_as(written: str, words: tuple[str, ...]) -> list[str]:
    """The ``words`` (upper-case captions) that ``written`` garbles: spelt with at least one
    look-alike and with at least half of the word's letters as themselves."""
    found = []
    for word in words:
        count = substitutions(written, word)
        if count and count * 2 <= len(word):
            found.append(word)
    return found
