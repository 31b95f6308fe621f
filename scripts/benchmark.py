#!/usr/bin/env python3
"""Benchmark esfparse at corpus scale against a floor measured in the same run.

Builds N distinct text pages and M distinct PDF decks from corpus/ (each made
unique by invisible bytes, so content hashes differ while the extraction stays
the same), then measures, with medians over --repeat runs:

- floor: read every page and run a handful of compiled regexes, in one process;
- full `esfparse ingest` with --workers 1 and --workers 2 (fresh database each run);
- PDF decks: esfparse's reader against pdfplumber `extract_text` alone, pages/s;
- `esfparse --help` wall time;
- peak memory of an ingest of --small pages against --pages pages;
- whether 1 and 2 workers store identical rows;
- the speed-up of 2 workers over 1 at --pages and at --bank pages (thousands, as when ingesting the
  whole project bank), each as the median of ABBA rounds (1, 2, 2, 1 workers) so that a machine
  whose speed drifts during the run hits both sides alike;
- what bounds that speed-up: the fixed serial part of a run (start-up, building the NLP pipeline,
  the cross-document pass at the end; measured as the ingest of one page) and, as a ceiling, the
  speed-up this machine gives a perfectly parallel pure-Python job in the same run.

The package is byte-compiled first, as an installed package is: with PYTHONDONTWRITEBYTECODE set,
every run would otherwise recompile it.

Usage: python scripts/benchmark.py [--pages 2000] [--decks 50] [--small 200] [--bank 6000] [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ESFPARSE = [sys.executable, "-m", "esfparse"]
FLOOR_RES = [
    re.compile(p, re.MULTILINE)
    for p in (
        r"\d{4}-\d{2}-\d{2}",  # ISO dates
        r"\b\d{1,3}(?:[ \u00a0]\d{3})+\b",  # grouped amounts
        r"[\w.+-]+@[\w-]+\.[\w.]+",  # e-mail addresses
        r"^[A-ZÅÄÖ][\wåäö ]{2,40}$",  # heading-like lines
        r"\d+(?:,\d+)?\s*(?:%|procent)",  # percentages
    )
]


def _unique_marker(i: int) -> str:
    """Invisible zero-width characters encoding i: removed by normalisation, distinct in bytes."""
    return "".join("\u200b" if bit == "0" else "\u200c" for bit in format(i, "b"))


def build_pages(folder: Path, n: int) -> list[Path]:
    """n distinct text pages cycled from corpus/raw."""
    sources = sorted((CORPUS / "raw").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        target = folder / f"{i:05d}_{src.name}"
        target.write_text(src.read_text(encoding="utf-8") + _unique_marker(i + 1), encoding="utf-8")
        paths.append(target)
    return paths


def build_decks(folder: Path, n: int) -> list[Path]:
    """n distinct copies of the PDF slide deck (a trailing comment after %%EOF keeps them valid)."""
    decks = sorted((CORPUS / "pdf").glob("003_*.pdf"))
    if not decks:
        return []
    data = decks[0].read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        target = folder / f"deck{i:03d}.pdf"
        target.write_bytes(data + f"\n% copy {i}\n".encode())
        paths.append(target)
    return paths


def floor(paths: list[Path]) -> float:
    """Seconds to read every file and run the floor regexes, in this process."""
    start = time.perf_counter()
    for p in paths:
        text = p.read_bytes().decode("utf-8")
        for rx in FLOOR_RES:
            rx.findall(text)
    return time.perf_counter() - start


def ingest(folder: Path, db: Path, workers: int) -> float:
    """Wall seconds of a full `esfparse ingest` into a fresh database."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        [*ESFPARSE, "ingest", str(folder), "--db", str(db), "-q", "--workers", str(workers)],
        check=True,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def peak_rss_mb(folder: Path, db: Path, workers: int) -> float:
    """Peak resident memory (MB) of the largest process of an ingest, measured by a wrapper process."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    wrapper = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            wrapper,
            *ESFPARSE,
            "ingest",
            str(folder),
            "--db",
            str(db),
            "-q",
            "--workers",
            str(workers),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def help_time() -> float:
    """Wall seconds of `esfparse --help`."""
    start = time.perf_counter()
    subprocess.run([*ESFPARSE, "--help"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def db_fingerprint(db: Path) -> str:
    """Hash of every stored row except run logs and timestamps."""
    conn = sqlite3.connect(db)
    digest = hashlib.sha256()
    tables = [
        r[0]
        for r in conn.execute("select name from sqlite_master where type='table' order by name")
    ]
    for table in tables:
        if table == "ingest_runs" or "_fts" in table or table.startswith("sqlite_"):
            continue
        cols = [
            r[1]
            for r in conn.execute(f"pragma table_info([{table}])")
            if r[1] not in ("ingested_at", "path")
        ]
        rows = conn.execute(f"select {', '.join(f'[{c}]' for c in cols)} from [{table}]").fetchall()
        for row in sorted(rows, key=repr):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def pdf_rates(decks: list[Path]) -> tuple[float, float, int]:
    """Pages per second: esfparse's PDF reader and pdfplumber extract_text, same files, same run."""
    import pdfplumber

    sys.path.insert(0, str(ROOT))
    from esfparse.readers import read

    pages = 0
    start = time.perf_counter()
    for p in decks:
        pages += read(p).pages
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for p in decks:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
    theirs = time.perf_counter() - start
    return pages / ours, pages / theirs, pages


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def parallel_job(processes: int, n: int = 24_000_000) -> float:
    """Wall seconds of a perfectly parallel pure-Python job of fixed total size in `processes` processes."""
    code = (
        f"import multiprocessing as mp, sys; sys.path.insert(0, {str(ROOT / 'scripts')!r}); import benchmark\n"
        f"if __name__ == '__main__':\n"
        f"    with mp.get_context('fork').Pool({processes}) as p:\n"
        f"        p.map(benchmark._spin, [{n // processes}] * {processes})"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def abba(one, two, rounds: int, before=None) -> tuple[float, list[float], list[float], list[float]]:
    """Median of rounds of (one, two, two, one), each round after `before()`:
    (median ratio one/two, ratios, one times, two times)."""
    ratios, ones, twos = [], [], []
    for _ in range(rounds):
        if before:
            before()
        a, b, c, d = one(), two(), two(), one()
        ratios.append((a + d) / (b + c))
        ones += [a, d]
        twos += [b, c]
    return statistics.median(ratios), ratios, ones, twos


def median_of(func, repeat: int) -> float:
    return statistics.median(func() for _ in range(repeat))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--decks", type=int, default=50)
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument(
        "--bank",
        type=int,
        default=6000,
        help="pages for the speed-up at project-bank scale (0: skip)",
    )
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="esfbench-"))
    try:
        results = run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


