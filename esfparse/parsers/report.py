"""Final reports and evaluations (slutrapport, slutredovisning, utvärdering) → Record (kind="report").

A report gets every entity a write-up gets (people, organisations, places, links, reported figures:
`presentation.parse_presentation`), then the project's identity as the report states it: the
project's name (`Projektnamn X`, `Slutrapport från projekt X`), diarienummer or project number,
owner (`Projektägare är X`, `ägt av X`), period, budget, and the authors on the title line. Its
figures are reported results unless their sentence states a target (`Målet var att 70 %`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..datafiles import load_csv
from ..document import Document
from ..extract import dates, money
from ..extract.counted import noun_class
from ..extract.places import resolve_municipality
from ..extract.relations import find_relations
from ..models import Goal, OrganisationRef, Person, Unit
from ..nlp import split_sentences
from .presentation import parse_presentation
from .project_page import set_relations

_MONTHS = r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_REPORT_WORDS = (
    r"Slutrapport|Slutredovisning|Slututvärdering|Utvärdering|Sammanfattning|Projektnummer|Diarienummer"
    r"|Projektperiod|Startdatum|Slutdatum|Kontaktperson|Rapport|Mall|FRIRPT"
)
# Where a name written in running text ends: punctuation, a spaced dash, the next label, a verb, a date.
_NAME_STOP = rf"""(?=\s*(?:[:;,(\n]|\.(?:\s|$)|\s[-–]\s|$)
    |\s+(?:{_REPORT_WORDS}|var|är|har|hade|som|drivs|pågår)\b
    |\s+(?i:{_MONTHS})\b|\s+\d{{4}}\b)"""
# A form's `Projektnamn` value ends at the next label only (it may hold dashes and small words).
_LABEL_STOP = rf"(?=\s*(?:[:;(\n]|\.(?:\s|$)|$)|\s+(?:{_REPORT_WORDS})\b)"
_NAME = r"(?P<name>[A-ZÅÄÖ0-9][^\n:;]{1,80}?)"
# The project's name, strongest form first.
_TITLE_RES = (
    re.compile(
        r"\b(?:Projektnamn|Namn\s+på\s+projekte?t?)\s*:?\s+" + _NAME + _LABEL_STOP, re.VERBOSE
    ),  # form label
    re.compile(
        r"""\b(?:Slutrapport|Slutredovisning|Slututvärdering|Utvärdering|Rapport)(?:\s*:)?
        (?:\s+(?:från|för|av|om))?(?:\s+Utvärdering)?\s+(?:ESF-)?(?:[Pp]rojekte?t?|[Ff]örstudien?)[.:]?\s+"""
        + _NAME
        + _NAME_STOP,
        re.VERBOSE,
    ),  # `Slutrapport från Projekt Modig`
    re.compile(
        r"^\s*(?:\d+\s+)?Projektet\s+(?P<name>[A-ZÅÄÖ][^\n]{1,100}?)\s+[-–]\s+(?:slut)?rapport",
        re.MULTILINE,
    ),
    re.compile(
        r"^\s*(?:\d+\s+)?(?P<name>[A-ZÅÄÖ][^\n:;.]{1,80}?)(?=\s+(?:Slutrapport|Slutredovisning)\b)",
        re.MULTILINE,
    ),  # `X Slutrapport, sammanfattning`
    re.compile(
        r"^[^\S\n]*(?:Slutrapport|Slutredovisning|Slututvärdering)[^\S\n]*\n(?:[^\S\n]*\n)?"
        r"[^\S\n]*(?P<name>[A-ZÅÄÖ][^\n:;.]{1,80}?)[^\S\n]*$",
        re.MULTILINE,
    ),  # the heading line, then the project's name on the next line
)
_ID_RES = (
    (
        "diarienummer",
        re.compile(r"\bDiarienummer\s*:?\s*(?P<id>\d{4}-\d{7}|\d{2}-\d{3}-S\d{2}|\d{4}/\d{4,6})"),
    ),
    ("project_number", re.compile(r"\bProjektnummer\s*:?\s*(?P<id>\d{4}/\d{4,6}|\d{4}-\d{7})")),
)
_ORG = r"(?P<org>[A-ZÅÄÖ][^\n.,;:()]{1,80}?)"
_ORG_STOP = r"(?=\s*[\n.,;:(]|\s+(?:där|som|under|sedan|med|och\s+har|har|i\s+samarbete)\b)"
_OWNER_RES = (
    re.compile(
        r"\bProjektägare(?:\s+(?:till|för)\s+[^\n.]{1,60}?)?\s+(?:är|var|har\s+varit)\s+"
        + _ORG
        + _ORG_STOP
    ),
    re.compile(r"\bProjektägare\s*:\s*" + _ORG + _ORG_STOP),
    re.compile(r"\bägt\s+av\s+" + _ORG + _ORG_STOP),
    re.compile(r"\bhar\s+(?:drivits|ägts)\s+av\s+" + _ORG + _ORG_STOP),
    re.compile(
        r"(?P<org>(?:[A-ZÅÄÖ][\w-]+\s+){0,3}[A-ZÅÄÖ][\w-]+)\s+(?:fick\s+rollen\s+som|var|är)\s+projektägare\b"
    ),
)
_PERIOD_RE = re.compile(
    r"""\bProjektperiod\s*:?\s*
    (?P<start>\d{4}-\d{2}-\d{2})\s*(?:[-–]|till|\s)\s*(?P<end>\d{4}-\d{2}-\d{2})""",
    re.VERBOSE,
)
_BUDGET_RES = (
    (
        "total_budget_sek",
        re.compile(
            r"\b(?:Total\s+projektbudget|Total\s+budget|Projektets\s+budget)\s*(?:var|är|:)?\s*(?P<rest>[^\n]{0,40})",
            re.IGNORECASE,
        ),
    ),
    (
        "esf_grant_sek",
        re.compile(r"\bBeviljat\s+ESF-stöd\s*:?\s*(?P<rest>[^\n]{0,40})", re.IGNORECASE),
    ),
)
# A sentence that states what the project was to reach, not what it reached.
_TARGET_RE = re.compile(
    r"""\b(?:mål(?:et|en|sättning\w*)?\s+(?:var|är|har\s+varit|för)|ska|skall|skulle
    |var\s+tänkt|planera\w*|förväntade?s?|beräknas)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_NAME_TOKEN = r"[A-ZÅÄÖ][a-zåäöéèü]+(?:-[A-ZÅÄÖ][a-zåäöéèü]+)?"
_AUTHOR_RE = re.compile(rf"(?P<given>{_NAME_TOKEN})\s+(?P<family>{_NAME_TOKEN})(?=\s|,|$)")
_AUTHOR_AND_RE = re.compile(r"^\s+och\s+$")  # `A och B`: B is a name too
_AUTHOR_COMMA_RE = re.compile(r"^\s*,\s*$")  # `A, B`: B is a name when its given name is known
_AUTHOR_ORG_RE = re.compile(
    rf"""^\s*,?\s*(?P<role>Utvärderare|Projektledare|Författare)?\s*
    (?P<org>[A-ZÅÄÖ][^\n,.]{{1,50}}?)(?=\s*$|\s*\.|\s+(?:{_MONTHS})\b|\s+\d|\s+[A-ZÅÄÖ][a-zåäö]+\s+\d)""",
    re.VERBOSE,
)
# `Rapporten är skriven av A och B, Org.`, `Författare: A, Org`: an author sentence in the prose
_AUTHOR_CUE_RE = re.compile(
    r"\b(?:(?:är|har)\s+(?:skriven|skrivits|författad|författats|utförd|utförts)\s+av"
    r"|Författare\s*:|(?:Written|Prepared)\s+by)\s+",
    re.IGNORECASE,
)
_HEAD_CHARS = 1500
_MAX_TITLE = 300  # a longer first line is a transcript, not a heading
_NUM = r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|\d+)"  # 67, 3 513
# Reported results in the perfect tense: `67 procent av de 42 deltagarna har gått vidare`.
_RESULT_RES = (
    re.compile(
        _NUM
        + r"""(?:\s*(?P<pct>%|procent))?\s+
        (?:av\s+(?:de\s+(?P<base>\d+)\s+)?)?(?:unika\s+)?(?P<noun>[a-zåäö]+)   # `av de 42 deltagarna`
        (?:\s+som\s+[^,.;\n]{1,40}?)?                                     # `som deltog`
        \s+(?:har|hade)\s+(?:\w+\s+){0,2}?\w+(?:at|it|tt|kt|ts|ats|its|åtts)\b  # `har gått`
        """,
        re.VERBOSE,
    ),
    re.compile(
        r"\b(?:hamnade\s+på|uppgick\s+till|(?:har|hade)\s+(?:sammantaget|sammanlagt|totalt))\s+"
        + _NUM
        + r"\s+(?:unika\s+)?(?P<noun>[a-zåäö]+)(?P<pct>)(?P<base>)"
    ),  # `hamnade på 151 personer`
)
_PROGRAMME_AREA_RE = re.compile(
    r"\b[Pp]rogramområde\s+(?P<code>\d(?:\.\d)?)(?:,\s*(?P<name>[a-zåäö][\w ]{2,40}?)(?=[.,;]))?"
)
_RESULT_CLASSES = {"count": ("person",), "percent": ("person", "staff")}


