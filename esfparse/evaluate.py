"""Field-level precision, recall and F1 of extractions against gold files.

Comparison rules (corpus/gold/README.md): header values must equal gold after
normalisation — phone on digits, region as its NUTS-2 area where it has one,
programme area without the word `Programområde`; a value where gold is null is
a false positive. Lists and goals are compared as sets: municipalities by SCB
code, goals on (value, unit, value_max), people on name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract.places import resolve_municipality, resolve_region
from .fields import fields_with

HEADER_FIELDS = fields_with("E")  # models.FIELDS: the header fields scored
LIST_FIELDS = (
    "co_financiers",
    "partners",
    "municipalities",
    "goals",
    "emails",
    "people",
    "organisations",
    "truncated_sections",
)


@dataclass(frozen=True)
class Miss:
    """One error of one field: a gold value `missed` or a predicted value `extra`, with its sentence."""

    doc: str
    field: str
    kind: str  # `missed`, `extra` or `wrong` (a header value)
    value: str
    sentence: str | None = None

    def __str__(self) -> str:
        return f"{self.doc}: {self.field}: {self.kind} {self.value}"


@dataclass
class Score:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    errors: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.misses += other.misses
        self.errors += other.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _text(v: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(v)).split())


def _norm_header(name: str, v: Any) -> Any:
    if v is None or v == "":
        return None
    if name == "phone":
        return re.sub(r"\D", "", str(v))
    if name == "region":
        region = resolve_region(str(v))
        if region is not None:
            return region.nuts2_code or ("national" if region.national else _text(v).casefold())
        return _text(v).casefold()
    if name == "programme_area":
        return re.sub(r"^\s*programområde\s*", "", _text(v), flags=re.IGNORECASE)
    if name == "email":
        return _text(v).casefold()
    return _text(v) if isinstance(v, str) else v


def _key(name: str, item: Any) -> Any:
    if name == "municipalities":
        m = resolve_municipality(str(item))
        return m.code if m else _text(item).casefold()
    if name == "goals":
        vmax = item.get("value_max")
        return (float(item["value"]), item["unit"], float(vmax) if vmax is not None else None)
    if name == "people":
        return _text(item["name"]).casefold()
    if name == "emails":
        return _text(item).casefold()
    return _text(item)


def compare(
    gold: dict[str, Any], pred: dict[str, Any], doc_id: str = "", text: str = ""
) -> dict[str, Score]:
    """Per-field scores for one document; `text`, when given, supplies the sentence of each error."""
    scores: dict[str, Score] = {}
    for name in HEADER_FIELDS:
        g, p = _norm_header(name, gold.get(name)), _norm_header(name, pred.get(name))
        s = Score()
        if g is not None and p == g:
            s.tp = 1
        else:
            s.fp, s.fn = int(p is not None), int(g is not None)
            if s.fp or s.fn:
                s.misses.append(f"{doc_id}: {name}: gold={gold.get(name)!r} got={pred.get(name)!r}")
                shown = f"gold={gold.get(name)!r} got={pred.get(name)!r}"
                s.errors.append(
                    Miss(
                        doc_id,
                        name,
                        "wrong",
                        shown,
                        sentence_of(text, pred.get(name) or gold.get(name)),
                    )
                )
        scores[name] = s
    for name in LIST_FIELDS:
        scores[name] = _compare_set(name, gold.get(name) or [], pred.get(name) or [], doc_id, text)
    scores["extra"] = _compare_extra(gold.get("extra") or {}, pred.get("extra") or {}, doc_id)
    return scores


def _compare_set(
    name: str, gold: Iterable[Any], pred: Iterable[Any], doc_id: str, text: str = ""
) -> Score:
    gk = {_key(name, x): x for x in gold}
    pk = {_key(name, x): x for x in pred}
    s = Score(
        tp=len(gk.keys() & pk.keys()), fp=len(pk.keys() - gk.keys()), fn=len(gk.keys() - pk.keys())
    )
    for kind, items, keys in (
        ("missed", gk, gk.keys() - pk.keys()),
        ("extra", pk, pk.keys() - gk.keys()),
    ):
        for k in sorted(keys, key=str):
            s.misses.append(f"{doc_id}: {name}: {kind} {_show(items[k])}")
            s.errors.append(Miss(doc_id, name, kind, _brief(items[k]), sentence_of(text, items[k])))
    return s


def _brief(item: Any) -> str:
    if isinstance(item, dict) and "value" in item:
        rng = f"–{item['value_max']}" if item.get("value_max") is not None else ""
        return f"{item.get('value')}{rng} {item.get('unit')}"
    if isinstance(item, dict) and "name" in item:
        return " / ".join(str(item.get(k)) for k in ("name", "role", "organisation"))
    return repr(item)


_SENTENCE_EDGE_RE = re.compile(r"[.!?](?=\s)|\n")


def sentence_of(text: str, item: Any) -> str | None:
    """The sentence of `text` where an item (a quote, a name, a value) is first written, if anywhere.

    >>> sentence_of("Intro. Projektet drivs med Skolverket och KTH. Slut.", "KTH")
    'Projektet drivs med Skolverket och KTH.'
    """
    if not text or item is None:
        return None
    if isinstance(item, dict):
        if item.get("quote"):
            return _text(item["quote"])
        item = item.get("name")
    needle = _text(item) if item is not None else ""
    at = text.find(needle) if needle else -1
    if at < 0 and needle:
        at = text.casefold().find(needle.casefold())
    if at < 0:
        return None
    edges = list(_SENTENCE_EDGE_RE.finditer(text, max(0, at - 400), at))
    start = edges[-1].end() if edges else max(0, at - 400)
    end_m = _SENTENCE_EDGE_RE.search(text, at + len(needle))
    end = end_m.end() if end_m else len(text)
    return _text(text[start:end])[:300]


def _show(item: Any) -> str:
    if isinstance(item, dict) and "quote" in item:
        return f"{item.get('value')} {item.get('unit')} — {item.get('quote')!r}"
    return repr(item)


def _compare_extra(gold: dict[str, Any], pred: dict[str, Any], doc_id: str) -> Score:
    s = Score()
    for key in gold.keys() | pred.keys():
        g, p = gold.get(key), pred.get(key)
        if g is not None and p is not None and _text(g).casefold() == _text(p).casefold():
            s.tp += 1
            continue
        s.fp += int(p is not None)
        s.fn += int(g is not None)
        s.misses.append(f"{doc_id}: extra.{key}: gold={g!r} got={p!r}")
        s.errors.append(Miss(doc_id, "extra", "wrong", f"{key}: gold={g!r} got={p!r}"))
    return s


@dataclass
class Report:
    """Scores summed over a set of documents."""

    fields: dict[str, Score]
    documents: int

    def micro(self, names: Iterable[str]) -> Score:
        total = Score()
        for n in names:
            total.add(self.fields[n])
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "header_micro": self.micro(HEADER_FIELDS).as_dict(),
            "fields": {k: v.as_dict() for k, v in self.fields.items()},
            "misses": [m for v in self.fields.values() for m in v.misses],
        }


def evaluate(pairs: Iterable[tuple[Any, ...]]) -> Report:
    """Sum per-field scores over (doc_id, gold, prediction) triples, or quadruples with the document text."""
    totals: dict[str, Score] = {}
    n = 0
    for doc_id, gold, pred, *rest in pairs:
        n += 1
        for name, s in compare(gold, pred, doc_id, rest[0] if rest else "").items():
            totals.setdefault(name, Score()).add(s)
    return Report(totals, n)


def gold_for(doc_path: Path, gold_dir: Path) -> Path | None:
    """The gold file for a document: same stem, `.json`."""
    candidate = gold_dir / f"{doc_path.stem}.json"
    return candidate if candidate.exists() else None


def load_gold(path: Path) -> dict[str, Any]:
    """Read one gold file."""
    return json.loads(path.read_text(encoding="utf-8"))


def format_table(report: Report) -> str:
    """A plain-text table of per-field precision, recall and F1."""
    rows = [f"{'field':<20} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6} {'f1':>6}"]

    def line(name: str, s: Score) -> str:
        return f"{name:<20} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"

    for name in HEADER_FIELDS:
        rows.append(line(name, report.fields[name]))
    rows.append(line("HEADER (micro)", report.micro(HEADER_FIELDS)))
    rows.append("-" * len(rows[0]))
    for name in (*LIST_FIELDS, "extra"):
        rows.append(line(name, report.fields[name]))
    return "\n".join(rows)


def format_errors(report: Report, fields: Iterable[str] | None = None) -> str:
    """Every error grouped by field, then by kind (false positives, misses), each with its sentence.

    Grouped this way a reader sees the categories at a glance: a run of extras from one kind of
    sentence (a year range, a slide counter, a county) shows as one block.
    """
    out: list[str] = []
    for name in fields or (*HEADER_FIELDS, *LIST_FIELDS, "extra"):
        errors = report.fields[name].errors if name in report.fields else []
        if not errors:
            continue
        out.append(
            f"== {name}: {sum(e.kind == 'extra' for e in errors)} false positives, "
            f"{sum(e.kind == 'missed' for e in errors)} misses, {sum(e.kind == 'wrong' for e in errors)} wrong"
        )
        for kind, title in (
            ("extra", "false positives"),
            ("missed", "misses"),
            ("wrong", "wrong values"),
        ):
            group = [e for e in errors if e.kind == kind]
            if group:
                out.append(f"  -- {title}")
            for e in group:
                out.append(f"    {e.doc}: {e.value}")
                if e.sentence:
                    out.append(f"        « {e.sentence} »")
    return "\n".join(out)
