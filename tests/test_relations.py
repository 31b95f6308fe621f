"""The relation layer: which organisation stands in which role to the project, from prose sentences."""

from __future__ import annotations

import pytest

from esfparse.extract.places import resolve_municipality
from esfparse.extract.relations import ROLES, find_relations


def roles(
    text: str,
    owner: str | None = None,
    keep: tuple[str, ...] = ("partner", "co_financier", "funder", "owner"),
) -> list[tuple[str, str]]:
    found = find_relations(
        text, owner=owner, is_place=lambda n: resolve_municipality(n) is not None
    )
    return [(r.name, r.role) for r in found if r.role in keep]


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param(
            "Projektet drivs i samverkan med Arbetsförmedlingen, Försäkringskassan och Region Jämtland Härjedalen.",
            [
                ("Arbetsförmedlingen", "partner"),
                ("Försäkringskassan", "partner"),
                ("Region Jämtland Härjedalen", "partner"),
            ],
            id="i-samverkan-med-x-y-och-z",
        ),
        pytest.param(
            "Denna grupp vill vi stötta via ett projekt gemensamt mellan kommunala arbetsmarknadsverksamheter, "
            "socialtjänst, Försäkringskassa och Arbetsförmedlingar i Piteå och Arvidsjaur.",
            [
                ("Försäkringskassa", "partner"),
                ("Arbetsförmedlingar i Piteå och Arvidsjaur", "partner"),
            ],
            id="services-skipped-plural-head-keeps-its-places",
        ),
        pytest.param(
            "Arbetet sker även tillsammans med arbetsförmedlingar i Ljusdal och Hudiksvall.",
            [("arbetsförmedlingar i Ljusdal och Hudiksvall", "partner")],
            id="lower-case-generic-head",
        ),
        pytest.param(
            "I samtalen deltar även utbildningsaktörer såsom vuxenutbildningarna i Göteborg (Studium), "
            "Stenungssunds och Uddevalla kommuner.",
            [("vuxenutbildningarna i Göteborg (Studium)", "partner")],
            id="actor-kind-then-names",
        ),
        pytest.param(
            "Deltar gör även kommunalförbunden i Fyrbodal och Göteborgsregionen.",
            [("kommunalförbunden i Fyrbodal och Göteborgsregionen", "partner")],
            id="deltar-gor-inverted",
        ),
        pytest.param(
            "Samtal pågår med Göteborgs Spårvägar i syfte att ta ett helhetsgrepp.",
            [("Göteborgs Spårvägar", "partner")],
            id="samtal-pagar-med",
        ),
        pytest.param(
            "Det är Västtrafik som har initierat en samverkan med avdelningen regional utveckling och "
            "Folkhögskoleförvaltningen inom Västra Götalandsregionen.",
            [("Västtrafik", "partner")],
            id="cleft-subject-and-internal-unit",
        ),
        pytest.param(
            "I projektet ska problematiken mötas med ett sammansatt stöd från socialtjänsten, VIVA resurs, "
            "Arbetsförmedlingen, Försäkringskassan och hälso- och sjukvården.",
            [
                ("VIVA resurs", "partner"),
                ("Arbetsförmedlingen", "partner"),
                ("Försäkringskassan", "partner"),
            ],
            id="acronym-with-word-and-suspended-hyphen",
        ),
        pytest.param(
            "Arbetet sker i samverkan med Arbetsförmedlingen Boden och Försäkringskassan.",
            [("Arbetsförmedlingen Boden", "partner"), ("Försäkringskassan", "partner")],
            id="body-with-local-unit",
        ),
        pytest.param(
            "Vi arbetar tillsammans med ett 40-tal handelsföretag, bland annat Lindqvists Järnhandel AB och "
            "Kvarnby Livs AB, samt Handelsanställdas förbund.",
            [
                ("Lindqvists Järnhandel AB", "partner"),
                ("Kvarnby Livs AB", "partner"),
                ("Handelsanställdas förbund", "partner"),
            ],
            id="filler-and-samt-adds-one",
        ),
        pytest.param(
            "Projektet medfinansieras av Överkalix kommun och Haparanda stad.",
            [("Överkalix kommun", "co_financier"), ("Haparanda stad", "co_financier")],
            id="medfinansieras-av-municipalities-kept",
        ),
        pytest.param(
            "Together with the co-financing municipalities Högsby and Nybro, RF SISU Småland and other local "
            "non-profit actors, we will work with dialogue.",
            [("Högsby", "co_financier"), ("Nybro", "co_financier"), ("RF SISU Småland", "partner")],
            id="english-nested-co-financing-group",
        ),
        pytest.param(
            "The project is run in cooperation with the Swedish Public Employment Service, Kalmar County "
            "Administrative Board and Linnaeus University.",
            [
                ("Swedish Public Employment Service", "partner"),
                ("Kalmar County Administrative Board", "partner"),
                ("Linnaeus University", "partner"),
            ],
            id="english-in-cooperation-with",
        ),
        pytest.param(
            "Projektet finansieras av Europeiska socialfonden och drivs i samarbete med Skolverket.",
            [("Europeiska socialfonden", "funder"), ("Skolverket", "partner")],
            id="funder-not-partner",
        ),
        pytest.param(
            "Sala kommun är projektägare och arbetar i samverkan med Sala kommun och Skatteverket.",
            [("Sala kommun", "owner"), ("Sala kommun", "owner"), ("Skatteverket", "partner")],
            id="owner-before-its-cue-and-named-again",
        ),
        pytest.param(
            "Insatserna görs tillsammans med arbetsförmedlingar i Arjeplog och Arvidsjaur, folkhögskolor i "
            "länet samt Samordningsförbundet Norrbotten.",
            [
                ("arbetsförmedlingar i Arjeplog och Arvidsjaur", "partner"),
                ("folkhögskolor i länet", "partner"),
                ("Samordningsförbundet Norrbotten", "partner"),
            ],
            id="deictic-place-and-samt-body-after-plural-places",
        ),
        pytest.param(
            "Kursen ges tillsammans med studieförbund i Orsa och Mora.",
            [("studieförbund i Orsa och Mora", "partner")],
            id="head-alike-in-both-numbers",
        ),
        pytest.param(
            "Projektet drivs av Ydre kommun tillsammans med Kinda kommun och Östergötlands folkhögskolor.",
            [("Ydre kommun", "owner"), ("Östergötlands folkhögskolor", "partner")],
            id="genitive-and-plural-head-owner-list-ends-at-cue",
        ),
        pytest.param(
            "The project works in partnership with Uppsala University and the study association "
            "Vuxenskolan.",
            [("Uppsala University", "partner"), ("Vuxenskolan", "partner")],
            id="description-before-name",
        ),
        pytest.param(
            "Medfinansiärer har varit Region Gotland och Samordningsförbundet Gotland.",
            [("Region Gotland", "co_financier"), ("Samordningsförbundet Gotland", "co_financier")],
            id="co-financiers-have-been",
        ),
        pytest.param(
            "Samverkansparter är Hylte kommun, Arbetsförmedlingen och Halmstads högskola.",
            [("Arbetsförmedlingen", "partner"), ("Halmstads högskola", "partner")],
            id="partners-named-by-a-plural-noun-and-verb",
        ),
    ],
)
def test_relations(text: str, expected: list[tuple[str, str]]) -> None:
    owner = "Sala kommun" if text.startswith("Sala") else None
    assert roles(text, owner=owner) == expected


