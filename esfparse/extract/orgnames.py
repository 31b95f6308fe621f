"""Known organisations, roles and cue vocabulary for speaker lines (from data files).

Split from `people.py`: what a name of an organisation or a role looks like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..datafiles import load_csv, load_json
from .places import resolve_municipality, resolve_region

# ---------------------------------------------------------------- vocabulary


@cache
def cue_words(kind: str) -> frozenset[str]:
    """Casefolded words of one kind in person_cues.csv (`label`, `verb_after`, `stopword`...)."""
    rows = load_csv("person_cues.csv")
    return frozenset(r["word"].casefold() for r in rows if r["kind"] == kind)


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Common Swedish given names: a tie-breaker only, never required by a strong cue."""
    return frozenset(r["name"] for r in load_csv("given_names.csv"))


@lru_cache(maxsize=1)
def _header_labels() -> frozenset[str]:
    """Casefolded project-page header labels (`E-post`, `Projektnummer`): never a name."""
    fields = load_json("labels.json")["fields"]
    return frozenset(lab.casefold() for labs in fields.values() for lab in labs)


@lru_cache(maxsize=1)
def _roles() -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole role words and role word endings of roles.csv."""
    rows = load_csv("roles.csv")
    return (
        frozenset(r["word"] for r in rows if r["kind"] == "title"),
        tuple(r["word"] for r in rows if r["kind"] == "suffix"),
    )


_ENDINGS = ("", "n", "en", "ns", "ens", "s", "et")  # ledare-n, chef-en, koordinator-ns, -råd-et


@lru_cache(maxsize=4096)
def is_role(word: str) -> bool:
    """True for a title or role word in any form (`Projektledaren`, `ESF-samordnare`).

    >>> is_role("Generaldirektör"), is_role("projektledaren"), is_role("Koordinera")
    (True, True, False)
    """
    titles, suffixes = _roles()
    folded = word.casefold().strip(".,;:()")
    for ending in _ENDINGS:
        stem = folded[: len(folded) - len(ending)]
        if (
            folded.endswith(ending)
            and len(stem) > 1
            and (stem in titles or stem.endswith(suffixes))
        ):
            return True
    return False


@lru_cache(maxsize=8192)  # pure in its argument; role lines recur through a document
def _names_role(phrase: str) -> bool:
    """True when a phrase holds a role word."""
    return any(is_role(w) for w in re.findall(r"[\w-]+", phrase))


# ---------------------------------------------------------------- organisations


@dataclass(frozen=True)
class KnownOrganisation:
    """A well-known organisation of organisations.csv."""

    name: str
    acronym: str
    domain: str
    slot_only: bool  # a common word too: counted only where a role or speaker line puts it


@dataclass(frozen=True)
class OrgMention:
    """An organisation named in the text, as written (genitive and compound tail dropped)."""

    name: str
    start: int
    end: int
    known: KnownOrganisation | None = None
    definition: bool = False  # `Long Name (ACR)`


@lru_cache(maxsize=1)
def _org_forms() -> tuple[dict[str, KnownOrganisation], dict[str, KnownOrganisation]]:
    """Written forms (name, variants, acronym) and domains → organisation."""
    forms: dict[str, KnownOrganisation] = {}
    domains: dict[str, KnownOrganisation] = {}
    for row in load_csv("organisations.csv"):
        org = KnownOrganisation(row["name"], row["acronym"], row["domain"], row["match"] == "slot")
        for form in [row["name"], *row["variants"].split("|"), row["acronym"]]:
            forms.setdefault(form, org)
        if len(row["acronym"]) >= 3:  # Swedish writes pronounceable acronyms capitalised: Dua
            forms.setdefault(row["acronym"].capitalize(), org)
        domains[row["domain"]] = org
    forms.pop("", None), domains.pop("", None)
    return forms, domains


@lru_cache(maxsize=1)
def _folded_forms() -> dict[str, KnownOrganisation]:
    """Casefolded names of several words (`Statistiska Centralbyrån`, as some write it)."""
    return {f.casefold(): o for f, o in _org_forms()[0].items() if " " in f}


@lru_cache(maxsize=8192)  # pure in its arguments; names recur through a document
def lookup_organisation(name: str) -> KnownOrganisation | None:
    """The known organisation a written form names, genitive allowed (`Skolverkets`, `Dua`).

    >>> lookup_organisation("Arbetsförmedlingens").acronym, lookup_organisation("Dua").acronym
    ('AF', 'DUA')
    """
    forms, folded = _org_forms()[0], _folded_forms()
    name = " ".join(name.split())
    bare = name.removesuffix("s")
    return (
        forms.get(name)
        or forms.get(bare)
        or folded.get(name.casefold())
        or folded.get(bare.casefold())
    )


def organisation_for_domain(address: str) -> KnownOrganisation | None:
    """The known organisation of an e-mail or web address's domain (`x@skolverket.se`)."""
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", address.rsplit("@", 1)[-1].casefold())
    parts = host.split("/")[0].split(".")
    domains = _org_forms()[1]
    suffixes = (".".join(parts[k:]) for k in range(len(parts) - 1))
    return next((domains[d] for d in suffixes if d in domains), None)