def parse_report(doc: Document) -> dict[str, Any]:
    """Every entity of the text, the project's identity, authors, and the results it reports."""
    out = parse_presentation(doc, relations=False)
    out.update(kind="report", layout="report")
    if out.get("title"):
        out["document_title"] = out["title"]
        out["evidence"]["document_title"] = out["evidence"]["title"]
        del out["title"], out["evidence"]["title"]
    _project_title(doc, out)
    find_identity(doc, out)
    _period_and_money(doc, out)
    _programme_area_and_region(doc, out)
    _authors(doc, out)
    out["goals"] = [_mark(g) for g in out["goals"]]
    _reported_results(doc, out)
    _relations(doc, out)
    return out


def _relations(doc: Document, out: dict[str, Any]) -> None:
    """Partners and co-financiers from the relation sentences; every named body among the organisations."""
    found = find_relations(
        doc.text,
        0,
        len(doc.text),
        owner=out.get("owner"),
        is_place=lambda name: resolve_municipality(name) is not None,
    )
    set_relations(doc, out, found)
    orgs = out["organisations"]
    seen = {o.name.casefold() for o in orgs}
    named = [(out.get("owner"), out["evidence"].get("owner"))]
    named += [(o.name, o.evidence) for o in [*out["partners"], *out["co_financiers"]]]
    named += [
        (p.organisation, _find(doc, p.organisation, p.evidence.end))
        for p in out["people"]
        if p.organisation
    ]
    for name, ev in named:
        if (
            name
            and ev is not None
            and name.casefold() not in seen
            and not any(
                name.casefold() in o.casefold() or o.casefold() in name.casefold() for o in seen
            )
        ):
            orgs.append(OrganisationRef(name=name, role="mentioned", source="text", evidence=ev))
            seen.add(name.casefold())


