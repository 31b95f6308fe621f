"""Projects as entities: every document about a project is a source, and the project is one row.

A project-bank page, its HTML and PDF renderings, two snapshots of it and a later write-up are five
documents and one project. The per-document header rows live in `project_pages`;
`rebuild_projects(db)` groups them and (re)creates

- `projects`: one row per project, values reconciled across its sources, with a stable `id`;
- `project_sources`: each source document → its project, by which rule, with what confidence;
- `project_field_choices`: for every field the sources do not all state alike, the value chosen,
  from which document and why (the disagreements are also `project.conflicting_duplicate` problems).

**The identity key** (`project_key`, the API other passes link documents by):

1. `case:<number>` — the ESF Council's case number: the diarienummer (`23-101-S05`) or the project
   number (`2015/00963`), upper-cased without spaces. Confidence 1.0. Documents sharing a case number
   are one project; a document stating both numbers joins their groups.
2. `name:<title>|<owner entity>|<programme period>` — title casefolded with punctuation and dashes
   as spaces, the owner resolved like organisations are (`entities.resolve_name`: `Arbetsförmedlingen
   Östersund` → `state_agency:arbetsförmedlingen`), and the derived programme period. Confidence 0.9.
3. `title:<title>|<programme period>|<start date>` — when no owner is stated. Confidence 0.7.
4. `doc:<sha256>` — a page with no title: only itself. Confidence 1.0 (trivially).

A document with a case number also carries its name key, so a write-up that states no number joins
the project by name. A name key never joins two groups with different case numbers: such documents
stay apart (and a name key shared by several numbered projects attaches nothing).

`projects.id` is the case number when there is one (the diarienummer before the project number),
else `p-` and 12 hex digits of the key's SHA-1: the same evidence always gives the same id.

>>> project_key("23-101-s05", None, "A", "B", "2021-2027", None).key
'case:23-101-S05'
>>> k = project_key(None, None, "Vägen till  arbete – A", "Krokoms kommun", "2007-2013", None)
>>> (k.key, k.rule, k.confidence)
('name:vägen till arbete a|municipality:2309|2007-2013', 'title_owner_period', 0.9)
>>> programme_period_of(None, "esfplus", None, None, None)
('2021-2027', 'layout')
>>> programme_period_of(None, "prose", "25-023-S02", None, None)
('2021-2027', 'case_number')
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .checks import LAYOUT_PROGRAMME
from .datafiles import load_csv
from .fields import FIELDS as RECORD_FIELDS

RULES = {"case_number": 1.0, "title_owner_period": 0.9, "title_period": 0.7, "document": 1.0}
# Fields reconciled across a project's sources (the other project_pages columns are per document).
FIELDS = tuple(f.column_name for f in RECORD_FIELDS if "R" in f.flags)
_FORMAT_RANK = {"text": 0, "html": 1, "pdf": 2}  # ties go to the text a page is published as


@dataclass(frozen=True)
class Key:
    """A document's identity key: the key, the rule that made it, its confidence and the evidence."""

    key: str
    rule: str
    confidence: float
    evidence: str


# ---------------------------------------------------------------- keys

_PUNCT_RE = re.compile(r"[\W_]+")  # anything but letters and digits separates words


def normalise_title(title: str) -> str:
    """Casefolded, NFC, punctuation and dashes as spaces: `Feedback-Ett steg` -> `feedback ett steg`."""
    return " ".join(_PUNCT_RE.sub(" ", unicodedata.normalize("NFC", title).casefold()).split())


def normalise_case_number(number: str) -> str:
    """`23-101-s05 ` -> `23-101-S05`: no spaces, upper case."""
    return re.sub(r"\s+", "", number).upper()


@lru_cache(maxsize=4096)
def owner_key(owner: str) -> str:
    """The owner's organisation entity key (its unit dropped), as the organisation merges resolve it."""
    from .entities import resolve_name

    return resolve_name(owner).key


