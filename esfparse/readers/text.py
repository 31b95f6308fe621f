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
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import BinaryIO

from ..document import Document
from ..errors import UnreadableDocument
from ..models import DocFormat
from ..names import shown

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
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad" + "".join(
    map(chr, [*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
)
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
    text, encoding, _ = decode_text(data, path)
    return text, encoding


def decode_text(data: bytes, path: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode bytes to (text, encoding name, notes on what was repaired).

    UTF-8 is decoded strictly. Bytes cut off at the very end (a download that stopped inside a
    character) are dropped with a note. A UTF-8 text with some runs that are not UTF-8 (a line
    pasted from a Windows-1252 file) keeps its UTF-8 and has only those runs read as Windows-1252,
    with a ``mixed encoding`` note naming the lines. Mojibake (UTF-8 once read as Windows-1252 or
    Mac Roman: ``KompetensfÃ¶rsÃ¶rjning``) is repaired with a note.

    >>> decode_text("Stöd: ".encode() + "Östra".encode("cp1252"))
    ('Stöd: Östra', 'utf-8', ['mixed encoding: line 1 was not UTF-8 and read as Windows-1252'])
    >>> decode_text("Beviljat ESF-stö".encode()[:-1])
    ('Beviljat ESF-st', 'utf-8', ['incomplete character at the end of the file (1 byte dropped): the file is cut off'])
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _repaired(data.decode(name), name, [])
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(
                    path, f"invalid {name} text after its byte-order mark"
                ) from exc
    utf16 = _guess_utf16(data)
    if utf16:
        try:
            return _repaired(data.decode(utf16), utf16, [])
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise UnreadableDocument(
            path, "binary data, not text (try a .pdf or .html file, or convert it to text)"
        )
    notes: list[str] = []
    cut = _incomplete_tail(data)
    if cut:
        data = data[:-cut]
        notes.append(
            f"incomplete character at the end of the file ({cut} byte{'s' if cut > 1 else ''} "
            "dropped): the file is cut off"
        )
    try:
        return _repaired(data.decode("utf-8"), "utf-8", notes)
    except UnicodeDecodeError:
        pass
    if _utf8_sequences(data) >= _invalid_bytes(
        data
    ):  # mostly UTF-8: repair only the runs that are not
        text = data.decode("utf-8", _CP1252_RUNS)
        lines = _lines_of(data)
        listed = ", ".join(map(str, lines[:10])) + (" ..." if len(lines) > 10 else "")
        where = f"line {listed} was" if len(lines) == 1 else f"lines {listed} were"
        notes.append(f"mixed encoding: {where} not UTF-8 and read as Windows-1252")
        return _repaired(text, "utf-8", notes)
    text, encoding = _decode_single_byte(data, path)
    return _repaired(text, encoding, notes)


def _incomplete_tail(data: bytes) -> int:
    """How many bytes at the end start a UTF-8 character that the end cuts off (0 when none)."""
    for n in (1, 2, 3):
        if len(data) < n:
            break
        lead = data[-n]
        if 0x80 <= lead < 0xC0:
            continue  # a continuation byte: look further back
        needed = (
            2
            if 0xC2 <= lead < 0xE0
            else 3
            if 0xE0 <= lead < 0xF0
            else 4
            if 0xF0 <= lead < 0xF5
            else 0
        )
        if needed > n and all(0x80 <= b < 0xC0 for b in data[len(data) - n + 1 :]):
            try:
                data[:-n].decode("utf-8")
            except UnicodeDecodeError:
                return 0  # not UTF-8 anyway: the single-byte decoding keeps the bytes
            return n
        return 0
    return 0


_UTF8_SEQ_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _utf8_sequences(data: bytes) -> int:
    return len(_UTF8_SEQ_RE.findall(data))


def _invalid_bytes(data: bytes) -> int:
    return sum(e - s for s, e in _invalid_spans(data))


def _invalid_spans(data: bytes) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    at = 0
    while True:
        try:
            data[at:].decode("utf-8")
            return spans
        except UnicodeDecodeError as exc:
            spans.append((at + exc.start, at + exc.end))
            at += exc.end


def _lines_of(data: bytes) -> list[int]:
    """1-based line numbers holding bytes that are not UTF-8."""
    return sorted({data.count(b"\n", 0, start) + 1 for start, _ in _invalid_spans(data)})


def _cp1252_runs(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: the bytes UTF-8 cannot decode, read as Windows-1252 (latin-1 where undefined)."""
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in bad), exc.end


_CP1252_RUNS = "esfparse-cp1252-runs"
codecs.register_error(_CP1252_RUNS, _cp1252_runs)


# Mojibake: UTF-8 bytes once decoded as a single-byte encoding. A lead byte's character followed by
# continuation bytes' characters, re-encoded, must decode as UTF-8 to a Latin letter or punctuation.
# A no-break space is never part of one: text with U+00A0 between words is common, `à` in Swedish rare.
def _mojibake_re(encoding: str) -> re.Pattern[str]:
    def chars(lo: int, hi: int) -> str:
        return "".join(bytes([b]).decode(encoding, "ignore") for b in range(lo, hi)).replace(
            "\xa0", ""
        )

    return re.compile(f"[{re.escape(chars(0xC2, 0xF0))}][{re.escape(chars(0x80, 0xC0))}]{{1,2}}")


_MOJIBAKE = [(enc, _mojibake_re(enc)) for enc in ("cp1252", "mac_roman")]


def _plausible(ch: str) -> bool:
    """A character Swedish text in UTF-8 is made of: Latin-1 and Latin Extended-A letters and signs,
    general punctuation, €."""
    return 0xA1 <= ord(ch) < 0x180 or 0x2010 <= ord(ch) < 0x2070 or ch == "€"


def repair_mojibake(text: str) -> tuple[str, int]:
    """(text with mojibake runs decoded back, how many were repaired).

    >>> repair_mojibake("KompetensfÃ¶rsÃ¶rjning i Ã–stra och V√§stra")
    ('Kompetensförsörjning i Östra och Västra', 4)
    >>> repair_mojibake("Östra Mellansverige – Åre")
    ('Östra Mellansverige – Åre', 0)
    """
    count = 0
    for encoding, pattern in _MOJIBAKE:

        def fix(m: re.Match[str], encoding: str = encoding) -> str:
            nonlocal count
            try:
                ch = m.group().encode(encoding).decode("utf-8")
            except UnicodeError:
                return m.group()
            if len(ch) != 1 or not _plausible(ch):
                return m.group()
            count += 1
            return ch

        if pattern.search(text):
            text = pattern.sub(fix, text)
    return text, count


def _repaired(text: str, encoding: str, notes: list[str]) -> tuple[str, str, list[str]]:
    text, count = repair_mojibake(text)
    if count:
        notes = [
            *notes,
            f"mojibake repaired: {count} character{'s' if count > 1 else ''} were UTF-8 once read "
            "as a single-byte encoding (e.g. Ã¶ for ö)",
        ]
    return text, encoding, notes


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
        text = (
            text.replace("\r\n", "\n")
            .replace("\r", "\n")
            .replace("\u2028", "\n")
            .replace("\u2029", "\n")
        )
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


def document_from_text(
    text: str,
    path: str | None = None,
    fmt: DocFormat = "text",
    sha256: str = "",
    encoding: str | None = None,
) -> Document:
    """Build a Document from already-decoded text (normalising it)."""
    norm = normalise_text(text)
    if not sha256:
        sha256 = hashlib.sha256(norm.encode("utf-8")).hexdigest()
    return Document(text=norm, path=path, format=fmt, sha256=sha256, encoding=encoding)


def read_bytes(data: bytes, path: str = "<bytes>") -> Document:
    """Decode and normalise a plain-text source."""
    if not data:
        raise UnreadableDocument(path, "empty file")
    text, encoding, notes = decode_text(data, path)
    if not text.strip():
        raise UnreadableDocument(path, "empty file (only whitespace)")
    if "\ufffd" in text:
        raise UnreadableDocument(
            path,
            f"damaged text: {text.count(chr(0xFFFD))} replacement character(s) "
            f"(U+FFFD, the first on line {text[: text.index(chr(0xFFFD))].count(chr(10)) + 1}) "
            "stand for letters lost in an earlier conversion; find an undamaged copy",
        )
    from ..layout import unwrap_dump  # a hard-wrapped dump (w3m, lynx) gets its paragraphs back

    doc = document_from_text(
        unwrap_dump(text), path=path, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding
    )
    if encoding not in ("utf-8", "utf-8-sig"):
        doc.notes.append(f"decoded as {encoding}")
    doc.notes += notes
    return doc


# ---------------------------------------------------------------- opening files

MAX_BYTES = 100_000_000  # no file is read beyond this (plus one byte, to know it is larger)
_NOT_REGULAR = [
    (stat.S_ISFIFO, "a FIFO, a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
]


def open_regular(path: str | Path) -> BinaryIO:
    """The open file at path, or UnreadableDocument when it cannot be opened or is not a regular file.

    The file is opened first (without blocking, so a FIFO with no writer does not hang) and the open
    file is examined: a symlink to a regular file is read, one to a device or pipe is refused.
    """
    name = shown(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        what = _kind_at(path)  # a socket cannot be opened at all
        reason = (
            f"not a regular file ({what}); only regular files are read"
            if what
            else f"cannot read file ({exc.strerror or exc})"
        )
        raise UnreadableDocument(name, reason) from exc
    try:
        what = _kind(os.fstat(fd).st_mode)
        if what:
            raise UnreadableDocument(
                name, f"not a regular file ({what}); only regular files are read"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(mode: int) -> str | None:
    return next((what for test, what in _NOT_REGULAR if test(mode)), None)


def _kind_at(path: str | Path) -> str | None:
    try:
        return _kind(os.stat(path).st_mode)
    except OSError:
        return None


def read_capped(f: BinaryIO, path: str, limit: int = MAX_BYTES, chunk: int | None = None) -> bytes:
    """The rest of an open file, at most `limit` bytes: a file that grows or lies about its size is refused.

    With `chunk`, only the next `chunk` bytes (fewer at the end of the file).
    """
    try:
        data = f.read(min(chunk, limit + 1) if chunk else limit + 1)
    except OSError as exc:
        raise UnreadableDocument(path, f"cannot read file ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise too_large(path, f"more than {limit / 1e6:.0f} MB")
    return data


def too_large(path: str, size: str) -> UnreadableDocument:
    return UnreadableDocument(
        path,
        f"file too large ({size}; the limit is {MAX_BYTES / 1e6:.0f} MB): "
        "split it into one file per document",
    )


def file_bytes(path: str | Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file (at most `limit`), or UnreadableDocument saying why they cannot be read."""
    with open_regular(path) as f:
        return read_capped(f, shown(path), limit)


def read(path: str | Path) -> Document:
    """Read a plain-text file into a Document."""
    return read_bytes(file_bytes(path), shown(path))
