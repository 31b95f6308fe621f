"""SQLite storage: idempotent, replaces changed files, keeps evidence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import sqlite_utils

from esfparse.ingest import run_ingest
from esfparse.store import row_counts

from .conftest import GOLD, RAW


def _ingest(folder: Path, db_path: str) -> dict:
    files = [(p, None) for p in sorted(folder.glob("*.txt"))]
    return run_ingest(files, db_path, progress=False)


def _counts(db_path: str) -> dict[str, int]:
    counts = row_counts(sqlite_utils.Database(db_path))
    counts.pop("ingest_runs")  # a log: one row per run by design
    return counts


def test_ingest_twice_gives_identical_rows(tmp_path: Path, db_path: str) -> None:
    first = _ingest(RAW, db_path)
    counts = _counts(db_path)
    second = _ingest(RAW, db_path)
    assert first["ingested"] == len(list(RAW.glob("*.txt"))) and first["failed"] == 0
    assert second["ingested"] == 0 and second["unchanged"] == first["ingested"]
    assert _counts(db_path) == counts
    assert (
        counts["projects"] == 15 and counts["presentations"] == 3
    )  # dev09 and dev10: two snapshots, one project
    assert counts["project_pages"] == 16


def test_changed_file_replaces_its_rows(tmp_path: Path, db_path: str) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    page = folder / "page.txt"
    shutil.copy(RAW / "dev04.txt", page)
    _ingest(folder, db_path)
    page.write_text(
        page.read_text(encoding="utf-8").replace("7 023 185 kr", "7 500 000 kr"), encoding="utf-8"
    )
    _ingest(folder, db_path)
    db = sqlite_utils.Database(db_path)
    assert db["documents"].count == 1
    assert [r["total_budget_sek"] for r in db["projects"].rows] == [7500000]


def test_reference_and_links(db_path: str) -> None:
    _ingest(RAW, db_path)
    db = sqlite_utils.Database(db_path)
    assert db["municipalities"].count == 290
    krokom = next(
        iter(
            db.query(
                "select count(*) n from project_municipalities where municipality_code = "
                "(select code from municipalities where name = 'Krokom')"
            )
        )
    )["n"]
    expected = sum(
        1
        for g in GOLD.glob("*.json")
        if "Krokom" in json.loads(g.read_text(encoding="utf-8")).get("municipalities", [])
    )
    assert krokom == expected > 0
    roles = {r["role"] for r in db.query("select distinct role from project_organisations")}
    assert {"owner", "co_financier", "partner"} <= roles
    hits = list(
        db.query("select heading from sections_fts where sections_fts match 'rekryteringscoach'")
    )
    assert hits


def test_evidence_rows_point_into_documents(db_path: str) -> None:
    _ingest(RAW, db_path)
    db = sqlite_utils.Database(db_path)
    rows = list(
        db.query(
            "select d.path, e.field, e.value, e.start, e.end from evidence e "
            "join documents d on d.sha256 = e.document_id where e.field in ('owner', 'title')"
        )
    )
    assert rows
    for row in rows:
        from esfparse.readers import read

        assert read(row["path"]).text[row["start"] : row["end"]] == row["value"]


def test_search_index_follows_replacements(tmp_path: Path, db_path: str) -> None:
    from esfparse import store
    from esfparse.pipeline import PARSER_VERSION, extract_file

    folder = tmp_path / "p"
    folder.mkdir()
    page = folder / "page.txt"
    page.write_text((RAW / "dev05.txt").read_text(encoding="utf-8"), encoding="utf-8")
    db = store.open_db(db_path)
    writer = store.Writer(db, batch=10)
    writer.write(store.prepare_rows(extract_file(page), PARSER_VERSION))
    page.write_text(
        page.read_text(encoding="utf-8").replace("samiska", "zyxwordq"), encoding="utf-8"
    )
    writer.write(store.prepare_rows(extract_file(page), PARSER_VERSION))  # same path, same batch
    writer.commit()
    hits = db.execute(
        "select count(*) from sections_fts where sections_fts match 'zyxwordq'"
    ).fetchone()[0]
    stale = db.execute(
        "select count(*) from sections_fts where sections_fts match 'samiska'"
    ).fetchone()[0]
    assert (hits, stale) == (1, 0)
    assert (
        db.execute("insert into sections_fts(sections_fts) values('integrity-check')") is not None
    )


def test_older_database_gains_new_columns(db_path: str) -> None:
    import sqlite3

    from esfparse import store

    con = sqlite3.connect(db_path)
    con.execute("create table goals (id text primary key, document_id text, value float)")
    con.commit()
    con.close()
    db = store.open_db(db_path)
    assert {"comparator", "quote", "page"} <= set(db["goals"].columns_dict)


def test_goal_comparators_are_stored(db_path: str) -> None:
    _ingest(RAW, db_path)
    db = sqlite_utils.Database(db_path)
    rows = {
        r["comparator"] for r in db.query("select comparator from goals where quote like '%minst%'")
    }
    assert "at_least" in rows


def test_prose_roles_are_stored_with_their_role(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "page.txt"
    page.parent.mkdir()
    text = (RAW / "dev05.txt").read_text(encoding="utf-8")
    page.write_text(
        text + "\n\nProjektet finansieras av Europeiska socialfonden och drivs i samarbete med "
        "Skolverket.\n",
        encoding="utf-8",
    )
    db_path = str(tmp_path / "x.db")
    _ingest(page.parent, db_path)
    rows = (
        sqlite_utils.Database(db_path)
        .execute("select as_written, role, source from project_organisations where source = 'text'")
        .fetchall()
    )
    assert ("Europeiska socialfonden", "funder", "text") in rows
    assert ("Skolverket", "partner", "text") in rows
