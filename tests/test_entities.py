"""Organisation entities: names as written resolved to organisations, kinds, units and audited merges."""

from __future__ import annotations

import csv
from collections import Counter
from importlib.resources import files
from pathlib import Path

import pytest
import sqlite_utils

from esfparse import entities
from esfparse.entities import resolve_all, resolve_name
from esfparse.ingest import run_ingest

from .conftest import RAW

# name as written, canonical name, kind, unit, SCB municipality code
CASES = [
    ("STOCKHOLMS KOMMUN", "Stockholms stad", "municipality", None, "0180"),
    ("Stockholms stad", "Stockholms stad", "municipality", None, "0180"),
    (
        "Krokoms kommun, Kommunstyrelsen",
        "Krokoms kommun",
        "municipality",
        "Kommunstyrelsen",
        "2309",
    ),
    (
        "Sala kommun, Arbetsmarknadsenheten",
        "Sala kommun",
        "municipality",
        "Arbetsmarknadsenheten",
        "1981",
    ),
    (
        "Arbetsmarknadsförvaltningen - Stockholms stad",
        "Stockholms stad",
        "municipality",
        "Arbetsmarknadsförvaltningen",
        "0180",
    ),
    (
        "Region Västmanland, Centrum för regional utveckling",
        "Region Västmanland",
        "region",
        "Centrum för regional utveckling",
        None,
    ),
    ("Landstinget i Värmland", "Region Värmland", "region", None, None),
    ("Arbetsförmedlingen Östersund", "Arbetsförmedlingen", "state_agency", "Östersund", None),
    ("Arbetsförmedling Solna", "Arbetsförmedlingen", "state_agency", "Solna", None),
    ("Försäkringskassan I Örebro", "Försäkringskassan", "state_agency", "Örebro", None),
    ("Skatteverket Örebro", "Skatteverket", "state_agency", "Örebro", None),
    ("Statistiska centralbyrån", "Statistiska centralbyrån", "state_agency", None, None),
    ("SCB", "Statistiska centralbyrån", "state_agency", None, None),
    ("Dua", "Delegationen för unga och nyanlända till arbete", "state_agency", None, None),
    (
        "Delegationen för unga och nyanlända (DUA)",
        "Delegationen för unga och nyanlända till arbete",
        "state_agency",
        None,
        None,
    ),
    (
        "Samordningsförbundet Hisingen",
        "Samordningsförbundet Hisingen",
        "coordination_association",
        None,
        None,
    ),
    ("Birka Folkhögskola", "Birka folkhögskola", "folk_high_school", None, None),
    ("Folkuniversitetet", "Folkuniversitetet", "study_association", None, None),
    ("ABF", "Arbetarnas bildningsförbund", "study_association", None, None),
    ("Studiefrämjandet Örebro", "Studiefrämjandet", "study_association", "Örebro", None),
    ("Manpwer", "Manpower", "company", None, None),
    ("Microsoft AB/SMS&P", "Microsoft", "company", "SMS&P", None),
    ("Acme Konsult AB", "Acme Konsult", "company", None, None),
    ("Dataföreningen i Sverige", "Dataföreningen i Sverige", "non_profit", None, None),
    ("Svenska Samernas Riksförbund", "Svenska Samernas Riksförbund", "non_profit", None, None),
    ("Integrationsenheten", "Integrationsenheten", "other", None, None),
]


@pytest.mark.parametrize("name, canonical, kind, unit, code", CASES, ids=[c[0] for c in CASES])
def test_resolve_name(
    name: str, canonical: str, kind: str, unit: str | None, code: str | None
) -> None:
    r = resolve_name(name)
    assert (r.canonical, r.kind, r.unit, r.municipality_code) == (canonical, kind, unit, code), (
        r.reasons
    )
    assert r.reasons


def test_fuzzy_merge_records_its_score() -> None:
    r = resolve_name("Manpwer")
    assert 90 <= r.score < 100 and "fuzzy" in r.reasons[0]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Håbo kommun", "Habo kommun"),  # accents matter: two municipalities
        ("Tullverket", "Trafikverket"),
        ("Skatteverket", "Skolverket"),
        ("Region Skåne", "Region Halland"),
        ("Lunds universitet", "Lunda universitet"),
        ("Birka folkhögskola", "Bika folkhögskola"),  # stem too short to call one a typo
    ],
    ids=lambda v: v,
)
def test_distinct_bodies_are_never_merged(a: str, b: str) -> None:
    res = resolve_all({1: a, 2: b}, Counter({1: 1, 2: 1}))
    assert res[1].key != res[2].key


def test_near_duplicates_in_the_data_merge_into_the_better_attested() -> None:
    names = {
        1: "Learning & Teaching AB",
        2: "Learning &Teaching",
        3: "Grimslövs folkhögskola",
        4: "Grimslövs Folkhögskola",
    }
    res = resolve_all(names, Counter({1: 2, 2: 1, 3: 3, 4: 1}))
    assert res[2].key == res[1].key and res[2].canonical == "Learning & Teaching"
    assert any(reason.startswith("near-duplicate of") for reason in res[2].reasons)
    assert res[3].key == res[4].key


def test_second_organisation_in_one_name_is_not_taken_for_a_unit() -> None:
    r = resolve_name("Arbetsförmedlingen, Försäkringskassan")
    assert r.canonical == "Arbetsförmedlingen" and r.unit is None
    assert "second organisation, not linked: Försäkringskassan" in r.reasons


