"""Semantic checks beyond types: each finding a Problem with a stable code; never raises.

Single-document rules take a Record (and, when there is one, its Document) and yield Problems;
`check` runs them all. `find_conflicting_duplicates` is the one rule over several documents: the
same project (same diarienummer or project number, or same title and owner) in two files that
disagree on a value. Codes and severities live in `errors.PROBLEM_CODES`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from .datafiles import layouts
from .document import Document
from .errors import PROBLEM_CODES
from .extract.contacts import is_valid_email
from .extract.places import resolve_region
from .fields import FIELDS, fields_with
from .models import Evidence, Problem, Record

# ESF programme periods: first year, last year, last year expenditure is eligible (n+2 / n+3).
_PROGRAMMES = {
    "2007-2013": (2007, 2013, 2015),
    "2014-2020": (2014, 2020, 2023),
    "2021-2027": (2021, 2027, 2029),
}
# Which programme period each project-bank layout was published for, and the header fields every
# complete page of a layout has: data/layouts.json.
LAYOUT_PROGRAMME = {
    k: v["programme_period"] for k, v in layouts().items() if "programme_period" in v
}
_REQUIRED = {k: tuple(v["required"]) for k, v in layouts().items() if "required" in v}
_PERIOD_RE = re.compile(r"(\d{4})\s*[-–—/]\s*(\d{4})")  # `2021-2027`, `2014–2020`
# Co-financing: the stated Union rate applies to a priority's *eligible* expenditure (Regulation (EU)
# 2021/1060 Art. 112; for 2014-2020 Regulation (EU) 1303/2013 Art. 120), while a page's total budget also
# counts costs outside that basis, and the grant the ESF Council pays may include national public
# co-financing (REACT-EU projects up to 100 %). So grant/budget is not the stated rate: it may lie a
# little below it (46-47 % on 50 % pages of the corpus) and, when national money is in the grant, above
# it. Flagged: a derived rate more than RATE_BELOW under the stated one (a misread amount or a budget
# far beyond the eligible basis), or more than RATE_ABOVE over it (rounding aside: national money or an
# error) — the message says which.
RATE_BELOW = 0.10
RATE_ABOVE = 0.02
# Kinds each rule family applies to; a rule is never run on a document outside its scope.
SCOPES = {
    "money": ("project_page", "report"),
    "period": ("project_page", "report"),
    "header": ("project_page",),
    "place": ("project_page", "report", "call"),
}
# Header fields of a project page: a page with a project-bank layout stating none of them came out empty.
HEADER_FIELDS = fields_with("H")


def problem(
    code: str, message: str, field: str | None = None, evidence: Evidence | None = None
) -> Problem:
    """A Problem with the severity its code has in PROBLEM_CODES."""
    severity = PROBLEM_CODES[code][0]
    return Problem(code=code, severity=severity, message=message, field=field, evidence=evidence)  # type: ignore[arg-type]


# ---------------------------------------------------------------- money


def _money(r: Record, doc: Document | None) -> Iterator[Problem]:
    for currency, grant, budget in (
        ("SEK", r.esf_grant_sek, r.total_budget_sek),
        ("EUR", r.esf_grant_eur, r.total_budget_eur),
    ):
        if grant is not None and budget is not None and grant > budget:
            field = f"esf_grant_{currency.lower()}"
            yield problem(
                "money.grant_exceeds_budget",
                f"ESF grant {_amount(grant)} {currency} is larger than "
                f"the total budget {_amount(budget)} {currency}.",
                field,
                r.evidence.get(field),
            )
    yield from _rates(r)


def _rates(r: Record) -> Iterator[Problem]:
    derived, stated = r.cofinancing_rate_derived, r.union_cofinancing_rate
    grant_field = "esf_grant_sek" if r.esf_grant_sek is not None else "esf_grant_eur"
    if derived is not None and not derived > 0:  # > 1 is already grant_exceeds_budget
        yield problem(
            "money.cofinancing_out_of_range",
            f"Grant/budget gives a co-financing rate of {derived:.1%}, outside (0, 1].",
            "cofinancing_rate_derived",
            r.evidence.get(grant_field),
        )
    if stated is not None and not 0 < stated <= 1:
        yield problem(
            "money.cofinancing_out_of_range",
            f"Stated co-financing rate {stated:.0%} is outside (0, 1].",
            "union_cofinancing_rate",
            r.evidence.get("union_cofinancing_rate"),
        )
    elif (
        derived is not None
        and stated is not None
        and 0 < derived <= 1
        and not (stated - RATE_BELOW <= derived <= stated + RATE_ABOVE)
    ):
        why = (
            "more than the Union share alone: the grant may include national co-financing, or an amount is "
            "misread"
            if derived > stated
            else f"more than {RATE_BELOW:.0%} below it, more than eligible-cost "
            "budgeting explains: check the amounts"
        )
        yield problem(
            "money.cofinancing_mismatch",
            f"Grant/budget gives {derived:.1%}, but the page states a "
            f"Union co-financing rate of {stated:.0%}: {why}.",
            "union_cofinancing_rate",
            r.evidence.get("union_cofinancing_rate"),
        )


def _amount(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if math.isfinite(value) else str(value)


# ---------------------------------------------------------------- period


def _period(r: Record, doc: Document | None) -> Iterator[Problem]:
    start, end = r.period_start, r.period_end
    if start and end and end < start:
        yield problem(
            "period.end_before_start",
            f"The project ends {end} before it starts {start}.",
            "period_end",
            r.evidence.get("period_end"),
        )
    programme = _programme(r)
    if programme is None:
        return
    name, (first, _, eligible) = programme
    lo, hi = date(first, 1, 1), date(eligible, 12, 31)
    for field, value in (("period_start", start), ("period_end", end)):
        if value is not None and not lo <= value <= hi:
            yield problem(
                "period.outside_programme",
                f"{field.replace('_', ' ').capitalize()} {value} lies outside "
                f"the {name} programme period (projects run {lo.year}–{hi.year}).",
                field,
                r.evidence.get(field),
            )


def _programme(r: Record) -> tuple[str, tuple[int, int, int]] | None:
    """The programme period a record belongs to: as stated on the page, else by its layout."""
    m = _PERIOD_RE.search(r.programme_period or "")
    name = f"{m.group(1)}-{m.group(2)}" if m else LAYOUT_PROGRAMME.get(r.layout or "")
    if name in _PROGRAMMES:
        return name, _PROGRAMMES[name]
    return None


# ---------------------------------------------------------------- places and contacts


def _places(r: Record, doc: Document | None) -> Iterator[Problem]:
    for m in r.municipalities:
        if m.code is None:
            yield problem(
                "place.unknown_municipality",
                f"Municipality {m.as_written!r} resolves to no SCB municipality code.",
                "municipalities",
                m.evidence,
            )
    if r.region and not r.region_nuts2 and not r.national and resolve_region(r.region) is None:
        yield problem(
            "place.unknown_region",
            f"Region {r.region!r} resolves to no NUTS-2 area.",
            "region",
            r.evidence.get("region"),
        )
    yield from _region_mismatch(r)


def _region_mismatch(r: Record) -> Iterator[Problem]:
    if not r.region_nuts2 or r.national:
        return
    outside = [m for m in r.municipalities if m.nuts2_code and m.nuts2_code != r.region_nuts2]
    if not outside:
        return
    names = ", ".join(dict.fromkeys(f"{m.name or m.as_written} ({m.nuts2_code})" for m in outside))
    yield problem(
        "place.region_mismatch",
        f"{len(outside)} of {len(r.municipalities)} municipalities lie outside "
        f"region {r.region} ({r.region_nuts2}): {names}. A project may span two regions; check the "
        "region or the list.",
        "municipalities",
        outside[0].evidence,
    )


def _contacts(r: Record, doc: Document | None) -> Iterator[Problem]:
    candidates: list[tuple[str, str, Evidence | None]] = []
    if r.email:
        candidates.append(("email", r.email, r.evidence.get("email")))
    candidates += [("emails", link.value, link.evidence) for link in r.emails]
    candidates += [("people.email", p.email, p.evidence) for p in r.people if p.email]
    seen: set[str] = set()
    for field, value, ev in candidates:
        if value in seen or is_valid_email(value):
            continue
        seen.add(value)
        yield problem(
            "contact.malformed_email",
            f"E-mail address {value!r} is malformed (not name@domain.tld in ASCII).",
            field,
            ev,
        )


# ---------------------------------------------------------------- completeness


def _completeness(r: Record, doc: Document | None) -> Iterator[Problem]:
    if (
        r.kind == "unknown"
        and r.kind_reason
        and r.kind_reason.startswith("no sign of ESF material")
    ):
        yield problem(
            "classify.not_esf",
            f"Stored as unknown: {r.kind_reason}; nothing was extracted.",
            evidence=_tail(doc),
        )
    elif r.kind == "unknown":
        yield problem(
            "parse.unknown_genre",
            "No genre cue (header labels, slide or talk, report or call "
            "wording) and nothing ESF-related; the entities it names are kept.",
            evidence=_tail(doc),
        )
    if r.truncated:
        lost = "the rest is missing"
        if r.truncated_sections:
            lost = f"cut off in or before: {', '.join(r.truncated_sections)}"
        yield problem("doc.truncated", f"The text stops mid-sentence; {lost}.", evidence=_tail(doc))
    if (r.truncated and not r.sections) or r.kind not in SCOPES["header"]:
        return  # cut off inside the header: the missing fields are lost, not missing; other kinds have no header
    if r.layout in _REQUIRED and all(getattr(r, f, None) in (None, "") for f in HEADER_FIELDS):
        yield problem(
            "header.empty",
            f"A {r.layout} project page, but no header field came out (owner, money, "
            "period, region ...): the header is in a form the reader does not know.",
            evidence=_head(doc),
        )
        return
    for field in _REQUIRED.get(r.layout or "", ()):
        if getattr(r, field, None) is None:
            yield problem(
                "header.missing_field",
                f"Header field {field} is missing; every complete {r.layout} page has it.",
                field,
            )


def _head(doc: Document | None) -> Evidence | None:
    """The span of the document's first 200 characters: where its header should be."""
    if doc is None or not doc.text.strip():
        return None
    return doc.evidence(0, min(len(doc.text), 200))


