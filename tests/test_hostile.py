"""Hostile inputs as they come off file shares and zip extracts, each made at test time.

One test (or table row) per case: file names that are not UTF-8, FIFOs and devices, tags and
`%PDF-` quoted in prose, mixed encodings and mojibake, a page cut inside a number, byte copies,
bad --workers, and Ctrl-C / SIGTERM during ingest. A property test ends it: random name bytes and
random prefixes of real pages never cost another file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esfparse.cli import cli
from esfparse.names import shown, unshown

from .conftest import CORPUS, RAW

BAD = os.fsdecode(b"bad\xe9name.txt")  # the name a Latin-1 zip extract leaves: not UTF-8
BAD_SHOWN = "bad\\xe9name.txt"


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A case that would wait for ever (a FIFO) fails after a minute instead."""

    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError("the command hung")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), obj={})


def ingest(folder: Path, *extra: str) -> tuple[Any, sqlite3.Connection]:
    db = folder.parent / f"{folder.name}.db"
    result = run("ingest", str(folder), "--db", str(db), "-q", *extra)
    assert "Traceback" not in result.stderr, result.stderr
    return result, sqlite3.connect(db)


def errors(result: Any) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("error:", "Error:"))]


def page(name: str = "dev04.txt") -> bytes:
    return (RAW / name).read_bytes()


def folder_with(tmp_path: Path, **files: bytes) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "good.txt").write_bytes(page())
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# ---------------------------------------------------------------- 1. file names that are not UTF-8


def test_name_shown_with_escapes_and_back() -> None:
    assert shown(BAD) == BAD_SHOWN and unshown(BAD_SHOWN) == BAD
    assert shown("Östersund.txt") == "Östersund.txt" and unshown("Östersund.txt") == "Östersund.txt"


def test_file_name_not_utf8_is_stored_under_its_escaped_name(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / BAD).write_bytes(page("dev05.txt"))
    result, con = ingest(folder)
    assert result.exit_code == 0, result.stderr
    assert sorted(r[0] for r in con.execute("select path from documents")) == [
        f"{folder}/{BAD_SHOWN}",
        f"{folder}/good.txt",
    ]
    assert con.execute("select count(*) from projects").fetchone()[0] == 2


def test_failing_file_with_such_a_name_is_one_line_and_one_row(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / BAD).write_bytes(b"")
    result, con = ingest(folder)
    assert result.exit_code == 1
    assert errors(result) == [f"error: {folder}/{BAD_SHOWN}: empty file"]
    assert con.execute("select path, code from problems").fetchall() == [
        (f"{folder}/{BAD_SHOWN}", "read.unreadable")
    ]
    assert con.execute("select path from documents").fetchall() == [(f"{folder}/good.txt",)]


def test_validate_extract_and_review_take_such_a_name(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / BAD).write_bytes(page("dev05.txt"))
    report = run("validate", str(folder), "--format", "json")
    assert "Traceback" not in report.stderr and report.exit_code == 0
    assert [f["path"] for f in json.loads(report.output)["files"]] == [
        f"{folder}/{BAD_SHOWN}",
        f"{folder}/good.txt",
    ]
    pasted = f"{folder}/{BAD_SHOWN}"  # the shown form, pasted back as an argument
    assert '"title": "Ovttas"' in run("extract", pasted).output
    out = tmp_path / "review.html"
    assert run("review", pasted, "-o", str(out)).exit_code == 0
    assert BAD_SHOWN in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 2. only regular files, never unbounded


def test_fifo_in_a_folder_is_one_line(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    result, con = ingest(folder)
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {folder}/pipe.txt: not a regular file (a FIFO, a named pipe); "
        "only regular files are read"
    ]
    assert con.execute("select count(*) from documents").fetchone()[0] == 1


