"""The grammars' tables for this process: read from the per-user cache, or built by grammars.py
(with Lark) when the cache lacks them. Lark is imported only on that path."""

from __future__ import annotations

from functools import cache

from cablelint.syntax.tables import (
    FieldTables,
    InlineTables,
    ResidueTables,
    StructureTables,
    cached_tables,
)


@cache
def structure_tables() -> StructureTables:
    """cable.lark's tables."""
    return cached_tables("cable.lark", _build("structure_tables"))


@cache
def field_tables() -> FieldTables:
    """fields.lark's tables."""
    return cached_tables("fields.lark", _build("field_tables"))


@cache
def inline_tables() -> InlineTables:
    """inline.lark's tables."""
    return cached_tables("inline.lark", _build("inline_tables"))


def _build(name: str):
    def build():
        from cablelint.syntax import grammars  # imports Lark

        return getattr(grammars, name)()

    return build


@cache
def residue_tables() -> ResidueTables:
    """residue.lark's tables."""
    return cached_tables("residue.lark", _build("residue_tables"))
