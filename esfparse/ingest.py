"""Bulk ingestion: parse files (in worker processes) and store them through one writer.

A bad file never stops a run: it costs one ``error:`` line on stderr and a ``read.unreadable`` row
in ``problems`` (``parse.time_budget`` for a file over the per-document time budget). Only the
database itself failing (cannot be opened, disk full, locked) ends the run, with one line too. Files
too large to be one document are refused before parsing (see `pipeline.MAX_BYTES` and `MAX_CHARS`).
At the end of a run the cross-document rule runs over the groups of pages the run (or a run killed
before its end) changed, so the ``project.conflicting_duplicate`` rows always describe the whole
database, at a cost that follows the change, not the database.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
import traceback
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DatabaseError, EsfparseError
from .fields import FIELDS
from .names import shown

DUPLICATE_CODE = "project.conflicting_duplicate"
BUDGET_CODE = "parse.time_budget"
# CPU seconds one document may take. Real pages and decks take well under a second, and every
# extractor is linear in the text, so even a 2,000,000-character file fits; a document over it
# costs one `error:` line and a `parse.time_budget` row, and the run goes on.
TIME_BUDGET = 30.0
# Errors from storing one document's values (e.g. an integer too large for SQLite): that file fails.
_ROW_ERRORS = (OverflowError, ValueError, TypeError, sqlite3.IntegrityError, sqlite3.InterfaceError)
_DEBUG = False
_PROGRESSBAR: Any = None  # run_ingest's progressbar


def _work(path: str) -> tuple[str, Any, str | None]:
    """Parse one file in a worker: (path, rows by table | None, error line | None)."""
    from .pipeline import PARSER_VERSION, failure, process
    from .store import pack_rows, prepare_rows

    try:
        return path, pack_rows(prepare_rows(process(path)[0], PARSER_VERSION)), None
    except EsfparseError as exc:
        return path, None, shown(str(exc))
    except Exception as exc:
        code, message = failure(exc)  # the code and message `validate` reports too
        detail = "\n" + traceback.format_exc() if _DEBUG else ""
        return path, None, _Coded(shown(f"{shown(path)}: {message}{detail}"), code)


def run_ingest(
    files: list[tuple[Path, str | None]],
    db_path: str,
    workers: int | None = None,
    force: bool = False,
    progress: bool = True,
    debug: bool = False,
    paths: list[str] | None = None,
    time_budget: float | None = TIME_BUDGET,
    progressbar: Any = None,
) -> dict[str, Any]:
    """Ingest files into db_path; returns a summary dict. Never raises on a bad file.

    `time_budget`: CPU seconds per document (None or 0: no budget).

    `progressbar`: on a terminal, the progress bar to show (the command line passes
    click.progressbar); without one, or without a terminal, a progress line now and then.

    A database that cannot be opened or written raises errors.DatabaseError (one line), or the
    original exception with debug=True.
    """
    global _DEBUG, _PROGRESSBAR
    _DEBUG, _PROGRESSBAR = debug, progressbar
    try:
        return _run(files, db_path, workers, force, progress, paths or [], time_budget)
    except (sqlite3.Error, OSError) as exc:
        if debug:
            raise
        raise DatabaseError(
            f"{db_path}: database error: {exc} (documents already committed are kept; "
            "fix it and run again)"
        ) from exc


def _run(
    files: list[tuple[Path, str | None]],
    db_path: str,
    workers: int | None,
    force: bool,
    progress: bool,
    paths: list[str],
    budget: float | None = None,
) -> dict[str, Any]:
    from . import store
    from .entities import rebuild_entities
    from .identity import rebuild_projects
    from .linking import rebuild_links
    from .parallel import default_workers
    from .serve import ensure_views, refresh_materialised

    started = time.time()
    workers = workers or default_workers()
    db = store.open_db(db_path)
    counts = {"files": len(files), "ingested": 0, "unchanged": 0, "failed": 0, "duplicates": 0}
    _FAILED.clear()
    todo: list[str] = []
    empty = not db.execute(
        "select 1 from documents limit 1"
    ).fetchall()  # a fresh database: nothing to skip
    writer = store.Writer(db)
    results = _results(todo, workers, budget)  # starts on the first next(), when todo is complete
    try:
        for path, error in files:
            if error:
                _fail(db, str(path), f"{shown(path)}: {error}", counts)
                continue
            first = None if force or empty else _stored_as(db, path)
            if first is None:
                todo.append(str(path))
                continue
            counts["unchanged"] += 1
            sha, first_path = first
            if first_path != shown(path) and _exists(first_path):
                _duplicate(db, sha, first_path, str(path), counts)
        with _bar(results, len(todo), progress) as bar:
            for path, rows, error in bar:
                if rows is not None and writer.written(
                    rows[0]
                ):  # a copy under another name is unchanged
                    counts["unchanged"] += 1
                    _duplicate(db, rows[0], store.path_of(db, rows[0]), path, counts)
                    continue
                _handle(db, writer, path, rows, error, counts)
        writer.commit()
        duplicates = store_duplicates(db)
        rebuild_projects(db)
        rebuild_entities(db)
        rebuild_links(db)
        refresh_materialised(db)  # the map table, from the rebuilt projects
        ensure_views(db)
        store.optimize(db)
    except (
        KeyboardInterrupt
    ) as exc:  # Ctrl-C, or SIGTERM (the cli raises Terminated, a KeyboardInterrupt)
        _stop(db, writer, results, started, paths, counts, workers)
        not_read = counts["files"] - counts["ingested"] - counts["unchanged"] - counts["failed"]
        raise Interrupted(
            counts["ingested"], not_read, getattr(exc, "signum", signal.SIGINT)
        ) from exc
    store.log_run(db, started, paths, counts, workers)
    tables = store.row_counts(db)
    db.close()
    return {
        **counts,
        "projects": tables.get("projects", 0),
        "presentations": tables.get("presentations", 0),
        "goals": tables.get("goals", 0),
        "problems": tables.get("problems", 0),
        "conflicting_duplicates": duplicates,
        "workers": workers,
        "tables": tables,
        "failed_files": list(_FAILED),
    }


def _stop(
    db: Any,
    writer: Any,
    results: Any,
    started: float,
    paths: list[str],
    counts: dict[str, int],
    workers: int,
) -> None:
    """After an interrupt: stop the workers, commit what was parsed and log the run, deaf to a second signal."""
    from . import store

    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        results.close()  # stops the worker processes
        writer.commit()
        counts["ingested"] = writer.count  # an interrupt may fall between a write and its count
        store.log_run(db, started, paths, counts, workers)
        db.close()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every layer (workers included) stops the same way."""

    signum = signal.SIGTERM