@pytest.mark.parametrize("command", ["ingest", "validate", "extract"])
def test_fifo_given_directly_does_not_wait(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    extra = ["--db", str(tmp_path / "x.db"), "-q"] if command == "ingest" else []
    result = run(command, str(fifo), *extra)
    assert result.exit_code == 1
    assert "not a regular file (a FIFO, a named pipe)" in result.output + result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_symlink_to_a_device_is_refused_and_a_symlink_to_a_file_read(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "link.txt").symlink_to(RAW / "dev05.txt")
    result, con = ingest(folder)
    assert errors(result) == [
        f"error: {folder}/zero.txt: not a regular file (a character device); "
        "only regular files are read"
    ]
    assert con.execute("select count(*) from projects").fetchone()[0] == 2


def test_reads_stop_at_the_limit_whatever_the_size_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from esfparse.errors import UnreadableDocument
    from esfparse.readers import text

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    monkeypatch.setattr(
        os, "fstat", lambda fd: os.stat_result((0o100644, 0, 0, 1, 0, 0, 10, 0, 0, 0))
    )
    with pytest.raises(UnreadableDocument, match="file too large"):
        text.file_bytes(big, limit=1000)
    with text.open_regular(big) as f:
        assert len(text.read_capped(f, "big.txt", 5000)) == 5000


# ---------------------------------------------------------------- 3. the start of the content decides


def _with_line(after: str, line: str, name: str = "dev04.txt") -> bytes:
    text = page(name).decode("utf-8")
    at = text.index(after) + len(after)
    return (text[:at] + line + text[at:]).encode("utf-8")


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("Filerna sparas som %PDF-1.4 för arkivet.\n", id="pdf-magic-in-prose"),
        pytest.param(
            "Deltagarna lär sig märka upp text med <b>, <i>, <p>, <br> och <div>.\n",
            id="html-tags-in-prose",
        ),
    ],
)
def test_quoted_signatures_do_not_choose_the_reader(tmp_path: Path, line: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_bytes(_with_line("Sammanfattning\n\n", line))
    result, con = ingest(folder)
    assert result.exit_code == 0 and errors(result) == []
    assert con.execute("select format, kind, title from documents").fetchall() == [
        ("text", "project_page", "Fler undersköterskor")
    ]
    assert con.execute("select esf_grant_sek from projects").fetchall() == [(5261655,)]


@pytest.mark.parametrize(
    ("name", "data", "fmt", "note"),
    [
        (
            "sida.txt",
            b"<!DOCTYPE html><html><body><p>Projektet Fler</p></body></html>",
            "html",
            "named .txt but contains html",
        ),
        (
            "sida.txt",
            b"\xef\xbb\xbf  <!-- sparad -->\n<body><p>Projektet Fler</p></body>",
            "html",
            "named .txt but contains html",
        ),
        ("sida.html", b"Projektet Fler, ingen markup alls", "html", None),
        (
            "sida.pdf",
            b"<html><body><p>Felsida</p></body></html>",
            "html",
            "named .pdf but contains html",
        ),
    ],
    ids=["doctype-in-txt", "bom-comment-body-in-txt", "html-without-tags", "html-named-pdf"],
)
def test_reader_by_content_with_a_note_when_the_name_disagrees(
    name: str, data: bytes, fmt: str, note: str | None
) -> None:
    from esfparse.readers import read_bytes

    doc = read_bytes(data, name)
    assert doc.format == fmt and doc.notes == ([note] if note else [])


# ---------------------------------------------------------------- 4. mixed encodings and mojibake


def test_a_pasted_windows_1252_line_is_repaired_alone(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = page()
    at = data.index(b"Sammanfattning")
    (folder / "page.txt").write_bytes(
        data[:at]
        + "Kompetensförsörjning i Östra Mellansverige – så når vi fler\n\n".encode("cp1252")
        + data[at:]
    )
    result, con = ingest(folder)
    assert result.exit_code == 0
    assert con.execute("select encoding from documents").fetchall() == [("utf-8",)]
    assert con.execute("select region, programme_area from projects").fetchall() == [
        ("Östra Mellansverige", "1.1 Kompetensförsörjning")
    ]
    assert con.execute("select code, message from problems").fetchall() == [
        ("decode.mixed_encoding", "mixed encoding: line 32 was not UTF-8 and read as Windows-1252")
    ]
    text = " ".join(
        str(v)
        for t in ("sections", "projects")
        for row in con.execute(f"select * from {t}")
        for v in row
    )
    assert "Kompetensförsörjning i Östra Mellansverige – så når vi fler" in text and "Ã" not in text


@pytest.mark.parametrize("codec", ["cp1252", "mac_roman"])
def test_mojibake_is_repaired_with_a_warning(tmp_path: Path, codec: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text(
        page().decode("utf-8").encode("utf-8").decode(codec), encoding="utf-8"
    )
    result, con = ingest(folder)
    assert result.exit_code == 0
    assert con.execute("select region, owner from projects").fetchall() == [
        ("Östra Mellansverige", "Sydnärkes Utbildningsförbund")
    ]
    assert [c for (c,) in con.execute("select code from problems")] == ["decode.mojibake_repaired"]


def test_replacement_characters_reject_the_file_with_one_line(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path, **{"damaged.txt": page().replace("ö".encode(), "\ufffd".encode())}
    )
    result, con = ingest(folder)
    assert errors(result) == [
        f"error: {folder}/damaged.txt: damaged text: 15 replacement character(s) (U+FFFD, "
        "the first on line 7) stand for letters lost in an earlier conversion; "
        "find an undamaged copy"
    ]
    assert con.execute("select count(*) from documents").fetchone()[0] == 1


# ---------------------------------------------------------------- 5. truncation is seen


def test_page_cut_inside_a_number(tmp_path: Path) -> None:
    text = page().decode("utf-8")
    cut = text[: text.index("Beviljat ESF-stöd\n") + len("Beviljat ESF-stöd\n")] + "8 6"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_bytes(cut.encode("utf-8") + "ö".encode()[:1])  # and inside a letter
    result, con = ingest(folder)
    assert result.exit_code == 0
    assert con.execute("select truncated, encoding from documents").fetchall() == [(1, "utf-8")]
    assert con.execute(
        "select esf_grant_sek, total_budget_sek, cofinancing_rate_derived_pct from projects"
    ).fetchall() == [(None, 7023185, None)]
    problems = con.execute(
        "select code, field, message from problems order by code, field"
    ).fetchall()
    assert (
        "doc.truncated",
        "esf_grant_sek",
        "The text ends inside the value of esf_grant_sek ('8 6'): only part "
        "of the figure is there, so it is not stored.",
    ) in problems
    assert (
        "read.incomplete_end",
        None,
        "incomplete character at the end of the file (1 byte dropped): the file is cut off",
    ) in problems
    stored = " ".join(
        str(v)
        for t in ("documents", "projects", "evidence")
        for r in con.execute(f"select * from {t}")
        for v in r
    )
    assert "\ufffd" not in stored


# ---------------------------------------------------------------- 7. duplicates are reported


def test_byte_copy_is_reported_and_both_paths_findable(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(page())
    (folder / "b.txt").write_bytes(page())
    for _ in range(2):  # the second run finds both unchanged and keeps the row
        result, con = ingest(folder)
        assert result.exit_code == 0
        assert (
            f"notice: {folder}/b.txt: the same bytes as {folder}/a.txt; stored once, under that path"
            in result.stderr
        )
        assert con.execute(
            "select d.path, p.path, p.severity, p.message from problems p join documents d "
            "on d.sha256 = p.document_id where p.code = 'read.duplicate'"
        ).fetchall() == [
            (
                f"{folder}/a.txt",
                f"{folder}/b.txt",
                "info",
                f"The same bytes as {folder}/a.txt; stored once, under that path.",
            )
        ]


# ---------------------------------------------------------------- 8. arguments checked


@pytest.mark.parametrize("value", ["0", "-3", "two", "100000"])
def test_bad_workers_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = run(
        "ingest", str(RAW / "dev04.txt"), "--db", str(tmp_path / "x.db"), "--workers", value
    )
    assert result.exit_code == 2 and "Invalid value for '--workers'" in result.stderr
    assert not (tmp_path / "x.db").exists()


# ---------------------------------------------------------------- 9. interrupts keep work


def _many_pages(folder: Path, n: int) -> None:
    """n distinct pages: corpus pages, each with a line of its own so no two are byte copies."""
    sources = sorted(RAW.glob("*.txt")) + sorted((CORPUS / "real" / "raw").glob("*.txt"))
    folder.mkdir()
    for i in range(n):
        src = sources[i % len(sources)]
        (folder / f"p{i:03d}.txt").write_bytes(src.read_bytes() + f"\n\nKopia {i}.\n".encode())


def _children(pid: int) -> set[int]:
    try:
        return {
            int(c)
            for t in Path(f"/proc/{pid}/task").iterdir()
            for c in (t / "children").read_text().split()
        }
    except OSError:
        return set()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to see the workers")
@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_interrupt_commits_kept_work_and_the_next_run_continues(
    tmp_path: Path, signum: int, code: int
) -> None:
    signal.alarm(300)
    folder, db = tmp_path / "in", tmp_path / "esf.db"
    _many_pages(folder, 300)
    cmd = [
        sys.executable,
        "-m",
        "esfparse",
        "ingest",
        str(folder),
        "--db",
        str(db),
        "-q",
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, start_new_session=True)
    workers: set[int] = set()
    deadline = time.time() + 120
    while len(workers) < 2 and time.time() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) == 2, "the workers never started"
    time.sleep(0.5)  # let them parse some pages
    os.killpg(proc.pid, signum) if signum == signal.SIGINT else proc.send_signal(
        signum
    )  # Ctrl-C hits the group
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    m = re.search(
        r"^interrupted: (\d+) stored, (\d+) not yet read; run the same command again to continue$",
        stderr,
        re.MULTILINE,
    )
    assert m, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    stored, left = int(m.group(1)), int(m.group(2))
    assert stored + left == 300 and left > 0
    assert all(
        not Path(f"/proc/{w}").exists() or "zombie" in Path(f"/proc/{w}/status").read_text()
        for w in workers
    )
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from documents").fetchone()[0] == stored
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    con.close()
    again = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, timeout=240)
    assert again.returncode == 0, again.stderr
    assert f"300 files: {left} stored, {stored} unchanged, 0 failed" in again.stderr
    assert sqlite3.connect(db).execute("select count(*) from documents").fetchone()[0] == 300


# ---------------------------------------------------------------- 10. property: no file costs another

REAL_PAGES = sorted((CORPUS / "real" / "raw").glob("*.txt"))[:20] + sorted(RAW.glob("*.txt"))[:5]
NAME_BYTES = st.binary(min_size=1, max_size=12).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAME_BYTES, source=st.sampled_from(REAL_PAGES), cut=st.floats(0, 1))
def test_random_names_and_prefixes_never_cost_another_file(
    tmp_path_factory: Any, name: bytes, source: Path, cut: float
) -> None:
    root = tmp_path_factory.mktemp("prop")
    folder = root / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(page())
    data = source.read_bytes()
    odd = folder / os.fsdecode(b"x" + name + b".txt")
    odd.write_bytes(data[: int(len(data) * cut)])
    result = run("ingest", str(folder), "--db", str(root / "esf.db"), "-q", "--workers", "1")
    assert "Traceback" not in result.stderr and result.exit_code in (0, 1), result.stderr
    con = sqlite3.connect(root / "esf.db")
    paths = {p for (p,) in con.execute("select path from documents")}
    failed = {p for (p,) in con.execute("select path from problems where code = 'read.unreadable'")}
    assert f"{folder}/good.txt" in paths
    assert (shown(odd) in paths) != (shown(odd) in failed)  # stored, or one failure row: never lost
    assert (result.exit_code == 1) == bool(failed)


# ---------------------------------------------------------------- 6. not every text is ESF

RECIPE = """Mormors kanelbullar

Ingredienser
- 50 g jäst
- 5 dl mjölk
- 150 g smör
- 1 dl socker
- 14 dl vetemjöl

Gör så här
Smält smöret och häll i mjölken. Värm till fingervarmt och rör ut jästen i lite av degvätskan.
Tillsätt socker, kardemumma och nästan allt mjöl. Låt degen jäsa under bakduk i 30 minuter i Uppsala.
Kavla ut degen, bred på fyllningen och rulla ihop. Grädda mitt i ugnen, 250 grader, i 5-6 minuter.
Mormor sa alltid: – Bullarna ska vara gyllenbruna!
Tack!
"""


def test_a_swedish_recipe_is_not_esf_material(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, **{"kanelbullar.txt": RECIPE.encode("utf-8")})
    result, con = ingest(folder)
    assert result.exit_code == 0
    assert con.execute(
        "select kind, title from documents where path like '%kanelbullar.txt'"
    ).fetchall() == [("unknown", None)]
    assert con.execute("select count(*) from presentations").fetchone()[0] == 0
    assert (
        con.execute(
            "select count(*) from project_municipalities where document_id = (select sha256 from "
            "documents where path like '%kanelbullar.txt')"
        ).fetchone()[0]
        == 0
    )
    assert [c for (c,) in con.execute("select code from problems")] == ["classify.not_esf"]


@pytest.mark.parametrize("folder", ["raw", "heldout/raw", "real/raw", "html", "pdf"])
def test_every_corpus_document_shows_a_sign_of_esf(folder: str) -> None:
    from esfparse.classify import esf_sign
    from esfparse.parsers.header import read_header
    from esfparse.readers import read

    docs = sorted((CORPUS / folder).glob("*.*"))
    unsigned = [
        p.name for p in docs if p.suffix != ".md" and esf_sign(d := read(p), read_header(d)) is None
    ]
    assert docs and unsigned == []
