"""The layout model: a document as typed blocks, each with its span in the normalised text.

Every reader's text reaches the parsers as the same blocks, so a label and its value are one
``pair`` whether the page glued them (``ProjektägareX``), put a colon, a tab or a run of spaces
between them, stacked them on two lines, indented them as a definition list, or drew them as the
two cells of a table row. Kinds (after unstructured's element types and docling's document items):

- ``pair``: a label and its value (label and value spans, and the separator seen: ``glued``,
  ``colon``, ``tab``, ``spaces``, ``space``, ``stacked``, ``cell`` for a Markdown table row);
- ``title``: the page's title where the reader knows it (an HTML ``<h1>``);
- ``heading``: a section heading of the vocabulary (``data/labels.json``);
- ``list_item``: a bullet or numbered item;
- ``table_row``: tab-separated cells (each cell's span);
- ``furniture``: site and page chrome: cookie and banner text, navigation, breadcrumbs, page
  numbers (``1 / 11``, ``Sida 3 av 6``), Kohesio's field names;
- ``paragraph``: anything else.

The plain-text inference here works from lines; readers that know more (PDF geometry) give
each line its page and box through ``Document.boxes``, which blocks carry along.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .bullets import CID, NUMBERED, SIGN

if TYPE_CHECKING:
    from .document import Document, Line

_BULLET_RE = re.compile(rf"^\s*(?:{SIGN}|{CID}|{NUMBERED})\s+\S")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:sida|page|sid\.?|s\.)\s*)?\d{1,4}(?:\s*(?:av|of|/)\s*\d{1,4})?$", re.I
)
_BREADCRUMB_RE = re.compile(r"\S\s*[›»>/|]\s*\S.*\s[›»>|]\s")  # `Start › Projekt › Titel`
_LINK_MARK_RE = re.compile(r"\[\d{1,4}\]")  # lynx's numbered links: `[7]Start`
_COLON_RE = re.compile(r"^(?P<label>[A-ZÅÄÖa-zåäö][^:\n\t]{0,60}?)\s*:(?:\s+|$)(?P<rest>.*)$")
_SEP_RE = re.compile(r"\t+| {2,}")  # a tab or two or more spaces between label and value
_INFLECTION_RE = re.compile(
    r"(?:en|n|ar|er|or|r|a|na|et|t|erna|arna|orna|ens|ets|s)(?:\b|$)"
)  # Regionen, Utlysningar
_MAX_PAIR_LINE = 160
_MAX_LABEL = 80  # longer lines are prose, never a label/value pair


@dataclass(slots=True)
class Block:
    """One typed block with its span in the document text (and, for a pair, both parts)."""

    kind: str  # pair | heading | list_item | table_row | furniture | paragraph
    start: int
    end: int
    label: str = ""  # pair: the label as written, without its colon
    field: str | None = None  # pair: canonical field of a known label
    value_start: int = 0  # pair: value span (empty at the label's end when it has no value)
    value_end: int = 0
    sep: str = ""  # pair: glued | colon | tab | spaces | space | stacked
    line: int = 0  # index of the block's first line
    last_line: int = 0  # index of its last line (a stacked pair's value line)
    indent: int = 0
    cells: tuple[tuple[int, int], ...] = ()  # table_row: cell spans
    page: int | None = None
    box: tuple[float, float, float, float] | None = None  # PDF: x0, top, x1, bottom (points)

    @property
    def strong(self) -> bool:
        """A pair that says it is one (known label with a colon, tab, space run or own line)."""
        return self.kind == "pair" and self.sep not in ("glued", "space")


@lru_cache(maxsize=1)
def _labels() -> tuple[re.Pattern[str], dict[str, str]]:
    from .parsers.header import vocabulary

    fields = vocabulary()["fields"]
    by_label = {label.casefold(): field for field, labels in fields.items() for label in labels}
    alternation = "|".join(re.escape(lbl) for lbl in sorted(by_label, key=len, reverse=True))
    return re.compile(
        rf"(?P<label>{alternation})(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
    ), by_label


def known_label(text: str) -> str | None:
    """The canonical field of a label as written (case and a trailing colon ignored)."""
    if len(text) > _MAX_LABEL:
        return None
    return _labels()[1].get(" ".join(text.rstrip(":").split()).casefold())


def blocks_of(doc: Document) -> list[Block]:
    """The document's blocks, inferred from its lines (see the module docstring)."""
    lines = doc.lines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        block = _block_at(doc, lines, i)
        if block is not None:
            out.append(_placed(doc, block))
            i = block.last_line + 1
        else:
            i += 1
    return _mark_menus(doc, out)


