"""Calls for proposals (utlysningar) → Record (kind="call").

A call page has the project bank's header block (`Utlysning`, `Programområde`, `Region`,
`Startdatum`, `Slutdatum`, `Utlyst belopp`), so the project-page parser reads it; its values then
move to what they mean for a call: the number is the call's diarienummer, the dates are the
application window, the amount is the money available, and the co-financing it requires comes from
the prose (`Medfinansiering ska uppgå till 25 procent`). A call has no goals, and its names and
places come from the write-up entity pass.
"""

from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..extract import money
from ..parsers.header import Header
from .presentation import parse_presentation
from .project_page import parse_project_page

_WINDOW_RE = re.compile(r"\bUtlysningen\s+(?:öppnar|pågår)\b[^\n]{0,120}")
_COFINANCING_RE = re.compile(
    r"""
    # `Medfinansiering ska uppgå till` | `ska medfinansieras med`
    \b(?:[Mm]edfinansiering(?:en|sgrad(?:en)?)?\s+(?:ska|skall|bör)\s+(?:uppgå\s+till|vara)
       |medfinansieras\s+med)
    \s+(?:minst\s+)?(?P<pct>\d+(?:,\d+)?\s*(?:%|procent))""",
    re.VERBOSE,
)
_NO_COFINANCING_RE = re.compile(r"\bIngen\s+medfinansiering\s+krävs\b", re.IGNORECASE)
_BUDGET_RE = re.compile(
    r"^[ \t]*Utlyst\s+belopp[ \t]*:?[ \t]*\n?[ \t]*(?P<value>[^\n]+)", re.MULTILINE
)
_ENTITY_KEYS = ("people", "organisations", "municipalities", "emails", "urls", "dates")


def parse_call(doc: Document, header: Header | None) -> dict[str, Any]:
    """The call's identity, region, programme area, window, money and required co-financing."""
    out = parse_project_page(doc, header)
    entities = parse_presentation(doc)
    out.update({k: entities[k] for k in _ENTITY_KEYS})
    out["list_source"] = {"municipalities": "text"} if out["municipalities"] else {}
    out.update(kind="call", layout="call", goals=[], partners=[], co_financiers=[])
    ev = out["evidence"]
    number = out.pop("utlysning", None)
    if number:
        out["diarienummer"], ev["diarienummer"] = number, ev.pop("utlysning")
    for old, new in (("period_start", "call_opens"), ("period_end", "call_closes")):
        if old in out:
            out[new], ev[new] = out.pop(old), ev.pop(old)
    for label in list(out["extra"]):
        if label.casefold().startswith("utlyst belopp"):
            del out["extra"][label]
    _budget(doc, out)
    _cofinancing(doc, out)
    return out


def _budget(doc: Document, out: dict[str, Any]) -> None:
    m = _BUDGET_RE.search(doc.text)
    amount = money.parse_money(m.group("value")) if m else None
    if m and amount is not None and amount.currency == "SEK":
        out["call_budget_sek"] = round(amount.amount)
        at = m.start("value")
        out["evidence"]["call_budget_sek"] = doc.evidence(at + amount.start, at + amount.end)


def _cofinancing(doc: Document, out: dict[str, Any]) -> None:
    m = _COFINANCING_RE.search(doc.text)
    if m:
        rate = money.parse_percent(m.group("pct"))
        if rate is not None:
            out["call_cofinancing_rate"] = rate
            out["evidence"]["call_cofinancing_rate"] = doc.evidence(m.start(), m.end())
        return
    m = _NO_COFINANCING_RE.search(doc.text)
    if m:
        out["call_cofinancing_rate"] = 0.0
        out["evidence"]["call_cofinancing_rate"] = doc.evidence(m.start(), m.end())
