"""Ruled tables from PDFium: pdfplumber's ``find_tables()`` and ``Table.extract()``, ported.

pdfplumber finds tables in the page's ruling lines and box edges, but asking it means pdfminer
parsing the whole page first (~45 ms a slide, 4/5 of the reader's time on a deck with tables).
The same edges are PDFium's path objects and the same characters its text page, both already
open, so this module replays pdfplumber's default "lines" strategy on them step for step, with
its settings, so that the rows come out as pdfplumber's do:

1. edges: every painted path split into subpaths and typed as pdfminer types them (line,
   rectangle, curve), then cut into pdfplumber's horizontal and vertical edges (top-down);
2. merge: edges snapped to the mean of their 3 pt cluster, joined along their line when less
   than 3 pt apart, those shorter than 3 pt dropped;
3. cells: points where edges cross (3 pt tolerance), from each point the smallest rectangle
   ruled on all four sides, tables as groups of cells sharing corners, in reading order;
4. text: each character boxed as pdfminer boxes it (origin, advance width, font descent and
   size), given to the cell holding its centre, then lines and words as ``extract_text`` makes
   them (x and y tolerance 3 pt, ligatures expanded).

PDFium's numbers are not pdfminer's bit for bit (float32 against float64, whole-unit glyph
widths, a standard-14 font's descent from its bounding box), so every comparison with a
threshold is checked for a near tie, with a margin for what is known to differ. A near tie, or
what the port does not model, raises ``Unsure`` and the reader asks pdfplumber itself for that
page's tables: rotated, skewed or mirrored text; a glyph without Unicode (pdfminer's
``(cid:N)``); € or code 127 in a font on pdfminer's AFM metrics (no width there); a line-end
hyphen PDFium cannot tell from a soft hyphen; character spacing (pdfminer drops it after a
string's last glyph); text PDFium leaves out as printed twice, or overlapping text; a space
PDFium may have swallowed inside a word; an unreadable matrix or path. Known and accepted: a
soft hyphen (code 0xAD) in a standard-14 font is a space to pdfminer and ``-`` to PDFium, and
such a font's ``/Widths``, if they disagree with the AFM widths pdfminer uses, move its text.
"""

from __future__ import annotations

import bisect
import ctypes
import io
import itertools
from operator import itemgetter
from typing import Any

import pypdfium2.raw as pdfium_c

TOL = 3.0  # pdfplumber's snap, join and intersection tolerance and its text x/y tolerance
MIN_EDGE = 3.0  # edge_min_length; edge_min_length_prefilter is 1
EPS = 0.01  # closer than this to a threshold is a tie PDFium's numbers cannot settle
LIGATURES = {
    "ﬀ": "ff",
    "ﬃ": "ffi",
    "ﬄ": "ffl",
    "ﬁ": "fi",
    "ﬂ": "fl",
    "ﬆ": "st",
    "ﬅ": "st",
}  # pdfplumber expands these in words
# pdfminer takes these fonts' metrics from its AFM files (descender per 1000 units of size)
_AFM_DESCENT = {
    **{
        f"{name}{style}": -0.207
        for name in ("Helvetica", "Arial")
        for style in ("", "-Bold", "-BoldOblique", "-Oblique", ",Italic", ",Bold", ",BoldItalic")
    },
    **{
        f"{name}{style}": -0.194
        for name in ("Courier", "CourierNew")
        for style in ("", "-Bold", "-BoldOblique", "-Oblique", ",Italic", ",Bold", ",BoldItalic")
    },
    **{
        f"{name}{style}": -0.217
        for name, styles in (
            ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
            ("TimesNewRoman", ("", ",Italic", ",Bold", ",BoldItalic")),
        )
        for style in styles
    },
    "Symbol": 0.0,
    "ZapfDingbats": 0.0,
}
_NO_AFM_WIDTH = "€•"  # in those fonts pdfminer gives € and code 127 (PDFium: •) no width
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

