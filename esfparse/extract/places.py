"""Swedish municipalities and ESF regions: gazetteer look-ups and matching in prose.

Reference data and context words live in ``esfparse/data/`` (see its README);
this module holds only the logic. Everything is loaded once per process.

>>> resolve_municipality("Bergs").code
'2326'
>>> resolve_region("Småland & Öarna").nuts2_code
'SE21'
>>> [m.municipality.name for m in find_municipalities("kommunerna Askersund, Hallsberg och Kumla")]
['Askersund', 'Hallsberg', 'Kumla']
>>> [m.as_written for m in find_municipalities("Arbetsförmedlingen Krokom och 710 unga Malmöbor")]
['Malmöbor']
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..bullets import SIGN
from ..datafiles import load_csv, load_json
from ..regexes import trie


@dataclass(frozen=True)
class Municipality:
    """One of Sweden's 290 municipalities (kommuner) with its county and NUTS-2 area."""

    code: str
    name: str
    county_code: str
    county_name: str
    nuts2_code: str
    latitude: float
    longitude: float
    full_name: str


@dataclass(frozen=True)
class Region:
    """An ESF region label resolved to its NUTS-2 area, or the national programme."""

    label: str
    nuts2_code: str | None
    nuts2_name: str | None
    national: bool = False


@dataclass(frozen=True)
class PlaceMatch:
    """A municipality found in prose, with absolute character offsets."""

    as_written: str
    municipality: Municipality
    start: int
    end: int


# ---------------------------------------------------------------- data loading


@lru_cache(maxsize=1)
def _vocab() -> dict[str, Any]:
    """The hand-edited context vocabulary (place_context.json)."""
    return load_json("place_context.json")


def _key(text: str) -> str:
    """Look-up key: NFC, casefolded, hyphen as space, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().replace("-", " ")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Municipality]:
    """All municipalities keyed by SCB code, in code order."""
    nuts2 = {row["code"]: row["nuts2_code"] for row in load_csv("counties.csv")}
    return {row["code"]: _municipality(row, nuts2) for row in load_csv("municipalities.csv")}


def _municipality(row: dict[str, str], nuts2: dict[str, str]) -> Municipality:
    """One municipalities.csv row as a record (coordinates as floats)."""
    lat, lon = float(row["latitude"]), float(row["longitude"])
    names = {k: row[k] for k in ("code", "name", "county_code", "county_name", "full_name")}
    return Municipality(**names, nuts2_code=nuts2[row["county_code"]], latitude=lat, longitude=lon)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Look-up key → code: official short names first, then name variants."""
    index = {_key(m.name): m.code for m in _by_code().values()}
    for row in load_csv("name_variants.csv"):
        index.setdefault(_key(row["variant"]), row["code"])
    return index


@lru_cache(maxsize=1)
def _strict_codes() -> frozenset[str]:
    """Codes whose names are also common words or provinces (ambiguous_municipalities.csv)."""
    rows = load_csv("ambiguous_municipalities.csv")
    return frozenset(r["code"] for r in rows if r["kind"] in ("common_word", "province"))


# ---------------------------------------------------------------- look-ups

_SUFFIX_RE = re.compile(r"\s+(?:kommuner|kommun|stad)$")  # on casefolded keys: `Bergs kommun`


def resolve_municipality(name: str) -> Municipality | None:
    """Resolve a municipality name as written (`Bergs`, `Göteborgs stad`) to its record."""
    key = _key(name.strip(" \t•*·,.;:"))
    index = _name_index()
    code = index.get(key) or index.get(_SUFFIX_RE.sub("", key))
    return _by_code()[code] if code else None


def all_municipalities() -> tuple[Municipality, ...]:
    """All 290 municipalities in SCB code order."""
    return tuple(_by_code().values())


def all_counties() -> list[dict[str, str]]:
    """All 21 counties (län) as rows of counties.csv: code, name, nuts2_code, nuts2_name, ..."""
    return [dict(row) for row in load_csv("counties.csv")]


@lru_cache(maxsize=1)
def _region_index() -> dict[str, tuple[str, str]]:
    """Region key → (NUTS-2 code, NUTS-2 name) from esf_regions.csv and counties.csv."""
    index: dict[str, tuple[str, str]] = {}
    for row in load_csv("esf_regions.csv"):
        if row["nuts2_code"]:  # the `national` row has none
            index[_key(row["label"])] = (row["nuts2_code"], row["nuts2_name"])
    for row in load_csv("counties.csv"):
        area = (row["nuts2_code"], row["nuts2_name"])
        for label in (row["name"], row["short_name"], row["nuts2_name"], row["nuts2_code"]):
            index.setdefault(_key(label), area)
    return index


