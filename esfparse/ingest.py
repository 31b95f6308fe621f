"""Bulk ingestion: parse files (in worker processes) and store them through one writer."""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import Any

from .errors import EsfparseError


def _work(path: str) -> tuple[str, Any, str | None]:
    """Parse one file in a worker: (path, Extraction | None, error line | None)."""
    from .pipeline import extract_file

    try:
        return path, extract_file(path), None
    except EsfparseError as exc:
        return path, None, str(exc)
    except Exception as exc:  # a parser bug must not stop the run; reported per file
        return path, None, f"{path}: internal error {type(exc).__name__}: {exc} (rerun with --debug)" + (
            "\n" + traceback.format_exc() if _DEBUG else "")


_DEBUG = False


def run_ingest(files: list[tuple[Path, str | None]], db_path: str, workers: int | None = None, force: bool = False,
               progress: bool = True, debug: bool = False, paths: list[str] | None = None) -> dict[str, Any]:
    """Ingest files into db_path; returns a summary dict. Never raises on a bad file."""
    import click

    from . import store
    from .pipeline import PARSER_VERSION

    global _DEBUG
    _DEBUG = debug
    started = time.time()
    db = store.open_db(db_path)
    counts = {"files": len(files), "ingested": 0, "unchanged": 0, "failed": 0}
    todo: list[str] = []
    for path, error in files:
        if error:
            _fail(db, str(path), f"{path}: {error}", counts)
        else:
            todo.append(str(path))
    results = _results(todo, workers)
    with click.progressbar(results, length=len(todo), label="Ingesting", file=sys.stderr,
                           show_pos=True) if progress else _nullbar(results) as bar:
        for path, ex, error in bar:
            if error or ex is None:
                _fail(db, path, error or f"{path}: unreadable", counts)
                continue
            if not force and store.is_current(db, ex.document.sha256, path, PARSER_VERSION):
                counts["unchanged"] += 1
                continue
            store.store_extraction(db, ex, PARSER_VERSION)
            counts["ingested"] += 1
    store.log_run(db, started, paths or [], counts, workers or 1)
    tables = store.row_counts(db)
    db.close()
    return {**counts, "projects": tables.get("projects", 0), "presentations": tables.get("presentations", 0),
            "goals": tables.get("goals", 0), "problems": tables.get("problems", 0), "tables": tables}


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


def _results(todo: list[str], workers: int | None):
    """Yield (path, extraction, error) in input order, in-process or from a worker pool."""
    for path in todo:
        yield _work(path)
