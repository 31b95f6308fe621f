#!/usr/bin/env python3
"""Scale benchmark: ingest N distinct documents made from the corpus, then time what a user does with them.

Makes N documents from the bundled texts (corpus/raw, corpus/real/raw, corpus/heldout/raw), each made
distinct by one appended line and a copy number after its title and case numbers (so each has its own
content hash and is a project of its own: projects grow with N, as in a real archive),
ingests them into a fresh database with `esfparse ingest`, and reports:

- ingest wall time and ms/document, peak memory (main process and whole process tree), CPU seconds of
  all its processes and of the main process alone (the single writer, which also runs the end-of-run
  passes: on a shared machine CPU time says more than wall time), database bytes per document;
- the time of every canned query of esfparse's Datasette metadata (run through Datasette, as a browser
  would ask for it, with Datasette's default 1 s time limit: "interrupted" when it gives up) and of the
  main Datasette pages, the projects table page also under plain Datasette (no esfparse metadata or
  plugins) on the same file.

A script, not a test: 100,000 documents take minutes. Usage:

    python scripts/scale_benchmark.py 10000 [--work DIR] [--keep] [--json] [--workers 2]
    python scripts/scale_benchmark.py 100000 --reuse DIR   # time the queries of an existing run again
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "corpus" / d for d in ("raw", "real/raw", "heldout/raw")]
# Values for the parameters of the canned queries (every other parameter is left empty: "all").
PARAMS = {"municipality": "Krokom", "q": "ungdom"}
PAGES = [
    "/",
    "/{db}",
    "/{db}/projects",
    "/{db}/projects?_search=ungdom",
    "/{db}/documents",
    "/{db}/sections",
    "/{db}/project_places",
    "/{db}/organisation_entities",
    "/{db}/problems",
]
PER_FOLDER = 1000


def _identity(path: Path) -> list[str]:
    """The values that make a page its own project (case numbers, title), as esfparse reads them."""
    from esfparse.pipeline import extract_path

    r = extract_path(str(path))[0].record
    return [v for v in (r.diarienummer, r.project_number, r.title) if v and len(v) >= 4]


def make_documents(n: int, folder: Path) -> int:
    """Write n distinct .txt documents under folder (1000 a sub-folder); returns their total bytes.

    Copy i of a source gets one appended line and `-i` after each of its case numbers and its title,
    so every copy is a document about a project of its own (the projects table grows with n too).
    """
    sources = [p for d in SOURCES for p in sorted(d.glob("*.txt"))]
    texts = [(p.read_text(encoding="utf-8").rstrip(), _identity(p)) for p in sources]
    total = 0
    for i in range(n):
        sub = folder / f"{i // PER_FOLDER:04d}"
        if i % PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        text, values = texts[i % len(texts)]
        for value in values:
            text = text.replace(value, f"{value}-{i}")
        data = f"{text}\n\nArkivexemplar {i:07d}.\n".encode()
        (sub / f"doc{i:07d}.txt").write_bytes(data)
        total += len(data)
    return total


class PeakMemory(threading.Thread):
    """Samples a process tree from /proc: the main process's high-water mark and the tree's summed RSS."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.main_kb, self.tree_kb, self.main_cpu, self.done = pid, 0, 0, 0.0, False
        self.tick = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _status(pid: int, field: str) -> int:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return 0
        m = re.search(rf"^{field}:\s+(\d+)", text, re.MULTILINE)
        return int(m.group(1)) if m else 0

    def _tree(self, pid: int) -> list[int]:
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return [pid]
        return [pid, *(p for k in kids for p in self._tree(int(k)))]

    def run(self) -> None:
        while not self.done:
            self.main_kb = max(self.main_kb, self._status(self.pid, "VmHWM"))
            self.tree_kb = max(
                self.tree_kb, sum(self._status(p, "VmRSS") for p in self._tree(self.pid))
            )
            try:  # utime + stime of the main process (the single writer), fields 14 and 15 of /proc/PID/stat
                fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.main_cpu = (int(fields[11]) + int(fields[12])) / self.tick
            except (OSError, IndexError, ValueError):
                pass
            time.sleep(0.2)


