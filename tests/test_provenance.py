"""Every extracted value points at the text it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from esfparse.pipeline import extract_file
from esfparse.readers import read

from .conftest import gold_docs

DOCS = gold_docs()


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_spans_hold_their_values(path: Path) -> None:
    doc = read(path)
    record = extract_file(path).record
    text = doc.text
    for name in ("title", "owner", "contact_person", "email", "phone", "region", "programme_area"):
        value = getattr(record, name)
        if value is not None:
            ev = record.evidence[name]
            assert text[ev.start : ev.end] == value, name
    for org in [*record.co_financiers, *record.partners]:
        assert text[org.evidence.start : org.evidence.end] == org.name
    for m in record.municipalities:
        span = text[m.evidence.start : m.evidence.end]
        assert span == m.as_written or (
            m.name and span.casefold().startswith(m.name[:3].casefold())
        ), span
    for e in record.emails:
        assert text[e.evidence.start : e.evidence.end] == e.value
    for s in record.sections:
        assert text[s.evidence.start : s.evidence.end] == s.text
    for g in record.goals:
        assert text[g.evidence.start : g.evidence.end] == g.quote


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_money_span_contains_digits(path: Path) -> None:
    doc = read(path)
    record = extract_file(path).record
    if record.esf_grant_sek is not None:
        ev = record.evidence["esf_grant_sek"]
        digits = "".join(ch for ch in doc.text[ev.start : ev.end] if ch.isdigit())
        assert digits == str(record.esf_grant_sek)


PDFS = sorted((gold_docs()[0].parent.parent / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=[p.stem for p in PDFS])
def test_pdf_evidence_carries_pages(path: Path) -> None:
    record = extract_file(path).record
    spans = [
        *record.evidence.values(),
        *(g.evidence for g in record.goals),
        *(g.value_evidence for g in record.goals if g.value_evidence),
        *(b.evidence for g in record.goals for b in g.breakdowns if b.evidence),
        *(m.evidence for m in record.municipalities),
        *(s.evidence for s in record.sections),
        *(o.evidence for o in [*record.co_financiers, *record.partners, *record.organisations]),
        *(p.evidence for p in record.people),
        *(e.evidence for e in record.emails),
    ]
    assert spans and all(ev.page is not None and ev.page >= 1 for ev in spans)
