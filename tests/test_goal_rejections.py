"""Each rule that rejects a number as a goal, tested on real (paraphrased) negative sentences.

`explain_numbers` keeps the reason of every rejection; each row names the number and the reason the rule
must give, so a rule that stops firing (or another rule that takes its sentences) fails here.
"""

from __future__ import annotations

import pytest

from esfparse.extract.goals import explain_numbers, find_goals

PAGE, TALK = "project_page", "presentation"

# (id, sentence, genre, section, value, reason)
REJECTIONS = [
    # years and year ranges
    ("year-since", "Sedan 2015 har antalet obesatta tjänster ökat.", PAGE, None, 2015, "year"),
    (
        "year-in-goal-sentence",
        "Under 2021 ska fyra språkombud utbildas på varje arbetsplats.",
        PAGE,
        None,
        2021,
        "year",
    ),
    (
        "year-range-mellan-och",
        "Många kommer att utförsäkras från sjukförsäkringen mellan 2010 och 2012.",
        PAGE,
        None,
        2010,
        "year range",
    ),
    (
        "year-range-after-antal",
        "Ett stort antal individer kommer att utförsäkras mellan 2010 och 2012.",
        PAGE,
        None,
        2010,
        "year range",
    ),
    (
        "year-range-dash",
        "Projektet bygger på erfarenheter från förstudien 2018–2019.",
        PAGE,
        "Målsättning",
        2018,
        "year range",
    ),
    (
        "years-english-between",
        "Unemployment rose sharply between 2019 and 2022 in the county.",
        PAGE,
        None,
        2022,
        "year",
    ),
    # dates
    (
        "date-day-month",
        "Den 1 juli 2008 infördes nya regler i sjukförsäkringen.",
        PAGE,
        None,
        1,
        "date",
    ),
    ("date-english", "Start date: 2 January 2024", PAGE, None, 2, "date"),
    # list, slide and section numbers
    (
        "list-number",
        "1. Kartlägga kompetensen hos alla medarbetare.",
        PAGE,
        "Målsättning",
        1,
        "list marker",
    ),
    (
        "list-number-paren",
        "2) Erbjuda validering och utbildning.",
        PAGE,
        "Målsättning",
        2,
        "list marker",
    ),
    ("step-label", "Steg 3 innebär att deltagaren ska matchas mot arbete.", PAGE, None, 3, "label"),
    ("slide-counter", "1 / 11", TALK, None, 1, "nothing counted"),
    ("section-number", "3.2 Målgrupp och deltagare", PAGE, None, 3, "section number"),
    # money, durations, ages
    (
        "money-kronor",
        "Projektet ska använda 2 miljoner kronor till utbildning.",
        PAGE,
        None,
        2,
        "money",
    ),
    (
        "duration-weeks",
        "Deltagandet pågår normalt i 12 veckor.",
        PAGE,
        "Målsättning",
        12,
        "duration",
    ),
    ("duration-years", "Många har varit utan arbete i mer än fem år.", TALK, None, 5, "duration"),
    ("age-range", "Projektet riktar sig till unga 16–29 år i Kalix.", PAGE, None, 16, "age"),
    # context statistics
    (
        "context-unemployment",
        "Arbetslösheten i kommunen är 9,3 % och bland unga ännu högre.",
        PAGE,
        "Målsättning",
        9.3,
        "context statistic",
    ),
    (
        "context-existential",
        "I dag finns det omkring 90 000 arbetslösa i Sverige.",
        TALK,
        None,
        90000,
        "context statistic",
    ),
    (
        "context-according-to",
        "Enligt Socialstyrelsen behöver 2 400 undersköterskor rekryteras i länet.",
        TALK,
        None,
        2400,
        "context statistic",
    ),
    (
        "context-no-goal-cue",
        "Sjukfrånvaron i äldreomsorgen var 9,8 % år 2019.",
        PAGE,
        None,
        9.8,
        "no goal cue",
    ),
    # set-up: staff, organisations and places taking part, structure
    ("staff-coaches", "Personalstyrkan består av fyra coacher.", PAGE, None, 4, "staff"),
    (
        "staff-employees-english",
        "The Swedish ESF Council has 120 employees in eight regional units.",
        TALK,
        None,
        120,
        "staff",
    ),
    (
        "setup-regions-english",
        "Each of the eight regions has a joint Structural Fund partnership.",
        TALK,
        None,
        8,
        "set-up",
    ),
    (
        "setup-cooperating-municipalities",
        "The project strengthens the staff in the four cooperating municipalities "
        "of Borlänge, Falun, Gagnef and Säter.",
        PAGE,
        None,
        4,
        "set-up",
    ),
    ("setup-deltar-gor", "Deltar gör 12 kommuner i länet.", PAGE, "Målsättning", 12, "set-up"),
    (
        "structure-main-efforts",
        "Två huvudsakliga insatser kommer att löpa som en röd tråd genom hela projektet.",
        PAGE,
        None,
        2,
        "project structure",
    ),
    # shares that describe who the participants are
    (
        "gender-split-english",
        "The target group consists of about 70% women and is a heterogeneous group.",
        PAGE,
        None,
        70,
        "gender split",
    ),
    (
        "composition-share",
        "Andelen kvinnor bland deltagarna beräknas bli 40 %.",
        PAGE,
        "Målsättning",
        40,
        "composition share",
    ),
    # a share stated as a fact, even when a forecast with a modal follows in the sentence
    (
        "stated-share",
        "Andelen anställda över 60 år är 28 % i kommunen, och enligt prognosen kommer behovet att öka.",
        PAGE,
        None,
        28,
        "context statistic",
    ),
    (
        "stated-share-past",
        "Andelen långtidssjukskrivna i äldreomsorgen var 9 procent förra året, och projektet kommer "
        "att arbeta med det.",
        TALK,
        None,
        9,
        "context statistic",
    ),
    # the size of a past change is a fact about the region
    (
        "past-change-count",
        "Mellan 2009 och 2014 minskade antalet jobb inom skogsnäringen i Dalarna med 1 300.",
        TALK,
        None,
        1300,
        "relative difference",
    ),
    (
        "past-change-english",
        "Between 2016 and 2021 the number of apprentices in the county rose by 450.",
        PAGE,
        None,
        450,
        "relative difference",
    ),
    # an event's own programme and a project's staff are no goals
    (
        "event-programme",
        "Programmet avslutades med fyra parallella seminarier.",
        TALK,
        None,
        4,
        "context statistic",
    ),
    (
        "staff-worked-in-project",
        "Under 2018 arbetade fyra handledare i projektet.",
        TALK,
        None,
        4,
        "set-up",
    ),
    (
        "year-before-a-staff-clause",
        "Under 2018 arbetade fyra handledare i projektet.",
        TALK,
        None,
        2018,
        "year",
    ),
]


