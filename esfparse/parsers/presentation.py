"""Presentations, talks and conference write-ups → Record (kind="presentation")."""

from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..extract import contacts, dates
from ..extract import people as ppl
from ..extract.goals import find_goals
from ..extract.places import find_municipalities
from ..models import Evidence, Link, MunicipalityRef, OrganisationRef, Person
from ..nlp import find_text_tables
from .text_layout import is_noise, is_truncated, paged


def parse_presentation(doc: Document, relations: bool = True) -> dict[str, Any]:
    """Extract title, speakers, organisations, places, key figures, tables, links and dates.

    With `relations`, the owner comes from the relation sentences (`drivs av X i samverkan med Y`);
    a report reads its relations itself."""
    out: dict[str, Any] = {"kind": "presentation", "layout": "talk", "evidence": {}, "extra": {}}
    _title(doc, out)
    out["truncated"] = is_truncated(doc)
    out["goals"] = paged(
        doc, find_goals(doc.text, 0, len(doc.text), section=None, genre="presentation")
    )
    _links(doc, out)
    speakers = _speakers(doc, out)
    out["people"] = [
        Person(
            name=p.name,
            role=p.role,
            organisation=p.organisation,
            email=p.email,
            evidence=doc.evidence(p.start, p.end),
        )
        for p in speakers
    ]
    out["organisations"] = _organisations(doc, speakers, [*out["emails"], *out["urls"]])
    out["municipalities"] = _places(doc, speakers)
    if out["municipalities"]:
        out["list_source"] = {"municipalities": "text"}
    out["dates"] = _dated_lines(doc)
    out["tables"] = [t.rows for t in doc.tables or find_text_tables(doc.text)]
    if relations:
        _relations(doc, out)
    return out


def _relations(doc: Document, out: dict[str, Any]) -> None:
    """The owner a write-up states in its sentences (cue sentences only). A write-up lists no partners:
    the bodies it names are its organisations."""
    from ..extract.places import resolve_municipality
    from ..extract.relations import find_relations

    found = find_relations(
        doc.text, 0, len(doc.text), is_place=lambda name: resolve_municipality(name) is not None
    )
    owner = next((r for r in found if r.role == "owner"), None)
    if owner is not None and not out.get("owner"):
        out["owner"] = owner.name
        out["evidence"]["owner"] = doc.evidence(owner.start, owner.end)


def _links(doc: Document, out: dict[str, Any]) -> None:
    """E-mail addresses, and web addresses that are not part of one."""
    text = doc.text
    out["emails"] = [
        Link(value=v, evidence=doc.evidence(s, e)) for v, s, e in contacts.find_emails(text)
    ]
    emails = {link.value for link in out["emails"]}
    out["urls"] = [
        Link(value=v, evidence=doc.evidence(s, e))
        for v, s, e in contacts.find_urls(text)
        if not any(v in em for em in emails)
    ]


def _title(doc: Document, out: dict[str, Any]) -> None:
    """The line a breadcrumb names, else the first line that is not site noise or page furniture."""
    from ..layout import chrome_lines, crumb_title_line

    named, chrome = crumb_title_line(doc), chrome_lines(doc)
    for k, line in enumerate(doc.lines()):
        text = line.text.strip()
        if named is not None and k != named:
            continue
        if text and not is_noise(text) and k not in chrome:
            start = line.start + line.text.find(text)
            out["title"], out["evidence"]["title"] = text, doc.evidence(start, start + len(text))
            return


def _places(doc: Document, speakers: list[ppl.PersonMatch]) -> list[MunicipalityRef]:
    """Municipalities named in the text, each once: none inside a speaker's name or a speaker's
    organisation (`HR-chef på Falu kommun`), none as the event's venue (`i Jönköping den 3 oktober`)."""
    seen: dict[str, MunicipalityRef] = {}
    names = _name_spans(doc.text, speakers)
    names += _speaker_org_spans(doc.text, speakers, names)
    for pm in find_municipalities(doc.text, every=True):
        m = pm.municipality
        if _VENUE_DATE_RE.match(doc.text, pm.end):
            continue
        if m.code not in seen and not any(s <= pm.start and pm.end <= e for s, e in names):
            seen[m.code] = MunicipalityRef(
                as_written=m.name,
                code=m.code,
                name=m.name,
                county_code=m.county_code,
                county_name=m.county_name,
                nuts2_code=m.nuts2_code,
                source="text",
                evidence=doc.evidence(pm.start, pm.end),
            )
    return list(seen.values())


# `i Jönköping den 3 oktober`, `till Falun den 16 mars`: the place of the event, not of the project
_VENUE_DATE_RE = re.compile(
    r"[^\S\n]+den[^\S\n]+\d{1,2}(?::?[ae])?[^\S\n]+(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)",
    re.IGNORECASE,
)


