"""Write the reader tests' problem files into this folder, each named after its problem.

    .venv/bin/python tests/files/make_problem_files.py   (scripts/make_fixtures.py runs it too)

Readable files get their expected text beside them (``<name>.expected.txt``). Output is
deterministic: reportlab invariant mode, fixed metadata and zip dates. ``html_with_scripts.html``
and its expected text are written by hand; other files here belong to other tests.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

META = {"author": "esfparse fixtures", "creator": "tests/files/make_problem_files.py"}

PAGE_TEXT = (  # a 2014–20 project page with cp1252-only characters (– ”) and no-break spaces
    "Fler undersköterskor\n\nProgramområde\n1.1 Kompetensförsörjning\nRegion\nÖstra Mellansverige\n"
    "Projektägare\nSydnärkes Utbildningsförbund\nProjektnummer\n2015/00963\n"
    "Planerat antal deltagare\n180\nProjektperiod\n2016-08-01-2019-03-31\n"
    "Total projektbudget\n7\xa0023\xa0185 kr\n"
    "Beviljat ESF-stöd\n5\xa0261\xa0655 kr\nKontaktperson\nLena Hansson\nE-post\n"
    "lena.hansson@allevux.se\n\nSammanfattning\n\nProjektet – ”Fler undersköterskor” – ger 180 "
    "deltagare i Åmål och Öckerö en väg till arbete.\n"
)
# A two-page report: hyphenated line ends, a repeated running header, "Sida N av 2" footers.
REPORT_PAGES = [
    (
        "Rapport från projektet",
        [
            "Projektet ska ge deltagarna i Askersund, Hallsberg och Kumla möjlighet till kompetens-",
            "utveckling på arbetsplatsen. Målgruppen är arbetslösa ungdomar och vuxna i åldern 16-",
            "24 år och vuxna som saknar gymnasieexamen. Kurserna är både yrkes- och studie-",
            "inriktade, och de leder till anställning i vård och omsorg i hela Örebro län.",
        ],
    ),
    (
        "Resultat",
        [
            "• Minst 80 procent av deltagarna ska fullfölja utbildningen och få ett arbete",
            "   inom sex månader efter avslutad kurs.",
            "• 40 deltagare ska få en anställning.",
        ],
    ),
]
REPORT_EXPECTED = "\n".join(
    [  # what a reader should make of it
        "Rapport från projektet",
        "",
        "Projektet ska ge deltagarna i Askersund, Hallsberg och Kumla möjlighet till "
        "kompetensutveckling på arbetsplatsen. Målgruppen är arbetslösa ungdomar och vuxna i åldern "
        "16-24 år och vuxna som saknar gymnasieexamen. Kurserna är både yrkes- och studieinriktade, "
        "och de leder till anställning i vård och omsorg i hela Örebro län.",
        "",
        "Resultat",
        "",
        " • Minst 80 procent av deltagarna ska fullfölja utbildningen och få ett arbete inom sex "
        "månader efter avslutad kurs.",
        " • 40 deltagare ska få en anställning.",
    ]
)


def pdf_canvas(buf: io.BytesIO, **kw) -> canvas.Canvas:
    """A deterministic A4 canvas."""
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **kw)
    c.setAuthor(META["author"])
    c.setCreator(META["creator"])
    return c


def report_pdf(**kw) -> bytes:
    """The two-page report drawn line by line (so the hyphenated breaks are exact)."""
    buf = io.BytesIO()
    c = pdf_canvas(buf, **kw)
    for n, (heading, lines) in enumerate(REPORT_PAGES, start=1):
        c.setFont("Helvetica", 8)
        c.drawString(72, 800, "Sydnärkes Utbildningsförbund – rapport 2017")
        c.drawRightString(523, 30, f"Sida {n} av {len(REPORT_PAGES)}")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 740, heading)
        c.setFont("Helvetica", 11)
        for i, line in enumerate(lines):
            c.drawString(72 + (12 if line.startswith("   ") else 0), 712 - 14 * i, line.strip())
        c.showPage()
    c.save()
    return buf.getvalue()


def one_line_pdf(text: str, **kw) -> bytes:
    """A one-page PDF with one line of text."""
    buf = io.BytesIO()
    c = pdf_canvas(buf, **kw)
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def image_only_pdf() -> bytes:
    """A 'scanned' page: an image of text and no text layer."""
    from PIL import Image, ImageDraw

    img = Image.new("1", (360, 60), 1)
    ImageDraw.Draw(img).text((10, 20), "Projektnamn: Skannad ansokan", fill=0)
    buf = io.BytesIO()
    c = pdf_canvas(buf)
    c.drawImage(ImageReader(img), 72, 700, width=360, height=60)
    c.showPage()
    c.save()
    return buf.getvalue()


def docx_zip() -> bytes:
    """A minimal .docx-shaped ZIP archive with fixed dates."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        parts = (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>"))
        for name, body in parts:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 15, 0, 0, 0)), body)
    return buf.getvalue()


def make_problem_files(folder: Path) -> list[Path]:
    """Tiny problem files named after their problem, expected text beside readable ones.

    ``html_with_scripts.html`` and its expected text are written by hand, not generated.
    """
    crlf = PAGE_TEXT.replace("\n", "\r\n")
    secret = StandardEncryption("hemligt", ownerPassword="ägare", strength=128)
    owner_only = StandardEncryption("", ownerPassword="ägare", canModify=0, strength=128)
    files = {
        "cp1252_page.txt": crlf.encode("cp1252"),
        "cp1252_page.expected.txt": PAGE_TEXT.encode("utf-8"),
        "utf16_page.txt": PAGE_TEXT.encode("utf-16"),
        "utf16_page.expected.txt": PAGE_TEXT.encode("utf-8"),
        "hyphenated_report.pdf": report_pdf(),
        "hyphenated_report.expected.txt": REPORT_EXPECTED.encode("utf-8"),
        "owner_password_only.pdf": report_pdf(encrypt=owner_only),
        "owner_password_only.expected.txt": REPORT_EXPECTED.encode("utf-8"),
        "encrypted.pdf": one_line_pdf("Hemlig ansökan", encrypt=secret),
        "corrupt.pdf": b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + bytes(range(256)),
        "image_only.pdf": image_only_pdf(),
        "zip_named.pdf": docx_zip(),
    }
    return [write(folder / name, data) for name, data in files.items()]


def write(path: Path, data: bytes) -> Path:
    """Write bytes to path."""
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    for f in make_problem_files(Path(__file__).resolve().parent):
        print(f"{f.stat().st_size:>8}  {f.name}")
