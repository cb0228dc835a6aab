"""The default profile stays quiet on what real cables legitimately do (the catalogue issue):
reflowed paragraphs, a doubled SIPDIS, comma apostrophes, a DE filing time a few minutes after
the DTG. Each variation is applied to a clean example cable, alone and all together."""

from __future__ import annotations

from pathlib import Path

import pytest

from cablelint.engine.api import lint_text

CLEAN = (Path(__file__).parents[1] / "examples" / "clean" / "09VALLETTA412.txt").read_text(
    encoding="utf-8"
)

PARAGRAPH_3 = (
    "¶3. (SBU) Local press coverage has focused on the costs of the\n"
    "new detention facility, which opened in May.\n"
)
REFLOWED_3 = (
    "¶3. (SBU) Local press coverage has focused on\n"
    "the costs of the new detention facility,\n"
    "which opened in May.\n"
)

VARIATIONS = {
    "reflowed paragraph": (PARAGRAPH_3, REFLOWED_3),
    "doubled SIPDIS": ("\nSIPDIS\n\n", "\nSIPDIS\n\nSIPDIS\n\n"),
    "comma apostrophe": ("in its search and rescue zone", "in Malta,s search and rescue zone"),
    "DE filed minutes after the DTG": ("DE RUEHVT #0412/01 1541015", "DE RUEHVT #0412/01 1541019"),
}


def vary(text: str, names: list[str]) -> str:
    for name in names:
        old, new = VARIATIONS[name]
        assert text.count(old) == 1, name
        text = text.replace(old, new)
    return text


def test_the_clean_example_is_clean() -> None:
    assert lint_text(CLEAN) == []


@pytest.mark.parametrize("name", sorted(VARIATIONS))
def test_a_legitimate_variation_is_not_reported(name: str) -> None:
    assert lint_text(vary(CLEAN, [name])) == []


def test_all_variations_together_are_not_reported() -> None:
    assert lint_text(vary(CLEAN, sorted(VARIATIONS))) == []


def test_the_variations_are_findings_where_they_should_be() -> None:
    """The variations are real: the opt-in checks see them, and a true garble is still caught."""
    comma = vary(CLEAN, ["comma apostrophe"])
    assert [d.code for d in lint_text(comma, select=["CBL501"])] == ["CBL501"]
    timed = {"CBL102": {"check-time": True}}
    late = vary(CLEAN, ["DE filed minutes after the DTG"])
    assert lint_text(late, select=["CBL102"], options=timed) == []
    early = CLEAN.replace("#0412/01 1541015", "#0412/01 1540815")
    assert [d.code for d in lint_text(early, select=["CBL102"], options=timed)] == ["CBL102"]
    garbled = CLEAN.replace("\nSIPDIS\n\n", "\nSIPDIS\n\nSTPDTS\n\n")
    assert [d.code for d in lint_text(garbled)] == ["CBL204"]
