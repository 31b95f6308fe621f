"""One path for a file (pipeline.process): every command shares its limits, codes and messages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from esfparse.errors import UnreadableDocument
from esfparse.pipeline import failure, process
from esfparse.report import validate_files
from esfparse.review import write_review
from esfparse.serve import review_page

RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"


def test_failure_codes() -> None:
    assert failure(UnreadableDocument("x.txt", "not a regular file")) == (
        "read.unreadable",
        "not a regular file",
    )
    code, message = failure(RuntimeError("kaputt"))
    assert code == "parse.internal_error" and message.startswith(
        "internal error RuntimeError: kaputt"
    )


def test_review_applies_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("esfparse.pipeline.MAX_CHARS", 100)
    with pytest.raises(UnreadableDocument, match="too long for one document"):
        process(RAW / "dev04.txt")
    with pytest.raises(UnreadableDocument, match="too long for one document"):
        write_review(RAW / "dev04.txt", tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_serve_review_applies_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    path = RAW / "dev04.txt"
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert review_page(sha, str(path))[0] == 200
    monkeypatch.setattr("esfparse.pipeline.MAX_CHARS", 100)
    status, page = review_page(sha, str(path))
    assert status == 404 and "too long for one document" in page


def test_validate_and_ingest_share_the_internal_error_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(doc: Any) -> Any:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("esfparse.pipeline.extract_document", boom)
    from esfparse.ingest import _work

    _, rows, error = _work(str(RAW / "dev04.txt"))
    [finding] = validate_files([(RAW / "dev04.txt", None)]).findings
    assert rows is None and getattr(error, "code", None) == finding.problem.code
    assert error.endswith(finding.problem.message)


def test_public_api_names_resolve() -> None:
    import esfparse

    assert sorted(esfparse.__all__) == sorted(esfparse._EXPORTS)
    assert all(getattr(esfparse, name) is not None for name in esfparse.__all__)
    assert esfparse.process is process and esfparse.iter_files is not None
    with pytest.raises(AttributeError):
        _ = esfparse.no_such_name


def test_importing_the_package_or_the_cli_loads_no_parser() -> None:
    import subprocess
    import sys

    code = "import sys, esfparse.cli; print(sorted(m for m in ('pydantic', 'spacy', 'esfparse.pipeline') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_library_modules_do_not_import_click() -> None:
    import ast

    import esfparse

    root = Path(esfparse.__file__).parent
    for name in ("ingest.py", "pipeline.py", "files.py", "report.py", "review.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "click" not in imported, name


def test_ingest_into_a_folder_that_is_missing_is_a_database_error(tmp_path: Path) -> None:
    from esfparse.errors import DatabaseError
    from esfparse.ingest import run_ingest

    with pytest.raises(DatabaseError, match="database error"):
        run_ingest([(RAW / "dev04.txt", None)], str(tmp_path / "no" / "x.db"), progress=False)