_MENU_ITEM_RE = re.compile(r"^[A-ZÅÄÖ][\w&'-]*(?: [\w&'-]+){0,2}$")  # `Om oss`, `Projektbanken`
_MENU_RUN = 3
_MENU_ZONE = 40  # navigation sits at the top of a page


def _mark_menus(doc: Document, blocks: list[Block]) -> list[Block]:
    """A run of three or more one-to-three-word lines at the top of the page is navigation."""

    def item(block: Block) -> bool:
        return (
            block.kind == "paragraph"
            and block.line < _MENU_ZONE
            and block.end - block.start <= 30
            and bool(_MENU_ITEM_RE.match(doc.text[block.start : block.end]))
        )

    def flush(run: list[int]) -> None:
        if len(run) >= _MENU_RUN:
            for j in run:
                blocks[j] = _with(blocks[j], {"kind": "furniture"})

    run: list[int] = []
    for k, block in enumerate(blocks):
        if run and item(block) and block.line == blocks[run[-1]].last_line + 1:
            run.append(k)
            continue
        flush(run)
        run = [k] if item(block) else []
    flush(run)
    return blocks


def _placed(doc: Document, block: Block) -> Block:
    if not doc.page_starts:
        return block
    return _with(block, {"page": doc.page_at(block.start), "box": doc.boxes.get(block.line)})


def _block_at(doc: Document, lines: list[Line], i: int) -> Block | None:
    line = lines[i]
    text = line.text
    stripped = text.strip()
    if not stripped:
        return None
    lead = len(text) - len(text.lstrip())
    start, end = line.start + lead, line.start + len(text.rstrip())
    base = Block("paragraph", start, end, line=i, last_line=i, indent=lead)
    if doc.hints.get(i) == "title":
        return _with(base, {"kind": "title"})
    if len(stripped) <= _MAX_PAIR_LINE:
        pair = (
            _split_label_pair(lines, i)
            or inline_pair(text, line.start)
            or _wrapped_label_pair(lines, i)
        )
        if pair is not None:
            return _continued(lines, _with(base, pair))
        stacked = _stacked_pair(doc, lines, i, base)
        if stacked is not None:
            return _continued(lines, stacked)
    if _is_furniture(stripped):
        return _with(base, {"kind": "furniture"})
    if _BULLET_RE.match(text):
        return _with(base, {"kind": "list_item"})
    if len(stripped) <= 80 and _is_heading(stripped):
        return _with(base, {"kind": "heading"})
    if "\t" in stripped:
        return _with(base, {"kind": "table_row", "cells": _cells(text, line.start)})
    return base


def _with(block: Block, changes: dict) -> Block:
    """The block with these fields changed (blocks are built here and not shared yet)."""
    for name, value in changes.items():
        setattr(block, name, value)
    return block


def inline_pair(text: str, offset: int = 0) -> dict | None:
    """A label and its value on one line, as Block fields, or None.

    >>> p = inline_pair("Projektägare: Göteborgs stad")
    >>> p["label"], p["field"], p["sep"], "Projektägare: Göteborgs stad"[p["value_start"]:p["value_end"]]
    ('Projektägare', 'owner', 'colon', 'Göteborgs stad')
    >>> [inline_pair(t)["sep"] for t in ("Region\\tVästsverige", "Region    Västsverige", "RegionVästsverige")]
    ['tab', 'spaces', 'glued']
    """
    lead = len(text) - len(text.lstrip())
    body = text[lead:].rstrip()
    if body[:1] in "|*_":
        return _markdown_pair(body, offset + lead)
    m = _COLON_RE.match(body)
    if m and not m.group("label").strip().isdigit():
        label = m.group("label").strip()
        field = known_label(label)
        rest = m.group("rest").strip()
        if field is None or not rest:
            return None  # `Ett: ord` in prose; a label alone on its line is a stacked pair
        return _pair(offset + lead, body, label, field, m.start("rest"), "colon")
    pattern, _ = _labels()
    m = pattern.match(body)
    if m is None:
        return None
    label, rest = m.group("label"), m.group("rest")
    field = known_label(label)
    if not rest.strip():
        return None  # a label alone: a stacked pair, if a value follows
    sep = _SEP_RE.match(rest)
    if sep:
        return _pair(
            offset + lead,
            body,
            label,
            field,
            len(label) + sep.end(),
            "tab" if "\t" in sep.group() else "spaces",
        )
    if rest[:1] == " ":
        if rest[1:2].isspace() or rest[1:2] in "-–(/,.:" or len(body) > 100:
            return None
        return _pair(offset + lead, body, label, field, len(label) + 1, "space")
    if rest[:1] in "-–(/,." or _INFLECTION_RE.match(rest):
        return None  # `Region-`, `Region,` in prose, an inflected word (`Utlysningar`) are no glued labels
    return _pair(offset + lead, body, label, field, len(label), "glued")


