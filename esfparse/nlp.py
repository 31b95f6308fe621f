"""The spaCy pipeline, built once per process, and cheap text segmentation.

spaCy is imported only when the pipeline is first needed, so `esfparse --help`
stays fast. The pipeline is ``spacy.blank("sv")`` plus rule components whose
patterns are data (``esfparse/data/patterns/*.jsonl``, one SpanRuler pattern a
line: ``{"label": ..., "pattern": ..., "id": ...}``). Tokenising a whole page
costs ~20 ms, so callers run it only on the few sentences that need it;
sentence boundaries and plain-text tables (tab-separated lines, or `label n n n` rows under a
header, as in pasted project plans) come from plain regexes instead.
"""

from __future__ import annotations

import json
import re
import sys
import types
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .bullets import SIGN
from .datafiles import data_text
from .document import Table
from .regexes import trie_regex

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "CUE_RULERS",
    "Cue",
    "Cues",
    "RelationTokens",
    "analyse_relations",
    "find_cues",
    "find_text_tables",
    "get_nlp",
    "import_spacy",
    "load_patterns",
    "relation_cue_regex",
    "split_sentences",
]

# component name → pattern files it loads (spans are stored under the component's name)
CUE_RULERS = {"goal_cues": ("goal_cues.jsonl", "not_goal_cues.jsonl")}


class Cue(NamedTuple):
    """A labelled cue phrase found by a rule component; offsets relative to the analysed text."""

    label: str
    id: str
    start: int
    end: int


def load_patterns(filename: str) -> list[dict]:
    """SpanRuler patterns from one JSONL file in ``esfparse/data/patterns``."""
    return [
        json.loads(line) for line in data_text(f"patterns/{filename}").splitlines() if line.strip()
    ]


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, loading spaCy's command-line package on first call."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


# Stand-ins for spaCy's CLI modules while spaCy itself is imported: module name -> attributes.
CLI_PLACEHOLDERS: dict[str, dict[str, object]] = {
    "spacy.cli": {},
    "spacy.cli.info": {"info": _spacy_info},
}