def national_label() -> str:
    """The reference label of the national programme (`ESF Nationellt`), however a page writes it."""
    return next(row["label"] for row in load_csv("esf_regions.csv") if row["kind"] == "national")


def resolve_region(label: str) -> Region | None:
    """Resolve an ESF region label (`Småland & Öarna`, `ESF Nationellt`) to its NUTS-2 area."""
    label = label.strip()
    key = _key(label.replace("&", " och "))
    if key in _vocab()["national_labels"]:
        return Region(label=label, nuts2_code=None, nuts2_name=None, national=True)
    index = _region_index()
    area = index.get(key) or index.get(re.sub(r"^(?:esf|region) ", "", key))
    return Region(label=label, nuts2_code=area[0], nuts2_name=area[1]) if area else None


# ---------------------------------------------------------------- patterns


def _words_re(words: list[str]) -> str:
    """An alternation of words/phrases, longest first, any whitespace inside phrases."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered)


def _trie_node_re(node: dict[str, Any]) -> str:
    """Regex for one trie node, greedy so the longest name wins; a space matches a hyphen too."""
    branches = [
        (r"[\s-]+" if ch == " " else re.escape(ch)) + _trie_node_re(child)
        for ch, child in sorted(node.items())
        if ch
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _name_re(keys: list[str], suffixes: list[str]) -> str:
    """The gazetteer as one regex; a literal capital first letter lets `re` skip ahead fast."""
    branches = "|".join(
        rf"{re.escape(ch.upper())}(?<![\w-].)(?i:{_trie_node_re(child)})"
        for ch, child in sorted(trie(keys).items())
    )
    return rf"""
        (?P<name>{branches})                        # capitalised name form, not inside a word
        (?i:(?P<demonym>{_words_re(suffixes)}))?    # demonym ending: Malmöbor, Göteborgare
        (?![\w-])                                   # nothing glued on after it
    """


@lru_cache(maxsize=1)
def _surfaces() -> dict[str, str]:
    """Forms matched in prose (names, genitives, hyphen forms, exonyms) → code."""
    surfaces = {_key(m.name): m.code for m in _by_code().values()}
    for row in load_csv("name_variants.csv"):
        surfaces.setdefault(_SUFFIX_RE.sub("", _key(row["variant"])), row["code"])
    return surfaces


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Every context regex, built once per process from place_context.json."""
    w = {k: _words_re(v) for k, v in _vocab().items() if isinstance(v, list)}
    filler = rf"[:,]?(?:\s+(?:{w['list_fillers']}))?\s*:?"  # "kommuner är", "kommuner:"
    modifier = rf"(?:\s+(?:{w['place_modifiers']}))?"  # "i centrala Örebro"
    sources = {
        "strong_after": rf"\s+(?:{w['strong_suffixes']})(?![\w-])",  # Sala kommun
        "org_after": rf"\s+(?:{w['org_suffixes']})(?![\w-])",  # Lunds universitet
        "org_before": rf"(?<![\w-])(?:{w['org_prefixes']})(?:\s+(?:{w['org_connectors']}))?\s+$",
        "place_before": rf"(?<![\w-])(?:{w['place_triggers']}){modifier}\s+$",  # i, på
        "list_before": rf"(?<![\w-])(?:{w['list_triggers']})\s*{filler}\s*$",  # i kommunerna
        "statistic": rf"(?<![\w-])(?:{w['statistic_cues']})",  # Arbetslösheten i ...
        "separator": _separator_re(w["list_separators"], w["strong_suffixes"]),
    }
    return {k: re.compile(v, re.IGNORECASE | re.VERBOSE) for k, v in sources.items()}


@lru_cache(maxsize=1)
def _name_patterns() -> tuple[re.Pattern[str], list[re.Pattern[str]], frozenset[str]]:
    """The gazetteer regex, the demonym-ending regexes, and name endings to pre-filter those."""
    suffixes, keys = _vocab()["demonym_suffixes"], list(_surfaces())
    tails = [re.compile(t) for t in _tail_res(suffixes)]
    stems = frozenset(key[-3:] for key in keys if " " not in key)
    return re.compile(_name_re(keys, suffixes), re.VERBOSE), tails, stems


