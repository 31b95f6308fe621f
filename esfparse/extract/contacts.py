"""E-mail addresses, web addresses and phone numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

_EMAIL_RE = re.compile(
    r"""
    (?<![\w.+-])                       # not inside a longer token
    [\w.+-]+                           # local part (Unicode letters allowed)
    @
    (?:[\w-]+\.)+[A-Za-z]{2,24}        # domain with a TLD
    (?![\w-])
    """,
    re.VERBOSE,
)
_URL_RE = re.compile(
    r"""
    \b(?:https?://|www\.)[^\s<>"']+[^\s<>"'.,;:!?)]    # explicit web address
    | \b[\w-]{1,63}\.(?:se|nu|eu|com|org|net)\b(?![@\w-])  # bare domain such as Dua.se (a label has <= 63)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DOMAIN_RE = re.compile(
    r"(?:[\w-]+\.)+[A-Za-z]{2,24}(?![\w-])"
)  # what follows the `@` of an address
_STRICT_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$"
)
_PHONE_RE = re.compile(r"(?:\+46[\s-]?|0)\d{1,4}[\s-]?\d[\d\s-]{3,12}\d")


def find_emails(text: str) -> Iterator[tuple[str, int, int]]:
    """Every e-mail address with its span.

    Only the neighbourhood of each `@` is matched: scanning the whole page with the
    pattern costs a lookbehind at every character.

    >>> list(find_emails("Kontakt: anna.berg@exempel.se."))
    [('anna.berg@exempel.se', 9, 29)]
    """
    at = text.find("@")
    last_end = 0
    while at != -1:
        start, stop = max(last_end, at - 80), min(len(text), at + 260)
        if not _DOMAIN_RE.match(
            text, at + 1, stop
        ):  # no domain after it: no address holds this `@`
            at = text.find("@", at + 1)
            continue
        m = _EMAIL_RE.search(text, start, stop)
        if m and m.start() <= at < m.end():
            yield m.group(0), m.start(), m.end()
            last_end = m.end()
            at = text.find("@", m.end())
        else:
            at = text.find("@", at + 1)


def find_urls(text: str) -> Iterator[tuple[str, int, int]]:
    """Every web address (explicit or a bare .se/.nu/... domain) with its span.

    >>> [u for u, _, _ in find_urls("Läs mer på Dua.se eller https://www.esf.se/sv/.")]
    ['Dua.se', 'https://www.esf.se/sv/']
    """
    for m in _URL_RE.finditer(text):
        yield m.group(0), m.start(), m.end()


def is_valid_email(value: str) -> bool:
    """True for a syntactically plausible ASCII e-mail address.

    >>> is_valid_email("a.b@c.se"), is_valid_email("a.b@c"), is_valid_email("a b@c.se")
    (True, False, False)
    """
    return bool(_STRICT_EMAIL_RE.match(value))


def phone_digits(value: str) -> str:
    """Digits of a phone number, for comparison.

    >>> phone_digits("0640-168 64")
    '064016864'
    """
    return re.sub(r"\D", "", value)


def looks_like_phone(value: str) -> bool:
    """True when a header value reads as a Swedish phone number."""
    return bool(_PHONE_RE.fullmatch(value.strip()))