_MD_ROW_RE = re.compile(
    r"^\|\s*(?P<label>[^|]+?)\s*\|\s*(?P<value>[^|]*?)\s*\|?$"
)  # | Label | Value |
_MD_BOLD_RE = re.compile(
    r"^(?P<mark>\*\*|__)(?P<label>[^*_]+?)(?P=mark)\s*(?P<value>.*)$"
)  # **Label:** value


def _markdown_pair(body: str, start: int) -> dict | None:
    """A pair as Markdown writes it (html2text, pandoc): a table row or a bold label."""
    m = _MD_ROW_RE.match(body) or _MD_BOLD_RE.match(body)
    if m is None or not m.group("value"):
        return None
    label = m.group("label").strip("*_ ").rstrip(":").strip("*_ ")
    field = known_label(label)
    if field is None:
        return None
    sep = "cell" if body[0] == "|" else "colon" if ":" in m.group("label") else "space"
    vstart = start + m.start("value")
    return {
        "kind": "pair",
        "label": label,
        "field": field,
        "sep": sep,
        "value_start": vstart,
        "value_end": vstart + len(m.group("value")),
    }


def _split_label_pair(lines: list[Line], i: int) -> dict | None:
    """A label wrapped in its cell: `Unionens<TAB>50%` over `medfinansieringsgrad:`."""
    if i + 1 >= len(lines):
        return None
    text, below = lines[i].text, lines[i + 1].text.strip()
    m = _SEP_RE.search(text.strip())
    if not m or not below.endswith(":") or " " in below.rstrip(":") or ":" in text:
        return None
    lead = len(text) - len(text.lstrip())
    head = text.strip()[: m.start()]
    label = f"{head} {below[:-1]}"
    vstart = lines[i].start + lead + m.end()
    value = text.strip()[m.end() :]
    return {
        "kind": "pair",
        "label": label,
        "field": known_label(label),
        "sep": "colon",
        "value_start": vstart,
        "value_end": vstart + len(value),
        "last_line": i + 1,
        "end": lines[i + 1].start + len(lines[i + 1].text.rstrip()),
    }


_LABEL_TAIL_RE = re.compile(r"(?P<tail>[^\s:][^:\t]{0,40}?):(?P<sep>[^\S\n]*)(?P<value>\S.*)$")


def _wrapped_label_pair(lines: list[Line], i: int) -> dict | None:
    """A label wrapped in its cell before its value: `Planerat antal` over `deltagare:<TAB>570`
    (a PDF table or a pasted row); only when the two parts make a known label."""
    if i + 1 >= len(lines):
        return None
    head = lines[i].text.strip()
    if not head or len(head) > 40 or ":" in head or "\t" in head or known_label(head):
        return None
    below = lines[i + 1].text
    m = _LABEL_TAIL_RE.match(below.strip())
    if m is None:  # the tail ends in a colon, as the labels around it do
        return None
    label = f"{head} {m.group('tail').strip()}"
    field = known_label(label)
    if field is None:
        return None
    vstart = lines[i + 1].start + len(below) - len(below.lstrip()) + m.start("value")
    vend = lines[i + 1].start + len(below.rstrip())
    return {
        "kind": "pair",
        "label": label,
        "field": field,
        "sep": "colon",
        "value_start": vstart,
        "value_end": vend,
        "last_line": i + 1,
        "end": vend,
    }


