"""Genres beyond project pages: final reports, evaluations, calls, and texts of no known genre.

Inputs are headings and sentences of the kinds found in corpus/real (paraphrased, names changed).
"""

from __future__ import annotations

import csv

import pytest

from esfparse.classify import classify_genre
from esfparse.document import Document
from esfparse.pipeline import parse
from esfparse.readers.text import normalise_text

from .conftest import CORPUS


def _doc(text: str) -> Document:
    return Document(normalise_text(text))


FILLER = (
    " Projektet har arbetat med deltagarna under hela perioden och samverkat med flera aktörer." * 3
)

KINDS = [
    pytest.param(
        "Slutrapport genomförande\n\n1 Sid 1 (9) Projektnamn Exempelbygdens lyft Slutrapport genomförande "
        "Sammanfattning Ge en sammanfattande beskrivning av projektidé och framkomna resultat."
        + FILLER,
        "report",
        id="report-form-transcript",
    ),
    pytest.param(
        "Slutredovisning av projekt Norrsken\n\nFöljande redovisning är en slutredovisning av projektet som "
        "medfinansierats av Europeiska Socialfonden." + FILLER,
        "report",
        id="slutredovisning",
    ),
    pytest.param(
        "Utvärdering projekt Steg för steg Slutrapport maj 2015 Eva Lind, Utvärdering AB\n"
        "Innehållsförteckning 1 Sammanfattning" + FILLER,
        "report",
        id="evaluation",
    ),
    pytest.param(
        "Projektet Lärande nätverk - rapport från lärande utvärdering Ann Berg, Exempel Konsult\n\n"
        "Sammanfattning" + FILLER,
        "report",
        id="learning-evaluation",
    ),
    pytest.param(
        "Kompetens i vården\n\nUtlysning\n2019/00123\nProgramområde\n1.1 Kompetensförsörjning\nRegion\n"
        "Sydsverige\nStartdatum\n2019-03-01\nSlutdatum\n2019-05-02\nUtlyst belopp\n30 000 000 kr\n\n"
        "Sammanfattning\n\nNu kan ni söka stöd för projekt inom programområde 1.\n\n"
        "Utlysningen öppnar den 1 mars och stänger kl 16.00 den 2 maj 2019.",
        "call",
        id="call-page",
    ),
    pytest.param(
        "Om projektet\n\nUnder 2012-2014 var ungdomsinsatserna ett ESF-projekt med syfte att fånga upp "
        "unga och motivera dem mot arbete eller studier. Kommunen tar över verksamheten nästa år.",
        "presentation",
        id="esf-prose-is-a-write-up",
    ),
    pytest.param("En vanlig text om väder och vind. " * 20, "unknown", id="nothing-esf"),
    pytest.param(
        "Arbete / Projekt\n\nNya jobb i Ydre\n\nYdre kommun driver projektet Vägval med stöd från "
        "Europeiska socialfonden. Projektet vänder sig till unga i Ydre och Kinda." + FILLER,
        "project_page",
        id="municipal-page-naming-its-esf-project",
    ),
    pytest.param(
        "1(12)\n\nSlutrapport\n\nYrkeslyft Ydre\n\nDiarienummer: 2015-00123\nProjektägare: Ydre "
        "kommun\nProjektperiod: 2015-09-01 – 2018-08-31\n\nSammanfattning\n" + FILLER,
        "report",
        id="report-heading-line-above-a-header-block",
    ),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_kind_from_genre_evidence(text: str, kind: str) -> None:
    genre = classify_genre(_doc(text))
    assert genre.kind == kind, genre.reason
    assert 0 < genre.confidence <= 1 and genre.reason


def test_kind_reason_names_the_cues() -> None:
    genre = classify_genre(_doc(KINDS[0].values[0]))
    assert "report_heading 'Slutrapport'" in genre.reason and "report_form" in genre.reason


def test_unknown_still_keeps_entities() -> None:
    # ESF-related (`projektet`) but of no genre: a text with no sign of ESF at all yields nothing (classify.not_esf)
    text = (
        "Väder och vind i helgen\n\nEva Lind, meteorolog i projektet på Exempelinstitutet, berättar att det blir "
        "regn i Umeå och Luleå. Kontakt: eva.lind@example.se\n" + "Mer om vädret senare. " * 10
    )
    record, _ = parse(_doc(text))
    assert record.kind in ("unknown", "presentation")
    assert {m.name for m in record.municipalities} >= {"Umeå", "Luleå"}
    assert [e.value for e in record.emails] == ["eva.lind@example.se"]


REPORT_TITLES = [
    pytest.param(
        "1 Sid 1 (12) Projektnamn Bygd i Samverkan Slutrapport genomförande Sammanfattning",
        "Bygd i Samverkan",
        id="form-label",
    ),
    pytest.param(
        "Projektnummer (ifylles av ESF-rådet) Namn på projekt Industrilyftet norra Skåne Sammanfattning",
        "Industrilyftet norra Skåne",
        id="namn-pa-projekt",
    ),
    pytest.param(
        "Slutrapport från Projekt Modigt (Mer omsorg med teknik)", "Modigt", id="slutrapport-fran"
    ),
    pytest.param(
        "Slututvärdering av projekt. Ny väg. En väg till inkludering. Anna Berg",
        "Ny väg",
        id="periods",
    ),
    pytest.param(
        "Slutrapport: Utvärdering ESF-projekt Scen 3.0 December 2017 Eva Lind",
        "Scen 3.0",
        id="version-number",
    ),
    pytest.param(
        "1 Projektet LC Lärcentra som mäklare - rapport från lärande utvärdering",
        "LC Lärcentra som mäklare",
        id="projektet-dash-rapport",
    ),
    pytest.param(
        "Arbetsliv i balans Slutrapport, sammanfattning",
        "Arbetsliv i balans",
        id="name-then-slutrapport",
    ),
]


@pytest.mark.parametrize(("head", "title"), REPORT_TITLES)
def test_report_project_title(head: str, title: str) -> None:
    record, _ = parse(_doc(head + "\n\nSlutrapport" + FILLER))
    assert record.kind == "report"
    assert record.title == title
    ev = record.evidence["title"]
    assert (
        record.model_dump()["title"]
        == _doc(head + "\n\nSlutrapport" + FILLER).text[ev.start : ev.end]
    )


REPORT_FIELDS = [
    pytest.param(
        "Projektägare till Ny väg är SDF Östra Staden där Sensus ansvarar för utförardelen.",
        "owner",
        "SDF Östra Staden",
        id="owner-till-x-ar",
    ),
    pytest.param(
        "Projektet, ägt av APeL Forskning och utveckling, har riktats till personal.",
        "owner",
        "APeL Forskning och utveckling",
        id="owner-agt-av",
    ),
    pytest.param(
        "Projektet har drivits av Sveriges Företagshälsor under år 2012.",
        "owner",
        "Sveriges Företagshälsor",
        id="owner-drivits-av",
    ),
    pytest.param(
        "Den idéburna sektorn Stadens Räddningsmission fick rollen som projektägare.",
        "owner",
        "Stadens Räddningsmission",
        id="owner-fick-rollen",
    ),
    pytest.param(
        "Slutrapport Projekt X Projektperiod: 2009-05-01 2012-04-30 Diarienummer: 2009-3050042",
        "diarienummer",
        "2009-3050042",
        id="dnr-2007-13",
    ),
    pytest.param(
        "Projektnummer: 2016/00123 Projektet har arbetat.",
        "project_number",
        "2016/00123",
        id="projektnummer",
    ),
]


@pytest.mark.parametrize(("sentence", "field", "value"), REPORT_FIELDS)
def test_report_identity(sentence: str, field: str, value: str) -> None:
    record, _ = parse(_doc("Slutrapport genomförande\n\n" + sentence + FILLER))
    assert record.kind == "report"
    assert getattr(record, field) == value


def test_report_period_and_authors() -> None:
    text = (
        "Utvärdering projekt Steg Slutrapport juni 2014 Mattias Berg, Patrik Lind Public Partner Gatan 1\n"
        "Projektperiod: 2009-05-01 2012-04-30\n" + FILLER
    )
    record, _ = parse(_doc(text))
    assert (str(record.period_start), str(record.period_end)) == ("2009-05-01", "2012-04-30")
    assert [(p.name, p.organisation) for p in record.people] == [
        ("Mattias Berg", "Public Partner"),
        ("Patrik Lind", "Public Partner"),
    ]


RESULTS = [
    pytest.param(
        "Antal deltagare i projektet blev 151 personer, varav 113 genomgick hela projektmetoden.",
        113,
        "reported_result",
        id="reached",
    ),
    pytest.param(
        "Projektet var tänkt att omfatta 150 personer under hela projekttiden.",
        150,
        "target",
        id="planned-reach",
    ),
    pytest.param(
        "Uppföljningen visar att 64 procent av de 40 deltagarna har gått vidare till arbete eller studier.",
        64,
        "reported_result",
        id="share-of-participants",
    ),
    pytest.param(
        "Uppföljningen visar att 64 procent av de 40 deltagarna har gått vidare till arbete eller studier.",
        40,
        "reported_result",
        id="base-of-share",
    ),
    pytest.param(
        "58 procent av personalen har stärkt sin digitala kompetens.",
        58,
        "reported_result",
        id="staff-share",
    ),
    pytest.param(
        "Antal deltagare i projektet hamnade på 151 personer.",
        151,
        "reported_result",
        id="hamnade-pa",
    ),
    pytest.param(
        "Målet var att 70 % av deltagarna skulle gå vidare till arbete eller studier.",
        70,
        "target",
        id="stated-target",
    ),
]


@pytest.mark.parametrize(("sentence", "value", "kind"), RESULTS)
def test_report_results_marked_achieved(sentence: str, value: float, kind: str) -> None:
    record, _ = parse(_doc("Slutrapport genomförande\n\nResultat\n\n" + sentence + FILLER))
    goal = next(g for g in record.goals if g.value == value)
    assert goal.kind == kind


CALL = (
    "Kompetens i vården\n\nUtlysning\n2019/00123\nProgramområde\n1.1 Kompetensförsörjning\nRegion\nSydsverige\n"
    "Startdatum\n2019-03-01\nSlutdatum\n2019-05-02\nUtlyst belopp\n30 000 000 kr\n\nSammanfattning\n\n"
    "Nu kan ni söka stöd för projekt inom programområde 1. Svenska ESF-rådet avsätter 30 miljoner kronor till "
    "projekt i Sydsverige. {cofin}\n\nUtlysningen öppnar den 1 mars och stänger kl 16.00 den 2 maj 2019."
)


@pytest.mark.parametrize(
    ("sentence", "rate"),
    [
        pytest.param("Medfinansiering ska uppgå till 25 procent.", 0.25, id="uppga-till"),
        pytest.param(
            "Projekt i denna utlysning ska medfinansieras med 53 procent (+/- 0,5%)",
            0.53,
            id="medfinansieras-med",
        ),
        pytest.param("Ingen medfinansiering krävs i denna utlysning.", 0.0, id="none-required"),
    ],
)
def test_call_fields(sentence: str, rate: float) -> None:
    record, _ = parse(_doc(CALL.format(cofin=sentence)))
    assert record.kind == "call"
    assert (record.diarienummer, record.region, record.programme_area_code) == (
        "2019/00123",
        "Sydsverige",
        "1.1",
    )
    assert (str(record.call_opens), str(record.call_closes), record.call_budget_sek) == (
        "2019-03-01",
        "2019-05-02",
        30_000_000,
    )
    assert record.call_cofinancing_rate == rate
    assert record.period_start is None and record.esf_grant_sek is None and record.goals == []


def test_kind_accuracy_on_real_documents() -> None:
    """Every real document's kind as its source list gives it (`other`: any write-up or page)."""
    from esfparse.readers import read

    rows = list(
        csv.DictReader((CORPUS / "real" / "sources.tsv").open(encoding="utf-8"), delimiter="\t")
    )
    wrong = []
    for row in rows:
        want = {"call_for_proposals": "call"}.get(row["kind"], row["kind"])
        got = classify_genre(read(CORPUS / "real" / "raw" / row["file"])).kind
        if not (got == want or (want == "other" and got in ("presentation", "project_page"))):
            wrong.append((row["file"], want, got))
    assert len(rows) == 61
    assert len(wrong) / len(rows) <= 0.05, wrong


def test_report_set_up_count_is_no_result() -> None:
    record, _ = parse(
        _doc(
            "Slutrapport genomförande\n\n96 av länets småföretag har deltagit i projektet." + FILLER
        )
    )
    assert all(g.value != 96 for g in record.goals)


def test_report_programme_area_and_region_from_prose() -> None:
    text = (
        "Slutrapport genomförande\n\nProjektet har delfinansierats genom Europeiska socialfonden, "
        "programområde 2, utökat arbetskraftsutbud. Deltagarna bor i tre län i Norra Mellansverige."
        + FILLER
    )
    record, _ = parse(_doc(text))
    assert (record.programme_area, record.programme_area_code, record.region) == (
        "2 utökat arbetskraftsutbud",
        "2",
        "Norra Mellansverige",
    )


def test_transcript_without_heading_takes_the_form_name() -> None:
    """An application form transcribed as one line: no 2,000-character title, the form's project name."""
    line = (
        "Sid 1(17) Ansökan Uppgifter om projektet Namn på projektet Lyftet Startdatum 2016-03-01 "
        "Kontaktperson för projektet Eva Lind Slutdatum 2019-02-28 "
        + "Telefonnummer E-post " * 30
        + "Programområde 1 - Kompetensförsörjning inom ESF."
    )
    record, _ = parse(_doc(line))
    assert record.kind == "presentation" and record.title == "Lyftet"


def test_report_title_on_the_line_after_its_heading() -> None:
    text = (
        "1(12)\n\nSlutrapport\n\nYrkeslyft Ydre\n\nProjektägare: Ydre kommun\n\n"
        "Rapporten är skriven av Karin Holm och Ahmed Yousef, Exempel Analys AB.\n\n" + FILLER
    )
    record, _ = parse(_doc(text))
    assert record.kind == "report"
    assert record.title == "Yrkeslyft Ydre"
    assert [(p.name, p.organisation) for p in record.people][:2] == [
        ("Karin Holm", "Exempel Analys AB"),
        ("Ahmed Yousef", "Exempel Analys AB"),
    ]


def test_write_up_venue_and_owner() -> None:
    text = (
        "Konferens om vård\n\nEtt femtiotal deltagare kom till Mora den 12 april för att lära av "
        "ESF-projektet Vårdsteg. Projektet drivs av Orsa kommun i samverkan med Region Dalarna och "
        "bedrivs i Orsa och Älvdalen.\n\n– Vi har lärt oss mycket, säger Eva Lind, projektledare på "
        "Orsa kommun."
    )
    record, _ = parse(_doc(text))
    assert record.kind == "presentation"
    assert record.owner == "Orsa kommun"
    assert sorted(m.name for m in record.municipalities) == ["Orsa", "Älvdalen"]
