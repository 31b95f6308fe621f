"""HTML page → the same heading, label/value and bullet lines the plain-text pages have.

The layout follows the browser's ``innerText`` closely, so one text parser serves both:

- dropped: ``script``, ``style``, ``noscript``, ``template``, ``nav``, form controls, hidden
  elements, site ``header``/``footer`` (those outside ``article``/``main``) and anything whose
  id or class mentions cookie, consent or banner;
- headings, ``p``, lists, ``dl``, tables, ``blockquote`` and ``pre`` get a blank line before and
  after; ``div``, ``dt``, ``dd``, ``li`` and ``tr`` start a line of their own;
- ``li`` becomes `` • item`` (`` 3. item`` inside ``ol``), as in the text pages' Kommun lists;
- inline markup runs together exactly as written: ``<span>Projektägare</span><span>X</span>``
  gives ``ProjektägareX``, the 2007–13 layout, while ``<dt>``/``<dd>`` give a label line and
  a value line, the 2014–20 layout;
- a table row of one header cell and one data cell is a label/value pair (two lines); other
  rows become tab-separated cells and are kept in ``Document.tables`` as well;
- entities are decoded; ``&nbsp;`` stays U+00A0 between digits (``8&nbsp;625&nbsp;810``).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

import lxml.etree
import lxml.html

from ..document import Document, Table
from ..errors import UnreadableDocument
from .text import decode_bytes, file_bytes, normalise_text

_DROP_TAGS = frozenset(
    "script style noscript template nav iframe frame object embed svg canvas map area audio "
    "video button select option textarea input datalist dialog head title meta link".split()
)
_BLANK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol dl table blockquote pre figure hr address menu".split()
)
_LINE_TAGS = frozenset(
    "div section article main aside header footer li dt dd tr caption figcaption form fieldset "
    "legend details summary center body html hgroup search".split()
)
_CELL_TAGS = ("td", "th")
_CHROME_RE = re.compile(r"cookie|consent|banner|gdpr", re.IGNORECASE)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE_RUN_RE = re.compile(r"[ \t\n\r\f]+")
# Offset markers: Unicode noncharacters, never text, put in while building and taken out after
# normalising, so table and page offsets point into the final text.
TABLE_START, TABLE_END, PAGE_START = "\ufdd0", "\ufdd1", "\ufdd2"
MARKER_RE = re.compile("[\ufdd0-\ufdd2]")
# WHATWG: labels browsers decode as windows-1252
_CP1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii", "l1"}


class _Out:
    """Text builder with innerText-like line-break collapsing."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = 0  # newlines owed before the next text
        self.at_line_start = True

    def brk(self, n: int) -> None:
        """Require at least n newlines before the next text."""
        if self.parts:
            self.pending = max(self.pending, n)

    def newline(self) -> None:
        """A hard line break (``<br>``)."""
        self._flush()
        self.parts.append("\n")
        self.at_line_start = True

    def text(self, s: str) -> None:
        """Append inline text (already whitespace-collapsed unless preformatted)."""
        if self.pending or self.at_line_start:
            s = s.lstrip(" ")
        if not s:
            return
        self._flush()
        self.parts.append(s)
        self.at_line_start = s.endswith("\n")

    def prefix(self, s: str) -> None:
        """Start a line with s, keeping its leading space (list markers)."""
        self._flush()
        self.parts.append(s)
        self.at_line_start = False

    def marker(self, s: str) -> None:
        """Append an offset marker without disturbing line-start state."""
        self._flush()
        self.parts.append(s)

    def _flush(self) -> None:
        if self.pending:
            self.parts.append("\n" * self.pending)
            self.pending = 0
            self.at_line_start = True

    def value(self) -> str:
        return "".join(self.parts)


def read(path: str | Path) -> Document:
    """Read an HTML file into a Document."""
    return read_bytes(file_bytes(path), str(path))


def read_bytes(data: bytes, path: str = "<bytes>") -> Document:
    """Turn HTML bytes into a Document with text-page lines and data tables."""
    markup, encoding = decode_html(data, path)
    root = _parse(markup, path)
    tables: list[list[list[str]]] = []
    out = _Out()
    _walk(root, out, tables, in_content=False)
    text, found = take_markers(_tidy(normalise_text(out.value())))
    if not text.strip():
        raise UnreadableDocument(
            path, "HTML page has no text once scripts, navigation and banners are removed")
    doc = Document(text=text, path=path, format="html", sha256=hashlib.sha256(data).hexdigest(),
                   encoding=encoding)
    spans = zip(found[TABLE_START], found[TABLE_END])
    doc.tables = [Table(rows=rows, start=s, end=e) for rows, (s, e) in zip(tables, spans)]
    if encoding not in ("utf-8", "utf-8-sig") and not _declared_charset(data):
        doc.notes.append(f"decoded as {encoding}")  # detected, not declared: worth a look
    return doc


