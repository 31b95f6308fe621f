"""What a number counts: the noun after it, a rate period, a count marker, or its verb.

Read from the words after the number: a noun (`deltagare`; compounds by their last part:
`företagskontakter`, `utbildningsmoduler`), a rate (`5 tillfällen per månad`, `varannan vecka`)
or a count marker (`27st.`). Nouns not in the vocabulary are still read as people when they end in
a productive occupational ending (`svetsare`, `montörer`, `psykologer`, `receptionister`), and as
outputs when a producing verb takes them as its object (`ta fram sju metodhandböcker`). English
pages (Kohesio machine translations) have their own nouns, matched as whole words. A bare number
can still count people reaching an outcome (`Av dem har 40 gått vidare till arbete`). All word lists
are vocabulary in ``esfparse/data`` (`goal_nouns.csv`, `goal_nouns_en.csv`, `goal_terms.csv`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from ..datafiles import load_csv
from ..nlp import Cues, load_patterns
from .numbers import NumberMention

__all__ = [
    "COUNTED",
    "Counted",
    "alternatives",
    "modal_re",
    "noun_class",
    "outcome_count",
    "outcome_openers",
    "produced",
    "project_subject_re",
    "rate_before",
    "read_counted",
    "read_terms",
    "read_verb",
    "verb_before",
    "whom_re",
    "words",
]

_WORD_RE = re.compile(
    r"""\( | \)                          # parentheses, to skip asides
      | [^\W\d_][\w:.-]*[^\W_.]          # a word, possibly hyphenated or abbreviated (c:a, t.ex)
      | [^\W\d_] | \d[\d,]* | [^\w\s]    # a one-letter word, a number, a sign
    """,
    re.VERBOSE,
)
COUNTED = ("person", "output", "org", "place")  # noun classes a goal can count


@lru_cache(maxsize=1)
def read_terms() -> dict[str, frozenset[str]]:
    """Word lists of ``goal_terms.csv`` by role (rate markers, count markers, labels, ...)."""
    roles: dict[str, set[str]] = {}
    for row in load_csv("goal_terms.csv"):
        roles.setdefault(row["role"], set()).add(row["word"])
    return {role: frozenset(words) for role, words in roles.items()}


@lru_cache(maxsize=1)
def _nouns() -> dict[str, str]:
    return {row["word"]: row["class"] for row in load_csv("goal_nouns.csv")}


@lru_cache(maxsize=1)
def _english_nouns() -> dict[str, str]:
    return {row["word"]: row["class"] for row in load_csv("goal_nouns_en.csv")}


@lru_cache(maxsize=1)
def _count_before_re() -> re.Pattern[str]:
    """`Antalet deltagare ... 250`, `the number of participants ... 250`: the noun comes first."""
    heads = "|".join(
        re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(read_terms()["count_before"], key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{heads})\s+([^\W\d_]+)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def noun_class(word: str) -> str | None:
    """Class of a (compound) noun by its longest known last part: person, output, org, staff, ...

    >>> noun_class("företagskontakter"), noun_class("Rekryteringscoacher"), noun_class("veckor")
    ('output', 'staff', 'time')
    >>> noun_class("projektmedarbetare"), noun_class("personerna"), noun_class("svår") is None
    ('staff', 'person', True)
    >>> noun_class("lagerarbetare"), noun_class("tidigare"), noun_class("employees")
    ('person', None, 'person')
    >>> noun_class("e-kurser"), noun_class("16-åringar")
    ('output', 'age')
    """
    return _known_class(word) or _occupation(word.lower().rsplit("-", 1)[-1])


@lru_cache(maxsize=4096)
def _known_class(word: str) -> str | None:
    """Class from the vocabulary alone (whole English words, Swedish by last compound part)."""
    w = word.lower()
    english = _english_nouns().get(w)
    if english is not None:
        return english
    w = w.rsplit("-", 1)[-1] if "-" in w[1:-1] else w  # `e-kurser`, `YH-utbildningar`
    found = _compound_class(w)
    if found is None and w.endswith(("na", "en")):  # definite plural: personerna, företagen
        found = _compound_class(w[:-2])
    return found


def _compound_class(w: str) -> str | None:
    nouns = _nouns()
    if w in nouns:
        return nouns[w]
    return next((nouns[w[i:]] for i in range(3, len(w) - 2) if w[i:] in nouns), None)


@lru_cache(maxsize=4096)
def _occupation(w: str) -> str | None:
    """`svetsare`, `montörer`, `psykologer`: people by a productive ending (not `tidigare`)."""
    t = read_terms()
    if w in t["not_person"] or w.endswith(tuple(t["not_person_ending"])):
        return None
    ok = any(w.endswith(e) and len(w) >= len(e) + 3 for e in t["person_ending"])
    return "person" if ok else None


@dataclass
class Counted:
    """What a number counts: noun phrase and class, rate period, and a `st.`/`antal` marker."""

    noun: str | None = None  # `besökta företag`
    cls: str | None = None  # class of the head noun: person, output, org, staff, time, money, ...
    noun_end: int = 0
    per: str | None = None  # `månad` in `5 tillfällen per månad`
    marked: bool = False  # `27st.`, `stycken`, `antal besök`
    next_word: str = ""  # the first word after the number, lower case
    phrase: str | None = None  # words after the number that no class was found for
    phrase_end: int = 0


def words(text: str, start: int, end: int, limit: int | None = None) -> list[tuple[str, int, int]]:
    """(word, start, end) of the words and signs in ``text[start:end]``, at most `limit`."""
    return [
        (w.group(), w.start(), w.end()) for w in islice(_WORD_RE.finditer(text, start, end), limit)
    ]


def _rate(found: list[tuple[str, int, int]], i: int) -> str | None:
    """`per månad`, `varje år`, `i månaden`, `varannan vecka` starting at found[i]."""
    t = read_terms()
    marker = found[i][0].lower() if i < len(found) else ""
    if i + 1 < len(found) and (marker in t["rate_marker"] or marker in t["rate_every_other"]):
        nxt = found[i + 1][0].lower()
        period = min((p for p in t["rate_period"] if nxt.startswith(p)), key=len, default=None)
        return f"{marker} {period}" if period and marker in t["rate_every_other"] else period
    return None


def rate_before(text: str, start: int, pos: int) -> str | None:
    """A rate stated before the number in its clause (`Varje termin tas 25 nya deltagare in`)."""
    found = words(text, max(start, pos - 80), pos)
    rates = [p for i in range(len(found) - 1) if (p := _rate(found, i))]
    return rates[-1] if rates else None


def read_counted(text: str, m: NumberMention, start: int, end: int) -> Counted:
    """What a number counts, from the words after it (skipping asides, `antal`, adjectives, rates).

    >>> from esfparse.extract.numbers import find_numbers
    >>> t = "minst 90 besökta företag per månad, 756 (14% av dem) deltagare, 27st. i månaden"
    >>> counted = [read_counted(t, n, 0, len(t)) for n in find_numbers(t)]
    >>> [(c.noun, c.cls, c.per, c.marked) for c in counted if c.noun or c.per]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('besökta företag', 'org', 'månad', False), ('deltagare', 'person', None, False),
     (None, None, 'månad', True)]
    """
    c, t, depth, adjectives, noun_start = Counted(marked=m.count_marker), read_terms(), 0, 0, None
    found = words(text, m.end, min(end, m.end + 100), 16)  # the noun follows within a few words
    c.next_word = next((w for w, _, _ in found if w != "("), "").lower()
    i, occupation = 0, None  # an occupation by its ending yields to a known noun after it
    while i < len(found):
        w, ws, we = found[i]
        if depth or w == "(":
            depth += {"(": 1, ")": -1}.get(w, 0)
        elif (period := _rate(found, i)) is not None:
            c.per, i = period, i + 1
        elif w.lower() in t["count_marker"]:
            c.marked = True
        elif (cls := _known_class(w)) is not None:
            c.cls, c.noun, c.noun_end = cls, text[ws if noun_start is None else noun_start : we], we
            c.per = c.per or _rate(found, i + 1)
            return c
        elif w.lower() in t["noun_stop"] or not w[0].isalpha() or adjectives >= 2:
            break
        else:
            adjectives, noun_start = adjectives + 1, ws if noun_start is None else noun_start
            c.phrase, c.phrase_end = text[noun_start:we], we
            if occupation is None and _occupation(w.lower().rsplit("-", 1)[-1]):
                occupation = (i, we)
        i += 1
    if occupation is not None:  # `40 lagerarbetare och ...`, `30 aktivare deltagare` (not here)
        c.cls, c.noun = "person", text[noun_start : occupation[1]]
        c.noun_end, c.per = occupation[1], c.per or _rate(found, occupation[0] + 1)
        return c
    return _counted_before(text, start, end, m, c)


def _counted_before(text: str, start: int, end: int, m: NumberMention, c: Counted) -> Counted:
    """`Antalet deltagare beräknas till 250`: the counted noun comes first."""
    ends, nouns = _count_nouns(text, start, end)
    k = bisect_right(ends, m.start)  # the last `antalet X` ending before the number
    noun = nouns[k - 1] if k else None
    if not c.per and not c.marked and noun and noun_class(noun) in COUNTED:
        c.noun, c.cls, c.marked = noun, noun_class(noun), True
    return c


@lru_cache(maxsize=4)
def _count_nouns(text: str, start: int, end: int) -> tuple[list[int], list[str]]:
    """Ends and nouns of the `antalet X` phrases of one sentence, found once for all its numbers.

    A phrase never runs into a number (digits or a number word after a space), so the phrases
    before a number are the same as when searching only up to it."""
    found = list(_count_before_re().finditer(text, start, end))
    return [f.end() for f in found], [f.group(1) for f in found]


@lru_cache(maxsize=1)
def _verb_before_re() -> re.Pattern[str]:
    """A producing verb (the `PRODUCE` phrases of ``goal_cues.jsonl``) ending just before a number,
    with only fillers (`minst`, `ytterligare`) between: `ta fram sju`, `utvecklar ytterligare fem`;
    an inverted subject may follow the verb (`Under hösten tar projektet fram tre ...`)."""
    t = read_terms()
    subject = rf"(?:\s+(?:{alternatives(t['clause_subject'])}))?"
    verbs = set()
    for p in load_patterns("goal_cues.jsonl"):
        if p["label"] == "PRODUCE" and isinstance(p["pattern"], str):
            head, _, rest = p["pattern"].partition(" ")  # `tar fram` → `tar (projektet) fram`
            tail = r"\s+" + re.escape(rest).replace(r"\ ", r"\s+") if rest else ""
            verbs.add(re.escape(head) + subject + tail)
    verbs_re = "|".join(sorted(verbs, key=len, reverse=True))
    fill = alternatives(t["object_filler"])
    return re.compile(rf"(?<![^\W\d_])(?:{verbs_re})(?:\s+(?:{fill}))*\s+$", re.IGNORECASE)


def verb_before(text: str, s: int, begin: int) -> bool:
    """Is the number at ``begin`` the object of a producing verb (``text[s:]`` is its sentence)?"""
    return bool(_verb_before_re().search(text, max(s, begin - 60), begin))


@lru_cache(maxsize=1)
def outcome_openers() -> frozenset[str]:
    """Words that can open an outcome after a bare number: `har`, `gått` (`gått vidare`), ..."""
    first = {
        p["pattern"].split()[0]
        for p in load_patterns("goal_cues.jsonl")
        if p["label"] == "OUTCOME" and isinstance(p["pattern"], str)
    }
    return frozenset(first | read_terms()["auxiliary"])


def alternatives(found: set[str] | frozenset[str]) -> str:
    """A regex alternation of words and phrases, longest first, any whitespace inside a phrase."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(found, key=len)[::-1])


