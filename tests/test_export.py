"""Exports from a database ingested from corpus/raw: columns, JSON validity and shape, per format."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import sqlite_utils
from click.testing import CliRunner

from esfparse.cli import cli
from esfparse.entities import rebuild_entities
from esfparse.errors import EsfparseError
from esfparse.export import FORMATS, KOHESIO_COLUMNS, export_db
from esfparse.ingest import run_ingest

from .conftest import RAW


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "esf.db")
    run_ingest([(p, None) for p in sorted(RAW.glob("*.txt"))], path, progress=False)
    rebuild_entities(sqlite_utils.Database(path))
    return path


@pytest.fixture(scope="module")
def exports(corpus_db: str) -> dict[str, str]:
    return {fmt: export_db(corpus_db, fmt) for fmt in FORMATS}


def _projects(db_path: str) -> list[dict]:
    return [dict(r) for r in sqlite_utils.Database(db_path)["projects"].rows]


def _csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # the UTF-8 BOM a spreadsheet needs to read å/ä/ö
    return list(csv.DictReader(io.StringIO(text[1:])))


def _by_path(rows: list[dict], key: str, stem: str) -> dict:
    return next(r for r in rows if Path(r[key]).stem == stem)


def test_csv_has_every_project_column_and_the_lists(
    corpus_db: str, exports: dict[str, str]
) -> None:
    rows = _csv_rows(exports["csv"])
    columns = [
        c[1]
        for c in sqlite_utils.Database(corpus_db).execute("pragma table_info(projects)").fetchall()
    ]
    extra = [
        "document_path",
        "source_paths",
        "municipality_codes",
        "municipality_names",
        "owner_names",
        "owner_entities",
        "co_financier_names",
        "co_financier_entities",
        "partner_names",
        "partner_entities",
        "goals",
    ]
    assert list(rows[0]) == columns + extra
    assert len(rows) == len(_projects(corpus_db)) == 15
    stockholm = _by_path(rows, "document_path", "dev09")
    assert (
        stockholm["diarienummer"] == "22-044-S07"
        and stockholm["owner_entities"] == "Stockholms stad"
    )
    assert stockholm["municipality_codes"] == "0180"
    navigator = _by_path(rows, "document_path", "002_c65f5d836ed6fb9d")
    assert navigator["owner_entities"] == "Krokoms kommun"
    assert "Arbetsförmedlingen" in navigator["partner_entities"].split("; ")


def test_jsonl_is_one_valid_object_per_project(corpus_db: str, exports: dict[str, str]) -> None:
    lines = exports["jsonl"].splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 15
    for r in records:
        assert {
            "id",
            "title",
            "document_path",
            "municipalities",
            "organisations",
            "goals",
            "extra",
        } <= set(r)
        assert set(r["organisations"]) == {"owner", "co_financier", "partner"}
        assert all({"code", "name", "latitude", "longitude"} <= set(m) for m in r["municipalities"])
    first = _by_path(records, "document_path", "000_30cbb8727bef4119")
    assert (
        len(first["municipalities"]) == 26
        and first["organisations"]["owner"][0]["unit"] == "Rinkeby Kista"
    )
    assert first["goals"][0]["baseline"] == 22.8
    assert _by_path(records, "document_path", "dev06")["extra"] == {"postal_code": "72189"}


def test_kohesio_csv_columns_and_values(exports: dict[str, str]) -> None:
    rows = _csv_rows(exports["kohesio-csv"])
    assert tuple(rows[0]) == KOHESIO_COLUMNS and len(rows) == 15
    assert {r["Country"] for r in rows} == {"Sweden"}
    gavle = _by_path(rows, "Source document", "dev12")
    assert (
        gavle["Project name"],
        gavle["Total budget"],
        gavle["EU contribution"],
        gavle["Currency"],
    ) == ("Young Now Gävleborg", "3544067.52", "2130769.50", "EUR")
    assert (
        gavle["Co-financing rate"],
        gavle["NUTS 2 code"],
        gavle["Fund"],
        gavle["Programming period"],
    ) == ("60", "SE31", "ESF+", "2021-2027")
    assert gavle["Municipalities"].split("; ")[:2] == ["Bollnäs", "Gävle"]
    feedback = _by_path(rows, "Source document", "000_30cbb8727bef4119")
    assert (
        feedback["Total budget"],
        feedback["EU contribution"],
        feedback["Co-financing rate"],
    ) == ("21564524", "8625810", "40")
    assert (feedback["Beneficiary"], feedback["Beneficiary (normalised)"], feedback["Region"]) == (
        "Arbetsförmedlingen Rinkeby Kista",
        "Arbetsförmedlingen",
        "Stockholm",
    )
    assert (feedback["Start date"], feedback["End date"], feedback["Programming period"]) == (
        "2010-01-18",
        "2012-09-07",
        "2007-2013",
    )


def test_iati_json_shape(corpus_db: str, exports: dict[str, str]) -> None:
    data = json.loads(exports["iati-json"])
    activities = data["iati-activities"]["iati-activity"]
    assert data["iati-activities"]["version"] == "2.03" and len(activities) == 15
    ids = [a["iati-identifier"] for a in activities]
    assert len(set(ids)) == len(ids) and not any(c in i for i in ids for c in "/&|?")
    for a in activities:
        assert a["title"]["narrative"][0]["text"] is not None
        assert {o["role"] for o in a["participating-org"]} <= {"1", "2", "4"}
        assert all(o["narrative"][0]["text"] for o in a["participating-org"])
        for loc in a.get("location", []):
            lat, lon = map(float, loc["point"]["pos"].split())
            assert 55 < lat < 70 and 10 < lon < 25
    goals = (
        sqlite_utils.Database(corpus_db)
        .execute(  # each goal once per project, however many sources state it
            "select count(*) from (select distinct ps.project_id, g.value, g.unit, lower(g.what), lower(g.quote) "
            "from goals g join project_sources ps on ps.document_id = g.document_id)"
        )
        .fetchone()[0]
    )
    assert sum(len(a.get("result", [])) for a in activities) == goals


def test_iati_activity_details(exports: dict[str, str]) -> None:
    activities = json.loads(exports["iati-json"])["iati-activities"]["iati-activity"]
    by_path = {Path(a["esfparse:source"]["path"]).stem: a for a in activities}
    stockholm = by_path["dev09"]
    owner = [
        o
        for o in stockholm["participating-org"]
        if o.get("esfparse:as-written") == "STOCKHOLMS KOMMUN"
    ]
    assert {o["role"] for o in owner} == {"2", "4"} and owner[0]["ref"] == "SE-ON-2120000142"
    assert owner[0]["type"] == "11" and owner[0]["narrative"][0]["text"] == "Stockholms stad"
    assert stockholm["iati-identifier"].startswith("ESFPARSE-22-044-S07")
    feedback = by_path["000_30cbb8727bef4119"]
    assert feedback["activity-date"] == [
        {"type": "1", "iso-date": "2010-01-18"},
        {"type": "3", "iso-date": "2012-09-07"},
    ]
    assert feedback["budget"][0]["value"] == {
        "currency": "SEK",
        "value-date": "2010-01-18",
        "value": 21564524,
    }
    assert feedback["transaction"][0]["transaction-type"] == {"code": "11"}
    indicator = feedback["result"][0]["indicator"][0]
    assert indicator["measure"] == "2" and indicator["baseline"] == [{"value": 22.8}]
    assert indicator["period"][0]["target"] == [{"value": 32.8}]
    assert by_path["dev04"]["iati-identifier"] == "ESFPARSE-2015-00963"


def test_exports_are_stable(corpus_db: str, exports: dict[str, str]) -> None:
    assert {fmt: export_db(corpus_db, fmt) for fmt in FORMATS} == exports


def test_export_without_entity_tables(corpus_db: str, tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    shutil.copy(corpus_db, plain)
    db = sqlite_utils.Database(plain)
    db.execute("drop view project_organisation_entities")
    for table in ("organisation_merges", "organisation_names", "organisation_entities"):
        db[table].drop()
    rows = _csv_rows(export_db(str(plain), "kohesio-csv"))
    assert len(rows) == 15 and {r["Beneficiary (normalised)"] for r in rows} == {""}


@pytest.mark.parametrize("problem", ["missing", "not_esfparse", "bad_format"])
def test_export_errors(problem: str, tmp_path: Path, corpus_db: str) -> None:
    path, fmt = str(tmp_path / "x.db"), "csv"
    if problem == "not_esfparse":
        sqlite_utils.Database(path)["t"].insert({"a": 1})
    if problem == "bad_format":
        path, fmt = corpus_db, "xml"
    with pytest.raises(EsfparseError):
        export_db(path, fmt)


def test_cli_export(corpus_db: str, tmp_path: Path, exports: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--db", corpus_db, "--format", "kohesio-csv"], obj={}
    )
    assert result.exit_code == 0, result.output
    assert result.output == exports["kohesio-csv"]
    out = tmp_path / "a.json"
    result = CliRunner().invoke(
        cli, ["export", "--db", corpus_db, "--format", "iati-json", "-o", str(out)], obj={}
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == exports["iati-json"]


# ---------------------------------------------------------------- opened as a spreadsheet user would


def test_kohesio_csv_in_pythons_csv_module(exports: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "kohesio.csv"
    path.write_text(exports["kohesio-csv"], encoding="utf-8")
    with path.open(encoding="utf-8-sig", newline="") as f:  # the BOM read as what it is
        rows = list(csv.DictReader(f))
    assert next(iter(rows[0])) == "Project name"
    gavle = _by_path(rows, "Source document", "dev12")
    assert gavle["Project name"] == "Young Now Gävleborg" and "Gävle" in gavle["Municipalities"]
    assert float(gavle["Total budget"]) == 3544067.52 and float(gavle["Co-financing rate"]) == 60
    assert date.fromisoformat(gavle["Start date"]) == date(2023, 9, 1)
    krokom = next(r for r in rows if r["Beneficiary"].startswith("Krokoms kommun"))
    assert (
        int(krokom["EU contribution"]) > 0
        and krokom["Fund"] == "ESF"
        and krokom["Region"] == "Mellersta Norrland"
    )


def _gnumeric_cells(
    csv_path: Path, tmp_path: Path
) -> dict[tuple[int, int], tuple[str, str, str | None]]:
    """(row, column) -> (value type, text, number format) of the CSV as Gnumeric's importer reads it."""
    out = tmp_path / "sheet.gnumeric"
    subprocess.run(
        ["ssconvert", str(csv_path), str(out)], check=True, capture_output=True, timeout=120
    )
    root = ElementTree.fromstring(gzip.decompress(out.read_bytes()))
    ns = {"gnm": "http://www.gnumeric.org/v10.dtd"}
    return {
        (int(c.get("Row")), int(c.get("Col"))): (
            c.get("ValueType"),
            c.text or "",
            c.get("ValueFormat"),
        )
        for c in root.iterfind(".//gnm:Cell", ns)
    }


