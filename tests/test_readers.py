"""Readers: encodings, HTML chrome and structure, PDF layout, bad files, format equivalence."""

from __future__ import annotations

import codecs
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from esfparse.errors import UnreadableDocument
from esfparse.readers import read, read_bytes, sniff
from esfparse.readers.text import normalise_text

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "tests/files"
RAW = ROOT / "corpus/raw"
DECK = "003_cb21b008e22a7951"
_spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "scripts/make_fixtures.py")
fixtures = sys.modules.setdefault("make_fixtures", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(fixtures)  # the script that rendered corpus/html and corpus/pdf

PAGE = (
    "Fler undersköterskor\n\nProjektägare\nSydnärkes Utbildningsförbund\nBeviljat ESF-stöd\n"
    "5\xa0261\xa0655 kr\n\nSammanfattning\n\nÅmål, Öckerö och Mölndal – ”en väg till "
    "arbete”.\n"
)
LATIN1_PAGE = PAGE.replace("–", "-").replace("”", '"')


# ---------------------------------------------------------------- encodings and line breaks


@pytest.mark.parametrize(
    "encoding,bom,text",
    [
        ("utf-8", b"", PAGE),
        ("utf-8", codecs.BOM_UTF8, PAGE),
        ("utf-16-le", codecs.BOM_UTF16_LE, PAGE),
        ("utf-16-be", codecs.BOM_UTF16_BE, PAGE),
        ("utf-16-le", b"", PAGE),
        ("utf-16-be", b"", PAGE),
        ("cp1252", b"", PAGE),
        ("latin-1", b"", LATIN1_PAGE),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "cp1252",
        "latin1",
    ],
)
@pytest.mark.parametrize("kind", ["text", "html"])
def test_encodings(encoding, bom, text, kind):
    if kind == "html":
        body = "".join(f"<p>{line}</p>" for line in text.split("\n\n"))
        data = bom + f"<!DOCTYPE html><html><body>{body}</body></html>".encode(encoding)
        expected = _html_expected(text)
    else:
        data, expected = bom + text.encode(encoding), normalise_text(text)
    doc = read_bytes(data, f"page.{'html' if kind == 'html' else 'txt'}")
    assert doc.format == kind
    assert doc.text == expected
    assert "Ö" in doc.text and "\ufeff" not in doc.text


def _html_expected(text: str) -> str:
    """Paragraph per blank-separated block; single breaks inside <p> are spaces in HTML."""
    return "\n\n".join(re.sub(r"[ \n]+", " ", p) for p in text.strip().split("\n\n"))


@pytest.mark.parametrize(
    "name",
    ["cp1252_page", "utf16_page", "html_with_scripts", "hyphenated_report", "owner_password_only"],
)
def test_problem_files_match_expected(name):
    src = next(p for p in FILES.glob(f"{name}.*") if not p.name.endswith(".expected.txt"))
    expected = (FILES / f"{name}.expected.txt").read_text(encoding="utf-8")
    assert read(src).text == normalise_text(expected)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n", "\u2028"], ids=["crlf", "cr", "lf", "ls"])
def test_line_breaks_unified(newline):
    doc = read_bytes(f"Region{newline}Stockholm{newline}{newline}Kommun".encode())
    assert doc.text == "Region\nStockholm\n\nKommun"
    assert [line.text for line in doc.lines()] == ["Region", "Stockholm", "", "Kommun"]


@pytest.mark.parametrize(
    "source,expected",
    [
        ("Beviljat ESF-stöd8\xa0625\xa0810 kr", "Beviljat ESF-stöd8\xa0625\xa0810 kr"),
        ("Totalt\xa08\u202f625 kr\xa0per år", "Totalt 8\u202f625 kr per år"),
        ("<p>Budget:&nbsp;21&nbsp;564&nbsp;524&nbsp;kr</p>", "Budget: 21\xa0564\xa0524 kr"),
    ],
    ids=["text-nbsp", "text-thin-space", "html-entity"],
)
def test_nbsp_kept_only_inside_numbers(source, expected):
    assert read_bytes(source.encode("utf-8")).text == expected


# ---------------------------------------------------------------- HTML


@pytest.mark.parametrize(
    "chrome",
    [
        "<script>var x = '<p>kod</p>';</script>",
        "<style>p {color: red}</style>",
        "<nav><a href='/'>Meny</a></nav>",
        "<header><a href='/'>Startsida</a></header>",
        "<footer>Kontakt oss</footer>",
        "<div id='cookie-notice'><p>Vi använder kakor</p></div>",
        "<div class='consent-dialog'>Godkänn</div>",
        "<div class='top-banner'>Webbinarium</div>",
        "<noscript>Slå på JavaScript</noscript>",
        "<div hidden>Dold</div>",
        "<span aria-hidden='true'>Ikon</span>",
        "<p style='display: none'>Gömd</p>",
        "<template><p>Mall</p></template>",
        "<button>Stäng</button>",
    ],
    ids=[
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "cookie",
        "consent",
        "banner",
        "noscript",
        "hidden",
        "aria-hidden",
        "display-none",
        "template",
        "button",
    ],
)
def test_html_chrome_dropped(chrome):
    doc = read_bytes(f"<html><body>{chrome}<main><h1>Galaxhopen</h1></main></body></html>".encode())
    assert doc.text == "Galaxhopen"


def test_html_header_inside_article_is_content():
    page = (
        "<html><body><article><header><h1>Ovttas</h1></header><p>Text</p></article></body></html>"
    )
    assert read_bytes(page.encode()).text == "Ovttas\n\nText"


@pytest.mark.parametrize(
    "markup,expected",
    [
        (
            "<dl><dt>Projektägare</dt><dd>Sala kommun</dd><dt>Region</dt><dd>Östra</dd></dl>",
            "Projektägare\nSala kommun\nRegion\nÖstra",
        ),
        (
            "<table><tr><th>Projektnummer:</th><td>2022/00378</td></tr>"
            "<tr><th>Stödmottagarens address:</th><td></td></tr></table>",
            "Projektnummer:\n2022/00378\nStödmottagarens address:",
        ),
        (
            "<div><span class='label'>Projektfas</span><span class='value'>Genomförande</span></div>"
            "<div><span>Region</span><span>Stockholm</span></div>",
            "ProjektfasGenomförande\nRegionStockholm",
        ),
        (
            "<div><strong>Start date:</strong> 1 September 2023</div>",
            "Start date: 1 September 2023",
        ),
        ("<h2>Kommun</h2><ul><li>Bergs</li><li>Åre</li></ul>", "Kommun\n\n • Bergs\n • Åre"),
        ("<ol start='3'><li>Mål</li><li>Resultat</li></ol>", " 3. Mål\n 4. Resultat"),
        (
            "<p>Rad ett<br>Rad två</p><p>Nytt   stycke\n  här</p>",
            "Rad ett\nRad två\n\nNytt stycke här",
        ),
        ("<h2>Bakgrund</h2>Text direkt<h3>Syfte</h3>", "Bakgrund\n\nText direkt\n\nSyfte"),
    ],
    ids=["dl", "th-td", "glued-spans", "inline-label", "list", "ordered", "paragraphs", "headings"],
)
def test_html_structure(markup, expected):
    assert read_bytes(f"<html><body>{markup}</body></html>".encode()).text == expected


def _nested(depth: int) -> bytes:
    """A corpus project page with its body wrapped in `depth` more levels of <div>, as deep CMS pages are."""
    page = (ROOT / "corpus/html/dev04.html").read_text(encoding="utf-8")
    head, body = page.split("<body", 1)
    start, rest = body.split(">", 1)
    inner, end = rest.rsplit("</body>", 1)
    return f"{head}<body{start}>{'<div>' * depth}{inner}{'</div>' * depth}</body>{end}".encode()


@pytest.mark.parametrize("depth", [260, 1000])
def test_html_nested_deeper_than_libxml2s_default_gives_the_same_record(depth):
    from esfparse.pipeline import extract_document

    flat, deep = (read_bytes(_nested(n), "page.html") for n in (0, depth))
    assert deep.text == flat.text and not deep.notes
    record = extract_document(flat).record
    assert (
        record.title and record.owner and record.goals
    )  # a full project page, not an empty record
    assert extract_document(deep).record == record


def test_html_deeper_than_libxml2_can_build_keeps_its_text_and_says_so():
    from esfparse.pipeline import extract_document

    flat, deep = (read_bytes(_nested(n), "page.html") for n in (0, 3000))
    squeezed = "".join(
        deep.text.split()
    )  # nothing dropped: only the line breaks below the depth are lost
    assert all("".join(line.split()) in squeezed for line in flat.text.splitlines())
    assert [p.code for p in extract_document(deep).problems if p.code.startswith("read.")] == [
        "read.partial"
    ]


def test_html_data_table_rows_and_offsets():
    page = (
        "<html><body><h2>Arbetslösa</h2><table><tr><th>Kommun</th><th>2021</th></tr>"
        "<tr><td>Jokkmokk</td><td>232</td></tr><tr><td>Göteborg</td><td>44&nbsp;115</td></tr>"
        "</table><p>Källa: AF</p></body></html>"
    )
    doc = read_bytes(page.encode())
    assert doc.text == "Arbetslösa\n\nKommun\t2021\nJokkmokk\t232\nGöteborg\t44\xa0115\n\nKälla: AF"
    (table,) = doc.tables
    assert table.rows == [["Kommun", "2021"], ["Jokkmokk", "232"], ["Göteborg", "44\xa0115"]]
    assert doc.text[table.start : table.end] == "Kommun\t2021\nJokkmokk\t232\nGöteborg\t44\xa0115"


def test_html_layout_table_read_as_blocks():
    page = "<html><body><table><tr><td><h1>Titel</h1><p>Stycke</p></td></tr></table></body></html>"
    doc = read_bytes(page.encode())
    assert doc.text == "Titel\n\nStycke" and doc.tables == []


def test_html_meta_charset_and_xml_declaration():
    page = (
        '<?xml version="1.0" encoding="windows-1252"?><html><head>'
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
        "<body><p>Projektägare – Östersund</p></body></html>"
    )
    doc = read_bytes(page.encode("cp1252"))
    assert doc.text == "Projektägare – Östersund" and doc.encoding == "cp1252"


# ---------------------------------------------------------------- dispatch


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbf<!doctype html><title>x</title>", "html"),
        (b"<div><p>a</p><p>b</p><span>c</span></div>", "html"),
        ("<html><body>Hej</body></html>".encode("utf-16"), "html"),
        ("Projektägare\nArbetsförmedlingen <noreply@af.se>".encode("cp1252"), "text"),
    ],
    ids=["pdf", "doctype", "tags", "utf16-html", "text"],
)
def test_sniff(data, kind):
    assert sniff(data) == kind


