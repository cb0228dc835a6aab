"""Bytes to text and position arithmetic.

The text is never normalised: CR, CRLF, NUL and form feeds stay where they are so that rules can
see them and a fix can write the file back byte for byte. Lines end as
:mod:`cablelint.syntax.lines` says (at a ``\\n`` or a lone CR). The one exception: a file whose
every line ends with a lone CR (classic Mac OS) is read with its CRs as line feeds
(``cr_lines``) and written back with CRs, as a BOM is dropped when read and written back.
"""

from __future__ import annotations

from bisect import bisect_right

from cablelint.model.diagnostics import Span
from cablelint.support.records import field, record
from cablelint.syntax.lines import ends_with_line_end, line_starts, split_lines

BOM = "\ufeff"
BINARY_SAMPLE = 8192
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_new = tuple.__new__  # a NamedTuple made without the call of its generated constructor


#: Decode issues a conversion of the file to UTF-8 resolves (CBL001's fix).
CONVERTIBLE = frozenset({"cp1252", "utf16"})
_UTF16_BOMS = (
    (b"\xff\xfe", "utf-16-le", "little-endian"),
    (b"\xfe\xff", "utf-16-be", "big-endian"),
)


@record
class DecodeIssue:
    """Something noticed while decoding: ``kind`` is cp1252, utf16, replacement, bom or binary.

    ``offset`` is the character offset the issue is about (the first undecodable byte).
    """

    kind: str
    message: str
    offset: int = 0


#: C0 and C1 control characters but TAB, as ``\\xNN``.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c != 0x09}


def escape_controls(text: str) -> str:
    """``text`` with control characters but TAB escaped as ``\\xNN``: safe for a terminal."""
    return text if text.isprintable() else text.translate(_CONTROLS)


def shown_path(path: str) -> str:
    """A file name as output shows it: undecodable bytes (surrogate escapes of ``os.fsdecode``)
    and control characters as ``\\xNN``, so that it is one line of valid UTF-8."""
    if path.isprintable():
        return path
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no decoding made
        raw = path.encode("utf-8", "backslashreplace")
    return escape_controls(raw.decode("utf-8", "backslashreplace")).replace("\t", "\\x09")


