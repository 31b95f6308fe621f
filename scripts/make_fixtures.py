"""Render the text documents in corpus/raw/ as HTML pages and PDFs, and write tests/files/.

    .venv/bin/python scripts/make_fixtures.py

- every project page and the talks dev13/dev14 → ``corpus/html/<stem>.html`` (site chrome, cookie
  banner, nav, header/footer, scripts; the header block as ``<dl>``, a label/value table or
  inline spans, as each layout was published) and ``corpus/pdf/<stem>.pdf`` (A4, "Sida N av M");
- the seed presentation ``003_…`` → a 16:9 slide deck: bullets, its tab-separated tables as
  drawn tables, a footer on every slide, each slide's title drawn last in the content stream;
- ``tests/files/``: tiny problem files, written by ``tests/files/make_problem_files.py``.

Output is deterministic (reportlab invariant mode, fixed metadata, fixed zip dates). Site-chrome
lines the scraper captured (cookie notices, banners) go into dropped markup in HTML and stay as
text in the PDFs, which are faithful prints of the text.
"""

from __future__ import annotations

import html
import importlib.util
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Frame,
    KeepInFrame,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[1]
RAW, HTML_DIR, PDF_DIR = ROOT / "corpus/raw", ROOT / "corpus/html", ROOT / "corpus/pdf"
TEST_FILES = ROOT / "tests/files"
DECKS = {"003_cb21b008e22a7951"}
SITES = {"dev12": "Kohesio", "dev13": "Sobona", "dev14": "DocPlayer"}
# Lines of site furniture the scraper captured with the page text.
CHROME = {
    "Logotyp på utskrifter",
    "Stäng",
    "3 december - Webbinarium om fattigdom i dagens Sverige",
    "Mer information och anmälan.",
    "Information med anledning av covid-19",
    "Uppdaterad information med anledning av covid-19",
    "information (1)",
    "Cookies",
    "Lär dig mer",
    "Kohesio: discover EU projects in your region",
    "Save this PDF as:",
    "WORD  PNG  TXT  JPG",
    "Storlek: px",
    "Starta visningen från sidan:",
}
CHROME_PREFIXES = ("Den här hemsidan använder cookies", 'Download "')
LABELS = (
    "Programområde",
    "Projektfas",
    "Projektägare",
    "Kontaktperson",
    "E-post",
    "Telefonnummer",
    "Beviljat ESF-stöd",
    "Total projektbudget",
    "Projektperiod",
    "Region",
    "Utlysning",
    "Projektnummer",
    "Planerat antal deltagare",
)
BULLET_RE = re.compile(r"^\s*[•❖]\s*")
META = {
    "author": "esfparse fixtures",
    "creator": "scripts/make_fixtures.py",
    "subject": "ESF test fixture",
}


@dataclass
class Block:
    """A run of raw lines with the role it plays on the page."""

    kind: str  # chrome | title | header | heading | list | para
    lines: list[str] = field(default_factory=list)
    tight: bool = False  # continues the previous block's group (no blank line between them)


def is_chrome(line: str) -> bool:
    """True for site-furniture lines (kept in PDFs, dropped markup in HTML)."""
    line = line.strip()
    return line in CHROME or line.startswith(CHROME_PREFIXES)


def groups_of(text: str) -> list[list[str]]:
    """Blank-line separated groups of right-stripped lines."""
    groups, cur = [], []
    for line in text.split("\n"):
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            groups.append(cur)
            cur = []
    return [*groups, cur] if cur else groups


def is_header(group: list[str]) -> bool:
    """A header block: at least three short lines."""
    return len(group) >= 3 and all(len(line) <= 90 for line in group)


def is_heading(line: str) -> bool:
    """A stand-alone short line without sentence punctuation."""
    return len(line) <= 70 and not BULLET_RE.match(line) and not re.search(r"[.:!?]$", line)


