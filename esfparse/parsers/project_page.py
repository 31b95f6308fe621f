"""Project pages of every project-bank layout → Record.

A short list of handlers: header fields, title, sections and end lists,
places, organisations, goals, truncation. Values are collected in a dict and
validated once at the end.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..document import Document
from ..extract import contacts, dates, money
from ..extract.goals import find_goals
from ..extract.places import find_municipalities, resolve_municipality, resolve_region
from ..extract.relations import find_relations
from ..fields import fields_with
from ..models import (
    Goal,
    Link,
    ListSource,
    MunicipalityRef,
    OrganisationRef,
    OrgRole,
    Relation,
    Section,
)
from .header import ESFPLUS_DNR_RE, ID_TITLE_RE, Header, HeaderField, read_header, vocabulary
from .text_layout import find_sections, is_truncated, paged, title_line

_PROGRAMME_AREA_RE = re.compile(
    r"^(?:Programområde\s*)?(?P<code>[A-F]|\d+(?:\.\d+)?)(?:\s+(?P<name>.+))?$", re.IGNORECASE
)
_LED_BY_RE = re.compile(
    r"\b(?:led|run|managed)\s+by\s+(?P<org>[A-ZÅÄÖ][\w-]*(?:\s+[A-ZÅÄÖ][\w-]*)*)"
)
_SIMPLE_FIELDS = frozenset(fields_with("S"))  # copied as written (models.FIELDS)


def parse_project_page(doc: Document, header: Header | None = None) -> dict[str, Any]:
    """Extract every field of a project page into a dict ready for `Record.model_validate`."""
    header = header if header is not None else read_header(doc)
    out: dict[str, Any] = {"kind": "project_page", "evidence": {}, "extra": {}}
    if header is not None:
        _read_header_fields(doc, header, out)
    out["layout"] = _layout(header)
    _title(doc, header, out)
    sections, lists = find_sections(doc, _body_start(doc, header, out))
    out["sections"] = sections
    _lists(doc, lists, out)
    _prose_places_and_partners(doc, out, sections)
    _goals(doc, out, sections)
    _kohesio_owner(doc, out, sections)
    _links(doc, out)
    _truncation(doc, out, sections, lists)
    _derived(out)
    return out


def _read_header_fields(doc: Document, header: Header, out: dict[str, Any]) -> None:
    for f in header.fields:
        if f.field is None:
            if f.value:
                out["extra"][f.label] = f.value
            continue
        if f.field in out["evidence"] or not f.value:
            continue  # first occurrence wins (e.g. Projektperiod before Startdatum)
        handler = _FIELD_HANDLERS.get(f.field)
        if handler is not None:
            handler(doc, f, out)
        elif f.field in _SIMPLE_FIELDS or f.field == "title":
            out[f.field] = f.value.replace("\xa0", " ").replace("\u202f", " ")  # `0640-168 64`
            out["evidence"][f.field] = doc.evidence(f.start, f.end)
        else:
            out["extra"][f.field] = f.value


def _money_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    amount = money.parse_money(f.value)
    if amount is None:
        return
    name = "esf_grant" if f.field == "esf_grant" else "total_budget"
    key = f"{name}_{amount.currency.lower()}"
    out[key] = round(amount.amount) if amount.currency == "SEK" else amount.amount
    out["evidence"][key] = doc.evidence(f.start + amount.start, f.start + amount.end)
    rate = money.parse_percent(f.value[amount.end :])
    if rate is not None and f.field == "esf_grant":
        out["union_cofinancing_rate"] = rate
        out["evidence"]["union_cofinancing_rate"] = doc.evidence(f.start, f.end)


def _period_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    start, end, span = dates.parse_period(f.value)
    if span is None:
        return
    ev = doc.evidence(f.start + span[0], f.start + span[1])
    for key, value in (("period_start", start), ("period_end", end)):
        if value is not None and key not in out:
            out[key], out["evidence"][key] = value, ev


def _date_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    assert f.field is not None  # handlers are given named fields only
    value = dates.parse_date(f.value)
    if value is not None and f.field not in out:
        out[f.field], out["evidence"][f.field] = value, doc.evidence(f.start, f.end)


def _region_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    out["region"], out["evidence"]["region"] = f.value, doc.evidence(f.start, f.end)
    region = resolve_region(f.value)
    if region is not None:
        out["region_nuts2"] = region.nuts2_code
        out["national"] = bool(region.national)


def _programme_area_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    out["programme_area"], out["evidence"]["programme_area"] = f.value, doc.evidence(f.start, f.end)
    m = _PROGRAMME_AREA_RE.match(f.value.strip())
    if m:
        out["programme_area_code"] = m.group("code").upper()
        out["programme_area_name"] = m.group("name")


def _int_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    assert f.field is not None  # handlers are given named fields only
    digits = re.sub(r"[\s\u00a0]", "", f.value)
    if digits.isdigit():
        out[f.field], out["evidence"][f.field] = int(digits), doc.evidence(f.start, f.end)
        if f.field in ("planned_participants", "participants"):
            out.setdefault("goals", []).append(_header_goal(doc, f, int(digits)))


def _header_goal(doc: Document, f: HeaderField, value: int) -> Goal:
    return Goal(
        value=value,
        unit="count",
        what=f.label.rstrip(":").strip().lower(),
        kind="planned_output",
        source="header",
        quote=doc.text[f.quote_start : f.end],
        evidence=doc.evidence(f.quote_start, f.end),
        value_evidence=doc.evidence(f.start, f.end),
        time_condition="under projekttiden",
    )


def _rate_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    rate = money.parse_percent(f.value)
    if rate is not None:
        out["union_cofinancing_rate"] = rate
        out["evidence"]["union_cofinancing_rate"] = doc.evidence(f.start, f.end)


def _org_nr_field(doc: Document, f: HeaderField, out: dict[str, Any]) -> None:
    digits = re.sub(r"\D", "", f.value)
    if len(digits) == 10:
        out["owner_org_nr"], out["evidence"]["owner_org_nr"] = digits, doc.evidence(f.start, f.end)


_FIELD_HANDLERS = {
    "esf_grant": _money_field,
    "total_budget": _money_field,
    "period": _period_field,
    "period_start": _date_field,
    "period_end": _date_field,
    "region": _region_field,
    "programme_area": _programme_area_field,
    "planned_participants": _int_field,
    "participants": _int_field,
    "union_cofinancing_rate": _rate_field,
    "owner_org_nr": _org_nr_field,
}


def _layout(header: Header | None) -> str:
    """Which project-bank layout a header block belongs to, from its shape and labels."""
    if header is None:
        return "prose"
    style = header.style
    names = {f.field for f in header.fields}
    if style == "glued":
        return "esf2007"
    if style == "stacked":
        return "esf2014"
    if style == "inline":  # a table or tab-separated rendering: the 2014-20 labels tell it apart
        return "esf2014" if {"utlysning", "planned_participants"} & names else "esf2007"
    if any(f.label.casefold() in _kohesio_labels() for f in header.fields):
        return "kohesio"
    dnr = header.get("diarienummer")
    if (dnr and ESFPLUS_DNR_RE.match(dnr.value)) or "programme_period" in names or "nuts2" in names:
        return "esfplus"
    return "label_colon"


@lru_cache(maxsize=1)
def _kohesio_labels() -> frozenset[str]:
    return frozenset(label.casefold() for label in vocabulary()["kohesio_labels"])


def _title(doc: Document, header: Header | None, out: dict[str, Any]) -> None:
    if out.get("title"):
        return
    line = title_line(doc, header)
    if line is None:
        return
    start, text = line.start, line.text.strip()
    m = ID_TITLE_RE.match(line.text)
    if m:
        ident = m.group("id")
        key = "diarienummer" if ESFPLUS_DNR_RE.match(ident) else "project_number"
        if key not in out:
            out[key], out["evidence"][key] = (
                ident,
                doc.evidence(line.start + m.start("id"), line.start + m.end("id")),
            )
        start, text = line.start + m.start("title"), m.group("title")
    else:
        start += len(line.text) - len(line.text.lstrip())
    out["title"], out["evidence"]["title"] = text, doc.evidence(start, start + len(text))


def _body_start(doc: Document, header: Header | None, out: dict[str, Any]) -> int:
    """Offset where the body begins: after the header block and after a title line below it."""
    start = 0
    if header is not None:
        nxt = header.last_line + 1
        start = doc.line_starts[nxt] if nxt < len(doc.line_starts) else len(doc.text)
    ev = out["evidence"].get("title")
    if ev is not None and ev.end >= start and (header is None or header.get("title") is None):
        nl = doc.text.find("\n", ev.end)
        start = len(doc.text) if nl == -1 else nl + 1
    return start


def _lists(
    doc: Document, lists: dict[str, list[tuple[str, int, int]]], out: dict[str, Any]
) -> None:
    for key in ("co_financiers", "partners"):
        role: OrgRole = "co_financier" if key == "co_financiers" else "partner"
        out[key] = [
            OrganisationRef(name=name, role=role, source="list", evidence=doc.evidence(s, e))
            for name, s, e in lists.get(key, [])
        ]
        if key in lists:
            out.setdefault("list_source", {})[key] = "list"
    if "municipalities" in lists:
        out["municipalities"] = [
            _municipality_ref(doc, name, s, e, "list") for name, s, e in lists["municipalities"]
        ]
        out.setdefault("list_source", {})["municipalities"] = "list"


def _municipality_ref(
    doc: Document, name: str, start: int, end: int, source: ListSource
) -> MunicipalityRef:
    m = resolve_municipality(name)
    return MunicipalityRef(
        as_written=name,
        code=m.code if m else None,
        name=m.name if m else None,
        county_code=m.county_code if m else None,
        county_name=m.county_name if m else None,
        nuts2_code=m.nuts2_code if m else None,
        source=source,
        evidence=doc.evidence(start, end),
    )


def _prose_spans(out: dict[str, Any], sections: list[Section]) -> list[tuple[int, int]]:
    spans = [(s.evidence.start, s.evidence.end) for s in sections]
    title_ev = out["evidence"].get("title")
    if title_ev is not None:
        spans.insert(0, (title_ev.start, title_ev.end))
    return spans


def _prose_places_and_partners(doc: Document, out: dict[str, Any], sections: list[Section]) -> None:
    spans = _prose_spans(out, sections)
    if "municipalities" not in out:
        found: dict[str, MunicipalityRef] = {}
        for start, end in spans:
            for pm in find_municipalities(doc.text[start:end], base=start):
                if pm.municipality.code not in found:
                    found[pm.municipality.code] = _municipality_ref(
                        doc, pm.municipality.name, pm.start, pm.end, "text"
                    )
        out["municipalities"] = list(found.values())
        if found:
            out.setdefault("list_source", {})["municipalities"] = "text"
    _prose_relations(doc, out, sections)


def _prose_relations(doc: Document, out: dict[str, Any], sections: list[Section]) -> None:
    """Relations from the sections' sentences; partners and co-financiers from them when no list gives them."""
    found = [
        r
        for sec in sections
        for r in find_relations(
            doc.text,
            sec.evidence.start,
            sec.evidence.end,
            owner=out.get("owner"),
            is_place=_is_place,
        )
    ]
    set_relations(doc, out, found)
    owner = next((r for r in found if r.role == "owner"), None)
    if owner is not None and not out.get("owner"):  # a page without a header: `X driver projektet`
        out["owner"] = owner.name
        out.setdefault("evidence", {})["owner"] = doc.evidence(owner.start, owner.end)


