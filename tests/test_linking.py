"""Reports linked to project pages, and a page's goals paired with a report's results."""

from __future__ import annotations

import pytest

from esfparse.linking import link_for, normalise_title, pair_goals

PAGES = [
    {
        "id": "p1",
        "document_id": "p1",
        "title": "Navigator",
        "owner": "Krokoms kommun, Kommunstyrelsen",
        "diarienummer": None,
        "project_number": None,
        "programme_period": "2007-2013",
        "period_start": "2008-05-01",
    },
    {
        "id": "p2",
        "document_id": "p2",
        "title": "Inkluderande rehabilitering",
        "owner": "Samordningsförbundet Hisingen",
        "diarienummer": None,
        "project_number": "2015/00242",
        "programme_period": "2014-2020",
        "period_start": None,
    },
    {
        "id": "p3",
        "document_id": "p3",
        "title": "Kvinnors etablering",
        "owner": "STOCKHOLMS KOMMUN",
        "diarienummer": "22-044-S07",
        "project_number": None,
        "programme_period": "2021-2027",
        "period_start": None,
    },
]


def _report(**kw: str | None) -> dict[str, str | None]:
    return {
        "document_id": "r" * 20,
        "title": None,
        "owner": None,
        "diarienummer": None,
        "project_number": None,
        "period_start": None,
        **kw,
    }


LINKS = [
    pytest.param(
        _report(project_number="2015/00242", title="Något annat"),
        [("p2", "case_number")],
        id="project-number-wins-over-title",
    ),
    pytest.param(
        _report(diarienummer="22-044-s07"), [("p3", "case_number")], id="esfplus-diarienummer"
    ),
    pytest.param(
        _report(diarienummer="23-001-S01", title="Kvinnors etablering", owner="Stockholms kommun"),
        [],
        id="other-case-number-never-by-title",
    ),
    pytest.param(
        _report(diarienummer="2008-3030382", title="Navigator", owner="Krokoms kommun"),
        [("p1", "title_owner")],
        id="case-number-page-without-one",
    ),
    pytest.param(
        _report(title="Navigator", owner="Krokoms kommun", period_start="2008-05-01"),
        [("p1", "name_key")],
        id="identity-name-key",
    ),
    pytest.param(
        _report(title="Navigator", owner="Krokoms kommun"),
        [("p1", "title_owner")],
        id="title-and-owner-part",
    ),
    pytest.param(
        _report(title="Projekt Navigator – genomförande", owner="Krokoms kommun"),
        [("p1", "title_owner")],
        id="project-and-phase-words-ignored",
    ),
    pytest.param(_report(title="Navigator", owner="Luleå kommun"), [], id="same-title-other-owner"),
    pytest.param(_report(title="Navigator"), [("p1", "title")], id="exact-title-no-owner"),
    pytest.param(_report(title="Navigatorn i norr"), [], id="near-title-no-owner"),
    pytest.param(
        _report(title="Kvinnors etablering", owner="Stockholms kommun"),
        [("p3", "title_owner")],
        id="owner-case-differs",
    ),
]


@pytest.mark.parametrize(("report", "expected"), LINKS)
def test_link_for(report: dict, expected: list[tuple[str, str]]) -> None:
    links = link_for(report, PAGES)
    assert [(lk["project_id"], lk["method"]) for lk in links] == expected
    assert all(lk["evidence"] for lk in links)


def test_normalise_title() -> None:
    assert normalise_title("ESF-projektet Navigator - Förstudie") == "navigator"


def test_pair_goals_same_unit_most_alike() -> None:
    goals = [
        {"id": "g1", "unit": "count", "what": "deltagare"},
        {"id": "g2", "unit": "count", "what": "utrikes födda"},
        {"id": "g3", "unit": "percent", "what": "i arbete efter avslutat projekt"},
        {"id": "g4", "unit": "count", "what": "företagskontakter"},
    ]
    results = [
        {"id": "r1", "unit": "count", "what": "utrikes födda"},
        {"id": "r2", "unit": "count", "what": "deltagare"},
        {
            "id": "r3",
            "unit": "percent",
            "what": "har gått vidare till arbete efter avslutad insats",
        },
        {"id": "r4", "unit": "count", "what": "praktikplatser"},
    ]
    assert sorted((g, r) for g, r, _ in pair_goals(goals, results)) == [
        ("g1", "r2"),
        ("g2", "r1"),
        ("g3", "r3"),
    ]


def test_corpus_database_shows_promised_beside_achieved(tmp_path) -> None:
    """Built from corpus/raw and corpus/examples: goals and results side by side, with the link's evidence."""
    import sqlite3

    from esfparse.ingest import run_ingest

    from .conftest import CORPUS, RAW

    files = [*sorted(RAW.glob("*.txt")), *sorted((CORPUS / "examples").glob("*.txt"))]
    db = tmp_path / "esf.db"
    run_ingest([(f, None) for f in files], str(db), workers=1, progress=False)
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "select project, unit, promised, achieved, link_method, link_evidence from promised_vs_achieved "
        "where promised is not null and achieved is not null"
    ).fetchall()
    assert ("Navigator", "count", 135.0, 142.0) in {r[:4] for r in rows}
    assert ("Inkluderande rehabilitering", "count", 570.0, 604.0) in {r[:4] for r in rows}
    assert {r[4] for r in rows} == {"name_key", "case_number"}
    assert all(r[5] for r in rows)
