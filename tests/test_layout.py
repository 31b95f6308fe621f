"""The layout model: blocks inferred from lines, whatever separates a label from its value."""

from __future__ import annotations

from pathlib import Path

import pytest

from esfparse.document import Document
from esfparse.layout import blocks_of, inline_pair, is_furniture, unwrap_dump
from esfparse.parsers.header import read_header
from esfparse.readers import read
from esfparse.readers.text import document_from_text, normalise_text

from .conftest import CORPUS


def pairs(text: str) -> dict[str, str]:
    doc = Document(normalise_text(text))
    return {
        b.field or b.label: doc.text[b.value_start : b.value_end]
        for b in blocks_of(doc)
        if b.kind == "pair"
    }


@pytest.mark.parametrize(
    "line,field,value,sep",
    [
        pytest.param(
            "Projektägare: Göteborgs stad", "owner", "Göteborgs stad", "colon", id="colon-inline"
        ),
        pytest.param(
            "Projektägare\tLearning & Teaching AB",
            "owner",
            "Learning & Teaching AB",
            "tab",
            id="tab",
        ),
        pytest.param(
            "Projektägare   Göteborgs stad", "owner", "Göteborgs stad", "spaces", id="spaces"
        ),
        pytest.param(
            "Projektägare Learning &Teaching",
            "owner",
            "Learning &Teaching",
            "space",
            id="one-space",
        ),
        pytest.param(
            "Beviljat ESF-stöd4 512 300 kr", "esf_grant", "4 512 300 kr", "glued", id="glued-2007"
        ),
        pytest.param(
            "      Projektnummer:         2019/00446",
            "project_number",
            "2019/00446",
            "colon",
            id="w3m-table-row",
        ),
        pytest.param(
            "Start date: 1 September 2023",
            "period_start",
            "1 September 2023",
            "colon",
            id="kohesio",
        ),
        pytest.param(
            "| Projektägare | Göteborgs stad |",
            "owner",
            "Göteborgs stad",
            "cell",
            id="markdown-table-row",
        ),
        pytest.param(
            "**Projektägare:** Göteborgs stad",
            "owner",
            "Göteborgs stad",
            "colon",
            id="markdown-bold-colon",
        ),
        pytest.param(
            "**Region** Västsverige", "region", "Västsverige", "space", id="markdown-bold-label"
        ),
    ],
)
def test_inline_pairs(line: str, field: str, value: str, sep: str) -> None:
    pair = inline_pair(line)
    assert pair is not None
    assert (pair["field"], line[pair["value_start"] : pair["value_end"]], pair["sep"]) == (
        field,
        value,
        sep,
    )


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("Utlysningar", id="inflected-label-word"),
        pytest.param("Regionen växer snabbt.", id="prose-regionen"),
        pytest.param("Region, kommun och stat samverkar.", id="label-then-comma"),
        pytest.param("Mötet börjar kl: 10.00 i aulan", id="unknown-colon-label-with-value"),
        pytest.param("https://www.esf.se/projekt", id="url"),
    ],
)
def test_lines_that_are_no_pairs(line: str) -> None:
    assert inline_pair(line) is None


def test_stacked_and_definition_list_pairs() -> None:
    got = pairs(
        "   Projektägare\n          Sydnärkes Utbildningsförbund\n\n   Region\n\n          Östra Mellansverige\n"
    )
    assert got == {"owner": "Sydnärkes Utbildningsförbund", "region": "Östra Mellansverige"}


def test_label_wrapped_in_its_cell() -> None:
    got = pairs("Interventionstyp:\t134\nUnionens\t40%\nmedfinansieringsgrad:\n")
    assert got["union_cofinancing_rate"] == "40%"


def test_value_wrapped_in_its_column_joins_the_pair() -> None:
    text = (
        "   Projektägare:     Region Västmanland, Centrum för regional\n"
        "                     utveckling\n   Region:           ESF Nationellt\n   Projektnummer:    2019/00446\n"
    )
    header = read_header(Document(text))
    assert header is not None
    owner = header.get("owner")
    assert (
        owner is not None and owner.value == "Region Västmanland, Centrum för regional utveckling"
    )
    assert " ".join(text[owner.start : owner.end].split()) == owner.value


def test_blank_lines_and_chrome_between_header_rows() -> None:
    text = (
        "Titel\n\nProjektägare\tEtt förbund\n\nCookies\n\nRegion\tVästsverige\n\n1 / 3\n\n"
        "Projektperiod\t2016-08-01 - 2019-03-31\n"
    )
    header = read_header(Document(text))
    assert header is not None
    assert [f.field for f in header.fields] == ["owner", "region", "period"]


@pytest.mark.parametrize(
    "line,expected",
    [
        pytest.param("1 / 11", True, id="slide-number"),
        pytest.param("Sida 3 av 6", True, id="page-number"),
        pytest.param("Start › Projekt › merit.nu", True, id="breadcrumb"),
        pytest.param(
            "Vi använder kakor (cookies) för att webbplatsen ska fungera.", True, id="cookie-text"
        ),
        pytest.param(
            "Svenska ESF-rådet · Box 471 · 101 29 Stockholm · Telefon 08-579 171 00",
            True,
            id="footer-address",
        ),
        pytest.param("Projektet startar 2020 i Umeå.", False, id="prose"),
        pytest.param("Kommun", False, id="list-heading"),
    ],
)
def test_furniture(line: str, expected: bool) -> None:
    assert is_furniture(line) is expected


