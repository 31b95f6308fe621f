"""PDF → text in the text pages' lines, page offsets (``page_starts``) and tables as rows.

Engine: pypdfium2 for all text, pdfplumber only for tables. PDFium (already a pdfplumber
dependency) reads the text layer and its geometry ~50× faster than pdfminer, and reads it better
(a bullet without a ToUnicode map is ``•`` from PDFium, ``(cid:127)`` from pdfminer).
pdfplumber's ``find_tables`` runs only on pages drawn with ruling lines or boxes. Measured by
``scripts/bench_pdf.py`` on the generated corpus: A4 pages ~390 pages/s against ~11 for
pdfplumber ``extract_text`` alone (35×); the 22-slide deck, 5 slides with tables, ~270 against
~66 (4×, the table pass dominates); all 60 pages 14–23× faster.

Layout, so one text parser serves every format: lines run top to bottom (a slide's title first,
wherever it sits in the content stream); text on one baseline is one line, far-apart pieces
tab-joined; a step well beyond the line spacing is a blank line, a small extra step (paragraph
spacing) a line break; a wrapped line joins the next when the next word would not have fitted,
and hanging-indent lines join their bullet item, with end-of-line hyphens undone except after
digits or capitals and before ``och``/``eller`` (``kompetens-``+``utveckling``, ``16-24``,
``yrkes- och``); bullet glyphs give `` • item``; a margin line repeated on nearly every page and
a bare page number ("Sida 3 av 6") are dropped; a table replaces the lines in its box by one
tab-separated line per row and is kept in ``Document.tables``. A damaged page is skipped with
a note, as is a table pass pdfminer cannot parse. Limitation: side-by-side columns are read row
by row.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Document, Table
from ..errors import UnreadableDocument
from .html import MARKER_RE, PAGE_START, TABLE_END, TABLE_START, take_markers
from .text import normalise_text

_BULLET_RE = re.compile(r"^[•\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8▪●◦■□❖➢►▸‣∙]\s*")
_CID_BULLET_RE = re.compile(r"\(cid:(?:127|149|183)\)")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n|(?<=\ufffe)")  # U+FFFE: PDFium's line-end hyphen
_PAGE_NUMBER_RE = re.compile(
    r"""^(?:(?:sida|page|sid\.?|s\.)\s*)?  # optional word
        (\d{1,4})                          # the page number
        (?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?$  # optional total: "av 6", "/6", "(6)"
    """, re.IGNORECASE | re.VERBOSE)
_LIST_START_RE = re.compile(r"^(?:[-–*]\s?\S|\d{1,2}[.)]\s|[a-zA-Z][.)]\s)")
_SUSPENDED_RE = re.compile(r"^(?:och|eller|samt|respektive|resp\.|till|&|and|or)\b")
_BAND = 0.1  # top/bottom share of a page where running headers and footers live
_PASSWORD_ERRORS = (4, 6)  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY


@dataclass
class _Row:
    """One visual line with its box (top-down coordinates), or a table in its place."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int = 0
    first_word: float = 0.0  # width of the first word, to tell soft wraps from hard breaks
    table: list[list[str]] | None = None


@dataclass
class _Page:
    """The rows of one page and what the table and OCR checks need."""

    number: int
    width: float
    height: float
    rows: list[_Row] = field(default_factory=list)
    ruled: bool = False
    images: int = 0


def read(path: str | Path) -> Document:
    """Read a PDF file into a Document."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(str(p), f"cannot read file ({exc.strerror or exc})") from exc
    return read_bytes(data, str(p))


def read_bytes(data: bytes, path: str = "<bytes>") -> Document:
    """Turn PDF bytes into a Document with page offsets and tables."""
    pdf = _open(data, path)
    notes: list[str] = []
    try:
        pages = _read_pages(pdf, path, notes)
    finally:
        pdf.close()
    notes += _check_text(pages, path)
    tables = _add_tables(data, pages, notes)
    _drop_running_lines(pages)
    text, found = take_markers(_assemble(pages))
    spans = zip(found[TABLE_START], found[TABLE_END])
    return Document(text=text.rstrip("\n"), path=path, format="pdf", notes=notes,
                    sha256=hashlib.sha256(data).hexdigest(), page_starts=found[PAGE_START],
                    tables=[Table(rows, page, s, e) for (rows, page), (s, e) in zip(tables, spans)])


def _open(data: bytes, path: str) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise UnreadableDocument(path, "encrypted PDF: it needs a password to open; remove the "
                                     "protection (e.g. qpdf --decrypt) and try again") from exc
        raise UnreadableDocument(path, f"corrupt PDF: PDFium cannot parse it ({exc}); re-download "
                                 "it or repair it (e.g. qpdf) and try again") from exc
    if len(pdf) == 0:
        pdf.close()
        raise UnreadableDocument(path, "PDF has no pages")
    return pdf


def _read_pages(pdf: pdfium.PdfDocument, path: str, notes: list[str]) -> list[_Page]:
    """Every page; a damaged page is skipped with a note unless no page can be read."""
    pages, failed = [], None
    for index in range(len(pdf)):
        try:
            pages.append(_read_page(pdf, index))
        except pdfium.PdfiumError as exc:
            failed = exc
            notes.append(f"page {index + 1} skipped: PDFium cannot read it ({exc})")
            pages.append(_Page(index + 1, 0.0, 0.0))
    if failed and len(notes) == len(pages):
        raise UnreadableDocument(path, f"corrupt PDF: no page can be read ({failed})") from failed
    return pages


def _read_page(pdf: pdfium.PdfDocument, index: int) -> _Page:
    """Text rows and drawing statistics of one page."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        result = _Page(index + 1, width, height, _rows(textpage, height, index + 1))
        _scan_objects(page, result)
        textpage.close()
    finally:
        page.close()
    return result


def _rows(textpage: pdfium.PdfTextPage, height: float, number: int) -> list[_Row]:
    """PDFium's lines with their boxes, sorted top to bottom and merged per baseline."""
    text = textpage.get_text_range()
    rows, pos = [], 0
    for m in _LINE_BREAK_RE.finditer(text + "\n"):
        row = _row(textpage, text, pos, m.start(), height, number)
        if row:
            rows.append(row)
        pos = m.end()
    rows.sort(key=lambda r: (round(r.top, 1), r.x0))
    return _merge_baselines(rows)


def _row(tp: pdfium.PdfTextPage, text: str, start: int, end: int, height: float,
         number: int) -> _Row | None:
    """One line from its first and last character boxes (loose: font ascent to descent)."""
    piece = MARKER_RE.sub(" ", text[start:end].replace("\ufffe", "-"))
    words = piece.split()
    if not words:
        return None
    first = start + len(piece) - len(piece.lstrip())
    last = start + len(piece.rstrip()) - 1
    left, bottom, _, top = tp.get_charbox(first, loose=True)
    _, bottom2, right, top2 = tp.get_charbox(last, loose=True)
    word_right = tp.get_charbox(first + len(words[0]) - 1, loose=True)[2]
    # the larger end: a bullet glyph may be set smaller than its item
    size = max(pdfium_c.FPDFText_GetFontSize(tp.raw, i) for i in (first, last)) or top - bottom
    clean = _BULLET_RE.sub(" • ", " ".join(words), count=1)
    return _Row(clean, left, right, height - max(top, top2), height - min(bottom, bottom2), size,
                number, first_word=word_right - left)


def _merge_baselines(rows: list[_Row]) -> list[_Row]:
    """Join rows that share a baseline; a wide gap between them becomes a tab."""
    merged: list[_Row] = []
    for row in rows:
        prev = merged[-1] if merged else None
        middle = abs(row.top + row.bottom - prev.top - prev.bottom) / 2 if prev else 0.0
        if prev is None or middle >= 0.4 * min(row.size, prev.size):
            merged.append(row)
            continue
        gap = row.x0 - prev.x1
        sep = "\t" if gap > 1.5 * prev.size else " " if gap > 0.15 * prev.size else ""
        prev.text = f"{prev.text}{sep}{row.text.lstrip()}"
        prev.x1, prev.bottom = max(prev.x1, row.x1), max(prev.bottom, row.bottom)
    return merged


def _scan_objects(page: pdfium.PdfPage, result: _Page) -> None:
    """Count images and decide whether ruling lines or boxes suggest a table."""
    area = result.width * result.height
    across = down = boxes = 0
    for obj, kind in _objects(page.raw):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            result.images += 1
            continue
        x0, y0, x1, y1 = _bounds(obj)
        w, h = x1 - x0, y1 - y0
        if h <= 3 and w >= 10:
            across += 1
        elif w <= 3 and h >= 10:
            down += 1
        elif w * h < 0.5 * area:  # a page-sized background is no table
            boxes += 1 if pdfium_c.FPDFPath_CountSegments(obj) < 8 else 4
    result.ruled = (across >= 2 and down >= 2) or boxes >= 4


def _objects(raw_page, form=None):
    """(handle, type) of image and path objects, descending into form XObjects.

    Raw PDFium calls: wrapping every text object in Python costs more than reading the text.
    """
    if form:
        count, get = pdfium_c.FPDFFormObj_CountObjects(form), pdfium_c.FPDFFormObj_GetObject
    else:
        count, get = pdfium_c.FPDFPage_CountObjects(raw_page), pdfium_c.FPDFPage_GetObject
    for i in range(count):
        obj = get(form or raw_page, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _objects(raw_page, obj)
        elif kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH):
            yield obj, kind


def _bounds(obj) -> tuple[float, float, float, float]:
    box = [ctypes.c_float() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box))
    return box[0].value, box[1].value, box[2].value, box[3].value


