"""The review page: every span present and linked, overlaps well-formed, the document escaped."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from esfparse.cli import cli
from esfparse.document import Document
from esfparse.models import DocumentInfo, Evidence, Extraction, OrganisationRef, Problem, Record
from esfparse.pipeline import extract_document
from esfparse.readers import read
from esfparse.review import collect_spans, render_review, write_review

from .conftest import RAW

DOCS = sorted(RAW.glob("*.txt"))


class Page(HTMLParser):
    """Collects ids, links, marks and scripts, and checks that marks nest properly."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.titles: list[str] = []
        self.stack: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if tag == "mark":
            self.titles.append(str(a.get("title")))
        if tag in ("mark", "pre"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("mark", "pre"):
            assert self.stack and self.stack.pop() == tag, f"</{tag}> closes {self.stack}"


def _parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    return parser


def _pre(page: str) -> str:
    start = page.index('<pre class="doc">\n') + len('<pre class="doc">\n')  # the newline HTML drops
    return page[start : page.index("</pre>")]


def _plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _review(path: Path) -> tuple[Document, list, str]:
    doc = read(path)
    ex = extract_document(doc)
    return doc, collect_spans(ex, len(doc.text)), render_review(doc, ex)


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_every_span_is_present_and_linked(path: Path) -> None:
    doc, spans, page = _review(path)
    parsed = _parse(page)
    assert spans and {f"span-{s.n}" for s in spans} <= parsed.ids
    assert {f"#span-{s.n}" for s in spans} <= set(parsed.links)
    assert all(link[1:] in parsed.ids for link in parsed.links if link.startswith("#"))
    pre = _pre(page)
    assert _plain(pre) == doc.text  # nothing lost, nothing added
    for s in spans:  # each anchor opens exactly where its span starts
        after = pre[pre.index(f'id="span-{s.n}"') :]
        assert _plain(after[after.index(">") + 1 :]).startswith(doc.text[s.start : s.end])


def test_spans_cover_every_kind_of_value() -> None:
    groups = {s.group for p in DOCS for s in _review(p)[1]}
    assert groups == {
        "header",
        "organisation",
        "municipality",
        "goal",
        "section",
        "person",
        "contact",
        "problem",
    }


def _synthetic(text: str, record: Record, problems: list[Problem]) -> tuple[Document, Extraction]:
    doc = Document(text=text, path="synthetic.txt", sha256="0" * 64)
    info = DocumentInfo(path="synthetic.txt", format="text", sha256="0" * 64, chars=len(text))
    return doc, Extraction(document=info, record=record, problems=problems)


def test_overlapping_spans_are_split_cleanly() -> None:
    text = "Projektägare: Alfa Beta Gamma AB i Sala kommun."
    record = Record(
        kind="project_page",
        owner="Alfa Beta Gamma AB",
        evidence={"owner": Evidence(start=14, end=32)},
        partners=[
            OrganisationRef(
                name="Gamma AB i Sala",
                role="partner",
                source="text",
                evidence=Evidence(start=25, end=40),
            )
        ],
    )
    problem = Problem(
        code="x.test",
        severity="warning",
        message="overlaps both",
        evidence=Evidence(start=20, end=36),
    )
    doc, ex = _synthetic(text, record, [problem])
    page = render_review(doc, ex)
    parsed = _parse(page)
    assert {"span-1", "span-2", "span-3"} <= parsed.ids
    assert _plain(_pre(page)) == text
    assert _pre(page).count('data-label="') == 3  # one label per span, however many pieces


def test_document_is_escaped_and_nothing_runs(tmp_path: Path) -> None:
    source = (RAW / "dev04.txt").read_text(encoding="utf-8")
    source = source.replace("Sydnärkes Utbildningsförbund", 'Evil "AB" <script>alert(1)</script>')
    source += '\n\nMålsättning\n\n<img src=x onerror="alert(2)"> & <a href="javascript:alert(3)">klick</a>\n'
    path = tmp_path / "evil.txt"
    path.write_text(source, encoding="utf-8")
    page = write_review(path, tmp_path / "evil.html").read_text(encoding="utf-8")
    parsed = _parse(page)
    assert (
        "<script" not in page.lower()
        and "<img" not in page.lower()
        and "javascript:" not in parsed.links
    )
    assert parsed.tags <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "h2",
        "p",
        "ul",
        "li",
        "b",
        "code",
        "main",
        "article",
        "pre",
        "mark",
        "aside",
        "details",
        "summary",
        "a",
        "span",
        "small",
    }
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert (
        'owner: Evil "AB" <script>alert(1)</script>' in parsed.titles
    )  # attribute values round-trip
    assert (
        "default-src 'none'" in page
        and "<link" not in page
        and " src=" not in page.replace("&lt;img src=", "")
    )


def test_problems_show_where_they_point_or_at_the_top() -> None:
    text = "Total projektbudget: 100 kr\nBeviljat ESF-stöd: 200 kr\n"
    record = Record(kind="project_page", title="Test")
    problems = [
        Problem(
            code="money.grant_exceeds_budget",
            severity="error",
            message="200 > 100",
            evidence=Evidence(start=47, end=53),
        ),
        Problem(code="doc.nowhere", severity="info", message="<b>no span</b>"),
    ]
    doc, ex = _synthetic(text, record, problems)
    page = render_review(doc, ex)
    top = page[page.index("<header>") : page.index("</header>")]
    assert (
        "doc.nowhere" in top and "&lt;b&gt;no span&lt;/b&gt;" in top and "grant_exceeds" not in top
    )
    assert 'class="g-problem" title="money.grant_exceeds_budget: 200 &gt; 100" id="span-1"' in page


def test_cli_review(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["review", str(RAW / "dev06.txt"), "-o", str(out)], obj={})
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