def _tail(doc: Document | None) -> Evidence | None:
    """The span of the document's last non-empty line: where a cut-off text stops."""
    if doc is None or not doc.text.strip():
        return None
    end = len(doc.text.rstrip())
    start = doc.text.rfind("\n", 0, end) + 1
    return doc.evidence(start, end)


Rule = Callable[[Record, Document | None], Iterator[Problem]]
CHECKS: list[Rule] = [_money, _period, _places, _contacts, _completeness]


# ---------------------------------------------------------------- values cut off by the end of the text

_DIGIT_AFTER_RE = re.compile(r"\s*\d")
_DERIVED_FROM = {"esf_grant_sek", "total_budget_sek", "esf_grant_eur", "total_budget_eur"}


def cut_off_values(r: Record, doc: Document | None) -> tuple[Record, list[Problem]]:
    """The record without the numbers the end of the text cuts off, and the problems saying so.

    A text that ends on the line of a header value ends inside the header: the record is
    truncated. A number on that line followed by more digits (``Beviljat ESF-stöd`` / ``4 3`` cut
    from ``4 312 500``) was read from part of the figure: it is dropped. Any other value on that
    line may be cut as well: it is kept, with a warning naming its field.
    """
    if doc is None or r.kind != "project_page" or not doc.text.strip():
        return r, []
    text = doc.text.rstrip()
    last = text.rfind("\n") + 1
    at_end = sorted(
        (name, ev) for name, ev in r.evidence.items() if ev.end > last and ev.start >= last
    )
    if not at_end:
        return r, []
    update: dict[str, Any] = {"truncated": True}  # `_completeness` says so (doc.truncated)
    found = []
    for name, ev in at_end:
        value = getattr(r, name, None)
        if value is None:
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        shown_value = text[ev.start :].strip()
        if number and _DIGIT_AFTER_RE.match(text, ev.end):
            update[name] = None
            if name in _DERIVED_FROM:
                update["cofinancing_rate_derived"] = None
            found.append(
                problem(
                    "doc.truncated",
                    f"The text ends inside the value of {name} ({shown_value!r}): "
                    "only part of the figure is there, so it is not stored.",
                    name,
                    ev,
                )
            )
        else:
            found.append(
                problem(
                    "doc.truncated",
                    f"The text ends at the value of {name} ({shown_value!r}): it may be cut off.",
                    name,
                    ev,
                )
            )
    evidence = {k: v for k, v in r.evidence.items() if not (k in update and update[k] is None)}
    return r.model_copy(update={**update, "evidence": evidence}), found


