"""People in talks, slide decks and write-ups: name, role and organisation.

A person is a run of two or three capitalised words framed by a cue of the
genre, never a known name: a speaker line (`Name, role, Organisation`, the
organisation maybe on the next line), a byline label (`Foto: Name`), a title
before the name (`Generaldirektör Name`), the speaker's initials
(`Name (NN), professor ...`), a reporting verb (`Name berättar`, `säger Name`)
or a panel list (`I panelen satt ...`). Words live in ``esfparse/data/``:
``roles.csv``, ``person_cues.csv``, ``given_names.csv`` and ``organisations.csv``.
The organisations that roles and speaker lines name are recognised here too
(the section "organisations" below; it reads no person names and could live
in a module of its own).

>>> [(p.name, p.role, p.organisation) for p in find_people("Eva Holm, enhetschef, Skolverket")]
[('Eva Holm', 'enhetschef', 'Skolverket')]
>>> [p.name for p in find_people("Kalle Ek och Mona Sjö berättar om projektet.")]
['Kalle Ek', 'Mona Sjö']
>>> [p.name for p in find_people("Lokala Jobbspår, Stockholms Stad och Region Skåne samverkar.")]
[]
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .orgnames import (  # noqa: F401  (re-exported for callers of people.py)
    _ACRONYM_RE,
    _DEFINED_RE,
    _ENDINGS,
    _HEAD_RE,
    _ORG_RUN_RE,
    KnownOrganisation,
    OrgMention,
    _blocks,
    _folded_forms,
    _given_names,
    _header_labels,
    _in_caps_heading,
    _initials,
    _is_org_phrase,
    _known_re,
    _long_form,
    _names_role,
    _org_forms,
    _org_suffixes,
    _organised,
    _roles,
    _subsequence,
    cue_words,
    find_definitions,
    find_known_organisations,
    is_role,
    lookup_organisation,
    organisation_at,
    organisation_for_domain,
)
from .places import resolve_municipality, resolve_region


@dataclass
class PersonMatch:
    """A person found in the text, with absolute offsets of the name's first framed mention."""

    name: str
    start: int
    end: int
    role: str | None = None
    organisation: str | None = None
    email: str | None = None
    cue: str = ""


# ---------------------------------------------------------------- candidate names

_UPPER, _LOWER = "A-ZÅÄÖÉÜØÆ", "a-zåäöéèëüáíóúñçøæß"
_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"  # Anna, Anna-Karin, Ciceri
_TOKEN_RE = re.compile(_TOKEN)


def _alternation(kind: str, reverse: bool = False) -> str:
    """The words of one cue kind as a regex alternation, longest first (spelled backwards when
    `reverse`, for matching leftwards from a name)."""
    words = sorted(cue_words(kind), key=len, reverse=True)
    if reverse:
        words = [" ".join(w[::-1] for w in reversed(word.split())) for word in words]
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)


@dataclass(frozen=True)
class _Patterns:
    """Regexes built once from the cue vocabulary."""

    run: re.Pattern[str]
    label_before: re.Pattern[str]
    verb_before: re.Pattern[str]  # matched on the reversed text before a name
    verb_after: re.Pattern[str]
    list_cue: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """Compile the name-run and cue regexes."""
    i, labels = re.IGNORECASE, _alternation("label")
    return _Patterns(
        run=re.compile(
            rf"""
            (?<![\w-]){_TOKEN}                     # a capitalised word starting a word
            (?:[ ](?:(?:{_alternation("particle")})[ ])?   # then on the same line: von, af ...
               (?:[{_UPPER}]\.[ ])?{_TOKEN})+      # ... a middle initial and more words
            (?![\w-])                              # ending a word
        """,
            re.VERBOSE,
        ),
        label_before=re.compile(
            rf"""
            (?:^|[\s(])(?P<label>(?:{labels})      # Foto, Moderator ...
              (?:\s+(?:och|&)\s+(?:{labels}))?)    # ... Text och foto
            \s*:\s*$                               # a colon just before the name
        """,
            re.VERBOSE | i,
        ),
        # `säger Name`: read leftwards from the name (the text before it reversed), so one
        # anchored match instead of a search through the 40 characters before each candidate
        verb_before=re.compile(
            rf"\s+(?:{_alternation('verb_before', reverse=True)})(?:[\s,–-]|\Z)", i
        ),
        verb_after=re.compile(rf"\s+(?:{_alternation('verb_after')})(?![\w-])", i),
        list_cue=re.compile(rf"(?:^|\W)(?:{_alternation('list_cue')})\s*:?\s+", i),
    )