Edge = tuple[float, float, float, float]  # x0, top, x1, bottom, top-down as pdfplumber's
Cell = tuple[float, float, float, float]
# text, x0, x1, top, bottom, vertical doubt, PDFium-made characters next to it (1 before,
# 2 after), horizontal doubt
Char = tuple[str, float, float, float, float, float, int, float]
# a character as _char boxes it: text, x0, x1, top, bottom, vertical doubt, horizontal doubt
_RawChar = tuple[str, float, float, float, float, float, float]


class Unsure(Exception):
    """pdfplumber itself must read this page's tables (the message says why)."""


def find_tables(raw_page, raw_textpage, height: float) -> list[tuple[list, Cell]]:
    """``[(t.extract(), t.bbox) for t in page.find_tables()]`` as pdfplumber would give it."""
    v_edges, h_edges = _edges(raw_page, height)
    tables = _tables(_cells(_merge(v_edges, 0), _merge(h_edges, 1)))
    if not tables:
        return []
    chars, inked = _chars(raw_textpage, height, tables)
    _check_dropped_text(raw_page, height, tables, inked)
    return [(_extract(_grid(t), chars), _bbox(t)) for t in tables]


def plumber_tables(data: bytes, numbers: list[int]) -> dict[int, list[tuple[list, Cell]]]:
    """The same from pdfplumber itself, for the given page numbers (1-based)."""
    import pdfplumber  # deferred: pdfminer is slow to import and only needed for hard pages

    with pdfplumber.open(io.BytesIO(data)) as plumber:
        return {
            n: [(t.extract(), t.bbox) for t in plumber.pages[n - 1].find_tables()] for n in numbers
        }


# ---------------------------------------------------------------- page objects and edges


def scan(raw_page, width: float, height: float) -> tuple[bool, int]:
    """(ruled, images): whether ruling lines or boxes suggest a table, and the image count."""
    area = width * height
    across = down = boxes = images = 0
    for obj, kind, _ in page_objects(raw_page):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        box = [ctypes.c_float() for _ in range(4)]
        pdfium_c.FPDFPageObj_GetBounds(obj, *box)
        x0, y0, x1, y1 = (v.value for v in box)
        w, h = x1 - x0, y1 - y0
        if h <= 3 and w >= 10:
            across += 1
        elif w <= 3 and h >= 10:
            down += 1
        elif w * h < 0.5 * area:  # a page-sized background is no table
            boxes += 1 if pdfium_c.FPDFPath_CountSegments(obj) < 8 else 4
    return (across >= 2 and down >= 2) or boxes >= 4, images


_DRAWN = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH)


