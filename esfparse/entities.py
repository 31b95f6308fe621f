"""Organisations as entities: each name as written linked to one organisation with a kind.

`rebuild_entities(db)` reads `organisations` and (re)creates `organisation_entities`,
`organisation_names` (each name's entity, unit and reason) and `organisation_merges` (every name
not written exactly as its entity, with reason and score, to audit or undo). A name is split at
commas, dashes and slashes; the first part that resolves is the body, the others its unit. Passes,
strongest first: SCB municipality (`<name> kommun|stad`), region (`Region <county>`), vocabulary
(`organisation_vocabulary.csv`, `organisations.csv`: name, variant, acronym, or name + unit), a
vocabulary typo, kind rules (`organisation_kinds.csv`), else `other`. Then entities of the looser
kinds a typo apart are merged; municipalities, regions and agencies never by similarity.

>>> r = resolve_name("Arbetsförmedlingen Östersund"); (r.canonical, r.kind, r.unit)
('Arbetsförmedlingen', 'state_agency', 'Östersund')
>>> r = resolve_name("Krokoms kommun, Kommunstyrelsen"); (r.canonical, r.municipality_code, r.unit)
('Krokoms kommun', '2309', 'Kommunstyrelsen')
>>> r = resolve_name("Manpowr"); (r.canonical, r.kind, round(r.score))
('Manpower', 'company', 93)
>>> resolve_name("Birka Folkhögskola").canonical
'Birka folkhögskola'
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .datafiles import load_csv
from .extract.places import all_counties, resolve_municipality

KINDS = (
    "municipality",
    "region",
    "state_agency",
    "coordination_association",
    "folk_high_school",
    "study_association",
    "company",
    "non_profit",
    "other",
)
FUZZY_MIN_SCORE = 90.0  # rapidfuzz ratio (0-100) a typo must reach ...
FUZZY_MAX_EDITS = 2  # ... while being at most this many insertions/deletions/substitutions away
FUZZY_MIN_LENGTH = 6  # shorter names are too easily confused (`Bika`/`Birka`)
_NEVER_FUZZY = frozenset({"municipality", "region", "state_agency"})  # distinct bodies, alike names


@dataclass(frozen=True)
class Resolution:
    """How one name as written maps to an entity."""

    canonical: str
    kind: str
    key: str  # entity identity: `municipality:0180`, `region:19`, `company:manpower`
    unit: str | None = None
    municipality_code: str | None = None
    known: bool = False  # from the gazetteer or the vocabulary
    reasons: tuple[str, ...] = ()
    score: float = 100.0


# ---------------------------------------------------------------- data
def _terms(match: str, kind: str | None = None) -> list[str]:
    """Terms of organisation_kinds.csv with this `match` (and kind), in file order."""
    return [
        r["term"]
        for r in load_csv("organisation_kinds.csv")
        if r["match"] == match and kind in (None, r["kind"])
    ]


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[
    dict[str, tuple[str, str, str]], dict[str, tuple[str, str, str]], frozenset[str]
]:
    """key -> (canonical, kind, how); exact-case short acronyms; keys that must match whole."""
    kind_of = {
        r["term"]: r["kind"]
        for r in load_csv("organisation_kinds.csv")
        if r["match"] == "vocabulary_kind"
    }
    entries = [
        (r["name"], r["kind"], r["acronym"], r["variants"], "")
        for r in load_csv("organisation_vocabulary.csv")
    ]
    entries += [
        (r["name"], kind_of.get(r["kind"], "other"), r["acronym"], r["variants"], r["match"])
        for r in load_csv("organisations.csv")
    ]  # ours first: a name in both takes our kind
    index: dict[str, tuple[str, str, str]] = {}
    exact: dict[str, tuple[str, str, str]] = {}
    whole = set()  # a common word too (`Vision`): never the head of a longer name
    for name, kind, acronym, variants, match in entries:
        forms = [(name, "name"), *((v, "variant") for v in variants.split("|") if v)]
        forms += [(acronym, "acronym")] if len(acronym) >= 3 else []
        for form, how in forms:
            index.setdefault(_key(form), (name, kind, how))
            whole.update([_key(form)] if match == "slot" else [])
        if 0 < len(acronym) < 3:
            exact.setdefault(acronym, (name, kind, "acronym"))
    return index, exact, frozenset(whole)


@lru_cache(maxsize=1)
def _counties() -> list[tuple[str, str]]:
    """(key, county code) for county short and full names, longest first."""
    pairs = [(_key(c[col]), c["code"]) for c in all_counties() for col in ("short_name", "name")]
    return sorted(pairs, key=lambda p: -len(p[0]))


# ---------------------------------------------------------------- text
def _key(text: str) -> str:
    """Comparison key: NFC, casefolded, `&` spaced, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().replace("&", " & ")
    return " ".join(text.split())


