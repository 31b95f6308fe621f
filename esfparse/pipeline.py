"""read → classify → parse → validate → check, for one file: the four calls in one place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks import check
from .classify import classify
from .document import Document
from .errors import PROBLEM_CODES, UnreadableDocument
from .models import DocumentInfo, Extraction, Problem, Record
from .parsers.header import read_header
from .parsers.presentation import parse_presentation
from .parsers.project_page import parse_project_page
from .readers import read

PARSER_VERSION = "1"
# A reader's note -> problem code, by the note's first word.
_NOTE_CODES = {"decoded": "read.encoding_fallback", "named": "read.misnamed"}


def parse(doc: Document) -> tuple[Record, list[Problem]]:
    """Parse a Document into a validated Record plus the problems met on the way."""
    header = read_header(doc)
    kind = classify(doc, header)
    if kind == "project_page":
        data = parse_project_page(doc, header)
    elif kind == "presentation":
        data = parse_presentation(doc)
    else:
        data = {"kind": "unknown"}
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
                problems.append(Problem(code="parse.invalid_field", severity="error", field=".".join(
                    str(p) for p in err["loc"]), message=err["msg"]))
            data = {k: v for k, v in data.items() if k not in bad or k == "kind"}
    return Record(kind=data.get("kind", "unknown")), problems


def info(doc: Document) -> DocumentInfo:
    """The DocumentInfo row for a Document."""
    return DocumentInfo(path=doc.path or "<text>", format=doc.format, sha256=doc.sha256,  # type: ignore[arg-type]
                        encoding=doc.encoding, chars=len(doc.text), pages=doc.pages)


def extract_document(doc: Document) -> Extraction:
    """Parse and check an already-read Document."""
    record, problems = parse(doc)
    problems += check(record, doc)
    for note in doc.notes:
        code = _NOTE_CODES.get(note.split(" ", 1)[0], "read.partial")
        problems.append(Problem(code=code, severity=PROBLEM_CODES[code][0], message=note))  # type: ignore[arg-type]
    return Extraction(document=info(doc), record=record, problems=problems)


def extract_file(path: str | Path) -> Extraction:
    """Read, parse and check one file. Raises UnreadableDocument for files that cannot be read."""
    return extract_document(read(path))


__all__ = ["parse", "extract_file", "extract_document", "UnreadableDocument", "PARSER_VERSION"]
