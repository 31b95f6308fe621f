"""Dev harness: precision/recall/F1 of `find_goals` against corpus/gold, per document.

Goals are compared as multisets of (value, unit, value_max), as the gold README
says; gold goals with ``source: "header"`` belong to the header parser and are
skipped. Until the project-page parser exists, sections are found here with a
plain heading regex; the genre comes from the gold file's ``kind`` (classifying
is not the goal extractor's job).

    python scripts/goals_eval.py            # table for seeds and dev
    python scripts/goals_eval.py -v         # plus misses, false positives and why
    python scripts/goals_eval.py -v dev13   # one document, every number explained
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esfparse.extract.goals import explain_numbers, find_goals  # noqa: E402 (after the sys.path line)
from esfparse.models import Goal  # noqa: E402 (after the sys.path line)

HEADINGS = (
    "Sammanfattning|Bakgrund|Syfte|Målsättning|Mål|Målgrupp|Metod|Genomförande|Förväntade resultat|"
    "Tillgänglighet för personer med funktionsnedsättning|Jämställdhetsintegrering|"
    "Transnationellt samarbete|"
    "Medfinansiärer|Samarbetspartners|Kommun|In English"
)
_HEADING_RE = re.compile(rf"^(?:{HEADINGS})[ \t]*$", re.MULTILINE)
_LABEL_LINE_RE = re.compile(
    r"^[^\n]{2,60}:[ \t]*$|^[A-ZÅÄÖ][\w .()-]{1,40}: [^\n]{1,60}$", re.MULTILINE
)

Key = tuple[float, str, float | None]


def sections(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, heading) of each section body; without headings, the text after the header."""
    heads = list(_HEADING_RE.finditer(text))
    if heads:
        ends = [h.start() for h in heads[1:]] + [len(text)]
        return [(h.end(), end, h.group().strip()) for h, end in zip(heads, ends)]
    labels = list(_LABEL_LINE_RE.finditer(text[:4000]))
    if not labels:
        return [(text.find("\n") + 1, len(text), None)]
    last = labels[-1]
    start = last.end()
    if last.group().rstrip().endswith(":"):  # label line: skip its value line
        nl = text.find("\n", start + 1)
        start = len(text) if nl == -1 else nl
    return [(start, len(text), None)]


def extract(text: str, genre: str) -> list[Goal]:
    if genre == "presentation":
        return find_goals(text, genre="presentation")
    return [g for s, e, head in sections(text) for g in find_goals(text, s, e, section=head)]


def key(value: float, unit: str, value_max: float | None) -> Key:
    return (round(float(value), 3), unit, None if value_max is None else round(float(value_max), 3))


def score(found: Counter, gold: Counter) -> tuple[int, int, int]:
    tp = sum((found & gold).values())
    return tp, sum(found.values()) - tp, sum(gold.values()) - tp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def explain(text: str, genre: str) -> None:
    spans = [(0, len(text), None)] if genre == "presentation" else sections(text)
    for s, e, head in spans:
        for n, why in explain_numbers(text, s, e, head, genre):
            context = text[max(0, n.start - 40) : n.end + 40]
            print(f"      {text[n.start : n.end]!r:>18} {why:<20} [{head}] {context!r}")


def run(names: list[str], verbose: bool) -> None:
    groups: dict[str, list[int]] = {"seeds": [0, 0, 0], "dev": [0, 0, 0]}
    print(f"{'doc':<26}{'gold':>5}{'found':>6}{'tp':>4}{'P':>7}{'R':>7}{'F1':>7}{'ms':>7}")
    for raw in sorted((ROOT / "corpus/raw").glob("*.txt")):
        if names and not any(n in raw.stem for n in names):
            continue
        gold = json.loads((ROOT / "corpus/gold" / f"{raw.stem}.json").read_text())
        text = raw.read_text(encoding="utf-8")
        genre = "presentation" if gold.get("kind") == "presentation" else "project_page"
        t0 = time.perf_counter()
        goals = extract(text, genre)
        ms = (time.perf_counter() - t0) * 1000
        gold_keys = Counter(
            key(g["value"], g["unit"], g.get("value_max"))
            for g in gold.get("goals", [])
            if g.get("source") != "header"
        )
        found = Counter(key(g.value, g.unit, g.value_max) for g in goals)
        tp, fp, fn = score(found, gold_keys)
        group = groups["dev" if raw.stem.startswith("dev") else "seeds"]
        group[0], group[1], group[2] = group[0] + tp, group[1] + fp, group[2] + fn
        p, r, f = prf(tp, fp, fn)
        counts = f"{sum(gold_keys.values()):>5}{len(goals):>6}{tp:>4}"
        print(f"{raw.stem:<26}{counts}{p:>7.2f}{r:>7.2f}{f:>7.2f}{ms:>7.1f}")
        for g in goals:
            assert text[g.evidence.start : g.evidence.end] == g.quote
            assert (
                g.value_evidence
                and g.evidence.start
                <= g.value_evidence.start
                < g.value_evidence.end
                <= g.evidence.end
            )
        if verbose:
            for k in found - gold_keys:
                q = next(g.quote for g in goals if key(g.value, g.unit, g.value_max) == k)
                print(f"    FP {k}  {q[:110]!r}")
            for k in gold_keys - found:
                print(f"    MISS {k}")
            if names:
                explain(text, genre)
    for name, (tp, fp, fn) in groups.items():
        p, r, f = prf(tp, fp, fn)
        print(f"{name + ' (micro)':<26}{tp + fn:>5}{tp + fp:>6}{tp:>4}{p:>7.2f}{r:>7.2f}{f:>7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only documents whose name contains one of these")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    run(args.names, args.verbose)