def run(work: Path, args: argparse.Namespace) -> dict:
    compileall.compile_dir(str(ROOT / "esfparse"), quiet=1)
    pages = build_pages(work / "pages", args.pages)
    build_pages(work / "small", args.small)
    build_pages(work / "one", 1)
    decks = build_decks(work / "decks", args.decks)
    db = work / "bench.db"
    r: dict = {
        "pages": len(pages),
        "decks": len(decks),
        "repeat": args.repeat,
        "cpus": os.cpu_count(),
    }
    floors, fingerprints = [], set()

    def timed_ingest(workers: int):
        def run_once() -> float:
            seconds = ingest(work / "pages", db, workers)
            fingerprints.add(db_fingerprint(db))
            return seconds

        return run_once

    # ABBA rounds with the floor in each, so drifting machine speed hits all three alike.
    speedup, ratios, ones, twos = abba(
        timed_ingest(1), timed_ingest(2), args.repeat, before=lambda: floors.append(floor(pages))
    )
    r["floor_s"], r["ingest_w1_s"], r["ingest_w2_s"] = map(statistics.median, (floors, ones, twos))
    r["identical_w1_w2"] = len(fingerprints) == 1
    r["floor_ms_per_doc"] = 1000 * r["floor_s"] / len(pages)
    r["ingest_ms_per_doc"] = 1000 * r["ingest_w2_s"] / len(pages)
    r["ingest_over_floor"] = r["ingest_w2_s"] / r["floor_s"]
    r["speedup_w2_over_w1"], r["speedup_rounds"] = speedup, ratios
    # What bounds the speed-up: the serial part of every run, and the machine itself.
    r["serial_s"] = median_of(lambda: ingest(work / "one", db, 1), max(5, args.repeat))
    r["amdahl_bound"] = r["ingest_w1_s"] / (r["serial_s"] + (r["ingest_w1_s"] - r["serial_s"]) / 2)
    r["machine_ceiling"], r["machine_rounds"], _, _ = abba(
        lambda: parallel_job(1), lambda: parallel_job(2), args.repeat
    )
    if args.bank:
        build_pages(work / "bank", args.bank)
        r["bank_pages"] = args.bank
        r["bank_speedup"], r["bank_rounds"], bank1, bank2 = abba(
            lambda: ingest(work / "bank", db, 1), lambda: ingest(work / "bank", db, 2), args.repeat
        )
        r["bank_w1_s"], r["bank_w2_s"] = statistics.median(bank1), statistics.median(bank2)
    rates = [pdf_rates(decks) for _ in range(args.repeat)] if decks else []
    if rates:
        r["pdf_pages"] = rates[0][2]
        r["pdf_ours_pages_per_s"] = statistics.median(x[0] for x in rates)
        r["pdf_pdfplumber_pages_per_s"] = statistics.median(x[1] for x in rates)
        r["pdf_speedup"] = r["pdf_ours_pages_per_s"] / r["pdf_pdfplumber_pages_per_s"]
    r["help_s"] = median_of(help_time, max(5, args.repeat))
    r["peak_mb_small"] = peak_rss_mb(work / "small", db, 2)
    r["peak_mb_large"] = peak_rss_mb(work / "pages", db, 2)
    r["peak_ratio"] = r["peak_mb_large"] / r["peak_mb_small"]
    return r