def blocks_of(text: str) -> list[Block]:
    """Give each group of a project page or talk its role."""
    blocks: list[Block] = []
    titled = headed = False
    for group in groups_of(text):
        if all(is_chrome(line) for line in group):
            blocks.append(Block("chrome", group))
        elif not titled:
            titled = True
            if is_header(group):
                headed = True
                blocks.append(Block("header", group))
            else:
                blocks.append(Block("title", group[:1]))
                blocks.extend(split_list(group[1:]))
        elif not headed and is_header(group):
            headed = True
            blocks.append(Block("header", group))
        elif len(group) == 1 and is_heading(group[0]):
            headed = True
            blocks.append(Block("heading", group))
        else:
            headed = True
            blocks.extend(split_list(group))
    return blocks


def split_list(group: list[str]) -> list[Block]:
    """Lines before the first bullet are a paragraph; bullets with their continuations a list."""
    if not group:
        return []
    first = next((i for i, line in enumerate(group) if BULLET_RE.match(line)), len(group))
    out = [Block("para", group[:first])] if first else []
    return out + ([Block("list", group[first:], tight=bool(out))] if first < len(group) else [])


def header_rows(lines: list[str]) -> list[tuple[str, str, str | None]]:
    """(style, label-or-text, value) for each pair or plain line of a header block."""
    rows, i = [], 0
    while i < len(lines):
        line, nxt = lines[i], lines[i + 1] if i + 1 < len(lines) else None
        glued = next((lab for lab in LABELS if line.startswith(lab) and line != lab), None)
        if line.endswith(":"):
            has_value = nxt is not None and not nxt.endswith(":")
            rows.append(("colon", line, nxt if has_value else None))
            i += 2 if has_value else 1
        elif line in LABELS and nxt is not None:
            rows.append(("stacked", line, nxt))
            i += 2
        elif glued:
            rows.append(("glued", glued, line[len(glued) :]))
            i += 1
        elif ": " in line:
            label, value = line.split(": ", 1)
            rows.append(("inline", label + ":", value))
            i += 1
        else:
            rows.append(("plain", line, None))
            i += 1
    return rows


# ---------------------------------------------------------------- HTML


def esc(s: str) -> str:
    """Escape text for HTML, writing no-break spaces as entities as sites do."""
    return html.escape(s.strip(), quote=False).replace("\xa0", "&nbsp;")


def html_header(lines: list[str]) -> str:
    """The header block in the markup its layout used."""
    rows = header_rows(lines)
    styles = {s for s, _, _ in rows} - {"plain"}
    if "colon" in styles:
        cells = [
            f"<tr><th>{esc(a)}</th><td>{esc(b or '')}</td></tr>"
            if s != "plain"
            else f'<tr><td colspan="2">{esc(a)}</td></tr>'
            for s, a, b in rows
        ]
        return '<table class="project-facts">\n' + "\n".join(cells) + "\n</table>"
    if "stacked" in styles:
        items = [f"<dt>{esc(a)}</dt><dd>{esc(b or '')}</dd>" for _, a, b in rows]
        return '<dl class="project-facts">\n' + "\n".join(items) + "\n</dl>"
    parts = []
    for s, a, b in rows:
        if s == "glued":
            parts.append(
                f'<div class="fact"><span class="label">{esc(a)}</span>'
                f'<span class="value">{esc(b or "")}</span></div>'
            )
        elif s == "inline":
            parts.append(f"<div><strong>{esc(a)}</strong> {esc(b or '')}</div>")
        elif a == "In English":
            parts.append('<div class="lang"><a href="en/" lang="en">In English</a></div>')
        else:
            parts.append(f'<div class="card-title">{esc(a)}</div>')
    return '<div class="project-facts">\n' + "\n".join(parts) + "\n</div>"


