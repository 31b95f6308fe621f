"""Who stands in which role to the project, read from the sentences that say so.

A relation is an organisation, a role (`partner`, `co_financier`, `funder`, `owner`,
`target_authority`, `venue`, or `mentioned` when a cue names a body that takes no role) and the
sentence as evidence. Cue phrases are data (``data/patterns/relation_cues.jsonl``, Swedish and
English, each with the side its organisations stand on); a cheap regex of them picks the candidate
sentences, and only those are tokenised (``nlp.analyse_relations``: spaCy's Matcher for the cues
and for body patterns such as `Region X` or `X folkhögskola`, a PhraseMatcher for known bodies).

The enumeration after a cue is read item by item: items are parted by commas and `och`/`samt`/
`and`, and it ends with the item after its first conjunction (`, samt` adds one more). An item is a
known body, a run of capitalised words (with a lower-case head such as `universitet`), or a
lower-case generic head that a place or a bracketed name specifies (`arbetsförmedlingar i Piteå och
Arvidsjaur`; a plural head keeps its coordinated places). A counted kind (`39 folkhögskolor`), a
bare generic head, a municipal service (`socialtjänsten`), the project's own side (`projektägaren`),
a unit of another body (`X inom Y`), a stop word, a number or a lone abbreviation is never a
partner. Vocabulary: ``data/relation_terms.csv``.

>>> [(r.name, r.role) for r in find_relations(
...     "Projektet medfinansieras av Nybro kommun. Det drivs i samverkan med Arbetsförmedlingen, "
...     "39 folkhögskolor och arbetsförmedlingar i Piteå och Arvidsjaur.")]  # doctest: +NORMALIZE_WHITESPACE
[('Nybro kommun', 'co_financier'), ('Arbetsförmedlingen', 'partner'), ('39 folkhögskolor', 'mentioned'),
 ('arbetsförmedlingar i Piteå och Arvidsjaur', 'partner')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import load_csv
from ..nlp import RelationTokens, analyse_relations, relation_cue_regex, split_sentences
from .orgnames import cue_words

__all__ = ["ROLES", "Relation", "find_relations"]

ROLES = ("owner", "partner", "co_financier", "funder", "target_authority", "venue", "mentioned")
_ENDS = frozenset(".;:!?")
_MAX_ITEM = 12  # tokens: an item longer than this is a clause, not a name
_WINDOW = (
    80  # tokens read after a cue (and 40 before it): work per cue is bounded, so a run stays linear
)


@dataclass(frozen=True)
class Relation:
    """An organisation in a role to the project, with the name's span and its sentence (absolute)."""

    name: str
    role: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    cue: str
    reason: str = ""


@lru_cache(maxsize=1)
def _terms() -> dict[str, dict[str, tuple[str, str]]]:
    """relation_terms.csv: role -> word -> (class, number)."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for row in load_csv("relation_terms.csv"):
        out.setdefault(row["role"], {})[row["word"]] = (row["class"], row["number"])
    return out


@lru_cache(maxsize=1)
def _deictic() -> frozenset[str]:
    """Lower-case nouns for a place already named (`i regionen`, `i länet`) that specify a generic head."""
    return frozenset(_terms().get("deictic_place", {}))


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    """Lower-case nouns that end a name (`Lunds universitet`, `Hälsinglands utbildningsförbund`)."""
    return tuple(sorted(cue_words("org_head"), key=len, reverse=True))


class _Sentence:
    """One candidate sentence as tokens, with its cues and known bodies."""

    __slots__ = ("base", "low", "n", "rt", "text", "words")

    def __init__(self, text: str, base: int, rt: RelationTokens) -> None:
        self.text, self.base, self.rt = text, base, rt
        self.words = [w for w, _a, _b in rt.words]
        self.low = [w.lower() for w in self.words]
        self.n = len(self.words)

    def word(self, i: int) -> str:
        return self.words[i] if i < self.n else ""

    def lower(self, i: int) -> str:
        return self.low[i] if i < self.n else ""

    def span(self, a: int, b: int) -> str:
        return self.text[self.rt.words[a][1] : self.rt.words[b - 1][2]]

    def phrase(self, i: int, table: dict[str, tuple[str, str]], limit: int = 4) -> int:
        """Tokens of the longest entry of `table` written at token i (0 when none)."""
        low = self.low
        for n in range(min(limit, self.n - i), 0, -1):
            if (low[i] if n == 1 else " ".join(low[i : i + n])) in table:
                return n
        return 0


def _lower_span(st: _Sentence, a: int, b: int) -> str:
    return " ".join(st.lower(k) for k in range(a, b))


def _titled(word: str) -> bool:
    return bool(word) and (
        word[0].isupper() or (word[0].isdigit() and any(c.isalpha() for c in word))
    )


# ---------------------------------------------------------------- candidate sentences
def _candidates(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences in text[start:end] holding a cue phrase; sentences are split only when one occurs."""
    hits = [m.start() for m in relation_cue_regex().finditer(text, start, end)]
    if not hits:
        return
    k = 0
    for s, e in split_sentences(text, start, end):
        while k < len(hits) and hits[k] < s:
            k += 1
        if k < len(hits) and hits[k] < e:
            yield s, e