def test_html_named_pdf_is_read_as_html_with_a_note():
    doc = read_bytes(b"<!DOCTYPE html><html><body><p>Felsida</p></body></html>", "ansokan.pdf")
    assert doc.format == "html" and doc.notes == ["named .pdf but contains html"]


@pytest.mark.parametrize(
    "data,name,reason",
    [
        (b"", "tom.txt", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "bild.txt", "unsupported format: a PNG image"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00",
            "gammal.pdf",
            "not a PDF: the file is an old Microsoft Office",
        ),
    ],
    ids=["empty", "png", "ole2"],
)
def test_unreadable_inputs(data, name, reason):
    with pytest.raises(UnreadableDocument, match=re.escape(reason)):
        read_bytes(data, name)


# ---------------------------------------------------------------- PDF


@pytest.mark.parametrize(
    "name,reason",
    [
        ("corrupt.pdf", "corrupt PDF: PDFium cannot parse it"),
        ("encrypted.pdf", "encrypted PDF: it needs a password"),
        ("image_only.pdf", "image-only PDF (scanned pages, no text layer); OCR is not supported"),
        ("zip_named.pdf", "not a PDF: the file is a Word document (.docx, a ZIP archive)"),
    ],
)
def test_bad_pdfs_give_one_clear_message(name, reason):
    with pytest.raises(UnreadableDocument) as info:
        read(FILES / name)
    message = str(info.value)
    assert message.startswith(str(FILES / name) + ": ") and reason in message
    assert "\n" not in message
    if name in ("corrupt.pdf", "encrypted.pdf"):
        assert info.value.__cause__ is not None  # wrapped with raise ... from


