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
import html.parser
import re
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html

from ..document import Document, Table
from ..errors import UnreadableDocument
from .text import decode_bytes, file_bytes, normalise_text

_DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "iframe",
        "frame",
        "object",
        "embed",
        "svg",
        "canvas",
        "map",
        "area",
        "audio",
        "video",
        "button",
        "select",
        "option",
        "textarea",
        "input",
        "datalist",
        "dialog",
        "head",
        "title",
        "meta",
        "link",
    ]
)
_BLANK_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "table",
        "blockquote",
        "pre",
        "figure",
        "hr",
        "address",
        "menu",
    ]
)
_LINE_TAGS = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "li",
        "dt",
        "dd",
        "tr",
        "caption",
        "figcaption",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
        "center",
        "body",
        "html",
        "hgroup",
        "search",
    ]
)
_CELL_TAGS = ("td", "th")
_CHROME_RE = re.compile(r"cookie|consent|banner|gdpr", re.IGNORECASE)
_HIDDEN_STYLE_RE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|position\s*:\s*fixed", re.IGNORECASE
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE_RUN_RE = re.compile(r"[ \t\n\r\f]+")
# Offset markers: Unicode noncharacters, never text, put in while building and taken out after
# normalising, so table and page offsets point into the final text.
TABLE_START, TABLE_END, PAGE_START, TITLE_START = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
MARKER_RE = re.compile("[\ufdd0-\ufdd3]")
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
    notes: list[str] = []
    root = _parse(markup, path, notes)
    _hide_by_stylesheet(root)
    tables: list[list[list[str]]] = []
    out = _Out()
    _walk(root, out, tables, in_content=False)
    text, found = take_markers(_tidy(normalise_text(out.value())))
    if not text.strip():
        raise UnreadableDocument(
            path, "HTML page has no text once scripts, navigation and banners are removed"
        )
    doc = Document(
        text=text,
        path=path,
        format="html",
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
    )
    spans = zip(found[TABLE_START], found[TABLE_END])
    doc.tables = [Table(rows=rows, start=s, end=e) for rows, (s, e) in zip(tables, spans)]
    doc.hints = _title_hint(doc, found[TITLE_START])
    doc.notes.extend(notes)
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


def _parse(markup: str, path: str, notes: list[str] | None = None) -> lxml.html.HtmlElement:
    """The element tree; a page nested deeper than libxml2 can build is flattened below that depth."""
    markup = MARKER_RE.sub("", _XML_DECL_RE.sub("", markup, count=1))
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, huge_tree=True
    )  # huge: past depth 256
    try:
        root = lxml.html.document_fromstring(markup, parser=parser)
        if any(
            "Excessive depth" in e.message for e in parser.error_log
        ):  # libxml2 drops what lies deeper
            parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
            root = lxml.html.document_fromstring(flatten(markup, MAX_DEPTH), parser=parser)
            if notes is not None:
                notes.append(
                    f"flattened: elements nested deeper than {MAX_DEPTH} levels were read as "
                    "running text of their ancestor (their own line breaks are lost)"
                )
        return root
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(path, f"not parseable as HTML ({exc})") from exc


# libxml2 builds trees up to 2,048 levels deep (with huge_tree) and silently drops what lies deeper.
MAX_DEPTH = 1500
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


class _Flattener(html.parser.HTMLParser):
    """Markup again, without the start and end tags of elements below `limit` levels."""

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=False)
        self.limit, self.depth = limit, 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in _VOID_TAGS:
            self.depth += 1
        if self.depth <= self.limit:
            self.parts.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if self.depth < self.limit:
            self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth <= self.limit:
            self.parts.append(f"</{tag}>")
        if tag not in _VOID_TAGS:
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.parts.append(f"&#{name};")


def flatten(markup: str, limit: int) -> str:
    """`markup` with elements deeper than `limit` unwrapped: their text stays, their tags go.

    >>> flatten("<div><div><p>a</p></div>b</div>", 1)
    '<div>ab</div>'
    """
    parser = _Flattener(limit)
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _title_hint(doc: Document, offsets: list[int]) -> dict[int, str]:
    """The line of the page's first non-empty ``<h1>`` (outside site furniture), as a layout hint."""
    for offset in offsets:
        line = doc.line_number(offset) - 1
        text = doc.lines()[line].text if line < len(doc.lines()) else ""
        if text.strip() and doc.line_starts[line] == offset:
            return {line: "title"}
    return {}