def set_relations(doc: Document, out: dict[str, Any], found: list) -> None:
    """Store `found` relations in `out`, and partners / co-financiers from them unless a list gave them."""
    out["relations"] = [
        Relation(
            name=r.name,
            role=r.role,
            cue=r.cue,
            reason=r.reason,
            evidence=doc.evidence(r.start, r.end),
            sentence=doc.evidence(r.sentence_start, r.sentence_end),
        )
        for r in found
    ]
    roles: tuple[tuple[str, OrgRole], ...] = (
        ("partners", "partner"),
        ("co_financiers", "co_financier"),
    )
    for key, role in roles:
        if out.get("list_source", {}).get(key) == "list":
            continue
        names: dict[str, OrganisationRef] = {}
        for r in found:
            if r.role == role and r.name.casefold() not in names:
                names[r.name.casefold()] = OrganisationRef(
                    name=r.name,
                    role=role,
                    source="text",
                    evidence=doc.evidence(r.start, r.end),
                )
        out[key] = list(names.values())
        if names:
            out.setdefault("list_source", {})[key] = "text"


def _is_place(name: str) -> bool:
    """A municipality named in a partner enumeration (`Stockholms stad`) goes to places, not partners."""
    return resolve_municipality(name) is not None


def _goals(doc: Document, out: dict[str, Any], sections: list[Section]) -> None:
    goals: list[Goal] = out.setdefault("goals", [])
    for sec in sections:
        heading = None if sec.heading == "Beskrivning" else sec.heading
        goals.extend(
            paged(doc, find_goals(doc.text, sec.evidence.start, sec.evidence.end, section=heading))
        )