def _find(doc: Document, name: str, after: int) -> Any:
    at = doc.text.find(name, after)
    at = doc.text.find(name) if at < 0 else at
    return doc.evidence(at, at + len(name)) if at >= 0 else None


def _reported_results(doc: Document, out: dict[str, Any]) -> None:
    """Perfect-tense figures about participants the goal reader leaves out, as reported results."""
    have = {(g.value, g.unit) for g in out["goals"]}
    for s, e in split_sentences(doc.text):
        for pattern in _RESULT_RES:
            for m in pattern.finditer(doc.text, s, e):
                unit: Unit = "percent" if m.group("pct") else "count"
                if noun_class(m.group("noun")) not in _RESULT_CLASSES[unit]:
                    continue
                found: list[tuple[str, Unit, str | None, tuple[int, int]]] = [
                    (
                        m.group("num"),
                        unit,
                        m.group("noun") if unit == "count" else None,
                        m.span("num"),
                    )
                ]
                if m.group("base"):
                    found.append((m.group("base"), "count", m.group("noun"), m.span("base")))
                for raw, u, what, span in found:
                    value = float(re.sub(r"\D", "", raw))
                    if (value, u) in have or (u == "percent" and value > 100):
                        continue
                    have.add((value, u))
                    out["goals"].append(
                        Goal(
                            value=value,
                            unit=u,
                            what=what or m.group("noun"),
                            kind="reported_result",
                            quote=doc.text[s:e],
                            evidence=doc.evidence(s, e),
                            value_evidence=doc.evidence(*span),
                        )
                    )


