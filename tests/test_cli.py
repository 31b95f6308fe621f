"""The command line through click's CliRunner: exit codes, output, rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from esfparse.cli import cli

from .conftest import GOLD, RAW


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), obj={}, catch_exceptions=False)


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 40, name


def test_ingest_reports_bad_file_and_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        (RAW / "dev05.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    db = tmp_path / "x.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "-q"], obj={})
    assert result.exit_code == 1, result.output
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: {folder / 'empty.txt'}: empty file (only whitespace)"]
    rows = sqlite_utils.Database(str(db))
    assert rows["projects"].count == 1
    assert [r["code"] for r in rows["problems"].rows_where("document_id is null")] == [
        "read.unreadable"
    ]


def test_ingest_json_summary(tmp_path: Path) -> None:
    result = run("ingest", str(RAW / "dev04.txt"), "--db", str(tmp_path / "x.db"), "--json")
    summary = json.loads(result.stdout)
    assert summary["ingested"] == 1 and summary["failed"] == 0 and summary["projects"] == 1


def test_extract_gold_format_equals_gold_header() -> None:
    result = run("extract", str(RAW / "dev04.txt"), "--format", "gold")
    got = json.loads(result.stdout)
    gold = json.loads((GOLD / "dev04.json").read_text(encoding="utf-8"))
    for key in (
        "title",
        "owner",
        "esf_grant_sek",
        "total_budget_sek",
        "period_start",
        "period_end",
        "region",
    ):
        assert got[key] == gold[key], key


def test_extract_json_has_evidence() -> None:
    got = json.loads(run("extract", str(RAW / "dev04.txt")).stdout)
    assert got["record"]["evidence"]["owner"]["start"] > 0
    assert got["document"]["format"] == "text"


def test_extract_missing_file_is_usage_error() -> None:
    result = CliRunner().invoke(cli, ["extract", "nope.txt"], obj={})
    assert result.exit_code == 2


def test_eval_json() -> None:
    result = run("eval", "--gold", str(GOLD), str(RAW), "--json")
    data = json.loads(result.stdout)
    assert data["documents"] == 19
    assert data["header_micro"]["f1"] >= 0.97


@pytest.mark.parametrize("cmd", [["schema", "--check"]])
def test_schemas_do_not_drift(cmd: list[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(cli, [*cmd, "--out", str(root / "schemas")], obj={})
    assert result.exit_code == 0, result.output
