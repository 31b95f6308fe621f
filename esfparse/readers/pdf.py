"""PDF → text in the text pages' lines, page offsets (``page_starts``) and tables as rows.

Engine: pypdfium2 for text and tables; pdfplumber only for the tables of pages PDFium is unsure
of. PDFium (already a pdfplumber dependency) reads the text layer and its geometry ~50× faster
than pdfminer, and reads it better (a bullet without a ToUnicode map is ``•`` from PDFium,
``(cid:127)`` from pdfminer). Tables are looked for only on pages drawn with ruling lines or
boxes, by ``pdf_tables``: pdfplumber's ``find_tables``/``extract`` (lines strategy, 3 pt
tolerances) ported onto PDFium's path objects and characters, so the rows are pdfplumber's
without pdfminer parsing the page. pdfplumber stays the door for hard cases: where the lines do
not give the port a certain grid and text (a near tie, or what it does not model: a line-end
hyphen it cannot tell from a soft hyphen, character spacing, text PDFium drops as printed twice,
rotated text; see ``pdf_tables``), and on a rotated page or one whose boxes are offset or
cropped, that page's tables come from pdfplumber itself. Measured in one run on the generated
corpus: 50 copies of the 22-slide deck (5 slides with tables) ~650 pages/s against ~60 for
pdfplumber ``extract_text`` alone (11×; 4× with pdfplumber finding the tables); all 60 pages
~440 against ~17 (26×).

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

import hashlib
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..bullets import PDF_GLYPHS
from ..document import Document, Table
from ..errors import UnreadableDocument
from . import pdf_tables
from .html import MARKER_RE, PAGE_START, TABLE_END, TABLE_START, take_markers
from .text import file_bytes, normalise_text

# in PDF text a dash or an asterisk at a line start is text (a quote's dash, a footnote)
_BULLET_RE = re.compile(rf"^[•▪●◦❖{PDF_GLYPHS}]\s*")
_CID_BULLET_RE = re.compile(r"\(cid:(?:127|149|183)\)")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n|(?<=\ufffe)")  # U+FFFE: PDFium's line-end hyphen
_PAGE_NUMBER_RE = re.compile(
    r"""^(?:(?:sida|page|sid\.?|s\.)\s*)?  # optional word
        (\d{1,4})                          # the page number
        (?:\s*(?:av|of|/|\()\s*\d{1,4}\)?)?$  # optional total: "av 6", "/6", "(6)"
    """,
    re.IGNORECASE | re.VERBOSE,
)
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
    cols: list[float] = field(default_factory=list)  # x where each tab-separated cell begins
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
    tables: list[tuple[list[list[str]], tuple]] | None = None  # None: pdfplumber must find them


def read(path: str | Path) -> Document:
    """Read a PDF file into a Document."""
    return read_bytes(file_bytes(path), str(path))


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
    boxes: dict[int, tuple[float, float, float, float]] = {}
    text, found = take_markers(_assemble(pages, boxes))
    spans = zip(found[TABLE_START], found[TABLE_END])
    text = text.rstrip("\n")
    if text.count("\n") + 1 < max(boxes, default=0) + 1:
        boxes = {}  # normalising changed the line count (a U+2028 in the text layer): no boxes
    return Document(
        text=text,
        path=path,
        format="pdf",
        notes=notes,
        boxes=boxes,
        sha256=hashlib.sha256(data).hexdigest(),
        page_starts=found[PAGE_START],
        tables=[Table(rows, page, s, e) for (rows, page), (s, e) in zip(tables, spans)],
    )


def _open(data: bytes, path: str) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in _PASSWORD_ERRORS:
            raise UnreadableDocument(
                path,
                "encrypted PDF: it needs a password to open; remove the "
                "protection (e.g. qpdf --decrypt) and try again",
            ) from exc
        raise UnreadableDocument(
            path,
            f"corrupt PDF: PDFium cannot parse it ({exc}); re-download "
            "it or repair it (e.g. qpdf) and try again",
        ) from exc
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
        result.ruled, result.images = pdf_tables.scan(page.raw, width, height)
        if result.ruled and result.rows:
            result.tables = _native_tables(page, textpage, height)
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


def _row(
    tp: pdfium.PdfTextPage, text: str, start: int, end: int, height: float, number: int
) -> _Row | None:
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
    cols: list[float] = []
    if " " in piece.strip():
        piece, cols = _columns(tp, text, first, last, size, piece, start)
        words = piece.replace("\t", " \t ").split(" ")
        words = [w for w in words if w]
    clean = _BULLET_RE.sub(" • ", " ".join(words).replace(" \t ", "\t"), count=1)
    return _Row(
        clean,
        left,
        right,
        height - max(top, top2),
        height - min(bottom, bottom2),
        size,
        number,
        first_word=word_right - left,
        cols=cols,
    )


def _columns(
    tp: pdfium.PdfTextPage, text: str, first: int, last: int, size: float, piece: str, start: int
) -> tuple[str, list[float]]:
    """The line with a tab at each gap wider than 1.5 ems (a table cell or a column), and the x
    where each such cell begins: the columns of a label/value table drawn without rules."""
    chars, cols = list(piece), []
    for j in range(first + 1, last):
        if text[j] != " " or text[j - 1] == " " or text[j + 1] == " ":
            continue
        box = tp.get_charbox(j, loose=True)
        if box[2] - box[0] > 0.01:
            continue  # a space of the text itself; PDFium puts a box-less one where it saw a gap
        after = tp.get_charbox(j + 1, loose=True)[0]
        if after - tp.get_charbox(j - 1, loose=True)[2] > 1.5 * size:
            chars[j - start] = "\t"
            cols.append(after)
    return "".join(chars), cols


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
        prev.cols += ([row.x0] if sep == "\t" else []) + row.cols
        prev.x1, prev.bottom = max(prev.x1, row.x1), max(prev.bottom, row.bottom)
    return merged


def _check_text(pages: list[_Page], path: str) -> list[str]:
    """Refuse PDFs without a text layer; note image-only pages in an otherwise good file."""
    empty = [p for p in pages if not p.rows]
    if len(empty) < len(pages):
        return [
            f"page {p.number} has no text layer (image only); OCR is not supported"
            for p in empty
            if p.images
        ]
    if any(p.images for p in pages):
        raise UnreadableDocument(
            path,
            "image-only PDF (scanned pages, no text layer); OCR is not "
            "supported: run OCR first (e.g. ocrmypdf) and read its output",
        )
    raise UnreadableDocument(path, "PDF contains no text (blank or damaged pages)")


def _native_tables(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, height: float
) -> list[tuple[list[list[str]], tuple]] | None:
    """The page's tables from PDFium (see pdf_tables), or None where pdfplumber must find them:
    a near tie or an unmodelled case, or a page box pdfplumber measures differently."""
    mediabox = page.get_mediabox()
    if page.get_rotation() or mediabox[:2] != (0, 0) or page.get_cropbox() != mediabox:
        return None
    try:
        found = pdf_tables.find_tables(page.raw, textpage.raw, height)
    except pdf_tables.Unsure:
        return None
    return [(rows, bbox) for raw, bbox in found if (rows := _table_rows(raw))]


def _add_tables(data: bytes, pages: list[_Page], notes: list[str]) -> list[tuple[list, int]]:
    """Tables of ruled pages (PDFium's, pdfplumber's where PDFium was unsure) in place of the
    rows they cover."""
    ruled = [p for p in pages if p.ruled and p.rows]
    hard = [p for p in ruled if p.tables is None]
    if hard:
        try:
            per_page = pdf_tables.plumber_tables(data, [p.number for p in hard])
        except Exception as exc:
            notes.append(
                f"tables skipped: pdfplumber cannot parse the file ({type(exc).__name__}: {exc})"
            )
            per_page = {}
        for page in hard:
            page.tables = [
                (rows, bbox)
                for raw, bbox in per_page.get(page.number, [])
                if (rows := _table_rows(raw))
            ]
    found = []
    for page in ruled:
        for rows, bbox in page.tables or []:
            _place_table(page, rows, bbox)
            found.append((rows, page.number))
    return found


def _table_rows(raw: list[list[str | None]]) -> list[list[str]] | None:
    """Cleaned rows without empty ones, if at least two rows and two columns remain."""
    rows = [[_clean_cell(c) for c in row] for row in raw]
    rows = [r for r in rows if any(r)]
    return rows if len(rows) >= 2 and max(len(r) for r in rows) >= 2 else None


def _clean_cell(cell: str | None) -> str:
    """One line per cell: bullets mapped, wrapped lines joined."""
    text = ""
    for part in _CID_BULLET_RE.sub("•", cell or "").split("\n"):
        line = " ".join(part.split())
        text = _join(text, line) if text and line else text or line
    return text


def _place_table(page: _Page, rows: list[list[str]], bbox: tuple[float, ...]) -> None:
    x0, top, x1, bottom = bbox
    inside = [
        r
        for r in page.rows
        if x0 - 1 <= (r.x0 + r.x1) / 2 <= x1 + 1 and top - 1 <= (r.top + r.bottom) / 2 <= bottom + 1
    ]
    page.rows = [r for r in page.rows if r not in inside]
    page.rows.append(_Row("", x0, x1, top, bottom, 0.0, page.number, table=rows))
    page.rows.sort(key=lambda r: (round(r.top, 1), r.x0))


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove running headers/footers and bare page numbers from the page margins."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", " ".join(text.lower().split()))

    margin = {
        id(r)
        for p in pages
        for r in p.rows
        if r.table is None and (r.bottom < _BAND * p.height or r.top > (1 - _BAND) * p.height)
    }
    seen: dict[str, set[int]] = {}
    for p in pages:
        for r in p.rows:
            if id(r) in margin:
                seen.setdefault(key(r.text), set()).add(p.number)
    with_text = sum(1 for p in pages if p.rows)
    need = max(2, math.ceil(0.75 * with_text))
    running = {k for k, numbers in seen.items() if len(numbers) >= need}
    for p in pages:
        p.rows = [
            r
            for r in p.rows
            if id(r) not in margin
            or not (key(r.text) in running or _is_page_number(r.text, p.number))
        ]


def _is_page_number(text: str, number: int) -> bool:
    m = _PAGE_NUMBER_RE.match(text)
    return m is not None and int(m.group(1)) == number


def _assemble(
    pages: list[_Page], boxes: dict[int, tuple[float, float, float, float]] | None = None
) -> str:
    """Flow every row into normalised lines carrying page and table markers; `boxes` receives each
    line's box on its page (x0, top, x1, bottom in points, top-down; a joined line's union)."""
    boxes = {} if boxes is None else boxes
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
                first = len(lines)
                _emit_table(lines, row.table, pending)
                boxes.update(
                    dict.fromkeys(range(first, len(lines)), (row.x0, row.top, row.x1, row.bottom))
                )
                prev, item, pending = row, None, ""
                continue
            how = _how(prev, row, right, item, pitches.get(round(row.size, 1)))
            if how == "join":
                lines[-1] = _join_marked(lines[-1], row.text, pending)
                x0, top, x1, bottom = boxes.get(
                    len(lines) - 1, (row.x0, row.top, row.x1, row.bottom)
                )
                if row.page == prev.page:  # type: ignore[union-attr]
                    boxes[len(lines) - 1] = (
                        min(x0, row.x0),
                        top,
                        max(x1, row.x1),
                        max(bottom, row.bottom),
                    )
            else:
                lines.extend(
                    ["", pending + row.text] if how == "blank" and lines else [pending + row.text]
                )
                boxes[len(lines) - 1] = (row.x0, row.top, row.x1, row.bottom)
            item = row if row.text.startswith(" • ") else item if how == "join" else None
            prev, pending = row, ""
    if pending and lines:
        lines[-1] += pending
    return normalise_text("\n".join(lines))


def _line_pitches(rows: list[_Row]) -> dict[float, float]:
    """The usual baseline-to-baseline step per font size on a page (its line spacing)."""
    seen: dict[float, list[float]] = {}
    for a, b in itertools.pairwise(rows):
        step = b.bottom - a.bottom
        if a.table is None and b.table is None and a.size == b.size and 0 < step < 1.7 * b.size:
            seen.setdefault(round(b.size, 1), []).append(step)
    return {size: sorted(steps)[len(steps) // 2] for size, steps in seen.items()}


def _how(prev: _Row | None, row: _Row, right: float, item: _Row | None, pitch: float | None) -> str:
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
    if (
        prev.cols
        and abs(row.x0 - prev.cols[-1]) < 2
        and not row.cols
        and abs(row.size - prev.size) < 1
    ):
        return "join"  # the value of a table cell wrapped in its column
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