def page_objects(raw_page, kinds=_DRAWN, form=None, outer=_IDENTITY):
    """(handle, type, container matrix) of objects of the given types (default: images and
    paths), descending into forms; the matrix None when unreadable.

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
            yield from page_objects(raw_page, kinds, obj, _compose(_matrix(obj), outer))
        elif kind in kinds:
            yield obj, kind, outer


def _matrix(obj) -> tuple[float, ...] | None:
    m = pdfium_c.FS_MATRIX()
    return (m.a, m.b, m.c, m.d, m.e, m.f) if pdfium_c.FPDFPageObj_GetMatrix(obj, m) else None


def _compose(inner, outer):
    """inner, then outer (PDF row-vector convention); None if either is unreadable."""
    if inner is None or outer is None:
        return None
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _edges(raw_page, height: float) -> tuple[list[list[float]], list[list[float]]]:
    """pdfplumber's page edges longer than 1 pt: vertical and horizontal, each in its order
    (line edges, then rectangle edges, then curve edges)."""
    lines: list[tuple | None] = []
    rects: list[tuple | None] = []
    curves: list[tuple | None] = []
    for obj, kind, outer in page_objects(raw_page):
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        matrix = _compose(_matrix(obj), outer)
        if matrix is None:
            raise Unsure("an object's matrix is unreadable")
        for shape, pts in _subpaths(obj, matrix, height):
            if shape in ("ml", "mlh"):
                lines.append(_segment_edge(pts[0], pts[1], line=True))
            elif shape in ("mlllh", "mllll") and _is_rect(pts):
                rects.extend(_rect_edges(pts[0], pts[2]))
            else:
                curves.extend(_segment_edge(p, q) for p, q in itertools.pairwise(pts))
    v_edges: list[list[float]] = []
    h_edges: list[list[float]] = []
    for edge in itertools.chain(lines, rects, curves):
        if edge is None:
            continue
        orientation, x0, top, x1, bottom = edge
        length = bottom - top if orientation == "v" else x1 - x0
        _check(length - 1.0, "edge length")
        if length >= 1.0:
            (v_edges if orientation == "v" else h_edges).append([x0, top, x1, bottom])
    return v_edges, h_edges


def _subpaths(obj, m: tuple[float, ...], height: float):
    """(shape, points) per subpath as pdfminer's ``paint_path`` sees them: ``m``/``l``/``c``/``h``
    operators, one end point each (a Bézier's control points dropped), top-down page points."""
    a, b, c, d, e, f = m
    x, y = ctypes.c_float(), ctypes.c_float()
    shape, bezier = "", 0
    pts: list[tuple[float, float]] = []
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        pt = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if len(shape) > 1:
                yield _tidy(shape, pts)
            shape, pts, bezier = "m", [pt], 0
            continue
        if kind not in (pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO) or not shape:
            raise Unsure("unknown path segment")
        shape += "l" if kind == pdfium_c.FPDF_SEGMENT_LINETO else "c"
        pts.append(pt)
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            shape += "h"
            pts.append(pts[0])
    if len(shape) > 1:
        yield _tidy(shape, pts)


def _tidy(shape: str, pts: list) -> tuple[str, list]:
    """pdfminer drops a redundant ``l`` back to the start of a path closed with ``h``."""
    if len(shape) > 3 and shape[-2:] == "lh":
        if pts[-2] == pts[0]:
            return shape[:-2] + "h", pts[:-1]
        _check_point(pts[-2], pts[0])
    return shape, pts


def _is_rect(pts: list) -> bool:
    """pdfminer's test: a closed four-sided path with axis-parallel sides."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
    _check_point(pts[0], last)
    for p, q in ((x0, x1), (y1, y2), (x2, x3), (y3, y0), (y0, y1), (x1, x2), (y2, y3), (x3, x0)):
        if p != q:
            _check(p - q, "rectangle corner")
    return pts[0] == last and (
        (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
        or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
    )


def _rect_edges(p, q) -> list[tuple]:
    """pdfplumber's four edges of a rectangle (top, bottom, left, right)."""
    x0, x1, top, bottom = min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1])
    low = top + (bottom - top)  # pdfplumber's arithmetic: top + height
    return [
        ("h", x0, top, x1, top),
        ("h", x0, low, x1, low),
        ("v", x0, top, x0, bottom),
        ("v", x1, top, x1, bottom),
    ]


def _segment_edge(p, q, line: bool = False) -> tuple | None:
    """A line's edge (horizontal when level, else vertical, even if slanted) or a curve
    segment's (vertical or horizontal only)."""
    x0, x1, top, bottom = min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1])
    if line:
        if top != bottom:
            _check(bottom - top, "level line")
        return ("h" if top == bottom else "v", x0, top, x1, bottom)
    if p[0] == q[0]:
        return ("v", x0, top, x1, bottom)
    _check(x1 - x0, "upright segment")
    if p[1] == q[1]:
        return ("h", x0, top, x1, bottom)
    _check(bottom - top, "level segment")
    return None


def _check(gap: float, what: str, doubt: float = 0.0) -> None:
    """Refuse a value too close to zero for PDFium's numbers to decide like pdfminer's."""
    if abs(gap) <= EPS + doubt:
        raise Unsure(f"near tie: {what}")


def _check_point(p, q) -> None:
    if p != q and abs(p[0] - q[0]) <= EPS and abs(p[1] - q[1]) <= EPS:
        raise Unsure("near tie: path point")


# ---------------------------------------------------------------- merging, cells, tables


