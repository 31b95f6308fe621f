"""Property tests: every extractor, the readers' entry point and the whole parser on arbitrary input.

For any input: no exception escapes (readers may raise only UnreadableDocument), spans stay inside
the text, and the same input always gives the same output.

The number of examples per test comes from the `esfparse` settings profile: 100 by default (CI),
with a fixed seed so CI is repeatable; or ``HYPOTHESIS_MAX_EXAMPLES`` random examples, e.g. a
dedicated long run::

    HYPOTHESIS_MAX_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_properties.py \\
        -p no:cacheprovider --hypothesis-show-statistics
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esfparse import pipeline
from esfparse.checks import check, find_conflicting_duplicates
from esfparse.errors import UnreadableDocument
from esfparse.extract import contacts, dates, goals, money, numbers, organisations, people, places
from esfparse.models import Record
from esfparse.readers import read_bytes
from esfparse.readers.text import document_from_text

LONG_RUN = "HYPOTHESIS_MAX_EXAMPLES" in os.environ
settings.register_profile(
    "esfparse",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100")),
    derandomize=not LONG_RUN,  # CI sees the same examples every run; a long run explores new ones
    deadline=None,  # first calls load spaCy and dateparser; timing is not the property under test
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # keep the shared checkout clean; failures print their reproduction blob
    print_blob=True,
)
PROFILE = settings.get_profile("esfparse")

# Fragments of the genre (labels, amounts, dates, goal words, places, addresses, separators) so that
# generated text reaches deep into the extractors, mixed with arbitrary Unicode.
FRAGMENTS = [
    "Projektägare",
    "Beviljat ESF-stöd",
    "Total projektbudget",
    "Projektperiod",
    "Region",
    "Kommun",
    "Programområde",
    "Unionens medfinansieringsgrad:",
    "Planerat antal deltagare",
    "Sammanfattning",
    "Mål",
    "8 625 810 kr",
    "8\u00a0625\u00a0810",
    "3 544 067,52 €",
    "8,6 mkr",
    "3 miljoner kronor",
    "tkr",
    "40%",
    "32,8 procent",
    "2010-01-18 till 2012-09-07",
    "2016-08-01-2019-03-31",
    "1 September 2023",
    "december 2021",
    "2099-13-45",
    "minst",
    "c:a",
    "300–400",
    "mellan 300 och 400",
    "tre till fyra",
    "hälften",
    "st.",
    "varav",
    "deltagare",
    "ska",
    "kommer att",
    "målet är",
    "av deltagarna",
    "per månad",
    "90 dagar efter",
    "Stockholm",
    "Bergs",
    "Malmöbor",
    "Göteborgs stad",
    "Upplands-Väsby",
    "Region Gävleborg",
    "Åre",
    "samverkan mellan",
    "tillsammans med",
    "Arbetsförmedlingen",
    "och",
    "samt",
    ", ",
    "anna.ek@kommun.se",
    "@",
    ".se",
    "www.esf.se",
    "010-486 09 57",
    "Moderator:",
    "Generaldirektör",
    "\n",
    "\n\n",
    " ",
    "\t",
    " • ",
    ":",
    "(",
    ")",
    "%",
    "-",
    "–",
    "/",
    ".",
    "0",
    "9",
    "12",
    "1999",
]
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40).map("".join),
)
# Real pages cut at any point and continued with generated text: reaches every parser branch.
RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"
PAGES = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
PAGE_TEXT = st.tuples(st.sampled_from(PAGES), st.floats(0, 1), TEXT).map(
    lambda t: t[0][: int(len(t[0]) * t[1])] + t[2]
)


def deterministic(fn: Callable[[str], Any], text: str) -> Any:
    """Call fn twice on text: it must not raise and must give equal results."""
    first = fn(text)
    assert fn(text) == first
    return first


def inside(text: str, start: int, end: int) -> bool:
    return 0 <= start <= end <= len(text)


@PROFILE
@given(TEXT)
def test_money(text: str) -> None:
    m = deterministic(money.parse_money, text)
    assert m is None or inside(text, m.start, m.end)
    deterministic(money.parse_percent, text)


@PROFILE
@given(TEXT)
def test_dates(text: str) -> None:
    start, end, span = deterministic(dates.parse_period, text)
    assert span is None or inside(text, *span)
    assert all(d is None or isinstance(d, date) for d in (start, end))
    deterministic(dates.parse_date, text)
    deterministic(dates.parse_month, text)


@PROFILE
@given(TEXT)
def test_numbers(text: str) -> None:
    found = deterministic(numbers.find_numbers, text)
    assert all(inside(text, n.start, n.end) for n in found)
    deterministic(numbers.parse_number, text)
    deterministic(numbers.parse_percent, text)
    deterministic(numbers.parse_range, text)


@PROFILE
@given(TEXT)
def test_goals(text: str) -> None:
    found = deterministic(goals.find_goals, text)
    assert all(inside(text, g.evidence.start, g.evidence.end) for g in found)
    deterministic(lambda t: goals.find_goals(t, genre="presentation"), text)
    deterministic(goals.find_text_tables, text)


@PROFILE
@given(TEXT)
def test_places(text: str) -> None:
    found = deterministic(places.find_municipalities, text)
    assert all(
        inside(text, m.start, m.end) and text[m.start : m.end] == m.as_written for m in found
    )
    deterministic(places.resolve_municipality, text)
    deterministic(places.resolve_region, text)


@PROFILE
@given(TEXT)
def test_contacts(text: str) -> None:
    for finder in (contacts.find_emails, contacts.find_urls):
        found = deterministic(lambda t, find=finder: list(find(t)), text)
        assert all(text[s:e] == value for value, s, e in found)
    deterministic(contacts.is_valid_email, text)
    deterministic(contacts.looks_like_phone, text)


@PROFILE
@given(TEXT)
def test_organisations(text: str) -> None:
    found = deterministic(lambda t: list(organisations.find_partner_mentions(t)), text)
    assert all(text[s:e] == name for name, s, e in found)


@PROFILE
@given(TEXT)
def test_people(text: str) -> None:
    deterministic(people.find_people, text)


def _parse(text: str) -> tuple[dict[str, Any], list[Any]]:
    doc = document_from_text(text, path="generated.txt")
    record, problems = pipeline.parse(doc)
    problems += check(record, doc)
    return record.model_dump(), [p.model_dump() for p in problems]


@PROFILE
@given(st.one_of(TEXT, PAGE_TEXT))
def test_whole_parser(text: str) -> None:
    deterministic(_parse, text)


@PROFILE
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
        TEXT.map(lambda t: t.encode("utf-16")),
        TEXT.map(lambda t: t.encode("cp1252", "replace")),
    )
)
def test_reading_bytes_raises_only_unreadable(data: bytes) -> None:
    try:
        doc = read_bytes(data, "generated.pdf")
    except UnreadableDocument:
        return
    assert isinstance(doc.text, str)


# Within the model's bounds: checks only ever see validated records.
NUMBER = st.one_of(st.none(), st.integers(0, 10**13))
COUNT = st.one_of(st.none(), st.integers(0, 10**9))
EUROS = st.one_of(st.none(), st.floats(0, 1e12))
RATE = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
DAY = st.one_of(st.none(), st.dates())
RECORDS = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["project_page", "presentation", "unknown"]),
        "layout": st.sampled_from(
            [None, "esf2007", "esf2014", "label_colon", "esfplus", "prose", "kohesio"]
        ),
        "title": st.one_of(st.none(), st.sampled_from(["A", "a ", "B"])),
        "owner": st.one_of(st.none(), st.sampled_from(["X", "x", "Y"])),
        "diarienummer": st.one_of(st.none(), st.sampled_from(["22-044-S07", "22-044-s07 "])),
        "esf_grant_sek": NUMBER,
        "total_budget_sek": NUMBER,
        "planned_participants": COUNT,
        "participants": COUNT,
        "esf_grant_eur": EUROS,
        "total_budget_eur": EUROS,
        "union_cofinancing_rate": RATE,
        "cofinancing_rate_derived": RATE,
        "period_start": DAY,
        "period_end": DAY,
        "programme_period": st.one_of(st.none(), st.text(max_size=12), st.just("2014-2020")),
        "region": st.one_of(st.none(), st.text(max_size=20), st.just("Stockholm")),
        "region_nuts2": st.one_of(st.none(), st.sampled_from(["SE11", "SE12", "XX99"])),
        "email": st.one_of(st.none(), st.text(max_size=30)),
        "truncated": st.booleans(),
    }
).map(Record.model_validate)


@PROFILE
@given(st.lists(RECORDS, min_size=1, max_size=6))
def test_checks_never_raise(records: list[Record]) -> None:
    for record in records:
        assert deterministic(check, record) is not None
    pairs = [(f"{i % 3}.txt", r) for i, r in enumerate(records)]
    deterministic(find_conflicting_duplicates, pairs)  # type: ignore[arg-type]


# Found by the 10,000-example run: a sentence that is only a bullet after a full stop.
def test_regression_goals_dot_bullet() -> None:
    assert goals.find_goals(". • ") == []


def test_regression_page_with_dot_bullet_section() -> None:
    text = (RAW / "dev04.txt").read_text(encoding="utf-8")
    record, _ = pipeline.parse(document_from_text(text + "\n\nMålsättning\n\n. • \n"))
    assert record.kind == "project_page"
