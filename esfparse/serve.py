"""Datasette for an esfparse database: generated metadata, the map view and the server.

Column descriptions are not written here: they come from the pydantic Field
descriptions in ``models.py`` wherever a column stores a model field, and from
``data/datasette.json`` for storage-only tables and columns. That file also holds
the facets, sort orders, label columns, the ``project_places`` view and the canned
queries (as SQL), so this module holds only the logic. The metadata uses the
Datasette 0.65 format (everything in ``metadata.json``; the 1.0 alphas move
facets, queries and plugin settings to ``datasette.yaml``).

The server also registers a small in-process plugin (no extra dependency):
``/-/review/<sha256>`` re-reads a stored document from its ``documents.path`` and
returns its review page (``esfparse.review``), and the ``path`` cells of the
``documents`` table link to it. It adds the SQL function ``esf_fts_query`` (Swedish
stem-prefix search, ``esfparse.search``) and shows the hits of a search snippet marked.

>>> spec = load_spec()
>>> sorted(spec["queries"])[:2]
['employment_goals_by_region', 'money_by_county']
>>> describe_column("projects", "esf_grant_sek")
'Granted ESF support (beviljat ESF-stöd), SEK.'
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import sqlite3
import sys
import types
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlite_utils

from . import models
from .datafiles import load_json

SPEC_FILE = "datasette.json"
GENERATED_FILE = "metadata.generated.json"
DEFAULT_NAME = "esfparse"
"""Database name of the committed metadata (Datasette names a database after its file: esfparse.db)."""

MAP_PLUGIN = "datasette-cluster-map"
_FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return load_json(SPEC_FILE)


def load_spec() -> dict[str, Any]:
    """The hand-written part of the metadata (``esfparse/data/datasette.json``), as a fresh copy."""
    return copy.deepcopy(_spec())


# ---------------------------------------------------------------- descriptions


def _field_description(model_name: str, field: str) -> str | None:
    model = getattr(models, model_name)
    info = model.model_fields.get(field)
    return info.description if info is not None else None


def describe_column(table: str, column: str) -> str | None:
    """Description of one column: hand-written, else from a model field, else a shared column; None if none.

    >>> describe_column("goals", "start")
    "Start offset (inclusive) of the quote in the document's normalised text."
    >>> describe_column("project_municipalities", "municipality_code")
    'Four-digit SCB municipality code (kommunkod); null if unresolved.'
    """
    spec = _spec()
    tspec = spec["tables"].get(table, {})
    if column in tspec.get("columns", {}):
        return str(tspec["columns"][column])
    mapped = tspec.get("fields", {}).get(column)
    field = mapped["field"] if mapped else column
    model_names = [mapped["model"]] if mapped and "model" in mapped else tspec.get("models", [])
    for name in model_names:
        text = _field_description(name, field)
        if text:
            note = mapped.get("note") if mapped else None
            return f"{text} {note}" if note else text
    shared = spec["shared_columns"].get(column)
    if isinstance(shared, dict):
        return _field_description(shared["model"], shared["field"])
    return shared


# ---------------------------------------------------------------- database inspection


def _fts_tables(db: sqlite_utils.Database) -> set[str]:
    rows = db.execute(
        "select name from sqlite_master where type = 'table' and sql like 'create virtual table%'"
        " and lower(sql) like '%using fts%'"
    ).fetchall()
    return {r[0] for r in rows}


def browsable(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Tables and views Datasette shows, with their columns (FTS shadow tables left out)."""
    fts = _fts_tables(db)
    shadows = {f"{t}{suffix}" for t in fts for suffix in _FTS_SHADOW_SUFFIXES}
    out: dict[str, list[str]] = {}
    for name in [*db.table_names(), *db.view_names()]:
        if name in shadows or name.startswith("sqlite_"):
            continue
        out[name] = [c[1] for c in db.execute(f"pragma table_info([{name}])").fetchall()]
    return out


def undescribed(db: sqlite_utils.Database) -> list[str]:
    """`table` or `table.column` for every table and column of `db` that has no description."""
    tables = _spec()["tables"]
    missing = []
    for table, columns in browsable(db).items():
        if not tables.get(table, {}).get("description"):
            missing.append(table)
        missing += [f"{table}.{c}" for c in columns if not describe_column(table, c)]
    return missing