def _tail_res(suffixes: list[str]) -> list[str]:
    """Demonym endings grouped by their first two letters (`bo(?:rna|r|)`): fast literal scans."""
    groups: dict[str, list[str]] = {}
    for suffix in sorted(suffixes, key=len, reverse=True):
        groups.setdefault(suffix[:2], []).append(re.escape(suffix[2:]))
    return [rf"{re.escape(head)}(?:{'|'.join(rests)})(?![\w-])" for head, rests in groups.items()]


def _separator_re(words: str, suffixes: str) -> str:
    """Regex for the whole gap between two names of one inline list."""
    return rf"""
        (?:\s+(?:{suffixes}))?              # "Askersunds kommun, Hallsbergs kommun ..."
        (?:
            \s*,\s*(?:(?:{words})\s+)?       # ", " or ", och "
          | \s+(?:{words})\s+                # " och ", " and ", " – "
          | \s*[/–—]\s*                      # tight "Göteborg/Mölndal"
        )$
    """


# Matched between a line's start or end and a name (pos/endpos), so that a long line is never copied.
_BULLET_RE = re.compile(rf"\s*(?:{SIGN}\s*)?$")  # line start, an optional bullet, nothing else
_LINE_END_RE = re.compile(r"[ \t]*[.,;]?[ \t]*$")  # only light punctuation after the name
_HEADING_END_RE = re.compile(r"\s*[!?]?\s*$")  # nothing after a heading's last name but `!` or `?`
_SENTENCE_END_RE = re.compile(r"[.!?]|\n[ \t]*\n")  # a sentence end or a blank line
_CLAUSE_END_RE = re.compile(r"[.!?\n]")  # where the sentence after a name ends
_NOT_HEADING_RE = re.compile(r"[\t:,;\d]")  # tables, labels, bylines and statistics


# ---------------------------------------------------------------- prose matching


@dataclass
class _Candidate:
    """A name form found in the text, with the context facts the rules need."""

    start: int
    end: int
    code: str
    demonym: bool
    strict: bool = False
    strong: bool = False
    excluded: bool = False
    accepted: bool = False


def _raw_names(text: str) -> list[_Candidate]:
    """Capitalised name forms and lower-case demonyms (`malmöbor`), in text order."""
    surfaces = _surfaces()
    found = [
        _Candidate(m.start(), m.end(), surfaces[_key(m["name"])], m["demonym"] is not None)
        for m in _name_patterns()[0].finditer(text)
    ]
    return sorted(found + _lower_demonyms(text), key=lambda c: c.start)


def _lower_demonyms(text: str) -> list[_Candidate]:
    """Lower-case demonyms: a demonym ending, then the word before it looked up."""
    (_, tails, stems), surfaces, found = _name_patterns(), _surfaces(), []
    for tail in tails:
        for m in tail.finditer(text):
            start = m.start()
            if text[start - 3 : start] not in stems:
                continue
            limit = max(0, start - _longest_surface() - 1)  # a longer word is no name form
            while start > limit and text[start - 1].isalpha():
                start -= 1
            word = text[start : m.start()]
            if word[:1].islower() and text[start - 1 : start] != "-" and word in surfaces:
                found.append(_Candidate(start, m.end(), surfaces[word], True))
    return found


def _candidates(text: str) -> list[_Candidate]:
    """Every name form in the text, with its own context (suffix, organisation name)."""
    pats, strict = _patterns(), _strict_codes()
    found = []
    for cand in _raw_names(text):
        cand.strict = cand.code in strict
        if cand.demonym and cand.strict:
            continue
        window = text[max(0, cand.start - 40) : cand.start]
        strong_after = pats["strong_after"].match(text, cand.end)
        full_form = _key(text[cand.start : cand.end]) in _full_forms()
        cand.strong = not cand.demonym and bool(strong_after or full_form)
        cand.excluded = bool(
            pats["org_before"].search(window) or pats["org_after"].match(text, cand.end)
        )
        found.append(cand)
    return found


@lru_cache(maxsize=1)
def _full_forms() -> frozenset[str]:
    """Keys of full names without a `kommun`/`stad` ending (name_variants kind `full_name`)."""
    keys = (_key(r["variant"]) for r in load_csv("name_variants.csv") if r["kind"] == "full_name")
    return frozenset(k for k in keys if not _SUFFIX_RE.search(k))


