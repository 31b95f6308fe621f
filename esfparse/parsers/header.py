"""The header block of a project page: label/value pairs in any of the project bank's layouts.

The pairs are the layout's ``pair`` blocks (``esfparse.layout``), whatever separates label and
value: a colon, a tab, two or more spaces, one space in a run of pairs, nothing (glued), or a line
break (stacked, also indented as a definition list). Three shapes cover every layout the project
bank has used:
- glued (2007–13): ``Beviljat ESF-stöd4 512 300 kr`` — label and value on one line;
- stacked (2014–20): ``Projektägare`` on one line, the value on the next;
- colon (newer, ESF+ and Kohesio): ``Projektägare:`` then the value on the next line,
  or ``Start date: 1 September 2023`` on one line.
The label vocabulary lives in ``data/labels.json``; unknown ``Label:`` lines inside
the block are kept as extra fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import load_json
from ..document import Document
from ..layout import Block

# An ESF+ diarienummer (`23-101-S05`) or a project number (`2019/00446`) ...
ESFPLUS_DNR_RE = re.compile(r"^\d{2}-\d{3}-S\d{2}$")
# ... opening a title line: `23-101-S05 - Titel`.
ID_TITLE_RE = re.compile(
    r"^\s*(?P<id>\d{2}-\d{3}-S\d{2}|\d{4}/\d{4,6})\s+[-–]\s+(?P<title>\S.*?)\s*$", re.MULTILINE
)


@dataclass(frozen=True)
class HeaderField:
    """One label/value pair with the spans of the value and of the whole pair."""

    field: str | None  # canonical field name, None for an unknown label
    label: str
    value: str
    start: int  # value span
    end: int
    quote_start: int  # label through value
    style: str  # glued | stacked | colon | inline (a tab, spaces or a table cell between them)


@dataclass
class Header:
    """The header block: its fields and the line range it occupies."""

    fields: list[HeaderField]
    first_line: int
    last_line: int  # inclusive index of the block's last line

    def get(self, name: str) -> HeaderField | None:
        """First field with this canonical name."""
        return next((f for f in self.fields if f.field == name), None)

    @property
    def style(self) -> str | None:
        styles = [f.style for f in self.fields if f.style != "inline"] or [
            f.style for f in self.fields
        ]
        return max(set(styles), key=styles.count) if styles else None


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The label/section vocabulary from ``data/labels.json``."""
    return load_json("labels.json")


_SENTENCE_RE = re.compile(r"[.!?]\s+[A-ZÅÄÖ]|,\s*$")  # prose, not a short header value
_STYLES = {"glued": "glued", "stacked": "stacked", "colon": "colon"}  # tab, spaces, space: inline


def read_header(doc: Document, min_fields: int = 3) -> Header | None:
    """Find the first run of at least `min_fields` label/value pairs and read them.

    Pairs come from the layout blocks, whatever their separator; blank lines, indentation and
    page furniture between rows do not end the run, a section heading or three other blocks do.
    """
    blocks = doc.blocks()
    for i, block in enumerate(blocks):
        if block.line >= 200:
            break
        if block.kind != "pair" or block.field is None or not _acceptable(doc, block, None):
            continue
        header = _read_run(doc, blocks, i)
        if (
            len(header.fields) >= min_fields
            and len({f.field for f in header.fields}) >= min_fields - 1
        ):
            return header
    return None


def _shape(block: Block) -> str:
    return "colon" if block.sep == "colon" else "plain"


def _acceptable(doc: Document, block: Block, shape: str | None) -> bool:
    """A pair that belongs to a header run of this shape (colon labels or plain ones)."""
    if shape is not None and _shape(block) != shape:
        return False
    if block.field is None:
        return (
            shape == "colon"
        )  # an unknown `Label:` alone on its line inside a colon run: an extra field
    if block.sep == "space":  # `Projektägare Learning & Teaching`: a short value, not a sentence
        value = doc.text[block.value_start : block.value_end]
        if (
            value[:1].islower() and block.field not in ("email", "contact_person")
        ) or _SENTENCE_RE.search(value):
            return False
    return True


# The longest header of the corpus spans 45 lines. Any of the blocks on the first 200 lines may start a
# run, so a run is read for at most this many blocks: a page of label lines costs 200 × 200 blocks, not
# 200 × its length.
_MAX_RUN_BLOCKS = 200


def _read_run(doc: Document, blocks: list[Block], first: int) -> Header:
    """Pairs from blocks[first] on, until a heading or three other blocks in a row."""
    fields: list[HeaderField] = []
    shape = _shape(blocks[first])
    last, misses, spaced = blocks[first].last_line, 0, False
    for block in blocks[first : first + _MAX_RUN_BLOCKS]:
        if block.kind == "furniture":
            continue
        if block.kind == "heading":
            break
        if (
            block.kind != "pair"
            or not _acceptable(doc, block, shape)
            or (
                block.field is None
                and ((block.line > last + 1 and not spaced) or len(block.label.split()) > 4)
            )
        ):
            # an unknown label counts only right below the previous pair (or a blank line below it
            # where the rows are spaced so), and is short: `Delverksamheter som planeras är:` is prose
            misses += 1
            if misses > 2:
                break
            continue
        misses = 0
        value = doc.text[block.value_start : block.value_end]
        if "\n" in value:  # wrapped in its column
            value = " ".join(value.split())
        if not value and block.sep == "stacked":
            continue  # a bare label word without a value is not a field
        style = _STYLES.get(block.sep, "inline")
        fields.append(
            HeaderField(
                block.field,
                block.label,
                value,
                block.value_start,
                block.value_end,
                block.start,
                style,
            )
        )
        spaced = spaced or block.line > last + 1
        last = block.last_line
    return Header(fields, blocks[first].line, last)