def _split_run(words: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Cut a run of capitalised words into name-sized pieces at words no name contains."""
    pieces: list[list[re.Match[str]]] = [[]]
    for word in words:
        if _blocks(word.group()):
            pieces.append([])
        else:
            pieces[-1].append(word)
    out = []
    for piece in pieces:
        given = [k for k, w in enumerate(piece) if w.group() in _given_names()]
        if len(piece) >= 3 and given and given[0] > 0 and len(piece) - given[0] >= 2:
            piece = piece[given[0] :]  # `Inledning Åsa Berg`: a heading word glued before the name
        if 2 <= len(piece) <= 3:
            out.append(piece)
    return out


@lru_cache(maxsize=8192)  # pure in its argument; names recur through a document
def _is_place(words: tuple[str, ...]) -> bool:
    """True for a place (`Upplands Väsby`, `Övre Norrland`) or a run holding one (`Jobbtorg Ystad`).

    A surname may be a place (`Eva Lund`), so a known given name first keeps the run.
    """
    return _place(" ".join(words)) or (words[0] not in _given_names() and any(map(_place, words)))


@lru_cache(maxsize=8192)
def _place(name: str) -> bool:
    """True when a municipality or an ESF region has this name."""
    return resolve_municipality(name) is not None or resolve_region(name) is not None


def _candidates(text: str) -> list[tuple[int, int]]:
    """Spans of every two- or three-word capitalised run that could be a name."""
    spans = []
    for run in _patterns().run.finditer(text):
        at = run.start()
        spans += [(at + start, at + end) for start, end in _run_spans(run.group())]
    return spans


@lru_cache(maxsize=8192)  # pure in the run's words; a name list repeats its names
def _run_spans(run: str) -> tuple[tuple[int, int], ...]:
    """Spans (from the run's start) of the pieces of a capitalised run that could be a name."""
    spans = []
    for piece in _split_run(list(_TOKEN_RE.finditer(run))):
        start, end = piece[0].start(), piece[-1].end()
        known = lookup_organisation(run[start:end])
        if not known and not _is_place(tuple(w.group() for w in piece)):
            spans.append((start, end))
    return tuple(spans)


# ---------------------------------------------------------------- what stands around a name

_INITIALS_RE = re.compile(r"\s*\((?P<ini>[A-ZÅÄÖ]{1,4})\)")  # Name (AB)
_PAREN_RE = re.compile(r"\s*\((?P<org>[^()\n]{1,60})\)")  # Name (Skolverket), Name (S)
_TAIL_START_RE = re.compile(r"(?P<comma>,)?[ \t]*(?<=[, \t])(?!(?:och|samt)\s)")  # `, x`/` x`
_PART_SPLIT_RE = re.compile(r"\s*[,|]\s*|\s+[–—-]\s+")  # the parts of a speaker line
_APPOSITIVE_END_RE = re.compile(
    r"""
    [,;()\n]                       # the next comma, semicolon, bracket or line break
  | \.(?:\s|$)                     # a full stop
  | \s+[–—]\s+                     # a dash
  | \s+\S+:                        # the next label (`Foto:`)
""",
    re.VERBOSE,
)
_PREP_RE = re.compile(r"[ \t]+(?:från|på|vid|hos)[ \t]+")  # `Name från Org`
_NEXT_NAME_RE = re.compile(r"\s+(?:samt|och)\s+(?=[A-ZÅÄÖ][a-zåäö]+ [A-ZÅÄÖ])")  # `, och Eva Ek`
_LIST_END_RE = re.compile(r"[.;:!?\n]")
_ROLE_LABEL_RE = re.compile(r"(?:^|[\s(])(?P<label>[\w-]+)\s*:\s*$")  # `Projektledare: Name`
_LABEL_LINE_RE = re.compile(r"(?:^|\n)[ \t•*-]*(?P<label>[\w-]+)[ \t]*:?[ \t]*$")  # `Kontakt`
_LINK_RE = re.compile(r"^\s*(?:\([A-ZÅÄÖ]{1,4}\))?\s*(?:,|och|samt|&)\s*$")  # `A (AB), B`
_BULLETS = " \t•*-–❖·"
_ONLY_BULLETS_RE = re.compile(
    rf"[{re.escape(_BULLETS)}]*$"
)  # matched between offsets, never copied
_ONLY_STOPS_RE = re.compile(r"[ .]*$")


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    """The line around a span (from the text's line index: one long line costs a lookup, not a scan)."""
    breaks = _newlines(text)
    k, j = bisect_left(breaks, end), bisect_left(breaks, start)
    return (breaks[j - 1] + 1 if j else 0), (breaks[k] if k < len(breaks) else len(text))


@lru_cache(maxsize=2)
def _newlines(text: str) -> list[int]:
    """Offsets of the line breaks of a text, found once per text."""
    return [m.start() for m in re.finditer("\n", text)]


def _next_line(text: str, line_end: int) -> str:
    """The line right below (no blank line between), or ''."""
    if line_end >= len(text):
        return ""
    end = text.find("\n", line_end + 1)
    return text[line_end + 1 : end if end >= 0 else len(text)].strip(_BULLETS)


# A role phrase of the corpus is at most ~100 characters; a run four times longer without a comma,
# stop or line break is no appositive (a list of names, a dump), and is not searched any further.
_APPOSITIVE_MAX = 400


def _appositive(text: str, pos: int) -> str | None:
    """The phrase at `pos` up to its closing comma, full stop or label; None when it runs on."""
    stop = pos + _APPOSITIVE_MAX
    end = _APPOSITIVE_END_RE.search(text, pos, stop)
    if end is None and stop < len(text):
        return None
    return text[pos : end.start() if end else len(text)].strip()


def _orgs_in_role(phrase: str) -> list[str]:
    """Organisations a role phrase names: after the role word (`forskningsledare X`,
    `projektledare på X`) or before it as a genitive (`Skolverkets vd`)."""
    orgs = []
    words = list(re.finditer(r"[\w&-]+", phrase))
    for i, word in enumerate(words):
        if not is_role(word.group()):
            continue
        if i and words[i - 1].group().endswith("s"):
            owner = _genitive_owner(phrase[words[max(0, i - 3)].start() : words[i - 1].end()])
            orgs += [owner] if owner else []
        prep = re.match(rf"\s+(?:{_alternation('org_preposition')})(?=\s)", phrase[word.end() :])
        pos = word.end() + (prep.end() if prep else 0)
        found = organisation_at(phrase, pos + 1) if phrase[pos : pos + 1] == " " else None
        orgs += [found[0]] if found else []
    return list(dict.fromkeys(orgs))


def _genitive_owner(words: str) -> str | None:
    """`Svenska ESF-rådets` → `Svenska ESF-rådet` when its last words name a known organisation."""
    parts = words.split()
    for k in range(len(parts)):
        owner = " ".join(parts[k:])
        if lookup_organisation(owner) is not None:
            return owner.removesuffix("s")
    return None


def _read_parts(parts: list[str]) -> tuple[str | None, str | None]:
    """Role and organisation of a speaker line's parts; the other parts are the talk's topic.

    A lower-case part without a role is the rest of a sentence: then it is no speaker line.
    """
    roles, topics, orgs = [], [], []
    for part in filter(None, (p.strip() for p in parts)):
        if _is_org_phrase(part):
            orgs.append(part)
        elif _names_role(part):
            roles.append(part)
            orgs += _orgs_in_role(part)
        elif part[0].islower():
            return None, None
        else:
            topics.append(part)
    role = ", ".join(roles) or None
    if role and topics:
        role += f" ({', '.join(topics)})"
    return role, "; ".join(dict.fromkeys(orgs)) or None


def _tail_role(text: str, rest: int) -> tuple[str | None, str | None]:
    """Role and organisation right after a name: `, professor X`, ` projektägare X`, ` (X)`."""
    paren = _PAREN_RE.match(text, rest)
    if paren and _is_org_phrase(paren["org"]):  # `Name (Skolverket)`
        return None, paren["org"]
    m = _TAIL_START_RE.match(text, rest)
    if not m:
        return None, None
    appositive = _appositive(text, m.end())
    phrase = _NEXT_NAME_RE.split(appositive)[0] if appositive is not None else ""
    words = phrase.split()
    prep = _PREP_RE.match(text, rest)  # `Name från Länsstyrelsen X`
    if prep:
        found = organisation_at(text, prep.end())
        return None, found[0] if found else None
    if _is_org_phrase(phrase, bare=bool(m["comma"])):  # `, Renova` but not ` Frågor`
        return None, phrase
    if not words or not (is_role(words[0]) if not m["comma"] else len(words) <= 10):
        return None, None
    if not _names_role(phrase):
        return None, None
    return phrase, "; ".join(_orgs_in_role(phrase)) or None


# ---------------------------------------------------------------- cues


@dataclass
class _Ctx:
    """One candidate name and what stands around it."""

    text: str
    start: int
    end: int
    rest: int  # after the name and its initials
    before: str  # the line up to the name (at most 120 characters of it)
    initials: bool  # `Name (NN)`: the speaker's initials follow
    tail: tuple[str | None, str | None]  # role and organisation right after the name
    line_end: int  # where the name's line ends

    @property
    def name(self) -> str:
        return self.text[self.start : self.end]

    @property
    def given(self) -> bool:
        """True when the first word is a known given name."""
        return self.name.split()[0] in _given_names()


_Found = tuple[str | None, str | None] | None  # (role, organisation) when a cue frames a person


def _context(text: str, start: int, end: int) -> _Ctx:
    """Gather the line, initials and trailing role phrase of a candidate once."""
    ls, le = _line(text, start, end)
    ini = _INITIALS_RE.match(text, end, le)
    ini = ini if ini and ini["ini"] in _initials(text[start:end]) else None
    rest = ini.end() if ini else end
    before = text[max(ls, start - 120) : start]
    return _Ctx(text, start, end, rest, before, ini is not None, _tail_role(text, rest), le)


def _speaker_line(c: _Ctx) -> _Found:
    """`Name, role, Org` alone on a line, the organisation maybe on the next line."""
    text = c.text
    if c.before.strip(_BULLETS) or text[c.rest : c.rest + 1] not in (",", " ", "\n", ""):
        return None
    le = c.line_end
    tail, below = text[c.rest : le].strip(), _next_line(text, le)
    parts = _PART_SPLIT_RE.split(tail[1:]) if tail[:1] in ",|–—-" else []
    if not tail:  # name alone on its line: the role line is the next one
        first = _PART_SPLIT_RE.split(below)[0]
        if len(first.split()) > 8 or not (_names_role(first) or _is_org_phrase(below, bare=False)):
            return None
        parts, below = _PART_SPLIT_RE.split(below), ""
    role, org = _read_parts(parts) if parts else (None, None)
    if below and _is_org_phrase(below) and (role or org):
        org = "; ".join(filter(None, (org, below)))
    return (role, org) if role or org else None


def _label(c: _Ctx) -> _Found:
    """`Foto: Name`, `Projektledare: Name, Org`, or the label alone on the line above."""
    m = _patterns().label_before.search(c.before) or _ROLE_LABEL_RE.search(c.before)
    if m is None and not c.before.strip(_BULLETS):
        ls = c.text.rfind("\n", 0, c.start)
        m = _LABEL_LINE_RE.search(c.text, _line_above(c.text, ls), ls) if ls > 0 else None
    if m is None:
        return None
    label = m["label"]
    if label.split()[0].casefold() not in cue_words("label") and not _names_role(label):
        return None
    return c.tail[0] or label, c.tail[1]


def _line_above(text: str, ls: int) -> int:
    """Where `_LABEL_LINE_RE` can begin to match in the 60 characters before a line break at `ls`:
    the last line break before the line above (a match crosses none), else the window's start."""
    first = max(0, ls - 60)
    above = text.rfind("\n", first, ls - 1)
    return above if above >= 0 else first


def _role_before(c: _Ctx) -> _Found:
    """`Generaldirektör Name`, `Skolverkets enhetschef Name`, `Moderator var Name`."""
    m = re.search(r"(?P<role>[\w-]+)\s+(?:(?:var|är|blir)\s+)?$", c.before)
    if not m or not is_role(m["role"]):
        return None
    owner = re.search(r"((?:\S+\s+){0,3}?\S+s)\s+$", c.before[: m.start()])
    return m["role"], _genitive_owner(owner.group(1)) if owner else None


def _initials_cue(c: _Ctx) -> _Found:
    """`Name (NN), professor X`, `Name (NN) projektägare X`: initials given for later quotes.

    Initials also follow a defined term (`Supported Employment (SE)`): bare, a given name is needed.
    """
    return c.tail if c.initials and (c.tail[0] or c.tail[1] or c.given) else None


def _paren(c: _Ctx) -> _Found:
    """`Name (Skolverket)`, a party `Name (S)`, `Anna Berg (KTH)` or `Name (projektledare)`.

    An unknown organisation needs a given name: `Motivational Interviewing (MINT)` is a method.
    """
    m = _PAREN_RE.match(c.text, c.end)
    if not m or c.initials:
        return None
    inside = m["org"]
    if is_role(inside.split()[0]):
        return inside, "; ".join(_orgs_in_role(inside)) or None
    if not (
        lookup_organisation(inside)
        or inside.casefold() in cue_words("party")
        or (c.given and _is_org_phrase(inside))
    ):
        return None
    role, more = _tail_role(c.text, m.end())
    return role, "; ".join(filter(None, (inside, more)))


_COPULA_RE = re.compile(
    r"""
    [ \t]+(?:är|var|blir|arbetar[ ]som|jobbar[ ]som|har[ ]varit)[ \t]+   # `Name är`, `arbetar som`
    (?:(?:ny|nytillträdd|tillförordnad|en|sedan[ ]\d{4})[ ]+)?           # `är ny projektledare`
""",
    re.VERBOSE,
)
_ROLE_END_RE = re.compile(r"\s+(?:och|som|med|där|men|sedan)\s")  # the role phrase ends at a clause


def _copula(c: _Ctx) -> _Found:
    """`Name är projektledare för X`, `Name är tf. kanslichef på Y`, and a second name whose copula is
    left out (`A är ordförande och B tillförordnad kanslichef för X`)."""
    m = _COPULA_RE.match(c.text, c.rest)
    elided = (
        m is None
        and c.before.endswith(" och ")
        and " är " in c.before
        and c.text[c.rest : c.rest + 1] == " "
    )
    if not (m or elided) or not _plausible(c.name):
        return None
    pos = m.end() if m else c.rest + 1
    modifier = _role_modifier_re().match(
        c.text, pos
    )  # `tf.`, `tillförordnad`: an abbreviation's dot ends no role
    appositive = _appositive(c.text, modifier.end() if modifier else pos)
    if appositive is None:
        return None
    rest = _ROLE_END_RE.split(appositive)[0]
    if not rest or not is_role(rest.split()[0]):
        return None
    phrase = (modifier.group().strip() + " " if modifier else "") + rest
    return phrase, "; ".join(_orgs_in_role(rest)) or None


@lru_cache(maxsize=1)
def _role_modifier_re() -> re.Pattern[str]:
    """`tf.`, `t.f.`, `tillförordnad`, `biträdande` before a role (person_cues.csv, kind role_modifier)."""
    return re.compile(rf"(?:{_alternation('role_modifier')})[ \t]+", re.IGNORECASE)


def _verb(c: _Ctx) -> _Found:
    """`Name berättar`, `Name, role, presenterade`, `Name (Org) berättar`, `säger Name`."""
    pats, text, pos = _patterns(), c.text, c.rest
    if not (c.tail[0] or c.tail[1] or _plausible(c.name)):
        return None
    if pats.verb_before.match(text[max(0, c.start - 40) : c.start][::-1]):
        return c.tail
    if text.startswith(",", pos):  # an appositive between commas before the verb
        phrase = _appositive(text, pos + 1)
        if phrase is None:
            return None
        pos = text.find(phrase, pos) + len(phrase)
        if not text.startswith(",", pos):
            return None
        pos += 1
    elif (paren := _PAREN_RE.match(text, pos)) and (c.tail[0] or c.tail[1]):
        pos = paren.end()
    elif (prep := _PREP_RE.match(text, pos)) and (org := organisation_at(text, prep.end())):
        pos = org[1]  # `Name från Skolverket berättade`
    return c.tail if pats.verb_after.match(text, pos) else None


def _plausible(name: str) -> bool:
    """False for a bare subject that reads as a definite noun (`Vägen Vidare berättar`)."""
    first = name.split()[0]
    return first in _given_names() or not first.endswith(("en", "et"))


def _appositive_cue(c: _Ctx) -> _Found:
    """`Name, Skolverkets generaldirektör` or `Name, Org` closing its phrase."""
    role, org = c.tail
    if not c.text.startswith(",", c.rest) or not (role or org):
        return None
    if role is not None:
        return c.tail
    return c.tail if c.given or lookup_organisation(org or "") else None


_CUES = (
    ("speaker_line", _speaker_line),
    ("label", _label),
    ("role_before", _role_before),
    ("initials", _initials_cue),
    ("paren", _paren),
    ("verb", _verb),
    ("copula", _copula),
    ("appositive", _appositive_cue),
)


def _frame(text: str, start: int, end: int) -> PersonMatch | None:
    """The person at a candidate span when a cue frames it, else None."""
    c = _context(text, start, end)
    found = [(cue, f) for cue, frame in _CUES if (f := frame(c)) is not None]
    if not found:
        return None
    role = next((f[0] for _, f in found if f[0]), c.tail[0])  # the strongest cue first
    org = next((f[1] for _, f in found if f[1]), c.tail[1])
    return PersonMatch(c.name, start, end, role, org, cue=found[0][0])


# ---------------------------------------------------------------- the whole text

_Slot = tuple[int, int, "PersonMatch | None"]


def speaks_at(text: str, pos: int) -> bool:
    """True when a reporting verb follows `pos` (`DUA berättar`): the subject speaks.

    >>> speaks_at("Skolverket berättar om", 10), speaks_at("Skolverket och", 10)
    (True, False)
    """
    return bool(_patterns().verb_after.match(text, pos))


@lru_cache(maxsize=1)
def _list_heads() -> tuple[str, ...]:
    return tuple({w.split()[0] for w in cue_words("list_cue")})


@lru_cache(maxsize=2)
def _list_cue_starts(text: str) -> list[int]:
    """Every offset where a list cue's words begin (overlapping ones too), found once per text.

    A cue can match in a name's window only where it matches in the whole text, so a window
    without one of these offsets is not searched (the search is linear in the text, not 300
    characters per candidate name).
    """
    starts, pos, core = [], 0, _list_core_re()
    while (m := core.search(text, pos)) is not None:
        starts.append(m.start())
        pos = m.start() + 1
    return starts


@lru_cache(maxsize=1)
def _list_core_re() -> re.Pattern[str]:
    """The list cue regex without the word boundary before it."""
    return re.compile(rf"(?:{_alternation('list_cue')})\s*:?\s+", re.IGNORECASE)


def _in_list(text: str, start: int) -> bool:
    """True when a list cue (`I panelen satt`) opens the sentence the name stands in."""
    starts, first = _list_cue_starts(text), max(0, start - 300)
    k = bisect_left(starts, first)
    if k == len(starts) or starts[k] >= start:  # no cue begins in the window
        return False
    window = text[first:start]
    lowered = window.casefold()
    if not any(
        head in lowered for head in _list_heads()
    ):  # the cue's first word is not there: no cue
        return False
    cues = list(_patterns().list_cue.finditer(window))
    return bool(cues) and not _LIST_END_RE.search(window, cues[-1].end())


def _linked(text: str, found: list[_Slot]) -> None:
    """Accept names joined by `och`, `samt` or a comma to a name framed by a verb or list."""
    for k in range(len(found) - 2, -1, -1):
        s, e, person = found[k]
        s2, _, nxt = found[k + 1]
        if (
            person is None
            and nxt is not None
            and nxt.cue in ("verb", "list")
            and _LINK_RE.match(text[e:s2])
            and _plausible(text[s:e])
        ):
            found[k] = (s, e, PersonMatch(text[s:e], s, e, cue=nxt.cue))


def _name_lines(text: str, found: list[_Slot]) -> None:
    """Accept a line of nothing but names (`Eva Holm och Ali Said`), one with a known given name."""
    k = 0
    while k < len(found):
        j = k
        while j + 1 < len(found) and _LINK_RE.match(text[found[j][1] : found[j + 1][0]]):
            j += 1
        if j > k and _alone(text, found[k][0], found[j][1]) and _given_in(text, found[k : j + 1]):
            for i in range(k, j + 1):
                s, e, person = found[i]
                found[i] = (s, e, person or PersonMatch(text[s:e], s, e, cue="name_line"))
        k = j + 1


def _alone(text: str, start: int, end: int) -> bool:
    """True when only bullets stand before `start` and only stops after `end` on their line."""
    ls, le = _line(text, start, end)
    return bool(_ONLY_BULLETS_RE.match(text, ls, start) and _ONLY_STOPS_RE.match(text, end, le))


def _given_in(text: str, slots: list[_Slot]) -> bool:
    """True when one of the names starts with a known given name."""
    return any(text[s:e].split()[0] in _given_names() for s, e, _ in slots)


def _merge(found: list[_Slot], base: int) -> list[PersonMatch]:
    """One person per name: the first framed mention, role and organisation from any mention."""
    merged: dict[str, PersonMatch] = {}
    for _, _, person in found:
        if person is None:
            continue
        first = merged.setdefault(person.name.casefold(), person)
        if first is person:
            person.start, person.end = person.start + base, person.end + base
        else:
            first.role = first.role or person.role
            first.organisation = first.organisation or person.organisation
    return list(merged.values())


def find_people(text: str, base: int = 0, emails: Iterable[str] = ()) -> list[PersonMatch]:
    """Every person a cue frames, once per name; `emails` both frame names and fill `email`.

    >>> [(p.name, p.role) for p in find_people("Moderator: Lina Ek\\nVd Bo Ahl inledde.")]
    [('Lina Ek', 'Moderator'), ('Bo Ahl', 'Vd')]
    """
    emails = list(emails)
    index = _email_index(emails)
    found: list[_Slot] = []
    for s, e in _candidates(text):
        person = _frame(text, s, e)
        if person is None and (_email_for(text[s:e], index) or _in_list(text, s)):
            cue = "email" if _email_for(text[s:e], index) else "list"  # `Name` over `name@`
            person = PersonMatch(text[s:e], s, e, *_context(text, s, e).tail, cue=cue)
        found.append((s, e, person))
    _linked(text, found)
    _name_lines(text, found)
    people = _merge(found, base)
    attach_emails(people, emails)
    return people


# ---------------------------------------------------------------- e-mail addresses


def _ascii(text: str) -> str:
    """Casefolded ASCII form for comparing names with e-mail local parts (`Sjö` → `sjo`)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _email_keys(email: str) -> list[object]:
    """What an address's local part may spell: (first, last) and the glued forms."""
    local = _ascii(email.split("@")[0])
    parts = [p for p in re.split(r"[._-]+", local) if p]
    return [(parts[0], parts[-1]), local] if len(parts) > 1 else [local]


def _email_index(emails: Iterable[str]) -> dict[object, str]:
    """Spelled forms → the first address spelling them."""
    index: dict[object, str] = {}
    for email in emails:
        for key in _email_keys(email):
            index.setdefault(key, email)
    return index


def _email_for(name: str, index: dict[object, str]) -> str | None:
    """The address that spells the name (`eva.holm`, `eholm`, `evaholm`), if any."""
    if not index:
        return None
    words = [_ascii(w) for w in re.split(r"[\s-]+", name)]
    keys = [(words[0], words[-1]), words[0][0] + words[-1], words[0] + words[-1]]
    return next((index[k] for k in keys if k in index), None)


def email_matches(name: str, email: str) -> bool:
    """True when an address's local part spells the name (`eva.holm@`, `eva-holm@`, `eholm@`).

    >>> email_matches("Mona Sjö", "mona.sjo@x.se"), email_matches("Mona Sjö", "info@sjo.se")
    (True, False)
    """
    return _email_for(name, _email_index([email])) is not None


def attach_emails(people: list[PersonMatch], emails: Iterable[str]) -> None:
    """Fill `email` of each person whose name an address spells."""
    index = _email_index(emails)
    for person in people:
        person.email = person.email or _email_for(person.name, index)
