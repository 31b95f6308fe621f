"""Crash safety of `esfparse ingest`: SIGKILL it midway, check the database, run again, compare.

    .venv/bin/python scripts/kill_test.py [--docs 1000] [--keep DIR]

1. builds N distinct documents from corpus/raw in a temporary folder (copy k of a page gets a
   unique closing line, so every file has its own content hash);
2. ingests them once, undisturbed, into clean.db;
3. starts the same ingest into killed.db in a subprocess (its own process group) and SIGKILLs the
   group as soon as half of the documents are committed;
4. checks ``PRAGMA integrity_check`` on killed.db;
5. runs the ingest into killed.db again and compares every table except ingest_runs with clean.db:
   row counts, and a digest of the rows (volatile columns such as timestamps and surrogate ids left out).

Prints the result table; exits 1 if anything differs. tests/test_robustness.py runs it with 60 docs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
# Columns that differ between two correct runs: when a row was written, and surrogate keys.
VOLATILE = {"documents": {"ingested_at"}, "problems": {"id"}, "organisations": {"id"}}


@dataclass
class KillResult:
    """What the killed run left behind."""

    killed: bool
    documents_at_kill: int
    seconds: float
    integrity: str
    counts: dict[str, int]


def build_corpus(folder: Path, n: int) -> list[Path]:
    """Write n distinct documents made from corpus/raw into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(RAW.glob("*.txt"))
    paths = []
    for k in range(n):
        src = sources[k % len(sources)]
        path = folder / f"{k:04d}_{src.name}"
        path.write_text(
            src.read_text(encoding="utf-8") + f"\n\nKopia {k} av {src.stem}.\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def _command(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "esfparse", "ingest", str(folder), "--db", str(db), "-q"]


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def run_ingest(folder: Path, db: Path) -> subprocess.CompletedProcess[str]:
    """Run `esfparse ingest folder --db db` to completion."""
    return subprocess.run(
        _command(folder, db),
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )


def documents(db: Path) -> int:
    """Committed documents, read while another process may be writing (WAL allows it)."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("select count(*) from documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # schema not created yet


def kill_midway(folder: Path, db: Path, target: int, timeout: float = 1800) -> KillResult:
    """Start an ingest and SIGKILL its process group once `target` documents are committed."""
    started = time.time()
    proc = subprocess.Popen(
        _command(folder, db),
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seen = 0
    while proc.poll() is None and time.time() - started < timeout:
        seen = documents(db)
        if seen >= target:
            os.killpg(proc.pid, signal.SIGKILL)  # the ingest and any workers it started
            break
        time.sleep(0.02)
    killed = proc.wait() == -signal.SIGKILL
    return KillResult(
        killed, seen, round(time.time() - started, 2), integrity(db), table_counts(db)
    )


def integrity(db: Path) -> str:
    """PRAGMA integrity_check of db ('ok' when sound)."""
    con = sqlite3.connect(db)
    try:
        return "; ".join(r[0] for r in con.execute("pragma integrity_check"))
    finally:
        con.close()


def _tables(con: sqlite3.Connection) -> list[str]:
    names = [
        r[0]
        for r in con.execute("select name from sqlite_master where type = 'table' order by name")
    ]
    # FTS shadow tables (`sections_fts_data`, ...) depend on merge history; the fts table itself is compared.
    return [
        t for t in names if t != "ingest_runs" and "_fts_" not in t and not t.startswith("sqlite_")
    ]


def table_counts(db: Path) -> dict[str, int]:
    """Rows per table, except ingest_runs and FTS shadow tables."""
    con = sqlite3.connect(db)
    try:
        return {
            t: int(con.execute(f"select count(*) from [{t}]").fetchone()[0]) for t in _tables(con)
        }
    finally:
        con.close()


def table_digests(db: Path) -> dict[str, str]:
    """A digest of each table's rows, sorted, without volatile columns; organisations by their key."""
    con = sqlite3.connect(db)
    try:
        org_key = (
            dict(con.execute("select id, key from organisations"))
            if "organisations" in _tables(con)
            else {}
        )
        return {t: _digest(con, t, org_key) for t in _tables(con)}
    finally:
        con.close()


def _digest(con: sqlite3.Connection, table: str, org_key: dict[int, str]) -> str:
    cur = con.execute(f"select * from [{table}]")
    columns = [d[0] for d in cur.description]
    keep = [i for i, c in enumerate(columns) if c not in VOLATILE.get(table, set())]
    org = columns.index("organisation_id") if "organisation_id" in columns else None
    rows = []
    for row in cur:
        values = [org_key.get(v, v) if i == org else v for i, v in enumerate(row)]
        rows.append(repr([values[i] for i in keep]))
    return hashlib.sha256("\n".join(sorted(rows)).encode("utf-8")).hexdigest()[:12]


def compare(
    clean: Path, rerun: Path, at_kill: dict[str, int]
) -> list[tuple[str, int, int, int, bool, bool]]:
    """(table, rows after kill, rows after rerun, rows in clean run, counts equal, rows equal)."""
    counts_clean, counts_rerun = table_counts(clean), table_counts(rerun)
    dig_clean, dig_rerun = table_digests(clean), table_digests(rerun)
    return [
        (
            t,
            at_kill.get(t, 0),
            counts_rerun.get(t, 0),
            counts_clean[t],
            counts_rerun.get(t) == counts_clean[t],
            dig_rerun.get(t) == dig_clean[t],
        )
        for t in sorted(set(counts_clean) | set(counts_rerun))
    ]


def format_table(rows: list[tuple[str, int, int, int, bool, bool]]) -> str:
    """The comparison as a Markdown table."""
    out = [
        "| table | after SIGKILL | after rerun | clean run | counts equal | rows equal |",
        "|---|---:|---:|---:|---|---|",
    ]
    out += [
        f"| {t} | {k} | {r} | {c} | {'yes' if ce else 'NO'} | {'yes' if re_ else 'NO'} |"
        for t, k, r, c, ce, re_ in rows
    ]
    return "\n".join(out)


def kill_and_rerun(work: Path, n: int) -> tuple[bool, str]:
    """The whole experiment in `work`: (passed, report)."""
    folder, clean, killed_db = work / "docs", work / "clean.db", work / "killed.db"
    build_corpus(folder, n)
    t0 = time.time()
    first = run_ingest(folder, clean)
    clean_s = time.time() - t0
    kill = kill_midway(folder, killed_db, target=max(1, n // 2))
    t0 = time.time()
    again = run_ingest(folder, killed_db)
    rerun_s = time.time() - t0
    rows = compare(clean, killed_db, kill.counts)
    ok = (
        first.returncode == 0
        and again.returncode == 0
        and kill.killed
        and kill.integrity == "ok"
        and all(ce and re_ for *_, ce, re_ in rows)
        and integrity(killed_db) == "ok"
    )
    report = "\n".join(
        [
            f"{n} documents; clean run {clean_s:.1f} s (exit {first.returncode}).",
            (
                f"SIGKILL after {kill.seconds} s with {kill.documents_at_kill} documents committed "
                f"(killed: {kill.killed}); integrity_check after the kill: {kill.integrity}."
            ),
            f"Rerun {rerun_s:.1f} s (exit {again.returncode}); "
            f"integrity_check after the rerun: {integrity(killed_db)}.",
            "",
            format_table(rows),
            "",
            "PASS" if ok else "FAIL",
        ]
    )
    return ok, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents to build (default 1000)")
    parser.add_argument(
        "--keep", type=Path, help="work in this folder and keep it (default: a temp folder)"
    )
    args = parser.parse_args(argv)
    if args.keep:
        ok, report = kill_and_rerun(args.keep, args.docs)
    else:
        with tempfile.TemporaryDirectory(prefix="esf-kill-") as tmp:
            ok, report = kill_and_rerun(Path(tmp), args.docs)
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