# ---------------------------------------------------------------- items of an enumeration
def _separator(st: _Sentence, i: int) -> int:
    """Tokens of an item separator at i: `,`, `och`, `samt`, `and`, `, samt` (0 when none)."""
    if st.word(i) == ",":
        return 1 + st.phrase(i + 1, _terms()["conj"], 3)
    return st.phrase(i, _terms()["conj"], 3)


def _item_end(st: _Sentence, i: int, stop: int, bodies: dict[int, tuple[str, str, int]]) -> int:
    """Where the item starting at token i ends (exclusive): at a separator outside names and brackets,
    or where another cue starts (`drivs av X tillsammans med Y och Z`: Y and Z are not owners)."""
    depth, plural_place, first = 0, False, i
    cue_starts = {c[3] for c in st.rt.cues}
    while i < stop:
        if i > first and i in cue_starts:
            return i
        w = st.word(i)
        if i in bodies:
            i = bodies[i][2]
            continue
        if w == "(":
            depth += 1
        elif w == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (w in _ENDS or w == "–"):
            return i
        elif depth == 0 and _separator(st, i):
            if st.word(i - 1).endswith("-"):  # `hälso- och sjukvården`
                i += 1
                continue
            if (
                plural_place
                and _titled(st.word(i + 1))
                and st.word(i) != ","
                and not _names_body(st, i + 1)
                and i + 1 not in bodies
                and not st.phrase(i + 1, _terms()["generic"])
            ):
                i += 1  # `arbetsförmedlingar i Piteå och Arvidsjaur`: places of one plural head
                continue
            return i
        if depth == 0 and st.lower(i) in _terms()["place_prep"] and _plural_head_before(st, i):
            plural_place = True
        i += 1
    return stop


def _plural_head_before(st: _Sentence, i: int) -> bool:
    head = _terms()["generic"].get(st.lower(i - 1))
    return head is not None and head[0] == "body" and head[1] in ("pl", "both")


def _names_body(st: _Sentence, i: int) -> bool:
    """A name that is a body of its own (`Luleå kommun`, `Region X`), not one more place of a list."""
    nxt = st.lower(i + 1)
    return nxt in ("kommun", "stad", "kommuner") or st.lower(i) in ("region", "landstinget")


@dataclass
class _Item:
    start: int  # token range of the name (or of what was read), end exclusive
    end: int
    kind: str  # a known body's kind, `name`, `generic`, or `none`
    reason: str = ""


def _read_item(st: _Sentence, a: int, b: int, bodies: dict[int, tuple[str, str, int]]) -> _Item:
    """What one item of an enumeration names (tokens a..b)."""
    while a < b and (n := st.phrase(a, _terms()["filler"], 3)):
        a += n
    if a >= b:
        return _Item(a, b, "none", "empty")
    if st.word(a)[0].isdigit() and not _titled(st.word(a)):
        return _Item(a, b, "none", "a counted kind of body (set-up)")
    if a in bodies:
        kind, _known, end = bodies[a]
        while end < b and _titled(st.word(end)) and end not in bodies:
            end += 1  # `Arbetsförmedlingen Boden`: the body and its local unit
        return _after_name(st, _Item(a, end, kind), b)
    n = st.phrase(a, _terms()["generic"])
    if n and not (
        _titled(st.word(a)) and _terms()["generic"][_lower_span(st, a, a + n)] == ("body", "sg")
    ):
        return _generic(
            st, a, a + n, b, bodies
        )  # (a capitalised singular head is a name: `Försäkringskassa`)
    if not _titled(st.word(a)):
        k = next((k for k in range(a, min(b, a + 5)) if _titled(st.word(k))), None)
        if (
            k is not None
            and all(st.word(j).isalpha() and st.word(j).islower() for j in range(a, k))
            and _name_end(st, k, b) == b
        ):  # `the adult education association ABF`: a description, then the name ends the item
            return _after_name(st, _Item(k, b, "name"), b)
        return _Item(a, b, "none", "not a name")
    return _after_name(st, _Item(a, _name_end(st, a, b), "name"), b)


