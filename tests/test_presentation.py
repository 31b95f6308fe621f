"""Presentations: speakers (name, role, organisation), organisations named, and the whole parser.

The snippets are made up in the shapes Swedish slide decks and conference write-ups use; none of
their names come from the corpus.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest

from esfparse.document import Document
from esfparse.extract import contacts
from esfparse.extract.people import (
    cue_words,
    email_matches,
    find_definitions,
    find_known_organisations,
    find_people,
    is_role,
    lookup_organisation,
    organisation_at,
    organisation_for_domain,
)
from esfparse.models import Record
from esfparse.parsers.presentation import parse_presentation

from .conftest import GOLD, RAW


def _people(text: str) -> list[tuple[str, str | None, str | None]]:
    emails = [e for e, _, _ in contacts.find_emails(text)]
    return [(p.name, p.role, p.organisation) for p in find_people(text, emails=emails)]


# ---------------------------------------------------------------- speakers: positives

SPEAKERS = [
    pytest.param(
        "Maria Lindqvist, projektledare, Västerås stad",
        [("Maria Lindqvist", "projektledare", "Västerås stad")],
        id="speaker-line",
    ),
    pytest.param(
        "Johan Ekberg, arbetsmarknadskonsulent\nArbetsförmedlingen Västerås",
        [("Johan Ekberg", "arbetsmarknadskonsulent", "Arbetsförmedlingen Västerås")],
        id="speaker-line-org-below",
    ),
    pytest.param(
        "Tove Runesson, Digitala möten i praktiken, Processledare\nSkolverket",
        [("Tove Runesson", "Processledare (Digitala möten i praktiken)", "Skolverket")],
        id="speaker-line-topic-role-org-below",
    ),
    pytest.param(
        "Rolf Dahlin, samordnare, Koordinator SKR",
        [("Rolf Dahlin", "samordnare, Koordinator SKR", "SKR")],
        id="speaker-line-two-roles",
    ),
    pytest.param(
        "Erik Sandberg – utvärderare, Ramböll",
        [("Erik Sandberg", "utvärderare", "Ramböll")],
        id="speaker-line-dash",
    ),
    pytest.param(
        "Karin Öberg\nVerksamhetschef, Samordningsförbundet Norra Dalarna",
        [("Karin Öberg", "Verksamhetschef", "Samordningsförbundet Norra Dalarna")],
        id="name-line-then-role-line",
    ),
    pytest.param(
        "- Ylva Ek, Skolverket\n- Per Holm, SKR",
        [("Ylva Ek", None, "Skolverket"), ("Per Holm", None, "SKR")],
        id="bullets-name-org",
    ),
    pytest.param(
        "Anna-Karin Lövgren Berg, enhetschef, Försäkringskassan",
        [("Anna-Karin Lövgren Berg", "enhetschef", "Försäkringskassan")],
        id="three-words-hyphen",
    ),
    pytest.param(
        "Ulla von Essen, docent, Örebro universitet",
        [("Ulla von Essen", "docent", "Örebro universitet")],
        id="particle",
    ),
    pytest.param(
        "Ahmed Yusuf, studie- och yrkesvägledare, Malmö stad",
        [("Ahmed Yusuf", "studie- och yrkesvägledare", "Malmö stad")],
        id="role-with-och",
    ),
    pytest.param(
        "Under förmiddagen berättade Lisa Holmgren, processledare på Region Västerbotten, om det.",
        [("Lisa Holmgren", "processledare på Region Västerbotten", "Region Västerbotten")],
        id="verb-before-appositive",
    ),
    pytest.param(
        "– Fler kvinnor får jobb, säger Fatima Khalil, jobbcoach i projektet.",
        [("Fatima Khalil", "jobbcoach i projektet", None)],
        id="quote-saeger",
    ),
    pytest.param(
        "Enligt Mats Forsberg, utredare vid IFAU, var effekterna små.",
        [("Mats Forsberg", "utredare vid IFAU", "IFAU")],
        id="enligt",
    ),
    pytest.param(
        "Lorenzo Bianchi och Chiara Rossi berättar om erfarenheterna.",
        [("Lorenzo Bianchi", None, None), ("Chiara Rossi", None, None)],
        id="pair-berättar",
    ),
    pytest.param(
        "Moderator var Anders Wikström från Länsstyrelsen Dalarna.",
        [("Anders Wikström", "Moderator", "Länsstyrelsen Dalarna")],
        id="role-var-name-fran-org",
    ),
    pytest.param(
        "Statssekreterare Erik Nordin inledde dagen.",
        [("Erik Nordin", "Statssekreterare", None)],
        id="title-before-name",
    ),
    pytest.param(
        "Skolverkets generaldirektör Petra Holm talade om vuxenutbildningen.",
        [("Petra Holm", "generaldirektör", "Skolverket")],
        id="genitive-org-title",
    ),
    pytest.param(
        "Petra Holm, Skolverkets generaldirektör, höll i dagen.",
        [("Petra Holm", "Skolverkets generaldirektör", "Skolverket")],
        id="appositive-genitive",
    ),
    pytest.param(
        "Karin Sundqvist (KS), docent vid Umeå universitet, presenterade en studie.",
        [("Karin Sundqvist", "docent vid Umeå universitet", "Umeå universitet")],
        id="initials-appositive",
    ),
    pytest.param(
        "I panelen satt Ola Persson (OP) projektledare Jobbsteget, Amina Yusuf (AY) handläggare"
        " Arbetsförmedlingen, samt Bertil Holm (BH).",
        [
            ("Ola Persson", "projektledare Jobbsteget", "Jobbsteget"),
            ("Amina Yusuf", "handläggare Arbetsförmedlingen", "Arbetsförmedlingen"),
            ("Bertil Holm", None, None),
        ],
        id="panel-initials",
    ),
    pytest.param(
        "I panelen satt Jonas Berg, Skolverket, Emma Lund, Arbetsförmedlingen, och Karin Ek, SKR.",
        [
            ("Jonas Berg", None, "Skolverket"),
            ("Emma Lund", None, "Arbetsförmedlingen"),
            ("Karin Ek", None, "SKR"),
        ],
        id="panel-names-orgs",
    ),
    pytest.param(
        "Medverkande: Sara Nilsson (Skolverket), Per Åberg (SKR) och Eva Strand (IFAU).",
        [
            ("Sara Nilsson", "Medverkande", "Skolverket"),
            ("Per Åberg", None, "SKR"),
            ("Eva Strand", None, "IFAU"),
        ],
        id="label-list-brackets",
    ),
    pytest.param(
        "Kommunalrådet Eva Holm (S) öppnade konferensen.",
        [("Eva Holm", "Kommunalrådet", "S")],
        id="party-letter",
    ),
    pytest.param("Foto: Jenny Ahlström", [("Jenny Ahlström", "Foto", None)], id="foto"),
    pytest.param(
        "Text och foto: Malin Sjöberg",
        [("Malin Sjöberg", "Text och foto", None)],
        id="text-och-foto",
    ),
    pytest.param(
        "Projektledare: Ulrika Berg, Falu kommun",
        [("Ulrika Berg", "Projektledare", "Falu kommun")],
        id="role-label-colon",
    ),
    pytest.param(
        "Kontakt\nHenrik Dahl\nProjektledare\n",
        [("Henrik Dahl", "Projektledare", None)],
        id="contact-slide",
    ),
    pytest.param(
        "Tack!\n\nCamila Ortiz\ncamila.ortiz@orebro.se\n",
        [("Camila Ortiz", None, None)],
        id="name-spelled-by-email",
    ),
    pytest.param(
        "09.00 Välkommen – Linnea Björk, Region Skåne\n"
        "09.30 Jobbspår – Rahim Qureshi, Arbetsförmedlingen",
        [("Linnea Björk", None, "Region Skåne"), ("Rahim Qureshi", None, "Arbetsförmedlingen")],
        id="agenda",
    ),
    pytest.param(
        "Samordningsförbundet Västra Mälardalen\nLena Ström och Ali Hassan\n",
        [("Lena Ström", None, None), ("Ali Hassan", None, None)],
        id="line-of-names",
    ),
    pytest.param(
        "Rapporten presenterades av Tomas Lindgren, följeforskare vid Karlstads universitet.",
        [("Tomas Lindgren", "följeforskare vid Karlstads universitet", "Karlstads universitet")],
        id="presenterades-av",
    ),
    pytest.param(
        "Ulrika Eriksson, Svenska ESF-rådet, inledde dagen.",
        [("Ulrika Eriksson", None, "Svenska ESF-rådet")],
        id="appositive-org-inledde",
    ),
    pytest.param(
        "Projektledaren Nils Berg menar att samverkan är nyckeln.",
        [("Nils Berg", "Projektledaren", None)],
        id="definite-title-before",
    ),
    pytest.param(
        "Hussein Ali arbetar som jobbcoach på Arbetsförmedlingen.",
        [("Hussein Ali", "jobbcoach på Arbetsförmedlingen", "Arbetsförmedlingen")],
        id="arbetar-som",
    ),
    pytest.param(
        "Lina Borg är projektledare för Nya jobb och har lång erfarenhet.",
        [("Lina Borg", "projektledare för Nya jobb", None)],
        id="aer-role",
    ),
    pytest.param(
        "Tea Ek (projektledare) och Ivar Holm (utvärderare)\n",
        [("Tea Ek", "projektledare", None), ("Ivar Holm", "utvärderare", None)],
        id="role-in-brackets",
    ),
    pytest.param(
        "Saga Ek och Ivar Holm från Skolverket berättade om läget.",
        [("Saga Ek", None, None), ("Ivar Holm", None, "Skolverket")],
        id="pair-fran-org-verb",
    ),
    pytest.param(
        "INLEDNING ANNA BERG\nInledning Anna Berg Generaldirektör Anna Berg hälsade alla välkomna.",
        [("Anna Berg", "Generaldirektör", None)],
        id="heading-word-glued-before-name",
    ),
    pytest.param(
        "Susanne Zander är tf. kanslichef på DUA och hon berättar om lokala jobbspår.",
        [("Susanne Zander", "tf. kanslichef på DUA", "DUA")],
        id="copula-abbreviated-modifier",
    ),
    pytest.param(
        "Lil Ljunggren Lönnberg är ordförande och Susanne Zander tillförordnad kanslichef för Skolverket.",
        [
            ("Lil Ljunggren Lönnberg", "ordförande", None),
            ("Susanne Zander", "tillförordnad kanslichef för Skolverket", "Skolverket"),
        ],
        id="copula-left-out-for-the-second-name",
    ),
    pytest.param(
        "– Språket blir en tröskel, berättar Nadia Yusuf, projektledare på Västerås stad.",
        [("Nadia Yusuf", "projektledare på Västerås stad", "Västerås stad")],
        id="berattar-name-role-pa-org",
    ),
]


@pytest.mark.parametrize("text,expected", SPEAKERS)
def test_find_people(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert _people(text) == expected


# ---------------------------------------------------------------- speakers: negatives

NOT_PEOPLE = [
    pytest.param(
        "Göteborgs Stad, Arbetsförmedlingen och Försäkringskassan samverkar.", id="orgs-list"
    ),
    pytest.param("Region Skåne berättar om satsningen.", id="region-speaks"),
    pytest.param("Lokala Jobbspår - Nya Vägar\n", id="title-case-heading"),
    pytest.param("Lokala Jobbspår och Nya Vägar\n", id="title-case-pair"),
    pytest.param("Svenska ESF-rådet, Tillväxtverket och Skolverket deltog.", id="agencies"),
    pytest.param("Jobbtorg Kalmar berättar om arbetet.", id="project-with-place"),
    pytest.param("Västra Götaland, Skåne och Stockholm\n", id="regions"),
    pytest.param("Stora Enso, IKEA och Volvo Cars\n", id="companies"),
    pytest.param("Vägen Vidare berättar om sitt arbete.", id="definite-noun-project"),
    pytest.param("Upplands Väsby, projektledare, Lund\n", id="municipality-speaker-line"),
    pytest.param("Övre Norrland\nUtlysning\n2015/00469\n", id="region-above-label"),
    pytest.param("Kontaktperson\nE-post\nanna@example.se\n", id="header-labels"),
    pytest.param("Paneldiskussion: Anna Berg", id="no-label-word"),
    pytest.param("Koordinatorns roll, ansvar och arbetsuppgifter", id="role-word-heading"),
    pytest.param("Supported Employment (SE) är en metod.", id="method-with-acronym"),
    pytest.param(
        "Motivational Interviewing (MINT) och Supported Employment visar resultat.", id="methods"
    ),
    pytest.param("Statistiska Centralbyrån(SCB) tar fram data.", id="agency-odd-case"),
    pytest.param("Stora Delar är projektledarintensiva.", id="copula-not-role"),
]


@pytest.mark.parametrize("text", NOT_PEOPLE)
def test_find_people_rejects(text: str) -> None:
    assert _people(text) == []


KNOWN_GAPS = [
    pytest.param(
        "ANNA BERG, projektledare, Skolverket",
        [("Anna Berg", "projektledare", "Skolverket")],
        id="all-caps-name",
    ),
    pytest.param(
        "A. Berg, projektledare, Skolverket",
        [("A. Berg", "projektledare", "Skolverket")],
        id="initial-for-given-name",
    ),
    pytest.param(
        "Stephen Clark berättar om erfarenheterna.",
        [("Stephen Clark", None, None)],
        id="bare-verb-subject-ending-en",
    ),
    pytest.param(
        "Sinéad O'Brien, utvärderare, Ramböll",
        [("Sinéad O'Brien", "utvärderare", "Ramböll")],
        id="apostrophe-surname",
    ),
    pytest.param("Anna Berg\nVästerås\n", [("Anna Berg", None, None)], id="name-over-bare-place"),
]


@pytest.mark.parametrize("text,expected", KNOWN_GAPS)
@pytest.mark.xfail(strict=True, reason="known gap of the rule set")
def test_find_people_known_gaps(
    text: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    assert _people(text) == expected


def test_people_keep_first_mention_and_merge_role() -> None:
    text = (
        "Generaldirektör Bo Ahl inledde.\n"
        "Senare: Bo Ahl, Tillväxtverkets generaldirektör, avslutade."
    )
    [person] = find_people(text, base=100)
    assert (person.role, person.organisation) == ("Generaldirektör", "Tillväxtverket")
    assert (person.start, person.end) == (116, 122)


# ---------------------------------------------------------------- vocabulary and organisations


@pytest.mark.parametrize(
    "word,expected",
    [
        ("projektledare", True),
        ("Projektledaren", True),
        ("ESF-samordnare", True),
        ("Generaldirektörens", True),
        ("koordinatorns", True),
        ("Kommunalrådet", True),
        ("professor", True),
        ("Koordinera", False),
        ("deltagare", False),
        ("strategi", False),
        ("Arbetsförmedlingen", False),
    ],
)
def test_is_role(word: str, expected: bool) -> None:
    assert is_role(word) is expected


@pytest.mark.parametrize(
    "text,pos,expected",
    [
        pytest.param(
            "professor Linköpings universitet och", 10, "Linköpings universitet", id="head-noun"
        ),
        pytest.param("koordinator SPeK,", 12, "SPeK", id="two-capitals"),
        pytest.param("ledare Region Halland", 7, "Region Halland", id="prefix"),
        pytest.param(
            "chef Samordningsförbundet Östra Skaraborg",
            5,
            "Samordningsförbundet Östra Skaraborg",
            id="suffix",
        ),
        pytest.param("ägare Renova", 6, "Renova", id="bare-word"),
        pytest.param("ledare Anna Berg", 7, None, id="person"),
        pytest.param("handläggare Kalmar", 12, None, id="place"),
    ],
)
def test_organisation_at(text: str, pos: int, expected: str | None) -> None:
    found = organisation_at(text, pos)
    assert (found[0] if found else None) == expected


def test_known_organisations_skip_caps_headings_and_keep_forms() -> None:
    text = (
        "UTVÄRDERING AV PROJEKTET. Enligt Arbetsförmedlingens siffror och en IFAU-studie från Dua."
    )
    assert [m.name for m in find_known_organisations(text)] == ["Arbetsförmedlingen", "IFAU", "Dua"]


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            "arbetar med Region Västmanland (RV) och", ["Region Västmanland (RV)"], id="place-org"
        ),
        pytest.param(
            "Myndigheten för yrkeshögskolan (MYH) beslutar",
            ["Myndigheten för yrkeshögskolan (MYH)"],
            id="known-definition",
        ),
        pytest.param("Eva Holm (EH) berättar", [], id="person-initials"),
        pytest.param("statistik (SCB 2019) visar", [], id="citation"),
    ],
)
def test_find_definitions(text: str, expected: list[str]) -> None:
    assert [m.name for m in find_definitions(text)] == expected


def test_lookup_and_domains() -> None:
    assert lookup_organisation("Försäkringskassans").name == "Försäkringskassan"
    assert lookup_organisation("Kommunal").slot_only
    assert organisation_for_domain("eva.holm@arbetsformedlingen.se").name == "Arbetsförmedlingen"
    assert organisation_for_domain("https://www.skolverket.se/om").name == "Skolverket"
    assert organisation_for_domain("info@example.se") is None


@pytest.mark.parametrize(
    "name,email,expected",
    [
        ("Mona Sjö", "mona.sjo@skolverket.se", True),
        ("Mona Sjö", "Mona.Sjo@x.se", True),
        ("Mona Sjö", "msjo@x.se", True),
        ("Anna-Karin Berg", "anna-karin.berg@x.se", True),
        ("Mona Sjö", "mona@x.se", False),
        ("Mona Sjö", "info@sjo.se", False),
    ],
)
def test_email_matches(name: str, email: str, expected: bool) -> None:
    assert email_matches(name, email) is expected


@pytest.mark.parametrize(
    "name", ["roles.csv", "person_cues.csv", "organisations.csv", "given_names.csv"]
)
def test_vocabulary_files_have_source_notes_and_no_duplicates(name: str) -> None:
    lines = files("esfparse").joinpath("data", name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#"), "each vocabulary file starts with its source"
    rows = [ln for ln in lines if not ln.startswith("#")][1:]
    assert len(rows) == len(set(rows))


@pytest.mark.parametrize(
    "kind", ["label", "verb_after", "verb_before", "list_cue", "stopword", "org_head"]
)
def test_cue_words_are_words(kind: str) -> None:
    words = cue_words(kind)
    assert words and all(re.fullmatch(r"[a-zåäöé]+(?: [a-zåäöé]+)*", w) for w in words), sorted(
        words
    )


def test_package_names_no_person_from_the_corpus() -> None:
    """Rules come from the genre: no speaker of a sample is written into code or vocabulary."""
    names = {
        p["name"]
        for g in GOLD.glob("*.json")
        for p in json.loads(g.read_text("utf-8")).get("people", [])
    }
    package = Path(__file__).resolve().parent.parent / "esfparse"
    for path in [*package.rglob("*.py"), *package.rglob("*.csv"), *package.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if n in text], path


# ---------------------------------------------------------------- the parser

DECK = """Vägar till arbete för unga