_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")  # a trailing bracket: `Delegationen ... (DUA)`
_PART_RE = re.compile(
    r"\s*,\s*|\s+[-–—]\s+|\s*/\s*"
)  # commas, spaced dashes and slashes part a name


def _clean(name: str) -> tuple[str, str | None]:
    """Whitespace-normalised name and its trailing bracket, if any."""
    text = " ".join(unicodedata.normalize("NFC", name).split()).strip(" \t•*·,.;:-–")
    m = _PAREN_RE.search(text)
    if not m:
        return text, None
    return text[: m.start()].strip(" ,-–"), m.group(1).strip()


def _split_legal(part: str) -> tuple[str, str | None]:
    """`Microsoft AB` -> (`Microsoft`, `AB`); `AB Volvo` -> (`Volvo`, `AB`)."""
    words = part.split()
    for term in sorted(_terms("legal_form"), key=lambda t: -len(t.split())):
        n = len(term.split())
        if len(words) > n and _key(" ".join(words[-n:])) == term:
            return " ".join(words[:-n]).rstrip(" ,"), " ".join(words[-n:])
    for term in _terms("legal_form_prefix"):
        if len(words) > 1 and _key(words[0]) == term:
            return " ".join(words[1:]), words[0]
    return part, None


def _tidy(part: str) -> str:
    """Case-normalise a name with no vocabulary form: shouting lowered, generic words in lower case."""
    if part.isupper() and " " in part and len(part) > 6:
        part = part.capitalize()
    lower = {r["term"] for r in load_csv("organisation_kinds.csv") if r["case"] == "lower"}
    words = part.split() or [""]
    return " ".join([words[0], *[w.lower() if _key(w) in lower else w for w in words[1:]]])


def _unit(words: list[str]) -> str | None:
    """The words after a body, a leading connector (`i`, `vid`) dropped."""
    if words and _key(words[0]) in _terms("connector"):
        words = words[1:]
    return " ".join(words) or None


# ---------------------------------------------------------------- one part of a name
def _as_municipality(part: str) -> Resolution | None:
    """`Sala kommun`, `STOCKHOLMS KOMMUN`, `Göteborgs Stad Social resursförvaltning`."""
    words = part.split()
    suffixes = _terms("municipality_suffix")
    for i, word in enumerate(words):
        m = resolve_municipality(" ".join(words[: i + 1])) if _key(word) in suffixes else None
        if m:
            return Resolution(
                m.full_name,
                "municipality",
                f"municipality:{m.code}",
                _unit(words[i + 1 :]),
                m.code,
                True,
                (f"municipality: SCB {m.code} {m.name}",),
            )
    return None


def _as_region(part: str) -> Resolution | None:
    """`Region Västmanland`, `Landstinget i Värmland`: keyed by county."""
    words = part.split()
    if len(words) < 2 or _key(words[0]) not in _terms("prefix", "region"):
        return None
    rest = _unit(words[1:]) or ""
    for key, code in _counties():
        if _key(rest) == key or _key(rest).startswith(key + " "):
            m = resolve_municipality(f"Region {rest}")
            return Resolution(
                f"Region {rest}",
                "region",
                f"region:{code}",
                None,
                m.code if m else None,
                True,
                (f"region: county {code}",),
            )
    return Resolution(
        f"Region {rest}", "region", f"region:{_key(rest)}", reasons=("region: by prefix",)
    )


def _known(
    canonical: str, kind: str, how: str, unit: str | None, score: float = 100.0
) -> Resolution:
    reason = "vocabulary: name" if how == "name" else f"vocabulary: {how} of {canonical}"
    reason = f"vocabulary, fuzzy: near {canonical} (score {score:.1f})" if score < 100 else reason
    return Resolution(
        canonical, kind, f"{kind}:{_key(canonical)}", unit, None, True, (reason,), score
    )


def _as_known(part: str) -> Resolution | None:
    """A vocabulary name, variant or acronym, whole or followed by a unit."""
    index, exact, whole = _vocabulary()
    if part in exact:
        return _known(*exact[part], None)
    words = part.split()
    for n in range(len(words), 0, -1):
        head = _key(" ".join(words[:n]))
        if head in index and (
            n == len(words) or (head not in whole and len(head) >= 5)
        ):  # not `Max Planck`
            return _known(*index[head], _unit(words[n:]))
    return None


