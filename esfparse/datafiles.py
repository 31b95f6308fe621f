"""The one loader of the reference data files in esfparse/data/ (read once, cached)."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def data_text(name: str) -> str:
    """The text of `esfparse/data/<name>` (a path below data/, e.g. `patterns/goal_cues.jsonl`)."""
    return (files("esfparse") / "data" / name).read_text(encoding="utf-8")


@cache
def load_json(name: str) -> Any:
    """A JSON data file, parsed (shared: do not modify the result)."""
    return json.loads(data_text(name))


def load_csv(name: str) -> list[dict[str, str]]:
    """A CSV data file with a header row: one dict per row (lines starting with `#`, the files'
    source notes, skipped). Parsed once; the rows are shared: do not modify them."""
    return list(_csv_rows(name))


@cache
def _csv_rows(name: str) -> tuple[dict[str, str], ...]:
    lines = (line for line in io.StringIO(data_text(name)) if not line.startswith("#"))
    return tuple(csv.DictReader(lines))


def layouts() -> dict[str, dict[str, Any]]:
    """The project-bank layouts of data/layouts.json, keyed by name (without the `_comment`)."""
    return dict(load_json("layouts.json")["layouts"])