def case_keys(diarienummer: str | None, project_number: str | None) -> list[str]:
    """`case:` keys of the numbers a document states (diarienummer first)."""
    numbers = [normalise_case_number(n) for n in (diarienummer, project_number) if n and n.strip()]
    return [f"case:{n}" for n in dict.fromkeys(numbers)]


def name_key(
    title: str | None, owner: str | None, programme_period: str | None, period_start: str | None
) -> Key | None:
    """The title-based key (rule 2 with an owner, else rule 3 with the start date); None without a title."""
    if not title or not normalise_title(title):
        return None
    t, period = normalise_title(title), programme_period or "?"
    if owner and owner.strip():
        return Key(
            f"name:{t}|{owner_key(owner)}|{period}",
            "title_owner_period",
            RULES["title_owner_period"],
            f"title {title!r}, owner {owner!r}, programme period {period}",
        )
    return Key(
        f"title:{t}|{period}|{period_start or '?'}",
        "title_period",
        RULES["title_period"],
        f"title {title!r}, programme period {period}, start {period_start or 'unknown'}",
    )


def project_key(
    diarienummer: str | None,
    project_number: str | None,
    title: str | None,
    owner: str | None,
    programme_period: str | None,
    period_start: str | None,
    sha256: str = "",
) -> Key:
    """The strongest identity key of one document (see the module docstring for the rules)."""
    cases = case_keys(diarienummer, project_number)
    if cases:
        written = diarienummer if diarienummer and diarienummer.strip() else project_number
        return Key(cases[0], "case_number", RULES["case_number"], f"case number {written!r}")
    return name_key(title, owner, programme_period, period_start) or Key(
        f"doc:{sha256}",
        "document",
        RULES["document"],
        "no case number and no title: the document alone",
    )


def project_id(key: str) -> str:
    """Stable project id of a key: the case number itself, else `p-` + 12 hex digits of its SHA-1."""
    if key.startswith("case:"):
        return key[len("case:") :]
    return "p-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------- programme period and money

_PROGRAMMES = ((2007, 2013), (2014, 2020), (2021, 2027))
_YEARS_RE = re.compile(r"(20\d\d)\s*[-–—/]\s*(20\d\d)")
_ESFPLUS_CASE_RE = re.compile(r"^\d\d-\d{3}-S\d\d$", re.I)  # ESF+ diarienummer `23-101-S05`
_CASE_YEAR_RE = re.compile(r"^(20\d\d)/\d+$")  # 2014-2020 project number `2015/00963`


def programme_period_of(
    stated: str | None,
    layout: str | None,
    diarienummer: str | None,
    project_number: str | None,
    period_start: str | None,
) -> tuple[str | None, str | None]:
    """(programme period, how it was found): stated, else the layout, the case number's shape, the start year."""
    m = _YEARS_RE.search(stated or "")
    if m:
        return f"{m.group(1)}-{m.group(2)}", "stated"
    if (layout or "") in LAYOUT_PROGRAMME:
        return LAYOUT_PROGRAMME[layout or ""], "layout"
    for number in (diarienummer, project_number):
        n = normalise_case_number(number or "")
        if _ESFPLUS_CASE_RE.match(n):
            return "2021-2027", "case_number"
        if (
            _CASE_YEAR_RE.match(n) and 2014 <= int(n[:4]) <= 2023
        ):  # case numbers of the 2014-2020 programme
            return "2014-2020", "case_number"
    year = int(period_start[:4]) if period_start and period_start[:4].isdigit() else None
    for first, last in _PROGRAMMES:
        if year is not None and first <= year <= last:
            return f"{first}-{last}", "start_year"
    return None, None


@lru_cache(maxsize=1)
def exchange_rates() -> dict[int, tuple[float, str]]:
    """Year -> (SEK per EUR, source) from `data/exchange_rates.csv`."""
    rows = load_csv("exchange_rates.csv")
    return {int(r["year"]): (float(r["sek_per_eur"]), r["source"]) for r in rows}


