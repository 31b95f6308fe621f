"""Genre detection from the text itself (never from file names).

Each kind's evidence is written as data (`data/genres.json`): patterns with weights, matched in the
document's head or anywhere in its text, plus two structural cues computed here (a project-bank
header block or id-title line, and the slide/talk score). The best-scoring kind wins with a
confidence (its share of the evidence) and a reason naming every cue that fired. Below the minimum
score an ESF-related text is a write-up (`presentation`), and only a text with nothing ESF-related
is `unknown`; the parser still reads the entities of every kind.

>>> from esfparse.document import Document
>>> classify(Document("Slutrapport genomförande\\nProjektnamn Exempelprojektet\\nFRIRPT v.1\\n"))
'report'
>>> classify(Document("En vanlig text om väder och vind. " * 20))
'unknown'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

from .bullets import CID, SIGN
from .datafiles import load_csv, load_json
from .document import Document
from .parsers.header import ID_TITLE_RE, Header, read_header
from .regexes import GatedPattern, factor, fold

KINDS = ("project_page", "presentation", "report", "call")

_BULLET_RE = re.compile(rf"^[^\S\n]*(?:{SIGN}|{CID}|\d+\.)\s+\S", re.MULTILINE)
# Cues of talks, slide decks and conference write-ups, one alternative each (factored by `factor`).
_TALK_CUES = [
    *[
        "berättar",
        "berättade",
        "presentation",
        "presenterade",
        "föreläsning",
        "föreläste",
        "föredrag",
    ],  # talking
    *(
        rf"{w}\s+[A-ZÅÄÖ]" for w in ("sa", "säger", "menar", "betonade", r"lyfte\s+fram")
    ),  # attribution
    *(
        rf"{w}\w*" for w in ["konferens", "seminari", "webbinari", "nätverksträff", "workshop"]
    ),  # events
    "lärkonferens",
    *["talare", "moderator", "medverkande"],  # programme roles
    r"panel\w*",
    "inledde",
    r"bild\s*\d+",
    r"Vill\s+du\s+veta\s+mer",
    "Tack!?$",
    r"Frågor\?",
]
_TALK_RE = re.compile(rf"\b{factor(_TALK_CUES)}", re.IGNORECASE | re.MULTILINE)
_QUOTE_LINE_RE = re.compile(
    r"^[–—-] [A-ZÅÄÖ]", re.MULTILINE
)  # a quoted speaker: `– Vi började med ...`


@dataclass(frozen=True)
class Genre:
    """A classification: the kind, how sure (0-1), and the cues that decided it."""

    kind: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Feature:
    id: str
    kind: str
    where: str
    weight: int
    pattern: GatedPattern


@lru_cache(maxsize=1)
def genre_data() -> dict[str, Any]:
    """The genre evidence of `data/genres.json`, patterns compiled."""
    raw = dict(load_json("genres.json"))  # a copy: its patterns are compiled into it
    flags = re.IGNORECASE | re.MULTILINE
    raw["features"] = [
        _Feature(f["id"], f["kind"], f["where"], f["weight"], GatedPattern(f["pattern"], flags))
        for f in raw["features"]
    ]
    raw["esf_re"] = GatedPattern("|".join(f"(?:{p})" for p in raw["esf_cues"]), re.IGNORECASE)
    return raw


# ---------------------------------------------------------------- the not-ESF gate

NOT_ESF = "no sign of ESF material (no project-bank header or identifier, no ESF, programme or labour-market word)"
_DOMAIN_MIN = 2  # distinct labour-market words that make a text ESF material without an ESF cue


@lru_cache(maxsize=1)
def _domain_words() -> list[GatedPattern]:
    """The labour-market words of data/esf_vocabulary.csv, each a case-insensitive gated regex."""
    return [GatedPattern(row["pattern"], re.IGNORECASE) for row in load_csv("esf_vocabulary.csv")]


def esf_sign(doc: Document, header: Header | None) -> str | None:
    """What marks the text as ESF material (a header, an identifier, an ESF cue, labour-market words), or None."""
    if header is not None:
        return "a project-bank header"
    if ID_TITLE_RE.search(doc.text[:600]):
        return "a project-bank identifier"
    cue = is_esf_related(doc)
    if cue:
        return repr(cue)
    text = doc.text[:50000]
    folded, found = fold(text), 0
    for word in _domain_words():  # distinct words: the scan stops at the second
        found += word.search(text, folded) is not None
        if found >= _DOMAIN_MIN:
            return f"{found} labour-market words"
    return None


def classify(doc: Document, header: Header | None = None) -> str:
    """`project_page`, `presentation`, `report`, `call` or `unknown`."""
    return classify_genre(doc, header).kind


def classify_genre(doc: Document, header: Header | None = None) -> Genre:
    """The kind with its confidence and reason, from the genre evidence of `data/genres.json`."""
    data = genre_data()
    header = header if header is not None else read_header(doc)
    if esf_sign(doc, header) is None:
        return Genre("unknown", 1.0, NOT_ESF)
    scores, cues = _scores(doc, header, data)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0])))
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= data["min_score"]:
        why = "; ".join(cues[best])
        runner = f"; next {ranked[1][0]} {second}" if second else ""
        return Genre(best, round(top / (top + second), 2), f"{best} {top}: {why}{runner}")
    esf = is_esf_related(doc)
    if esf:
        return Genre(
            data["fallback"],
            0.5,
            f"no genre reached {data['min_score']} "
            f"(best {best} {top}); ESF-related ({esf!r}): read as a write-up",
        )
    return Genre("unknown", 1.0, "no genre cue and nothing ESF-related")


def is_esf_related(doc: Document) -> str | None:
    """The first ESF cue in the text (`ESF-rådet`, `projektägare`, `utlysning` ...), or None."""
    text = doc.text[:50000]
    m = genre_data()["esf_re"].search(text, fold(text))
    return m.group(0) if m else None


def _scores(
    doc: Document, header: Header | None, data: dict[str, Any]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    scores = dict.fromkeys(KINDS, 0)
    cues: dict[str, list[str]] = {k: [] for k in KINDS}

    def add(kind: str, weight: int, what: str) -> None:
        scores[kind] += weight
        cues[kind].append(f"{what} +{weight}")

    structure = data["structure"]
    head = doc.text[: data["head_chars"]]
    if header is not None:
        add(
            "project_page", structure["header_block"], f"header block ({len(header.fields)} labels)"
        )
    elif ID_TITLE_RE.search(head[:600]) or _id_title_below_chrome(doc):
        add("project_page", structure["id_title_line"], "id-title line")
    talk = min(_presentation_score(doc), structure["presentation_score_max"])
    if talk:
        add("presentation", talk, "slide/talk cues")
    text = doc.text[:50000]
    # most features need a word the text does not hold: a case-folded copy rules them out unrun
    where = {"head": (head, fold(head)), "text": (text, fold(text))}
    for f in data["features"]:
        m = f.pattern.search(*where[f.where])
        if m:
            add(f.kind, f.weight, f"{f.id} {' '.join(m.group(0).split())[:40]!r}")
    return scores, cues


def _id_title_below_chrome(doc: Document) -> bool:
    """The page's title block (below cookie text, navigation and breadcrumbs) opens with a case number."""
    from .parsers.text_layout import title_line

    line = title_line(doc, None)
    return line is not None and bool(ID_TITLE_RE.match(line.text))


def _presentation_score(doc: Document) -> int:
    text = doc.text
    if len(text.strip()) < 200:
        return 0
    lines = [ln for ln in text.split("\n") if ln.strip()]
    short = sum(1 for ln in lines if len(ln) < 80)
    score = 0
    score += 2 if len(_BULLET_RE.findall(text)) >= 3 else 0
    score += 1 if lines and short / len(lines) > 0.5 else 0
    quotes = len(_QUOTE_LINE_RE.findall(text[:20000]))
    talk = quotes + sum(1 for _ in islice(_TALK_RE.finditer(text[:20000]), max(0, 3 - quotes)))
    score += min(talk, 3)  # three cues are enough: the scan stops there
    score += 1 if "\t" in text else 0
    return score