def check(record: Record, doc: Document | None = None) -> list[Problem]:
    """Run every single-document rule on one record; a rule family outside its SCOPES kinds is dropped."""
    problems: list[Problem] = []
    for rule in CHECKS:
        problems.extend(p for p in rule(record, doc) if in_scope(p.code, record.kind))
    return problems


def in_scope(code: str, kind: str) -> bool:
    """True when problems of `code` apply to documents of `kind` (see SCOPES; unlisted families: every kind)."""
    return kind in SCOPES.get(code.split(".", 1)[0], (kind,))


# ---------------------------------------------------------------- across documents

# Values two snapshots of one project must agree on; a tuple is one value under alternative fields
# (one snapshot says `Planerat antal deltagare`, another `Antal deltagare`).
_COMPARED: tuple[str | tuple[str, ...], ...] = tuple(
    f.name if not alts else (f.name, *alts)
    for f in FIELDS
    if "C" in f.flags and f.compared_with is None
    for alts in [tuple(g.name for g in FIELDS if g.compared_with == f.name)]
)
_KEY_NAMES = {"dnr": "diarienummer", "nr": "project number", "name": "title and owner"}
_MAX_NAMED = 3  # other files named in one message


def _norm_text(value: str) -> str:
    return " ".join(value.casefold().split())