def _continued(lines: list[Line], pair: Block) -> Block:
    """A value wrapped in its column: the next lines indented to where the value starts."""
    if pair.value_start == pair.value_end:
        return pair
    vline = (
        lines[pair.last_line]
        if pair.value_start >= lines[pair.last_line].start
        else lines[pair.line]
    )
    column = pair.value_start - vline.start
    if column <= pair.indent:
        return pair  # the value starts at the label's margin: a wrapped line cannot be told apart
    end, last = pair.value_end, pair.last_line
    for k in range(last + 1, min(len(lines), last + 4)):
        text = lines[k].text
        lead = len(text) - len(text.lstrip())
        if not text.strip() or abs(lead - column) > 1 or _is_label_line(text) or inline_pair(text):
            break
        end, last = lines[k].start + len(text.rstrip()), k
    if last == pair.last_line:
        return pair
    return _with(pair, {"value_end": end, "end": max(pair.end, end), "last_line": last})


def _pair(start: int, body: str, label: str, field: str | None, value_at: int, sep: str) -> dict:
    value = body[value_at:].strip()
    vstart = start + value_at + (len(body[value_at:]) - len(body[value_at:].lstrip()))
    return {
        "kind": "pair",
        "label": label,
        "field": field,
        "sep": sep,
        "value_start": vstart,
        "value_end": vstart + len(value),
    }


def _stacked_pair(doc: Document, lines: list[Line], i: int, base: Block) -> Block | None:
    """A label alone on its line and its value on the next (one blank line allowed when the value
    is indented deeper, as in definition lists)."""
    stripped = lines[i].text.strip()
    is_colon = stripped.endswith(":")
    label = stripped[:-1].rstrip() if is_colon else stripped
    field = known_label(label)
    if field is None and not (
        is_colon and label[:1].isupper() and len(label) <= 60 and ":" not in label
    ):
        return None
    j = i + 1
    if j < len(lines) and not lines[j].text.strip() and j + 1 < len(lines):
        nxt = lines[j + 1].text
        if len(nxt) - len(nxt.lstrip()) > base.indent:
            j += 1  # `Projektägare` / blank / `    value` (a definition list)
    value_line = lines[j] if j < len(lines) else None
    sep = "colon" if is_colon else "stacked"
    if value_line is None or not value_line.text.strip() or _is_label_line(value_line.text):
        if field is None and not is_colon:
            return None
        return _with(
            base,
            {
                "kind": "pair",
                "label": label,
                "field": field,
                "sep": sep,
                "value_start": base.end,
                "value_end": base.end,
            },
        )
    vt = value_line.text
    vstart = value_line.start + len(vt) - len(vt.lstrip())
    vend = value_line.start + len(vt.rstrip())
    return _with(
        base,
        {
            "kind": "pair",
            "label": label,
            "field": field,
            "sep": sep,
            "value_start": vstart,
            "value_end": vend,
            "end": vend,
            "last_line": j,
        },
    )


def _starts_with_label(text: str) -> bool:
    """True for a line that opens with a known label (a header row, glued or not)."""
    pair = inline_pair(text)
    return known_label(text.strip()) is not None or (pair is not None and pair["field"] is not None)


def _is_label_line(text: str) -> bool:
    """True when a line is itself a label (so it is not the value of the label above it)."""
    stripped = text.strip()
    if known_label(stripped) is not None:
        return True
    pair = inline_pair(text)
    return (
        pair is not None and pair["field"] is not None and pair["sep"] in ("colon", "tab", "spaces")
    )


def _cells(text: str, offset: int) -> tuple[tuple[int, int], ...]:
    cells, pos = [], 0
    for part in text.split("\t"):
        s = part.strip()
        if s:
            at = offset + pos + part.index(s)
            cells.append((at, at + len(s)))
        pos += len(part) + 1
    return tuple(cells)


def _is_furniture(text: str) -> bool:
    from .parsers.text_layout import is_noise

    if len(text) > 200:
        return False  # chrome is short; a paragraph is not scanned
    bare = _LINK_MARK_RE.sub("", text).strip() if "[" in text else text
    if _PAGE_NUMBER_RE.match(bare) or bare.startswith("(BUTTON)"):
        return True
    if bare.casefold() in _kohesio_names():
        return True
    return is_noise(bare) or bool(_BREADCRUMB_RE.search(bare))