# Simple selectors (`.cookie-bar`, `#consent`) that a page's own stylesheet hides or pins over the
# content (display: none, visibility: hidden, position: fixed): banners and overlays, not content.
_CSS_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_HIDES_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|position\s*:\s*fixed", re.I)
_SIMPLE_SELECTOR_RE = re.compile(r"^\s*([.#])([\w-]+)\s*$")


def _hide_by_stylesheet(root: lxml.html.HtmlElement) -> None:
    """Mark elements hidden (``hidden``) that the page's ``<style>`` hides or fixes in place."""
    classes: set[str] = set()
    ids: set[str] = set()
    for style in root.iter("style"):
        for selectors, body in _CSS_RULE_RE.findall(style.text or ""):
            if _CSS_HIDES_RE.search(body):
                for sel in selectors.split(","):
                    m = _SIMPLE_SELECTOR_RE.match(sel)
                    if m:
                        (classes if m.group(1) == "." else ids).add(m.group(2))
    if not classes and not ids:
        return
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id") in ids or classes.intersection((el.get("class") or "").split()):
            el.set("hidden", "")


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


_WALK, _TEXT, _BREAK = range(3)  # steps of the walk: visit an element, emit text, close a block


def _walk(el: lxml.html.HtmlElement, out: _Out, tables: list, in_content: bool) -> None:
    """Emit the text of el and its children (not its tail)."""
    _run([(_WALK, el, (in_content, _inside(el, "li")))], out, tables)


def _walk_children(el: lxml.html.HtmlElement, out: _Out, tables: list, in_content: bool) -> None:
    todo: list[tuple[int, Any, Any]] = []
    _push_children(el, (in_content, el.tag == "li" or _inside(el, "li")), todo)
    _run(todo, out, tables)


def _run(todo: list[tuple[int, Any, Any]], out: _Out, tables: list) -> None:
    """Depth first with a stack of steps instead of recursion: a page of any nesting depth is read."""
    while todo:
        step, a, b = todo.pop()
        if step == _TEXT:
            out.text(a)
        elif step == _BREAK:
            out.brk(a)
        else:
            _visit(a, b, out, tables, todo)


def _visit(
    el: lxml.html.HtmlElement,
    state: tuple[bool, bool],
    out: _Out,
    tables: list,
    todo: list[tuple[int, Any, Any]],
) -> None:
    """One element: its own output now, its children and closing break as steps for later."""
    in_content, in_li = state
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        out.newline()
        return
    if tag == "table" and _is_data_table(el):
        _emit_table(el, out, tables, in_content)
        return
    in_content = in_content or tag in ("article", "main")
    gap = 2 if tag in _BLANK_TAGS else 1 if tag in _LINE_TAGS or tag in _CELL_TAGS else 0
    if tag in ("ul", "ol") and in_li:
        gap = 1
    out.brk(gap)
    if tag == "li":
        out.prefix(_list_marker(el))
    if tag == "h1":
        out.marker(TITLE_START)  # the page's title, for the layout model
    todo.append((_BREAK, gap, None))
    if tag == "pre":
        out.text(el.text_content())
    else:
        _push_children(el, (in_content, in_li or tag == "li"), todo)


def _push_children(
    el: lxml.html.HtmlElement, state: tuple[bool, bool], todo: list[tuple[int, Any, Any]]
) -> None:
    """Steps for el's text, children (not site furniture) and their tails, to run in document order."""
    steps: list[tuple[int, Any, Any]] = []
    if el.text:
        steps.append((_TEXT, _SPACE_RUN_RE.sub(" ", el.text), None))
    for child in el:
        if isinstance(child.tag, str) and not _is_chrome(child, state[0]):
            steps.append((_WALK, child, state))
        if child.tail:
            steps.append((_TEXT, _SPACE_RUN_RE.sub(" ", child.tail), None))
    todo.extend(reversed(steps))


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
    ('abc', {'\ufdd0': [1], '\ufdd1': [3], '\ufdd2': [], '\ufdd3': []})
    """
    found: dict[str, list[int]] = {m: [] for m in (TABLE_START, TABLE_END, PAGE_START, TITLE_START)}
    parts, pos = [], 0
    for removed, m in enumerate(MARKER_RE.finditer(text)):
        parts.append(text[pos : m.start()])
        found[m.group()].append(m.start() - removed)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), found
