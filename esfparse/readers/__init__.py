"""read(path) -> Document, choosing a reader by the start of the file's content (not its name).

Bytes that start with ``%PDF-`` (after a byte-order mark or white space) → the PDF reader, whatever
the name. A document that starts (after a BOM, white space, an XML declaration and comments) with a
doctype or an ``<html>``, ``<head>`` or ``<body>`` element → the HTML reader; ``.html``/``.htm`` files
are HTML whatever they start with, and a nameless or otherwise named file that starts with a
tag and closes one too (a fragment) or is mostly tags is HTML as well; a ``.txt`` is never HTML
because of tags quoted in its prose. Anything else that decodes as text → the text reader. A name
that disagrees with the content gets a note (``read.misnamed``), not the wrong reader. Other binary
formats (a ZIP such as .docx saved as .pdf, images, old Office files) are named in the
``UnreadableDocument`` message, so the user knows what the file really is.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

from ..document import Document
from ..errors import UnreadableDocument
from ..names import shown
from . import html as _html
from . import text as _text
from .text import file_bytes

__all__ = ["read", "read_bytes", "sniff"]

_HTML_START_RE = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.I | re.DOTALL,
)
_PDF_START_RE = re.compile(rb"^(?:\xef\xbb\xbf)?[ \t\r\n\f\x00]*%PDF-")
# What each file name ending says the content is; other names say nothing.
_NAMED = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
_HTML_TAG_RE = re.compile(
    r"</?(?:html|head|body|div|p|br|span|a|table|tr|td|th|ul|ol|li|dl|dt|dd|h[1-6]|meta|title|"
    r"script|style|section|article|main|nav|header|footer|strong|em|b|i)\b[^>]*>",
    re.IGNORECASE,
)
_MIN_TAGS = 5
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc, .xls or .ppt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
]
_ZIP_KINDS = [
    ("word/", "a Word document (.docx, a ZIP archive)"),
    ("ppt/", "a PowerPoint presentation (.pptx, a ZIP archive)"),
    ("xl/", "an Excel workbook (.xlsx, a ZIP archive)"),
    ("content.xml", "an OpenDocument file (.odt/.odp/.ods, a ZIP archive)"),
]


def read(path: str | Path) -> Document:
    """Read any supported regular file (text, HTML, PDF) into a Document."""
    return read_bytes(file_bytes(path), shown(path))


def read_bytes(data: bytes, path: str = "<bytes>") -> Document:
    """Read the bytes of any supported file; path is used in messages and kept on the Document."""
    if not data:
        raise UnreadableDocument(path, "empty file")
    kind = sniff(data, path)
    if kind == "pdf":
        from . import pdf as _pdf  # deferred: pypdfium2/pdfplumber load only for PDFs

        doc = _pdf.read_bytes(data, path)
        if named_kind(path) not in (None, "pdf"):
            doc.notes.append(f"named {Path(path).suffix.lower()} but contains pdf")
        return doc
    doc = _html.read_bytes(data, path) if kind == "html" else _text.read_bytes(data, path)
    named = named_kind(path)
    if named and named != kind:
        doc.notes.append(f"named {Path(path).suffix.lower()} but contains {kind}")
    return doc


def named_kind(path: str) -> str | None:
    """The kind a file's name ending promises (``text``, ``html``, ``pdf``), or None."""
    return _NAMED.get(Path(path).suffix.lower())


def sniff(data: bytes, path: str = "<bytes>") -> str:
    """Say which reader fits the bytes: ``pdf``, ``html`` or ``text``; raise for other binaries.

    >>> sniff(b"%PDF-1.7 ...")
    'pdf'
    >>> sniff(b"<!DOCTYPE html><html><body><p>Hej</p></body></html>")
    'html'
    >>> sniff("Projektägare\\nArbetsförmedlingen".encode("cp1252"))
    'text'
    >>> sniff(b"Filerna sparas som %PDF-1.4.", "sida.txt")
    'text'
    >>> sniff(b"Vi talar om <b>, <i>, <p>, <br> och <div>.", "sida.txt")
    'text'
    """
    if _PDF_START_RE.match(data[:1024]):
        return "pdf"
    what = _binary_kind(data)
    if what:
        if path.lower().endswith(".pdf"):
            raise UnreadableDocument(
                path, f"not a PDF: the file is {what}; export it as PDF and try again"
            )
        raise UnreadableDocument(path, f"unsupported format: {what}; save it as PDF, HTML or text")
    named = named_kind(path)
    if named == "html":
        return "html"
    head = _head_text(data)
    if _HTML_START_RE.match(head):
        return "html"
    if named == "text":
        return "text"  # tags further on are quoted in prose
    start = head.lstrip()
    if (
        start.startswith("<")
        and _HTML_TAG_RE.match(start)
        and ("</" in head or len(_HTML_TAG_RE.findall(head)) >= _MIN_TAGS)
    ):
        return "html"  # a fragment such as <p>...</p>
    return "text"


def _binary_kind(data: bytes) -> str | None:
    """Name a known binary format from its magic bytes, or None."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    return None


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged ZIP archive"
    for prefix, what in _ZIP_KINDS:
        if any(n.startswith(prefix) for n in names):
            return what
    return "a ZIP archive"


def _head_text(data: bytes) -> str:
    """The first few kilobytes decoded leniently, enough to spot markup."""
    head = data[:8192]
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(name, "ignore")
    if head[1::2].count(0) > len(head) // 4:
        return head.decode("utf-16-le", "ignore")
    if head[0::2].count(0) > len(head) // 4:
        return head.decode("utf-16-be", "ignore")
    return head.decode("latin-1")