def test_pdf_pages_hyphens_and_running_lines():
    doc = read(FILES / "hyphenated_report.pdf")
    assert doc.format == "pdf" and doc.pages == 2 and len(doc.page_starts) == 2
    for word, page in [
        ("kompetensutveckling", 1),
        ("16-24 år", 1),
        ("yrkes- och", 1),
        ("studieinriktade", 1),
        ("Resultat", 2),
        ("40 deltagare", 2),
    ]:
        assert doc.page_at(doc.text.index(word)) == page, word
    assert "rapport 2017" not in doc.text and "Sida" not in doc.text


def test_deck_title_first_footer_gone_bullets_clean():
    doc = read(ROOT / f"corpus/pdf/{DECK}.pdf")
    first = doc.text.split("\n", 1)[0]
    assert first == "Lokala jobbspår - matcha först och rusta sen"
    assert fixtures.DECK_FOOTER not in doc.text and "(cid:" not in doc.text
    assert doc.pages == len(fixtures.slides_of((RAW / f"{DECK}.txt").read_text(encoding="utf-8")))
    assert " • Arbetsgivares delaktighet" in doc.text.split("\n")


def test_deck_bullet_glyph_is_cid_127_for_pdfplumber():
    import pdfplumber

    with pdfplumber.open(ROOT / f"corpus/pdf/{DECK}.pdf") as pdf:
        assert "(cid:127)" in pdf.pages[1].extract_text()


