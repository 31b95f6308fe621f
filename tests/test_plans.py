"""Query plans: no canned query or view scans a large table once per row of another.

A database built from the corpus is given the statistics of one 10,000 times its size (its
`sqlite_stat1` row counts scaled up, as SQLite documents for testing plans), then every canned query
of the Datasette metadata and every view in the database is run through EXPLAIN QUERY PLAN. A full
scan of a table that grows with the documents is allowed only as the outermost loop of a query
(read once); inside a join, inside a correlated subquery, or as an automatic index (a scan and sort
on every call) it fails the test. New canned queries and views are covered without listing them.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from esfparse import serve
from esfparse.ingest import run_ingest
from esfparse.search import SQL_FUNCTION, fts_query

from .conftest import CORPUS, RAW

SCALE = 10_000
SMALL = {
    "nuts2_regions",
    "counties",
    "municipalities",
    "ingest_runs",
}  # reference data and run logs
PARAMS = {"municipality": "Krokom", "q": "ungdom"}
_SQL_WORDS = {
    "on",
    "where",
    "join",
    "left",
    "inner",
    "cross",
    "using",
    "group",
    "order",
    "limit",
    "natural",
    "union",
    "select",
    "as",
    "and",
    "or",
    "outer",
}
_TABLE_RE = re.compile(r"\b(?:from|join)\s+\[?(\w+)\]?(?:\s+(?:as\s+)?(\w+))?", re.IGNORECASE)


@pytest.fixture(scope="module")
def plan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans") / "esfparse.db"
    files = [*sorted(RAW.glob("*.txt")), *sorted((CORPUS / "real" / "raw").glob("*.txt"))]
    run_ingest([(f, None) for f in files], str(path), workers=1, progress=False)
    conn = sqlite3.connect(path)
    with conn:
        stats = conn.execute("select tbl, idx, stat from sqlite_stat1").fetchall()
        assert stats, "ingest leaves no statistics: ANALYZE did not run"
        for table, index, stat in stats:
            if table not in SMALL and stat:
                rows, *rest = stat.split(" ")
                conn.execute(
                    "update sqlite_stat1 set stat = ? where tbl = ? and idx is ?",
                    [" ".join([str(int(rows) * SCALE), *rest]), table, index],
                )
    conn.close()
    return path


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.create_function(SQL_FUNCTION, 1, fts_query, deterministic=True)
    return conn


def _statements(conn: sqlite3.Connection) -> dict[str, str]:
    """Every canned query (by name) and a select from every view (`view:` name)."""
    out = {
        name: "\n".join(q["sql"]) if isinstance(q["sql"], list) else q["sql"]
        for name, q in serve.load_spec()["queries"].items()
    }
    out.update(
        {
            f"view:{name}": f"select * from [{name}]"
            for (name,) in conn.execute("select name from sqlite_master where type = 'view'")
        }
    )
    out.update(  # the queries that fill the materialised tables at ingest (project_places)
        {
            f"materialised:{name}": "\n".join(lines)
            for name, lines in serve.load_spec().get("materialised", {}).items()
        }
    )
    return out


def _aliases(conn: sqlite3.Connection, sql: str) -> dict[str, str]:
    """Alias (or name) -> table, from the statement and every view it may expand."""
    views = [v for (v,) in conn.execute("select sql from sqlite_master where type = 'view'")]
    out: dict[str, str] = {}
    for text in (sql, *views):
        for table, alias in _TABLE_RE.findall(text):
            out.setdefault(table, table)
            if alias and alias.lower() not in _SQL_WORDS:
                out.setdefault(alias, table)
    return out


def bad_loops(conn: sqlite3.Connection, sql: str) -> list[str]:
    """The plan lines that read a large table in full once per row of an outer loop."""
    tables = {
        t
        for (t,) in conn.execute(
            "select name from sqlite_master where type = 'table' "
            "and sql not like 'CREATE VIRTUAL%' and name not like '%_fts_%'"
        )
    }
    large = tables - SMALL - {"sqlite_stat1", "sqlite_sequence"}
    aliases = _aliases(conn, sql)
    params: dict[str, str] | list[None] = {p: PARAMS.get(p, "") for p in re.findall(r":(\w+)", sql)}
    params = [None] * sql.count("?") if "?" in sql else params
    plan = conn.execute(f"explain query plan {sql}", params).fetchall()
    parent = {node: up for node, up, _, _ in plan}
    detail = {node: text for node, _, _, text in plan}
    seen_loop: set[int] = (
        set()
    )  # parents under which a loop has started: later loops there are inner
    bad = []
    for node, up, _, text in plan:
        m = re.match(r"(SCAN|SEARCH) (\S+)", text)
        if not m or text == "SCAN CONSTANT ROW":
            continue
        inner = up in seen_loop or _correlated(node, parent, detail)
        seen_loop.add(up)
        table = aliases.get(m.group(2), m.group(2))
        if table in large and ("AUTOMATIC" in text or (m.group(1) == "SCAN" and inner)):
            bad.append(text)
    return bad


def _correlated(node: int, parent: dict[int, int], detail: dict[int, str]) -> bool:
    while node in parent:
        node = parent[node]
        if detail.get(node, "").startswith("CORRELATED"):
            return True
    return False


def test_database_has_views_and_queries(plan_db: Path) -> None:
    conn = _connect(plan_db)
    names = _statements(conn)
    assert "search_projects" in names and "materialised:project_places" in names
    assert "view:promised_vs_achieved" in names


def test_map_table_is_materialised_and_indexed(plan_db: Path) -> None:
    """The map page reads a table (filled at ingest), sorted and faceted through its indexes."""
    conn = _connect(plan_db)
    kind = conn.execute("select type from sqlite_master where name = 'project_places'").fetchone()
    assert kind == ("table",)
    assert conn.execute("select count(*) from project_places").fetchone()[0] > 0
    spec = serve.load_spec()["tables"]["project_places"]
    for column in [spec["sort"], *spec["facets"]]:
        plan = " ".join(
            row[3]
            for row in conn.execute(
                f"explain query plan select [{column}], count(*) from project_places "
                f"group by [{column}] order by [{column}] limit 10"
            )
        )
        assert f"idx_project_places_{column}" in plan, (column, plan)


@pytest.mark.parametrize(
    "name",
    sorted(
        [
            *serve.load_spec()["queries"],
            *(f"view:{v}" for v in serve.load_spec()["views"]),
            *(f"materialised:{v}" for v in serve.load_spec().get("materialised", {})),
        ]
    ),
)
def test_no_large_table_scanned_inside_a_join(plan_db: Path, name: str) -> None:
    conn = _connect(plan_db)
    statements = _statements(conn)
    assert bad_loops(conn, statements[name]) == [], name


def test_every_view_in_the_database_is_checked(plan_db: Path) -> None:
    conn = _connect(plan_db)
    views = {n for n in _statements(conn) if n.startswith("view:")}
    for name in views:
        assert bad_loops(conn, _statements(conn)[name]) == [], name


def test_cross_document_pass_reads_by_index(plan_db: Path) -> None:
    from esfparse import ingest

    conn = _connect(plan_db)
    for sql in ingest._GROUP_SQL:
        conn.execute(sql)
    conn.execute("create index temp.dup_docs_label on dup_docs (label)")
    assert {sql: bad_loops(conn, sql) for sql in ingest.PASS_SQL} == {
        sql: [] for sql in ingest.PASS_SQL
    }


def test_a_missing_index_is_caught(plan_db: Path, tmp_path: Path) -> None:
    """The guard has teeth: without project_organisations' indexes, pairing organisations builds an automatic
    index (a scan and sort) for every row."""
    copy = tmp_path / "copy.db"
    src, dst = sqlite3.connect(plan_db), sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    for index in ("document_id", "role", "organisation_id_role"):
        dst.execute(f"drop index idx_project_organisations_{index}")
    dst.commit()
    dst.close()
    bad = bad_loops(_connect(copy), "\n".join(serve.load_spec()["queries"]["partner_pairs"]["sql"]))
    assert any(re.match(r"(SCAN po\b|SEARCH po USING AUTOMATIC)", line) for line in bad), bad


def test_an_unindexed_join_is_caught(plan_db: Path) -> None:
    bad = bad_loops(
        _connect(plan_db), "select g.id from goals g join people pe on pe.name = g.what"
    )
    assert bad and all(re.match(r"(SCAN|SEARCH) (g|pe)\b", line) for line in bad), bad
