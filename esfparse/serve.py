"""Datasette for an esfparse database: generated metadata, the map view and the server.

Column descriptions are not written here: they come from the pydantic Field
descriptions in ``models.py`` wherever a column stores a model field, and from
``data/datasette.json`` for storage-only tables and columns. That file also holds
the facets, sort orders, label columns, the ``project_places`` view and the canned
queries (as SQL), so this module holds only the logic. The metadata uses the
Datasette 0.65 format (everything in ``metadata.json``; the 1.0 alphas move
facets, queries and plugin settings to ``datasette.yaml``).

>>> spec = load_spec()
>>> sorted(spec["queries"])[:2]
['employment_goals_by_region', 'money_by_county']
>>> describe_column("projects", "esf_grant_sek")
'Granted ESF support (beviljat ESF-stöd), SEK.'
"""

from __future__ import annotations

import copy
import json
import sys
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import sqlite_utils

from . import models

SPEC_FILE = "datasette.json"
GENERATED_FILE = "metadata.generated.json"
DEFAULT_NAME = "esfparse"
"""Database name of the committed metadata (Datasette names a database after its file: esfparse.db)."""

MAP_PLUGIN = "datasette-cluster-map"
_FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config", "_content")


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return json.loads(files("esfparse").joinpath("data", SPEC_FILE).read_text(encoding="utf-8"))


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
    rows = db.execute("select name from sqlite_master where type = 'table' and sql like 'create virtual table%'"
                      " and lower(sql) like '%using fts%'").fetchall()
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
    changed = []
    for name, lines in _spec()["views"].items():
        sql = _view_sql(lines)
        if _current_view_sql(db, name) == sql:
            continue
        with db.atomic():
            db.execute(f"drop view if exists [{name}]")
            db.execute(f"create view [{name}] as\n{sql}")
        changed.append(name)
    return changed


def _current_view_sql(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("select sql from sqlite_master where type = 'view' and name = ?", [name]).fetchone()
    if not row:
        return None
    prefix = f"create view [{name}] as\n"
    return row[0][len(prefix):] if row[0].lower().startswith(prefix.lower()) else row[0]


def views_current(db: sqlite_utils.Database) -> bool:
    """True when every view of ``datasette.json`` exists with its current SQL."""
    return all(_current_view_sql(db, n) == _view_sql(lines) for n, lines in _spec()["views"].items())


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
    for table in [*[t for t in spec["tables"] if t in present], *sorted(t for t in present if t not in spec["tables"])]:
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
    queries = {qname: {"title": q["title"], "description": q["description"], "sql": _view_sql(q["sql"])}
               for qname, q in spec["queries"].items()}
    top = {k: spec[k] for k in ("title", "description", "license", "license_url", "source", "source_url")
           if k in spec}
    return {
        **top,
        "databases": {name or _database_name(db): {"tables": tables, "queries": queries}},
        "plugins": {MAP_PLUGIN: dict(spec["map"])},
    }


def default_metadata() -> dict[str, Any]:
    """The metadata for a fresh database named ``esfparse`` (what the committed file holds)."""
    from .store import ensure_schema

    db = sqlite_utils.Database(memory=True)
    ensure_schema(db)
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


# ---------------------------------------------------------------- server


def make_datasette(db_path: str | Path, immutable: bool = True, metadata: dict[str, Any] | None = None) -> Any:
    """A configured ``Datasette`` instance for one esfparse database (used by the server and tests)."""
    from datasette.app import Datasette

    path = str(db_path)
    if metadata is None:
        db = open_readonly(path)
        try:
            metadata = build_metadata(db, name=Path(path).stem)
        finally:
            db.close()
    return Datasette(files=[] if immutable else [path], immutables=[path] if immutable else [],
                     metadata=metadata, settings={"sql_time_limit_ms": 3000})


def _prepare(db_path: str, immutable: bool) -> None:
    """Bring the views up to date when allowed; otherwise say what is missing."""
    if not immutable:
        db = sqlite_utils.Database(db_path)
        try:
            for name in ensure_views(db):
                print(f"esfparse: created view {name}", file=sys.stderr)
        finally:
            db.close()
        return
    db = open_readonly(db_path)
    try:
        if not views_current(db):
            print(f"esfparse: {db_path} lacks the current map view (project_places); run `esfparse ingest` "
                  "on it again or serve it once with --mutable", file=sys.stderr)
    finally:
        db.close()
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size:
        print(f"esfparse: {wal} holds unmerged writes that an immutable server does not see; close the writer "
              "or serve with --mutable", file=sys.stderr)


def run_server(db_path: str, host: str = "127.0.0.1", port: int = 8001, immutable: bool = True) -> None:
    """Serve `db_path` in Datasette (immutable, on 127.0.0.1 by default) until interrupted."""
    import uvicorn

    _prepare(db_path, immutable)
    ds = make_datasette(db_path, immutable=immutable)
    name = Path(db_path).stem
    print(f"esfparse: serving {db_path} {'read-only' if immutable else 'writable'} at "
          f"http://{host}:{port}/{name}  (Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")


if __name__ == "__main__":  # python -m esfparse.serve: rewrite the committed metadata file
    target = Path(__file__).parent / "data" / GENERATED_FILE
    target.write_text(dumps(default_metadata()), encoding="utf-8")
    print(f"wrote {target}")