def test_deck_tables_are_rows_with_pages():
    doc = read(ROOT / f"corpus/pdf/{DECK}.pdf")
    raw_tables = [
        g
        for g in fixtures.groups_of((RAW / f"{DECK}.txt").read_text(encoding="utf-8"))
        if all("\t" in line for line in g)
    ]
    assert [t.rows for t in doc.tables] == [[line.split("\t") for line in g] for g in raw_tables]
    for table in doc.tables:
        assert doc.text[table.start : table.end] == "\n".join("\t".join(r) for r in table.rows)
        assert doc.page_at(table.start) == table.page


# ---------------------------------------------------------------- format equivalence

PAGES = sorted(p.stem for p in RAW.glob("*.txt") if p.stem != DECK)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n")]


def _in_order(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(line == n for line in it) for n in needles)


def _structure(stem: str, fmt: str) -> dict[str, list[str]]:
    """Title, header lines, headings and list items of the raw page (chrome excepted in HTML)."""
    blocks = fixtures.blocks_of((RAW / f"{stem}.txt").read_text(encoding="utf-8"))
    pick = {
        kind: [" ".join(line.split()) for b in blocks if b.kind == kind for line in b.lines]
        for kind in ("title", "header", "heading", "chrome")
    }
    items = [b for b in blocks if b.kind == "list"]
    pick["items"] = [
        " ".join(fixtures.BULLET_RE.sub("", line).split())
        for b in items
        for line in b.lines
        if fixtures.BULLET_RE.match(line)
    ]
    if fmt == "html":
        pick.pop("chrome")
    return pick


@pytest.mark.parametrize("fmt", ["html", "pdf"])
@pytest.mark.parametrize("stem", PAGES)
def test_same_structure_as_text(stem, fmt):
    doc = read(ROOT / f"corpus/{fmt}/{stem}.{fmt}")
    lines = _lines(doc.text)
    want = _structure(stem, fmt)
    header = want["header"]
    if header:
        starts = [i for i, line in enumerate(lines) if line == header[0]]
        assert any(lines[i : i + len(header)] == header for i in starts), "header block"
    assert _in_order(want["title"] + want["heading"], lines), "title and headings"
    assert _in_order(want.get("chrome", []), lines), "site chrome kept in PDF"
    bullets = [line[2:] for line in lines if line.startswith("• ")]
    for item in want["items"]:
        assert any(b.startswith(item) for b in bullets), item
    if fmt == "html":
        assert not set(fixtures.CHROME) & set(lines)


def test_deck_same_slides_as_text():
    raw = (RAW / f"{DECK}.txt").read_text(encoding="utf-8")
    lines = _lines(read(ROOT / f"corpus/pdf/{DECK}.pdf").text)
    titles = [t for titles, _ in fixtures.slides_of(raw) for t in titles]
    assert _in_order(titles, lines)
    bullets = [line[2:] for line in lines if line.startswith("• ")]
    items = [
        fixtures.DASH_RE.sub("", line).replace("**", "")
        for line in raw.split("\n")
        if fixtures.DASH_RE.match(line)
    ]
    assert bullets == [" ".join(i.split()) for i in items]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("8\u00a0625\u00a0kr", "8\u00a0625 kr"),  # kept between digits only
        ("\u00a08\u00a0", " 8 "),  # at both ends
        ("1\u00a0\u00a02", "1  2"),  # two in a row: neither is between digits
        ("10\u202f000 och 5\u2007000", "10\u202f000 och 5\u2007000"),
        (
            "a\u200bb\u00adc\u2003d\u3000e\x07f",
            "abc d ef",
        ),  # dropped, odd spaces, control characters
        ("Sk\u00e5ne\ufeff", "Sk\u00e5ne"),
    ],
)
def test_normalise_text_character_rules(raw, expected):
    from esfparse.readers.text import normalise_text

    assert normalise_text(raw) == expected
