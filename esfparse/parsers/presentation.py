"""Presentations, talks and conference write-ups → Record (kind="presentation")."""

from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..extract import contacts, dates
from ..extract.goals import find_goals
from ..extract.places import find_municipalities
from ..models import Evidence, Link, MunicipalityRef
from .text_layout import is_noise, is_truncated


def parse_presentation(doc: Document) -> dict[str, Any]:
    """Extract title, places, key figures, tables, links and dates from a presentation."""
    out: dict[str, Any] = {"kind": "presentation", "layout": "talk", "evidence": {}, "extra": {}}
    _title(doc, out)
    out["municipalities"] = _places(doc)
    if out["municipalities"]:
        out["list_source"] = {"municipalities": "text"}
    out["goals"] = find_goals(doc.text, 0, len(doc.text), section=None, genre="presentation")
    out["emails"] = [Link(value=v, evidence=_ev(doc, s, e)) for v, s, e in contacts.find_emails(doc.text)]
    emails = {link.value for link in out["emails"]}
    out["urls"] = [Link(value=v, evidence=_ev(doc, s, e)) for v, s, e in contacts.find_urls(doc.text)
                   if not any(v in em for em in emails)]
    out["dates"] = _dated_lines(doc)
    out["tables"] = [t.rows for t in doc.tables] or _text_tables(doc)
    out["truncated"] = is_truncated(doc)
    return out


def _ev(doc: Document, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, page=doc.page_at(start))


def _title(doc: Document, out: dict[str, Any]) -> None:
    for line in doc.lines():
        text = line.text.strip()
        if text and not is_noise(text):
            start = line.start + line.text.find(text)
            out["title"], out["evidence"]["title"] = text, _ev(doc, start, start + len(text))
            return


def _places(doc: Document) -> list[MunicipalityRef]:
    seen: dict[str, MunicipalityRef] = {}
    for pm in find_municipalities(doc.text):
        m = pm.municipality
        if m.code not in seen:
            seen[m.code] = MunicipalityRef(
                as_written=m.name, code=m.code, name=m.name, county_code=m.county_code,
                county_name=m.county_name, nuts2_code=m.nuts2_code, source="text",
                evidence=_ev(doc, pm.start, pm.end))
    return list(seen.values())


def _dated_lines(doc: Document) -> list[Link]:
    found = []
    for line in doc.lines():
        text = line.text.strip()
        if 0 < len(text) <= 120 and dates.parse_month(text):
            start = line.start + line.text.find(text)
            found.append(Link(value=text.strip("*- •"), evidence=_ev(doc, start, start + len(text))))
    return found


_TAB_ROW_RE = re.compile(r"^[^\t\n]*\t[^\n]*$", re.MULTILINE)


def _text_tables(doc: Document) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    last_end = -2
    for m in _TAB_ROW_RE.finditer(doc.text):
        row = [c.strip() for c in m.group(0).split("\t")]
        if m.start() != last_end + 1 and current:
            tables.append(current)
            current = []
        current.append(row)
        last_end = m.end()
    if current:
        tables.append(current)
    return tables
