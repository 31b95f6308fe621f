"""Tables that split a goal: cells kept as its `breakdowns`, not as goals of their own.

A year-by-office table whose grand total (`Summa` row × `Totalt` column) equals a count goal is a
breakdown of that goal; each other numeric cell becomes a `Breakdown` labelled `column / row`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..document import Table
from ..models import Breakdown, Evidence, Goal
from .counted import read_terms

__all__ = ["attach_breakdowns"]

# --- tables that split a goal -----------------------------------------------------------------

_NUM_CELL_RE = re.compile(r"^[-+]?\d+(?:,\d+)?%?$")


def _cell_value(cell: str) -> float | None:
    return float(cell.replace(",", ".")) if _NUM_CELL_RE.match(cell) and "%" not in cell else None


def attach_breakdowns(
    goals: list[Goal], tables: Sequence[Table], text: str | None = None
) -> list[Goal]:
    """Keep the cells of a table whose grand total equals a count goal as its `breakdowns`."""
    totals = read_terms()["total_label"]
    for table in tables:
        if len(table.rows) < 3:
            continue
        header, body = table.rows[0], table.rows[1:]
        total_col = next(
            (j for j, h in enumerate(header) if j and h.strip().lower() in totals), None
        )
        total_row = next(
            (i for i, row in enumerate(body) if row and row[0].strip().lower() in totals), None
        )
        if total_row is None or total_col is None or total_col >= len(body[total_row]):
            continue
        grand = _cell_value(body[total_row][total_col])
        goal = next(
            (g for g in goals if g.unit == "count" and g.value == grand and not g.breakdowns), None
        )
        if goal is not None:
            goal.breakdowns = _cells(header, body, (total_row, total_col), table, text)
    return goals


def _cells(
    header: list[str],
    body: list[list[str]],
    totals: tuple[int, int],
    table: Table,
    text: str | None,
) -> list[Breakdown]:
    out, pos, stop = [], table.start or 0, table.end or 0
    for i, row in enumerate(body):
        cursor = pos = (text.find(row[0], pos, stop) + len(row[0])) if text is not None else pos
        for j, cell in enumerate(row[1:], start=1):
            found = (
                text.find(cell, cursor, stop)
                if text is not None and table.start is not None
                else -1
            )
            cursor = found + len(cell) if found >= 0 else cursor
            value = _cell_value(cell)
            if value is None or i == totals[0] or j == totals[1] or j >= len(header):
                continue
            evidence = Evidence(start=found, end=found + len(cell)) if found >= 0 else None
            out.append(Breakdown(label=f"{header[j]} / {row[0]}", value=value, evidence=evidence))
        pos = cursor
    return out
