"""A review page: one document's text with every extracted value highlighted where it came from.

`write_review(file, out_path)` writes one self-contained HTML page that works offline: the
normalised text, each value's span in a `<mark>` labelled with its field (header fields, list
items, municipalities, goals, sections, people, e-mails, links, dates), a side panel listing the
fields and values, each linking to its span (`#span-N`), and the problems where they point (at the
top when they point nowhere). Overlapping spans are split at every boundary and nested within each
piece, so the HTML stays well-formed. Everything from the document is escaped, and a
Content-Security-Policy forbids scripts: the page contains none and runs nothing.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from .document import Document
from .models import Evidence, Extraction, Record
from .pipeline import process

GROUPS = {  # group -> panel heading, in panel order
    "problem": "Problems",
    "header": "Header fields",
    "organisation": "Organisations",
    "municipality": "Municipalities",
    "goal": "Goals",
    "section": "Sections",
    "person": "People",
    "contact": "E-mails, links and dates",
}


@dataclass(frozen=True)
class Span:
    """One highlighted value: its place in the text, its field label and the value shown for it."""

    n: int
    start: int
    end: int
    group: str
    field: str
    value: str


def write_review(file: str | Path, out_path: str | Path) -> Path:
    """Extract `file` and write its review page to `out_path`; returns the path written.

    The file goes through `pipeline.process`: the size limits of `extract` and `ingest` apply.
    """
    ex, doc = process(file)
    page = render_review(doc, ex)
    target = Path(out_path)
    target.write_text(page, encoding="utf-8")
    return target


def render_review(doc: Document, ex: Extraction) -> str:
    """The whole HTML page for one document and its extraction."""
    spans = collect_spans(ex, len(doc.text))
    return "\n".join(
        [
            _head(ex),
            _top(doc, ex, spans),
            # HTML drops one newline right after <pre>: give it one, so a text starting with a blank line keeps it
            f'<main><article><pre class="doc">\n{render_text(doc, spans)}</pre></article>',
            _panel(ex, spans),
            "</main></body></html>\n",
        ]
    )


# ---------------------------------------------------------------- spans


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _raw_spans(ex: Extraction) -> Iterable[tuple[Evidence | None, str, str, str]]:
    """(evidence, group, field, value) for every value the record points into the text for."""
    r: Record = ex.record
    for name, ev in r.evidence.items():
        yield ev, "header", name, _show(getattr(r, name, None))
    for org in [*r.co_financiers, *r.partners, *r.organisations]:
        yield org.evidence, "organisation", org.role, org.name
    for m in r.municipalities:
        yield (
            m.evidence,
            "municipality",
            f"municipality ({m.source})",
            f"{m.name} {m.code}" if m.code else m.as_written,
        )
    for i, g in enumerate(r.goals, 1):
        what = " ".join(filter(None, (g.what, g.whom)))
        yield (
            g.evidence,
            "goal",
            f"goal {i} ({g.kind})",
            f"{_show(g.value)}{' %' if g.unit == 'percent' else ''} {what}",
        )
        yield g.value_evidence, "goal", f"goal {i} value", _show(g.value)
        for b in g.breakdowns:
            yield b.evidence, "goal", f"goal {i} breakdown", f"{b.label}: {_show(b.value)}"
    for s in r.sections:
        yield s.evidence, "section", "section", s.heading
    for p in r.people:
        yield (
            p.evidence,
            "person",
            "person",
            ", ".join(filter(None, (p.name, p.role, p.organisation))),
        )
    for kind, links in (("email", r.emails), ("url", r.urls), ("date", r.dates)):
        for link in links:
            yield link.evidence, "contact", kind, link.value
    for problem in ex.problems:
        yield problem.evidence, "problem", problem.code, problem.message


def collect_spans(ex: Extraction, length: int) -> list[Span]:
    """Every span inside the text, numbered in reading order (outer spans before inner ones)."""
    raw = [
        (ev.start, ev.end, group, field, value)
        for ev, group, field, value in _raw_spans(ex)
        if ev is not None and 0 <= ev.start < ev.end <= length
    ]
    raw.sort(key=lambda s: (s[0], -s[1], list(GROUPS).index(s[2]), s[3]))
    return [Span(n, *item) for n, item in enumerate(raw, 1)]


# ---------------------------------------------------------------- the text


def render_text(doc: Document, spans: list[Span]) -> str:
    """The escaped text, split at every span boundary; each piece nested in the marks covering it."""
    text = doc.text
    pages = {
        start: i for i, start in enumerate(doc.page_starts, 1) if i > 1
    }  # page 1 needs no marker
    bounds = sorted({0, len(text), *pages, *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[Span]] = {}
    for s in spans:
        starting.setdefault(s.start, []).append(s)
    out: list[str] = []
    active: list[Span] = []  # the spans covering the current piece, outermost first (by number)
    for a, b in pairwise(bounds):
        if a in pages:
            out.append(f'<span class="page" data-page="page {pages[a]}"></span>')
        active = [s for s in active if s.end > a] + starting.get(a, [])
        piece = html.escape(text[a:b])
        for s in reversed(active):  # innermost first
            piece = _mark(s, piece, first=(a == s.start))
        out.append(piece)
    return "".join(out)


def _mark(span: Span, inner: str, first: bool) -> str:
    title = html.escape(f"{span.field}: {span.value}", quote=True)
    anchor = (
        f' id="span-{span.n}" data-label="{html.escape(span.field, quote=True)}"' if first else ""
    )
    return f'<mark class="g-{span.group}" title="{title}"{anchor}>{inner}</mark>'


# ---------------------------------------------------------------- around the text


def _head(ex: Extraction) -> str:
    name = html.escape(Path(ex.document.path).name)
    return (
        f'<!doctype html>\n<html lang="sv"><head><meta charset="utf-8">\n'
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Review: {name}</title>\n<style>{_CSS}</style></head><body>"
    )


def _top(doc: Document, ex: Extraction, spans: list[Span]) -> str:
    r = ex.record
    facts = [
        f"{r.kind}",
        f"layout {r.layout}" if r.layout else "",
        f"{len(doc.text)} characters",
        f"{len([s for s in spans if s.group != 'problem'])} highlighted values",
        f"{len(ex.problems)} problems",
    ]
    loose = [p for p in ex.problems if p.evidence is None]
    notes = "".join(
        f"<li><b>{html.escape(p.severity)}</b> <code>{html.escape(p.code)}</code> "
        f"{html.escape(p.message)}</li>"
        for p in loose
    )
    return (
        f"<header><h1>{html.escape(r.title or Path(ex.document.path).name)}</h1>"
        f'<p class="meta">{html.escape(ex.document.path)} · {html.escape(" · ".join(filter(None, facts)))}</p>'
        f'<p class="legend">{_legend()}</p>'
        + (f'<ul class="loose">{notes}</ul>' if notes else "")
        + "</header>"
    )


def _legend() -> str:
    return " ".join(
        f'<mark class="g-{g}">{html.escape(label)}</mark>' for g, label in GROUPS.items()
    )


def _panel(ex: Extraction, spans: list[Span]) -> str:
    """The side panel: per group, each field and value linking to its span."""
    parts = ["<aside><h2>Extracted values</h2>"]
    for group, heading in GROUPS.items():
        items = [_entry(s) for s in spans if s.group == group] + _unlinked(ex, group)
        if items:
            parts.append(
                f"<details open><summary>{html.escape(heading)} ({len(items)})</summary><ul>"
            )
            parts += items
            parts.append("</ul></details>")
    parts.append("</aside>")
    return "\n".join(parts)


def _entry(s: Span) -> str:
    return (
        f'<li class="g-{s.group}"><a href="#span-{s.n}"><span class="f">{html.escape(s.field)}</span> '
        f'<span class="v">{html.escape(s.value)}</span></a></li>'
    )


def _unlinked(ex: Extraction, group: str) -> list[str]:
    """Values with no span in the text: header fields without evidence, problems pointing nowhere."""
    r = ex.record
    if group == "problem":
        pairs = [(p.code, p.message) for p in ex.problems if p.evidence is None]
    elif group == "header":
        fields = (
            "title",
            "owner",
            "esf_grant_sek",
            "total_budget_sek",
            "period_start",
            "period_end",
            "region",
            "region_nuts2",
            "programme_area_code",
            "cofinancing_rate_derived",
            "national",
        )
        pairs = [
            (f, _show(getattr(r, f)))
            for f in fields
            if f not in r.evidence and getattr(r, f) not in (None, False, "")
        ]
    else:
        pairs = []
    return [
        f'<li class="nospan"><span class="f">{html.escape(f)}</span> <span class="v">{html.escape(v)}</span>'
        f" <small>(no span)</small></li>"
        for f, v in pairs
    ]


_CSS = """
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f6f7f9}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #d8dce3}
h1{font-size:20px;margin:0 0 4px}.meta{margin:0;color:#5b6475}.legend{margin:6px 0 0}
.loose{margin:8px 0 0;padding:8px 8px 8px 28px;background:#fff1f0;border:1px solid #f3b7b1;border-radius:4px}
main{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:16px;padding:16px 20px}
article{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:4px 16px;min-width:0}
pre.doc{white-space:pre-wrap;word-wrap:break-word;font:13.5px/1.75 ui-monospace,"DejaVu Sans Mono",monospace}
aside{position:sticky;top:12px;align-self:start;max-height:calc(100vh - 24px);overflow:auto;background:#fff;
  border:1px solid #d8dce3;border-radius:6px;padding:8px 12px}
aside h2{font-size:15px;margin:4px 0 8px}aside ul{list-style:none;margin:4px 0 10px;padding:0}
aside li{margin:2px 0;padding:2px 6px;border-left:4px solid #ccc;border-radius:2px}
aside a{color:inherit;text-decoration:none;display:block}aside a:hover{background:#eef2f8}
summary{font-weight:600;cursor:pointer}.f{color:#5b6475;font-size:12px}.v{font-weight:500}
li.nospan{color:#7a8291}
mark{border-radius:2px;padding:0 1px;color:inherit}
mark[data-label]::before{content:attr(data-label);font:600 9.5px/1 system-ui,sans-serif;vertical-align:super;
  padding:0 3px;margin-right:2px;border-radius:3px;background:#1d2330;color:#fff;opacity:.75}
mark:target{outline:3px solid #e0457b;outline-offset:1px}
.g-header{background:#ffe9a8}li.g-header{border-color:#e0b429}
.g-organisation{background:#cdeccf}li.g-organisation{border-color:#46a352}
.g-municipality{background:#cfe3fb}li.g-municipality{border-color:#3b82d6}
.g-goal{background:#f4d7f2}li.g-goal{border-color:#b455ad}
.g-section{background:rgba(120,130,150,.08)}li.g-section{border-color:#8a93a6}
.g-person{background:#ffd9c2}li.g-person{border-color:#e07a3b}
.g-contact{background:#d6f3f1}li.g-contact{border-color:#2a9d8f}
.g-problem{background:none;text-decoration:underline wavy #d93025;text-underline-offset:3px}
li.g-problem{border-color:#d93025;text-decoration:none}
mark.g-problem[data-label]::before{background:#d93025;opacity:1}
.page{display:block;border-top:1px dashed #b8bfcc;margin:6px 0}
.page::before{content:attr(data-page);font-size:11px;color:#7a8291}
"""
