"""Render corpus pages the ways people really save them, with tools independent of esfparse's
fixture script, and measure whether each rendering gives the same record as its .txt.

    .venv/bin/python scripts/make_renderings.py            # (re)write corpus/renderings/
    .venv/bin/python scripts/make_renderings.py --measure  # print the rendering x equality table

Families (each skipped with a message when its tool is missing):

- ``chromium-pdf``: the HTML pages printed to PDF by headless Chromium ("Save as PDF");
- ``browser-text``: the HTML pages' text as Chromium lays it out (``document.body.innerText``, what
  select-all and copy gives: table cells tab-separated, cookie banner and navigation included);
- ``w3m``, ``lynx``: ``w3m -dump`` and ``lynx -dump`` of the HTML pages (lynx indents and numbers links);
- ``table-pdf``: every project page with a header (seeds, dev, held-out, real) as an A4 PDF whose
  header is a two-column label/value table without vertical rules (reportlab);
- ``tabbed``: the same pages with each header pair as ``Label<TAB>value`` (a table pasted as text);
- ``html-markup``: the same pages as HTML in markup the fixture script does not use, one shape per page
  in turn: ``<dl>``, a table of two ``<td>``, ``<div>`` rows of label and value, ``<p><b>Label</b> value``;
  with a cookie banner pinned by the page's stylesheet (``position: fixed``), navigation and breadcrumbs;
- ``crlf``, ``nbsp``, ``indent``: every corpus page with CRLF line ends, no-break spaces, or every line
  indented (values deeper than labels); made in memory by ``perturb`` (no files written).

A rendering is compared with its .txt's record field by field (``compare``): kind, title, every header
field (the gold shape's top-level fields and every ``extra`` key), municipalities and goals (value,
unit, what, source and the quote's words).
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
OUT = CORPUS / "renderings"
SETS = {"raw": CORPUS / "raw", "heldout": CORPUS / "heldout/raw", "real": CORPUS / "real/raw"}
HTML_DIR = CORPUS / "html"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HTML_FAMILIES = ("chromium-pdf", "browser-text", "w3m", "lynx")
TEXT_FAMILIES = ("table-pdf", "tabbed", "html-markup")
PERTURBATIONS = ("crlf", "nbsp", "indent")
EXTENSIONS = {"chromium-pdf": ".pdf", "table-pdf": ".pdf", "html-markup": ".html"}
HEADER_FIELDS = (
    "kind",
    "title",
    "programme_area",
    "phase",
    "owner",
    "contact_person",
    "email",
    "phone",
    "esf_grant_sek",
    "total_budget_sek",
    "period_start",
    "period_end",
    "region",
)


# ---------------------------------------------------------------- sources


def txt_sources() -> list[tuple[str, Path]]:
    """(name, .txt path) of every corpus page: seeds and dev, held-out, and the real documents."""
    out = []
    for key, folder in SETS.items():
        out += [(f"{key}-{p.stem}", p) for p in sorted(folder.glob("*.txt"))]
    return out


def source_of(name: str) -> Path:
    """The .txt a rendering named ``<set>-<stem>`` was made from."""
    key, stem = name.split("-", 1)
    return SETS[key] / f"{stem}.txt"


def html_sources() -> list[tuple[str, Path]]:
    return [(f"raw-{p.stem}", p) for p in sorted(HTML_DIR.glob("*.html"))]


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


# ---------------------------------------------------------------- HTML renderings


def chromium_pdf(page: Path) -> bytes:
    """The page printed to PDF by headless Chromium."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pdf"
        subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return out.read_bytes()


_INNER_TEXT_SCRIPT = (
    "<script>(function(){var t=document.body.innerText;var p=document.createElement('pre');"
    "p.id='esf-inner-text';p.textContent=t;document.body.innerHTML='';"
    "document.body.appendChild(p);})();</script>"
)


