"""Bulk ingestion: parse files (in worker processes) and store them through one writer.

A bad file never stops a run: it costs one ``error:`` line on stderr and a ``read.unreadable`` row in
``problems``. Only the database itself failing (cannot be opened, disk full, locked) ends the run,
with one line too. Files too large to be one document are refused before parsing (see
`pipeline.MAX_BYTES` and `MAX_CHARS`). At the end of a run the cross-document rule runs over every stored project, so the
``project.conflicting_duplicate`` rows always describe the whole database.
"""

from __future__ import annotations

import sqlite3
import sys
import time
import traceback
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import EsfparseError

DUPLICATE_CODE = "project.conflicting_duplicate"
# Errors from storing one document's values (e.g. an integer too large for SQLite): that file fails.
_ROW_ERRORS = (OverflowError, ValueError, TypeError, sqlite3.IntegrityError, sqlite3.InterfaceError)
_DEBUG = False


def _work(path: str) -> tuple[str, Any, str | None]:
    """Parse one file in a worker: (path, rows by table | None, error line | None)."""
    from .pipeline import PARSER_VERSION, extract_path
    from .store import pack_rows, prepare_rows

    try:
        return path, pack_rows(prepare_rows(extract_path(path)[0], PARSER_VERSION)), None
    except EsfparseError as exc:
        return path, None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the run; reported per file
        return path, None, f"{path}: internal error {type(exc).__name__}: {exc} (rerun with --debug)" + (
            "\n" + traceback.format_exc() if _DEBUG else "")


def run_ingest(files: list[tuple[Path, str | None]], db_path: str, workers: int | None = None, force: bool = False,
               progress: bool = True, debug: bool = False, paths: list[str] | None = None) -> dict[str, Any]:
    """Ingest files into db_path; returns a summary dict. Never raises on a bad file.

    A database that cannot be opened or written raises click.ClickException (one `Error:` line),
    or the original exception with debug=True.
    """
    import click

    global _DEBUG
    _DEBUG = debug
    try:
        return _run(files, db_path, workers, force, progress, paths or [])
    except (sqlite3.Error, OSError) as exc:
        if debug:
            raise
        raise click.ClickException(f"{db_path}: database error: {exc} (documents already committed are kept; "
                                   "fix it and run again)") from exc


def _run(files: list[tuple[Path, str | None]], db_path: str, workers: int | None, force: bool, progress: bool,
         paths: list[str]) -> dict[str, Any]:
    from . import store
    from .entities import rebuild_entities
    from .parallel import default_workers
    from .serve import ensure_views

    started = time.time()
    workers = workers or default_workers()
    db = store.open_db(db_path)
    counts = {"files": len(files), "ingested": 0, "unchanged": 0, "failed": 0}
    todo: list[str] = []
    empty = not db.execute("select 1 from documents limit 1").fetchall()  # a fresh database: nothing to skip
    for path, error in files:
        if error:
            _fail(db, str(path), f"{path}: {error}", counts)
        elif not force and not empty and _unchanged(db, path):
            counts["unchanged"] += 1
        else:
            todo.append(str(path))
    writer = store.Writer(db)
    stored: set[str] = set()  # content hashes written in this run: a copy under another name is unchanged
    with _bar(_results(todo, workers), len(todo), progress) as bar:
        for path, rows, error in bar:
            if rows is not None and rows[0] in stored:
                counts["unchanged"] += 1
                continue
            if _handle(db, writer, path, rows, error, counts):
                stored.add(rows[0])
    writer.commit()
    duplicates = store_duplicates(db)
    rebuild_entities(db)
    ensure_views(db)
    store.optimize(db)
    store.log_run(db, started, paths, counts, workers)
    tables = store.row_counts(db)
    db.close()
    return {**counts, "projects": tables.get("projects", 0), "presentations": tables.get("presentations", 0),
            "goals": tables.get("goals", 0), "problems": tables.get("problems", 0),
            "conflicting_duplicates": duplicates, "workers": workers, "tables": tables}


def _unchanged(db: Any, path: Path) -> bool:
    """True when this file's exact bytes were already stored by this parser version (no parse needed)."""
    import hashlib

    from . import store
    from .pipeline import PARSER_VERSION

    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False  # reading it in the worker will say why
    return store.is_current(db, sha, str(path), PARSER_VERSION)


def _handle(db: Any, writer: Any, path: str, rows: Any, error: str | None, counts: dict[str, int]) -> bool:
    """Store one parse result, or record why the file failed; True when stored."""
    if error or rows is None:
        _fail(db, path, error or f"{path}: unreadable", counts)
        return False
    try:
        writer.write(rows)  # its own savepoint: a failure undoes this document only
    except _ROW_ERRORS as exc:
        detail = "\n" + traceback.format_exc() if _DEBUG else ""
        _fail(db, path, f"{path}: cannot store it: {type(exc).__name__}: {exc} (rerun with --debug){detail}", counts)
        return False
    counts["ingested"] += 1
    return True