@pytest.mark.parametrize(
    "text,genre,section,value,reason", [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS]
)
def test_rejection_reason(
    text: str, genre: str, section: str | None, value: float, reason: str
) -> None:
    if reason == "section number":  # never read as a number at all
        assert explain_numbers(text, section=section, genre=genre) == []
        return
    explained = [(n.value, why) for n, why in explain_numbers(text, section=section, genre=genre)]
    assert (value, reason) in explained, explained
    assert value not in [g.value for g in find_goals(text, section=section, genre=genre)]


@pytest.mark.parametrize(
    "text,genre,value",
    [
        pytest.param(
            "Minst 120 medarbetare ska under projekttiden genomgå en validering.",
            PAGE,
            120,
            id="employees-as-participants-stay",
        ),
        pytest.param(
            "Projektet har nått 400 jobbspår i 200 kommuner.",
            TALK,
            200,
            id="reach-after-a-result-stays",
        ),
        pytest.param(
            "Projektets mål är att 300 personer ska delta fram till projektslutet 2025.",
            TALK,
            300,
            id="target-beside-a-year-stays",
        ),
        pytest.param(
            "Målet är att 2000–2500 deltagare ska nås.",
            PAGE,
            2000,
            id="count-range-is-no-year-range",
        ),
        pytest.param(
            "Andelen deltagare som ska ha ett arbete efter insatsen är 45 %.",
            PAGE,
            45,
            id="share-with-a-modal-stays",
        ),
        pytest.param(
            "Sjukskrivningarna bland deltagarna ska minska med 20 procent.",
            PAGE,
            20,
            id="planned-change-stays",
        ),
        pytest.param(
            "Hittills har 31 brandmän rekryterats, mot målet 40.",
            TALK,
            40,
            id="target-gloss-after-words",
        ),
        pytest.param(
            "Vi har tränat 52 handledare, och målet är 75 till hösten.",
            TALK,
            75,
            id="target-gloss-och-malet-ar",
        ),
        pytest.param(
            "Av de 90 deltagarna hade 41 av dem efter ett halvår gått vidare till arbete.",
            TALK,
            41,
            id="partitive-subject-outcome",
        ),
        pytest.param(
            "Av deltagarna har 23 en tillsvidareanställning.",
            TALK,
            23,
            id="outcome-noun-after-count",
        ),
        pytest.param(
            "Projektet ska ordna 6 temadagar och 4 rekryteringsdagar per år.",
            PAGE,
            4,
            id="event-days-are-outputs",
        ),
    ],
)
def test_rules_leave_goals_alone(text: str, genre: str, value: float) -> None:
    assert value in [g.value for g in find_goals(text, genre=genre)], explain_numbers(
        text, genre=genre
    )
