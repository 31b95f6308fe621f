"""Bytes → normalised text: encoding detection, NFC, unified line breaks.

Encodings are detected, not guessed blindly: a BOM decides first; then UTF-16
without BOM (by the pattern of NUL bytes); other NUL bytes mean binary data;
then strict UTF-8; then the single-byte Western encodings are told apart by
evidence: bytes 0x80–0x9F are printable in cp1252 (curly quotes, dashes, €)
but control codes in latin-1, so text that uses them is cp1252 and text that
does not is latin-1 (the two agree on every other byte). DOS (cp850) and Mac
Roman text is recognised by where Swedish letters land.
No-break and thin spaces are kept as U+00A0 / U+202F in the text only where they
sit between digits (they are thousands separators there, ``4 512 300``); the
money and number extractors accept them. Elsewhere they become plain spaces.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from ..document import Document
from ..errors import UnreadableDocument

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# The simple character rules: zero-width and control characters dropped, odd spaces -> " ". Each is
# looked for with `in` (a C scan) and replaced only when present: a page holds few or none of them, and
# both str.translate with a table and a regex character class cost 50-100x more on non-ASCII text.
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad" + "".join(map(chr, [*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F]))
_ODD_SPACES = "".join(map(chr, [*range(0x2000, 0x2007), *range(0x2008, 0x200B), 0x205F, 0x3000]))
_NO_BREAK_SPACES = "\u00a0\u202f\u2007"  # kept between digits (thousands separators), else " "


def _spaces_outside_numbers(text: str) -> str:
    """Each no-break space not between two digits becomes a plain space."""
    at = sorted(i for c in _NO_BREAK_SPACES if c in text for i in _positions(text, c))
    if not at:
        return text
    out, last = [], 0
    for i in at:
        if not (0 < i < len(text) - 1 and text[i - 1].isdecimal() and text[i + 1].isdecimal()):
            out += [text[last:i], " "]
            last = i + 1
    return "".join(out) + text[last:] if out else text


def _positions(text: str, char: str) -> list[int]:
    found, i = [], text.find(char)
    while i >= 0:
        found.append(i)
        i = text.find(char, i + 1)
    return found


def decode_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes to str, returning (text, encoding name).

    >>> decode_bytes("Projektägare".encode("utf-8"))
    ('Projektägare', 'utf-8')
    >>> decode_bytes("Projektägare".encode("cp1252"))[0]
    'Projektägare'
    >>> decode_bytes("Region".encode("utf-16"))
    ('Region', 'utf-16')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(path, f"invalid {name} text after its byte-order mark") from exc
    utf16 = _guess_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise UnreadableDocument(path, "binary data, not text (try a .pdf or .html file, or convert it to text)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_single_byte(data, path)


def _guess_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


_TEXT_BYTES = bytes(range(9, 14)) + bytes(range(32, 256))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8000]
    if b"\x00" in sample:
        return True  # NUL bytes outside UTF-16/32 text mean binary data
    controls = len(sample.translate(None, _TEXT_BYTES))  # what is left are control bytes
    return controls > 0.05 * max(1, len(sample))


# Swedish letters in each single-byte encoding: the candidate that yields the most of them wins.
_SWEDISH = set("åäöÅÄÖ")
_C1 = bytes(range(0x80, 0xA0))


def _decode_single_byte(data: bytes, path: str) -> tuple[str, str]:
    """cp1252 / latin-1 / cp850 / mac_roman, chosen by evidence in the bytes."""
    best: tuple[int, str, str] | None = None
    for encoding in ("cp1252", "cp850", "mac_roman"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = sum(1 for ch in text if ch in _SWEDISH)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None:  # bytes undefined in cp1252 and the others: latin-1 decodes everything
        return data.decode("latin-1"), "latin-1"
    _, text, encoding = best
    if encoding == "cp1252" and not any(b in _C1 for b in data):
        encoding = "latin-1"  # no byte where the two differ: it is (also) plain latin-1
    return text, encoding


def normalise_text(text: str) -> str:
    """NFC, unified line breaks, meaningful spaces kept; the text every parser sees.

    Each step runs only when the text holds a character it changes (most pages hold none).

    >>> normalise_text("A\\r\\nB\\rC\\u00a0kr 8\\u00a0625")
    'A\\nB\\nC kr 8\\xa0625'
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if not text.isascii():
        for c in _DROP:
            if c in text:
                text = text.replace(c, "")
        for c in _ODD_SPACES:
            if c in text:
                text = text.replace(c, " ")
        text = _spaces_outside_numbers(text)
    elif _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub("", text)
    return text


def document_from_text(text: str, path: str | None = None, fmt: str = "text", sha256: str = "",
                       encoding: str | None = None) -> Document:
    """Build a Document from already-decoded text (normalising it)."""
    norm = normalise_text(text)
    if not sha256:
        sha256 = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    return Document(text=norm, path=path, format=fmt, sha256=sha256, encoding=encoding)


def read_bytes(data: bytes, path: str = "<bytes>") -> Document:
    """Decode and normalise a plain-text source."""
    if not data:
        raise UnreadableDocument(path, "empty file")
    text, encoding = decode_bytes(data, path)
    if not text.strip():
        raise UnreadableDocument(path, "empty file (only whitespace)")
    from ..layout import unwrap_dump  # a hard-wrapped dump (w3m, lynx) gets its paragraphs back

    doc = document_from_text(unwrap_dump(text), path=path, sha256=hashlib.sha256(data).hexdigest(),
                             encoding=encoding)
    if encoding not in ("utf-8", "utf-8-sig"):
        doc.notes.append(f"decoded as {encoding}")
    return doc


def file_bytes(path: str | Path) -> bytes:
    """The bytes of a file, or UnreadableDocument saying why they cannot be read."""
    p = Path(path)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(str(p), f"cannot read file ({exc.strerror or exc})") from exc


def read(path: str | Path) -> Document:
    """Read a plain-text file into a Document."""
    return read_bytes(file_bytes(path), str(path))