def decode_html(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode HTML bytes as browsers do: byte-order mark, ``<meta charset>``, UTF-8, windows-1252.

    Undeclared legacy pages fall back to windows-1252, the browsers' default for Western
    locales; statistical detection is unreliable on markup-heavy bytes.

    >>> decode_html('<meta charset="windows-1252"><p>Projektägare'.encode("cp1252"))[1]
    'cp1252'
    >>> decode_html("<p>Östersund".encode("cp1252"))
    ('<p>Östersund', 'cp1252')
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data, path)
    declared = _declared_charset(data)
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass  # a declaration that lies: carry on
    if b"\x00" in data[:4000]:
        return decode_bytes(data, path)  # UTF-16 without a byte-order mark
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    if label in _CP1252_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _parse(markup: str, path: str) -> lxml.html.HtmlElement:
    markup = MARKER_RE.sub("", _XML_DECL_RE.sub("", markup, count=1))
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(markup, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(path, f"not parseable as HTML ({exc})") from exc


def _is_chrome(el: lxml.html.HtmlElement, in_content: bool) -> bool:
    """True for elements that are site furniture, not the page's content."""
    tag = el.tag
    if tag in _DROP_TAGS:
        return True
    if tag in ("header", "footer") and not in_content:
        return True
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    if get("role") in ("navigation", "banner", "contentinfo", "search", "dialog"):
        return True
    style = get("style")
    if style and _HIDDEN_STYLE_RE.search(style):
        return True
    marks = f"{get('id', '')} {get('class', '')}"
    return bool(marks.strip()) and bool(_CHROME_RE.search(marks))


def _walk(el: lxml.html.HtmlElement, out: _Out, tables: list, in_content: bool) -> None:
    """Emit the text of el and its children (not its tail)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        out.newline()
        return
    if tag == "table" and _is_data_table(el):
        _emit_table(el, out, tables, in_content)
        return
    in_content = in_content or tag in ("article", "main")
    gap = 2 if tag in _BLANK_TAGS else 1 if tag in _LINE_TAGS or tag in _CELL_TAGS else 0
    if tag in ("ul", "ol") and _inside(el, "li"):
        gap = 1
    out.brk(gap)
    if tag == "li":
        out.prefix(_list_marker(el))
    if tag == "pre":
        out.text(el.text_content())
    else:
        _walk_children(el, out, tables, in_content)
    out.brk(gap)


def _walk_children(el: lxml.html.HtmlElement, out: _Out, tables: list, in_content: bool) -> None:
    if el.text:
        out.text(_SPACE_RUN_RE.sub(" ", el.text))
    for child in el:
        if not isinstance(child.tag, str) or not _is_chrome(child, in_content):
            if isinstance(child.tag, str):
                _walk(child, out, tables, in_content)
        if child.tail:
            out.text(_SPACE_RUN_RE.sub(" ", child.tail))


def _inside(el: lxml.html.HtmlElement, tag: str) -> bool:
    return any(a.tag == tag for a in el.iterancestors())


def _list_marker(li: lxml.html.HtmlElement) -> str:
    parent = li.getparent()
    if parent is None or parent.tag != "ol":
        return " • "
    items = [c for c in parent if c.tag == "li"]
    try:
        start = int(parent.get("start", "1"))
    except ValueError:
        start = 1
    return f" {start + items.index(li)}. "


def _own_rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's rows, not those of tables nested in it."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _is_data_table(table: lxml.html.HtmlElement) -> bool:
    """A table of short cells; layout tables (cells holding blocks) are walked as blocks."""
    rows = _own_rows(table)
    if not rows:
        return False
    for tr in rows:
        for cell in tr:
            if cell.tag in _CELL_TAGS and any(
                d.tag in _BLANK_TAGS or d.tag in ("div", "table") for d in cell.iterdescendants()
            ):
                return False
    return max(len([c for c in tr if c.tag in _CELL_TAGS]) for tr in rows) >= 2


def _cell_text(cell: lxml.html.HtmlElement, in_content: bool) -> str:
    sub = _Out()
    _walk_children(cell, sub, [], in_content)
    return _SPACE_RUN_RE.sub(" ", sub.value()).strip()


def _emit_table(table: lxml.html.HtmlElement, out: _Out, tables: list, in_content: bool) -> None:
    """Label/value rows as two lines; other rows as tab-separated cells, kept as a Table."""
    out.brk(2)
    data_rows: list[list[str]] = []
    for tr in _own_rows(table):
        if _is_chrome(tr, in_content):
            continue
        cells = [c for c in tr if c.tag in _CELL_TAGS]
        texts = [_cell_text(c, in_content) for c in cells]
        if not any(texts):
            continue
        out.brk(1)
        if len(cells) == 2 and cells[0].tag == "th" and cells[1].tag == "td":
            out.text(texts[0])
            if texts[1]:
                out.brk(1)
                out.text(texts[1])
            continue
        if not data_rows:
            out.marker(TABLE_START)
        out.text("\t".join(texts))
        data_rows.append(texts)
    if data_rows:
        out.marker(TABLE_END)
        tables.append(data_rows)
    out.brk(2)


def _tidy(text: str) -> str:
    """Trim line ends, collapse space runs, keep at most one blank line."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r" {2,}", " ", line).rstrip(" ")
        line = re.sub(r" *\t *", "\t", line)
        is_item = line.startswith(" • ") or re.match(r" \d+\. ", line)
        lines.append(line if is_item else line.lstrip(" "))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def take_markers(text: str) -> tuple[str, dict[str, list[int]]]:
    r"""Remove offset markers, returning the text and each marker's offsets in it.

    >>> take_markers("a\ufdd0bc\ufdd1")
    ('abc', {'\ufdd0': [1], '\ufdd1': [3], '\ufdd2': []})
    """
    found: dict[str, list[int]] = {m: [] for m in (TABLE_START, TABLE_END, PAGE_START)}
    parts, pos = [], 0
    for removed, m in enumerate(MARKER_RE.finditer(text)):
        parts.append(text[pos:m.start()])
        found[m.group()].append(m.start() - removed)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), found
