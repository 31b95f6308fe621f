"""Reports and write-ups linked to the project pages they are about; goals paired with results.

`rebuild_links(db)` (re)creates two tables after every ingest:

- `report_links`: one row per (report or write-up, project) that belong together. A link is made by
  the project identity key of `identity.py` first — the document's diarienummer or project number
  is the project's case number (`case_number`), or its title, owner and programme period give the
  project's name key (`name_key`) — else by title and owner: the normalised titles must reach
  `TITLE_MIN_SCORE` (rapidfuzz token-sort ratio, 0-100) and, when both name an owner, the owners
  `OWNER_MIN_SCORE` (token-set ratio, so `Krokoms kommun` matches `Krokoms kommun, Kommunstyrelsen`);
  a document that names no owner needs the exact normalised title. The method, score and the values
  compared are kept as evidence.
- `goal_results`: each goal the project page states (target, planned output) beside the reported
  result of the linked document that measures the same thing: same unit, and the most similar
  `what` (token-set ratio ≥ `PAIR_MIN_SCORE`), each result used once.

>>> normalise_title("Projekt ArbetsRätt – genomförande")
'arbetsrätt'
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from rapidfuzz import fuzz, process

from .identity import case_keys, name_key, programme_period_of

TITLE_MIN_SCORE = 90.0
OWNER_MIN_SCORE = 80.0
PAIR_MIN_SCORE = 55.0
_NOISE_WORDS = frozenset(
    {
        "projekt",
        "projektet",
        "esf-projekt",
        "esf-projektet",
        "genomförande",
        "förstudie",
        "förprojektering",
        "slutrapport",
    }
)
_TABLES = (
    "CREATE TABLE IF NOT EXISTS report_links (id TEXT PRIMARY KEY, document_id TEXT REFERENCES documents(sha256), "
    "project_id TEXT REFERENCES projects(id), method TEXT, score REAL, evidence TEXT)",
    "CREATE TABLE IF NOT EXISTS goal_results (id TEXT PRIMARY KEY, link_id TEXT REFERENCES report_links(id), "
    "project_id TEXT REFERENCES projects(id), goal_id TEXT REFERENCES goals(id), "
    "result_id TEXT REFERENCES goals(id), score REAL)",
)  # indexes: store.INDEXES, created after every ingest
_DDL = ("DROP TABLE IF EXISTS goal_results", "DROP TABLE IF EXISTS report_links", *_TABLES)


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Create the (empty) link tables when missing, so that the views over them always resolve."""
    for statement in _TABLES:
        conn.execute(statement)


def normalise_title(text: str | None) -> str:
    """Casefolded words without punctuation, project and phase words (`Projekt X - genomförande` → `x`)."""
    words = re.sub(r"[^\w+-]+", " ", unicodedata.normalize("NFC", text or "").casefold()).split()
    return " ".join(w for w in words if w not in _NOISE_WORDS and w.strip("-"))


def _words(text: str) -> str:
    """Casefolded words without punctuation: `Krokoms kommun, Kommunstyrelsen` → `krokoms kommun kommunstyrelsen`."""
    return " ".join(re.sub(r"[^\w-]+", " ", unicodedata.normalize("NFC", text).casefold()).split())


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict[str, Any]]:
    cur = conn.execute(sql)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _documents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Reports and write-ups with what identifies the project they are about."""
    return _rows(
        conn,
        "select document_id, title, owner, diarienummer, project_number, period_start from reports "
        "union all select document_id, title, owner, diarienummer, project_number, null "
        "from presentations",
    )


class _Projects:
    """Every project's case keys, name key and normalised title, computed once for all documents."""

    def __init__(self, projects: list[dict[str, Any]]) -> None:
        self.rows = projects
        self.cases = [
            set(case_keys(p.get("diarienummer"), p.get("project_number"))) for p in projects
        ]
        self.by_case: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        for i, (p, cases) in enumerate(zip(projects, self.cases, strict=True)):
            for case in cases:
                self.by_case.setdefault(case, []).append(i)
            key = name_key(
                p.get("title"), p.get("owner"), p.get("programme_period"), p.get("period_start")
            )
            if key:
                self.by_name.setdefault(key.key, []).append(i)
        self.titles = [normalise_title(p.get("title")) for p in projects]
        self.unnumbered = [i for i, cases in enumerate(self.cases) if not cases]


def link_for(
    doc: dict[str, Any], projects: list[dict[str, Any]] | _Projects
) -> list[dict[str, Any]]:
    """The links of one report or write-up to the project pages it is about (possibly none)."""
    index = projects if isinstance(projects, _Projects) else _Projects(projects)
    found = _by_identity_key(doc, index)
    if found or not doc.get("title"):
        return found
    title = normalise_title(doc["title"])
    if not title:
        return found
    numbered = case_keys(doc.get("diarienummer"), doc.get("project_number"))
    candidates = (
        index.unnumbered if numbered else range(len(index.rows))
    )  # never across two case numbers
    titles = [index.titles[i] for i in candidates]
    hits = process.extract(
        title,
        titles,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=TITLE_MIN_SCORE,
        limit=None,
        processor=None,
    )
    for _, score, at in sorted(
        hits, key=lambda hit: hit[2]
    ):  # in project order, as one loop over them
        p = index.rows[candidates[at]]
        evidence = f"title {doc['title']!r} ~ {p.get('title')!r} ({score:.0f})"
        if doc.get("owner") and p.get("owner"):
            owner = fuzz.token_set_ratio(_words(doc["owner"]), _words(p["owner"]))
            if owner < OWNER_MIN_SCORE:
                continue
            evidence += f"; owner {doc['owner']!r} ~ {p['owner']!r} ({owner:.0f})"
            found.append(_link(doc, p, "title_owner", min(score, owner), evidence))
        elif score == 100:
            found.append(_link(doc, p, "title", score, evidence + "; no owner to compare"))
    return found


