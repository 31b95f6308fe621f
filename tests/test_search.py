"""Ranked Swedish full-text search: stems find inflected forms, best match first, hits marked."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from esfparse.models import DocumentInfo, Evidence, Extraction, Record, Section
from esfparse.search import fts_query, stem
from esfparse.store import open_db, store_extraction

pytest.importorskip("datasette", reason="datasette is in the `serve`/`test` extras")

from esfparse import serve

EV = Evidence(start=0, end=1)

# (id, what a user types, a sentence it must find) — inflections and compounds of Swedish nouns and verbs
FINDS = [
    ("plural", "ungdom", "Projektet vänder sig till ungdomar i Krokom."),
    ("definite-plural", "ungdom", "Ungdomarna får stöd av en coach."),
    ("compound", "ungdom", "Ungdomsarbetslösheten är hög i länet."),
    ("from-inflected", "ungdomarna", "Vi når fler ungdomar än väntat."),
    ("genitive", "kommun", "Kommunens arbetsmarknadsenhet äger projektet."),
    ("verb", "stödja", "Coacherna stödjer deltagarna varje vecka."),
    ("two-words-any-order", "arbete kvinnor", "Kvinnor som står långt från arbetet."),
    ("case-and-å", "ÅTERVÄNDA", "Deltagare som återvänder till studier."),
]
MISSES = [
    ("other-word", "ungdom", "Seniorer i arbetslivet."),
    ("all-words-needed", "ungdom kvinnor", "Ungdomar i Krokom."),
    ("operator-is-text", "NOT ungdom", "Ungdomar i Krokom."),
]


@pytest.mark.parametrize(
    ("query", "sentence"), [(q, s) for _, q, s in FINDS], ids=[i for i, _, _ in FINDS]
)
def test_query_finds_inflected_forms(tmp_path: Path, query: str, sentence: str) -> None:
    assert _matches(tmp_path, query, sentence)


@pytest.mark.parametrize(
    ("query", "sentence"), [(q, s) for _, q, s in MISSES], ids=[i for i, _, _ in MISSES]
)
def test_query_misses(tmp_path: Path, query: str, sentence: str) -> None:
    assert not _matches(tmp_path, query, sentence)


def _matches(tmp_path: Path, query: str, sentence: str) -> bool:
    db = open_db(str(tmp_path / "s.db"))
    db.conn.execute(
        "create virtual table t using fts5(text, tokenize = 'unicode61 remove_diacritics 0')"
    )
    db.conn.execute("insert into t values (?)", [sentence])
    return bool(db.conn.execute("select 1 from t where t match ?", [fts_query(query)]).fetchall())


def test_stems() -> None:
    assert [stem(w) for w in ("ungdomar", "Ungdomarna", "2014")] == ["ungdom", "ungdom", "2014"]


def _doc(n: int) -> DocumentInfo:
    return DocumentInfo(
        path=f"synthetic/page{n}.txt", format="text", sha256=f"{n:02x}" * 32, chars=100
    )


PAGES = [  # title, heading, text: how often and where "ungdom..." occurs sets the order
    ("Seniorkraft", "Bakgrund", "Äldre arbetssökande i Östersund får stöd."),
    (
        "Unga vägar",
        "Bakgrund",
        "Projektet möter ungdomar. Ungdomarna coachas, och ungdomar i länet får praktik.",
    ),
    ("Sommarjobb", "Bakgrund", "Många i kommunen söker jobb, bland dem några ungdomar."),
    ("Ungdomslyftet", "Mål", "Fler i arbete."),
    *(
        (f"Kompetens {n}", "Bakgrund", "Anställda i vården utbildas.") for n in range(6)
    ),  # a word's rarity counts
]


@pytest.fixture(scope="module")
def search_ds(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("search") / "search.db"
    db = open_db(str(path))
    for n, (title, heading, text) in enumerate(PAGES, 1):
        record = Record(
            kind="project_page",
            title=title,
            owner="Krokoms kommun",
            sections=[Section(heading=heading, text=text, evidence=EV)],
        )
        store_extraction(db, Extraction(document=_doc(n), record=record), "test")
    serve.ensure_views(db)
    db.close()
    return serve.make_datasette(path)


def _get(ds: Any, path: str) -> Any:
    async def run() -> Any:
        return await ds.client.get(path)

    response = asyncio.run(run())
    assert response.status_code == 200, response.text[:500]
    return response


def test_canned_search_is_ranked(search_ds: Any) -> None:
    rows = _get(search_ds, "/search/search_projects.json?_shape=array&q=ungdom").json()
    assert [r["title"] for r in rows] == ["Ungdomslyftet", "Unga vägar", "Sommarjobb"]
    assert [r["matched_in"] for r in rows] == ["title or owner", "section", "section"]
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert "**ungdomar**" in rows[1]["snippet"] and "**Ungdomarna**" in rows[1]["snippet"]


def test_snippet_hit_is_marked_in_the_page(search_ds: Any) -> None:
    page = _get(search_ds, "/search/search_projects?q=ungdomar").text
    assert "<mark>ungdomar</mark>" in page and "<mark>Ungdomarna</mark>" in page
    assert "**ungdomar**" not in page


def test_search_without_words_is_empty(search_ds: Any) -> None:
    for q in ("", "%20", "%3F%21"):
        assert _get(search_ds, f"/search/search_projects.json?_shape=array&q={q}").json() == []