def _name_end(st: _Sentence, a: int, b: int) -> int:
    """End of a run of capitalised words (joined by `för`, `i`, `of`, `&`) and its lower-case head."""
    i = a + 1
    while i < b:
        if _titled(st.word(i)) or st.word(i) in ("&", "-"):
            i += 1
        elif st.lower(i) in ("för", "of", "for", "&") and i + 1 < b and _titled(st.word(i + 1)):
            i += 2
        else:
            break
    if (
        i < b
        and st.word(i).islower()
        and (
            st.lower(i).endswith(_heads())
            or (
                st.word(i - 1).endswith("s")
                and _terms()["generic"].get(st.lower(i), ("",))[0] == "body"
            )
        )
    ):
        i += 1  # `Lunds universitet`, `Dalarnas folkhögskolor`
    elif (
        i < b
        and i == a + 1
        and st.word(a).endswith("s")
        and st.word(i).islower()
        and st.word(i).isalpha()
    ):
        return a  # `Hushållningssällskapets medlemmar`: the body's members, not the body
    elif st.word(a).isupper() and b - a <= 3 and all(st.word(k).isalpha() for k in range(a, b)):
        i = b  # `VIVA resurs`: an acronym and its word
    return i


def _generic(
    st: _Sentence, a: int, h: int, b: int, bodies: dict[int, tuple[str, str, int]]
) -> _Item:
    """A lower-case head: a body a place or a bracket specifies, or a kind whose names follow."""
    cls, number = _terms()["generic"][_lower_span(st, a, h)]
    if cls in ("service", "self"):
        return _Item(a, h, "none", f"generic head ({cls})")
    if cls == "actor" or (
        number in ("pl", "both") and h < b and (_titled(st.word(h)) or st.lower(h) == "of")
    ):
        rest = h + (
            st.phrase(h, _terms()["filler"], 3)
        )  # `utbildningsaktörer såsom X`, `municipalities of X`
        if (rest < b and rest > h) or (cls != "actor" and rest < b):
            return _read_item(st, rest, b, bodies)
        return _Item(a, h, "none", f"generic head ({cls})")
    end = h
    if end < b and st.lower(end) in _terms()["place_prep"] and _titled(st.word(end + 1)):
        end = b if number in ("pl", "both") else _name_end(st, end + 1, b)
    elif (
        end + 1 < b and st.lower(end) in _terms()["place_prep"] and st.lower(end + 1) in _deictic()
    ):
        end += 2  # `folkhögskolor i regionen`: a place the page has named already
    if end < b and st.word(end) == "(":
        end = next((k + 1 for k in range(end, b) if st.word(k) == ")"), b)
    if end == h:
        return _Item(a, h, "none", "generic head without a place or name")
    return _Item(a, end, "generic")


def _after_name(st: _Sentence, item: _Item, b: int) -> _Item:
    """Reject a unit of another body (`X inom Y`), a stop word, a lone abbreviation or number."""
    if item.end < b and st.lower(item.end) in _terms()["unit_prep"]:
        return _Item(item.start, item.end, "none", f"a unit of {st.span(item.end + 1, b)}")
    words = [st.word(k) for k in range(item.start, item.end)]
    if len(words) == 1 and (
        words[0].lower() in _terms()["stop"]
        or len(words[0]) < 2
        or "." in words[0]
        or words[0].isdigit()
    ):
        return _Item(item.start, item.end, "none", "a stop word, abbreviation or number alone")
    return item


def _enumeration(
    st: _Sentence,
    pos: int,
    stop: int,
    bodies: dict[int, tuple[str, str, int]],
    inner: dict[int, int],
) -> Iterator[tuple[_Item, int]]:
    """(item, end of the raw item) of the enumeration at token pos; it ends after the item following
    its first conjunction (`, samt` adds one). `inner` maps the start of a nested cue's list to its end."""
    conj_seen = False
    has_conj = any(st.phrase(k, _terms()["conj"], 3) for k in range(pos, stop))
    while pos < stop:
        filler = pos + st.phrase(pos, _terms()["filler"], 3)
        if filler in inner:  # `together with the co-financing municipalities A and B, C and ...`
            pos, conj_seen = inner[filler], False
        else:
            end = _item_end(st, pos, stop, bodies)
            item = _read_item(st, pos, end, bodies)
            if (
                item.kind == "name"
                and item.end - item.start == 1
                and st.word(item.start).endswith("s")
                and _municipalities_follow(st, end, stop)
            ):
                item = _Item(
                    item.start, item.end, "municipality", "a municipality (`A:s och B kommuner`)"
                )
            yield item, end
            if (item.kind == "none" and not has_conj) or end - pos > _MAX_ITEM:
                return
            pos = end
        n = _separator(st, pos)
        if not n:
            return
        conj = st.phrase(pos + (st.word(pos) == ","), _terms()["conj"], 3)
        if conj_seen and not (conj and st.lower(pos + (st.word(pos) == ",")) == "samt"):
            return  # the item after the first conjunction was the last, unless `samt` adds one
        conj_seen = conj_seen or bool(conj)
        pos += n