def _by_identity_key(doc: dict[str, Any], index: _Projects) -> list[dict[str, Any]]:
    """Projects sharing the document's case number, else its name key (title, owner, programme period)."""
    cases = set(case_keys(doc.get("diarienummer"), doc.get("project_number")))
    hits = sorted({i for case in cases for i in index.by_case.get(case, [])})
    found = [
        _link(
            doc,
            index.rows[i],
            "case_number",
            100.0,
            f"identity key {', '.join(sorted(cases & index.cases[i]))}",
        )
        for i in hits
    ]
    if found or cases:
        return found  # a document with a case number joins by name only projects without one (link_for)
    period = programme_period_of(None, None, None, None, doc.get("period_start"))[0]
    key = (
        name_key(doc.get("title"), doc.get("owner"), period, doc.get("period_start"))
        if period
        else None
    )
    if key is None or not key.key.startswith("name:"):
        return []
    return [
        _link(doc, index.rows[i], "name_key", 100.0, f"identity key {key.key}")
        for i in index.by_name.get(key.key, [])
    ]


def _link(
    doc: dict[str, Any], project: dict[str, Any], method: str, score: float, evidence: str
) -> dict[str, Any]:
    return {
        "id": f"{doc['document_id'][:16]}-{project['id'][:16]}",
        "document_id": doc["document_id"],
        "project_id": project["id"],
        "method": method,
        "score": round(score, 1),
        "evidence": evidence,
    }


def pair_goals(
    goals: list[dict[str, Any]], results: list[dict[str, Any]]
) -> list[tuple[str, str, float]]:
    """(goal id, result id, score): greedy best pairs of the same unit by how alike `what` reads."""
    scored = sorted(
        (
            (
                fuzz.token_set_ratio(_words(g["what"] or ""), _words(r["what"] or "")),
                g["id"],
                r["id"],
            )
            for g in goals
            for r in results
            if g["unit"] == r["unit"]
        ),
        reverse=True,
    )
    used_g: set[str] = set()
    used_r: set[str] = set()
    pairs = []
    for score, gid, rid in scored:
        if score >= PAIR_MIN_SCORE and gid not in used_g and rid not in used_r:
            pairs.append((gid, rid, round(score, 1)))
            used_g.add(gid)
            used_r.add(rid)
    return pairs


def rebuild_links(db: Any) -> dict[str, int]:
    """Recreate `report_links` and `goal_results` from the stored documents; returns row counts."""
    conn: sqlite3.Connection = db.conn
    projects = (
        _rows(
            conn,
            "select id, document_id, title, owner, diarienummer, project_number, programme_period, "
            "period_start from projects",
        )
        if _exists(conn, "projects")
        else []
    )
    index = _Projects(projects)  # keys and titles of every project once, not once per document
    links = [link for doc in _documents(conn) for link in link_for(doc, index)]
    by_id = {p["id"]: p for p in projects}
    pairs = []
    for link in links:
        goals = _goal_rows(
            conn, by_id[link["project_id"]]["document_id"], "kind != 'reported_result'"
        )
        results = _goal_rows(conn, link["document_id"], "kind = 'reported_result'")
        pairs += [
            {
                "id": f"{gid}-{rid}",
                "link_id": link["id"],
                "project_id": link["project_id"],
                "goal_id": gid,
                "result_id": rid,
                "score": score,
            }
            for gid, rid, score in pair_goals(goals, results)
        ]
    with conn:
        for statement in _DDL:
            conn.execute(statement)
        conn.executemany(
            "insert into report_links (id, document_id, project_id, method, score, evidence) "
            "values (:id, :document_id, :project_id, :method, :score, :evidence)",
            links,
        )
        conn.executemany(
            "insert into goal_results (id, link_id, project_id, goal_id, result_id, score) "
            "values (:id, :link_id, :project_id, :goal_id, :result_id, :score)",
            pairs,
        )
    return {"report_links": len(links), "goal_results": len(pairs)}


def _exists(conn: sqlite3.Connection, table: str) -> bool:
    return bool(
        conn.execute(
            "select 1 from sqlite_master where type = 'table' and name = ?", [table]
        ).fetchone()
    )


def _goal_rows(conn: sqlite3.Connection, document_id: str, where: str) -> list[dict[str, Any]]:
    cur = conn.execute(
        f"select id, unit, what from goals where document_id = ? and {where} order by ordinal",
        [document_id],
    )
    return [{"id": i, "unit": u, "what": w} for i, u, w in cur.fetchall()]