def _database_name(db: sqlite_utils.Database) -> str:
    for row in db.execute("pragma database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2]).stem
    return DEFAULT_NAME


# ---------------------------------------------------------------- views


def _view_sql(lines: list[str]) -> str:
    return "\n".join(lines)


def ensure_views(db: sqlite_utils.Database) -> list[str]:
    """Create or update the views of ``datasette.json`` (e.g. project_places); returns the names changed.

    Idempotent: a view whose SQL is already current is left alone.
    """
    changed = [
        name
        for name in _spec().get("materialised", {})
        if not _materialised_current(db, name) and refresh_materialised(db, name)
    ]
    for name, lines in _spec()["views"].items():
        sql = _view_sql(lines)
        if _current_view_sql(db, name) == sql:
            continue
        with db.atomic():
            db.execute(f"drop view if exists [{name}]")
            db.execute(f"create view [{name}] as\n{sql}")
        changed.append(name)
    return changed


def refresh_materialised(db: sqlite_utils.Database | Any, only: str | None = None) -> list[str]:
    """Refill the materialised tables of ``datasette.json`` (e.g. project_places) from their SQL.

    Each is dropped and recreated from its query in one savepoint (a view of the same name, from an
    older database, is replaced), then given its indexes (`store.INDEXES`): a page of it reads an
    indexed table instead of evaluating a join over the whole archive on every visit (Datasette counts
    the rows and computes the facets on every page). Called at the end of every ingest, after the
    projects are rebuilt. Returns the names refilled.
    """
    from .store import create_indexes

    conn = getattr(db, "conn", db)
    done = []
    for name, lines in _spec().get("materialised", {}).items():
        if only is not None and name != only:
            continue
        conn.execute("SAVEPOINT materialise")
        try:
            for (kind,) in conn.execute(
                "select type from sqlite_master where name = ? and type in ('table', 'view')",
                [name],
            ).fetchall():
                conn.execute(f"DROP {kind.upper()} [{name}]")
            conn.execute(f"CREATE TABLE [{name}] AS\n{_view_sql(lines)}")
        except sqlite3.OperationalError as exc:  # a database without the projects yet: left out
            conn.execute("ROLLBACK TO SAVEPOINT materialise")
            conn.execute("RELEASE SAVEPOINT materialise")
            if "no such table" not in str(exc):
                raise
            continue
        except BaseException:
            conn.execute("ROLLBACK TO SAVEPOINT materialise")
            conn.execute("RELEASE SAVEPOINT materialise")
            raise
        conn.execute("RELEASE SAVEPOINT materialise")
        done.append(name)
    create_indexes(conn)
    return done


def _materialised_current(db: sqlite_utils.Database | Any, name: str) -> bool:
    """True when `name` is a table with the columns its query of ``datasette.json`` gives."""
    conn = getattr(db, "conn", db)
    if not conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [name]
    ).fetchone():
        return False
    lines = _spec()["materialised"][name]
    try:
        wanted = [
            d[0] for d in conn.execute(f"select * from ({_view_sql(lines)}) limit 0").description
        ]
    except sqlite3.Error:
        return False
    return [c[1] for c in conn.execute(f"pragma table_info([{name}])")] == wanted


