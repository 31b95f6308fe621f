"""The header-field table (esfparse/fields.py) is the one list: what is derived from it agrees."""

from __future__ import annotations

import json
import sqlite3
from importlib.resources import files
from pathlib import Path

from esfparse import checks, evaluate, identity
from esfparse.fields import FIELDS, fields_with
from esfparse.gold import _EXTRA_FIELDS
from esfparse.models import Record, column_type
from esfparse.store import open_db

GOLD = Path(__file__).resolve().parent.parent / "corpus" / "gold"


def test_every_row_is_a_record_field_once() -> None:
    names = [f.name for f in FIELDS]
    assert len(names) == len(set(names)) and set(names) <= set(Record.model_fields)
    assert all(set(f.flags) <= set("PREHSC") for f in FIELDS)


def test_fields_copied_from_a_label_have_a_label() -> None:
    labels = json.loads(files("esfparse").joinpath("data/labels.json").read_text(encoding="utf-8"))
    assert set(fields_with("S")) <= set(labels["fields"])


def test_project_pages_columns_follow_the_table(tmp_path: Path) -> None:
    open_db(str(tmp_path / "x.db")).close()
    con = sqlite3.connect(tmp_path / "x.db")
    got = {r[1]: r[2] for r in con.execute("pragma table_info(project_pages)")}
    sqlite_type = {int: "INTEGER", float: "REAL", str: "TEXT"}
    for f in FIELDS:
        if "P" in f.flags:
            assert got.pop(f.column_name) == sqlite_type[column_type(f.name)], f.name
        else:
            assert f.column_name not in got
    assert set(got) == {"id", "document_id", "truncated", "extra_json"}


def test_derived_lists() -> None:
    assert set(checks.HEADER_FIELDS) == set(fields_with("H"))
    assert fields_with("E") == evaluate.HEADER_FIELDS
    assert "programme_period" not in identity.FIELDS and "layout" in identity.FIELDS
    assert ("planned_participants", "participants") in checks._COMPARED
    assert "participants" not in checks._COMPARED and "union_cofinancing_rate" in checks._COMPARED


def test_gold_files_use_the_tables_keys() -> None:
    extra_keys = set(_EXTRA_FIELDS.values())
    for path in sorted(GOLD.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert set(fields_with("E")) <= set(gold), path.name
        stated = {k for k, v in gold.get("extra", {}).items() if not isinstance(v, str)}
        assert stated <= extra_keys | {"union_cofinancing_rate"}, (path.name, stated - extra_keys)


def test_layouts_table_names_every_layout_and_only_record_fields() -> None:
    from typing import get_args

    from esfparse.datafiles import layouts
    from esfparse.models import Layout

    table = layouts()
    assert set(table) == set(get_args(Layout))
    for name, layout in table.items():
        assert set(layout) <= {"programme_period", "required", "gold_renames"}, name
        assert set(layout.get("required", ())) <= set(Record.model_fields), name
        assert set(layout.get("gold_renames", {})) <= {
            *_EXTRA_FIELDS.values(),
            "union_cofinancing_rate",
        }
    assert (
        checks.LAYOUT_PROGRAMME["esfplus"] == "2021-2027"
        and "kohesio" not in checks.LAYOUT_PROGRAMME
    )
