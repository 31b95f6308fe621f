"""Organisations named in prose: partners enumerated after collaboration cues.

Pages without a Samarbetspartners list often name their partners in one
sentence: ``samverkan mellan projektägaren, Stockholms stad och
Arbetsförmedlingen``, ``I detta projekt med ABB, Bombardier ... och Systemair
genomförs``. The enumeration after the cue is split on commas and
``och``/``samt``; each item keeps its leading run of capitalised words; lower-case
items (``kommuner``, ``projektägaren``) and municipalities are skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterator

from .orgnames import cue_words

# Cue phrases that open an enumeration of collaborating organisations.
_CUE_RE = re.compile(
    r"""
    \b(?:samverkan|samarbete|samverkar|samarbetar|partnerskap)\s+(?:mellan|med)\s+  # collaboration between/with
    | \b[Ii]\s+(?:detta\s+)?projekt(?:et)?\s+med\s+                                   # i detta projekt med
    | \b(?:tillsammans\s+med|in\s+cooperation\s+with|in\s+partnership\s+with)\s+     # together with
    """,
    re.VERBOSE,
)
_SENTENCE_END_RE = re.compile(r"[.;:!?](?:\s|$)|\n")
_SPLIT_RE = re.compile(r",\s*(?:samt\s+|och\s+)?|\s+(?:och|samt|and)\s+")
_CONJ_RE = re.compile(r",?\s+(?:och|and)\s+")
_ALSO_RE = re.compile(r",?\s*samt\s+")  # `A och B, samt C`: one more item after the enumeration's `och`
# Lower-case words that may stand before the first name of an item: `bland annat Lindqvists AB`.
_FILLER_RE = re.compile(r"^(?:bland\s+annat|bland\s+andra|bl\.\s?a\.|t\.\s?ex\.|till\s+exempel|exempelvis|"
                        r"såsom|främst|bland\s+dem)\s+")
# A name: capitalised words, allowing `&`, `AB`, digits and short lower-case joiners inside.
_NAME_RE = re.compile(
    r"""
    (?:[A-ZÅÄÖ0-9][\w&'’.-]*)                         # first capitalised word
    (?:\s+(?:(?:för|i|och|&)\s+)?[A-ZÅÄÖ0-9][\w&'’.-]*)*  # further capitalised words
    """,
    re.VERBOSE,
)


def find_partner_mentions(
    text: str, base: int = 0, is_place: Callable[[str], bool] | None = None
) -> Iterator[tuple[str, int, int]]:
    """Organisation names enumerated after a collaboration cue, with absolute spans.

    >>> s = "Projektet ska bidra till samverkan mellan projektägaren, Stockholms stad och Arbetsförmedlingen kring målgruppen."
    >>> [n for n, _, _ in find_partner_mentions(s, is_place=lambda n: n.startswith("Stockholm"))]
    ['Arbetsförmedlingen']
    >>> s = "I detta projekt med ABB, Northvolt och Epiroc genomförs insatser."
    >>> [n for n, _, _ in find_partner_mentions(s)]
    ['ABB', 'Northvolt', 'Epiroc']
    """
    for cue in _CUE_RE.finditer(text):
        start = cue.end()
        end_m = _SENTENCE_END_RE.search(text, start)
        stop = end_m.start() if end_m else len(text)
        yield from _enumeration(text, start, stop, base, is_place)


def _enumeration(text: str, start: int, stop: int, base: int,
                 is_place: Callable[[str], bool] | None) -> Iterator[tuple[str, int, int]]:
    segment = text[start:stop]
    conj = _CONJ_RE.search(segment)
    # the enumeration ends with the item after its first `och`/`samt`
    pos = 0
    for sep in list(_SPLIT_RE.finditer(segment)) + [None]:
        item_end = sep.start() if sep else len(segment)
        item = segment[pos:item_end]
        filler = _FILLER_RE.match(item)
        skip = filler.end() if filler else 0
        m = _NAME_RE.match(item, skip)
        if m:
            name = _with_head(item, m).rstrip(".")
            if len(name) > 1 and not (is_place and is_place(name)):
                at = base + start + pos + m.start()
                yield name, at, at + len(name)
        if sep is None or (conj and sep.start() > conj.start() and not _ALSO_RE.match(segment, sep.start())):
            break
        if m is None and conj is None:
            break
        pos = sep.end()


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    return cue_words("org_head")


def _with_head(item: str, m: re.Match[str]) -> str:
    """The name plus a lower-case head noun that ends it (`Lunds universitet`, `Handelsanställdas förbund`)."""
    nxt = re.match(r"\s+([a-zåäö]+)\b", item[m.end():])
    if nxt and nxt.group(1) in _heads():
        return item[m.start():m.end() + nxt.end()]
    return m.group(0)