def ingest(folder: Path, db: Path, workers: int | None) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "esfparse", "ingest", str(folder), "--db", str(db), "-q", "--json"]
    cmd += ["--workers", str(workers)] if workers else []
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    peak = PeakMemory(proc.pid)
    peak.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the ingest and its reaped workers
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak.done = True
    summary = json.loads(out) if out.strip() else {}
    return {
        "seconds": round(seconds, 1),
        "exit": proc.returncode,
        "ingested": summary.get("ingested"),
        "projects": summary.get("projects"),
        "peak_main_mb": round(peak.main_kb / 1024),
        "peak_tree_mb": round(peak.tree_kb / 1024),
        "main_cpu_seconds": round(peak.main_cpu, 1),
        "cpu_seconds": round(cpu, 1),
        "load_average": os.getloadavg()[0],
    }


def _timed(ds: Any, path: str, repeat: int) -> dict[str, Any]:
    """Median wall ms of `repeat` GETs (after one warm-up), the status and whether SQL was interrupted."""

    async def one() -> tuple[float, Any]:
        start = time.perf_counter()
        response = await ds.client.get(path)
        return (time.perf_counter() - start) * 1000, response

    async def run() -> list[tuple[float, Any]]:
        await ds.invoke_startup()
        return [await one() for _ in range(repeat + 1)][1:]

    times = asyncio.run(run())
    last = times[-1][1]
    return {
        "ms": round(statistics.median(t for t, _ in times)),
        "status": last.status_code,
        "interrupted": "interrupted" in last.text.lower(),
    }


def time_queries(db: Path, repeat: int) -> dict[str, Any]:
    from datasette.app import Datasette

    from esfparse import serve

    name = db.stem
    spec = serve.load_spec()
    ds = serve.make_datasette(db)
    ds._settings["sql_time_limit_ms"] = 1000  # Datasette's own default, not esfparse serve's 3 s
    out: dict[str, Any] = {"queries": {}, "pages": {}}
    for query, body in spec["queries"].items():
        sql = "\n".join(body["sql"]) if isinstance(body["sql"], list) else body["sql"]
        args = "".join(
            f"&{p}={PARAMS.get(p, '')}" for p in dict.fromkeys(re.findall(r":(\w+)", sql))
        )
        out["queries"][query] = _timed(ds, f"/{name}/{query}.json?_shape=array{args}", repeat)
    for page in PAGES:
        out["pages"][page.format(db=name)] = _timed(ds, page.format(db=name), repeat)
    plain = Datasette(files=[], immutables=[str(db)])
    out["plain_projects"] = _timed(plain, f"/{name}/projects", repeat)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument(
        "--work", type=Path, help="folder for documents and database (default: a temporary one)"
    )
    parser.add_argument(
        "--reuse", type=Path, help="a --work folder of an earlier run: only time the queries"
    )
    parser.add_argument("--keep", action="store_true", help="keep the documents and database")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = args.reuse or args.work or Path(tempfile.mkdtemp(prefix="esfparse-scale-"))
    db = work / "scale.db"
    result: dict[str, Any] = {"documents": args.n}
    try:
        if not args.reuse:
            shutil.rmtree(work / "docs", ignore_errors=True)
            result["text_bytes"] = make_documents(args.n, work / "docs")
            result["ingest"] = ingest(work / "docs", db, args.workers)
            result["ingest"]["ms_per_doc"] = round(result["ingest"]["seconds"] * 1000 / args.n, 2)
            result["ingest"]["cpu_ms_per_doc"] = round(
                result["ingest"]["cpu_seconds"] * 1000 / args.n, 2
            )
        result["db_bytes_per_doc"] = round(db.stat().st_size / args.n)
        result.update(time_queries(db, args.repeat))
    finally:
        if not (args.keep or args.reuse or args.work):
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.n} documents")
    for key, value in result.get("ingest", {}).items():
        print(f"  ingest {key}: {value}")
    print(f"  database bytes/document: {result['db_bytes_per_doc']}")
    for group in ("queries", "pages"):
        for name, t in result[group].items():
            flag = " INTERRUPTED" if t["interrupted"] else ""
            print(f"  {group[:-1]} {name}: {t['ms']} ms (HTTP {t['status']}){flag}")
    print(f"  plain Datasette /projects: {result['plain_projects']['ms']} ms")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "")
    main()