def eur_rate(period_start: str | None) -> tuple[int, float, str] | None:
    """(year, SEK per EUR, source) for a project starting then: that year's rate, else the nearest year's."""
    rates = exchange_rates()
    if not rates:
        return None
    year = int(period_start[:4]) if period_start and period_start[:4].isdigit() else max(rates)
    nearest = min(rates, key=lambda y: (abs(y - year), -y))
    return nearest, *rates[nearest]


@lru_cache(maxsize=1)
def _funds() -> dict[str, str]:
    """Fund name as written (casefolded) -> the fund's label, from `data/funds.csv`."""
    rows = load_csv("funds.csv")
    return {" ".join(r["variant"].casefold().split()): r["fund"] for r in rows}


def fund_label(stated: str | None, programme_period: str | None) -> str | None:
    """The fund in one vocabulary: the stated name's label, else the programme period's fund.

    >>> fund_label("European Social Fund Plus (ESF+)", None), fund_label(None, "2014-2020")
    ('ESF+', 'ESF')
    """
    if stated and stated.strip():
        return _funds().get(" ".join(stated.casefold().split()), stated.strip())
    return _funds().get(f"programme {programme_period}") if programme_period else None


def region_label(region: str | None, national: Any) -> str | None:
    """The reference label of a region as written: the NUTS-2 name, or the national label; else as written."""
    from .extract.places import national_label, resolve_region

    if national:
        return national_label()
    found = resolve_region(region) if region else None
    if found is None:
        return region
    return national_label() if found.national else found.nuts2_name


# ---------------------------------------------------------------- grouping


class _Groups:
    """Union-find over document indices that remembers each group's case keys."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.cases: list[set[str]] = [set() for _ in range(n)]

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[rb] = ra
            self.cases[ra] |= self.cases[rb]


def group_documents(docs: list[dict[str, Any]]) -> list[list[int]]:
    """Indices of `docs` (dicts with `cases`, `name`) grouped into projects, by the rules above."""
    groups = _Groups(len(docs))
    first: dict[str, int] = {}
    for i, d in enumerate(docs):
        groups.cases[i] = set(d["cases"])
        for case in d["cases"]:
            groups.union(first.setdefault(case, i), i)
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        if d["name"]:
            by_name[d["name"]].append(i)
    for members in by_name.values():
        numbered = {groups.root(i) for i in members if groups.cases[groups.root(i)]}
        if len({frozenset(groups.cases[r]) for r in numbered}) > 1:
            continue  # the same name under different case numbers: different projects
        for i in members[1:]:
            groups.union(members[0], i)
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        out[groups.root(i)].append(i)
    return sorted(out.values())


# ---------------------------------------------------------------- reconciling


def _comparable(value: Any) -> Any:
    return " ".join(value.casefold().split()) if isinstance(value, str) else value


def _completeness(doc: dict[str, Any]) -> tuple[Any, ...]:
    """Sort key of the primary source: most header fields, then text before HTML before PDF, then path."""
    filled = sum(doc["row"].get(f) not in (None, "") for f in FIELDS)
    return -filled, _FORMAT_RANK.get(doc["format"], 9), doc["path"]


def reconcile(sources: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(chosen values, choices) for one project; `sources` sorted primary first.

    Each field takes the value most sources state (compared case- and space-insensitively); a tie
    goes to the primary source's value. A choice is recorded when the sources do not all state it alike.
    """
    values: dict[str, Any] = {}
    choices: list[dict[str, Any]] = []
    for field in FIELDS:
        stated = [
            (s, s["row"].get(field)) for s in sources if s["row"].get(field) not in (None, "")
        ]
        if not stated:
            values[field] = None
            continue
        votes = Counter(_comparable(v) for _, v in stated)
        best = max(votes.values())
        tied = [k for k, n in votes.items() if n == best]
        pick = next(
            k for _, v in stated if (k := _comparable(v)) in tied
        )  # stated is in primary-first order
        source, value = next((s, v) for s, v in stated if _comparable(v) == pick)
        values[field] = value
        if len(votes) > 1 or len(stated) < len(sources):
            choices.append(_choice(field, value, source, stated, len(sources), len(tied) > 1))
    return values, choices


