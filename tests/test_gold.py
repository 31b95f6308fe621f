"""Every corpus document against its hand-checked gold file, field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from esfparse.evaluate import HEADER_FIELDS, compare, evaluate, format_errors
from esfparse.gold import to_gold
from esfparse.pipeline import extract_file

from .conftest import gold_docs, load_gold

DOCS = gold_docs()
SEEDS = [p for p in DOCS if not p.stem.startswith("dev")]


@pytest.fixture(scope="module")
def predictions() -> dict[str, dict]:
    return {p.stem: to_gold(extract_file(p).record) for p in DOCS}


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_header_fields_match_gold(path: Path, predictions: dict[str, dict]) -> None:
    scores = compare(load_gold(path), predictions[path.stem], path.stem)
    misses = [m for name in HEADER_FIELDS for m in scores[name].misses]
    assert not misses, "\n".join(misses)


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_municipalities_match_gold(path: Path, predictions: dict[str, dict]) -> None:
    scores = compare(load_gold(path), predictions[path.stem], path.stem)
    assert not scores["municipalities"].misses, "\n".join(scores["municipalities"].misses)


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_kind_matches_gold(path: Path, predictions: dict[str, dict]) -> None:
    assert predictions[path.stem]["kind"] == load_gold(path)["kind"]


def test_gold_format_has_every_gold_key(predictions: dict[str, dict]) -> None:
    for path in DOCS:
        missing = set(load_gold(path)) - set(predictions[path.stem]) - {"list_source"}
        assert not missing, (path.stem, missing)


def _report(paths: list[Path], predictions: dict[str, dict]):
    return evaluate((p.stem, load_gold(p), predictions[p.stem]) for p in paths)


def test_seed_floors(predictions: dict[str, dict]) -> None:
    report = _report(SEEDS, predictions)
    assert report.micro(HEADER_FIELDS).f1 == 1.0
    assert report.fields["municipalities"].f1 == 1.0


def test_all_layout_floors(predictions: dict[str, dict]) -> None:
    report = _report(DOCS, predictions)
    assert report.micro(HEADER_FIELDS).f1 >= 0.97
    for name in ("co_financiers", "partners", "emails"):
        assert report.fields[name].f1 >= 0.95, name


def test_error_report_groups_errors_by_field_with_their_sentence() -> None:
    text = "Intro. Projektet drivs tillsammans med Skolverket och 39 folkhögskolor. Slut."
    gold = {"partners": ["Skolverket", "Folkbildningsrådet"], "goals": []}
    pred = {
        "partners": ["Skolverket", "39"],
        "goals": [{"value": 39, "unit": "count", "quote": "39 folkhögskolor"}],
    }
    report = evaluate([("x.txt", gold, pred, text)])
    extra, missed = sorted(report.fields["partners"].errors, key=lambda e: e.kind)
    assert (extra.kind, extra.value, extra.sentence) == (
        "extra",
        "'39'",
        "Projektet drivs tillsammans med Skolverket och 39 folkhögskolor.",
    )
    assert (missed.kind, missed.sentence) == ("missed", None)  # not written in the text
    shown = format_errors(report).splitlines()
    assert shown[0] == "== partners: 1 false positives, 1 misses, 0 wrong"
    assert shown[1:3] == ["  -- false positives", "    x.txt: '39'"]
    assert "== goals: 1 false positives, 0 misses, 0 wrong" in shown
    assert "    x.txt: 39 count" in shown
