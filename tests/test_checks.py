"""Semantic rules: one table of cases per rule, evidence spans, the cross-document rule, reports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from esfparse.checks import check, find_conflicting_duplicates
from esfparse.cli import cli
from esfparse.errors import PROBLEM_CODES
from esfparse.extract.places import resolve_municipality
from esfparse.models import Evidence, Link, MunicipalityRef, Record
from esfparse.pipeline import extract_document
from esfparse.readers.text import document_from_text
from esfparse.report import exit_code, render, validate_files

from .conftest import RAW

EV = Evidence(start=0, end=1)


def page(**fields: Any) -> Record:
    """A complete, consistent esf2014 project page record, with `fields` changed."""
    base: dict[str, Any] = {
        "kind": "project_page",
        "layout": "esf2014",
        "title": "Projekt",
        "owner": "Ägare",
        "esf_grant_sek": 5_000_000,
        "total_budget_sek": 10_000_000,
        "cofinancing_rate_derived": 0.5,
        "period_start": date(2016, 1, 1),
        "period_end": date(2018, 12, 31),
        "region": "Stockholm",
        "region_nuts2": "SE11",
        "sections": [],
        "evidence": {"esf_grant_sek": EV, "period_end": EV},
    }
    return Record.model_validate({**base, **fields})


def muni(name: str, source: str = "list") -> MunicipalityRef:
    m = resolve_municipality(name)
    assert m is not None, name
    return MunicipalityRef(
        as_written=name,
        code=m.code,
        name=m.name,
        county_code=m.county_code,
        nuts2_code=m.nuts2_code,
        source=source,
        evidence=Evidence(start=5, end=5 + len(name)),
    )


def codes(record: Record) -> list[str]:
    return sorted(p.code for p in check(record))


CASES = [
    pytest.param(page(), [], id="consistent-page-has-no-problem"),
    pytest.param(
        page(esf_grant_sek=12_000_000, cofinancing_rate_derived=1.2),
        ["money.grant_exceeds_budget"],
        id="grant-above-budget-sek",
    ),
    pytest.param(
        page(
            layout="kohesio",
            esf_grant_sek=None,
            total_budget_sek=None,
            esf_grant_eur=3.0e6,
            total_budget_eur=2.0e6,
            cofinancing_rate_derived=None,
        ),
        ["money.grant_exceeds_budget"],
        id="grant-above-budget-eur",
    ),
    pytest.param(
        page(esf_grant_sek=5_000_000, total_budget_eur=1.0),
        [],
        id="sek-grant-not-compared-with-eur",
    ),
    pytest.param(
        page(esf_grant_sek=0, cofinancing_rate_derived=0.0),
        ["money.cofinancing_out_of_range"],
        id="zero-grant-rate-out-of-range",
    ),
    pytest.param(
        page(union_cofinancing_rate=1.5),
        ["money.cofinancing_out_of_range"],
        id="stated-rate-150pct",
    ),
    pytest.param(
        page(union_cofinancing_rate=0.0), ["money.cofinancing_out_of_range"], id="stated-rate-0pct"
    ),
    pytest.param(
        page(union_cofinancing_rate=0.4, cofinancing_rate_derived=0.54),
        ["money.cofinancing_mismatch"],
        id="stated-40pct-derived-54pct",
    ),
    pytest.param(
        page(union_cofinancing_rate=0.6, cofinancing_rate_derived=0.6012),
        [],
        id="stated-60pct-derived-60.1pct-rounding",
    ),
    pytest.param(
        page(period_start=date(2019, 1, 1), period_end=date(2018, 1, 1)),
        ["period.end_before_start"],
        id="end-before-start",
    ),
    pytest.param(
        page(period_start=date(2009, 1, 1)),
        ["period.outside_programme"],
        id="esf2014-page-starts-2009",
    ),
    pytest.param(
        page(layout="esfplus", period_start=date(2023, 1, 1), period_end=date(2031, 6, 30)),
        ["period.outside_programme"],
        id="esfplus-page-ends-2031",
    ),
    pytest.param(
        page(
            layout="prose",
            programme_period="2007-2013",
            period_start=date(2022, 1, 1),
            period_end=date(2023, 1, 1),
        ),
        ["period.outside_programme", "period.outside_programme"],
        id="stated-programme-period-wins-over-layout",
    ),
    pytest.param(page(layout="prose"), [], id="prose-page-has-no-programme-period"),
    pytest.param(
        page(municipalities=[muni("Solna"), muni("Kumla")]),
        ["place.region_mismatch"],
        id="kumla-outside-stockholm",
    ),
    pytest.param(
        page(
            region="ESF Nationellt",
            region_nuts2=None,
            national=True,
            municipalities=[muni("Kumla")],
        ),
        [],
        id="national-project-any-municipality",
    ),
    pytest.param(
        page(municipalities=[MunicipalityRef(as_written="Narnia", source="list", evidence=EV)]),
        ["place.unknown_municipality"],
        id="unknown-municipality",
    ),
    pytest.param(
        page(region="Narnia", region_nuts2=None), ["place.unknown_region"], id="unknown-region"
    ),
    pytest.param(
        page(email="lena.hansson@allevux"), ["contact.malformed_email"], id="email-without-tld"
    ),
    pytest.param(
        page(emails=[Link(value="åsa@kommun.se", evidence=EV)]),
        ["contact.malformed_email"],
        id="email-non-ascii-local-part",
    ),
    pytest.param(
        page(owner=None, total_budget_sek=None, cofinancing_rate_derived=None),
        ["header.missing_field", "header.missing_field"],
        id="esf2014-missing-owner-and-budget",
    ),
    pytest.param(
        page(truncated=True, truncated_sections=["Syfte"]), ["doc.truncated"], id="truncated"
    ),
    pytest.param(
        page(truncated=True, owner=None),
        ["doc.truncated"],
        id="cut-inside-header-fields-not-missing",
    ),
    pytest.param(Record(kind="unknown"), ["parse.unknown_genre"], id="unknown-genre"),
]


@pytest.mark.parametrize(("record", "expected"), CASES)
def test_rule(record: Record, expected: list[str]) -> None:
    assert codes(record) == sorted(expected)


@pytest.mark.parametrize(("record", "expected"), CASES)
def test_problems_are_complete(record: Record, expected: list[str]) -> None:
    for p in check(record):
        assert p.code in PROBLEM_CODES and p.severity == PROBLEM_CODES[p.code][0]
        assert p.message.endswith(".") and len(p.message) > 20
        assert p.field or p.code in ("doc.truncated", "parse.unknown_genre")


def test_region_mismatch_names_the_outsiders_and_points_at_the_first() -> None:
    [p] = check(page(municipalities=[muni("Solna"), muni("Kumla"), muni("Gävle")]))
    assert "2 of 3 municipalities" in p.message and "Kumla (SE12), Gävle (SE31)" in p.message
    assert p.severity == "warning" and p.evidence == muni("Kumla").evidence


PAGE = """Projekt Ett