def _merge(edges: list[list[float]], axis: int) -> list[Edge]:
    """pdfplumber's ``merge_edges`` and length filter for one orientation; axis 0 for vertical
    edges (placed by x0, running top to bottom), 1 for horizontal (placed by top)."""
    lo, hi = (1, 3) if axis == 0 else (0, 2)
    groups = _clusters(edges, axis)
    for group in groups:
        mean = sum(e[axis] for e in group) / len(group)
        for e in group:
            shift = mean - e[axis]
            if e[axis] + shift != mean or not (shift == 0 or mean / 2 <= e[axis] <= 2 * mean):
                raise Unsure("snapped edges may not coincide")  # pdfminer's sums could differ
            e[axis] += shift
            e[axis + 2] += shift
    merged: list[list[float]] = []
    snapped = [e for group in groups for e in group]
    for _, same in itertools.groupby(sorted(snapped, key=itemgetter(axis)), itemgetter(axis)):
        joined: list[list[float]] = []
        for e in sorted(same, key=itemgetter(lo)):
            if joined:
                _check(e[lo] - joined[-1][hi] - TOL, "join")
            if joined and e[lo] <= joined[-1][hi] + TOL:
                joined[-1] = [*joined[-1]]
                joined[-1][hi] = max(joined[-1][hi], e[hi])
            else:
                joined.append(e)
        merged += joined
    for e in merged:
        _check(e[hi] - e[lo] - MIN_EDGE, "edge length")
    return [(e[0], e[1], e[2], e[3]) for e in merged if e[hi] - e[lo] >= MIN_EDGE]


def _cells(v_edges: list[Edge], h_edges: list[Edge]) -> list[Cell]:
    """pdfplumber's ``edges_to_intersections`` and ``intersections_to_cells``."""
    points: dict[tuple[float, float], tuple[set, set]] = {}
    for v in sorted(v_edges, key=itemgetter(0, 1)):
        for h in sorted(h_edges, key=itemgetter(1, 0)):
            gaps = (h[1] + TOL - v[1], v[3] - h[1] + TOL, v[0] - h[0] + TOL, h[2] + TOL - v[0])
            if min(gaps) < -EPS:
                continue
            for gap in gaps:
                _check(gap, "intersection")
            vertex = points.setdefault((v[0], h[1]), (set(), set()))
            vertex[0].add(v)
            vertex[1].add(h)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for pt in sorted(points):
        by_x.setdefault(pt[0], []).append(pt)
        by_y.setdefault(pt[1], []).append(pt)

    def connects(p, q, axis):  # axis 0: along a vertical edge, 1: along a horizontal one
        return bool(points[p][axis] & points[q][axis])

    cells = []
    for pt in sorted(points):
        below = [q for q in by_x[pt[0]] if q[1] > pt[1]]
        right = [q for q in by_y[pt[1]] if q[0] > pt[0]]
        cell = next(_smallest_cell(pt, below, right, points, connects), None)
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(pt, below, right, points, connects):
    for low in below:
        if not connects(pt, low, 0):
            continue
        for side in right:
            if not connects(pt, side, 1):
                continue
            corner = (side[0], low[1])
            if corner in points and connects(corner, side, 0) and connects(corner, low, 1):
                yield (pt[0], pt[1], corner[0], corner[1])
                return


def _tables(cells: list[Cell]) -> list[list[Cell]]:
    """pdfplumber's ``cells_to_tables``: groups of cells sharing corners, more than one cell,
    ordered by their top-left cell."""
    remaining = list(cells)
    current: list[Cell] = []
    corners: set[tuple[float, float]] = set()
    tables: list[list[Cell]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            mine = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in mine):
                corners.update(mine)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _bbox(cells) -> Cell:
    cells = [c for c in cells if c is not None]
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )


def _grid(cells: list[Cell]) -> list[list[Cell | None]]:
    """pdfplumber's ``Table.rows``: cells by top, placed in the table's columns by x0."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, row in itertools.groupby(sorted(cells, key=itemgetter(1, 0)), itemgetter(1)):
        at = {c[0]: c for c in row}
        rows.append([at.get(x) for x in xs])
    return rows


# ---------------------------------------------------------------- characters and cell text


def _check_dropped_text(raw_page, height: float, tables: list[list[Cell]], inked: dict) -> None:
    """Refuse text near the tables that PDFium left out of its text page. It drops a text
    object printed twice on the same spot, and a glyph within 0.07 em of the same glyph just
    before it; pdfminer keeps both ("ffaakkee bbolold"). Seen as a text object without
    characters, or one reaching beyond the boxes of the characters PDFium kept of it."""
    x0, top, x1, bottom = _bbox([_bbox(t) for t in tables])
    for obj, _, outer in page_objects(raw_page, (pdfium_c.FPDF_PAGEOBJ_TEXT,)):
        box = [ctypes.c_float() for _ in range(4)]
        pdfium_c.FPDFPageObj_GetBounds(obj, *box)
        left, low, right, high = _on_page([v.value for v in box], outer)
        if (
            left > x1 + TOL
            or right < x0 - TOL
            or height - low < top - TOL
            or height - high > bottom + TOL
        ):
            continue
        kept = inked.get(ctypes.cast(obj, ctypes.c_void_p).value)
        if kept is None or left < kept[0] - EPS or right > kept[1] + EPS:
            raise Unsure("text PDFium left out (printed twice?)")


def _on_page(box: list[float], outer) -> list[float]:
    """A box in a container's space on the page: the box around its corners, moved."""
    if outer is None:
        raise Unsure("an object's matrix is unreadable")
    a, b, c, d, e, f = outer
    xs, ys = zip(*((a * x + c * y + e, b * x + d * y + f) for x in box[::2] for y in box[1::2]))
    return [min(xs), min(ys), max(xs), max(ys)]


def _chars(tp, height: float, tables: list[list[Cell]]) -> tuple[list[Char], dict]:
    """The page's characters near the tables, boxed as pdfminer boxes them, in content order,
    each checked for a centre too close to a cell border; and per text object the horizontal
    extent of all its characters (PDFium's loose boxes: advance and ink)."""
    boxes = [_bbox(t) for t in tables]
    xs = sorted({x for t in tables for c in t for x in (c[0], c[2])})
    ys = sorted({y for t in tables for c in t for y in (c[1], c[3])})
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    loose, made = pdfium_c.FS_RECTF(), False
    objects: dict[int | None, tuple] = {}  # per text object (its handle)
    widths: dict[tuple[int | None, int], float] = {}
    chars: list[list[Any]] = []  # [index, gap flags, char, text object]
    inked: dict[int | None, list[float]] = {}
    for i in range(pdfium_c.FPDFText_CountChars(tp)):
        if pdfium_c.FPDFText_IsGenerated(tp, i) != 0:  # PDFium's own spaces and line breaks
            made = True
            if chars and chars[-1][0] == i - 1:
                chars[-1][1] |= 2
            continue
        pdfium_c.FPDFText_GetLooseCharBox(tp, i, loose)
        key = ctypes.cast(pdfium_c.FPDFText_GetTextObject(tp, i), ctypes.c_void_p).value
        extent = inked.setdefault(key, [loose.left, loose.right])
        extent[0], extent[1] = min(extent[0], loose.left), max(extent[1], loose.right)
        pad = loose.top - loose.bottom + TOL
        if (
            loose.right < left - pad
            or loose.left > right + pad
            or height - loose.bottom < top - pad
            or height - loose.top > bottom + pad
        ):
            made = False
            continue
        char = _char(tp, i, key, loose, height, objects, widths)
        _check(_nearest(xs, (char[1] + char[2]) / 2), "character on a column border", char[6])
        _check(_nearest(ys, (char[3] + char[4]) / 2), "character on a row border", char[5])
        chars.append([i, int(made), char, key])
        made = False
    _check_spacing(chars)
    _check_overlap([c for _, _, c, _ in chars])
    return [(*char[:6], gap, char[6]) for _, gap, char, _ in chars], inked


def _nearest(values: list[float], value: float) -> float:
    """Distance from value to the nearest of sorted values."""
    i = bisect.bisect(values, value)
    return min(abs(value - v) for v in values[max(i - 1, 0) : i + 1])