def html_block(b: Block) -> str:
    """One content block as HTML."""
    if b.kind == "title":
        return f'<h1 class="page-title">{esc(b.lines[0])}</h1>'
    if b.kind == "header":
        return html_header(b.lines)
    if b.kind == "heading":
        return f"<h2>{esc(b.lines[0])}</h2>"
    if b.kind == "list":
        items: list[list[str]] = []
        for line in b.lines:
            if BULLET_RE.match(line):
                items.append([BULLET_RE.sub("", line)])
            else:
                items[-1].append(line)
        lis = "\n".join(f"<li>{'<br>'.join(map(esc, item))}</li>" for item in items)
        return f"<ul>\n{lis}\n</ul>"
    return "<p>" + "<br>\n".join(map(esc, b.lines)) + "</p>"


PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {site}</title>
<link rel="stylesheet" href="/static/css/site.css">
<style>body{{font-family:Arial,sans-serif;margin:0}} .project-facts th{{text-align:left}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}
gtag("js",new Date(2024,0,15));gtag("config","G-FIXTURE");</script>
</head>
<body class="page-{kind}">
<div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Kakor">
<p>Vi använder kakor (cookies) för att webbplatsen ska fungera och för besöksstatistik.</p>
<button type="button">Godkänn alla</button> <a href="/om-webbplatsen/kakor/">Läs mer om kakor</a>
</div>
<header class="site-header">
<a class="logo" href="/"><img src="/static/img/logo.svg" alt="{site}"></a>
<div class="site-banner">
{chrome}
</div>
<nav class="main-nav" aria-label="Huvudmeny"><ul><li><a href="/">Start</a></li>
<li><a href="/projekt/">Projektbanken</a></li><li><a href="/utlysningar/">Utlysningar</a></li>
<li><a href="/om-oss/">Om oss</a></li></ul></nav>
</header>
<nav class="breadcrumbs" aria-label="Brödsmulor"><a href="/">Start</a> ›
<a href="/projekt/">Projekt</a> › {title}</nav>
<main id="main-content">
<article class="{kind}">
{body}
</article>
</main>
<footer class="site-footer">
<p>{site} · Box 471 · 101 29 Stockholm · Telefon 08-579 171 00</p>
<ul><li><a href="/tillganglighet/">Tillgänglighet</a></li>
<li><a href="/personuppgifter/">Personuppgifter</a></li></ul>
</footer>
<script src="/static/js/site.js" defer></script>
<noscript><p>Aktivera JavaScript för att se kartan.</p></noscript>
</body>
</html>
"""


def render_html(stem: str, text: str) -> str:
    """A whole page: chrome lines in the dropped banner, content in the article."""
    blocks = blocks_of(text)
    title = next((b.lines[0] for b in blocks if b.kind in ("title", "heading")), stem)
    chrome = "\n".join(
        f"<p>{esc(line)}</p>" for b in blocks if b.kind == "chrome" for line in b.lines
    )
    body = "\n".join(html_block(b) for b in blocks if b.kind != "chrome")
    kind = "talk" if stem in ("dev13", "dev14") else "project"
    return PAGE.format(
        title=esc(title),
        site=SITES.get(stem, "Svenska ESF-rådet"),
        chrome=chrome,
        body=body,
        kind=kind,
    )


# ---------------------------------------------------------------- A4 PDF

BODY = ParagraphStyle(
    "body", fontName="Helvetica", fontSize=9.5, leading=12.5, bulletFontSize=9.5, spaceBefore=3
)  # paragraph spacing between raw lines, as printed pages have
GAP = ParagraphStyle("gap", parent=BODY, spaceBefore=10)
STYLES = {
    "chrome": ParagraphStyle("chrome", parent=BODY, textColor=colors.grey),
    "title": ParagraphStyle(
        "title", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=20
    ),
    "heading": ParagraphStyle(
        "heading", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15
    ),
    "bullet": ParagraphStyle("bullet", parent=BODY, leftIndent=14, bulletIndent=3),
}


def px(s: str) -> str:
    """Escape text for a reportlab Paragraph, turning **x** into bold."""
    s = html.escape(s.strip(), quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)


def pdf_lines(b: Block) -> list[tuple[str, str, str | None]]:
    """(style, markup, bullet) for every line of a block."""
    if b.kind in ("title", "heading", "chrome", "para"):
        return [(b.kind if b.kind != "para" else "body", px(line), None) for line in b.lines]
    if b.kind == "list":
        return [
            ("bullet", px(BULLET_RE.sub("", line)), "•")
            if BULLET_RE.match(line)
            else ("body", px(line), None)
            for line in b.lines
        ]
    out = []
    for s, a, v in header_rows(b.lines):
        if s == "glued":
            out.append(("body", f"<b>{px(a)}</b>{px(v or '')}", None))
        elif s == "inline":
            out.append(("body", f"<b>{px(a)}</b> {px(v or '')}", None))
        elif s == "plain":
            out.append(("body", px(a), None))
        else:
            out.append(("body", f"<b>{px(a)}</b>", None))
            if v is not None:
                out.append(("body", px(v), None))
    return out


def a4_story(text: str) -> list:
    """Flowables: one Paragraph per raw line; a line's worth of space between groups."""
    story: list = []
    for b in blocks_of(text):
        for i, (style, markup, bullet) in enumerate(pdf_lines(b)):
            st = STYLES.get(style, BODY)
            if i == 0 and story and not b.tight:
                st = ParagraphStyle(f"{st.name}-gap", parent=st, spaceBefore=GAP.spaceBefore)
            story.append(Paragraph(markup, st, bulletText=bullet))
    return story