def _check_text(pages: list[_Page], path: str) -> list[str]:
    """Refuse PDFs without a text layer; note image-only pages in an otherwise good file."""
    empty = [p for p in pages if not p.rows]
    if len(empty) < len(pages):
        return [f"page {p.number} has no text layer (image only); OCR is not supported"
                for p in empty if p.images]
    if any(p.images for p in pages):
        raise UnreadableDocument(path, "image-only PDF (scanned pages, no text layer); OCR is not "
                                 "supported: run OCR first (e.g. ocrmypdf) and read its output")
    raise UnreadableDocument(path, "PDF contains no text (blank or damaged pages)")


def _add_tables(data: bytes, pages: list[_Page], notes: list[str]) -> list[tuple[list, int]]:
    """Run pdfplumber on ruled pages; put each table in place of the rows it covers."""
    ruled = [p for p in pages if p.ruled and p.rows]
    if not ruled:
        return []
    try:
        per_page = _plumber_tables(data, [p.number for p in ruled])
    except Exception as exc:  # noqa: BLE001 - pdfminer fails in many ways on damaged files
        notes.append(f"tables skipped: pdfplumber cannot parse the file "
                     f"({type(exc).__name__}: {exc})")
        return []
    found = []
    for page in ruled:
        for rows, bbox in per_page[page.number]:
            _place_table(page, rows, bbox)
            found.append((rows, page.number))
    return found