@pytest.mark.parametrize(
    "text,why",
    [
        pytest.param(
            "Folkbildningsrådet är projektägare till projektet i samverkan med 39 folkhögskolor och 41 "
            "studieförbund i hela landet.",
            "a counted kind of body (set-up)",
            id="counted-kinds",
        ),
        pytest.param(
            "Pilotprojektet sker i samverkan med fyra kommuner, Migrationsverket, SLU och Röda Korset.",
            "a relation of another project (Pilotprojektet)",
            id="another-project",
        ),
        pytest.param(
            "Projektet genomförs i samverkan med socialtjänsten.",
            "generic head (service)",
            id="service",
        ),
        pytest.param(
            "Projektet genomförs tillsammans med projektägaren.", "generic head (self)", id="self"
        ),
        pytest.param(
            "Samverkan sker med upphandlade bussföretag.", "not a name", id="lower-case-kind"
        ),
        pytest.param(
            "Projektet genomförs i samverkan med folkhögskolor.",
            "generic head without a place or name",
            id="bare-generic-head",
        ),
        pytest.param(
            "Vi jobbar tillsammans med Det.",
            "a stop word, abbreviation or number alone",
            id="stop-word",
        ),
        pytest.param(
            "Insatserna sker i samarbete med S.",
            "a stop word, abbreviation or number alone",
            id="one-letter",
        ),
        pytest.param(
            "Arbetet sker i samverkan med 2022 års deltagare.",
            "a counted kind of body (set-up)",
            id="number",
        ),
    ],
)
def test_no_partner(text: str, why: str) -> None:
    found = find_relations(text)
    assert not [r for r in found if r.role in ("partner", "co_financier")], found
    reasons = {r.reason for r in found} | ({"not a name"} if not found else set())
    assert why in reasons, found


def test_relation_keeps_sentence_and_name_spans() -> None:
    text = "Inledning. Projektet drivs i samarbete med Lunds universitet och Region Skåne. Slut."
    found = find_relations(text)
    assert [text[r.start : r.end] for r in found] == ["Lunds universitet", "Region Skåne"]
    assert {text[r.sentence_start : r.sentence_end] for r in found} == {
        "Projektet drivs i samarbete med Lunds universitet och Region Skåne."
    }
    assert all(r.role in ROLES for r in found)


def test_sentences_without_a_cue_are_not_tokenised(monkeypatch: pytest.MonkeyPatch) -> None:
    import esfparse.extract.relations as rel

    calls: list[str] = []
    real = rel.analyse_relations
    monkeypatch.setattr(rel, "analyse_relations", lambda s: calls.append(s) or real(s))
    text = "Projektet vänder sig till unga. Målet är arbete. Det sker i samverkan med Skolverket."
    assert [r.name for r in find_relations(text)] == ["Skolverket"]
    assert calls == ["Det sker i samverkan med Skolverket."]


def test_work_grows_linearly_with_cues_in_one_long_sentence() -> None:
    import time

    def run(n: int) -> float:
        text = "Projektet drivs " + "i samverkan med Skolverket och Region Skåne, " * n + "slut."
        start = time.perf_counter()
        found = find_relations(text)
        assert sum(r.name == "Skolverket" for r in found) >= n - 1
        return time.perf_counter() - start

    run(20)
    small, large = min(run(100) for _ in range(3)), min(run(400) for _ in range(3))
    assert large < small * 4 * 3  # four times the input: about four times the time, never sixteen
