"""Worker processes that parse; the caller (one writer) stores.

`imap_ordered` hands out chunks of work to N worker processes over one pipe each and gives the
results back in input order, so a run with 1 and with N workers stores identical rows.

Why not `multiprocessing.Pool`: a Pool worker that dies (out of memory, a crash in a C library)
leaves its task unanswered and the run hangs for ever, and its three helper threads fight the
writer for the GIL. Here the parent waits on the pipes and on each worker's exit at once: when a
worker dies, its chunk is retried one item at a time in a fresh worker, so only the item that
kills a worker is lost, and it is reported through `lost`.

With a `budget`, each item has that many CPU seconds: a profiling timer interrupts an item that
runs over and it yields ``late(item, budget)``, the worker goes on with the next. An item stuck where
the timer cannot reach it (inside one long C call) is caught by the parent instead: a worker that
has not answered for twice its chunk's budget (wall clock) plus a few seconds is killed, its chunk
retried one item at a time, and the item it is stuck on yields ``late`` too.

Memory stays flat in the number of items: at most WINDOW chunks are in flight or waiting to be
yielded. On platforms with `fork`, the NLP pipeline and gazetteers are built once in the parent
and inherited copy-on-write by every worker.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKSIZE = 16  # items per message: amortises pickling and wake-ups, small next to a 2,000-item run
AHEAD = 2  # chunks queued per worker, so a worker never waits for the parent between chunks
WINDOW = 16  # chunks in flight or finished but not yet yielded: bounds memory
GRACE = 5.0  # wall seconds on top of twice the budget before the parent kills a silent worker


class OverBudget(BaseException):
    """Raised inside an item's call when its CPU-time budget runs out.

    A BaseException, like KeyboardInterrupt, so that a caller's `except Exception` (a parser
    reporting its own bugs per file) does not swallow it.
    """


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

    sample = (
        "Titel\n\nProjektägare\nEn kommun\nRegion\nStockholm\nProjektperiod\n2020-01-01-2021-12-31\n\n"
        "Sammanfattning\n\nProjektet ska nå 100 deltagare i Stockholm, och minst 40 % ska få arbete.\n"
    )
    parse(document_from_text(sample))
    from .nlp import get_nlp

    get_nlp()
    # Everything built so far lives to the end of the run: keep the collector off it. Collections get
    # shorter, and forked workers do not copy the pages the collector would otherwise touch.
    gc.freeze()


def _over_budget(signum: int, frame: Any) -> None:
    raise OverBudget


def _call(
    func: Callable[[Any], Any], x: Any, budget: float | None, late: Callable[[Any, float], Any]
) -> Any:
    """func(x), or late(x, budget) when it uses more than `budget` CPU seconds (main thread only)."""
    if not budget or threading.current_thread() is not threading.main_thread():
        return func(x)
    previous = signal.signal(signal.SIGPROF, _over_budget)
    try:
        signal.setitimer(signal.ITIMER_PROF, budget)
        try:
            return func(x)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except OverBudget:
        return late(x, budget)
    finally:
        signal.signal(signal.SIGPROF, previous)


def _serve(
    func: Callable[[Any], Any],
    conn: Any,
    budget: float | None = None,
    late: Callable[[Any, float], Any] | None = None,
) -> None:
    """Worker loop: (task id, items) in, (task id, results) out, until told to stop."""
    try:
        while (task := conn.recv()) is not None:
            key, chunk = task
            conn.send((key, [_call(func, x, budget, late or _late) for x in chunk]))
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass  # the parent is gone or interrupted: nothing left to do


def _died(item: Any, reason: str) -> Any:
    raise RuntimeError(f"worker process died while handling {item!r} ({reason})")


def _late(item: Any, budget: float) -> Any:
    raise RuntimeError(f"{item!r} took more than its time budget of {budget:g} s")


class _Worker:
    def __init__(
        self,
        ctx: Any,
        func: Callable[[Any], Any],
        budget: float | None = None,
        late: Callable[[Any, float], Any] | None = None,
    ):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(func, child, budget, late), daemon=True)
        self.proc.start()
        child.close()
        self.tasks: deque[tuple[tuple[int, int], list[Any]]] = deque()  # sent, not yet answered
        self.since = 0.0  # when its first unanswered task became the one it works on
        self.overdue = False  # killed by the parent for running over the budget


def imap_ordered(
    func: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    lost: Callable[[T, str], R] = _died,
    budget: float | None = None,
    late: Callable[[T, float], R] = _late,
) -> Iterator[R]:
    """func over items in input order, in `workers` processes (in-process when workers <= 1).

    An item whose worker process dies yields ``lost(item, reason)`` (by default: raises); with a
    `budget` (CPU seconds per item), an item over it yields ``late(item, budget)`` (by default: raises).
    """
    items = list(items)
    fork = "fork" in multiprocessing.get_all_start_methods()
    parallel = workers > 1 and len(items) > 1
    if len(items) > 1 and (fork or not parallel):
        warm_up()  # once in this process; under fork, inherited by every worker
    if not parallel:
        yield from (_call(func, x, budget, late) for x in items)
        return
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    yield from _Run(ctx, func, items, min(workers, len(items)), lost, budget, late)


def _chunks(items: list[Any], workers: int) -> list[list[Any]]:
    """Items cut into chunks: small at first, so the writer has work at once; small at the end, so the
    workers finish together; CHUNKSIZE between."""
    ramp = [size for size in (2, 4, 8) if size < CHUNKSIZE for _ in range(workers)]
    end = max(0, len(items) - 2 * workers * CHUNKSIZE)  # from here on, quarter-size chunks
    chunks, i = [], 0
    while i < len(items):
        size = ramp.pop(0) if ramp else CHUNKSIZE
        if i >= end:
            size = min(size, max(1, CHUNKSIZE // 4))
        chunks.append(items[i : i + size])
        i += size
    return chunks


class _Run:
    """One parallel map: hands out tasks, collects answers, replaces dead workers."""

    def __init__(
        self,
        ctx: Any,
        func: Callable[[Any], Any],
        items: list[Any],
        workers: int,
        lost: Callable[[Any, str], Any],
        budget: float | None = None,
        late: Callable[[Any, float], Any] = _late,
    ):
        self.ctx, self.func, self.lost, self.budget, self.late = ctx, func, lost, budget, late
        self.chunks = _chunks(items, workers)
        # A task is (chunk index, offset in chunk) plus its items; a chunk is retried item by item.
        self.queue: deque[tuple[tuple[int, int], list[Any]]] = deque()
        self.next_chunk = 0  # next chunk to queue
        self.slots: dict[int, list[Any]] = {}  # chunk index -> results (None where pending)
        self.pending: dict[int, int] = {}  # chunk index -> results still missing
        self.workers = [self._start() for _ in range(workers)]

    def _start(self) -> _Worker:
        return _Worker(self.ctx, self.func, self.budget, self.late)

    def __iter__(self) -> Iterator[Any]:
        done = 0
        try:
            while done < len(self.chunks):
                self._feed(done)
                if self.pending[done] == 0:
                    del self.pending[done]
                    yield from self.slots.pop(done)
                    done += 1
                    continue
                self._collect()
        finally:
            self._close()

    def _feed(self, done: int) -> None:
        while self.next_chunk < len(self.chunks) and self.next_chunk < done + WINDOW:
            chunk = self.chunks[self.next_chunk]
            self.slots[self.next_chunk] = [None] * len(chunk)
            self.pending[self.next_chunk] = len(chunk)
            self.queue.append(((self.next_chunk, 0), chunk))
            self.next_chunk += 1
        for i in range(len(self.workers)):
            while self.queue and len((w := self.workers[i]).tasks) < AHEAD:
                task = self.queue.popleft()
                try:
                    w.conn.send(task)
                except OSError:  # it died since it last answered: retry its work and this task
                    self.queue.appendleft(task)
                    self._replace(w)
                    continue
                if not w.tasks:
                    w.since = time.monotonic()
                w.tasks.append(task)

    def _deadline(self, w: _Worker) -> float:
        """When a worker still silent on its current task is taken to be stuck (wall clock)."""
        return w.since + 2 * (self.budget or 0) * len(w.tasks[0][1]) + GRACE

    def _collect(self) -> None:
        """Wait for an answer or a death, and record it; kill a worker stuck past its budget."""
        busy = [w for w in self.workers if w.tasks]
        timeout = (
            max(0.0, min(map(self._deadline, busy)) - time.monotonic()) if self.budget else None
        )
        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout))
        for w in busy:
            if w.conn in ready:
                try:
                    (index, offset), results = w.conn.recv()
                except (EOFError, ConnectionError, OSError):
                    self._replace(w)
                    continue
                w.tasks.popleft()
                w.since = time.monotonic()
                self._fill(index, offset, results)
            elif w.proc.sentinel in ready:  # exited with nothing left to read
                self._replace(w)
            elif self.budget and time.monotonic() > self._deadline(
                w
            ):  # stuck where the timer cannot reach
                w.overdue = True
                w.proc.kill()
                self._replace(w)

    def _fill(self, index: int, offset: int, results: list[Any]) -> None:
        self.slots[index][offset : offset + len(results)] = results
        self.pending[index] -= len(results)

    def _replace(self, dead: _Worker) -> None:
        """A worker died: retry its work in a new worker, the failing chunk item by item; a lone item is lost."""
        dead.proc.join()
        reason = (
            f"exit code {dead.proc.exitcode}"
            if (dead.proc.exitcode or 0) >= 0
            else f"killed by signal {-dead.proc.exitcode}"
        )
        dead.conn.close()
        if (
            dead.tasks
        ):  # it died on its first unanswered task; the ones queued behind it never started
            (index, offset), chunk = dead.tasks.popleft()
            if len(chunk) == 1:
                if dead.overdue:
                    assert self.budget is not None  # only a budget makes a worker overdue
                    result = self.late(chunk[0], self.budget)
                else:
                    result = self.lost(chunk[0], reason)
                self._fill(index, offset, [result])
                retry = list(dead.tasks)
            else:
                retry = [((index, offset + j), [x]) for j, x in enumerate(chunk)] + list(dead.tasks)
            dead.tasks.clear()
            self.queue.extendleft(reversed(retry))
        self.workers[self.workers.index(dead)] = self._start()

    def _close(self) -> None:
        for w in self.workers:
            with contextlib.suppress(OSError):
                w.conn.send(None)
        for w in self.workers:
            w.proc.join(timeout=1)
            if w.proc.is_alive():
                w.proc.terminate()
                w.proc.join()
            w.conn.close()
