"""Kind accuracy over a sources list and per-kind field scores against gold, for the README's genre table.

    python scripts/genre_scores.py corpus/real            # sources.tsv, raw/ and gold/ of that folder

Kind accuracy reads every document of `sources.tsv` (its `kind` column; `call_for_proposals` is
`call`, and `other` — news, articles, an application — counts as right when read as a write-up or
page, never as unknown, report or call). Field scores are micro F1 per gold kind over the documents
that have a gold file: title, owner, municipalities, people, organisations, goals/results.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from esfparse.evaluate import Score, compare
from esfparse.gold import to_gold
from esfparse.pipeline import extract_file

FIELDS = ("title", "owner", "municipalities", "people", "organisations", "goals")


def main(folder: Path) -> None:
    rows = list(csv.DictReader((folder / "sources.tsv").open(encoding="utf-8"), delimiter="\t"))
    right, by_kind = 0, {}
    scores: dict[str, dict[str, Score]] = {}
    for row in rows:
        path = folder / "raw" / row["file"]
        record = extract_file(path).record
        want = {"call_for_proposals": "call"}.get(row["kind"], row["kind"])
        ok = record.kind == want or (
            want == "other" and record.kind in ("presentation", "project_page")
        )
        right += ok
        n, k = by_kind.get(want, (0, 0))
        by_kind[want] = (n + 1, k + ok)
        gold_path = folder / "gold" / f"{path.stem}.json"
        if gold_path.exists():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            per = scores.setdefault(gold["kind"], {f: Score() for f in FIELDS})
            result = compare(gold, to_gold(record), path.stem)
            for f in FIELDS:
                per[f].add(result[f])
    print(
        f"kind right: {right}/{len(rows)} = {right / len(rows):.3f}  "
        + ", ".join(f"{k} {r}/{n}" for k, (n, r) in sorted(by_kind.items()))
    )
    print(f"{'gold kind':<14}{'docs':>5} " + " ".join(f"{f[:13]:>13}" for f in FIELDS))
    for kind, per in sorted(scores.items()):
        docs = sum(
            1
            for p in (folder / "gold").glob("*.json")
            if json.loads(p.read_text(encoding="utf-8"))["kind"] == kind
        )
        print(
            f"{kind:<14}{docs:>5} "
            + " ".join(
                f"{per[f].f1:>13.3f}" if per[f].tp + per[f].fp + per[f].fn else f"{'—':>13}"
                for f in FIELDS
            )
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus/real"))