@lru_cache(maxsize=1)
def _longest_surface() -> int:
    return max(map(len, _surfaces()))


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Start and end offsets of the line around a span (from the text's line index: a page of one
    long line costs a lookup per name, not a scan)."""
    breaks = _newlines(text)
    k = bisect_left(breaks, end)
    line_end = breaks[k] if k < len(breaks) else len(text)
    j = bisect_left(breaks, start)
    return (breaks[j - 1] + 1 if j else 0), line_end


@lru_cache(maxsize=2)
def _newlines(text: str) -> list[int]:
    """Offsets of the line breaks of a text, found once per text."""
    return [m.start() for m in re.finditer("\n", text)]


def _whole_line(text: str, first: _Candidate, last: _Candidate | None = None) -> bool:
    """True when the names from `first` to `last` fill their line(s), apart from a bullet."""
    last = last or first
    line_start, line_end = _line_bounds(text, first.start, last.end)
    return bool(
        _BULLET_RE.match(text, line_start, first.start)
        and _LINE_END_RE.match(text, last.end, line_end)
    )


def _linked(text: str, prev: _Candidate, cand: _Candidate) -> bool:
    """True when two names belong to one list: `A, B och C`, or one name per bullet line."""
    gap = text[prev.end : cand.start]
    if len(gap) > 40:
        return False
    by_line = "\n" in gap and gap.strip(" \t.,;-•*–❖·▪\n") == ""
    return bool(_patterns()["separator"].match(gap)) or (
        by_line and _whole_line(text, prev) and _whole_line(text, cand)
    )


def _chains(text: str, cands: list[_Candidate]) -> list[list[_Candidate]]:
    """Group names into lists (a lone name is a list of one)."""
    chains: list[list[_Candidate]] = []
    for cand in cands:
        if chains and _linked(text, chains[-1][-1], cand):
            chains[-1].append(cand)
        else:
            chains.append([cand])
    return chains


def _sentence_before(text: str, start: int) -> str:
    """The current sentence before an offset (at most 60 characters of it)."""
    window = text[max(0, start - 60) : start]
    cut = max((m.end() for m in _SENTENCE_END_RE.finditer(window)), default=0)
    return window[cut:]


def _is_heading(text: str, cand: _Candidate) -> bool:
    """True when the name ends a short title-like line (`Bortom Malmö`)."""
    line_start, line_end = _line_bounds(text, cand.start, cand.end)
    if not _HEADING_END_RE.match(text, cand.end, line_end):  # first: one name per line gets further
        return False
    line = text[line_start:line_end].strip()
    return 2 <= len(line.split()) <= 6 and line[0].isupper() and not _NOT_HEADING_RE.search(line)


def _judge_chain(text: str, chain: list[_Candidate]) -> None:
    """Set `accepted` on each name of one list from the list's context."""
    pats, first, last = _patterns(), chain[0], chain[-1]
    before = _sentence_before(text, first.start)
    after = _CLAUSE_END_RE.split(text[last.end : last.end + 50], maxsplit=1)[0]
    explicit = bool(pats["list_before"].search(before)) or (len(chain) > 1 and last.strong)
    placed = (
        explicit
        or bool(pats["place_before"].search(before))
        or (before.rstrip().endswith("(") and after.lstrip().startswith(")"))  # Projekt (Umeå)
    )
    listed = len(chain) >= 3 or (len(chain) == 2 and _whole_line(text, first, last))
    if pats["statistic"].search(before) or (not placed and pats["statistic"].search(after)):
        return
    loose = any(not c.excluded and not c.strict for c in chain)
    for cand in chain:
        if cand.excluded:
            continue
        cand.accepted = (
            cand.strong
            or cand.demonym
            or ((placed or listed) and (not cand.strict or explicit or loose))
            or (len(chain) == 1 and not cand.strict and _is_heading(text, cand))
        )


def find_municipalities(text: str, base: int = 0, every: bool = False) -> list[PlaceMatch]:
    """Municipalities named in prose as where the project works or who takes part (the first
    mention of each, or with `every` each accepted mention)."""
    cands = _candidates(text)
    for chain in _chains(text, cands):
        _judge_chain(text, chain)
    by_code, seen, out = _by_code(), set(), []
    for cand in cands:
        if cand.accepted and (every or cand.code not in seen):
            seen.add(cand.code)
            written = text[cand.start : cand.end]
            out.append(PlaceMatch(written, by_code[cand.code], base + cand.start, base + cand.end))
    return out
