"""Worker processes that parse; the caller (one writer) stores.

Results come back in input order, so a run with 1 and with N workers stores
identical rows. Work is handed out in bounded windows so memory stays flat in
the number of documents. On platforms with `fork`, the NLP pipeline and
gazetteers are built once in the parent and inherited by the workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

WINDOW = 256  # paths in flight at once: bounds memory held in result queues
CHUNKSIZE = 4


def default_workers() -> int:
    """The machine's usable cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def warm_up() -> None:
    """Build everything a parse needs once (spaCy pipeline, gazetteers, vocabularies)."""
    from .pipeline import parse
    from .readers.text import document_from_text

    sample = ("Titel\n\nProjektägare\nEn kommun\nRegion\nStockholm\nProjektperiod\n2020-01-01-2021-12-31\n\n"
              "Sammanfattning\n\nProjektet ska nå 100 deltagare i Stockholm, och minst 40 % ska få arbete.\n")
    parse(document_from_text(sample))
    from .nlp import get_nlp

    get_nlp()


def _map_chunk(args: tuple[Callable[[T], R], list[T]]) -> list[R]:
    func, chunk = args
    return [func(x) for x in chunk]


def imap_ordered(func: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """func over items in input order, in `workers` processes (in-process when workers <= 1).

    At most WINDOW items are in flight, so memory does not grow with the input.
    """
    items = list(items)
    if workers <= 1 or len(items) < 2:
        yield from map(func, items)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        warm_up()  # inherited copy-on-write by every worker
    chunks = iter([items[i:i + CHUNKSIZE] for i in range(0, len(items), CHUNKSIZE)])
    with ctx.Pool(workers) as pool:
        pending: deque = deque()
        for chunk in islice(chunks, WINDOW // CHUNKSIZE):
            pending.append(pool.apply_async(_map_chunk, ((func, chunk),)))
        while pending:
            results = pending.popleft().get()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.apply_async(_map_chunk, ((func, nxt),)))
            yield from results