Programområde
1.1 Kompetensförsörjning
Region
Stockholm
Projektägare
Exempelkommunen
Projektnummer
2015/00001
Projektperiod
2019-08-01-2016-03-31
Total projektbudget
1 000 000 kr
Beviljat ESF-stöd
2 500 000 kr
Kontaktperson
Anna Exempel
E-post
anna@exempel

Sammanfattning

Projektet ska nå 40 deltagare."""


def test_evidence_spans_point_at_the_values() -> None:
    doc = document_from_text(PAGE, path="page.txt")
    ex = extract_document(doc)
    found = {p.code: p for p in ex.problems}
    assert set(found) >= {
        "money.grant_exceeds_budget",
        "period.end_before_start",
        "contact.malformed_email",
    }

    def text(code: str) -> str:
        ev = found[code].evidence
        assert ev is not None, code
        return doc.text[ev.start : ev.end]

    assert text("money.grant_exceeds_budget") == "2 500 000 kr"
    assert "2016-03-31" in text("period.end_before_start")
    assert text("contact.malformed_email") == "anna@exempel"


def test_truncation_evidence_is_the_last_line() -> None:
    doc = document_from_text(
        PAGE + "\n\nBakgrund\n\nProjektet ska arbeta med introduktionsu", path="p.txt"
    )
    [p] = [p for p in extract_document(doc).problems if p.code == "doc.truncated"]
    assert p.evidence is not None
    assert doc.text[p.evidence.start : p.evidence.end] == "Projektet ska arbeta med introduktionsu"


# ---------------------------------------------------------------- across documents


def snapshot(**fields: Any) -> Record:
    return page(layout="esfplus", diarienummer="22-044-S07", **fields)


def test_two_snapshots_450_and_500_participants() -> None:
    items = [("a.txt", snapshot(planned_participants=450)), ("b.txt", snapshot(participants=500))]
    found = find_conflicting_duplicates(items)
    assert [(path, p.code, p.field) for path, p in found] == [
        ("a.txt", "project.conflicting_duplicate", "planned_participants"),
        ("b.txt", "project.conflicting_duplicate", "participants"),
    ]
    assert found[0][1].message == (
        "planned_participants is 450 here but 500 in b.txt (same diarienummer 22-044-S07)."
    )


def test_same_title_and_owner_is_the_same_project() -> None:
    items = [
        ("a.txt", page(title="Navigator", owner="Krokoms kommun", esf_grant_sek=4_826_582)),
        ("b.txt", page(title="NAVIGATOR ", owner="krokoms  kommun", esf_grant_sek=4_000_000)),
    ]
    [(_, first), _] = find_conflicting_duplicates(items)
    assert first.field == "esf_grant_sek" and "(same title and owner)" in first.message


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(
            snapshot(planned_participants=450),
            snapshot(planned_participants=450),
            id="equal-values",
        ),
        pytest.param(snapshot(planned_participants=450), snapshot(), id="value-missing-in-one"),
        pytest.param(
            page(title="A", owner="X", esf_grant_sek=1),
            page(title="B", owner="X", esf_grant_sek=2),
            id="different-projects",
        ),
        pytest.param(
            Record(kind="presentation", title="T"),
            Record(kind="presentation", title="T"),
            id="presentations-are-not-projects",
        ),
    ],
)
def test_no_conflict(a: Record, b: Record) -> None:
    assert find_conflicting_duplicates([("a.txt", a), ("b.txt", b)]) == []


def test_the_same_path_twice_is_not_a_duplicate() -> None:
    assert (
        find_conflicting_duplicates(
            [("a.txt", snapshot(participants=1)), ("a.txt", snapshot(participants=2))]
        )
        == []
    )


def test_groups_are_transitive_and_name_at_most_three_others() -> None:
    items = [("0.txt", page(project_number="2015/1", diarienummer="D", participants=1))]
    items += [(f"{i}.txt", page(project_number="2015/1", participants=2)) for i in range(1, 5)]
    items += [("5.txt", page(diarienummer="D", participants=3))]
    by_path = {path: p.message for path, p in find_conflicting_duplicates(items)}
    assert set(by_path) == {f"{i}.txt" for i in range(6)}
    assert "and 2 more files" in by_path["0.txt"]


# ---------------------------------------------------------------- the report on the corpus


@pytest.fixture(scope="module")
def corpus_report() -> Any:
    return validate_files([(p, None) for p in sorted(RAW.glob("*.txt"))])


def test_regression_dev09_dev10_snapshots_conflict(corpus_report: Any) -> None:
    dups = {
        (Path(f.path).name, f.problem.field)
        for f in corpus_report.findings
        if f.problem.code == "project.conflicting_duplicate"
    }
    assert dups == {("dev09.txt", "planned_participants"), ("dev10.txt", "participants")}


def test_corpus_findings(corpus_report: Any) -> None:
    found = {(Path(f.path).name, f.problem.code) for f in corpus_report.findings}
    assert ("dev07.txt", "money.cofinancing_mismatch") in found  # grant = budget, page states 50 %
    assert (
        "004_37d3739ab8e267c4.txt",
        "place.region_mismatch",
    ) in found  # Örebro län under Norra Mellansverige
    assert ("dev01.txt", "doc.truncated") in found
    assert exit_code(corpus_report, "error") == 0 and exit_code(corpus_report, "warning") == 1


def test_render_formats(corpus_report: Any) -> None:
    text = render(corpus_report, "text")
    assert "corpus/raw/dev09.txt  (3 warnings)" in text.replace(str(RAW.parent.parent) + "/", "")
    assert text.splitlines()[-1].startswith("19 files checked, 10 with problems: 0 errors")
    md = render(corpus_report, "markdown")
    assert "| `project.conflicting_duplicate` | warning | 2 | 2 |" in md
    data = json.loads(render(corpus_report, "json"))
    assert data["summary"]["files"] == 19 and len(data["files"]) == 19
    assert {r["code"] for r in data["rules"]} >= {"doc.truncated", "project.conflicting_duplicate"}
    with pytest.raises(ValueError):
        render(corpus_report, "html")


def test_unreadable_and_missing_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    report = validate_files(
        [(tmp_path / "empty.txt", None), (tmp_path / "gone.txt", "no such file or directory")]
    )
    assert [(f.problem.code, f.problem.message) for f in report.findings] == [
        ("read.unreadable", "empty file"),
        ("read.unreadable", "no such file or directory"),
    ]
    assert exit_code(report, "error") == 1 and exit_code(report, "never") == 0


def test_internal_error_is_one_finding_unless_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(doc: Any) -> Any:
        raise RuntimeError("kaputt")

    monkeypatch.setattr("esfparse.pipeline.extract_document", boom)
    report = validate_files([(RAW / "dev04.txt", None)])
    assert [f.problem.code for f in report.findings] == ["parse.internal_error"]
    with pytest.raises(RuntimeError):
        validate_files([(RAW / "dev04.txt", None)], debug=True)


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("never", 0)])
def test_validate_cli_exit_codes(fail_on: str, code: int) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "validate",
            str(RAW / "dev09.txt"),
            str(RAW / "dev10.txt"),
            "--fail-on",
            fail_on,
            "--format",
            "json",
        ],
        obj={},
    )
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["summary"]["warning"] == 5


def test_validate_help_documents_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"], obj={})
    assert "Exit codes" in result.output and "--fail-on" in result.output