@lru_cache(maxsize=1)
def whom_re() -> re.Pattern[str]:
    """`av deltagarna`, `av de arbetssökande`, `av deltagarna i projektet`, `of the participants`."""
    t = read_terms()
    prep, det = (alternatives(t[role]) for role in ("whom_preposition", "whom_determiner"))
    return re.compile(
        rf"\s*((?:{prep})\s+(?:(?:{det})\s+)?[^\W\d_][\w-]*"
        rf"(?:\s+(?:i|in)\s+(?:the\s+)?project\w*)?)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def modal_re() -> re.Pattern[str]:
    """A modal opening the clause after a share (`ska ha`, `should`), cut from `what`."""
    modals = alternatives(read_terms()["modal_lead"])
    return re.compile(rf"^\s*(?:{modals})\s+(?:ha\s+|have\s+|be\s+)?", re.IGNORECASE)


@lru_cache(maxsize=1)
def project_subject_re() -> re.Pattern[str]:
    """The project as the subject of an active verb: `projektet`, `vi`, `the project`."""
    return re.compile(rf"\b(?:{alternatives(read_terms()['project_subject'])})\b", re.IGNORECASE)


def produced(c: Counted, text: str, s: int, begin: int) -> bool:
    """`ta fram sju metodhandböcker`: an unknown noun right after a producing verb is an output."""
    if c.cls is not None or not c.phrase or c.marked or c.per:
        return False
    if not verb_before(text, s, begin):
        return False
    c.cls, c.noun, c.noun_end = "output", c.phrase, c.phrase_end
    return True


def _only(gap: str, role: str) -> bool:
    """Only words of one role (`har`, `ska`) in the gap."""
    allowed = read_terms()[role]
    return all(w.lower() in allowed for w in re.findall(r"[^\W\d_][\w:.]*", gap))


def outcome_count(text: str, m: NumberMention, c: Counted, cue_start: int | None) -> bool:
    """`Av dem har 40 gått vidare till arbete`: a bare number whose verb is an outcome.

    ``cue_start`` is where the nearest outcome cue after the number starts (absolute offset).
    """
    if c.cls is not None or c.marked or c.per or cue_start is None:
        return False
    gap = text[m.end : cue_start]
    return len(gap) <= 24 and not re.search(r"[^\w\s]", gap) and _only(gap, "auxiliary")


# `N av dem`, `N av dessa`, `N av deltagarna`: a subgroup as the subject of an outcome
_PARTITIVE_RE = re.compile(
    r"\s+av\s+(?:dem|dessa|de\s+\w+|\w+(?:arna|erna|orna|na))\b", re.IGNORECASE
)


def read_verb(c: Counted, text: str, s: int, m: NumberMention, cues: Cues) -> str | None:
    """A bare number read by its verb (``text[s:]`` is its sentence, ``cues`` its cue phrases).

    The object of a producing verb becomes an output (`ta fram sju metodhandböcker`); a number
    whose verb is an outcome counts people (`ytterligare 45 har påbörjat studier`): then the
    outcome is returned as what is counted.
    """
    if produced(c, text, s, m.qualifier_start or m.start):
        return None
    partitive = _PARTITIVE_RE.match(text, m.end) if c.next_word == "av" else None
    if c.marked or c.per or (c.next_word not in outcome_openers() and partitive is None):
        return None  # checked before the (costlier) cue phrases
    if partitive is not None:  # `38 av dem hade efter ett år gått vidare till arbete`
        lo = partitive.end() - s
        cue = cues.has("OUTCOME", lo, lo + 40)
        if (
            cue is None
            or c.cls is not None
            or re.search(r"[^\w\s]", text[partitive.end() : s + cue.start])
        ):
            return None
    else:
        cue = cues.has("OUTCOME", m.end - s, m.end - s + 25)
        if not outcome_count(text, m, c, s + cue.start if cue else None):
            return None
    assert cue is not None  # outcome_count is False without a cue
    c.cls = "person"
    return re.split(r"[,;.(]", text[s + cue.start : s + cue.start + 80])[0].strip()