Maria Lindqvist, projektledare, Västerås stad
Johan Ekberg, arbetsmarknadskonsulent
Arbetsförmedlingen Västerås

- Samverkan mellan Arbetsförmedlingen och Försäkringskassan
- Utvärdering av Institutet för arbetsmarknads- och utbildningspolitisk utvärdering (IFAU)
- Samarbete med Region Västmanland (RV). RV bidrar med lokaler.

Tack!

maria.lindqvist@vasteras.se
johan.ekberg@arbetsformedlingen.se
"""


def test_parse_presentation_people_and_organisations() -> None:
    record = Record.model_validate(parse_presentation(Document(DECK)))
    assert [(p.name, p.email) for p in record.people] == [
        ("Maria Lindqvist", "maria.lindqvist@vasteras.se"),
        ("Johan Ekberg", "johan.ekberg@arbetsformedlingen.se"),
    ]
    assert [o.name for o in record.organisations] == [
        "Västerås stad",
        "Arbetsförmedlingen Västerås",
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Institutet för arbetsmarknads- och utbildningspolitisk utvärdering (IFAU)",
        "Region Västmanland (RV)",
    ]
    assert {(o.role, o.source) for o in record.organisations} == {("mentioned", "text")}
    for item in [*record.people, *record.organisations]:
        assert DECK[item.evidence.start : item.evidence.end] == item.name


def test_parse_presentation_subject_organisation_and_pages() -> None:
    text = "Tillväxtverket berättar om nya satsningar\n\nSara Lind och Omar Said berättar om det.\n"
    doc = Document(text, page_starts=[0, text.index("Sara")])
    record = Record.model_validate(parse_presentation(doc))
    assert [(p.name, p.organisation, p.evidence.page) for p in record.people] == [
        ("Sara Lind", "Tillväxtverket", 2),
        ("Omar Said", "Tillväxtverket", 2),
    ]
    assert [o.name for o in record.organisations] == ["Tillväxtverket"]


def test_parse_presentation_drops_name_cut_off_at_truncated_end() -> None:
    text = (
        "Konferensen\n\nGeneraldirektör Eva Holm inledde dagen med en lång genomgång av läget.\n"
        "Samtal: Eva Ho"
    )
    record = Record.model_validate(parse_presentation(Document(text)))
    assert [p.name for p in record.people] == ["Eva Holm"]


def test_surname_that_is_a_place_is_no_municipality() -> None:
    text = "Nya vägar\n\nEmma Lund, projektledare, Skolverket\n\nVi finns i Kalmar och Borgholm.\n"
    record = Record.model_validate(parse_presentation(Document(text)))
    assert [m.name for m in record.municipalities] == ["Kalmar", "Borgholm"]


# ---------------------------------------------------------------- the corpus presentations

PRESENTATIONS = ["003_cb21b008e22a7951", "dev13", "dev14"]


@pytest.mark.parametrize("stem", PRESENTATIONS)
def test_corpus_people_match_gold(stem: str) -> None:
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    doc = Document((RAW / f"{stem}.txt").read_text(encoding="utf-8"))
    record = Record.model_validate(parse_presentation(doc))
    assert {p.name for p in record.people} == {p["name"] for p in gold["people"]}


@pytest.mark.parametrize("stem", PRESENTATIONS)
def test_corpus_organisations_match_gold(stem: str) -> None:
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    doc = Document((RAW / f"{stem}.txt").read_text(encoding="utf-8"))
    record = Record.model_validate(parse_presentation(doc))
    assert {o.name for o in record.organisations} == set(gold["organisations"])
