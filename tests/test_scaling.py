"""Cost linear in the input: every extractor and `extract` on crafted inputs of 100 KB and 1 MB.

Each input is built to hit a spot that once cost time quadratic in the text (a line or sentence
re-scanned per name or number, a block re-read from every line, a regex run to the end of a long
token) while doing little work per character, so the whole module stays fast. The test compares
CPU time at 1 MB with CPU time at 100 KB: linear growth gives ~10, quadratic ~100; it fails above 15.
Absolute times are not asserted (machines differ), only how the time grows.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from esfparse import nlp
from esfparse.classify import classify
from esfparse.extract import contacts, goals, numbers, organisations, orgnames, people, places
from esfparse.parsers.header import read_header
from esfparse.pipeline import extract_document
from esfparse.readers.text import document_from_text

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE, MAX_RATIO = 100_000, 1_000_000, 15

_WORDS = [
    "projektet",
    "ska",
    "ge",
    "stöd",
    "till",
    "fler",
    "inom",
    "vård",
    "och",
    "omsorg",
    "under",
    "hela",
    "perioden",
]
_PAGE = (ROOT / "corpus" / "raw" / "dev04.txt").read_text(encoding="utf-8")


def _cycle(pieces: list[str], n: int) -> str:
    """The pieces repeated in turn until `n` characters."""
    out, size = [], 0
    for piece in itertools.cycle(pieces):
        out.append(piece)
        size += len(piece)
        if size >= n:
            return "".join(out)[:n]
    raise AssertionError


def _filler(k: int, glue: str = " ") -> str:
    return glue.join(_WORDS[i % len(_WORDS)] for i in range(k))


def _in_page(body: str) -> str:
    """A real project page with `body` inside its Sammanfattning section."""
    cut = _PAGE.index("Sammanfattning") + len("Sammanfattning\n\n")
    return _PAGE[:cut] + body + _PAGE[cut:]


# Input builders: n characters each. One long line or sentence with a few cues in it is the shape
# that used to cost a scan of the whole line per cue.
INPUTS: dict[str, Callable[[int], str]] = {
    # names and places spread along one line without punctuation
    "names on one line": lambda n: _cycle([f"Anna Berg {_filler(40)} Erik Holm {_filler(40)} "], n),
    "places on one line": lambda n: _cycle([f"i Krokom och Åre {_filler(25)} "], n),
    # numbers spread along one sentence without a full stop; a run of figures without spaces
    "numbers in one sentence": lambda n: _cycle([f"under 2015 och {_filler(60)} "], n),
    "figures run together": lambda n: ("12%" * (n // 3 + 1))[:n],
    # lower-case lines joined into one paragraph
    "wrapped lines": lambda n: _cycle([f"{_filler(25)},\n"], n),
    # label lines: every line could start a header block
    "label lines": lambda n: _cycle(
        [f"Projektägare: Krokoms kommun {_filler(40, '-')}\n", "Kontaktperson\n"], n
    ),
    # one long token: hyphenated words, `@` signs
    "hyphenated token": lambda n: _cycle(["Arbetsmarknadsutbildningarnas-"], n),
    "at signs": lambda n: _cycle([f"a@b@a@ {_filler(3)} "], n),
    # one long run of blank lines (a regex `^\s*` once ran across all of it from every line)
    "blank lines": lambda n: _filler(40) + "\n" + _cycle(["\n" + " " * 99], n - 300),
    # organisations and definitions along one line
    "organisations on one line": lambda n: _cycle(
        [f"tillsammans med Arbetsförmedlingen och {_filler(15)} "], n
    ),
    "partner sentences": lambda n: _cycle(
        [
            "Projektet drivs i samverkan med Arbetsförmedlingen och Skolverket. "
            + f"{_filler(8).capitalize()}. " * 80
        ],
        n,
    ),
    "definitions on one line": lambda n: _cycle(
        [f"Stöd för Projektlärande (SPL) {_filler(15)} "], n
    ),
}

# What runs on which input: each extractor on the inputs that reach its loops, `extract` on pages.
CASES = [
    ("find_people", "names on one line", lambda t: people.find_people(t)),
    ("find_municipalities", "places on one line", lambda t: places.find_municipalities(t)),
    ("explain_numbers", "numbers in one sentence", lambda t: goals.explain_numbers(t)),
    ("explain_numbers", "figures run together", lambda t: goals.explain_numbers(t)),
    ("find_numbers", "numbers in one sentence", lambda t: numbers.find_numbers(t)),
    ("split_sentences", "wrapped lines", lambda t: nlp.split_sentences(t)),
    ("find_text_tables", "wrapped lines", lambda t: nlp.find_text_tables(t)),
    (
        "find_partner_mentions",
        "partner sentences",
        lambda t: list(organisations.find_partner_mentions(t)),
    ),
    (
        "find_known_organisations",
        "organisations on one line",
        lambda t: orgnames.find_known_organisations(t),
    ),
    ("find_definitions", "definitions on one line", lambda t: orgnames.find_definitions(t)),
    ("find_emails", "at signs", lambda t: list(contacts.find_emails(t))),
    ("find_urls", "hyphenated token", lambda t: list(contacts.find_urls(t))),
    ("read_header", "label lines", lambda t: read_header(document_from_text(t))),
    ("classify", "blank lines", lambda t: classify(document_from_text(t))),
    ("extract", "label lines", lambda t: extract_document(document_from_text(t))),
    ("extract", "page: names on one line", lambda t: extract_document(document_from_text(t))),
]


@cache
def text_of(name: str, n: int) -> str:
    """Each input once per size (the 1 MB ones are shared by the cases that use them)."""
    if name.startswith("page: "):
        body = INPUTS[name.removeprefix("page: ")](n - len(_PAGE))
        return _in_page(body)
    return INPUTS[name](n)


def cpu_seconds(run: Callable[[str], object], text: str, repeat: int) -> float:
    """The least CPU time of `repeat` runs (CPU time: other processes on the machine do not count)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(("extractor", "name", "run"), CASES, ids=[f"{e}-{n}" for e, n, _ in CASES])
def test_time_grows_linearly_with_the_input(
    extractor: str, name: str, run: Callable[[str], object]
) -> None:
    small, large = text_of(name, SMALL), text_of(name, LARGE)
    run(small[:1000])  # vocabularies and compiled patterns are built before timing
    t_small = max(cpu_seconds(run, small, 1), 0.01)  # below 10 ms: timer noise
    t_large = cpu_seconds(run, large, 1)
    if (
        t_large / t_small > MAX_RATIO
    ):  # measure once more before failing: a slow moment, not the code
        t_small = max(t_small, cpu_seconds(run, small, 2))
        t_large = min(t_large, cpu_seconds(run, large, 1))
    assert t_large / t_small <= MAX_RATIO, (
        f"{extractor} on {name}: {t_small:.3f} s at 100 KB, {t_large:.3f} s at 1 MB"
    )
