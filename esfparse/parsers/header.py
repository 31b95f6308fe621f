"""The header block of a project page: label/value pairs in any of the project bank's layouts.

Three shapes cover every layout the project bank has used:
- glued (2007–13): ``Beviljat ESF-stöd4 512 300 kr`` — label and value on one line;
- stacked (2014–20): ``Projektägare`` on one line, the value on the next;
- colon (newer, ESF+ and Kohesio): ``Projektägare:`` then the value on the next line,
  or ``Start date: 1 September 2023`` on one line.
The label vocabulary lives in ``data/labels.json``; unknown ``Label:`` lines inside
the block are kept as extra fields.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Line


# An ESF+ diarienummer (`23-101-S05`) or a project number (`2019/00446`) ...
ESFPLUS_DNR_RE = re.compile(r"^\d{2}-\d{3}-S\d{2}$")
# ... opening a title line: `23-101-S05 - Titel`.
ID_TITLE_RE = re.compile(r"^\s*(?P<id>\d{2}-\d{3}-S\d{2}|\d{4}/\d{4,6})\s+[-–]\s+(?P<title>\S.*?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class HeaderField:
    """One label/value pair with the spans of the value and of the whole pair."""

    field: str | None  # canonical field name, None for an unknown label
    label: str
    value: str
    start: int  # value span
    end: int
    quote_start: int  # label through value
    style: str  # glued | stacked | colon


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
        styles = [f.style for f in self.fields]
        return max(set(styles), key=styles.count) if styles else None


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The label/section vocabulary from ``data/labels.json``."""
    with resources.files("esfparse.data").joinpath("labels.json").open(encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def _label_index() -> tuple[re.Pattern[str], dict[str, str]]:
    fields = vocabulary()["fields"]
    by_label = {label.casefold(): field for field, labels in fields.items() for label in labels}
    alternation = "|".join(re.escape(lbl) for lbl in sorted(by_label, key=len, reverse=True))
    # label, then an optional colon, then the rest of the line
    pattern = re.compile(rf"^\s*(?P<label>{alternation})(?P<colon>\s*:)?(?P<rest>.*)$", re.IGNORECASE)
    return pattern, by_label


_COLON_LINE_RE = re.compile(r"^\s*(?P<label>[A-ZÅÄÖa-zåäö][^:\n]{0,60}?)\s*:\s*(?P<rest>.*)$")


def _hit(line: Line, style: str | None) -> tuple[str, str | None, str, str] | None:
    """(label, field, rest, style) when the line is a header label line of a block of `style`."""
    pattern, by_label = _label_index()
    m = _COLON_LINE_RE.match(line.text)
    if m and style in (None, "colon"):
        label, rest = m.group("label").strip(), m.group("rest").strip()
        field = by_label.get(label.casefold())
        if field is not None:
            return label, field, rest, "colon"
        if style == "colon" and not rest and label[:1].isupper():
            return label, None, "", "colon"  # unknown label inside a colon block: kept as extra
        return None
    if style == "colon":
        return None
    m = pattern.match(line.text)
    if not m or m.group("colon"):
        return None
    label, rest = m.group("label"), m.group("rest")
    field = by_label[label.casefold()]
    if not rest.strip():
        return (label, field, "", "stacked") if style in (None, "stacked") else None
    if style == "stacked" or rest[:1].isspace() or rest[:1] in "-–(/,.":
        return None  # `Region Stockholm` in prose is not a glued label
    return label, field, rest.strip(), "glued"


def read_header(doc: Document, min_fields: int = 3) -> Header | None:
    """Find the first block of at least `min_fields` label lines and read its pairs."""
    lines = doc.lines()
    for i, line in enumerate(lines[:200]):
        if _hit(line, None) is None:
            continue
        header = _read_block(lines, i)
        if len(header.fields) >= min_fields and len({f.field for f in header.fields}) >= min_fields - 1:
            return header
    return None


def _read_block(lines: list[Line], first: int) -> Header:
    """Read label lines from `first` until a blank line or three non-label lines in a row."""
    fields: list[HeaderField] = []
    i, last, misses = first, first, 0
    style: str | None = None
    while i < len(lines):
        line = lines[i]
        if not line.text.strip():
            break
        hit = _hit(line, style)
        if hit is None:
            misses += 1
            if misses > 2:
                break
            i += 1
            continue
        misses = 0
        label, field, rest, hit_style = hit
        style = style or hit_style
        value_line = line
        if hit_style in ("stacked", "colon") and not rest:
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if nxt is not None and nxt.text.strip() and _hit(nxt, style) is None:
                value_line, rest = nxt, nxt.text.strip()
                i += 1
            elif hit_style == "stacked":
                i += 1
                continue  # a bare label word without a value is not a field
        start = value_line.start + value_line.text.find(rest) if rest else value_line.end
        fields.append(HeaderField(field, label, rest, start, start + len(rest), line.start, hit_style))
        last = i
        i += 1
    return Header(fields, first, last)
