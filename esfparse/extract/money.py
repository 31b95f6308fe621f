"""Money amounts in Swedish (and Kohesio English) notation."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A number with optional thousands groups separated by space / no-break space / dot,
# an optional decimal part after a comma (or a dot when groups use spaces).
_AMOUNT_RE = re.compile(
    r"""
    (?P<num>
        \d{1,3}(?:[ \u00a0\u202f.]\d{3})+     # grouped thousands: 4 512 300 / 8.625.810
        (?:,\d{1,2})?                         # optional decimals: ,52
      | \d+(?:[,.]\d+)?                       # plain: 11650 / 8,6
    )
    \s*
    (?P<unit>
        mkr|msek|miljoner\s+kronor|miljoner|milj\.?\s*kr|mnkr   # millions
      | tkr|tusen\s+kronor                                         # thousands
      | kr\.?|kronor|sek                                           # crowns
      | €|eur|euro
    )?
    (?![\w])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_MULTIPLIER = {"m": 1_000_000, "t": 1_000}


@dataclass(frozen=True)
class Money:
    """An amount with its currency and span in the input string."""

    amount: float
    currency: str  # SEK | EUR
    start: int
    end: int


def parse_money(text: str, default_currency: str = "SEK") -> Money | None:
    """Parse the first amount in `text`.

    >>> parse_money("4 512 300 kr")
    Money(amount=4512300.0, currency='SEK', start=0, end=12)
    >>> parse_money("3 544 067,52 €").amount
    3544067.52
    >>> parse_money("8,6 mkr").amount
    8600000.0
    >>> parse_money("inget belopp") is None
    True
    """
    m = _AMOUNT_RE.search(text)
    if not m:
        return None
    return _to_money(m, default_currency)


def _to_money(m: re.Match[str], default_currency: str) -> Money | None:
    raw = m.group("num")
    unit = (m.group("unit") or "").lower()
    value = _number(raw)
    if value is None:
        return None
    currency = "EUR" if unit in ("€", "eur", "euro") else ("SEK" if unit else default_currency)
    if unit.startswith(("mkr", "msek", "miljon", "milj", "mnkr")):
        value *= _MULTIPLIER["m"]
    elif unit.startswith(("tkr", "tusen")):
        value *= _MULTIPLIER["t"]
    return Money(round(value, 2), currency, m.start(), m.end())


def _number(raw: str) -> float | None:
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", compact):  # 8.625.810 style
        compact = compact.replace(".", "")
    compact = compact.replace(",", ".")
    try:
        return float(compact)
    except ValueError:
        return None


def parse_percent(text: str) -> float | None:
    """A percentage such as `40%` or `32,8 procent` as a fraction.

    >>> parse_percent("40%")
    0.4
    >>> parse_percent("32,8 procent")
    0.328
    """
    from .numbers import find_numbers  # the one reader of Swedish numbers and percentages

    value = next((n.value for n in find_numbers(text) if n.unit == "percent"), None)
    return None if value is None else round(value / 100, 6)
