"""Every kind of bad input through `esfparse ingest`: the one stderr line, the exit code, the rows.

Files named after their problem live in tests/files/; the 50 MB text, the unreadable file, the
symlink loop and the repeated file are made in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from esfparse.cli import cli

FILES = Path(__file__).resolve().parent / "files"
RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"


def ingest(tmp_path: Path, *paths: Path | str, debug: bool = False) -> tuple[Any, dict[str, Any]]:
    """Run `esfparse ingest PATHS` into a fresh database: (result, database state)."""
    db = tmp_path / "esf.db"
    args = (["--debug"] if debug else []) + ["ingest", *map(str, paths), "--db", str(db), "-q"]
    result = CliRunner().invoke(cli, args, obj={})
    return result, state(db)


def state(db: Path) -> dict[str, Any]:
    """Rows that matter: documents, projects, problem codes and the ingest_runs log."""
    if not db.exists():
        return {}
    con = sqlite3.connect(db)

    def one(sql: str) -> Any:
        return con.execute(sql).fetchone()[0]

    try:
        return {
            "documents": one("select count(*) from documents"),
            "projects": one("select count(*) from projects"),
            "problems": sorted(r[0] for r in con.execute("select code from problems")),
            "runs": one("select count(*) from ingest_runs"),
            "integrity": one("pragma integrity_check"),
        }
    finally:
        con.close()


def errors(result: Any) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith(("error:", "Error:"))]


UNREADABLE = [
    pytest.param("empty.txt", "empty file", id="empty"),
    pytest.param("whitespace_only.txt", "empty file (only whitespace)", id="whitespace-only"),
    pytest.param(
        "binary_data.txt",
        "binary data, not text (try a .pdf or .html file, or convert it to text)",
        id="binary",
    ),
    pytest.param(
        "corrupt.pdf",
        "corrupt PDF: PDFium cannot parse it (Failed to load document (PDFium: Data "
        "format error).); re-download it or repair it (e.g. qpdf) and try again",
        id="corrupt-pdf",
    ),
    pytest.param(
        "truncated_download.pdf",
        "corrupt PDF: PDFium cannot parse it (Failed to load document "
        "(PDFium: Data format error).); re-download it or repair it (e.g. qpdf) and try again",
        id="pdf-cut-in-half",
    ),
    pytest.param(
        "encrypted.pdf",
        "encrypted PDF: it needs a password to open; remove the protection "
        "(e.g. qpdf --decrypt) and try again",
        id="encrypted-pdf",
    ),
    pytest.param(
        "image_only.pdf",
        "image-only PDF (scanned pages, no text layer); OCR is not supported: run OCR "
        "first (e.g. ocrmypdf) and read its output",
        id="image-only-pdf",
    ),
    pytest.param(
        "zip_named.pdf",
        "not a PDF: the file is a Word document (.docx, a ZIP archive); export it as "
        "PDF and try again",
        id="zip-named-pdf",
    ),
]


@pytest.mark.parametrize(("name", "reason"), UNREADABLE)
def test_unreadable_file_is_one_line_and_one_problem_row(
    tmp_path: Path, name: str, reason: str
) -> None:
    result, db = ingest(tmp_path, FILES / name)
    assert result.exit_code == 1, result.output
    assert errors(result) == [f"error: {FILES / name}: {reason}"]
    assert db == {
        "documents": 0,
        "projects": 0,
        "problems": ["read.unreadable"],
        "runs": 1,
        "integrity": "ok",
    }


def test_bad_file_does_not_stop_the_run(tmp_path: Path) -> None:
    result, db = ingest(tmp_path, FILES / "empty.txt", FILES / "encrypted.pdf", RAW / "dev04.txt")
    assert result.exit_code == 1
    assert len(errors(result)) == 2
    assert db["documents"] == 1 and db["projects"] == 1


# dev05 has no byte in 0x80–0x9F, where cp1252 and latin-1 differ, so its cp1252 bytes are read as latin-1.
@pytest.mark.parametrize(
    ("encoding", "codec"),
    [("cp1252", "latin-1"), ("utf-16", "utf-16"), ("utf-16-be-with-bom", "utf-16")],
)
def test_other_encodings_are_stored_with_a_note(tmp_path: Path, encoding: str, codec: str) -> None:
    page = tmp_path / f"dev05_{encoding}.txt"
    text = (RAW / "dev05.txt").read_text(encoding="utf-8")
    page.write_bytes(
        b"\xfe\xff" + text.encode("utf-16-be")
        if encoding.endswith("bom")
        else text.encode(encoding)
    )
    result, db = ingest(tmp_path, page)
    assert result.exit_code == 0, result.output
    assert errors(result) == []
    con = sqlite3.connect(tmp_path / "esf.db")
    assert con.execute("select encoding from documents").fetchall() == [(codec,)]
    assert con.execute("select title, owner from projects").fetchall() == [
        ("Ovttas", "Svenska Samernas Riksförbund")
    ]
    assert "read.encoding_fallback" in db["problems"]


@pytest.mark.parametrize(
    ("name", "encoding"), [("cp1252_page.txt", "cp1252"), ("utf16_page.txt", "utf-16")]
)
def test_tiny_encoded_pages_are_stored(tmp_path: Path, name: str, encoding: str) -> None:
    result, db = ingest(tmp_path, FILES / name)
    assert result.exit_code == 0 and errors(result) == []
    con = sqlite3.connect(tmp_path / "esf.db")
    assert con.execute("select encoding from documents").fetchall() == [(encoding,)]
    assert "read.encoding_fallback" in db["problems"]


def test_latin1_page(tmp_path: Path) -> None:
    ingest(tmp_path, FILES / "latin1_page.txt")
    con = sqlite3.connect(tmp_path / "esf.db")
    assert con.execute("select title from projects").fetchall() == [("Fler undersköterskor",)]


def test_latin1_page_is_stored_even_while_misdecoded(tmp_path: Path) -> None:
    result, db = ingest(tmp_path, FILES / "latin1_page.txt")
    assert result.exit_code == 0 and errors(result) == []
    assert db["documents"] == 1


def test_nul_bytes_are_binary(tmp_path: Path) -> None:
    result, _ = ingest(tmp_path, FILES / "nul_bytes.txt")
    expected = (
        f"error: {FILES / 'nul_bytes.txt'}: binary data, not text (try a .pdf or .html file, or convert "
        "it to text)"
    )
    assert errors(result) == [expected]


def test_50_mb_text_is_refused_at_once(tmp_path: Path) -> None:
    big = tmp_path / "in" / "dump.txt"
    big.parent.mkdir()
    line = (RAW / "dev04.txt").read_bytes()
    with big.open("wb") as f:
        for _ in range(50_000_000 // len(line)):
            f.write(line)
    result, db = ingest(tmp_path, big)
    assert result.exit_code == 1
    expected = (
        f"error: {big}: too long for one document (50 MB of text; the limit is 2,000,000 characters): "
        "split it into one file per page or presentation"
    )
    assert errors(result) == [expected]
    assert db["documents"] == 0 and db["problems"] == ["read.unreadable"]


def test_truncated_page_is_stored_with_a_warning(tmp_path: Path) -> None:
    result, db = ingest(tmp_path, FILES / "truncated_page.txt")
    assert result.exit_code == 0 and errors(result) == []
    assert db["projects"] == 1 and db["problems"] == ["doc.truncated"]


@pytest.mark.parametrize(
    "path",
    [FILES / "html_with_scripts.html", RAW.parent / "html" / "dev03.html"],
    ids=["tiny-page", "corpus-page"],
)
def test_html_scripts_are_dropped(tmp_path: Path, path: Path) -> None:
    result, db = ingest(tmp_path, path)
    assert result.exit_code == 0 and errors(result) == []
    assert db["documents"] == 1
    con = sqlite3.connect(tmp_path / "esf.db")
    stored = " ".join(
        str(v)
        for table in ("sections", "projects", "links", "goals")
        for row in con.execute(f"select * from {table}")
        for v in row
    )
    for script in ("document.write", "Inte text", "gtag", "dataLayer", "site.js", "color:red"):
        assert script not in stored


def test_unreadable_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_bytes((RAW / "dev04.txt").read_bytes())
    real = os.open

    def os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if (
            Path(path).name == "locked.txt"
        ):  # root reads everything; simulate what chmod 000 gives a user
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    result, db = ingest(tmp_path, locked)
    assert result.exit_code == 1
    assert errors(result) == [f"error: {locked}: cannot read file (Permission denied)"]
    assert db["documents"] == 0 and db["problems"] == ["read.unreadable"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_permissions_for_real(tmp_path: Path) -> None:
    locked = (
        tmp_path / "in" / "locked.txt"
    )  # in a folder: click refuses unreadable files named directly
    locked.parent.mkdir()
    locked.write_bytes(b"Projekt")
    locked.chmod(0)
    result, _ = ingest(tmp_path, locked.parent)
    assert errors(result) == [f"error: {locked}: cannot read file (Permission denied)"]


def test_symlink_directory_loop_is_walked_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "dev04.txt").write_bytes((RAW / "dev04.txt").read_bytes())
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    result, db = ingest(tmp_path, folder)
    assert result.exit_code == 0 and errors(result) == []
    assert db["documents"] == 1 and db["problems"] == []
    assert "1 files: 1 stored" in result.stderr


def test_same_file_twice(tmp_path: Path) -> None:
    path = tmp_path / "dev04.txt"
    path.write_bytes((RAW / "dev04.txt").read_bytes())
    (tmp_path / "link.txt").symlink_to(path)
    (tmp_path / "copy.txt").write_bytes(path.read_bytes())
    result, db = ingest(tmp_path, path, path, tmp_path / "link.txt", tmp_path / "copy.txt")
    assert result.exit_code == 0 and errors(result) == []
    assert "2 files: 1 stored, 1 unchanged" in result.stderr  # the copy has the same content hash
    assert db["documents"] == 1 and db["projects"] == 1


def test_missing_path(tmp_path: Path) -> None:
    """Bad usage (exit 2, as the help says), found before any work: no database is created."""
    result, db = ingest(tmp_path, RAW / "dev04.txt", tmp_path / "nope.txt")
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in result.stderr
    assert db == {} and not (tmp_path / "esf.db").exists()


def test_absurd_amount_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text(
        "Projekt Stor\n\nProjektägare\nExempelkommunen\nBeviljat ESF-stöd\n99999999999999999999999 kr\n"
        "Total projektbudget\n1 kr\n\nSammanfattning\n\nText.\n",
        encoding="utf-8",
    )
    result, db = ingest(tmp_path, huge, RAW / "dev04.txt")
    assert errors(result) == []
    assert result.exit_code == 0 and db["documents"] == 2 and db["integrity"] == "ok"
    con = sqlite3.connect(tmp_path / "esf.db")
    rows = con.execute(
        "select p.esf_grant_sek, pr.field from projects p join problems pr "
        "on pr.document_id = p.document_id where pr.code = 'parse.invalid_field'"
    ).fetchall()
    assert rows == [(None, "esf_grant_sek")]


def _boom(doc: Any) -> Any:
    raise RuntimeError("kaputt")


def test_parser_bug_is_one_line_without_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("esfparse.pipeline.extract_document", _boom)
    result, db = ingest(tmp_path, RAW / "dev04.txt")
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {RAW / 'dev04.txt'}: internal error RuntimeError: kaputt (rerun with --debug)"
    ]
    assert db["problems"] == ["parse.internal_error"]  # the code `validate` reports for it


def test_parser_bug_shows_traceback_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("esfparse.pipeline.extract_document", _boom)
    result, _ = ingest(tmp_path, RAW / "dev04.txt", debug=True)
    assert result.exit_code == 1 and "Traceback" in result.stderr and "kaputt" in result.stderr


@pytest.mark.parametrize("kind", ["not-a-database", "missing-folder"])
def test_bad_database_is_one_error_line(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "esf.db"
    if kind == "not-a-database":
        db.write_bytes(b"this is not sqlite" * 100)
    else:
        db = tmp_path / "no" / "such" / "esf.db"
    result = CliRunner().invoke(
        cli, ["ingest", str(RAW / "dev04.txt"), "--db", str(db), "-q"], obj={}
    )
    assert result.exit_code == 1
    [line] = errors(result)
    assert line.startswith(f"Error: {db}: database error: ")


def test_duplicates_are_stored_at_the_end_of_a_run(tmp_path: Path) -> None:
    result, db = ingest(tmp_path, RAW / "dev09.txt", RAW / "dev10.txt")
    assert result.exit_code == 0
    assert db["problems"].count("project.conflicting_duplicate") == 2
    result, db = ingest(
        tmp_path, RAW / "dev09.txt", RAW / "dev10.txt"
    )  # a rerun recomputes, no doubles
    assert db["problems"].count("project.conflicting_duplicate") == 2 and db["runs"] == 2


def test_kill_and_rerun_60_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/kill_test.py scaled down: SIGKILL midway, integrity ok, rerun equals a clean run."""
    spec = importlib.util.spec_from_file_location(
        "kill_test", RAW.parent.parent / "scripts" / "kill_test.py"
    )
    assert spec is not None and spec.loader is not None
    kill_test = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "kill_test", kill_test)  # dataclasses look their module up
    spec.loader.exec_module(kill_test)
    ok, report = kill_test.kill_and_rerun(tmp_path, 60)
    assert ok, report
