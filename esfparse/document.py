"""The `Document`: normalised text with a line index, page offsets and tables.

Every reader produces one; every parser and extractor reads only from it, so
character offsets mean the same thing everywhere (provenance).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import DocFormat, Evidence

if TYPE_CHECKING:
    from .layout import Block


@dataclass(frozen=True)
class Line:
    """One line of the document: its text and absolute character span."""

    start: int
    end: int
    text: str


@dataclass
class Table:
    """A table as rows of cells, with the page it came from (PDF) and its span."""

    rows: list[list[str]]
    page: int | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Document:
    """Normalised text of one source file plus everything needed to point into it."""

    text: str
    path: str | None = None
    format: DocFormat = "text"
    sha256: str = ""
    encoding: str | None = None
    page_starts: list[int] = field(default_factory=list)  # offset where each page begins
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reader remarks (e.g. encoding fallback)
    boxes: dict[int, tuple[float, float, float, float]] = field(
        default_factory=dict
    )  # PDF: line -> box
    hints: dict[int, str] = field(
        default_factory=dict
    )  # reader's knowledge: line -> "title" (HTML h1)
    _blocks: list[Block] | None = field(default=None, repr=False)
    _line_starts: list[int] | None = field(default=None, repr=False)
    _lines: list[Line] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        return self._line_starts

    def lines(self) -> list[Line]:
        """Every line with its absolute span (line breaks excluded); built once."""
        if self._lines is None:
            text = self.text
            starts = self.line_starts
            ends = [s - 1 for s in starts[1:]] + [len(text)]
            self._lines = [Line(s, e, text[s:e]) for s, e in zip(starts, ends)]
        return self._lines

    def blocks(self) -> list[Block]:
        """The layout blocks (pairs, headings, list items, table rows, furniture, paragraphs); built once."""
        if self._blocks is None:
            from .layout import blocks_of

            self._blocks = blocks_of(self)
        return self._blocks

    def line_number(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def page_at(self, offset: int) -> int | None:
        """1-based page number of a character offset, or None for unpaged sources."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    def evidence(self, start: int, end: int) -> Evidence:
        """The Evidence of a span, with its page for paged sources."""
        return Evidence(start=start, end=end, page=self.page_at(start))

    @property
    def pages(self) -> int:
        return len(self.page_starts) or 1
