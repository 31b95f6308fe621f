"""Exports of an esfparse database for other tools, one function per format.

- `csv` / `jsonl`: one row per project: every column of `projects`, the source document's path,
  its municipalities and its organisations by role (as written and as resolved entities);
  `jsonl` also carries the goals.
- `kohesio-csv`: the project columns of the EU's Kohesio portal (`KOHESIO_COLUMNS`). Amounts stay
  in the currency the page states (`Currency`: SEK for project-bank pages, EUR for Kohesio pages);
  `Co-financing rate` is the stated Union rate in percent, else the derived grant / budget.
- `iati-json`: IATI-style activities (element and code names of IATI 2.03, in JSON); see
  `_iati_activity` for the role and code choices.

Rows come in document-path order and keys in a fixed order, so the output of an unchanged
database is byte-for-byte the same.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from .checks import LAYOUT_PROGRAMME  # the programme period each project-bank layout belongs to
from .errors import EsfparseError

FORMATS = ("csv", "jsonl", "kohesio-csv", "iati-json")
CSV_FORMATS = ("csv", "kohesio-csv")
# CSV dialects: `standard` (comma, decimal point: RFC 4180, what scripts expect) and `swedish` (semicolon,
# decimal comma: what a spreadsheet set to Swedish splits and reads as numbers when the file is opened).
DIALECTS = {"standard": (",", "."), "swedish": (";", ",")}
BOM = "\ufeff"  # UTF-8 byte order mark: tells a spreadsheet the file is UTF-8 (else å/ä/ö come out garbled)
ROLES = ("owner", "co_financier", "partner")
LIST_SEPARATOR = "; "
KOHESIO_COLUMNS = (
    "Project name",
    "Total budget",
    "EU contribution",
    "Co-financing rate",
    "Currency",
    "Start date",
    "End date",
    "Beneficiary",
    "Country",
    "NUTS 2 code",
    "Region",
    "Municipalities",
    "Fund",
    "Programming period",
    "Priority axis",
    "Intervention field",
    "Project ID",
    "Beneficiary (normalised)",
    "Source document",
)
# IATI OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing. The owner
# (projektägare) answers for the project and carries it out; co-financiers fund it; partners
# take part in carrying it out; the European Social Fund funds every project with an ESF grant.
IATI_ROLES = {"owner": ("2", "4"), "co_financier": ("1",), "partner": ("4",)}
# IATI OrganisationType per entity kind: 10 Government, 11 Local Government, 15 Other Public
# Sector, 22 National NGO, 70 Private Sector, 80 Academic, Training and Research, 90 Other.
IATI_ORG_TYPES = {
    "municipality": "11",
    "region": "11",
    "state_agency": "10",
    "coordination_association": "15",
    "folk_high_school": "80",
    "study_association": "80",
    "company": "70",
    "non_profit": "22",
    "other": "90",
}
IATI_PREFIX = (
    "ESFPARSE"  # not a registered IATI organisation identifier: replace it when publishing
)
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def export_db(db_path: str, fmt: str, bom: bool = True, dialect: str = "standard") -> str:
    """Export the projects of the database at `db_path` as `fmt` (one of FORMATS).

    CSV formats start with a UTF-8 BOM unless `bom` is false, and use `dialect` (one of DIALECTS).
    """
    writers: dict[str, Callable[[list[dict[str, Any]]], str]] = {
        "csv": lambda ps: to_csv(ps, dialect),
        "jsonl": to_jsonl,
        "kohesio-csv": lambda ps: to_kohesio_csv(ps, dialect),
        "iati-json": to_iati_json,
    }
    if fmt not in writers:
        raise EsfparseError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if dialect not in DIALECTS:
        raise EsfparseError(f"unknown CSV dialect {dialect!r}; choose one of {', '.join(DIALECTS)}")
    with closing(_connect(db_path)) as conn:
        text = writers[fmt](load_projects(conn))
    return BOM + text if bom and fmt in CSV_FORMATS else text


def _connect(db_path: str) -> sqlite3.Connection:
    if not Path(db_path).is_file():
        raise EsfparseError(f"{db_path}: no such database; build one with `esfparse ingest`")
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    tables = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    if not {"projects", "documents", "project_municipalities", "project_organisations"} <= tables:
        conn.close()
        raise EsfparseError(
            f"{db_path}: not an esfparse database (no projects table); run `esfparse ingest`"
        )
    return conn


# ---------------------------------------------------------------- reading


def load_projects(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every project once, as a dict: its columns plus `document_path` (the primary source), `source_paths`,
    and `municipalities`, `organisations` and `goals` gathered from all its sources (each once)."""
    rows = conn.execute(
        "SELECT p.*, d.path AS document_path FROM projects p "
        "JOIN documents d ON d.sha256 = p.document_id ORDER BY p.id"
    ).fetchall()
    sources = _sources(conn)
    places, orgs, goals = _municipalities(conn), _organisations(conn), _goals(conn)
    out = []
    for row in rows:
        docs = sources.get(row["id"], [(row["document_id"], row["document_path"])])
        shas = [sha for sha, _ in docs]
        out.append(
            {
                **dict(row),
                "source_paths": [path for _, path in docs],
                "municipalities": _once([m for sha in shas for m in places.get(sha, [])], "name"),
                "organisations": {
                    role: _once(
                        [o for sha in shas for o in orgs.get(sha, {}).get(role, [])], "name"
                    )
                    for role in ROLES
                },
                "goals": _once(
                    [g for sha in shas for g in goals.get(sha, [])],
                    "value",
                    "unit",
                    "what",
                    "quote",
                ),
            }
        )
    return out


