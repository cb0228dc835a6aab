"""Built-in checks, one module per rule family; importing this package registers them all."""

from . import (  # noqa: F401
    banner,
    declarative,
    document,
    garbles,
    header,
    lines,
    metadata,
    paragraphs,
    residue,
    text,
    tool,
)