def on_sigterm(signum: int, frame: Any) -> None:
    """Signal handler: turn SIGTERM into Terminated."""
    raise Terminated()


class Interrupted(Exception):
    """Ingest stopped by Ctrl-C or SIGTERM after committing what was parsed; `exit_code` is 128 + signal."""

    def __init__(self, stored: int, not_read: int, signum: int):
        self.stored, self.not_read, self.exit_code = stored, not_read, 128 + int(signum)
        super().__init__(
            f"interrupted: {stored} stored, {not_read} not yet read; run the same command again "
            "to continue"
        )


def _exists(name: str) -> bool:
    from .names import existing

    return os.path.lexists(existing(name))


def _duplicate(db: Any, sha: str, first: str, path: str, counts: dict[str, int]) -> None:
    """Record that `path` holds the same bytes as the stored `first`: one info row and one notice."""
    from . import store

    counts["duplicates"] += 1
    name = shown(path)
    print(
        f"notice: {name}: the same bytes as {first}; stored once, under that path", file=sys.stderr
    )
    try:
        store.store_duplicate(db, sha, name, first)
    except _ROW_ERRORS as exc:
        print(
            f"error: {name}: cannot record it as a copy: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )


def _stored_as(db: Any, path: Path) -> tuple[str, str] | None:
    """(content hash, stored path) when this file's exact bytes were already stored by this parser
    version (no parse needed), else None."""
    import hashlib

    from . import store
    from .pipeline import PARSER_VERSION
    from .readers.text import file_bytes

    try:
        sha = hashlib.sha256(file_bytes(path)).hexdigest()
    except EsfparseError:
        return None  # reading it in the worker will say why
    first = store.current_path(db, sha, PARSER_VERSION)
    return None if first is None else (sha, first)


def _handle(
    db: Any, writer: Any, path: str, rows: Any, error: str | None, counts: dict[str, int]
) -> bool:
    """Store one parse result, or record why the file failed; True when stored."""
    if error or rows is None:
        _fail(
            db,
            path,
            error or f"{shown(path)}: unreadable",
            counts,
            BUDGET_CODE if isinstance(error, _LateLine) else getattr(error, "code", None),
        )
        return False
    try:
        writer.write(rows)  # its own savepoint: a failure undoes this document only
    except _ROW_ERRORS as exc:
        detail = "\n" + traceback.format_exc() if _DEBUG else ""
        _fail(
            db,
            path,
            f"{shown(path)}: cannot store it: {type(exc).__name__}: {exc} (rerun with --debug){detail}",
            counts,
        )
        return False
    counts["ingested"] += 1
    return True


def _bar(results: Iterator[tuple[str, Any, str | None]], length: int, progress: bool) -> Any:
    if progress and sys.stderr.isatty() and _PROGRESSBAR is not None:
        return _PROGRESSBAR(
            results, length=length, label="Ingesting", file=sys.stderr, show_pos=True
        )
    if (
        progress
    ):  # a log file or a pipe: a bar would print once; say how far the run is, now and then
        return _nullbar(_periodic(results, length))
    return _nullbar(results)


PROGRESS_EVERY = 0.1  # without a terminal: a progress line every tenth of the files ...
PROGRESS_SECONDS = 30.0  # ... or every 30 seconds, whichever comes first


def _periodic(results: Iterator[Any], length: int) -> Iterator[Any]:
    """The results, with a line `Ingesting: 120/2000 files (6 %), 14 s` on stderr every so often."""
    started = last = time.monotonic()
    step = max(1, int(length * PROGRESS_EVERY))
    print(f"Ingesting {length} files", file=sys.stderr, flush=True)
    for done, item in enumerate(results, 1):
        yield item
        now = time.monotonic()
        if done % step == 0 or now - last >= PROGRESS_SECONDS or done == length:
            last = now
            print(
                f"Ingesting: {done}/{length} files ({done / length:.0%}), {now - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )


class _nullbar:
    def __init__(self, it: Any):
        self.it = it

    def __enter__(self) -> Any:
        return self.it

    def __exit__(self, *exc: object) -> None:
        return None


_FAILED: list[
    dict[str, str]
] = []  # this run's failed files: path and the error line, for the summary


def _fail(
    db: Any, path: str, message: str, counts: dict[str, int], code: str | None = None
) -> None:
    from . import store

    counts["failed"] += 1
    message = shown(message)  # any undecodable byte of a name or an exception as \xNN
    first_line = message.split("\n", 1)[0]
    _FAILED.append({"path": shown(path), "error": first_line})
    print(f"error: {first_line}", file=sys.stderr)
    if _DEBUG and "\n" in message:
        print(message.split("\n", 1)[1], file=sys.stderr)
    try:  # recording a failure must not cost the run: only the database itself failing ends it
        store.store_failure(db, shown(path), first_line, code or "read.unreadable")
    except _ROW_ERRORS as exc:
        print(
            f"error: {shown(path)}: cannot record the failure: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )


def _results(
    todo: list[str], workers: int, budget: float | None = None
) -> Iterator[tuple[str, Any, str | None]]:
    """Yield (path, rows, error) in input order, in-process or from a pool of parser processes."""
    from .parallel import imap_ordered

    yield from imap_ordered(_work, todo, workers, lost=_lost, budget=budget or None, late=_late)


class _Coded(str):
    """An error line stored under its own problem code (not `read.unreadable`)."""

    code: str

    def __new__(cls, line: str, code: str) -> _Coded:
        self = super().__new__(cls, line)
        self.code = code
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # crosses from a worker process intact
        return (_Coded, (str(self), self.code))


class _LateLine(str):
    """The error line of a document over the time budget: stored with its own problem code."""


def _late(path: str, budget: float) -> tuple[str, Any, str | None]:
    """The result for a file not parsed within the time budget."""
    return (
        path,
        None,
        _LateLine(
            f"{shown(path)}: not parsed within the time budget ({budget:g} CPU seconds per "
            "document, --time-budget); the run went on without it"
        ),
    )


def _lost(path: str, reason: str) -> tuple[str, Any, str | None]:
    """The result for a file whose parser process died (e.g. killed for using too much memory)."""
    return (
        path,
        None,
        f"{shown(path)}: the parser process died on this file ({reason}); the run went on without it",
    )


# ---------------------------------------------------------------- cross-document rule

# Columns of `project_pages` that identify a project or are compared between snapshots (models.FIELDS;
# the Union rate, stored in percent, is read beside them).
_PROJECT_COLUMNS = tuple(
    f.name
    for f in FIELDS
    if ("C" in f.flags or f.name in ("diarienummer", "project_number")) and f.name == f.column_name
)


def stored_projects(db: Any, shared_only: bool = False) -> list[tuple[str, str, Any]]:
    """(path, sha256, Record) for every stored project page, rebuilt from its row and evidence.

    With `shared_only`, only the pages that share an identity key (diarienummer, project number, or
    title and owner) with a page at another path: the only ones the cross-document rule can flag.
    """
    from .checks import keys_of
    from .models import Evidence, Record

    columns = ", ".join(f"p.[{c}]" for c in (*_PROJECT_COLUMNS, "union_cofinancing_rate_pct"))
    sql = f"select d.path, d.sha256, {columns} from project_pages p join documents d on d.sha256 = p.document_id"
    rows = db.execute(sql + " order by d.path").fetchall()
    if shared_only:
        at = {c: i + 2 for i, c in enumerate(_PROJECT_COLUMNS)}
        paths: dict[tuple[str, str], set[str]] = defaultdict(set)
        keys = [
            keys_of(*(row[at[c]] for c in ("diarienummer", "project_number", "title", "owner")))
            for row in rows
        ]
        for row, row_keys in zip(rows, keys, strict=True):
            for key in row_keys:
                paths[key].add(row[0])
        rows = [
            row
            for row, row_keys in zip(rows, keys, strict=True)
            if any(len(paths[k]) > 1 for k in row_keys)
        ]
    wanted = {row[1] for row in rows}
    evidence: dict[str, dict[str, Evidence]] = defaultdict(dict)
    fields = (
        *_PROJECT_COLUMNS,
        "union_cofinancing_rate",
    )  # a problem cites the span of the compared field
    marks = ", ".join("?" for _ in fields)
    for sha, field, start, end, page in db.execute(
        f"select document_id, field, start, [end], page from evidence where field in ({marks})",
        fields,
    ):
        if sha in wanted:
            evidence[sha][field] = Evidence(start=start, end=end, page=page)
    out = []
    for path, sha, *values, rate in rows:
        data: dict[str, Any] = dict(zip(_PROJECT_COLUMNS, values, strict=True))
        data["union_cofinancing_rate"] = None if rate is None else rate / 100
        out.append((path, sha, Record(kind="project_page", evidence=evidence.get(sha, {}), **data)))
    return out


def store_duplicates(db: Any) -> int:
    """Recompute the cross-document problems of every project a document written or removed since the
    last pass belongs to; returns how many such problems the database holds.

    Works in SQL and one project group at a time, so memory stays bounded by the largest group, not
    the database: the pending identity keys (`pending_keys`, kept by the Writer) are grown to whole
    groups over `project_keys` (pages sharing a key, transitively), then the groups seen at more than
    one path are read back one by one, compared (`checks.find_conflicting_duplicates`) and their
    problems replaced. The pending keys are cleared in the same transaction.
    """
    from . import store
    from .checks import find_conflicting_duplicates

    conn = db.conn
    count = "select count(*) from problems where code = ?"
    if not conn.execute("select 1 from pending_keys limit 1").fetchall():
        return conn.execute(count, [DUPLICATE_CODE]).fetchone()[0]
    with (
        db.atomic()
    ):  # one transaction: the grouping's temporary tables, the problems, the cleared keys
        _group_pending(conn)
        conn.execute(
            "delete from problems where code = ? and document_id in (select doc from temp.dup_docs)",
            [DUPLICATE_CODE],
        )
        for group in _shared_groups(conn):
            sha_of = {path: sha for path, sha, _ in group}
            for path, problem in find_conflicting_duplicates(
                (path, record) for path, _, record in group
            ):
                store.insert_problems(db, [problem], sha_of[path], path)
        conn.execute("delete from pending_keys")
        conn.execute("drop table temp.dup_docs")
    return conn.execute(count, [DUPLICATE_CODE]).fetchone()[0]


_GROUP_SQL = (
    "drop table if exists temp.dup_keys",
    "drop table if exists temp.dup_docs",
    "create temp table dup_keys (key text primary key, label text)",
    "create temp table dup_docs (doc text primary key, label text)",
    "insert into dup_keys (key) select key from pending_keys",
)
# Grow the pending keys to whole groups: every page with a key, every key of those pages, until stable.
_GROW_SQL = (
    "insert or ignore into dup_docs (doc, label) select document_id, document_id from project_keys "
    "where key in (select key from dup_keys)",
    "insert or ignore into dup_keys (key) select key from project_keys where document_id in (select doc from dup_docs)",
)
# Label each page with the least document id of its group: keys take their pages' least label, pages
# their keys' least label, until nothing changes (as many rounds as the longest chain of keys).
_LABEL_SQL = (
    "update dup_keys set label = (select min(d.label) from project_keys k join dup_docs d on d.doc = k.document_id "
    "where k.key = dup_keys.key)",
    "update dup_docs set label = (select min(dk.label) from project_keys k join dup_keys dk on dk.key = k.key "
    "where k.document_id = dup_docs.doc) where label > (select min(dk.label) from project_keys k "
    "join dup_keys dk on dk.key = k.key where k.document_id = dup_docs.doc)",
)


_GROUPS_SQL = (
    "select dd.label from dup_docs dd join documents d on d.sha256 = dd.doc group by dd.label "
    "having count(distinct d.path) > 1 order by dd.label"
)
_GROUP_PAGES_SQL = (
    "select d.path, d.sha256, "
    + ", ".join(f"p.[{c}]" for c in (*_PROJECT_COLUMNS, "union_cofinancing_rate_pct"))
    + " from dup_docs dd join project_pages p on p.document_id = dd.doc join documents d on d.sha256 = dd.doc "
    "where dd.label = ? order by d.path"
)
_EVIDENCE_FIELDS = (
    *_PROJECT_COLUMNS,
    "union_cofinancing_rate",
)  # a problem cites the span of the compared field
_GROUP_EVIDENCE_SQL = (
    "select e.document_id, e.field, e.start, e.[end], e.page from dup_docs dd join evidence e on e.document_id = "
    f"dd.doc where dd.label = ? and e.field in ({', '.join('?' for _ in _EVIDENCE_FIELDS)}) order by e.document_id"
)
# Every statement of the pass that reads the database (tests/test_plans.py checks their plans).
PASS_SQL = (*_GROW_SQL, *_LABEL_SQL, _GROUPS_SQL, _GROUP_PAGES_SQL, _GROUP_EVIDENCE_SQL)


def _group_pending(conn: Any) -> None:
    """temp.dup_docs: every page in a group with a pending key, labelled by its group."""
    for sql in _GROUP_SQL:
        conn.execute(sql)
    while sum(conn.execute(sql).rowcount for sql in _GROW_SQL):
        pass
    while True:
        conn.execute(_LABEL_SQL[0])
        if not conn.execute(_LABEL_SQL[1]).rowcount:
            break
    conn.execute("create index temp.dup_docs_label on dup_docs (label)")
    conn.execute("drop table temp.dup_keys")


def _shared_groups(conn: Any) -> Iterator[list[tuple[str, str, Any]]]:
    """(path, sha256, Record) of each group of temp.dup_docs seen at more than one path, a group at a time."""
    from itertools import groupby

    from .models import Evidence, Record

    for (label,) in conn.execute(_GROUPS_SQL):
        rows = conn.execute(_GROUP_PAGES_SQL, [label]).fetchall()
        evidence: dict[str, dict[str, Evidence]] = {}
        for sha, items in groupby(
            conn.execute(_GROUP_EVIDENCE_SQL, [label, *_EVIDENCE_FIELDS]), key=lambda row: row[0]
        ):
            evidence[sha] = {
                field: Evidence(start=start, end=end, page=page)
                for _, field, start, end, page in items
            }
        group = []
        for path, sha, *values, rate in rows:
            data: dict[str, Any] = dict(zip(_PROJECT_COLUMNS, values, strict=True))
            data["union_cofinancing_rate"] = None if rate is None else rate / 100
            group.append(
                (path, sha, Record(kind="project_page", evidence=evidence.get(sha, {}), **data))
            )
        yield group