def _plumber_tables(data: bytes, numbers: list[int]) -> dict[int, list]:
    """pdfplumber's tables (rows, bbox) of at least two rows and two columns, per page."""
    import pdfplumber  # deferred: pdfminer is slow to import and only needed for tables

    out: dict[int, list] = {}
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for number in numbers:
            out[number] = []
            for table in plumber.pages[number - 1].find_tables():
                rows = [[_clean_cell(c) for c in row] for row in table.extract()]
                rows = [r for r in rows if any(r)]
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    out[number].append((rows, table.bbox))
    return out


def _clean_cell(cell: str | None) -> str:
    """One line per cell: bullets mapped, wrapped lines joined."""
    text = ""
    for part in _CID_BULLET_RE.sub("•", cell or "").split("\n"):
        line = " ".join(part.split())
        text = _join(text, line) if text and line else text or line
    return text


def _place_table(page: _Page, rows: list[list[str]], bbox: tuple[float, ...]) -> None:
    x0, top, x1, bottom = bbox
    inside = [r for r in page.rows if x0 - 1 <= (r.x0 + r.x1) / 2 <= x1 + 1
              and top - 1 <= (r.top + r.bottom) / 2 <= bottom + 1]
    page.rows = [r for r in page.rows if r not in inside]
    page.rows.append(_Row("", x0, x1, top, bottom, 0.0, page.number, table=rows))
    page.rows.sort(key=lambda r: (round(r.top, 1), r.x0))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove running headers/footers and bare page numbers from the page margins."""
    def key(text: str) -> str:
        return re.sub(r"\d+", "#", " ".join(text.lower().split()))

    margin = {id(r) for p in pages for r in p.rows if r.table is None
              and (r.bottom < _BAND * p.height or r.top > (1 - _BAND) * p.height)}
    seen: dict[str, set[int]] = {}
    for p in pages:
        for r in p.rows:
            if id(r) in margin:
                seen.setdefault(key(r.text), set()).add(p.number)
    with_text = sum(1 for p in pages if p.rows)
    need = max(2, math.ceil(0.75 * with_text))
    running = {k for k, numbers in seen.items() if len(numbers) >= need}
    for p in pages:
        p.rows = [r for r in p.rows if id(r) not in margin
                  or not (key(r.text) in running or _is_page_number(r.text, p.number))]


def _is_page_number(text: str, number: int) -> bool:
    m = _PAGE_NUMBER_RE.match(text)
    return bool(m) and int(m.group(1)) == number




def _assemble(pages: list[_Page]) -> str:
    """Flow every row into normalised lines carrying page and table markers."""
    edges: dict[int, float] = {}  # the text column's right edge per page width: widest line
    for p in pages:
        widths = [r.x1 for r in p.rows if r.table is None]
        edges[round(p.width)] = max([edges.get(round(p.width), 0.0), *widths])
    lines: list[str] = []
    prev: _Row | None = None
    item: _Row | None = None  # the bullet row whose item is still open
    pending = ""  # page markers not yet placed (a page without text passes its marker on)
    for p in pages:
        right, pitches = edges.get(round(p.width), p.width), _line_pitches(p.rows)
        pending += PAGE_START
        for row in p.rows:
            if row.table is not None:
                _emit_table(lines, row.table, pending)
                prev, item, pending = row, None, ""
                continue
            how = _how(prev, row, right, item, pitches.get(round(row.size, 1)))
            if how == "join":
                lines[-1] = _join_marked(lines[-1], row.text, pending)
            else:
                lines.extend(["", pending + row.text] if how == "blank" and lines
                             else [pending + row.text])
            item = row if row.text.startswith(" • ") else item if how == "join" else None
            prev, pending = row, ""
    if pending and lines:
        lines[-1] += pending
    return normalise_text("\n".join(lines))


def _line_pitches(rows: list[_Row]) -> dict[float, float]:
    """The usual baseline-to-baseline step per font size on a page (its line spacing)."""
    seen: dict[float, list[float]] = {}
    for a, b in zip(rows, rows[1:]):
        step = b.bottom - a.bottom
        if a.table is None and b.table is None and a.size == b.size and 0 < step < 1.7 * b.size:
            seen.setdefault(round(b.size, 1), []).append(step)
    return {size: sorted(steps)[len(steps) // 2] for size, steps in seen.items()}


def _how(prev: _Row | None, row: _Row, right: float, item: _Row | None,
         pitch: float | None) -> str:
    """How a row follows the previous one: 'join', 'line' or 'blank'."""
    if prev is None or prev.table is not None:
        return "blank"
    bullet = row.text.startswith(" • ")
    if row.page != prev.page:  # no gap to measure: wrapped text joins, a new size is a break
        if not bullet and _wrapped(prev, row, right):
            return "join"
        return "line" if abs(prev.size - row.size) <= 0.15 * row.size else "blank"
    step = row.bottom - prev.bottom
    if step > 1.7 * row.size:  # well beyond line spacing
        return "blank"
    if bullet or (pitch and prev.size == row.size and step > 1.12 * pitch):
        return "line"  # an item, or paragraph spacing: a break the author made
    if item is not None and row.x0 > item.x0 + 0.5 * item.size and abs(row.size - item.size) < 1:
        return "join"  # hanging indent under a bullet
    return "join" if _wrapped(prev, row, right) else "line"


def _wrapped(prev: _Row, row: _Row, right: float) -> bool:
    """True when row's first word would not have fitted at the end of prev (a soft wrap)."""
    if abs(prev.size - row.size) > 0.15 * prev.size or row.x0 > prev.x0 + prev.size:
        return False
    if _LIST_START_RE.match(row.text):
        return False  # a dash or numbered item starts its own line
    return prev.x1 + 0.25 * row.size + row.first_word > right - 0.1 * row.size