def _check_overlap(chars: list) -> None:
    """Refuse characters on one line covering half of their neighbour: overlapping text,
    where PDFium may have dropped a glyph (see ``_check_dropped_text``)."""
    for _, same in itertools.groupby(sorted(chars, key=itemgetter(3, 1)), itemgetter(3)):
        line = list(same)
        for a, b in itertools.pairwise(line):
            if a[2] - b[1] > 0.5 * min(a[2] - a[1], b[2] - b[1]) > 0:
                raise Unsure("overlapping text")


def _check_spacing(chars: list) -> None:
    """Refuse character spacing (Tc): pdfminer leaves it out after a string's last glyph, so
    the next string on the line starts Tc earlier than in PDFium. Tc is the commonest gap
    between neighbours in one text object (kerning varies from pair to pair)."""
    gaps: dict[int, list[float]] = {}
    for (i, _, a, key), (j, _, b, key2) in itertools.pairwise(chars):
        if key == key2 and j == i + 1 and not a[0].isspace():
            gaps.setdefault(key, []).append(round(b[1] - a[2], 2))
    for values in gaps.values():
        common = max(set(values), key=values.count)
        if abs(common) > EPS:
            raise Unsure("character spacing")


def _char(
    tp, i: int, key: int | None, loose, height: float, objects: dict, widths: dict
) -> _RawChar:
    """One character as pdfminer boxes it: origin to advance width, descent to descent + size."""
    code = pdfium_c.FPDFText_GetUnicode(tp, i)
    if key not in objects:
        objects[key] = (*_font_of(tp, i, pdfium_c.FPDFText_GetTextObject(tp, i)), i)
    a, size, font, tf, descent, doubt, first = objects[key]
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(tp, i, x, y)
    if code == 2:  # PDFium's mark for a line-end hyphen, whichever character it was
        code = 0x2D if doubt == 0 else _hyphen(font, tf, a, loose.right - x.value, widths, key)
    if code < 0x20 or 0xD800 <= code < 0xE000 or pdfium_c.FPDFText_HasUnicodeMapError(tp, i):
        raise Unsure(f"character U+{code:04X} (an unmapped glyph)")
    if doubt == 0 and chr(code) in _NO_AFM_WIDTH:
        raise Unsure("a character pdfminer's AFM metrics give no width")
    x0, x1 = x.value, x.value + _width(font, code, tf, a, widths, key)
    if x1 > loose.right + EPS:
        raise Unsure("advance beyond the character box")
    if loose.right > x1 + EPS:  # the glyph overhangs its advance, or the width is wrong
        tight = [ctypes.c_double() for _ in range(4)]
        pdfium_c.FPDFText_GetCharBox(tp, i, *tight)
        if abs(tight[1].value - loose.right) > EPS:
            raise Unsure("advance width does not match the character box")
    low = height - (y.value + descent * size)
    # PDFium keeps widths in whole font units, pdfminer /Widths as written: < 1 unit a glyph,
    # adding up along the text object (AFM metrics are whole units in both)
    drift = 0.0 if doubt == 0 else (i - first + 1) * tf * a / 1000
    return chr(code), x0, x1, low - size, low, doubt, drift


def _width(font, code: int, tf: float, a: float, widths: dict, key: int | None) -> float:
    """Advance width on the page of the character mapped to ``code`` (a font's fallback
    width if none is)."""
    if (key, code) not in widths:
        w = ctypes.c_float()
        if not pdfium_c.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(tf), w):
            raise Unsure("glyph width unknown")
        widths[key, code] = w.value * a
    return widths[key, code]


def _hyphen(font, tf: float, a: float, advance: float, widths: dict, key: int | None) -> int:
    """The hyphen PDFium marked: ``-`` if its advance is that of ``-`` in its font and not
    that of a soft hyphen or U+2010 (unmapped ones take the font's fallback width). In a font
    on AFM metrics PDFium reads even code 0xAD as ``-`` (pdfminer: a space), so ``-`` it is."""
    hyphen, *others = (_width(font, u, tf, a, widths, key) for u in (0x2D, 0xAD, 0x2010))
    if abs(advance - hyphen) <= EPS and all(abs(advance - w) > EPS for w in others):
        return 0x2D
    raise Unsure("a line-end hyphen PDFium cannot tell from a soft hyphen")