def render_a4(text: str, title: str) -> bytes:
    """An A4 print of the page with a 'Sida N av M' footer (two passes to know M)."""

    def build(total: int) -> tuple[bytes, int]:
        buf = io.BytesIO()
        doc = SimpleDocTemplate(
            buf,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=title,
            invariant=1,
            pageCompression=1,
            **META,
        )

        def footer(c: canvas.Canvas, d: SimpleDocTemplate) -> None:
            c.setFont("Helvetica", 8)
            c.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Sida {d.page} av {total}")

        doc.build(a4_story(text), onFirstPage=footer, onLaterPages=footer)
        return buf.getvalue(), doc.page

    _, pages = build(0)
    return build(pages)[0]


# ---------------------------------------------------------------- slide deck

DECK_SIZE = (960, 540)
DECK_FOOTER = (
    "Spårsam – utveckling av lokala jobbspår · Delegationen för unga och nyanlända till arbete"
)
SLIDE_TITLE = ParagraphStyle("st", fontName="Helvetica-Bold", fontSize=28, leading=33)
SLIDE_SUB = ParagraphStyle("ss", fontName="Helvetica-Bold", fontSize=20, leading=25, spaceBefore=8)
SLIDE_BODY = ParagraphStyle(
    "sb", fontName="Helvetica", fontSize=18, leading=22, spaceBefore=16, bulletFontSize=18
)
SLIDE_BULLETS = [
    ParagraphStyle(
        f"sl{n}", parent=SLIDE_BODY, spaceBefore=4, leftIndent=24 + 24 * n, bulletIndent=6 + 24 * n
    )
    for n in range(2)
]
SLIDE_LINE = ParagraphStyle("sb0", parent=SLIDE_BODY, spaceBefore=0)  # a group's later lines
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=12, leading=14)
CELL_HEAD = ParagraphStyle("cellh", parent=CELL, fontName="Helvetica-Bold")
DASH_RE = re.compile(r"^(\s*)-\s+(?:❖\s*)?")


def is_slide_title(group: list[str]) -> bool:
    """A one-line group that reads like a slide title."""
    line = group[0]
    return (
        len(group) == 1
        and len(line) <= 80
        and "\t" not in line
        and not DASH_RE.match(line)
        and not re.search(r"[.:!,@]", line)
    )


