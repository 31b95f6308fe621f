"""Dates and project periods: exact ISO patterns first, dateparser only as a fallback.

dateparser costs ~650 µs a call and its defaults depend on the day you run, so
it is imported lazily, configured once (Swedish and English, day first, a fixed
relative base, day/month/year required) and only asked after the regexes fail.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_ISO = r"(\d{4})-(\d{2})-(\d{2})"
# Two ISO dates joined by `till`, `to`, `–`, `-` or `--` (also glued: 2016-08-01-2019-03-31).
_PERIOD_RE = re.compile(
    rf"""
    {_ISO}                                  # start date
    \s*(?:till|to|--|–|—|-)\s*              # separator
    {_ISO}                                  # end date
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ISO_RE = re.compile(rf"\b{_ISO}\b")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("januari", "january", "jan"),
            ("februari", "february", "feb"),
            ("mars", "march", "mar"),
            ("april", "apr"),
            ("maj", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("augusti", "august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_DAY_MONTH_YEAR_RE = re.compile(r"\b(\d{1,2})\.?\s+([A-Za-zåäöÅÄÖ]+)\.?\s+(\d{4})\b")
_MONTH_YEAR_RE = re.compile(r"\b([A-Za-zåäöÅÄÖ]+)\s+(\d{4})\b")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_period(text: str) -> tuple[date | None, date | None, tuple[int, int] | None]:
    """Start and end of a period like `2010-01-18 till 2012-09-07`, with the span matched.

    >>> parse_period("2016-08-01-2019-03-31")[:2]
    (datetime.date(2016, 8, 1), datetime.date(2019, 3, 31))
    >>> parse_period("2019-12-01 - 2022-12-31")[1]
    datetime.date(2022, 12, 31)
    """
    m = _PERIOD_RE.search(text)
    if not m:
        return None, None, None
    g = [int(x) for x in m.groups()]
    return _safe_date(g[0], g[1], g[2]), _safe_date(g[3], g[4], g[5]), m.span()


def parse_date(text: str) -> date | None:
    """One date: ISO, `1 September 2023`, `1 sept. 2023`; dateparser as a last resort.

    >>> parse_date("2023-09-01")
    datetime.date(2023, 9, 1)
    >>> parse_date("1 September 2023")
    datetime.date(2023, 9, 1)
    >>> parse_date("31 augusti 2026")
    datetime.date(2026, 8, 31)
    """
    text = text.strip()
    m = _ISO_RE.search(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DAY_MONTH_YEAR_RE.search(text)
    if m and m.group(2).lower() in _MONTHS:
        return _safe_date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    if not re.search(r"\d", text) or len(text) > 40:
        return None
    return _dateparser_date(text)


def parse_month(text: str) -> tuple[int, int] | None:
    """(year, month) of `december 2021`, or None.

    >>> parse_month("Slutrapport december 2021")
    (2021, 12)
    """
    for m in _MONTH_YEAR_RE.finditer(text):
        month = _MONTHS.get(m.group(1).lower())
        if month:
            return int(m.group(2)), month
    return None


@lru_cache(maxsize=1)
def _dateparser_settings() -> dict[str, object]:
    return {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(2000, 1, 1),
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


def _dateparser_date(text: str) -> date | None:
    import dateparser  # deferred: heavy import, rarely needed

    try:
        result = dateparser.parse(text, languages=["sv", "en"], settings=_dateparser_settings())
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return result.date() if result else None
