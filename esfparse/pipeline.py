"""read → classify → parse → validate → check, for one file: the four calls in one place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks import check, cut_off_values
from .classify import NOT_ESF, classify_genre
from .document import Document
from .errors import PROBLEM_CODES, EsfparseError, UnreadableDocument
from .models import DocumentInfo, Extraction, Problem, Record
from .names import shown
from .parsers.call import parse_call
from .parsers.header import read_header
from .parsers.presentation import parse_presentation
from .parsers.project_page import parse_project_page
from .parsers.report import find_identity, parse_report
from .readers import read_bytes, sniff
from .readers import text as _text

PARSER_VERSION = "2"  # 2: per-document header rows moved to project_pages
# A reader's note -> problem code, by the note's first word.
_NOTE_CODES = {
    "decoded": "read.encoding_fallback",
    "named": "read.misnamed",
    "mixed": "decode.mixed_encoding",
    "mojibake": "decode.mojibake_repaired",
    "incomplete": "read.incomplete_end",
}


def parse(doc: Document) -> tuple[Record, list[Problem]]:
    """Parse a Document into a validated Record plus the problems met on the way."""
    header = read_header(doc)
    genre = classify_genre(doc, header)
    if genre.reason == NOT_ESF:  # not ESF material: nothing is extracted from it
        return _validate(
            {"kind": "unknown", "kind_confidence": genre.confidence, "kind_reason": genre.reason}
        )
    if genre.kind == "project_page":
        data = parse_project_page(doc, header)
    elif genre.kind == "call":
        data = parse_call(doc, header)
    elif genre.kind == "report":
        data = parse_report(doc)
    else:  # presentations and write-ups; unknown texts keep the entities they state too
        data = parse_presentation(doc)
        find_identity(doc, data)
        if genre.kind == "unknown":
            data.update(kind="unknown", layout=None)
    data.update(kind_confidence=genre.confidence, kind_reason=genre.reason)
    return _validate(data)


def _validate(data: dict[str, Any]) -> tuple[Record, list[Problem]]:
    """`Record.model_validate`, turning each invalid field into a Problem and dropping it."""
    problems: list[Problem] = []
    for _ in range(20):
        try:
            return Record.model_validate(data), problems
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            for err in exc.errors():
                problems.append(
                    Problem(
                        code="parse.invalid_field",
                        severity="error",
                        field=".".join(str(p) for p in err["loc"]),
                        message=err["msg"],
                    )
                )
            data = {k: v for k, v in data.items() if k not in bad or k == "kind"}
    return Record(kind=data.get("kind", "unknown")), problems


def info(doc: Document) -> DocumentInfo:
    """The DocumentInfo row for a Document."""
    return DocumentInfo(
        path=doc.path or "<text>",
        format=doc.format,
        sha256=doc.sha256,
        encoding=doc.encoding,
        chars=len(doc.text),
        pages=doc.pages,
    )


def extract_document(doc: Document) -> Extraction:
    """Parse and check an already-read Document."""
    record, problems = parse(doc)
    record, cut = cut_off_values(record, doc)
    problems += cut + check(record, doc)
    for note in doc.notes:
        code = _NOTE_CODES.get(note.split(" ", 1)[0], "read.partial")
        problems.append(Problem(code=code, severity=PROBLEM_CODES[code][0], message=note))  # type: ignore[arg-type]
    return Extraction(document=info(doc), record=record, problems=problems)


# A project page is ~20 kB and a long presentation a few hundred kB of text. Anything far beyond is
# not one document (a concatenated dump, a log file), and would cost minutes and hundreds of MB.
MAX_BYTES = _text.MAX_BYTES  # refused before reading; no read goes beyond it
MAX_CHARS = 2_000_000  # refused after decoding, before parsing


def extract_path(path: str | Path) -> tuple[Any, Any]:
    """Read, parse and check one file within the size limits: (Extraction, Document).

    The file is opened once: anything but a regular file is refused, its size is taken from the open
    file, and no read goes beyond MAX_BYTES. Raises UnreadableDocument for a file that cannot be
    read or is too large to be one document.
    """
    name = shown(path)
    with _text.open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_BYTES:
            raise _text.too_large(name, f"{size / 1e6:.0f} MB")
        head = _text.read_capped(f, name, MAX_BYTES, chunk=8192)
        # Plain text has at least one character per 4 bytes (UTF-8, UTF-16, UTF-32): refuse before reading.
        if size > 4 * MAX_CHARS and _sniffs_text(head, name):
            raise _too_long(name, f"{size / 1e6:.0f} MB of text")
        data = (
            head + _text.read_capped(f, name, MAX_BYTES - len(head)) if len(head) == 8192 else head
        )
    doc = read_bytes(data, name)
    if len(doc.text) > MAX_CHARS:
        raise _too_long(name, f"{len(doc.text):,} characters")
    return extract_document(doc), doc


def _too_long(path: str | Path, what: str) -> UnreadableDocument:
    return UnreadableDocument(
        str(path),
        f"too long for one document ({what}; the limit is {MAX_CHARS:,} "
        "characters): split it into one file per page or presentation",
    )


def _sniffs_text(head: bytes, name: str) -> bool:
    """True when a file's first bytes are neither PDF, HTML nor another known binary format."""
    try:
        return sniff(head, name) == "text"
    except EsfparseError:
        return False  # reading it will say why


def process(path: str | Path) -> tuple[Extraction, Document]:
    """The one way a file goes through esfparse: read, parse and check it within the size limits.

    `extract`, `ingest`, `validate`, `review` and `serve` all come here, so they share the limits
    (MAX_BYTES, MAX_CHARS) and, through `failure`, the problem code and message of a file that stops.
    Returns (Extraction, Document); raises UnreadableDocument (an EsfparseError) for a file that cannot
    be read or is too large to be one document, and lets a bug's exception through.
    """
    return extract_path(path)


def failure(exc: BaseException) -> tuple[str, str]:
    """(problem code, message without the file's name) for the exception that stopped `process`.

    `read.unreadable` with the reason for a file esfparse refuses; `parse.internal_error` for a bug.
    """
    if isinstance(exc, EsfparseError):
        return "read.unreadable", getattr(exc, "reason", None) or str(exc)
    return (
        "parse.internal_error",
        f"internal error {type(exc).__name__}: {exc} (rerun with --debug)",
    )


def extract_file(path: str | Path) -> Extraction:
    """Read, parse and check one file. Raises UnreadableDocument for files that cannot be read."""
    return extract_path(path)[0]


__all__ = [
    "PARSER_VERSION",
    "UnreadableDocument",
    "extract_document",
    "extract_file",
    "extract_path",
    "failure",
    "parse",
    "process",
]