def _choice(
    field: str,
    value: Any,
    source: dict[str, Any],
    stated: list[tuple[dict[str, Any], Any]],
    total: int,
    tie: bool,
) -> dict[str, Any]:
    agree = sum(_comparable(v) == _comparable(value) for _, v in stated)
    others = Counter(str(v) for _, v in stated if _comparable(v) != _comparable(value))
    if tie:
        reason = f"tie: {agree} sources each; the primary source's value"
    else:
        reason = f"{agree} of {total} sources state it" + (
            "" if len(stated) == agree else ", the most"
        )
    return {
        "field": field,
        "value": None if value is None else str(value),
        "document_id": source["sha256"],
        "sources_agreeing": agree,
        "sources_stating": len(stated),
        "sources": total,
        "reason": reason,
        "alternatives": json.dumps(dict(others), ensure_ascii=False) if others else None,
    }


# ---------------------------------------------------------------- the tables

_COLUMNS = (
    "id",
    "document_id",
    *FIELDS,
    "programme_period",
    "programme_period_source",
    "region_as_written",
    "eur_sek_rate",
    "eur_sek_rate_year",
    "esf_grant_sek_equiv",
    "total_budget_sek_equiv",
    "sek_converted",
    "identity_key",
    "identity_rule",
    "identity_confidence",
    "sources",
    "truncated",
    "extra_json",
)
_INTEGER = {
    "esf_grant_sek",
    "total_budget_sek",
    "national",
    "planned_participants",
    "participants",
    "eur_sek_rate_year",
    "esf_grant_sek_equiv",
    "total_budget_sek_equiv",
    "sek_converted",
    "sources",
    "truncated",
}
_REAL = {
    "esf_grant_eur",
    "total_budget_eur",
    "cofinancing_rate_derived_pct",
    "union_cofinancing_rate_pct",
    "eur_sek_rate",
    "identity_confidence",
}


def _ddl() -> list[str]:
    def col(c: str) -> str:
        kind = "INTEGER" if c in _INTEGER else "REAL" if c in _REAL else "TEXT"
        extra = {
            "id": " PRIMARY KEY",
            "document_id": " REFERENCES documents(sha256)",
            "region_nuts2": " REFERENCES nuts2_regions(code)",
        }.get(c, "")
        return f"[{c}] {kind}{extra}"

    return [
        "DROP TABLE IF EXISTS project_field_choices",
        "DROP TABLE IF EXISTS project_sources",
        "DROP TABLE IF EXISTS projects",
        f"CREATE TABLE projects ({', '.join(col(c) for c in _COLUMNS)})",
        "CREATE TABLE project_sources (document_id TEXT PRIMARY KEY REFERENCES documents(sha256), "
        "project_id TEXT NOT NULL REFERENCES projects(id), path TEXT, format TEXT, is_primary INTEGER, "
        "rule TEXT, confidence REAL, evidence TEXT, identity_key TEXT)",
        "CREATE TABLE project_field_choices (id INTEGER PRIMARY KEY, project_id TEXT NOT NULL REFERENCES "
        "projects(id), field TEXT, value TEXT, document_id TEXT REFERENCES documents(sha256), "
        "sources_agreeing INTEGER, sources_stating INTEGER, sources INTEGER, reason TEXT, alternatives TEXT)",
    ]  # indexes: store.INDEXES, created after every ingest


_PAGES_SQL = (
    "SELECT p.rowid AS _rowid, p.*, d.path AS _path, d.format AS _format FROM project_pages p "
    "JOIN documents d ON d.sha256 = p.document_id"
)


