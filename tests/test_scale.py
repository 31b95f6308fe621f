"""The cross-document pass at scale: it touches only the groups a run changed, and agrees with a
recomputation over the whole database after every kind of run (new pages, copies, a changed page, a
run killed before its pass)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from esfparse import store
from esfparse.checks import find_conflicting_duplicates
from esfparse.ingest import DUPLICATE_CODE, run_ingest, store_duplicates, stored_projects
from esfparse.pipeline import PARSER_VERSION, extract_path

from .conftest import CORPUS, RAW


def _stored(db_path: Path) -> set[tuple[str, str, str | None, int | None]]:
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "select path, message, field, start from problems where code = ?", [DUPLICATE_CODE]
    )
    return set(rows.fetchall())


def _whole(db_path: Path) -> set[tuple[str, str, str | None, int | None]]:
    """The same problems computed over every stored project at once (the pass before it was incremental)."""
    db = sqlite_utils.Database(db_path)
    found = find_conflicting_duplicates((path, record) for path, _, record in stored_projects(db))
    return {
        (path, p.message, p.field, p.evidence.start if p.evidence else None) for path, p in found
    }


def _ingest(files: list[Path], db_path: Path) -> None:
    run_ingest([(f, None) for f in files], str(db_path), workers=1, progress=False)


def test_incremental_runs_agree_with_the_whole_database(tmp_path: Path) -> None:
    db_path = tmp_path / "esf.db"
    work = tmp_path / "pages"
    work.mkdir()
    for p in sorted(RAW.glob("*.txt")):
        shutil.copy(p, work / p.name)
    _ingest(sorted(work.glob("*.txt")), db_path)
    assert _stored(db_path) == _whole(db_path)
    _ingest(sorted((CORPUS / "html").glob("*.html")), db_path)  # other renderings of the same pages
    assert _stored(db_path) and _stored(db_path) == _whole(db_path)
    changed = next(
        p
        for p in sorted(work.glob("*.txt"))
        if p.name in {path.rsplit("/", 1)[-1] for path, *_ in _stored(db_path)}
    )
    text = changed.read_text(encoding="utf-8")
    changed.write_text(
        text.replace("0", "7", 3), encoding="utf-8"
    )  # new amounts or numbers: a new version
    _ingest([changed], db_path)
    assert _stored(db_path) == _whole(db_path)
    changed.write_text(text, encoding="utf-8")  # and back
    _ingest([changed], db_path)
    assert _stored(db_path) == _whole(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from pending_keys").fetchone() == (0,)


def test_a_run_killed_before_its_pass_leaves_the_work_to_the_next(tmp_path: Path) -> None:
    """Pages committed by a run that died before the pass are checked by the next run."""
    db_path = tmp_path / "esf.db"
    pages = sorted(RAW.glob("*.txt"))
    db = store.open_db(str(db_path))
    writer = store.Writer(db, batch=5)
    for page in [*pages, *sorted((CORPUS / "html").glob("*.html"))]:
        writer.write(store.prepare_rows(extract_path(str(page))[0], PARSER_VERSION))
    writer.commit()
    db.close()  # as if killed here: no cross-document pass ran
    assert sqlite3.connect(db_path).execute("select count(*) from pending_keys").fetchone()[0] > 0
    _ingest(pages, db_path)  # nothing new to store, but the pending groups are checked
    assert _stored(db_path) and _stored(db_path) == _whole(db_path)


def test_a_run_that_changes_nothing_reads_no_group(tmp_path: Path) -> None:
    db_path = tmp_path / "esf.db"
    _ingest([*sorted(RAW.glob("*.txt")), *sorted((CORPUS / "html").glob("*.html"))], db_path)
    before = _stored(db_path)
    db = sqlite_utils.Database(db_path)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    assert store_duplicates(db) == len(before)
    assert not any("evidence" in s or "dup_docs" in s for s in statements), statements