def slides_of(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """(title lines, body groups) per slide: a title-like group after body opens a new slide."""
    slides: list[tuple[list[str], list[list[str]]]] = []
    for group in groups_of(text):
        if is_slide_title(group) and (not slides or slides[-1][1]):
            slides.append(([group[0]], []))
        elif is_slide_title(group) and slides:
            slides[-1][0].append(group[0])
        else:
            slides[-1][1].append(group)
    return slides


def slide_flowables(subtitles: list[str], groups: list[list[str]], width: float) -> list:
    """Body of one slide: subtitles, paragraphs, bullets (two levels) and drawn tables."""
    out: list = [Paragraph(px(s), SLIDE_SUB) for s in subtitles]
    for group in groups:
        if all("\t" in line for line in group):
            out.append(Spacer(1, 10))
            out.append(slide_table(group, width))
            continue
        for i, line in enumerate(group):
            m = DASH_RE.match(line)
            if m:
                style = SLIDE_BULLETS[min(1, len(m.group(1)))]
                if i == 0:
                    style = ParagraphStyle(
                        "sl-first", parent=style, spaceBefore=SLIDE_BODY.spaceBefore
                    )
                out.append(Paragraph(px(line[m.end() :]), style, bulletText="•"))
            else:
                style = SLIDE_BODY if i == 0 else SLIDE_LINE
                out.append(Paragraph(px(line), style))
    return out


def slide_table(rows: list[str], width: float) -> Table:
    """Tab-separated rows as a ruled table with a bold header row."""
    cells = [line.split("\t") for line in rows]
    data = [
        [Paragraph(px(c), CELL_HEAD if r == 0 else CELL) for c in row]
        for r, row in enumerate(cells)
    ]
    cols = max(len(r) for r in cells)
    table = Table(data, colWidths=[width / cols] * cols)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, colors.HexColor("#4a6b8a")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def render_deck(text: str, title: str) -> bytes:
    """A 16:9 deck; footer first, body next, title last in each slide's content stream."""
    buf = io.BytesIO()
    w, h = DECK_SIZE
    c = canvas.Canvas(buf, pagesize=DECK_SIZE, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(META["author"])
    c.setCreator(META["creator"])
    c.setSubject(META["subject"])
    for n, (titles, groups) in enumerate(slides_of(text), start=1):
        c.setFillColor(colors.HexColor("#1d3b57"))
        c.rect(0, 0, w, 34, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("Helvetica", 10)
        c.drawString(40, 13, DECK_FOOTER)
        c.drawRightString(w - 40, 13, str(n))
        c.setFillColor(colors.black)
        body = Frame(50, 50, w - 100, h - 160, showBoundary=0)
        content = slide_flowables(titles[1:], groups, w - 120)
        body.addFromList([KeepInFrame(w - 112, h - 172, content, mode="shrink")], c)
        head = Frame(50, h - 110, w - 100, 90, showBoundary=0)
        head.addFromList(
            [KeepInFrame(w - 112, 78, [Paragraph(px(titles[0]), SLIDE_TITLE)], mode="shrink")], c
        )
        c.showPage()
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------- corpus


def make_corpus() -> list[Path]:
    """Render every raw document; return the files written."""
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted(RAW.glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        stem = src.stem
        first = next(
            line.strip() for line in text.split("\n") if line.strip() and not is_chrome(line)
        )
        if stem in DECKS:
            written.append(write(PDF_DIR / f"{stem}.pdf", render_deck(text, first)))
            continue
        written.append(write(HTML_DIR / f"{stem}.html", render_html(stem, text).encode("utf-8")))
        written.append(write(PDF_DIR / f"{stem}.pdf", render_a4(text, first)))
    return written


def write(path: Path, data: bytes) -> Path:
    """Write bytes, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_test_files() -> list[Path]:
    """Run tests/files/make_problem_files.py, which writes the reader tests' problem files."""
    path = TEST_FILES / "make_problem_files.py"
    spec = importlib.util.spec_from_file_location("make_problem_files", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_problem_files(TEST_FILES)


if __name__ == "__main__":
    for f in make_corpus() + make_test_files():
        print(f"{f.stat().st_size:>8}  {f.relative_to(ROOT)}")
