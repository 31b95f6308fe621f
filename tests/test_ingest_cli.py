"""`esfparse ingest` as a script sees it: the summary lists failed files, progress without a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from esfparse.cli import cli

from .conftest import RAW


def test_json_summary_lists_failed_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["ingest", str(RAW / "dev04.txt"), str(empty), "--db", str(tmp_path / "e.db"), "--json"],
        obj={},
    )
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["failed"] == 1 and [f["path"] for f in summary["failed_files"]] == [str(empty)]
    assert "empty file" in summary["failed_files"][0]["error"]


def test_progress_without_a_terminal_prints_lines(tmp_path: Path) -> None:
    files = [str(RAW / f"dev0{n}.txt") for n in range(1, 6)]
    result = CliRunner().invoke(cli, ["ingest", *files, "--db", str(tmp_path / "p.db")], obj={})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Ingesting")]
    assert lines[0] == "Ingesting 5 files"
    assert [re.match(r"Ingesting: (\d+)/5 files", line).group(1) for line in lines[1:]] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