class LineIndex:
    """Maps character offsets to 1-based (line, column) and back; lines end as
    :func:`~cablelint.syntax.lines.split_lines` ends them."""

    __slots__ = ("_starts", "length", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self._starts: list[int] | None = None

    @property
    def line_starts(self) -> list[int]:
        """The offset of each line, split when first asked for (unless :meth:`adopt` gave it).

        Every piece of the split counts, so the last start is that of the text after the last
        line end (an empty line when the text ends with one).
        """
        starts = self._starts
        if starts is None:
            starts = self._starts = line_starts(split_lines(self.text))
        return starts

    def adopt(self, starts: list[int]) -> None:
        """Take the line starts from a split of this text already made (the parser's line
        table): ``starts`` of its lines, without the empty piece after a final ``\\n``."""
        if self._starts is None:
            text = self.text
            self._starts = [*starts, len(text)] if not text or ends_with_line_end(text) else starts

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """The span of ``start:end`` (an offset outside the text is placed as by ``position``)."""
        if not 0 <= start <= end <= self.length:
            return Span(start, end, *self.position(start), *self.position(end))
        starts = self.line_starts
        line = bisect_right(starts, start)
        if line < len(starts) and end < starts[line]:  # one line: the common case
            line_start = starts[line - 1]
            return _new(
                Span, (start, end, line, start - line_start + 1, line, end - line_start + 1)
            )
        end_line = bisect_right(starts, end, line)
        return _new(
            Span,
            (
                start,
                end,
                line,
                start - starts[line - 1] + 1,
                end_line,
                end - starts[end_line - 1] + 1,
            ),
        )

    def offset(self, line: int, column: int = 1) -> int:
        return self.line_starts[line - 1] + column - 1

    def line_bounds(self, line: int, text: str) -> tuple[int, int]:
        """Start and end offsets of ``line`` without its line end (a CR of a CRLF included)."""
        starts = self.line_starts
        return starts[line - 1], (starts[line] - 1 if line < len(starts) else len(text))


@record
class SourceText:
    """Decoded text plus what is needed to write it back faithfully."""

    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    issues: tuple[DecodeIssue, ...] = ()
    cr_lines: bool = False  # every line end was a lone CR, read as ``\n`` (written back as CR)
    index: LineIndex = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", LineIndex(self.text))

    @property
    def lossy(self) -> bool:
        """True when decoding replaced bytes, so writing back would lose data."""
        return any(i.kind in ("replacement", "binary") for i in self.issues)

    @property
    def binary(self) -> bool:
        return any(i.kind == "binary" for i in self.issues)

    def with_text(self, text: str) -> SourceText:
        """``text`` (a fixed version of this one) to be written as this one is: same encoding,
        BOM and newline; its decode issues found again, so that their offsets fit ``text``."""
        if not self.issues or text == self.text:
            return SourceText(
                text, self.encoding, self.bom, self.newline, self.issues, self.cr_lines
            )
        try:
            again = decode(self.encode(text))
        except UnicodeEncodeError:  # not writable anyway (the writer says so): keep the issues
            again = None
        if again is None or again.text != text:
            return SourceText(
                text, self.encoding, self.bom, self.newline, self.issues, self.cr_lines
            )
        return SourceText(text, self.encoding, self.bom, self.newline, again.issues, self.cr_lines)

    def converted(self, encoding: str = "utf-8") -> SourceText:
        """This text to be written in ``encoding`` (no BOM), without the issues that resolves."""
        issues = tuple(i for i in self.issues if i.kind not in CONVERTIBLE)
        return SourceText(self.text, encoding, False, self.newline, issues, self.cr_lines)

    def encode(self, text: str) -> bytes:
        """Encode ``text`` the way the original was encoded (same codec, BOM and CR lines)."""
        if self.cr_lines:
            text = text.replace("\n", "\r")
        data = text.encode(self.encoding)
        return (BOM.encode(self.encoding) if self.bom else b"") + data


def detect_newline(text: str) -> str:
    """The dominant line ending: ``\\n``, ``\\r\\n`` or ``\\r``."""
    if "\r" not in text:  # the common case, in one scan instead of four
        return "\n"
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    best = max((lf, "\n"), (crlf, "\r\n"), (cr, "\r"))
    return best[1] if best[0] else "\n"


def looks_binary(data: bytes) -> bool:
    """A NUL-heavy or control-heavy sample: not a text file at all."""
    sample = data[:BINARY_SAMPLE]
    if not any(map(sample.__contains__, _CONTROL_BYTES)):
        return False  # the common case: a search per byte value (memchr) costs less than a count
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return sample.count(0) > len(sample) // 100 or controls > len(sample) // 10


def _utf16(data: bytes) -> SourceText | None:
    """A text file in UTF-16 with a byte-order mark, or None."""
    for bom, codec, order in _UTF16_BOMS:
        if data.startswith(bom) and not data.startswith(b"\xff\xfe\x00\x00"):  # not UTF-32
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
            if looks_binary(text.encode("utf-8", "surrogatepass")):
                return None
            message = f"file is UTF-16 ({order}, with a byte-order mark), not UTF-8"
            issue = DecodeIssue("utf16", message)
            return SourceText(text, codec, True, detect_newline(text), (issue,))
    return None


def _not_utf8(body: bytes, start: int) -> str:
    """The CP1252 issue's message: the byte at ``start`` and what it is in CP1252."""
    byte = body[start]
    return (
        f"not valid UTF-8: byte 0x{byte:02X}; the file is decoded as CP1252, "
        f"which reads it as {bytes([byte]).decode('cp1252')!r}"
    )


def decode(data: bytes) -> SourceText:
    """UTF-8 first (BOM noticed), CP1252 as a fallback, replacement characters as a last resort.

    A file with a UTF-16 byte-order mark is decoded as UTF-16.
    """
    if data[:1] in (b"\xff", b"\xfe"):
        utf16 = _utf16(data)
        if utf16 is not None:
            return utf16
    issues: list[DecodeIssue] = []
    binary = looks_binary(data)
    if binary:
        issues.append(DecodeIssue("binary", "file looks binary (NUL or control bytes)"))
    bom = data.startswith(b"\xef\xbb\xbf")
    skipped = 3 if bom else 0
    body = data[skipped:]
    if bom:
        issues.append(DecodeIssue("bom", "file starts with a UTF-8 byte-order mark"))
    try:
        text, encoding = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        try:
            text, encoding = body.decode("cp1252"), "cp1252"
            # CP1252 has a character per byte: the byte's offset is its character's.
            issues.append(DecodeIssue("cp1252", _not_utf8(body, exc.start), exc.start))
        except UnicodeDecodeError:
            text, encoding = body.decode("utf-8", errors="replace"), "utf-8"
            issues.append(
                DecodeIssue(
                    "replacement",
                    f"neither UTF-8 nor CP1252 (byte {skipped + exc.start}); "
                    "undecodable bytes replaced",
                    len(body[: exc.start].decode("utf-8")),  # a character offset, not a byte one
                )
            )
    if not binary and "\r" in text and "\n" not in text:
        return SourceText(text.replace("\r", "\n"), encoding, bom, "\r", tuple(issues), True)
    return SourceText(text, encoding, bom, detect_newline(text), tuple(issues))


def from_text(text: str) -> SourceText:
    """A SourceText for text that never was bytes (tests, standard input already decoded)."""
    return SourceText(text, "utf-8", False, detect_newline(text), ())