def _as_fuzzy_known(part: str) -> Resolution | None:
    """A near miss of a vocabulary name (typo), whole or followed by a unit."""
    words = part.split()
    best: tuple[float, str, int] | None = None
    for vkey in _vocabulary()[0]:
        n = len(vkey.split())
        head = _key(" ".join(words[:n]))
        if n <= len(words) and _near(head, vkey):
            score = fuzz.ratio(head, vkey)
            if best is None or score > best[0]:
                best = (score, vkey, n)
    if best is None:
        return None
    canonical, kind, _ = _vocabulary()[0][best[1]]
    return _known(canonical, kind, "name", _unit(words[best[2] :]), best[0])


def _near(a: str, b: str) -> bool:
    """Conservative typo test: long enough, same start and digits, few edits, high ratio."""
    if (
        a == b
        or min(len(a), len(b)) < FUZZY_MIN_LENGTH
        or a[:3] != b[:3]
        or _digits(a) != _digits(b)
    ):
        return False
    return Levenshtein.distance(a, b) <= FUZZY_MAX_EDITS and fuzz.ratio(a, b) >= FUZZY_MIN_SCORE


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _by_rules(part: str) -> Resolution | None:
    """Kind from the first matching rule: a prefix (`Föreningen ...`) or an ending (`... folkhögskola`)."""
    words = [_key(w) for w in part.split()] or [""]
    for row in load_csv("organisation_kinds.csv"):
        match, term = row["match"], row["term"]
        if (
            (match == "prefix" and len(words) > 1 and words[0] == term)
            or (match == "suffix" and words[-1].endswith(term))
            or (match == "word_suffix" and any(w.endswith(term) for w in words))
        ):
            return _ruled(part, row)
    return None


def _ruled(part: str, row: dict[str, str]) -> Resolution:
    canonical = _tidy(part)
    return Resolution(
        canonical,
        row["kind"],
        f"{row['kind']}:{_key(canonical)}",
        reasons=(f"kind rule: {row['match']} `{row['term']}`",),
    )


Classifier = Callable[[str], "Resolution | None"]
_PASSES: tuple[Classifier, ...] = (
    _as_municipality,
    _as_region,
    _as_known,
    _as_fuzzy_known,
    _by_rules,
)


# ---------------------------------------------------------------- a whole name
def resolve_name(name: str) -> Resolution:
    """Resolve one organisation name as written to its entity, unit and the reasons why."""
    text, bracket = _clean(name)
    parts = [_split_legal(p) for p in _PART_RE.split(text) if p.strip()] or [(text or name, None)]
    for classify in _PASSES:
        for i, (part, _legal) in enumerate(parts):
            res = classify(part)
            if res:
                return _finish(res, name, parts, i, bracket)
    res = _as_known(bracket) if bracket else None
    if res:  # `Projektkontoret (DUA)`: the bracket names the body, the rest is another name for it
        return _finish(
            replace(res, reasons=(*res.reasons, f"named by its bracket ({bracket})")),
            name,
            parts,
            -1,
            None,
        )
    canonical = _tidy(parts[0][0])
    return _finish(
        Resolution(canonical, "other", f"other:{_key(canonical)}", reasons=("no kind rule",)),
        name,
        parts,
        0,
        bracket,
    )


def _finish(
    res: Resolution, name: str, parts: list[tuple[str, str | None]], body: int, bracket: str | None
) -> Resolution:
    """Add the other parts as unit or alias, the legal form, and the formal reasons."""
    units, reasons = [res.unit] if res.unit else [], list(res.reasons)
    for part, _legal in (p for i, p in enumerate(parts) if i != body):
        role = "alias" if body < 0 else _part_role(part, res)
        units += [part] if role == "unit" else []
        reasons += (
            []
            if role == "unit"
            else [
                f"also named: {part}"
                if role == "alias"
                else f"second organisation, not linked: {part}"
            ]
        )
    legal = [lg for _p, lg in parts if lg]
    legal += [bracket] if bracket and f"({bracket.casefold()})" in _terms("legal_form") else []
    reasons += [f"legal form dropped: {', '.join(legal)}"] if legal else []
    if legal and res.kind == "other":
        res = replace(res, kind="company", key=f"company:{res.key.split(':', 1)[1]}")
    unit = ", ".join(units) or None
    reasons += [f"unit: {unit}"] if unit else []
    written = _clean(name)[0]
    reasons += (
        ["case normalised"]
        if res.canonical != written and _key(res.canonical) == _key(written)
        else []
    )
    return replace(res, unit=unit, reasons=tuple(reasons))


