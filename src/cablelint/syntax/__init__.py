"""The syntax: grammars, parse tables, the LALR runtime, line and field parsers."""
