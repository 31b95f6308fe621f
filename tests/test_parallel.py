"""The worker pool: input order, dead workers, and identical rows with 1 and 2 workers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from esfparse import parallel
from esfparse.ingest import run_ingest

ROOT = Path(__file__).resolve().parent.parent
needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(),
    reason="a worker that kills itself is only inherited under fork",
)


def square(x: int) -> int:
    return x * x


def die_on_13(x: int) -> int:
    if x == 13:
        os._exit(3)
    return -x


def killed_on_7(x: int) -> int:
    if x == 7:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_results_come_back_in_input_order_across_chunks():
    items = list(range(parallel.CHUNKSIZE * parallel.WINDOW * 2 + 5))  # more than one window
    assert list(parallel.imap_ordered(square, items, 2)) == [x * x for x in items]


def test_one_worker_runs_in_process():
    assert list(parallel.imap_ordered(square, [1, 2, 3], 1)) == [1, 4, 9]


@needs_fork
def test_a_dying_worker_loses_only_its_item_and_the_run_goes_on():
    items = list(range(40))
    out = list(parallel.imap_ordered(die_on_13, items, 2, lost=lambda x, why: ("lost", x, why)))
    assert out[13] == ("lost", 13, "exit code 3")
    assert out[:13] + out[14:] == [-x for x in items if x != 13]


@needs_fork
def test_a_killed_worker_is_named_by_its_signal():
    out = list(parallel.imap_ordered(killed_on_7, list(range(20)), 2, lost=lambda x, why: why))
    assert out[7] == "killed by signal 9"
    assert [x for i, x in enumerate(out) if i != 7] == [x for x in range(20) if x != 7]


@needs_fork
def test_by_default_a_lost_item_is_an_error():
    with pytest.raises(RuntimeError, match="worker process died while handling 13"):
        list(parallel.imap_ordered(die_on_13, list(range(20)), 2))


def _rows(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    out = {}
    for (table,) in conn.execute(
        "select name from sqlite_master where type = 'table' and name not like '%fts%' "
        "and name not like 'sqlite_%' and name != 'ingest_runs'"
    ):
        cols = [
            r[1] for r in conn.execute(f"pragma table_info([{table}])") if r[1] != "ingested_at"
        ]
        out[table] = conn.execute(
            f"select {', '.join(f'[{c}]' for c in cols)} from [{table}] order by rowid"
        ).fetchall()
    conn.close()
    return out


def test_one_and_two_workers_store_identical_rows(tmp_path):
    files = [(p, None) for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert run_ingest(files, str(one), workers=1, progress=False)["ingested"] == len(files)
    assert run_ingest(files, str(two), workers=2, progress=False)["ingested"] == len(files)
    rows_one, rows_two = _rows(one), _rows(two)
    assert rows_one["goals"] and rows_one["organisations"]  # something to compare
    assert rows_one == rows_two  # same rows, same ids, same order


@needs_fork
def test_ingest_reports_a_file_whose_parser_process_died_and_stores_the_rest(tmp_path, monkeypatch):
    from esfparse import ingest

    files = [(p, None) for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))[:6]]
    victim = str(files[2][0])
    real = ingest._work

    def work(path: str):
        if path == victim:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does to a process out of memory
        return real(path)

    monkeypatch.setattr(ingest, "_work", work)
    summary = run_ingest(files, str(tmp_path / "esf.db"), workers=2, progress=False)
    assert (summary["ingested"], summary["failed"]) == (5, 1)
    conn = sqlite3.connect(tmp_path / "esf.db")
    (message,) = conn.execute(
        "select message from problems where code = 'read.unreadable'"
    ).fetchone()
    assert message.startswith(
        f"{victim}: the parser process died on this file (killed by signal 9)"
    )
    assert conn.execute("select count(*) from documents").fetchone() == (5,)


@pytest.mark.parametrize("n", [0, 1, 7, 63, 64, 65, 500, 2001])
def test_chunks_cover_the_items_in_order_small_at_both_ends(n):
    chunks = parallel._chunks(list(range(n)), 2)
    assert [x for c in chunks for x in c] == list(range(n))
    assert all(0 < len(c) <= parallel.CHUNKSIZE for c in chunks)
    if n > 4 * parallel.CHUNKSIZE:
        assert len(chunks[0]) == 2 and len(chunks[-1]) <= parallel.CHUNKSIZE // 4
    if n > 8 * parallel.CHUNKSIZE:
        assert max(len(c) for c in chunks) == parallel.CHUNKSIZE


def test_the_duplicate_pass_reads_only_shared_pages_and_finds_the_same_problems(tmp_path):
    import sqlite_utils

    from esfparse.checks import find_conflicting_duplicates
    from esfparse.ingest import stored_projects

    corpus = ROOT / "corpus"
    pages = [
        *corpus.glob("raw/*.txt"),
        *corpus.glob("html/*.html"),
        *corpus.glob("heldout/raw/*.txt"),
    ]
    files = [
        (p, None) for p in sorted(pages)
    ]  # text and HTML copies of each page, held-out pages once
    run_ingest(files, str(tmp_path / "esf.db"), workers=1, progress=False)
    db = sqlite_utils.Database(tmp_path / "esf.db")
    every, shared = stored_projects(db), stored_projects(db, shared_only=True)
    assert (
        len({sha for _, sha, _ in every} - {sha for _, sha, _ in shared}) > 0
    )  # pages with no copy skipped
    found = [
        (path, p.model_dump())
        for path, p in find_conflicting_duplicates((a, r) for a, _, r in every)
    ]
    assert found  # the corpus holds two snapshots of one ESF+ project that disagree
    assert [
        (path, p.model_dump())
        for path, p in find_conflicting_duplicates((a, r) for a, _, r in shared)
    ] == found


ARMED = {"marker": None}  # set by the test before the workers fork


def exit_soon_after_10(x: int) -> int:
    """Item 10 arms, once per test, a timer that ends its worker a moment later, on a later chunk."""
    import threading
    import time

    marker = ARMED["marker"]
    if x == 10 and not marker.exists():
        marker.touch()
        threading.Timer(0.02, os._exit, args=(5,)).start()
    time.sleep(0.002)
    return x


@needs_fork
def test_a_worker_that_dies_after_answering_is_replaced_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.setitem(ARMED, "marker", tmp_path / "armed")
    out = list(
        parallel.imap_ordered(
            exit_soon_after_10, list(range(120)), 2, lost=lambda x, why: ("lost", x)
        )
    )
    assert (tmp_path / "armed").exists()  # a worker did die
    assert out == list(range(120))


# ---------------------------------------------------------------- the time budget


def spin_on_3(x: int) -> int:
    if x == 3:
        started = time.process_time()
        while time.process_time() - started < 30:  # far over any budget below
            pass
    return x


def hang_on_3(x: int) -> int:
    if x == 3:  # the timer's signal blocked: stuck as in one long C call
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGPROF])
        time.sleep(60)
    return x


@pytest.mark.parametrize("workers", [1, 2])
def test_an_item_over_its_budget_yields_late_and_the_worker_goes_on(workers):
    started = time.monotonic()
    out = list(
        parallel.imap_ordered(
            spin_on_3, list(range(10)), workers, budget=0.3, late=lambda x, b: ("late", x, b)
        )
    )
    assert out == [0, 1, 2, ("late", 3, 0.3), 4, 5, 6, 7, 8, 9]
    assert time.monotonic() - started < 20


def test_by_default_an_item_over_its_budget_is_an_error():
    with pytest.raises(RuntimeError, match=r"3 took more than its time budget of 0\.2 s"):
        list(parallel.imap_ordered(spin_on_3, [2, 3], 1, budget=0.2))


@needs_fork
def test_a_worker_stuck_where_the_timer_cannot_reach_is_killed_and_only_its_item_is_late(
    monkeypatch,
):
    monkeypatch.setattr(parallel, "GRACE", 0.3)
    out = list(
        parallel.imap_ordered(
            hang_on_3,
            list(range(10)),
            2,
            budget=0.2,
            lost=lambda x, why: ("lost", x),
            late=lambda x, b: ("late", x),
        )
    )
    assert out == [0, 1, 2, ("late", 3), 4, 5, 6, 7, 8, 9]


@needs_fork
@pytest.mark.parametrize("workers", [1, 2])
def test_ingest_reports_a_document_over_the_budget_and_stores_the_rest(
    tmp_path, monkeypatch, workers
):
    from esfparse import ingest

    files = [(p, None) for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))[:6]]
    victim = str(files[2][0])
    real = ingest._work

    def work(path: str):
        return spin_on_3(3) if path == victim else real(path)

    monkeypatch.setattr(ingest, "_work", work)
    summary = run_ingest(
        files, str(tmp_path / "esf.db"), workers=workers, progress=False, time_budget=0.5
    )
    assert (summary["ingested"], summary["failed"]) == (5, 1)
    conn = sqlite3.connect(tmp_path / "esf.db")
    assert conn.execute(
        "select code, path, message from problems where document_id is null"
    ).fetchall() == [
        (
            "parse.time_budget",
            victim,
            f"{victim}: not parsed within the time budget (0.5 CPU seconds per document, "
            "--time-budget); the run went on without it",
        )
    ]
    assert conn.execute("select count(*) from documents").fetchone() == (5,)
