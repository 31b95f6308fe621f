"""CPU seconds of the extractors and the pipeline on the crafted inputs of issue 15, at 10 KB, 100 KB and 1 MB.

    python scripts/scaling.py            # the table of the README's performance section

Inputs: lines of capitalised names (a participant annex), stacked header-label lines, repeated
`Label: value` lines, `12%` repeated without spaces, capitalised place words. CPU time (not wall
time), so that other processes on the machine do not count; each cell is the best of two runs.
"""

from __future__ import annotations

import random
import sys
import time

from esfparse.extract.goals import explain_numbers
from esfparse.extract.people import find_people
from esfparse.extract.places import find_municipalities
from esfparse.parallel import warm_up
from esfparse.pipeline import extract_document
from esfparse.readers.text import document_from_text

GIVEN = [
    "Anna",
    "Erik",
    "Lena",
    "Per",
    "Karin",
    "Lars",
    "Maria",
    "Johan",
    "Eva",
    "Anders",
    "Sara",
    "Nils",
]
SURNAMES = [
    "Karlsson",
    "Svensson",
    "Lindqvist",
    "Berg",
    "Holm",
    "Ek",
    "Nyström",
    "Sandberg",
    "Lund",
    "Åberg",
]
PLACE_WORDS = [
    "Norra",
    "Södra",
    "Stora",
    "Gamla",
    "Nya",
    "Västra",
    "Östra",
    "Lilla",
    "Berga",
    "Dalen",
    "Sjö",
    "Krokom",
    "Strömsund",
    "Åre",
    "Berg",
    "Härjedalen",
    "Bräcke",
    "Ragunda",
    "Östersund",
    "Falun",
]
LABELS = [
    "Projektägare",
    "Kontaktperson",
    "E-post",
    "Telefon",
    "Beviljat ESF-stöd",
    "Total projektbudget",
    "Projektperiod",
    "Region",
    "Programområde",
    "Diarienummer",
    "Fas",
    "Utlysning",
]


def grow(piece, n: int, seed: int) -> str:
    """Pieces drawn by `piece(random)` until n characters."""
    rng, out, size = random.Random(seed), [], 0
    while size < n:
        out.append(piece(rng))
        size += len(out[-1])
    return "".join(out)[:n]


ROWS = [
    (
        "people finder on lines of capitalised words",
        find_people,
        lambda n: grow(lambda r: f"{r.choice(GIVEN)} {r.choice(SURNAMES)}\n", n, 1),
    ),
    (
        "whole pipeline on stacked header-label lines",
        lambda t: extract_document(document_from_text(t)),
        lambda n: grow(lambda r: r.choice(LABELS) + "\n", n, 2),
    ),
    (
        "whole pipeline on `Label: value` lines",
        lambda t: extract_document(document_from_text(t)),
        lambda n: ("Projektägare: Krokoms kommun\n" * (n // 29 + 1))[:n],
    ),
    (
        "goal number explanation on `12%` repeated",
        explain_numbers,
        lambda n: ("12%" * (n // 3 + 1))[:n],
    ),
    (
        "municipality finder on capitalised words",
        find_municipalities,
        lambda n: grow(
            lambda r: r.choice(PLACE_WORDS) + r.choice([" ", " ", " ", "\n", ", "]), n, 4
        ),
    ),
]
SIZES = [(10_000, "10 KB"), (100_000, "100 KB"), (1_000_000, "1 MB")]


def cpu(run, text: str) -> float:
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        run(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    warm_up()
    print("| input | " + " | ".join(label for _, label in SIZES) + " | 1 MB / 100 KB |")
    print("|---|" + "---:|" * (len(SIZES) + 1))
    for name, run, make in ROWS:
        times = [cpu(run, make(n)) for n, _ in SIZES]
        cells = " | ".join(f"{t:.2f} s" for t in times)
        print(f"| {name} | {cells} | {times[-1] / max(times[-2], 1e-3):.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
