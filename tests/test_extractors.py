"""Money, dates and contacts: tables of real Swedish snippets."""

from __future__ import annotations

from datetime import date

import pytest

from esfparse.extract import contacts, dates, money


@pytest.mark.parametrize(
    "text,amount,currency",
    [
        pytest.param("8 625 810 kr", 8625810, "SEK", id="spaces-kr"),
        pytest.param("8\u00a0625\u00a0810 kr", 8625810, "SEK", id="nbsp-thousands"),
        pytest.param("38 888 951", 38888951, "SEK", id="no-currency"),
        pytest.param("3 544 067,52 €", 3544067.52, "EUR", id="euro-decimals"),
        pytest.param("8,6 mkr", 8600000, "SEK", id="mkr"),
        pytest.param("3 miljoner kronor", 3000000, "SEK", id="miljoner-kronor"),
        pytest.param("500 tkr", 500000, "SEK", id="tkr"),
        pytest.param("8.625.810 kr", 8625810, "SEK", id="dot-thousands"),
    ],
)
def test_parse_money(text: str, amount: float, currency: str) -> None:
    m = money.parse_money(text)
    assert m is not None and m.amount == amount and m.currency == currency


@pytest.mark.parametrize(
    "text,start,end",
    [
        pytest.param("2010-01-18 till 2012-09-07", date(2010, 1, 18), date(2012, 9, 7), id="till"),
        pytest.param(
            "2016-08-01-2019-03-31", date(2016, 8, 1), date(2019, 3, 31), id="glued-hyphen"
        ),
        pytest.param(
            "2019-12-01 - 2022-12-31", date(2019, 12, 1), date(2022, 12, 31), id="spaced-hyphen"
        ),
        pytest.param(
            "2022-03-10 -- 2023-09-30", date(2022, 3, 10), date(2023, 9, 30), id="double-hyphen"
        ),
        pytest.param("2020-01-01 – 2021-06-30", date(2020, 1, 1), date(2021, 6, 30), id="en-dash"),
    ],
)
def test_parse_period(text: str, start: date, end: date) -> None:
    assert dates.parse_period(text)[:2] == (start, end)


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param("1 September 2023", date(2023, 9, 1), id="english"),
        pytest.param("31 augusti 2026", date(2026, 8, 31), id="swedish"),
        pytest.param("2023-09-01", date(2023, 9, 1), id="iso"),
        pytest.param("2023-02-30", None, id="impossible-day"),
        pytest.param("ingen dag", None, id="no-date"),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert dates.parse_date(text) == expected


def test_period_rejects_single_date() -> None:
    assert dates.parse_period("2010-01-18") == (None, None, None)


@pytest.mark.parametrize(
    "value,valid",
    [
        ("rade.azaric@arbetsformedlingen.se", True),
        ("info@lnt.nu", True),
        ("namn@domän", False),
        ("två ord@x.se", False),
        ("@x.se", False),
    ],
)
def test_email_validity(value: str, valid: bool) -> None:
    assert contacts.is_valid_email(value) is valid


def test_find_emails_spans() -> None:
    text = "Skriv till a.b@c.se eller d@e.nu."
    assert [text[s:e] for _, s, e in contacts.find_emails(text)] == ["a.b@c.se", "d@e.nu"]