def _part_role(part: str, body: Resolution) -> str:
    """Another part of a name: `unit` of the body, `alias` (second name of it) or `separate` body."""
    other = next((r for r in (classify(part) for classify in _PASSES) if r), None)
    if other is None:
        return "unit"
    if other.key == body.key or (other.kind == body.kind and not (other.known or body.known)):
        return "alias"
    return "separate"


# ---------------------------------------------------------------- near-duplicates across the data
def _stem(canonical: str) -> str:
    """The distinctive words of a name: generic kind words left out (`Grimslövs folkhögskola` -> `grimslövs`)."""
    generic = {r["term"] for r in load_csv("organisation_kinds.csv")}
    return " ".join(w for w in _key(canonical).split() if w not in generic)


def _merge_near_duplicates(res: dict[int, Resolution], docs: Counter[int]) -> dict[int, Resolution]:
    """Merge entities of the looser kinds whose stems are a typo apart into the better-attested one."""
    members: dict[str, list[int]] = {}
    for oid, r in res.items():
        members.setdefault(r.key, []).append(oid)
    heads = {
        k: res[oids[0]] for k, oids in members.items() if res[oids[0]].kind not in _NEVER_FUZZY
    }
    strength = {
        k: (heads[k].known, sum(docs[o] for o in members[k]), len(heads[k].canonical), k)
        for k in heads
    }
    blocks: dict[
        str, list[str]
    ] = {}  # a typo keeps the first three letters (see _near): compare within
    for k in sorted(heads, key=strength.__getitem__, reverse=True):
        blocks.setdefault(_stem(heads[k].canonical)[:3], []).append(k)
    out = dict(res)
    for keys in blocks.values():
        merged: set[str] = set()
        for i, weak in enumerate(keys):
            strong = next(
                (s for s in keys[:i] if s not in merged and _mergeable(heads[s], heads[weak])), None
            )
            if strong:
                merged.add(weak)
                out.update(_merged_into(heads[strong], members[weak], res))
    return out


def _merged_into(
    into: Resolution, oids: list[int], res: dict[int, Resolution]
) -> dict[int, Resolution]:
    score = fuzz.ratio(_stem(into.canonical), _stem(res[oids[0]].canonical))
    why = f"near-duplicate of {into.canonical} (score {score:.1f})"
    return {
        o: replace(
            res[o],
            canonical=into.canonical,
            kind=into.kind,
            key=into.key,
            known=into.known,
            reasons=(*res[o].reasons, why),
            score=min(res[o].score, score),
        )
        for o in oids
    }


def _mergeable(strong: Resolution, weak: Resolution) -> bool:
    """Same kind (or the weak one unclassified), not both known, and stems a typo apart."""
    if (strong.known and weak.known) or weak.kind not in (strong.kind, "other"):
        return False
    a, b = _stem(strong.canonical), _stem(weak.canonical)
    return (a == b and len(a) >= FUZZY_MIN_LENGTH) or _near(a, b)


# ---------------------------------------------------------------- the tables

_DDL = """
DROP VIEW IF EXISTS project_organisation_entities; DROP TABLE IF EXISTS organisation_merges;
DROP TABLE IF EXISTS organisation_names; DROP TABLE IF EXISTS organisation_entities;
CREATE TABLE organisation_entities (id INTEGER PRIMARY KEY, canonical_name TEXT NOT NULL, kind TEXT NOT NULL,
    municipality_code TEXT REFERENCES municipalities(code), org_nr TEXT);
CREATE TABLE organisation_names (organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
    entity_id INTEGER NOT NULL REFERENCES organisation_entities(id), unit TEXT, reason TEXT NOT NULL);
CREATE TABLE organisation_merges (id INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL
    REFERENCES organisation_entities(id), name TEXT NOT NULL, merged_into TEXT NOT NULL, reason TEXT NOT NULL,
    score REAL);
CREATE INDEX organisation_names_entity ON organisation_names(entity_id);
CREATE INDEX organisation_merges_entity ON organisation_merges(entity_id);
CREATE VIEW project_organisation_entities AS SELECT po.document_id, po.role, po.as_written,
    e.id AS entity_id, e.canonical_name, e.kind, n.unit, e.municipality_code, e.org_nr
    FROM project_organisations po JOIN organisation_names n ON n.organisation_id = po.organisation_id
    JOIN organisation_entities e ON e.id = n.entity_id;
"""