def _join(a: str, b: str) -> str:
    """Join a wrapped line to the next, undoing end-of-line hyphenation.

    >>> _join("kompetens-", "utveckling")
    'kompetensutveckling'
    >>> _join("ungdomar 16-", "24 år"), _join("yrkes-", "och studier"), _join("IT-", "stöd")
    ('ungdomar 16-24 år', 'yrkes- och studier', 'IT-stöd')
    """
    if a.endswith(("\x02", "\xad")):
        return a[:-1] + b
    if a.endswith("-") and len(a) >= 2 and a[-2].isalnum():
        if _SUSPENDED_RE.match(b):
            return f"{a} {b}"  # "yrkes- och": a suspended compound keeps hyphen and space
        if a[-2].islower() and b[:1].islower():
            return a[:-1] + b
        return a + b
    return f"{a} {b}"


def _join_marked(a: str, b: str, marker: str) -> str:
    """Join like ``_join``, with a page marker placed where b begins."""
    joined = _join(a, b)
    cut = len(joined) - len(b)
    return joined[:cut] + marker + joined[cut:]


def _emit_table(lines: list[str], rows: list[list[str]], pending: str) -> None:
    if lines and lines[-1] != "":
        lines.append("")
    body = ["\t".join(r) for r in rows]
    body[0] = pending + TABLE_START + body[0]
    body[-1] += TABLE_END
    lines.extend(body)