@lru_cache(maxsize=1)
def _org_suffixes() -> tuple[str, ...]:
    """Endings of one-word organisation names (`-verket`, `-förmedlingen`)."""
    return tuple(cue_words("org_suffix"))


_ORG_RUN_RE = re.compile(
    r"""
    [A-ZÅÄÖÉ][\w&'’-]*                    # a capitalised word (ESF-rådet, SPeL, Arbetsförmedlingen)
    (?:[ ](?:&[ ])?[A-ZÅÄÖÉ][\w&'’-]*)*   # more of them, `&` allowed between
""",
    re.VERBOSE,
)
_ACRONYM_RE = re.compile(r"\b[A-ZÅÄÖ]\w*[A-ZÅÄÖ]")  # two capitals in a word: SPeL, KomAn, ESF-rådet
_HEAD_RE = re.compile(r"[ ]([a-zåäö]+)(?![\w-])")  # a lower-case head noun after: `X universitet`


def organisation_at(text: str, pos: int, bare: bool = True) -> tuple[str, int] | None:
    """The organisation name that starts at `pos`, with its end, or None.

    Known names, words with two capitals, `Region X`-like prefixes, `-verket`-like endings,
    head nouns (`Linköpings universitet`) and, when `bare`, lone words that are no name or place.

    >>> organisation_at("professor Linköpings universitet och", 10)
    ('Linköpings universitet', 32)
    >>> organisation_at("projektledare Anna Berg", 14) is None
    True
    """
    m = _ORG_RUN_RE.match(text, pos)
    if not m:
        return None
    name = m.group().rstrip("-'’")
    end = pos + len(name)
    head = _HEAD_RE.match(text, end)
    if head and head.group(1) in cue_words("org_head"):
        return name + head.group(), head.end()
    return (name, end) if _organised(name, bare) else None


def _organised(name: str, bare: bool = True) -> bool:
    """True when capitalised words read as an organisation rather than a person or place."""
    words = name.split()
    first = words[0].casefold()
    if lookup_organisation(name) or _ACRONYM_RE.search(name) or first in cue_words("org_prefix"):
        return True
    if any(w.casefold().endswith(_org_suffixes()) for w in words):
        return True
    return (
        bare
        and len(words) == 1
        and first not in cue_words("stopword")
        and not is_role(name)
        and first not in _header_labels()
        and name not in _given_names()
        and resolve_municipality(name) is None
        and resolve_region(name) is None
    )


@lru_cache(maxsize=8192)  # pure in its arguments; names recur through a document
def _is_org_phrase(phrase: str, bare: bool = True) -> bool:
    """True when the whole phrase is an organisation (`Skolverket`, `Region Skåne`, `SPeL`)."""
    phrase = phrase.strip()
    if not phrase or is_role(phrase.split()[0]):
        return False
    if lookup_organisation(phrase) is not None:
        return True
    found = organisation_at(phrase, 0, bare)
    return found is not None and found[1] == len(phrase)