def test_navigation_run_is_furniture_and_not_the_title() -> None:
    doc = Document(
        "Start\nProjektbanken\nUtlysningar\nOm oss\nmerit.nu\n\nProgramområdeProgramområde 2\n"
        "ProjektfasGenomförande\nProjektägareEn kommun\n"
    )
    kinds = [b.kind for b in doc.blocks()]
    assert kinds[:4] == ["furniture"] * 4
    from esfparse.parsers.text_layout import title_line

    line = title_line(doc, read_header(doc))
    assert line is not None and line.text == "merit.nu"


def test_unwrap_dump_joins_wrapped_lines_only() -> None:
    para = "Projektet riktar sig till arbetssökande ungdomar i Stockholm Stad, ungdomar som"
    text = (
        f"{para}\ntrots rätt motivation inte lyckas.\n\nKommun\n\n  • Botkyrka\n  • Danderyd\n"
    ) * 6
    out = unwrap_dump(text)
    assert f"{para} trots rätt motivation inte lyckas." in out
    assert "\n  • Botkyrka\n  • Danderyd\n" in out
    assert unwrap_dump("Kort rad\nEn till\n") == "Kort rad\nEn till\n"


def test_unwrap_keeps_header_rows_apart() -> None:
    rows = "   ProgramområdeProgramområde 2 Ökat arbetskraftsutbud och fler ord här nu\n   ProjektfasGenomförande\n"
    para = "   Projektet riktar sig till arbetssökande ungdomar i Stockholm Stad, ungdomar\n   som trots allt.\n"
    out = unwrap_dump(rows + para * 6)
    assert "ProjektfasGenomförande" in out.split("\n")[1]


def test_unwrap_joins_a_long_value_wrapped_under_its_label() -> None:
    row = "   Projektägare: Samordningsförbundet Hisingen, Samordningsförbundet Västra fyra\n   Göteborg Hisingen DELTA\n   Projektnummer: 2015/00242\n"
    para = "   Projektet riktar sig till arbetssökande ungdomar i Stockholm Stad, ungdomar\n   som trots allt.\n"
    lines = unwrap_dump(row + para * 6).split("\n")
    assert lines[0].endswith("Västra fyra Göteborg Hisingen DELTA")
    assert lines[1] == "   Projektnummer: 2015/00242"  # the next label row stays a row


def test_label_wrapped_in_its_cell_before_its_value() -> None:
    doc = document_from_text(
        "Region:\tVästsverige\nPlanerat antal\ndeltagare:\t570\nProjektet\nska: ja\n"
    )
    pairs = [b for b in blocks_of(doc) if b.kind == "pair"]
    wrapped = next(b for b in pairs if b.field == "planned_participants")
    assert wrapped.label == "Planerat antal deltagare" and wrapped.last_line == 2
    assert doc.text[wrapped.value_start : wrapped.value_end] == "570"
    assert not any(b.label.startswith("Projektet") for b in pairs)  # no known label: not joined


def test_pdf_blocks_carry_page_and_box() -> None:
    path = CORPUS / "renderings/table-pdf/raw-dev08.pdf"
    if not path.exists():
        pytest.skip("renderings not written (scripts/make_renderings.py)")
    doc = read(path)
    owner = next(b for b in doc.blocks() if b.kind == "pair" and b.field == "owner")
    assert owner.page == 1 and owner.box is not None
    x0, top, x1, bottom = owner.box
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 850
    assert bottom - top > 15  # the value wrapped onto a second row of its cell: one pair, two rows
    assert doc.text[owner.value_start : owner.value_end].endswith("Hisingen DELTA")


def test_every_pdf_pair_span_is_its_text(tmp_path: Path) -> None:
    for path in sorted((CORPUS / "renderings/table-pdf").glob("raw-*.pdf"))[:6]:
        doc = read(path)
        header = read_header(doc)
        assert header is not None, path.name
        for f in header.fields:
            assert " ".join(doc.text[f.start : f.end].split()) == f.value
            assert doc.page_at(f.start) is not None


def test_case_number_title_below_site_chrome_is_a_project_page() -> None:
    from esfparse.classify import classify

    cookie = (
        "Vi använder kakor (cookies) för att webbplatsen ska fungera och för besöksstatistik. " * 8
    )
    text = (
        f"{cookie}\n\nStart\nProjektbanken\nUtlysningar\nOm oss\nStart › Projekt › 25-023-S02 - Arbetscoacher\n"
        "25-023-S02 - Arbetscoacher\n\nProjektet syftar till att stärka etableringsmöjligheterna för personer "
        "som står långt från arbetsmarknaden.\n"
    )
    assert classify(Document(text)) == "project_page"


def test_slide_number_is_not_a_title() -> None:
    from esfparse.pipeline import extract_document

    text = (
        "1 / 11\n\nEuropean Social Fund in Sweden and Drop-outs\n\nThe ESF Council funds projects. "
        "Young people who leave school early get support.\n"
    )
    record = extract_document(Document(text)).record
    assert (record.kind, record.title) == (
        "presentation",
        "European Social Fund in Sweden and Drop-outs",
    )
