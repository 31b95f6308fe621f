"""PDF pages per second: esfparse's reader against pdfplumber ``extract_text`` alone, one run.

    .venv/bin/python scripts/bench_pdf.py [--rounds 3] [files...]

Defaults to every PDF in corpus/pdf/. Each engine reads every file ``--rounds`` times from bytes
already in memory (no disk time); the best round counts, so a cold cache does not decide.
Also shown: pypdfium2's plain ``get_text_range`` (the floor our reader builds on).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from esfparse.readers import pdf as esf_pdf  # noqa: E402


def esfparse_reader(data: bytes) -> int:
    """Our reader: text, layout, tables; returns pages read."""
    return esf_pdf.read_bytes(data, "bench.pdf").pages


def plumber_text(data: bytes) -> int:
    """pdfplumber extract_text on every page, nothing else."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_text(data: bytes) -> int:
    """pypdfium2 get_text_range on every page, nothing else."""
    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            page.get_textpage().get_text_range()
        return len(pdf)
    finally:
        pdf.close()


ENGINES = {
    "esfparse reader (esfparse reader (pdfium text and tables))": esfparse_reader,
    "pdfplumber extract_text": plumber_text,
    "pypdfium2 get_text_range": pdfium_text,
}


def best_round(engine, blobs: list[bytes], rounds: int) -> tuple[int, float]:
    """(pages, seconds) of the fastest of several rounds over all files."""
    best = float("inf")
    pages = 0
    for _ in range(rounds):
        start = time.perf_counter()
        pages = sum(engine(b) for b in blobs)
        best = min(best, time.perf_counter() - start)
    return pages, best


def main() -> None:
    """Print one table: engine, pages, seconds, pages per second, relative speed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "corpus/pdf").glob("*.pdf"))
    blobs = [f.read_bytes() for f in files]
    print(f"{len(files)} files, {sum(map(len, blobs)) // 1024} KiB, best of {args.rounds} rounds")
    results = {name: best_round(fn, blobs, args.rounds) for name, fn in ENGINES.items()}
    base = results["pdfplumber extract_text"]
    print(f"{'engine':46} {'pages':>5} {'seconds':>8} {'pages/s':>8} {'vs plumber':>10}")
    for name, (pages, secs) in results.items():
        rate = pages / secs
        print(f"{name:46} {pages:5d} {secs:8.3f} {rate:8.1f} {rate / (base[0] / base[1]):9.1f}x")


if __name__ == "__main__":
    main()