def _bar(results: Iterator[tuple[str, Any, str | None]], length: int, progress: bool) -> Any:
    import click

    if progress:
        return click.progressbar(results, length=length, label="Ingesting", file=sys.stderr, show_pos=True)
    return _nullbar(results)


class _nullbar:
    def __init__(self, it: Any):
        self.it = it

    def __enter__(self) -> Any:
        return self.it

    def __exit__(self, *exc: object) -> None:
        return None


def _fail(db: Any, path: str, message: str, counts: dict[str, int]) -> None:
    from . import store

    counts["failed"] += 1
    first_line = message.split("\n", 1)[0]
    print(f"error: {first_line}", file=sys.stderr)
    if _DEBUG and "\n" in message:
        print(message.split("\n", 1)[1], file=sys.stderr)
    store.store_failure(db, path, first_line)


def _results(todo: list[str], workers: int) -> Iterator[tuple[str, Any, str | None]]:
    """Yield (path, rows, error) in input order, in-process or from a pool of parser processes."""
    from .parallel import imap_ordered

    yield from imap_ordered(_work, todo, workers, lost=_lost)


def _lost(path: str, reason: str) -> tuple[str, Any, str | None]:
    """The result for a file whose parser process died (e.g. killed for using too much memory)."""
    return path, None, f"{path}: the parser process died on this file ({reason}); the run went on without it"


# ---------------------------------------------------------------- cross-document rule

# Columns of `projects` that identify a project or are compared between snapshots.
_PROJECT_COLUMNS = ("title", "owner", "diarienummer", "project_number", "esf_grant_sek", "total_budget_sek",
                    "esf_grant_eur", "total_budget_eur", "period_start", "period_end", "planned_participants",
                    "participants", "region_nuts2", "programme_area_code")


def stored_projects(db: Any, shared_only: bool = False) -> list[tuple[str, str, Any]]:
    """(path, sha256, Record) for every stored project page, rebuilt from its row and evidence.

    With `shared_only`, only the pages that share an identity key (diarienummer, project number, or
    title and owner) with a page at another path: the only ones the cross-document rule can flag.
    """
    from .checks import keys_of
    from .models import Evidence, Record

    columns = ", ".join(f"p.[{c}]" for c in (*_PROJECT_COLUMNS, "union_cofinancing_rate_pct"))
    sql = f"select d.path, d.sha256, {columns} from projects p join documents d on d.sha256 = p.document_id"
    rows = db.execute(sql + " order by d.path").fetchall()
    if shared_only:
        at = {c: i + 2 for i, c in enumerate(_PROJECT_COLUMNS)}
        paths: dict[tuple[str, str], set[str]] = defaultdict(set)
        keys = [keys_of(*(row[at[c]] for c in ("diarienummer", "project_number", "title", "owner"))) for row in rows]
        for row, row_keys in zip(rows, keys, strict=True):
            for key in row_keys:
                paths[key].add(row[0])
        rows = [row for row, row_keys in zip(rows, keys, strict=True) if any(len(paths[k]) > 1 for k in row_keys)]
    wanted = {row[1] for row in rows}
    evidence: dict[str, dict[str, Evidence]] = defaultdict(dict)
    fields = (*_PROJECT_COLUMNS, "union_cofinancing_rate")  # a problem cites the span of the compared field
    marks = ", ".join("?" for _ in fields)
    for sha, field, start, end, page in db.execute(
            f"select document_id, field, start, [end], page from evidence where field in ({marks})", fields):
        if sha in wanted:
            evidence[sha][field] = Evidence(start=start, end=end, page=page)
    out = []
    for path, sha, *values, rate in rows:
        data: dict[str, Any] = dict(zip(_PROJECT_COLUMNS, values, strict=True))
        data["union_cofinancing_rate"] = None if rate is None else rate / 100
        out.append((path, sha, Record(kind="project_page", evidence=evidence.get(sha, {}), **data)))
    return out


def store_duplicates(db: Any) -> int:
    """Recompute the cross-document problems over the whole database; returns how many were stored."""
    from . import store
    from .checks import find_conflicting_duplicates

    projects = stored_projects(db, shared_only=True)
    sha_of = {path: sha for path, sha, _ in projects}
    found = find_conflicting_duplicates((path, record) for path, _, record in projects)
    with db.atomic():
        db.execute("delete from problems where code = ?", [DUPLICATE_CODE])
        for path, problem in found:
            store.insert_problems(db, [problem], sha_of[path], path)
    return len(found)
