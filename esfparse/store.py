"""SQLite storage through sqlite-utils: the schema and the per-document write.

Each document is written in one transaction keyed by its content hash: its old
child rows are deleted first, so running again is harmless, and a changed file
(same path, new hash) replaces the rows of its previous version.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from functools import cache
from typing import Any

import sqlite_utils

from .checks import keys_of
from .extract import places
from .fields import FIELDS
from .models import Extraction, Problem, Record, column_type

FTS_COLUMNS = {"sections": ["heading", "text"], "projects": ["title", "owner"]}
FTS_TOKENIZE = "unicode61 remove_diacritics 0"
# FTS5 `rank` of each index: bm25 with a weight per column (a word in a heading or title counts more).
FTS_RANK = {"sections": "bm25(3.0, 1.0)", "projects": "bm25(4.0, 2.0)"}
DUPLICATE_COPY = (
    "read.duplicate"  # a byte copy: its row keeps the copy's path, so both paths are findable
)
CHILD_TABLES = (
    "project_organisations",
    "project_municipalities",
    "sections",
    "goal_breakdowns",
    "goals",
    "people",
    "links",
    "evidence",
    "problems",
    "presentations",
    "reports",
    "calls",
    "project_pages",
    "project_keys",
)

# Every join and filter of the canned queries, views, facets and cross-document passes has an index,
# so that none of them scans a large table once per row of another (tests/test_plans.py checks).
INDEXES: tuple[tuple[str, list[str]], ...] = (
    *((t, ["document_id"]) for t in CHILD_TABLES if t != "problems"),
    ("goal_breakdowns", ["goal_id"]),
    ("project_keys", ["key"]),
    ("documents", ["path"]),
    ("documents", ["kind"]),
    ("problems", ["document_id"]),
    ("problems", ["path"]),
    ("problems", ["code"]),
    ("project_municipalities", ["municipality_code", "document_id"]),
    ("project_organisations", ["organisation_id", "role"]),
    ("project_organisations", ["role"]),
    ("projects", ["region_nuts2"]),
    ("projects", ["region"]),
    ("projects", ["programme_area"]),
    ("projects", ["phase"]),
    ("projects", ["layout"]),
    ("projects", ["owner"]),
    ("projects", ["diarienummer"]),
    ("projects", ["project_number"]),
    ("projects", ["programme_period"]),
    ("projects", ["document_id"]),
    ("project_sources", ["project_id"]),
    ("project_field_choices", ["project_id"]),
    ("project_pages", ["diarienummer"]),
    ("project_pages", ["project_number"]),
    ("organisations", ["key"]),
    ("municipalities", ["name"]),
    ("municipalities", ["county_code"]),
    ("projects", ["utlysning"]),
    ("calls", ["diarienummer"]),
    ("goals", ["document_id", "kind"]),
    ("report_links", ["project_id"]),
    ("report_links", ["document_id"]),
    ("goal_results", ["goal_id", "link_id"]),
    ("goal_results", ["link_id"]),
    ("goal_results", ["result_id"]),
    # the materialised map table (serve.refresh_materialised): its sort, facets and links
    ("project_places", ["title"]),
    ("project_places", ["municipality"]),
    ("project_places", ["county"]),
    ("project_places", ["region"]),
    ("project_places", ["project_id"]),
    ("project_places", ["municipality_code"]),
)

_SCHEMA: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "documents": (
        {
            "sha256": str,
            "path": str,
            "format": str,
            "kind": str,
            "kind_confidence": float,
            "kind_reason": str,
            "layout": str,
            "title": str,
            "encoding": str,
            "chars": int,
            "pages": int,
            "truncated": int,
            "parser_version": str,
            "ingested_at": str,
        },
        {"pk": "sha256"},
    ),
    "project_pages": (
        {
            "id": str,
            "document_id": str,
            **{f.column_name: column_type(f.name) for f in FIELDS if "P" in f.flags},
            "truncated": int,
            "extra_json": str,
        },
        {
            "pk": "id",
            "foreign_keys": [
                ("document_id", "documents", "sha256"),
                ("region_nuts2", "nuts2_regions", "code"),
            ],
        },
    ),
    "presentations": (
        {
            "id": str,
            "document_id": str,
            "title": str,
            "owner": str,
            "diarienummer": str,
            "project_number": str,
            "truncated": int,
            "tables_json": str,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "reports": (
        {
            "id": str,
            "document_id": str,
            "title": str,
            "document_title": str,
            "owner": str,
            "diarienummer": str,
            "project_number": str,
            "period_start": str,
            "period_end": str,
            "total_budget_sek": int,
            "esf_grant_sek": int,
            "truncated": int,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "calls": (
        {
            "id": str,
            "document_id": str,
            "title": str,
            "diarienummer": str,
            "programme_area": str,
            "programme_area_code": str,
            "region": str,
            "region_nuts2": str,
            "call_opens": str,
            "call_closes": str,
            "call_budget_sek": int,
            "call_cofinancing_rate_pct": float,
            "truncated": int,
        },
        {
            "pk": "id",
            "foreign_keys": [
                ("document_id", "documents", "sha256"),
                ("region_nuts2", "nuts2_regions", "code"),
            ],
        },
    ),
    "organisations": ({"id": int, "name": str, "key": str}, {"pk": "id"}),
    "project_organisations": (
        {
            "id": str,
            "document_id": str,
            "organisation_id": int,
            "role": str,
            "as_written": str,
            "source": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {
            "pk": "id",
            "foreign_keys": [
                ("document_id", "documents", "sha256"),
                ("organisation_id", "organisations", "id"),
            ],
        },
    ),
    "nuts2_regions": ({"code": str, "name": str}, {"pk": "code"}),
    "counties": (
        {"code": str, "name": str, "nuts2_code": str},
        {"pk": "code", "foreign_keys": [("nuts2_code", "nuts2_regions", "code")]},
    ),
    "municipalities": (
        {
            "code": str,
            "name": str,
            "county_code": str,
            "nuts2_code": str,
            "full_name": str,
            "latitude": float,
            "longitude": float,
        },
        {
            "pk": "code",
            "foreign_keys": [
                ("county_code", "counties", "code"),
                ("nuts2_code", "nuts2_regions", "code"),
            ],
        },
    ),
    "project_municipalities": (
        {
            "id": str,
            "document_id": str,
            "municipality_code": str,
            "as_written": str,
            "source": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {
            "pk": "id",
            "foreign_keys": [
                ("document_id", "documents", "sha256"),
                ("municipality_code", "municipalities", "code"),
            ],
        },
    ),
    "sections": (
        {
            "id": str,
            "document_id": str,
            "ordinal": int,
            "heading": str,
            "text": str,
            "truncated": int,
            "start": int,
            "end": int,
            "page": int,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "goals": (
        {
            "id": str,
            "document_id": str,
            "ordinal": int,
            "value": float,
            "value_max": float,
            "unit": str,
            "comparator": str,
            "per": str,
            "what": str,
            "whom": str,
            "kind": str,
            "baseline": float,
            "time_condition": str,
            "gender_split": str,
            "section": str,
            "source": str,
            "quote": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "goal_breakdowns": (
        {
            "id": str,
            "goal_id": str,
            "document_id": str,
            "label": str,
            "value": float,
            "start": int,
            "end": int,
        },
        {
            "pk": "id",
            "foreign_keys": [("goal_id", "goals", "id"), ("document_id", "documents", "sha256")],
        },
    ),
    "people": (
        {
            "id": str,
            "document_id": str,
            "name": str,
            "role": str,
            "organisation": str,
            "email": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "links": (
        {
            "id": str,
            "document_id": str,
            "kind": str,
            "value": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "evidence": (
        {
            "id": str,
            "document_id": str,
            "field": str,
            "value": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {"pk": "id", "foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "problems": (
        {
            "id": int,
            "document_id": str,
            "path": str,
            "code": str,
            "severity": str,
            "message": str,
            "field": str,
            "start": int,
            "end": int,
            "page": int,
        },
        {"pk": "id"},
    ),
    "project_keys": (
        {"document_id": str, "key": str},
        {"foreign_keys": [("document_id", "documents", "sha256")]},
    ),
    "pending_keys": ({"key": str}, {"pk": "key"}),
    "ingest_runs": (
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "paths": str,
            "files": int,
            "ingested": int,
            "unchanged": int,
            "failed": int,
            "seconds": float,
            "workers": int,
        },
        {"pk": "id"},
    ),
}


# Tables the Writer indexes per batch; `projects` is rebuilt whole by `identity.rebuild_projects`.
BATCH_FTS = ("sections",)


def refresh_fts(db: sqlite_utils.Database | Any, table: str) -> None:
    """Create `table`'s full-text index if missing and rebuild it from the table's current rows."""
    db = db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(db)
    if not db[f"{table}_fts"].exists():
        db.table(table).enable_fts(FTS_COLUMNS[table], create_triggers=False, tokenize=FTS_TOKENIZE)
        db.execute(
            f"insert into [{table}_fts] ([{table}_fts], rank) values ('rank', ?)", [FTS_RANK[table]]
        )
    db.execute(f"insert into [{table}_fts] ([{table}_fts]) values ('rebuild')")


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating if needed) an esfparse database with its schema and reference tables."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, reference rows and full-text indexes."""
    order = [
        "nuts2_regions",
        "counties",
        "municipalities",
        "documents",
        *[
            t
            for t in _SCHEMA
            if t not in ("nuts2_regions", "counties", "municipalities", "documents")
        ],
    ]
    created: set[str] = set()
    with db.atomic():
        for name in order:
            columns, options = _SCHEMA[name]
            if not db[name].exists():
                db.create_table(name, columns, **options)
                created.add(name)
                continue
            existing = set(db[name].columns_dict)
            for (
                column,
                kind,
            ) in columns.items():  # a database made by an older version: add new columns
                if column not in existing:
                    db.table(name).add_column(column, kind)
        if not db["municipalities"].count:
            _load_reference(db)
        from .linking import ensure_tables

        ensure_tables(db.conn)
        if "project_keys" in created and "project_pages" not in created:
            _backfill_keys(db)
    for table in BATCH_FTS:
        if not db[f"{table}_fts"].exists():
            db.table(table).enable_fts(
                FTS_COLUMNS[table], create_triggers=True, tokenize=FTS_TOKENIZE
            )
        # Deletes and updates keep the index in step through triggers; inserts are indexed by the Writer
        # in one statement per batch, which costs a tenth of a per-row insert trigger.
        db.execute(f"drop trigger if exists [{table}_ai]")
        rank = db.execute(f"select v from [{table}_fts_config] where k = 'rank'").fetchall()
        if rank != [(FTS_RANK[table],)]:
            db.execute(
                f"insert into [{table}_fts] ([{table}_fts], rank) values ('rank', ?)",
                [FTS_RANK[table]],
            )
    create_indexes(db)