@lru_cache(maxsize=1)
def _known_re() -> re.Pattern[str]:
    """Every known name form counted in running text, longest first."""
    forms = sorted(
        (f for f, o in _org_forms()[0].items() if not o.slot_only), key=len, reverse=True
    )
    alternation = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
    return re.compile(
        rf"""
        (?<![\w-])(?P<form>{alternation})   # a known form, not inside a word
        (?:s|-[\w-]+)?(?!\w)                # genitive or compound: Skolverkets, IFAU-studie
    """,
        re.VERBOSE,
    )


def find_known_organisations(text: str, base: int = 0) -> list[OrgMention]:
    """Mentions of well-known organisations (`Arbetsförmedlingens`, `IFAU-studie`, `Dua`).

    >>> [(m.name, m.known.acronym) for m in find_known_organisations("en IFAU-studie om Duas")]
    [('IFAU', 'IFAU'), ('Dua', 'DUA')]
    """
    out, forms = [], _org_forms()[0]
    for m in _known_re().finditer(text):
        form, start = m["form"], m.start()
        if not (form.isupper() and _in_caps_heading(text, start, m.end())):
            known = forms.get(form) or forms[" ".join(form.split())]  # a form wrapped across lines
            out.append(OrgMention(form, base + start, base + start + len(form), known))
    return out


def _in_caps_heading(text: str, start: int, end: int) -> bool:
    """True for an upper-case word among upper-case words (`UTVÄRDERING AV KONFERENSEN`)."""
    around = text[max(0, start - 20) : start].split()[-1:] + text[end : end + 20].split()[:1]
    return any(len(w) > 2 and w.isupper() for w in around)


_DEFINED_RE = re.compile(r"\((?P<acr>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]*[A-ZÅÄÖ][A-Za-zÅÄÖåäö]*)\)")  # (SPeL)


def find_definitions(text: str, base: int = 0) -> list[OrgMention]:
    """`Long Name (ACR)` definitions whose acronym's letters fit the name (no person's initials).

    >>> [m.name for m in find_definitions("drivs av Stöd för Projektlärande (SPL) i år")]
    ['Stöd för Projektlärande (SPL)']
    """
    out = []
    for m in _DEFINED_RE.finditer(text):
        start = _long_form(text, m.start(), m["acr"])
        if start is not None:
            long = text[start : m.start()].strip()
            known = lookup_organisation(long) or lookup_organisation(m["acr"])
            out.append(OrgMention(text[start : m.end()], base + start, base + m.end(), known, True))
    return out


def _long_form(text: str, end: int, acr: str) -> int | None:
    """Start of the words before `end` that the acronym abbreviates, or None."""
    offset = max(0, end - 120)
    window = text[offset:end]
    cut = max(window.rfind(c) for c in ",.;:()\n")
    words = [w for w in re.finditer(r"[\w&-]+", window) if w.start() > cut][-8:]
    for n in (2, 3):  # a person's initials: `Eva Holm (EH)`
        name = [w.group() for w in words[-n:]]
        if len(name) == n and acr in _initials(" ".join(name)) and not any(map(_blocks, name)):
            return None
    for word in reversed(words):
        long = window[word.start() :].strip()
        fits = _subsequence(acr.casefold(), long.casefold())
        if word.group()[0] == acr[0] and long != acr and fits:
            return offset + word.start()
    return None


def _subsequence(letters: str, text: str) -> bool:
    """True when `letters` occur in `text` in order."""
    it = iter(text)
    return all(c in it for c in letters)


def _initials(name: str) -> set[str]:
    """Accepted initials of a name: first letters of each word, with or without hyphen parts."""
    words = name.split()
    return {"".join(w[0] for w in words), "".join(p[0] for w in words for p in w.split("-"))}


@lru_cache(maxsize=8192)
def _blocks(token: str) -> bool:
    """True for a capitalised word that cannot be part of a person's name."""
    folded = token.casefold()
    return (
        folded in cue_words("stopword")
        or folded in cue_words("label")
        or is_role(token)
        or folded in _header_labels()
        or lookup_organisation(token) is not None
        or folded.endswith(_org_suffixes())
    )