def import_spacy() -> types.ModuleType:
    """Import spaCy without its command-line interface, which a pipeline never uses.

    spaCy 3.x imports ``spacy.cli`` at start only to offer ``spacy.info``. That pulls in typer, weasel,
    requests and httpx: about 370 of spaCy's ~1,000 modules and a third of its import time, paid by every
    parser process. Upstream made that import lazy (explosion/spaCy#12962) on a branch the 3.x releases do
    not include; this does the same from outside. While spaCy is imported, ``spacy.cli.info`` is a
    placeholder whose ``info`` loads the real one when called; afterwards ``import spacy.cli`` loads the
    real CLI as usual. A spaCy that imports more from its CLI makes the placeholder fail with an
    ImportError, and spaCy is then imported the ordinary way.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    placeholders = {}
    for name, attributes in CLI_PLACEHOLDERS.items():
        module = placeholders[name] = types.ModuleType(name)
        module.__path__ = []  # a package with no submodules of its own
        module.__dict__.update(attributes)
    sys.modules.update(placeholders)
    try:
        import spacy

        return spacy
    except ImportError:
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]  # half-imported: start over the ordinary way
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    import spacy

    return spacy


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """``spacy.blank("sv")`` with one SpanRuler per entry of `CUE_RULERS`, built once."""
    spacy = import_spacy()  # deferred: only documents with candidate sentences pay for it

    nlp = spacy.blank("sv")
    for name, files in CUE_RULERS.items():
        config = {"spans_key": name, "phrase_matcher_attr": "LOWER", "validate": True}
        ruler = nlp.add_pipe("span_ruler", name=name, config=config)
        patterns = [p for f in files for p in load_patterns(f)]
        ruler.add_patterns(patterns)
    return nlp


def find_cues(text: str, ruler: str = "goal_cues") -> list[Cue]:
    """Cue phrases of one rule component in a short text (a sentence), sorted by position.

    >>> [(c.label, c.id) for c in find_cues("Målet är att 300 deltagare ska få arbete.")][:2]
    [('GOAL', 'goal_noun'), ('GOAL', 'modal')]
    """
    nlp = get_nlp()
    phrases, gated, keys = _ruler_matchers(ruler)
    doc = nlp.make_doc(text)
    words = {t.lower_ for t in doc}
    matches = list(phrases(doc))
    for gate, matcher in gated:  # a token pattern runs only where the words it needs occur
        if gate is None or not gate.isdisjoint(words):
            matches += matcher(doc)
    cues = []
    for label, cue_id, label_hash, id_hash, s, e in {
        (*keys[k], s, e) for k, s, e in matches if s != e
    }:
        last = doc[e - 1]
        start, end = doc[s].idx, last.idx + len(last.text)
        cues.append(((start, -end, s, e, label_hash, id_hash), Cue(label, cue_id, start, end)))
    return [cue for _key, cue in sorted(cues)]  # in the order of the component's sorted spans


@cache
def _ruler_matchers(ruler: str) -> tuple[Any, list[tuple[frozenset[str] | None, Any]], dict]:
    """A SpanRuler's patterns as its PhraseMatcher, one Matcher per token pattern with the words one
    of which it needs (`_needed_words`), and match key -> (label, id, label hash, id hash).

    The component's own spans cost twice the matching, and its one Matcher tests every token pattern
    at every token; most sentences hold none of the words a token pattern needs."""
    from spacy.matcher import Matcher

    nlp = get_nlp()
    component: Any = nlp.get_pipe(ruler)  # a SpanRuler
    strings, keys, gated = nlp.vocab.strings, {}, []
    for p in component.patterns:
        label, cue_id = p["label"], p.get("id", "")
        key = repr((label, cue_id))  # the component's own match key
        keys[strings.add(key)] = (label, cue_id, strings.add(label), strings.add(cue_id))
        if isinstance(p["pattern"], list):
            matcher = Matcher(nlp.vocab, validate=True)
            matcher.add(key, [p["pattern"]])
            gated.append((_needed_words(p["pattern"]), matcher))
    return component.phrase_matcher, gated, keys


def _needed_words(pattern: list[dict]) -> frozenset[str] | None:
    """Lower-case words one of which a token pattern's match must hold (None when none is known):
    those of its required token spec (`LOWER`, `LOWER IN`, `ORTH`) with the longest shortest word."""
    best: frozenset[str] | None = None
    for spec in pattern:
        if spec.get("OP", "1") not in ("1", "+") and not re.fullmatch(
            r"\{[1-9]\d*(,\d*)?\}", spec["OP"]
        ):
            continue  # optional or negated: nothing is needed from it
        value = spec.get("LOWER", spec.get("ORTH"))
        if isinstance(value, dict):
            value = value.get("IN") if set(value) == {"IN"} else None
        words = (
            frozenset([value.lower()])
            if isinstance(value, str)
            else frozenset(w.lower() for w in value)
            if isinstance(value, list)
            else None
        )
        if words and (best is None or min(map(len, words)) > min(map(len, best))):
            best = words
    return best


class Cues:
    """The cue phrases of one sentence, found only when a rule first asks for them.

    >>> cues = Cues("Målet är att 300 deltagare ska få arbete.")
    >>> cues.has("GOAL").id, cues.has("GOAL", 10).id, cues.has("PAST")
    ('goal_noun', 'modal', None)
    """

    def __init__(self, sentence: str, ruler: str = "goal_cues") -> None:
        self.sentence, self.ruler = sentence, ruler
        self._found: list[Cue] | None = None

    @property
    def found(self) -> list[Cue]:
        if self._found is None:
            self._found = find_cues(self.sentence, self.ruler)
        return self._found

    def has(self, label: str, lo: int = 0, hi: int = 1 << 30) -> Cue | None:
        """The first cue with this label starting in [lo, hi) of the sentence."""
        return next((c for c in self.found if c.label == label and lo <= c.start < hi), None)


# --- the relation layer's rule tools (used by extract/relations.py) ---------------------------------


class RelationTokens(NamedTuple):
    """One sentence as plain data: tokens, cue matches and known bodies (token offsets, end exclusive)."""

    words: list[
        tuple[str, int, int]
    ]  # (text, start char, end char), chars relative to the sentence
    cues: list[tuple[str, str, str, int, int]]  # (role, cue id, side, start token, end token)
    bodies: list[tuple[str, str, int, int]]  # (kind, known name or "", start token, end token)


@lru_cache(maxsize=1)
def _relation_rules() -> tuple:
    """Matcher of cue phrases and body patterns, PhraseMatcher of known body names: built once."""
    from spacy.matcher import Matcher, PhraseMatcher

    from .datafiles import load_csv

    nlp = get_nlp()
    # cue phrases through a PhraseMatcher (one hash lookup per token, where a Matcher tests every
    # pattern at every token); token patterns (lists) through a Matcher
    cue_phrases, cue_tokens = (
        PhraseMatcher(nlp.vocab, attr="LOWER"),
        Matcher(nlp.vocab, validate=True),
    )
    sides = {}
    for p in load_patterns("relation_cues.jsonl"):
        key = f"{p['label']}|{p['id']}"
        sides[key] = p.get("side", "after")
        if isinstance(p["pattern"], str):
            cue_phrases.add(key, [nlp.make_doc(p["pattern"])])
        else:
            cue_tokens.add(key, [p["pattern"]])

    def cues(doc: Any) -> list[tuple[int, int, int]]:
        """Cue matches, the longest of each cue where it overlaps itself (a Matcher's LONGEST)."""
        by_key: dict[int, list[tuple[int, int, int]]] = {}
        for m in [*cue_phrases(doc), *(cue_tokens(doc) if len(cue_tokens) else ())]:
            by_key.setdefault(m[0], []).append(m)
        return [m for ms in by_key.values() for m in (_longest(ms, 1) if len(ms) > 1 else ms)]

    bodies = Matcher(nlp.vocab, validate=True)
    for p in load_patterns("body_patterns.jsonl"):
        bodies.add(f"{p['label']}|", [p["pattern"]], greedy="LONGEST")
    known = PhraseMatcher(nlp.vocab, attr="LOWER")
    names: dict[str, list[str]] = {}
    for file, kind_col in (("organisations.csv", "kind"), ("organisation_vocabulary.csv", "kind")):
        for row in load_csv(file):
            forms = [row["name"], *filter(None, row["variants"].split("|"))]
            forms += [row["acronym"]] if len(row["acronym"]) >= 3 else []
            for form in forms:
                names.setdefault(f"{row[kind_col]}|{row['name']}", []).append(form)
    for row in load_csv("relation_terms.csv"):
        if row["role"] == "funder":
            names.setdefault(f"funder|{row['word']}", []).append(row["word"])
    for key, forms in names.items():
        known.add(key, [nlp.make_doc(f) for f in dict.fromkeys(forms)])
    return nlp, cues, sides, bodies, known


@lru_cache(maxsize=1)
def relation_cue_regex() -> re.Pattern[str]:
    """Every cue phrase as one case-insensitive regex: only sentences it finds are tokenised.

    A token pattern (a list) is represented by its literal words, so the filter never drops a cue.
    """
    phrases = set()
    for p in load_patterns("relation_cues.jsonl"):
        pattern = p["pattern"]
        words = (
            pattern.split()
            if isinstance(pattern, str)
            else [t["LOWER"] for t in pattern if isinstance(t.get("LOWER"), str)]
        )
        phrases.add(" ".join(w.lower() for w in words))
    return re.compile(rf"(?<!\w){trie_regex(sorted(phrases))}(?!\w)", re.IGNORECASE)


def analyse_relations(sentence: str) -> RelationTokens:
    """Tokens, relation cues and known bodies of one candidate sentence (spaCy runs here only).

    >>> r = analyse_relations("Projektet drivs i samverkan med Arbetsförmedlingen och Region Gävleborg.")
    >>> [c[:3] for c in r.cues], [(k, r.words[s][0]) for k, _, s, _ in r.bodies]
    ([('partner', 'i_samverkan_med', 'after')], [('agency', 'Arbetsförmedlingen'), ('region', 'Region')])
    """
    nlp, cues, sides, bodies, known = _relation_rules()
    doc = nlp.make_doc(sentence)
    words = [(t.text, t.idx, t.idx + len(t.text)) for t in doc]
    found = []
    for key, s, e in cues(doc):
        role, cue_id = nlp.vocab.strings[key].split("|", 1)
        found.append((role, cue_id, sides[nlp.vocab.strings[key]], s, e))
    spans = [(*nlp.vocab.strings[k].split("|", 1), s, e) for k, s, e in known(doc)]
    spans += [(*nlp.vocab.strings[k].split("|", 1), s, e) for k, s, e in bodies(doc)]
    return RelationTokens(words, _longest(found, 3), _longest(spans, 2))


def _longest(matches: list, at: int) -> list:
    """Non-overlapping matches (start token at index `at`), longest first, sorted by position."""
    chosen: list = []
    for m in sorted(matches, key=lambda m: (m[at] - m[at + 1], m[at])):
        if all(m[at + 1] <= c[at] or m[at] >= c[at + 1] for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m[at])


_CONTINUED_LINE_END = ",;(abcdefghijklmnopqrstuvwxyzåäöé"  # a line ending mid-phrase ...
_NEXT_CONTINUES_RE = re.compile(
    r"[^\S\n]*[a-zåäö0-9]"
)  # ... continues when the next starts in lower case or a digit (indented: hanging under an item)
_SENTENCE_END_RE = re.compile(
    r"""
    [.!?]                  # a full stop, question or exclamation mark
    \s+                    # whitespace
    (?=[A-ZÅÄÖ0-9"”'(•❖]|[-–]\s)  # before a capital, digit, quote, parenthesis or bullet
    """,
    re.VERBOSE,
)
_LEAD_RE = re.compile(rf"(?:\s|{SIGN})*")  # spaces and bullet signs before a sentence
_INLINE_BULLET_RE = re.compile(r"\s+(?=[•❖]\s)")
_LAST_WORD_RE = re.compile(r"(?<![\w.:])([^\W\d][\w.:]*)\.$|\d([^\W\d][\w.:]*)\.$")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from .datafiles import load_csv

    return frozenset(r["word"] for r in load_csv("goal_terms.csv") if r["role"] == "abbreviation")


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        spans.append((pos, stop))
        pos = stop + 1
    return spans


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Join wrapped lines: a line ending mid-phrase continues on a next line in lower case."""
    out: list[tuple[int, int]] = []
    last = start  # start of the previous non-blank line: only its end decides (a paragraph can be long)
    for s, e in _lines(text, start, end):
        line = text[s:e]
        if not line.strip():
            continue
        prev = out[-1] if out else None
        if (
            prev
            and prev[1] == s - 1
            and text[last : prev[1]].rstrip()[-1:] in _CONTINUED_LINE_END
            and _NEXT_CONTINUES_RE.match(line)
        ):
            out[-1] = (prev[0], e)
        else:
            out.append((s, e))
        last = s
    return out


def _ends_in_abbreviation(text: str, end: int) -> bool:
    m = _LAST_WORD_RE.search(text, max(0, end - 16), end)
    return m is not None and (m.group(1) or m.group(2)).lower() in _abbreviations()


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    if s >= e:  # overlapping breaks (a sentence end right before an inline bullet): nothing between
        return s, s
    m = _LEAD_RE.match(text, s, e)
    s = m.end() if m else s
    return s, s + len(text[s:e].rstrip())


def split_sentences(
    text: str, start: int = 0, end: int | None = None
) -> tuple[tuple[int, int], ...]:
    """Absolute (start, end) spans of the sentences, bullet items and lines in ``text[start:end]``.

    The goal and relation readers split the same sections: the last few splits are kept.

    >>> t = "Målsättning\\n• 135 deltagare varav c:a,\\n50 utrikes födda. Minst 27st. per månad."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Målsättning', '135 deltagare varav c:a,\\n50 utrikes födda.', 'Minst 27st. per månad.']
    """
    return _split(text, start, len(text) if end is None else end)


@lru_cache(maxsize=16)
def _split(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    out = []
    for ps, pe in _paragraphs(text, start, end):
        s = ps
        for stop, resume in _breaks(text, ps, pe):
            out.append(_strip(text, s, stop))
            s = max(s, resume)
        out.append(_strip(text, s, pe))
    return tuple(piece for s, e in out if e > s for piece in _bounded(text, s, e))


# The longest sentence of the corpus has ~1,500 characters. A span far longer without a sentence end
# is a dump or a flattened table: read in pieces, so that the work per number stays bounded.
MAX_SENTENCE = 4000


def _bounded(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """`(s, e)` cut into pieces of at most MAX_SENTENCE characters, at a space where there is one."""
    pieces = []
    while e - s > MAX_SENTENCE:
        cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = s + MAX_SENTENCE if cut < 0 else cut
        pieces.append((s, len(text[s:cut].rstrip()) + s))
        s = cut + (text[cut] == " ")
    return [(a, b) for a, b in (*pieces, (s, e)) if b > a]


def _breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(sentence end, next start) pairs inside one paragraph."""
    found = [
        (m.start() + 1, m.end())
        for m in _SENTENCE_END_RE.finditer(text, start, end)
        if not _ends_in_abbreviation(text, m.start() + 1)
    ]
    if text.find("•", start, end) != -1 or text.find("❖", start, end) != -1:
        found += [(m.start(), m.end()) for m in _INLINE_BULLET_RE.finditer(text, start, end)]
    return sorted(found)


# --- plain-text tables ----------------------------------------------------------------------

_NUM_CELL_RE = re.compile(r"^[-+]?\d+(?:,\d+)?%?$")
_LINE_RE = re.compile(r"[^\n]+")


def _space_row(line: str) -> list[str] | None:
    """`Västernorrland 60 180 180 420` → a label and ≥ 2 numeric cells."""
    if not line or not (line[-1].isdigit() or line[-1] == "%"):
        return None
    toks = line.split()
    k = len(toks)
    while k > 0 and _NUM_CELL_RE.match(toks[k - 1]):
        k -= 1
    return [" ".join(toks[:k]), *toks[k:]] if len(toks) - k >= 2 and k > 0 else None


def _header_cells(line: str, ncols: int) -> list[str]:
    """`Arbetsförmedling Antal 2010 Antal 2011 summa` → row header and `ncols` column labels."""
    toks, labels, cur = line.split(), [], []
    for tok in toks[1:]:
        cur.append(tok)
        if any(ch.isdigit() for ch in tok):  # a label ends at its year or number
            labels.append(" ".join(cur))
            cur = []
    labels += cur
    return (
        [toks[0], *labels]
        if len(labels) == ncols
        else [toks[0], *[str(i + 1) for i in range(ncols)]]
    )


def find_text_tables(text: str, start: int = 0, end: int | None = None) -> list[Table]:
    """Tables in plain text: runs of tab-separated lines, or `label n n n` lines under a header.

    >>> t = "Kontor Antal 2010 Antal 2011 summa\\nÖstersund 5 7 12\\nSumma 5 7 12\\n"
    >>> find_text_tables(t)[0].rows  # doctest: +NORMALIZE_WHITESPACE
    [['Kontor', 'Antal 2010', 'Antal 2011', 'summa'], ['Östersund', '5', '7', '12'],
     ['Summa', '5', '7', '12']]
    """
    end = len(text) if end is None else end
    tables: list[Table] = []
    run: list[tuple[int, int, list[str]]] = []
    for match in _LINE_RE.finditer(text, start, end):
        s, e, line = match.start(), match.end(), match.group()
        cells = [c.strip() for c in line.split("\t")] if "\t" in line else _space_row(line)
        if cells is not None and (not run or run[-1][1] + 1 == s):
            run.append((s, e, cells))
            continue
        _close_table(text, run, tables)
        run = [(s, e, cells)] if cells is not None else []
    _close_table(text, run, tables)
    return tables


def _close_table(text: str, run: list[tuple[int, int, list[str]]], tables: list[Table]) -> None:
    if len(run) < 2:
        return
    start, rows = run[0][0], [cells for _, _, cells in run]
    if "\t" not in text[run[0][0] : run[0][1]]:
        head_start = text.rfind("\n", 0, start - 1) + 1
        header = text[head_start : start - 1]
        if (
            header.strip()
            and not header.rstrip().endswith((".", ":"))
            and len(header.split()) <= 12
        ):
            rows.insert(0, _header_cells(header, max(len(r) - 1 for r in rows)))
            start = head_start
    tables.append(Table(rows=rows, start=start, end=run[-1][1]))
