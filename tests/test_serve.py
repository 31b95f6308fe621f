"""Datasette: generated metadata, facets, search, canned queries, the map and HTML escaping.

Most tests run against a small synthetic database with known answers; the
``corpus`` tests run every canned query on the ingested corpus/raw.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

pytest.importorskip("datasette", reason="datasette is in the `serve`/`test` extras")

from esfparse import serve
from esfparse.entities import rebuild_entities
from esfparse.ingest import run_ingest
from esfparse.models import (
    DocumentInfo,
    Evidence,
    Extraction,
    Goal,
    MunicipalityRef,
    OrganisationRef,
    Problem,
    Record,
    Section,
)
from esfparse.store import open_db, store_extraction

from .conftest import RAW

SCRIPT = "<script>alert('esf')</script>"
EV = Evidence(start=0, end=1)


def _doc(n: int) -> DocumentInfo:
    return DocumentInfo(
        path=f"synthetic/page{n}.txt", format="text", sha256=f"{n:02x}" * 32, chars=100
    )


def _municipality(name: str, code: str) -> MunicipalityRef:
    return MunicipalityRef(as_written=name, code=code, name=name, source="list", evidence=EV)


def _synthetic(path: Path) -> Path:
    """Two projects with known answers; one section holds a <script> element."""
    db = open_db(str(path))
    a = Record(
        kind="project_page",
        layout="esf2007",
        title="Vägen till arbete <i>A</i>",
        owner="Krokoms kommun",
        region="Mellersta Norrland",
        region_nuts2="SE32",
        esf_grant_sek=1_000_000,
        total_budget_sek=2_500_000,
        phase="Genomförande",
        programme_area="Programområde 2",
        municipalities=[_municipality("Krokom", "2309"), _municipality("Östersund", "2380")],
        co_financiers=[
            OrganisationRef(
                name="Länsstyrelsen Jämtland", role="co_financier", source="list", evidence=EV
            )
        ],
        sections=[
            Section(
                heading="Sammanfattning",
                text=f"{SCRIPT} Deltagarna får stöd på vägen.",
                evidence=EV,
            )
        ],
        goals=[
            Goal(
                value=40,
                unit="percent",
                what="deltagare i arbete",
                kind="target",
                quote="40 % av deltagarna ska ha arbete efter projektet.",
                evidence=EV,
            )
        ],
    )
    b = Record(
        kind="project_page",
        layout="esfplus",
        title="Språkcafé",
        owner="Stockholms stad",
        region="Stockholm",
        region_nuts2="SE11",
        esf_grant_sek=500_000,
        total_budget_sek=800_000,
        municipalities=[_municipality("Stockholm", "0180")],
        partners=[
            OrganisationRef(name="Krokoms kommun", role="partner", source="list", evidence=EV)
        ],
        goals=[
            Goal(
                value=20,
                unit="count",
                what="deltagare",
                per="år",
                quote="20 deltagare per år.",
                evidence=EV,
            )
        ],
    )
    store_extraction(
        db,
        Extraction(
            document=_doc(1),
            record=a,
            problems=[
                Problem(
                    code="money.cofinancing_mismatch", severity="warning", message="rate differs"
                )
            ],
        ),
        "test",
    )
    store_extraction(db, Extraction(document=_doc(2), record=b), "test")
    rebuild_entities(db)  # what every ingest ends with
    serve.ensure_views(db)
    db.close()
    return path


def _ingest(path: Path, files: list[Path]) -> Path:
    """A database as `esfparse ingest` leaves it: the files stored, the organisation entities and views built."""
    run_ingest([(f, None) for f in files], str(path), progress=False)
    db = sqlite_utils.Database(path)
    rebuild_entities(db)
    serve.ensure_views(db)
    db.close()
    return path


def _get(ds: Any, *paths: str) -> list[Any]:
    async def run() -> list[Any]:
        return [await ds.client.get(p) for p in paths]

    return asyncio.run(run())


def _json(ds: Any, path: str) -> Any:
    (response,) = _get(ds, path)
    assert response.status_code == 200, (path, response.text[:500])
    return response.json()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synthetic(tmp_path_factory.mktemp("serve") / "esf.db")


@pytest.fixture(scope="module")
def ds(synthetic: Path) -> Any:
    return serve.make_datasette(synthetic)


def _query(ds: Any, name: str, **params: str) -> list[dict[str, Any]]:
    args = "".join(f"&{k}={v}" for k, v in params.items())
    return _json(ds, f"/esf/{name}.json?_shape=array{args}")


# ---------------------------------------------------------------- metadata


def test_every_table_and_column_is_described(synthetic: Path, ds: Any) -> None:
    db = sqlite_utils.Database(synthetic)
    assert serve.undescribed(db) == []
    meta = _json(ds, "/-/metadata.json")["databases"]["esf"]["tables"]
    listing = _json(ds, "/esf.json")
    shown = [*listing["tables"], *listing["views"]]
    assert {
        "projects",
        "sections",
        "goals",
        "municipalities",
        "problems",
        "project_places",
        "organisation_entities",
        "organisation_names",
        "organisation_merges",
        "project_organisation_entities",
    } <= {t["name"] if isinstance(t, dict) else t for t in shown}
    for table, columns in serve.browsable(db).items():
        assert meta[table]["description"], table
        assert sorted(meta[table]["columns"]) == sorted(columns), table
        assert all(meta[table]["columns"].values()), table


def test_descriptions_come_from_the_models() -> None:
    from esfparse.models import Goal as G
    from esfparse.models import Record as R

    assert (
        serve.describe_column("projects", "esf_grant_sek")
        == R.model_fields["esf_grant_sek"].description
    )
    assert serve.describe_column("goals", "what") == G.model_fields["what"].description
    assert serve.describe_column("projects", "union_cofinancing_rate_pct").startswith(
        R.model_fields["union_cofinancing_rate"].description
    )
    assert "percent (0-100)" in serve.describe_column("projects", "union_cofinancing_rate_pct")


def test_metadata_settings(synthetic: Path) -> None:
    md = serve.build_metadata(sqlite_utils.Database(synthetic))
    assert md["title"] and md["description"] and md["source"] and md["license"]
    tables = md["databases"]["esf"]["tables"]
    for table, label in (
        ("municipalities", "name"),
        ("organisations", "name"),
        ("documents", "title"),
        ("nuts2_regions", "name"),
        ("counties", "name"),
        ("organisation_entities", "canonical_name"),
    ):
        assert tables[table]["label_column"] == label
    assert tables["organisation_entities"]["facets"] == ["kind"]
    assert tables["organisation_entities"]["description"] == (
        "One organisation behind the names as written, with its kind, SCB code and org.nr."
    )
    assert tables["project_organisation_entities"]["description"].startswith(
        "Each role in each document with the resolved organisation (who partners with whom)"
    )
    assert tables["projects"]["sort_desc"] == "esf_grant_sek"
    assert md["plugins"]["datasette-cluster-map"] == {
        "latitude_column": "latitude",
        "longitude_column": "longitude",
    }


def test_committed_metadata_is_current() -> None:
    committed = Path(serve.__file__).parent / "data" / serve.GENERATED_FILE
    assert committed.read_text(encoding="utf-8") == serve.dumps(serve.default_metadata()), (
        f"{committed} is stale: run `python -m esfparse.serve`"
    )


def test_write_metadata(synthetic: Path, tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    serve.write_metadata(synthetic, out)
    assert json.loads(out.read_text(encoding="utf-8")) == serve.build_metadata(
        sqlite_utils.Database(synthetic)
    )


def test_views_are_idempotent(tmp_path: Path) -> None:
    from esfparse.identity import rebuild_projects

    db = open_db(str(tmp_path / "v.db"))
    rebuild_projects(db)
    assert serve.ensure_views(db) == ["project_places", "promised_vs_achieved", "project_calls"]
    assert serve.ensure_views(db) == [] and serve.views_current(db)
    assert db.execute(
        "select type from sqlite_master where name = 'project_places'"
    ).fetchone() == ("table",)
    db.execute("drop table project_places")  # an older database: the map was a view
    db.execute("create view project_places as select 1 as x")
    assert not serve.views_current(db)
    assert serve.ensure_views(db) == ["project_places"] and serve.views_current(db)
    assert serve.ensure_views(db) == []


def test_safe_defaults(synthetic: Path) -> None:
    params = inspect.signature(serve.run_server).parameters
    assert params["host"].default == "127.0.0.1" and params["immutable"].default is True
    assert not serve.make_datasette(synthetic).databases["esf"].is_mutable


# ---------------------------------------------------------------- facets, labels, search


def test_facets(ds: Any) -> None:
    projects = _json(ds, "/esf/projects.json")["facet_results"]
    assert {"region", "programme_area", "phase", "layout", "owner"} <= set(projects)
    assert {(r["value"], r["count"]) for r in projects["region"]["results"]} == {
        ("Mellersta Norrland", 1),
        ("Stockholm", 1),
    }
    places = _json(ds, "/esf/project_municipalities.json")["facet_results"]["municipality_code"][
        "results"
    ]
    assert {r["value"]: r["label"] for r in places} == {
        "2309": "Krokom",
        "2380": "Östersund",
        "0180": "Stockholm",
    }
    assert {"kind", "unit", "section"} <= set(_json(ds, "/esf/goals.json")["facet_results"])
    assert {"code", "severity"} <= set(_json(ds, "/esf/problems.json")["facet_results"])
    filtered = _json(ds, "/esf/projects.json?_shape=objects&region=Stockholm")["rows"]
    assert [r["title"] for r in filtered] == ["Språkcafé"]


def test_foreign_keys_show_labels(ds: Any) -> None:
    rows = _json(ds, "/esf/project_municipalities.json?_shape=objects&_labels=on")["rows"]
    assert {r["municipality_code"]["label"] for r in rows} == {"Krokom", "Östersund", "Stockholm"}
    rows = _json(ds, "/esf/projects.json?_shape=objects&_labels=on&region_nuts2=SE32")["rows"]
    assert rows[0]["region_nuts2"]["label"] == "Mellersta Norrland"
    rows = _json(ds, "/esf/organisation_names.json?_shape=objects&_labels=on")["rows"]
    assert {(r["organisation_id"]["label"], r["entity_id"]["label"]) for r in rows} == {
        ("Krokoms kommun", "Krokoms kommun"),
        ("Stockholms stad", "Stockholms stad"),
        ("Länsstyrelsen Jämtland", "Länsstyrelsen"),
    }
    rows = _json(ds, "/esf/organisation_entities.json?_shape=objects&_labels=on&kind=municipality")[
        "rows"
    ]
    assert {r["municipality_code"]["label"] for r in rows} == {"Krokom", "Stockholm"}
    facets = _json(ds, "/esf/organisation_entities.json")["facet_results"]["kind"]["results"]
    assert {(f["value"], f["count"]) for f in facets} == {("municipality", 2), ("state_agency", 1)}


def test_full_text_search(ds: Any) -> None:
    rows = _json(ds, "/esf/projects.json?_shape=objects&_search=Språkcafé")["rows"]
    assert [r["title"] for r in rows] == ["Språkcafé"]
    rows = _json(ds, "/esf/sections.json?_shape=objects&_search=deltagarna")["rows"]
    assert len(rows) == 1 and rows[0]["heading"] == "Sammanfattning"
    assert (
        _json(ds, '/esf/projects.json?_search="unbalanced')["rows"] == []
    )  # user syntax is escaped


# ---------------------------------------------------------------- canned queries


def test_canned_queries_have_known_answers(ds: Any) -> None:
    for value in ("Krokom", "krokom", "2309", "Östersund", "Krokoms kommun"):
        assert [r["title"] for r in _query(ds, "projects_in_municipality", municipality=value)] == [
            "Vägen till arbete <i>A</i>"
        ], value
    assert _query(ds, "projects_in_municipality") == []
    county = {
        r["county"]: (r["projects"], r["esf_grant_sek"]) for r in _query(ds, "money_by_county")
    }
    assert county == {"Jämtlands län": (1, 1_000_000), "Stockholms län": (1, 500_000)}
    region = {
        r["nuts2_code"]: (r["projects"], r["total_budget_sek"])
        for r in _query(ds, "money_by_region")
    }
    assert region == {"SE32": (1, 2_500_000), "SE11": (1, 800_000)}
    periods = {
        r["programme_period"]: (r["projects"], r["esf_grant_sek"], r["period_from"])
        for r in _query(ds, "money_by_programme_period")
    }
    assert periods == {"2007-2013": (1, 1_000_000, "layout"), "2021-2027": (1, 500_000, "layout")}
    goals = _query(ds, "employment_goals_by_region")
    assert [(g["region"], g["value"]) for g in goals] == [("Mellersta Norrland", 40)]
    assert _query(ds, "employment_goals_by_region", region="SE11") == []
    assert len(_query(ds, "employment_goals_by_region", region="SE32")) == 1
    orgs = {
        (r["organisation"], r["role"]): r["projects"]
        for r in _query(ds, "organisations_by_projects")
    }
    assert orgs == {
        ("Krokoms kommun", "owner"): 1,
        ("Krokoms kommun", "partner"): 1,
        ("Stockholms stad", "owner"): 1,
        ("Länsstyrelsen Jämtland", "co_financier"): 1,
    }
    assert len(_query(ds, "organisations_by_projects", role="owner")) == 2
    problems = _query(ds, "projects_with_problems")
    assert [(p["title"], p["warnings"], p["codes"]) for p in problems] == [
        ("Vägen till arbete <i>A</i>", 1, "money.cofinancing_mismatch")
    ]
    assert _query(ds, "projects_with_problems", severity="error") == []
    found = {(r["title"], r["matched_in"]) for r in _query(ds, "search_projects", q="stöd")}
    assert found == {("Vägen till arbete <i>A</i>", "section")}
    assert _query(ds, "search_projects", q='"odd') == []
    pairs = {
        (frozenset((r["organisation_a"], r["organisation_b"])), r["projects"])
        for r in _query(ds, "partner_pairs")
    }
    assert pairs == {
        (frozenset(("Krokoms kommun", "Länsstyrelsen")), 1),
        (frozenset(("Krokoms kommun", "Stockholms stad")), 1),
    }
    only = _query(ds, "partner_pairs", organisation="Stockholms")
    assert [{r["organisation_a"], r["organisation_b"]} for r in only] == [
        {"Krokoms kommun", "Stockholms stad"}
    ]


def test_partner_pairs_leave_out_mentions(tmp_path: Path) -> None:
    """Two organisations only mentioned together (a presentation) are no pair; shared projects are counted."""
    path = tmp_path / "pairs.db"
    db = open_db(str(path))
    refs = [("Arbetsförmedlingen", "owner"), ("Försäkringskassan", "partner")]
    for n in (1, 2):
        record = Record(
            kind="project_page",
            title=f"P{n}",
            organisations=[
                OrganisationRef(name=name, role=role, source="list", evidence=EV)
                for name, role in refs
            ],
        )
        store_extraction(db, Extraction(document=_doc(n), record=record), "test")
    talk = Record(
        kind="presentation",
        title="Talk",
        organisations=[
            OrganisationRef(name=name, role="mentioned", source="text", evidence=EV)
            for name in ("Skatteverket", "Vinnova")
        ],
    )
    store_extraction(db, Extraction(document=_doc(3), record=talk), "test")
    rebuild_entities(db)
    db.close()
    rows = _json(serve.make_datasette(path), "/pairs/partner_pairs.json?_shape=array")
    assert [({r["organisation_a"], r["organisation_b"]}, r["projects"]) for r in rows] == [
        ({"Arbetsförmedlingen", "Försäkringskassan"}, 2)
    ]


def test_every_canned_query_is_tested() -> None:
    assert set(serve.load_spec()["queries"]) == {
        "projects_in_municipality",
        "money_by_county",
        "money_by_region",
        "money_by_programme_period",
        "employment_goals_by_region",
        "organisations_by_projects",
        "projects_with_problems",
        "search_projects",
        "partner_pairs",
        "promised_vs_achieved",
    }


# ---------------------------------------------------------------- map and escaping


def test_map(ds: Any) -> None:
    plugins = {p["name"] for p in _json(ds, "/-/plugins.json")}
    assert "datasette-cluster-map" in plugins
    data = _json(ds, "/esf/project_places.json?_shape=objects")
    assert {
        "latitude",
        "longitude",
        "title",
        "owner",
        "municipality",
        "municipality_code",
        "esf_grant_sek",
    } <= set(data["columns"])
    assert len(data["rows"]) == 3 and all(r["latitude"] and r["longitude"] for r in data["rows"])
    (page,) = _get(ds, "/esf/project_places")
    assert "datasette-cluster-map.js" in page.text
    assert 'DATASETTE_CLUSTER_MAP_LATITUDE_COLUMN = "latitude"' in page.text


def test_document_text_is_escaped(ds: Any) -> None:
    rows = _json(ds, "/esf/sections.json?_shape=objects")["rows"]
    pages = _get(
        ds,
        "/esf/sections",
        f"/esf/sections/{rows[0]['id']}",
        "/esf/projects",
        "/esf/sections?_search=deltagarna",
    )
    for page in pages:
        assert page.status_code == 200
        assert "alert(" in page.text or "Vägen" in page.text
        assert SCRIPT not in page.text and "<i>A</i>" not in page.text
    assert "&lt;script&gt;alert(" in pages[0].text and "&lt;i&gt;A&lt;/i&gt;" in pages[2].text


# ---------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = [
        *sorted(RAW.glob("*.txt")),
        *sorted((RAW.parent / "examples").glob("*.txt")),
    ]  # + reports on them
    return _ingest(tmp_path_factory.mktemp("corpus") / "esfparse.db", files)


@pytest.fixture(scope="module")
def corpus_ds(corpus_db: Path) -> Any:
    return serve.make_datasette(corpus_db)


def test_corpus_is_described(corpus_db: Path) -> None:
    db = sqlite_utils.Database(corpus_db)
    assert {"organisation_entities", "project_organisation_entities"} <= set(serve.browsable(db))
    assert serve.undescribed(db) == []


CORPUS_PARAMS = {
    "projects_in_municipality": {"municipality": "Stockholm"},
    "search_projects": {"q": "arbete"},
}


@pytest.mark.parametrize("name", sorted(serve.load_spec()["queries"]))
def test_canned_queries_on_corpus(corpus_ds: Any, name: str) -> None:
    args = "".join(f"&{k}={v}" for k, v in CORPUS_PARAMS.get(name, {}).items())
    rows = _json(corpus_ds, f"/esfparse/{name}.json?_shape=array{args}")
    assert rows, f"{name} returned no rows on corpus/raw"


def test_corpus_search_and_map(corpus_ds: Any) -> None:
    rows = _json(corpus_ds, "/esfparse/projects.json?_shape=objects&_search=Galaxhopen")["rows"]
    assert [r["title"] for r in rows] == ["Galaxhopen"]
    places = _json(corpus_ds, "/esfparse/project_places.json?_shape=objects&_size=max")["rows"]
    assert places and all(
        -90 <= r["latitude"] <= 90 and -180 <= r["longitude"] <= 180 for r in places
    )


def test_cli_writes_metadata(synthetic: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from esfparse.cli import cli

    out = tmp_path / "md.json"
    result = CliRunner().invoke(cli, ["serve", str(synthetic), "--metadata-out", str(out)], obj={})
    assert result.exit_code == 0, result.output
    assert list(json.loads(out.read_text(encoding="utf-8"))["databases"]) == ["esf"]


def test_serving_an_old_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.db"
    open_db(str(path)).close()  # a database without the map view
    serve._prepare(str(path), immutable=True)
    assert "project_places" in capsys.readouterr().err
    assert not serve.views_current(serve.open_readonly(path))
    serve._prepare(str(path), immutable=False)  # --mutable: the view is added
    assert serve.views_current(serve.open_readonly(path))


def test_serving_without_entities(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.db"
    db = open_db(str(path))
    serve.ensure_views(db)
    db.close()
    serve._prepare(str(path), immutable=True)
    assert "organisation entity tables" in capsys.readouterr().err
    serve._prepare(str(path), immutable=False)  # --mutable: the entities are built
    assert "organisation_entities" in serve.open_readonly(path).table_names()


# ---------------------------------------------------------------- review pages


def _sha(ds: Any, db: str, title: str) -> str:
    rows = _json(ds, f"/{db}/documents.json?_shape=array&title={title}")
    assert len(rows) == 1, rows
    return str(rows[0]["sha256"])


def test_review_page_of_a_corpus_document(corpus_ds: Any) -> None:
    sha = _sha(corpus_ds, "esfparse", "Galaxhopen")
    (page,) = _get(corpus_ds, f"/-/review/{sha}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert '<mark class="g-header"' in page.text and 'id="span-1"' in page.text
    assert "<title>Review: " in page.text and "<script" not in page.text


def test_documents_link_to_their_review_pages(corpus_ds: Any) -> None:
    shas = [
        r["sha256"] for r in _json(corpus_ds, "/esfparse/documents.json?_shape=array&_size=max")
    ]
    (table,) = _get(corpus_ds, "/esfparse/documents?_size=max")
    assert all(f'href="/-/review/{sha}"' in table.text for sha in shas)
    (row,) = _get(corpus_ds, f"/esfparse/documents/{shas[0]}")
    assert f'href="/-/review/{shas[0]}"' in row.text
    assert serve.REVIEW_PLUGIN in {p["name"] for p in _json(corpus_ds, "/-/plugins.json")}
    assert not corpus_ds.databases["esfparse"].is_mutable  # still read-only


def test_review_unknown_documents(corpus_ds: Any, ds: Any) -> None:
    missing, bad, synthetic_doc = _get(
        corpus_ds, f"/-/review/{'0' * 64}", "/-/review/../../etc/passwd", f"/-/review/{'01' * 32}"
    )
    assert missing.status_code == 404 and "Unknown document" in missing.text
    assert bad.status_code == 404 and synthetic_doc.status_code == 404
    (gone,) = _get(
        ds, f"/-/review/{'01' * 32}"
    )  # stored as synthetic/page1.txt, which does not exist
    assert gone.status_code == 404 and "synthetic/page1.txt" in gone.text


def test_review_escapes_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (RAW / "dev04.txt").read_text(encoding="utf-8")
    assert "Fler undersköterskor\n" in text
    (tmp_path / "docs").mkdir()
    source = tmp_path / "docs" / "evil.txt"
    source.write_text(
        text.replace("Fler undersköterskor\n", f"Fler {SCRIPT} undersköterskor\n", 1),
        encoding="utf-8",
    )
    monkeypatch.chdir(
        tmp_path
    )  # ingested by a relative path: found next to the database when served elsewhere
    path = _ingest(tmp_path / "evil.db", [Path("docs/evil.txt")])
    monkeypatch.chdir(RAW)
    evil = serve.make_datasette(path)
    sha = _json(evil, "/evil/documents.json?_shape=array")[0]["sha256"]
    (page,) = _get(evil, f"/-/review/{sha}")
    assert page.status_code == 200, page.text[:300]
    assert "&lt;script&gt;alert(" in page.text and "<mark" in page.text
    assert SCRIPT not in page.text and "<script" not in page.text

    source.write_text(text, encoding="utf-8")  # changed since the ingest
    (changed,) = _get(evil, f"/-/review/{sha}")
    assert changed.status_code == 409 and "ingest" in changed.text
    source.unlink()
    (gone,) = _get(evil, f"/-/review/{sha}")
    assert gone.status_code == 404 and "docs/evil.txt" in gone.text


# ---------------------------------------------------------------- project rows link their sources; amounts


def test_project_row_links_document_and_review(ds: Any) -> None:
    (row,) = _json(ds, "/esf/projects.json?_shape=array&title=Språkcafé")
    (page,) = _get(ds, f"/esf/projects/{row['id']}")
    assert page.status_code == 200
    assert f'href="/esf/documents/{row["document_id"]}"' in page.text
    assert f'href="/-/review/{row["document_id"]}"' in page.text


def test_amounts_show_digit_grouping(ds: Any) -> None:
    (page,) = _get(ds, "/esf/projects")
    assert "1\u202f000\u202f000" in page.text and "2\u202f500\u202f000" in page.text
    (row,) = _json(ds, "/esf/projects.json?_shape=array&title=Språkcafé")
    assert row["esf_grant_sek"] == 500_000  # JSON keeps the number
    (page,) = _get(ds, "/esf/money_by_region")
    assert "2\u202f500\u202f000" in page.text