def _municipalities_follow(st: _Sentence, pos: int, stop: int) -> bool:
    """`Stenungssunds och Uddevalla kommuner`: a genitive before a conjunction and `X kommuner`."""
    n = _separator(st, pos)
    return (
        bool(n)
        and st.lower(pos + n + 1) in ("kommuner", "kommunerna", "städer")
        and pos + n + 1 < stop
    )


# ---------------------------------------------------------------- one sentence
def _clause_start(st: _Sentence, cue_start: int) -> int:
    """Start of the clause before a cue that takes its organisations before it (`X medfinansierar`)."""
    i, limit = cue_start, max(0, cue_start - _WINDOW // 2)
    while (
        i > limit
        and st.word(i - 1) not in (",", ";", ":")
        and st.lower(i - 1) not in ("att", "som", "där")
    ):
        i -= 1
    if st.lower(i) in ("det", "även", "också") and st.lower(i + 1) in ("är", "har"):
        i += 2
    return i


def _other_project(st: _Sentence, cue_start: int) -> str | None:
    """`Pilotprojektet sker i samverkan med ...`: the clause is about another project than this one."""
    for k in range(_clause_start(st, cue_start), cue_start):
        if st.lower(k) in _terms()["other_project"]:
            return st.word(k)
    return None


def _cleft(st: _Sentence, cue_start: int) -> tuple[int, int] | None:
    """`Det är Västtrafik som har initierat en samverkan med ...`: the subject of the cue."""
    if st.lower(0) != "det" or st.lower(1) not in ("är", "var") or not _titled(st.word(2)):
        return None
    som = next((k for k in range(3, min(cue_start, 12)) if st.lower(k) == "som"), None)
    return (2, som) if som else None


def _sentence_relations(
    text: str, s: int, e: int, owner: str | None, is_place: Callable[[str], bool] | None
) -> Iterator[Relation]:
    st = _Sentence(text[s:e], s, analyse_relations(text[s:e]))
    bodies = {a: (kind, name, b) for kind, name, a, b in st.rt.bodies}
    cues = st.rt.cues
    inner: dict[int, int] = {}
    found: list[tuple[_Item, str, str, int]] = []
    for role, cue_id, side, cs, ce in reversed(
        cues
    ):  # nested lists first: their end is known to the outer
        if side == "before":
            spans = [(_clause_start(st, cs), cs)]
        else:
            cleft = _cleft(st, cs) if role == "partner" else None
            spans = [(ce, min(len(st.rt.words), ce + _WINDOW))] + ([cleft] if cleft else [])
        for a, b in spans:
            last = a
            for item, end in _enumeration(st, a, b, bodies, inner):
                found.append((item, role, cue_id, cs))
                last = end
            if a == ce:
                inner[cs] = last  # an outer list reaching this cue skips its whole group
    other = {cs: _other_project(st, cs) for _r, _c, _s, cs, _e in cues}
    for item, role, cue_id, cs in found:
        if other[cs]:
            item = _Item(
                item.start,
                item.end,
                "none" if item.kind != "none" else item.kind,
                item.reason or f"a relation of another project ({other[cs]})",
            )
        rel = _relation(st, item, role, cue_id, owner, is_place)
        if rel is not None:
            yield rel


def _relation(
    st: _Sentence,
    item: _Item,
    role: str,
    cue_id: str,
    owner: str | None,
    is_place: Callable[[str], bool] | None,
) -> Relation | None:
    if item.start >= item.end or item.start >= len(st.rt.words):
        return None
    name = st.span(item.start, item.end).rstrip(".,")
    start = st.base + st.rt.words[item.start][1]
    reason = item.reason or f"cue `{cue_id.replace('_', ' ')}`"
    if item.kind == "none":
        if item.reason in ("not a name", "empty"):
            return None
        role = "mentioned"
    elif item.kind == "funder":
        role, reason = "funder", f"a funding body ({reason})"
    elif owner and name.casefold() == owner.casefold():
        role, reason = "owner", "the project owner"
    elif role == "partner" and (item.kind == "municipality" or (is_place and is_place(name))):
        role, reason = "mentioned", "a municipality: recorded as a place"
    return Relation(
        name, role, start, start + len(name), st.base, st.base + len(st.text), cue_id, reason
    )


def find_relations(
    text: str,
    start: int = 0,
    end: int | None = None,
    owner: str | None = None,
    is_place: Callable[[str], bool] | None = None,
) -> list[Relation]:
    """Organisations in a role to the project in text[start:end], in text order, each with its sentence."""
    end = len(text) if end is None else end
    out: list[Relation] = []
    for s, e in _candidates(text, start, end):
        out += sorted(_sentence_relations(text, s, e, owner, is_place), key=lambda r: r.start)
    return out