def _speaker_org_spans(
    text: str, speakers: list[ppl.PersonMatch], names: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The speaker's organisation where it follows a mention of the speaker's name."""
    spans = []
    orgs = {p.name: p.organisation for p in speakers if p.organisation}
    for s, e in names:
        org = orgs.get(text[s:e])
        if org:
            k = text.find(org, e, e + 100)
            if k != -1:
                spans.append((k, k + len(org)))
    return spans


def _name_spans(text: str, speakers: list[ppl.PersonMatch]) -> list[tuple[int, int]]:
    """Every occurrence of a speaker's name: a surname such as `Lund` is no place there."""
    spans = []
    for person in speakers:
        for m in re.finditer(re.escape(person.name), text):
            spans.append((m.start(), m.end()))
    return spans


# ---------------------------------------------------------------- people and organisations


def _speakers(doc: Document, out: dict[str, Any]) -> list[ppl.PersonMatch]:
    """People with role and organisation; e-mail by name, else organisation by domain or subject."""
    found = ppl.find_people(doc.text, emails=[link.value for link in out["emails"]])
    if out["truncated"]:  # a name cut off by the excerpt's end (`Anna Lin` for `Anna Lind`)
        found = [p for p in found if p.end < len(doc.text.rstrip())]
    subject = _subject(doc, out.get("evidence", {}).get("title"))
    for person in found:
        known = ppl.organisation_for_domain(person.email) if person.email else None
        if person.organisation is None:
            person.organisation = known.name if known else subject if person.cue == "verb" else None
    return found


def _subject(doc: Document, title: Evidence | None) -> str | None:
    """The organisation whose talk a write-up reports, from its title (`DUA berättar om ...`)."""
    if title is None:
        return None
    text = doc.text[: title.end]
    for m in [*ppl.find_definitions(text), *ppl.find_known_organisations(text)]:
        if m.start >= title.start and ppl.speaks_at(doc.text, m.end):
            return m.name
    return None


_LINK_MARK = " Länk till annan webbplats"  # how a web page's external link reads in its text
_LINKED_RE = re.compile(
    r"""
    (?:^|(?<=\s))                                   # a word start
    (?P<name>[A-ZÅÄÖ][\w&-]*(?:[ ][A-ZÅÄÖ][\w&-]*){0,3})$  # up to four capitalised words
""",
    re.VERBOSE,
)


def _mentions(
    doc: Document, speakers: list[ppl.PersonMatch], links: list[Link]
) -> list[ppl.OrgMention]:
    """Organisation mentions: definitions, known names, speakers' organisations, linked names."""
    text = doc.text
    found = [*ppl.find_definitions(text), *ppl.find_known_organisations(text)]
    inside = {i for ln in links for i in range(ln.evidence.start, ln.evidence.end)}  # Dua.se
    found = [m for m in found if m.start not in inside]
    found += _speaker_mentions(text, speakers) + _linked_mentions(text)
    found = [m for m in found if not any(_inside(m, n) for n in found)]
    return sorted(found, key=lambda m: m.start)


def _speaker_mentions(text: str, speakers: list[ppl.PersonMatch]) -> list[ppl.OrgMention]:
    """Speakers' organisations where written: first after the name, else anywhere."""
    found = []
    for person in speakers:
        for name in (n for n in (person.organisation or "").split("; ") if len(n) > 1):
            word = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")
            m = word.search(text, person.start) or word.search(text)
            if m:
                known = ppl.lookup_organisation(name)
                found.append(ppl.OrgMention(name, m.start(), m.end(), known))
    return found


def _linked_mentions(text: str) -> list[ppl.OrgMention]:
    """Names a web page linked out (`både Renova Länk till annan webbplats. och ...`)."""
    found, pos = [], text.find(_LINK_MARK)
    while pos >= 0:
        m = _LINKED_RE.search(text, max(0, pos - 80), pos)
        if m and ppl.organisation_at(m["name"], 0) == (m["name"], len(m["name"])):
            found.append(ppl.OrgMention(m["name"], m.start(), m.end()))
        pos = text.find(_LINK_MARK, pos + 1)
    return found


def _inside(m: ppl.OrgMention, n: ppl.OrgMention) -> bool:
    """True when `m` is part of a longer mention `n` (`Skolverket` in `Skolverket Kalmar`)."""
    return n.start <= m.start and m.end <= n.end and n.end - n.start > m.end - m.start


def _rank(m: ppl.OrgMention) -> int:
    """Which written form names an organisation best: a definition, its name, then its acronym."""
    if m.definition:
        return 0
    acronym = m.known.acronym if m.known else ""
    return 2 if acronym and m.name in (acronym, acronym.capitalize()) else 1


def _organisations(
    doc: Document, speakers: list[ppl.PersonMatch], links: list[Link]
) -> list[OrganisationRef]:
    """Each organisation once, in order of first mention, in its most complete written form."""
    mentions = _mentions(doc, speakers, links)
    aliases: dict[str, str] = {}  # acronym → long name, from `Long Name (ACR)` definitions
    for m in mentions:
        if m.definition:
            long, _, acr = m.name.rpartition(" (")
            aliases[acr.rstrip(")").casefold()] = aliases[m.name.casefold()] = long.casefold()
    groups: dict[str, list[ppl.OrgMention]] = {}
    for m in mentions:
        key = m.known.name if m.known else aliases.get(m.name.casefold(), m.name.casefold())
        groups.setdefault(key, []).append(m)
    refs = []
    for group in groups.values():
        best = min(group, key=lambda m: (_rank(m), m.start))
        refs.append(
            OrganisationRef(
                name=best.name,
                role="mentioned",
                source="text",
                evidence=doc.evidence(best.start, best.end),
            )
        )
    return refs


def _dated_lines(doc: Document) -> list[Link]:
    """Short lines that carry a month (`Slutrapport december 2021`)."""
    found = []
    for line in doc.lines():
        text = line.text.strip()
        if 0 < len(text) <= 120 and dates.parse_month(text):
            start = line.start + line.text.find(text)
            evidence = doc.evidence(start, start + len(text))
            found.append(Link(value=text.strip("*- •"), evidence=evidence))
    return found