def _backfill_keys(db: sqlite_utils.Database) -> None:
    """A database made before `project_keys`: its projects' keys, all pending, streamed in batches."""
    rows = db.execute(
        "select document_id, diarienummer, project_number, title, owner from project_pages"
    )
    while batch := rows.fetchmany(1000):
        keys = [
            (sha, f"{kind}:{value}") for sha, *values in batch for kind, value in keys_of(*values)
        ]
        db.conn.executemany("insert into project_keys (document_id, key) values (?, ?)", keys)
        db.conn.executemany(
            "insert or ignore into pending_keys (key) values (?)", [(k,) for _, k in keys]
        )


def create_indexes(db: sqlite_utils.Database | Any) -> None:
    """Create the missing indexes of `INDEXES` (on tables and columns that exist)."""
    db = db if isinstance(db, sqlite_utils.Database) else sqlite_utils.Database(db)
    tables = set(db.table_names())  # not views (project_places was one in older databases)
    for table, cols in INDEXES:
        if table in tables and set(cols) <= set(db[table].columns_dict):
            db.table(table).create_index(cols, if_not_exists=True)


ANALYSIS_LIMIT = (
    1000  # rows ANALYZE samples per index: statistics close enough, in a second at a million rows
)


def optimize(db: sqlite_utils.Database) -> None:
    """After an ingest: every index present (tables rebuilt by a pass get theirs back) and fresh statistics,
    so that the query planner uses the indexes (ANALYZE, sampled)."""
    create_indexes(db)
    db.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    db.analyze()


