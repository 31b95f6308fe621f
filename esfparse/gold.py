"""Record → the exact shape of the hand-checked gold files, so any extraction can be compared."""

from __future__ import annotations

from datetime import date
from typing import Any

from .datafiles import layouts
from .fields import FIELDS, fields_with
from .models import Record

# Record attribute -> gold `extra` key, for header fields the gold keeps under `extra`.
_EXTRA_FIELDS = {f.name: f.gold_extra for f in FIELDS if f.gold_extra}
_EXTRA_DATES = {"call_opens": "call_opens", "call_closes": "call_closes"}
_EXTRA_LABELS = {"postal_code": "postal_code", "city": "city", "program_cci": "program_cci"}


def _percent(rate: float | None) -> str | None:
    if rate is None:
        return None
    pct = rate * 100
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}%".replace(".", ",")


def to_gold(record: Record) -> dict[str, Any]:
    """The gold-file dict for a record (keys and value shapes as in corpus/gold/*.json)."""
    r = record
    out: dict[str, Any] = {
        "kind": r.kind,
        **{name: _scalar(getattr(r, name)) for name in fields_with("E")},  # models.FIELDS
        "co_financiers": [o.name for o in r.co_financiers],
        "partners": [o.name for o in r.partners],
        "municipalities": [
            m.as_written if m.source == "list" else (m.name or m.as_written)
            for m in r.municipalities
        ],
        "goals": [_goal(g) for g in r.goals],
        "people": [
            {"name": p.name, "role": p.role, "organisation": p.organisation} for p in r.people
        ],
        "emails": [e.value for e in r.emails],
        "organisations": [o.name for o in r.organisations],
        "truncated_sections": list(r.truncated_sections),
    }
    text_lists = {k: v for k, v in r.list_source.items() if v == "text"}
    if text_lists:
        out["list_source"] = text_lists
    out["extra"] = _extra(r)
    return out


def _scalar(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _goal(g: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"value": _num(g.value)}
    if g.value_max is not None:
        d["value_max"] = _num(g.value_max)
    d.update({"unit": g.unit, "what": g.what, "quote": g.quote, "source": g.source})
    return d


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def _extra(r: Record) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for attr, key in _EXTRA_FIELDS.items():
        value = getattr(r, attr)
        if value is not None:
            extra[key] = value
    for attr, key in _EXTRA_DATES.items():
        if getattr(r, attr) is not None:
            extra[key] = getattr(r, attr).isoformat()
    if r.union_cofinancing_rate is not None:
        extra["union_cofinancing_rate"] = _percent(r.union_cofinancing_rate)
    if r.call_cofinancing_rate is not None:
        extra["cofinancing_rate"] = _percent(r.call_cofinancing_rate)
    renames = layouts().get(r.layout or "", {}).get("gold_renames")  # data/layouts.json
    if renames:
        extra = {renames.get(k, k): v for k, v in extra.items()}
    for label_key, key in _EXTRA_LABELS.items():
        if label_key in r.extra:
            extra[key] = r.extra[label_key]
    return extra