def _norm_id(value: str) -> str:
    return re.sub(r"[\s\u00a0]", "", value).casefold()


def identity_keys(r: Record) -> list[tuple[str, str]]:
    """The keys under which two records are the same project.

    >>> identity_keys(Record(kind="project_page", diarienummer="23-101-S05", title="A", owner="B"))
    [('dnr', '23-101-s05'), ('name', 'a|b')]
    """
    return keys_of(r.diarienummer, r.project_number, r.title, r.owner)


def keys_of(
    diarienummer: str | None, project_number: str | None, title: str | None, owner: str | None
) -> list[tuple[str, str]]:
    """`identity_keys` from the four values it reads (for stored rows, without building a Record)."""
    keys = []
    if diarienummer:
        keys.append(("dnr", _norm_id(diarienummer)))
    if project_number:
        keys.append(("nr", _norm_id(project_number)))
    if title and owner:
        keys.append(("name", f"{_norm_text(title)}|{_norm_text(owner)}"))
    return keys


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return _norm_text(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def _groups(items: list[tuple[str, Record]]) -> list[list[int]]:
    """Indices of records that share an identity key, transitively (union-find)."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, (_, record) in enumerate(items):
        if record.kind != "project_page":
            continue
        for key in identity_keys(record):
            parent[root(i)] = root(first.setdefault(key, i))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        groups[root(i)].append(i)
    return [g for g in groups.values() if len({items[i][0] for i in g}) > 1]


def _reason(a: Record, b: Record) -> str:
    shared = dict(identity_keys(a)).items() & dict(identity_keys(b)).items()
    for kind, _ in sorted(shared):
        value = {"dnr": a.diarienummer, "nr": a.project_number}.get(kind)
        return f"same {_KEY_NAMES[kind]}" + (f" {value}" if value else "")
    return "same project through other files"


def _value(r: Record, fields: str | tuple[str, ...]) -> tuple[str, Any]:
    """(field, value) of the first of `fields` the record has, else (first field, None)."""
    names = (fields,) if isinstance(fields, str) else fields
    for name in names:
        if getattr(r, name, None) is not None:
            return name, getattr(r, name)
    return names[0], None


def _field_conflicts(
    items: list[tuple[str, Record]], group: list[int], fields: str | tuple[str, ...]
) -> Iterator[tuple[str, Problem]]:
    """One problem per file of the group whose value for `fields` other files contradict.

    Files are bucketed by value, so a group of n snapshots costs O(n × distinct values).
    """
    found = {i: _value(items[i][1], fields) for i in group}
    buckets: dict[Any, list[int]] = defaultdict(list)
    for i, (_, value) in found.items():
        if value is not None:
            buckets[_comparable(value)].append(i)
    if len(buckets) < 2:
        return
    for key, members in buckets.items():
        others = [j for other, js in buckets.items() if other != key for j in js]
        same_path = Counter(items[j][0] for j in others)
        for i in members:
            path = items[i][0]
            count = len(others) - same_path[path]
            if count:
                named = list(islice((j for j in others if items[j][0] != path), _MAX_NAMED))
                yield path, _conflict(items, found, i, named, count)


def _conflict(
    items: list[tuple[str, Record]],
    found: dict[int, tuple[str, Any]],
    i: int,
    named: list[int],
    count: int,
) -> Problem:
    record = items[i][1]
    field, value = found[i]
    listed = ", ".join(f"{found[j][1]} in {items[j][0]}" for j in named)
    more = f" and {count - len(named)} more files" if count > len(named) else ""
    return problem(
        "project.conflicting_duplicate",
        f"{field} is {value} here but {listed}{more} ({_reason(record, items[named[0]][1])}).",
        field,
        record.evidence.get(field),
    )


def find_conflicting_duplicates(items: Iterable[tuple[str, Record]]) -> list[tuple[str, Problem]]:
    """(path, Problem) for every file whose project appears in another file with a different value."""
    pairs = list(items)
    found: list[tuple[str, Problem]] = []
    for group in _groups(pairs):
        for field in _COMPARED:
            found.extend(_field_conflicts(pairs, group, field))
    return found