def _load_reference(db: sqlite_utils.Database) -> None:
    counties = places.all_counties()
    regions = {c["nuts2_code"]: c["nuts2_name"] for c in counties}
    db.table("nuts2_regions").insert_all(
        [{"code": k, "name": v} for k, v in sorted(regions.items())], replace=True
    )
    db.table("counties").insert_all(
        [{"code": c["code"], "name": c["name"], "nuts2_code": c["nuts2_code"]} for c in counties],
        replace=True,
    )
    db.table("municipalities").insert_all(
        [
            {
                "code": m.code,
                "name": m.name,
                "county_code": m.county_code,
                "nuts2_code": m.nuts2_code,
                "full_name": m.full_name,
                "latitude": m.latitude,
                "longitude": m.longitude,
            }
            for m in places.all_municipalities()
        ],
        replace=True,
    )


def is_current(db: sqlite_utils.Database, sha256: str, path: str, parser_version: str) -> bool:
    """True when this exact content was already stored by this parser version."""
    return current_path(db, sha256, parser_version) is not None


def path_of(db: sqlite_utils.Database, sha256: str) -> str:
    """The path a stored document was read from."""
    row = db.execute("select path from documents where sha256 = ?", [sha256]).fetchone()
    return row[0] if row else "?"


def current_path(db: sqlite_utils.Database, sha256: str, parser_version: str) -> str | None:
    """The path under which this exact content was stored by this parser version, or None."""
    rows = db.execute(
        "select parser_version, path from documents where sha256 = ?", [sha256]
    ).fetchall()
    return rows[0][1] if rows and rows[0][0] == parser_version else None