def _sources(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    """Project id -> (document sha256, path) of its sources, the primary first."""
    out: dict[str, list[tuple[str, str]]] = {}
    for project, sha, path in conn.execute(
        "SELECT project_id, document_id, path FROM project_sources "
        "ORDER BY project_id, is_primary DESC, path"
    ):
        out.setdefault(project, []).append((sha, path))
    return out


def _once(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Items in order, an item whose `keys` equal (case-insensitively) an earlier one's left out."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for item in items:
        key = tuple(v.casefold() if isinstance(v, str) else v for v in (item[k] for k in keys))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _municipalities(conn: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """Document -> its municipalities, each once, in the order the text names them."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute("""
            SELECT pm.document_id, pm.municipality_code AS code, coalesce(m.name, pm.as_written) AS name,
                   m.county_code, m.nuts2_code, m.latitude, m.longitude
            FROM project_municipalities pm LEFT JOIN municipalities m ON m.code = pm.municipality_code
            ORDER BY pm.document_id, pm.start, pm.id"""):
        item, items = dict(row), out.setdefault(row["document_id"], [])
        if all(other["name"] != item["name"] for other in items):
            items.append({k: v for k, v in item.items() if k != "document_id"})
    return out


def _has_entities(conn: sqlite3.Connection) -> bool:
    return bool(
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'organisation_names'").fetchone()
    )


def _organisations(conn: sqlite3.Connection) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Document -> role -> organisations (as written, and as entity when `rebuild_entities` ran)."""
    entity = (
        "e.id, e.canonical_name, e.kind, n.unit, e.org_nr"
        if _has_entities(conn)
        else "NULL, NULL, NULL, NULL, NULL"
    )
    joins = (
        "LEFT JOIN organisation_names n ON n.organisation_id = po.organisation_id "
        "LEFT JOIN organisation_entities e ON e.id = n.entity_id"
        if _has_entities(conn)
        else ""
    )
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in conn.execute(
        f"SELECT po.document_id, po.role, po.as_written, {entity} FROM project_organisations po "
        f"{joins} ORDER BY po.document_id, po.start, po.id"
    ):
        doc, role = row[0], row[1]
        if role in ROLES:
            item = dict(
                zip(("name", "entity_id", "entity", "kind", "unit", "org_nr"), tuple(row)[2:])
            )
            out.setdefault(doc, {r: [] for r in ROLES})[role].append(item)
    return out


def _goals(conn: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    columns = (
        "value",
        "value_max",
        "unit",
        "per",
        "what",
        "whom",
        "kind",
        "baseline",
        "time_condition",
        "gender_split",
        "section",
        "quote",
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(
        f"SELECT document_id, {', '.join(columns)} FROM goals ORDER BY document_id, ordinal"
    ):
        out.setdefault(row[0], []).append(dict(zip(columns, tuple(row)[1:])))
    return out


# ---------------------------------------------------------------- csv and jsonl


def _flat(project: dict[str, Any]) -> dict[str, Any]:
    """A project as one flat row: lists joined with LIST_SEPARATOR."""
    row = {
        k: v
        for k, v in project.items()
        if k not in ("municipalities", "organisations", "goals", "source_paths")
    }
    row["source_paths"] = LIST_SEPARATOR.join(project.get("source_paths", []))
    places = project["municipalities"]
    row["municipality_codes"] = LIST_SEPARATOR.join(m["code"] for m in places if m["code"])
    row["municipality_names"] = LIST_SEPARATOR.join(m["name"] for m in places)
    for role in ROLES:
        orgs = project["organisations"][role]
        row[f"{role}_names"] = LIST_SEPARATOR.join(o["name"] for o in orgs)
        row[f"{role}_entities"] = LIST_SEPARATOR.join(
            dict.fromkeys(o["entity"] for o in orgs if o["entity"])
        )
    row["goals"] = len(project["goals"])
    return row


def number_cell(value: Any, decimal: str = ".") -> Any:
    """A number as one CSV cell: whole numbers without decimals, others with two; no digit grouping.

    >>> number_cell(1873450.0), number_cell(49.2857), number_cell(12.5, ","), number_cell("x")
    ('1873450', '49.29', '12,50', 'x')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    return f"{value:.2f}".replace(".", decimal)


def _csv(header: list[str], rows: list[list[Any]], dialect: str = "standard") -> str:
    delimiter, decimal = DIALECTS[dialect]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else number_cell(v, decimal) for v in row] for row in rows])
    return buffer.getvalue()


def to_csv(projects: list[dict[str, Any]], dialect: str = "standard") -> str:
    """One row per project: project columns, municipalities and organisations by role."""
    rows = [_flat(p) for p in projects]
    header = list(rows[0]) if rows else list(_flat(_empty_project()))
    return _csv(header, [[row.get(c) for c in header] for row in rows], dialect)


def _empty_project() -> dict[str, Any]:
    return {"municipalities": [], "organisations": {r: [] for r in ROLES}, "goals": []}


def to_jsonl(projects: list[dict[str, Any]]) -> str:
    """One JSON object per line and project, lists as arrays (`extra_json` parsed into `extra`)."""
    lines = []
    for p in projects:
        record = {k: v for k, v in p.items() if k != "extra_json"}
        record["extra"] = json.loads(p["extra_json"]) if p.get("extra_json") else {}
        lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------- Kohesio


def _money(p: dict[str, Any]) -> tuple[Any, Any, str | None]:
    """(total budget, EU contribution, currency) in the currency the page states."""
    if p.get("total_budget_sek") is not None or p.get("esf_grant_sek") is not None:
        return p.get("total_budget_sek"), p.get("esf_grant_sek"), "SEK"
    if p.get("total_budget_eur") is not None or p.get("esf_grant_eur") is not None:
        return p.get("total_budget_eur"), p.get("esf_grant_eur"), "EUR"
    return None, None, None


def _nuts2(p: dict[str, Any]) -> list[str]:
    """The stated NUTS-2 code, else the region's, else those of the municipalities."""
    stated = p.get("nuts2") or p.get("region_nuts2")
    return (
        [stated]
        if stated
        else sorted({m["nuts2_code"] for m in p["municipalities"] if m["nuts2_code"]})
    )


def _fund(p: dict[str, Any]) -> str | None:
    """The fund in one vocabulary (`data/funds.csv`: ESF, ESF+), as stated or by programme period."""
    from .identity import fund_label

    return fund_label(p.get("fund"), _programme_period(p))


def _programme_period(p: dict[str, Any]) -> str | None:
    return p.get("programme_period") or LAYOUT_PROGRAMME.get(p.get("layout") or "")


def _project_id(p: dict[str, Any]) -> str:
    """The project's stable id (`projects.id`: its case number, else a hash of its identity key)."""
    return str(p["id"])


def _kohesio_row(p: dict[str, Any], region_names: dict[str, str]) -> list[Any]:
    total, eu, currency = _money(p)
    rate = p.get("union_cofinancing_rate_pct") or p.get("cofinancing_rate_derived_pct")
    owner = p["organisations"]["owner"]
    nuts = _nuts2(p)
    return [
        p.get("title"),
        total,
        eu,
        rate,
        currency,
        p.get("period_start"),
        p.get("period_end"),
        p.get("owner"),
        "Sweden",
        LIST_SEPARATOR.join(nuts),
        LIST_SEPARATOR.join(region_names.get(n, "") for n in nuts),
        LIST_SEPARATOR.join(m["name"] for m in p["municipalities"]),
        _fund(p),
        _programme_period(p),
        p.get("programme_area"),
        p.get("intervention_type"),
        _project_id(p),
        owner[0]["entity"] if owner else None,
        p.get("document_path"),
    ]


def to_kohesio_csv(projects: list[dict[str, Any]], dialect: str = "standard") -> str:
    """The Kohesio portal's project columns, one row per project."""
    regions = _nuts2_names()
    return _csv(list(KOHESIO_COLUMNS), [_kohesio_row(p, regions) for p in projects], dialect)


def _nuts2_names() -> dict[str, str]:
    from .extract.places import all_counties

    return {c["nuts2_code"]: c["nuts2_name"] for c in all_counties()}


# ---------------------------------------------------------------- IATI


def _narrative(text: Any) -> dict[str, Any]:
    return {"narrative": [{"text": str(text)}]}


def _identifiers(projects: list[dict[str, Any]]) -> list[str]:
    """IATI identifiers: prefix + case or project number (`/` is not allowed), unique per activity."""
    base = [f"{IATI_PREFIX}-{_project_id(p).replace('/', '-')}" for p in projects]
    return [
        b if base.count(b) == 1 else f"{b}-{p['document_id'][:8]}" for b, p in zip(base, projects)
    ]


def _participating_orgs(p: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for role in ROLES:
        for org in p["organisations"][role]:
            for code in IATI_ROLES[role]:
                item: dict[str, Any] = {
                    "role": code,
                    "type": IATI_ORG_TYPES.get(org["kind"] or "other", "90"),
                }
                if org["org_nr"] and role == "owner":
                    item["ref"] = (
                        f"SE-ON-{org['org_nr']}"  # org-id.guide: Swedish organisation number
                    )
                out.append(
                    {
                        **item,
                        **_narrative(org["entity"] or org["name"]),
                        "esfparse:as-written": org["name"],
                    }
                )
    if _fund(p):
        out.append({"role": "1", "type": "40", **_narrative(f"European Union – {_fund(p)}")})
    return out


def _dates(p: dict[str, Any]) -> list[dict[str, Any]]:
    # ActivityDateType 1 planned start, 3 planned end: the period a project page states is the granted plan.
    pairs = (("1", p.get("period_start")), ("3", p.get("period_end")))
    return [{"type": code, "iso-date": day} for code, day in pairs if day]


def _value(amount: Any, currency: str, day: str | None) -> dict[str, Any]:
    return {"currency": currency, **({"value-date": day} if day else {}), "value": amount}


def _budgets(p: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Budget (type 1 original, status 2 committed) and the ESF grant as an incoming commitment (type 11)."""
    total, grant, currency = _money(p)
    start, end = p.get("period_start"), p.get("period_end")
    budgets = (
        [
            {
                "type": "1",
                "status": "2",
                "period-start": {"iso-date": start},
                "period-end": {"iso-date": end},
                "value": _value(total, currency or "", start),
            }
        ]
        if total is not None and start and end
        else []
    )
    transactions = (
        [
            {
                "transaction-type": {"code": "11"},
                "transaction-date": {"iso-date": start},
                "value": _value(grant, currency or "", start),
                "provider-org": _narrative(f"European Union – {_fund(p) or 'ESF'}"),
                "description": _narrative(
                    "Granted EU support; dated at the project start (no decision date)."
                ),
            }
        ]
        if grant is not None and start
        else []
    )
    return budgets, transactions


def _locations(p: dict[str, Any]) -> list[dict[str, Any]]:
    """Municipalities with centroid coordinates (exactness 2 approximate, class 1 administrative region)."""
    out = []
    for m in p["municipalities"]:
        loc: dict[str, Any] = {
            "ref": f"SE-SCB-{m['code']}" if m["code"] else None,
            "location-reach": {"code": "1"},
            "name": _narrative(m["name"]),
            "administrative": [{"vocabulary": "A4", "level": "0", "code": "SE"}],
            "exactness": {"code": "2"},
            "location-class": {"code": "1"},
            "feature-designation": {"code": "ADM2"},
        }
        if m["latitude"] is not None:
            loc["point"] = {"srsName": WGS84, "pos": f"{m['latitude']} {m['longitude']}"}
        out.append({k: v for k, v in loc.items() if v is not None})
    return out


def _result(goal: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    """A goal as result -> indicator -> baseline / period target (or actual, for a reported result)."""
    title = goal["what"] or goal["quote"]
    detail = " ".join(
        filter(None, (goal["whom"], goal["per"] and f"per {goal['per']}", goal["time_condition"]))
    )
    value: dict[str, Any] = {"value": goal["value"]}
    if goal["value_max"] is not None:
        value["comment"] = _narrative(f"range {goal['value']:g}–{goal['value_max']:g}")
    period: dict[str, Any] = {
        "period-start": {"iso-date": p.get("period_start")},
        "period-end": {"iso-date": p.get("period_end")},
        ("actual" if goal["kind"] == "reported_result" else "target"): [value],
    }
    indicator: dict[str, Any] = {
        "measure": "2" if goal["unit"] == "percent" else "1",
        "ascending": "1",
        "title": _narrative(f"{title} ({detail})" if detail else title),
        "description": _narrative(goal["quote"]),
        "period": [period],
    }
    if goal["baseline"] is not None:
        indicator["baseline"] = [{"value": goal["baseline"]}]
    # ResultType: 1 output (planned counts and activities), 2 outcome (targets, reported results).
    return {
        "type": "1" if goal["kind"] == "planned_output" else "2",
        "aggregation-status": "0",
        "title": _narrative(title),
        "indicator": [indicator],
    }


def _iati_activity(p: dict[str, Any], identifier: str) -> dict[str, Any]:
    p = {**p, "fund": _fund(p)}
    budgets, transactions = _budgets(p)
    other_ids = [
        {"ref": p[k], "type": "A9"} for k in ("diarienummer", "project_number") if p.get(k)
    ]
    activity = {
        "iati-identifier": identifier,
        "default-currency": _money(p)[2],
        "xml:lang": "sv",
        "reporting-org": {
            "secondary-reporter": "1",
            **_narrative("esfparse (extracted from a public ESF project page)"),
        },
        "title": _narrative(p.get("title") or ""),
        "other-identifier": other_ids or None,
        "participating-org": _participating_orgs(p),
        "activity-date": _dates(p),
        "recipient-country": [{"code": "SE", "percentage": "100"}],
        "location": _locations(p),
        "budget": budgets,
        "transaction": transactions,
        "result": [_result(g, p) for g in p["goals"]],
        "esfparse:source": {"document-id": p["document_id"], "path": p.get("document_path")},
    }
    return {k: v for k, v in activity.items() if v not in (None, [])}


def to_iati_json(projects: list[dict[str, Any]]) -> str:
    """IATI-style activities as one JSON document: `{"iati-activities": {"iati-activity": [...]}}`."""
    activities = [_iati_activity(p, i) for p, i in zip(projects, _identifiers(projects))]
    data = {"iati-activities": {"version": "2.03", "iati-activity": activities}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