def _kohesio_owner(doc: Document, out: dict[str, Any], sections: list[Section]) -> None:
    if out.get("owner"):
        return
    for sec in sections:
        m = _LED_BY_RE.search(doc.text, sec.evidence.start, sec.evidence.end)
        if m:
            out["owner"] = m.group("org")
            out["evidence"]["owner"] = doc.evidence(m.start("org"), m.end("org"))
            return


def _links(doc: Document, out: dict[str, Any]) -> None:
    """Every e-mail address; one glued to its label (`E-postnamn@...`) takes the header value's span."""
    header_ev = out["evidence"].get("email")
    links = []
    for value, start, end in contacts.find_emails(doc.text):
        if header_ev is not None and start < header_ev.end and end == header_ev.end:
            value, start = out["email"], header_ev.start
        links.append(Link(value=value, evidence=doc.evidence(start, end)))
    out["emails"] = links


def _truncation(doc: Document, out: dict[str, Any], sections: list[Section], lists: dict) -> None:
    if not is_truncated(doc):
        return
    out["truncated"] = True
    expected = vocabulary()["expected_sections"].get(out["layout"], [])
    present = [s.heading for s in sections]
    cut = sections[-1].heading if sections else (expected[0] if expected else "Beskrivning")
    if sections:
        sections[-1] = sections[-1].model_copy(update={"truncated": True})
    lost = [cut]
    if cut in expected:
        lost += [h for h in expected[expected.index(cut) + 1 :] if h not in present]
    elif not sections:
        lost = list(expected) or [cut]
    out["truncated_sections"] = lost


def _derived(out: dict[str, Any]) -> None:
    grant, budget = out.get("esf_grant_sek"), out.get("total_budget_sek")
    if grant is None and budget is None:
        grant, budget = out.get("esf_grant_eur"), out.get("total_budget_eur")
    if grant and budget:
        out["cofinancing_rate_derived"] = round(grant / budget, 4)