def delete_document(db: sqlite_utils.Database, sha256: str) -> None:
    """Remove a document and every row derived from it."""
    for table in CHILD_TABLES:
        db.execute(f"delete from [{table}] where document_id = ?", [sha256])
    db.execute("delete from documents where sha256 = ?", [sha256])


Rows = dict[str, list[dict[str, Any]]]


def prepare_rows(ex: Extraction, parser_version: str) -> Rows:
    """Every row one extraction becomes, by table: pure, so worker processes can build it."""
    sha, r = ex.document.sha256, ex.record
    d = ex.document
    rows: Rows = {t: [] for t in (*CHILD_TABLES, "documents")}
    rows["documents"].append(
        {
            "sha256": sha,
            "path": d.path,
            "format": d.format,
            "kind": r.kind,
            "kind_confidence": r.kind_confidence,
            "kind_reason": r.kind_reason,
            "layout": r.layout,
            "title": r.title,
            "encoding": d.encoding,
            "chars": d.chars,
            "pages": d.pages,
            "truncated": int(r.truncated),
            "parser_version": parser_version,
            "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
    )
    if r.kind == "project_page":
        rows["project_pages"].append(_project_row(sha, r))
        rows["project_keys"] = [
            {"document_id": sha, "key": f"{kind}:{value}"}
            for kind, value in keys_of(r.diarienummer, r.project_number, r.title, r.owner)
        ]
    elif r.kind == "presentation":
        rows["presentations"].append(
            {
                "id": sha,
                "document_id": sha,
                "title": r.title,
                "owner": r.owner,
                "diarienummer": r.diarienummer,
                "project_number": r.project_number,
                "truncated": int(r.truncated),
                "tables_json": json.dumps(r.tables, ensure_ascii=False) if r.tables else None,
            }
        )
    elif r.kind == "report":
        rows["reports"].append(_report_row(sha, r))
    elif r.kind == "call":
        rows["calls"].append(_call_row(sha, r))
    rows["project_organisations"] = _organisation_rows(sha, r)
    rows["project_municipalities"] = [
        {
            "id": f"{sha[:16]}-m{i}",
            "document_id": sha,
            "municipality_code": m.code,
            "as_written": m.as_written,
            "source": m.source,
            "start": m.evidence.start,
            "end": m.evidence.end,
            "page": m.evidence.page,
        }
        for i, m in enumerate(r.municipalities)
    ]
    rows["sections"] = [
        {
            "id": f"{sha[:16]}-s{i}",
            "document_id": sha,
            "ordinal": i,
            "heading": s.heading,
            "text": s.text,
            "truncated": int(s.truncated),
            "start": s.evidence.start,
            "end": s.evidence.end,
            "page": s.evidence.page,
        }
        for i, s in enumerate(r.sections)
    ]
    rows["goals"], rows["goal_breakdowns"] = _goal_rows(sha, r)
    rows["people"] = [
        {
            "id": f"{sha[:16]}-p{i}",
            "document_id": sha,
            "name": p.name,
            "role": p.role,
            "organisation": p.organisation,
            "email": p.email,
            "start": p.evidence.start,
            "end": p.evidence.end,
            "page": p.evidence.page,
        }
        for i, p in enumerate(r.people)
    ]
    links = (
        [("email", x) for x in r.emails]
        + [("url", x) for x in r.urls]
        + [("date", x) for x in r.dates]
    )
    rows["links"] = [
        {
            "id": f"{sha[:16]}-l{i}",
            "document_id": sha,
            "kind": kind,
            "value": x.value,
            "start": x.evidence.start,
            "end": x.evidence.end,
            "page": x.evidence.page,
        }
        for i, (kind, x) in enumerate(links)
    ]
    rows["evidence"] = [
        {
            "id": f"{sha[:16]}-{name}",
            "document_id": sha,
            "field": name,
            "value": _scalar(getattr(r, name, None)),
            "start": ev.start,
            "end": ev.end,
            "page": ev.page,
        }
        for name, ev in sorted(r.evidence.items())
    ]
    rows["problems"] = _problem_rows(ex.problems, sha, d.path)
    return rows


def _pct(v: float | None) -> float | None:
    return None if v is None else round(v * 100, 2)


def _scalar(v: Any) -> str | None:
    return None if v is None else str(v)


_DUMPED = frozenset(f.name for f in FIELDS if "P" in f.flags and f.name == f.column_name)


def _project_row(sha: str, r: Record) -> dict[str, Any]:
    row = r.model_dump(include=set(_DUMPED))
    row.update(
        {
            "id": sha,
            "document_id": sha,
            "national": int(r.national),
            "truncated": int(r.truncated),
            "period_start": r.period_start.isoformat() if r.period_start else None,
            "period_end": r.period_end.isoformat() if r.period_end else None,
            "cofinancing_rate_derived_pct": _pct(r.cofinancing_rate_derived),
            "union_cofinancing_rate_pct": _pct(r.union_cofinancing_rate),
            "extra_json": json.dumps(r.extra, ensure_ascii=False) if r.extra else None,
        }
    )
    return row


def _iso(v: Any) -> str | None:
    return v.isoformat() if v is not None else None


def _report_row(sha: str, r: Record) -> dict[str, Any]:
    row = r.model_dump(
        include={
            "title",
            "document_title",
            "owner",
            "diarienummer",
            "project_number",
            "total_budget_sek",
            "esf_grant_sek",
        }
    )
    row.update(
        id=sha,
        document_id=sha,
        period_start=_iso(r.period_start),
        period_end=_iso(r.period_end),
        truncated=int(r.truncated),
    )
    return row


def _call_row(sha: str, r: Record) -> dict[str, Any]:
    row = r.model_dump(
        include={
            "title",
            "diarienummer",
            "programme_area",
            "programme_area_code",
            "region",
            "region_nuts2",
            "call_budget_sek",
        }
    )
    row.update(
        id=sha,
        document_id=sha,
        call_opens=_iso(r.call_opens),
        call_closes=_iso(r.call_closes),
        call_cofinancing_rate_pct=_pct(r.call_cofinancing_rate),
        truncated=int(r.truncated),
    )
    return row


def organisation_key(name: str) -> str:
    """Case- and space-insensitive key under which organisation names are merged."""
    return " ".join(name.casefold().split())


# roles only the relation layer gives: stored beside the lists' roles (partners and co-financiers are there already)
_PROSE_ONLY_ROLES = ("funder", "target_authority", "venue")


def _organisation_rows(sha: str, r: Record) -> list[dict[str, Any]]:
    refs: list[tuple[str, str, str, Any]] = []
    if r.owner:
        refs.append((r.owner, "owner", "header", r.evidence.get("owner")))
    refs += [
        (o.name, o.role, o.source, o.evidence)
        for o in [*r.co_financiers, *r.partners, *r.organisations]
    ]
    refs += [
        (x.name, x.role, "text", x.evidence) for x in r.relations if x.role in _PROSE_ONLY_ROLES
    ]
    return [
        {
            "id": f"{sha[:16]}-o{i}",
            "document_id": sha,
            "organisation_id": None,
            "_name": name,
            "role": role,
            "as_written": name,
            "source": source,
            "start": ev.start if ev else None,
            "end": ev.end if ev else None,
            "page": ev.page if ev else None,
        }
        for i, (name, role, source, ev) in enumerate(refs)
    ]


def _goal_rows(sha: str, r: Record) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    goals, breakdowns = [], []
    for i, g in enumerate(r.goals):
        gid = f"{sha[:16]}-g{i}"
        goals.append(
            {
                "id": gid,
                "document_id": sha,
                "ordinal": i,
                "value": g.value,
                "value_max": g.value_max,
                "unit": g.unit,
                "comparator": g.comparator,
                "per": g.per,
                "what": g.what,
                "whom": g.whom,
                "kind": g.kind,
                "baseline": g.baseline,
                "time_condition": g.time_condition,
                "gender_split": g.gender_split,
                "section": g.section,
                "source": g.source,
                "quote": g.quote,
                "start": g.evidence.start,
                "end": g.evidence.end,
                "page": g.evidence.page,
            }
        )
        breakdowns += [
            {
                "id": f"{gid}-b{j}",
                "goal_id": gid,
                "document_id": sha,
                "label": b.label,
                "value": b.value,
                "start": b.evidence.start if b.evidence else None,
                "end": b.evidence.end if b.evidence else None,
            }
            for j, b in enumerate(g.breakdowns)
        ]
    return goals, breakdowns


Packed = tuple[str, str, dict[str, list[tuple[Any, ...]]], list[str]]


def pack_rows(rows: Rows) -> Packed:
    """(sha256, path, table -> value tuples in column order, organisation names): cheap to send between processes."""
    doc = rows["documents"][0]
    tables = {
        t: [_values(t, r) for r in rows[t]] for t in ("documents", *CHILD_TABLES) if rows.get(t)
    }
    return (
        doc["sha256"],
        doc["path"],
        tables,
        [r["_name"] for r in rows.get("project_organisations", [])],
    )


# The identity keys of a document written or removed since the last cross-document pass
# (`ingest.store_duplicates`), committed with the document: a killed run leaves them for the next one.
_PENDING_SQL = (
    "insert or ignore into pending_keys (key) select key from project_keys where document_id = ?"
)


WRITER_CACHE_KB = 64 * 1024


class Writer:
    """The single writer: one savepoint per document inside batched transactions."""

    def __init__(self, db: sqlite_utils.Database, batch: int = 50):
        self.db, self.batch = db, batch
        self.batch_shas: list[str] = []  # documents written since the last commit
        self.count = (
            0  # documents written in all, committed or to be committed by the next commit()
        )
        self._orgs = {
            row[0]: row[1] for row in db.execute("select key, id from organisations").fetchall()
        }
        self._sql = {t: _insert_sql(t) for t in _SCHEMA}
        self._org_column = _columns("project_organisations").index("organisation_id")
        # A bulk load touches index pages all over the file (keys are hashes): a page cache of its own
        # keeps them in memory, at a fixed cost (SQLite's default is 2 MB).
        db.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KB}")
        # Content hashes written by this writer, in SQLite rather than a set: memory stays flat at a million.
        db.execute("create temp table if not exists written (sha256 text primary key)")

    def written(self, sha: str) -> bool:
        """True when this writer already stored this content (under any path)."""
        return bool(
            self.db.conn.execute("select 1 from temp.written where sha256 = ?", [sha]).fetchone()
        )

    def write(self, rows: Rows | Packed) -> None:
        """Store one document's rows, replacing its earlier versions; atomic per document."""
        sha, path, tables, org_names = rows if isinstance(rows, tuple) else pack_rows(rows)
        conn = self.db.conn
        if not conn.in_transaction:
            conn.execute("BEGIN")
        conn.execute("SAVEPOINT doc")
        try:
            self._replace(sha, path)
            if org_names:
                i = self._org_column
                tables["project_organisations"] = [
                    (*row[:i], self._organisation_id(name), *row[i + 1 :])
                    for row, name in zip(tables["project_organisations"], org_names, strict=True)
                ]
            for table, values in tables.items():
                conn.executemany(self._sql[table], values)
            if "project_keys" in tables:
                conn.execute(_PENDING_SQL, [sha])
            conn.execute("insert or ignore into temp.written (sha256) values (?)", [sha])
        except BaseException:
            conn.execute("ROLLBACK TO SAVEPOINT doc")
            conn.execute("RELEASE SAVEPOINT doc")
            raise
        conn.execute("RELEASE SAVEPOINT doc")
        self.count += 1
        self.batch_shas.append(sha)
        if len(self.batch_shas) >= self.batch:
            self.commit()

    def commit(self) -> None:
        """Index the batch's new rows for full-text search, then commit the batch."""
        self._index()
        if self.db.conn.in_transaction:
            self.db.conn.execute("COMMIT")

    def _index(self) -> None:
        """Full-text index the rows of the documents written since the last index, in one statement a table."""
        shas = list(dict.fromkeys(self.batch_shas))
        if shas:
            marks = ", ".join("?" for _ in shas)
            for table in BATCH_FTS:
                cols = ", ".join(f"[{c}]" for c in FTS_COLUMNS[table])
                self.db.conn.execute(
                    f"insert into [{table}_fts] (rowid, {cols}) select rowid, {cols} from [{table}] "
                    f"where document_id in ({marks})",
                    shas,
                )
        self.batch_shas = []

    def _replace(self, sha: str, path: str) -> None:
        old = self.db.execute(
            "select sha256 from documents where path = ? or sha256 = ?", [path, sha]
        ).fetchall()
        if any(o in self.batch_shas for (o,) in old):
            self._index()  # the delete triggers expect indexed rows
        for (old_sha,) in old:
            self.db.execute(_PENDING_SQL, [old_sha])  # its projects' other pages are checked again
            delete_document(self.db, old_sha)  # a re-run, or the file changed: drop earlier rows
        self.db.execute(
            "delete from problems where (document_id is null or code = ?) and path = ?",
            [DUPLICATE_COPY, path],
        )

    def _organisation_id(self, name: str) -> int:
        key = organisation_key(name)
        if key not in self._orgs:
            cur = self.db.execute(
                "insert into organisations (name, key) values (?, ?)", [name.strip(), key]
            )
            assert cur.lastrowid is not None  # an insert sets it
            self._orgs[key] = cur.lastrowid
        return self._orgs[key]