def table(r: dict) -> str:
    rows = [
        ("text pages", f"{r['pages']}", ""),
        (
            "floor (read + 5 regexes, 1 process)",
            f"{r['floor_s']:.3f} s",
            f"{r['floor_ms_per_doc']:.3f} ms/doc",
        ),
        ("esfparse ingest --workers 1", f"{r['ingest_w1_s']:.3f} s", ""),
        (
            "esfparse ingest --workers 2",
            f"{r['ingest_w2_s']:.3f} s",
            f"{r['ingest_ms_per_doc']:.3f} ms/doc",
        ),
        ("ingest / floor (target <= 4)", f"{r['ingest_over_floor']:.2f}x", ""),
        (
            "speed-up 2 workers over 1 (target >= 1.8)",
            f"{r['speedup_w2_over_w1']:.2f}x",
            "rounds " + " ".join(f"{x:.2f}" for x in r["speedup_rounds"]),
        ),
        ("rows identical, 1 vs 2 workers", str(r["identical_w1_w2"]), ""),
        ("serial part: ingest of 1 page", f"{r['serial_s']:.3f} s", ""),
        ("speed-up bound from that serial part (Amdahl)", f"{r['amdahl_bound']:.2f}x", ""),
        (
            "machine: pure-Python job, 2 processes over 1",
            f"{r['machine_ceiling']:.2f}x",
            "rounds " + " ".join(f"{x:.2f}" for x in r["machine_rounds"]),
        ),
    ]
    if "bank_speedup" in r:
        rows += [
            (
                f"{r['bank_pages']} pages: ingest --workers 1 / 2",
                f"{r['bank_w1_s']:.1f} / {r['bank_w2_s']:.1f} s",
                "",
            ),
            (
                f"{r['bank_pages']} pages: speed-up 2 workers over 1",
                f"{r['bank_speedup']:.2f}x",
                "rounds " + " ".join(f"{x:.2f}" for x in r["bank_rounds"]),
            ),
        ]
    if "pdf_speedup" in r:
        rows += [
            (
                f"PDF decks ({r['decks']}, {r['pdf_pages']} pages): esfparse reader",
                f"{r['pdf_ours_pages_per_s']:.1f} pages/s",
                "",
            ),
            (
                "PDF decks: pdfplumber extract_text",
                f"{r['pdf_pdfplumber_pages_per_s']:.1f} pages/s",
                "",
            ),
            ("PDF speed-up (target >= 5)", f"{r['pdf_speedup']:.2f}x", ""),
        ]
    rows += [
        ("esfparse --help (target <= 0.3 s)", f"{r['help_s']:.3f} s", ""),
        ("peak memory, small corpus", f"{r['peak_mb_small']:.1f} MB", ""),
        ("peak memory, full corpus", f"{r['peak_mb_large']:.1f} MB", ""),
        ("peak ratio (target <= 1.2)", f"{r['peak_ratio']:.2f}x", ""),
    ]
    width = max(len(a) for a, _, _ in rows)
    return (
        "\n".join(f"{a:<{width}}  {b:>16}  {c}" for a, b, c in rows)
        + f"\n(medians of {r['repeat']} runs)"
    )


if __name__ == "__main__":
    sys.exit(main())