def _current_view_sql(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute(
        "select sql from sqlite_master where type = 'view' and name = ?", [name]
    ).fetchone()
    if not row:
        return None
    prefix = f"create view [{name}] as\n"
    return row[0][len(prefix) :] if row[0].lower().startswith(prefix.lower()) else row[0]


def views_current(db: sqlite_utils.Database) -> bool:
    """True when every view of ``datasette.json`` exists with its current SQL."""
    return all(
        _current_view_sql(db, n) == _view_sql(lines) for n, lines in _spec()["views"].items()
    ) and all(_materialised_current(db, n) for n in _spec().get("materialised", {}))


# ---------------------------------------------------------------- metadata


_TABLE_KEYS = ("label_column", "facets", "sort", "sort_desc", "fts_table", "searchmode", "hidden")


def build_metadata(db: sqlite_utils.Database, name: str | None = None) -> dict[str, Any]:
    """Datasette 0.65 metadata for an esfparse database.

    `name` is the database name in Datasette (default: the file's stem, as
    Datasette names it). Tables and columns come from the database itself, so a
    new column shows up at once; descriptions come from the models and
    ``datasette.json`` (see :func:`describe_column`).
    """
    spec = _spec()
    present = browsable(db)
    tables: dict[str, Any] = {}
    for table in [
        *[t for t in spec["tables"] if t in present],
        *sorted(t for t in present if t not in spec["tables"]),
    ]:
        tspec = spec["tables"].get(table, {})
        meta: dict[str, Any] = {}
        if tspec.get("description"):
            meta["description"] = tspec["description"]
        columns = {c: d for c in present[table] if (d := describe_column(table, c))}
        if columns:
            meta["columns"] = columns
        meta.update({k: copy.deepcopy(tspec[k]) for k in _TABLE_KEYS if k in tspec})
        if "fts_table" in meta and meta["fts_table"] not in present:
            del meta["fts_table"]
        tables[table] = meta
    queries = {
        qname: {"title": q["title"], "description": q["description"], "sql": _view_sql(q["sql"])}
        for qname, q in spec["queries"].items()
    }
    top: dict[str, Any] = {
        k: spec[k]
        for k in ("title", "description", "license", "license_url", "source", "source_url")
        if k in spec
    }
    return {
        **top,
        "databases": {name or _database_name(db): {"tables": tables, "queries": queries}},
        "plugins": {MAP_PLUGIN: dict(spec["map"])},
    }


def default_metadata() -> dict[str, Any]:
    """The metadata for a fresh database named ``esfparse`` (what the committed file holds)."""
    from .entities import rebuild_entities
    from .identity import rebuild_projects
    from .linking import rebuild_links
    from .store import ensure_schema

    db = sqlite_utils.Database(memory=True)
    ensure_schema(db)
    rebuild_projects(db)
    rebuild_entities(db)
    rebuild_links(db)
    ensure_views(db)
    return build_metadata(db, name=DEFAULT_NAME)


def dumps(metadata: dict[str, Any]) -> str:
    """The metadata as the JSON text written to files (stable: keys in insertion order)."""
    return json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"


def open_readonly(db_path: str | Path) -> sqlite_utils.Database:
    """Open an existing database read-only (no file is created or changed)."""
    import sqlite3

    path = Path(db_path)
    if not path.is_file():
        raise FileNotFoundError(f"{db_path}: no such database file")
    return sqlite_utils.Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def write_metadata(db_path: str | Path, out_path: str | Path) -> None:
    """Write the Datasette metadata generated for the database at `db_path` to `out_path` (JSON)."""
    db = open_readonly(db_path)
    try:
        text = dumps(build_metadata(db, name=Path(db_path).stem))
    finally:
        db.close()
    Path(out_path).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- review pages


REVIEW_PLUGIN = "esfparse.review_pages"
"""Name of the in-process Datasette plugin that serves review pages (shown in /-/plugins)."""
REVIEW_PATH = "/-/review/{sha256}"
_REVIEW_ROUTE = r"^/-/review/(?P<sha256>[0-9a-f]{64})$"
_REVIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_ENTITY_TABLES = (
    "organisation_entities",
    "organisation_names",
    "organisation_merges",
    "project_organisation_entities",
)


def _stored_file(path: str, db_file: str | None) -> Path | None:
    """The file a stored `documents.path` names: as written (from the working directory), else beside the database."""
    given = Path(path)
    candidates = (
        [given] if given.is_absolute() or not db_file else [given, Path(db_file).parent / given]
    )
    return next((c for c in candidates if c.is_file()), None)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def review_page(sha256: str, path: str, db_file: str | None = None) -> tuple[int, str]:
    """(HTTP status, HTML) of the review page of the stored document `sha256` whose file is at `path`.

    200 with the page; 404 when the file is gone or unreadable; 409 when its content changed since it
    was ingested (the page would not match the stored rows). Slow (it parses): call it off the event loop.
    """
    from .errors import EsfparseError
    from .pipeline import process
    from .review import render_review

    file = _stored_file(path, db_file)
    if file is None:
        return 404, _message_page(
            "Document file not found",
            f"{path} no longer exists (looked in the working "
            "directory and next to the database). Serve from the directory you ingested "
            "from, or ingest the file again.",
        )
    try:
        if _file_sha256(file) != sha256:
            return 409, _message_page(
                "Document changed",
                f"{file} has changed since it was ingested; run "
                "`esfparse ingest` on it again to review the current content.",
            )
        ex, doc = process(file)  # the size limits of extract and ingest apply
    except (OSError, EsfparseError) as exc:
        return 404, _message_page("Document cannot be read", f"{file}: {exc}")
    return 200, render_review(doc, ex)


def _message_page(title: str, message: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>\n"
    )


async def _stored_paths(datasette: Any, sha256: str) -> list[tuple[str, str | None]]:
    """(documents.path, database file) for the document `sha256` in every served database that has it."""
    found = []
    for name, db in datasette.databases.items():
        if name == "_internal" or db.is_memory or not await db.table_exists("documents"):
            continue
        rows = (await db.execute("select path from documents where sha256 = ?", [sha256])).rows
        found += [(row[0], db.path) for row in rows if row[0]]
    return found


async def _review_view(datasette: Any, request: Any) -> Any:
    import asyncio  # here, not at the top: ingest imports this module for its views

    from datasette.utils.asgi import Response

    sha = request.url_vars["sha256"]
    stored = await _stored_paths(datasette, sha)
    if not stored:
        return Response.html(
            _message_page("Unknown document", f"No document {sha} in the served databases."),
            status=404,
            headers=_REVIEW_HEADERS,
        )
    status, page = 404, ""
    for path, db_file in stored:  # the first copy that can be reviewed
        status, page = await asyncio.get_running_loop().run_in_executor(
            None, review_page, sha, path, db_file
        )
        if status == 200:
            break
    return Response.html(page, status=status, headers=_REVIEW_HEADERS)


def _review_cell(row: Any, value: Any, column: str, table: str | None, datasette: Any) -> Any:
    """`documents.path` cells: the path (escaped) and a link to the document's review page."""
    if table != "documents" or column != "path" or not isinstance(value, str):
        return None
    try:
        sha = row["sha256"]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(sha, str) or len(sha) != 64:
        return None
    from markupsafe import Markup, escape

    href = datasette.urls.path(REVIEW_PATH.format(sha256=sha))
    return Markup(
        f'{escape(value)} <a class="esfparse-review" href="{escape(href)}" '
        f'title="Text with every extracted value highlighted">review</a>'
    )


_SOURCE_TABLES = ("projects", "project_sources")  # rows whose document_id is a project's source


def _source_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    """`document_id` of a project (or project source) row: links to the document's row and its review page."""
    if (
        table not in _SOURCE_TABLES
        or column != "document_id"
        or not isinstance(value, str)
        or len(value) != 64
    ):
        return None
    from markupsafe import Markup, escape

    row_href = datasette.urls.row(database, "documents", value)
    review_href = datasette.urls.path(REVIEW_PATH.format(sha256=value))
    return Markup(
        f'<a href="{escape(row_href)}" title="The source document">{escape(value[:12])}…</a> '
        f'<a class="esfparse-review" href="{escape(review_href)}" '
        f'title="Text with every extracted value highlighted">review</a>'
    )


MONEY_SUFFIXES = ("_sek", "_eur", "_sek_equiv", "_sek_incl_converted")
GROUPING = "\u202f"  # narrow no-break space: the Swedish digit grouping (1 234 567), never broken across lines


def group_digits(value: int | float) -> str:
    """An amount with Swedish digit grouping: whole numbers as such, others with two decimals after a comma.

    >>> group_digits(8625810), group_digits(2130769.5), group_digits(-1200)
    ('8\u202f625\u202f810', '2\u202f130\u202f769,50', '-1\u202f200')
    """
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return text.replace(",", GROUPING).replace(".", ",")


def _money_cell(value: Any, column: str) -> Any:
    """Amount columns (`…_sek`, `…_eur`) of any table or query: shown with digit grouping (JSON keeps the number)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not column.endswith(MONEY_SUFFIXES)
    ):
        return None
    from markupsafe import Markup

    return Markup(
        f'<span class="esfparse-amount" data-value="{value}">{group_digits(value)}</span>'
    )


SNIPPET_MARK = "**"  # what the canned search query's snippet() puts around each hit


def _snippet_cell(value: Any, column: str, table: str | None) -> Any:
    """A search snippet of a query (not a table): the text escaped, each `**hit**` in a <mark>."""
    if (
        table is not None
        or column != "snippet"
        or not isinstance(value, str)
        or SNIPPET_MARK not in value
    ):
        return None
    from markupsafe import Markup, escape

    parts = str(escape(value)).split(SNIPPET_MARK)
    return Markup("".join(f"<mark>{p}</mark>" if i % 2 else p for i, p in enumerate(parts)))


def review_plugin() -> types.ModuleType:
    """The plugin module: a `register_routes` hook for the review route and a `render_cell` hook for the links."""
    from datasette import hookimpl

    plugin = types.ModuleType(REVIEW_PLUGIN, "esfparse review pages in Datasette")

    @hookimpl
    def register_routes(datasette: Any) -> list[tuple[str, Any]]:
        return [(_REVIEW_ROUTE, _review_view)]

    @hookimpl
    def render_cell(
        row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
    ) -> Any:
        return (
            _review_cell(row, value, column, table, datasette)
            or _snippet_cell(value, column, table)
            or _source_cell(row, value, column, table, database, datasette)
            or _money_cell(value, column)
        )

    @hookimpl
    def prepare_connection(conn: Any) -> None:
        from .search import SQL_FUNCTION, fts_query

        conn.create_function(SQL_FUNCTION, 1, fts_query, deterministic=True)

    plugin.register_routes = register_routes  # type: ignore[attr-defined]
    plugin.render_cell = render_cell  # type: ignore[attr-defined]
    plugin.prepare_connection = prepare_connection  # type: ignore[attr-defined]
    return plugin


def register_review_plugin() -> None:
    """Register the review plugin with Datasette's plugin manager, once per process."""
    from datasette.plugins import pm

    if not pm.has_plugin(REVIEW_PLUGIN):
        pm.register(review_plugin(), name=REVIEW_PLUGIN)


# ---------------------------------------------------------------- server


def make_datasette(
    db_path: str | Path, immutable: bool = True, metadata: dict[str, Any] | None = None
) -> Any:
    """A configured ``Datasette`` instance for one esfparse database (used by the server and tests)."""
    from datasette.app import Datasette

    register_review_plugin()
    path = str(db_path)
    if metadata is None:
        db = open_readonly(path)
        try:
            metadata = build_metadata(db, name=Path(path).stem)
        finally:
            db.close()
    return Datasette(
        files=[] if immutable else [path],
        immutables=[path] if immutable else [],
        metadata=metadata,
        settings={"sql_time_limit_ms": 3000},
    )


def _has_entities(db: sqlite_utils.Database) -> bool:
    present = {*db.table_names(), *db.view_names()}
    return all(t in present for t in _ENTITY_TABLES)


def _prepare(db_path: str, immutable: bool) -> None:
    """Bring the views (and absent organisation entities) up to date when allowed; else say what is missing."""
    if not immutable:
        from .entities import rebuild_entities

        db = sqlite_utils.Database(db_path)
        try:
            if "project_sources" not in db.table_names() and "project_pages" in db.table_names():
                from .identity import rebuild_projects

                print(
                    f"esfparse: built projects ({rebuild_projects(db)['projects']})",
                    file=sys.stderr,
                )
            if not _has_entities(db) and "organisations" in db.table_names():
                counts = rebuild_entities(db)
                print(
                    f"esfparse: built organisation entities ({counts['entities']} organisations)",
                    file=sys.stderr,
                )
            for name in ensure_views(db):
                print(f"esfparse: created view {name}", file=sys.stderr)
        finally:
            db.close()
        return
    db = open_readonly(db_path)
    try:
        if not views_current(db):
            print(
                f"esfparse: {db_path} lacks the current map view (project_places); run `esfparse ingest` "
                "on it again or serve it once with --mutable",
                file=sys.stderr,
            )
        if not _has_entities(db):
            print(
                f"esfparse: {db_path} lacks the organisation entity tables; run `esfparse ingest` on it again "
                "or serve it once with --mutable",
                file=sys.stderr,
            )
    finally:
        db.close()
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size:
        print(
            f"esfparse: {wal} holds unmerged writes that an immutable server does not see; close the writer "
            "or serve with --mutable",
            file=sys.stderr,
        )


def run_server(
    db_path: str, host: str = "127.0.0.1", port: int = 8001, immutable: bool = True
) -> None:
    """Serve `db_path` in Datasette (immutable, on 127.0.0.1 by default) until interrupted."""
    import uvicorn

    _prepare(db_path, immutable)
    ds = make_datasette(db_path, immutable=immutable)
    name = Path(db_path).stem
    print(
        f"esfparse: serving {db_path} {'read-only' if immutable else 'writable'} at "
        f"http://{host}:{port}/{name}  (Ctrl-C stops; review pages at /-/review/<sha256>)",
        file=sys.stderr,
    )
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")


if __name__ == "__main__":  # python -m esfparse.serve: rewrite the committed metadata file
    target = Path(__file__).parent / "data" / GENERATED_FILE
    target.write_text(dumps(default_metadata()), encoding="utf-8")
    print(f"wrote {target}")