def test_vocabulary_files_are_consistent() -> None:
    def rows(name: str) -> list[dict[str, str]]:
        text = files("esfparse").joinpath("data", name).read_text(encoding="utf-8")
        return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))

    kinds = rows("organisation_kinds.csv")
    assert {r["match"] for r in kinds} <= {
        "prefix",
        "suffix",
        "word_suffix",
        "municipality_suffix",
        "legal_form",
        "legal_form_prefix",
        "connector",
        "vocabulary_kind",
    }
    assert all(r["kind"] in entities.KINDS for r in kinds if r["match"] != "connector")
    assert all(r["term"] == r["term"].lower() for r in kinds)
    vocab = rows("organisation_vocabulary.csv")
    assert all(r["kind"] in entities.KINDS for r in vocab)
    assert len({r["name"] for r in vocab}) == len(vocab)
    used = {r["kind"] for r in rows("organisations.csv")}
    assert used <= {r["term"] for r in kinds if r["match"] == "vocabulary_kind"}


# ---------------------------------------------------------------- the tables, from the corpus


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> sqlite_utils.Database:
    path = str(tmp_path_factory.mktemp("entities") / "esf.db")
    run_ingest([(p, None) for p in sorted(RAW.glob("*.txt"))], path, progress=False)
    db = sqlite_utils.Database(path)
    entities.rebuild_entities(db)
    return db


def _rows(db: sqlite_utils.Database, table: str) -> list[tuple]:
    return db.execute(f"select * from {table} order by 1, 2").fetchall()


def test_rebuild_is_idempotent(corpus_db: sqlite_utils.Database) -> None:
    before = {
        t: _rows(corpus_db, t)
        for t in ("organisation_entities", "organisation_names", "organisation_merges")
    }
    counts = entities.rebuild_entities(corpus_db)
    assert {t: _rows(corpus_db, t) for t in before} == before
    assert counts == {
        "names": corpus_db["organisations"].count,
        "entities": len(before["organisation_entities"]),
        "merges": len(before["organisation_merges"]),
    }


def test_every_name_has_an_entity_and_fewer_entities_than_names(
    corpus_db: sqlite_utils.Database,
) -> None:
    names = corpus_db["organisations"].count
    assert corpus_db["organisation_names"].count == names
    assert 0 < corpus_db["organisation_entities"].count < names
    kinds = {r[0] for r in corpus_db.execute("select kind from organisation_entities")}
    assert kinds <= set(entities.KINDS)


def _entity_of(db: sqlite_utils.Database, name: str) -> tuple:
    return db.execute(
        "select e.canonical_name, e.kind, n.unit, e.municipality_code, e.org_nr "
        "from organisations o join organisation_names n on n.organisation_id = o.id "
        "join organisation_entities e on e.id = n.entity_id where o.name = ?",
        [name],
    ).fetchone()


def test_corpus_entities(corpus_db: sqlite_utils.Database) -> None:
    assert _entity_of(corpus_db, "STOCKHOLMS KOMMUN") == (
        "Stockholms stad",
        "municipality",
        None,
        "0180",
        "2120000142",
    )  # org.nr stated on the ESF+ page
    assert _entity_of(corpus_db, "Arbetsmarknadsförvaltningen - Stockholms stad")[:4] == (
        "Stockholms stad",
        "municipality",
        "Arbetsmarknadsförvaltningen",
        "0180",
    )
    assert _entity_of(corpus_db, "Arbetsförmedlingen Östersund")[:3] == (
        "Arbetsförmedlingen",
        "state_agency",
        "Östersund",
    )
    assert _entity_of(corpus_db, "Manpwer")[:2] == ("Manpower", "company")
    units = corpus_db.execute(
        "select count(*) from organisation_names n join organisation_entities e "
        "on e.id = n.entity_id where e.canonical_name = 'Arbetsförmedlingen'"
    ).fetchone()[0]
    assert units >= 10


def test_every_merge_is_listed_with_a_reason(corpus_db: sqlite_utils.Database) -> None:
    merges = {
        r[0]: r[1:]
        for r in corpus_db.execute(
            "select name, merged_into, reason, score from organisation_merges"
        )
    }
    assert merges["Manpwer"][0] == "Manpower" and 90 <= merges["Manpwer"][2] < 100
    assert merges["STOCKHOLMS KOMMUN"][1].startswith("municipality: SCB 0180")
    assert all(reason for _, reason, _ in merges.values())
    unchanged = corpus_db.execute(
        "select o.name from organisations o join organisation_names n "
        "on n.organisation_id = o.id join organisation_entities e on e.id = n.entity_id "
        "where o.name = e.canonical_name"
    ).fetchall()
    assert len(merges) + len(unchanged) == corpus_db["organisations"].count


def test_view_joins_project_roles_to_entities(corpus_db: sqlite_utils.Database) -> None:
    rows = corpus_db.execute(
        "select count(*), count(entity_id) from project_organisation_entities"
    ).fetchone()
    assert rows[0] == rows[1] == corpus_db["project_organisations"].count


def test_rebuild_on_a_plain_connection(tmp_path: Path) -> None:
    from esfparse.store import open_db

    db = open_db(str(tmp_path / "empty.db"))
    assert entities.rebuild_entities(db.conn) == {"names": 0, "entities": 0, "merges": 0}