@pytest.mark.skipif(
    shutil.which("ssconvert") is None, reason="Gnumeric's ssconvert (Debian gnumeric) not installed"
)
def test_kohesio_csv_in_a_spreadsheet(exports: dict[str, str], tmp_path: Path) -> None:
    """Gnumeric reads å/ä/ö, amounts as numbers and dates as dates (its serial days since 1899-12-30)."""
    path = tmp_path / "kohesio.csv"
    path.write_text(exports["kohesio-csv"], encoding="utf-8")
    cells = _gnumeric_cells(path, tmp_path)
    header = [cells[(0, c)][1] for c in range(len(KOHESIO_COLUMNS))]
    assert header == list(KOHESIO_COLUMNS)  # the BOM is not part of the first name
    col = {name: i for i, name in enumerate(header)}
    (row,) = [r for (r, c), v in cells.items() if c == 0 and v[1] == "Young Now Gävleborg"]
    kind, value, _ = cells[(row, col["Total budget"])]
    assert kind == "40" and float(value) == pytest.approx(3544067.52)  # 40: a number
    kind, value, fmt = cells[(row, col["Start date"])]
    assert (
        kind == "40"
        and fmt
        and date(1899, 12, 30) + timedelta(days=int(float(value))) == date(2023, 9, 1)
    )
    assert "Gävle" in cells[(row, col["Municipalities"])][1]


def test_csv_options(corpus_db: str) -> None:
    plain = export_db(corpus_db, "kohesio-csv", bom=False)
    assert not plain.startswith("\ufeff") and plain == export_db(corpus_db, "kohesio-csv")[1:]
    swedish = export_db(corpus_db, "kohesio-csv", dialect="swedish")
    rows = list(csv.DictReader(io.StringIO(swedish[1:]), delimiter=";"))
    gavle = next(r for r in rows if r["Project name"] == "Young Now Gävleborg")
    assert gavle["Total budget"] == "3544067,52" and gavle["Start date"] == "2023-09-01"
    assert export_db(corpus_db, "jsonl", bom=True) == export_db(
        corpus_db, "jsonl"
    )  # a BOM only for CSV