def _project_title(doc: Document, out: dict[str, Any]) -> None:
    head = doc.text[:_HEAD_CHARS]
    for pattern in _TITLE_RES:
        for m in pattern.finditer(head):
            name = _without_authors(m.group("name").strip())
            if len(name) >= 2 and not name.lower().startswith(("ifylles", "fylls", "genomförande")):
                out["title"], out["evidence"]["title"] = (
                    name,
                    doc.evidence(m.start("name"), m.start("name") + len(name)),
                )
                return


def _without_authors(name: str) -> str:
    """`Inkluderande tillväxt för alla Anette Forsberg` → `Inkluderande tillväxt för alla`."""
    m = re.search(rf"\s+{_NAME_TOKEN}\s+{_NAME_TOKEN}$", name)
    return name[: m.start()] if m and m.group(0).split()[0] in _given_names() else name


def find_identity(doc: Document, out: dict[str, Any]) -> None:
    """The project's diarienummer or project number and owner, where the text states them.

    A write-up whose first line is a whole transcript (no line breaks) has no heading: its title is
    the form's project name when it states one, else none.
    """
    if len(out.get("title") or "") > _MAX_TITLE:
        del out["title"], out["evidence"]["title"]
        _project_title(doc, out)
    _identifiers(doc, out)
    _owner(doc, out)


def _identifiers(doc: Document, out: dict[str, Any]) -> None:
    for key, pattern in _ID_RES:
        m = pattern.search(doc.text[:20000])
        if m:
            out[key], out["evidence"][key] = m.group("id"), doc.evidence(m.start("id"), m.end("id"))


def _owner(doc: Document, out: dict[str, Any]) -> None:
    text = doc.text[:20000]
    found = [m for pattern in _OWNER_RES if (m := pattern.search(text))]
    if out.get("title"):  # `Länsbygderådets projekt <title>`: the genitive names the owner
        m = re.search(
            rf"\b(?P<org>[A-ZÅÄÖ][\w-]+?)s\s+(?:ESF-)?projekt\s+{re.escape(out['title'])}", text
        )
        found += [m] if m else []
    if found:
        m = min(found, key=lambda x: x.start())
        name = m.group("org").strip()
        out["owner"], out["evidence"]["owner"] = (
            name,
            doc.evidence(m.start("org"), m.start("org") + len(name)),
        )


def _period_and_money(doc: Document, out: dict[str, Any]) -> None:
    m = _PERIOD_RE.search(doc.text[:20000])
    if m:
        for key, group in (("period_start", "start"), ("period_end", "end")):
            value = dates.parse_date(m.group(group))
            if value is not None:
                out[key], out["evidence"][key] = value, doc.evidence(m.start(group), m.end(group))
    for key, pattern in _BUDGET_RES:
        m = pattern.search(doc.text[:20000])
        amount = money.parse_money(m.group("rest")) if m else None
        if m and amount is not None and amount.currency == "SEK":
            out[key] = round(amount.amount)
            out["evidence"][key] = doc.evidence(
                m.start("rest") + amount.start, m.start("rest") + amount.end
            )