@cache
def _columns(table: str) -> list[str]:
    """Inserted columns of a table, in schema order (auto-increment ids left to SQLite)."""
    return [
        c
        for c in _SCHEMA[table][0]
        if not (table in ("problems", "ingest_runs", "organisations") and c == "id")
    ]


def _insert_sql(table: str) -> str:
    columns = _columns(table)
    names = ", ".join(f"[{c}]" for c in columns)
    return f"insert into [{table}] ({names}) values ({', '.join('?' for _ in columns)})"


def _values(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(c) for c in _columns(table))


def store_extraction(db: sqlite_utils.Database, ex: Extraction, parser_version: str) -> None:
    """Write one document's extraction in its own transaction, replacing older rows, and rebuild `projects`."""
    from .identity import rebuild_projects

    writer = Writer(db, batch=1)
    writer.write(prepare_rows(ex, parser_version))
    writer.commit()
    rebuild_projects(db)  # one project row per project, as every ingest ends with


def _problem_rows(problems: Iterable[Problem], sha: str | None, path: str) -> list[dict[str, Any]]:
    return [
        {
            "document_id": sha,
            "path": path,
            "code": p.code,
            "severity": p.severity,
            "message": p.message,
            "field": p.field,
            "start": p.evidence.start if p.evidence else None,
            "end": p.evidence.end if p.evidence else None,
            "page": p.evidence.page if p.evidence else None,
        }
        for p in problems
    ]


