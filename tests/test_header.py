"""Header blocks of every project-bank layout, from real snippets."""

from __future__ import annotations

import pytest

from esfparse.document import Document
from esfparse.parsers.header import read_header
from esfparse.readers.text import normalise_text


def fields(text: str) -> dict[str, str]:
    header = read_header(Document(normalise_text(text)))
    assert header is not None, "no header block found"
    return {f.field or f.label: f.value for f in header.fields}


GLUED = """Titel

ProgramområdeProgramområde 2 Ökat arbetskraftsutbud
ProjektfasFörprojektering
ProjektägareEn kommun
Kontaktpersonanna Svensson
E-postanna@example.se
Beviljat ESF-stöd1 234 567 kr
Total projektbudget2 000 000 kr
Projektperiod2009-01-01 till 2009-12-31
RegionÖvre Norrland
In English
"""
STACKED = """Titel

Programområde
1.1 Kompetensförsörjning
Region
Västsverige
Projektägare
Ett förbund
Planerat antal deltagare
50
Projektperiod
2016-08-01-2019-03-31
"""
COLON = """2019/00001 - Titel

Projektnummer:
2019/00001
Projektägare:
Ett bolag AB
Stödmottagarens address:
Programområde:
1
Okänd etikett:
Värde
"""
KOHESIO = """project info
Start date: 1 September 2023
End date: 31 August 2026
funding
Fund: European Social Fund Plus (ESF+)
Total budget: 3 000,50 €
"""


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            GLUED,
            {
                "phase": "Förprojektering",
                "contact_person": "anna Svensson",
                "email": "anna@example.se",
                "period": "2009-01-01 till 2009-12-31",
                "region": "Övre Norrland",
            },
            id="glued-2007",
        ),
        pytest.param(
            STACKED,
            {
                "programme_area": "1.1 Kompetensförsörjning",
                "region": "Västsverige",
                "planned_participants": "50",
            },
            id="stacked-2014",
        ),
        pytest.param(
            COLON,
            {
                "project_number": "2019/00001",
                "owner": "Ett bolag AB",
                "programme_area": "1",
                "Okänd etikett": "Värde",
            },
            id="colon-newer",
        ),
        pytest.param(
            KOHESIO,
            {
                "period_start": "1 September 2023",
                "fund": "European Social Fund Plus (ESF+)",
                "total_budget": "3 000,50 €",
            },
            id="colon-kohesio",
        ),
    ],
)
def test_header_layouts(text: str, expected: dict[str, str]) -> None:
    got = fields(text)
    for key, value in expected.items():
        assert got.get(key) == value, (key, got)


def test_empty_colon_label_has_no_value() -> None:
    got = fields(COLON)
    assert got["Stödmottagarens address"] == ""


def test_prose_is_not_a_header() -> None:
    text = "Region Stockholm och kommunen samverkar.\nProjektet pågår.\nRegionen växer.\n"
    assert read_header(Document(text)) is None


def test_value_spans_point_at_values() -> None:
    doc = Document(normalise_text(GLUED))
    header = read_header(doc)
    assert header is not None
    for f in header.fields:
        assert doc.text[f.start : f.end] == f.value


def test_talk_write_up_is_a_presentation() -> None:
    from esfparse.classify import classify

    text = normalise_text(
        "Träff om kompetensförsörjning i länet\n\nDen 3 maj samlades projektledare till en nätverksträff.\n\n"
        "Medverkande:\nEva Lind, projektledare, Exempelstads kommun\nOla Berg, handläggare, Arbetsförmedlingen\n\n"
        "Eva Lind berättade om hur projektet har arbetat med unga vuxna under två år och vad som fungerat.\n\n"
        "– Vi lyssnade på deltagarna först, sa Eva Lind.\n"
    )
    assert classify(Document(text)) == "presentation"


def test_plain_prose_is_unknown() -> None:
    from esfparse.classify import classify

    text = normalise_text("En vanlig text om väder och vind. " * 20)
    assert classify(Document(text)) == "unknown"