def _programme_area_and_region(doc: Document, out: dict[str, Any]) -> None:
    """`programområde 2, utökat arbetskraftsutbud`; the one ESF region the prose names (`i Östra Mellansverige`)."""
    m = _PROGRAMME_AREA_RE.search(doc.text[:20000])
    if m:
        out["programme_area"] = " ".join(x for x in (m.group("code"), m.group("name")) if x)
        out["programme_area_code"] = m.group("code")
        out["evidence"]["programme_area"] = doc.evidence(m.start(), m.end())
    found = {(m.group(0), m.start()) for m in _region_re().finditer(doc.text[:20000])}
    if len({name.casefold() for name, _ in found}) == 1:
        name, at = min(found, key=lambda x: x[1])
        out["region"], out["evidence"]["region"] = name, doc.evidence(at, at + len(name))


@lru_cache(maxsize=1)
def _region_re() -> re.Pattern[str]:
    """ESF region names of more than one word or with a compass part (never a municipality's name)."""
    labels = [row["label"] for row in load_csv("esf_regions.csv")]
    labels = [lb for lb in labels if " " in lb or lb.lower().endswith(("sverige", "norrland"))]
    return re.compile(
        r"\b(?:" + "|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True)) + r")\b"
    )


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    return frozenset(row["name"].strip() for row in load_csv("given_names.csv"))


def _authors(doc: Document, out: dict[str, Any]) -> None:
    """Authors on a title line: `Tommie Helgeé och Göran Sjöberg, Utvärderare European Minds`."""
    for ev_key in ("document_title", "title"):
        ev = out["evidence"].get(ev_key)
        if ev is None:
            continue
        start = doc.text.rfind("\n", 0, ev.start) + 1
        end = doc.text.find("\n", ev.end)
        end = len(doc.text) if end == -1 else end
        authors = _author_run(doc, start, end)
        if authors:  # the title line's own reading wins over the prose readings of its words
            names = {p.name for p in authors}
            kept = [
                p
                for p in out["people"]
                if p.name not in names and not start <= p.evidence.start < end
            ]
            out["people"] = authors + kept
            return
    _prose_authors(doc, out)


def _prose_authors(doc: Document, out: dict[str, Any]) -> None:
    """Authors named by an author sentence (`Rapporten är skriven av A och B, Oxford Research.`)."""
    m = _AUTHOR_CUE_RE.search(doc.text, 0, min(len(doc.text), 20000))
    if m is None:
        return
    end = doc.text.find("\n", m.end())
    end = len(doc.text) if end == -1 else end
    authors = _author_run(doc, m.end(), end)
    if authors:
        names = {p.name for p in authors}
        out["people"] = authors + [p for p in out["people"] if p.name not in names]


def _author_run(doc: Document, start: int, end: int) -> list[Person]:
    """Coordinated names at the end of a title line, at least one with a known given name."""
    line = doc.text[start:end]
    runs: list[list[re.Match[str]]] = []
    for m in _AUTHOR_RE.finditer(line):
        gap = line[runs[-1][-1].end() : m.start()] if runs else ""
        if runs and (
            _AUTHOR_AND_RE.match(gap)
            or (_AUTHOR_COMMA_RE.match(gap) and m.group("given") in _given_names())
        ):
            runs[-1].append(m)
        else:
            runs.append([m])
    named = [r for r in runs if any(m.group("given") in _given_names() for m in r)]
    if not named:
        return []
    run = named[-1]
    tail = _AUTHOR_ORG_RE.match(line[run[-1].end() :])
    role = tail.group("role") if tail and tail.group("role") else None
    org = tail.group("org") if tail else None
    return [
        Person(
            name=m.group(0),
            role=role.lower() if role else None,
            organisation=org,
            evidence=doc.evidence(start + m.start(), start + m.end()),
        )
        for m in run
    ]


def _mark(goal: Goal) -> Goal:
    """A stated target stays a target; every other figure of a report is a reported result."""
    kind = "target" if _TARGET_RE.search(goal.quote) else "reported_result"
    return goal if goal.kind == kind else goal.model_copy(update={"kind": kind})