def _org_numbers(conn: sqlite3.Connection) -> dict[int, Counter[str]]:
    """Organisation id -> counts of the org.nr stated by the documents it owns."""
    out: dict[int, Counter[str]] = {}
    for oid, nr in conn.execute(
        "SELECT po.organisation_id, p.owner_org_nr FROM project_organisations po JOIN project_pages p "
        "ON p.document_id = po.document_id WHERE po.role = 'owner' AND p.owner_org_nr IS NOT NULL"
    ):
        out.setdefault(oid, Counter())[nr] += 1
    return out


def resolve_all(names: dict[int, str], docs: Counter[int]) -> dict[int, Resolution]:
    """Resolve every organisation name (id -> name), then merge near-duplicates across them."""
    return _merge_near_duplicates({oid: resolve_name(n) for oid, n in sorted(names.items())}, docs)


def _entity_rows(
    res: dict[int, Resolution], docs: Counter[int], numbers: dict[int, Counter[str]]
) -> tuple[list[tuple[Any, ...]], dict[str, int]]:
    """organisation_entities rows and key -> id; an entity's id is its oldest name's, so stable."""
    members: dict[str, list[int]] = {}
    for oid, r in sorted(res.items()):
        members.setdefault(r.key, []).append(oid)
    rows = []
    for oids in members.values():
        nrs = sum((numbers.get(o, Counter()) for o in oids), Counter())
        org_nr = min(nrs, key=lambda nr: (-nrs[nr], nr)) if nrs else None
        code = next((res[o].municipality_code for o in oids if res[o].municipality_code), None)
        rows.append((oids[0], _canonical(oids, res, docs), res[oids[0]].kind, code, org_nr))
    return sorted(rows), {key: oids[0] for key, oids in members.items()}


def _canonical(members: list[int], res: dict[int, Resolution], docs: Counter[int]) -> str:
    """The entity's name: the known form, else the form most documents use (then the oldest)."""
    known = [res[o].canonical for o in members if res[o].known]
    forms = Counter({res[o].canonical: 0 for o in members})
    for o in members:
        forms[res[o].canonical] += docs[o]
    return (
        known[0]
        if known
        else min(forms, key=lambda f: (-forms[f], min(o for o in members if res[o].canonical == f)))
    )


def rebuild_entities(db: Any) -> dict[str, int]:
    """(Re)create organisation_entities, organisation_names and organisation_merges from organisations.

    Idempotent: the three tables are dropped and rebuilt in one transaction. Returns counts.
    """
    conn: sqlite3.Connection = getattr(db, "conn", db)  # a sqlite-utils Database or a connection
    names = dict(conn.execute("SELECT id, name FROM organisations").fetchall())
    docs: Counter[int] = Counter(
        dict(
            conn.execute(
                "SELECT organisation_id, count(DISTINCT document_id) FROM project_organisations GROUP BY 1"
            ).fetchall()
        )
    )
    res = resolve_all(names, docs)
    entities, ids = _entity_rows(res, docs, _org_numbers(conn))
    canonical = {row[0]: row[1] for row in entities}
    named = [
        (oid, ids[r.key], r.unit, "; ".join(r.reasons) or "as written")
        for oid, r in sorted(res.items())
    ]
    merges = [
        (ids[r.key], names[oid], canonical[ids[r.key]], "; ".join(r.reasons), round(r.score, 1))
        for oid, r in sorted(res.items())
        if _clean(names[oid])[0] != canonical[ids[r.key]]
    ]
    conn.execute("SAVEPOINT entities")
    try:
        for statement in filter(str.strip, _DDL.split(";")):
            conn.execute(statement)
        conn.executemany("INSERT INTO organisation_entities VALUES (?, ?, ?, ?, ?)", entities)
        conn.executemany("INSERT INTO organisation_names VALUES (?, ?, ?, ?)", named)
        conn.executemany(
            "INSERT INTO organisation_merges (entity_id, name, merged_into, reason, score) "
            "VALUES (?, ?, ?, ?, ?)",
            merges,
        )
    except BaseException:
        conn.execute("ROLLBACK TO SAVEPOINT entities")
        conn.execute("RELEASE SAVEPOINT entities")
        raise
    conn.execute("RELEASE SAVEPOINT entities")
    return {"names": len(names), "entities": len(entities), "merges": len(merges)}