def insert_problems(
    db: sqlite_utils.Database, problems: Iterable[Problem], sha: str | None, path: str
) -> None:
    """Store problems for a document (or, with sha=None, for a file that could not be read)."""
    rows = _problem_rows(problems, sha, path)
    if rows:
        db.conn.executemany(_insert_sql("problems"), [_values("problems", r) for r in rows])


def store_failure(
    db: sqlite_utils.Database, path: str, reason: str, code: str = "read.unreadable"
) -> None:
    """Record a file that could not be read or parsed, replacing an earlier failure row for the same path."""
    with db.atomic():
        db.table("problems").delete_where("document_id is null and path = ?", [path])
        insert_problems(db, [Problem(code=code, severity="error", message=reason)], None, path)


def store_duplicate(db: sqlite_utils.Database, sha256: str, path: str, first: str) -> None:
    """Record that the file at `path` holds the same bytes as the document stored under `first`."""
    with db.atomic():
        db.execute("delete from problems where code = ? and path = ?", [DUPLICATE_COPY, path])
        insert_problems(
            db,
            [
                Problem(
                    code=DUPLICATE_COPY,
                    severity="info",
                    message=f"The same bytes as {first}; stored once, under that path.",
                )
            ],
            sha256,
            path,
        )


def log_run(
    db: sqlite_utils.Database,
    started: float,
    paths: list[str],
    counts: dict[str, int],
    workers: int,
) -> None:
    """Append one row to ingest_runs."""
    db.table("ingest_runs").insert(
        {
            "started_at": datetime.fromtimestamp(started, timezone.utc).isoformat(
                timespec="seconds"
            ),
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "paths": json.dumps(paths, ensure_ascii=False),
            "files": counts.get("files", 0),
            "ingested": counts.get("ingested", 0),
            "unchanged": counts.get("unchanged", 0),
            "failed": counts.get("failed", 0),
            "seconds": round(time.time() - started, 3),
            "workers": workers,
        }
    )


def row_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per table (FTS shadow tables and SQLite's statistics excluded)."""
    return {
        t: db[t].count for t in db.table_names() if "_fts" not in t and not t.startswith("sqlite_")
    }