@lru_cache(maxsize=1)
def _kohesio_names() -> frozenset[str]:
    from .parsers.header import vocabulary

    return frozenset(s.casefold() for s in vocabulary().get("kohesio_field_names", []))


def _is_heading(text: str) -> bool:
    from .parsers.text_layout import is_heading

    return is_heading(text)


def is_furniture(text: str) -> bool:
    """True for a line of site or page chrome (cookie text, navigation, breadcrumbs, page numbers).

    >>> [is_furniture(t) for t in ("1 / 11", "Start › Projekt › Exempelprojektet", "Projektet startar 2020.")]
    [True, True, False]
    """
    text = " ".join(text.split())
    return bool(text) and _is_furniture(text)


_CRUMB_SPLIT_RE = re.compile(r"\s[›»>|]\s")


def chrome_lines(doc: Document) -> frozenset[int]:
    """Indexes of the lines that are page furniture."""
    return frozenset(b.line for b in doc.blocks() if b.kind == "furniture")


def crumb_title_line(doc: Document) -> int | None:
    """The line the reader marked as the title (an HTML ``<h1>``), else the line a breadcrumb trail
    names as the page's title (`Start › Projekt › Titel`), if any."""
    for line, role in doc.hints.items():
        if role == "title":
            return line
    lines = doc.lines()
    for block in doc.blocks():
        if block.line >= _MENU_ZONE:
            return None
        text = _LINK_MARK_RE.sub("", doc.text[block.start : block.end])
        if block.kind != "furniture" or not _BREADCRUMB_RE.search(text):
            continue
        last = _CRUMB_SPLIT_RE.split(text)[-1].strip()
        for k in range(block.line + 1, min(len(lines), block.line + 120)):
            if " ".join(lines[k].text.split()) == last:
                return k
    return None


# ---------------------------------------------------------------- text dumps (w3m, lynx, fmt)

_REFERENCES_RE = re.compile(
    r"\n+(?:References|Referenser|Synliga länkar|Visible links)\n\n(?:\s*\d+\. \S+\n?)+\s*$"
)
_DUMP_BULLET_RE = re.compile(rf"^(\s*)(?:{SIGN}|\+|{NUMBERED})\s+")
_MIN_WRAPS = 5


def unwrap_dump(text: str) -> str:
    r"""Undo a text dump's hard wrapping (``w3m -dump``, ``lynx -dump``, ``fmt``): a line that ends
    where the next line's first word would not have fitted joins that line; lynx's numbered link
    marks (``[7]Start``) and its list of references go. Text that is not hard-wrapped is returned
    as it is (the corpus .txt pages keep one paragraph per line).

    >>> unwrap_dump("Projektet ska arbeta med unga vuxna i hela länet och i\nstaden.\n" * 5 + "x" * 54)[:64]
    'Projektet ska arbeta med unga vuxna i hela länet och i staden.\nP'
    """
    if "[" in text and _REFERENCES_RE.search(text):
        text = _LINK_MARK_RE.sub("", _REFERENCES_RE.sub("\n", text))
    lines = text.split("\n")
    width = max((len(ln.rstrip()) for ln in lines), default=0)
    if not 40 <= width <= 100:
        return text
    joins = [k for k in range(len(lines) - 1) if _wraps(lines[k], lines[k + 1], width)]
    if len(joins) < _MIN_WRAPS:
        return text
    out: list[str] = []
    join = set(joins)
    for k, line in enumerate(lines):
        if k - 1 in join:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _wraps(line: str, nxt: str, width: int) -> bool:
    """True when nxt continues line: same text margin, and its first word would not have fitted."""
    body, follow = line.rstrip(), nxt.strip()
    if not body.strip() or not follow or _DUMP_BULLET_RE.match(nxt):
        return False
    bullet = _DUMP_BULLET_RE.match(body)
    lead = len(body) - len(body.lstrip())
    if len(nxt) - len(nxt.lstrip()) not in ((bullet.end(), lead) if bullet else (lead,)):
        return False  # an item's wrapped line hangs under its text, or (w3m's numbers) under the number
    if len(body) + 1 + len(follow.split()[0]) <= width:
        return False
    return not _starts_with_label(
        nxt
    )  # header rows stay rows; a long value wraps onto the next line
