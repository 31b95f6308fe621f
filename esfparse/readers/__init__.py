"""read(path) -> Document, choosing a reader by the file's content (not its name)."""

from __future__ import annotations

from pathlib import Path

from ..document import Document
from . import text as _text


def read(path: str | Path) -> Document:
    """Read any supported file into a Document."""
    return _text.read(path)
