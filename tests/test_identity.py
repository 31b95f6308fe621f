"""Projects as entities: identity keys, programme periods, reconciliation, and one row per real project.

The corpus tests build two databases: one from the .txt files alone, one from every rendering and snapshot
(corpus/raw + html + pdf + heldout + real). The truth is the source list: documents with the same source
page (a `#snapshot` fragment aside) are one project, and a rendering is the project of its text.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from esfparse import serve
from esfparse.identity import (
    eur_rate,
    exchange_rates,
    fund_label,
    group_documents,
    name_key,
    programme_period_of,
    project_id,
    project_key,
    reconcile,
    region_label,
)
from esfparse.ingest import run_ingest

from .conftest import CORPUS

# ---------------------------------------------------------------- keys


@pytest.mark.parametrize(
    "args, key, rule",
    [
        pytest.param(
            ("23-101-s05", None, "A", "B", "2021-2027", None),
            "case:23-101-S05",
            "case_number",
            id="esfplus-dnr",
        ),
        pytest.param(
            (None, "2015/00963", "A", "B", "2014-2020", None),
            "case:2015/00963",
            "case_number",
            id="project-number",
        ),
        pytest.param(
            (None, " 2015 / 00963", "A", "B", None, None),
            "case:2015/00963",
            "case_number",
            id="spaces-in-number",
        ),
        pytest.param(
            (
                None,
                None,
                "Feedback-Ett steg",
                "Arbetsförmedlingen Rinkeby Kista",
                "2007-2013",
                None,
            ),
            "name:feedback ett steg|state_agency:arbetsförmedlingen|2007-2013",
            "title_owner_period",
            id="title-owner-unit-dropped",
        ),
        pytest.param(
            (None, None, "Skills Bridge", None, "2021-2027", "2024-03-01"),
            "title:skills bridge|2021-2027|2024-03-01",
            "title_period",
            id="no-owner",
        ),
        pytest.param((None, None, None, "X", None, None), "doc:abc", "document", id="no-title"),
    ],
)
def test_project_key(args: tuple, key: str, rule: str) -> None:
    found = project_key(*args, sha256="abc")
    assert (found.key, found.rule) == (key, rule)


def test_owner_forms_share_a_key() -> None:
    """`Kriminalvården, Kriminalvården` and `KRIMINALVÅRDEN` are one owner; dashes and case do not matter."""
    a = name_key("Care – Ukraine", "Kriminalvården, Kriminalvården", "2014-2020", None)
    b = name_key("CARE - UKRAINE", "Kriminalvården", "2014-2020", None)
    c = name_key("Care - Ukraine", "Kriminalvården", "2021-2027", None)
    assert a and b and c and a.key == b.key != c.key


def test_stable_ids() -> None:
    assert project_id("case:2015/00963") == "2015/00963"
    assert project_id("name:a|b|c") == project_id("name:a|b|c") != project_id("name:a|b|d")
    assert project_id("name:a|b|c").startswith("p-") and len(project_id("name:a|b|c")) == 14


def _doc(cases: list[str], name: str | None) -> dict:
    return {"cases": cases, "name": name}


@pytest.mark.parametrize(
    "docs, groups",
    [
        pytest.param([_doc(["case:1"], "n"), _doc(["case:1"], "n")], [[0, 1]], id="renderings"),
        pytest.param(
            [_doc(["case:1"], "n"), _doc([], "n")],
            [[0, 1]],
            id="write-up-without-number-joins-by-name",
        ),
        pytest.param(
            [_doc(["case:1"], "n"), _doc(["case:2"], "n")],
            [[0], [1]],
            id="same-name-other-number-apart",
        ),
        pytest.param(
            [_doc(["case:1"], "n"), _doc(["case:2"], "n"), _doc([], "n")],
            [[0], [1], [2]],
            id="ambiguous-name-attaches-nothing",
        ),
        pytest.param(
            [_doc(["case:1", "case:2"], None), _doc(["case:2"], None), _doc(["case:1"], None)],
            [[0, 1, 2]],
            id="both-numbers-join",
        ),
        pytest.param([_doc([], "a"), _doc([], "b")], [[0], [1]], id="different-names"),
    ],
)
def test_group_documents(docs: list[dict], groups: list[list[int]]) -> None:
    assert group_documents(docs) == groups


@pytest.mark.parametrize(
    "args, expected",
    [
        pytest.param(
            ("Programperiod 2021–2027", None, None, None, None),
            ("2021-2027", "stated"),
            id="stated",
        ),
        pytest.param(
            (None, "esf2007", None, None, "2010-01-18"), ("2007-2013", "layout"), id="layout"
        ),
        pytest.param(
            (None, "prose", "25-023-S02", None, None),
            ("2021-2027", "case_number"),
            id="esfplus-dnr",
        ),
        pytest.param(
            (None, "prose", None, "2016/00158", None),
            ("2014-2020", "case_number"),
            id="project-number",
        ),
        pytest.param(
            (None, "prose", None, None, "2012-03-01"), ("2007-2013", "start_year"), id="start-year"
        ),
        pytest.param((None, "prose", None, None, None), (None, None), id="nothing-to-go-by"),
    ],
)
def test_programme_period_of(args: tuple, expected: tuple) -> None:
    assert programme_period_of(*args) == expected


def test_reconcile_majority_and_tie() -> None:
    def src(sha: str, **row: object) -> dict:
        return {"sha256": sha, "row": row}

    values, choices = reconcile(
        [
            src("a", planned_participants=450, title="X"),
            src("b", planned_participants=500, title="x"),
            src("c", planned_participants=500),
        ]
    )
    assert values["planned_participants"] == 500 and values["title"] == "X"
    why = {c["field"]: c for c in choices}
    assert (
        why["planned_participants"]["document_id"] == "b"
        and why["planned_participants"]["sources_agreeing"] == 2
    )
    assert why["title"]["reason"] == "2 of 3 sources state it"  # one source lacks it: recorded
    values, choices = reconcile([src("a", phase="Förstudie"), src("b", phase="Genomförande")])
    assert values["phase"] == "Förstudie" and choices[0]["reason"].startswith("tie")


@pytest.mark.parametrize(
    "written, national, label",
    [
        ("ESF-nationellt", 0, "ESF Nationellt"),
        ("ESF Nationellt", 1, "ESF Nationellt"),
        ("Småland & Öarna", 0, "Småland med öarna"),
        ("Småland och öarna", 0, "Småland med öarna"),
        ("Stockholm", 0, "Stockholm"),
        ("Atlantis", 0, "Atlantis"),
    ],
)
def test_region_labels_are_normalised(written: str, national: int, label: str) -> None:
    assert region_label(written, national) == label


def test_reference_data_for_money_and_funds() -> None:
    year, rate, source = eur_rate("2023-09-01")  # type: ignore[misc]
    assert year == 2023 and 10 < rate < 13 and "ECB" in source
    assert eur_rate("2031-01-01")[0] == max(exchange_rates())  # after the table: its last year
    assert (
        fund_label("Europeiska socialfonden plus", None) == "ESF+"
        and fund_label(None, "2007-2013") == "ESF"
    )


# ---------------------------------------------------------------- the corpus, every rendering

TEXTS = [CORPUS / "raw", CORPUS / "heldout" / "raw", CORPUS / "real" / "raw"]
EVERY = [*TEXTS, CORPUS / "html", CORPUS / "pdf"]


def _files(folders: list[Path]) -> list[tuple[Path, None]]:
    suffixes = {".txt", ".html", ".pdf"}
    return [
        (p, None) for folder in folders for p in sorted(folder.iterdir()) if p.suffix in suffixes
    ]


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, sqlite3.Connection]:
    out = {}
    for name, folders in (("texts", TEXTS), ("every", EVERY)):
        path = tmp_path_factory.mktemp(name) / "esf.db"
        run_ingest(_files(folders), str(path), progress=False)
        out[name] = sqlite3.connect(path)
    return out


def _source_pages() -> dict[str, str]:
    """Stem -> the page it was taken from (fragment dropped), for every listed project page; held-out: itself."""
    out = {}
    for listing in (CORPUS / "sources.tsv", CORPUS / "real" / "sources.tsv"):
        with listing.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row["kind"] == "project_page":
                    out[Path(row["file"]).stem] = row["source"].split("#")[0]
    out.update({p.stem: f"heldout:{p.stem}" for p in (CORPUS / "heldout" / "raw").glob("*.txt")})
    return out


def test_one_project_row_per_real_project(dbs: dict[str, sqlite3.Connection]) -> None:
    truth = _source_pages()
    for name, con in dbs.items():
        stored = con.execute("select ps.path, ps.project_id from project_sources ps").fetchall()
        project_of = {}
        for path, project in stored:
            stem = Path(path).stem
            if stem in truth:
                assert project_of.setdefault(stem, project) == project, (
                    name,
                    path,
                )  # renderings: one project
        by_page: dict[str, set[str]] = {}
        for stem, project in project_of.items():
            by_page.setdefault(truth[stem], set()).add(project)
        assert all(len(ids) == 1 for ids in by_page.values()), (
            name
        )  # snapshots of one page: one project
        assert len(set(project_of.values())) == len(by_page), (
            name
        )  # different pages: different projects
        assert con.execute("select count(*) from projects").fetchone()[0] == len(
            {p for _, p in stored}
        ), name
    texts, every = (
        con.execute("select count(*) from projects").fetchone()[0] for con in dbs.values()
    )
    pages = [
        con.execute("select count(*) from project_pages").fetchone()[0] for con in dbs.values()
    ]
    assert texts == every and pages[1] > pages[0] > texts  # the measured figures go in the README


def _query(con: sqlite3.Connection, name: str, **params: str) -> list[tuple]:
    sql = serve.load_spec()["queries"][name]["sql"]
    return sorted(con.execute("\n".join(sql), params).fetchall(), key=repr)


@pytest.mark.parametrize(
    "name, params",
    [
        ("money_by_region", {}),
        ("money_by_county", {}),
        ("money_by_programme_period", {}),
        ("projects_in_municipality", {"municipality": "Stockholm"}),
        ("projects_in_municipality", {"municipality": "Krokom"}),
        ("projects_in_municipality", {"municipality": "Malmö"}),
    ],
)
def test_canned_queries_count_projects_once(
    dbs: dict[str, sqlite3.Connection], name: str, params: dict
) -> None:
    texts, every = (_query(con, name, **params) for con in dbs.values())
    assert texts and texts == every


def test_organisations_count_projects_once(dbs: dict[str, sqlite3.Connection]) -> None:
    """Per organisation and role: the same projects and money from the texts as from every rendering."""
    texts, every = (
        {(r[1], r[2]): r[4:] for r in _query(con, "organisations_by_projects", role="")}
        for con in dbs.values()
    )
    assert texts == every
    docs = {(r[1], r[2]): r[3] for r in _query(dbs["every"], "organisations_by_projects", role="")}
    assert max(docs.values()) > max(v[0] for v in every.values())  # documents are counted apart


def test_programme_period_for_every_project(dbs: dict[str, sqlite3.Connection]) -> None:
    for con in dbs.values():
        assert (
            con.execute("select count(*) from projects where programme_period is null").fetchone()[
                0
            ]
            == 0
        )


def test_eur_projects_are_converted_not_dropped(dbs: dict[str, sqlite3.Connection]) -> None:
    con = dbs["every"]
    rows = con.execute(
        "select esf_grant_eur, esf_grant_sek, esf_grant_sek_equiv, eur_sek_rate, sek_converted "
        "from projects where esf_grant_eur is not null"
    ).fetchall()
    assert rows and all(
        sek is None and converted == 1 and equiv == round(eur * rate)
        for eur, sek, equiv, rate, converted in rows
    )
    (total,) = con.execute(
        "select sum(esf_grant_sek_incl_converted) from ({})".format(
            "\n".join(serve.load_spec()["queries"]["money_by_programme_period"]["sql"])
        )
    ).fetchone()
    (expected,) = con.execute(
        "select sum(coalesce(esf_grant_sek, 0)) + sum(coalesce(esf_grant_sek_equiv, 0) * "
        "sek_converted) from projects"
    ).fetchone()
    assert total == expected


def test_regions_use_reference_labels(dbs: dict[str, sqlite3.Connection]) -> None:
    con = dbs["every"]
    labels = {
        r[0] for r in con.execute("select distinct region from projects where region is not null")
    }
    written = {
        r[0]
        for r in con.execute("select distinct region from project_pages where region is not null")
    }
    assert len(written) > len(labels) and "ESF Nationellt" in labels
    assert not labels & {"ESF-nationellt", "ESF-Nationellt", "Småland & Öarna"}