def browser_text(page: Path) -> str:
    """The page's text as Chromium lays it out (innerText: what select-all and copy gives)."""
    markup = page.read_text(encoding="utf-8")
    cut = markup.lower().rfind("</body>")
    markup = (
        markup[:cut] + _INNER_TEXT_SCRIPT + markup[cut:]
        if cut >= 0
        else markup + _INNER_TEXT_SCRIPT
    )
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        copy.write_text(markup, encoding="utf-8")
        done = subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--dump-dom",
                copy.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    dom = done.stdout.decode("utf-8")
    m = re.search(r'<pre id="esf-inner-text">(.*?)</pre>', dom, re.DOTALL)
    if not m:
        raise RuntimeError(f"no innerText in Chromium's DOM of {page}")
    return html.unescape(m.group(1))


def w3m_dump(page: Path) -> str:
    done = subprocess.run(
        ["w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", str(page)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def lynx_dump(page: Path) -> str:
    done = subprocess.run(
        ["lynx", "-dump", "-display_charset=utf-8", "-assume_charset=utf-8", str(page)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


# ---------------------------------------------------------------- header-based renderings


def header_rows(text: str) -> tuple[list[str], list[tuple[str, str]], list[str]] | None:
    """(lines above, (label, value) rows, lines below) of a page's header block, or None.

    Uses esfparse's reading of the .txt only to know where the block is: the rendering is then
    drawn from those rows, so the reader under test sees a layout the .txt never had.
    """
    from esfparse.parsers.header import read_header
    from esfparse.readers.text import document_from_text

    doc = document_from_text(text)
    header = read_header(doc)
    if header is None:
        return None
    lines = doc.text.split("\n")
    rows = [
        (f.label + (":" if f.style == "colon" else ""), f.value) for f in header.fields if f.value
    ]
    return lines[: header.first_line], rows, lines[header.last_line + 1 :]


def tabbed(text: str) -> str | None:
    """The page with its header pairs as ``Label<TAB>value`` lines, as a pasted table gives them."""
    parts = header_rows(text)
    if parts is None:
        return None
    above, rows, below = parts
    return "\n".join([*above, *(f"{label}\t{value}" for label, value in rows), "", *below]) + "\n"


def table_pdf(text: str) -> bytes | None:
    """An A4 PDF of the page whose header is a label/value table with horizontal rules only."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    parts = header_rows(text)
    if parts is None:
        return None
    above, rows, below = parts
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=4)
    head = ParagraphStyle(
        "head", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16, spaceAfter=6
    )
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0)
    label = ParagraphStyle("label", parent=cell, fontName="Helvetica-Bold")

    def paras(lines: list[str], first_bold: bool) -> list:
        out, bold = [], first_bold
        for group in _groups(lines):
            for line in group:
                out.append(Paragraph(html.escape(line.strip()), head if bold else body))
                bold = False
            out.append(Spacer(1, 4))
        return out

    table = Table(
        [[Paragraph(html.escape(a), label), Paragraph(html.escape(b), cell)] for a, b in rows],
        colWidths=[55 * mm, 110 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(
        buf,
        pagesize=A4,
        invariant=1,
        title="ESF project page",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    pdf.build([*paras(above, True), table, Spacer(1, 8), *paras(below, False)])
    return buf.getvalue()


_MARKUPS = ("dl", "td-table", "div-rows", "p-bold")
_HTML_PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Projekt</title>
<style>.consent-bar{{position:fixed;bottom:0;left:0;right:0}} .crumbs a{{color:#036}}</style></head>
<body><div class="consent-bar"><p>Den här webbplatsen sparar kakor för statistik.</p><a href="#">OK</a></div>
<div class="menu"><a href="/">Hem</a> | <a href="/projekt/">Projekt</a> | <a href="/om/">Om oss</a></div>
<p class="crumbs"><a href="/">Hem</a> &gt; <a href="/projekt/">Projekt</a> &gt; {crumb}</p>
<div id="content">{above}{header}{below}</div>
<div class="foot"><p>Sidan uppdaterades senast 2024-01-15.</p></div></body></html>
"""


def html_markup(text: str, index: int = 0) -> str | None:
    """The page as HTML with its header in one of four markups (chosen by index, in turn)."""
    from esfparse.gold import to_gold
    from esfparse.parsers.text_layout import is_heading
    from esfparse.pipeline import extract_document
    from esfparse.readers.text import document_from_text

    parts = header_rows(text)
    if parts is None:
        return None
    above, rows, below = parts
    title = to_gold(extract_document(document_from_text(text)).record).get("title") or ""
    esc = html.escape
    kind = _MARKUPS[index % len(_MARKUPS)]
    if kind == "dl":
        header = "<dl>" + "".join(f"<dt>{esc(a)}</dt><dd>{esc(b)}</dd>" for a, b in rows) + "</dl>"
    elif kind == "td-table":
        header = (
            "<table>"
            + "".join(f"<tr><td>{esc(a)}</td><td>{esc(b)}</td></tr>" for a, b in rows)
            + "</table>"
        )
    elif kind == "div-rows":
        header = "".join(
            f'<div class="row"><div class="l">{esc(a)}</div><div class="v">{esc(b)}</div></div>'
            for a, b in rows
        )
    else:
        header = "".join(f"<p><b>{esc(a)}</b> {esc(b)}</p>" for a, b in rows)

    def blocks(lines: list[str]) -> str:
        out, items = [], []
        for line in [*lines, ""]:
            stripped = line.strip()
            bullet = re.match(r"^[•❖*-]\s*", stripped)
            if bullet and stripped[bullet.end() :]:
                items.append(f"<li>{esc(stripped[bullet.end() :])}</li>")
                continue
            if items:
                out.append("<ul>" + "".join(items) + "</ul>")
                items = []
            if not stripped:
                continue
            tag = (
                "h1"
                if title and stripped.endswith(title)
                else "h2"
                if is_heading(stripped)
                else "p"
            )
            out.append(f"<{tag}>{esc(stripped)}</{tag}>")
        return "\n".join(out)

    return _HTML_PAGE.format(
        crumb=esc(title), above=blocks(above), header=header, below=blocks(below)
    )


def _groups(lines: list[str]) -> Iterator[list[str]]:
    cur: list[str] = []
    for line in lines:
        if line.strip():
            cur.append(line)
        elif cur:
            yield cur
            cur = []
    if cur:
        yield cur


# ---------------------------------------------------------------- perturbations


def perturb(text: str, how: str) -> str:
    """The page with CRLF line ends, no-break spaces, or indented lines (values deeper than labels)."""
    if how == "crlf":
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    if how == "nbsp":  # every other space of each line becomes a no-break space
        return "\n".join(_alternate_spaces(line) for line in text.split("\n"))
    if how == "indent":
        parts = header_rows(text)
        values = {v for _, v in parts[1]} if parts else set()
        return "\n".join(
            ("      " if line.strip() in values else "   ") + line if line.strip() else line
            for line in text.split("\n")
        )
    raise ValueError(how)


def _alternate_spaces(line: str) -> str:
    out, n = [], 0
    for ch in line:
        if ch == " ":
            n += 1
            ch = "\u00a0" if n % 2 else " "
        out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- writing and measuring

MAKERS: dict[str, tuple[Callable[[], str | None], Callable]] = {
    "chromium-pdf": (chromium, chromium_pdf),
    "browser-text": (chromium, browser_text),
    "w3m": (lambda: shutil.which("w3m"), w3m_dump),
    "lynx": (lambda: shutil.which("lynx"), lynx_dump),
}


def write(
    out: Path = OUT, families: tuple[str, ...] = HTML_FAMILIES + TEXT_FAMILIES
) -> dict[str, int]:
    """Write every rendering of every family into out/<family>/; returns the count per family."""
    counts: dict[str, int] = {}
    for family in families:
        folder = out / family
        if family in MAKERS:
            tool, make = MAKERS[family]
            if tool() is None:
                print(f"skipped {family}: tool not installed", file=sys.stderr)
                continue
            items = [(name, make(page)) for name, page in html_sources()]
        else:
            make = {"table-pdf": table_pdf, "tabbed": tabbed, "html-markup": html_markup}[family]
            args = [
                (name, p.read_text(encoding="utf-8"), k)
                for k, (name, p) in enumerate(txt_sources())
            ]
            items = [
                (name, make(t, k) if family == "html-markup" else make(t)) for name, t, k in args
            ]
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        ext = EXTENSIONS.get(family, ".txt")
        for name, data in items:
            if data is None:
                continue
            target = folder / f"{name}{ext}"
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
        counts[family] = sum(1 for _, d in items if d is not None)
    return counts


def record_fields(gold: dict) -> dict[str, object]:
    """The compared fields of a gold-shaped record: header fields, extra keys, places, goals."""
    fields: dict[str, object] = {k: gold.get(k) for k in HEADER_FIELDS}
    fields.update({f"extra.{k}": v for k, v in gold.get("extra", {}).items()})
    fields["municipalities"] = gold.get("municipalities")
    fields["goals"] = [
        (
            g["value"],
            g.get("value_max"),
            g["unit"],
            g["what"],
            g["source"],
            " ".join(g["quote"].split()),
        )
        for g in gold.get("goals", [])
    ]
    return fields


def compare(want: dict, got: dict) -> tuple[int, int, list[str]]:
    """(fields equal, fields compared, names of those that differ) between two gold-shaped records."""
    a, b = record_fields(want), record_fields(got)
    names = sorted(
        n for n in set(a) | set(b) if n == "kind" or a.get(n) or b.get(n)
    )  # set on either side
    differ = [n for n in names if a.get(n) != b.get(n)]
    return len(names) - len(differ), len(names), differ


def renderings(out: Path = OUT) -> Iterator[tuple[str, str, Path]]:
    """(family, name, path) of every written rendering."""
    for family in HTML_FAMILIES + TEXT_FAMILIES:
        for path in sorted((out / family).glob("*")):
            yield family, path.stem, path


def measure(out: Path = OUT, verbose: bool = False) -> list[tuple[str, int, int, int, int]]:
    """(family, records equal, records, fields equal, fields) for every family and perturbation."""
    from esfparse.gold import to_gold
    from esfparse.pipeline import extract_document, extract_file
    from esfparse.readers.text import read_bytes

    cache: dict[str, dict] = {}

    def reference(name: str) -> dict:
        if name not in cache:
            cache[name] = to_gold(extract_file(source_of(name)).record)
        return cache[name]

    tally: dict[str, list[int]] = {}

    def count(family: str, name: str, got: dict) -> None:
        equal, total, differ = compare(reference(name), got)
        t = tally.setdefault(family, [0, 0, 0, 0])
        t[0] += not differ
        t[1] += 1
        t[2] += equal
        t[3] += total
        if verbose and differ:
            print(f"{family} {name}: {', '.join(differ)}", file=sys.stderr)

    for family, name, path in renderings(out):
        count(family, name, to_gold(extract_file(path).record))
    for how in PERTURBATIONS:
        for name, path in txt_sources():
            data = perturb(path.read_text(encoding="utf-8"), how).encode("utf-8")
            count(how, name, to_gold(extract_document(read_bytes(data, str(path))).record))
    return [(f, *t) for f, t in tally.items()]  # type: ignore[misc]


def table(rows: list[tuple[str, int, int, int, int]]) -> str:
    lines = ["| rendering | records equal to the .txt's | fields equal |", "|---|---|---|"]
    for family, req, rn, feq, fn in rows:
        lines.append(
            f"| {family} | {req}/{rn} ({100 * req / rn:.0f} %) | {100 * feq / fn:.1f} % ({feq}/{fn}) |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--measure", action="store_true", help="measure the written renderings instead")
    ap.add_argument(
        "--verbose", action="store_true", help="with --measure: name the fields that differ"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--family", action="append", help="only these families (repeatable)")
    args = ap.parse_args()
    if args.measure:
        print(table(measure(args.out, args.verbose)))
        return
    counts = write(args.out, tuple(args.family) if args.family else HTML_FAMILIES + TEXT_FAMILIES)
    print(json.dumps(counts))


if __name__ == "__main__":
    csv.field_size_limit(1 << 20)
    main()
