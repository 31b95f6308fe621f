"""esfparse: Swedish ESF documents → validated records → SQLite.

The library the command line is a client of. Every name below is loaded on first use (module
``__getattr__``), so ``import esfparse`` — and ``esfparse --help`` — stays cheap.

>>> import esfparse
>>> "process" in esfparse.__all__ and callable(esfparse.iter_files)
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# public name -> module that defines it
_EXPORTS = {
    # one file through the pipeline
    "process": "pipeline",
    "failure": "pipeline",
    "extract_file": "pipeline",
    "extract_document": "pipeline",
    "MAX_BYTES": "pipeline",
    "MAX_CHARS": "pipeline",
    "PARSER_VERSION": "pipeline",
    "read": "readers",
    "read_bytes": "readers",
    "iter_files": "files",
    # many files
    "run_ingest": "ingest",
    "validate_files": "report",
    "to_gold": "gold",
    "export_db": "export",
    "write_review": "review",
    "open_db": "store",
    # models and the field table
    "Record": "models",
    "Extraction": "models",
    "Problem": "models",
    "Goal": "models",
    "Evidence": "models",
    "DocumentInfo": "models",
    "Document": "document",
    "FIELDS": "fields",
    "EsfparseError": "errors",
    "UnreadableDocument": "errors",
    "PROBLEM_CODES": "errors",
}
# (No name equal to a submodule's: `esfparse.evaluate` stays the module, with its `evaluate`.)
__all__ = [  # the same names as _EXPORTS (a test checks)
    "FIELDS",
    "MAX_BYTES",
    "MAX_CHARS",
    "PARSER_VERSION",
    "PROBLEM_CODES",
    "Document",
    "DocumentInfo",
    "EsfparseError",
    "Evidence",
    "Extraction",
    "Goal",
    "Problem",
    "Record",
    "UnreadableDocument",
    "export_db",
    "extract_document",
    "extract_file",
    "failure",
    "iter_files",
    "open_db",
    "process",
    "read",
    "read_bytes",
    "run_ingest",
    "to_gold",
    "validate_files",
    "write_review",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'esfparse' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next access is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .document import Document
    from .errors import PROBLEM_CODES, EsfparseError, UnreadableDocument
    from .export import export_db
    from .fields import FIELDS
    from .files import iter_files
    from .gold import to_gold
    from .ingest import run_ingest
    from .models import DocumentInfo, Evidence, Extraction, Goal, Problem, Record
    from .pipeline import (
        MAX_BYTES,
        MAX_CHARS,
        PARSER_VERSION,
        extract_document,
        extract_file,
        failure,
        process,
    )
    from .readers import read, read_bytes
    from .report import validate_files
    from .review import write_review
    from .store import open_db