def _doc(names: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
    """One project page with its document's path and format, and its keys."""
    row = dict(zip(names, values))
    row.pop("_rowid")
    period, how = programme_period_of(
        row.get("programme_period"),
        row.get("layout"),
        row.get("diarienummer"),
        row.get("project_number"),
        row.get("period_start"),
    )
    named = name_key(row.get("title"), row.get("owner"), period, row.get("period_start"))
    key = project_key(
        row.get("diarienummer"),
        row.get("project_number"),
        row.get("title"),
        row.get("owner"),
        period,
        row.get("period_start"),
        row["document_id"],
    )
    return {
        "sha256": row["document_id"],
        "path": row.pop("_path"),
        "format": row.pop("_format"),
        "row": row,
        "period": (period, how),
        "key": key,
        "name": named.key if named else None,
        "cases": case_keys(row.get("diarienummer"), row.get("project_number")),
    }


def _load(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every project page (see `_doc`), in path order."""
    cur = conn.execute(f"{_PAGES_SQL} ORDER BY d.path, p.document_id")
    names = [c[0] for c in cur.description]
    return [_doc(names, values) for values in cur]


def _load_keys(conn: sqlite3.Connection) -> tuple[list[int], list[dict[str, Any]]]:
    """Rowids and just what grouping reads (`cases`, `name`) of every project page, in `_load`'s order.

    The pages are streamed; only their keys stay in memory (a few dozen bytes a page), so the grouping
    of a million pages fits where their rows would not.
    """
    cur = conn.execute(f"{_PAGES_SQL} ORDER BY d.path, p.document_id")
    names = [c[0] for c in cur.description]
    rowids, keys = [], []
    for values in cur:
        doc = _doc(names, values)
        rowids.append(values[0])
        keys.append(
            {
                "cases": tuple(doc["cases"]) or (),
                "name": sys.intern(doc["name"]) if doc["name"] else None,
            }
        )
    return rowids, keys


def _group_rows(conn: sqlite3.Connection, rowids: list[int]) -> list[dict[str, Any]]:
    """The full pages (see `_doc`) of one group, read back by rowid."""
    docs = []
    for rowid in rowids:
        cur = conn.execute(f"{_PAGES_SQL} WHERE p.rowid = ?", [rowid])
        docs.append(_doc([c[0] for c in cur.description], cur.fetchone()))
    return docs


def _project(sources: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The projects row and the choices of one group of sources (primary first)."""
    values, choices = reconcile(sources)
    primary = sources[0]
    keys = sorted(
        {k for s in sources for k in s["cases"]},
        key=lambda k: (
            not any(
                s["row"].get("diarienummer")
                and k == f"case:{normalise_case_number(s['row']['diarienummer'])}"
                for s in sources
            ),
            k,
        ),
    )
    key = (
        keys[0]
        if keys
        else min((s["key"] for s in sources), key=lambda k: (-k.confidence, k.key)).key
    )
    best = max((s["key"] for s in sources), key=lambda k: k.confidence)
    period, how = programme_period_of(None, None, None, None, None)
    for (
        s
    ) in sources:  # the strongest way any source gives it: stated, layout, case number, start year
        p, h = s["period"]
        if p and (how is None or _HOW_RANK[h] < _HOW_RANK[how]):
            period, how = p, h
    row = {
        **values,
        "id": project_id(key),
        "document_id": primary["sha256"],
        "programme_period": period,
        "programme_period_source": how,
        "region_as_written": values["region"],
        "region": region_label(values["region"], values["national"]),
        "identity_key": key,
        "identity_rule": best.rule,
        "identity_confidence": best.confidence,
        "sources": len(sources),
        "truncated": int(all(s["row"].get("truncated") for s in sources)),
        "extra_json": primary["row"].get("extra_json"),
    }
    row.update(_sek_equivalents(values))
    return row, choices


_HOW_RANK = {"stated": 0, "layout": 1, "case_number": 2, "start_year": 3}


def _sek_equivalents(values: dict[str, Any]) -> dict[str, Any]:
    """SEK as stated, else EUR converted at the start year's rate (flagged in `sek_converted`)."""
    grant, budget = values["esf_grant_sek"], values["total_budget_sek"]
    out = {
        "esf_grant_sek_equiv": grant,
        "total_budget_sek_equiv": budget,
        "sek_converted": 0,
        "eur_sek_rate": None,
        "eur_sek_rate_year": None,
    }
    if (
        grant is None
        and budget is None
        and (values["esf_grant_eur"] is not None or values["total_budget_eur"] is not None)
    ):
        rate = eur_rate(values["period_start"])
        if rate:
            year, sek_per_eur, _ = rate
            out.update(
                {
                    "eur_sek_rate": sek_per_eur,
                    "eur_sek_rate_year": year,
                    "sek_converted": 1,
                    "esf_grant_sek_equiv": _convert(values["esf_grant_eur"], sek_per_eur),
                    "total_budget_sek_equiv": _convert(values["total_budget_eur"], sek_per_eur),
                }
            )
    return out


def _convert(eur: float | None, rate: float) -> int | None:
    return None if eur is None else round(eur * rate)


def rebuild_projects(db: Any) -> dict[str, int]:
    """(Re)create `projects`, `project_sources` and `project_field_choices` from `project_pages`.

    Idempotent and whole: the three tables are dropped and rebuilt in one savepoint, and the projects
    full-text index is refilled. Memory stays bounded: the pages are grouped from their keys alone,
    then each group's rows are read back, reconciled and written to temporary tables before the next
    (`_load_keys`, `_group_rows`). Returns counts.
    """
    conn: sqlite3.Connection = getattr(db, "conn", db)
    rowids, keys = _load_keys(conn)
    groups = group_documents(keys)
    del keys
    counts = {"documents": len(rowids), "projects": len(groups), "choices": 0}
    conn.execute("SAVEPOINT projects")
    try:
        for table, n in (
            ("projects", len(_COLUMNS)),
            ("project_sources", 9),
            ("project_field_choices", 9),
        ):
            conn.execute(f"DROP TABLE IF EXISTS temp.new_{table}")
            conn.execute(f"CREATE TEMP TABLE new_{table} ({', '.join(f'c{i}' for i in range(n))})")
        for group in groups:
            members = sorted(_group_rows(conn, [rowids[i] for i in group]), key=_completeness)
            row, picked = _project(members)
            conn.execute(
                f"INSERT INTO temp.new_projects VALUES ({', '.join('?' for _ in _COLUMNS)})",
                tuple(row.get(c) for c in _COLUMNS),
            )
            conn.executemany(
                "INSERT INTO temp.new_project_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        s["sha256"],
                        row["id"],
                        s["path"],
                        s["format"],
                        int(j == 0),
                        s["key"].rule,
                        s["key"].confidence,
                        s["key"].evidence,
                        s["key"].key,
                    )
                    for j, s in enumerate(members)
                ],
            )
            conn.executemany(
                "INSERT INTO temp.new_project_field_choices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        row["id"],
                        c["field"],
                        c["value"],
                        c["document_id"],
                        c["sources_agreeing"],
                        c["sources_stating"],
                        c["sources"],
                        c["reason"],
                        c["alternatives"],
                    )
                    for c in picked
                ],
            )
            counts["choices"] += len(picked)
        for statement in _ddl():
            conn.execute(statement)
        conn.execute(
            "INSERT INTO projects SELECT * FROM temp.new_projects ORDER BY c0"
        )  # rowids in id order
        conn.execute(
            "INSERT INTO project_sources SELECT * FROM temp.new_project_sources ORDER BY rowid"
        )
        conn.execute(
            "INSERT INTO project_field_choices (project_id, field, value, document_id, sources_agreeing, "
            "sources_stating, sources, reason, alternatives) SELECT * FROM temp.new_project_field_choices "
            "ORDER BY rowid"
        )
        for table in ("projects", "project_sources", "project_field_choices"):
            conn.execute(f"DROP TABLE temp.new_{table}")
        _refill_fts(conn)
    except BaseException:
        conn.execute("ROLLBACK TO SAVEPOINT projects")
        conn.execute("RELEASE SAVEPOINT projects")
        raise
    conn.execute("RELEASE SAVEPOINT projects")
    return counts


def _refill_fts(conn: sqlite3.Connection) -> None:
    """Create (if needed) and rebuild the projects full-text index from the rebuilt table."""
    from .store import create_indexes, refresh_fts

    refresh_fts(conn, "projects")
    create_indexes(conn)