def _font_of(tp, i: int, obj) -> tuple:
    """(x scale, size in points, font, Tf size, descent per point of size, vertical doubt)."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(tp, i, m)
    if m.b or m.c or m.a <= 0 or m.d <= 0:
        raise Unsure("rotated, skewed or mirrored text")
    tf = pdfium_c.FPDFText_GetFontSize(tp, i)
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    n = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(max(n, 1))
    pdfium_c.FPDFFont_GetBaseFontName(font, name, n)
    descent = _AFM_DESCENT.get(name.value.decode("latin-1"))
    doubt = 0.0
    if descent is None:  # the font descriptor's /Descent, as pdfminer reads it; or near it
        value = ctypes.c_float()
        pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), value)
        descent, doubt = -abs(value.value), 0.05 * tf * m.d
    return m.a, tf * m.d, font, tf, descent, doubt


def _extract(grid: list[list[Cell | None]], chars: list[Char]) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()``: per cell the text of the characters centred in it."""
    out = []
    for row in grid:
        box = _bbox(row)
        row_chars = [c for c in chars if _inside(c, box)]
        out.append(
            [
                None if cell is None else _text([c for c in row_chars if _inside(c, cell)])
                for cell in row
            ]
        )
    return out


def _inside(char: Char, box: Cell) -> bool:
    h_mid, v_mid = (char[1] + char[2]) / 2, (char[3] + char[4]) / 2
    return box[0] <= h_mid < box[2] and box[1] <= v_mid < box[3]


def _text(chars: list[Char]) -> str:
    """pdfplumber's ``extract_text`` (not layout): lines by top, words split at blanks and at
    gaps over 3 pt, words regrouped into lines by their top, joined by spaces and newlines.

    Where PDFium made a space or line break of its own it may have swallowed a real space
    (pdfminer keeps every one), which would split the word there: such a spot inside a word
    is for pdfplumber to decide."""
    words = []  # (text, top, doubt)
    for line in _clusters(chars, 3, 5):
        word: list[Char] = []
        for char in sorted(line, key=itemgetter(1)):
            if char[0].isspace():
                words += _word(word)
                word = []
                continue
            if word:
                prev = word[-1]
                _check(char[1] - prev[2] - TOL, "word gap", prev[7] + char[7])
                _check(abs(char[3] - prev[3]) - TOL, "line shift", prev[5] + char[5])
                if char[1] < prev[1] or char[1] > prev[2] + TOL or abs(char[3] - prev[3]) > TOL:
                    words += _word(word)
                    word = []
                elif prev[6] & 2 or char[6] & 1:
                    raise Unsure("PDFium may have dropped a space")
            word.append(char)
        words += _word(word)
    return "\n".join(" ".join(w[0] for w in line) for line in _clusters(words, 1, 2))


def _word(chars: list[Char]) -> list[tuple[str, float, float]]:
    if not chars:
        return []
    text = "".join(LIGATURES.get(c[0], c[0]) for c in chars)
    return [(text, min(c[3] for c in chars), max(c[5] for c in chars))]


def _clusters(items: list, key: int, doubt: int | None = None) -> list[list]:
    """pdfplumber's ``cluster_objects`` with tolerance 3: chains of values (tops, or an edge's
    place) no more than 3 pt apart, in order of value, items in their given order within each."""
    values = sorted({item[key] for item in items})
    margin = 2 * max((item[doubt] for item in items), default=0.0) if doubt else 0.0
    cluster_of, n = {}, 0
    for prev, value in zip([None, *values], values):
        if prev is not None:
            _check(value - prev - TOL, "clustering", margin)
            n += value > prev + TOL
        cluster_of[value] = n
    groups: list[list] = [[] for _ in range(n + 1 if values else 0)]
    for item in items:
        groups[cluster_of[item[key]]].append(item)
    return groups
